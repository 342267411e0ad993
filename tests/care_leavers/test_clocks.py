"""Every clock care leavers start: its boundary, restart from the actual date, the calendar, and cancellation."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.care_leavers import services
from hearth.care_leavers.models import StatusDecision
from hearth.care_leavers.selectors import open_clock
from hearth.clocks.models import Clock, LocalTimescale
from tests.factories import make_person

from .factories import in_care

pytestmark = pytest.mark.django_db

# 16 on 30 November 2021, 18 on 30 November 2023, 21 on 30 November 2026.
BORN = date(2005, 11, 30)


@pytest.fixture
def leaver(la):
    child = make_person(la, date_of_birth=BORN, first_name="Robin")
    in_care(child, date(2020, 1, 6), date(2023, 11, 30))
    return child


def _all(child, rule_id):
    return list(Clock.objects.filter(child=child, rule_id=rule_id).order_by("id"))


# ----------------------------------------------------------------------------------------------- needs assessment


def test_needs_assessment_is_due_3_months_after_the_16th_birthday_clamped_to_the_month_end(leaver):
    services.care_leaver_sync(child=leaver, by="t")
    clock = open_clock(child=leaver, rule_id="pathway_needs_assessment")
    assert (clock.started_on, clock.due_on) == (date(2021, 11, 30), date(2022, 2, 28))


def test_needs_assessment_runs_from_becoming_eligible_when_that_is_later(la):
    child = make_person(la, date_of_birth=BORN)
    in_care(child, date(2022, 3, 1), date(2023, 11, 30))
    services.care_leaver_sync(child=child, by="t")
    clock = open_clock(child=child, rule_id="pathway_needs_assessment")
    # 91 days in care from 1 March 2022: eligible on 30 May 2022.
    assert (clock.started_on, clock.due_on) == (date(2022, 5, 30), date(2022, 8, 30))


def test_needs_assessment_clock_is_started_once_and_stopped_by_the_assessment(leaver):
    services.care_leaver_sync(child=leaver, by="t")
    services.care_leaver_sync(child=leaver, by="t")
    assert len(_all(leaver, "pathway_needs_assessment")) == 1
    services.needs_assessment_record(child=leaver, completed_on=date(2022, 2, 28), by="t")
    clock = Clock.objects.get(child=leaver, rule_id="pathway_needs_assessment")
    assert clock.status == Clock.Status.MET and clock.stopped_on == date(2022, 2, 28)
    services.care_leaver_sync(child=leaver, by="t")
    assert len(_all(leaver, "pathway_needs_assessment")) == 1


def test_needs_assessment_a_day_late_is_missed_with_its_reason(leaver):
    services.care_leaver_sync(child=leaver, by="t")
    services.needs_assessment_record(child=leaver, completed_on=date(2022, 3, 1), late_reason="Young person away",
                                     by="t")
    clock = Clock.objects.get(child=leaver, rule_id="pathway_needs_assessment")
    assert clock.status == Clock.Status.MISSED and clock.missed_reason == "Young person away"


# ----------------------------------------------------------------------------------------------- pathway plan reviews


def test_the_plans_start_is_the_first_review_and_the_next_is_due_6_months_later(leaver):
    plan = services.pathway_plan_start(child=leaver, started_on=date(2025, 8, 31), by="t")
    clock = open_clock(child=leaver, rule_id="pathway_plan_review")
    assert (clock.started_on, clock.due_on) == (date(2025, 8, 31), date(2026, 2, 28))
    assert clock.subject == plan


def test_a_review_restarts_the_clock_from_its_actual_date(leaver):
    plan = services.pathway_plan_start(child=leaver, started_on=date(2025, 1, 10), by="t")
    services.pathway_plan_review_record(plan=plan, held_on=date(2025, 5, 2), by="t")
    first, second = _all(leaver, "pathway_plan_review")
    assert first.status == Clock.Status.MET and first.stopped_on == date(2025, 5, 2)
    assert (second.started_on, second.due_on) == (date(2025, 5, 2), date(2025, 11, 2))


def test_a_late_review_is_missed_and_the_next_runs_from_the_late_date(leaver):
    plan = services.pathway_plan_start(child=leaver, started_on=date(2025, 1, 10), by="t")
    services.pathway_plan_review_record(plan=plan, held_on=date(2025, 7, 11), by="t")
    first, second = _all(leaver, "pathway_plan_review")
    assert first.status == Clock.Status.MISSED
    assert second.due_on == date(2026, 1, 11)


def test_six_months_is_not_moved_off_a_bank_holiday(leaver):
    services.pathway_plan_start(child=leaver, started_on=date(2025, 6, 25), by="t")
    assert open_clock(child=leaver, rule_id="pathway_plan_review").due_on == date(2025, 12, 25)


def test_ending_the_plan_cancels_its_review_clock(leaver):
    plan = services.pathway_plan_start(child=leaver, started_on=date(2025, 1, 10), by="t")
    services.pathway_plan_end(plan=plan, ended_on=date(2025, 3, 1), end_reason="moved_away", by="t")
    assert Clock.objects.get(child=leaver, rule_id="pathway_plan_review").status == Clock.Status.CANCELLED


# ----------------------------------------------------------------------------------------------- keeping in touch


def test_contact_is_due_8_weeks_after_the_last_contact_in_touch(leaver):
    services.contact_record(child=leaver, contacted_on=date(2025, 3, 3), method="phone", in_touch="YES", by="t")
    clock = open_clock(child=leaver, rule_id="care_leaver_contact")
    assert (clock.started_on, clock.due_on) == (date(2025, 3, 3), date(2025, 4, 28))
    services.contact_record(child=leaver, contacted_on=date(2025, 4, 1), method="in_person", in_touch="YES", by="t")
    first, second = _all(leaver, "care_leaver_contact")
    assert first.status == Clock.Status.MET and (second.started_on, second.due_on) == (date(2025, 4, 1),
                                                                                        date(2025, 5, 27))


def test_an_attempt_that_did_not_reach_them_leaves_the_clock_running(leaver):
    services.contact_record(child=leaver, contacted_on=date(2025, 3, 3), method="phone", in_touch="YES", by="t")
    services.contact_record(child=leaver, contacted_on=date(2025, 4, 20), method="phone", in_touch="NO", by="t")
    clock = open_clock(child=leaver, rule_id="care_leaver_contact")
    assert clock.started_on == date(2025, 3, 3) and len(_all(leaver, "care_leaver_contact")) == 1


def test_no_longer_requiring_services_cancels_the_contact_clock(leaver):
    services.contact_record(child=leaver, contacted_on=date(2025, 3, 3), method="phone", in_touch="YES", by="t")
    services.contact_record(child=leaver, contacted_on=date(2025, 4, 1), method="phone", in_touch="NREQ", by="t")
    assert Clock.objects.get(child=leaver, rule_id="care_leaver_contact").status == Clock.Status.CANCELLED


def test_a_backdated_older_contact_does_not_move_the_clock_back(leaver):
    services.contact_record(child=leaver, contacted_on=date(2025, 4, 1), method="phone", in_touch="YES", by="t")
    services.contact_record(child=leaver, contacted_on=date(2025, 3, 3), method="phone", in_touch="YES", by="t")
    assert open_clock(child=leaver, rule_id="care_leaver_contact").started_on == date(2025, 4, 1)


def test_the_pathway_plan_sets_the_young_persons_own_interval(leaver):
    services.contact_record(child=leaver, contacted_on=date(2025, 3, 3), method="phone", in_touch="YES", by="t")
    plan = services.pathway_plan_start(child=leaver, started_on=date(2025, 3, 10), contact_interval_weeks=4, by="t")
    # The running clock is due again from its own start at the new interval.
    clock = open_clock(child=leaver, rule_id="care_leaver_contact")
    assert (clock.started_on, clock.due_on, clock.interval_offset) == (date(2025, 3, 3), date(2025, 3, 31), 4)
    services.pathway_plan_update(plan=plan, contact_interval_weeks=2, by="t")
    assert open_clock(child=leaver, rule_id="care_leaver_contact").due_on == date(2025, 3, 17)
    services.contact_record(child=leaver, contacted_on=date(2025, 3, 14), method="phone", in_touch="YES", by="t")
    assert open_clock(child=leaver, rule_id="care_leaver_contact").due_on == date(2025, 3, 28)


def test_a_council_that_counts_contact_in_working_days_skips_christmas(leaver, la):
    LocalTimescale.objects.create(local_authority=la, rule_id="care_leaver_contact", offset=10, unit="working_days")
    services.contact_record(child=leaver, contacted_on=date(2025, 12, 19), method="phone", in_touch="YES", by="t")
    # 22-24 and 29-31 December, 2 and 5-7 January: Christmas, Boxing Day and New Year's Day are not counted.
    assert open_clock(child=leaver, rule_id="care_leaver_contact").due_on == date(2026, 1, 7)


def test_declining_support_cancels_every_clock(la):
    child = make_person(la, date_of_birth=date(2004, 1, 10))
    in_care(child, date(2019, 1, 1), date(2022, 1, 10))
    services.contact_record(child=child, contacted_on=date(2025, 3, 3), method="phone", in_touch="YES", by="t")
    services.status_decision_record(child=child, kind=StatusDecision.Kind.DECLINED_SUPPORT,
                                    effective_on=date(2025, 3, 10), reason="Said so", by="t")
    assert not Clock.objects.filter(child=child, status=Clock.Status.OPEN).exists()
    assert Clock.objects.get(child=child, rule_id="care_leaver_contact").status == Clock.Status.CANCELLED
