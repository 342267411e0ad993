"""Hand-built care histories for the children-looked-after, care-leaver and workforce indicator tests.

Rows are written straight to the audited models (``save(by="test")``), not through the services: the services
refuse dates in the future and other things a test of a past year needs, and are tested in their own apps.
Every row still keeps the models' constraints, so the histories are ones Hearth can hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.care.models import CareLegalStatus, PeriodOfCare, Placement
from hearth.care_leavers.models import CareLeaverAccommodation, CareLeaverActivity, CareLeaverContact
from hearth.care_plans.models import SDQScore
from hearth.indicators.registry import Period, Result, evaluate
from hearth.missing.models import MissingEpisode
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person, make_user

YEAR_START, YEAR_END = date(2025, 4, 1), date(2026, 3, 31)
BY = "test"


def year(la: LocalAuthority, start: date = YEAR_START, end: date = YEAR_END) -> Period:
    return Period(la, start, end)


def run(code: str, la: LocalAuthority, start: date = YEAR_START, end: date = YEAR_END) -> Result:
    return evaluate(code, Period(la, start, end))


def keys(members: Sequence[Any] | None) -> list[str]:
    return sorted(m.key for m in members or [])


def child(la: LocalAuthority, born: date = date(2012, 6, 1), **extra: Any) -> Person:
    return make_person(la, date_of_birth=born, **extra)


# A placement: (type, started_on, ended_on); extra keyword values in a 4th item (a dict).
Home = tuple[Any, ...]


def in_care(person: Person, started_on: date, ended_on: date | None = None, *, reason: str = "",
            statuses: Sequence[tuple[str, date, date | None]] | None = None, homes: Sequence[Home] = (),
            home_postcode: str = "NG1 1AA") -> PeriodOfCare:
    """A period of care with its legal statuses (default: C2 throughout) and placements, oldest first."""
    la_id = person.local_authority_id
    period = PeriodOfCare(local_authority_id=la_id, child=person, started_on=started_on, ended_on=ended_on,
                          category_of_need="N1", reason_ceased=reason or ("E8" if ended_on else ""),
                          home_postcode=home_postcode)
    period.save(by=BY)
    for legal_status, s, e in statuses or [("C2", started_on, ended_on)]:
        CareLegalStatus(local_authority_id=la_id, child=person, period=period, legal_status=legal_status,
                        started_on=s, ended_on=e).save(by=BY)
    for home in homes:
        placement_type, s, e = home[:3]
        extra: dict[str, Any] = {"carer_name": f"Carer {placement_type} {s}", "postcode": "NG7 2AA",
                                 "provider": "PR1", **(home[3] if len(home) > 3 else {})}
        Placement(local_authority_id=la_id, child=person, period=period, placement_type=placement_type,
                  started_on=s, ended_on=e, **extra).save(by=BY)
    return period


def placed(person: Person, started_on: date, homes: Sequence[Home], **kwargs: Any) -> PeriodOfCare:
    """Looked after from ``started_on`` with these placements (the first begins with the period)."""
    return in_care(person, started_on, homes=homes, **kwargs)


def allocate(person: Person, team: Team, worker: User | None, started_on: date, ended_on: date | None = None,
             kind: str = Allocation.Kind.SOCIAL_WORKER) -> Allocation:
    allocation = Allocation(local_authority_id=person.local_authority_id, child=person, kind=kind, team=team,
                            worker=worker, started_on=started_on, ended_on=ended_on)
    allocation.save(by=BY)
    return allocation


def worker(la: LocalAuthority, team: Team | None = None, *, role: str = Role.SOCIAL_WORKER, fte: str = "1.00",
           employment: str = User.EmploymentType.PERMANENT, started_on: date | None = date(2020, 1, 1),
           left_on: date | None = None, swe: str = "", **extra: Any) -> User:
    return make_user(la, role, team, fte=Decimal(fte), employment_type=employment, started_on=started_on,
                     left_on=left_on, social_work_england_number=swe, **extra)


def went_missing(person: Person, on: date, back: date | None = None, *, kind: str = "M",
                 from_care: bool = True) -> MissingEpisode:
    zone = timezone.get_current_timezone()
    episode = MissingEpisode(local_authority_id=person.local_authority_id, child=person, missing_type=kind,
                             from_care=from_care, started_at=datetime.combine(on, time(20, 0), zone),
                             ended_at=datetime.combine(back, time(9, 0), zone) if back else None)
    episode.save(by=BY)
    return episode


def sdq(person: Person, period: PeriodOfCare, on: date, score: int | None, reason: str = "") -> SDQScore:
    row = SDQScore(local_authority_id=person.local_authority_id, child=person, period=period, completed_on=on,
                   score=score, reason=reason)
    row.save(by=BY)
    return row


def leaving_care(person: Person, *, contact: tuple[date, str] | None = None, activity: tuple[date, str] | None = None,
                 accommodation: tuple[date, str, bool] | None = None) -> None:
    """The leaving-care facts OC3 reads around a birthday."""
    la_id = person.local_authority_id
    if contact is not None:
        CareLeaverContact(local_authority_id=la_id, child=person, contacted_on=contact[0], in_touch=contact[1],
                          method=CareLeaverContact.Method.IN_PERSON).save(by=BY)
    if activity is not None:
        CareLeaverActivity(local_authority_id=la_id, child=person, started_on=activity[0],
                           activity=activity[1]).save(by=BY)
    if accommodation is not None:
        CareLeaverAccommodation(local_authority_id=la_id, child=person, started_on=accommodation[0],
                                accommodation=accommodation[1], suitable=accommodation[2]).save(by=BY)


def former_relevant(la: LocalAuthority, born: date, *, homes: Sequence[Home] | None = None, reason: str = "E17",
                    **facts: Any) -> Person:
    """A young person looked after from 15 to their 18th birthday (so eligible, then former relevant), with the
    leaving-care facts given (see ``leaving_care``)."""
    person = child(la, born)
    start, end = date(born.year + 15, born.month, min(born.day, 28)), date(born.year + 18, born.month, born.day)
    in_care(person, start, end, reason=reason, homes=homes if homes is not None else [("U4", start, end)])
    leaving_care(person, **facts)
    return person
