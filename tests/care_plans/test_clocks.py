"""Every clock on the care plan pages: due dates with bank holidays, the boundary (met on the due
day, missed the day after), repeating from the actual date, backdating, cancelling when the child
leaves care, and a new placement restarting visits but not reviews."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from hearth.care_plans import services
from hearth.care_plans.schedule import PERIOD_RULES, PLACEMENT_RULES, next_visit_rule
from hearth.clocks.models import Clock, SchoolTerm, holiday_set
from hearth.clocks.registry import due

from .factories import bring_into_care, clock, clocks, leave_care, move, open_rules

MET, MISSED, OPEN, CANCELLED = Clock.Status.MET, Clock.Status.MISSED, Clock.Status.OPEN, Clock.Status.CANCELLED


@pytest.mark.parametrize(("rule_id", "start", "expected"), [
    # Fri 18 Dec 2026: skips Fri 25 Dec, Mon 28 Dec (Boxing Day's substitute) and Fri 1 Jan (timescales.md §2).
    ("cla_review_first", date(2026, 12, 18), date(2027, 1, 20)),
    ("initial_health_assessment", date(2026, 12, 18), date(2027, 1, 20)),
    ("care_plan", date(2026, 12, 18), date(2027, 1, 6)),
    ("pep_initial", date(2026, 12, 18), date(2027, 1, 6)),
    ("placement_plan", date(2026, 12, 18), date(2026, 12, 29)),
    # Mon 14 Apr 2025: skips Good Friday, Easter Monday and 5 May.
    ("cla_review_first", date(2025, 4, 14), date(2025, 5, 15)),
    ("placement_plan", date(2025, 4, 14), date(2025, 4, 23)),
    ("cla_review_second", date(2025, 8, 31), date(2025, 11, 30)),
    ("cla_review_second", date(2025, 11, 30), date(2026, 2, 28)),  # clamped to the month end
    ("cla_review_next", date(2025, 8, 31), date(2026, 2, 28)),
    ("cla_visit_first", date(2025, 12, 22), date(2025, 12, 29)),  # calendar days: holidays do not move it
    ("cla_visit_next_year1", date(2025, 11, 20), date(2026, 1, 1)),  # 42 days, due on a bank holiday
    ("cla_visit_after_year1_other", date(2025, 11, 20), date(2026, 1, 1)),
    ("cla_visit_long_term", date(2025, 11, 30), date(2026, 2, 28)),
    ("cla_visit_placed_with_parent_pre_assessment", date(2026, 3, 2), date(2026, 3, 9)),
    ("health_review_under5", date(2025, 8, 31), date(2026, 2, 28)),
    ("health_review_5plus", date(2024, 2, 29), date(2025, 2, 28)),
])
def test_due_dates_of_the_care_plan_rules(db, rule_id, start, expected):
    assert due(rule_id, start, holidays=holiday_set()) == expected


def test_a_child_placed_with_a_parent_is_visited_at_most_42_days_apart_after_the_first_review(db):
    assert due("cla_visit_placed_with_parent_pre_assessment", date(2026, 3, 23), holidays=holiday_set(),
               then=True) == date(2026, 5, 4)


# ---------------------------------------------------------------- starting


def test_coming_into_care_starts_review_health_pep_plan_visit_and_placement_plan(child):
    period = bring_into_care(child, date(2025, 4, 14))
    assert open_rules(child) == {
        "cla_review_first": date(2025, 5, 15),
        "initial_health_assessment": date(2025, 5, 15),
        "pep_initial": date(2025, 4, 30),
        "care_plan": date(2025, 4, 30),
        "cla_visit_first": date(2025, 4, 21),
        "placement_plan": date(2025, 4, 23),
    }
    placement = period.placements.get()
    assert clock(child, "cla_visit_first").subject == placement
    assert clock(child, "cla_review_first").subject == period


def test_no_pep_clock_for_a_child_below_school_age(toddler):
    bring_into_care(toddler, date(2025, 4, 14))
    assert "pep_initial" not in open_rules(toddler)


def test_backdated_period_computes_from_the_recorded_date_not_the_day_it_was_entered(child):
    # Entered today (late 2026) for a child who came into care in March 2025.
    bring_into_care(child, date(2025, 3, 3))
    rules = open_rules(child)
    assert rules["cla_review_first"] == date(2025, 3, 31)
    assert rules["care_plan"] == date(2025, 3, 17)
    assert rules["placement_plan"] == date(2025, 3, 10)


# ---------------------------------------------------------------- reviews


def test_first_review_on_the_due_day_is_met_and_the_second_is_due_three_months_after_it(child, iro):
    period = bring_into_care(child, date(2025, 4, 14))
    services.review_record(period=period, held_on=date(2025, 5, 15), chair=iro, participation="PN1", by=iro)
    first = clock(child, "cla_review_first")
    assert first.status == MET and first.stopped_on == date(2025, 5, 15)
    assert clock(child, "cla_review_second", status=OPEN).due_on == date(2025, 8, 15)


def test_first_review_the_day_after_is_missed(child, iro):
    period = bring_into_care(child, date(2025, 4, 14))
    services.review_record(period=period, held_on=date(2025, 5, 16), chair=iro, participation="PN1", by=iro)
    assert clock(child, "cla_review_first").status == MISSED
    assert clock(child, "cla_review_second", status=OPEN).due_on == date(2025, 8, 16)  # from the actual date


def test_the_worked_example_over_christmas_2026(child, iro):
    with time_machine.travel(date(2027, 2, 1), tick=False):
        period = bring_into_care(child, date(2026, 12, 18))
        assert clock(child, "cla_review_first").due_on == date(2027, 1, 20)
        services.review_record(period=period, held_on=date(2027, 1, 20), chair=iro, participation="PN1", by=iro)
    assert clock(child, "cla_review_first").status == MET


def test_the_worked_example_missed_on_thursday(child, iro):
    with time_machine.travel(date(2027, 2, 1), tick=False):
        period = bring_into_care(child, date(2026, 12, 18))
        services.review_record(period=period, held_on=date(2027, 1, 21), chair=iro, participation="PN1", by=iro)
    assert clock(child, "cla_review_first").status == MISSED


def test_reviews_repeat_from_the_actual_date_and_an_early_review_restarts_the_clock(child, iro):
    period = bring_into_care(child, date(2025, 1, 6))
    services.review_record(period=period, held_on=date(2025, 1, 20), chair=iro, participation="PN1", by=iro)
    second = clock(child, "cla_review_second", status=OPEN)
    assert second.due_on == date(2025, 4, 20)
    services.review_record(period=period, held_on=date(2025, 4, 20), chair=iro, participation="PN1", by=iro)
    assert clock(child, "cla_review_second").status == MET
    assert clock(child, "cla_review_next", status=OPEN).due_on == date(2025, 10, 20)
    # An early review, two months on, pulls the next one forward: 6 months from it.
    services.review_record(period=period, held_on=date(2025, 6, 18), chair=iro, participation="PN6", by=iro)
    reviews = [c for c in clocks(child) if c.rule_id == "cla_review_next"]
    assert [(c.status, c.due_on) for c in reviews] == [(MET, date(2025, 10, 20)), (OPEN, date(2025, 12, 18))]
    # Then one day late against that date: missed.
    services.review_record(period=period, held_on=date(2025, 12, 19), chair=iro, participation="PN1", by=iro)
    assert clock(child, "cla_review_next", status=MISSED).due_on == date(2025, 12, 18)


def test_a_review_recorded_late_before_a_later_one_moves_no_clock(child, iro):
    period = bring_into_care(child, date(2025, 1, 6))
    services.review_record(period=period, held_on=date(2025, 1, 30), chair=iro, participation="PN1", by=iro)
    services.review_record(period=period, held_on=date(2025, 4, 20), chair=iro, participation="PN1", by=iro)
    before = open_rules(child)
    services.review_record(period=period, held_on=date(2025, 3, 1), chair=iro, participation="PN1", by=iro)
    assert open_rules(child) == before == {**before, "cla_review_next": date(2025, 10, 20)}


def test_a_review_that_is_not_statutory_moves_no_clock(child, iro):
    period = bring_into_care(child, date(2025, 1, 6))
    services.review_record(period=period, held_on=date(2025, 1, 20), chair=iro, participation="PN1", by=iro,
                           statutory=False)
    assert clock(child, "cla_review_first").status == OPEN


# ---------------------------------------------------------------- visits


def test_first_visit_on_day_seven_is_met_and_the_next_is_due_42_days_later(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.visit_record(period=period, visited_on=date(2025, 4, 21), seen=True, seen_alone=True,
                          by=social_worker)
    assert clock(child, "cla_visit_first").status == MET
    assert clock(child, "cla_visit_next_year1", status=OPEN).due_on == date(2025, 6, 2)


def test_first_visit_on_day_eight_is_missed(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.visit_record(period=period, visited_on=date(2025, 4, 22), seen=True, seen_alone=False,
                          by=social_worker)
    assert clock(child, "cla_visit_first").status == MISSED


def test_a_visit_where_the_child_was_not_seen_leaves_the_clock_running(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.visit_record(period=period, visited_on=date(2025, 4, 18), seen=False, seen_alone=False,
                          by=social_worker)
    first = clock(child, "cla_visit_first")
    assert first.status == OPEN and first.due_on == date(2025, 4, 21)


def test_visits_repeat_from_the_actual_visit(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.visit_record(period=period, visited_on=date(2025, 4, 16), seen=True, seen_alone=True, by=social_worker)
    services.visit_record(period=period, visited_on=date(2025, 5, 1), seen=True, seen_alone=True, by=social_worker)
    year1 = [c for c in clocks(child) if c.rule_id == "cla_visit_next_year1"]
    assert [(c.status, c.due_on) for c in year1] == [(MET, date(2025, 5, 28)), (OPEN, date(2025, 6, 12))]


@pytest.mark.parametrize(("long_term", "visited_on", "rule_id", "due_on"), [
    (True, date(2025, 12, 31), "cla_visit_next_year1", date(2026, 2, 11)),  # the last day of the first year
    (True, date(2026, 1, 1), "cla_visit_long_term", date(2026, 4, 1)),  # the anniversary: 3 months
    (False, date(2026, 1, 1), "cla_visit_after_year1_other", date(2026, 2, 12)),  # not long-term: 42 days
])
def test_after_the_first_year_a_long_term_placement_is_visited_three_monthly(child, social_worker, long_term,
                                                                            visited_on, rule_id, due_on):
    period = bring_into_care(child, date(2025, 1, 1), placement_type="U4" if long_term else "U6",
                             is_long_term=long_term)
    services.visit_record(period=period, visited_on=visited_on, seen=True, seen_alone=True, by=social_worker)
    assert open_rules(child)[rule_id] == due_on
    assert clock(child, "cla_visit_first").status == MISSED  # nobody visited in the first week


def test_a_placement_change_restarts_visits_but_not_reviews(child, iro, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.review_record(period=period, held_on=date(2025, 5, 6), chair=iro, participation="PN1", by=iro)
    services.visit_record(period=period, visited_on=date(2025, 4, 18), seen=True, seen_alone=True, by=social_worker)
    review = clock(child, "cla_review_second", status=OPEN)
    placement = move(period, date(2025, 6, 2))
    visits = [c for c in clocks(child) if c.rule_id.startswith("cla_visit")]
    assert [(c.rule_id, c.status) for c in visits] == [
        ("cla_visit_first", MET), ("cla_visit_next_year1", CANCELLED), ("cla_visit_first", OPEN)]
    assert visits[-1].subject == placement and visits[-1].due_on == date(2025, 6, 9)
    assert clock(child, "placement_plan", status=OPEN).subject == placement
    review.refresh_from_db()
    assert review.status == OPEN and review.due_on == date(2025, 8, 6)
    assert [c.rule_id for c in clocks(child, status=OPEN)].count("cla_review_second") == 1
    # The first year runs from the new placement's start.
    assert next_visit_rule(placement_type="U6", placement_started_on=placement.started_on, is_long_term=False,
                           visited_on=date(2026, 5, 1), first_review_held=True) == ("cla_visit_next_year1", False)


def test_a_temporary_move_and_the_return_to_the_same_carer_keep_the_visits_going(child, social_worker):
    period = bring_into_care(child, date(2026, 3, 1))
    home = period.placements.get()
    services.visit_record(period=period, visited_on=date(2026, 3, 5), seen=True, seen_alone=True, by=social_worker)
    running = clock(child, "cla_visit_next_year1", status=OPEN)
    move(period, date(2026, 3, 20), placement_type="T2", carer_name="", postcode="")
    move(period, date(2026, 3, 27), placement_type="U6", carer_name="Pat Carer", postcode="NG1 1AA")
    running.refresh_from_db()
    assert running.status == OPEN and running.due_on == date(2026, 4, 16)
    assert [c.rule_id for c in clocks(child)].count("cla_visit_first") == 1
    services.visit_record(period=period, visited_on=date(2026, 4, 10), seen=True, seen_alone=True, by=social_worker)
    nxt = clock(child, "cla_visit_next_year1", status=OPEN)
    assert nxt.due_on == date(2026, 5, 22) and nxt.subject == home  # the year still runs from 1 March


def test_a_child_placed_with_a_parent_is_visited_weekly_until_the_first_review(child, iro, social_worker):
    period = bring_into_care(child, date(2026, 3, 2), placement_type="P1", legal_status="C2")
    rule = "cla_visit_placed_with_parent_pre_assessment"
    assert open_rules(child)[rule] == date(2026, 3, 9)
    services.visit_record(period=period, visited_on=date(2026, 3, 9), seen=True, seen_alone=False, by=social_worker)
    assert open_rules(child)[rule] == date(2026, 3, 16)
    services.review_record(period=period, held_on=date(2026, 3, 20), chair=iro, participation="PN4", by=iro)
    services.visit_record(period=period, visited_on=date(2026, 3, 16), seen=True, seen_alone=False, by=social_worker)
    assert open_rules(child)[rule] == date(2026, 3, 23)  # the review came after this visit: weekly still
    services.visit_record(period=period, visited_on=date(2026, 3, 23), seen=True, seen_alone=False, by=social_worker)
    after = clock(child, rule, status=OPEN)
    assert after.later_interval and after.due_on == date(2026, 5, 4)


def test_a_visit_recorded_late_before_the_current_cycle_moves_no_clock(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    move(period, date(2025, 6, 2))
    before = open_rules(child)
    services.visit_record(period=period, visited_on=date(2025, 5, 1), seen=True, seen_alone=True, by=social_worker)
    assert open_rules(child) == before


# ---------------------------------------------------------------- plans


def test_the_care_plan_on_its_tenth_working_day_is_met(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.care_plan_record(period=period, permanence_plan="return_home", summary="Return home with support",
                              agreed_on=date(2025, 4, 30), by=social_worker)
    assert clock(child, "care_plan").status == MET


def test_the_care_plan_a_day_late_is_missed_and_a_change_starts_no_clock(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    plan = services.care_plan_record(period=period, permanence_plan="return_home", summary="Return home",
                                     agreed_on=date(2025, 5, 1), by=social_worker)
    assert clock(child, "care_plan").status == MISSED
    services.care_plan_record(period=period, permanence_plan="long_term_fostering", summary="Stay with carers",
                              agreed_on=date(2025, 9, 1), replaces=plan, by=social_worker)
    assert [c.rule_id for c in clocks(child)].count("care_plan") == 1


def test_the_placement_plan_stops_its_clock(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    placement = period.placements.get()
    services.placement_plan_record(placement=placement, agreed_on=date(2025, 4, 24), summary="School run by carer",
                                   by=social_worker)
    assert clock(child, "placement_plan").status == MISSED  # 23 April was the fifth working day


# ---------------------------------------------------------------- health and education


def test_the_initial_health_assessment_stops_its_clock_and_starts_the_yearly_review(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.health_assessment_record(period=period, kind="initial", done_on=date(2025, 5, 15), by=social_worker)
    assert clock(child, "initial_health_assessment").status == MET
    assert open_rules(child)["health_review_5plus"] == date(2026, 5, 15)
    services.health_assessment_record(period=period, kind="review", done_on=date(2026, 3, 1), by=social_worker)
    assert clock(child, "health_review_5plus", status=MET).stopped_on == date(2026, 3, 1)
    assert open_rules(child)["health_review_5plus"] == date(2027, 3, 1)


def test_a_child_under_five_has_a_health_review_every_six_months(toddler, social_worker):
    period = bring_into_care(toddler, date(2025, 4, 14))
    services.health_assessment_record(period=period, kind="initial", done_on=date(2025, 5, 16), by=social_worker)
    assert clock(toddler, "initial_health_assessment").status == MISSED
    assert open_rules(toddler)["health_review_under5"] == date(2025, 11, 16)


def test_the_initial_pep_stops_its_clock_and_the_review_is_due_by_the_end_of_next_term(child, la, social_worker):
    for name, starts, ends in [("Summer 2025", date(2025, 4, 22), date(2025, 7, 22)),
                               ("Autumn 2025", date(2025, 9, 3), date(2025, 12, 19))]:
        SchoolTerm.objects.create(local_authority=la, name=name, starts_on=starts, ends_on=ends)
    period = bring_into_care(child, date(2025, 4, 14))
    services.pep_record(period=period, kind="initial", held_on=date(2025, 4, 30), school="Bluecoat Primary",
                        by=social_worker)
    assert clock(child, "pep_initial").status == MET
    assert open_rules(child)["pep_review"] == date(2025, 12, 19)


def test_without_term_dates_the_pep_review_has_no_clock(child, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.pep_record(period=period, kind="initial", held_on=date(2025, 5, 1), school="Bluecoat Primary",
                        by=social_worker)
    assert clock(child, "pep_initial").status == MISSED
    assert "pep_review" not in open_rules(child)


# ---------------------------------------------------------------- leaving care


def test_leaving_care_cancels_every_open_clock_of_the_period_and_its_placements(child, iro, social_worker):
    period = bring_into_care(child, date(2025, 4, 14))
    services.review_record(period=period, held_on=date(2025, 5, 6), chair=iro, participation="PN1", by=iro)
    services.visit_record(period=period, visited_on=date(2025, 4, 18), seen=True, seen_alone=True, by=social_worker)
    move(period, date(2025, 6, 2))
    assert open_rules(child)
    leave_care(period, date(2025, 7, 1))
    assert open_rules(child) == {}
    cancelled = {c.rule_id for c in clocks(child, status=CANCELLED)}
    assert {"cla_review_second", "initial_health_assessment", "pep_initial", "care_plan", "cla_visit_first",
            "placement_plan"} <= cancelled


def test_a_new_period_of_care_restarts_the_review_sequence(child, iro):
    first = bring_into_care(child, date(2025, 1, 6))
    services.review_record(period=first, held_on=date(2025, 1, 20), chair=iro, participation="PN1", by=iro)
    leave_care(first, date(2025, 3, 1))
    second = bring_into_care(child, date(2025, 6, 2))
    assert clock(child, "cla_review_first", status=OPEN).subject == second
    assert clock(child, "cla_review_first", status=OPEN).due_on == date(2025, 6, 30)


# ---------------------------------------------------------------- through the care app's own services


def test_the_care_apps_start_move_and_end_call_these_clocks(child, social_worker):
    care = pytest.importorskip("hearth.care.services")
    period = care.period_of_care_start(child=child, started_on=date(2025, 4, 14), legal_status="V2",
                                       category_of_need="N1", placement_type="U6", provider="PR1",
                                       carer_name="Pat Carer", postcode="NG1 1AA", referral_source="2A",
                                       by=social_worker)
    assert {"cla_review_first", "cla_visit_first", "care_plan", "placement_plan"} <= set(open_rules(child))
    care.placement_change(period=period, started_on=date(2025, 5, 1), placement_type="U6", provider="PR1",
                          carer_name="Sam Carer", postcode="NG2 2BB", reason_for_change="CARPL", by=social_worker)
    assert clock(child, "cla_visit_first", status=OPEN).due_on == date(2025, 5, 8)
    assert clock(child, "cla_review_first", status=OPEN).due_on == date(2025, 5, 15)
    care.period_of_care_end(period=period, ended_on=date(2025, 6, 1), reason_ceased="E4A", by=social_worker)
    # The referral opened with the period keeps its own assessment clock; none of ours is left open.
    assert not set(open_rules(child)) & {*PERIOD_RULES, *PLACEMENT_RULES}
