"""Records in the database for the SSDA903 export tests: children in care, their timelines, reviews,
outcomes, missing episodes and social workers.

Rows are written straight to the audited models with ``save(by=...)`` (the care services, tested in
tests/care, refuse dates in the future and start clocks these tests do not need), so a test can set
any past collection year exactly.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.care.models import AdoptionPlan, CareLegalStatus, DeprivationOfLibertyOrder, PeriodOfCare, Placement
from hearth.care_leavers.models import CareLeaverAccommodation, CareLeaverActivity, CareLeaverContact
from hearth.care_plans.models import (
    DentalCheck,
    HealthAssessment,
    ImmunisationCheck,
    LookedAfterReview,
    OC2Outcome,
    SDQScore,
)
from hearth.clocks.working_days import LONDON
from hearth.missing.models import MissingEpisode
from hearth.people.models import Person, Relationship
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person, make_team, make_user

BY = "test"
_swe = itertools.count(400_001)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def social_worker(la: LocalAuthority, team: Team | None = None, *, registered: bool = True, **extra: Any) -> User:
    if registered:
        extra.setdefault("social_work_england_number", f"SW{next(_swe)}")
    return make_user(la, Role.SOCIAL_WORKER, team or make_team(la, kind=Team.Kind.CHILDREN_IN_CARE), **extra)


def child(la: LocalAuthority, **extra: Any) -> Person:
    extra.setdefault("date_of_birth", date(2012, 6, 1))
    extra.setdefault("sex", "M")
    extra.setdefault("ethnicity", "WBRI")
    extra.setdefault("upn", "A892101200001")
    return make_person(la, **extra)


def period(person: Person, started_on: date, *, ended_on: date | None = None, reason: str = "", cin: str = "N1",
           home_postcode: str = "ng7 2bh", previous_permanence: str = "Z1", previous_permanence_la: str = "",
           previous_permanence_on: date | None = None) -> PeriodOfCare:
    row = PeriodOfCare(local_authority_id=person.local_authority_id, child=person, started_on=started_on,
                       ended_on=ended_on, reason_ceased=reason if ended_on else "", category_of_need=cin,
                       home_postcode=home_postcode, previous_permanence=previous_permanence,
                       previous_permanence_la=previous_permanence_la, previous_permanence_on=previous_permanence_on)
    row.save(by=BY)
    return row


def legal_status(care: PeriodOfCare, code: str, started_on: date, ended_on: date | None = None) -> CareLegalStatus:
    row = CareLegalStatus(local_authority_id=care.local_authority_id, child_id=care.child_id, period=care,
                          legal_status=code, started_on=started_on, ended_on=ended_on)
    row.save(by=BY)
    return row


def placement(care: PeriodOfCare, place: str, started_on: date, ended_on: date | None = None, *,
              provider: str = "PR1", urn: str = "SC123456", postcode: str = "NG5 1AA", same_carer: bool = False,
              reason_for_change: str = "") -> Placement:
    row = Placement(local_authority_id=care.local_authority_id, child_id=care.child_id, period=care,
                    placement_type=place, provider=provider, urn=urn, postcode=postcode, started_on=started_on,
                    ended_on=ended_on, same_carer_as_previous=same_carer, reason_for_change=reason_for_change)
    row.save(by=BY)
    return row


def looked_after(la: LocalAuthority, started_on: date, *, ended_on: date | None = None, reason: str = "E4A",
                 ls: str = "C2", place: str = "U4", **person: Any) -> tuple[Person, PeriodOfCare]:
    """A child with one period of care, one legal status and one placement throughout."""
    kid = child(la, **person)
    care = period(kid, started_on, ended_on=ended_on, reason=reason)
    legal_status(care, ls, started_on, ended_on)
    placement(care, place, started_on, ended_on)
    return kid, care


def allocate(person: Person, worker: User | None, started_on: date, ended_on: date | None = None, *,
             team: Team | None = None, end_reason: str = "") -> Allocation:
    if team is None:
        team = worker.team if worker is not None and worker.team is not None else make_team(person.local_authority)
    row = Allocation(local_authority_id=person.local_authority_id, child=person, kind=Allocation.Kind.SOCIAL_WORKER,
                     team=team, worker=worker, started_on=started_on, ended_on=ended_on, end_reason=end_reason)
    row.save(by=BY)
    return row


def review(care: PeriodOfCare, held_on: date, participation: str = "PN1", *, chair: User) -> LookedAfterReview:
    row = LookedAfterReview(local_authority_id=care.local_authority_id, child_id=care.child_id, period=care,
                            held_on=held_on, chair=chair, participation=participation)
    row.save(by=BY)
    return row


def went_missing(person: Person, started: datetime, ended: datetime | None = None, *, kind: str = "M",
                 from_care: bool = True) -> MissingEpisode:
    row = MissingEpisode(local_authority_id=person.local_authority_id, child=person, missing_type=kind,
                         from_care=from_care, started_at=started, ended_at=ended)
    row.save(by=BY)
    return row


def oc2_records(care: PeriodOfCare, year: int, *, sdq: int | None = 12) -> None:
    """Health, dental, immunisation and SDQ in the collection year ending 31 March ``year``, and the typed items."""
    la, kid = care.local_authority_id, care.child_id
    HealthAssessment(local_authority_id=la, child_id=kid, period=care, kind=HealthAssessment.Kind.REVIEW,
                     done_on=date(year - 1, 9, 1)).save(by=BY)
    DentalCheck(local_authority_id=la, child_id=kid, period=care, checked_on=date(year - 1, 10, 1)).save(by=BY)
    ImmunisationCheck(local_authority_id=la, child_id=kid, period=care, checked_on=date(year - 1, 10, 2),
                      up_to_date=True).save(by=BY)
    SDQScore(local_authority_id=la, child_id=kid, period=care, completed_on=date(year - 1, 11, 1), score=sdq,
             reason="" if sdq is not None else "SDQ4").save(by=BY)
    OC2Outcome(local_authority_id=la, child_id=kid, year=year, convicted=False, substance_misuse=False).save(by=BY)


def care_leaver_records(person: Person, *, contacted_on: date, in_touch: str = "YES", activity: str = "F2",
                        accommodation: str = "D", since: date = date(2024, 9, 1)) -> None:
    la = person.local_authority_id
    CareLeaverContact(local_authority_id=la, child=person, contacted_on=contacted_on, method="phone",
                      in_touch=in_touch).save(by=BY)
    CareLeaverActivity(local_authority_id=la, child=person, started_on=since, activity=activity).save(by=BY)
    CareLeaverAccommodation(local_authority_id=la, child=person, started_on=since, accommodation=accommodation,
                            suitable=True).save(by=BY)


def adoption_plan(care: PeriodOfCare, decided_on: date, **extra: Any) -> AdoptionPlan:
    row = AdoptionPlan(local_authority_id=care.local_authority_id, child_id=care.child_id, period=care,
                       decided_on=decided_on, **extra)
    row.save(by=BY)
    return row


def dolo(care: PeriodOfCare, started_on: date, ended_on: date | None = None) -> DeprivationOfLibertyOrder:
    row = DeprivationOfLibertyOrder(local_authority_id=care.local_authority_id, child_id=care.child_id, period=care,
                                    started_on=started_on, ended_on=ended_on)
    row.save(by=BY)
    return row


def parent_of(mother: Person, baby_born: date) -> Person:
    baby = make_person(mother.local_authority, date_of_birth=baby_born, sex="F", first_name="Baby")
    Relationship(local_authority_id=mother.local_authority_id, person=mother, relative=baby,
                 kind=Relationship.Kind.PARENT, parental_responsibility=True, started_on=baby_born).save(by=BY)
    return baby
