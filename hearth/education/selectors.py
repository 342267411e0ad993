"""Reads for the education registers.

The registers are lists of children, so every list starts from the one door to people
(``visible_people_filter``): a restricted or sealed child is never named, only counted. Whether a
child is in need, on a plan or in care is read live from the social care record as three
``Exists`` in the same query as the rows, never a query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from hearth.access.policy import countable_unseen_filter, visible_people_filter
from hearth.care.selectors import periods_covering
from hearth.cin.models import CINEpisode
from hearth.protection.models import ChildProtectionPlan

from .models import CMECase, CMEEnquiry, EHECase, EHEVisit, Flag, RegisterFlagNotice

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.people.models import Person

Register = Literal["cme", "ehe"]
Status = Literal["open", "closed", "all"]

REGISTER_NAMES: dict[str, str] = {
    "cme": "children missing education",
    "ehe": "elective home education",
}
# What the child's record header says about each register the child is on now.
REGISTER_TAGS: dict[str, str] = {"cme": "Missing education (CME)", "ehe": "Home educated (EHE)"}
FLAG_COLOURS: dict[str, str] = {Flag.CIN: "blue", Flag.CP: "red", Flag.CARE: "purple"}
FLAG_ORDER = (Flag.CP, Flag.CARE, Flag.CIN)


@dataclass(frozen=True)
class FlagTag:
    code: str
    text: str
    colour: str


def _model(register: str) -> type[CMECase] | type[EHECase]:
    return CMECase if register == "cme" else EHECase


def _end_field(register: str) -> str:
    return "closed_on" if register == "cme" else "ended_on"


def _status_records(local_authority_id: int, on: date, child_ref: str = "child") -> dict[str, QuerySet[Any]]:
    """The open record behind each flag for the child in ``OuterRef(child_ref)``."""
    child = OuterRef(child_ref)
    return {
        Flag.CIN: CINEpisode.objects.filter(
            child=child, local_authority_id=local_authority_id, closed_on__isnull=True
        ).order_by("-referral_date", "-id"),
        Flag.CP: ChildProtectionPlan.objects.filter(
            child=child, local_authority_id=local_authority_id, ended_on__isnull=True
        ).order_by("-started_on", "-id"),
        Flag.CARE: periods_covering(local_authority=local_authority_id, on=on)
        .filter(child=child)
        .order_by("-started_on", "-id"),
    }


def with_flags(cases: QuerySet[Any], *, local_authority_id: int, on: date | None = None) -> QuerySet[Any]:
    """Annotate register cases with ``flag_cin``, ``flag_cp``, ``flag_care`` (booleans, one query)."""
    records = _status_records(local_authority_id, on or timezone.localdate())
    return cases.annotate(**{f"flag_{code}": Exists(qs) for code, qs in records.items()})


def _flagged_q() -> Q:
    return Q(flag_cin=True) | Q(flag_cp=True) | Q(flag_care=True)


def flags_of(case: Any) -> list[FlagTag]:
    """The flags of a case annotated by ``with_flags``, most serious first."""
    return [
        FlagTag(str(code), str(Flag(code).label), FLAG_COLOURS[code])
        for code in FLAG_ORDER
        if getattr(case, f"flag_{code}", False)
    ]


def _registers_base(user: User, register: str) -> tuple[QuerySet[Any], Q | None]:
    visible = visible_people_filter(user, prefix="child__")
    model = _model(register)
    if visible is None:
        return model.objects.none(), None
    cases = with_flags(
        model.objects.filter(local_authority_id=user.local_authority_id),
        local_authority_id=user.local_authority_id,  # type: ignore[arg-type]
    )
    return cases, visible


def _status_q(register: str, status: str) -> Q:
    end = _end_field(register)
    if status == "open":
        return Q(**{f"{end}__isnull": True})
    if status == "closed":
        return Q(**{f"{end}__isnull": False})
    return Q()


def register_cases(*, user: User, register: Register, status: Status = "open",
                   flagged_only: bool = False) -> QuerySet[Any]:
    """One register's cases the user may see, with flags and the latest enquiry or contact, oldest first."""
    cases, visible = _registers_base(user, register)
    if visible is None:
        return cases
    cases = cases.filter(visible).filter(_status_q(register, status))
    if flagged_only:
        cases = cases.filter(_flagged_q())
    if register == "cme":
        latest: QuerySet[Any] = CMEEnquiry.objects.filter(case=OuterRef("pk")).order_by("-made_on", "-id")
        cases = cases.annotate(latest_on=Subquery(latest.values("made_on")[:1]),
                               latest_kind=Subquery(latest.values("agency")[:1]))
    else:
        latest = EHEVisit.objects.filter(case=OuterRef("pk")).order_by("-happened_on", "-id")
        cases = cases.annotate(latest_on=Subquery(latest.values("happened_on")[:1]),
                               latest_kind=Subquery(latest.values("kind")[:1]))
    return cases.select_related("child").order_by("notified_on", "id")


@dataclass(frozen=True)
class RegisterCounts:
    open: int
    open_flagged: int
    closed: int
    # Cases matching the filter shown whose restricted child this user may not open: counted, never named.
    hidden: int


def register_counts(*, user: User, register: Register, status: Status = "open",
                    flagged_only: bool = False) -> RegisterCounts:
    """The register's totals for this user, in one query."""
    cases, visible = _registers_base(user, register)
    if visible is None:
        return RegisterCounts(0, 0, 0, 0)
    is_open = _status_q(register, "open")
    shown = _status_q(register, status) & (_flagged_q() if flagged_only else Q())
    # Restricted children the user cannot open are counted; sealed ones are not.
    unseen = countable_unseen_filter(user, prefix="child__")
    assert unseen is not None  # as ``visible`` is not
    totals = cases.aggregate(
        open=Count("pk", filter=visible & is_open),
        open_flagged=Count("pk", filter=visible & is_open & _flagged_q()),
        closed=Count("pk", filter=visible & _status_q(register, "closed")),
        hidden=Count("pk", filter=shown & unseen),
    )
    return RegisterCounts(totals["open"], totals["open_flagged"], totals["closed"], totals["hidden"])


def case_for(*, user: User, register: Register, pk: int) -> Any:
    """One case of the user's council with its flags, or None. The caller checks the child may be opened."""
    if user.local_authority_id is None:
        return None
    model = _model(register)
    cases = with_flags(model.objects.filter(pk=pk, local_authority_id=user.local_authority_id),
                       local_authority_id=user.local_authority_id)
    return cases.select_related("child").first()


def open_case_of(*, child: Person, register: Register) -> Any:
    model = _model(register)
    return model.objects.filter(
        child=child, local_authority_id=child.local_authority_id, **{f"{_end_field(register)}__isnull": True}
    ).first()


def cases_of(*, child: Person) -> dict[str, list[Any]]:
    """Every register case of one child, latest first (for the case pages' history)."""
    la = child.local_authority_id
    return {
        "cme": list(CMECase.objects.filter(child=child, local_authority_id=la).order_by("-notified_on", "-id")),
        "ehe": list(EHECase.objects.filter(child=child, local_authority_id=la).order_by("-notified_on", "-id")),
    }


def enquiries_of(*, case: CMECase) -> QuerySet[CMEEnquiry]:
    return CMEEnquiry.objects.filter(case=case, local_authority_id=case.local_authority_id).select_related(
        "recorded_by").order_by("-made_on", "-id")


def visits_of(*, case: EHECase) -> QuerySet[EHEVisit]:
    return EHEVisit.objects.filter(case=case, local_authority_id=case.local_authority_id).select_related(
        "recorded_by").order_by("-happened_on", "-id")


# ---------------------------------------------------------------- flags not yet told


@dataclass(frozen=True)
class DueNotice:
    """A status a child on a register has that their social worker has not been told about."""

    register: str
    case_id: int
    child_id: int
    flag: str
    source_id: int


def _due_for(register: str, local_authority_id: int, on: date, case_ids: list[int] | None,
             countable: Q | None) -> list[DueNotice]:
    model = _model(register)
    records = _status_records(local_authority_id, on)
    cases = model.objects.filter(local_authority_id=local_authority_id, **{f"{_end_field(register)}__isnull": True})
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    if countable is not None:
        cases = cases.filter(countable)
    rows = list(
        cases.annotate(**{f"{code}_id": Subquery(qs.values("pk")[:1]) for code, qs in records.items()})
        .filter(Q(cin_id__isnull=False) | Q(cp_id__isnull=False) | Q(care_id__isnull=False))
        .values("pk", "child_id", "cin_id", "cp_id", "care_id")
    )
    if not rows:
        return []
    field = "cme_case_id" if register == "cme" else "ehe_case_id"
    told = set(
        RegisterFlagNotice.objects.filter(
            local_authority_id=local_authority_id, **{f"{field}__in": [row["pk"] for row in rows]}
        ).values_list(field, "flag", "source_id")
    )
    due = []
    for row in rows:
        for code in FLAG_ORDER:
            source = row[f"{code}_id"]
            if source is not None and (row["pk"], str(code), source) not in told:
                due.append(DueNotice(register, row["pk"], row["child_id"], str(code), source))
    return due


def flag_notices_due(*, local_authority_id: int, on: date | None = None, register: str | None = None,
                     case_ids: list[int] | None = None, counted_by: User | None = None) -> list[DueNotice]:
    """Statuses that began (or were there) while children were on a register and nobody has been told.

    Two queries per register, whatever the number of cases. The registers page counts these and the
    daily ``education_flags_notify`` command sends them. ``counted_by`` keeps to the children that reader
    may open or count as restricted records: a sealed child's status is not even counted for others.
    """
    day = on or timezone.localdate()
    registers = [register] if register else ["cme", "ehe"]
    countable = None
    if counted_by is not None:
        visible = visible_people_filter(counted_by, prefix="child__")
        unseen = countable_unseen_filter(counted_by, prefix="child__")
        if visible is None or unseen is None:
            return []
        countable = visible | unseen
    return [notice for r in registers for notice in _due_for(r, local_authority_id, day, case_ids, countable)]


def days_on_register(case: Any, today: date | None = None) -> int:
    end = case.closed_on if isinstance(case, CMECase) else case.ended_on
    return ((end or today or timezone.localdate()) - case.notified_on).days

