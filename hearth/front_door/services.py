"""Writes for the front door. Each is one transaction with its audit rows and chronology lines."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearth.accounts.roles import MANAGER_ROLES
from hearth.audit.actor import acting_as
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.cin.codes import ReferralSource
from hearth.clocks.models import Clock, holiday_set
from hearth.clocks.registry import due
from hearth.clocks.services import clock_start, clock_stop, recompute_hook
from hearth.clocks.working_days import LONDON
from hearth.oversight.models import DecisionPoint
from hearth.oversight.selectors import gate_is_on
from hearth.oversight.services import oversight_record

from .models import Contact, EarlyHelpEpisode, MysteryShopperCheck

if TYPE_CHECKING:
    from hearth.accounts.models import Team, User
    from hearth.cin.models import CINEpisode
    from hearth.people.models import Person
    from hearth.tenancy.models import LocalAuthority


def contact_decision_due(received_at: datetime, holidays: frozenset[date] | None = None) -> Any:
    """The statutory 1-working-day decision date; day 0 is the (London) day the contact arrived."""
    return due("referral_decision", received_at.astimezone(LONDON).date(),
               holidays=holiday_set() if holidays is None else holidays)


@recompute_hook
def contact_decision_due_recompute(*, by: Any, local_authority: Any, holidays: frozenset[date]) -> int:
    """After a calendar change: move the decision date of every contact still awaiting a decision."""
    waiting = Contact.objects.exclude(status=Contact.Status.DECIDED)
    if local_authority is not None:
        waiting = waiting.filter(local_authority=local_authority)
    moved = 0
    with transaction.atomic(), acting_as(by):
        for contact in waiting.iterator(chunk_size=500):
            due_on = contact_decision_due(contact.received_at, holidays)
            if due_on != contact.decision_due_on:
                contact.decision_due_on = due_on
                contact.save(by=by)
                moved += 1
    return moved


def _next_reference(local_authority: LocalAuthority, received_at: datetime) -> str:
    year = received_at.astimezone(LONDON).year
    prefix = f"C-{year}-"
    latest = (
        Contact.objects.filter(local_authority=local_authority, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(latest.removeprefix(prefix)) + 1 if latest else 1
    return f"{prefix}{number:06d}"


def contact_receive(
    *,
    local_authority: LocalAuthority,
    received_at: datetime,
    channel: str,
    source: str,
    concerns: str,
    consent: str,
    by: Any,
    child: Person | None = None,
    child_details: dict[str, Any] | None = None,
    consent_notes: str = "",
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_role: str = "",
    referrer_phone: str = "",
    referrer_email: str = "",
) -> Contact:
    """Record a contact as it arrives and start its decision clock.

    ``received_at`` is when it reached the council (not when it was typed); it cannot be in
    the future. The reference is the next in the council's yearly sequence.
    """
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=LONDON)
    if received_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"received_at": "The date and time received cannot be in the future"})
    if not concerns.strip():
        raise ValidationError({"concerns": "Enter the concerns about the child"})
    if child is not None and child.local_authority_id != local_authority.pk:
        raise ValidationError("This child belongs to another council")
    for attempt in range(3):
        try:
            with transaction.atomic(), acting_as(by):
                contact = Contact(
                    local_authority=local_authority,
                    reference=_next_reference(local_authority, received_at),
                    received_at=received_at,
                    channel=channel,
                    source=source,
                    concerns=concerns.strip(),
                    consent=consent,
                    consent_notes=consent_notes.strip(),
                    child=child,
                    child_details=child_details or {},
                    decision_due_on=contact_decision_due(received_at),
                    referrer_name=referrer_name.strip(),
                    referrer_organisation=referrer_organisation.strip(),
                    referrer_role=referrer_role.strip(),
                    referrer_phone=referrer_phone.strip(),
                    referrer_email=referrer_email.strip(),
                    created_by=None if isinstance(by, str) else by,
                )
                contact.full_clean(exclude=["reference"])
                contact.save(by=by)
                if child is not None:
                    contact_record_in_chronology(contact=contact, by=by)
                    _decision_clock_start(contact=contact, by=by)
                return contact
        except IntegrityError:
            # Two contacts took the same number at once (PostgreSQL); take the next one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def contact_record_in_chronology(*, contact: Contact, by: Any) -> None:
    """The chronology line for a contact, once the child is known."""
    assert contact.child is not None
    who = contact.referrer_organisation or contact.get_source_display().split(": ", 1)[-1]
    chronology_record(
        person=contact.child,
        event_type=EventType.CONTACT,
        occurred=contact.received_at,
        title=f"Contact {contact.reference} from {who}",
        summary=contact.concerns[:500],
        source=contact,
        link=f"/front-door/contacts/{contact.pk}/",
        by=by,
    )


# ---------------------------------------------------------------- the decision clock


def _received_on(contact: Contact) -> date:
    return contact.received_at.astimezone(LONDON).date()


def _decision_clock_start(*, contact: Contact, by: Any) -> None:
    """The child's statutory clock for this contact, once the child is known (it sits in their record)."""
    assert contact.child is not None
    clock_start(child=contact.child, rule_id="referral_decision", started_on=_received_on(contact),
                subject=contact, by=by)


def _decision_clock_stop(*, contact: Contact, stopped_on: date, by: Any) -> None:
    clock = Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(Contact), subject_id=contact.pk,
        rule_id="referral_decision", status=Clock.Status.OPEN, local_authority_id=contact.local_authority_id,
    ).first()
    if clock is not None:
        clock_stop(clock=clock, stopped_on=stopped_on, by=by)


def _refuse_if_decided(contact: Contact) -> None:
    if contact.is_decided:
        raise ValidationError("This contact has been decided. A decided contact cannot be changed.")


# ---------------------------------------------------------------- who the child is


def contact_link_child(*, contact: Contact, child: Person, by: Any) -> Contact:
    """Say which child a contact is about; the contact then appears in the child's chronology and clocks."""
    _refuse_if_decided(contact)
    if contact.child_id is not None:
        if contact.child_id == child.pk:
            return contact
        raise ValidationError("This contact is already linked to a child")
    if child.local_authority_id != contact.local_authority_id:
        raise ValidationError("This child belongs to another council")
    if child.merged_into_id is not None:
        raise ValidationError("This record was merged into another; choose the record it was merged into")
    with transaction.atomic(), acting_as(by):
        contact.child = child
        contact.save(by=by)
        contact_record_in_chronology(contact=contact, by=by)
        _decision_clock_start(contact=contact, by=by)
    return contact


def contact_create_child(
    *, contact: Contact, by: Any, address: dict[str, Any] | None = None, **details: Any
) -> Person:
    """A new record for the child a contact is about (after the likely matches were looked at), linked to it."""
    from hearth.people.services import person_create

    _refuse_if_decided(contact)
    if contact.child_id is not None:
        raise ValidationError("This contact is already linked to a child")
    with transaction.atomic():
        person = person_create(local_authority=contact.local_authority, by=by, address=address, **details)
        contact_link_child(contact=contact, child=person, by=by)
    return person


# ---------------------------------------------------------------- screening and decision


def contact_screen(*, contact: Contact, priority: str, notes: str, by: Any) -> Contact:
    """Screening: the RAG priority and what was found. It can be revised until the decision."""
    _refuse_if_decided(contact)
    if priority not in Contact.Priority.values:
        raise ValidationError({"priority": "Choose the priority: red, amber or green"})
    with transaction.atomic(), acting_as(by):
        first = contact.status == Contact.Status.RECEIVED
        contact.priority = priority
        contact.screening_notes = notes.strip()
        contact.status = Contact.Status.SCREENING
        contact.screened_by = None if isinstance(by, str) else by
        if contact.screening_started_at is None:
            contact.screening_started_at = timezone.now()
        contact.save(by=by)
        if contact.child is not None and first:
            chronology_record(
                person=contact.child, event_type=EventType.CONTACT, occurred=contact.screening_started_at,
                title=f"Contact {contact.reference} screened: {contact.get_priority_display()}",
                summary=contact.screening_notes[:500], source=contact,
                link=f"/front-door/contacts/{contact.pk}/", by=by,
            )
    return contact


def may_decide(*, contact: Contact, user: Any) -> bool:
    """Whether this user may record the decision: a manager when the council's gate is on, else any case worker."""
    if not getattr(user, "has_case_access", False) or user.local_authority_id != contact.local_authority_id:
        return False
    if gate_is_on(local_authority=contact.local_authority_id, decision_point=DecisionPoint.CONTACT_DECISION):
        return user.role in MANAGER_ROLES
    return True


def contact_decide(
    *,
    contact: Contact,
    decision: str,
    rationale: str,
    by: User,
    team: Team | None = None,
    primary_need: str = "",
    add_to_open_case: bool = False,
) -> Contact:
    """Record the decision on a contact, once, with what follows from it in the same transaction.

    Early help opens an early help episode; a referral or a strategy discussion opens a CIN
    episode (a strategy discussion about a child already open uses the open case). A contact
    about a child already open to children's social care is not a new referral: with
    ``add_to_open_case`` it is decided as information and advice recorded on the open case.
    When the council's gate is on only a manager decides, and the rationale becomes the
    management oversight entry. ``contact.version`` must be the version the decider saw.
    """
    from hearth.cin.models import CINEpisode
    from hearth.cin.services import cin_episode_open

    _refuse_if_decided(contact)
    if add_to_open_case:
        decision = Contact.Decision.INFORMATION_AND_ADVICE
    if decision not in Contact.Decision.values:
        raise ValidationError({"decision": "Choose the decision"})
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the rationale for the decision"})
    child = contact.child
    if child is None:
        raise ValidationError("Find or add the child before recording the decision: a decision is about a "
                              "known child")
    if not may_decide(contact=contact, user=by):
        raise PermissionDenied("Only a manager can decide contacts in this council")
    if team is not None and team.local_authority_id != contact.local_authority_id:
        raise ValidationError({"team": "Choose a team in this council"})
    gate = gate_is_on(local_authority=contact.local_authority_id, decision_point=DecisionPoint.CONTACT_DECISION)
    now = timezone.now()
    today = now.astimezone(LONDON).date()
    with transaction.atomic(), acting_as(by):
        stored = Contact.objects.select_for_update().filter(pk=contact.pk).values("status").first()
        if stored is not None and stored["status"] == Contact.Status.DECIDED:
            raise ValidationError("Someone else recorded the decision on this contact while you were working on "
                                  "it. Your decision has not been saved.")
        open_episode = CINEpisode.objects.filter(child=child, closed_on__isnull=True).first()
        if add_to_open_case and open_episode is None:
            raise ValidationError({"decision": f"{child.full_name} has no open case to add this to"})
        contact.decision = decision
        contact.decision_rationale = rationale.strip()
        contact.status = Contact.Status.DECIDED
        contact.decided_at = now
        contact.decided_by = by
        if contact.screening_started_at is None:
            contact.screening_started_at = now
            contact.screened_by = by
        contact.save(by=by)  # refuses a stale copy (StaleVersionError)
        if decision == Contact.Decision.EARLY_HELP:
            early_help_start(child=child, started_on=today, origin=EarlyHelpEpisode.Origin.CONTACT,
                             contact=contact, lead_team=team, by=by)
        elif decision == Contact.Decision.REFERRAL or (
            decision == Contact.Decision.STRATEGY_DISCUSSION and open_episode is None
        ):
            try:
                cin_episode_open(child=child, referral_date=_received_on(contact), referral_source=contact.source,
                                 contact=contact, team=team, primary_need=primary_need, by=by)
            except ValidationError as error:
                raise ValidationError({"decision": error.messages}) from None
        if gate:
            oversight_record(subject=contact, decision_point=DecisionPoint.CONTACT_DECISION,
                             rationale=contact.decision_rationale, child=child, by=by)
        _decision_clock_stop(contact=contact, stopped_on=today, by=by)
        late = " (after the decision was due)" if today > contact.decision_due_on else ""
        if add_to_open_case:
            title = f"Contact {contact.reference} added to the open case{late}"
        else:
            title = f"Contact {contact.reference} decided: {contact.get_decision_display()}{late}"
        chronology_record(
            person=child, event_type=EventType.CONTACT, occurred=now, title=title,
            summary=contact.decision_rationale[:500], source=contact, link=f"/front-door/contacts/{contact.pk}/",
            significant=decision in (Contact.Decision.REFERRAL, Contact.Decision.STRATEGY_DISCUSSION),
            by=by,
        )
    return contact


# ---------------------------------------------------------------- early help


def _not_future(day: date | None, field: str, noun: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"The {noun} cannot be in the future"})


def early_help_start(
    *,
    child: Person,
    started_on: date,
    origin: str,
    by: Any,
    contact: Contact | None = None,
    stepped_down_from: CINEpisode | None = None,
    lead_team: Team | None = None,
    lead_professional: str = "",
) -> EarlyHelpEpisode:
    """Start early help for a child: from a front-door decision, a step-down from social care, or a partner."""
    if origin not in EarlyHelpEpisode.Origin.values:
        raise ValidationError({"origin": "Choose how early help started"})
    _not_future(started_on, "started_on", "start date")
    if lead_team is not None and lead_team.local_authority_id != child.local_authority_id:
        raise ValidationError({"lead_team": "Choose a team in this council"})
    current = EarlyHelpEpisode.objects.filter(child=child, ended_on__isnull=True,
                                              local_authority_id=child.local_authority_id).first()
    if current is not None:
        raise ValidationError(
            f"{child.full_name} already has early help open (since {current.started_on:%-d %B %Y}); "
            "record this on that episode instead"
        )
    with transaction.atomic(), acting_as(by):
        episode = EarlyHelpEpisode(
            local_authority_id=child.local_authority_id, child=child, origin=origin, contact=contact,
            stepped_down_from=stepped_down_from, started_on=started_on, lead_team=lead_team,
            lead_professional=lead_professional.strip(),
        )
        episode.full_clean()
        episode.save(by=by)
        how = {
            EarlyHelpEpisode.Origin.CONTACT: f" after contact {contact.reference}" if contact else "",
            EarlyHelpEpisode.Origin.STEP_DOWN: ": stepped down from children's social care",
            EarlyHelpEpisode.Origin.DIRECT: " by a partner agency",
        }[EarlyHelpEpisode.Origin(origin)]
        chronology_record(
            person=child, event_type=EventType.EARLY_HELP, occurred=started_on, title=f"Early help started{how}",
            summary=" ".join(p for p in (str(lead_team or ""), lead_professional.strip()) if p),
            source=episode, link=f"/front-door/early-help/{episode.pk}/", by=by,
        )
    return episode


def early_help_update(
    *,
    episode: EarlyHelpEpisode,
    by: Any,
    lead_team: Team | None,
    lead_professional: str,
    assessment_organisation: str,
    assessment_started_on: date | None,
    assessment_completed_on: date | None,
) -> EarlyHelpEpisode:
    """Who leads the early help and its assessment dates. ``episode.version`` is the version the editor saw."""
    _not_future(assessment_started_on, "assessment_started_on", "assessment start date")
    _not_future(assessment_completed_on, "assessment_completed_on", "assessment completion date")
    if assessment_completed_on is not None and assessment_started_on is None:
        raise ValidationError({"assessment_started_on": "Enter the date the assessment started"})
    if assessment_started_on and assessment_completed_on and assessment_completed_on < assessment_started_on:
        raise ValidationError({"assessment_completed_on": "The assessment cannot be completed before it started"})
    if assessment_started_on is not None and assessment_started_on < episode.started_on:
        raise ValidationError({"assessment_started_on": f"The assessment cannot start before early help started "
                                                        f"({episode.started_on:%-d %B %Y})"})
    if lead_team is not None and lead_team.local_authority_id != episode.local_authority_id:
        raise ValidationError({"lead_team": "Choose a team in this council"})
    with transaction.atomic(), acting_as(by):
        episode.lead_team = lead_team
        episode.lead_professional = lead_professional.strip()
        episode.assessment_organisation = assessment_organisation.strip()
        episode.assessment_started_on = assessment_started_on
        episode.assessment_completed_on = assessment_completed_on
        episode.save(by=by)
    return episode


def _check_end(episode: EarlyHelpEpisode, ended_on: date, field: str) -> None:
    if episode.ended_on is not None:
        raise ValidationError(f"This early help already ended on {episode.ended_on:%-d %B %Y}")
    _not_future(ended_on, field, "end date" if field == "ended_on" else "step-up date")
    if ended_on < episode.started_on:
        raise ValidationError({field: f"The date cannot be before early help started ({episode.started_on:%-d %B %Y})"})


def early_help_end(*, episode: EarlyHelpEpisode, ended_on: date, outcome: str, by: Any) -> EarlyHelpEpisode:
    """Close early help with its outcome. Stepping up to social care is its own action (it opens a referral)."""
    if outcome == EarlyHelpEpisode.Outcome.STEPPED_UP:
        raise ValidationError({"outcome": "To step up to children's social care, use 'Step up' so the referral "
                                          "is opened"})
    if outcome not in EarlyHelpEpisode.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome"})
    _check_end(episode, ended_on, "ended_on")
    with transaction.atomic(), acting_as(by):
        episode.ended_on = ended_on
        episode.outcome = outcome
        episode.save(by=by)
        chronology_record(
            person=episode.child, event_type=EventType.EARLY_HELP, occurred=ended_on,
            title=f"Early help ended: {episode.get_outcome_display()}", source=episode,
            link=f"/front-door/early-help/{episode.pk}/", by=by,
        )
    return episode


def early_help_step_up(
    *, episode: EarlyHelpEpisode, on: date, by: Any, team: Team | None = None, primary_need: str = ""
) -> CINEpisode:
    """Step up: early help ends (outcome stepped up) and a referral opens with source 5D, linked both ways."""
    from hearth.cin.services import cin_episode_open

    _check_end(episode, on, "on")
    with transaction.atomic(), acting_as(by):
        try:
            cin = cin_episode_open(child=episode.child, referral_date=on, referral_source=ReferralSource.EARLY_HELP,
                                   team=team, primary_need=primary_need, by=by)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "referral_date" in error.error_dict:
                raise ValidationError({"on": error.error_dict["referral_date"]}) from None
            raise
        episode.ended_on = on
        episode.outcome = EarlyHelpEpisode.Outcome.STEPPED_UP
        episode.stepped_up_to = cin
        episode.save(by=by)
        chronology_record(
            person=episode.child, event_type=EventType.EARLY_HELP, occurred=on,
            title="Early help ended: stepped up to children's social care", source=episode,
            link=f"/front-door/early-help/{episode.pk}/", by=by,
        )
    return cin


# ---------------------------------------------------------------- mystery shopper


def mystery_shop_record(
    *,
    local_authority: LocalAuthority,
    carried_out_at: datetime,
    channel: str,
    outcome: str,
    by: User,
    seconds_to_answer: int | None = None,
    advice_quality: int | None = None,
    scenario: str = "",
    notes: str = "",
) -> MysteryShopperCheck:
    """A manager's test contact to the front door."""
    if getattr(by, "role", None) not in MANAGER_ROLES or by.local_authority_id != local_authority.pk:
        raise PermissionDenied("Only a manager in this council can record a mystery-shopper check")
    if carried_out_at.tzinfo is None:
        carried_out_at = carried_out_at.replace(tzinfo=LONDON)
    if carried_out_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"carried_out_at": "The date and time of the check cannot be in the future"})
    if channel not in MysteryShopperCheck.Channel.values:
        raise ValidationError({"channel": "Choose how the front door was contacted"})
    if outcome not in MysteryShopperCheck.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome"})
    answered = outcome != MysteryShopperCheck.Outcome.NOT_ANSWERED
    if answered and seconds_to_answer is None:
        raise ValidationError({"seconds_to_answer": "Enter how many seconds it took to answer, or choose "
                                                    "'Not answered' as the outcome"})
    if answered and advice_quality is None:
        raise ValidationError({"advice_quality": "Choose the quality of the advice given"})
    if not answered and (seconds_to_answer is not None or advice_quality is not None):
        raise ValidationError({"seconds_to_answer": "Leave the time to answer and the quality blank when the "
                                                    "contact was not answered"})
    with transaction.atomic(), acting_as(by):
        check = MysteryShopperCheck(
            local_authority=local_authority, carried_out_at=carried_out_at, channel=channel,
            seconds_to_answer=seconds_to_answer, advice_quality=advice_quality, outcome=outcome,
            scenario=scenario.strip(), notes=notes.strip(), recorded_by=by,
        )
        check.full_clean()
        check.save(by=by)
    return check
