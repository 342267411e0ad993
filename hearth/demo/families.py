"""Children known to children's services over five years, and the families around them.

One family at a time: a mother, the children's fathers (some unknown or absent), sometimes a
partner or a grandmother; children with birth gaps, twins now and then, half-siblings where the
fathers differ (and across families when a father has children with two mothers). Each family
lives somewhere and may move; each child known to the service has an allocation history, open
or closed; closed ones follow the council's improvement journey (``casework.practice_quality``):
while practice was poor, short assessment cases ran longer and families came back sooner. Rows are
gathered in memory and written with the audited ``bulk_create`` every few thousand people, so each
row still gets its ChangeRecord.

Planted duplicates and recording errors are written down (PlantedDuplicate, PlantedError) so
benchmarks and data-quality tests can check what they find against what was planted. A duplicate is
a second record made at the front door for one short referral, in a census year when the child was
not open to the service (so the front door had no allocated worker to find them by): the two
records are never in one CIN census together, and the returns stay clean at error rate 0.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from faker import Faker

from hearth.access.models import AllowListEntry
from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.audit.actor import current_actor
from hearth.chronology.models import CaseNote, ChronologyEvent, EventType
from hearth.people.codes import Disability, Ethnicity, ImmigrationStatus, UPNUnknown
from hearth.people.models import (
    Address,
    ContactDetail,
    Person,
    PersonName,
    ProfessionalInvolvement,
    Relationship,
)
from hearth.tenancy.models import LocalAuthority

from .bulk import SeedWriter, new
from .casework import CaseworkBuilder, by_quality, census_year, practice_quality

if TYPE_CHECKING:
    from .care import CareBuilder
from .models import PlantedDuplicate, PlantedError
from .names import (
    ETHNICITY_WEIGHTS,
    MIXED_PARENTS,
    NICKNAMES,
    TRANSLITERATIONS,
    UASC_ORIGINS,
    Namer,
    same_nickname_group,
    typo,
)
from .notes import GENERAL_NOTES, NOTES_BY_KIND, PETS
from .places import (
    TOWN,
    Identifiers,
    Organisation,
    Place,
    Places,
    broken_nhs_number,
    broken_upn,
    random_place,
)

Kind = Team.Kind
ONE_DAY = timedelta(days=1)
FLUSH_AT = 6000  # people gathered before the rows are written

# About 1.5% of children known to the service have a second record.
DUPLICATE_RATE = 0.015
# A second record's referral is closed within this many days, inside one census year.
SECOND_RECORD_DAYS = 40
DUPLICATE_KINDS: list[tuple[str, float]] = [
    (PlantedDuplicate.Kind.TYPO, 0.25), (PlantedDuplicate.Kind.TRANSPOSED_DATE, 0.1),
    (PlantedDuplicate.Kind.NICKNAME, 0.15), (PlantedDuplicate.Kind.SURNAME_CHANGE, 0.15),
    (PlantedDuplicate.Kind.MISSING_IDENTIFIERS, 0.15), (PlantedDuplicate.Kind.COMBINED, 0.2),
]
SINGLE_DIFFERENCES = [k for k, _ in DUPLICATE_KINDS if k != PlantedDuplicate.Kind.COMBINED]
TWIN_RATE = 0.015
DISABILITY_RATE = 0.08
DISABILITY_CODES = [c for c in Disability.values if c != Disability.NONE]
# Share of children in care who are unaccompanied asylum seekers, and of care leavers who were.
UASC_IN_CARE = 0.08
UASC_LEAVERS = 0.15

# Chances and spans that move with the council's practice (``casework.practice_quality``), as (at its
# poorest, at its best): how much longer a short assessment-team case ran while assessments drifted; a
# family referred again after its case closed; the most days from that closure to the next referral (a
# front door that closed cases too soon saw the same children again within the year).
ASSESSMENT_DRIFT = (1.9, 1.0)
REFERRED_AGAIN = (0.42, 0.30)
REFERRED_AGAIN_WITHIN = (240, 450)
# Teams that held the closed cases of the last five years.
# Children in care are few of them (about 25 children a year start a period that has ended since, in a
# Nottingham-sized council), but their periods are long enough for adoption and special guardianship.
CLOSED_KINDS = [(Kind.ASSESSMENT, 0.635), (Kind.SAFEGUARDING, 0.25), (Kind.DISABLED_CHILDREN, 0.07),
                (Kind.EXPLOITATION, 0.04), (Kind.CHILDREN_IN_CARE, 0.005)]
# The teams a case passes through before it reaches a team of each kind.
CASE_PATHS: dict[str, list[str]] = {
    Kind.ASSESSMENT: [Kind.ASSESSMENT],
    Kind.SAFEGUARDING: [Kind.ASSESSMENT, Kind.SAFEGUARDING],
    Kind.CHILDREN_IN_CARE: [Kind.ASSESSMENT, Kind.SAFEGUARDING, Kind.CHILDREN_IN_CARE],
    Kind.DISABLED_CHILDREN: [Kind.ASSESSMENT, Kind.DISABLED_CHILDREN],
    Kind.EXPLOITATION: [Kind.ASSESSMENT, Kind.SAFEGUARDING, Kind.EXPLOITATION],
    Kind.CARE_LEAVERS: [Kind.CHILDREN_IN_CARE],
}
CLOSING_REASONS = ["No further action", "Case closed: needs met", "Stepped down to early help",
                   "Moved out of the area", "Case closed: plan ended"]



def _at_noon(day: date) -> datetime:
    # Date-only events sit at midday, as chronology_record places them.
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _years(day: date, years: int) -> date:
    return day + relativedelta(years=years)


def _rand_date(rng: random.Random, lo: date, hi: date) -> date:
    if hi <= lo:
        return lo
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


@dataclass
class Span:
    """One allocation in a history: the team and worker who held the case, and when."""

    team: Team
    worker: User | None
    start: date
    end: date | None = None
    reason: str = ""
    kind: str = Allocation.Kind.SOCIAL_WORKER


@dataclass
class Lived:
    place: Place
    start: date | None
    end: date | None


@dataclass(eq=False)
class Father:
    key: int
    person: Person | None
    surname: str
    pool: str
    ethnicity: str
    dob: date
    children: list[Kid] = field(default_factory=list)
    in_household: bool = False
    homes: list[Lived] = field(default_factory=list)


@dataclass(eq=False)
class Kid:
    person: Person
    dob: date | None
    father: Father
    twin: bool = False
    spans: list[Span] = field(default_factory=list)
    open_kind: str | None = None
    left_home: date | None = None
    homes: list[Lived] = field(default_factory=list)
    error: str = ""
    addresses: list[Address] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    parent_links: list[Relationship] = field(default_factory=list)
    # Periods of care planned by hearth.demo.care (before the child's homes are written).
    care: list[Any] = field(default_factory=list)
    # Referrals as casework wrote them (start, end): a second record keeps out of their census years.
    referrals: list[tuple[date, date | None]] = field(default_factory=list)
    # A second record made at the front door: the one referral it was made for, no other (casework).
    second_record: bool = False
    # Its referral went no further (the census's UN7 reason for no UPN needs that).
    nfa_referral: bool = False

    @property
    def known(self) -> bool:
        return bool(self.spans)


@dataclass
class Staffing:
    """The organisation the generator allocates children to."""

    case_teams: dict[str, list[Team]]
    team_members: dict[int, list[User]]
    avoid_team: Team  # the demo social worker's team: the break-glass example sits elsewhere
    # sw.demo: given a share of their team's new cases until they hold a full caseload.
    demo_worker: User | None = None
    demo_caseload: int = 17


@dataclass
class PeopleSummary:
    people: int = 0
    children_known: int = 0
    open_cases: int = 0
    families: int = 0
    duplicates: int = 0
    errors: int = 0
    restricted: int = 0
    sealed: int = 0
    allocations: int = 0
    rows_written: int = 0
    restricted_example: Person | None = None
    error_kinds: dict[str, int] = field(default_factory=dict)


class PeopleBuilder:
    """Makes the council's people family by family and writes them in batches (see the module docstring)."""

    def __init__(self, *, la: LocalAuthority, seed: int, staffing: Staffing, places: Places, ids: Identifiers,
                 today: date, error_rate: float, casework: Callable[[SeedWriter], CaseworkBuilder] | None = None,
                 care: Callable[[SeedWriter], CareBuilder] | None = None):
        self.la = la
        self.rng = random.Random(f"hearth-demo-people-{seed}")
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed * 7919 + 17)
        self.namer = Namer(self.rng, self.fake)
        self.staffing = staffing
        self.places = places
        self.ids = ids
        self.today = today
        self.window_start = _years(today, -5)
        self.error_rate = error_rate
        self.summary = PeopleSummary()
        self._father_keys = 0
        self._demo_cases = 0
        self._father_pool: list[Father] = []
        self._keys: set[tuple[str, str, date | None]] = set()
        self._first: list[Person] = []
        self._managers = {id(team): [u for u in staffing.team_members[id(team)] if u.role == Role.TEAM_MANAGER]
                          for teams in staffing.case_teams.values() for team in teams}
        self._weights = {str(code): weight for code, weight in ETHNICITY_WEIGHTS.items()}
        self._record_url = self._url_pattern("people:child_record", [987654321])
        self._note_url = self._url_pattern("chronology:note_edit", {"person_pk": 987654321, "pk": 123456789})
        actor = current_actor()
        if actor is None:
            raise ValueError("Build the council inside acting_as(...): every row needs its history")
        self.writer = SeedWriter(actor=actor)
        # Contacts, referrals, assessments and plans hang on the allocation histories made here.
        self.casework = casework(self.writer) if casework is not None else None
        # Children in care, care leavers, missing children, registers and carers (hearth.demo.care).
        self.care = care(self.writer) if care is not None else None
        if self.casework is not None:
            self.casework.care = self.care
        if self.care is not None:
            self.care.error_rate = error_rate
        self._reset_buffers()

    # ------------------------------------------------------------------------------------------ buffers

    def _reset_buffers(self) -> None:
        self.persons: list[Person] = []
        # (address, previous address for a known child's chronology, the day they moved)
        self.addresses: list[tuple[Address, str, date | None]] = []
        self.names: list[PersonName] = []
        self.contacts: list[ContactDetail] = []
        self.relationships: list[Relationship] = []
        self.professionals: list[ProfessionalInvolvement] = []
        self.allocations: list[tuple[Allocation, str]] = []
        self.notes: list[CaseNote] = []
        self.allow: list[AllowListEntry] = []
        self.duplicates: list[tuple[Person, Person, str, str]] = []
        self.errors: list[tuple[Person, str, str]] = []

    @staticmethod
    def _url_pattern(name: str, args: Any) -> str | None:
        try:
            url = reverse(name, kwargs=args) if isinstance(args, dict) else reverse(name, args=args)
        except NoReverseMatch:
            return None
        return url.replace("987654321", "{person}").replace("123456789", "{pk}")

    def _record_link(self, person: Person) -> str:
        return self._record_url.format(person=person.pk) if self._record_url else ""

    def _save(self, model: type[models.Model], objs: Sequence[models.Model]) -> None:
        self.writer.save(model, objs)

    def flush(self) -> None:
        first = {id(p) for p in self._first}
        people = self._first + [p for p in self.persons if id(p) not in first]
        self._first = []
        self._save(Person, people)
        self.summary.people += len(people)
        self._save(Address, [a for a, _, _ in self.addresses])
        self._save(PersonName, self.names)
        self._save(ContactDetail, self.contacts)
        self._save(Relationship, self.relationships)
        self._save(ProfessionalInvolvement, self.professionals)
        self._save(Allocation, [a for a, _ in self.allocations])
        self._save(CaseNote, self.notes)
        self._save(ChronologyEvent, self._events())
        self._save(AllowListEntry, self.allow)
        self._save(PlantedDuplicate, [
            new(PlantedDuplicate, local_authority=self.la, original=o, duplicate=d, kind=k, detail=detail)
            for o, d, k, detail in self.duplicates
        ])
        self._save(PlantedError, [new(PlantedError, local_authority=self.la, person=p, kind=k, detail=detail)
                                  for p, k, detail in self.errors])
        self.summary.allocations += len(self.allocations)
        if self.casework is not None:
            self.casework.flush()
        if self.care is not None:
            self.care.flush()
        self._reset_buffers()

    def _events(self) -> list[ChronologyEvent]:
        events = []
        previous: dict[int, Allocation] = {}
        for allocation, reason in self.allocations:
            child = allocation.child
            who = self._who(allocation)
            if allocation.kind != Allocation.Kind.SOCIAL_WORKER:
                who = f"{Allocation.Kind(allocation.kind).label}: {who}"
            prior = previous.get(child.pk)
            if prior is not None and prior.ended_on != allocation.started_on:
                prior = None
            manager = self._manager(allocation.team)
            events.append(new(ChronologyEvent,
                local_authority=self.la, person=child, occurred_at=_at_noon(allocation.started_on), time_known=False,
                event_type=EventType.ALLOCATION,
                title=(f"Allocated to {who}" if allocation.kind == Allocation.Kind.SOCIAL_WORKER else who)[:200],
                summary=f"Previously {self._who(prior)}" if prior is not None else "",
                author=manager, source_label="allocations.Allocation", source_id=str(allocation.pk),
                link=self._record_link(child),
            ))
            if allocation.ended_on is not None and reason != "Reallocated":
                events.append(new(ChronologyEvent,
                    local_authority=self.la, person=child, occurred_at=_at_noon(allocation.ended_on), time_known=False,
                    event_type=EventType.ALLOCATION, title=f"Allocation ended: {who}"[:200], summary=reason,
                    author=allocation.worker or manager, source_label="allocations.Allocation",
                    source_id=str(allocation.pk), link=self._record_link(child),
                ))
            previous[child.pk] = allocation
        for address, previous_address, moved in self.addresses:
            if previous_address and moved is not None:
                events.append(new(ChronologyEvent,
                    local_authority=self.la, person=address.person, occurred_at=_at_noon(moved), time_known=False,
                    event_type=EventType.ADDRESS, title=f"Moved to {address}"[:200],
                    summary=f"Previous address: {previous_address}", source_label="people.Address",
                    source_id=str(address.pk), link=self._record_link(address.person),
                ))
        for note in self.notes:
            text = html.unescape(note.body_html.replace("</p><p>", " ").replace("<p>", "").replace("</p>", ""))
            link = self._note_url.format(person=note.person.pk, pk=note.pk) if self._note_url else \
                self._record_link(note.person)
            events.append(new(ChronologyEvent,
                local_authority=self.la, person=note.person, occurred_at=note.occurred_at,
                event_type=EventType.CASE_NOTE, title=note.title, summary=text[:300], author=note.author,
                source_label="chronology.CaseNote", source_id=str(note.pk), link=link, significant=note.significant,
            ))
        return events

    def _manager(self, team: Team) -> User | None:
        managers = self._managers.get(id(team))
        return managers[0] if managers else None

    @staticmethod
    def _who(allocation: Allocation | None) -> str:
        if allocation is None:
            return ""
        worker = allocation.worker.get_full_name() if allocation.worker is not None else ""
        return f"{worker}, {allocation.team}" if worker else str(allocation.team)

    # ------------------------------------------------------------------------------------------ the run

    def build(self, *, open_counts: dict[str, int], children_known: int) -> PeopleSummary:
        remaining = dict(open_counts)
        # The first record is restricted and in care, the second sealed: every demo has one of each.
        self._family(Kind.CHILDREN_IN_CARE, remaining, single=True, level=Person.AccessLevel.RESTRICTED)
        kinds = [k for k in remaining if remaining[k] > 0]
        self._family(self.rng.choices(kinds, [remaining[k] for k in kinds])[0], remaining, single=True,
                     level=Person.AccessLevel.SEALED)
        while any(remaining.values()):
            kinds = [k for k in remaining if remaining[k] > 0]
            self._family(self.rng.choices(kinds, [remaining[k] for k in kinds])[0], remaining)
            if len(self.persons) >= FLUSH_AT:
                self.flush()
        while self.summary.children_known < children_known:
            self._family(None, remaining)
            if len(self.persons) >= FLUSH_AT:
                self.flush()
        self.flush()
        if self.casework is not None:
            self.casework.finish()
        if self.care is not None:
            self.care.finish()
            # Mistakes planted in children's care records count with those in their details.
            self.summary.errors += self.care.summary.errors
            for kind, count in self.care.summary.error_kinds.items():
                self.summary.error_kinds[kind] = self.summary.error_kinds.get(kind, 0) + count
        self.writer.finish()
        self.summary.rows_written = self.writer.rows
        return self.summary

    # ------------------------------------------------------------------------------------------ people

    def _person(self, **values: Any) -> Person:
        person = new(Person, local_authority=self.la, **values)
        self.persons.append(person)
        return person

    def _unique_first(self, pool: str, sex: str, last: str, dob: date | None, taken: Sequence[str],
                      born_here: bool = True) -> str:
        first = ""
        for _ in range(12):
            first = self.namer.child_first(pool, sex, born_here=born_here)
            if (first.lower(), last.lower(), dob) in self._keys:
                continue
            if any(same_nickname_group(first, other) for other in taken):
                continue
            break
        self._keys.add((first.lower(), last.lower(), dob))
        return first

    def _adult(self, *, pool: str, sex: str, ethnicity: str, dob: date, last: str, older: bool = False,
               nhs_share: float = 0.85) -> Person:
        first = self.namer.adult_first(pool, sex, older=older)
        if (first.lower(), last.lower(), dob) in self._keys:
            dob = dob + timedelta(days=self.rng.randint(1, 200))
        self._keys.add((first.lower(), last.lower(), dob))
        adult = self._person(
            first_name=first, last_name=last, date_of_birth=dob, sex=sex, ethnicity=ethnicity,
            first_language=self.namer.language(pool), religion=self.namer.religion(pool),
            nhs_number=self.ids.nhs_number() if self.rng.random() < nhs_share else "",
        )
        if _years(dob, 18) > self.today:
            # A parent who is still a child has a UPN like any other child.
            adult.nhs_number = adult.nhs_number or self.ids.nhs_number()
            self._upn(adult, dob, self.rng.choice(list(self.places.by_district)))
        return adult

    def _child_person(self, *, pool: str, sex: str, ethnicity: str, dob: date | None, expected: date | None,
                      last: str, taken: Sequence[str], born_here: bool = True) -> Person:
        first = self._unique_first(pool, sex, last, dob, taken, born_here)
        values: dict[str, Any] = {
            "first_name": first, "middle_names": self.namer.middle(pool, sex) if dob else "", "last_name": last,
            "date_of_birth": dob, "expected_date_of_birth": expected, "sex": sex if dob else Person.Sex.UNKNOWN,
            "ethnicity": ethnicity, "first_language": self.namer.language(pool), "religion": self.namer.religion(pool),
            "disabilities": [Disability.NONE] if dob else [],
        }
        if dob is not None:
            values["nhs_number"] = self.ids.nhs_number()
            if first in NICKNAMES and self.rng.random() < 0.12:
                values["preferred_name"] = self.rng.choice(NICKNAMES[first])
            if dob and (self.today - dob).days > 13 * 365 and self.rng.random() < 0.006:
                values["gender_identity"] = self.rng.choice(["Non-binary", "Trans boy", "Trans girl"])
        return self._person(**values)

    # ------------------------------------------------------------------------------------------ families

    def _child_dobs(self, kind: str | None) -> tuple[list[date], int]:
        """Birth dates, eldest first, and which child the case is about."""
        rng, today = self.rng, self.today

        def age(lo_years: float, hi_years: float) -> date:
            return today - timedelta(days=rng.randint(int(lo_years * 365.25), int(hi_years * 365.25)))

        if kind in (Kind.ASSESSMENT, Kind.SAFEGUARDING):
            band = rng.choices([(0.05, 1), (1, 5), (5, 10), (10, 16), (16, 17.9)], [0.25, 0.25, 0.25, 0.2, 0.05])[0]
            subject = age(*band)
        elif kind == Kind.DISABLED_CHILDREN:
            subject = age(2, 17.9)
        elif kind == Kind.EXPLOITATION:
            subject = age(12, 17.9)
        elif kind == Kind.CHILDREN_IN_CARE:
            band = rng.choices([(0.1, 1), (1, 5), (5, 10), (10, 16), (16, 17.9)], [0.05, 0.13, 0.18, 0.39, 0.25])[0]
            subject = age(*band)
        elif kind == Kind.CARE_LEAVERS:
            subject = _years(today, -18) - timedelta(days=rng.randint(1, 4 * 365 - 10))
        else:
            subject = age(0.15, 22)
        count = rng.choices([1, 2, 3, 4, 5, 6], [0.38, 0.3, 0.17, 0.09, 0.04, 0.02])[0]
        youngest_is_subject = kind in (None, Kind.ASSESSMENT, Kind.SAFEGUARDING)
        before = count - 1 if youngest_is_subject else rng.randint(0, count - 1)
        dobs = [subject]
        for _ in range(before):
            gap = 0 if rng.random() < TWIN_RATE else min(3000, 300 + int(rng.gammavariate(2, 380)))
            dobs.insert(0, dobs[0] - timedelta(days=gap))
        for _ in range(count - 1 - before):
            gap = 0 if rng.random() < TWIN_RATE else min(3000, 300 + int(rng.gammavariate(2, 380)))
            nxt = dobs[-1] + timedelta(days=gap)
            if nxt > today - timedelta(days=30):
                break
            dobs.append(nxt)
        return dobs, dobs.index(subject)

    def _new_father(self, *, pool: str, ethnicity: str, dob: date, recorded: bool) -> Father:
        self._father_keys += 1
        surname = self.namer.surname(pool)
        person = None
        if recorded:
            person = self._adult(pool=pool, sex="M", ethnicity=ethnicity, dob=dob, last=surname)
        return Father(key=self._father_keys, person=person, surname=surname, pool=pool, ethnicity=ethnicity, dob=dob)

    def _reuse_father(self, ethnicity: str, around: date, exclude: list[Father]) -> Father | None:
        """A father already on file with children by another mother, not living with them."""
        for _ in range(6):
            if not self._father_pool:
                return None
            father = self.rng.choice(self._father_pool)
            if father.ethnicity == ethnicity and abs((father.dob - around).days) < 8 * 365 \
                    and not father.in_household and father not in exclude \
                    and father.person is not None and father.person.date_of_death is None:
                return father
        return None

    def _family(self, kind: str | None, remaining: dict[str, int], *, single: bool = False,
                level: str = Person.AccessLevel.OPEN) -> None:
        rng, today = self.rng, self.today
        if not single and ((kind == Kind.CHILDREN_IN_CARE and rng.random() < UASC_IN_CARE)
                           or (kind == Kind.CARE_LEAVERS and rng.random() < UASC_LEAVERS)):
            self._uasc(kind, remaining)
            return
        self.summary.families += 1
        code = rng.choices(list(self._weights), list(self._weights.values()))[0]
        if code in MIXED_PARENTS:
            pair = rng.choice(MIXED_PARENTS[code])
            mother_code, father_code = pair if rng.random() < 0.6 else (pair[1], pair[0])
        else:
            mother_code = father_code = Ethnicity.WBRI if code == Ethnicity.REFU and rng.random() < 0.5 else code
        mother_pool, father_pool = self.namer.pool_for(mother_code), self.namer.pool_for(father_code)

        # Closed families need an episode in the last five years while the youngest was a child.
        dobs, subject = self._child_dobs(kind)
        if single:
            dobs, subject = [dobs[subject]], 0
        unborn = kind == Kind.SAFEGUARDING and not single and rng.random() < 0.03
        eldest, youngest = dobs[0], dobs[-1]
        age_first = min(40, 16 + int(rng.gammavariate(2.2, 3.2)))
        mother_dob = _years(eldest, -age_first) - timedelta(days=rng.randint(0, 364))
        if (youngest - mother_dob).days > 44 * 365:
            mother_dob = _years(youngest, -44)
        if unborn and (today - mother_dob).days > 43 * 365:
            unborn = False
        mother_birth_surname = self.namer.surname(mother_pool)

        # Fathers over the birth order; twins share one.
        cuts: list[int] = []
        if len(dobs) > 1:
            fathers_n = min(len(dobs), rng.choices([1, 2, 3], [0.65, 0.3, 0.05])[0])
            candidates = [i for i in range(1, len(dobs)) if dobs[i] != dobs[i - 1]]
            cuts = sorted(rng.sample(candidates, min(fathers_n - 1, len(candidates))))
        groups = [0] * len(dobs)
        for i in range(len(dobs)):
            groups[i] = sum(1 for c in cuts if i >= c)
        fathers: list[Father] = []
        for g in range(len(cuts) + 1):
            latest = g == len(cuts)
            first_child = dobs[groups.index(g)]
            recorded = rng.random() < (0.75 if latest else 0.55)
            father: Father | None = None
            if recorded and rng.random() < 0.04:
                father = self._reuse_father(father_code, mother_dob, fathers)
            if father is None:
                father_dob = mother_dob + timedelta(days=int(rng.gauss(2.5, 4) * 365))
                father_dob = min(father_dob, _years(first_child, -17))
                father = self._new_father(pool=father_pool, ethnicity=father_code, dob=father_dob,
                                          recorded=recorded)
                father.in_household = latest and recorded and rng.random() < 0.45
                if father.person is not None:
                    self._father_pool.append(father)
                    # Only recent fathers are candidates, which keeps memory flat on a large council.
                    if len(self._father_pool) > 4000:
                        del self._father_pool[:1000]
            fathers.append(father)
        latest_father = fathers[-1]
        married = latest_father.in_household and rng.random() < 0.45
        mother_surname = latest_father.surname if married else mother_birth_surname

        mother = self._adult(pool=mother_pool, sex="F", ethnicity=mother_code, dob=mother_dob, last=mother_surname,
                             nhs_share=0.95)
        if married and mother_surname != mother_birth_surname:
            self.names.append(new(PersonName, local_authority=self.la, person=mother, kind=PersonName.Kind.BIRTH,
                                         first_name=mother.first_name, last_name=mother_birth_surname))
        if rng.random() < 0.7:
            self.contacts.append(new(ContactDetail, local_authority=self.la, person=mother,
                                     kind=ContactDetail.Kind.MOBILE, value=f"07700 900{rng.randint(0, 999):03d}"))

        # The children.
        kids: list[Kid] = []
        together_at_birth = {f.key: rng.random() < 0.55 for f in fathers}
        taken: list[str] = []
        for i, dob in enumerate(dobs):
            father = fathers[groups[i]]
            last = father.surname if together_at_birth[father.key] else mother_surname
            sex = rng.choice("MF")
            twin = i > 0 and dobs[i - 1] == dob
            if twin and kids[-1].person.last_name != last:
                last = kids[-1].person.last_name
            person = self._child_person(pool=rng.choice([mother_pool, father_pool]) if code in MIXED_PARENTS
                                        else mother_pool, sex=sex, ethnicity=code, dob=dob, expected=None,
                                        last=last, taken=taken)
            taken.append(person.first_name)
            kid = Kid(person=person, dob=dob, father=father, twin=twin)
            if twin:
                kids[-1].twin = True
            kids.append(kid)
            father.children.append(kid)
        if unborn:
            expected = today + timedelta(days=rng.randint(20, 220))
            person = self._child_person(pool=mother_pool, sex=Person.Sex.UNKNOWN, ethnicity=code, dob=None,
                                        expected=expected, last=mother_surname, taken=taken)
            person.upn_unknown = UPNUnknown.UN1
            kids.append(Kid(person=person, dob=None, father=latest_father))
            latest_father.children.append(kids[-1])

        # Who the case is about, and the allocation histories.
        self._episodes(kind, kids, subject, remaining)
        known = [k for k in kids if k.known]
        for k in known:
            if single and k is known[0]:
                roll = 0.01 if level == Person.AccessLevel.RESTRICTED else 0.0
                self._first.append(k.person)
            else:
                roll = rng.random()
            k.person.access_level = (Person.AccessLevel.SEALED if roll < 0.003 else
                                     Person.AccessLevel.RESTRICTED if roll < 0.015 else Person.AccessLevel.OPEN)
            k.person.restriction_reason = {Person.AccessLevel.RESTRICTED: "Relative of a member of staff",
                                           Person.AccessLevel.SEALED: "Adoption"}.get(k.person.access_level, "")

        # A partner of the mother's who is nobody's father here, or a grandmother at home.
        partner: Person | None = None
        partner_joined: date | None = None
        if not latest_father.in_household and rng.random() < 0.15:
            pool = mother_pool if rng.random() < 0.8 else "british"
            partner_joined = max(_rand_date(rng, _years(today, -6), today - timedelta(days=60)),
                                 _years(mother_dob, 17))
            partner = self._adult(pool=pool, sex="M", ethnicity=mother_code if pool == mother_pool else Ethnicity.WBRI,
                                  dob=mother_dob + timedelta(days=int(rng.gauss(3, 5) * 365)),
                                  last=self.namer.surname(pool))
        grandmother: Person | None = None
        kinship = kind == Kind.CHILDREN_IN_CARE and rng.random() < 0.2
        if kinship or rng.random() < 0.05:
            grandmother = self._adult(pool=mother_pool, sex="F", ethnicity=mother_code,
                                      dob=_years(mother_dob, -rng.randint(18, 32)), last=mother_birth_surname,
                                      older=True, nhs_share=0.9)

        if self.care is not None:
            carer = grandmother.last_name if kinship and grandmother is not None else ""
            closed = self.care.plan_family(kids, kinship=kinship, carer_surname=carer)
            # Children adopted or under a special guardianship order since: other families make up the open cases.
            remaining[Kind.CHILDREN_IN_CARE] += closed
            self.summary.open_cases -= closed
        self._homes(kids, mother, fathers, partner, partner_joined, grandmother, kinship, mother_dob)
        for k in kids:
            self._identifiers(k)
            if k.known and k.dob is not None and (k.open_kind == Kind.DISABLED_CHILDREN
                                                  or rng.random() < DISABILITY_RATE):
                k.person.disabilities = sorted(rng.sample(DISABILITY_CODES, rng.choice([1, 1, 1, 2])))
        self._relationships(kids, mother, fathers, partner, partner_joined, grandmother, kinship)
        self._allocations_and_notes(kids, mother)
        self._professionals(kids)
        self._plant_errors(kids)
        self._plant_duplicates(kids, mother, partner)
        for kid in kids:
            if kid.open_kind == Kind.CARE_LEAVERS:
                self._care_leavers_baby(kid, remaining, pool=mother_pool)

    # ------------------------------------------------------------------------------------------ episodes

    def _open_history(self, kind: str, earliest: date, *, start: date | None = None) -> list[Span]:
        rng, today = self.rng, self.today
        staffing = self.staffing
        case_team = rng.choice(staffing.case_teams[kind])
        workers = [u for u in staffing.team_members[id(case_team)] if u.role != Role.TEAM_MANAGER]
        history = rng.choices([0, 1, 2, 3, 4], [0.35, 0.3, 0.2, 0.1, 0.05])[0]
        if start is None:
            # Most open assessment-team cases are recent referrals still being assessed.
            recent = kind == Kind.ASSESSMENT and rng.random() < 0.7
            start = today - timedelta(days=rng.randint(7, 80) if recent else rng.randint(30, 5 * 365))
        start = min(max(start, earliest), today - timedelta(days=7))
        spans: list[Span] = []
        cursor = start
        span = max(1, (today - start).days)
        path = CASE_PATHS.get(kind, [kind])
        for step in range(history):
            length = rng.randint(14, max(15, span // (history + 1)))
            end = cursor + timedelta(days=length)
            if end >= today - timedelta(days=7):
                break
            # Earlier workers: the teams a case of this kind usually passes through on its way here.
            team = rng.choice(staffing.case_teams[path[step * len(path) // history]])
            earlier = [u for u in staffing.team_members[id(team)] if u.role != Role.TEAM_MANAGER]
            spans.append(Span(team, rng.choice(earlier) if earlier else None, cursor, end, "Reallocated"))
            cursor = end
        worker = rng.choice(workers) if rng.random() > 0.05 else None
        if case_team is staffing.avoid_team and staffing.demo_worker is not None \
                and self._demo_cases < staffing.demo_caseload and rng.random() < 0.35:
            worker = staffing.demo_worker
        spans.append(Span(case_team, worker, cursor))
        return spans

    def _closed_episode(self, lo: date, hi: date) -> list[Span]:
        rng = self.rng
        start = _rand_date(rng, lo, hi)
        length = rng.choices([(14, 60), (60, 300), (300, 900)], [0.55, 0.3, 0.15])[0]
        days = rng.randint(*length)
        latest = self.today - timedelta(days=rng.randint(1, 30))
        kind = rng.choices([k for k, _ in CLOSED_KINDS], [w for _, w in CLOSED_KINDS])[0]
        if kind == Kind.ASSESSMENT and length[0] == 14:
            days = round(days * by_quality(practice_quality(start, today=self.today), ASSESSMENT_DRIFT))
        end = max(min(start + timedelta(days=days), latest), start)
        if kind == Kind.CHILDREN_IN_CARE and rng.random() < 0.6:
            end = max(start, min(start + timedelta(days=rng.randint(300, 1100)), self.today - timedelta(days=2)))
        team = rng.choice(self.staffing.case_teams[kind])
        workers = [u for u in self.staffing.team_members[id(team)] if u.role != Role.TEAM_MANAGER]
        reason = "Returned home" if kind == Kind.CHILDREN_IN_CARE else rng.choice(CLOSING_REASONS)
        if (end - start).days > 60 and rng.random() < 0.3:
            middle = start + timedelta(days=rng.randint(14, (end - start).days - 14))
            second = rng.choice(workers) if workers else None
            return [Span(team, rng.choice(workers) if workers else None, start, middle, "Reallocated"),
                    Span(team, second, middle, end, reason)]
        return [Span(team, rng.choice(workers) if workers and rng.random() > 0.03 else None, start, end, reason)]

    def _episodes(self, kind: str | None, kids: list[Kid], subject: int, remaining: dict[str, int]) -> None:
        rng, today = self.rng, self.today
        born = [k for k in kids if k.dob is not None]
        if kind is None:
            youngest = born[-1].dob
            assert youngest is not None
            lo = max(self.window_start, youngest)
            hi = min(today - timedelta(days=45), _years(youngest, 18) - ONE_DAY)
            if hi < lo:
                return
            episodes = [self._closed_episode(lo, hi)]
            after = episodes[0][-1].end
            assert after is not None
            # Referred again, often within the year (a re-referral).
            quality = practice_quality(after, today=today)
            if rng.random() < by_quality(quality, REFERRED_AGAIN) and after + timedelta(days=30) < hi:
                soon = after + timedelta(days=rng.randint(30, round(by_quality(quality, REFERRED_AGAIN_WITHIN))))
                episodes.append(self._closed_episode(after + timedelta(days=30), min(hi, soon)))
            for k in kids:
                assert k.dob is not None
                for episode in episodes:
                    first, last_span = episode[0], episode[-1]
                    assert last_span.end is not None
                    if k.dob <= last_span.end and _years(k.dob, 18) > first.start:
                        k.spans += self._clip(episode, k.dob)
            self.summary.children_known += sum(1 for k in kids if k.known)
            return

        subject_kid = kids[subject]
        if kind in (Kind.ASSESSMENT, Kind.SAFEGUARDING):
            chosen = [k for k in kids if k.dob is None or _years(k.dob, 18) > today]
        elif kind == Kind.CHILDREN_IN_CARE:
            chosen = [subject_kid]
            others = [k for k in kids if k is not subject_kid and k.dob and _years(k.dob, 18) > today + ONE_DAY]
            chosen += others[:rng.choices([0, 1, 2], [0.5, 0.35, 0.15])[0]]
        else:
            chosen = [subject_kid]
        # Youngest first: the unborn and babies are the ones a quota-trimmed case keeps.
        chosen.sort(key=lambda k: k.dob or date.max, reverse=True)
        chosen = chosen[:remaining[kind]]
        births = [k.dob for k in chosen if k.dob is not None]
        earliest = min(births) if births else today - timedelta(days=120)
        if kind == Kind.CARE_LEAVERS:
            assert subject_kid.dob is not None
            eighteen = _years(subject_kid.dob, 18)
            entered = eighteen - timedelta(days=rng.randint(200, 5 * 365))
            care = self._open_history(Kind.CHILDREN_IN_CARE, entered, start=entered)
            care = [s for s in care if s.start < eighteen]
            care[-1].end, care[-1].reason = eighteen, "Reallocated"
            leaving = self._open_history(kind, eighteen, start=eighteen)[-1]
            leaving.start = eighteen
            spans = [*care, leaving]
            subject_kid.left_home = entered
        else:
            spans = self._open_history(kind, earliest)
        for k in chosen:
            k.spans = self._clip(spans, k.dob, expected=k.person.expected_date_of_birth, today=today)
            k.open_kind = kind
            if kind == Kind.CHILDREN_IN_CARE:
                k.left_home = k.spans[0].start
        remaining[kind] -= len(chosen)
        self.summary.open_cases += len(chosen)
        self.summary.children_known += len(chosen)

    @staticmethod
    def _clip(spans: list[Span], dob: date | None, *, expected: date | None = None,
              today: date | None = None) -> list[Span]:
        """The part of a family's history after this child was born; for an unborn child, from the pre-birth
        referral, in the pregnancy: no more than 280 days before the expected date (CIN 8606)."""
        if dob is None:
            since = date.min
            if expected is not None and today is not None:
                since = min(expected - timedelta(days=200), today - timedelta(days=14))
            return [Span(s.team, s.worker, max(s.start, since), s.end, s.reason) for s in spans
                    if s.end is None or s.end > since]
        clipped = []
        for s in spans:
            if s.end is not None and s.end < dob:
                continue
            clipped.append(Span(s.team, s.worker, max(s.start, dob), s.end, s.reason))
        return clipped

    # ------------------------------------------------------------------------------------------ identifiers

    def _identifiers(self, kid: Kid) -> None:
        if kid.dob is not None:
            self._upn(kid.person, kid.dob, self._district(kid))

    def _upn(self, person: Person, dob: date, district: str) -> None:
        """A UPN from the first school, issued in the reception year; or the reason there is none yet."""
        entry_year = dob.year + (4 if dob.month < 9 else 5)
        if date(entry_year, 9, 1) > self.today:
            person.upn_unknown = UPNUnknown.UN1
            return
        primaries = self.places.schools.get((district, "primary")) or self.places.schools[("NG5", "primary")]
        first_school = self.rng.choice(primaries)
        person.upn = self.ids.upn(establishment=first_school.establishment, year=entry_year)

    def _district(self, kid: Kid) -> str:
        # The city district lived in last (a child placed out of the area keeps their GP and school here).
        for lived in reversed(kid.homes):
            if lived.place.district in self.places.by_district:
                return lived.place.district
        return self.rng.choice(list(self.places.by_district))

    # ------------------------------------------------------------------------------------------ homes

    def _home_spans(self, mother_dob: date, eldest: date) -> list[Lived]:
        rng, today = self.rng, self.today
        start = min(eldest, self.window_start) - timedelta(days=rng.randint(0, 6 * 365))
        start = max(start, _years(mother_dob, 16))
        moves = rng.choices([0, 1, 2], [0.7, 0.22, 0.08])[0]
        dates = sorted(_rand_date(rng, max(self.window_start, start + timedelta(days=60)),
                                  today - timedelta(days=14)) for _ in range(moves))
        dates = [d for i, d in enumerate(dates) if i == 0 or (d - dates[i - 1]).days > 60]
        dates = [d for d in dates if d > start]
        spans = []
        place = random_place(self.places, rng)
        cursor = start
        for move in dates:
            spans.append(Lived(place, cursor, move - ONE_DAY))
            place = random_place(self.places, rng, near=place.district)
            cursor = move
        spans.append(Lived(place, cursor, None))
        return spans

    @staticmethod
    def _during(spans: list[Lived], start: date | None, end: date | None) -> list[Lived]:
        """The homes in ``spans`` while someone was there from ``start`` to ``end`` (inclusive)."""
        result = []
        for s in spans:
            if start is not None and s.end is not None and s.end < start:
                continue
            if end is not None and s.start is not None and s.start > end:
                continue
            lived_from = max(s.start, start) if s.start and start else (s.start or start)
            lived_to = s.end if end is None else (min(s.end, end) if s.end else end)
            result.append(Lived(s.place, lived_from, lived_to))
        return result

    def _own_home(self, since_lo: date, *, moves: bool = True) -> list[Lived]:
        rng, today = self.rng, self.today
        start = _rand_date(rng, min(since_lo, today - timedelta(days=60)), today - timedelta(days=30))
        homes = [Lived(random_place(self.places, rng), start, None)]
        if moves and rng.random() < 0.2 and start < today - timedelta(days=400):
            move = _rand_date(rng, start + timedelta(days=200), today - timedelta(days=30))
            homes[0].end = move - ONE_DAY
            homes.append(Lived(random_place(self.places, rng, near=homes[0].place.district), move, None))
        return homes

    def _homes(self, kids: list[Kid], mother: Person, fathers: list[Father], partner: Person | None,
               partner_joined: date | None, grandmother: Person | None, kinship: bool, mother_dob: date) -> None:
        rng, today = self.rng, self.today
        born = [k for k in kids if k.dob is not None]
        home = self._home_spans(mother_dob, born[0].dob or today)
        self._lived(mother, home)
        for father in fathers:
            if father.person is None or father.homes:
                continue  # unknown, or already housed in another family
            if father.in_household:
                joined = min((k.dob for k in father.children if k.dob), default=today) - timedelta(
                    days=rng.randint(0, 3 * 365))
                father.homes = self._during(home, joined, None)
            else:
                father.homes = self._own_home(max(_years(father.dob, 18), self.window_start - timedelta(days=8 * 365)))
                if rng.random() < 0.02:
                    last_child = max((k.dob for k in father.children if k.dob), default=self.window_start)
                    died = _rand_date(rng, max(last_child, father.homes[-1].start or last_child) + ONE_DAY,
                                      today - timedelta(days=30))
                    father.person.date_of_death = died
                    father.homes = self._during(father.homes, None, died)
                    father.homes[-1].end = died
            self._lived(father.person, father.homes)
        if partner is not None and partner_joined is not None:
            self._lived(partner, self._during(home, partner_joined, None))
        carer_home: list[Lived] = []
        if grandmother is not None:
            if kinship:
                carer_home = self._own_home(_years(mother_dob, 30), moves=False)
                self._lived(grandmother, carer_home)
            else:
                self._lived(grandmother, home)

        # A child who goes to live with their father.
        splits = [k for k in kids if k.dob and not k.left_home and not k.care and k.father.person is not None
                  and k.father.homes
                  and not k.father.in_household and k.father.person.date_of_death is None]
        if len(kids) > 1 and splits and rng.random() < 0.06:
            kid = rng.choice(splits)
            assert kid.dob is not None and kid.father.homes[0].start is not None
            lo = max(kid.dob, kid.father.homes[0].start, self.window_start) + ONE_DAY
            if lo < today - timedelta(days=60):
                kid.left_home = _rand_date(rng, lo, today - timedelta(days=30))
                kid.homes = self._during(home, kid.dob, kid.left_home - ONE_DAY) + \
                    self._during(kid.father.homes, kid.left_home, None)
        for kid in kids:
            if kid.dob is None or kid.homes:
                continue
            if kid.care and self.care is not None:
                carer = carer_home[-1].place if kinship and carer_home else None
                kid.homes = [Lived(place, start, end)
                             for place, start, end in self.care.homes_for(kid, home, carer, self._during)]
                continue
            if kid.left_home is None:
                kid.homes = self._during(home, kid.dob, None)
                continue
            kid.homes = self._during(home, kid.dob, kid.left_home - ONE_DAY) if kid.left_home > kid.dob else []
            if kid.open_kind == Kind.CARE_LEAVERS:
                eighteen = _years(kid.dob, 18)
                flat_from = min(eighteen + timedelta(days=rng.randint(0, 90)), today)
                kid.homes.append(Lived(random_place(self.places, rng), kid.left_home, flat_from - ONE_DAY))
                kid.homes.append(Lived(random_place(self.places, rng), flat_from, None))
            elif kinship and carer_home:
                kid.homes.append(Lived(carer_home[-1].place, kid.left_home, None))
            else:
                kid.homes += self._placements(kid.left_home)
        for kid in kids:
            self._lived(kid.person, kid.homes, kid=kid)

    def _placements(self, since: date) -> list[Lived]:
        rng, today = self.rng, self.today
        homes = [Lived(random_place(self.places, rng), since, None)]
        if rng.random() < 0.35 and since < today - timedelta(days=120):
            move = _rand_date(rng, since + timedelta(days=60), today - timedelta(days=14))
            homes[0].end = move - ONE_DAY
            homes.append(Lived(random_place(self.places, rng), move, None))
        return homes

    def _lived(self, person: Person, homes: list[Lived], kid: Kid | None = None) -> None:
        previous = ""
        for lived in homes:
            address = new(Address, local_authority=self.la, person=person, line_1=lived.place.line_1,
                              line_2=lived.place.line_2, town=lived.place.town or TOWN, postcode=lived.place.postcode,
                              moved_in_on=lived.start, moved_out_on=lived.end)
            # A move during the five years appears in a known child's chronology.
            moved = bool(previous) and kid is not None and kid.known and lived.start is not None \
                and lived.start >= self.window_start
            self.addresses.append((address, previous if moved else "", lived.start))
            if kid is not None:
                kid.addresses.append(address)
            previous = str(address)

    # ------------------------------------------------------------------------------------------ relationships

    def _rel(self, person: Person, relative: Person, kind: str, started: date | None, *, pr: bool = False,
             ended: date | None = None, note: str = "") -> Relationship:
        relationship = new(Relationship, local_authority=self.la, person=person, relative=relative, kind=kind,
                                    parental_responsibility=pr, started_on=started, ended_on=ended, note=note)
        self.relationships.append(relationship)
        return relationship

    def _relationships(self, kids: list[Kid], mother: Person, fathers: list[Father], partner: Person | None,
                       partner_joined: date | None, grandmother: Person | None, kinship: bool) -> None:
        rng = self.rng
        for kid in kids:
            kid.parent_links.append(self._rel(mother, kid.person, Relationship.Kind.PARENT, kid.dob, pr=True))
            father = kid.father
            if father.person is not None:
                kid.parent_links.append(self._rel(father.person, kid.person, Relationship.Kind.PARENT, kid.dob,
                                                  pr=father.in_household or rng.random() < 0.8))
        # Siblings once per pair, elder first; half-siblings where one parent differs.
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                kind = Relationship.Kind.SIBLING if a.father.key == b.father.key else Relationship.Kind.HALF_SIBLING
                self._rel(a.person, b.person, kind, b.dob)
        for father in fathers:
            others = [k for k in father.children if k not in kids]
            for other in others:
                for kid in kids:
                    if kid.father is father:
                        elder, younger = sorted((other, kid), key=lambda k: k.dob or date.max)
                        self._rel(elder.person, younger.person, Relationship.Kind.HALF_SIBLING, younger.dob,
                                  note="Same father")
        latest = fathers[-1]
        if latest.person is not None and latest.in_household and latest.homes:
            joined = latest.homes[0].start
            self._rel(latest.person, mother, Relationship.Kind.SIGNIFICANT_OTHER, joined, note="Partner")
            for kid in kids:
                if kid.father is not latest and kid.dob is not None:
                    self._rel(latest.person, kid.person, Relationship.Kind.STEP_PARENT,
                              max(joined, kid.dob) if joined else kid.dob)
        for father in fathers[:-1]:
            if father.person is not None and father.children and father.children[0] in kids:
                births = [k.dob for k in father.children if k in kids and k.dob]
                if births:
                    began = min(births) - timedelta(days=rng.randint(200, 1500))
                    ended = max(births) + timedelta(days=rng.randint(0, 700))
                    self._rel(father.person, mother, Relationship.Kind.SIGNIFICANT_OTHER, began,
                              ended=min(ended, self.today), note="Former partner")
        if partner is not None and partner_joined is not None:
            self._rel(partner, mother, Relationship.Kind.SIGNIFICANT_OTHER, partner_joined, note="Partner")
            for kid in kids:
                if kid.dob is not None and not kid.left_home:
                    self._rel(partner, kid.person, Relationship.Kind.STEP_PARENT, max(partner_joined, kid.dob),
                              note="Mother's partner")
        if grandmother is not None:
            assert mother.date_of_birth is not None
            self._rel(grandmother, mother, Relationship.Kind.PARENT, mother.date_of_birth, pr=False)
            for kid in kids:
                if kid.dob is None:
                    continue
                if kinship and kid.open_kind == Kind.CHILDREN_IN_CARE and kid.left_home:
                    self._rel(grandmother, kid.person, Relationship.Kind.CARER, max(kid.left_home, kid.dob),
                              pr=rng.random() < 0.5, note="Maternal grandmother, kinship carer")
                elif not kinship:
                    self._rel(grandmother, kid.person, Relationship.Kind.HOUSEHOLD_MEMBER, kid.dob,
                              note="Maternal grandmother")

    # ------------------------------------------------------------------------------------------ allocations

    def _allocations_and_notes(self, kids: list[Kid], mother: Person | None) -> None:
        rng, today = self.rng, self.today
        if self.casework is not None:
            self.casework.family(kids)
        if self.care is not None:
            self.care.family(kids, self.casework)
        for kid in kids:
            if not kid.known:
                continue
            for span in kid.spans:
                allocation = new(Allocation, local_authority=self.la, child=kid.person, team=span.team,
                                 worker=span.worker, started_on=span.start, ended_on=span.end, end_reason=span.reason,
                                 kind=span.kind)
                self.allocations.append((allocation, span.reason))
                kid.allocations.append(allocation)
            last = kid.spans[-1]
            if kid.person.access_level != Person.AccessLevel.OPEN:
                named = [(u, "Manager of the allocated team") for u in self._managers.get(id(last.team), [])]
                if last.worker is not None:
                    named.append((last.worker, "Allocated worker"))
                self.allow += [new(AllowListEntry, local_authority=self.la, person=kid.person, user=u, reason=why)
                               for u, why in named]
                if kid.person.access_level == Person.AccessLevel.RESTRICTED and last.end is None \
                        and self.summary.restricted_example is None and last.team is not self.staffing.avoid_team:
                    self.summary.restricted_example = kid.person
                if kid.person.access_level == Person.AccessLevel.RESTRICTED:
                    self.summary.restricted += 1
                else:
                    self.summary.sealed += 1
            if last.end is not None:
                continue
            if last.worker is not None and last.worker is self.staffing.demo_worker:
                self._demo_cases += 1
            author = last.worker or self._manager(last.team)
            if author is None:
                continue
            for _ in range(rng.choice([1, 2, 2, 3, 4])):
                own = NOTES_BY_KIND.get(kid.open_kind or "", [])
                general = GENERAL_NOTES if mother is not None else []
                title, lines = rng.choice(own + general if own and general and rng.random() < 0.4 else
                                          own or general or GENERAL_NOTES[1:3])
                when = _rand_date(rng, last.start, today - ONE_DAY) if last.start < today else today
                when_at = timezone.make_aware(datetime.combine(when, time(rng.randint(9, 17), rng.choice([0, 15, 30,
                                                                                                          45]))))
                values = {"child": kid.person.preferred_name or kid.person.first_name,
                          "adult": f"{mother.first_name} (mother)" if mother is not None else "their key worker",
                          "attendance": rng.randint(62, 98),
                          "pet": rng.choice(PETS)}
                body = "".join(f"<p>{html.escape(line.format(**values))}</p>" for line in lines)
                self.notes.append(new(CaseNote, local_authority=self.la, person=kid.person, occurred_at=when_at,
                                           title=title, body_html=body, author=author,
                                           significant=rng.random() < 0.05))

    def _professionals(self, kids: list[Kid]) -> None:
        rng, today = self.rng, self.today
        # Brothers and sisters living together mostly share a GP practice and a school.
        family_choice: dict[tuple[str, str], Organisation] = {}

        def pick(key: tuple[str, str], options: list[Organisation]) -> Organisation:
            if key not in family_choice or rng.random() < 0.1:
                family_choice[key] = rng.choice(options)
            return family_choice[key]

        for kid in kids:
            if kid.dob is None:
                continue
            district = self._district(kid)
            gp = pick((district, "gp"), self.places.gps[district])
            current = kid.homes[-1].start if kid.homes else kid.dob
            started = max(kid.dob + timedelta(days=rng.randint(14, 60)), current or kid.dob)
            self.professionals.append(new(
                ProfessionalInvolvement, local_authority=self.la, person=kid.person,
                role=ProfessionalInvolvement.Role.GP, organisation=gp.name, organisation_code=gp.code,
                started_on=min(started, today),
            ))
            age = relativedelta(today, kid.dob).years
            entry_year = kid.dob.year + (4 if kid.dob.month < 9 else 5)
            if date(entry_year, 9, 1) > today or age >= 18:
                continue
            year_group = today.year - entry_year - (0 if today.month >= 9 else 1)
            if kid.person.disabilities and kid.person.disabilities != [Disability.NONE] and rng.random() < 0.3:
                school, phase_start = rng.choice(self.places.special), entry_year
            elif year_group >= 12:
                school, phase_start = rng.choice(self.places.colleges), entry_year + 12
            else:
                phase = "secondary" if year_group >= 7 else "primary"
                options = self.places.schools.get((district, phase)) or self.places.schools[("NG5", phase)]
                school = pick((district, phase), options)
                phase_start = entry_year + (7 if phase == "secondary" else 0)
            school_from = date(phase_start, 9, 1)
            if kid.person.is_uasc and kid.homes and kid.homes[0].start:
                school_from = max(school_from, kid.homes[0].start)
            self.professionals.append(new(
                ProfessionalInvolvement, local_authority=self.la, person=kid.person,
                role=ProfessionalInvolvement.Role.SCHOOL, organisation=school.name, organisation_code=school.code,
                started_on=min(school_from, today),
            ))

    def _care_leavers_baby(self, leaver: Kid, remaining: dict[str, int], *, pool: str) -> None:
        """Some care leavers are young parents; their babies are often known to the service too."""
        rng, today = self.rng, self.today
        person = leaver.person
        chance = 0.2 if person.sex == "F" else 0.05
        if leaver.dob is None or rng.random() >= chance:
            return
        lo = max(_years(leaver.dob, 17), today - timedelta(days=3 * 365))
        if lo >= today - timedelta(days=60):
            return
        dob = _rand_date(rng, lo, today - timedelta(days=60))
        baby_person = self._child_person(pool=pool, sex=rng.choice("MF"), ethnicity=person.ethnicity, dob=dob,
                                         expected=None, last=person.last_name, taken=[person.first_name])
        baby = Kid(person=baby_person, dob=dob, father=Father(0, None, person.last_name, pool, person.ethnicity, dob))
        if remaining.get(Kind.SAFEGUARDING, 0) > 0 and rng.random() < 0.4:
            baby.spans = self._clip(self._open_history(Kind.SAFEGUARDING, dob), dob)
            baby.open_kind = Kind.SAFEGUARDING
            remaining[Kind.SAFEGUARDING] -= 1
            self.summary.open_cases += 1
        else:
            baby.spans = self._clip(self._closed_episode(max(dob, self.window_start), today - timedelta(days=45)), dob)
        self.summary.children_known += 1
        # The baby lives with their mother; a young father is recorded as a parent living elsewhere.
        baby.homes = self._during(leaver.homes, dob, None) if person.sex == "F" else \
            [Lived(random_place(self.places, rng), dob, None)]
        self._lived(baby_person, baby.homes, kid=baby)
        self._identifiers(baby)
        baby.parent_links.append(self._rel(person, baby_person, Relationship.Kind.PARENT, dob, pr=True,
                                           note="Care leaver's child"))
        self._allocations_and_notes([baby], person if person.sex == "F" else None)
        self._professionals([baby])
        self._plant_errors([baby])

    # ------------------------------------------------------------------------------------------ UASC

    def _uasc(self, kind: str, remaining: dict[str, int]) -> None:
        """An unaccompanied asylum-seeking young person: no family here, placed by the council."""
        rng, today = self.rng, self.today
        pool, code = rng.choices([(p, c) for p, c, _ in UASC_ORIGINS], [w for _, _, w in UASC_ORIGINS])[0]
        leaver = kind == Kind.CARE_LEAVERS
        if leaver:
            dob = _years(today, -18) - timedelta(days=rng.randint(1, 4 * 365 - 10))
        else:
            dob = _years(today, -15) - timedelta(days=rng.randint(0, 3 * 365 - 10))
        # Ages are often assessed, and recorded as the first of January.
        if rng.random() < 0.3 and date(dob.year, 1, 1) < _years(today, -15):
            dob = date(dob.year, 1, 1)
        last = self.namer.surname(pool)
        sex = "M" if rng.random() < 0.94 else "F"
        person = self._child_person(pool=pool, sex=sex, ethnicity=code, dob=dob, expected=None, last=last, taken=[],
                                    born_here=False)
        eighteen = _years(dob, 18)
        arrived = _rand_date(rng, max(_years(dob, 14) + timedelta(days=200), self.window_start - timedelta(days=700)),
                             min(eighteen - timedelta(days=60), today - timedelta(days=7)))
        person.is_uasc = True
        person.upn_unknown = UPNUnknown.UN2
        person.first_language = POOL_LANGUAGE.get(pool, "English")
        if leaver:
            person.uasc_ceased_on = eighteen
            person.immigration_status = rng.choice([ImmigrationStatus.REFUGEE, ImmigrationStatus.LEAVE,
                                                    ImmigrationStatus.ASYLUM_SEEKER])
        else:
            person.immigration_status = ImmigrationStatus.ASYLUM_SEEKER
        if person.first_name in TRANSLITERATIONS:
            self.names.append(new(PersonName, local_authority=self.la, person=person, kind=PersonName.Kind.ALIAS,
                                         first_name=TRANSLITERATIONS[person.first_name], last_name=last))
        kid = Kid(person=person, dob=dob, father=Father(0, None, last, pool, code, dob))
        if leaver:
            care = self._open_history(Kind.CHILDREN_IN_CARE, arrived, start=arrived)
            care = [s for s in care if s.start < eighteen]
            care[-1].end, care[-1].reason = eighteen, "Reallocated"
            leaving = self._open_history(kind, eighteen, start=eighteen)[-1]
            leaving.start = eighteen
            kid.spans = [*care, leaving]
            flat_from = min(eighteen + timedelta(days=rng.randint(0, 60)), today)
            kid.homes = [Lived(random_place(self.places, rng), arrived, flat_from - ONE_DAY),
                         Lived(random_place(self.places, rng), flat_from, None)]
        else:
            kid.spans = self._open_history(kind, arrived, start=arrived)
            kid.homes = self._placements(arrived)
        kid.open_kind = kind
        if self.care is not None:
            self.care.plan_family([kid])  # an unaccompanied child's case stays open
            if kid.care:
                kid.homes = [Lived(place, start, end) for place, start, end in self.care.homes_for(kid, [], None,
                                                                                                   self._during)]
        kid.person.access_level = Person.AccessLevel.OPEN
        remaining[kind] -= 1
        self.summary.open_cases += 1
        self.summary.children_known += 1
        self._lived(person, kid.homes, kid=kid)
        self._allocations_and_notes([kid], None)
        self._professionals([kid])
        self._plant_errors([kid])

    # ------------------------------------------------------------------------------------------ planted errors

    def _plant_errors(self, kids: list[Kid]) -> None:
        if self.error_rate <= 0:
            return
        rng = self.rng
        for kid in kids:
            person = kid.person
            if not kid.known or kid.dob is None or rng.random() >= self.error_rate:
                continue
            own, parent_links, allocations = kid.addresses, kid.parent_links, kid.allocations
            options = [PlantedError.Kind.MISSING_ETHNICITY, PlantedError.Kind.MISSING_SEX,
                       PlantedError.Kind.INVALID_NHS_NUMBER]
            if allocations:
                options.append(PlantedError.Kind.ALLOCATION_BEFORE_BIRTH)
            if parent_links:
                options.append(PlantedError.Kind.RELATIONSHIP_BEFORE_BIRTH)
            if person.upn:
                options += [PlantedError.Kind.MISSING_UPN_REASON, PlantedError.Kind.INVALID_UPN]
            if own:
                options += [PlantedError.Kind.ADDRESS_MISSING_DATE, PlantedError.Kind.INVALID_POSTCODE]
            if all(a.ended_on is not None for a in allocations):
                options.append(PlantedError.Kind.MISSING_DATE_OF_BIRTH)
            kind = rng.choice(options)
            detail = ""
            if kind == PlantedError.Kind.MISSING_ETHNICITY:
                detail = f"Ethnicity {person.ethnicity} recorded as NOBT"
                person.ethnicity = Ethnicity.NOBT
            elif kind == PlantedError.Kind.MISSING_SEX:
                detail = f"Sex {person.sex} recorded as U"
                person.sex = Person.Sex.UNKNOWN
            elif kind == PlantedError.Kind.INVALID_NHS_NUMBER:
                person.nhs_number = broken_nhs_number(person.nhs_number, rng)
                detail = f"NHS number {person.nhs_number} fails Modulus 11"
            elif kind == PlantedError.Kind.ALLOCATION_BEFORE_BIRTH:
                first = min(allocations, key=lambda a: a.started_on)
                first.started_on = kid.dob - timedelta(days=rng.randint(7, 300))
                detail = f"Allocation starts {first.started_on}, before the date of birth {kid.dob}"
            elif kind == PlantedError.Kind.RELATIONSHIP_BEFORE_BIRTH:
                link = rng.choice(parent_links)
                link.started_on = kid.dob - timedelta(days=rng.randint(20, 400))
                detail = f"Parent relationship starts {link.started_on}, before the date of birth {kid.dob}"
            elif kind == PlantedError.Kind.MISSING_UPN_REASON:
                detail = f"UPN {person.upn} removed with no reason recorded"
                person.upn, person.upn_unknown = "", ""
            elif kind == PlantedError.Kind.INVALID_UPN:
                person.upn = broken_upn(person.upn, rng)
                detail = f"UPN {person.upn} has the wrong check letter"
            elif kind == PlantedError.Kind.ADDRESS_MISSING_DATE:
                address = own[-1]
                detail = f"Moved-in date {address.moved_in_on} of the current address missing"
                address.moved_in_on = None
            elif kind == PlantedError.Kind.INVALID_POSTCODE:
                address = own[-1]
                bad = address.postcode[:-2] + rng.choice("CIKMOV") + address.postcode[-1]
                detail = f"Postcode {address.postcode} recorded as {bad}"
                address.postcode = bad
            elif kind == PlantedError.Kind.MISSING_DATE_OF_BIRTH:
                detail = f"Date of birth {person.date_of_birth} missing"
                person.date_of_birth = None
            kid.error = kind
            self.errors.append((person, kind, detail))
            self.summary.errors += 1
            self.summary.error_kinds[kind] = self.summary.error_kinds.get(kind, 0) + 1

    # ------------------------------------------------------------------------------------------ duplicates

    def _plant_duplicates(self, kids: list[Kid], mother: Person, partner: Person | None) -> None:
        rng = self.rng
        for kid in kids:
            # A baby of a few weeks has had no time to gain a second record.
            if not kid.known or kid.dob is None or kid.dob > self.today - timedelta(days=90) or kid.twin \
                    or kid.error or kid.person.access_level != Person.AccessLevel.OPEN \
                    or rng.random() >= DUPLICATE_RATE:
                continue
            original = kid.person
            possible = [k for k in SINGLE_DIFFERENCES if self._can_differ(k, original)]
            weights = {k: w for k, w in DUPLICATE_KINDS if k in possible or k == PlantedDuplicate.Kind.COMBINED}
            # Only some names have a short form; when a child's does, it is the likeliest slip.
            if PlantedDuplicate.Kind.NICKNAME in weights:
                weights[PlantedDuplicate.Kind.NICKNAME] = 0.45
            kind = rng.choices(list(weights), list(weights.values()))[0]
            if kind == PlantedDuplicate.Kind.COMBINED and len(possible) >= 2:
                if PlantedDuplicate.Kind.MISSING_IDENTIFIERS in possible and rng.random() < 0.7:
                    others = [k for k in possible if k != PlantedDuplicate.Kind.MISSING_IDENTIFIERS]
                    differences = [rng.choice(others), PlantedDuplicate.Kind.MISSING_IDENTIFIERS]
                else:
                    differences = rng.sample(possible, 2)
            else:
                if kind == PlantedDuplicate.Kind.COMBINED or kind not in possible:
                    kind = PlantedDuplicate.Kind.TYPO
                differences = [kind]
            self._duplicate(kid, mother, partner, differences)

    def _can_differ(self, kind: str, person: Person) -> bool:
        dob = person.date_of_birth
        if kind == PlantedDuplicate.Kind.NICKNAME:
            return person.first_name in NICKNAMES
        if kind == PlantedDuplicate.Kind.TRANSPOSED_DATE:
            if dob is None or dob.day > 12 or dob.day == dob.month:
                return False
            swapped = date(dob.year, dob.day, dob.month)
            return swapped <= self.today - timedelta(days=60)
        if kind == PlantedDuplicate.Kind.MISSING_IDENTIFIERS:
            return bool(person.nhs_number)
        return True

    def _second_record_window(self, kid: Kid) -> list[tuple[date, date]]:
        """When a second record's short referral can open: in a census year (1 April to 31 March) in which the
        child was not open to children's social care. Then the front door had no allocated worker to find them
        by, and the two records are never in one CIN census (rule 1520: one UPN, two records)."""
        assert kid.dob is not None
        today = self.today
        busy: set[int] = set()
        for start, end in kid.referrals:
            busy.update(range(census_year(start), census_year(end or today) + 1))
        windows = []
        for year in range(census_year(self.window_start), census_year(today) + 1):
            if year in busy:
                continue
            lo = max(date(year - 1, 4, 1), kid.dob + timedelta(days=30), self.window_start)
            hi = min(date(year, 3, 31) - timedelta(days=SECOND_RECORD_DAYS), today - timedelta(days=45))
            if lo <= hi:
                windows.append((lo, hi))
        return windows

    def _duplicate(self, kid: Kid, mother: Person, partner: Person | None, differences: list[str]) -> None:
        rng, today = self.rng, self.today
        original = kid.person
        assert kid.dob is not None
        windows = self._second_record_window(kid)
        if not windows:
            return
        values = {f: getattr(original, f) for f in (
            "first_name", "middle_names", "last_name", "date_of_birth", "sex", "ethnicity", "first_language",
            "religion", "nhs_number", "upn", "upn_unknown", "is_uasc", "uasc_ceased_on", "immigration_status")}
        values["disabilities"] = list(original.disabilities)
        details = []
        for difference in differences:
            if difference == PlantedDuplicate.Kind.TYPO:
                # With a changed surname as well, the typo goes in the first name (else it cannot be told apart).
                which = "first_name" if rng.random() < 0.6 or PlantedDuplicate.Kind.SURNAME_CHANGE in differences \
                    else "last_name"
                values[which] = typo(values[which], rng)
                details.append(f"typo in {which.replace('_', ' ')}")
            elif difference == PlantedDuplicate.Kind.TRANSPOSED_DATE:
                dob = values["date_of_birth"]
                values["date_of_birth"] = date(dob.year, dob.day, dob.month)
                details.append("day and month swapped")
            elif difference == PlantedDuplicate.Kind.NICKNAME:
                values["first_name"] = rng.choice(NICKNAMES[original.first_name])
                details.append("known-as name")
            elif difference == PlantedDuplicate.Kind.SURNAME_CHANGE:
                new = partner.last_name if partner is not None and partner.last_name != original.last_name else ""
                for _ in range(10):
                    if new and new != original.last_name:
                        break
                    new = self.namer.surname(self.namer.pool_for(original.ethnicity))
                if new == original.last_name:
                    new = f"{new}-{mother.last_name}" if mother.last_name != new else f"{new}s"
                values["last_name"] = new
                details.append("mother's partner's surname" if partner is not None and new == partner.last_name
                               else "changed surname")
            elif difference == PlantedDuplicate.Kind.MISSING_IDENTIFIERS:
                values["nhs_number"] = ""
                if values["upn"]:
                    # Created from a contact that went no further: the census's own reason.
                    values["upn"], values["upn_unknown"] = "", UPNUnknown.UN7
                details.append("no NHS number or UPN")
        duplicate = self._person(**values)
        self._keys.add((duplicate.first_name.lower(), duplicate.last_name.lower(), duplicate.date_of_birth))
        born = max(duplicate.date_of_birth or kid.dob, kid.dob)
        windows = [(max(lo, born + timedelta(days=30)), hi) for lo, hi in windows]
        windows = [(lo, hi) for lo, hi in windows if lo <= hi] or windows[-1:]
        lo, hi = rng.choices(windows, [(hi - lo).days + 1 for lo, hi in windows])[0]
        opened = _rand_date(rng, lo, hi)
        closed = min(opened + timedelta(days=rng.randint(1, SECOND_RECORD_DAYS)), today - ONE_DAY)
        team = rng.choice(self.staffing.case_teams[Kind.ASSESSMENT])
        workers = [u for u in self.staffing.team_members[id(team)] if u.role != Role.TEAM_MANAGER]
        dup_kid = Kid(person=duplicate, dob=duplicate.date_of_birth, father=kid.father,
                      spans=[Span(team, rng.choice(workers), opened, closed, "No further action")],
                      second_record=True, nfa_referral=duplicate.upn_unknown == UPNUnknown.UN7)
        # Given at the front door: usually the address the child lives at, sometimes an old or another one.
        roll = rng.random()
        if roll < 0.5 and kid.homes:
            place = kid.homes[-1].place
        elif roll < 0.7 and len(kid.homes) > 1:
            place = kid.homes[-2].place
        else:
            place = random_place(self.places, rng)
        self._lived(duplicate, [Lived(place, opened, None)], kid=dup_kid)
        if rng.random() < 0.4:
            self._rel(mother, duplicate, Relationship.Kind.PARENT, duplicate.date_of_birth, pr=True)
        self._allocations_and_notes([dup_kid], mother)
        self.duplicates.append((original, duplicate, differences[0] if len(differences) == 1
                                else PlantedDuplicate.Kind.COMBINED, "; ".join(details)))
        self.summary.duplicates += 1


POOL_LANGUAGE = {"afghan": "Pashto", "eritrean": "Tigrinya", "kurdish": "Kurdish", "african": "Somali",
                 "vietnamese": "Vietnamese", "albanian": "Albanian"}

