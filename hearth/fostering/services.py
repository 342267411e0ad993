"""Writes for fostering and adoption: each step of the pipelines, reviews, vacancies, placement requests.

Every service checks first (the household is at the right stage, the date is in order with the steps
before and after it and not in the future, the numbers add up), then saves in one transaction with its
history. Refusals are ``ValidationError``s keyed by the form field they are about, so the page shows them
beside the field and keeps what was typed. The stage moves only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from hearth.people.checks import clean_postcode
from hearth.workspace.dates import long_date
from hearth.workspace.refusals import refuse

from . import selectors
from .models import (
    ASSESSMENT_STAGES,
    AdopterApplicant,
    CareType,
    EnquirySource,
    FosterApplicant,
    FosterCarerReview,
    FosterHousehold,
    FosterVacancy,
    Need,
    PlacementRequest,
    ProspectiveAdopter,
)
from .pipeline import ADOPTION_STEPS, FOSTERING_STEPS, recorded_dates, step_refusal

if TYPE_CHECKING:
    from hearth.people.models import Person
    from hearth.tenancy.models import LocalAuthority

Stage = FosterHousehold.Stage
AdopterStage = ProspectiveAdopter.Stage
MAX_PLACES = 6
MAX_AGE = 18


def _today() -> date:
    return timezone.localdate()


def _la_id(value: LocalAuthority | int) -> int:
    return value if isinstance(value, int) else value.pk


def _next_reference(model: type[models.Model], local_authority_id: int, prefix: str) -> str:
    n = model.objects.filter(local_authority_id=local_authority_id).count() + 1  # type: ignore[attr-defined]
    while model.objects.filter(local_authority_id=local_authority_id,  # type: ignore[attr-defined]
                               reference=f"{prefix}{n:05d}").exists():
        n += 1
    return f"{prefix}{n:05d}"


def _step_error(obj: Any, steps: Any, field: str, on: date, errors: dict[str, Any], key: str) -> None:
    refusal = step_refusal(steps, recorded_dates(obj, steps), field, on, today=_today())
    if refusal:
        errors[key] = refusal


def _require_stage(obj: Any, stages: Iterable[str], doing: str) -> None:
    if obj.stage not in set(stages):
        raise ValidationError(f"You cannot record {doing}: {obj.name} is at '{obj.get_stage_display()}'.")


def _choice(value: str, choices: Iterable[str]) -> bool:
    return value in set(choices)


def applicant_name_errors(applicants: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The first applicant needs both names; any other, both or neither (the forms check this too)."""
    errors: dict[str, str] = {}
    _applicants_errors(applicants, errors)
    return errors


def _applicants_errors(applicants: Sequence[Mapping[str, Any]], errors: dict[str, Any]) -> None:
    first = applicants[0] if applicants else {}
    if not (first.get("first_name", "").strip() and first.get("last_name", "").strip()):
        errors["applicant_1_first_name"] = "Enter the first applicant's first name and last name"
    for i, applicant in enumerate(applicants[1:], start=2):
        first, last = applicant.get("first_name", "").strip(), applicant.get("last_name", "").strip()
        if bool(first) != bool(last):
            errors[f"applicant_{i}_first_name"] = f"Enter both names of applicant {i}, or neither"


def _named(applicants: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [a for a in applicants if a.get("first_name", "").strip() and a.get("last_name", "").strip()]


def _no_one_removed(existing: Sequence[Any], applicants: Sequence[Mapping[str, Any]], errors: dict[str, Any], *,
                    left: str) -> None:
    """A second applicant on the record cannot be blanked out of it: nobody is removed from a record."""
    for i, current in enumerate(existing[1:], start=1):
        if i < len(applicants) and not _named([applicants[i]]):
            errors[f"applicant_{i + 1}_first_name"] = (
                f"{current.full_name} cannot be removed from the record. If they have left {left}, "
                "say so in the notes")


def _postcode(value: str, errors: dict[str, Any]) -> str:
    try:
        return clean_postcode(value)
    except ValidationError as error:
        errors["postcode"] = " ".join(error.messages)
        return value


def _move(obj: Any, stage: str, on: date) -> None:
    obj.stage = stage
    obj.stage_since = on


# ---------------------------------------------------------------- fostering: the enquiry


def _household_details_errors(name: str, source: str, kind: str, applicants: Sequence[Mapping[str, Any]],
                              errors: dict[str, Any]) -> None:
    """What an enquiry and a correction of it both check: the name, how they heard, the kind and the applicants."""
    if not name.strip():
        errors["name"] = "Enter how the household is known"
    if not _choice(source, EnquirySource.values):
        errors["source"] = "Choose how the household heard about fostering"
    if not _choice(kind, FosterHousehold.Kind.values):
        errors["kind"] = "Choose mainstream or connected person fostering"
    _applicants_errors(applicants, errors)


def foster_enquiry_record(
    *,
    local_authority: LocalAuthority | int,
    name: str,
    enquiry_on: date,
    source: str,
    kind: str,
    applicants: Sequence[Mapping[str, Any]],
    by: Any,
    postcode: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
) -> FosterHousehold:
    """A household's first enquiry about fostering: the start of the pipeline."""
    errors: dict[str, Any] = {}
    if enquiry_on > _today():
        errors["enquiry_on"] = "The date of the enquiry must be today or in the past"
    _household_details_errors(name, source, kind, applicants, errors)
    postcode = _postcode(postcode, errors)
    refuse(errors)
    la_id = _la_id(local_authority)
    with transaction.atomic():
        household = FosterHousehold(
            local_authority_id=la_id, reference=_next_reference(FosterHousehold, la_id, "FH"), name=name.strip(),
            enquiry_on=enquiry_on, enquiry_source=source, kind=kind, postcode=postcode,
            address=address, phone=phone, email=email, notes=notes, stage=Stage.ENQUIRY, stage_since=enquiry_on,
        )
        household.save(by=by)
        for applicant in _named(applicants):
            FosterApplicant(local_authority_id=la_id, household=household,
                            first_name=applicant["first_name"].strip(), last_name=applicant["last_name"].strip(),
                            date_of_birth=applicant.get("date_of_birth")).save(by=by)
    return household


def foster_household_update(
    *,
    household: FosterHousehold,
    name: str,
    enquiry_on: date,
    source: str,
    kind: str,
    applicants: Sequence[Mapping[str, Any]],
    by: Any,
    postcode: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
) -> FosterHousehold:
    """Correct a household's details. Applicants can be renamed or one added; nobody is removed from the record."""
    errors: dict[str, Any] = {}
    _step_error(household, FOSTERING_STEPS, "enquiry_on", enquiry_on, errors, "enquiry_on")
    _household_details_errors(name, source, kind, applicants, errors)
    existing = list(household.applicants.all())
    _no_one_removed(existing, applicants, errors, left="the household")
    postcode = _postcode(postcode, errors)
    refuse(errors)
    with transaction.atomic():
        household.name, household.enquiry_on, household.enquiry_source = name.strip(), enquiry_on, source
        household.kind, household.postcode = kind, postcode
        household.address, household.phone, household.email, household.notes = address, phone, email, notes
        if household.stage == Stage.ENQUIRY:
            household.stage_since = enquiry_on
        household.save(by=by)
        for i, applicant in enumerate(applicants):
            if not _named([applicant]):
                continue
            row = existing[i] if i < len(existing) else FosterApplicant(
                local_authority_id=household.local_authority_id, household=household)
            new = (applicant["first_name"].strip(), applicant["last_name"].strip(), applicant.get("date_of_birth"))
            if row.pk and (row.first_name, row.last_name, row.date_of_birth) == new:
                continue
            row.first_name, row.last_name, row.date_of_birth = new
            row.save(by=by)
    return household


# ---------------------------------------------------------------- fostering: assessment steps


def foster_initial_visit_record(*, household: FosterHousehold, visited_on: date, worker: Any,
                                recommendation: str, by: Any) -> FosterHousehold:
    _require_stage(household, [Stage.ENQUIRY], "the initial visit")
    errors: dict[str, Any] = {}
    _step_error(household, FOSTERING_STEPS, "initial_visit_on", visited_on, errors, "visited_on")
    if worker is None:
        errors["worker"] = "Choose who made the visit"
    if not _choice(recommendation, FosterHousehold.Recommendation.values):
        errors["recommendation"] = "Choose the recommendation of the visit"
    refuse(errors)
    with transaction.atomic():
        household.initial_visit_on, household.initial_visit_worker = visited_on, worker
        household.initial_visit_recommendation = recommendation
        _move(household, Stage.INITIAL_VISIT, visited_on)
        household.save(by=by)
    return household


def foster_stage_1_start(*, household: FosterHousehold, started_on: date, by: Any) -> FosterHousehold:
    _require_stage(household, [Stage.INITIAL_VISIT], "the start of stage 1")
    errors: dict[str, Any] = {}
    _step_error(household, FOSTERING_STEPS, "stage_1_started_on", started_on, errors, "started_on")
    refuse(errors)
    with transaction.atomic():
        household.stage_1_started_on = started_on
        _move(household, Stage.STAGE_1, started_on)
        household.save(by=by)
    return household


REQUIRED_CHECKS = (FosterHousehold.Check.DBS, FosterHousehold.Check.LOCAL_AUTHORITY,
                   FosterHousehold.Check.MEDICAL, FosterHousehold.Check.REFERENCES)


def foster_stage_1_end(*, household: FosterHousehold, ended_on: date, checks: Iterable[str], outcome: str,
                       by: Any) -> FosterHousehold:
    """End stage 1 with its checks. Going on to stage 2 needs the DBS, local authority, medical and reference
    checks done; stopping ends the assessment (the household leaves the pipeline)."""
    _require_stage(household, [Stage.STAGE_1], "the end of stage 1")
    if household.stage_1_ended_on is not None:
        raise ValidationError(f"Stage 1 already ended on {long_date(household.stage_1_ended_on)}.")
    done = list(dict.fromkeys(checks))
    errors: dict[str, Any] = {}
    _step_error(household, FOSTERING_STEPS, "stage_1_ended_on", ended_on, errors, "ended_on")
    if any(c not in FosterHousehold.Check.values for c in done):
        errors["checks"] = "Choose the checks from the list"
    if not _choice(outcome, FosterHousehold.Stage1Outcome.values):
        errors["outcome"] = "Choose the outcome of stage 1"
    elif outcome == FosterHousehold.Stage1Outcome.PROCEED:
        missing = [str(FosterHousehold.Check(c).label) for c in REQUIRED_CHECKS if c not in done]
        if missing and "checks" not in errors:
            errors["checks"] = f"Stage 2 cannot start until these checks are done: {', '.join(missing)}"
    refuse(errors)
    with transaction.atomic():
        household.stage_1_ended_on, household.stage_1_checks, household.stage_1_outcome = ended_on, done, outcome
        if outcome == FosterHousehold.Stage1Outcome.STOP:
            _leave(household, on=ended_on, reason=FosterHousehold.WithdrawalReason.NOT_SUITABLE)
        else:
            household.stage_since = ended_on
        household.save(by=by)
    return household


def foster_stage_2_start(*, household: FosterHousehold, started_on: date, assessing_worker: Any,
                         by: Any) -> FosterHousehold:
    _require_stage(household, [Stage.STAGE_1], "the start of stage 2")
    if household.stage_1_outcome != FosterHousehold.Stage1Outcome.PROCEED:
        raise ValidationError("Record the end of stage 1, with its checks, before stage 2 starts.")
    errors: dict[str, Any] = {}
    _step_error(household, FOSTERING_STEPS, "stage_2_started_on", started_on, errors, "started_on")
    if assessing_worker is None:
        errors["assessing_worker"] = "Choose the assessing social worker"
    refuse(errors)
    with transaction.atomic():
        household.stage_2_started_on, household.assessing_worker = started_on, assessing_worker
        _move(household, Stage.STAGE_2, started_on)
        household.save(by=by)
    return household


def foster_form_f_complete(*, household: FosterHousehold, completed_on: date, by: Any) -> FosterHousehold:
    _require_stage(household, [Stage.STAGE_2], "the Form F assessment")
    if household.form_f_completed_on is not None:
        raise ValidationError(f"The Form F assessment was completed on {long_date(household.form_f_completed_on)}.")
    errors: dict[str, Any] = {}
    _step_error(household, FOSTERING_STEPS, "form_f_completed_on", completed_on, errors, "completed_on")
    refuse(errors)
    with transaction.atomic():
        household.form_f_completed_on = completed_on
        household.stage_since = completed_on
        household.save(by=by)
    return household


def foster_panel_record(*, household: FosterHousehold, panel_on: date, recommendation: str, terms: str,
                        by: Any) -> FosterHousehold:
    _require_stage(household, [Stage.STAGE_2], "the fostering panel")
    if household.form_f_completed_on is None:
        raise ValidationError("Record the completed Form F assessment before the panel: the panel hears it.")
    errors: dict[str, Any] = {}
    _step_error(household, FOSTERING_STEPS, "panel_on", panel_on, errors, "panel_on")
    if not _choice(recommendation, FosterHousehold.PanelRecommendation.values):
        errors["recommendation"] = "Choose the panel's recommendation"
    elif recommendation == FosterHousehold.PanelRecommendation.APPROVE and not terms.strip():
        errors["terms"] = "Enter the terms of approval the panel recommends"
    refuse(errors)
    with transaction.atomic():
        household.panel_on, household.panel_recommendation, household.panel_terms = panel_on, recommendation, terms
        _move(household, Stage.PANEL, panel_on)
        household.save(by=by)
    return household


def _terms_errors(*, places: int | None, age_from: int | None, age_to: int | None, care_types: Sequence[str],
                  errors: dict[str, Any]) -> None:
    if places is None or not 1 <= places <= MAX_PLACES:
        errors["places"] = f"Enter the number of children, from 1 to {MAX_PLACES}"
    if age_from is None or not 0 <= age_from <= MAX_AGE:
        errors["age_from"] = f"Enter the youngest age, from 0 to {MAX_AGE}"
    if age_to is None or not 0 <= age_to <= MAX_AGE:
        errors["age_to"] = f"Enter the oldest age, from 0 to {MAX_AGE}"
    elif age_from is not None and age_from > age_to:
        errors["age_to"] = f"The oldest age must be the same as or more than the youngest ({age_from})"
    if not care_types:
        errors["care_types"] = "Choose the types of care"
    elif any(c not in CareType.values for c in care_types):
        errors["care_types"] = "Choose the types of care from the list"


def foster_decision_record(
    *,
    household: FosterHousehold,
    decided_on: date,
    decision: str,
    by: Any,
    places: int | None = None,
    age_from: int | None = None,
    age_to: int | None = None,
    care_types: Sequence[str] = (),
    supervising_worker: Any = None,
) -> FosterHousehold:
    """The agency decision maker's decision on the panel's recommendation.

    Approval puts the household on the register on the terms given. A qualifying determination (the decision
    maker proposes not to approve) leaves the applicants 28 days to make representations or ask the
    Independent Review Mechanism (FSR 2011 reg 27); the final decision follows it. Not approving ends the
    assessment.
    """
    _require_stage(household, [Stage.PANEL, Stage.DECISION], "the agency decision")
    if not household.panel_on or not household.panel_recommendation:
        raise ValidationError("The agency decision maker decides on the panel's recommendation: "
                              "record the panel first.")
    errors: dict[str, Any] = {}
    if not _choice(decision, FosterHousehold.Decision.values):
        errors["decision"] = "Choose the decision"
    qualifying = decision == FosterHousehold.Decision.QUALIFYING_DETERMINATION
    if qualifying and household.qualifying_determination_on:
        errors["decision"] = (f"A qualifying determination was made on "
                              f"{long_date(household.qualifying_determination_on)}: record the final decision")
    step = "qualifying_determination_on" if qualifying else "decided_on"
    _step_error(household, FOSTERING_STEPS, step, decided_on, errors, "decided_on")
    approve = decision == FosterHousehold.Decision.APPROVE
    if approve:
        _terms_errors(places=places, age_from=age_from, age_to=age_to, care_types=care_types, errors=errors)
    refuse(errors)
    with transaction.atomic():
        if qualifying:
            household.qualifying_determination_on = decided_on
            _move(household, Stage.DECISION, decided_on)
        else:
            household.decided_on, household.decision = decided_on, decision
            if approve:
                household.approved_on = decided_on
                household.approved_places, household.approved_age_from = places, age_from
                household.approved_age_to, household.approved_care_types = age_to, list(dict.fromkeys(care_types))
                household.supervising_worker = supervising_worker
                _move(household, Stage.APPROVED, decided_on)
            else:
                _leave(household, on=decided_on, reason=FosterHousehold.WithdrawalReason.NOT_APPROVED)
        household.save(by=by)
    return household


def _latest_step(household: FosterHousehold) -> tuple[date, str]:
    dated = [(d, s.label) for s in FOSTERING_STEPS if (d := getattr(household, s.field)) is not None]
    return max(dated, key=lambda pair: pair[0])


def _leave(household: FosterHousehold, *, on: date, reason: str, notes: str = "") -> None:
    household.withdrawn_at_stage = household.stage
    household.withdrawn_on, household.withdrawal_reason = on, reason
    if notes:
        household.leaving_notes = notes
    _move(household, Stage.WITHDRAWN, on)


def foster_withdraw(*, household: FosterHousehold, withdrawn_on: date, reason: str, notes: str,
                    by: Any) -> FosterHousehold:
    """The household leaves the assessment, at any stage before approval; everything recorded stays."""
    _require_stage(household, ASSESSMENT_STAGES, "a withdrawal")
    errors: dict[str, Any] = {}
    latest, label = _latest_step(household)
    if withdrawn_on > _today():
        errors["withdrawn_on"] = "The date they left must be today or in the past"
    elif withdrawn_on < latest:
        errors["withdrawn_on"] = f"The date they left cannot be before {label} ({long_date(latest)})"
    if not _choice(reason, FosterHousehold.WithdrawalReason.values):
        errors["reason"] = "Choose why the household left the assessment"
    elif reason == FosterHousehold.WithdrawalReason.OTHER and not notes.strip():
        errors["notes"] = "Enter why the household left the assessment"
    refuse(errors)
    with transaction.atomic():
        _leave(household, on=withdrawn_on, reason=reason, notes=notes)
        household.save(by=by)
    return household


# ---------------------------------------------------------------- fostering: approved households


def _approved(household: FosterHousehold, doing: str) -> None:
    _require_stage(household, [Stage.APPROVED], doing)


def foster_review_record(*, household: FosterHousehold, reviewed_on: date, recommendation: str, by: Any,
                         panel_on: date | None = None, reviewer: Any = None, notes: str = "") -> FosterCarerReview:
    """A review of the approval (at least yearly). The first goes to the fostering panel (FSR 2011 reg 28(5))."""
    _approved(household, "a foster carer review")
    assert household.approved_on is not None
    last = household.reviews.order_by("-reviewed_on").first()
    errors: dict[str, Any] = {}
    if reviewed_on > _today():
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    elif reviewed_on < household.approved_on:
        errors["reviewed_on"] = f"The review cannot be before the approval ({long_date(household.approved_on)})"
    elif last is not None and reviewed_on < last.reviewed_on:
        errors["reviewed_on"] = f"The review cannot be before the last review ({long_date(last.reviewed_on)})"
    if not _choice(recommendation, FosterCarerReview.Recommendation.values):
        errors["recommendation"] = "Choose the review's recommendation"
    if last is None and panel_on is None:
        errors["panel_on"] = "The first review after approval goes to the fostering panel: enter the date of the panel"
    if panel_on is not None and "reviewed_on" not in errors:
        if panel_on > _today():
            errors["panel_on"] = "The date of the panel must be today or in the past"
        elif panel_on < reviewed_on:
            errors["panel_on"] = f"The panel hears the review, so it cannot be before it ({long_date(reviewed_on)})"
    refuse(errors)
    with transaction.atomic():
        review = FosterCarerReview(local_authority_id=household.local_authority_id, household=household,
                                   reviewed_on=reviewed_on, recommendation=recommendation, panel_on=panel_on,
                                   reviewer=reviewer, notes=notes)
        review.save(by=by)
    return review


def foster_terms_change(*, household: FosterHousehold, places: int | None, age_from: int | None,
                        age_to: int | None, care_types: Sequence[str], by: Any) -> FosterHousehold:
    """New terms of approval (after a review, or a variation agreed by the decision maker)."""
    _approved(household, "new terms of approval")
    errors: dict[str, Any] = {}
    _terms_errors(places=places, age_from=age_from, age_to=age_to, care_types=care_types, errors=errors)
    if "places" not in errors and places is not None:
        capacity = selectors.household_capacity(household=household, on=_today())
        taken = capacity.placed + capacity.matched
        if places < taken:
            errors["places"] = (f"{taken} child{'ren are' if taken != 1 else ' is'} placed or matched with the "
                                f"household: the terms cannot be for fewer")
    refuse(errors)
    with transaction.atomic():
        household.approved_places, household.approved_age_from, household.approved_age_to = places, age_from, age_to
        household.approved_care_types = list(dict.fromkeys(care_types))
        household.save(by=by)
    return household


def foster_deregister(*, household: FosterHousehold, deregistered_on: date, reason: str, notes: str,
                      by: Any) -> FosterHousehold:
    """Take the household off the register. Nobody may still be placed there; its open vacancies close."""
    _approved(household, "a deregistration")
    assert household.approved_on is not None
    errors: dict[str, Any] = {}
    last = household.reviews.order_by("-reviewed_on").first()
    if deregistered_on > _today():
        errors["deregistered_on"] = "The date of deregistration must be today or in the past"
    elif deregistered_on < household.approved_on:
        errors["deregistered_on"] = (f"Deregistration cannot be before the approval "
                                     f"({long_date(household.approved_on)})")
    elif last is not None and deregistered_on < last.reviewed_on:
        errors["deregistered_on"] = f"Deregistration cannot be before the last review ({long_date(last.reviewed_on)})"
    if not _choice(reason, FosterHousehold.DeregistrationReason.values):
        errors["reason"] = "Choose why the household is leaving the register"
    elif reason == FosterHousehold.DeregistrationReason.OTHER and not notes.strip():
        errors["notes"] = "Enter why the household is leaving the register"
    if "deregistered_on" not in errors:
        placed = selectors.children_placed(household=household, on=deregistered_on)
        if placed:
            errors["deregistered_on"] = (
                f"{placed} child{'ren are' if placed != 1 else ' is'} placed with the household on that date: "
                "end the placement on the child's record first")
    refuse(errors)
    with transaction.atomic():
        household.deregistered_on, household.deregistration_reason = deregistered_on, reason
        household.leaving_notes = notes
        _move(household, Stage.DEREGISTERED, deregistered_on)
        household.save(by=by)
        for vacancy in household.vacancies.filter(closed_on__isnull=True):
            vacancy.closed_on, vacancy.close_reason = deregistered_on, FosterVacancy.CloseReason.WITHDRAWN
            vacancy.save(by=by)
    return household


def foster_places_check(*, household: FosterHousehold, on: date, children: int = 1) -> None:
    """Refuse a placement that would put more children with the household than it is approved for.

    For the care pages to call when a placement with a foster household starts.
    """
    if household.stage != Stage.APPROVED or household.approved_on is None or household.approved_on > on:
        raise ValidationError({"foster_household": f"{household.name} is not an approved foster household "
                                                   f"on {long_date(on)}"})
    placed = selectors.children_placed(household=household, on=on)
    approved = household.approved_places or 0
    if placed + children > approved:
        raise ValidationError({"foster_household": (
            f"{household.name} is approved for {approved} child{'ren' if approved != 1 else ''} and "
            f"{placed} {'are' if placed != 1 else 'is'} placed there on {long_date(on)}: "
            "another placement would be more than its approval")})


# ---------------------------------------------------------------- vacancies


def foster_vacancy_open(*, household: FosterHousehold, places: int | None, age_from: int | None,
                        age_to: int | None, care_types: Sequence[str], needs: Sequence[str],
                        available_from: date, by: Any, notes: str = "") -> FosterVacancy:
    """Offer places within the household's approval: never more than it has free."""
    _approved(household, "a vacancy")
    assert household.approved_on is not None
    errors: dict[str, Any] = {}
    if places is None or places < 1:
        errors["places"] = "Enter the number of places, 1 or more"
    if age_from is None or age_to is None:
        if age_from is None:
            errors["age_from"] = "Enter the youngest age"
        if age_to is None:
            errors["age_to"] = "Enter the oldest age"
    elif age_from > age_to:
        errors["age_to"] = f"The oldest age must be the same as or more than the youngest ({age_from})"
    else:
        lo, hi = household.approved_age_from or 0, household.approved_age_to or MAX_AGE
        if age_from < lo:
            errors["age_from"] = f"The household is approved for children aged {lo} to {hi}"
        if age_to > hi:
            errors["age_to"] = f"The household is approved for children aged {lo} to {hi}"
    if not care_types:
        errors["care_types"] = "Choose the types of care offered"
    elif any(c not in household.approved_care_types for c in care_types):
        allowed = ", ".join(household.care_type_labels).lower()
        errors["care_types"] = f"The household is approved for {allowed} care only"
    if any(n not in Need.values for n in needs):
        errors["needs"] = "Choose the needs from the list"
    if available_from < household.approved_on:
        errors["available_from"] = (f"The vacancy cannot be available before the approval "
                                    f"({long_date(household.approved_on)})")
    elif available_from > _today() + timedelta(days=365):
        errors["available_from"] = "The vacancy must be available within a year"
    if "places" not in errors and places is not None:
        capacity = selectors.household_capacity(household=household, on=_today())
        if places > capacity.unoffered:
            errors["places"] = (
                f"No more than {capacity.unoffered} place{'s' if capacity.unoffered != 1 else ''} can be offered: "
                f"the household is approved for {capacity.approved}, {capacity.placed} placed and "
                f"{capacity.offered} already offered in other vacancies")
    refuse(errors)
    assert places is not None and age_from is not None and age_to is not None
    with transaction.atomic():
        vacancy = FosterVacancy(local_authority_id=household.local_authority_id, household=household, places=places,
                                age_from=age_from, age_to=age_to, care_types=list(dict.fromkeys(care_types)),
                                needs=list(dict.fromkeys(needs)), available_from=available_from, notes=notes)
        vacancy.save(by=by)
    return vacancy


def foster_vacancy_close(*, vacancy: FosterVacancy, closed_on: date, reason: str, by: Any) -> FosterVacancy:
    errors: dict[str, Any] = {}
    if vacancy.closed_on is not None:
        raise ValidationError(f"This vacancy closed on {long_date(vacancy.closed_on)}.")
    approved_on = vacancy.household.approved_on
    if closed_on > _today():
        errors["closed_on"] = "The date the vacancy closed must be today or in the past"
    elif approved_on and closed_on < approved_on:
        errors["closed_on"] = f"The vacancy cannot close before the approval ({long_date(approved_on)})"
    if not _choice(reason, FosterVacancy.CloseReason.values):
        errors["reason"] = "Choose whether the vacancy was filled or withdrawn"
    refuse(errors)
    with transaction.atomic():
        vacancy.closed_on, vacancy.close_reason = closed_on, reason
        vacancy.save(by=by)
    return vacancy


# ---------------------------------------------------------------- placement requests


def placement_request_record(
    *,
    child: Person,
    needed_from: date,
    care_type: str,
    urgency: str,
    by: Any,
    needs: Sequence[str] = (),
    number_of_children: int | None = 1,
    siblings_together: bool = False,
    postcode: str = "",
    notes: str = "",
) -> PlacementRequest:
    """A social worker asks the fostering team for a placement for a child (and any brothers and sisters)."""
    errors: dict[str, Any] = {}
    today = _today()
    if child.date_of_birth and needed_from < child.date_of_birth:
        errors["needed_from"] = (f"The placement cannot be needed before the child was born "
                                 f"({long_date(child.date_of_birth)})")
    elif needed_from < today - timedelta(days=31):
        errors["needed_from"] = "The date needed must be within the last month or in the future"
    elif needed_from > today + timedelta(days=365):
        errors["needed_from"] = "The date needed must be within the next year"
    if not _choice(care_type, CareType.values):
        errors["care_type"] = "Choose the type of care needed"
    if not _choice(urgency, PlacementRequest.Urgency.values):
        errors["urgency"] = "Choose how urgent the placement is"
    if any(n not in Need.values for n in needs):
        errors["needs"] = "Choose the needs from the list"
    if number_of_children is None or not 1 <= number_of_children <= MAX_PLACES:
        errors["number_of_children"] = f"Enter the number of children, from 1 to {MAX_PLACES}"
    elif siblings_together and number_of_children < 2:
        errors["siblings_together"] = ("Brothers and sisters can only be placed together when there is more "
                                       "than one child")
    postcode = _postcode(postcode, errors)
    refuse(errors)
    assert number_of_children is not None
    with transaction.atomic():
        request = PlacementRequest(
            local_authority_id=child.local_authority_id, child=child, requested_by=by, requested_on=today,
            needed_from=needed_from, care_type=care_type, needs=list(dict.fromkeys(needs)),
            number_of_children=number_of_children, siblings_together=siblings_together, urgency=urgency,
            postcode=postcode, notes=notes,
        )
        request.save(by=by)
    return request


def placement_request_match(*, request: PlacementRequest, vacancy: FosterVacancy, by: Any) -> PlacementRequest:
    """Match the request to a vacancy. The placement itself is made on the child's care pages."""
    if request.status != PlacementRequest.Status.OPEN:
        raise ValidationError(f"This request is {request.get_status_display().lower()}: it cannot be matched again.")
    if (vacancy.local_authority_id != request.local_authority_id or vacancy.closed_on is not None
            or vacancy.household.stage != Stage.APPROVED):
        raise ValidationError("That vacancy is no longer open.")
    free = selectors.vacancy_free_places(vacancy=vacancy, on=_today())
    if request.number_of_children > free:
        raise ValidationError(
            f"{vacancy.household.name} has {free} free place{'s' if free != 1 else ''} in this vacancy: matching "
            f"{request.number_of_children} child{'ren' if request.number_of_children != 1 else ''} would be more "
            "than its approval")
    with transaction.atomic():
        request.status = PlacementRequest.Status.MATCHED
        request.matched_household, request.matched_vacancy = vacancy.household, vacancy
        request.matched_on, request.matched_by = _today(), by
        request.save(by=by)
    return request


def placement_request_close(*, request: PlacementRequest, closed_on: date, reason: str, by: Any) -> PlacementRequest:
    if request.status == PlacementRequest.Status.CLOSED:
        raise ValidationError(f"This request closed on {long_date(request.closed_on or closed_on)}.")
    errors: dict[str, Any] = {}
    if closed_on > _today():
        errors["closed_on"] = "The date must be today or in the past"
    elif closed_on < request.requested_on:
        errors["closed_on"] = f"The request cannot close before it was made ({long_date(request.requested_on)})"
    if not _choice(reason, PlacementRequest.CloseReason.values):
        errors["reason"] = "Choose why the request is closing"
    refuse(errors)
    with transaction.atomic():
        request.status, request.closed_on, request.close_reason = PlacementRequest.Status.CLOSED, closed_on, reason
        request.save(by=by)
    return request


# ---------------------------------------------------------------- prospective adopters


def _adopter_applicant_errors(applicants: Sequence[Mapping[str, Any]], errors: dict[str, Any]) -> None:
    _applicants_errors(applicants, errors)
    for i, applicant in enumerate(applicants, start=1):
        if applicant.get("gender") and applicant["gender"] not in AdopterApplicant.Gender.values:
            errors[f"applicant_{i}_gender"] = "Choose a gender from the list"


def _save_adopter_applicants(adopter: ProspectiveAdopter, applicants: Sequence[Mapping[str, Any]], by: Any) -> None:
    existing = list(adopter.applicants.all())
    for i, applicant in enumerate(applicants):
        if not _named([applicant]):
            continue
        row = existing[i] if i < len(existing) else AdopterApplicant(
            local_authority_id=adopter.local_authority_id, adopter=adopter, identifier=f"{adopter.reference}-{i + 1}")
        new = {"first_name": applicant["first_name"].strip(), "last_name": applicant["last_name"].strip(),
               "gender": applicant.get("gender") or AdopterApplicant.Gender.NOT_STATED,
               "ethnicity": applicant.get("ethnicity") or "NOBT",
               "disability": applicant.get("disability") or AdopterApplicant.Disability.NOT_KNOWN}
        if row.pk and all(getattr(row, k) == v for k, v in new.items()):
            continue
        for k, v in new.items():
            setattr(row, k, v)
        row.save(by=by)


def adopter_enquiry_record(
    *,
    local_authority: LocalAuthority | int,
    name: str,
    enquiry_on: date,
    source: str,
    applicants: Sequence[Mapping[str, Any]],
    by: Any,
    fostering_for_adoption: bool = False,
    postcode: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
) -> ProspectiveAdopter:
    errors: dict[str, Any] = {}
    if not name.strip():
        errors["name"] = "Enter how the family is known"
    if enquiry_on > _today():
        errors["enquiry_on"] = "The date of the enquiry must be today or in the past"
    if not _choice(source, EnquirySource.values):
        errors["source"] = "Choose how the family heard about adoption"
    _adopter_applicant_errors(applicants, errors)
    postcode = _postcode(postcode, errors)
    refuse(errors)
    la_id = _la_id(local_authority)
    with transaction.atomic():
        adopter = ProspectiveAdopter(
            local_authority_id=la_id, reference=_next_reference(ProspectiveAdopter, la_id, "AD"), name=name.strip(),
            enquiry_on=enquiry_on, enquiry_source=source, fostering_for_adoption=fostering_for_adoption,
            postcode=postcode, phone=phone, email=email, notes=notes,
            stage=AdopterStage.ENQUIRY, stage_since=enquiry_on,
        )
        adopter.save(by=by)
        _save_adopter_applicants(adopter, applicants, by)
    return adopter


def adopter_update(
    *,
    adopter: ProspectiveAdopter,
    name: str,
    enquiry_on: date,
    source: str,
    applicants: Sequence[Mapping[str, Any]],
    by: Any,
    fostering_for_adoption: bool = False,
    postcode: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
) -> ProspectiveAdopter:
    errors: dict[str, Any] = {}
    if not name.strip():
        errors["name"] = "Enter how the family is known"
    _step_error(adopter, ADOPTION_STEPS, "enquiry_on", enquiry_on, errors, "enquiry_on")
    if not _choice(source, EnquirySource.values):
        errors["source"] = "Choose how the family heard about adoption"
    _adopter_applicant_errors(applicants, errors)
    _no_one_removed(list(adopter.applicants.all()), applicants, errors, left="the process")
    postcode = _postcode(postcode, errors)
    refuse(errors)
    with transaction.atomic():
        adopter.name, adopter.enquiry_on, adopter.enquiry_source = name.strip(), enquiry_on, source
        adopter.fostering_for_adoption, adopter.postcode = fostering_for_adoption, postcode
        adopter.phone, adopter.email, adopter.notes = phone, email, notes
        if adopter.stage == AdopterStage.ENQUIRY:
            adopter.stage_since = enquiry_on
        adopter.save(by=by)
        _save_adopter_applicants(adopter, applicants, by)
    return adopter


# Each dated step: the stage it needs, the stage it moves to, and how it reads.
ADOPTER_STEP_RULES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "registered_on": ((AdopterStage.ENQUIRY,), AdopterStage.REGISTRATION, "the registration of interest"),
    "stage_1_started_on": ((AdopterStage.REGISTRATION,), AdopterStage.STAGE_1, "the start of stage 1"),
    "stage_1_ended_on": ((AdopterStage.STAGE_1,), AdopterStage.STAGE_1, "the end of stage 1"),
    "application_submitted_on": ((AdopterStage.STAGE_1,), AdopterStage.STAGE_1, "the application"),
    "stage_2_started_on": ((AdopterStage.STAGE_1,), AdopterStage.STAGE_2, "the start of stage 2"),
    "stage_2_ended_on": ((AdopterStage.STAGE_2,), AdopterStage.STAGE_2, "the end of stage 2"),
    "panel_on": ((AdopterStage.STAGE_2,), AdopterStage.PANEL, "the adoption panel"),
    "approved_on": ((AdopterStage.PANEL,), AdopterStage.APPROVED, "the approval"),
    "matched_on": ((AdopterStage.APPROVED,), AdopterStage.MATCHED, "the match"),
    "placed_on": ((AdopterStage.MATCHED,), AdopterStage.PLACED, "the placement"),
    "adoption_order_on": ((AdopterStage.PLACED,), AdopterStage.ADOPTED, "the adoption order"),
}


def adopter_step_record(
    *,
    adopter: ProspectiveAdopter,
    step: str,
    on: date,
    by: Any,
    panel_recommendation: str = "",
    children_placed: int | None = None,
    child: Person | None = None,
) -> ProspectiveAdopter:
    """Record one dated step of the adoption pipeline; each in order, none in the future.

    The panel needs its recommendation; approval needs the panel; the placement needs the number of children.
    A child linked at the match or placement must be of the same council (the page offers only records the
    worker may open).
    """
    if step not in ADOPTER_STEP_RULES:
        raise ValueError(f"Unknown adoption step {step!r}")
    needs, moves_to, label = ADOPTER_STEP_RULES[step]
    _require_stage(adopter, needs, label)
    if getattr(adopter, step) is not None:
        raise ValidationError(f"{label[0].upper()}{label[1:]} was recorded on {long_date(getattr(adopter, step))}.")
    errors: dict[str, Any] = {}
    _step_error(adopter, ADOPTION_STEPS, step, on, errors, "on")
    if step == "panel_on" and not _choice(panel_recommendation, ProspectiveAdopter.PanelRecommendation.values):
        errors["panel_recommendation"] = "Choose the panel's recommendation"
    if step == "approved_on" and not adopter.panel_recommendation:
        errors["on"] = "Record the adoption panel's recommendation before the approval"
    if step == "placed_on" and (children_placed is None or not 1 <= children_placed <= MAX_PLACES):
        errors["children_placed"] = f"Enter the number of children placed, from 1 to {MAX_PLACES}"
    if child is not None and child.local_authority_id != adopter.local_authority_id:
        errors["child"] = "Choose a child of this council"
    refuse(errors)
    with transaction.atomic():
        setattr(adopter, step, on)
        if step == "panel_on":
            adopter.panel_recommendation = panel_recommendation
        if step == "placed_on":
            adopter.children_placed = children_placed
        if child is not None and step in ("matched_on", "placed_on"):
            adopter.child = child
        _move(adopter, moves_to, on)
        adopter.save(by=by)
    return adopter


def adopter_leave(*, adopter: ProspectiveAdopter, left_on: date, reason: str, by: Any) -> ProspectiveAdopter:
    """The family leaves the process (Annex A List 11's reasons: withdrew, put on hold, refused)."""
    if adopter.stage in (AdopterStage.ADOPTED, AdopterStage.LEFT):
        raise ValidationError(f"{adopter.name} has left the process: {adopter.get_stage_display().lower()}.")
    errors: dict[str, Any] = {}
    dated = [(d, s.label) for s in ADOPTION_STEPS if (d := getattr(adopter, s.field)) is not None]
    latest, label = max(dated, key=lambda pair: pair[0])
    if left_on > _today():
        errors["left_on"] = "The date they left must be today or in the past"
    elif left_on < latest:
        errors["left_on"] = f"The date they left cannot be before {label} ({long_date(latest)})"
    if not _choice(reason, ProspectiveAdopter.LeavingReason.values):
        errors["reason"] = "Choose why the family left the process"
    refuse(errors)
    with transaction.atomic():
        adopter.left_at_stage = adopter.stage
        adopter.left_on, adopter.left_reason = left_on, reason
        _move(adopter, AdopterStage.LEFT, left_on)
        adopter.save(by=by)
    return adopter
