"""Recording supervision: sessions and their case discussions (each on the child's chronology as management
oversight), sessions that did not go ahead, the supervisee's comments and confirmation, who supervises whom, and
the council's policy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hearth.access.selectors import people_visible_to
from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.chronology.models import ChronologyEvent, EventType
from hearth.chronology.services import chronology_record
from hearth.workspace.services import notification_send

from .models import CaseDiscussion, SupervisionArrangement, SupervisionPolicy, SupervisionSession
from .schedule import MONTHS, SUPERVISED_ROLES, Interval
from .selectors import LEADER_ROLES, RECORDING_ROLES, caseload_for_discussion, may_record_for, may_see_worker

if TYPE_CHECKING:
    from hearth.people.models import Person
    from hearth.tenancy.models import LocalAuthority

TOPICS = ("wellbeing", "workload", "learning", "reflection")
TOPIC_ERROR = ("Record what you discussed: at least one of wellbeing, workload, learning and development, or "
               "reflective discussion")
CHRONOLOGY_TITLE = "Management oversight: case discussed in supervision"
SUMMARY_LENGTH = 600
# Who may be named as a worker's supervisor instead of their team manager.
SUPERVISOR_ROLES = frozenset({Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR})
MAX_WEEKS, MAX_MONTHS = 52, 12


@dataclass(frozen=True)
class DiscussionInput:
    child: Person
    discussion: str
    decisions: str
    actions_due_on: date | None
    plan_progress: str


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _council(worker: User) -> int:
    if worker.local_authority_id is None:
        raise PermissionDenied("Only staff of a council are supervised.")
    return worker.local_authority_id


def _midday(day: date) -> datetime:
    # Where chronology_record puts an event known only by its day.
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _last_change(instance: object) -> ChangeRecord | None:
    return ChangeRecord.objects.filter(model_label=instance._meta.label,  # type: ignore[attr-defined]
                                       object_id=str(instance.pk)).order_by("-at", "-id").first()  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------- checks

def _check_session(*, held_on: date, next_on: date | None, topics: Mapping[str, str]) -> None:
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = "The date of the supervision must be today or in the past"
    if not any((topics.get(t) or "").strip() for t in TOPICS):
        errors["wellbeing"] = TOPIC_ERROR
    if next_on is not None and next_on <= held_on:
        errors["next_on"] = "The date of the next supervision must be after the date of this one"
    if errors:
        raise ValidationError(errors)


def _check_discussion(item: DiscussionInput, *, held_on: date) -> dict[str, str]:
    name = item.child.full_name
    errors: dict[str, str] = {}
    if not item.discussion.strip():
        errors["discussion"] = f"Enter what was discussed about {name}"
    if not item.decisions.strip():
        errors["decisions"] = f"Enter the decisions and actions for {name}"
    if item.actions_due_on is None:
        errors["actions_due_on"] = f"Enter the date the actions for {name} are due"
    elif item.actions_due_on < held_on:
        errors["actions_due_on"] = f"The date the actions for {name} are due must be on or after the supervision"
    if item.plan_progress not in CaseDiscussion.Progress.values:
        errors["plan_progress"] = f"Select whether {name}'s plan is progressing"
    return errors


def _check_discussions(items: Sequence[DiscussionInput], *, held_on: date, allowed: set[int]) -> None:
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    for item in items:
        prefix = f"child-{item.child.pk}-"
        if item.child.pk not in allowed:
            errors.setdefault("__all__", []).append(
                "A child can be discussed only while they are on the worker's caseload and you may open their record")
        if item.child.pk in seen:
            errors.setdefault("__all__", []).append(f"{item.child.full_name} is discussed twice")
        seen.add(item.child.pk)
        for field, message in _check_discussion(item, held_on=held_on).items():
            errors.setdefault(prefix + field, []).append(message)
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------- chronology

def chronology_summary(*, worker_name: str, discussion: str, decisions: str, due: date, progress: str) -> str:
    """The chronology line's text for a case discussion (the demo council writes the same)."""
    text = (f"Discussed in supervision with {worker_name}. {discussion.strip()} "
            f"Decisions and actions (due {_day(due)}): {decisions.strip()} Is the plan progressing? {progress}.")
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def _summary(discussion: CaseDiscussion, supervisee: User) -> str:
    return chronology_summary(worker_name=supervisee.get_full_name(), discussion=discussion.discussion,
                              decisions=discussion.decisions, due=discussion.actions_due_on,
                              progress=str(discussion.get_plan_progress_display()))


def _link(discussion: CaseDiscussion) -> str:
    return reverse("supervision:case_discussion", args=[discussion.child_id, discussion.pk])


def _discussion_values(item: DiscussionInput) -> dict[str, Any]:
    return {"discussion": item.discussion.strip(), "decisions": item.decisions.strip(),
            "actions_due_on": item.actions_due_on, "plan_progress": item.plan_progress}


def _differs(discussion: CaseDiscussion, item: DiscussionInput) -> bool:
    return any(getattr(discussion, f) != v for f, v in _discussion_values(item).items())


def _discussion_create(session: SupervisionSession, item: DiscussionInput, *, by: User) -> CaseDiscussion:
    discussion = CaseDiscussion(local_authority_id=session.local_authority_id, session=session, child=item.child,
                                **_discussion_values(item))
    discussion.save()
    chronology_record(person=item.child, event_type=EventType.MANAGEMENT_OVERSIGHT, occurred=session.held_on,
                      title=CHRONOLOGY_TITLE, summary=_summary(discussion, session.supervisee), by=by,
                      source=discussion, link=_link(discussion))
    return discussion


def _chronology_follow(discussion: CaseDiscussion, session: SupervisionSession) -> None:
    """The child's chronology line says what the discussion now says, on the session's day."""
    event = (ChronologyEvent.objects.select_for_update()
             .filter(source_label=CaseDiscussion._meta.label, source_id=str(discussion.pk),
                     person_id=discussion.child_id).first())
    if event is None:
        return
    summary, occurred = _summary(discussion, session.supervisee), _midday(session.held_on)
    if event.summary != summary or event.occurred_at != occurred:
        event.summary, event.occurred_at = summary, occurred
        event.save()


# ---------------------------------------------------------------------------------------------- sessions

def supervision_record(
    *,
    supervisee: User,
    held_on: date,
    kind: str,
    wellbeing: str = "",
    workload: str = "",
    learning: str = "",
    reflection: str = "",
    agreed_actions: str = "",
    next_on: date | None = None,
    discussions: Sequence[DiscussionInput] = (),
    by: User,
) -> SupervisionSession:
    """Record a supervision that was held, with the children discussed; the supervisee is asked to confirm it."""
    if not may_record_for(by, supervisee):
        raise PermissionDenied("Only the worker's supervisor can record their supervision.")
    if kind not in SupervisionSession.Kind.values:
        raise ValidationError({"kind": "Select the kind of supervision"})
    topics = {"wellbeing": wellbeing, "workload": workload, "learning": learning, "reflection": reflection}
    _check_session(held_on=held_on, next_on=next_on, topics=topics)
    allowed = set(caseload_for_discussion(user=by, worker=supervisee).values_list("pk", flat=True))
    _check_discussions(discussions, held_on=held_on, allowed=allowed)
    with transaction.atomic(), acting_as(by):
        session = SupervisionSession(
            local_authority_id=_council(supervisee), supervisee=supervisee, supervisor=by,
            held_on=held_on, kind=kind, status=SupervisionSession.Status.HELD,
            **{k: v.strip() for k, v in topics.items()}, agreed_actions=agreed_actions.strip(), next_on=next_on,
        )
        session.save()
        for item in discussions:
            _discussion_create(session, item, by=by)
        notification_send(
            recipient=supervisee, title=f"Your supervision on {_day(held_on)} is recorded",
            body="Read the record, add your comments and confirm it.",
            link=reverse("supervision:session", args=[session.pk]),
        )
    return session


def may_change_session(user: User, session: SupervisionSession) -> bool:
    return bool(session.supervisor_id == user.pk or may_record_for(user, session.supervisee))


def supervision_update(
    *,
    session: SupervisionSession,
    expected_version: int,
    held_on: date,
    kind: str,
    wellbeing: str = "",
    workload: str = "",
    learning: str = "",
    reflection: str = "",
    agreed_actions: str = "",
    next_on: date | None = None,
    changed: Mapping[int, DiscussionInput] | None = None,
    added: Sequence[DiscussionInput] = (),
    by: User,
) -> SupervisionSession:
    """Correct a held session and its discussions, or add children to it. Discussions are never removed: they are
    on the children's records. A confirmed record changed by the supervisor goes back to the supervisee to confirm.
    Raises StaleVersionError if the session changed since the editor loaded it."""
    if not may_change_session(by, session):
        raise PermissionDenied("Only the worker's supervisor can change this record.")
    if not session.held:
        raise ValidationError("A session that did not go ahead has no record to change.")
    if kind not in SupervisionSession.Kind.values:
        raise ValidationError({"kind": "Select the kind of supervision"})
    changed = dict(changed or {})
    topics = {"wellbeing": wellbeing, "workload": workload, "learning": learning, "reflection": reflection}
    _check_session(held_on=held_on, next_on=next_on, topics=topics)
    existing = {d.pk: d for d in session.case_discussions.select_related("child")}
    if set(changed) - set(existing):
        raise ValidationError("A discussion from another session cannot be changed here.")
    # A discussion of a child the editor cannot open stays as it is.
    openable = set(people_visible_to(user=by).filter(pk__in=[d.child_id for d in existing.values()])
                   .values_list("pk", flat=True))
    _check_discussions(list(changed.values()), held_on=held_on, allowed=openable)
    allowed = set(caseload_for_discussion(user=by, worker=session.supervisee).values_list("pk", flat=True))
    allowed -= {d.child_id for d in existing.values()}
    _check_discussions(added, held_on=held_on, allowed=allowed)
    with transaction.atomic(), acting_as(by):
        before = {f: getattr(session, f) for f in ("held_on", "kind", *TOPICS, "agreed_actions", "next_on")}
        values = {"held_on": held_on, "kind": kind, **{k: v.strip() for k, v in topics.items()},
                  "agreed_actions": agreed_actions.strip(), "next_on": next_on}
        amended = before != values or bool(added) or any(
            _differs(existing[pk], item) for pk, item in changed.items())
        was_confirmed = session.confirmed_at is not None
        for field, value in values.items():
            setattr(session, field, value)
        if amended:
            session.confirmed_at = None
        session.version = expected_version
        # Saved first, so a stale copy is refused before anything else changes.
        session.save()
        for discussion in existing.values():
            item = changed.get(discussion.pk)
            if item is not None and _differs(discussion, item):
                for field, value in _discussion_values(item).items():
                    setattr(discussion, field, value)
                discussion.save()
            _chronology_follow(discussion, session)
        for item in added:
            _discussion_create(session, item, by=by)
        if amended and was_confirmed:
            notification_send(
                recipient=session.supervisee, title=f"Your supervision record of {_day(held_on)} was changed",
                body="Read it again and confirm it.", link=reverse("supervision:session", args=[session.pk]),
            )
    return session


def supervision_not_held(*, supervisee: User, planned_on: date, status: str, reason: str,
                         rearranged_to: date | None = None, by: User) -> SupervisionSession:
    """Record that a planned supervision was cancelled or moved. It does not count as supervision."""
    if not may_record_for(by, supervisee):
        raise PermissionDenied("Only the worker's supervisor can record their supervision.")
    errors: dict[str, str] = {}
    if status not in (SupervisionSession.Status.CANCELLED, SupervisionSession.Status.REARRANGED):
        errors["status"] = "Select whether the supervision was cancelled or rearranged"
    if not reason.strip():
        errors["reason"] = "Enter why the supervision did not go ahead"
    if status == SupervisionSession.Status.REARRANGED:
        if rearranged_to is None:
            errors["rearranged_to"] = "Enter the new date of the supervision"
        elif rearranged_to == planned_on:
            errors["rearranged_to"] = "The new date must be different from the planned date"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(by):
        session = SupervisionSession(
            local_authority_id=_council(supervisee), supervisee=supervisee, supervisor=by,
            held_on=planned_on, status=status, not_held_reason=reason.strip(),
            rearranged_to=rearranged_to if status == SupervisionSession.Status.REARRANGED else None,
        )
        session.save()
    return session


def supervision_comment(*, session: SupervisionSession, expected_version: int, comments: str, confirm: bool,
                        by: User) -> SupervisionSession:
    """The supervisee's own comments on the record, and their confirmation that it is accurate."""
    if by.pk != session.supervisee_id:
        raise PermissionDenied("Only the worker supervised can comment on and confirm the record.")
    if not session.held:
        raise ValidationError("A session that did not go ahead has no record to confirm.")
    with transaction.atomic(), acting_as(by):
        newly_confirmed = confirm and session.confirmed_at is None
        session.supervisee_comments = comments.strip()
        if newly_confirmed:
            session.confirmed_at = timezone.now()
        session.version = expected_version
        session.save()
        if session.supervisor.is_active:
            what = "confirmed" if newly_confirmed else "commented on"
            notification_send(
                recipient=session.supervisor,
                title=f"{by.get_full_name()} {what} their supervision record of {_day(session.held_on)}",
                link=reverse("supervision:session", args=[session.pk]),
            )
    return session


# ---------------------------------------------------------------------------------------------- arrangements

def arrangement_set(*, worker: User, expected_version: int, supervisor: User | None,
                    asye_started_on: date | None, by: User) -> SupervisionArrangement:
    """Name who supervises the worker (None: their team manager) and when their ASYE started (None: not ASYE)."""
    if not (by.role in RECORDING_ROLES and by.pk != worker.pk and may_see_worker(by, worker)):
        raise PermissionDenied("Only the worker's managers can change who supervises them.")
    errors: dict[str, str] = {}
    if supervisor is not None:
        if supervisor.pk == worker.pk:
            errors["supervisor"] = "A worker cannot supervise themselves"
        elif (supervisor.local_authority_id != worker.local_authority_id or not supervisor.is_active
              or supervisor.role not in SUPERVISOR_ROLES):
            errors["supervisor"] = "Select a senior practitioner or manager of this council"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(by):
        arrangement = SupervisionArrangement.objects.select_for_update().filter(worker=worker).first()
        if arrangement is None:
            if expected_version != 0:
                raise StaleVersionError(worker, 0, None)
            arrangement = SupervisionArrangement(local_authority_id=_council(worker), worker=worker)
        else:
            if expected_version == 0:
                raise StaleVersionError(arrangement, arrangement.version, _last_change(arrangement))
            arrangement.version = expected_version
        arrangement.supervisor = supervisor
        arrangement.asye_started_on = asye_started_on
        arrangement.save()
    return arrangement


# ---------------------------------------------------------------------------------------------- policy

def role_plural(role: str) -> str:
    """"social workers", "IRO / child protection chairs": a role's staff in a sentence."""
    label = str(Role(role).label) + "s"
    return label if label[1:2].isupper() else label[0].lower() + label[1:]


def _check_interval(field: str, label: str, interval: Interval | None, errors: dict[str, str]) -> None:
    if interval is None:
        errors[field] = f"Enter how often {label} are supervised"
    elif interval.unit == MONTHS and interval.every > MAX_MONTHS:
        errors[field] = f"How often {label} are supervised must be {MAX_MONTHS} months or fewer"
    elif interval.every > MAX_WEEKS:
        errors[field] = f"How often {label} are supervised must be {MAX_WEEKS} weeks or fewer"


def policy_set(
    *,
    local_authority: LocalAuthority,
    expected_version: int,
    frequencies: Mapping[str, Interval | None],
    asye_first_weeks: int,
    asye_first_every_weeks: int,
    asye_every_weeks: int,
    asye_months: int,
    case_discussion_weeks: int,
    by: User,
) -> SupervisionPolicy:
    """Set the council's supervision policy (heads of service and the director). Raises StaleVersionError when
    someone else changed it since the editor loaded it."""
    if not (by.is_authenticated and by.role in LEADER_ROLES and by.local_authority_id == local_authority.pk):
        raise PermissionDenied("Only a head of service or the director can change the supervision policy.")
    errors: dict[str, str] = {}
    for role in SUPERVISED_ROLES:
        _check_interval(f"{role}_every", role_plural(role), frequencies.get(role), errors)
    numbers = {
        "asye_first_weeks": (asye_first_weeks, 1, MAX_WEEKS, "The first part of the ASYE", "weeks"),
        "asye_first_every_weeks": (asye_first_every_weeks, 1, MAX_WEEKS, "Supervision early in the ASYE", "weeks"),
        "asye_every_weeks": (asye_every_weeks, 1, MAX_WEEKS, "Supervision in the rest of the ASYE", "weeks"),
        "asye_months": (asye_months, 1, 24, "The ASYE", "months"),
        "case_discussion_weeks": (case_discussion_weeks, 1, MAX_WEEKS, "The case discussion interval", "weeks"),
    }
    for field, (value, low, high, noun, unit) in numbers.items():
        if not low <= value <= high:
            errors[field] = f"{noun} must be between {low} and {high} {unit}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(by):
        row = SupervisionPolicy.objects.select_for_update().filter(local_authority=local_authority).first()
        if row is None:
            if expected_version != 0:
                raise StaleVersionError(local_authority, 0, None)
            row = SupervisionPolicy(local_authority=local_authority)
        else:
            if expected_version == 0:
                raise StaleVersionError(row, row.version, _last_change(row))
            row.version = expected_version
        row.frequencies = {role: interval.as_json() for role, interval in frequencies.items()
                           if role in SUPERVISED_ROLES and interval is not None}
        row.asye_first_weeks = asye_first_weeks
        row.asye_first_every_weeks = asye_first_every_weeks
        row.asye_every_weeks = asye_every_weeks
        row.asye_months = asye_months
        row.case_discussion_weeks = case_discussion_weeks
        row.save()
    return row
