"""A personal adviser's leaving-care tray and a young person's Leaving care tab: a contact refused and then
recorded; the team manager's view with the DfE measures. Every page passes axe."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in


def test_a_personal_adviser_keeps_in_touch_and_a_manager_sees_the_team(page, world: World):
    from hearth.accounts.roles import Role
    from hearth.care_leavers import services
    from tests.care_leavers.factories import care_leaver, in_care, leaving_care_team, young_person
    from tests.factories import make_user

    today = timezone.localdate()
    team = leaving_care_team(world.la, "Leaving Care North")
    adviser = make_user(world.la, Role.PERSONAL_ADVISER, team, username="pat.adviser", first_name="Pat",
                        last_name="Nwosu")
    manager = make_user(world.la, Role.TEAM_MANAGER, team, username="lee.manager", first_name="Lee",
                        last_name="Grant")
    riley = care_leaver(world.la, age_years=19, left_months_ago=13, first_name="Riley", last_name="Adams")
    services.personal_adviser_allocate(child=riley, adviser=adviser, started_on=today - timedelta(days=300),
                                       by=manager)
    services.pathway_plan_start(child=riley, started_on=today - relativedelta(months=7), by=adviser,
                                accommodation="Stay in the flat on Mill Road")
    services.accommodation_record(child=riley, started_on=today - relativedelta(months=6), accommodation="U",
                                  suitable=True, by=adviser)
    services.activity_record(child=riley, started_on=today - relativedelta(months=2), activity="G5", by=adviser)
    sky = young_person(world.la, age_years=17, age_months=10, first_name="Sky", last_name="Bello")
    in_care(sky, today - relativedelta(years=2))
    services.personal_adviser_allocate(child=sky, adviser=adviser, started_on=today - timedelta(days=30),
                                       by=manager)

    sign_in(page, adviser.username, next_url="/leaving-care/")
    page.wait_for_url("**/leaving-care/")
    assert page.get_by_role("heading", name="My young people").is_visible()
    assert page.get_by_role("heading", name="Pathway plan reviews overdue or due soon (1)").is_visible()
    assert page.get_by_role("heading", name="Turning 18 in the next 3 months (1)").is_visible()
    check_accessibility(page, "care-leavers-tray-adviser")
    screenshot(page, "care-leavers-tray-adviser")

    page.get_by_role("link", name="Riley Adams").first.click()
    page.wait_for_url(f"**/children/{riley.pk}/leaving-care/")
    assert page.get_by_role("heading", name="Status: Former relevant").is_visible()
    check_accessibility(page, "care-leavers-overview")
    screenshot(page, "care-leavers-overview")

    page.get_by_role("link", name="Record a contact").click()
    tomorrow = today + timedelta(days=1)
    page.get_by_role("textbox", name="Day", exact=True).fill(str(tomorrow.day))
    page.get_by_role("textbox", name="Month", exact=True).fill(str(tomorrow.month))
    page.get_by_role("textbox", name="Year", exact=True).fill(str(tomorrow.year))
    page.get_by_label("In touch", exact=True).check()
    page.get_by_label("Face to face").check()
    page.get_by_label("Notes").fill("Met at the flat; talked about a college course")
    page.get_by_role("button", name="Record contact").click()
    assert page.get_by_role("alert").filter(has_text="must be today or in the past").is_visible()
    assert page.get_by_label("Notes").input_value() == "Met at the flat; talked about a college course"
    check_accessibility(page, "care-leavers-contact-error")
    screenshot(page, "care-leavers-contact-error")

    page.get_by_role("textbox", name="Day", exact=True).fill(str(today.day))
    page.get_by_role("textbox", name="Month", exact=True).fill(str(today.month))
    page.get_by_role("textbox", name="Year", exact=True).fill(str(today.year))
    page.get_by_role("button", name="Record contact").click()
    page.wait_for_url(f"**/children/{riley.pk}/leaving-care/")
    assert page.get_by_text("Contact recorded").is_visible()
    assert page.get_by_text(f"{today.day} {today:%B %Y} (face to face)").is_visible()
    screenshot(page, "care-leavers-overview-after-contact")

    page.context.clear_cookies()
    sign_in(page, manager.username, next_url="/leaving-care/")
    page.wait_for_url("**/leaving-care/")
    assert page.get_by_role("heading", name="By personal adviser").is_visible()
    assert page.get_by_role("link", name="Pat Nwosu").is_visible()
    check_accessibility(page, "care-leavers-tray-manager")
    screenshot(page, "care-leavers-tray-manager")
