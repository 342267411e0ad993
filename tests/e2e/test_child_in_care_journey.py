"""A child comes into care, moves placement, and has a first review on time (issue 5), as the people who walk it.

The social worker records that Jordan came into care (section 20, V2, foster care U6) three days ago; the
care plan page shows the first review and first visit clocks. The IRO is allocated. Jordan moves
placement yesterday: the SSDA903 episode table shows a second episode with RNE P. Today the IRO
records the first review, well within 20 working days: the clock is met and the second review is due
3 months from today. Every page is screenshotted and checked with axe.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import expect

from hearth.accounts.roles import Role
from hearth.care.models import Placement
from hearth.care_plans.models import LookedAfterReview
from hearth.clocks.models import Clock
from hearth.clocks.working_days import add_months
from hearth.workspace.dates import long_date
from tests.care_plans.factories import make_iro
from tests.e2e.conftest import World, check_accessibility, fill_date, screenshot, sign_in


def _look(page: Any, name: str) -> None:
    screenshot(page, f"journey5-care-{name}")
    check_accessibility(page, f"journey5-care-{name}")


def test_a_child_comes_into_care_moves_and_has_a_first_review_on_time(page, world: World):
    today = date.today()
    came_into_care, moved = today - timedelta(days=3), today - timedelta(days=1)
    child = world.children[0]
    iro = make_iro(world.la, first_name="Irene", last_name="Okoro", username="irene.okoro")
    assert iro.role == Role.IRO

    # 1. The social worker records that Jordan came into care.
    sign_in(page, world.worker.username, device=world.device)
    page.goto(f"/children/{child.pk}/care/")
    _look(page, "01-in-care-tab")
    page.get_by_role("button", name="Start a period of care").click()
    fill_date(page, re.compile("started to be looked after", re.I), came_into_care)
    page.get_by_label("Legal status", exact=True).select_option("V2")
    page.get_by_role("group", name=re.compile("Category of need")).get_by_label(re.compile("^N1")).check()
    page.get_by_label("Who referred them").select_option("2A")
    page.get_by_label("Placement type").select_option("U6")
    page.get_by_label("Who provides the placement").select_option("PR1")
    page.get_by_label("Carer, home or provider name").fill("Maya and Tom Carter")
    page.get_by_label(re.compile("Ofsted unique reference number")).fill("5012345")
    page.get_by_label("Placement postcode").fill("NG5 1AB")
    page.get_by_role("group", name=re.compile("adopted or under a special guardianship")).get_by_label(
        re.compile("^Z1")).check()
    _look(page, "02-start-form")
    page.get_by_role("button", name="Record that they came into care").click()
    expect(page.get_by_text(f"recorded as looked after from {long_date(came_into_care)}")).to_be_visible()
    _look(page, "03-in-care")

    # 2. The care plan page shows the first review and first visit clocks.
    page.get_by_role("link", name="Care plan, looked-after reviews, visits, health and education").click()
    page.wait_for_url(f"**/children/{child.pk}/care-plan/")
    review_due = Clock.objects.get(child=child, rule_id="cla_review_first").due_on
    due_list = page.locator("dl").filter(has_text="First looked-after review").first
    expect(due_list).to_contain_text(f"Due by {long_date(review_due)}")
    expect(due_list).to_contain_text(f"Due by {long_date(came_into_care + timedelta(days=7))}")  # first visit
    _look(page, "04-care-plan")

    # 3. The IRO is allocated.
    page.get_by_role("link", name="Allocate an IRO").click()
    page.get_by_label("Independent reviewing officer").select_option(label="Irene Okoro")
    fill_date(page, "Date the IRO was allocated", came_into_care)
    _look(page, "05-allocate-iro")
    page.get_by_role("button", name="Allocate IRO").click()
    expect(page.get_by_text("Irene Okoro is now the IRO")).to_be_visible()

    # 4. Jordan moves placement: a second 903 episode, RNE P; the visits restart, the reviews do not.
    page.goto(f"/children/{child.pk}/care/")
    page.get_by_role("link", name="Record a change of placement").click()
    fill_date(page, "Date they moved", moved)
    page.get_by_label("Why the current placement ended").select_option("CARPL")
    page.get_by_role("group", name=re.compile("carer the same")).get_by_label("No", exact=True).check()
    page.get_by_label("Placement type").select_option("U6")
    page.get_by_label("Who provides the placement").select_option("PR1")
    page.get_by_label("Carer, home or provider name").fill("Ruth Okafor")
    page.get_by_label(re.compile("Ofsted unique reference number")).fill("5012345")
    page.get_by_label("Placement postcode").fill("NG7 2QP")
    _look(page, "06-move-form")
    page.get_by_role("button", name="Record the move").click()
    episodes = page.get_by_role("table", name=re.compile("Episodes as the children looked after return"))
    rows = episodes.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("P")
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("S")
    _look(page, "07-second-episode")
    assert Placement.objects.filter(child=child).count() == 2
    visits = Clock.objects.filter(child=child, rule_id="cla_visit_first").order_by("started_on")
    assert [c.status for c in visits] == [Clock.Status.CANCELLED, Clock.Status.OPEN]
    assert Clock.objects.get(child=child, rule_id="cla_review_first").status == Clock.Status.OPEN

    # 5. The IRO records the first review today, within 20 working days.
    page.context.clear_cookies()
    sign_in(page, iro.username)
    page.goto(f"/children/{child.pk}/care-plan/")
    page.get_by_role("button", name="Record a review").click()
    fill_date(page, "Date of the review", today)
    expect(page.get_by_label("Chair (IRO)")).to_have_value(str(iro.pk))  # the allocated IRO, already chosen
    page.get_by_label(re.compile("^PN1")).check()
    page.get_by_label("Recommendations (optional)").fill(
        "Keep Jordan at Bluecoat Primary. Weekly contact with his brother. Plan for permanence by the second review.")
    _look(page, "08-review-form")
    page.get_by_role("button", name="Save review").click()
    second_due = add_months(today, 3)
    expect(page.get_by_text(f"The next review is due by {long_date(second_due)}")).to_be_visible()
    first = Clock.objects.get(child=child, rule_id="cla_review_first")
    assert first.status == Clock.Status.MET and first.stopped_on == today
    assert Clock.objects.get(child=child, rule_id="cla_review_second", status=Clock.Status.OPEN).due_on == second_due
    expect(page.locator("#reviews + p")).to_contain_text(f"Due by {long_date(second_due)}")
    expect(page.get_by_role("table", name="Looked-after reviews")).to_contain_text("PN1")
    page.get_by_text("Timescales met, missed or no longer needed").click()
    expect(page.get_by_text(re.compile(r"First looked-after review: Done .* On time"))).to_be_visible()
    _look(page, "09-review-recorded")
    assert LookedAfterReview.objects.get(child=child).chair == iro
