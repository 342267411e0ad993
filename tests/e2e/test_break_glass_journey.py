"""Breaking the glass, walked as people would: a duty social worker opens a restricted record
with a reason, and the record's team manager sees the alert and the access log."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import BREAK_GLASS_REASON, World, check_accessibility, screenshot, totp_now
from tests.factories import PASSWORD


def test_a_social_worker_breaks_the_glass_and_the_records_manager_is_told(page, world: World):
    restricted = world.restricted
    worker_name = world.worker.get_full_name()

    # Sign in: username and password, then the security code from the authenticator app.
    page.goto("/accounts/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Hearth")
    screenshot(page, "01-sign-in")
    check_accessibility(page, "01-sign-in")
    page.get_by_label("Username").fill(world.worker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/accounts/sign-in/code/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    screenshot(page, "02-security-code")
    check_accessibility(page, "02-security-code")
    page.get_by_label("Security code").fill(totp_now(world.device))
    page.get_by_role("button", name="Sign in").click()

    # My work lists the children allocated to them.
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    children_table = page.get_by_role("table", name="Children allocated to you")
    for child in world.children:
        expect(children_table.get_by_role("link", name=child.full_name)).to_be_visible()
    expect(page.get_by_text(restricted.full_name)).to_have_count(0)
    screenshot(page, "03-my-work")
    check_accessibility(page, "03-my-work")

    # The restricted record of another team is refused, without the child's name.
    page.goto(f"/children/{restricted.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This record is restricted")
    expect(page.get_by_text(restricted.hearth_id, exact=False).first).to_be_visible()
    assert restricted.first_name not in page.content()
    assert restricted.last_name not in page.content()
    screenshot(page, "04-restricted")
    check_accessibility(page, "04-restricted")

    # Too short a reason: the error sits by the field and the typed words are kept.
    reason = page.get_by_label("Why do you need to open this record?")
    reason.fill("need it now")
    page.get_by_role("button", name="Open the record and record my reason").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    field_error = page.locator("#id_reason-error")
    expect(field_error).to_contain_text("at least 20 characters")
    expect(reason).to_have_value("need it now")
    expect(reason).to_have_attribute("aria-describedby", re.compile(r"\bid_reason-error\b"))
    expect(page.get_by_role("alert").get_by_role("link", name=re.compile("at least 20 characters"))).to_be_visible()
    assert restricted.last_name not in page.content()
    screenshot(page, "05-reason-too-short")
    check_accessibility(page, "05-reason-too-short")

    # A proper reason opens the record.
    reason.fill(BREAK_GLASS_REASON)
    page.get_by_role("button", name="Open the record and record my reason").click()
    expect(page).to_have_url(re.compile(rf"/children/{restricted.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(restricted.full_name)
    expect(page.get_by_text("Access granted. Your reason has been recorded and the manager told.")).to_be_visible()
    screenshot(page, "06-record-opened")
    check_accessibility(page, "06-record-opened")

    # Sign out from the header.
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    check_accessibility(page, "06b-signed-out")

    # Team B's manager (no authenticator app: password alone in dev and test) sees the alert.
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(world.manager_b.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    alerts = page.get_by_role("region", name=re.compile("^Alerts"))
    alert = alerts.get_by_role("link", name=f"{worker_name} (Safeguarding North) opened a restricted record")
    expect(alert).to_be_visible()
    expect(alerts).to_contain_text(BREAK_GLASS_REASON)
    screenshot(page, "07-manager-alert")
    check_accessibility(page, "07-manager-alert")

    # Following the alert lands on the access log, with who broke the glass and why.
    alert.click()
    expect(page).to_have_url(re.compile(rf"/children/{restricted.pk}/access-log/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has accessed this record")
    row = page.get_by_role("row").filter(has_text="Broke the glass")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(worker_name)
    expect(row).to_contain_text(BREAK_GLASS_REASON)
    expect(page.get_by_role("row").filter(has_text="Refused access").first).to_contain_text(worker_name)
    screenshot(page, "08-access-log")
    check_accessibility(page, "08-access-log")
