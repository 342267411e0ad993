"""Front-door services: sequencing, the decision clock, and what each decision opens."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hearth.audit.models import StaleVersionError
from hearth.chronology.models import ChronologyEvent
from hearth.cin.models import CINEpisode
from hearth.cin.services import cin_episode_open
from hearth.clocks.models import Clock
from hearth.clocks.working_days import LONDON
from hearth.front_door.models import Contact, EarlyHelpEpisode, MysteryShopperCheck
from hearth.front_door.selectors import decision_clock, mystery_shop_trend
from hearth.front_door.services import (
    contact_decide,
    contact_decision_due,
    contact_link_child,
    contact_screen,
    early_help_end,
    early_help_start,
    early_help_step_up,
    early_help_update,
    mystery_shop_record,
)
from hearth.oversight.models import DecisionPoint, ManagementOversight
from tests.factories import make_person, make_user
from tests.front_door.factories import gate_off, make_contact

pytestmark = pytest.mark.django_db


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# ---------------------------------------------------------------- the clock


def test_good_friday_contact_is_due_on_the_tuesday_after_easter():
    assert contact_decision_due(london(2025, 4, 18, 10, 0)) == date(2025, 4, 22)


def test_contact_late_on_friday_is_due_on_monday():
    assert contact_decision_due(london(2025, 5, 9, 23, 45)) == date(2025, 5, 12)
    # 23:30 UTC on that Friday is already Saturday in London (BST): still due Monday.
    assert contact_decision_due(datetime(2025, 5, 9, 23, 30, tzinfo=UTC)) == date(2025, 5, 12)


def test_received_contact_gets_reference_and_due_date(la):
    contact = make_contact(la, received_at=london(2025, 4, 18, 10, 0))
    assert contact.reference == "C-2025-000001"
    assert contact.decision_due_on == date(2025, 4, 22)
    assert make_contact(la, received_at=london(2025, 4, 18, 11, 0)).reference == "C-2025-000002"


def test_clock_reads_overdue_in_working_days(la):
    contact = make_contact(la, received_at=london(2025, 4, 17, 10, 0))  # Thursday before Easter: due Tue 22
    clock = decision_clock(contact, today=date(2025, 4, 24))
    assert clock.due_text == "Decision due by Tue 22 April"
    assert clock.is_overdue and clock.overdue_by == 2
    assert clock.state_text == "Overdue by 2 working days"
    assert decision_clock(contact, today=date(2025, 4, 22)).state_text == "Due today"
    assert decision_clock(contact, today=date(2025, 4, 17)).state_text == "1 working day left"


def test_future_contact_refused(la):
    with pytest.raises(ValidationError) as error:
        make_contact(la, received_at=timezone.now() + timedelta(hours=2))
    assert "future" in str(error.value)


# ---------------------------------------------------------------- child and screening


def test_linking_the_child_writes_chronology_and_starts_the_clock(la, social_worker):
    child = make_person(la)
    contact = make_contact(la, by=social_worker)
    contact_link_child(contact=contact, child=child, by=social_worker)
    assert ChronologyEvent.objects.filter(person=child, title__startswith=f"Contact {contact.reference}").exists()
    clock = Clock.objects.get(child=child, rule_id="referral_decision")
    assert clock.due_on == contact.decision_due_on and clock.is_open


def test_link_refuses_another_councils_child(la, other_la, social_worker):
    contact = make_contact(la)
    with pytest.raises(ValidationError):
        contact_link_child(contact=contact, child=make_person(other_la), by=social_worker)


def test_screening_sets_priority_and_status(la, social_worker):
    contact = make_contact(la)
    contact_screen(contact=contact, priority="red", notes="Police checks: known DA", by=social_worker)
    contact.refresh_from_db()
    assert contact.status == Contact.Status.SCREENING and contact.priority == "red"
    assert contact.screened_by == social_worker and contact.screening_started_at is not None
    with pytest.raises(ValidationError) as error:
        contact_screen(contact=contact, priority="purple", notes="", by=social_worker)
    assert "priority" in error.value.message_dict


# ---------------------------------------------------------------- the decision


def test_decision_needs_the_child_and_a_rationale(la, team_manager):
    contact = make_contact(la)
    with pytest.raises(ValidationError) as error:
        contact_decide(contact=contact, decision="nfa", rationale="No concerns", by=team_manager)
    assert "Find or add the child" in str(error.value)
    contact_link_child(contact=contact, child=make_person(la), by=team_manager)
    with pytest.raises(ValidationError) as error:
        contact_decide(contact=contact, decision="nfa", rationale="  ", by=team_manager)
    assert "rationale" in error.value.message_dict


def test_gate_on_only_a_manager_decides_and_oversight_is_recorded(la, social_worker, team_manager):
    child = make_person(la)
    contact = make_contact(la, child=child)
    with pytest.raises(PermissionDenied):
        contact_decide(contact=contact, decision="nfa", rationale="Universal services enough", by=social_worker)
    contact_decide(contact=contact, decision="nfa", rationale="Universal services enough", by=team_manager)
    entry = ManagementOversight.objects.get(decision_point=DecisionPoint.CONTACT_DECISION, subject_id=contact.pk)
    assert entry.rationale == "Universal services enough" and entry.child == child
    contact.refresh_from_db()
    assert contact.is_decided and contact.decided_by == team_manager
    clock = Clock.objects.get(child=child, rule_id="referral_decision")
    assert clock.status == Clock.Status.MET
    assert ChronologyEvent.objects.filter(person=child, title__contains="decided: No further action").exists()


def test_gate_off_any_case_worker_decides_without_oversight(la, social_worker, team_manager):
    gate_off(la)
    contact = make_contact(la, child=make_person(la))
    contact_decide(contact=contact, decision="advice", rationale="Advice given to school", by=social_worker)
    assert not ManagementOversight.objects.filter(subject_id=contact.pk).exists()


def test_early_help_decision_opens_an_episode(la, team_manager):
    child = make_person(la)
    contact = make_contact(la, child=child)
    contact_decide(contact=contact, decision="early_help", rationale="Family agrees to support", by=team_manager)
    episode = EarlyHelpEpisode.objects.get(child=child)
    assert episode.origin == "contact" and episode.contact == contact
    assert episode.started_on == timezone.localdate()


def test_referral_decision_opens_cin_episode_from_received_date(la, team, team_manager):
    child = make_person(la)
    contact = make_contact(la, child=child, received_at=london(2025, 4, 18, 10, 0), source="6")
    contact_decide(contact=contact, decision="referral", rationale="Significant concerns", by=team_manager,
                   team=team, primary_need="N1")
    episode = CINEpisode.objects.get(child=child)
    assert episode.referral_date == date(2025, 4, 18) and episode.referral_source == "6"
    assert episode.contact == contact and episode.team == team and episode.primary_need == "N1"
    # Decided long after the due date: allowed, and shown as late.
    assert decision_clock(contact).decided_late
    assert ChronologyEvent.objects.filter(person=child, title__contains="after the decision was due").exists()


def test_referral_refused_when_the_case_is_open_and_nothing_is_saved(la, team_manager):
    child = make_person(la)
    cin_episode_open(child=child, referral_date=date(2025, 1, 6), referral_source="2A", by=team_manager)
    contact = make_contact(la, child=child)
    with pytest.raises(ValidationError) as error:
        contact_decide(contact=contact, decision="referral", rationale="More bruising", by=team_manager)
    assert "already open to children's social care" in str(error.value)
    contact.refresh_from_db()
    assert not contact.is_decided
    assert not ManagementOversight.objects.filter(subject_id=contact.pk).exists()
    # Adding it to the open case instead.
    contact_decide(contact=contact, decision="", rationale="Shared with the allocated worker", by=team_manager,
                   add_to_open_case=True)
    contact.refresh_from_db()
    assert contact.decision == Contact.Decision.INFORMATION_AND_ADVICE
    assert ChronologyEvent.objects.filter(person=child, title__contains="added to the open case").exists()
    assert CINEpisode.objects.filter(child=child).count() == 1


def test_strategy_discussion_on_an_open_case_uses_it(la, team_manager):
    child = make_person(la)
    cin_episode_open(child=child, referral_date=date(2025, 1, 6), referral_source="2A", by=team_manager)
    contact = make_contact(la, child=child)
    contact_decide(contact=contact, decision="strategy_discussion", rationale="Disclosure", by=team_manager)
    assert CINEpisode.objects.filter(child=child).count() == 1


def test_strategy_discussion_opens_a_referral(la, team_manager):
    child = make_person(la)
    contact = make_contact(la, child=child)
    contact_decide(contact=contact, decision="strategy_discussion", rationale="Disclosure", by=team_manager)
    assert CINEpisode.objects.get(child=child).contact == contact


def test_a_decision_is_recorded_once(la, team_manager):
    contact = make_contact(la, child=make_person(la))
    stale = Contact.objects.get(pk=contact.pk)
    contact_decide(contact=contact, decision="nfa", rationale="No concerns", by=team_manager)
    with pytest.raises(ValidationError):
        contact_decide(contact=contact, decision="advice", rationale="Again", by=team_manager)
    with pytest.raises(ValidationError) as error:
        contact_decide(contact=stale, decision="advice", rationale="Concurrent", by=team_manager)
    assert "Someone else recorded the decision" in str(error.value)
    with pytest.raises(ValidationError):
        contact_screen(contact=contact, priority="red", notes="", by=team_manager)


def test_stale_copy_refused(la, social_worker, team_manager):
    contact = make_contact(la, child=make_person(la))
    stale = Contact.objects.get(pk=contact.pk)
    contact_screen(contact=contact, priority="amber", notes="", by=social_worker)
    with pytest.raises(StaleVersionError):
        contact_decide(contact=stale, decision="nfa", rationale="No concerns", by=team_manager)


# ---------------------------------------------------------------- early help


def test_early_help_dates_refused(la, social_worker):
    child = make_person(la)
    with pytest.raises(ValidationError) as error:
        early_help_start(child=child, started_on=timezone.localdate() + timedelta(days=1), origin="direct",
                         by=social_worker)
    assert "future" in str(error.value)
    episode = early_help_start(child=child, started_on=date(2025, 3, 3), origin="direct", by=social_worker,
                               lead_professional="Priya Shah, Bulwell Academy")
    with pytest.raises(ValidationError) as error:
        early_help_end(episode=episode, ended_on=date(2025, 3, 1), outcome="needs_met", by=social_worker)
    assert "before early help started" in str(error.value)
    with pytest.raises(ValidationError):
        early_help_update(episode=episode, by=social_worker, lead_team=None, lead_professional="P",
                          assessment_organisation="School", assessment_started_on=date(2025, 3, 10),
                          assessment_completed_on=date(2025, 3, 5))
    with pytest.raises(ValidationError):
        early_help_start(child=child, started_on=date(2025, 3, 4), origin="direct", by=social_worker)
    early_help_end(episode=episode, ended_on=date(2025, 6, 1), outcome="needs_met", by=social_worker)
    assert episode.ended_on == date(2025, 6, 1)


def test_step_up_ends_early_help_and_opens_a_5d_referral(la, team, social_worker):
    child = make_person(la)
    episode = early_help_start(child=child, started_on=date(2025, 3, 3), origin="direct", by=social_worker)
    cin = early_help_step_up(episode=episode, on=date(2025, 5, 1), by=social_worker, team=team)
    episode.refresh_from_db()
    assert episode.outcome == "stepped_up" and episode.ended_on == date(2025, 5, 1)
    assert episode.stepped_up_to == cin and cin.referral_source == "5D" and cin.referral_date == date(2025, 5, 1)
    with pytest.raises(ValidationError):
        early_help_step_up(episode=episode, on=date(2025, 5, 2), by=social_worker)


def test_step_up_refused_when_already_open_and_early_help_stays_open(la, social_worker):
    child = make_person(la)
    episode = early_help_start(child=child, started_on=date(2025, 3, 3), origin="direct", by=social_worker)
    cin_episode_open(child=child, referral_date=date(2025, 4, 1), referral_source="2A", by=social_worker)
    with pytest.raises(ValidationError):
        early_help_step_up(episode=episode, on=date(2025, 5, 1), by=social_worker)
    episode.refresh_from_db()
    assert episode.ended_on is None


def test_step_down_signature_for_the_cin_app(la, social_worker):
    child = make_person(la)
    cin = cin_episode_open(child=child, referral_date=date(2025, 1, 6), referral_source="2A", by=social_worker)
    episode = early_help_start(child=child, started_on=date(2025, 2, 6), origin="step_down", by=social_worker,
                               stepped_down_from=cin, lead_team=None, lead_professional="")
    assert episode.stepped_down_from == cin


# ---------------------------------------------------------------- mystery shopper


def test_mystery_shop_rules(la, social_worker, team_manager):
    when = timezone.now() - timedelta(hours=1)
    with pytest.raises(PermissionDenied):
        mystery_shop_record(local_authority=la, carried_out_at=when, channel="phone", outcome="right",
                            seconds_to_answer=30, advice_quality=3, by=social_worker)
    with pytest.raises(ValidationError) as error:
        mystery_shop_record(local_authority=la, carried_out_at=when, channel="phone", outcome="not_answered",
                            seconds_to_answer=30, by=team_manager)
    assert "seconds_to_answer" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        mystery_shop_record(local_authority=la, carried_out_at=when, channel="phone", outcome="right",
                            by=team_manager)
    assert "seconds_to_answer" in error.value.message_dict


def test_mystery_shop_trend_by_month(la, team_manager):
    def record(day: datetime, outcome: str, seconds: int | None, quality: int | None) -> MysteryShopperCheck:
        return mystery_shop_record(local_authority=la, carried_out_at=day, channel="phone", outcome=outcome,
                                   seconds_to_answer=seconds, advice_quality=quality, by=team_manager)

    record(london(2025, 3, 3, 10), "right", 20, 4)
    record(london(2025, 3, 10, 10), "wrong", 60, 1)
    record(london(2025, 3, 17, 10), "right", 40, 3)
    record(london(2025, 3, 24, 10), "not_answered", None, None)
    record(london(2025, 4, 1, 10), "partly", 90, 2)
    months = mystery_shop_trend(local_authority=la, months=3, today=date(2025, 4, 15))
    assert [m.month for m in months] == [date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)]
    feb, march, april = months
    assert feb.checks == 0 and feb.median_seconds is None
    assert march.checks == 4 and march.median_seconds == 40 and march.right_percent == 50.0
    assert march.average_quality == round(8 / 3, 2)
    assert april.right_percent == 0.0 and april.median_seconds == 90


def test_other_councils_checks_are_not_counted(la, other_la, team_manager):
    other_manager = make_user(other_la, "team_manager")
    mystery_shop_record(local_authority=other_la, carried_out_at=timezone.now() - timedelta(hours=1),
                        channel="phone", outcome="right", seconds_to_answer=5, advice_quality=4, by=other_manager)
    assert sum(m.checks for m in mystery_shop_trend(local_authority=la)) == 0
