"""The In care tab beyond the main journey: adoption steps, a deprivation of liberty order, a refused end of
care with the typing kept, and the children-in-care team view with a restricted child counted but not named.
Every page is screenshotted and checked with axe."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import expect

from hearth.care import services
from tests.care.factories import HOME, give_address
from tests.e2e.conftest import World, check_accessibility, fill_date, screenshot, sign_in


def _look(page: Any, name: str) -> None:
    screenshot(page, f"care-{name}")
    check_accessibility(page, f"care-{name}")


def test_adoption_steps_a_dolo_a_refused_end_and_the_team_view(page, world: World):
    today = date.today()
    child = world.children[1]
    give_address(child)
    start = today - timedelta(days=400)
    period = services.period_of_care_start(
        child=child, started_on=start, legal_status="C2", category_of_need="N1", referral_source="6",
        previous_permanence="Z1", by="test", **HOME)
    restricted = world.restricted
    give_address(restricted)
    services.period_of_care_start(child=restricted, started_on=start, legal_status="V2", category_of_need="N4",
                                  referral_source="6", previous_permanence="Z1", by="test", **HOME)
    sign_in(page, world.worker.username, device=world.device)

    # A decision to place for adoption, then a match dated before it: refused beside the field, typing kept.
    page.goto(f"/children/{child.pk}/care/")
    page.get_by_role("link", name=re.compile("should be placed for adoption")).click()
    decided = start + timedelta(days=100)
    fill_date(page, re.compile("decision that they should be placed"), decided)
    fill_date(page, "Date matched with adopters (optional)", decided - timedelta(days=3))
    page.get_by_role("button", name="Save the adoption steps").click()
    expect(page.get_by_text("The match cannot be before the decision").first).to_be_visible()
    expect(page.get_by_role("group", name="Date matched with adopters (optional)").get_by_label("Day", exact=True)
           ).to_have_value(str((decided - timedelta(days=3)).day))
    _look(page, "01-adoption-refused")
    fill_date(page, "Date matched with adopters (optional)", decided + timedelta(days=30))
    page.get_by_role("button", name="Save the adoption steps").click()
    expect(page.get_by_text("Adoption steps saved")).to_be_visible()

    # A deprivation of liberty order in the children's home.
    page.get_by_role("link", name="Record a deprivation of liberty order").click()
    fill_date(page, "Date the order was made", start + timedelta(days=50))
    page.get_by_label("Court and order details").fill("Court of Protection, Nottingham")
    _look(page, "02-dolo-form")
    page.get_by_role("button", name="Record the order").click()
    expect(page.get_by_text("Deprivation of liberty order recorded")).to_be_visible()

    # Leaving care while the adoption decision is still open is refused, and what was chosen stays.
    page.get_by_role("link", name=re.compile("stopped being looked after")).click()
    fill_date(page, "Date they stopped being looked after", today - timedelta(days=2))
    page.get_by_label("Why they stopped being looked after").select_option("E4A")
    page.get_by_role("button", name="Record that they left care").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("still open")
    expect(page.get_by_label("Why they stopped being looked after")).to_have_value("E4A")
    _look(page, "03-end-refused")

    page.goto(f"/children/{child.pk}/care/")
    expect(page.get_by_text("Deprivation of liberty order", exact=True)).to_be_visible()
    _look(page, "04-record")
    assert period.adoption_plans.count() == 1

    # The team view: the child is listed; the restricted child of another team is counted, not named.
    page.goto("/children-in-care/?team=")
    expect(page.get_by_role("link", name=child.full_name)).to_be_visible()
    expect(page.get_by_text("And 1 restricted record you cannot open")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(restricted.last_name)
    _look(page, "05-team-view")
