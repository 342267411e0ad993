"""Recruitment and retention this year against last, the board and the register, from a small known set."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.accounts.roles import Role
from hearth.fostering import selectors, services
from tests.factories import make_la, make_user

from .factories import approved_household, enquiry, make_fostering_worker

pytestmark = pytest.mark.django_db
TODAY = date(2025, 9, 30)  # this year: 1 April 2025 to date; last year to date: to 30 September 2024


@pytest.fixture
def known_set(la, worker):
    a = approved_household(la, worker, enquiry_on=date(2024, 5, 1), name="A household")  # approved 19 Jun 2024
    b = approved_household(la, worker, enquiry_on=date(2025, 1, 10), name="B household", gap=10)  # 21 Mar 2025
    c = approved_household(la, worker, enquiry_on=date(2025, 5, 5), name="C household", places=1)  # 23 Jun 2025
    enquiry(la, worker, date(2025, 7, 1), name="D household")
    e = enquiry(la, worker, date(2024, 8, 1), name="E household")
    services.foster_initial_visit_record(household=e, visited_on=date(2024, 8, 10), worker=worker,
                                         recommendation="not_proceed", by=worker)
    services.foster_withdraw(household=e, withdrawn_on=date(2024, 8, 20), reason="applicant_withdrew", notes="",
                             by=worker)
    services.foster_deregister(household=a, deregistered_on=date(2025, 8, 1), reason="retired", notes="", by=worker)
    # Another council's households are never counted.
    other = make_la(name="Elsewhere")
    approved_household(other, make_fostering_worker(other), enquiry_on=date(2025, 5, 5))
    return a, b, c


def figures(worker):
    last_full, last_to_date, this_year = selectors.recruitment(user=worker, today=TODAY)
    return last_full, last_to_date, this_year


def test_recruitment_this_year_against_last(known_set, worker):
    last_full, last_to_date, this_year = figures(worker)
    assert last_full.label == "Last year (2024/25)"
    assert last_to_date.label == "Last year to 30 September 2024"
    assert this_year.label == "This year (2025/26) to date"
    counted = ("enquiries", "initial_visits", "applications", "approvals", "deregistrations", "households_at_end",
               "places_at_end")
    assert [getattr(last_full, m) for m in counted] == [3, 3, 2, 2, 0, 2, 4]
    assert [getattr(last_to_date, m) for m in counted] == [2, 2, 1, 1, 0, 1, 2]
    assert [getattr(this_year, m) for m in counted] == [2, 1, 1, 1, 1, 2, 3]
    assert this_year.net_gain == 0 and last_full.net_gain == 2
    assert this_year.conversion_rate == 50.0 and this_year.visit_rate == 50.0
    assert last_full.application_approval_rate == 100.0


def test_recruitment_is_one_query(known_set, worker, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures(worker)


def test_no_enquiries_gives_no_rate_not_a_division_by_zero(la, worker):
    last_full, _, this_year = figures(worker)
    assert this_year.enquiries == 0 and this_year.conversion_rate is None and last_full.visit_rate is None


def test_only_fostering_staff_and_managers_see_households(known_set, la, team, worker):
    assert selectors.households_for(user=worker).count() == 5
    manager = make_user(la, Role.TEAM_MANAGER, team)
    assert selectors.households_for(user=manager).count() == 5
    for role in (Role.SOCIAL_WORKER, Role.PERFORMANCE_ANALYST, Role.PARTNER_REFERRER, Role.BUSINESS_SUPPORT):
        assert selectors.households_for(user=make_user(la, role)).count() == 0
        assert selectors.adopters_for(user=make_user(la, role)).count() == 0


def test_the_board_counts_households_by_stage_with_days_in_stage(known_set, worker):
    board = {c.stage: c for c in selectors.pipeline_board(user=worker, today=TODAY)}
    assert board["enquiry"].count == 1
    assert board["enquiry"].households[0].days_in_stage == (TODAY - date(2025, 7, 1)).days
    assert sum(c.count for c in board.values()) == 1


def test_review_due_is_a_year_after_the_last_review_or_approval():
    assert selectors.review_due(approved_on=date(2024, 2, 29), last_review_on=None) == date(2025, 2, 28)
    assert selectors.review_due(approved_on=date(2024, 1, 1), last_review_on=date(2024, 11, 5)) == date(2025, 11, 5)
    assert selectors.review_due(approved_on=None, last_review_on=None) is None


def test_the_decision_is_due_seven_working_days_after_the_panel(la, worker):
    from .factories import to_panel

    household = to_panel(enquiry(la, worker, date(2025, 1, 6)), worker, date(2025, 1, 6))
    assert household.panel_on == date(2025, 2, 17)
    page = selectors.household_page(household=household, today=date(2025, 2, 27))
    assert page["decision_due_on"] == date(2025, 2, 26) and page["decision_late"]
    on_time = selectors.household_page(household=household, today=date(2025, 2, 26))
    assert not on_time["decision_late"]


def test_the_timeline_is_newest_first(known_set):
    a, _, _ = known_set
    page = selectors.household_page(household=a, today=TODAY)
    titles = [e.title for e in page["timeline"]]
    assert titles[0] == "Deregistered" and titles[-1] == "Enquiry"
    assert [e.on for e in page["timeline"]] == sorted((e.on for e in page["timeline"]), reverse=True)
