"""Writes for children in care: periods of care, legal statuses, placements, adoption steps, DoLOs.

Every service checks the data first (``hearth.care.checks`` for the 903 rules, plus the sequence:
nothing dated in the future, nothing before the child was born or came into care, no change dated
before the thing it replaces began), then writes in ONE transaction: the records, their audit
(AuditedModel), the chronology line, the legal-limit clocks it owns, and the hooks of the apps that
follow care (care plans and reviews, leaving care). Refusals are ``ValidationError``s keyed by the
form field they are about.

Episodes are not written anywhere: they are derived (``hearth.care.episodes``). A change of legal
status and placement on the same day is simply both timelines changing on that day, which derives
ONE new episode (RNE U or B).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import acting_as
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.clocks.models import Clock
from hearth.clocks.services import clock_cancel, clock_start, clock_stop
from hearth.people.checks import clean_postcode
from hearth.workspace.dates import long_date
from hearth.workspace.refusals import before_birth_error, future_error, refuse

from . import checks
from .codes import (
    ADOPTION_PLACEMENTS,
    FOSTER_PLACEMENTS,
    LEAVING_CARE_REASONS,
    TEMPORARY_PLACEMENTS,
    CategoryOfNeed,
    LegalStatus,
    PlacementType,
    ReasonEpisodeCeased,
    ReasonPlacedCeased,
    ReasonPlacementChange,
)
from .models import AdoptionPlan, CareLegalStatus, DeprivationOfLibertyOrder, PeriodOfCare, Placement

if TYPE_CHECKING:
    from hearth.accounts.models import Team, User
    from hearth.fostering.models import FosterHousehold
    from hearth.people.models import Person

# Legal statuses with a legal maximum duration, and the limit clock each starts (timescales.md §1.5).
LIMIT_CLOCKS = {
    "L1": "police_protection_max",
    "L2": "epo_max",
    "L3": "child_assessment_order_max",
    "V3": "short_break_single_max",
}
MAX_DISTANCE = Decimal("999.9")


def _link(child: Person) -> str:
    return f"/children/{child.pk}/care/"


def _allocated_worker(child: Person) -> User | None:
    from hearth.allocations.selectors import current_social_work_allocation

    allocation = current_social_work_allocation(child=child)
    return allocation.worker if allocation is not None else None


def _date_problem(day: date, *, noun: str, child: Person) -> str:
    return future_error(day, noun) or before_birth_error(day, child, noun)


def _require_open(period: PeriodOfCare) -> None:
    if period.ended_on is not None:
        raise ValidationError(f"This period of care ended on {long_date(period.ended_on)}: nothing more can "
                              "change in it")


@dataclass(frozen=True)
class PlacementDetails:
    """What describes a placement, cleaned (PLACE, PLACE_PROVIDER, URN, PL_POST and the carer)."""

    placement_type: str
    provider: str = ""
    foster_household: FosterHousehold | None = None
    carer_name: str = ""
    urn: str = ""
    postcode: str = ""
    distance_miles: Decimal | None = None
    is_long_term: bool = False

    def fields(self) -> dict[str, Any]:
        return {
            "placement_type": self.placement_type, "provider": self.provider,
            "foster_household": self.foster_household, "carer_name": self.carer_name, "urn": self.urn,
            "postcode": self.postcode, "distance_miles": self.distance_miles, "is_long_term": self.is_long_term,
        }


def _clean_details(child: Person, **raw: Any) -> tuple[PlacementDetails, dict[str, str]]:
    """Normalise what was typed; the problems found in the shape of it (not yet the 903 rules)."""
    errors: dict[str, str] = {}
    household = raw.get("foster_household")
    if household is not None and household.local_authority_id != child.local_authority_id:
        errors["foster_household"] = "Choose a foster household from the list"
        household = None
    elif household is not None and household.stage in ("deregistered", "withdrawn"):
        errors["foster_household"] = f"{household.name} is no longer a foster household: choose another"
    postcode = raw.get("postcode") or ""
    try:
        postcode = clean_postcode(postcode)
    except ValidationError as error:
        errors["postcode"] = " ".join(error.messages)
    if not postcode and household is not None and household.postcode:
        postcode = household.postcode
    distance = raw.get("distance_miles")
    if distance is not None and (distance < 0 or distance > MAX_DISTANCE):
        errors["distance_miles"] = "Enter the distance in miles, from 0 to 999.9"
    carer = " ".join(str(raw.get("carer_name") or "").split())
    if not carer and household is not None:
        carer = household.name
    details = PlacementDetails(
        placement_type=(raw.get("placement_type") or "").strip().upper(),
        provider=(raw.get("provider") or "").strip().upper(),
        foster_household=household,
        carer_name=carer[:200],
        urn=checks.normalise_urn(raw.get("urn") or ""),
        postcode=postcode,
        distance_miles=distance,
        is_long_term=bool(raw.get("is_long_term")),
    )
    return details, errors


def _has_adoption_decision(period: PeriodOfCare | None, on: date) -> bool:
    if period is None or period.pk is None:
        return False
    return AdoptionPlan.objects.filter(
        period=period, decided_on__lte=on, reversed_on__isnull=True, adoption_order_on__isnull=True
    ).exists()


def _open_dolo(period: PeriodOfCare | None) -> DeprivationOfLibertyOrder | None:
    if period is None or period.pk is None:
        return None
    return DeprivationOfLibertyOrder.objects.filter(period=period, ended_on__isnull=True).first()


def _placement_errors(
    *, child: Person, period: PeriodOfCare | None, details: PlacementDetails, on: date, legal_status: str | None,
    is_first: bool, same_carer_as_previous: bool = False, previous: Placement | None = None,
) -> dict[str, str]:
    errors = checks.placement_problems(
        placement_type=details.placement_type, provider=details.provider, urn=details.urn, age=child.age_on(on),
        legal_status=legal_status, is_first=is_first, same_carer_as_previous=same_carer_as_previous,
        previous_type=previous.placement_type if previous is not None else None,
        has_adoption_decision=_has_adoption_decision(period, on), dolo_open=_open_dolo(period) is not None,
        has_foster_household=details.foster_household is not None, child_name=child.full_name,
    )
    if details.foster_household is not None and "foster_household" not in errors:
        # A household never takes more children than it is approved for (the fostering service's rule).
        from hearth.fostering.services import foster_places_check

        try:
            foster_places_check(household=details.foster_household, on=on)
        except ValidationError as refused:
            errors["foster_household"] = " ".join(refused.message_dict.get("foster_household", refused.messages))
    return errors


def _current_status(period: PeriodOfCare) -> CareLegalStatus | None:
    return CareLegalStatus.objects.filter(period=period, ended_on__isnull=True).first()


def _current_placement(period: PeriodOfCare) -> Placement | None:
    return Placement.objects.filter(period=period, ended_on__isnull=True).first()


def _limit_clock_start(status: CareLegalStatus, child: Person, by: Any) -> None:
    rule_id = LIMIT_CLOCKS.get(status.legal_status)
    if rule_id is not None:
        clock_start(child=child, rule_id=rule_id, started_on=status.started_on, subject=status,
                    assigned_to=_allocated_worker(child), by=by)


def _limit_clock_stop(status: CareLegalStatus, on: date, by: Any) -> None:
    if status.legal_status not in LIMIT_CLOCKS:
        return
    clocks = Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(CareLegalStatus), subject_id=status.pk,
        local_authority_id=status.local_authority_id, status=Clock.Status.OPEN,
    )
    for clock in clocks:
        if on >= clock.started_on:
            clock_stop(clock=clock, stopped_on=on, by=by)
        else:
            clock_cancel(clock=clock, by=by)


def _describe(details: PlacementDetails | Placement) -> str:
    parts = [PlacementType(details.placement_type).label]
    if details.carer_name:
        parts.append(details.carer_name)
    if details.postcode:
        parts.append(details.postcode)
    return ", ".join(parts)


def _new_placement(*, period: PeriodOfCare, details: PlacementDetails, started_on: date, by: Any,
                   same_carer_as_previous: bool) -> Placement:
    placement = Placement(
        local_authority_id=period.local_authority_id, child_id=period.child_id, period=period,
        started_on=started_on, same_carer_as_previous=same_carer_as_previous,
        created_by=by if getattr(by, "is_authenticated", False) else None, **details.fields(),
    )
    placement.save(by=by)
    return placement


def _placed_for_adoption(period: PeriodOfCare, placement: Placement, by: Any) -> None:
    """A placement for adoption records the 'placed for adoption' step of the open adoption plan."""
    if placement.placement_type not in ADOPTION_PLACEMENTS:
        return
    plan = AdoptionPlan.objects.filter(period=period, reversed_on__isnull=True,
                                       adoption_order_on__isnull=True).first()
    if plan is not None and plan.placed_on is None:
        plan.placed_on = placement.started_on
        plan.save(by=by)


def _placement_started_hooks(placement: Placement, by: Any) -> None:
    from hearth.care_plans import services as care_plans

    care_plans.placement_started(placement=placement, by=by)


# ---------------------------------------------------------------------------------------------- starting


def period_of_care_start(
    *,
    child: Person,
    started_on: date,
    legal_status: str,
    category_of_need: str,
    placement_type: str,
    by: Any,
    provider: str = "",
    foster_household: FosterHousehold | None = None,
    carer_name: str = "",
    urn: str = "",
    postcode: str = "",
    distance_miles: Decimal | None = None,
    is_long_term: bool = False,
    referral_source: str | None = None,
    team: Team | None = None,
    court: str = "",
    previous_permanence: str = "",
    previous_permanence_la: str = "",
    previous_permanence_on: date | None = None,
    home_postcode: str = "",
) -> PeriodOfCare:
    """The child starts to be looked after: the period, its first legal status and first placement.

    A child in care is a child in need: without an open referral one is opened here, from
    ``referral_source``, in the same transaction. HOME_POST is ``home_postcode`` if given, else the
    postcode of the child's current address.
    """
    from hearth.cin.codes import ReferralSource
    from hearth.cin.models import CINEpisode
    from hearth.people.services import current_address_of

    errors: dict[str, Any] = {}
    details, shape = _clean_details(
        child, placement_type=placement_type, provider=provider, foster_household=foster_household,
        carer_name=carer_name, urn=urn, postcode=postcode, distance_miles=distance_miles, is_long_term=is_long_term)
    errors.update(shape)
    try:
        home_postcode = clean_postcode(home_postcode)
    except ValidationError as error:
        errors["home_postcode"] = " ".join(error.messages)
    problem = _date_problem(started_on, noun="The date they came into care", child=child)
    if problem:
        errors["started_on"] = problem
    elif child.date_of_birth is None and child.expected_date_of_birth is not None:
        errors["started_on"] = f"{child.full_name} is not born yet: record the date of birth first"
    elif child.date_of_death is not None and started_on > child.date_of_death:
        errors["started_on"] = f"{child.full_name} died on {long_date(child.date_of_death)}"
    elif (child.age_on(started_on) or 0) >= 18:
        errors["started_on"] = "A young person of 18 or over cannot start to be looked after"
    if category_of_need not in CategoryOfNeed.values:
        errors["category_of_need"] = "Choose the category of need"
    errors.update(checks.legal_status_problems(legal_status=legal_status, age=child.age_on(started_on)))
    if "started_on" not in errors:
        for field, message in _placement_errors(child=child, period=None, details=details, on=started_on,
                                                legal_status=legal_status, is_first=True).items():
            errors.setdefault(field, message)
    errors.update(checks.previous_permanence_problems(
        previous_permanence=previous_permanence, la=previous_permanence_la.strip().upper(),
        on=previous_permanence_on, period_started_on=started_on))
    open_period = PeriodOfCare.objects.filter(child=child, ended_on__isnull=True).first()
    if open_period is not None:
        raise ValidationError(f"{child.full_name} is already looked after (since {long_date(open_period.started_on)}). "
                              "Record a change of placement or legal status instead")
    last = PeriodOfCare.objects.filter(child=child).order_by("-ended_on").first()
    if last is not None and last.ended_on is not None and "started_on" not in errors and started_on <= last.ended_on:
        errors["started_on"] = (f"{child.full_name}'s last period of care ended on {long_date(last.ended_on)}: "
                                "a new one starts after that day")
    needs_referral = not CINEpisode.objects.filter(child=child, closed_on__isnull=True).exists()
    if needs_referral and referral_source not in ReferralSource.values:
        errors["referral_source"] = (f"{child.full_name} has no open referral: choose who referred them, to open "
                                     "one (every child in care is counted in the children in need census)")
    refuse(errors)

    from hearth.allocations.selectors import current_social_work_allocation
    from hearth.care_plans import services as care_plans
    from hearth.cin.services import cin_episode_open

    if team is None:
        allocation = current_social_work_allocation(child=child)
        team = allocation.team if allocation is not None else None
    address = current_address_of(child)
    with transaction.atomic(), acting_as(by):
        if needs_referral:
            try:
                cin_episode_open(child=child, referral_date=started_on, referral_source=str(referral_source),
                                 team=team, by=by)
            except ValidationError as refused:
                raise ValidationError({"started_on": refused.messages}) from refused
        period = PeriodOfCare(
            local_authority_id=child.local_authority_id, child=child, started_on=started_on,
            category_of_need=category_of_need,
            home_postcode=home_postcode or (address.postcode if address is not None else ""),
            team=team, previous_permanence=previous_permanence,
            previous_permanence_la=previous_permanence_la.strip().upper(),
            previous_permanence_on=previous_permanence_on,
        )
        period.save(by=by)
        status = CareLegalStatus(local_authority_id=child.local_authority_id, child=child, period=period,
                                 legal_status=legal_status, started_on=started_on, court=court.strip()[:200])
        status.save(by=by)
        placement = _new_placement(period=period, details=details, started_on=started_on, by=by,
                                   same_carer_as_previous=False)
        chronology_record(
            person=child, event_type=EventType.PLACEMENT, occurred=started_on, title="Started to be looked after",
            summary=f"Legal status {LegalStatus(legal_status).label}. Placement: {_describe(details)}.",
            source=period, link=_link(child), significant=True, by=by,
        )
        _limit_clock_start(status, child, by)
        care_plans.period_of_care_started(period=period, by=by)
        _placement_started_hooks(placement, by)
    return period


# ---------------------------------------------------------------------------------------------- changes


def _status_change_errors(period: PeriodOfCare, current: CareLegalStatus | None, legal_status: str,
                          started_on: date, child: Person) -> dict[str, str]:
    errors: dict[str, str] = {}
    problem = _date_problem(started_on, noun="The date of the change", child=child)
    if problem:
        errors["started_on"] = problem
    elif started_on <= period.started_on:
        errors["started_on"] = (f"The change must be after {child.full_name} came into care "
                                f"({long_date(period.started_on)}). "
                                "If the legal status was wrong from the start, correct it instead")
    elif current is not None and started_on <= current.started_on:
        errors["started_on"] = (f"The change must be after the current legal status began "
                                f"({long_date(current.started_on)})")
    errors.update(checks.legal_status_problems(legal_status=legal_status, age=child.age_on(started_on)))
    if current is not None and current.legal_status == legal_status and "legal_status" not in errors:
        errors["legal_status"] = f"{child.full_name} is already looked after under {LegalStatus(legal_status).label}"
    return errors


def legal_status_change(
    *, period: PeriodOfCare, legal_status: str, started_on: date, by: Any, court: str = ""
) -> CareLegalStatus:
    """A new legal status from ``started_on``; the current one ends that day (RNE L)."""
    _require_open(period)
    child = period.child
    current = _current_status(period)
    errors = _status_change_errors(period, current, legal_status, started_on, child)
    if "started_on" not in errors and "legal_status" not in errors:
        # The placements the child has been in since the change must suit the new status.
        since = Placement.objects.filter(period=period, started_on__lte=timezone.localdate()).exclude(
            ended_on__lte=started_on)
        for home in since:
            clash = checks.combination_problem(legal_status=legal_status, placement_type=home.placement_type)
            if clash:
                errors["legal_status"] = clash
                break
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        if current is not None:
            current.ended_on = started_on
            current.save(by=by)
            _limit_clock_stop(current, started_on, by)
        status = CareLegalStatus(local_authority_id=period.local_authority_id, child=child, period=period,
                                 legal_status=legal_status, started_on=started_on, court=court.strip()[:200])
        status.save(by=by)
        chronology_record(
            person=child, event_type=EventType.LEGAL, occurred=started_on,
            title=f"Legal status changed to {LegalStatus(legal_status).label}",
            summary=f"Previously {LegalStatus(current.legal_status).label}." if current is not None else "",
            source=status, link=_link(child), significant=True, by=by,
        )
        _limit_clock_start(status, child, by)
    return status


def _placement_change_errors(
    *, period: PeriodOfCare, child: Person, current: Placement | None, details: PlacementDetails,
    started_on: date, reason_for_change: str, same_carer_as_previous: bool, legal_status: str | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    problem = _date_problem(started_on, noun="The date of the move", child=child)
    if problem:
        errors["started_on"] = problem
    elif started_on <= period.started_on:
        errors["started_on"] = (f"The move must be after {child.full_name} came into care "
                                f"({long_date(period.started_on)}). "
                                "If the first placement was recorded wrongly, correct it instead")
    elif current is not None and started_on <= current.started_on:
        errors["started_on"] = ("The move must be after the current placement began "
                                f"({long_date(current.started_on)}). "
                                "A placement cannot end on or before the day it started: correct it instead")
    if "started_on" not in errors:
        for field, message in _placement_errors(
            child=child, period=period, details=details, on=started_on, legal_status=legal_status, is_first=False,
            same_carer_as_previous=same_carer_as_previous, previous=current,
        ).items():
            errors.setdefault(field, message)
    needs_reason = (current is not None and current.placement_type not in TEMPORARY_PLACEMENTS
                    and details.placement_type not in TEMPORARY_PLACEMENTS)
    if reason_for_change and reason_for_change not in ReasonPlacementChange.values:
        errors["reason_for_change"] = "Choose why the placement ended from the list"
    elif needs_reason and not reason_for_change:
        errors["reason_for_change"] = "Choose why the current placement ended"
    elif reason_for_change == "CUSTOD" and (child.age_on(started_on) or 0) < 10:
        errors["reason_for_change"] = "A child under 10 cannot move because of custody"
    return errors


def _move(*, period: PeriodOfCare, current: Placement | None, details: PlacementDetails, started_on: date,
          reason_for_change: str, same_carer_as_previous: bool, by: Any) -> Placement:
    if current is not None:
        current.ended_on = started_on
        # Not recorded for a temporary placement (rule 226).
        current.reason_for_change = "" if current.placement_type in TEMPORARY_PLACEMENTS else reason_for_change
        current.save(by=by)
    placement = _new_placement(period=period, details=details, started_on=started_on, by=by,
                               same_carer_as_previous=same_carer_as_previous)
    _placed_for_adoption(period, placement, by)
    return placement


def placement_change(
    *,
    period: PeriodOfCare,
    started_on: date,
    placement_type: str,
    by: Any,
    reason_for_change: str = "",
    same_carer_as_previous: bool = False,
    provider: str = "",
    foster_household: FosterHousehold | None = None,
    carer_name: str = "",
    urn: str = "",
    postcode: str = "",
    distance_miles: Decimal | None = None,
    is_long_term: bool = False,
) -> Placement:
    """The child moves: the current placement ends on ``started_on`` (why: ``reason_for_change``) and the
    new one starts that day (RNE P, or T with the same carer)."""
    _require_open(period)
    child = period.child
    current = _current_placement(period)
    details, errors = _clean_details(
        child, placement_type=placement_type, provider=provider, foster_household=foster_household,
        carer_name=carer_name, urn=urn, postcode=postcode, distance_miles=distance_miles, is_long_term=is_long_term)
    status_then = CareLegalStatus.objects.filter(period=period, started_on__lte=started_on).exclude(
        ended_on__lte=started_on).first()
    for field, message in _placement_change_errors(
        period=period, child=child, current=current, details=details, started_on=started_on,
        reason_for_change=reason_for_change, same_carer_as_previous=same_carer_as_previous,
        legal_status=status_then.legal_status if status_then is not None else None,
    ).items():
        errors.setdefault(field, message)
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        placement = _move(period=period, current=current, details=details, started_on=started_on,
                          reason_for_change=reason_for_change, same_carer_as_previous=same_carer_as_previous, by=by)
        chronology_record(
            person=child, event_type=EventType.PLACEMENT, occurred=started_on,
            title=f"Moved placement: {PlacementType(details.placement_type).label}",
            summary=_move_summary(current, reason_for_change, same_carer_as_previous, details),
            source=placement, link=_link(child), significant=True, by=by,
        )
        _placement_started_hooks(placement, by)
    return placement


def _move_summary(current: Placement | None, reason: str, same_carer: bool, details: PlacementDetails) -> str:
    parts = [f"New placement: {_describe(details)}."]
    if same_carer:
        parts.append("Same carer as before.")
    if current is not None:
        parts.append(f"Previous placement: {_describe(current)}.")
    if reason:
        parts.append(f"Why it ended: {ReasonPlacementChange(reason).label}.")
    return " ".join(parts)


def legal_status_and_placement_change(
    *,
    period: PeriodOfCare,
    started_on: date,
    legal_status: str,
    placement_type: str,
    by: Any,
    reason_for_change: str = "",
    same_carer_as_previous: bool = False,
    provider: str = "",
    foster_household: FosterHousehold | None = None,
    carer_name: str = "",
    urn: str = "",
    postcode: str = "",
    distance_miles: Decimal | None = None,
    is_long_term: bool = False,
    court: str = "",
) -> tuple[CareLegalStatus, Placement]:
    """Legal status and placement change on the same day: one new episode (RNE U, same carer, or B)."""
    _require_open(period)
    child = period.child
    current_status = _current_status(period)
    current = _current_placement(period)
    details, errors = _clean_details(
        child, placement_type=placement_type, provider=provider, foster_household=foster_household,
        carer_name=carer_name, urn=urn, postcode=postcode, distance_miles=distance_miles, is_long_term=is_long_term)
    for field, message in _status_change_errors(period, current_status, legal_status, started_on, child).items():
        errors.setdefault(field, message)
    for field, message in _placement_change_errors(
        period=period, child=child, current=current, details=details, started_on=started_on,
        reason_for_change=reason_for_change, same_carer_as_previous=same_carer_as_previous,
        legal_status=legal_status,
    ).items():
        errors.setdefault(field, message)
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        if current_status is not None:
            current_status.ended_on = started_on
            current_status.save(by=by)
            _limit_clock_stop(current_status, started_on, by)
        status = CareLegalStatus(local_authority_id=period.local_authority_id, child=child, period=period,
                                 legal_status=legal_status, started_on=started_on, court=court.strip()[:200])
        status.save(by=by)
        placement = _move(period=period, current=current, details=details, started_on=started_on,
                          reason_for_change=reason_for_change, same_carer_as_previous=same_carer_as_previous, by=by)
        chronology_record(
            person=child, event_type=EventType.PLACEMENT, occurred=started_on,
            title=f"Legal status changed to {LegalStatus(legal_status).label} and moved placement",
            summary=_move_summary(current, reason_for_change, same_carer_as_previous, details),
            source=placement, link=_link(child), significant=True, by=by,
        )
        _limit_clock_start(status, child, by)
        _placement_started_hooks(placement, by)
    return status, placement


def placement_correct(
    *,
    placement: Placement,
    expected_version: int,
    by: Any,
    placement_type: str,
    provider: str = "",
    foster_household: FosterHousehold | None = None,
    carer_name: str = "",
    urn: str = "",
    postcode: str = "",
    distance_miles: Decimal | None = None,
    is_long_term: bool = False,
    same_carer_as_previous: bool | None = None,
    reason_for_change: str | None = None,
) -> Placement:
    """Put right how a placement was recorded. Its dates do not move, so no episode is added or lost."""
    period = placement.period
    child = placement.child
    details, errors = _clean_details(
        child, placement_type=placement_type, provider=provider, foster_household=foster_household,
        carer_name=carer_name, urn=urn, postcode=postcode, distance_miles=distance_miles, is_long_term=is_long_term)
    siblings = list(Placement.objects.filter(period=period).order_by("started_on", "pk"))
    index = next(i for i, p in enumerate(siblings) if p.pk == placement.pk)
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    same_carer = placement.same_carer_as_previous if same_carer_as_previous is None else same_carer_as_previous
    if previous is None:
        same_carer = False
    status_then = CareLegalStatus.objects.filter(period=period, started_on__lte=placement.started_on).exclude(
        ended_on__lte=placement.started_on).first()
    for field, message in checks.placement_problems(
        placement_type=details.placement_type, provider=details.provider, urn=details.urn,
        age=child.age_on(placement.started_on), legal_status=status_then.legal_status if status_then else None,
        is_first=previous is None, same_carer_as_previous=same_carer,
        previous_type=previous.placement_type if previous is not None else None,
        # The decision must have come before this placement; an adoption placement being corrected keeps its own.
        has_adoption_decision=AdoptionPlan.objects.filter(period=period, decided_on__lte=placement.started_on).exists(),
        dolo_open=placement.ended_on is None and _open_dolo(period) is not None,
        has_foster_household=details.foster_household is not None, child_name=child.full_name,
    ).items():
        errors.setdefault(field, message)
    reason = placement.reason_for_change if reason_for_change is None else reason_for_change
    if following is None:
        reason = ""  # still open, or ended with the period: no placement change to explain (rule 233)
    elif details.placement_type in TEMPORARY_PLACEMENTS:
        reason = ""
    elif reason and reason not in ReasonPlacementChange.values:
        errors["reason_for_change"] = "Choose why the placement ended from the list"
    elif not reason and following.placement_type not in TEMPORARY_PLACEMENTS:
        errors["reason_for_change"] = "Choose why the placement ended"
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        before = _describe(placement)
        for name, value in details.fields().items():
            setattr(placement, name, value)
        placement.same_carer_as_previous = same_carer
        placement.reason_for_change = reason
        placement.version = expected_version
        placement.save(by=by)
        chronology_record(
            person=child, event_type=EventType.PLACEMENT, occurred=timezone.now(),
            title="Placement details corrected",
            summary=f"Placement from {long_date(placement.started_on)}. Was: {before}. Now: {_describe(placement)}.",
            source=placement, link=_link(child), by=by,
        )
    return placement


# ---------------------------------------------------------------------------------------------- ending


def period_of_care_end(
    *, period: PeriodOfCare, ended_on: date, reason_ceased: str, by: Any, expected_version: int | None = None
) -> PeriodOfCare:
    """The child stops being looked after. The placement, legal status and any deprivation of liberty
    order end the same day; the last episode carries ``reason_ceased`` (never X1)."""
    _require_open(period)
    child = period.child
    current = _current_placement(period)
    status = _current_status(period)
    dolo = _open_dolo(period)
    plan = AdoptionPlan.objects.filter(period=period, reversed_on__isnull=True).order_by("-decided_on").first()
    errors: dict[str, str] = {}
    problem = _date_problem(ended_on, noun="The date they left care", child=child)
    latest_start = max([period.started_on] + [r.started_on for r in (current, status) if r is not None])
    if problem:
        errors["ended_on"] = problem
    elif ended_on <= latest_start:
        errors["ended_on"] = (f"The date they left care must be after the current placement and legal status "
                              f"began ({long_date(latest_start)})")
    elif dolo is not None and ended_on < dolo.started_on:
        errors["ended_on"] = f"The date they left care cannot be before the DoLO began ({long_date(dolo.started_on)})"
    if reason_ceased == ReasonEpisodeCeased.NEW_EPISODE:
        errors["reason_ceased"] = ("X1 is for an episode followed by another the same day; choose why "
                                   f"{child.full_name} left care")
    elif reason_ceased not in [c.value for c in LEAVING_CARE_REASONS]:
        errors["reason_ceased"] = "Choose why they left care"
    elif "ended_on" not in errors:
        problem = checks.leaving_problems(
            reason=reason_ceased, age=child.age_on(ended_on),
            current_type=current.placement_type if current is not None else "",
            any_foster=Placement.objects.filter(period=period, placement_type__in=FOSTER_PLACEMENTS).exists(),
            has_order_on=plan.adoption_order_on if plan is not None else None, ended_on=ended_on,
        )
        if problem:
            errors["reason_ceased"] = problem
        elif reason_ceased in checks.ADOPTED and plan is not None and plan.number_of_adopters is None:
            errors["reason_ceased"] = "Record the adopters' details in the adoption steps first"
        elif reason_ceased not in checks.ADOPTED and plan is not None and plan.adoption_order_on is None:
            errors["reason_ceased"] = (f"The decision that {child.full_name} should be placed for adoption is still "
                                       "open: record that it was reversed, and why, in the adoption steps first")
        elif reason_ceased == "E2" and child.date_of_death is not None and child.date_of_death != ended_on:
            errors["ended_on"] = (f"{child.full_name}'s date of death is recorded as {long_date(child.date_of_death)}: "
                                  "a child who died stops being looked after on that day")
        elif reason_ceased != "E2" and child.date_of_death is not None and child.date_of_death < ended_on:
            errors["reason_ceased"] = (f"{child.full_name} died on {long_date(child.date_of_death)}: choose E2 and "
                                       "that date")
    refuse(errors)

    from hearth.care_leavers import services as care_leavers
    from hearth.care_plans import services as care_plans
    from hearth.people.services import person_update

    with transaction.atomic(), acting_as(by):
        if expected_version is not None:
            period.version = expected_version
        period.ended_on = ended_on
        period.reason_ceased = reason_ceased
        period.save(by=by)
        if current is not None:
            current.ended_on = ended_on
            current.reason_for_change = ""
            current.save(by=by)
        if status is not None:
            status.ended_on = ended_on
            status.save(by=by)
            _limit_clock_stop(status, ended_on, by)
        if dolo is not None:
            dolo.ended_on = ended_on
            dolo.save(by=by)
        if reason_ceased == "E2" and child.date_of_death is None:
            person_update(person=child, expected_version=child.version, by=by, date_of_death=ended_on)
        chronology_record(
            person=child, event_type=EventType.PLACEMENT, occurred=ended_on, title="Stopped being looked after",
            summary=f"Reason: {ReasonEpisodeCeased(reason_ceased).label}.", source=period, link=_link(child),
            significant=True, by=by,
        )
        care_plans.period_of_care_ended(period=period, by=by)
        care_leavers.period_of_care_ended(period=period, by=by)
    return period


# ---------------------------------------------------------------------------------------------- more on the period


def period_details_update(
    *, period: PeriodOfCare, by: Any, home_postcode: str, previous_permanence: str, previous_permanence_la: str = "",
    previous_permanence_on: date | None = None, expected_version: int | None = None,
) -> PeriodOfCare:
    """HOME_POST, and PREV_PERM, LA_PERM and DATE_PERM (an order the child had before this period of care)."""
    la = previous_permanence_la.strip().upper()
    errors = checks.previous_permanence_problems(
        previous_permanence=previous_permanence, la=la, on=previous_permanence_on,
        period_started_on=period.started_on)
    if not previous_permanence:
        errors.setdefault("previous_permanence", "Choose the previous permanence option, or P4 if not known")
    if previous_permanence_on is not None and previous_permanence_on > timezone.localdate():
        errors["previous_permanence_on"] = "The date of the order must be today or in the past"
    try:
        home_postcode = clean_postcode(home_postcode)
    except ValidationError as error:
        errors["home_postcode"] = " ".join(error.messages)
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        if expected_version is not None:
            period.version = expected_version
        period.home_postcode = home_postcode
        period.previous_permanence = previous_permanence
        period.previous_permanence_la = la
        period.previous_permanence_on = previous_permanence_on
        period.save(by=by)
    return period


ADOPTION_STEPS = (
    ("decided_on", "Decision that the child should be placed for adoption"),
    ("placement_order_on", "Placement order granted"),
    ("fostering_for_adoption_on", "Placed in fostering for adoption"),
    ("matched_on", "Matched with adopters"),
    ("placed_on", "Placed for adoption"),
    ("adoption_order_on", "Adoption order made"),
    ("reversed_on", "Decision to place for adoption reversed"),
)


def _adoption_errors(*, period: PeriodOfCare, plan: AdoptionPlan | None, child: Person,
                     steps: dict[str, date | None], reversal_reason: str,
                     adopters: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    labels = dict(ADOPTION_STEPS)
    for name, day in steps.items():
        if day is None:
            continue
        problem = _date_problem(day, noun=labels[name], child=child)
        if problem:
            errors[name] = problem
        elif day < period.started_on:
            errors[name] = f"{labels[name]} must be on or after {child.full_name} came into care " \
                           f"({long_date(period.started_on)})"
        elif period.ended_on is not None and day > period.ended_on:
            errors[name] = f"{labels[name]} cannot be after {child.full_name} left care ({long_date(period.ended_on)})"
    decided = steps["decided_on"]
    if decided is None:
        errors["decided_on"] = "Enter the date of the decision that the child should be placed for adoption"
        return errors

    def after(name: str, earlier: str, message: str) -> None:
        day, before = steps[name], steps[earlier]
        if name not in errors and day is not None and before is not None and day < before:
            errors[name] = message

    after("placement_order_on", "decided_on", "The placement order cannot be before the decision to place for adoption")
    after("matched_on", "decided_on", "The match cannot be before the decision to place for adoption")
    after("placed_on", "decided_on", "Placing for adoption cannot be before the decision to place for adoption")
    after("placed_on", "matched_on", "Placing for adoption cannot be before the match with adopters")
    after("adoption_order_on", "placed_on", "The adoption order cannot be before the child was placed for adoption")
    after("reversed_on", "decided_on", "The decision cannot be reversed before it was made")
    if steps["adoption_order_on"] is not None and steps["placed_on"] is None:
        errors.setdefault("placed_on", "Enter when the child was placed for adoption (before the adoption order)")
    if steps["placed_on"] is not None and steps["matched_on"] is None:
        errors.setdefault("matched_on", "Enter when the child was matched with adopters (before being placed)")
    reversed_on = steps["reversed_on"]
    if reversed_on is not None:
        if steps["adoption_order_on"] is not None:
            errors["reversed_on"] = "A decision cannot be reversed once the adoption order is made"
        later = [labels[n] for n in ("placement_order_on", "matched_on", "placed_on")
                 if steps[n] is not None and steps[n] > reversed_on]  # type: ignore[operator]
        if later and "reversed_on" not in errors:
            errors["reversed_on"] = f"{later[0]} is after the decision was reversed"
        if not reversal_reason:
            errors["reversal_reason"] = "Choose why the decision was reversed"
        elif reversal_reason not in ReasonPlacedCeased.values:
            errors["reversal_reason"] = "Choose why the decision was reversed from the list"
        elif reversal_reason == "RD2" and steps["placement_order_on"] is not None:
            errors["reversal_reason"] = "RD2 means the court did not make a placement order, but one is recorded"
    elif reversal_reason:
        errors["reversal_reason"] = "Only give a reason when the decision was reversed"
    errors.update(checks.adopter_problems(
        number=adopters["number_of_adopters"], sex=adopters["adopter_sex"],
        legal_status=adopters["adopter_legal_status"], adopted_by_foster_carer=adopters["adopted_by_foster_carer"],
        required=steps["adoption_order_on"] is not None,
    ))
    others = AdoptionPlan.objects.filter(period=period).exclude(pk=plan.pk if plan is not None else None)
    if "decided_on" not in errors:
        if any(o.is_active for o in others):
            errors["decided_on"] = ("There is already an open decision to place for adoption: record that it "
                                    "was reversed before recording a new one")
        elif any(o.reversed_on is not None and decided < o.reversed_on for o in others):
            errors["decided_on"] = "A new decision cannot be before the earlier one was reversed"
    return errors


def adoption_plan_save(
    *,
    period: PeriodOfCare,
    by: Any,
    decided_on: date | None,
    plan: AdoptionPlan | None = None,
    expected_version: int | None = None,
    placement_order_on: date | None = None,
    fostering_for_adoption_on: date | None = None,
    matched_on: date | None = None,
    placed_on: date | None = None,
    adoption_order_on: date | None = None,
    reversed_on: date | None = None,
    reversal_reason: str = "",
    adopted_by_foster_carer: bool | None = None,
    number_of_adopters: int | None = None,
    adopter_sex: str = "",
    adopter_legal_status: str = "",
) -> AdoptionPlan:
    """Record or update the adoption steps of a decision to place for adoption, in their order."""
    child = period.child
    if plan is None and period.ended_on is not None:
        raise ValidationError(f"{child.full_name} left care on {long_date(period.ended_on)}: a new decision to place "
                              "for adoption is made while a child is looked after")
    if plan is not None and plan.period_id != period.pk:
        raise ValidationError("This adoption plan belongs to another period of care")
    steps = {"decided_on": decided_on, "placement_order_on": placement_order_on,
             "fostering_for_adoption_on": fostering_for_adoption_on, "matched_on": matched_on,
             "placed_on": placed_on, "adoption_order_on": adoption_order_on, "reversed_on": reversed_on}
    adopters = {"number_of_adopters": number_of_adopters, "adopter_sex": adopter_sex,
                "adopter_legal_status": adopter_legal_status, "adopted_by_foster_carer": adopted_by_foster_carer}
    errors = _adoption_errors(period=period, plan=plan, child=child, steps=steps, reversal_reason=reversal_reason,
                              adopters=adopters)
    if adopted_by_foster_carer is not None and "adopted_by_foster_carer" not in errors:
        placed = Placement.objects.filter(period=period, placement_type__in=ADOPTION_PLACEMENTS).order_by(
            "-started_on").first()
        with_carer = placed is not None and placed.placement_type in checks.PLACED_WITH_CURRENT_CARER
        if placed is not None and adopted_by_foster_carer != with_carer:
            errors["adopted_by_foster_carer"] = (
                f"The placement for adoption is {placed.placement_type}, which says the child "
                f"{'was' if with_carer else 'was not'} placed with their foster carer")
    refuse(errors)
    assert decided_on is not None  # refused above when missing
    with transaction.atomic(), acting_as(by):
        before = {name: getattr(plan, name) for name, _ in ADOPTION_STEPS} if plan is not None else {}
        if plan is None:
            plan = AdoptionPlan(local_authority_id=period.local_authority_id, child=child, period=period,
                                decided_on=decided_on)
        elif expected_version is not None:
            plan.version = expected_version
        for name, value in {**steps, **adopters}.items():
            setattr(plan, name, value)
        plan.reversal_reason = reversal_reason if reversed_on is not None else ""
        plan.save(by=by)
        for name, label in ADOPTION_STEPS:
            day = steps[name]
            if day is not None and before.get(name) != day:
                title = label if name != "reversed_on" else f"{label}: {ReasonPlacedCeased(reversal_reason).label}"
                chronology_record(
                    person=child, event_type=EventType.LEGAL if name in ("placement_order_on", "adoption_order_on")
                    else EventType.PLAN, occurred=day, title=title, source=plan, link=_link(child),
                    significant=name in ("decided_on", "placed_on", "adoption_order_on", "reversed_on"), by=by,
                )
    return plan


def dolo_start(*, period: PeriodOfCare, started_on: date, by: Any, court: str = "") -> DeprivationOfLibertyOrder:
    """A deprivation of liberty order while looked after (rules 700 to 710)."""
    _require_open(period)
    child = period.child
    errors: dict[str, str] = {}
    problem = _date_problem(started_on, noun="The date the order was made", child=child)
    if problem:
        errors["started_on"] = problem
    elif started_on < period.started_on:
        errors["started_on"] = f"The order must be on or after {child.full_name} came into care " \
                               f"({long_date(period.started_on)})"
    orders = list(DeprivationOfLibertyOrder.objects.filter(period=period))
    if any(o.ended_on is None for o in orders):
        raise ValidationError("There is already an open deprivation of liberty order: end it before recording "
                              "a new one")
    if "started_on" not in errors and any(o.ended_on is not None and started_on < o.ended_on for o in orders):
        errors["started_on"] = "Orders cannot overlap: this one must start after the last one ended"
    if "started_on" not in errors:
        home = Placement.objects.filter(period=period, started_on__lte=started_on).exclude(
            ended_on__lte=started_on).first()
        if home is not None and home.placement_type in checks.NO_DOLO_PLACEMENTS:
            errors["started_on"] = (f"A deprivation of liberty order cannot be in "
                                    f"{PlacementType(home.placement_type).label} (903 rule 710)")
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        order = DeprivationOfLibertyOrder(local_authority_id=period.local_authority_id, child=child, period=period,
                                          started_on=started_on, court=court.strip()[:200])
        order.save(by=by)
        chronology_record(person=child, event_type=EventType.LEGAL, occurred=started_on,
                          title="Deprivation of liberty order made", source=order, link=_link(child),
                          significant=True, by=by)
    return order


def dolo_end(*, order: DeprivationOfLibertyOrder, ended_on: date, by: Any,
             expected_version: int | None = None) -> DeprivationOfLibertyOrder:
    if order.ended_on is not None:
        raise ValidationError(f"This order already ended on {long_date(order.ended_on)}")
    child = order.child
    problem = _date_problem(ended_on, noun="The date the order ended", child=child)
    if problem:
        raise ValidationError({"ended_on": problem})
    if ended_on < order.started_on:
        raise ValidationError({"ended_on": f"The order cannot end before it started ({long_date(order.started_on)})"})
    with transaction.atomic(), acting_as(by):
        if expected_version is not None:
            order.version = expected_version
        order.ended_on = ended_on
        order.save(by=by)
        chronology_record(person=child, event_type=EventType.LEGAL, occurred=ended_on,
                          title="Deprivation of liberty order ended", source=order, link=_link(child), by=by)
    return order
