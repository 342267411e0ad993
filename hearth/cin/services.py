"""Writes for children in need: referrals (CIN episodes), assessments and CIN plans.

Every step here is one transaction: the record, its audit history (AuditedModel), its
chronology line, and the clocks it starts, stops or cancels.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from hearth.accounts.roles import MANAGER_ROLES
from hearth.allocations.selectors import current_social_work_allocation
from hearth.audit.actor import acting_as
from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.clocks.models import Clock
from hearth.clocks.services import clock_cancel, clock_start, clock_stop
from hearth.oversight.models import DecisionPoint
from hearth.oversight.selectors import oversight_gate_check
from hearth.oversight.services import oversight_record
from hearth.workspace.dates import long_date
from hearth.workspace.refusals import future_error, refuse

from .codes import CLOSURE_NEEDS_ASSESSMENT, AssessmentFactor, ClosureReason, PrimaryNeed
from .models import Assessment, CINEpisode, CINPlan, CINPlanReview

if TYPE_CHECKING:
    from hearth.accounts.models import Team, User
    from hearth.front_door.models import Contact
    from hearth.people.models import Person

ASSESSMENT_RULE = "assessment"
CIN_PLAN_REVIEW_RULE = "cin_plan_review"
NO_FACTORS = AssessmentFactor.NO_FACTORS.value
SECTION_NAMES = frozenset(name for name, _ in Assessment.SECTIONS)
SECTION_TITLES = dict(Assessment.SECTIONS)


def _check_version(instance: models.Model, expected_version: int | None) -> None:
    """Refuse a save from a page opened before someone else's change (the stored row is re-read)."""
    if expected_version is None:
        return
    stored = type(instance)._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    if stored is not None and stored != expected_version:
        last = ChangeRecord.objects.filter(model_label=instance._meta.label, object_id=str(instance.pk)).first()
        raise StaleVersionError(instance, stored, last)


def _require_manager(by: Any, doing: str) -> None:
    if getattr(by, "role", None) not in MANAGER_ROLES:
        raise PermissionDenied(f"Only a manager can {doing}")


def _allocated_worker(child: Person) -> User | None:
    allocation = current_social_work_allocation(child=child)
    return allocation.worker if allocation is not None else None


def _open_clock(subject: models.Model, rule_id: str) -> Clock | None:
    return (
        Clock.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, rule_id=rule_id,
            status=Clock.Status.OPEN, local_authority_id=subject.local_authority_id,  # type: ignore[attr-defined]
        )
        .order_by("-started_on", "-id")
        .first()
    )


def _episode_link(episode: CINEpisode) -> str:
    return f"/children/{episode.child_id}/cin/episodes/{episode.pk}/"


def _assessment_link(assessment: Assessment) -> str:
    return f"/children/{assessment.child_id}/cin/assessments/{assessment.pk}/"


def _plan_link(plan: CINPlan) -> str:
    return f"/children/{plan.child_id}/cin/plans/{plan.pk}/"


def _require_open(episode: CINEpisode, doing: str) -> None:
    if not episode.is_open:
        raise ValidationError(f"This referral was closed on {long_date(episode.closed_on)}; you cannot {doing}")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ referrals


def is_re_referral(*, child: Person, referral_date: date, exclude_pk: int | None = None) -> bool:
    """A previous referral for this child in the 12 calendar months up to this referral date.

    Boundary (not confirmed by DfE, timescales.md §3): a referral exactly 12 months earlier
    counts as within 12 months.
    """
    since = referral_date - relativedelta(months=12)
    earlier = CINEpisode.objects.filter(
        child=child, local_authority_id=child.local_authority_id,
        referral_date__gte=since, referral_date__lte=referral_date,
    )
    if exclude_pk is not None:
        earlier = earlier.exclude(pk=exclude_pk)
    return earlier.exists()


def cin_episode_open(
    *,
    child: Person,
    referral_date: date,
    referral_source: str,
    by: Any,
    contact: Contact | None = None,
    team: Team | None = None,
    primary_need: str = "",
) -> CINEpisode:
    """Open a referral for a child not already open to children's social care.

    New information about a child whose case is open is not a new referral (domain.md §2):
    that is refused here and recorded on the open episode instead. Starts the 45-working-day
    assessment clock from the referral date, assigned to the allocated worker if there is one.
    """
    if referral_date > timezone.localdate():
        raise ValidationError({"referral_date": "The referral date cannot be in the future"})
    open_episode = CINEpisode.objects.filter(child=child, closed_on__isnull=True).first()
    if open_episode is not None:
        raise ValidationError(
            f"{child.full_name} is already open to children's social care (referral of "
            f"{open_episode.referral_date:%-d %B %Y}); record this on the open case instead"
        )
    latest_closed = CINEpisode.objects.filter(child=child).order_by("-closed_on").first()
    if latest_closed is not None and latest_closed.closed_on and referral_date < latest_closed.closed_on:
        raise ValidationError(
            {"referral_date": f"The referral date cannot be before the last referral closed "
                              f"({latest_closed.closed_on:%-d %B %Y})"}
        )
    with transaction.atomic(), acting_as(by):
        episode = CINEpisode(
            local_authority_id=child.local_authority_id,
            child=child,
            contact=contact,
            referral_date=referral_date,
            referral_source=referral_source,
            primary_need=primary_need,
            is_re_referral=is_re_referral(child=child, referral_date=referral_date),
            team=team,
        )
        episode.full_clean()
        episode.save(by=by)
        chronology_record(
            person=child,
            event_type=EventType.REFERRAL,
            occurred=referral_date,
            title="Referral to children's social care" + (" (re-referral within 12 months)"
                                                          if episode.is_re_referral else ""),
            summary=f"Source: {episode.get_referral_source_display()}",
            source=episode,
            link=_episode_link(episode),
            significant=True,
            by=by,
        )
        clock_start(child=child, rule_id=ASSESSMENT_RULE, started_on=referral_date, subject=episode,
                    assigned_to=_allocated_worker(child), by=by)
    return episode


def episode_primary_need_record(
    *, episode: CINEpisode, primary_need: str, by: Any, expected_version: int | None = None
) -> CINEpisode:
    """The census category of need (N0 to N9); if two fit, the one higher in the list."""
    if primary_need not in PrimaryNeed.values:
        raise ValidationError({"primary_need": "Select the primary need"})
    _require_open(episode, "change its primary need")
    _check_version(episode, expected_version)
    with transaction.atomic(), acting_as(by):
        before = episode.get_primary_need_display() if episode.primary_need else ""
        episode.primary_need = primary_need
        episode.save(by=by)
        chronology_record(
            person=episode.child, event_type=EventType.REFERRAL, occurred=timezone.localdate(),
            title=f"Primary need recorded: {episode.get_primary_need_display()}",
            summary=f"Previously {before}" if before else "", source=episode, link=_episode_link(episode), by=by,
        )
    return episode


def _latest_activity(episode: CINEpisode) -> date | None:
    """The latest date of anything recorded in the episode: a closure cannot come before it."""
    from hearth.protection.models import (
        ChildProtectionConference,
        ChildProtectionPlan,
        Section47Enquiry,
        StrategyDiscussion,
    )

    dates: list[date | None] = []
    dates += Assessment.objects.filter(episode=episode).aggregate(
        a=Max("started_on"), b=Max("child_seen_on"), c=Max("submitted_on"), d=Max("authorised_on")
    ).values()
    dates += CINPlan.objects.filter(episode=episode).aggregate(a=Max("started_on"), b=Max("ended_on")).values()
    dates.append(CINPlanReview.objects.filter(plan__episode=episode).aggregate(a=Max("held_on"))["a"])
    dates.append(StrategyDiscussion.objects.filter(episode=episode).aggregate(a=Max("held_on"))["a"])
    dates += Section47Enquiry.objects.filter(episode=episode).aggregate(
        a=Max("started_on"), b=Max("completed_on")).values()
    dates += ChildProtectionPlan.objects.filter(episode=episode).aggregate(
        a=Max("started_on"), b=Max("ended_on")).values()
    dates.append(ChildProtectionConference.objects.filter(episode=episode).aggregate(a=Max("held_on"))["a"])
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def episode_has_activity(episode: CINEpisode) -> bool:
    """Anything beyond the referral itself (census 8831: an NFA referral carries none)."""
    from hearth.protection.models import ChildProtectionPlan, Section47Enquiry, StrategyDiscussion

    return (
        Assessment.objects.filter(episode=episode).exists()
        or CINPlan.objects.filter(episode=episode).exists()
        or StrategyDiscussion.objects.filter(episode=episode).exists()
        or Section47Enquiry.objects.filter(episode=episode).exists()
        or ChildProtectionPlan.objects.filter(episode=episode).exists()
    )


def _work_after_assessment(episode: CINEpisode) -> str:
    """What followed the assessment, in words ("" if nothing): RC8 and RC9 say nothing did (census 2990)."""
    from hearth.protection.models import ChildProtectionConference, ChildProtectionPlan, Section47Enquiry

    found = [
        words for words, exists in (
            ("a child in need plan", CINPlan.objects.filter(episode=episode).exists()),
            ("a section 47 enquiry", Section47Enquiry.objects.filter(episode=episode).exists()),
            ("a child protection conference", ChildProtectionConference.objects.filter(
                episode=episode, kind__in=[ChildProtectionConference.Kind.INITIAL,
                                           ChildProtectionConference.Kind.TRANSFER_IN]).exists()),
            ("a child protection plan", ChildProtectionPlan.objects.filter(episode=episode).exists()),
        ) if exists
    ]
    return " and ".join(found)


def _open_work(episode: CINEpisode) -> list[str]:
    """What is still open in the episode, in words, so the refusal says what to finish first."""
    from hearth.protection.models import ChildProtectionPlan, Section47Enquiry

    found = []
    for a in Assessment.objects.filter(episode=episode).exclude(status=Assessment.Status.AUTHORISED):
        found.append(f"the assessment started on {long_date(a.started_on)} is not authorised")
    for p in CINPlan.objects.filter(episode=episode, ended_on__isnull=True):
        found.append(f"the child in need plan from {long_date(p.started_on)} has not ended")
    for s in Section47Enquiry.objects.filter(episode=episode, completed_on__isnull=True):
        found.append(f"the section 47 enquiry from {long_date(s.started_on)} has no outcome")
    for c in ChildProtectionPlan.objects.filter(episode=episode, ended_on__isnull=True):
        found.append(f"the child protection plan from {long_date(c.started_on)} has not ended")
    return found


def _open_episode_clocks(episode: CINEpisode) -> list[Clock]:
    """Open clocks owned by the referral or by a record in it (an enquiry awaiting its ICPC, a transfer in)."""
    from hearth.protection.models import Section47Enquiry, TransferInNotice

    owners = models.Q(subject_type=ContentType.objects.get_for_model(CINEpisode), subject_id=episode.pk)
    for model in (Section47Enquiry, TransferInNotice):
        owners |= models.Q(subject_type=ContentType.objects.get_for_model(model),
                           subject_id__in=model.objects.filter(episode=episode).values("pk"))
    return list(Clock.objects.filter(owners, status=Clock.Status.OPEN, local_authority_id=episode.local_authority_id)
                .order_by("id"))


def episode_close(
    *,
    episode: CINEpisode,
    closed_on: date,
    reason: str,
    by: Any,
    expected_version: int | None = None,
    oversight_rationale: str = "",
) -> CINEpisode:
    """Close a referral with a census reason (RC1 to RC9).

    - Refused while an assessment, S47, CIN plan or CP plan is still open (each is named).
    - The closure date is not before the referral, nor before anything recorded in it, nor in the future.
    - RC8 and RC9 need an authorised assessment (8825Q); RC9 starts early help (step-down).
    - A referral closed with nothing done (no assessment, plan, strategy discussion or S47) is a
      referral with no further action (census ``ReferralNFA``). Its reason is RC7: RC8/RC9 need an
      assessment (8825Q) and RC1 to RC6 describe what happened to the child, not a decision. Its
      closure date is the date of the NFA decision, usually the referral date itself.
    - Where the council's CIN_CLOSURE gate is on, a manager's oversight must be recorded first;
      a manager closing it gives their rationale here (``oversight_rationale``).
    """
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": "Select the reason for closing"})
    _require_open(episode, "close it again")
    refuse({"closed_on": future_error(closed_on, "The closure date")})
    if closed_on < episode.referral_date:
        raise ValidationError(
            {"closed_on": "The closure date must be on or after the referral date "
                          f"({long_date(episode.referral_date)})"}
        )
    latest = _latest_activity(episode)
    if latest is not None and closed_on < latest:
        raise ValidationError(
            {"closed_on": f"The closure date must be on or after the last thing recorded on this referral "
                          f"({long_date(latest)})"}
        )
    still_open = _open_work(episode)
    if still_open:
        raise ValidationError("You cannot close this referral yet: " + "; ".join(still_open))
    authorised = Assessment.objects.filter(episode=episode, status=Assessment.Status.AUTHORISED).exists()
    if reason in CLOSURE_NEEDS_ASSESSMENT and not authorised:
        raise ValidationError(
            {"reason": f"{ClosureReason(reason).label} needs an authorised assessment in this referral. "
                       "Use RC7 for a referral closed with no assessment"}
        )
    if reason in CLOSURE_NEEDS_ASSESSMENT:
        went_further = _work_after_assessment(episode)
        if went_further:
            raise ValidationError(
                {"reason": f"{ClosureReason(reason).label} means nothing followed the assessment, but this "
                           f"referral had {went_further} (census 2990). Use RC7 if services have ceased"}
            )
    nothing_done = not episode_has_activity(episode)
    _check_version(episode, expected_version)
    with transaction.atomic(), acting_as(by):
        if oversight_rationale.strip():
            oversight_record(subject=episode, decision_point=DecisionPoint.CIN_CLOSURE,
                             rationale=oversight_rationale, child=episode.child, by=by)
        oversight_gate_check(subject=episode, decision_point=DecisionPoint.CIN_CLOSURE,
                             next_step="close this referral")
        episode.closed_on = closed_on
        episode.closure_reason = reason
        episode.referral_nfa = nothing_done and reason == ClosureReason.SERVICES_CEASED
        episode.full_clean()
        episode.save(by=by)
        for clock in _open_episode_clocks(episode):
            # Closed without the event (an authorised assessment, an ICPC after an enquiry, a transfer-in
            # conference): the clock did not run out, it no longer applies.
            clock_cancel(clock=clock, by=by)
        title = "Referral closed: no further action" if episode.referral_nfa else "Referral closed"
        chronology_record(
            person=episode.child, event_type=EventType.REFERRAL, occurred=closed_on, title=title,
            summary=episode.get_closure_reason_display(), source=episode, link=_episode_link(episode),
            significant=True, by=by,
        )
        if reason == ClosureReason.EARLY_HELP_AFTER_ASSESSMENT:
            # Imported here: the front door imports this app, so a top-level import would be circular.
            from hearth.front_door.services import early_help_start

            early_help_start(child=episode.child, started_on=closed_on, origin="step_down", by=by,
                             stepped_down_from=episode)
    return episode


# ------------------------------------------------------------------------------------------------ assessments


def assessment_start(*, episode: CINEpisode, started_on: date, by: Any, worker: User | None = None) -> Assessment:
    """Start a child and family assessment in an open referral; one open assessment at a time (8896)."""
    _require_open(episode, "start an assessment")
    refuse({"started_on": future_error(started_on, "The start date")})
    if started_on < episode.referral_date:
        raise ValidationError(
            {"started_on": f"The start date must be on or after the referral date ({long_date(episode.referral_date)})"}
        )
    current = Assessment.objects.filter(episode=episode).exclude(status=Assessment.Status.AUTHORISED).first()
    if current is not None:
        raise ValidationError(
            f"An assessment started on {long_date(current.started_on)} is still open in this referral. "
            "Finish and authorise it before starting another"
        )
    worker = worker or _allocated_worker(episode.child)
    with transaction.atomic(), acting_as(by):
        assessment = Assessment(
            local_authority_id=episode.local_authority_id, child=episode.child, episode=episode,
            started_on=started_on, worker=worker,
        )
        assessment.save(by=by)
        clock = _open_clock(episode, ASSESSMENT_RULE)
        if clock is not None and clock.assigned_to_id is None and worker is not None:
            clock.assigned_to = worker
            clock.save(by=by)
        chronology_record(
            person=episode.child, event_type=EventType.ASSESSMENT, occurred=started_on,
            title="Child and family assessment started",
            summary=f"Social worker: {worker}" if worker else "", source=assessment,
            link=_assessment_link(assessment), by=by,
        )
    return assessment


def _require_editable(assessment: Assessment) -> None:
    if assessment.status == Assessment.Status.AUTHORISED:
        raise ValidationError("This assessment has been authorised and can no longer be changed")
    if assessment.status == Assessment.Status.AWAITING_AUTHORISATION:
        raise ValidationError("This assessment is waiting for a manager. Ask them to return it if it needs changes")


def assessment_section_save(
    *, assessment: Assessment, section: str, text: str, by: Any, expected_version: int | None = None
) -> Assessment:
    """Save one section on its own; sections are written in any order."""
    if section not in SECTION_NAMES:
        raise ValidationError(f"'{section}' is not a section of the assessment")
    _require_editable(assessment)
    _check_version(assessment, expected_version)
    with transaction.atomic(), acting_as(by):
        setattr(assessment, section, text.strip())
        assessment.save(by=by)
    return assessment


def assessment_child_seen_record(
    *, assessment: Assessment, seen_on: date, seen_alone: bool | None, by: Any, expected_version: int | None = None
) -> Assessment:
    """The date the child was first seen for this assessment (and whether alone)."""
    _require_editable(assessment)
    refuse({"seen_on": future_error(seen_on, "The date the child was seen")})
    referral_date = assessment.episode.referral_date
    if seen_on < referral_date:
        raise ValidationError(
            {"seen_on": "The date the child was seen must be on or after the referral date "
                        f"({long_date(referral_date)})"}
        )
    _check_version(assessment, expected_version)
    with transaction.atomic(), acting_as(by):
        first_time = assessment.child_seen_on is None
        assessment.child_seen_on = seen_on
        assessment.child_seen_alone = seen_alone
        assessment.save(by=by)
        alone = {True: " (seen alone)", False: " (not seen alone)"}.get(seen_alone, "")  # type: ignore[arg-type]
        chronology_record(
            person=assessment.child, event_type=EventType.VISIT, occurred=seen_on,
            title=("Child seen for the assessment" if first_time else "Date child seen corrected") + alone,
            source=assessment, link=_assessment_link(assessment), by=by,
        )
    return assessment


def clean_factors(factors: list[str]) -> list[str]:
    """Census factor codes in list order; 21 ("no factors") stands alone (8869); no repeats."""
    codes = list(factors)
    unknown = [c for c in codes if c not in AssessmentFactor.values]
    if unknown:
        raise ValidationError({"factors": f"Not a factor code: {', '.join(unknown)}"})
    if len(set(codes)) != len(codes):
        raise ValidationError({"factors": "Each factor can be recorded only once"})
    if NO_FACTORS in codes and len(codes) > 1:
        raise ValidationError(
            {"factors": "Select “21: No factors identified” on its own, or the factors identified"}
        )
    order = {code: i for i, code in enumerate(AssessmentFactor.values)}
    return sorted(codes, key=order.__getitem__)


def assessment_conclusion_record(
    *, assessment: Assessment, factors: list[str], outcome: str, by: Any, expected_version: int | None = None
) -> Assessment:
    """Factors identified at the end of the assessment, and its outcome."""
    _require_editable(assessment)
    cleaned = clean_factors(factors)
    if outcome and outcome not in Assessment.Outcome.values:
        raise ValidationError({"outcome": "Select the outcome of the assessment"})
    _check_version(assessment, expected_version)
    with transaction.atomic(), acting_as(by):
        assessment.factors = cleaned
        assessment.outcome = outcome
        assessment.save(by=by)
    return assessment


def assessment_missing_for_submission(assessment: Assessment) -> list[str]:
    """What must be recorded before the assessment goes to a manager, in words."""
    missing = []
    if assessment.child_seen_on is None:
        missing.append("the date the child was seen")
    if not assessment.analysis.strip():
        missing.append(SECTION_TITLES["analysis"].lower())
    if not assessment.recommendation.strip():
        missing.append(SECTION_TITLES["recommendation"].lower())
    if not assessment.factors:
        missing.append("the factors identified")
    if not assessment.outcome:
        missing.append("the outcome")
    return missing


def assessment_submit(
    *, assessment: Assessment, submitted_on: date, by: Any, expected_version: int | None = None
) -> Assessment:
    """Send the assessment to a manager for authorisation."""
    _require_editable(assessment)
    refuse({"submitted_on": future_error(submitted_on, "The date")})
    missing = assessment_missing_for_submission(assessment)
    if missing:
        raise ValidationError("Before you submit the assessment, record " + _join(missing))
    if submitted_on < assessment.started_on:
        raise ValidationError({"submitted_on": "The date cannot be before the assessment started"})
    if assessment.child_seen_on is not None and submitted_on < assessment.child_seen_on:
        raise ValidationError({"submitted_on": f"The date cannot be before the child was seen "
                                               f"({long_date(assessment.child_seen_on)})"})
    _check_version(assessment, expected_version)
    with transaction.atomic(), acting_as(by):
        assessment.status = Assessment.Status.AWAITING_AUTHORISATION
        assessment.submitted_on = submitted_on
        assessment.returned_comment = ""
        assessment.save(by=by)
        chronology_record(
            person=assessment.child, event_type=EventType.ASSESSMENT, occurred=submitted_on,
            title="Assessment submitted for authorisation", source=assessment,
            link=_assessment_link(assessment), by=by,
        )
    return assessment


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def assessment_return(*, assessment: Assessment, comment: str, by: Any, expected_version: int | None = None
                      ) -> Assessment:
    """A manager sends the assessment back for more work, saying what is needed."""
    _require_manager(by, "return an assessment")
    if assessment.status != Assessment.Status.AWAITING_AUTHORISATION:
        raise ValidationError("Only an assessment waiting for authorisation can be returned")
    if not comment.strip():
        raise ValidationError({"comment": "Enter what needs to be done before it can be authorised"})
    _check_version(assessment, expected_version)
    with transaction.atomic(), acting_as(by):
        assessment.status = Assessment.Status.IN_PROGRESS
        assessment.returned_comment = comment.strip()
        assessment.save(by=by)
        chronology_record(
            person=assessment.child, event_type=EventType.ASSESSMENT, occurred=timezone.localdate(),
            title="Assessment returned for more work", summary=assessment.returned_comment[:500],
            source=assessment, link=_assessment_link(assessment), by=by,
        )
    return assessment


def assessment_authorise(
    *,
    assessment: Assessment,
    authorised_on: date,
    rationale: str,
    by: Any,
    late_reason: str = "",
    expected_version: int | None = None,
) -> Assessment:
    """A manager authorises the assessment: the census completion date.

    Records management oversight with the rationale, and stops the referral's 45-working-day
    clock (met, or missed with the reason it ran late).
    """
    _require_manager(by, "authorise an assessment")
    if assessment.worker_id is not None and assessment.worker_id == getattr(by, "pk", None):
        # Authorisation is oversight: it needs a second pair of eyes.
        raise PermissionDenied("Another manager must authorise an assessment you carried out yourself")
    if assessment.status == Assessment.Status.AUTHORISED:
        raise ValidationError("This assessment is already authorised")
    if assessment.status != Assessment.Status.AWAITING_AUTHORISATION:
        raise ValidationError("The social worker must submit the assessment before it can be authorised")
    refuse({"authorised_on": future_error(authorised_on, "The authorisation date")})
    if authorised_on < assessment.started_on:
        raise ValidationError(
            {"authorised_on": f"The authorisation date must be on or after the assessment started "
                              f"({long_date(assessment.started_on)})"}
        )
    if assessment.submitted_on is not None and authorised_on < assessment.submitted_on:
        raise ValidationError(
            {"authorised_on": f"The authorisation date must be on or after the assessment was submitted "
                              f"({long_date(assessment.submitted_on)})"}
        )
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter your rationale for authorising the assessment"})
    clock = _open_clock(assessment.episode, ASSESSMENT_RULE)
    if clock is not None and authorised_on > clock.due_on and not late_reason.strip():
        raise ValidationError(
            {"late_reason": f"The assessment was due by {long_date(clock.due_on)}. Enter why it took longer"}
        )
    _check_version(assessment, expected_version)
    with transaction.atomic(), acting_as(by):
        assessment.status = Assessment.Status.AUTHORISED
        assessment.authorised_on = authorised_on
        assessment.authorised_by = by
        assessment.full_clean()
        assessment.save(by=by)
        oversight_record(subject=assessment, decision_point=DecisionPoint.ASSESSMENT_AUTHORISATION,
                         rationale=rationale, child=assessment.child, by=by)
        if clock is not None:
            clock_stop(clock=clock, stopped_on=authorised_on, missed_reason=late_reason, by=by)
        chronology_record(
            person=assessment.child, event_type=EventType.ASSESSMENT, occurred=authorised_on,
            title="Assessment authorised", summary=f"Outcome: {assessment.get_outcome_display()}",
            source=assessment, link=_assessment_link(assessment), significant=True, by=by,
        )
    return assessment


# ------------------------------------------------------------------------------------------------ CIN plans


def _overlapping_cp_plan(child: Person, start: date) -> Any:
    """A CP plan running on or after ``start`` (census 4001): the new CIN plan has no end yet, so it would run
    alongside any CP plan not ended by then, even one starting later. A CP plan ending that day has stepped
    down: no overlap."""
    from hearth.protection.models import ChildProtectionPlan

    return (
        ChildProtectionPlan.objects.filter(child=child, local_authority_id=child.local_authority_id)
        .filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=start))
        .order_by("started_on", "id")
        .first()
    )


def cin_plan_start(*, episode: CINEpisode, started_on: date, by: Any, plan: str = "") -> CINPlan:
    """Start a child in need plan, and the local review clock (rule cin_plan_review)."""
    _require_open(episode, "start a child in need plan")
    refuse({"started_on": future_error(started_on, "The start date")})
    if started_on < episode.referral_date:
        raise ValidationError(
            {"started_on": f"The start date must be on or after the referral date ({long_date(episode.referral_date)})"}
        )
    child = episode.child
    cp_plan = _overlapping_cp_plan(child, started_on)
    if cp_plan is not None:
        running = "is on a child protection plan" if cp_plan.ended_on is None else "was on a child protection plan"
        raise ValidationError(
            {"started_on": f"{child.full_name} {running} from {long_date(cp_plan.started_on)}"
                           f"{' to ' + long_date(cp_plan.ended_on) if cp_plan.ended_on else ''}. A child in need "
                           "plan cannot run at the same time (census rule 4001): end the child protection plan "
                           "first, or start the plan on or after the day it ends"}
        )
    current = CINPlan.objects.filter(child=child, ended_on__isnull=True).first()
    if current is not None:
        raise ValidationError(f"{child.full_name} already has a child in need plan from "
                              f"{long_date(current.started_on)}")
    with transaction.atomic(), acting_as(by):
        cin_plan = CINPlan(local_authority_id=episode.local_authority_id, child=child, episode=episode,
                           started_on=started_on, plan=plan.strip())
        cin_plan.save(by=by)
        clock_start(child=child, rule_id=CIN_PLAN_REVIEW_RULE, started_on=started_on, subject=cin_plan,
                    assigned_to=_allocated_worker(child), by=by)
        chronology_record(
            person=child, event_type=EventType.PLAN, occurred=started_on, title="Child in need plan started",
            source=cin_plan, link=_plan_link(cin_plan), significant=True, by=by,
        )
    return cin_plan


def cin_plan_update(*, plan: CINPlan, text: str, by: Any, expected_version: int | None = None) -> CINPlan:
    if plan.ended_on is not None:
        raise ValidationError("This plan has ended and can no longer be changed")
    _check_version(plan, expected_version)
    with transaction.atomic(), acting_as(by):
        plan.plan = text.strip()
        plan.save(by=by)
    return plan


def _last_review(plan: CINPlan) -> date | None:
    return CINPlanReview.objects.filter(plan=plan).aggregate(d=Max("held_on"))["d"]


def cin_plan_review_record(*, plan: CINPlan, held_on: date, by: Any, summary: str = "") -> CINPlanReview:
    """Record a review; the next is due from this review's actual date."""
    if plan.ended_on is not None:
        raise ValidationError("This plan has ended; a review cannot be added")
    refuse({"held_on": future_error(held_on, "The review date")})
    if held_on < plan.started_on:
        raise ValidationError({"held_on": f"The review date must be on or after the plan started "
                                          f"({long_date(plan.started_on)})"})
    last = _last_review(plan)
    if last is not None and held_on < last:
        raise ValidationError({"held_on": f"The review date must be on or after the last review ({long_date(last)})"})
    with transaction.atomic(), acting_as(by):
        review = CINPlanReview(local_authority_id=plan.local_authority_id, plan=plan, held_on=held_on,
                               summary=summary.strip())
        review.save(by=by)
        clock = _open_clock(plan, CIN_PLAN_REVIEW_RULE)
        assigned = clock.assigned_to if clock is not None else _allocated_worker(plan.child)
        if clock is not None:
            clock_stop(clock=clock, stopped_on=held_on, by=by)
        clock_start(child=plan.child, rule_id=CIN_PLAN_REVIEW_RULE, started_on=held_on, subject=plan,
                    assigned_to=assigned, by=by)
        chronology_record(
            person=plan.child, event_type=EventType.REVIEW, occurred=held_on, title="Child in need plan review",
            summary=review.summary[:500], source=review, link=_plan_link(plan), by=by,
        )
    return review


def cin_plan_end(
    *, plan: CINPlan, ended_on: date, end_reason: str, by: Any, expected_version: int | None = None
) -> CINPlan:
    """End a child in need plan; its review clock no longer applies."""
    if plan.ended_on is not None:
        raise ValidationError(f"This plan already ended on {long_date(plan.ended_on)}")
    if end_reason not in CINPlan.EndReason.values:
        raise ValidationError({"end_reason": "Select why the plan is ending"})
    refuse({"ended_on": future_error(ended_on, "The end date")})
    if ended_on < plan.started_on:
        raise ValidationError({"ended_on": f"The end date must be on or after the plan started "
                                           f"({long_date(plan.started_on)})"})
    last = _last_review(plan)
    if last is not None and ended_on < last:
        raise ValidationError({"ended_on": f"The end date must be on or after the last review ({long_date(last)})"})
    _check_version(plan, expected_version)
    with transaction.atomic(), acting_as(by):
        plan.ended_on = ended_on
        plan.end_reason = end_reason
        plan.save(by=by)
        clock = _open_clock(plan, CIN_PLAN_REVIEW_RULE)
        if clock is not None:
            clock_cancel(clock=clock, by=by)
        chronology_record(
            person=plan.child, event_type=EventType.PLAN, occurred=ended_on, title="Child in need plan ended",
            summary=plan.get_end_reason_display(), source=plan, link=_plan_link(plan), significant=True, by=by,
        )
    return plan
