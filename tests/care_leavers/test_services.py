"""Services for care leavers: each write, what it refuses, and what it starts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.care.models import Placement
from hearth.care_leavers import services
from hearth.care_leavers.models import CareLeaverAccommodation, StatusDecision, StayingPut
from hearth.care_leavers.selectors import open_clock, status_for
from hearth.care_leavers.status import Status
from hearth.chronology.models import ChronologyEvent
from hearth.clocks.models import Clock
from hearth.fostering.models import FosterHousehold
from hearth.workspace.models import Notification
from tests.factories import make_user

from .factories import ago, care_leaver, in_care, today, turns, young_person

pytestmark = pytest.mark.django_db


def _clocks(child, rule_id):
    return list(Clock.objects.filter(child=child, rule_id=rule_id).order_by("id"))


# ----------------------------------------------------------------------------------------------- personal advisers


def test_allocating_a_personal_adviser_uses_an_allocation_and_hands_them_the_clocks(la, adviser, lc_manager):
    child = care_leaver(la, age_years=19)
    services.care_leaver_sync(child=child, by="test")
    allocation = services.personal_adviser_allocate(child=child, adviser=adviser, started_on=ago(days=3),
                                                    by=lc_manager)
    assert allocation.kind == Allocation.Kind.PERSONAL_ADVISER and allocation.team == adviser.team
    needs = open_clock(child=child, rule_id="pathway_needs_assessment")
    assert needs is not None and needs.assigned_to == adviser
    assert Notification.objects.filter(recipient=adviser).exists()


def test_only_a_personal_adviser_can_be_allocated_as_one(la, social_worker, lc_manager):
    child = care_leaver(la)
    with pytest.raises(ValidationError) as refused:
        services.personal_adviser_allocate(child=child, adviser=social_worker, started_on=today(), by=lc_manager)
    assert "adviser" in refused.value.message_dict
    assert not Allocation.objects.filter(child=child).exists()


def test_a_personal_adviser_is_not_allocated_to_someone_who_is_not_a_care_leaver(la, adviser, lc_manager):
    never = young_person(la, age_years=19)
    with pytest.raises(ValidationError, match="not a care leaver"):
        services.personal_adviser_allocate(child=never, adviser=adviser, started_on=today(), by=lc_manager)


def test_reallocating_ends_the_previous_adviser(la, lc_team, adviser, lc_manager):
    from .factories import make_adviser

    child = care_leaver(la)
    services.personal_adviser_allocate(child=child, adviser=adviser, started_on=ago(days=30), by=lc_manager)
    other = make_adviser(la, lc_team)
    services.personal_adviser_allocate(child=child, adviser=other, started_on=ago(days=2), by=lc_manager)
    rows = Allocation.objects.filter(child=child, kind=Allocation.Kind.PERSONAL_ADVISER).order_by("started_on")
    assert [(a.worker, a.ended_on) for a in rows] == [(adviser, ago(days=2)), (other, None)]
    with pytest.raises(ValidationError, match="already"):
        services.personal_adviser_allocate(child=child, adviser=other, started_on=today(), by=lc_manager)


# ----------------------------------------------------------------------------------------------- the hook


def _leave(period, on, reason="E8"):
    period.ended_on = on
    period.reason_ceased = reason
    period.save(by="test")
    services.period_of_care_ended(period=period, by="test")


def test_an_eligible_young_person_leaving_care_becomes_relevant_and_keeping_in_touch_starts(la, lc_manager):
    child = young_person(la, age_years=17)
    period = in_care(child, ago(years=2))
    left = ago(days=5)
    _leave(period, left)
    assert status_for(child=child).status == Status.RELEVANT
    contact = open_clock(child=child, rule_id="care_leaver_contact")
    assert contact is not None and contact.started_on == left and contact.due_on == left + timedelta(weeks=8)
    needs = open_clock(child=child, rule_id="pathway_needs_assessment")
    assert needs is not None and needs.started_on == turns(child, 16)
    # No personal adviser: the leaving-care managers are reminded, without the young person's name.
    reminder = Notification.objects.get(recipient=lc_manager)
    assert child.first_name not in reminder.title and child.last_name not in reminder.title + reminder.body
    assert ChronologyEvent.objects.filter(person=child, title__startswith="Left care: now a relevant").exists()


def test_no_reminder_when_a_personal_adviser_is_already_allocated(la, adviser, lc_manager):
    child = young_person(la, age_years=17)
    period = in_care(child, ago(years=2))
    services.personal_adviser_allocate(child=child, adviser=adviser, started_on=ago(days=60), by=lc_manager)
    _leave(period, ago(days=5))
    assert not Notification.objects.filter(recipient=lc_manager).exists()
    assert open_clock(child=child, rule_id="care_leaver_contact").assigned_to == adviser


def test_leaving_without_13_weeks_is_a_qualifying_care_leaver_with_no_clocks(la):
    child = young_person(la, age_years=17)
    period = in_care(child, ago(days=60))
    _leave(period, ago(days=5))
    assert status_for(child=child).status == Status.QUALIFYING
    assert not Clock.objects.filter(child=child).exists()


def test_died_in_care_cancels_every_leaving_care_clock(la):
    child = young_person(la, age_years=17)
    period = in_care(child, ago(years=2))
    services.care_leaver_sync(child=child, by="test")
    assert open_clock(child=child, rule_id="pathway_needs_assessment") is not None
    _leave(period, ago(days=1), reason="E2")
    assert not Clock.objects.filter(child=child, status=Clock.Status.OPEN).exists()


def test_staying_with_foster_carers_at_18_starts_staying_put(la):
    child = young_person(la, age_years=18, age_months=1)
    period = in_care(child, ago(years=3))
    household = FosterHousehold(local_authority=la, name="Patel household", reference="FH1", enquiry_on=ago(years=6))
    household.save(by="test")
    Placement(local_authority=la, child=child, period=period, placement_type="U3", foster_household=household,
              started_on=ago(years=3)).save(by="test")
    b18 = turns(child, 18)
    _leave(period, b18, reason="E17")
    arrangement = StayingPut.objects.get(child=child)
    assert arrangement.started_on == b18 and arrangement.foster_household == household
    assert arrangement.carer_name == "Patel household"
    assert CareLeaverAccommodation.objects.get(child=child).accommodation == "Z"


# ----------------------------------------------------------------------------------------------- impossible data


def test_a_contact_in_the_future_before_leaving_care_or_before_16_is_refused(la):
    child = care_leaver(la, age_years=19, left_months_ago=6)
    left = ago(months=6)
    cases = {
        today() + timedelta(days=1): "today or in the past",
        left - timedelta(days=1): "left care",
        turns(child, 16) - timedelta(days=1): "16th birthday",
    }
    for on, message in cases.items():
        with pytest.raises(ValidationError, match=message):
            services.contact_record(child=child, contacted_on=on, method="phone", in_touch="YES", by="test")


def test_no_contact_for_someone_still_in_care(la):
    child = young_person(la, age_years=17)
    in_care(child, ago(years=2))
    with pytest.raises(ValidationError, match="has not left care"):
        services.contact_record(child=child, contacted_on=today(), method="phone", in_touch="YES", by="test")


def test_no_contact_after_one_recording_a_death(la):
    child = care_leaver(la)
    services.contact_record(child=child, contacted_on=ago(days=10), method="third_party", in_touch="DIED", by="test")
    with pytest.raises(ValidationError, match="348"):
        services.contact_record(child=child, contacted_on=ago(days=1), method="phone", in_touch="YES", by="test")


def test_former_foster_carers_accommodation_and_staying_put_are_refused_under_18(la):
    child = young_person(la, age_years=17, age_months=6)
    in_care(child, ago(years=2), ago(months=3))
    with pytest.raises(ValidationError) as refused:
        services.accommodation_record(child=child, started_on=ago(days=10), accommodation="Z", suitable=True, by="t")
    assert "3001" in refused.value.message_dict["accommodation"][0]
    with pytest.raises(ValidationError) as refused:
        services.staying_put_start(child=child, started_on=ago(days=10), carer_name="The Smiths", by="t")
    assert "starts at 18" in refused.value.message_dict["started_on"][0]
    assert not CareLeaverAccommodation.objects.exists() and not StayingPut.objects.exists()


def test_accommodation_is_a_history_one_entry_a_day(la):
    child = care_leaver(la)
    services.accommodation_record(child=child, started_on=ago(days=20), accommodation="U", suitable=True, by="t")
    with pytest.raises(ValidationError, match="already recorded"):
        services.accommodation_record(child=child, started_on=ago(days=20), accommodation="V", suitable=False, by="t")


@pytest.mark.parametrize("accommodation", ["S", "X"])
def test_homelessness_and_custody_are_never_suitable(la, accommodation):
    child = care_leaver(la)
    with pytest.raises(ValidationError) as refused:
        services.accommodation_record(child=child, started_on=ago(days=20), accommodation=accommodation,
                                      suitable=True, by="t")
    assert "never counted as suitable" in refused.value.message_dict["suitable"][0]
    entry = services.accommodation_record(child=child, started_on=ago(days=20), accommodation=accommodation,
                                          suitable=False, by="t")
    assert entry.oc3_code == f"{accommodation}2"


def test_activity_before_16_or_in_the_future_is_refused(la):
    child = care_leaver(la)
    with pytest.raises(ValidationError, match="16th birthday"):
        services.activity_record(child=child, started_on=turns(child, 15), activity="F2",
                                 by="t")
    with pytest.raises(ValidationError, match="today or in the past"):
        services.activity_record(child=child, started_on=today() + timedelta(days=3), activity="F2", by="t")


def test_a_review_before_the_plan_or_before_the_last_review_is_refused(la):
    child = care_leaver(la)
    plan = services.pathway_plan_start(child=child, started_on=ago(months=4), by="t")
    with pytest.raises(ValidationError, match="on or after the plan started"):
        services.pathway_plan_review_record(plan=plan, held_on=ago(months=5), by="t")
    services.pathway_plan_review_record(plan=plan, held_on=ago(months=1), by="t")
    with pytest.raises(ValidationError, match="last review"):
        services.pathway_plan_review_record(plan=plan, held_on=ago(months=2), by="t")


def test_one_pathway_plan_at_a_time_and_not_before_16(la):
    child = care_leaver(la)
    services.pathway_plan_start(child=child, started_on=ago(months=4), by="t")
    with pytest.raises(ValidationError, match="already has a pathway plan"):
        services.pathway_plan_start(child=child, started_on=ago(months=1), by="t")
    younger = young_person(la, age_years=15)
    in_care(younger, ago(years=2))
    with pytest.raises(ValidationError, match="16th birthday"):
        services.pathway_plan_start(child=younger, started_on=today(), by="t")


def test_staying_put_ends_after_it_starts_and_one_at_a_time(la):
    child = care_leaver(la, age_years=19, left_months_ago=11)
    arrangement = services.staying_put_start(child=child, started_on=ago(months=10), carer_name="The Smiths", by="t")
    with pytest.raises(ValidationError, match="already staying put"):
        services.staying_put_start(child=child, started_on=ago(months=2), carer_name="The Joneses", by="t")
    with pytest.raises(ValidationError, match="after it started"):
        services.staying_put_end(arrangement=arrangement, ended_on=ago(months=10), reason="Moved", by="t")
    services.staying_put_end(arrangement=arrangement, ended_on=ago(months=1), reason="Moved to university", by="t")
    assert StayingPut.objects.get().ended_on == ago(months=1)


# ----------------------------------------------------------------------------------------------- decisions


def test_declining_support_after_21_stops_the_clocks_and_asking_again_starts_them_again(la):
    child = care_leaver(la, age_years=22, left_months_ago=50)
    plan = services.pathway_plan_start(child=child, started_on=ago(months=3), by="t")
    assert open_clock(child=child, rule_id="pathway_plan_review") is not None
    decision = services.status_decision_record(child=child, kind=StatusDecision.Kind.DECLINED_SUPPORT,
                                               effective_on=ago(days=10), reason="Told me on the phone", by="t")
    assert not status_for(child=child).receiving_support
    assert not Clock.objects.filter(child=child, status=Clock.Status.OPEN).exists()
    services.status_decision_withdraw(decision=decision, ended_on=ago(days=1), by="t")
    assert status_for(child=child).receiving_support
    review = open_clock(child=child, rule_id="pathway_plan_review")
    assert review is not None and review.started_on == plan.started_on  # 6 months from the last review
    assert open_clock(child=child, rule_id="care_leaver_contact").started_on == ago(days=1)


def test_declining_support_before_21_is_refused(la):
    child = care_leaver(la, age_years=19)
    with pytest.raises(ValidationError, match="21st birthday"):
        services.status_decision_record(child=child, kind=StatusDecision.Kind.DECLINED_SUPPORT,
                                        effective_on=ago(days=1), reason="Said so", by="t")


def test_custody_on_the_16th_birthday_makes_a_relevant_child(la):
    child = young_person(la, age_years=17)
    b16 = turns(child, 16)
    in_care(child, b16 - relativedelta(years=1), b16 - timedelta(days=20), reason="E9")
    assert "custody" in status_for(child=child).question
    services.status_decision_record(child=child, kind=StatusDecision.Kind.DETAINED_ON_16TH_BIRTHDAY,
                                    reason="Youth offending team confirmed he was in a YOI", by="t")
    assert status_for(child=child).status == Status.RELEVANT
    assert StatusDecision.objects.get(child=child).effective_on == b16
    assert open_clock(child=child, rule_id="pathway_needs_assessment").started_on == b16


def test_custody_decision_refused_when_they_were_looked_after_on_the_16th_birthday(la):
    child = young_person(la, age_years=17)
    in_care(child, ago(years=2), ago(months=2))
    with pytest.raises(ValidationError, match="looked after on their 16th birthday"):
        services.status_decision_record(child=child, kind=StatusDecision.Kind.DETAINED_ON_16TH_BIRTHDAY,
                                        reason="x", by="t")


def test_a_social_worker_can_be_the_acting_user_but_never_the_adviser(la, social_worker):
    child = care_leaver(la)
    services.contact_record(child=child, contacted_on=today(), method="phone", in_touch="YES", by=social_worker)
    pa = make_user(la, Role.PERSONAL_ADVISER)
    with pytest.raises(ValidationError, match="not in a team"):
        services.personal_adviser_allocate(child=child, adviser=pa, started_on=today(), by=social_worker)


def test_dates_written_in_words_in_refusals(la):
    child = care_leaver(la)
    plan = services.pathway_plan_start(child=child, started_on=date.today() - timedelta(days=40), by="t")
    with pytest.raises(ValidationError) as refused:
        services.pathway_plan_review_record(plan=plan, held_on=plan.started_on - timedelta(days=1), by="t")
    assert f"{plan.started_on:%B %Y}" in refused.value.message_dict["held_on"][0]


def test_the_care_apps_period_of_care_end_calls_the_hook(la, lc_manager):
    from hearth.care import services as care_services
    from tests.care.factories import start_care

    child = young_person(la, age_years=17, age_months=6)
    period = start_care(child, on=ago(years=1), legal_status="C2")
    left = ago(days=2)
    care_services.period_of_care_end(period=period, ended_on=left, reason_ceased="E8", by=lc_manager)
    assert status_for(child=child).status == Status.RELEVANT
    assert open_clock(child=child, rule_id="care_leaver_contact").started_on == left
    assert Notification.objects.filter(recipient=lc_manager, title__contains="needs a personal adviser").exists()
