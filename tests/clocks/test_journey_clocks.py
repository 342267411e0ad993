"""Every statutory clock on the journey from the front door to a child protection plan, in one place.

Each test drives the real services (the ones the pages call) and reads the ``Clock`` rows they
leave: the rule, day 0 (``started_on``: the recorded event date), ``due_on``, and whether the
clock was met, missed (with its reason) or cancelled. The conventions are timescales.md §2:

- day 0 is the day of the event and is never counted; "within N working days" is due on the
  Nth working day after it, and an action on the due date itself is on time;
- working days skip weekends, Christmas Day, Good Friday and every England and Wales bank
  holiday (the seeded table); month and week rules are never moved off a weekend or holiday;
- repeating clocks restart from the actual date of the previous event, never from its due date;
- every entry here is made today, long after the event it records, so every clock below is a
  backdated entry: due dates come from the recorded event dates, not from the day of entry.

The first test is the journey at a glance: one row per rule, each with a worked example that
crosses a bank holiday, Christmas or Easter (or, for month rules, a month-end clamp).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord
from hearth.chronology.models import ChronologyEvent
from hearth.cin import services as cin
from hearth.cin.models import Assessment, CINEpisode, CINPlan
from hearth.cin.selectors import Measure, assessment_timeliness
from hearth.clocks.models import BankHoliday, Clock, LocalTimescale
from hearth.clocks.services import bank_holiday_add, bank_holiday_remove, clocks_recompute_open
from hearth.clocks.working_days import LONDON
from hearth.front_door import services as front_door
from hearth.front_door.models import Contact, EarlyHelpEpisode
from hearth.oversight.models import DecisionPoint
from hearth.oversight.services import oversight_record
from hearth.people.models import Person
from hearth.protection import services as protection
from hearth.protection.models import (
    Agency,
    ChildProtectionConference,
    ChildProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
    TransferInNotice,
)
from hearth.tenancy.models import LocalAuthority
from tests.cin.factories import submitted_assessment
from tests.factories import make_person, make_user

OPEN, MET, MISSED, CANCELLED = Clock.Status.OPEN, Clock.Status.MET, Clock.Status.MISSED, Clock.Status.CANCELLED
Kind = ChildProtectionConference.Kind
Outcome = ChildProtectionConference.Outcome


# ------------------------------------------------------------------------------------------------ the journey


@dataclass
class Journey:
    """One child's path through the services, with the people who act on it."""

    la: LocalAuthority
    child: Person
    worker: User
    manager: User
    chair: User

    # -- front door and referral

    def contact(self, received_at: datetime, *, known_child: bool = True) -> Contact:
        return front_door.contact_receive(
            local_authority=self.la, received_at=received_at, channel=Contact.Channel.PHONE, source="2A",
            concerns="Bruising seen on the child's arm at school", consent=Contact.Consent.GIVEN,
            child=self.child if known_child else None, by=self.worker,
        )

    def decide(self, contact: Contact, decision: str = Contact.Decision.REFERRAL) -> Contact:
        return front_door.contact_decide(contact=contact, decision=decision, rationale="Significant concerns",
                                         by=self.manager)

    def referral(self, on: date) -> CINEpisode:
        return cin.cin_episode_open(child=self.child, referral_date=on, referral_source="2A", by=self.worker)

    def open_episode(self, on: date) -> CINEpisode:
        return protection.open_episode_for(self.child) or self.referral(on)

    def assessment_ready(self, episode: CINEpisode, started_on: date, seen_on: date) -> Assessment:
        return submitted_assessment(episode, started_on, seen_on, by=self.worker)

    def authorise(self, assessment: Assessment, on: date, late_reason: str = "") -> Assessment:
        return cin.assessment_authorise(assessment=assessment, authorised_on=on, rationale="Analysis is sound",
                                        late_reason=late_reason, by=self.manager)

    def cin_plan(self, started_on: date) -> CINPlan:
        return cin.cin_plan_start(episode=self.open_episode(started_on), started_on=started_on, by=self.worker)

    def cin_review(self, plan: CINPlan, held_on: date) -> None:
        cin.cin_plan_review_record(plan=plan, held_on=held_on, summary="Progress reviewed", by=self.worker)

    # -- child protection

    def discussion(self, on: date) -> StrategyDiscussion:
        self.open_episode(on)
        return protection.strategy_discussion_record(
            child=self.child, held_on=on, agencies_present=[Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH],
            reason="Bruising seen at school", decision=StrategyDiscussion.Decision.START_S47, by=self.worker,
        )

    def enquiry(self, *, discussed_on: date, completed_on: date,
                outcome: str = Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK) -> Section47Enquiry:
        enquiry = self.discussion(discussed_on).s47_enquiries.get()
        protection.s47_complete(enquiry=enquiry, completed_on=completed_on, outcome=outcome,
                                findings="What the enquiry found", by=self.worker)
        oversight_record(subject=enquiry, decision_point=DecisionPoint.S47_OUTCOME, rationale="Agree",
                         child=self.child, by=self.manager)
        return enquiry

    def icpc(self, held_on: date, enquiry: Section47Enquiry, **extra: Any) -> ChildProtectionConference:
        values: dict[str, Any] = {"outcome": Outcome.PLAN, "category": "NEG"}
        values.update(extra)
        return protection.conference_record(kind=Kind.INITIAL, child=self.child, held_on=held_on, chair=self.chair,
                                            section47=enquiry, by=self.worker, **values)

    def plan(self, icpc_on: date, **extra: Any) -> ChildProtectionPlan:
        """A plan starting at an ICPC on ``icpc_on``, a week after the strategy discussion."""
        enquiry = self.enquiry(discussed_on=icpc_on - timedelta(days=7), completed_on=icpc_on)
        plan = self.icpc(icpc_on, enquiry, **extra).cp_plan
        assert plan is not None
        return plan

    def review(self, plan: ChildProtectionPlan, held_on: date, *, ends: bool = False) -> ChildProtectionConference:
        if ends:
            self._oversee_end(plan)
        return protection.conference_record(
            kind=Kind.REVIEW, child=self.child, held_on=held_on, chair=self.chair, cp_plan=plan, by=self.worker,
            outcome=Outcome.PLAN_ENDS if ends else Outcome.PLAN_CONTINUES, end_reason="step_down_cin" if ends else "",
        )

    def end_plan(self, plan: ChildProtectionPlan, on: date) -> None:
        self._oversee_end(plan)
        protection.cp_plan_end(plan=plan, ended_on=on, reason=ChildProtectionPlan.EndReason.STEP_DOWN_CIN,
                               by=self.worker)

    def _oversee_end(self, plan: ChildProtectionPlan) -> None:
        oversight_record(subject=plan, decision_point=DecisionPoint.CP_PLAN_END, rationale="Agree: step down",
                         child=self.child, by=self.manager)

    def core_group(self, plan: ChildProtectionPlan, on: date) -> None:
        protection.core_group_record(plan=plan, held_on=on, progress="Plan on track", by=self.worker)

    def visit(self, plan: ChildProtectionPlan, on: date, *, seen: bool = True) -> None:
        protection.cp_visit_record(plan=plan, visited_on=on, child_seen=seen, child_seen_alone=False,
                                   by=self.worker)

    def transfer_in(self, notified_on: date) -> TransferInNotice:
        return protection.transfer_in_notify(child=self.child, notified_on=notified_on,
                                             previous_authority="Leicester City Council", by=self.worker)

    def transfer_in_conference(self, held_on: date, **extra: Any) -> ChildProtectionConference:
        return protection.conference_record(kind=Kind.TRANSFER_IN, child=self.child, held_on=held_on,
                                            chair=self.chair, outcome=Outcome.PLAN, category="PHY", by=self.worker,
                                            **extra)


@pytest.fixture
def journey(la: LocalAuthority, team: Team, child: Person) -> Journey:
    return Journey(
        la=la, child=child, worker=make_user(la, Role.SOCIAL_WORKER, team),
        manager=make_user(la, Role.TEAM_MANAGER, team),
        chair=make_user(la, Role.IRO, first_name="Chris", last_name="Chair"),
    )


def clocks(child: Person, rule_id: str) -> list[Clock]:
    return list(Clock.objects.filter(child=child, rule_id=rule_id).order_by("started_on", "id"))


def only(child: Person, rule_id: str) -> Clock:
    [clock] = clocks(child, rule_id)
    return clock


def open_clock(child: Person, rule_id: str) -> Clock:
    return Clock.objects.get(child=child, rule_id=rule_id, status=OPEN)


def london(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@contextmanager
def on(moment: datetime) -> Iterator[None]:
    """Stand at ``moment`` (London): for the front door, whose decision is always recorded as now."""
    with time_machine.travel(moment, tick=False):
        yield


def state(clock: Clock) -> tuple[str, date, date, str, date | None, str]:
    clock.refresh_from_db()
    return clock.rule_id, clock.started_on, clock.due_on, clock.status, clock.stopped_on, clock.missed_reason


GOOD_FRIDAY_2025 = date(2025, 4, 18)
EASTER_TUESDAY_2025 = date(2025, 4, 22)


# ------------------------------------------------------------------------------------------------ at a glance

JOURNEY_CLOCKS: list[tuple[str, str, date, date]] = [
    # rule                       day 0 is the date of ...                        day 0              due by
    ("referral_decision", "a contact received on Good Friday", GOOD_FRIDAY_2025, EASTER_TUESDAY_2025),
    ("assessment", "the referral (contact decided as a referral)", date(2025, 3, 3), date(2025, 5, 8)),
    ("assessment", "the referral (early help stepped up)", date(2025, 4, 17), date(2025, 6, 25)),
    ("assessment", "the assessment start (DfE measure)", date(2025, 4, 17), date(2025, 6, 25)),
    ("icpc", "the strategy discussion deciding on S47", date(2024, 12, 20), date(2025, 1, 15)),
    ("transfer_in_conference", "notice the child moved in", date(2025, 4, 17), date(2025, 5, 13)),
    ("core_group_first", "the ICPC", date(2025, 12, 22), date(2026, 1, 8)),
    ("core_group_next", "the previous core group (4 weeks)", date(2025, 11, 27), date(2025, 12, 25)),
    ("cp_visit", "the ICPC (default: 10 working days)", date(2025, 12, 22), date(2026, 1, 8)),
    ("cp_visit", "the ICPC (council sets 5 working days)", date(2025, 4, 17), date(2025, 4, 28)),
    ("cp_visit", "the ICPC (plan's own 3 working days)", date(2025, 12, 22), date(2025, 12, 29)),
    ("rcpc_first", "the ICPC (3 months)", date(2025, 1, 31), date(2025, 4, 30)),
    ("rcpc_next", "the previous review (6 months)", date(2025, 8, 29), date(2026, 2, 28)),
    ("cin_plan_review", "the CIN plan start (3 months)", date(2024, 11, 30), date(2025, 2, 28)),
    ("cin_plan_review", "the previous review (council sets 6 months)", date(2025, 8, 31), date(2026, 2, 28)),
]
# Why each is a worked example (timescales.md §2.2, §2.3):
# - Good Friday (and Easter Monday) are not working days: a contact on Fri 18 Apr 2025 is due Tue 22 Apr.
# - Mon 3 Mar 2025 + 45 working days skips Good Friday, Easter Monday and 5 May: Thu 8 May.
# - Thu 17 Apr 2025 + 45 working days also skips 26 May: Wed 25 Jun. + 15 skips Easter and 5 May: Tue 13 May.
# - Fri 20 Dec 2024 + 15 working days skips 25, 26 Dec and 1 Jan: Wed 15 Jan 2025.
# - Mon 22 Dec 2025 + 10 working days: Thu 8 Jan 2026; + 5 from Thu 17 Apr 2025: Mon 28 Apr; + 3: Mon 29 Dec.
# - Thu 27 Nov 2025 + 4 weeks is Christmas Day, and stays there: week rules are never moved.
# - Fri 31 Jan 2025 + 3 months: no 31 April, so Wed 30 Apr. Fri 29 Aug 2025 + 6 months: no 29 Feb 2026,
#   so Sat 28 Feb (not moved off the weekend). 30 Nov 2024 + 3 months and 31 Aug 2025 + 6 months: 28 Feb.


@pytest.mark.parametrize(("rule_id", "event", "day0", "due_by"), JOURNEY_CLOCKS,
                         ids=[f"{rule}: {event}" for rule, event, _, _ in JOURNEY_CLOCKS])
def test_the_journeys_clocks_at_a_glance(journey: Journey, rule_id: str, event: str, day0: date,
                                         due_by: date) -> None:
    result = DRIVERS[(rule_id, event)](journey, day0)
    if isinstance(result, Measure):
        # The DfE measure is computed from the stored dates; it has no clock of its own.
        assert (result.start, result.due_on) == (day0, due_by)
    else:
        result.refresh_from_db()
        assert (result.rule_id, result.started_on, result.due_on, result.status) == (rule_id, day0, due_by, OPEN)


def _contact(j: Journey, day0: date) -> Clock:
    j.contact(london(day0, 16, 45))
    return only(j.child, "referral_decision")


def _contact_decided_as_referral(j: Journey, day0: date) -> Clock:
    j.decide(j.contact(london(day0, 9, 15)))
    return only(j.child, "assessment")


def _early_help_stepped_up(j: Journey, day0: date) -> Clock:
    help_ = front_door.early_help_start(child=j.child, started_on=day0 - timedelta(days=40),
                                        origin=EarlyHelpEpisode.Origin.DIRECT, by=j.worker)
    front_door.early_help_step_up(episode=help_, on=day0, by=j.worker)
    return only(j.child, "assessment")


def _assessment_start_dfe(j: Journey, day0: date) -> Measure:
    episode = j.referral(date(2025, 3, 3))
    assessment = cin.assessment_start(episode=episode, started_on=day0, by=j.worker)
    return assessment_timeliness(assessment, referral_date=episode.referral_date).dfe


def _strategy_discussion(j: Journey, day0: date) -> Clock:
    j.discussion(day0)
    return only(j.child, "icpc")


def _transfer_in(j: Journey, day0: date) -> Clock:
    j.transfer_in(day0)
    return only(j.child, "transfer_in_conference")


def _icpc(rule_id: str, **plan: Any) -> Callable[[Journey, date], Clock]:
    def drive(j: Journey, day0: date) -> Clock:
        j.plan(day0, **plan)
        return only(j.child, rule_id)
    return drive


def _council_visits_every_5_working_days(j: Journey, day0: date) -> Clock:
    LocalTimescale.objects.create(local_authority=j.la, rule_id="cp_visit", offset=5, unit="working_days")
    return _icpc("cp_visit")(j, day0)


def _plan_visits_every_3_working_days(j: Journey, day0: date) -> Clock:
    # The plan's own frequency wins over the council's.
    LocalTimescale.objects.create(local_authority=j.la, rule_id="cp_visit", offset=5, unit="working_days")
    return _icpc("cp_visit", visit_interval_days=3)(j, day0)


def _previous_core_group(j: Journey, day0: date) -> Clock:
    plan = j.plan(day0 - timedelta(days=10))
    j.core_group(plan, day0)
    return open_clock(j.child, "core_group_next")


def _previous_review(j: Journey, day0: date) -> Clock:
    plan = j.plan(date(2025, 5, 30))
    j.review(plan, day0)
    return open_clock(j.child, "rcpc_next")


def _cin_plan_start(j: Journey, day0: date) -> Clock:
    j.cin_plan(day0)
    return only(j.child, "cin_plan_review")


def _previous_cin_review_council_6_months(j: Journey, day0: date) -> Clock:
    LocalTimescale.objects.create(local_authority=j.la, rule_id="cin_plan_review", offset=6, unit="months")
    plan = j.cin_plan(date(2025, 3, 3))
    j.cin_review(plan, day0)
    return open_clock(j.child, "cin_plan_review")


Driver = Callable[[Journey, date], Clock | Measure]
# How each row of the table is driven through the services, in the table's order.
_DRIVEN_BY: list[Driver] = [
    _contact, _contact_decided_as_referral, _early_help_stepped_up, _assessment_start_dfe,
    _strategy_discussion, _transfer_in, _icpc("core_group_first"), _previous_core_group, _icpc("cp_visit"),
    _council_visits_every_5_working_days, _plan_visits_every_3_working_days, _icpc("rcpc_first"),
    _previous_review, _cin_plan_start, _previous_cin_review_council_6_months,
]
DRIVERS: dict[tuple[str, str], Driver] = {
    (rule, event): driver for (rule, event, _, _), driver in zip(JOURNEY_CLOCKS, _DRIVEN_BY, strict=True)
}


def test_every_rule_on_the_journey_is_in_the_table() -> None:
    journey_rules = {"referral_decision", "assessment", "icpc", "transfer_in_conference", "core_group_first",
                     "core_group_next", "cp_visit", "rcpc_first", "rcpc_next", "cin_plan_review"}
    assert {rule for rule, _, _, _ in JOURNEY_CLOCKS} == journey_rules


# ------------------------------------------------------------------------------------------------ referral_decision


@pytest.mark.parametrize(("received_at", "day0", "due_by"), [
    (london(date(2025, 4, 17), 23, 30), date(2025, 4, 17), EASTER_TUESDAY_2025),  # late Thursday: still Thursday
    (london(GOOD_FRIDAY_2025, 9), GOOD_FRIDAY_2025, EASTER_TUESDAY_2025),
    (london(date(2025, 4, 19), 0, 30), date(2025, 4, 19), EASTER_TUESDAY_2025),  # 23:30 UTC on Friday
    (london(date(2025, 4, 21), 14), date(2025, 4, 21), EASTER_TUESDAY_2025),  # Easter Monday
    (london(EASTER_TUESDAY_2025, 8), EASTER_TUESDAY_2025, date(2025, 4, 23)),
    (london(date(2024, 12, 24), 17), date(2024, 12, 24), date(2024, 12, 27)),  # skips 25 and 26 Dec
])
def test_a_contact_is_due_the_working_day_after_the_london_day_it_arrived(
        journey: Journey, received_at: datetime, day0: date, due_by: date) -> None:
    contact = journey.contact(received_at)
    clock = only(journey.child, "referral_decision")
    assert (clock.started_on, clock.due_on, clock.status) == (day0, due_by, OPEN)
    assert contact.decision_due_on == clock.due_on
    assert clock.subject == contact


@pytest.mark.parametrize(("decided_at", "status"), [
    (london(EASTER_TUESDAY_2025, 10), MET),  # on the due date itself
    (london(EASTER_TUESDAY_2025, 23, 30), MET),  # still Tuesday in London (22:30 UTC)
    (london(date(2025, 4, 23), 0, 30), MISSED),  # Wednesday in London, though Tuesday in UTC
    (london(date(2025, 4, 23), 10), MISSED),  # one day after
])
def test_the_decision_is_met_on_the_due_date_and_missed_the_day_after(
        journey: Journey, decided_at: datetime, status: str) -> None:
    with on(decided_at):
        contact = journey.contact(london(GOOD_FRIDAY_2025, 11))
        journey.decide(contact, Contact.Decision.NO_FURTHER_ACTION)
    clock = only(journey.child, "referral_decision")
    # No reason is asked for a late contact decision; the chronology line says it was late.
    assert state(clock) == ("referral_decision", GOOD_FRIDAY_2025, EASTER_TUESDAY_2025, status,
                            decided_at.date(), "")
    late = ChronologyEvent.objects.filter(person=journey.child, title__contains="after the decision was due")
    assert late.exists() == (status == MISSED)


def test_a_contact_linked_to_the_child_days_later_runs_from_the_day_it_arrived(journey: Journey) -> None:
    with on(london(GOOD_FRIDAY_2025, 15)):
        contact = journey.contact(london(GOOD_FRIDAY_2025, 15), known_child=False)
    assert not Clock.objects.filter(rule_id="referral_decision").exists()
    with on(london(date(2025, 4, 23), 9)):
        front_door.contact_link_child(contact=contact, child=journey.child, by=journey.worker)
        journey.decide(contact, Contact.Decision.EARLY_HELP)
    clock = only(journey.child, "referral_decision")
    assert state(clock) == ("referral_decision", GOOD_FRIDAY_2025, EASTER_TUESDAY_2025, MISSED,
                            date(2025, 4, 23), "")


# ------------------------------------------------------------------------------------------------ assessment


def test_a_referral_from_the_front_door_runs_from_the_day_the_contact_arrived(journey: Journey) -> None:
    # Received late on Mon 3 Mar 2025, decided (and typed) much later: day 0 is still 3 March.
    contact = journey.contact(london(date(2025, 3, 3), 23, 50))
    journey.decide(contact)
    episode = CINEpisode.objects.get(contact=contact)
    clock = only(journey.child, "assessment")
    assert episode.referral_date == clock.started_on == date(2025, 3, 3)
    assert clock.due_on == date(2025, 5, 8) and clock.subject == episode


def test_a_referral_typed_weeks_later_is_due_from_the_referral_date_not_the_day_it_was_typed(
        journey: Journey) -> None:
    with on(london(date(2025, 4, 23), 9)):  # typed on Wed 23 Apr for a referral on Mon 3 Mar
        journey.referral(date(2025, 3, 3))
    clock = only(journey.child, "assessment")
    assert (clock.started_on, clock.due_on) == (date(2025, 3, 3), date(2025, 5, 8))
    entered = ChangeRecord.objects.get(model_label="clocks.Clock", object_id=str(clock.pk), action="create")
    assert entered.at.astimezone(LONDON).date() == date(2025, 4, 23)


@pytest.mark.parametrize("stepped_up_on", [date(2025, 4, 17), GOOD_FRIDAY_2025, date(2025, 4, 19)])
def test_a_step_up_over_easter_is_due_on_the_same_day(journey: Journey, stepped_up_on: date) -> None:
    # A start on Good Friday or the Saturday is still day 0; the next working day is day 1.
    help_ = front_door.early_help_start(child=journey.child, started_on=date(2025, 3, 3),
                                        origin=EarlyHelpEpisode.Origin.DIRECT, by=journey.worker)
    episode = front_door.early_help_step_up(episode=help_, on=stepped_up_on, by=journey.worker)
    clock = only(journey.child, "assessment")
    assert (clock.started_on, clock.due_on, clock.subject) == (stepped_up_on, date(2025, 6, 25), episode)


def test_authorised_on_the_due_date_is_met_on_both_measures(journey: Journey) -> None:
    episode = journey.referral(date(2025, 3, 3))
    assessment = journey.assessment_ready(episode, date(2025, 3, 3), date(2025, 3, 5))
    journey.authorise(assessment, date(2025, 5, 8))
    assert state(only(journey.child, "assessment")) == (
        "assessment", date(2025, 3, 3), date(2025, 5, 8), MET, date(2025, 5, 8), "")
    measures = assessment_timeliness(assessment, referral_date=episode.referral_date)
    assert measures.practice.due_on == measures.dfe.due_on == date(2025, 5, 8)
    assert measures.practice.met and measures.dfe.met and measures.practice.working_days == 45


def test_authorised_a_day_late_needs_the_reason_and_is_missed(journey: Journey) -> None:
    episode = journey.referral(date(2025, 3, 3))
    assessment = journey.assessment_ready(episode, date(2025, 3, 3), date(2025, 3, 5))
    with pytest.raises(ValidationError) as refused:
        journey.authorise(assessment, date(2025, 5, 9))
    assert refused.value.message_dict["late_reason"] == [
        "The assessment was due by 8 May 2025. Enter why it took longer"]
    assert only(journey.child, "assessment").status == OPEN
    journey.authorise(assessment, date(2025, 5, 9), late_reason="Father seen late")
    assert state(only(journey.child, "assessment")) == (
        "assessment", date(2025, 3, 3), date(2025, 5, 8), MISSED, date(2025, 5, 9), "Father seen late")


def test_the_dfe_measure_runs_from_the_assessment_start(journey: Journey) -> None:
    # Referral Mon 3 Mar 2025 (due Thu 8 May); the assessment started Mon 17 Mar (due Thu 22 May).
    episode = journey.referral(date(2025, 3, 3))
    assessment = journey.assessment_ready(episode, date(2025, 3, 17), date(2025, 3, 18))
    journey.authorise(assessment, date(2025, 5, 15), late_reason="Waited for the health assessment")
    measures = assessment_timeliness(assessment, referral_date=episode.referral_date)
    assert (measures.practice.due_on, measures.practice.met) == (date(2025, 5, 8), False)
    assert (measures.dfe.due_on, measures.dfe.met) == (date(2025, 5, 22), True)
    # The clock is the practice measure: from the referral, missed, with the reason.
    assert state(only(journey.child, "assessment"))[2:] == (date(2025, 5, 8), MISSED, date(2025, 5, 15),
                                                            "Waited for the health assessment")


def test_closing_the_referral_without_an_assessment_cancels_the_clock(journey: Journey) -> None:
    episode = journey.referral(GOOD_FRIDAY_2025)
    cin.episode_close(episode=episode, closed_on=EASTER_TUESDAY_2025, reason="RC7", by=journey.worker)
    assert state(only(journey.child, "assessment")) == (
        "assessment", GOOD_FRIDAY_2025, date(2025, 6, 25), CANCELLED, None, "")


# ------------------------------------------------------------------------------------------------ icpc


@pytest.mark.parametrize(("held_on", "status"), [(date(2025, 1, 15), MET), (date(2025, 1, 16), MISSED)])
def test_the_icpc_is_due_15_working_days_after_the_strategy_discussion_over_christmas(
        journey: Journey, held_on: date, status: str) -> None:
    enquiry = journey.enquiry(discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 10))
    clock = only(journey.child, "icpc")
    assert (clock.started_on, clock.due_on, clock.subject) == (date(2024, 12, 20), date(2025, 1, 15), enquiry)
    journey.icpc(held_on, enquiry)
    assert state(clock) == ("icpc", date(2024, 12, 20), date(2025, 1, 15), status, held_on, "")


def test_an_enquiry_needing_no_conference_stops_the_icpc_clock(journey: Journey) -> None:
    journey.enquiry(discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 2),
                    outcome=Section47Enquiry.Outcome.NOT_SUBSTANTIATED)
    assert state(only(journey.child, "icpc")) == ("icpc", date(2024, 12, 20), date(2025, 1, 15), MET,
                                                  date(2025, 1, 2), "")


def test_an_icpc_deciding_no_plan_still_stops_its_clock_and_starts_no_plan_clocks(journey: Journey) -> None:
    enquiry = journey.enquiry(discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 10))
    journey.icpc(date(2025, 1, 14), enquiry, outcome=Outcome.NO_PLAN, category="")
    assert only(journey.child, "icpc").status == MET
    assert not Clock.objects.filter(child=journey.child, rule_id__in=protection.PLAN_CLOCKS).exists()


def test_closing_the_referral_before_the_icpc_cancels_its_clock(journey: Journey) -> None:
    # The family moved away after the enquiry found continuing risk: no conference will be held here.
    enquiry = journey.enquiry(discussed_on=date(2024, 12, 20), completed_on=date(2025, 1, 10))
    cin.episode_close(episode=enquiry.episode, closed_on=date(2025, 1, 13), reason="RC5", by=journey.worker)
    assert state(only(journey.child, "icpc"))[3:] == (CANCELLED, None, "")


# -------------------------------------------------------------------------------------------- transfer_in_conference


@pytest.mark.parametrize(("held_on", "status"), [(date(2025, 5, 13), MET), (date(2025, 5, 14), MISSED)])
def test_a_transfer_in_conference_is_due_15_working_days_after_the_notice_over_easter(
        journey: Journey, held_on: date, status: str) -> None:
    notice = journey.transfer_in(date(2025, 4, 17))
    journey.transfer_in_conference(held_on)
    clock = only(journey.child, "transfer_in_conference")
    assert clock.subject == notice
    assert state(clock) == ("transfer_in_conference", date(2025, 4, 17), date(2025, 5, 13), status, held_on, "")
    # The plan it starts runs its own clocks from the conference day.
    assert only(journey.child, "core_group_first").started_on == held_on


def test_a_transfer_in_recorded_only_at_its_conference_runs_from_the_notice_date(journey: Journey) -> None:
    journey.transfer_in_conference(date(2025, 1, 16), notified_on=date(2024, 12, 20),
                                   previous_authority="Derby City Council")
    assert state(only(journey.child, "transfer_in_conference")) == (
        "transfer_in_conference", date(2024, 12, 20), date(2025, 1, 15), MISSED, date(2025, 1, 16), "")


def test_closing_the_referral_before_the_transfer_in_conference_cancels_its_clock(journey: Journey) -> None:
    notice = journey.transfer_in(date(2025, 4, 17))
    cin.episode_close(episode=notice.episode, closed_on=date(2025, 4, 24), reason="RC7", by=journey.worker)
    assert state(only(journey.child, "transfer_in_conference"))[3:] == (CANCELLED, None, "")


# ------------------------------------------------------------------------------------------------ core groups


@pytest.mark.parametrize(("held_on", "status", "next_due"), [
    (date(2026, 1, 8), MET, date(2026, 2, 5)),
    (date(2026, 1, 9), MISSED, date(2026, 2, 6)),
])
def test_the_first_core_group_is_due_10_working_days_after_a_christmas_icpc(
        journey: Journey, held_on: date, status: str, next_due: date) -> None:
    plan = journey.plan(date(2025, 12, 22))
    journey.core_group(plan, held_on)
    first = only(journey.child, "core_group_first")
    assert first.subject == plan
    assert state(first) == ("core_group_first", date(2025, 12, 22), date(2026, 1, 8), status, held_on, "")
    # The next runs 4 weeks from the meeting actually held.
    assert state(open_clock(journey.child, "core_group_next"))[1:3] == (held_on, next_due)


def test_core_groups_repeat_from_the_actual_meeting_not_the_due_date(journey: Journey) -> None:
    plan = journey.plan(date(2025, 12, 22))
    journey.core_group(plan, date(2025, 12, 30))  # early: the first was due 8 Jan
    after_first = open_clock(journey.child, "core_group_next")
    assert (after_first.started_on, after_first.due_on) == (date(2025, 12, 30), date(2026, 1, 27))
    journey.core_group(plan, date(2026, 1, 27))  # on the due date
    journey.core_group(plan, date(2026, 2, 25))  # a day late: due Tue 24 Feb
    assert [state(c)[1:5] for c in clocks(journey.child, "core_group_next")] == [
        (date(2025, 12, 30), date(2026, 1, 27), MET, date(2026, 1, 27)),
        (date(2026, 1, 27), date(2026, 2, 24), MISSED, date(2026, 2, 25)),
        (date(2026, 2, 25), date(2026, 3, 25), OPEN, None),
    ]


def test_a_core_group_due_on_christmas_day_is_not_moved(journey: Journey) -> None:
    # Week rules are maximum intervals: the interface warns ahead; the due date never slides.
    plan = journey.plan(date(2025, 11, 17))
    journey.core_group(plan, date(2025, 11, 27))
    journey.core_group(plan, date(2025, 12, 29))  # the first working day after: late
    first_next = clocks(journey.child, "core_group_next")[0]
    assert state(first_next)[1:5] == (date(2025, 11, 27), date(2025, 12, 25), MISSED, date(2025, 12, 29))


def test_a_councils_core_group_interval_replaces_the_default(journey: Journey) -> None:
    LocalTimescale.objects.create(local_authority=journey.la, rule_id="core_group_next", offset=6, unit="weeks")
    plan = journey.plan(date(2025, 12, 15))
    journey.core_group(plan, date(2025, 12, 22))
    assert state(open_clock(journey.child, "core_group_next"))[1:3] == (date(2025, 12, 22), date(2026, 2, 2))


# ------------------------------------------------------------------------------------------------ cp_visit


def test_visits_default_to_10_working_days_and_repeat_from_the_visit_where_the_child_was_seen(
        journey: Journey) -> None:
    plan = journey.plan(date(2025, 12, 22))
    journey.visit(plan, date(2026, 1, 5), seen=False)  # not seen: does not count
    assert state(only(journey.child, "cp_visit"))[1:4] == (date(2025, 12, 22), date(2026, 1, 8), OPEN)
    journey.visit(plan, date(2026, 1, 8))  # on the due date
    journey.visit(plan, date(2026, 1, 23))  # a day late: due Thu 22 Jan
    assert [state(c)[1:5] for c in clocks(journey.child, "cp_visit")] == [
        (date(2025, 12, 22), date(2026, 1, 8), MET, date(2026, 1, 8)),
        (date(2026, 1, 8), date(2026, 1, 22), MISSED, date(2026, 1, 23)),
        (date(2026, 1, 23), date(2026, 2, 6), OPEN, None),
    ]


def test_a_councils_visit_interval_applies_to_each_visit_over_easter(journey: Journey) -> None:
    LocalTimescale.objects.create(local_authority=journey.la, rule_id="cp_visit", offset=5, unit="working_days")
    plan = journey.plan(date(2025, 4, 17))
    journey.visit(plan, date(2025, 4, 29))  # due Mon 28 Apr: a day late
    first, second = clocks(journey.child, "cp_visit")
    assert state(first)[1:5] == (date(2025, 4, 17), date(2025, 4, 28), MISSED, date(2025, 4, 29))
    # 5 working days from Tue 29 Apr, skipping the early May bank holiday: Wed 7 May.
    assert state(second)[1:4] == (date(2025, 4, 29), date(2025, 5, 7), OPEN)


def test_a_plans_own_visit_interval_wins_over_the_councils(journey: Journey) -> None:
    LocalTimescale.objects.create(local_authority=journey.la, rule_id="cp_visit", offset=5, unit="working_days")
    plan = journey.plan(date(2025, 12, 22), visit_interval_days=3)
    journey.visit(plan, date(2025, 12, 29))  # on the due date
    first, second = clocks(journey.child, "cp_visit")
    assert state(first)[1:5] == (date(2025, 12, 22), date(2025, 12, 29), MET, date(2025, 12, 29))
    # 3 working days from Mon 29 Dec, skipping New Year's Day: Fri 2 Jan 2026.
    assert state(second)[1:4] == (date(2025, 12, 29), date(2026, 1, 2), OPEN)
    assert (second.interval_offset, second.interval_unit) == (3, "working_days")


# ------------------------------------------------------------------------------------------------ review conferences


@pytest.mark.parametrize(("icpc_on", "due_by"), [
    (date(2025, 1, 31), date(2025, 4, 30)),  # no 31 April; Easter in between moves nothing
    (date(2024, 11, 29), date(2025, 2, 28)),  # no 29 February in 2025
    (date(2025, 9, 26), date(2025, 12, 26)),  # Boxing Day: month rules are not moved off holidays
    (date(2025, 12, 22), date(2026, 3, 22)),  # a Sunday, not moved
])
def test_the_first_review_is_due_3_calendar_months_after_the_icpc(journey: Journey, icpc_on: date,
                                                                  due_by: date) -> None:
    plan = journey.plan(icpc_on)
    clock = only(journey.child, "rcpc_first")
    assert (clock.started_on, clock.due_on, clock.subject) == (icpc_on, due_by, plan)


@pytest.mark.parametrize(("held_on", "status", "next_due"), [
    (date(2025, 4, 30), MET, date(2025, 10, 30)),
    (date(2025, 5, 1), MISSED, date(2025, 11, 1)),
])
def test_the_first_review_on_its_due_date_is_met_and_the_next_runs_from_it(
        journey: Journey, held_on: date, status: str, next_due: date) -> None:
    plan = journey.plan(date(2025, 1, 31))
    journey.review(plan, held_on)
    assert state(only(journey.child, "rcpc_first")) == (
        "rcpc_first", date(2025, 1, 31), date(2025, 4, 30), status, held_on, "")
    after = open_clock(journey.child, "rcpc_next")
    assert (after.started_on, after.due_on, after.subject) == (held_on, next_due, plan)


def test_reviews_repeat_from_the_actual_review_not_the_due_date(journey: Journey) -> None:
    plan = journey.plan(date(2025, 1, 31))
    journey.review(plan, date(2025, 4, 30))
    journey.review(plan, date(2025, 10, 13))  # early: due Thu 30 Oct
    journey.review(plan, date(2026, 4, 14))  # due Mon 13 Apr 2026, not 30 Apr: a day late
    assert [state(c)[1:5] for c in clocks(journey.child, "rcpc_next")] == [
        (date(2025, 4, 30), date(2025, 10, 30), MET, date(2025, 10, 13)),
        (date(2025, 10, 13), date(2026, 4, 13), MISSED, date(2026, 4, 14)),
        (date(2026, 4, 14), date(2026, 10, 14), OPEN, None),
    ]


@pytest.mark.parametrize(("review_on", "due_by"), [
    (date(2025, 8, 29), date(2026, 2, 28)),  # no 29 February in 2026; a Saturday, not moved
    (date(2025, 6, 25), date(2025, 12, 25)),  # Christmas Day, not moved
    (date(2025, 10, 31), date(2026, 4, 30)),
])
def test_later_reviews_are_due_6_calendar_months_on(journey: Journey, review_on: date, due_by: date) -> None:
    plan = journey.plan(date(2025, 5, 30))
    journey.review(plan, review_on)
    assert state(open_clock(journey.child, "rcpc_next"))[1:3] == (review_on, due_by)


def test_a_review_ending_the_plan_meets_its_clock_and_cancels_the_rest(journey: Journey) -> None:
    plan = journey.plan(date(2025, 1, 31))
    journey.core_group(plan, date(2025, 2, 10))
    journey.review(plan, date(2025, 4, 30), ends=True)
    assert only(journey.child, "rcpc_first").status == MET
    left = Clock.objects.filter(child=journey.child, rule_id__in=protection.PLAN_CLOCKS, status=CANCELLED)
    assert sorted(left.values_list("rule_id", flat=True)) == ["core_group_next", "cp_visit"]
    assert not Clock.objects.filter(child=journey.child, rule_id__in=protection.PLAN_CLOCKS, status=OPEN).exists()


def test_ending_the_plan_cancels_every_plan_clock(journey: Journey) -> None:
    plan = journey.plan(date(2025, 12, 22))
    journey.end_plan(plan, date(2025, 12, 23))
    cancelled = Clock.objects.filter(child=journey.child, subject_id=plan.pk, status=CANCELLED)
    assert sorted(cancelled.values_list("rule_id", "stopped_on")) == [
        ("core_group_first", None), ("cp_visit", None), ("rcpc_first", None)]
    assert only(journey.child, "icpc").status == MET  # history stays as it was


# ------------------------------------------------------------------------------------------------ cin_plan_review


def test_cin_plan_reviews_repeat_from_the_actual_review(journey: Journey) -> None:
    plan = journey.cin_plan(date(2024, 11, 30))
    journey.cin_review(plan, date(2025, 2, 28))  # on the due date
    journey.cin_review(plan, date(2025, 5, 29))  # a day late: due Wed 28 May
    assert [state(c)[1:5] for c in clocks(journey.child, "cin_plan_review")] == [
        (date(2024, 11, 30), date(2025, 2, 28), MET, date(2025, 2, 28)),
        (date(2025, 2, 28), date(2025, 5, 28), MISSED, date(2025, 5, 29)),
        (date(2025, 5, 29), date(2025, 8, 29), OPEN, None),
    ]


def test_a_cin_plan_review_due_on_boxing_day_is_not_moved(journey: Journey) -> None:
    journey.cin_plan(date(2025, 9, 26))
    assert state(only(journey.child, "cin_plan_review"))[1:4] == (date(2025, 9, 26), date(2025, 12, 26), OPEN)


def test_ending_the_cin_plan_cancels_its_review_clock(journey: Journey) -> None:
    plan = journey.cin_plan(date(2025, 3, 3))
    cin.cin_plan_end(plan=plan, ended_on=date(2025, 4, 22), end_reason=CINPlan.EndReason.NEEDS_MET,
                     by=journey.worker)
    assert state(only(journey.child, "cin_plan_review"))[3:] == (CANCELLED, None, "")


def test_stepping_up_to_a_cp_plan_cancels_the_cin_plan_review(journey: Journey) -> None:
    journey.cin_plan(date(2025, 12, 1))
    journey.plan(date(2025, 12, 22))
    assert state(only(journey.child, "cin_plan_review"))[3:] == (CANCELLED, None, "")
    assert CINPlan.objects.get(child=journey.child).end_reason == CINPlan.EndReason.STEPPED_UP_CP


# ------------------------------------------------------------------------------------------------ the calendar changes


def test_a_one_off_bank_holiday_moves_open_clocks_and_never_met_ones(
        journey: Journey, system_admin: User) -> None:
    """An administrator adds a one-off bank holiday on Fri 2 Jan 2026 (as for a state funeral)."""
    casey = journey
    casey.referral(date(2025, 12, 1))
    plan = casey.plan(date(2025, 12, 22))  # ICPC held in time: met
    casey.core_group(plan, date(2025, 12, 30))  # the first core group, due Thu 8 Jan: met
    robin = Journey(la=casey.la, child=make_person(casey.la, first_name="Robin"), worker=casey.worker,
                    manager=casey.manager, chair=casey.chair)
    robin_plan = robin.plan(date(2025, 12, 22), visit_interval_days=3)  # referral Mon 15 Dec
    robin.visit(robin_plan, date(2025, 12, 29))  # met; the next is due Fri 2 Jan
    before = {c.pk: state(c) for c in Clock.objects.all()}

    holiday = bank_holiday_add(on=date(2026, 1, 2), name="One-off bank holiday", by=system_admin)

    after = {pk: state(Clock.objects.get(pk=pk)) for pk in before}
    moved = {(Clock.objects.get(pk=pk).child.first_name, rule, day0): (before[pk][2], due_on)
             for pk, (rule, day0, due_on, *_) in after.items() if due_on != before[pk][2]}
    assert moved == {
        # Open working-day clocks across the new holiday fall due a working day later.
        ("Jordan", "assessment", date(2025, 12, 1)): (date(2026, 2, 5), date(2026, 2, 6)),
        ("Jordan", "cp_visit", date(2025, 12, 22)): (date(2026, 1, 8), date(2026, 1, 9)),
        ("Robin", "assessment", date(2025, 12, 15)): (date(2026, 2, 19), date(2026, 2, 20)),
        ("Robin", "core_group_first", date(2025, 12, 22)): (date(2026, 1, 8), date(2026, 1, 9)),
        # The plan's own 3 working days still apply: from Mon 29 Dec, now skipping 1 and 2 January.
        ("Robin", "cp_visit", date(2025, 12, 29)): (date(2026, 1, 2), date(2026, 1, 5)),
    }
    # Met clocks are history (Jordan's first core group stays due 8 Jan); month and week clocks never move.
    kept = sorted((rule, status) for pk, (rule, _, due_on, status, *_) in after.items() if due_on == before[pk][2])
    assert kept == [("core_group_first", MET), ("core_group_next", OPEN), ("cp_visit", MET), ("icpc", MET),
                    ("icpc", MET), ("rcpc_first", OPEN), ("rcpc_first", OPEN)]
    assert all(after[pk][3:] == before[pk][3:] for pk in before)  # nothing is stopped or restarted

    # Taking the holiday out again puts every open clock back.
    bank_holiday_remove(holiday=holiday, by=system_admin)
    assert {pk: state(Clock.objects.get(pk=pk)) for pk in before} == before


def test_recomputing_honours_the_councils_own_timescales(journey: Journey) -> None:
    LocalTimescale.objects.create(local_authority=journey.la, rule_id="cp_visit", offset=5, unit="working_days")
    journey.plan(date(2025, 4, 17))
    visit = only(journey.child, "cp_visit")
    assert visit.due_on == date(2025, 4, 28)
    BankHoliday.objects.create(date=date(2025, 4, 24), name="One-off bank holiday")
    clocks_recompute_open(by="test", local_authority=journey.la)
    # Still the council's 5 working days from Thu 17 Apr, now skipping the 24th as well as Easter.
    assert state(visit)[1:4] == (date(2025, 4, 17), date(2025, 4, 29), OPEN)


def test_a_one_off_bank_holiday_moves_an_open_contacts_decision_due_date(journey: Journey,
                                                                          system_admin: User) -> None:
    contact = journey.contact(london(date(2025, 5, 1), 11))  # due Fri 2 May
    bank_holiday_add(on=date(2025, 5, 2), name="One-off bank holiday", by=system_admin)
    assert only(journey.child, "referral_decision").due_on == date(2025, 5, 6)  # skips the 5 May holiday too
    contact.refresh_from_db()
    assert contact.decision_due_on == date(2025, 5, 6)
