"""Writes for child protection: strategy discussions, section 47 enquiries, conferences, plans, core groups, visits.

Every service checks the sequence first (a plan only at a conference, a conference only after an
enquiry that found continuing risk, no dates in the future, no end before a start), then writes the
record, its chronology line and its clocks in one transaction. Refusals are ``ValidationError``s keyed
by the form field they are about, so the page can show them beside the field with the input kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.cin.codes import CategoryOfAbuse, ReferralSource
from hearth.cin.models import CINEpisode, CINPlan
from hearth.cin.services import cin_episode_open, cin_plan_end
from hearth.clocks.models import Clock
from hearth.clocks.services import clock_cancel, clock_start, clock_stop
from hearth.oversight.models import DecisionPoint
from hearth.oversight.selectors import oversight_gate_check
from hearth.workspace.dates import long_date
from hearth.workspace.refusals import refuse

from .models import (
    Agency,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    CPVisit,
    Section47Enquiry,
    StrategyDiscussion,
    TransferInNotice,
)

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.people.models import Person

# Working Together expects social care, police and health at every strategy discussion.
CORE_AGENCIES: tuple[str, ...] = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH)
PLAN_CLOCKS = ("core_group_first", "core_group_next", "rcpc_first", "rcpc_next", "cp_visit")
Conference = ChildProtectionConference


def _future(day: date) -> bool:
    return day > timezone.localdate()


def _open_clocks(subject: models.Model, rule_ids: Iterable[str]) -> list[Clock]:
    return list(
        Clock.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
            local_authority_id=subject.local_authority_id,  # type: ignore[attr-defined]
            status=Clock.Status.OPEN, rule_id__in=list(rule_ids),
        ).order_by("started_on", "id")
    )


def _stop(subject: models.Model, rule_ids: Iterable[str], on: date, by: Any) -> None:
    for clock in _open_clocks(subject, rule_ids):
        if on >= clock.started_on:
            clock_stop(clock=clock, stopped_on=on, by=by)


def _link(child: Person, tail: str = "") -> str:
    return f"/children/{child.pk}/protection/{tail}" if tail else f"/children/{child.pk}/cin/"


def missing_core_agencies(agencies: Iterable[str]) -> list[str]:
    """The labels of the agencies expected at a strategy discussion that were not there."""
    present = set(agencies)
    return [str(Agency(code).label) for code in CORE_AGENCIES if code not in present]


def open_episode_for(child: Person) -> CINEpisode | None:
    return CINEpisode.objects.filter(
        child=child, local_authority_id=child.local_authority_id, closed_on__isnull=True
    ).first()


# ---------------------------------------------------------------- strategy discussions and S47


def strategy_discussion_record(
    *,
    child: Person,
    held_on: date,
    agencies_present: Iterable[str],
    reason: str,
    decision: str,
    by: Any,
    attendees: str = "",
    immediate_safety_actions: str = "",
    episode: CINEpisode | None = None,
) -> StrategyDiscussion:
    """Record a strategy discussion; a decision to start a section 47 enquiry starts it (and the ICPC clock)."""
    agencies = list(dict.fromkeys(agencies_present))
    errors: dict[str, Any] = {}
    if _future(held_on):
        errors["held_on"] = "The date of the strategy discussion must be today or in the past"
    if any(code not in Agency.values for code in agencies):
        errors["agencies_present"] = "Choose agencies from the list"
    elif not agencies:
        errors["agencies_present"] = "Choose the agencies that took part"
    if not reason.strip():
        errors["reason"] = "Enter why there is reasonable cause to suspect significant harm"
    if decision not in StrategyDiscussion.Decision.values:
        errors["decision"] = "Choose what the strategy discussion decided"
    if episode is None:
        episode = open_episode_for(child)
    if episode is None or episode.child_id != child.pk or not episode.is_open:
        raise ValidationError(
            f"{child.full_name} is not open to children's social care. Record the contact and the referral at "
            "the front door first: a strategy discussion is held on an open referral."
        )
    if "held_on" not in errors and held_on < episode.referral_date:
        errors["held_on"] = ("The strategy discussion cannot be before the referral "
                             f"({long_date(episode.referral_date)})")
    open_s47 = Section47Enquiry.objects.filter(episode=episode, completed_on__isnull=True).first()
    if decision == StrategyDiscussion.Decision.START_S47 and open_s47 is not None:
        errors["decision"] = (f"A section 47 enquiry is already open (started {long_date(open_s47.started_on)}). "
                              "Choose to continue the existing enquiry")
    if decision == StrategyDiscussion.Decision.CONTINUE_S47 and open_s47 is None:
        errors["decision"] = "There is no open section 47 enquiry to continue. Choose to start one"
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        discussion = StrategyDiscussion(
            local_authority_id=child.local_authority_id, child=child, episode=episode, held_on=held_on,
            agencies_present=agencies, attendees=attendees.strip(), reason=reason.strip(),
            immediate_safety_actions=immediate_safety_actions.strip(), decision=decision,
        )
        discussion.save(by=by)
        missing = missing_core_agencies(agencies)
        present = ", ".join(str(Agency(code).label) for code in agencies)
        summary = f"Agencies present: {present}."
        if missing:
            summary += f" Not present: {', '.join(missing)}."
        chronology_record(
            person=child, event_type=EventType.STRATEGY_DISCUSSION, occurred=held_on,
            title=f"Strategy discussion: {discussion.get_decision_display()}", summary=summary,
            source=discussion, link=_link(child), significant=True, by=by,
        )
        if decision == StrategyDiscussion.Decision.START_S47:
            s47_start(strategy_discussion=discussion, started_on=held_on, by=by)
    return discussion


def s47_start(*, strategy_discussion: StrategyDiscussion, started_on: date, by: Any) -> Section47Enquiry:
    """Start the enquiry a strategy discussion decided on, and the ICPC clock from that discussion."""
    discussion = strategy_discussion
    if discussion.decision != StrategyDiscussion.Decision.START_S47:
        raise ValidationError("A section 47 enquiry starts only from a strategy discussion that decided to start one")
    errors: dict[str, Any] = {}
    if _future(started_on):
        errors["started_on"] = "The start of the section 47 enquiry must be today or in the past"
    elif started_on < discussion.held_on:
        errors["started_on"] = (f"The section 47 enquiry cannot start before the strategy discussion "
                                f"({long_date(discussion.held_on)})")
    refuse(errors)
    if discussion.s47_enquiries.exists():
        raise ValidationError("This strategy discussion has already started a section 47 enquiry")
    if not discussion.episode.is_open:
        raise ValidationError("The referral this strategy discussion belongs to is closed")
    open_s47 = Section47Enquiry.objects.filter(episode=discussion.episode, completed_on__isnull=True).first()
    if open_s47 is not None:
        raise ValidationError(f"A section 47 enquiry is already open (started {long_date(open_s47.started_on)})")
    child = discussion.child
    with transaction.atomic(), acting_as(by):
        enquiry = Section47Enquiry(
            local_authority_id=discussion.local_authority_id, child=child, episode=discussion.episode,
            strategy_discussion=discussion, started_on=started_on,
        )
        enquiry.save(by=by)
        # Working Together runs the ICPC clock from the strategy discussion, not the enquiry's start.
        clock_start(child=child, rule_id="icpc", started_on=discussion.held_on, subject=enquiry, by=by)
        chronology_record(
            person=child, event_type=EventType.S47, occurred=started_on, title="Section 47 enquiry started",
            source=enquiry, link=_link(child, f"s47/{enquiry.pk}/"), significant=True, by=by,
        )
    return enquiry


def s47_complete(
    *, enquiry: Section47Enquiry, completed_on: date, outcome: str, findings: str, by: Any
) -> Section47Enquiry:
    """Record the enquiry's outcome; without continuing risk the ICPC clock stops as "ICPC not required"."""
    if enquiry.completed_on is not None:
        raise ValidationError(f"This enquiry's outcome was already recorded on {long_date(enquiry.completed_on)}")
    errors: dict[str, Any] = {}
    if outcome not in Section47Enquiry.Outcome.values:
        errors["outcome"] = "Choose the outcome of the enquiry"
    if _future(completed_on):
        errors["completed_on"] = "The date the enquiry was completed must be today or in the past"
    elif completed_on < enquiry.started_on:
        errors["completed_on"] = ("The enquiry cannot be completed before it started "
                                  f"({long_date(enquiry.started_on)})")
    if not findings.strip():
        errors["findings"] = "Enter what the enquiry found"
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        enquiry.completed_on = completed_on
        enquiry.outcome = outcome
        enquiry.findings = findings.strip()
        enquiry.icpc_required = outcome == Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK
        enquiry.save(by=by)
        if not enquiry.icpc_required:
            _stop(enquiry, ["icpc"], completed_on, by)
        chronology_record(
            person=enquiry.child, event_type=EventType.S47, occurred=completed_on,
            title="Section 47 enquiry completed: " + ("initial conference needed" if enquiry.icpc_required
                                                      else "no initial conference needed"),
            summary=enquiry.get_outcome_display(), source=enquiry,
            link=_link(enquiry.child, f"s47/{enquiry.pk}/"), significant=True, by=by,
        )
    return enquiry


# ---------------------------------------------------------------- transfer in


def transfer_in_notify(
    *, child: Person, notified_on: date, previous_authority: str, by: Any
) -> TransferInNotice:
    """A child on another council's plan has moved here: the transfer-in conference clock starts."""
    errors: dict[str, Any] = {}
    if _future(notified_on):
        errors["notified_on"] = "The date you were told must be today or in the past"
    if not previous_authority.strip():
        errors["previous_authority"] = "Enter the council whose plan the child is on"
    refuse(errors)
    if open_plan_for(child) is not None:
        raise ValidationError(f"{child.full_name} is already on a child protection plan here")
    if TransferInNotice.objects.filter(child=child, conference__isnull=True).exists():
        raise ValidationError("A transfer in is already waiting for its conference")
    with transaction.atomic(), acting_as(by):
        episode = open_episode_for(child)
        if episode is None:
            # The front door opens a referral first; a transfer in comes from another council (source 5C).
            episode = cin_episode_open(child=child, referral_date=notified_on,
                                       referral_source=ReferralSource.LA_EXTERNAL, by=by)
        notice = TransferInNotice(
            local_authority_id=child.local_authority_id, child=child, episode=episode, notified_on=notified_on,
            previous_authority=previous_authority.strip(),
        )
        notice.save(by=by)
        clock_start(child=child, rule_id="transfer_in_conference", started_on=notified_on, subject=notice, by=by)
        chronology_record(
            person=child, event_type=EventType.PLAN, occurred=notified_on,
            title="Moved here on another council's child protection plan",
            summary=f"Previous council: {notice.previous_authority}", source=notice, link=_link(child),
            significant=True, by=by,
        )
    return notice


# ---------------------------------------------------------------- conferences


def open_plan_for(child: Person) -> ChildProtectionPlan | None:
    return ChildProtectionPlan.objects.filter(
        child=child, local_authority_id=child.local_authority_id, ended_on__isnull=True
    ).first()


def _chair_error(chair: Any, child: Person) -> str | None:
    if (chair is None or getattr(chair, "role", None) != Role.IRO
            or chair.local_authority_id != child.local_authority_id or not chair.is_active):
        return "Choose the chair: an independent child protection chair (IRO) in this council"
    return None


_OUTCOMES: dict[str, tuple[str, str]] = {
    Conference.Kind.INITIAL: (Conference.Outcome.PLAN, Conference.Outcome.NO_PLAN),
    Conference.Kind.TRANSFER_IN: (Conference.Outcome.PLAN, Conference.Outcome.NO_PLAN),
    Conference.Kind.REVIEW: (Conference.Outcome.PLAN_CONTINUES, Conference.Outcome.PLAN_ENDS),
}


def _initial_enquiry(child: Person, section47: Section47Enquiry | None) -> Section47Enquiry:
    if section47 is None:
        section47 = (
            Section47Enquiry.objects.filter(child=child, local_authority_id=child.local_authority_id,
                                            icpc_required=True)
            .exclude(conferences__kind=Conference.Kind.INITIAL)
            .order_by("-completed_on", "-id").first()
        )
    if section47 is None or section47.child_id != child.pk:
        open_s47 = Section47Enquiry.objects.filter(child=child, completed_on__isnull=True).exists()
        raise ValidationError(
            "Record the outcome of the section 47 enquiry first: an initial conference follows an enquiry "
            "that found the child at continuing risk" if open_s47 else
            "An initial conference follows a section 47 enquiry that found the child at continuing risk. "
            "There is no such enquiry for this child: record the strategy discussion and enquiry first"
        )
    if section47.completed_on is None:
        raise ValidationError("Record the outcome of the section 47 enquiry first: an initial conference follows "
                              "an enquiry that found the child at continuing risk")
    if not section47.icpc_required:
        raise ValidationError("This section 47 enquiry did not find the child at continuing risk, so no initial "
                              "conference is needed")
    if section47.conferences.filter(kind=Conference.Kind.INITIAL).exists():
        raise ValidationError("The initial conference for this enquiry is already recorded")
    return section47


def conference_record(
    *,
    kind: str,
    child: Person,
    held_on: date,
    chair: User | None,
    outcome: str,
    by: Any,
    category: str = "",
    section47: Section47Enquiry | None = None,
    cp_plan: ChildProtectionPlan | None = None,
    notified_on: date | None = None,
    previous_authority: str = "",
    attendees: str = "",
    summary_of_concerns: str = "",
    decisions_and_reasons: str = "",
    family_summary: str = "",
    end_reason: str = "",
    outline_plan: str = "",
    visit_interval_days: int | None = None,
) -> ChildProtectionConference:
    """Record an initial, review or transfer-in conference and do what it decided.

    Initial and transfer-in conferences deciding on a plan start it the same day; a review either
    continues the plan (the next review is due 6 months from this one) or ends it.
    """
    if kind not in Conference.Kind.values:
        raise ValidationError("Choose the kind of conference")
    errors: dict[str, Any] = {}
    if _future(held_on):
        errors["held_on"] = "The date of the conference must be today or in the past"
    elif held_on.weekday() >= 5:
        errors["held_on"] = (f"{long_date(held_on)} is a {held_on:%A}. A conference is held on a weekday "
                             "(census rule 8875): check the date")
    chair_error = _chair_error(chair, child)
    if chair_error:
        errors["chair"] = chair_error
    if outcome not in _OUTCOMES[kind]:
        errors["outcome"] = "Choose the outcome of the conference"
    if category and category not in CategoryOfAbuse.values:
        errors["category"] = "Choose a category of abuse from the list"
    elif outcome == Conference.Outcome.PLAN and not category:
        errors["category"] = "Choose the category of abuse for the plan"
    if outcome == Conference.Outcome.PLAN_ENDS and end_reason not in ChildProtectionPlan.EndReason.values:
        errors["end_reason"] = "Choose why the plan ends"
    plan: ChildProtectionPlan | None = None
    notice: TransferInNotice | None = None
    episode: CINEpisode | None = None
    if kind == Conference.Kind.INITIAL:
        section47 = _initial_enquiry(child, section47)
        episode = section47.episode
        if "held_on" not in errors and held_on < section47.started_on:
            errors["held_on"] = (f"The conference cannot be before the section 47 enquiry started "
                                 f"({long_date(section47.started_on)})")
        elif "held_on" not in errors and section47.completed_on and held_on < section47.completed_on:
            # The conference follows the enquiry's finding of continuing risk, never comes before it.
            errors["held_on"] = (f"The conference cannot be before the section 47 enquiry found the child at "
                                 f"continuing risk ({long_date(section47.completed_on)})")
        if open_plan_for(child) is not None:
            raise ValidationError(f"{child.full_name} is already on a child protection plan: record a review "
                                  "conference instead")
    elif kind == Conference.Kind.REVIEW:
        plan = cp_plan or open_plan_for(child)
        if plan is None or plan.child_id != child.pk or plan.ended_on is not None:
            raise ValidationError(f"{child.full_name} has no open child protection plan to review")
        episode = plan.episode
        previous = plan.conferences.order_by("-held_on", "-id").first()
        last_held = previous.held_on if previous is not None else plan.started_on
        if "held_on" not in errors and held_on <= last_held:
            errors["held_on"] = f"The review must be after the previous conference ({long_date(last_held)})"
        last_event = _last_plan_event(plan) if outcome == Conference.Outcome.PLAN_ENDS else None
        if "held_on" not in errors and last_event is not None and held_on < last_event[0]:
            errors["held_on"] = (f"A review that ends the plan cannot be before the last {last_event[1]} recorded "
                                 f"on it ({long_date(last_event[0])})")
    else:
        if open_plan_for(child) is not None:
            raise ValidationError(f"{child.full_name} is already on a child protection plan here")
        notice = TransferInNotice.objects.filter(child=child, conference__isnull=True).first()
        if notice is None:
            if notified_on is None:
                errors["notified_on"] = "Enter the date you were told the child had moved here"
            if not previous_authority.strip():
                errors["previous_authority"] = "Enter the council whose plan the child is on"
        else:
            notified_on = notice.notified_on
            previous_authority = previous_authority.strip() or notice.previous_authority
        if notified_on is not None and "held_on" not in errors and held_on < notified_on:
            errors["held_on"] = ("The conference cannot be before you were told the child had moved "
                                 f"({long_date(notified_on)})")
        if notified_on is not None and _future(notified_on):
            errors["notified_on"] = "The date you were told must be today or in the past"
    refuse(errors)
    if kind == Conference.Kind.INITIAL and section47 is not None:
        oversight_gate_check(subject=section47, decision_point=DecisionPoint.S47_OUTCOME,
                             next_step="record the initial child protection conference")
    if outcome == Conference.Outcome.PLAN_ENDS and plan is not None:
        oversight_gate_check(subject=plan, decision_point=DecisionPoint.CP_PLAN_END,
                             next_step="end the child protection plan")
    assert chair is not None
    with transaction.atomic(), acting_as(by):
        if kind == Conference.Kind.TRANSFER_IN and notice is None:
            assert notified_on is not None
            notice = transfer_in_notify(child=child, notified_on=notified_on,
                                        previous_authority=previous_authority, by=by)
        if notice is not None:
            episode = notice.episode
        assert episode is not None
        conference = Conference(
            local_authority_id=child.local_authority_id, child=child, episode=episode, kind=kind,
            section47=section47 if kind == Conference.Kind.INITIAL else None, cp_plan=plan,
            notified_on=notified_on if kind == Conference.Kind.TRANSFER_IN else None,
            previous_authority=previous_authority.strip() if kind == Conference.Kind.TRANSFER_IN else "",
            held_on=held_on, chair=chair, attendees=attendees.strip(), outcome=outcome, category=category,
            summary_of_concerns=summary_of_concerns.strip(), decisions_and_reasons=decisions_and_reasons.strip(),
            family_summary=family_summary.strip(),
        )
        conference.save(by=by)
        chronology_record(
            person=child, event_type=EventType.CONFERENCE, occurred=held_on,
            title=f"{conference.get_kind_display()}: {conference.get_outcome_display().lower()}",
            summary=(f"Category: {conference.get_category_display()}" if category else ""),
            source=conference, link=_link(child, f"conferences/{conference.pk}/"), significant=True, by=by,
        )
        if kind == Conference.Kind.INITIAL:
            assert section47 is not None
            _stop(section47, ["icpc"], held_on, by)
        elif kind == Conference.Kind.TRANSFER_IN:
            assert notice is not None
            notice.conference = conference
            notice.save(by=by)
            _stop(notice, ["transfer_in_conference"], held_on, by)
        if outcome == Conference.Outcome.PLAN:
            cp_plan_start(child=child, conference=conference, category=category, by=by,
                          outline_plan=outline_plan, family_summary=family_summary,
                          visit_interval_days=visit_interval_days)
        elif kind == Conference.Kind.REVIEW:
            assert plan is not None
            _stop(plan, ["rcpc_first", "rcpc_next"], held_on, by)
            if outcome == Conference.Outcome.PLAN_CONTINUES:
                if category and category != plan.latest_category:
                    plan.latest_category = category
                    plan.save(by=by)
                # Reviews repeat from the actual date of this one, never from its due date.
                clock_start(child=child, rule_id="rcpc_next", started_on=held_on, subject=plan, by=by)
            else:
                cp_plan_end(plan=plan, ended_on=held_on, reason=end_reason, by=by)
    return conference


# ---------------------------------------------------------------- plans


def _visit_clock_start(plan: ChildProtectionPlan, started_on: date, by: Any) -> Clock:
    # The plan may set its own visiting frequency, ahead of the council's.
    interval = (plan.visit_interval_days, "working_days") if plan.visit_interval_days else None
    return clock_start(child=plan.child, rule_id="cp_visit", started_on=started_on, subject=plan,
                       interval=interval, by=by)


def cp_plan_start(
    *,
    child: Person,
    conference: ChildProtectionConference | None,
    category: str,
    by: Any,
    outline_plan: str = "",
    family_summary: str = "",
    visit_interval_days: int | None = None,
) -> ChildProtectionPlan:
    """Start a plan on the day of the conference that decided it (census 2885); a plan never starts without one."""
    if conference is None or conference.pk is None:
        raise ValidationError("A child protection plan starts only at a conference: record the initial or "
                              "transfer-in conference first")
    if (conference.child_id != child.pk or conference.outcome != Conference.Outcome.PLAN
            or conference.kind == Conference.Kind.REVIEW):
        raise ValidationError("A child protection plan starts only at an initial or transfer-in conference that "
                              "decided on a plan for this child")
    if category not in CategoryOfAbuse.values:
        raise ValidationError({"category": "Choose the category of abuse for the plan"})
    if visit_interval_days is not None and visit_interval_days < 1:
        raise ValidationError({"visit_interval_days": "Visits must be at least 1 working day apart"})
    if ChildProtectionPlan.objects.filter(conferences=conference).exists():
        raise ValidationError("This conference has already started a plan")
    if open_plan_for(child) is not None:
        raise ValidationError(f"{child.full_name} is already on a child protection plan")
    started_on = conference.held_on
    earlier = ChildProtectionPlan.objects.filter(child=child, local_authority_id=child.local_authority_id)
    latest_end = earlier.aggregate(latest=models.Max("ended_on"))["latest"]
    if latest_end is not None and started_on < latest_end:
        raise ValidationError(f"A plan cannot start before the last plan ended ({long_date(latest_end)})")
    cin_plan = CINPlan.objects.filter(child=child, ended_on__isnull=True).first()
    if cin_plan is not None and cin_plan.started_on > started_on:
        raise ValidationError(f"The child in need plan started on {long_date(cin_plan.started_on)}, after this "
                              "conference")
    previous = earlier.filter(started_on__lte=started_on).count()
    if conference.kind == Conference.Kind.TRANSFER_IN:
        previous += 1  # the other council's plan the child moved here on
    with transaction.atomic(), acting_as(by):
        if cin_plan is not None:
            # A child in need plan and a CP plan never run together (4001): stepping up ends the CIN plan.
            cin_plan_end(plan=cin_plan, ended_on=started_on, end_reason=CINPlan.EndReason.STEPPED_UP_CP, by=by)
        plan = ChildProtectionPlan(
            local_authority_id=child.local_authority_id, child=child, episode=conference.episode,
            started_on=started_on, initial_category=category, latest_category=category,
            previous_plans=previous, outline_plan=outline_plan.strip(), family_summary=family_summary.strip(),
            visit_interval_days=visit_interval_days,
        )
        plan.save(by=by)
        conference.cp_plan = plan
        conference.save(by=by)
        clock_start(child=child, rule_id="core_group_first", started_on=started_on, subject=plan, by=by)
        clock_start(child=child, rule_id="rcpc_first", started_on=started_on, subject=plan, by=by)
        _visit_clock_start(plan, started_on, by)
        chronology_record(
            person=child, event_type=EventType.PLAN, occurred=started_on,
            title="Child protection plan started" + (": second or subsequent plan" if plan.is_repeat else ""),
            summary=f"Category: {plan.get_initial_category_display()}", source=plan,
            link=_link(child, f"plans/{plan.pk}/"), significant=True, by=by,
        )
    return plan


def cp_plan_update(
    *, plan: ChildProtectionPlan, outline_plan: str, family_summary: str, visit_interval_days: int | None, by: Any
) -> ChildProtectionPlan:
    """Change the written plan or its visiting frequency; a new frequency moves the next visit's due date."""
    if plan.ended_on is not None:
        raise ValidationError("This plan has ended and can no longer be changed")
    if visit_interval_days is not None and visit_interval_days < 1:
        raise ValidationError({"visit_interval_days": "Visits must be at least 1 working day apart"})
    with transaction.atomic(), acting_as(by):
        frequency_changed = plan.visit_interval_days != visit_interval_days
        plan.outline_plan = outline_plan.strip()
        plan.family_summary = family_summary.strip()
        plan.visit_interval_days = visit_interval_days
        plan.save(by=by)
        if frequency_changed:
            for clock in _open_clocks(plan, ["cp_visit"]):
                clock_cancel(clock=clock, by=by)
                _visit_clock_start(plan, clock.started_on, by)
    return plan


def _last_plan_event(plan: ChildProtectionPlan) -> tuple[date, str] | None:
    """The latest core group, visit or review conference on the plan, and what it was."""
    found = [
        (CoreGroupMeeting.objects.filter(cp_plan=plan).aggregate(d=models.Max("held_on"))["d"], "core group meeting"),
        (CPVisit.objects.filter(cp_plan=plan).aggregate(d=models.Max("visited_on"))["d"], "visit"),
        (plan.conferences.filter(kind=Conference.Kind.REVIEW).aggregate(d=models.Max("held_on"))["d"],
         "review conference"),
    ]
    known = [(day, what) for day, what in found if day is not None]
    return max(known) if known else None


def cp_plan_end(*, plan: ChildProtectionPlan, ended_on: date, reason: str, by: Any) -> ChildProtectionPlan:
    """End a plan: its open clocks are cancelled (the plan closed without them)."""
    if plan.ended_on is not None:
        raise ValidationError(f"This plan already ended on {long_date(plan.ended_on)}")
    errors: dict[str, Any] = {}
    if reason not in ChildProtectionPlan.EndReason.values:
        errors["reason"] = "Choose why the plan is ending"
    if _future(ended_on):
        errors["ended_on"] = "The end date must be today or in the past"
    elif ended_on < plan.started_on:
        errors["ended_on"] = f"The plan cannot end before it started ({long_date(plan.started_on)})"
    else:
        last = _last_plan_event(plan)
        if last is not None and ended_on < last[0]:
            errors["ended_on"] = f"The plan cannot end before the last {last[1]} recorded on it ({long_date(last[0])})"
    refuse(errors)
    oversight_gate_check(subject=plan, decision_point=DecisionPoint.CP_PLAN_END,
                         next_step="end the child protection plan")
    with transaction.atomic(), acting_as(by):
        plan.ended_on = ended_on
        plan.end_reason = reason
        plan.save(by=by)
        for clock in _open_clocks(plan, PLAN_CLOCKS):
            clock_cancel(clock=clock, by=by)
        chronology_record(
            person=plan.child, event_type=EventType.PLAN, occurred=ended_on, title="Child protection plan ended",
            summary=plan.get_end_reason_display(), source=plan, link=_link(plan.child, f"plans/{plan.pk}/"),
            significant=True, by=by,
        )
    return plan


def _open_plan_event_checks(plan: ChildProtectionPlan, on: date, field: str, noun: str) -> None:
    if plan.ended_on is not None:
        raise ValidationError(f"This plan ended on {long_date(plan.ended_on)}")
    if _future(on):
        raise ValidationError({field: f"The date of the {noun} must be today or in the past"})
    if on < plan.started_on:
        raise ValidationError({field: f"The {noun} cannot be before the plan started ({long_date(plan.started_on)})"})


def core_group_record(
    *, plan: ChildProtectionPlan, held_on: date, by: Any, attendees: str = "", progress: str = ""
) -> CoreGroupMeeting:
    """A core group meeting stops the open core group clock; the next is due from this one's actual date."""
    _open_plan_event_checks(plan, held_on, "held_on", "core group meeting")
    with transaction.atomic(), acting_as(by):
        meeting = CoreGroupMeeting(local_authority_id=plan.local_authority_id, cp_plan=plan, held_on=held_on,
                                   attendees=attendees.strip(), progress=progress.strip())
        meeting.save(by=by)
        open_clocks = _open_clocks(plan, ["core_group_first", "core_group_next"])
        latest_start = max((c.started_on for c in open_clocks), default=None)
        if latest_start is None or held_on >= latest_start:
            for clock in open_clocks:
                clock_stop(clock=clock, stopped_on=held_on, by=by)
            clock_start(child=plan.child, rule_id="core_group_next", started_on=held_on, subject=plan, by=by)
        chronology_record(
            person=plan.child, event_type=EventType.PLAN, occurred=held_on, title="Core group meeting",
            summary=meeting.progress[:300], source=meeting, link=_link(plan.child, f"plans/{plan.pk}/"), by=by,
        )
    return meeting


def cp_visit_record(
    *,
    plan: ChildProtectionPlan,
    visited_on: date,
    child_seen: bool,
    child_seen_alone: bool,
    by: Any,
    observations: str = "",
) -> CPVisit:
    """A statutory visit: only a visit where the child was seen stops the visit clock and restarts it."""
    _open_plan_event_checks(plan, visited_on, "visited_on", "visit")
    if child_seen_alone and not child_seen:
        raise ValidationError({"child_seen_alone": "The child cannot be seen alone if they were not seen"})
    with transaction.atomic(), acting_as(by):
        visit = CPVisit(
            local_authority_id=plan.local_authority_id, cp_plan=plan, child=plan.child, visited_on=visited_on,
            child_seen=child_seen, child_seen_alone=child_seen_alone, visited_by=by,
            observations=observations.strip(),
        )
        visit.save(by=by)
        if child_seen:
            open_clocks = _open_clocks(plan, ["cp_visit"])
            # A visit recorded late, before the current clock started, leaves that clock alone.
            if all(visited_on >= c.started_on for c in open_clocks):
                for clock in open_clocks:
                    clock_stop(clock=clock, stopped_on=visited_on, by=by)
                _visit_clock_start(plan, visited_on, by)
        seen = "seen alone" if child_seen_alone else ("seen" if child_seen else "not seen")
        chronology_record(
            person=plan.child, event_type=EventType.VISIT, occurred=visited_on,
            title=f"Child protection visit: child {seen}", summary=visit.observations[:300], source=visit,
            link=_link(plan.child, f"plans/{plan.pk}/"), by=by,
        )
    return visit
