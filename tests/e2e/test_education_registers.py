"""The education registers, walked through by an education welfare officer: find a child known to social care,
put them on the children missing education register (their social worker is told), record an enquiry, find
them educated at home and open the home education case in one click. Every page is checked with axe."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from hearth.education.models import EHECase
from tests.e2e.conftest import World, check_accessibility, fill_date, screenshot, sign_in


def test_a_child_in_need_missing_education_is_found_home_educated(page, world: World):
    from hearth.accounts.roles import Role
    from hearth.cin.services import cin_episode_open
    from tests.factories import make_user

    child = world.children[0]  # Jordan Whitfield, allocated to Sam Okafor
    cin_episode_open(child=child, referral_date=date(2026, 1, 5), referral_source="2A", by="test")
    make_user(world.la, Role.EDUCATION_OFFICER, username="eddie.welfare", first_name="Eddie", last_name="Welfare")
    sign_in(page, "eddie.welfare")

    page.goto("/education/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Education registers")
    check_accessibility(page, "education-01-registers-empty")
    page.get_by_role("button", name="Add a child missing education").click()
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name").fill("Whitfield")
    page.get_by_role("button", name="Search").click()
    screenshot(page, "education-02-find")
    check_accessibility(page, "education-02-find")
    page.get_by_role("link", name=re.compile("Jordan Whitfield")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add to the children missing education register")
    # A date before the child was born is refused beside the field, the rest kept.
    fill_date(page, "Date we were told", date(2014, 1, 1))
    page.get_by_label("A school", exact=True).check()
    page.get_by_label("Name of the school, agency or person who told us").fill("Hillside Primary")
    page.get_by_label("Removed from a school roll").check()
    page.get_by_label("Last known address").fill("14 Orchard Close, Nottingham")
    page.get_by_role("button", name="Add to the register").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_label("Last known address")).to_have_value("14 Orchard Close, Nottingham")
    check_accessibility(page, "education-03-add-error")
    fill_date(page, "Date we were told", date(2026, 11, 2))
    screenshot(page, "education-03-add")
    page.get_by_role("button", name="Add to the register").click()

    expect(page.get_by_role("heading", level=2, name="Children missing education")).to_be_visible()
    expect(page.get_by_text("Known to children's social care: child in need.")).to_be_visible()
    check_accessibility(page, "education-04-cme-case")
    page.get_by_role("button", name="Record an enquiry").click()
    fill_date(page, "Date of the enquiry", date(2026, 11, 3))
    page.get_by_label("Home visit", exact=True).check()
    page.get_by_label("What the enquiry found").fill("Mother says she now teaches Jordan at home")
    check_accessibility(page, "education-05-enquiry")
    page.get_by_role("button", name="Save enquiry").click()
    page.get_by_role("button", name="Record the outcome").click()
    page.get_by_label("Now electively home educated").check()
    fill_date(page, "Date of the outcome", date(2026, 11, 4))
    page.get_by_label("Yes", exact=True).check()
    check_accessibility(page, "education-06-outcome")
    page.get_by_role("button", name="Save outcome").click()

    expect(page.get_by_text("is now educated at home")).to_be_visible()
    screenshot(page, "education-07-cme-closed")
    check_accessibility(page, "education-07-cme-closed")
    page.get_by_role("button", name="Open the home education case").click()
    expect(page.get_by_role("heading", level=2, name="Elective home education")).to_be_visible()
    case = EHECase.objects.get(child=child)
    assert case.notified_on == date(2026, 11, 4) and case.from_cme is not None
    screenshot(page, "education-08-ehe-case")
    check_accessibility(page, "education-08-ehe-case")

    page.goto("/education/")
    expect(page.get_by_role("link", name="Jordan Whitfield")).to_be_visible()
    screenshot(page, "education-09-registers")
    check_accessibility(page, "education-09-registers")

    # The social worker was told when Jordan went on the register.
    page.context.clear_cookies()
    sign_in(page, world.worker.username, device=world.device)
    page.goto("/notifications/")
    expect(page.get_by_text("Added to the children missing education register: Child in need")).to_be_visible()
    screenshot(page, "education-10-social-worker-told")
