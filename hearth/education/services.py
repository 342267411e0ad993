"""Writes for the education registers: children missing education (CME) and elective home education (EHE).

Every service checks the facts first (no date in the future, nothing before the notification,
no second open case of the same kind, no end before the last recorded step), then writes the
record and the child's chronology in one transaction. Refusals are ``ValidationError``s keyed by
the form field they are about, so the page shows them beside the field with the typing kept.

A child added to a register while in need, on a child protection plan or in care is told to
their social worker and team manager at once; a status that begins later is told by the daily
``education_flags_notify`` command (``register_flags_notify``). ``RegisterFlagNotice`` remembers
what was told, so nobody hears about the same plan twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from hearth.access.policy import can_break_glass, can_view_person
from hearth.access.services import record_managers
from hearth.allocations.selectors import current_social_work_allocation
from hearth.audit.actor import acting_as
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import add_months, add_working_days
from hearth.people.models import Person
from hearth.workspace.dates import long_date
from hearth.workspace.refusals import before_birth_error, future_error, refuse
from hearth.workspace.services import notification_send

from .models import CMECase, CMEEnquiry, EHECase, EHEVisit, Flag, RegisterFlagNotice
from .selectors import REGISTER_NAMES, DueNotice, flag_notices_due

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority

# Local practice, not statute: the CME guidance expects prompt enquiries and sets no timescale, and
# the EHE guidance expects the council to ask about the education at least once a year.
CME_REVIEW_WORKING_DAYS = 10
EHE_FIRST_REVIEW_WORKING_DAYS = 20
EHE_REVIEW_MONTHS = 12
# Compulsory school age runs from the term after the 5th birthday to the last Friday in June of
# the school year the child turns 16; a reception child of 4 may be on a roll and go missing from it.
YOUNGEST = 4
OLDEST = 16


def _not_future(errors: dict[str, Any], field: str, day: date | None, noun: str) -> None:
    if problem := future_error(day, noun):
        errors.setdefault(field, problem)


def _not_before(errors: dict[str, Any], field: str, day: date | None, earliest: date, message: str) -> None:
    if day is not None and day < earliest:
        errors.setdefault(field, message)


def _case_link(register: str, pk: int) -> str:
    return reverse(f"education:{register}_case", args=[pk])


def _check_child(child: Person, on: date, field: str, errors: dict[str, Any]) -> None:
    """A child of (about) school age on the day the council was told."""
    if child.merged_into_id is not None:
        raise ValidationError("This record was merged into another: add the child's current record instead")
    if child.date_of_birth is None:
        if child.is_unborn:
            raise ValidationError(f"{child.full_name} is not born yet, so cannot be on an education register")
        return
    if problem := before_birth_error(on, child, "The date"):
        errors.setdefault(field, problem)
        return
    age = child.age_on(on)
    assert age is not None
    if age < YOUNGEST:
        errors.setdefault(field, f"{child.full_name} was {age} on that date: the registers are for children of "
                                 "school age")
    elif age > OLDEST:
        errors.setdefault(field, f"{child.full_name} was {age} on that date: the registers are for children of "
                                 "compulsory school age (up to 16)")


def _review_after(day: date, working_days: int) -> date:
    return add_working_days(day, working_days, holiday_set())


def _case_for_update(case: CMECase | EHECase) -> Any:
    # Recording a step moves the review date on; read the case afresh so a step never fails as stale.
    return type(case).objects.select_for_update().get(pk=case.pk)


# ---------------------------------------------------------------- telling the social worker


def _recipients(child: Person, by: Any) -> list[User]:
    """The allocated social worker and their team's managers (the service managers if nobody holds the child)."""
    allocation = current_social_work_allocation(child=child)
    people: list[User] = []
    if allocation is not None and allocation.worker is not None and allocation.worker.is_active:
        people.append(allocation.worker)
    people += [m for m in record_managers(person=child) if m.pk not in {p.pk for p in people}]
    acting = getattr(by, "pk", None)
    # Told only those who may open the record, or break the glass on it: never of a sealed record they may
    # not know exists (the notice names its Hearth ID, register and status).
    return [p for p in people if p.pk != acting and (can_view_person(p, child) or can_break_glass(p, child))]


def _tell(*, register: str, case: CMECase | EHECase, notices: list[DueNotice], entry: bool, by: Any) -> int:
    """Record the notices and send one notification per person for them; returns notifications sent."""
    child = case.child
    recipients = _recipients(child, by)
    claimed: list[DueNotice] = []
    for notice in notices:
        try:
            with transaction.atomic():
                RegisterFlagNotice.objects.create(
                    local_authority_id=case.local_authority_id,
                    cme_case_id=case.pk if register == "cme" else None,
                    ehe_case_id=case.pk if register == "ehe" else None,
                    flag=notice.flag, source_id=notice.source_id, recipients=len(recipients),
                )
        except IntegrityError:
            continue  # another run told them first
        claimed.append(notice)
    if not claimed:
        return 0
    labels = ", ".join(str(Flag(n.flag).label) for n in claimed)
    name = REGISTER_NAMES[register]
    if entry:
        title = f"Added to the {name} register: {labels}"
        body = (f"Record {child.hearth_id} was added to the {name} register on {long_date(case.notified_on)} "
                f"and is known to children's social care ({labels}). Talk to the education service about the "
                "child's education and safety.")
    else:
        title = f"On the {name} register: now {labels}"
        body = (f"Record {child.hearth_id} has been on the {name} register since {long_date(case.notified_on)}. "
                f"Children's social care now records: {labels}. Talk to the education service about the child's "
                "education and safety.")
    link = _case_link(register, case.pk)
    for person in recipients:
        notification_send(recipient=person, title=title[:150], body=body, link=link)
    return len(recipients)


def _tell_on_entry(register: str, case: CMECase | EHECase, by: Any) -> int:
    due = flag_notices_due(local_authority_id=case.local_authority_id, register=register, case_ids=[case.pk])
    return _tell(register=register, case=case, notices=due, entry=True, by=by) if due else 0


def register_flags_notify(*, local_authority: LocalAuthority | int, by: Any, on: date | None = None) -> int:
    """Tell social workers about statuses that began while their children were on a register.

    Idempotent: what was told is remembered per case, flag and record, so running it again sends
    nothing new. Returns the number of notifications sent. Run daily (``education_flags_notify``).
    """
    la_id = local_authority if isinstance(local_authority, int) else local_authority.pk
    due = flag_notices_due(local_authority_id=la_id, on=on)
    if not due:
        return 0
    grouped: dict[tuple[str, int], list[DueNotice]] = defaultdict(list)
    for notice in due:
        grouped[(notice.register, notice.case_id)].append(notice)
    cme = CMECase.objects.select_related("child").in_bulk([pk for (r, pk) in grouped if r == "cme"])
    ehe = EHECase.objects.select_related("child").in_bulk([pk for (r, pk) in grouped if r == "ehe"])
    sent = 0
    for (register, pk), notices in grouped.items():
        case = (cme if register == "cme" else ehe)[pk]
        with transaction.atomic():
            sent += _tell(register=register, case=case, notices=notices, entry=False, by=by)
    return sent


# ---------------------------------------------------------------- children missing education


def cme_case_open(
    *,
    child: Person,
    notified_on: date,
    notified_by: str,
    notified_by_name: str,
    reason: str,
    by: User | str,
    last_known_school: str = "",
    last_known_address: str = "",
    reason_detail: str = "",
    review_on: date | None = None,
) -> CMECase:
    """Put a child on the children missing education register; their social worker is told if they are known."""
    errors: dict[str, Any] = {}
    _not_future(errors, "notified_on", notified_on, "The date we were told")
    _check_child(child, notified_on, "notified_on", errors)
    if notified_by not in CMECase.NotifiedBy.values:
        errors["notified_by"] = "Choose who told us"
    if not notified_by_name.strip():
        errors["notified_by_name"] = "Enter the name of the school, agency or person who told us"
    if reason not in CMECase.Reason.values:
        errors["reason"] = "Choose why the child is missing education"
    elif reason == CMECase.Reason.OTHER and not reason_detail.strip():
        errors["reason_detail"] = "Enter why the child is missing education"
    _not_before(errors, "review_on", review_on, notified_on,
                "The review date cannot be before the date we were told")
    existing = CMECase.objects.filter(child=child, local_authority_id=child.local_authority_id,
                                      closed_on__isnull=True).first()
    if existing is not None:
        raise ValidationError(
            f"{child.full_name} is already on the children missing education register (since "
            f"{long_date(existing.notified_on)}). Record what you know on that case instead."
        )
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        case = CMECase(
            local_authority_id=child.local_authority_id, child=child, notified_on=notified_on,
            notified_by=notified_by, notified_by_name=notified_by_name.strip(),
            last_known_school=last_known_school.strip(), last_known_address=last_known_address.strip(),
            reason=reason, reason_detail=reason_detail.strip(),
            review_on=review_on or _review_after(notified_on, CME_REVIEW_WORKING_DAYS),
        )
        case.save(by=by)
        chronology_record(
            person=child, event_type=EventType.EDUCATION, occurred=notified_on,
            title="Added to the children missing education register",
            summary=f"{case.get_reason_display()}. Told by {case.notified_by_name}.",
            source=case, link=_case_link("cme", case.pk), significant=True, by=by,
        )
        _tell_on_entry("cme", case, by)
    return case


def _require_open(case: CMECase | EHECase, doing: str) -> None:
    end = case.closed_on if isinstance(case, CMECase) else case.ended_on
    if end is not None:
        raise ValidationError(f"This case was closed on {long_date(end)}; you cannot {doing}")


def cme_enquiry_record(
    *,
    case: CMECase,
    made_on: date,
    agency: str,
    found: str,
    by: User | str,
    agency_name: str = "",
    review_on: date | None = None,
) -> CMEEnquiry:
    """Record an enquiry made to find the child; the next review moves on from it."""
    _require_open(case, "record an enquiry on it")
    errors: dict[str, Any] = {}
    _not_future(errors, "made_on", made_on, "The date of the enquiry")
    _not_before(errors, "made_on", made_on, case.notified_on,
                f"The enquiry cannot be before we were told the child was missing education "
                f"({long_date(case.notified_on)})")
    if agency not in CMEEnquiry.Agency.values:
        errors["agency"] = "Choose who was asked"
    if not found.strip():
        errors["found"] = "Enter what the enquiry found"
    _not_before(errors, "review_on", review_on, made_on, "The next review cannot be before the enquiry")
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        enquiry = CMEEnquiry(
            local_authority_id=case.local_authority_id, case=case, made_on=made_on, agency=agency,
            agency_name=agency_name.strip(), found=found.strip(), recorded_by=by if not isinstance(by, str) else None,
        )
        enquiry.save(by=by)
        fresh = _case_for_update(case)
        fresh.review_on = review_on or _review_after(made_on, CME_REVIEW_WORKING_DAYS)
        fresh.save(by=by)
        case.version, case.review_on = fresh.version, fresh.review_on
        who = enquiry.get_agency_display() + (f" ({enquiry.agency_name})" if enquiry.agency_name else "")
        chronology_record(
            person=case.child, event_type=EventType.EDUCATION, occurred=made_on,
            title=f"Missing education enquiry: {who}", summary=enquiry.found[:300], source=enquiry,
            link=_case_link("cme", case.pk), by=by,
        )
    return enquiry


def _last_enquiry_on(case: CMECase) -> date | None:
    return CMEEnquiry.objects.filter(case=case).order_by("-made_on").values_list("made_on", flat=True).first()


def cme_outcome_record(
    *,
    case: CMECase,
    outcome: str,
    outcome_on: date,
    by: User | str,
    outcome_detail: str = "",
    close: bool = True,
) -> CMECase:
    """Record where the child was found (or went); closes the case on the same day unless kept open."""
    _require_open(case, "record its outcome")
    errors: dict[str, Any] = {}
    _not_future(errors, "outcome_on", outcome_on, "The date of the outcome")
    _not_before(errors, "outcome_on", outcome_on, case.notified_on,
                f"The outcome cannot be before we were told the child was missing education "
                f"({long_date(case.notified_on)})")
    if outcome not in CMECase.Outcome.values:
        errors["outcome"] = "Choose the outcome"
    elif outcome == CMECase.Outcome.PASSED_ON and not outcome_detail.strip():
        errors["outcome_detail"] = "Enter which council the child's details were passed to"
    elif outcome == CMECase.Outcome.OTHER and not outcome_detail.strip():
        errors["outcome_detail"] = "Enter what the outcome was"
    last = _last_enquiry_on(case)
    if close and last is not None:
        _not_before(errors, "outcome_on", outcome_on, last,
                    f"The case cannot close before the last enquiry ({long_date(last)}). Check the date, or keep the "
                    "case open")
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        case.outcome, case.outcome_on, case.outcome_detail = outcome, outcome_on, outcome_detail.strip()
        if close:
            case.closed_on = outcome_on
        case.save(by=by)
        chronology_record(
            person=case.child, event_type=EventType.EDUCATION, occurred=outcome_on,
            title=f"Missing education outcome: {case.get_outcome_display()}"
                  + (" (case closed)" if close else ""),
            summary=case.outcome_detail[:300], source=case, link=_case_link("cme", case.pk), significant=True, by=by,
        )
    return case


def cme_case_close(*, case: CMECase, closed_on: date, by: User | str) -> CMECase:
    """Close a case whose outcome is already recorded (say, once the other council confirmed the child)."""
    _require_open(case, "close it again")
    if not case.outcome or case.outcome_on is None:
        raise ValidationError("Record the outcome before closing the case")
    errors: dict[str, Any] = {}
    _not_future(errors, "closed_on", closed_on, "The date the case closed")
    _not_before(errors, "closed_on", closed_on, case.outcome_on,
                f"The case cannot close before its outcome ({long_date(case.outcome_on)})")
    last = _last_enquiry_on(case)
    if last is not None:
        _not_before(errors, "closed_on", closed_on, last,
                    f"The case cannot close before the last enquiry ({long_date(last)})")
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        case.closed_on = closed_on
        case.save(by=by)
        chronology_record(
            person=case.child, event_type=EventType.EDUCATION, occurred=closed_on,
            title="Missing education case closed", summary=case.get_outcome_display(), source=case,
            link=_case_link("cme", case.pk), by=by,
        )
    return case


# ---------------------------------------------------------------- elective home education


def _clean_reasons(reasons: Iterable[str], errors: dict[str, Any], *, required: bool) -> list[str]:
    codes = list(dict.fromkeys(reasons))
    if any(code not in EHECase.Reason.values for code in codes):
        errors["reasons"] = "Choose the reasons from the list"
    elif required and not codes:
        errors["reasons"] = "Choose the parents' reasons, or 'No reason given'"
    elif EHECase.Reason.NOT_GIVEN in codes and len(codes) > 1:
        errors["reasons"] = "Choose the reasons given, or 'No reason given', not both"
    return codes


def ehe_case_open(
    *,
    child: Person,
    notified_on: date,
    reasons: Iterable[str],
    by: User | str,
    reasons_detail: str = "",
    school_left: str = "",
    review_on: date | None = None,
    from_cme: CMECase | None = None,
) -> EHECase:
    """Put a child on the elective home education register; their social worker is told if they are known."""
    errors: dict[str, Any] = {}
    _not_future(errors, "notified_on", notified_on, "The date we were told")
    _check_child(child, notified_on, "notified_on", errors)
    codes = _clean_reasons(reasons, errors, required=from_cme is None)
    if EHECase.Reason.OTHER in codes and not reasons_detail.strip():
        errors["reasons_detail"] = "Enter the parents' other reasons"
    _not_before(errors, "review_on", review_on, notified_on, "The review date cannot be before the date we were told")
    existing = EHECase.objects.filter(child=child, local_authority_id=child.local_authority_id,
                                      ended_on__isnull=True).first()
    if existing is not None:
        raise ValidationError(
            f"{child.full_name} is already on the elective home education register (since "
            f"{long_date(existing.notified_on)}). Record visits and the suitability of the education on that case."
        )
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        case = EHECase(
            local_authority_id=child.local_authority_id, child=child, notified_on=notified_on, reasons=codes,
            reasons_detail=reasons_detail.strip(), school_left=school_left.strip(), from_cme=from_cme,
            review_on=review_on or _review_after(notified_on, EHE_FIRST_REVIEW_WORKING_DAYS),
        )
        case.save(by=by)
        summary = "; ".join(case.reason_labels) or "Reasons not recorded yet"
        if case.school_left:
            summary = f"Left {case.school_left}. {summary}"
        chronology_record(
            person=child, event_type=EventType.EDUCATION, occurred=notified_on,
            title="Added to the elective home education register", summary=summary, source=case,
            link=_case_link("ehe", case.pk), significant=True, by=by,
        )
        _tell_on_entry("ehe", case, by)
    return case


def ehe_open_from_cme(*, cme_case: CMECase, by: User | str) -> EHECase:
    """Open the home education case a missing-education outcome found, from what that case already holds."""
    if cme_case.outcome != CMECase.Outcome.HOME_EDUCATED or cme_case.outcome_on is None:
        raise ValidationError("Only a case whose outcome is elective home education can open one")
    if EHECase.objects.filter(from_cme=cme_case).exists():
        raise ValidationError("A home education case has already been opened from this case")
    return ehe_case_open(child=cme_case.child, notified_on=cme_case.outcome_on, reasons=[], by=by,
                         school_left=cme_case.last_known_school, from_cme=cme_case)


def ehe_case_update(
    *,
    case: EHECase,
    reasons: Iterable[str],
    by: User | str,
    reasons_detail: str = "",
    school_left: str = "",
    review_on: date | None = None,
) -> EHECase:
    """Change what is known about the home education: the reasons, the school left, the review date."""
    _require_open(case, "change it")
    errors: dict[str, Any] = {}
    codes = _clean_reasons(reasons, errors, required=True)
    if EHECase.Reason.OTHER in codes and not reasons_detail.strip():
        errors["reasons_detail"] = "Enter the parents' other reasons"
    _not_before(errors, "review_on", review_on, case.notified_on,
                "The review date cannot be before the date we were told")
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        case.reasons, case.reasons_detail, case.school_left = codes, reasons_detail.strip(), school_left.strip()
        if review_on is not None:
            case.review_on = review_on
        case.save(by=by)
    return case


def ehe_visit_record(
    *,
    case: EHECase,
    happened_on: date,
    kind: str,
    notes: str,
    by: User | str,
    child_seen: bool = False,
    review_on: date | None = None,
) -> EHEVisit:
    """Record a visit or contact about the education (or the family's refusal); the next review moves on."""
    _require_open(case, "record a contact on it")
    errors: dict[str, Any] = {}
    _not_future(errors, "happened_on", happened_on, "The date of the contact")
    _not_before(errors, "happened_on", happened_on, case.notified_on,
                f"The contact cannot be before we were told about the home education ({long_date(case.notified_on)})")
    if kind not in EHEVisit.Kind.values:
        errors["kind"] = "Choose the kind of contact"
    elif child_seen and kind in (EHEVisit.Kind.WRITTEN_EVIDENCE, EHEVisit.Kind.DECLINED):
        errors["child_seen"] = "The child cannot have been seen at a contact that was in writing or declined"
    if not notes.strip():
        errors["notes"] = "Enter what was seen, said or sent"
    _not_before(errors, "review_on", review_on, happened_on, "The next review cannot be before the contact")
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        visit = EHEVisit(
            local_authority_id=case.local_authority_id, case=case, happened_on=happened_on, kind=kind,
            child_seen=child_seen, notes=notes.strip(), recorded_by=by if not isinstance(by, str) else None,
        )
        visit.save(by=by)
        fresh = _case_for_update(case)
        fresh.review_on = review_on or add_months(happened_on, EHE_REVIEW_MONTHS)
        fresh.save(by=by)
        case.version, case.review_on = fresh.version, fresh.review_on
        chronology_record(
            person=case.child, event_type=EventType.EDUCATION, occurred=happened_on,
            title=f"Home education: {visit.get_kind_display().lower()}"
                  + (" (child seen)" if child_seen else ""),
            summary=visit.notes[:300], source=visit, link=_case_link("ehe", case.pk), by=by,
        )
    return visit


def ehe_suitability_record(
    *, case: EHECase, suitability: str, decided_on: date, by: User | str, detail: str = ""
) -> EHECase:
    """Record the council's view of whether the education is suitable (it may change: history is kept)."""
    _require_open(case, "record the suitability of the education")
    errors: dict[str, Any] = {}
    _not_future(errors, "decided_on", decided_on, "The date of the decision")
    _not_before(errors, "decided_on", decided_on, case.notified_on,
                f"The decision cannot be before we were told about the home education ({long_date(case.notified_on)})")
    if suitability not in EHECase.Suitability.values:
        errors["suitability"] = "Choose whether the education is suitable"
    elif suitability != EHECase.Suitability.SUITABLE and not detail.strip():
        errors["detail"] = "Enter why the education does not appear suitable, and what happens next"
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        case.suitability, case.suitability_on, case.suitability_detail = suitability, decided_on, detail.strip()
        case.save(by=by)
        chronology_record(
            person=case.child, event_type=EventType.EDUCATION, occurred=decided_on,
            title=f"Home education: {case.get_suitability_display().lower()}", summary=case.suitability_detail[:300],
            source=case, link=_case_link("ehe", case.pk),
            significant=suitability != EHECase.Suitability.SUITABLE, by=by,
        )
    return case


def ehe_case_end(*, case: EHECase, ended_on: date, reason: str, by: User | str, detail: str = "") -> EHECase:
    """Take the child off the elective home education register."""
    _require_open(case, "end it again")
    errors: dict[str, Any] = {}
    _not_future(errors, "ended_on", ended_on, "The end date")
    _not_before(errors, "ended_on", ended_on, case.notified_on,
                f"The end date cannot be before we were told about the home education ({long_date(case.notified_on)})")
    last = EHEVisit.objects.filter(case=case).order_by("-happened_on").values_list("happened_on", flat=True).first()
    if last is not None:
        _not_before(errors, "ended_on", ended_on, last,
                    f"The end date cannot be before the last contact ({long_date(last)})")
    if reason not in EHECase.EndReason.values:
        errors["reason"] = "Choose why the home education ended"
    elif reason == EHECase.EndReason.SIXTEEN:
        age = case.child.age_on(ended_on)
        if age is not None and age < OLDEST:
            errors["reason"] = f"{case.child.full_name} was {age} on that date, not 16"
    elif reason == EHECase.EndReason.OTHER and not detail.strip():
        errors["detail"] = "Enter why the home education ended"
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        case.ended_on, case.end_reason, case.end_detail = ended_on, reason, detail.strip()
        case.save(by=by)
        chronology_record(
            person=case.child, event_type=EventType.EDUCATION, occurred=ended_on,
            title=f"Elective home education ended: {case.get_end_reason_display().lower()}",
            summary=case.end_detail[:300], source=case, link=_case_link("ehe", case.pk), by=by,
        )
    return case
