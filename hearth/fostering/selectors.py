"""Reads for fostering and adoption, scoped to the user's council and to what their role may see.

Households and adopters are not children's records: only fostering workers and managers see them
(``fostering.view``). A placement request names a child, so requests are listed through the same filter
as every list of children (``visible_people_filter``), and a request for a record the user cannot open is
counted, never named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from hearth.access.policy import countable_unseen_filter, visible_people_filter
from hearth.care.models import Placement
from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import add_working_days
from hearth.people.models import Person
from hearth.returns import annex_a_labels as labels

from . import scoring
from .models import (
    ASSESSMENT_STAGES,
    AdopterApplicant,
    FosterCarerReview,
    FosterHousehold,
    FosterVacancy,
    PlacementRequest,
    ProspectiveAdopter,
)

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority

Stage = FosterHousehold.Stage
# National Minimum Standards for fostering (2011) 14.8: the decision within 7 working days of the panel's
# recommendation and final minutes. Shown, not enforced: the minutes can come later than the meeting.
DECISION_WORKING_DAYS = 7


def may_see_fostering(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_case_access
                and user.has_perm("fostering.view"))


# ---------------------------------------------------------------- households


def households_for(*, user: User) -> QuerySet[FosterHousehold]:
    if not may_see_fostering(user):
        return FosterHousehold.objects.none()
    return FosterHousehold.objects.filter(local_authority_id=user.local_authority_id)


def household_get(*, user: User, pk: int) -> FosterHousehold | None:
    return (
        households_for(user=user)
        .select_related("initial_visit_worker", "assessing_worker", "supervising_worker")
        .prefetch_related("applicants")
        .filter(pk=pk)
        .first()
    )


def _open_on(on: date) -> Q:
    return Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def _placed_subquery(on: date) -> Subquery:
    placed = (
        Placement.objects.filter(_open_on(on), foster_household=OuterRef("pk"))
        .order_by().values("foster_household").annotate(n=Count("id")).values("n")
    )
    return Subquery(placed, output_field=IntegerField())


def _is_placed() -> Exists:
    """The matched child now lives with the matched household (the placement was made on the care pages)."""
    return Exists(Placement.objects.filter(child=OuterRef("child"), foster_household=OuterRef("matched_household"),
                                           ended_on__isnull=True, started_on__gte=OuterRef("matched_on")))


def _pending_subquery(outer: str) -> Subquery:
    """Children matched to a household (or vacancy) and not yet placed there."""
    pending = (
        PlacementRequest.objects.filter(**{outer: OuterRef("pk")}, status=PlacementRequest.Status.MATCHED)
        .annotate(placed=_is_placed()).filter(placed=False)
        .order_by().values(outer).annotate(n=Sum("number_of_children")).values("n")
    )
    return Subquery(pending, output_field=IntegerField())


@dataclass(frozen=True)
class Capacity:
    approved: int
    placed: int
    matched: int
    offered: int

    @property
    def free(self) -> int:
        """Places not taken by a child living there or a child matched to come."""
        return max(self.approved - self.placed - self.matched, 0)

    @property
    def unoffered(self) -> int:
        """Free places not yet offered in a vacancy."""
        return max(self.approved - self.placed - self.offered, 0)


def children_placed(*, household: FosterHousehold, on: date) -> int:
    return Placement.objects.filter(_open_on(on), foster_household=household).count()


def household_capacity(*, household: FosterHousehold, on: date, excluding_vacancy: int | None = None) -> Capacity:
    matched = (
        PlacementRequest.objects.filter(matched_household=household, status=PlacementRequest.Status.MATCHED)
        .annotate(placed=_is_placed()).filter(placed=False)
        .aggregate(n=Sum("number_of_children"))["n"] or 0
    )
    offered = (
        household.vacancies.filter(closed_on__isnull=True).exclude(pk=excluding_vacancy)
        .aggregate(n=Sum("places"))["n"] or 0
    )
    return Capacity(approved=household.approved_places or 0, placed=children_placed(household=household, on=on),
                    matched=matched, offered=offered)


@dataclass
class BoardColumn:
    stage: str
    label: str
    # Households or families, each with ``days_in_stage``.
    households: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.households)


def pipeline_board(*, user: User, today: date) -> list[BoardColumn]:
    """Households in assessment by stage, longest in their stage first, each with ``days_in_stage``."""
    columns: dict[str, BoardColumn] = {s: BoardColumn(s, str(Stage(s).label)) for s in ASSESSMENT_STAGES}
    rows = (
        households_for(user=user).filter(stage__in=ASSESSMENT_STAGES)
        .select_related("assessing_worker").prefetch_related("applicants")
        .order_by("stage_since", "name", "id")
    )
    for household in rows:
        since = household.stage_since or household.enquiry_on
        household.days_in_stage = (today - since).days  # type: ignore[attr-defined]
        columns[household.stage].households.append(household)
    return list(columns.values())


def review_due(*, approved_on: date | None, last_review_on: date | None) -> date | None:
    """A year from the last review, or from approval before the first (FSR 2011 reg 28: at least yearly)."""
    start = last_review_on or approved_on
    return start + relativedelta(years=1) if start else None


def register(*, user: User, today: date) -> list[FosterHousehold]:
    """Approved households with ``placed``, ``offered``, ``free``, ``last_review_on``, ``review_due_on`` and
    ``review_overdue`` (one query)."""
    last_review = (
        FosterCarerReview.objects.filter(household=OuterRef("pk")).order_by("-reviewed_on").values("reviewed_on")[:1]
    )
    offered = (
        FosterVacancy.objects.filter(household=OuterRef("pk"), closed_on__isnull=True)
        .order_by().values("household").annotate(n=Sum("places")).values("n")
    )
    rows: list[Any] = list(
        households_for(user=user).filter(stage=Stage.APPROVED)
        .select_related("supervising_worker")
        .annotate(
            placed=Coalesce(_placed_subquery(today), Value(0)),
            matched=Coalesce(_pending_subquery("matched_household"), Value(0)),
            offered=Coalesce(Subquery(offered, output_field=IntegerField()), Value(0)),
            last_review_on=Subquery(last_review),
        )
        .order_by("name", "id")
    )
    for h in rows:
        h.capacity = Capacity(approved=h.approved_places or 0, placed=h.placed, matched=h.matched, offered=h.offered)
        due = review_due(approved_on=h.approved_on, last_review_on=h.last_review_on)
        h.review_due_on = due
        h.review_overdue = due is not None and due < today
        h.review_soon = due is not None and today <= due <= today + timedelta(days=42)
    return rows


def household_page(*, household: FosterHousehold, today: date) -> dict[str, Any]:
    """What the household page shows beside the household: reviews, vacancies, capacity, timeline, clocks."""
    reviews = list(household.reviews.select_related("reviewer").all())
    vacancies = list(household.vacancies.all().order_by("-available_from", "-id"))
    capacity = household_capacity(household=household, on=today)
    last_review_on = reviews[0].reviewed_on if reviews else None
    due = review_due(approved_on=household.approved_on, last_review_on=last_review_on)
    decision_due = None
    if household.panel_on:
        decision_due = add_working_days(household.panel_on, DECISION_WORKING_DAYS, holiday_set())
    decided = household.decided_on or household.qualifying_determination_on
    return {
        "reviews": reviews,
        "vacancies": vacancies,
        "open_vacancies": [v for v in vacancies if v.closed_on is None],
        "capacity": capacity,
        "review_due_on": due if household.stage == Stage.APPROVED else None,
        "review_overdue": household.stage == Stage.APPROVED and due is not None and due < today,
        "decision_due_on": decision_due,
        "decision_late": bool(decision_due and (decided or today) > decision_due),
        "timeline": household_timeline(household=household, reviews=reviews, vacancies=vacancies),
        "matched_requests": list(
            household.matched_requests.filter(status=PlacementRequest.Status.MATCHED)
            .annotate(placed=_is_placed()).filter(placed=False).select_related("child")
        ),
    }


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    title: str
    detail: str = ""


def household_timeline(*, household: FosterHousehold, reviews: list[FosterCarerReview],
                       vacancies: list[FosterVacancy]) -> list[TimelineEntry]:
    """Every dated step, newest first."""
    h = household
    entries: list[TimelineEntry] = [TimelineEntry(h.enquiry_on, "Enquiry", h.get_enquiry_source_display())]
    if h.initial_visit_on:
        worker = h.initial_visit_worker.get_full_name() if h.initial_visit_worker else ""
        entries.append(TimelineEntry(h.initial_visit_on, "Initial visit",
                                     ", ".join(p for p in (worker, h.get_initial_visit_recommendation_display()) if p)))
    if h.stage_1_started_on:
        entries.append(TimelineEntry(h.stage_1_started_on, "Assessment stage 1 started"))
    if h.stage_1_ended_on:
        entries.append(TimelineEntry(h.stage_1_ended_on, "Assessment stage 1 ended",
                                     h.get_stage_1_outcome_display()))
    if h.stage_2_started_on:
        worker = h.assessing_worker.get_full_name() if h.assessing_worker else ""
        entries.append(TimelineEntry(h.stage_2_started_on, "Assessment stage 2 started",
                                     f"Assessing social worker: {worker}" if worker else ""))
    if h.form_f_completed_on:
        entries.append(TimelineEntry(h.form_f_completed_on, "Form F assessment completed"))
    if h.panel_on:
        entries.append(TimelineEntry(h.panel_on, "Fostering panel",
                                     f"Recommendation: {h.get_panel_recommendation_display()}"))
    if h.qualifying_determination_on:
        entries.append(TimelineEntry(h.qualifying_determination_on, "Qualifying determination",
                                     "The agency decision maker proposes not to approve"))
    if h.decided_on:
        entries.append(TimelineEntry(h.decided_on, "Agency decision", h.get_decision_display()))
    for review in reviews:
        detail = review.get_recommendation_display()
        if review.panel_on:
            detail += f"; to panel on {review.panel_on.day} {review.panel_on:%B %Y}"
        entries.append(TimelineEntry(review.reviewed_on, "Foster carer review", detail))
    for vacancy in vacancies:
        entries.append(TimelineEntry(vacancy.available_from, "Vacancy offered",
                                     f"{vacancy.places} place{'s' if vacancy.places != 1 else ''}, "
                                     f"ages {vacancy.age_from} to {vacancy.age_to}"))
        if vacancy.closed_on:
            entries.append(TimelineEntry(vacancy.closed_on, "Vacancy closed", vacancy.get_close_reason_display()))
    if h.withdrawn_on:
        entries.append(TimelineEntry(h.withdrawn_on, "Left the assessment",
                                     f"{h.get_withdrawal_reason_display()} (at {h.get_withdrawn_at_stage_display()})"))
    if h.deregistered_on:
        entries.append(TimelineEntry(h.deregistered_on, "Deregistered", h.get_deregistration_reason_display()))
    return sorted(entries, key=lambda e: e.on, reverse=True)


# ---------------------------------------------------------------- vacancies


def _with_capacity(vacancies: QuerySet[FosterVacancy], today: date) -> list[FosterVacancy]:
    """Each vacancy with ``capacity`` (its household's) and ``free``: the places still open to a match, that is
    the vacancy's places less children matched to it, and never more than the household has free."""
    rows: list[Any] = list(
        vacancies.select_related("household")
        .annotate(matched_here=Coalesce(_pending_subquery("matched_vacancy"), Value(0)))
        .order_by("available_from", "id")
    )
    if not rows:
        return rows
    households = {v.household_id for v in rows}
    placed = dict(
        Placement.objects.filter(_open_on(today), foster_household_id__in=households)
        .order_by().values_list("foster_household").annotate(n=Count("id"))
    )
    matched = dict(
        PlacementRequest.objects.filter(matched_household_id__in=households, status=PlacementRequest.Status.MATCHED)
        .annotate(placed=_is_placed()).filter(placed=False)
        .order_by().values_list("matched_household").annotate(n=Sum("number_of_children"))
    )
    for v in rows:
        h = v.household
        v.capacity = Capacity(approved=h.approved_places or 0, placed=placed.get(h.pk, 0),
                              matched=matched.get(h.pk, 0), offered=0)
        v.free = max(min(v.places - v.matched_here, v.capacity.free), 0)
    return rows


def _open_vacancies(local_authority_id: int) -> QuerySet[FosterVacancy]:
    return FosterVacancy.objects.filter(local_authority_id=local_authority_id, closed_on__isnull=True,
                                        household__stage=Stage.APPROVED)


def open_vacancies(*, user: User, today: date) -> list[FosterVacancy]:
    """Open vacancies of approved households, each with ``capacity`` and ``free`` places (three queries)."""
    if not may_see_fostering(user):
        return []
    assert user.local_authority_id is not None
    return _with_capacity(_open_vacancies(user.local_authority_id), today)


def vacancy_free_places(*, vacancy: FosterVacancy, on: date) -> int:
    rows = _with_capacity(_open_vacancies(vacancy.local_authority_id).filter(pk=vacancy.pk), on)
    return rows[0].free if rows else 0  # type: ignore[attr-defined]


# ---------------------------------------------------------------- placement requests and matching


@dataclass
class RequestList:
    requests: list[PlacementRequest]
    # Requests for restricted children whose records this user may not open: counted, never named.
    hidden: int


def placement_requests(*, user: User, include_closed: bool = False) -> RequestList:
    if not (getattr(user, "is_authenticated", False) and user.has_case_access):
        return RequestList([], 0)
    base = PlacementRequest.objects.filter(local_authority_id=user.local_authority_id)
    if not include_closed:
        base = base.exclude(status=PlacementRequest.Status.CLOSED)
    rule = visible_people_filter(user, prefix="child__")
    unseen = countable_unseen_filter(user, prefix="child__")
    if rule is None or unseen is None:
        return RequestList([], 0)
    rows = list(
        base.filter(rule).select_related("child", "requested_by", "matched_household")
        .annotate(placed=_is_placed())
        .order_by("status", "needed_from", "id")
    )
    # Requests for restricted children the user cannot open are counted; for sealed ones, not even that.
    return RequestList(rows, base.filter(unseen).count())


def placement_request_get(*, user: User, pk: int) -> PlacementRequest | None:
    """The request, if the user may open its child's record."""
    rule = visible_people_filter(user, prefix="child__")
    if rule is None:
        return None
    return (
        PlacementRequest.objects.filter(rule, local_authority_id=user.local_authority_id, pk=pk)
        .select_related("child", "requested_by", "matched_household", "matched_vacancy", "matched_by")
        .annotate(placed=_is_placed())
        .first()
    )


@dataclass
class Candidate:
    vacancy: FosterVacancy
    score: scoring.Score
    max_points: int


def candidates_for(*, request: PlacementRequest, user: User, today: date) -> list[Candidate]:
    """Open vacancies scored against the request: those that fit first, then by points."""
    child_age = request.child.age_on(max(request.needed_from, today))
    result = []
    for vacancy in open_vacancies(user=user, today=today):
        s = scoring.score(
            child_age=child_age, care_type=request.care_type, needs=request.needs,
            children=request.number_of_children, siblings_together=request.siblings_together,
            child_postcode=request.postcode, age_from=vacancy.age_from, age_to=vacancy.age_to,
            care_types=vacancy.care_types, vacancy_needs=vacancy.needs,
            free_places=vacancy.free,  # type: ignore[attr-defined]
            household_postcode=vacancy.household.postcode,
        )
        result.append(Candidate(vacancy, s, scoring.max_points(request.needs)))
    return sorted(result, key=lambda c: (not c.score.fits, -c.score.points, c.vacancy.available_from))


# ---------------------------------------------------------------- recruitment and retention


def financial_year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


@dataclass
class YearFigures:
    label: str
    start: date
    end: date
    enquiries: int = 0
    initial_visits: int = 0
    applications: int = 0
    approvals: int = 0
    deregistrations: int = 0
    households_at_end: int = 0
    places_at_end: int = 0

    @property
    def net_gain(self) -> int:
        return self.approvals - self.deregistrations

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def visit_rate(self) -> float | None:
        return self._rate(self.initial_visits, self.enquiries)

    @property
    def conversion_rate(self) -> float | None:
        """Approvals per 100 enquiries in the same period (the measure in Ofsted's fostering statistics)."""
        return self._rate(self.approvals, self.enquiries)

    @property
    def application_approval_rate(self) -> float | None:
        return self._rate(self.approvals, self.applications)


MEASURES = (
    ("enquiries", "enquiry_on"),
    ("initial_visits", "initial_visit_on"),
    ("applications", "stage_2_started_on"),
    ("approvals", "approved_on"),
    ("deregistrations", "deregistered_on"),
)


def _fy_label(start: date) -> str:
    return f"{start.year}/{str(start.year + 1)[2:]}"


def recruitment(*, user: User, today: date) -> list[YearFigures]:
    """This financial year to date, last year to the same date, and the whole of last year (one query).

    An application is the start of assessment stage 2. Households and places at the end count approvals
    not ended by then, on the terms held now.
    """
    this_start = financial_year_start(today)
    last_start = date(this_start.year - 1, 4, 1)
    same_day_last_year = today - relativedelta(years=1)
    periods = [
        YearFigures(f"Last year ({_fy_label(last_start)})", last_start, this_start - timedelta(days=1)),
        YearFigures(f"Last year to {same_day_last_year.day} {same_day_last_year:%B %Y}", last_start,
                    same_day_last_year),
        YearFigures(f"This year ({_fy_label(this_start)}) to date", this_start, today),
    ]
    aggregates: dict[str, Any] = {}
    for i, p in enumerate(periods):
        for name, field_name in MEASURES:
            aggregates[f"{name}_{i}"] = Count("id", filter=Q(**{f"{field_name}__range": (p.start, p.end)}))
        on_register = Q(approved_on__lte=p.end) & (Q(deregistered_on__isnull=True) | Q(deregistered_on__gt=p.end))
        aggregates[f"households_at_end_{i}"] = Count("id", filter=on_register)
        aggregates[f"places_at_end_{i}"] = Coalesce(Sum("approved_places", filter=on_register), Value(0))
    values = households_for(user=user).aggregate(**aggregates)
    for i, p in enumerate(periods):
        for name in (*(m for m, _ in MEASURES), "households_at_end", "places_at_end"):
            setattr(p, name, values[f"{name}_{i}"])
    return periods


# ---------------------------------------------------------------- adopters


def adopters_for(*, user: User) -> QuerySet[ProspectiveAdopter]:
    if not may_see_fostering(user):
        return ProspectiveAdopter.objects.none()
    return ProspectiveAdopter.objects.filter(local_authority_id=user.local_authority_id)


def adopter_get(*, user: User, pk: int) -> ProspectiveAdopter | None:
    return (adopters_for(user=user).select_related("worker", "child").prefetch_related("applicants")
            .filter(pk=pk).first())


ADOPTER_BOARD_STAGES = tuple(s for s in ProspectiveAdopter.Stage if s not in (
    ProspectiveAdopter.Stage.ADOPTED, ProspectiveAdopter.Stage.LEFT))


def adopter_board(*, user: User, today: date) -> list[BoardColumn]:
    columns: dict[str, BoardColumn] = {
        s: BoardColumn(s, str(ProspectiveAdopter.Stage(s).label)) for s in ADOPTER_BOARD_STAGES}
    rows = (adopters_for(user=user).filter(stage__in=ADOPTER_BOARD_STAGES).prefetch_related("applicants")
            .order_by("stage_since", "name", "id"))
    for adopter in rows:
        adopter.days_in_stage = (today - (adopter.stage_since or adopter.enquiry_on)).days  # type: ignore[attr-defined]
        columns[adopter.stage].households.append(adopter)
    return list(columns.values())


def visible_child_ids(*, user: User, ids: list[int]) -> list[int]:
    """Which of these children's records the user may open (the others are never named to them)."""
    rule = visible_people_filter(user)
    if rule is None or not ids:
        return []
    return list(Person.objects.filter(rule, pk__in=ids).values_list("pk", flat=True))


def child_shown_to(*, user: User, adopter: ProspectiveAdopter) -> dict[str, Any] | None:
    """The linked child as this user may see them: named if they may open the record, else 'a restricted record'."""
    if adopter.child_id is None:
        return None
    if visible_child_ids(user=user, ids=[adopter.child_id]):
        return {"name": adopter.child.full_name, "pk": adopter.child_id}  # type: ignore[union-attr]
    return {"name": "A restricted record", "pk": None}


LIST_11_HEADERS = (
    "Individual adopter identifier", "Family identifier", "Gender", "Ethnicity", "Disability",
    "Is the (prospective) adopter fostering for adoption?", "Date enquiry received", "Date Stage 1 started",
    "Date Stage 1 ended", "Date Stage 2 started", "Date Stage 2 ended", "Date application submitted",
    "Date application approved", "Date adopter matched with child(ren)",
    "Date child/children placed with adopter(s)", "No. of children placed", "Date of Adoption Order",
    "Date of leaving adoption process", "Reason for leaving adoption process",
)
# Ofsted's labels (one table for all of Annex A, hearth/returns/annex_a_labels.py) for the adopter's own codes.
_GENDER_LABELS = {"male": labels.GENDER["M"], "female": labels.GENDER["F"], "not_stated": labels.GENDER["U"],
                  "neither": labels.NEITHER}
_YES_NO = {"yes": labels.YES, "no": labels.NO, "not_known": labels.UNKNOWN}


def _in_process_since(families: QuerySet[ProspectiveAdopter], since: date) -> QuerySet[ProspectiveAdopter]:
    """Families in the process at any time since ``since``: not left nor adopted before it."""
    return families.filter(Q(left_on__isnull=True) | Q(left_on__gte=since)).filter(
        Q(adoption_order_on__isnull=True) | Q(adoption_order_on__gte=since))


def annex_a_list_11(*, user: User, since: date) -> list[dict[str, Any]]:
    """One row per adopter, Annex A List 11, keyed by its exact headers: families in the process at any time
    since ``since`` (not left nor adopted before it). Dates stay dates; the return's writer formats them."""
    return _list_11_rows(_in_process_since(adopters_for(user=user), since))


def annex_a_list_11_for_council(*, local_authority: LocalAuthority | int, since: date, until: date
                                ) -> list[dict[str, Any]]:
    """List 11 for the council's Annex A export, which has no user: the export itself is the access decision
    (an analyst's run or the command line, logged). Families who enquired by ``until`` and were still in the
    process at any time since ``since``."""
    families = ProspectiveAdopter.objects.filter(local_authority=local_authority, enquiry_on__lte=until)
    return _list_11_rows(_in_process_since(families, since))


def _list_11_rows(families: QuerySet[ProspectiveAdopter]) -> list[dict[str, Any]]:
    rows = []
    for a in AdopterApplicant.objects.filter(adopter__in=families).select_related("adopter").order_by(
            "adopter__reference", "id"):
        f = a.adopter
        values = (
            a.identifier, f.reference, _GENDER_LABELS.get(a.gender, ""), labels.ETHNICITY.get(a.ethnicity, a.ethnicity),
            _YES_NO.get(a.disability, ""), labels.YES if f.fostering_for_adoption else labels.NO, f.enquiry_on,
            f.stage_1_started_on, f.stage_1_ended_on, f.stage_2_started_on, f.stage_2_ended_on,
            f.application_submitted_on, f.approved_on, f.matched_on, f.placed_on, f.children_placed,
            f.adoption_order_on, f.left_on, f.get_left_reason_display() if f.left_reason else None,
        )
        rows.append(dict(zip(LIST_11_HEADERS, values, strict=True)))
    return rows
