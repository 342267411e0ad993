"""axe-core on every page of the app as it stands, each with a full-page screenshot.

Pages are grouped by who sees them, so each group signs in once in a fresh browser context;
within a group every page is checked and all serious or critical violations are reported
together at the end. Screenshots: test-results/screenshots/page-<name>.png.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in, totp_now
from tests.factories import PASSWORD, make_person, make_user


class Pages:
    """Checks each page as it is reached: its h1, the council's branding, a screenshot and axe."""

    def __init__(self, page: Any):
        self.page = page
        self.problems: list[str] = []

    def check(self, name: str, heading: str) -> None:
        page = self.page
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        # The council's branding, never the crown or GOV.UK's (content may mention GOV.UK, e.g. a hint).
        expect(page.get_by_role("banner")).not_to_contain_text("GOV.UK")
        expect(page.get_by_role("contentinfo")).not_to_contain_text("GOV.UK")
        expect(page.locator(".govuk-header__logotype, .govuk-logo, .govuk-footer__copyright-logo")).to_have_count(0)
        screenshot(page, f"page-{name}")
        self.problems += check_accessibility(page, f"page-{name}", fail=False)

    def assert_accessible(self) -> None:
        if self.problems:
            pytest.fail("\n".join(self.problems), pytrace=False)


def _password_step(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def test_signed_out_pages(page, world: World):
    pages = Pages(page)

    page.goto("/accounts/sign-in/")
    pages.check("sign-in", "Sign in to Hearth")

    _password_step(page, world.worker.username, "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value(world.worker.username)
    pages.check("sign-in-wrong-password", "Sign in to Hearth")

    _password_step(page, world.worker.username)
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/code/$"))
    pages.check("security-code", "Enter your security code")

    page.get_by_label("Security code").fill("000000" if totp_now(world.device) != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#id_otp_token-error")).to_contain_text("The code is not right")
    pages.check("security-code-wrong", "Enter your security code")

    page.goto(f"/accounts/signed-out/?next=/children/{world.children[0].pk}/details/")
    expect(page.get_by_role("link", name="Sign in again")).to_have_attribute(
        "href", f"/accounts/sign-in/?next=/children/{world.children[0].pk}/details/"
    )
    pages.check("signed-out-timed-out", "You were signed out")

    for _ in range(5):
        _password_step(page, world.worker_b.username, "wrong-password")
    pages.check("locked-out", "Your account is locked for 30 minutes")

    pages.assert_accessible()


def test_two_factor_set_up_and_signing_out(page, world: World):
    pages = Pages(page)
    sign_in(page, world.manager_b.username)  # no authenticator app yet
    page.goto("/accounts/two-factor/")
    expect(page.locator(".hearth-qr svg")).to_be_visible()
    pages.check("two-factor-setup", "Set up your authenticator app")

    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    pages.check("signed-out", "You have signed out")
    pages.assert_accessible()


def test_social_worker_pages(page, world: World):
    from hearth.clocks.services import clock_start

    today = timezone.localdate()
    jordan, kai = world.children
    # 45 working days: 90 days ago is overdue, 60 days ago is still open.
    clock_start(child=jordan, rule_id="assessment", started_on=today - timedelta(days=90), by="test")
    clock_start(child=kai, rule_id="assessment", started_on=today - timedelta(days=60), by="test")
    make_person(world.la, first_name="Maisie", last_name="Whitfield", date_of_birth=date(2019, 5, 9))
    pages = Pages(page)
    menu = page.get_by_role("navigation", name="Menu")

    sign_in(page, world.worker.username, device=world.device)
    expect(page.get_by_role("heading", name=re.compile("Due and overdue"))).to_contain_text("1 overdue")
    pages.check("my-work", "My work")

    menu.get_by_role("link", name="Find a child").click()
    page.get_by_label("Search for a child or adult", exact=True).fill("Whitfield")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 results for \u2018Whitfield\u2019")).to_be_visible()
    pages.check("children-search", "Find a child")

    page.get_by_role("link", name="Jordan Whitfield").click()
    expect(page.get_by_role("table", name="Statutory clocks running for this child")).to_contain_text("Overdue")
    pages.check("child-record", "Jordan Whitfield")

    page.get_by_role("link", name="Change personal details").click()
    expect(page.get_by_label("Preferred name (optional)", exact=True)).to_be_visible()  # not "(optional) (optional)"
    birth = page.get_by_role("group", name="Date of birth (optional)", exact=True)
    birth.get_by_label("Day").fill("31")
    birth.get_by_label("Month").fill("2")
    birth.get_by_label("Year").fill("2015")
    page.get_by_role("button", name="Save details").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator("#id_date_of_birth-error")).to_contain_text("Date of birth must be a real date")
    expect(birth.get_by_label("Day")).to_have_value("31")
    pages.check("change-details-error", "Change personal details")

    page.goto(f"/children/{jordan.pk}/")
    page.get_by_role("link", name="Print summary").click()
    expect(page.get_by_text("OFFICIAL-SENSITIVE")).to_be_visible()
    pages.check("print-view", "Jordan Whitfield")

    page.goto(f"/children/{world.restricted.pk}/")
    pages.check("restricted", "This record is restricted")

    menu.get_by_role("link", name="My team").click()
    expect(page.get_by_role("table", name="Caseloads")).to_contain_text("Sam Okafor")
    pages.check("team", "Safeguarding North")

    pages.assert_accessible()


def test_team_manager_pages(page, world: World):
    pages = Pages(page)
    sign_in(page, world.manager_b.username)
    page.goto(f"/children/{world.restricted.pk}/")
    page.get_by_role("link", name="Who has accessed this record").click()
    pages.check("access-log", "Who has accessed this record")

    page.get_by_role("link", name="Back to Alexis Marchetti").click()
    page.get_by_role("link", name="Who can open this record").click()
    expect(page.get_by_role("table", name="Staff who can open this record")).to_contain_text("Tom Hughes")
    pages.check("access-settings", "Who can open this record")

    page.get_by_role("button", name="Give access").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    pages.check("access-settings-error", "Who can open this record")

    pages.assert_accessible()


def test_system_administrator_pages(page, world: World):
    from hearth.accounts.roles import Role
    from hearth.clocks.models import BankHoliday
    from hearth.clocks.seeding import add_missing

    year = timezone.localdate().year
    add_missing(BankHoliday, [year])  # the live server's database starts empty
    admin = make_user(world.la, Role.SYSTEM_ADMIN, username="lee.admin", first_name="Lee", last_name="Morgan")
    pages = Pages(page)

    sign_in(page, admin.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Bank holidays").click()
    expect(page.get_by_role("table")).to_contain_text("Christmas Day")
    pages.check("bank-holidays", f"Bank holidays {year}")

    page.get_by_role("button", name="Add a one-off bank holiday").click()
    when = page.get_by_role("group", name="Date")
    when.get_by_label("Day").fill("31")
    when.get_by_label("Month").fill("2")
    when.get_by_label("Year").fill(str(year + 1))
    page.get_by_role("button", name="Save bank holiday").click()
    expect(page.locator("#id_on-error")).to_contain_text("Date must be a real date")
    expect(page.locator("#id_name-error")).to_contain_text("Enter the name of the bank holiday")
    pages.check("bank-holiday-add-error", "Add a one-off bank holiday")

    page.get_by_role("link", name="Back to bank holidays").click()
    page.get_by_role("link", name=re.compile(r"^Change Christmas Day")).click()
    pages.check("bank-holiday-change", "Change a bank holiday")

    page.get_by_role("link", name="Back to bank holidays").click()
    page.get_by_role("link", name=re.compile(r"^Remove Christmas Day")).click()
    pages.check("bank-holiday-remove", "Remove Christmas Day")

    pages.assert_accessible()
