"""Periods of care, legal statuses and placements through the services: what they write and what they refuse."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearth.audit.actor import acting_as
from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.care import services
from hearth.care.episodes import episodes_for_period, episodes_for_year
from hearth.care.models import CareLegalStatus, DeprivationOfLibertyOrder, PeriodOfCare, Placement
from hearth.chronology.models import ChronologyEvent
from hearth.cin.models import CINEpisode
from hearth.cin.services import cin_episode_open
from hearth.clocks.models import Clock
from tests.factories import make_person

from .factories import FOSTER, HOME, make_household, start_care

START = date(2024, 5, 1)


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict if hasattr(excinfo.value, "error_dict") else {"__all__": excinfo.value.messages}


# ---------------------------------------------------------------------------------------------- starting


def test_starting_care_writes_the_period_its_first_status_and_placement_and_opens_a_referral(child, hooks):
    period = start_care(child, on=START, legal_status="C1")
    assert period.home_postcode == "NG1 1AA"
    assert period.legal_statuses.get().legal_status == "C1"
    placement = period.placements.get()
    assert (placement.placement_type, placement.started_on, placement.ended_on) == ("U6", START, None)
    episode = CINEpisode.objects.get(child=child)
    assert (episode.referral_date, episode.referral_source) == (START, "6")
    assert ChronologyEvent.objects.filter(person=child, title="Started to be looked after").exists()
    assert ChangeRecord.objects.filter(model_label="care.PeriodOfCare", object_id=str(period.pk)).exists()
    assert hooks == [("started", period.pk), ("placement", placement.pk)]
    [episode_903] = episodes_for_period(period)
    assert (episode_903.rne, episode_903.ls, episode_903.place) == ("S", "C1", "U6")


def test_a_home_postcode_given_at_the_start_is_used_and_a_bad_one_refused(child):
    with pytest.raises(ValidationError) as refused:
        start_care(child, home_postcode="nowhere")
    assert "home_postcode" in errors_of(refused)
    assert start_care(child, home_postcode="s1 2hh").home_postcode == "S1 2HH"


def test_a_child_with_an_open_referral_keeps_it_and_needs_no_referral_source(child):
    cin_episode_open(child=child, referral_date=date(2024, 1, 1), referral_source="2A", by="test")
    start_care(child, referral_source=None)
    assert CINEpisode.objects.filter(child=child).count() == 1


def test_no_referral_source_without_an_open_referral_is_refused_beside_the_field(child):
    with pytest.raises(ValidationError) as refused:
        start_care(child, referral_source=None)
    assert "referral_source" in errors_of(refused)
    assert not PeriodOfCare.objects.exists() and not CINEpisode.objects.exists()


def test_a_second_open_period_is_refused(child):
    start_care(child)
    with pytest.raises(ValidationError, match="already looked after"):
        start_care(child, on=START + timedelta(days=3))
    assert PeriodOfCare.objects.count() == 1


def test_the_database_refuses_two_open_periods_placements_or_statuses_whatever_the_caller(child):
    period = start_care(child)
    with acting_as("test"):
        for make in (
            lambda: PeriodOfCare(local_authority=child.local_authority, child=child, started_on=START,
                                 category_of_need="N1").save(),
            lambda: Placement(local_authority=child.local_authority, child=child, period=period,
                              placement_type="U4", started_on=START).save(),
            lambda: CareLegalStatus(local_authority=child.local_authority, child=child, period=period,
                                    legal_status="C2", started_on=START).save(),
        ):
            with pytest.raises(IntegrityError), transaction.atomic():
                make()


@pytest.mark.parametrize(("on", "field", "words"), [
    (timezone.localdate() + timedelta(days=1), "started_on", "today or in the past"),
    (date(2014, 2, 9), "started_on", "born"),
])
def test_dates_in_the_future_or_before_birth_are_refused(child, on, field, words):
    with pytest.raises(ValidationError) as refused:
        start_care(child, on=on)
    assert words in " ".join(errors_of(refused)[field])


def test_an_eighteen_year_old_cannot_start_to_be_looked_after(la):
    adult = make_person(la, date_of_birth=date(2005, 1, 1))
    with pytest.raises(ValidationError) as refused:
        start_care(adult, on=date(2024, 5, 1))
    assert "18" in errors_of(refused)["started_on"][0]


def test_a_new_period_starts_after_the_last_one_ended(child):
    period = start_care(child)
    services.period_of_care_end(period=period, ended_on=START + timedelta(days=30), reason_ceased="E4A", by="test")
    with pytest.raises(ValidationError) as refused:
        start_care(child, on=START + timedelta(days=30))
    assert "started_on" in errors_of(refused)
    start_care(child, on=START + timedelta(days=31), referral_source=None)


def test_bad_placement_details_are_refused_field_by_field(child):
    with pytest.raises(ValidationError) as refused:
        start_care(child, placement_type="H5", provider="PR1")
    assert "retired" in errors_of(refused)["placement_type"][0]
    with pytest.raises(ValidationError) as refused:
        start_care(child, placement_type="U6", provider="", urn="SC1", postcode="NOT A POSTCODE")
    assert set(errors_of(refused)) >= {"provider", "urn", "postcode"}
    with pytest.raises(ValidationError) as refused:
        start_care(child, placement_type="T1", provider="", urn="")
    assert "temporary" in errors_of(refused)["placement_type"][0]


def test_a_foster_household_fills_the_carer_and_postcode(child, la):
    household = make_household(la, "Birch household", postcode="NG9 9ZZ")
    period = start_care(child, carer_name="", postcode="", foster_household=household)
    placement = period.placements.get()
    assert (placement.carer_name, placement.postcode, placement.foster_household) == (
        "Birch household", "NG9 9ZZ", household)


def test_a_deregistered_household_or_another_councils_is_refused(child, la, other_la):
    for household in (make_household(la, stage="deregistered"), make_household(other_la)):
        with pytest.raises(ValidationError) as refused:
            start_care(child, foster_household=household)
        assert "foster_household" in errors_of(refused)


# ---------------------------------------------------------------------------------------------- changes


def test_a_placement_change_ends_the_current_placement_the_same_day_and_is_a_new_episode(child, hooks):
    period = start_care(child)
    moved = START + timedelta(days=40)
    new = services.placement_change(period=period, started_on=moved, reason_for_change="CARPL", by="test", **HOME)
    old = Placement.objects.get(period=period, started_on=START)
    assert (old.ended_on, old.reason_for_change) == (moved, "CARPL")
    assert new.ended_on is None
    assert ("placement", new.pk) in hooks
    episodes = episodes_for_period(period)
    assert [e.rne for e in episodes] == ["S", "P"]
    assert (episodes[0].dec, episodes[0].rec, episodes[0].reason_place_change) == (moved, "X1", "CARPL")


def test_a_move_with_the_same_carer_is_t(child):
    period = start_care(child)
    services.placement_change(period=period, started_on=START + timedelta(days=10), reason_for_change="PLACE",
                              same_carer_as_previous=True, by="test", **{**FOSTER, "placement_type": "U4"})
    assert [e.rne for e in episodes_for_period(period)] == ["S", "T"]


@pytest.mark.parametrize("days", [0, -5])
def test_a_placement_ending_on_or_before_it_started_is_refused(child, days):
    period = start_care(child)
    with pytest.raises(ValidationError) as refused:
        services.placement_change(period=period, started_on=START + timedelta(days=days), reason_for_change="CARPL",
                                  by="test", **HOME)
    assert "started_on" in errors_of(refused)
    assert Placement.objects.filter(period=period).count() == 1


def test_a_move_dated_before_the_current_placement_began_is_refused(child):
    period = start_care(child)
    services.placement_change(period=period, started_on=START + timedelta(days=20), reason_for_change="CARPL",
                              by="test", **HOME)
    with pytest.raises(ValidationError) as refused:
        services.placement_change(period=period, started_on=START + timedelta(days=10), reason_for_change="CARPL",
                                  by="test", **FOSTER)
    assert "current placement began" in errors_of(refused)["started_on"][0]


def test_the_reason_for_a_move_is_needed_except_to_or_from_a_temporary_placement(child):
    period = start_care(child)
    with pytest.raises(ValidationError) as refused:
        services.placement_change(period=period, started_on=START + timedelta(days=5), by="test", **HOME)
    assert "reason_for_change" in errors_of(refused)
    services.placement_change(period=period, started_on=START + timedelta(days=5), by="test",
                              placement_type="T1", provider="", urn="", postcode="")
    back = services.placement_change(period=period, started_on=START + timedelta(days=8), by="test",
                                     reason_for_change="OTHER", **FOSTER)
    temporary = Placement.objects.get(period=period, placement_type="T1")
    assert temporary.reason_for_change == ""  # never recorded for a temporary placement (rule 226)
    assert back.ended_on is None


def test_a_change_of_legal_status_is_l_and_the_same_status_again_is_refused(child):
    period = start_care(child, legal_status="C1")
    services.legal_status_change(period=period, legal_status="C2", started_on=START + timedelta(days=60), by="test")
    assert [e.rne for e in episodes_for_period(period)] == ["S", "L"]
    with pytest.raises(ValidationError) as refused:
        services.legal_status_change(period=period, legal_status="C2", started_on=START + timedelta(days=70),
                                     by="test")
    assert "already" in errors_of(refused)["legal_status"][0]
    with pytest.raises(ValidationError) as refused:
        services.legal_status_change(period=period, legal_status="E1", started_on=START + timedelta(days=60),
                                     by="test")
    assert "started_on" in errors_of(refused)


@pytest.mark.parametrize(("same", "rne"), [(True, "U"), (False, "B")])
def test_legal_status_and_placement_on_the_same_day_is_one_new_episode(child, same, rne):
    period = start_care(child, legal_status="C1")
    status, placement = services.legal_status_and_placement_change(
        period=period, started_on=START + timedelta(days=30), legal_status="C2", reason_for_change="CARPL",
        same_carer_as_previous=same, by="test", **{**FOSTER, "placement_type": "U4"})
    episodes = episodes_for_period(period)
    assert [e.rne for e in episodes] == ["S", rne]
    assert (episodes[1].legal_status_pk, episodes[1].placement_pk) == (status.pk, placement.pk)


def test_a_legal_status_that_cannot_go_with_the_placement_is_refused(child):
    period = start_care(child, legal_status="C2", placement_type="P1", provider="PR0", urn="", postcode="NG1 2BB")
    with pytest.raises(ValidationError) as refused:
        services.legal_status_change(period=period, legal_status="V2", started_on=START + timedelta(days=3), by="test")
    assert "section 20" in errors_of(refused)["legal_status"][0]


def test_correcting_a_placement_adds_no_episode_and_a_stale_correction_is_refused(child):
    period = start_care(child)
    placement = period.placements.get()
    loaded_version = placement.version
    services.placement_correct(placement=placement, expected_version=loaded_version, by="test",
                               **{**FOSTER, "carer_name": "Ash and Rowan household"})
    placement.refresh_from_db()
    assert placement.carer_name == "Ash and Rowan household"
    assert len(episodes_for_period(period)) == 1
    with pytest.raises(StaleVersionError):
        services.placement_correct(placement=placement, expected_version=loaded_version, by="test", **FOSTER)


def test_legal_limit_clocks_start_with_an_epo_and_stop_when_it_ends(child):
    period = start_care(child, legal_status="L2", on=START)
    clock = Clock.objects.get(child=child, rule_id="epo_max")
    assert clock.due_on == START + timedelta(days=8)
    services.legal_status_change(period=period, legal_status="C1", started_on=START + timedelta(days=6), by="test")
    clock.refresh_from_db()
    assert clock.status == Clock.Status.MET


# ---------------------------------------------------------------------------------------------- ending


def test_ending_care_closes_placement_status_and_dolo_calls_both_hooks_and_the_last_episode_carries_rec(child, hooks):
    period = start_care(child, **HOME)
    order = services.dolo_start(period=period, started_on=START + timedelta(days=10), by="test")
    ended = START + timedelta(days=100)
    services.period_of_care_end(period=period, ended_on=ended, reason_ceased="E4A", by="test",
                                expected_version=period.version)
    period.refresh_from_db()
    order.refresh_from_db()
    assert (period.ended_on, period.reason_ceased) == (ended, "E4A")
    assert Placement.objects.get(period=period).ended_on == ended
    assert CareLegalStatus.objects.get(period=period).ended_on == ended
    assert order.ended_on == ended
    assert ("ended", period.pk) in hooks and ("leaver", period.pk) in hooks
    [episode] = episodes_for_period(period)
    assert (episode.dec, episode.rec, episode.reason_place_change) == (ended, "E4A", "")


def test_x1_is_never_a_reason_for_leaving_care_and_the_end_is_after_the_last_change(child):
    period = start_care(child)
    with pytest.raises(ValidationError) as refused:
        services.period_of_care_end(period=period, ended_on=START + timedelta(days=5), reason_ceased="X1", by="test")
    assert "reason_ceased" in errors_of(refused)
    with pytest.raises(ValidationError) as refused:
        services.period_of_care_end(period=period, ended_on=START, reason_ceased="E4A", by="test")
    assert "ended_on" in errors_of(refused)


def test_a_stale_end_is_refused(child):
    period = start_care(child)
    stale = period.version
    services.period_details_update(period=period, home_postcode="ng2 3ng", previous_permanence="P4", by="test")
    assert PeriodOfCare.objects.get(pk=period.pk).home_postcode == "NG2 3NG"
    with pytest.raises(StaleVersionError):
        services.period_of_care_end(period=period, ended_on=START + timedelta(days=5), reason_ceased="E4A", by="test",
                                    expected_version=stale)
    assert PeriodOfCare.objects.get(pk=period.pk).ended_on is None


def test_died_in_care_records_the_date_of_death_and_must_agree_with_it(child, la):
    period = start_care(child)
    died = START + timedelta(days=9)
    services.period_of_care_end(period=period, ended_on=died, reason_ceased="E2", by="test")
    child.refresh_from_db()
    assert child.date_of_death == died

    other = make_person(la, date_of_birth=date(2015, 1, 1), date_of_death=date(2024, 6, 1))
    period = start_care(other)
    with pytest.raises(ValidationError) as refused:
        services.period_of_care_end(period=period, ended_on=date(2024, 6, 3), reason_ceased="E2", by="test")
    assert "date of death" in errors_of(refused)["ended_on"][0]


def _adoption_ready(child, la):
    """A child in foster care under a placement order, matched and placed for adoption with the foster carer."""
    household = make_household(la, "Elm household")
    period = start_care(child, legal_status="C2", foster_household=household, placement_type="U4")
    services.adoption_plan_save(period=period, decided_on=START + timedelta(days=30), by="test")
    services.legal_status_change(period=period, legal_status="E1", started_on=START + timedelta(days=60), by="test")
    plan = period.adoption_plans.get()
    services.adoption_plan_save(period=period, plan=plan, decided_on=plan.decided_on,
                                placement_order_on=START + timedelta(days=60), matched_on=START + timedelta(days=80),
                                by="test")
    services.placement_change(period=period, started_on=START + timedelta(days=90), reason_for_change="CARPL",
                              same_carer_as_previous=True, placement_type="A5", provider="PR1",
                              foster_household=household, urn="SC123456", by="test")
    plan.refresh_from_db()
    return period, plan


def test_a_placement_for_adoption_needs_the_decision_first_and_fills_the_placed_date(child, la):
    period = start_care(child, legal_status="E1", placement_type="U4")
    with pytest.raises(ValidationError) as refused:
        services.placement_change(period=period, started_on=START + timedelta(days=5), reason_for_change="CARPL",
                                  same_carer_as_previous=True, by="test", **{**FOSTER, "placement_type": "A5"})
    assert "decision" in errors_of(refused)["placement_type"][0]
    period2, plan = _adoption_ready(make_person(la, date_of_birth=date(2020, 1, 1)), la)
    assert plan.placed_on == START + timedelta(days=90)
    assert [e.rne for e in episodes_for_period(period2)] == ["S", "L", "T"]


def test_adopted_needs_the_order_date_and_adopters_and_ends_on_the_order(child, la):
    period, plan = _adoption_ready(child, la)
    order_on = START + timedelta(days=200)
    with pytest.raises(ValidationError) as refused:
        services.period_of_care_end(period=period, ended_on=order_on, reason_ceased="E11", by="test")
    assert "adoption order" in errors_of(refused)["reason_ceased"][0]
    with pytest.raises(ValidationError) as refused:
        services.adoption_plan_save(period=period, plan=plan, decided_on=plan.decided_on,
                                    placement_order_on=plan.placement_order_on, matched_on=plan.matched_on,
                                    placed_on=plan.placed_on, adoption_order_on=order_on, by="test")
    assert set(errors_of(refused)) >= {"number_of_adopters", "adopter_sex"}
    services.adoption_plan_save(period=period, plan=plan, decided_on=plan.decided_on,
                                placement_order_on=plan.placement_order_on, matched_on=plan.matched_on,
                                placed_on=plan.placed_on, adoption_order_on=order_on, number_of_adopters=2,
                                adopter_sex="MF", adopter_legal_status="L11", adopted_by_foster_carer=True, by="test")
    with pytest.raises(ValidationError) as refused:
        services.period_of_care_end(period=period, ended_on=order_on + timedelta(days=1), reason_ceased="E11",
                                    by="test")
    assert "date of the adoption order" in errors_of(refused)["reason_ceased"][0]
    services.period_of_care_end(period=period, ended_on=order_on, reason_ceased="E11", by="test")
    assert episodes_for_period(period)[-1].rec == "E11"


def test_adoption_steps_must_follow_in_order(child):
    period = start_care(child)
    decided = START + timedelta(days=30)
    cases = [
        ({"decided_on": START - timedelta(days=1)}, "decided_on"),
        ({"decided_on": decided, "matched_on": decided - timedelta(days=1)}, "matched_on"),
        ({"decided_on": decided, "matched_on": decided + timedelta(days=9), "placed_on": decided + timedelta(days=5)},
         "placed_on"),
        ({"decided_on": decided, "adoption_order_on": decided + timedelta(days=9)}, "placed_on"),
        ({"decided_on": decided, "reversed_on": decided + timedelta(days=9)}, "reversal_reason"),
        ({"decided_on": decided, "reversed_on": decided - timedelta(days=1), "reversal_reason": "RD1"}, "reversed_on"),
        ({"decided_on": decided, "placement_order_on": decided + timedelta(days=2),
          "reversed_on": decided + timedelta(days=9), "reversal_reason": "RD2"}, "reversal_reason"),
    ]
    for steps, field in cases:
        with pytest.raises(ValidationError) as refused:
            services.adoption_plan_save(period=period, by="test", **steps)
        assert field in errors_of(refused), steps
    plan = services.adoption_plan_save(period=period, decided_on=decided, by="test")
    with pytest.raises(ValidationError) as refused:
        services.adoption_plan_save(period=period, decided_on=decided + timedelta(days=1), by="test")
    assert "already an open decision" in errors_of(refused)["decided_on"][0]
    # Leaving care while the decision is open is refused until it is reversed.
    with pytest.raises(ValidationError) as refused:
        services.period_of_care_end(period=period, ended_on=START + timedelta(days=60), reason_ceased="E4A", by="test")
    assert "reversed" in errors_of(refused)["reason_ceased"][0]
    services.adoption_plan_save(period=period, plan=plan, decided_on=decided, reversed_on=decided + timedelta(days=5),
                                reversal_reason="RD1", by="test")
    services.period_of_care_end(period=period, ended_on=START + timedelta(days=60), reason_ceased="E4A", by="test")


def test_deprivation_of_liberty_orders_do_not_overlap_and_not_in_secure_or_supported_placements(child):
    period = start_care(child, **HOME)
    first = services.dolo_start(period=period, started_on=START + timedelta(days=5), by="test")
    with pytest.raises(ValidationError, match="already an open"):
        services.dolo_start(period=period, started_on=START + timedelta(days=6), by="test")
    with pytest.raises(ValidationError) as refused:
        services.dolo_end(order=first, ended_on=START + timedelta(days=4), by="test")
    assert "ended_on" in errors_of(refused)
    services.dolo_end(order=first, ended_on=START + timedelta(days=20), by="test")
    with pytest.raises(ValidationError) as refused:
        services.dolo_start(period=period, started_on=START + timedelta(days=19), by="test")
    assert "overlap" in errors_of(refused)["started_on"][0]
    second = services.dolo_start(period=period, started_on=START + timedelta(days=25), by="test")
    with pytest.raises(ValidationError) as refused:
        services.placement_change(period=period, started_on=START + timedelta(days=30), reason_for_change="CARPL",
                                  by="test", placement_type="K1", provider="PR1", urn="SC222222")
    assert "deprivation of liberty" in errors_of(refused)["placement_type"][0]
    assert DeprivationOfLibertyOrder.objects.get(pk=second.pk).ended_on is None


def test_episodes_for_the_year_are_those_open_in_it(child, la):
    period = start_care(child, on=date(2024, 1, 10))
    services.placement_change(period=period, started_on=date(2024, 3, 1), reason_for_change="CARPL", by="test",
                              **HOME)
    services.legal_status_change(period=period, legal_status="C2", started_on=date(2024, 4, 1), by="test")
    services.period_of_care_end(period=period, ended_on=date(2025, 4, 2), reason_ceased="E4A", by="test")
    episodes = episodes_for_year(la, 2024)
    # The first episode ceased on 1 March 2024, before the year; the one ceasing on 1 April 2024 is in it.
    assert [(e.rne, e.decom) for e in episodes] == [("P", date(2024, 3, 1)), ("L", date(2024, 4, 1))]
    assert {e.child_pk for e in episodes} == {child.pk}
    assert episodes_for_year(la, 2026) == []


def test_two_records_in_care_at_the_same_time_cannot_be_merged(child, la):
    from hearth.matching.checks import merge_refusal

    twin = make_person(la, first_name="Riley", last_name="Carter", date_of_birth=date(2014, 2, 10))
    start_care(child, on=START)
    assert merge_refusal(survivor=child, merged=twin, by="test") is None
    period = start_care(twin, on=START + timedelta(days=10))
    refusal = merge_refusal(survivor=child, merged=twin, by="test")
    assert refusal is not None and "period of care at the same time" in refusal
    services.period_of_care_end(period=period, ended_on=START + timedelta(days=20), reason_ceased="E4A", by="test")
    assert merge_refusal(survivor=twin, merged=child, by="test") is not None


def test_a_foster_household_never_takes_more_children_than_it_is_approved_for(la):
    from tests.care.factories import make_household, start_care

    household = make_household(la, "Rowan household", places=1)
    start_care(make_person(la, date_of_birth=date(2015, 3, 1)), foster_household=household, placement_type="U6")

    with pytest.raises(ValidationError) as refused:
        start_care(make_person(la, date_of_birth=date(2016, 3, 1)), foster_household=household,
                   placement_type="U6")

    assert "approved for 1 child and 1 is placed there" in refused.value.message_dict["foster_household"][0]
