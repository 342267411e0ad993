"""Builders for child protection tests: every step through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.cin.codes import ReferralSource
from hearth.cin.models import CINEpisode
from hearth.cin.services import cin_episode_open
from hearth.oversight.models import DecisionPoint
from hearth.oversight.services import oversight_record
from hearth.people.models import Person
from hearth.protection import services
from hearth.protection.models import (
    Agency,
    ChildProtectionConference,
    ChildProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_user

ALL_CORE = [Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH]


def make_chair(la: LocalAuthority, **extra: Any) -> User:
    return make_user(la, Role.IRO, first_name="Chris", last_name="Chair", **extra)


def make_manager(la: LocalAuthority, team: Team | None = None) -> User:
    return make_user(la, Role.TEAM_MANAGER, team)


def open_episode(child: Person, on: date = date(2024, 12, 2), by: Any = "test") -> CINEpisode:
    return cin_episode_open(child=child, referral_date=on, referral_source=ReferralSource.SCHOOLS, by=by)


def discuss(child: Person, on: date, by: Any, decision: str = StrategyDiscussion.Decision.START_S47,
            **extra: Any) -> StrategyDiscussion:
    values: dict[str, Any] = {"agencies_present": ALL_CORE, "reason": "Bruising seen at school"}
    values.update(extra)
    return services.strategy_discussion_record(child=child, held_on=on, decision=decision, by=by, **values)


def enquiry_at_risk(child: Person, *, discussed_on: date, completed_on: date, by: Any,
                    manager: User | None = None) -> Section47Enquiry:
    discussion = discuss(child, discussed_on, by)
    enquiry = discussion.s47_enquiries.get()
    services.s47_complete(enquiry=enquiry, completed_on=completed_on,
                          outcome=Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK, findings="Continuing risk", by=by)
    if manager is not None:
        oversight_record(subject=enquiry, decision_point=DecisionPoint.S47_OUTCOME, rationale="Agree: ICPC",
                         child=child, by=manager)
    return enquiry


def initial_conference(child: Person, *, held_on: date, chair: User, by: Any, outcome: str = "plan",
                       category: str = "NEG", **extra: Any) -> ChildProtectionConference:
    return services.conference_record(kind=ChildProtectionConference.Kind.INITIAL, child=child, held_on=held_on,
                                      chair=chair, outcome=outcome, category=category, by=by, **extra)


def plan_for(child: Person, *, chair: User, manager: User, by: Any, referral_on: date = date(2024, 12, 2),
             discussed_on: date = date(2024, 12, 20), completed_on: date = date(2025, 1, 8),
             icpc_on: date = date(2025, 1, 15), category: str = "NEG", episode: bool = True) -> ChildProtectionPlan:
    """The whole path from referral to a plan starting at the ICPC."""
    if episode:
        open_episode(child, referral_on, by)
    enquiry_at_risk(child, discussed_on=discussed_on, completed_on=completed_on, by=by, manager=manager)
    conference = initial_conference(child, held_on=icpc_on, chair=chair, by=by, category=category)
    assert conference.cp_plan is not None
    return conference.cp_plan


def oversee_end(plan: ChildProtectionPlan, manager: User) -> None:
    oversight_record(subject=plan, decision_point=DecisionPoint.CP_PLAN_END, rationale="Agree: step down",
                     child=plan.child, by=manager)
