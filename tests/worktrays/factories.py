"""Builders for work-tray tests: episodes, assessments, contacts, clocks and child protection rows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.cin.models import Assessment, CINEpisode
from hearth.clocks.models import Clock
from hearth.clocks.services import clock_start
from hearth.clocks.working_days import LONDON
from hearth.front_door.models import Contact
from hearth.front_door.services import contact_receive
from hearth.people.models import Person
from hearth.protection.models import Section47Enquiry, StrategyDiscussion

BY = "test"


def make_episode(child: Person, *, team: Team | None = None, referral_date: date = date(2026, 1, 5)) -> CINEpisode:
    episode = CINEpisode(local_authority_id=child.local_authority_id, child=child, referral_date=referral_date,
                         referral_source="1A", team=team)
    episode.save(by=BY)
    return episode


def make_assessment(child: Person, episode: CINEpisode, *, worker: User | None = None,
                    started_on: date | None = None, status: str = Assessment.Status.IN_PROGRESS,
                    child_seen_on: date | None = None, **extra: Any) -> Assessment:
    assessment = Assessment(local_authority_id=child.local_authority_id, child=child, episode=episode,
                            started_on=started_on or episode.referral_date, worker=worker, status=status,
                            child_seen_on=child_seen_on, **extra)
    assessment.save(by=BY)
    return assessment


def make_contact(la: Any, *, child: Person | None = None, received: date = date(2026, 1, 5),
                 screened_by: User | None = None, first_name: str = "Robin") -> Contact:
    # 10:00 on the day, or a minute ago when today's 10:00 has not come yet (the suite runs at any hour).
    received_at = min(datetime.combine(received, time(10, 0), tzinfo=LONDON), timezone.now() - timedelta(minutes=1))
    contact = contact_receive(
        local_authority=la, received_at=received_at, channel="phone",
        source="1A", concerns="Worried about bruising", consent="given", by=BY, child=child,
        child_details={} if child else {"first_name": first_name, "last_name": "Contactee"},
    )
    if screened_by is not None:
        contact.status = Contact.Status.SCREENING
        contact.screened_by = screened_by
        contact.save(by=BY)
    return contact


def make_clock(child: Person, rule_id: str, started_on: date, *, assigned_to: User | None = None,
               subject: Any = None) -> Clock:
    return clock_start(child=child, rule_id=rule_id, started_on=started_on, assigned_to=assigned_to,
                       subject=subject, by=BY)


def make_completed_s47(child: Person, episode: CINEpisode, *, completed_on: date) -> Section47Enquiry:
    discussion = StrategyDiscussion(local_authority_id=child.local_authority_id, child=child, episode=episode,
                                    held_on=completed_on, reason="Injury",
                                    decision=StrategyDiscussion.Decision.START_S47)
    discussion.save(by=BY)
    enquiry = Section47Enquiry(local_authority_id=child.local_authority_id, child=child, episode=episode,
                               strategy_discussion=discussion, started_on=completed_on, completed_on=completed_on,
                               outcome=Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK, icpc_required=True)
    enquiry.save(by=BY)
    return enquiry
