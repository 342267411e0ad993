"""Reads for care leavers: a young person's status and leaving-care record, the personal adviser's tray,
the managers' summary and OC3.

The status is computed (``hearth.care_leavers.status``) from the periods of care and legal statuses held
by ``hearth.care``; lists load those for all their rows in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from hearth.access.policy import visible_people_filter
from hearth.access.selectors import people_visible_to
from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.care.codes import EET_ACTIVITIES, SHORT_BREAKS, AccommodationType, Activity
from hearth.care.models import CareLegalStatus, PeriodOfCare
from hearth.clocks.models import Clock
from hearth.people.models import Person

from .models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    PathwayNeedsAssessment,
    PathwayPlan,
    StatusDecision,
    StayingPut,
)
from .oc3 import OC3Result, collection_year, oc3_birthday, oc3_result
from .status import (
    CarePeriod,
    CareSpell,
    Decision,
    StatusResult,
    birthday,
    care_leaver_status,
)

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

RULE_NEEDS_ASSESSMENT = "pathway_needs_assessment"
RULE_PLAN_REVIEW = "pathway_plan_review"
RULE_CONTACT = "care_leaver_contact"
CARE_LEAVER_RULES = (RULE_NEEDS_ASSESSMENT, RULE_PLAN_REVIEW, RULE_CONTACT)
# Roles that see a team's young people on the tray, not only their own.
TRAY_MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR})
COUNCIL_WIDE_ROLES = frozenset({Role.SERVICE_MANAGER, Role.DIRECTOR})
DUE_SOON_DAYS = 28
TURNING_18_WITHIN = relativedelta(months=3)
# Young people who can hold a leaving-care status: 15 (about to be 16) to 25.
YOUNGEST, OLDEST = 15, 25


# ---------------------------------------------------------------------------------------------
# The care history, as the pure status function takes it


def periods_from(periods: Iterable[PeriodOfCare], statuses: Iterable[CareLegalStatus]) -> list[CarePeriod]:
    by_period: dict[int, list[CareSpell]] = defaultdict(list)
    for ls in statuses:
        by_period[ls.period_id].append(
            CareSpell(ls.started_on, ls.ended_on, short_break=ls.legal_status in SHORT_BREAKS))
    return [
        CarePeriod(p.started_on, p.ended_on, p.reason_ceased,
                   tuple(sorted(by_period[p.pk], key=lambda s: s.started_on)))
        for p in sorted(periods, key=lambda p: p.started_on)
    ]


def decisions_from(rows: Iterable[StatusDecision]) -> list[Decision]:
    return [Decision(r.kind, r.effective_on, r.ended_on) for r in rows]


def care_history(*, child: Person) -> list[CarePeriod]:
    la = child.local_authority_id
    periods = list(PeriodOfCare.objects.filter(child=child, local_authority_id=la))
    statuses = CareLegalStatus.objects.filter(child=child, local_authority_id=la) if periods else []
    return periods_from(periods, statuses)


def status_decisions(*, child: Person) -> QuerySet[StatusDecision]:
    return (StatusDecision.objects.filter(child=child, local_authority_id=child.local_authority_id)
            .select_related("decided_by").order_by("effective_on", "id"))


def status_for(*, child: Person, on: date | None = None, periods: list[CarePeriod] | None = None,
               decisions: list[Decision] | None = None) -> StatusResult:
    """The young person's status on ``on`` (today if not given), with its reasons."""
    return care_leaver_status(
        date_of_birth=child.date_of_birth,
        periods=care_history(child=child) if periods is None else periods,
        decisions=decisions_from(status_decisions(child=child)) if decisions is None else decisions,
        date_of_death=child.date_of_death,
        on=on or timezone.localdate(),
    )


@dataclass
class CareHistories:
    """Everything the status and OC3 need, for many children at once."""

    periods: dict[int, list[CarePeriod]]
    decisions: dict[int, list[Decision]]


def care_histories(*, local_authority_id: int, child_ids: Collection[int],
                   born: tuple[date, date] | None = None) -> CareHistories:
    """The periods of care (with their legal statuses) and the status decisions of ``child_ids``, as
    ``care_leaver_status`` and ``oc3_result`` take them. Three queries whatever the number of children.

    ``born`` (the earliest and latest date of birth among the children) reads the council's rows of every
    child born then and keeps the wanted children's: the same rows, quicker than binding thousands of ids.
    """
    wanted = set(child_ids)
    if not wanted:
        return CareHistories({}, {})
    if born is None:
        rows = Q(child_id__in=wanted)
    else:
        rows = Q(child__date_of_birth__gte=born[0], child__date_of_birth__lte=born[1])
    # Plain rows, not model instances: a council's worth of care histories is read here.
    spells: dict[int, list[CareSpell]] = defaultdict(list)
    for child_id, period_id, legal_status, started_on, ended_on in CareLegalStatus.objects.filter(
            rows, local_authority_id=local_authority_id).values_list(
            "child_id", "period_id", "legal_status", "started_on", "ended_on"):
        if child_id in wanted:
            spells[period_id].append(CareSpell(started_on, ended_on, legal_status in SHORT_BREAKS))
    periods: dict[int, list[CarePeriod]] = defaultdict(list)
    for pk, child_id, started_on, ended_on, reason in (
            PeriodOfCare.objects.filter(rows, local_authority_id=local_authority_id).order_by("started_on")
            .values_list("pk", "child_id", "started_on", "ended_on", "reason_ceased")):
        if child_id in wanted:
            periods[child_id].append(CarePeriod(started_on, ended_on, reason,
                                                tuple(sorted(spells[pk], key=lambda s: s.started_on))))
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for child_id, kind, effective_on, ended_on in StatusDecision.objects.filter(
            rows, local_authority_id=local_authority_id).values_list(
            "child_id", "kind", "effective_on", "ended_on"):
        if child_id in wanted:
            decisions[child_id].append(Decision(kind, effective_on, ended_on))
    return CareHistories(periods=periods, decisions=decisions)


class _Born(Protocol):
    @property
    def pk(self) -> int: ...
    @property
    def date_of_birth(self) -> date | None: ...
    @property
    def date_of_death(self) -> date | None: ...


def care_leaver_statuses(*, people: Iterable[_Born], local_authority_id: int, on: date) -> dict[int, StatusResult]:
    """Each person's care leaver status on ``on``, by pk: two or three queries whatever the number of people.
    The caller has already chosen the people (a user's tray, or a council's whole return)."""
    people = list(people)
    histories = care_histories(local_authority_id=local_authority_id, child_ids=[p.pk for p in people])
    return {p.pk: care_leaver_status(date_of_birth=p.date_of_birth, periods=histories.periods.get(p.pk, []),
                                     decisions=histories.decisions.get(p.pk, []), date_of_death=p.date_of_death,
                                     on=on)
            for p in people}


# ---------------------------------------------------------------------------------------------
# Personal advisers


def current_personal_adviser(*, child: Person) -> Allocation | None:
    return (Allocation.objects.filter(child=child, kind=Allocation.Kind.PERSONAL_ADVISER, ended_on__isnull=True,
                                      local_authority_id=child.local_authority_id)
            .select_related("worker", "team").first())


def personal_advisers(*, local_authority: LocalAuthority | int, on: date | None = None) -> QuerySet[User]:
    """Staff who can be a young person's personal adviser: active, in post, in the personal adviser role."""
    on = on or timezone.localdate()
    return (
        User.objects.filter(local_authority=local_authority, role=Role.PERSONAL_ADVISER, is_active=True)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .select_related("team").order_by("first_name", "last_name", "pk")
    )


# ---------------------------------------------------------------------------------------------
# Open clocks


def open_clock(*, child: Person, rule_id: str) -> Clock | None:
    return (Clock.objects.filter(child=child, rule_id=rule_id, status=Clock.Status.OPEN,
                                 local_authority_id=child.local_authority_id)
            .select_related("assigned_to").order_by("-started_on", "-id").first())


# ---------------------------------------------------------------------------------------------
# One young person's leaving-care record


@dataclass
class LeavingCareRecord:
    status: StatusResult
    today: date
    adviser: Allocation | None
    adviser_history: list[Allocation]
    needs_assessments: list[PathwayNeedsAssessment]
    plan: PathwayPlan | None
    plans: list[PathwayPlan]
    contacts: list[CareLeaverContact]
    accommodation: list[CareLeaverAccommodation]
    activities: list[CareLeaverActivity]
    staying_put: list[StayingPut]
    decisions: list[StatusDecision]
    clocks: dict[str, Clock]
    oc3: OC3Result
    oc3_year: int
    birthdays: dict[int, date] = field(default_factory=dict)

    @property
    def reviews(self) -> list[Any]:
        return list(self.plan.reviews.all()) if self.plan is not None else []

    @property
    def last_review_on(self) -> date | None:
        reviews = self.reviews
        return reviews[0].held_on if reviews else (self.plan.started_on if self.plan else None)

    @property
    def last_contact(self) -> CareLeaverContact | None:
        return self.contacts[0] if self.contacts else None

    @property
    def last_in_touch(self) -> CareLeaverContact | None:
        return next((c for c in self.contacts if c.in_touch == "YES"), None)

    @property
    def current_accommodation(self) -> CareLeaverAccommodation | None:
        return next((a for a in self.accommodation if a.started_on <= self.today), None)

    @property
    def current_activity(self) -> CareLeaverActivity | None:
        return next((a for a in self.activities if a.started_on <= self.today), None)

    @property
    def current_staying_put(self) -> StayingPut | None:
        return next((s for s in self.staying_put if s.ended_on is None), None)

    @property
    def is_eet(self) -> bool | None:
        current = self.current_activity
        return None if current is None else current.activity in EET_ACTIVITIES

    @property
    def needs_assessment(self) -> PathwayNeedsAssessment | None:
        return self.needs_assessments[0] if self.needs_assessments else None


def leaving_care_record(*, child: Person, today: date | None = None) -> LeavingCareRecord:
    """Everything on the child's Leaving care tab. The caller has checked the user may see the child."""
    today = today or timezone.localdate()
    la = child.local_authority_id
    periods = care_history(child=child)
    decision_rows = list(status_decisions(child=child))
    decisions = decisions_from(decision_rows)
    status = status_for(child=child, on=today, periods=periods, decisions=decisions)
    advisers = list(Allocation.objects.filter(child=child, kind=Allocation.Kind.PERSONAL_ADVISER, local_authority_id=la)
                    .select_related("worker", "team").order_by("-started_on", "-id"))
    plans = list(PathwayPlan.objects.filter(child=child, local_authority_id=la).prefetch_related("reviews"))
    contacts = list(CareLeaverContact.objects.filter(child=child, local_authority_id=la).select_related("contacted_by"))
    accommodation = list(CareLeaverAccommodation.objects.filter(child=child, local_authority_id=la))
    activities = list(CareLeaverActivity.objects.filter(child=child, local_authority_id=la))
    clocks = {c.rule_id: c for c in Clock.objects.filter(
        child=child, local_authority_id=la, status=Clock.Status.OPEN, rule_id__in=CARE_LEAVER_RULES,
    ).select_related("assigned_to").order_by("started_on", "id")}
    year = collection_year_of(today)
    oc3 = oc3_result(
        child_id=child.pk, date_of_birth=child.date_of_birth, date_of_death=child.date_of_death, periods=periods,
        decisions=decisions, contacts=[(c.contacted_on, c.in_touch) for c in contacts],
        accommodation=[(a.started_on, a.accommodation, a.suitable) for a in accommodation],
        activities=[(a.started_on, a.activity) for a in activities], year=year,
    )
    dob = child.date_of_birth
    return LeavingCareRecord(
        status=status, today=today,
        adviser=next((a for a in advisers if a.ended_on is None), None), adviser_history=advisers,
        needs_assessments=list(PathwayNeedsAssessment.objects.filter(child=child, local_authority_id=la)
                               .select_related("completed_by")),
        plan=next((p for p in plans if p.ended_on is None), None), plans=plans,
        contacts=contacts, accommodation=accommodation, activities=activities,
        staying_put=list(StayingPut.objects.filter(child=child, local_authority_id=la)
                         .select_related("foster_household")),
        decisions=decision_rows, clocks=clocks, oc3=oc3, oc3_year=year,
        birthdays={n: birthday(dob, n) for n in (16, 18, 21, 25)} if dob else {},
    )


# ---------------------------------------------------------------------------------------------
# OC3


def collection_year_of(day: date) -> int:
    """The collection year a day falls in, named by the year it ends (1 April 2025 - 31 March 2026 is 2026)."""
    return day.year + 1 if day.month >= 4 else day.year


def oc3_born(first: date, last: date) -> tuple[date, date]:
    """The dates of birth of everyone whose 17th to 21st birthday can fall from ``first`` to ``last``."""
    return first - relativedelta(years=21, days=1), last - relativedelta(years=17)


def _oc3_candidates(local_authority_id: int, year: int) -> QuerySet[Person]:
    # A 17th to 21st birthday between 1 April and 31 March.
    earliest, latest = oc3_born(*collection_year(year))
    return Person.objects.filter(
        local_authority_id=local_authority_id, merged_into__isnull=True,
        date_of_birth__gte=earliest, date_of_birth__lte=latest,
    ).filter(Exists(PeriodOfCare.objects.filter(child_id=OuterRef("pk"))))


def oc3_rows(*, local_authority: LocalAuthority | int, year: int, people: QuerySet[Person] | None = None,
             birthdays_until: date | None = None) -> list[OC3Result]:
    """OC3 for the council's young people whose 17th to 21st birthday falls in collection year ``year``
    (1 April ``year - 1`` to 31 March ``year``). Only the included rows are returned.

    ``people`` narrows the candidates (the children a user may see); ``birthdays_until`` leaves out
    birthdays still to come. A fixed number of queries however many young people.
    """
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    candidates = _oc3_candidates(la_id, year)
    if people is not None:
        candidates = candidates.filter(pk__in=people.values("pk"))
    children = list(candidates.only("pk", "date_of_birth", "date_of_death", "local_authority_id"))
    if birthdays_until is not None:
        children = [c for c in children
                    if (b := oc3_birthday(c.date_of_birth, year)) is not None and b[1] <= birthdays_until]
    ids = [c.pk for c in children]
    histories = care_histories(local_authority_id=la_id, child_ids=ids, born=oc3_born(*collection_year(year)))
    contacts: dict[int, list[tuple[date, str]]] = defaultdict(list)
    accommodation: dict[int, list[tuple[date, str, bool]]] = defaultdict(list)
    activities: dict[int, list[tuple[date, str]]] = defaultdict(list)
    if ids:
        for cid, on, code in CareLeaverContact.objects.filter(child_id__in=ids, local_authority_id=la_id).values_list(
                "child_id", "contacted_on", "in_touch"):
            contacts[cid].append((on, code))
        for cid, on, letter, suitable in CareLeaverAccommodation.objects.filter(
                child_id__in=ids, local_authority_id=la_id).values_list("child_id", "started_on", "accommodation",
                                                                        "suitable"):
            accommodation[cid].append((on, letter, suitable))
        for cid, on, code in CareLeaverActivity.objects.filter(child_id__in=ids, local_authority_id=la_id).values_list(
                "child_id", "started_on", "activity"):
            activities[cid].append((on, code))
    results = []
    for child in children:
        result = oc3_result(
            child_id=child.pk, date_of_birth=child.date_of_birth, date_of_death=child.date_of_death,
            periods=histories.periods.get(child.pk, []), decisions=histories.decisions.get(child.pk, []),
            contacts=contacts[child.pk], accommodation=accommodation[child.pk], activities=activities[child.pk],
            year=year,
        )
        if result.row is not None:
            results.append(result)
    return results


def oc3_for(*, child: Person, year: int) -> OC3Result:
    """OC3 for one young person in collection year ``year``, or why they are not in it."""
    la = child.local_authority_id
    return oc3_result(
        child_id=child.pk, date_of_birth=child.date_of_birth, date_of_death=child.date_of_death,
        periods=care_history(child=child), decisions=decisions_from(status_decisions(child=child)),
        contacts=list(CareLeaverContact.objects.filter(child=child, local_authority_id=la)
                      .values_list("contacted_on", "in_touch")),
        accommodation=list(CareLeaverAccommodation.objects.filter(child=child, local_authority_id=la)
                           .values_list("started_on", "accommodation", "suitable")),
        activities=list(CareLeaverActivity.objects.filter(child=child, local_authority_id=la)
                        .values_list("started_on", "activity")),
        year=year,
    )


# ---------------------------------------------------------------------------------------------
# The personal adviser's tray


@dataclass
class YoungPersonRow:
    person: Person
    status: StatusResult
    adviser: User | None
    team_name: str
    review_due_on: date | None
    contact_due_on: date | None
    needs_assessment_due_on: date | None
    last_contact_on: date | None
    last_in_touch_on: date | None
    latest_in_touch: str
    accommodation: str
    suitable: bool | None
    activity: str
    today: date

    @cached_property
    def age(self) -> int | None:
        return self.person.age_on(self.today)

    @cached_property
    def turns_18_on(self) -> date | None:
        dob = self.person.date_of_birth
        if dob is None:
            return None
        b18 = birthday(dob, 18)
        return b18 if self.today < b18 <= self.today + TURNING_18_WITHIN else None

    def _due(self, on: date | None) -> str:
        if on is None:
            return ""
        if on < self.today:
            return "overdue"
        return "soon" if on <= self.today + timedelta(days=DUE_SOON_DAYS) else ""

    @cached_property
    def review_state(self) -> str:
        return self._due(self.review_due_on)

    @cached_property
    def contact_state(self) -> str:
        return self._due(self.contact_due_on)

    @cached_property
    def needs_assessment_state(self) -> str:
        return self._due(self.needs_assessment_due_on)

    @cached_property
    def not_in_touch(self) -> bool:
        return self.latest_in_touch in ("NO", "REFU")

    @cached_property
    def unsuitable(self) -> bool:
        return self.suitable is False

    @cached_property
    def neet(self) -> bool:
        return bool(self.activity) and self.activity not in EET_ACTIVITIES and self.activity != "0"

    @cached_property
    def activity_label(self) -> str:
        return Activity(self.activity).label if self.activity in Activity.values else ""

    @cached_property
    def accommodation_label(self) -> str:
        return AccommodationType(self.accommodation).label if self.accommodation in AccommodationType.values else ""

    @cached_property
    def url(self) -> str:
        # Once per row, not reversed in the template for every list the row appears in.
        return reverse("care_leavers:overview", kwargs={"person_pk": self.person.pk})

    @cached_property
    def adviser_name(self) -> str:
        return self.adviser.get_full_name() if self.adviser is not None else "No named adviser"

    # The cells of the tray's lists, built here once: a large tray renders thousands of them.

    def _due_cell(self, on: date | None, state: str, before: str = "") -> Cell:
        if on is None:
            return Cell("Not due")
        tag = {"overdue": ("Overdue", "red"), "soon": ("Due soon", "yellow")}.get(state, ("", ""))
        return Cell(f"{before}{_short(on)}", *tag)

    @cached_property
    def review_cell(self) -> Cell:
        if self.review_due_on is None:
            return Cell("No plan")
        return self._due_cell(self.review_due_on, self.review_state)

    @cached_property
    def contact_cell(self) -> Cell:
        last = f"Last in touch: {_short(self.last_in_touch_on) if self.last_in_touch_on else 'never'}"
        if self.not_in_touch:
            return Cell(f"Next by {_short(self.contact_due_on)}" if self.contact_due_on else "", "Not in touch", "red",
                        last)
        if self.contact_due_on is None:
            return Cell("None due", sub=last)
        cell = self._due_cell(self.contact_due_on, self.contact_state, "Next by ")
        return Cell(cell.text, cell.tag, cell.colour, last)

    @cached_property
    def needs_cell(self) -> Cell:
        return self._due_cell(self.needs_assessment_due_on, self.needs_assessment_state)

    @cached_property
    def accommodation_cell(self) -> Cell:
        return Cell(self.accommodation_label or "Not recorded", *(("Not suitable", "red") if self.unsuitable else ()))

    @cached_property
    def activity_cell(self) -> Cell:
        return Cell(self.activity_label or "Not recorded", *(("NEET", "orange") if self.neet else ()))

    @cached_property
    def turning_18_cell(self) -> Cell:
        return Cell(_short(self.turns_18_on) if self.turns_18_on else "")


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Cell:
    text: str
    tag: str = ""
    colour: str = ""
    sub: str = ""


# Which columns each list of the tray shows after the young person and their status.
SECTION_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "reviews": (("Next pathway review", "review_cell"),),
    "needs": (("Needs assessment due by", "needs_cell"),),
    "contacts": (("Keeping in touch", "contact_cell"),),
    "touch": (("Keeping in touch", "contact_cell"),),
    "unsuitable": (("Accommodation", "accommodation_cell"),),
    "neet": (("Activity", "activity_cell"),),
    "turning18": (("18th birthday", "turning_18_cell"),),
    "all": (("Next pathway review", "review_cell"), ("Keeping in touch", "contact_cell"),
            ("Accommodation", "accommodation_cell"), ("Activity", "activity_cell")),
}


@dataclass
class TraySection:
    key: str
    heading: str
    rows: list[YoungPersonRow]
    limit: int | None

    @property
    def columns(self) -> list[str]:
        return [heading for heading, _ in SECTION_COLUMNS[self.key]]

    @property
    def lines(self) -> list[tuple[YoungPersonRow, list[Cell]]]:
        shown = self.rows if self.limit is None else self.rows[:self.limit]
        names = [name for _, name in SECTION_COLUMNS[self.key]]
        return [(row, [getattr(row, name) for name in names]) for row in shown]

    @property
    def hidden(self) -> int:
        return 0 if self.limit is None else max(len(self.rows) - self.limit, 0)


LIST_LIMIT = 25


@dataclass
class AdviserLoad:
    adviser: User | None
    team_name: str
    young_people: int = 0
    reviews_overdue: int = 0
    contacts_overdue: int = 0
    not_in_touch: int = 0
    unsuitable: int = 0
    neet: int = 0

    @property
    def name(self) -> str:
        return self.adviser.get_full_name() if self.adviser is not None else "No named adviser"


@dataclass
class Tray:
    rows: list[YoungPersonRow]
    scope: str  # "mine", "team" or "council"
    team: Team | None
    advisers: list[User]
    adviser: User | None
    teams: list[Team]
    without_adviser: list[tuple[Person, StatusResult]]

    @property
    def lists_everyone(self) -> bool:
        """One adviser's young people are listed in full; a team's or the council's by adviser, with only what
        needs attention listed (at most LIST_LIMIT a list)."""
        return self.scope == "mine" or self.adviser is not None

    @cached_property
    def by_adviser(self) -> list[AdviserLoad]:
        loads: dict[int | None, AdviserLoad] = {}
        for row in self.rows:
            key = row.adviser.pk if row.adviser is not None else None
            load = loads.setdefault(key, AdviserLoad(adviser=row.adviser, team_name=row.team_name))
            load.young_people += 1
            load.reviews_overdue += row.review_state == "overdue"
            load.contacts_overdue += row.contact_state == "overdue"
            load.not_in_touch += row.not_in_touch
            load.unsuitable += row.unsuitable
            load.neet += row.neet
        return sorted(loads.values(), key=lambda a: (a.name, a.adviser.pk if a.adviser else 0))

    def _where(self, test: Any) -> list[YoungPersonRow]:
        return [r for r in self.rows if test(r)]

    @cached_property
    def reviews_due(self) -> list[YoungPersonRow]:
        rows = self._where(lambda r: r.review_state)
        return sorted(rows, key=lambda r: r.review_due_on or date.max)

    @cached_property
    def contacts_due(self) -> list[YoungPersonRow]:
        rows = self._where(lambda r: r.contact_state)
        return sorted(rows, key=lambda r: r.contact_due_on or date.max)

    @cached_property
    def needs_assessments_due(self) -> list[YoungPersonRow]:
        rows = self._where(lambda r: r.needs_assessment_state)
        return sorted(rows, key=lambda r: r.needs_assessment_due_on or date.max)

    @cached_property
    def not_in_touch(self) -> list[YoungPersonRow]:
        return self._where(lambda r: r.not_in_touch)

    @cached_property
    def unsuitable(self) -> list[YoungPersonRow]:
        return self._where(lambda r: r.unsuitable)

    @cached_property
    def neet(self) -> list[YoungPersonRow]:
        return self._where(lambda r: r.neet)

    @cached_property
    def turning_18(self) -> list[YoungPersonRow]:
        return sorted(self._where(lambda r: r.turns_18_on), key=lambda r: r.turns_18_on or date.max)

    @cached_property
    def sections(self) -> list[TraySection]:
        limit = None if self.lists_everyone else LIST_LIMIT
        found = [
            TraySection("reviews", "Pathway plan reviews overdue or due soon", self.reviews_due, limit),
            TraySection("needs", "Needs assessments overdue or due soon", self.needs_assessments_due, limit),
            TraySection("contacts", "Contacts overdue or due soon", self.contacts_due, limit),
            TraySection("touch", "Not in touch", self.not_in_touch, limit),
            TraySection("unsuitable", "In unsuitable accommodation", self.unsuitable, limit),
            TraySection("neet", "Not in education, employment or training", self.neet, limit),
            TraySection("turning18", "Turning 18 in the next 3 months", self.turning_18, limit),
        ]
        if self.lists_everyone:
            found.append(TraySection("all", "All young people", self.rows, None))
        return found


def may_open_tray(user: User) -> bool:
    return bool(user.is_authenticated and user.has_case_access and user.local_authority_id)


def _clock_due(rule_id: str) -> Subquery:
    return Subquery(Clock.objects.filter(child_id=OuterRef("child_id"), rule_id=rule_id, status=Clock.Status.OPEN)
                    .order_by("due_on").values("due_on")[:1])


def tray_scope(user: User) -> str:
    if user.role in COUNCIL_WIDE_ROLES:
        return "council"
    if user.role == Role.TEAM_MANAGER and user.team_id:
        return "team"
    return "mine"


def adviser_allocations(*, user: User, adviser: User | None = None, team: Team | None = None,
                        today: date | None = None) -> QuerySet[Allocation]:
    """Open personal-adviser allocations the user's tray lists, with what the tray shows, in one query.

    A personal adviser (or anyone else who is not a manager) sees their own young people; a team manager
    their team's; a service manager or director the council's, narrowed to a team or an adviser.
    Restricted and sealed young people the user may not open are never listed.
    """
    today = today or timezone.localdate()
    visible = visible_people_filter(user, prefix="child__")
    if visible is None:
        return Allocation.objects.none()
    rows = Allocation.objects.filter(visible, kind=Allocation.Kind.PERSONAL_ADVISER, ended_on__isnull=True,
                                     local_authority_id=user.local_authority_id)
    scope = tray_scope(user)
    if scope == "mine":
        rows = rows.filter(worker=user)
    elif scope == "team":
        rows = rows.filter(team_id=user.team_id)
    elif team is not None:
        rows = rows.filter(team=team)
    if adviser is not None and scope != "mine":
        rows = rows.filter(worker=adviser)
    latest_contact = CareLeaverContact.objects.filter(child_id=OuterRef("child_id")).order_by("-contacted_on", "-id")
    in_touch = latest_contact.filter(in_touch="YES")
    accommodation = (CareLeaverAccommodation.objects.filter(child_id=OuterRef("child_id"), started_on__lte=today)
                     .order_by("-started_on", "-id"))
    activity = (CareLeaverActivity.objects.filter(child_id=OuterRef("child_id"), started_on__lte=today)
                .order_by("-started_on", "-id"))
    return (
        rows.select_related("child", "worker", "team")
        .annotate(
            review_due_on=_clock_due(RULE_PLAN_REVIEW),
            contact_due_on=_clock_due(RULE_CONTACT),
            needs_due_on=_clock_due(RULE_NEEDS_ASSESSMENT),
            last_contact_on=Subquery(latest_contact.values("contacted_on")[:1]),
            latest_in_touch=Subquery(latest_contact.values("in_touch")[:1]),
            last_in_touch_on=Subquery(in_touch.values("contacted_on")[:1]),
            accommodation_now=Subquery(accommodation.values("accommodation")[:1]),
            suitable_now=Subquery(accommodation.values("suitable")[:1]),
            activity_now=Subquery(activity.values("activity")[:1]),
        )
        .order_by("child__last_name", "child__first_name", "child_id")
    )


def _without_adviser(user: User, team: Team | None, today: date) -> list[tuple[Person, StatusResult]]:
    """Young people who need a personal adviser and have none (for managers of the council or of a leaving-care
    team): a fixed number of queries."""
    oldest, youngest = today - relativedelta(years=OLDEST), today - relativedelta(years=YOUNGEST)
    people = list(
        people_visible_to(user=user)
        .filter(local_authority_id=user.local_authority_id, date_of_birth__gt=oldest, date_of_birth__lte=youngest,
                date_of_death__isnull=True)
        .filter(Exists(PeriodOfCare.objects.filter(child_id=OuterRef("pk"))))
        .exclude(Exists(Allocation.objects.filter(child_id=OuterRef("pk"), kind=Allocation.Kind.PERSONAL_ADVISER,
                                                  ended_on__isnull=True)))
        .order_by("date_of_birth", "last_name", "pk")
    )
    statuses = care_leaver_statuses(people=people, local_authority_id=user.local_authority_id,  # type: ignore[arg-type]
                                    on=today)
    return [(person, statuses[person.pk]) for person in people if statuses[person.pk].has_full_support]


def care_leaver_tray(*, user: User, adviser: User | None = None, team: Team | None = None,
                     today: date | None = None) -> Tray:
    """The leaving-care tray: the young people in the user's scope with their status and what is due.

    The number of queries does not depend on the number of young people.
    """
    today = today or timezone.localdate()
    scope = tray_scope(user)
    la = user.local_authority_id
    if scope == "team":
        team = Team.objects.filter(pk=user.team_id or 0, local_authority_id=la).first()
    allocations = list(adviser_allocations(user=user, adviser=adviser, team=team if scope == "council" else None,
                                           today=today))
    statuses = care_leaver_statuses(people=[a.child for a in allocations], local_authority_id=la,  # type: ignore[arg-type]
                                    on=today)
    rows = [
        YoungPersonRow(
            person=a.child, status=statuses[a.child_id],
            adviser=a.worker, team_name=a.team.name,
            review_due_on=a.review_due_on, contact_due_on=a.contact_due_on,  # type: ignore[attr-defined]
            needs_assessment_due_on=a.needs_due_on,  # type: ignore[attr-defined]
            last_contact_on=a.last_contact_on, last_in_touch_on=a.last_in_touch_on,  # type: ignore[attr-defined]
            latest_in_touch=a.latest_in_touch or "",  # type: ignore[attr-defined]
            accommodation=a.accommodation_now or "", suitable=a.suitable_now,  # type: ignore[attr-defined]
            activity=a.activity_now or "", today=today,  # type: ignore[attr-defined]
        )
        for a in allocations
    ]
    advisers: list[User] = []
    teams: list[Team] = []
    without: list[tuple[Person, StatusResult]] = []
    if scope != "mine":
        pool = personal_advisers(local_authority=la, on=today)  # type: ignore[arg-type]
        if scope == "team":
            pool = pool.filter(team_id=user.team_id or 0)
        elif team is not None:
            pool = pool.filter(team=team)
        advisers = list(pool)
        if scope == "council":
            teams = list(Team.objects.filter(local_authority_id=la, closed_on__isnull=True,
                                             kind=Team.Kind.CARE_LEAVERS).order_by("name"))
        if scope == "council" or (team is not None and team.kind == Team.Kind.CARE_LEAVERS):
            without = _without_adviser(user, team, today)
    return Tray(rows=rows, scope=scope, team=team, advisers=advisers, adviser=adviser, teams=teams,
                without_adviser=without)


# ---------------------------------------------------------------------------------------------
# The managers' summary, beside the DfE measures


# England, Nottingham and statistical-neighbour median, 2025 (indicators.md §4).
DFE_2025 = {
    "eet_19_21": (54, 63, 53),
    "suitable_19_21": (89, 93, 88),
    "not_in_touch_19_21": (4, 4, 3.5),
    "eet_17_18": (64, 52, 69),
}


@dataclass
class Measure:
    key: str
    title: str
    numerator: int
    denominator: int
    polarity: str  # "High" or "Low": which way is better

    @property
    def percent(self) -> int | None:
        # Whole numbers, as DfE publishes care leaver figures.
        return round(100 * self.numerator / self.denominator) if self.denominator else None

    @property
    def england(self) -> float:
        return DFE_2025[self.key][0]

    @property
    def nottingham(self) -> float:
        return DFE_2025[self.key][1]

    @property
    def neighbours(self) -> float:
        return DFE_2025[self.key][2]


@dataclass
class CareLeaverSummary:
    year: int
    birthdays_until: date
    cohort_19_21: int
    cohort_17_18: int
    in_touch_19_21: int
    measures: list[Measure]


def care_leaver_summary(*, user: User, today: date | None = None) -> CareLeaverSummary:
    """The DfE care-leaver measures (indicators.md §4) from OC3 so far this collection year (birthdays up to today),
    over the young people the user may see."""
    today = today or timezone.localdate()
    year = collection_year_of(today)
    rows = [r.row for r in oc3_rows(local_authority=user.local_authority_id, year=year,  # type: ignore[arg-type]
                                    people=people_visible_to(user=user), birthdays_until=today) if r.row]
    # DfE leaves out those who died or returned home for 6 months; suitability also those abroad,
    # deported or whose residence is not known.
    counted = [r for r in rows if r.in_touch not in ("DIED", "RHOM")]
    older = [r for r in counted if r.age >= 19]
    younger = [r for r in counted if r.age <= 18]
    placed = [r for r in older if r.accommodation[:1] not in ("G", "H", "R")]
    measures = [
        Measure("eet_19_21", "Care leavers aged 19 to 21 in education, employment or training",
                sum(r.is_eet for r in older), len(older), "High"),
        Measure("suitable_19_21", "Care leavers aged 19 to 21 in suitable accommodation",
                sum(r.accommodation.endswith("1") for r in placed), len(placed), "High"),
        Measure("not_in_touch_19_21", "Care leavers aged 19 to 21 the council is not in touch with",
                sum(r.in_touch == "NO" for r in older), len(older), "Low"),
        Measure("eet_17_18", "Care leavers aged 17 or 18 in education, employment or training",
                sum(r.is_eet for r in younger), len(younger), "High"),
    ]
    return CareLeaverSummary(year=year, birthdays_until=today, cohort_19_21=len(older), cohort_17_18=len(younger),
                             in_touch_19_21=sum(r.in_touch == "YES" for r in older), measures=measures)
