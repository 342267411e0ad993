"""Supervision pages: a manager's view of their team (a head of service's of every team), a worker's history, the
record of one session, recording and correcting a session with its case discussions, and the council's policy."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hearth.access.models import AccessEvent
from hearth.access.policy import countable_unseen_filter
from hearth.access.services import access_record_many
from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.people.models import Person
from hearth.people.views import open_record
from hearth.workspace.forms import show_refusal
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.selectors import draft_as_querydict, draft_for
from hearth.workspace.services import draft_discard

from .forms import ArrangementForm, CaseDiscussionForm, CommentForm, NotHeldForm, PolicyForm, SessionForm
from .models import SupervisionArrangement, SupervisionPolicy, SupervisionSession
from .schedule import SUPERVISED_ROLES, WEEKS
from .selectors import (
    CASELOAD_KINDS,
    LEADER_ROLES,
    WorkerStatus,
    case_discussion_for,
    caseload_sorted,
    children_not_discussed,
    compliance_by_team,
    compliance_of,
    discussions_for,
    policy_from,
    policy_row,
    recent_sessions,
    session_for,
    sessions_for_worker,
    supervisees_of,
    team_workers,
    teams_for,
    worker_statuses,
)
from .services import (
    DiscussionInput,
    arrangement_set,
    may_change_session,
    policy_set,
    supervision_comment,
    supervision_not_held,
    supervision_record,
    supervision_update,
)

SESSIONS_PAGE = 25
CHILDREN_PAGE = 50
RECENT = 10


# ---------------------------------------------------------------------------------------------- helpers

def _user(request: HttpRequest, perm: str = "supervision.view_supervision") -> User:
    user = request.user
    if not isinstance(user, User) or user.local_authority_id is None or not user.has_perm(perm):
        raise PermissionDenied
    return user


def _worker(user: User, pk: int) -> User:
    worker = User.objects.filter(pk=pk, local_authority_id=user.local_authority_id).select_related("team").first()
    if worker is None:
        raise Http404
    return worker


def _team(user: User, pk: int) -> Team:
    team = Team.objects.filter(pk=pk, local_authority_id=user.local_authority_id).first()
    if team is None:
        raise Http404
    if not teams_for(user=user).filter(pk=team.pk).exists():
        raise PermissionDenied
    return team


def _may_record_row(user: User, status: WorkerStatus) -> bool:
    """``may_record_for`` for a row already read, without a query per row."""
    worker = status.worker
    if user.pk == worker.pk or not user.has_case_access:
        return False
    if user.role in LEADER_ROLES or status.supervisor_id == user.pk:
        return True
    return user.role == Role.TEAM_MANAGER and worker.team_id == user.team_id and worker.role != Role.TEAM_MANAGER


def _quiet(form: forms.Form) -> forms.Form:
    """A form refilled from a draft shows what was typed, without complaining about what is not typed yet."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    form.cleaned_data = {}
    return form


def _map_errors(error: ValidationError, form: forms.Form, case_forms: list[CaseDiscussionForm]) -> None:
    """A service's refusal: each message next to its field, on the session form or the child's discussion."""
    by_prefix = {f"{cf.prefix}-": cf for cf in case_forms}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages_ in error.message_dict.items():
        target = next(((cf, key[len(p):]) for p, cf in by_prefix.items() if key.startswith(p)), None)
        if target is not None and target[1] in target[0].fields:
            target[0].add_error(target[1], messages_)
        else:
            form.add_error(key if key in form.fields else None, messages_)


def _case_errors(case_forms: list[CaseDiscussionForm]) -> list[dict[str, str]]:
    errors = []
    for cf in case_forms:
        if not cf.ticked:
            continue
        for bound in cf:
            for message in bound.errors:
                suffix = "_0" if getattr(bound.field.widget, "widgets", None) else ""
                errors.append({"text": str(message), "href": f"#{bound.auto_id}{suffix}"})
    return errors


def _inputs(case_forms: list[CaseDiscussionForm]) -> list[tuple[CaseDiscussionForm, DiscussionInput]]:
    return [
        (cf, DiscussionInput(child=cf.child, discussion=cf.cleaned_data.get("discussion", ""),
                             decisions=cf.cleaned_data.get("decisions", ""),
                             actions_due_on=cf.cleaned_data.get("actions_due_on"),
                             plan_progress=cf.cleaned_data.get("plan_progress", "")))
        for cf in case_forms if cf.ticked
    ]


def _restricted_on_caseload(user: User, worker: User) -> int:
    unseen = countable_unseen_filter(user, prefix="child__")
    if unseen is None:
        return 0
    return (Allocation.objects.filter(unseen, worker=worker, ended_on__isnull=True, kind__in=CASELOAD_KINDS)
            .values("child_id").distinct().count())


def _status_of(worker: User, today: date) -> WorkerStatus | None:
    statuses = worker_statuses(local_authority=worker.local_authority_id, on=today,
                               workers=User.objects.filter(pk=worker.pk))
    return statuses[0] if statuses else None


def _session_values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data.get(k) or "" for k in ("wellbeing", "workload", "learning", "reflection", "agreed_actions")} | {
        "held_on": data["held_on"], "kind": data["kind"], "next_on": data.get("next_on")}


# ---------------------------------------------------------------------------------------------- overview

@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Heads of service, the director and analysts see every team; a team manager their team; a worker their own."""
    user = _user(request)
    today = timezone.localdate()
    if user.role in LEADER_ROLES or user.role == Role.PERFORMANCE_ANALYST:
        rows, council = compliance_by_team(local_authority=user.local_authority_id, on=today)
        named = user.has_case_access and user.role in LEADER_ROLES
        return render(request, "supervision/council.html", {
            "rows": rows, "council": council, "named": named, "today": today,
            "most_overdue": council.overdue[:RECENT] if named else [],
            "policy": policy_from(policy_row(local_authority=user.local_authority_id)),
        })
    if user.role == Role.TEAM_MANAGER and user.team_id:
        return _team_page(request, user, user.team, today)  # type: ignore[arg-type]
    return redirect("supervision:worker", user_pk=user.pk)


@login_required
@require_GET
def team(request: HttpRequest, team_pk: int) -> HttpResponse:
    user = _user(request)
    return _team_page(request, user, _team(user, team_pk), timezone.localdate())


def _team_page(request: HttpRequest, user: User, team: Team, today: date) -> HttpResponse:
    if not user.has_case_access:
        raise PermissionDenied
    row = policy_row(local_authority=user.local_authority_id)
    policy = policy_from(row)
    workers = team_workers(user=user, team=team, on=today)
    statuses = worker_statuses(local_authority=user.local_authority_id, on=today, workers=workers, policy=policy)
    rows = [{"status": s, "record": _may_record_row(user, s), "soon": s.due_soon(today)} for s in statuses]
    not_discussed = children_not_discussed(user=user, team=team, on=today, weeks=policy.case_discussion_weeks)
    return render(request, "supervision/team.html", {
        "team": team, "rows": rows, "compliance": compliance_of(statuses), "today": today, "policy": policy,
        "recent": recent_sessions(local_authority=user.local_authority_id, workers=workers, user=user,
                                  limit=RECENT),
        "not_discussed": not_discussed.count(), "own_team": user.team_id == team.pk,
        "leader": user.role in LEADER_ROLES,
    })


@login_required
@require_GET
def team_children(request: HttpRequest, team_pk: int) -> HttpResponse:
    """Children whose plan has not been discussed in supervision for longer than the policy allows. A list of
    names: opening a child's record is what gets logged."""
    user = _user(request)
    team_ = _team(user, team_pk)
    if not user.has_case_access:
        raise PermissionDenied
    today = timezone.localdate()
    policy = policy_from(policy_row(local_authority=user.local_authority_id))
    rows = children_not_discussed(user=user, team=team_, on=today, weeks=policy.case_discussion_weeks)
    page = Paginator(rows, CHILDREN_PAGE).get_page(request.GET.get("page"))
    return render(request, "supervision/team_children.html", {
        "team": team_, "page_obj": page, "policy": policy, "today": today,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
    })


# ---------------------------------------------------------------------------------------------- a worker

@login_required
@require_GET
def worker(request: HttpRequest, user_pk: int) -> HttpResponse:
    user = _user(request)
    subject = _worker(user, user_pk)
    if not user.has_perm("supervision.view_worker_supervision", subject):
        raise PermissionDenied
    today = timezone.localdate()
    policy = policy_from(policy_row(local_authority=user.local_authority_id))
    status = _status_of(subject, today)
    arrangement = SupervisionArrangement.objects.filter(worker=subject).select_related("supervisor").first()
    asye_started = arrangement.asye_started_on if arrangement else None
    sessions = Paginator(sessions_for_worker(worker=subject, user=user), SESSIONS_PAGE).get_page(
        request.GET.get("page"))
    own = subject.pk == user.pk
    supervisees: list[WorkerStatus] = []
    if own:
        supervisees = worker_statuses(local_authority=user.local_authority_id, on=today,
                                      workers=supervisees_of(user=user), policy=policy)
    return render(request, "supervision/worker.html", {
        "subject": subject, "own": own, "status": status, "arrangement": arrangement, "policy": policy,
        "asye": policy.in_asye(asye_started, today),
        "asye_ends": asye_started + relativedelta(months=policy.asye_months) if asye_started else None,
        "page_obj": sessions, "today": today, "supervisees": supervisees,
        "may_record": user.has_perm("supervision.record_supervision", subject),
        "may_arrange": user.has_perm("supervision.change_arrangements", subject),
        "page_range": sessions.paginator.get_elided_page_range(sessions.number, on_each_side=1, on_ends=1),
    })


@login_required
@require_http_methods(["GET", "POST"])
def arrangements(request: HttpRequest, user_pk: int) -> HttpResponse:
    user = _user(request)
    subject = _worker(user, user_pk)
    if not user.has_perm("supervision.change_arrangements", subject):
        raise PermissionDenied
    current = SupervisionArrangement.objects.filter(worker=subject).first()
    if request.method == "POST":
        form = ArrangementForm(request.POST, worker=subject)
        if form.is_valid():
            data = form.cleaned_data
            try:
                arrangement_set(worker=subject, expected_version=data["version"], supervisor=data["supervisor"],
                                asye_started_on=data["asye_started_on"], by=user)
            except (StaleVersionError, ValidationError) as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, f"Supervision arrangements for {subject.get_full_name()} saved")
                return redirect("supervision:worker", user_pk=subject.pk)
    else:
        form = ArrangementForm(worker=subject, initial={
            "version": current.version if current else 0,
            "supervisor": current.supervisor_id if current else None,
            "asye_started_on": current.asye_started_on if current else None,
        })
    return render(request, "supervision/arrangements.html", {"subject": subject, "form": form})


# ---------------------------------------------------------------------------------------------- recording

def _case_forms(data: QueryDict | None, children: list[Person], *, locked: dict[int, dict[str, Any]] | None = None,
                ) -> list[CaseDiscussionForm]:
    locked = locked or {}
    return [CaseDiscussionForm(data, child=child, locked=child.pk in locked, initial=locked.get(child.pk))
            for child in children]


def _all_valid(form: forms.Form, case_forms: list[CaseDiscussionForm]) -> bool:
    valid = form.is_valid()
    held_on = form.cleaned_data.get("held_on") if hasattr(form, "cleaned_data") else None
    for cf in case_forms:
        if cf.is_valid():
            cf.check_against(held_on)
        valid = valid and not cf.errors
    return valid


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def record(request: HttpRequest, user_pk: int) -> HttpResponse:
    user = _user(request)
    subject = _worker(user, user_pk)
    if not user.has_perm("supervision.record_supervision", subject):
        raise PermissionDenied
    children = caseload_sorted(user=user, worker=subject)
    draft_key = f"supervision-{subject.pk}-new"
    restored_at = None
    if request.method == "POST":
        form = SessionForm(request.POST)
        case_forms = _case_forms(request.POST, children)
        if _all_valid(form, case_forms):
            pairs = _inputs(case_forms)
            try:
                session = supervision_record(supervisee=subject, **_session_values(form.cleaned_data),
                                             discussions=[item for _, item in pairs], by=user)
            except ValidationError as refused:
                _map_errors(refused, form, case_forms)
            else:
                draft_discard(user=user, key=draft_key)
                told = (f", with {len(pairs)} case discussion{'s' if len(pairs) != 1 else ''} on the children's "
                        "chronologies") if pairs else ""
                messages.success(request, f"Supervision of {subject.get_full_name()} recorded{told}. "
                                          f"{subject.first_name} has been asked to read and confirm it.")
                return redirect("supervision:session", pk=session.pk)
    else:
        draft = draft_for(user=user, key=draft_key)
        if draft is not None:
            data = draft_as_querydict(draft)
            form = _quiet(SessionForm(data))  # type: ignore[assignment]
            case_forms = [_quiet(cf) for cf in _case_forms(data, children)]  # type: ignore[misc]
            restored_at = draft.saved_at
        else:
            form = SessionForm(initial={"version": 0, "held_on": timezone.localdate(),
                                        "kind": SupervisionSession.Kind.ONE_TO_ONE})
            case_forms = _case_forms(None, children)
    return _session_form_page(request, user, subject, form=form, case_forms=case_forms, locked_forms=[],
                              draft_key=draft_key, restored_at=restored_at, session=None)


def _session_form_page(request: HttpRequest, user: User, subject: User, *, form: forms.Form,
                       case_forms: list[CaseDiscussionForm], locked_forms: list[CaseDiscussionForm], draft_key: str,
                       restored_at: Any, session: SupervisionSession | None) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "supervision/record.html", {
        "subject": subject, "form": form, "case_forms": case_forms, "locked_forms": locked_forms,
        "extra_errors": _case_errors(locked_forms + case_forms), "draft_key": draft_key, "restored_at": restored_at,
        "status": _status_of(subject, today), "restricted": _restricted_on_caseload(user, subject),
        "session": session, "today": today,
    })


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    session = session_for(user=user, pk=pk)
    if session is None:
        raise Http404
    if not user.has_perm("supervision.view_session", session) or not may_change_session(user, session):
        raise PermissionDenied
    if not session.held:
        raise Http404
    subject = session.supervisee
    # Discussions of children the editor cannot open stay as they are, unseen.
    existing = discussions_for(user=user, session=session).shown
    discussed = {d.child_id for d in session.case_discussions.all()}
    locked_initial = {d.child_id: {"discussion": d.discussion, "decisions": d.decisions,
                                   "actions_due_on": d.actions_due_on, "plan_progress": d.plan_progress}
                      for d in existing}
    new_children = [c for c in caseload_sorted(user=user, worker=subject) if c.pk not in discussed]
    draft_key = f"supervision-session-{session.pk}"
    restored_at = None
    if request.method == "POST":
        form = SessionForm(request.POST)
        locked_forms = _case_forms(request.POST, [d.child for d in existing], locked=locked_initial)
        case_forms = _case_forms(request.POST, new_children)
        if _all_valid(form, locked_forms + case_forms):
            by_child = {d.child_id: d.pk for d in existing}
            changed = {by_child[cf.child.pk]: item for cf, item in _inputs(locked_forms)}
            added = [item for _, item in _inputs(case_forms)]
            try:
                supervision_update(session=session, expected_version=form.cleaned_data["version"],
                                   **_session_values(form.cleaned_data), changed=changed, added=added, by=user)
            except StaleVersionError as stale:
                show_refusal(form, stale)
            except ValidationError as refused:
                _map_errors(refused, form, locked_forms + case_forms)
            else:
                draft_discard(user=user, key=draft_key)
                messages.success(request, "Supervision record saved")
                return redirect("supervision:session", pk=session.pk)
    else:
        draft = draft_for(user=user, key=draft_key)
        if draft is not None:
            data = draft_as_querydict(draft)
            form = _quiet(SessionForm(data))  # type: ignore[assignment]
            locked_forms = [_quiet(cf) for cf in _case_forms(data, [d.child for d in existing],  # type: ignore[misc]
                                                             locked=locked_initial)]
            case_forms = [_quiet(cf) for cf in _case_forms(data, new_children)]  # type: ignore[misc]
            restored_at = draft.saved_at
        else:
            form = SessionForm(initial={f: getattr(session, f) for f in (
                "version", "held_on", "kind", "wellbeing", "workload", "learning", "reflection", "agreed_actions",
                "next_on")})
            locked_forms = _case_forms(None, [d.child for d in existing], locked=locked_initial)
            case_forms = _case_forms(None, new_children)
    if existing:
        # The form shows what was said about each child, part of their record: logged as the session page does.
        access_record_many(user=user, people=[d.child for d in existing], action=AccessEvent.Action.VIEW,
                           page=request.path)
    return _session_form_page(request, user, subject, form=form, case_forms=case_forms, locked_forms=locked_forms,
                              draft_key=draft_key, restored_at=restored_at, session=session)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def not_held(request: HttpRequest, user_pk: int) -> HttpResponse:
    user = _user(request)
    subject = _worker(user, user_pk)
    if not user.has_perm("supervision.record_supervision", subject):
        raise PermissionDenied
    form = NotHeldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            supervision_not_held(supervisee=subject, planned_on=data["planned_on"], status=data["status"],
                                 reason=data["reason"], rearranged_to=data.get("rearranged_to"), by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            what = "cancelled" if data["status"] == SupervisionSession.Status.CANCELLED else "rearranged"
            messages.success(request, f"The {what} supervision is recorded. It does not count as supervision held.")
            return redirect("supervision:worker", user_pk=subject.pk)
    return render(request, "supervision/not_held.html", {"subject": subject, "form": form})


# ---------------------------------------------------------------------------------------------- one session

@login_required
@require_http_methods(["GET", "POST"])
def session(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = session_for(user=user, pk=pk)
    if found is None:
        raise Http404
    if not user.has_perm("supervision.view_session", found):
        raise PermissionDenied
    is_supervisee = found.supervisee_id == user.pk
    comment_form = None
    if is_supervisee and found.held:
        if request.method == "POST":
            comment_form = CommentForm(request.POST)
            if comment_form.is_valid():
                data = comment_form.cleaned_data
                try:
                    supervision_comment(session=found, expected_version=data["version"], comments=data["comments"],
                                        confirm=data["confirm"], by=user)
                except (StaleVersionError, ValidationError) as refused:
                    show_refusal(comment_form, refused)
                    found = session_for(user=user, pk=pk) or found
                else:
                    messages.success(request, "You confirmed the record" if data["confirm"]
                                     else "Your comments are saved")
                    return redirect("supervision:session", pk=found.pk)
        else:
            comment_form = CommentForm(initial={"version": found.version, "comments": found.supervisee_comments})
    elif request.method == "POST":
        raise PermissionDenied
    discussions = discussions_for(user=user, session=found)
    if discussions.shown:
        # What was said about each child is part of their record: reading it is logged, as opening it would be.
        access_record_many(user=user, people=[d.child for d in discussions.shown], action=AccessEvent.Action.VIEW,
                           page=request.path)
    return render(request, "supervision/session.html", {
        "session": found, "discussions": discussions, "comment_form": comment_form, "is_supervisee": is_supervisee,
        "may_change": found.held and may_change_session(user, found),
    })


@login_required
@require_GET
def case_discussion(request: HttpRequest, person_pk: int, pk: int) -> HttpResponse:
    """A case discussion as part of the child's record: for anyone who may open the child, without the rest of the
    worker's supervision."""
    opened = open_record(request, person_pk)
    if isinstance(opened, HttpResponse):
        return opened
    user = request.user
    assert isinstance(user, User)
    found = case_discussion_for(user=user, person=opened, pk=pk)
    if found is None or found.session.status != SupervisionSession.Status.HELD:
        raise Http404
    return render(request, "supervision/case_discussion.html", {"person": opened, "discussion": found})


# ---------------------------------------------------------------------------------------------- policy

def _last_policy_change(row: SupervisionPolicy | None) -> ChangeRecord | None:
    if row is None:
        return None
    return (ChangeRecord.objects.filter(model_label=SupervisionPolicy._meta.label, object_id=str(row.pk))
            .select_related("by_user").order_by("-at", "-id").first())


@login_required
@require_GET
def policy(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    row = policy_row(local_authority=user.local_authority_id)
    current = policy_from(row)
    return render(request, "supervision/policy.html", {
        "policy": current, "row": row, "last_change": _last_policy_change(row),
        "frequencies": [(Role(role).label, current.frequencies.get(role)) for role in SUPERVISED_ROLES],
        "may_change": user.has_perm("supervision.change_policy"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def policy_change(request: HttpRequest) -> HttpResponse:
    user = _user(request, "supervision.change_policy")
    la = user.local_authority
    assert la is not None
    row = policy_row(local_authority=la)
    current = policy_from(row)
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                policy_set(local_authority=la, expected_version=data["version"], frequencies=form.frequencies(),
                           asye_first_weeks=data["asye_first_weeks"],
                           asye_first_every_weeks=data["asye_first_every_weeks"],
                           asye_every_weeks=data["asye_every_weeks"], asye_months=data["asye_months"],
                           case_discussion_weeks=data["case_discussion_weeks"], by=user)
            except (StaleVersionError, ValidationError) as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, "Supervision policy saved")
                return redirect("supervision:policy")
    else:
        initial: dict[str, Any] = {
            "version": row.version if row else 0, "asye_first_weeks": current.asye_first_weeks,
            "asye_first_every_weeks": current.asye_first.every, "asye_every_weeks": current.asye.every,
            "asye_months": current.asye_months, "case_discussion_weeks": current.case_discussion_weeks,
        }
        for role in SUPERVISED_ROLES:
            interval = current.frequencies.get(role)
            initial[f"{role}_every"] = interval.every if interval else None
            initial[f"{role}_unit"] = interval.unit if interval else WEEKS
        form = PolicyForm(initial=initial)
    role_fields = [(Role(role).label, form[f"{role}_every"], form[f"{role}_unit"]) for role in SUPERVISED_ROLES]
    return render(request, "supervision/policy_form.html", {"form": form, "role_fields": role_fields})

