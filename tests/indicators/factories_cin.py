"""Hand-built children-in-need and child protection records for the CIN indicator tests.

Rows are written straight to the audited models with ``save(by=...)``: the services refuse what these tests
need on purpose (a conference dated before its enquiry started, a referral closed after today's period, a
plan exactly 729 days long), and they start clocks the indicators never read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.cin.models import Assessment, CINEpisode, CINPlan
from hearth.indicators.models import ChildPopulation
from hearth.indicators.registry import Member, Period, Tally
from hearth.people.models import Person
from hearth.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person, make_user

BY = "test"
YEAR = (date(2025, 4, 1), date(2026, 3, 31))  # collection year 2025/26
POPULATION = 20_000  # children aged 0-17, mid-2025: one record is 0.5 per 10,000


def population(la: LocalAuthority, children: int = POPULATION, mid_year: int = 2025) -> ChildPopulation:
    return ChildPopulation.objects.create(local_authority=la, mid_year=mid_year, population=children,
                                          source="test")


def year(la: LocalAuthority, start: date = YEAR[0], end: date = YEAR[1]) -> Period:
    return Period(la, start, end)


def child(la: LocalAuthority, **extra: Any) -> Person:
    return make_person(la, **extra)


def unborn(la: LocalAuthority, due: date = date(2026, 6, 1)) -> Person:
    return make_person(la, date_of_birth=None, expected_date_of_birth=due, sex="U")


def referral(person: Person, on: date, *, closed_on: date | None = None, reason: str = "", nfa: bool = False,
             team: Team | None = None) -> CINEpisode:
    """A referral; ``nfa`` closes it RC7 with no further action (on the referral day unless ``closed_on``)."""
    if nfa:
        closed_on = closed_on or on
        reason = reason or "RC7"
    elif closed_on is not None:
        reason = reason or "RC7"
    row = CINEpisode(local_authority_id=person.local_authority_id, child=person, referral_date=on,
                     referral_source="2A", primary_need="N1", referral_nfa=nfa, closed_on=closed_on,
                     closure_reason=reason if closed_on else "", team=team)
    row.save(by=BY)
    return row


def assessment(episode: CINEpisode, started_on: date, authorised_on: date | None = None, *,
               awaiting: bool = False) -> Assessment:
    """An assessment, authorised on ``authorised_on`` when given (else in progress, or awaiting a manager)."""
    status = (Assessment.Status.AUTHORISED if authorised_on else
              Assessment.Status.AWAITING_AUTHORISATION if awaiting else Assessment.Status.IN_PROGRESS)
    row = Assessment(local_authority_id=episode.local_authority_id, child_id=episode.child_id, episode=episode,
                     started_on=started_on, status=status, authorised_on=authorised_on, factors=["21"],
                     outcome="nfa" if authorised_on else "")
    row.save(by=BY)
    return row


def cin_plan(episode: CINEpisode, started_on: date, ended_on: date | None = None) -> CINPlan:
    row = CINPlan(local_authority_id=episode.local_authority_id, child_id=episode.child_id, episode=episode,
                  started_on=started_on, ended_on=ended_on, end_reason="needs_met" if ended_on else "")
    row.save(by=BY)
    return row


def enquiry(episode: CINEpisode, started_on: date, *, completed_on: date | None = None,
            icpc_required: bool | None = None) -> Section47Enquiry:
    """A section 47 enquiry and the strategy discussion that started it, the same day."""
    discussion = StrategyDiscussion(local_authority_id=episode.local_authority_id, child_id=episode.child_id,
                                    episode=episode, held_on=started_on, reason="Injury seen at school",
                                    decision=StrategyDiscussion.Decision.START_S47)
    discussion.save(by=BY)
    outcome = ("" if completed_on is None else
               Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK if icpc_required else
               Section47Enquiry.Outcome.NOT_SUBSTANTIATED)
    row = Section47Enquiry(local_authority_id=episode.local_authority_id, child_id=episode.child_id,
                           episode=episode, strategy_discussion=discussion, started_on=started_on,
                           completed_on=completed_on, outcome=outcome,
                           icpc_required=icpc_required if completed_on else None)
    row.save(by=BY)
    return row


def chair(la: LocalAuthority) -> User:
    return make_user(la, Role.IRO, first_name="Chris", last_name="Chair")


def conference(episode: CINEpisode, held_on: date, chaired_by: User, *,
               kind: str = ChildProtectionConference.Kind.INITIAL, section47: Section47Enquiry | None = None,
               cp_plan: ChildProtectionPlan | None = None,
               outcome: str = ChildProtectionConference.Outcome.PLAN) -> ChildProtectionConference:
    transfer = kind == ChildProtectionConference.Kind.TRANSFER_IN
    row = ChildProtectionConference(
        local_authority_id=episode.local_authority_id, child_id=episode.child_id, episode=episode, kind=kind,
        section47=section47, cp_plan=cp_plan, held_on=held_on, chair=chaired_by, outcome=outcome,
        notified_on=held_on if transfer else None, previous_authority="Another Council" if transfer else "")
    row.save(by=BY)
    return row


def plan(episode: CINEpisode, started_on: date, ended_on: date | None = None, *,
         previous_plans: int = 0) -> ChildProtectionPlan:
    row = ChildProtectionPlan(local_authority_id=episode.local_authority_id, child_id=episode.child_id,
                              episode=episode, started_on=started_on, ended_on=ended_on, initial_category="NEG",
                              latest_category="NEG", previous_plans=previous_plans,
                              end_reason="step_down_cin" if ended_on else "")
    row.save(by=BY)
    return row


def keys(members: list[Member] | None) -> list[str]:
    assert members is not None
    return [m.key for m in members]


def key_of(row: Any) -> str:
    """The member key of a model row ("cin.cinepisode:12")."""
    return f"{row._meta.label_lower}:{row.pk}"


def sorted_keys(rows: list[Any]) -> list[str]:
    return sorted(key_of(r) for r in rows)


def parts(tally: Tally) -> tuple[list[str], list[str] | None]:
    """Numerator and denominator keys, sorted."""
    return sorted(keys(tally.numerator)), None if tally.denominator is None else sorted(keys(tally.denominator))
