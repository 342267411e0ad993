"""Views for case audits: thin. Check the role, open the child through the people views' own check (the view
logged), bind the form, call the service, show a refusal beside its field with everything typed kept."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.access import services as access_services
from hearth.access.models import AccessEvent
from hearth.access.policy import can_view_person
from hearth.accounts.models import User
from hearth.accounts.roles import CASE_ROLES, Role
from hearth.audit.models import StaleVersionError
from hearth.people.models import Person
from hearth.supervision.selectors import teams_for
from hearth.workspace.forms import show_refusal
from hearth.workspace.pages import restore_draft
from hearth.workspace.pdf import pdf_response
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.services import draft_discard

from . import selectors, services
from .forms import (
    ActionCompleteForm,
    ActionForm,
    AuditForm,
    ModerationForm,
    PracticeWeekForm,
    RoundForm,
    SummaryForm,
    TemplateForm,
)
from .forms import ThemeFilterForm as _ThemeFilterForm
from .models import AuditRound, CaseAudit, PracticeWeekTeam
from .practice import week_picture
from .rules import may_audit, may_complete_action, may_moderate, may_set_action, may_view_audit
from .themes import THEMES

PER_PAGE = 25


# ---------------------------------------------------------------- who may do what


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.local_authority_id is None:
        raise PermissionDenied
    return user


def _allowed(request: HttpRequest, perm: str) -> User:
    user = _user(request)
    # The role rule itself as well as has_perm: Django lets a superuser through every has_perm.
    if not user.has_perm(perm) or user.is_superuser:
        raise PermissionDenied
    return user


def _reader(request: HttpRequest) -> User:
    return _allowed(request, "case_audits.view_audits")


def _manager(request: HttpRequest) -> User:
    return _allowed(request, "case_audits.manage_rounds")


def _staff(request: HttpRequest) -> User:
    user = _user(request)
    if not user.has_case_access:
        raise PermissionDenied
    return user


def _open_child(request: HttpRequest, user: User, person: Person) -> None:
    """Every page of an audit shows the child's record: logged as a view of it."""
    access_services.access_record(user=user, person=person, action=AccessEvent.Action.VIEW,
                                  page=request.get_full_path())


def _audit(request: HttpRequest, pk: int) -> tuple[User, CaseAudit]:
    """The audit, when the user may see it (404 otherwise: a sealed child's audit is not theirs to know of)."""
    user = _user(request)
    audit = selectors.audit_for(local_authority_id=user.local_authority_id, pk=pk)  # type: ignore[arg-type]
    if audit is None or not may_view_audit(user, audit):
        raise Http404
    return user, audit


# ---------------------------------------------------------------- overview


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_perm("case_audits.view_audits"):
        if user.has_case_access:
            return redirect("case_audits:my_actions")
        raise PermissionDenied
    today = timezone.localdate()
    start = today.replace(day=1) - relativedelta(months=11)
    la = user.local_authority_id
    assert la is not None
    auditor = user.has_perm("case_audits.audit_cases")
    mine = list(selectors.audits_for_auditor(user=user)[:10]) if auditor else []
    summary = selectors.audit_summary(local_authority=la, start=start, end=today)
    context = {
        "summary": summary,
        "summary_start": start,
        "today": today,
        "mine": mine,
        "mine_count": selectors.audits_for_auditor(user=user).count() if auditor else 0,
        "moderation_count": selectors.moderation_queue(user=user).count() if auditor else 0,
        "rounds": list(selectors.rounds_for(local_authority_id=la)[:6]),
        "auditor": auditor,
        "manager": user.has_perm("case_audits.manage_rounds"),
        "has_templates": selectors.templates_for(local_authority_id=la).exists(),
        "grade_rows": _grade_rows(summary),
    }
    return render(request, "case_audits/index.html", context)


def _grade_rows(summary: selectors.AuditSummary) -> list[tuple[str, int, float | None]]:
    return [(selectors.GRADE_LABELS[k], n, selectors.percent(n, summary.audits)) for k, n in summary.grades.items()]


# ---------------------------------------------------------------- rounds


@login_required
@require_GET
def rounds(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    found = selectors.rounds_for(local_authority_id=user.local_authority_id)  # type: ignore[arg-type]
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "case_audits/rounds.html", {
        "page_obj": page, "manager": user.has_perm("case_audits.manage_rounds"), "themes": THEMES,
    })


def _default_title(data: dict[str, Any]) -> str:
    month = date.fromisoformat(data["month"])
    what = THEMES[data["theme"]].label if data["method"] == AuditRound.Method.THEMED else "random sample"
    return f"{month:%B %Y}: {what[0].lower() + what[1:]}"


def _default_auditors(pool: list[User]) -> list[int]:
    """The quality assurance unit's officers; the team managers where there are none."""
    qa = [a.pk for a in pool if a.role == Role.IRO]
    return qa or [a.pk for a in pool if a.role == Role.TEAM_MANAGER]


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def round_new(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    la = user.local_authority
    assert la is not None
    pool = selectors.auditor_pool(local_authority_id=la.pk)
    kwargs: dict[str, Any] = {"local_authority_id": la.pk, "auditors": pool,
                              "areas": selectors.service_areas(local_authority_id=la.pk)}
    today = timezone.localdate()
    if request.method == "POST":
        form = RoundForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.round_draw(
                    local_authority=la, title=data["title"] or _default_title(data),
                    month=date.fromisoformat(data["month"]), template=data["template"], method=data["method"],
                    theme=data["theme"] or "", scope_team=data["scope_team"],
                    scope_service_area=data["scope_service_area"] or "", sample_size=data["sample_size"],
                    auditors=list(data["auditors"]), due_on=data["due_on"], seed=data["seed"],
                    moderation_percent=data["moderation_percent"], by=user)
            except ValidationError as refused:
                show_refusal(form, refused)
            else:
                n = made.audits.count()
                messages.success(request, f"Sample drawn: {n} case{'s' if n != 1 else ''} allocated to auditors")
                return redirect("case_audits:round", pk=made.pk)
    else:
        form = RoundForm(initial={"month": today.replace(day=1).isoformat(), "sample_size": 10,
                                  "moderation_percent": 15, "due_on": today + relativedelta(days=28),
                                  "auditors": _default_auditors(list(pool))}, **kwargs)
    return render(request, "case_audits/round_new.html", {"form": form, "themes": THEMES.values()})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    found = selectors.round_for(local_authority_id=user.local_authority_id, pk=pk)  # type: ignore[arg-type]
    if found is None:
        raise Http404
    audits = list(selectors.audits_in_round(user=user, audit_round=found))
    return render(request, "case_audits/round.html", {
        "round": found, "audits": audits, "criteria": found.criteria, "theme": THEMES.get(found.theme),
    })


# ---------------------------------------------------------------- auditing


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = _allowed(request, "case_audits.audit_cases")
    return render(request, "case_audits/mine.html", {
        "open": list(selectors.audits_for_auditor(user=user)),
        "done": list(selectors.audits_for_auditor(user=user, open_only=False)
                     .filter(status=CaseAudit.Status.SUBMITTED).order_by("-submitted_on", "-pk")[:20]),
        "moderation": list(selectors.moderation_queue(user=user)[:50]),
    })


@login_required
@require_GET
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, audit = _audit(request, pk)
    _open_child(request, user, audit.child)
    moderation = selectors.moderation_of(audit)
    names = selectors.theme_names(local_authority_id=audit.local_authority_id)
    return render(request, "case_audits/audit.html", {
        "audit": audit, "answers": selectors.answers_of(audit=audit), "moderation": moderation,
        "themes": [names.get(t, t) for t in audit.themes or []], "actions": list(selectors.actions_of(audit=audit)),
        "may_audit": may_audit(user, audit), "may_moderate": may_moderate(user, audit),
        "may_set_action": may_set_action(user, audit), "today": timezone.localdate(),
        "grade_labels": selectors.GRADE_LABELS,
    })


@login_required
@require_http_methods(["GET", "POST"])
def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, audit = _audit(request, pk)
    if not may_audit(user, audit):
        raise PermissionDenied
    _open_child(request, user, audit.child)
    answers = selectors.answers_of(audit=audit)
    questions = [q for q, _ in answers]
    kwargs: dict[str, Any] = {"questions": questions,
                              "themes": list(selectors.active_themes(local_authority_id=audit.local_authority_id))}
    draft_key = f"case-audit-{audit.pk}"
    restored_at = None
    if request.method == "POST":
        form = AuditForm(request.POST, **kwargs)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.audit_save(
                    audit=audit, answers=form.answers(), overall_grade=data["overall_grade"] or "",
                    strengths=data["strengths"], areas_for_development=data["areas_for_development"],
                    themes=data["themes"], worker_feedback=data["worker_feedback"],
                    family_feedback=data["family_feedback"], submit=submit, by=user,
                    expected_version=data["version"])
            except (ValidationError, StaleVersionError) as refused:
                show_refusal(form, refused)
            else:
                draft_discard(user=user, key=draft_key)
                if submit:
                    messages.success(request, "Audit submitted")
                    return redirect("case_audits:audit", pk=audit.pk)
                messages.success(request, "Your audit is saved. Come back to it at any time before you submit it")
                return redirect("case_audits:audit_edit", pk=audit.pk)
    else:
        restored, restored_at = restore_draft(request, draft_key)
        form = AuditForm(restored, **kwargs) if restored is not None else AuditForm(
            initial=AuditForm.initial_for(audit, answers), **kwargs)
    return render(request, "case_audits/audit_form.html", {
        "audit": audit, "form": form, "draft_key": draft_key, "restored_at": restored_at,
    })


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    user, audit = _audit(request, pk)
    if not may_moderate(user, audit):
        raise PermissionDenied
    _open_child(request, user, audit.child)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.audit_moderate(audit=audit, agreed=data["decision"] == "agree", grade=data["grade"] or "",
                                    rationale=data["rationale"], by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Moderation recorded")
            return redirect("case_audits:audit", pk=audit.pk)
    return render(request, "case_audits/moderate.html", {
        "audit": audit, "form": form, "answers": selectors.answers_of(audit=audit),
        "grade_labels": selectors.GRADE_LABELS,
    })


# ---------------------------------------------------------------- actions


def _action_staff(audit: CaseAudit) -> Any:
    team_staff = Q(team_id=audit.team_id) if audit.team_id else Q(pk__in=[])
    return (User.objects.filter(team_staff | Q(pk=audit.worker_id), local_authority_id=audit.local_authority_id,
                                is_active=True, role__in=CASE_ROLES)
            .order_by("last_name", "first_name", "pk"))


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    user, audit = _audit(request, pk)
    if not may_set_action(user, audit):
        raise PermissionDenied
    _open_child(request, user, audit.child)
    staff = _action_staff(audit)
    initial = {"assigned_to": audit.worker_id, "due_on": timezone.localdate() + relativedelta(days=20)}
    form = ActionForm(request.POST or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_set(audit=audit, what=data["what"], assigned_to=data["assigned_to"],
                                due_on=data["due_on"], by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"Action set for {data['assigned_to'].get_full_name()}")
            return redirect("case_audits:audit", pk=audit.pk)
    return render(request, "case_audits/action_new.html", {"audit": audit, "form": form})


@login_required
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    found = list(selectors.actions_for_worker(user=user, include_done=True)[:200])
    today = timezone.localdate()
    return render(request, "case_audits/my_actions.html", {
        "open": [a for a in found if a.completed_on is None],
        "done": [a for a in found if a.completed_on is not None][:20],
        "today": today,
    })


@login_required
@require_GET
def actions(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if not user.has_case_access:
        raise PermissionDenied
    overdue_only = request.GET.get("show") == "overdue"
    today = timezone.localdate()
    found = selectors.actions_for_manager(user=user, overdue_only=overdue_only, today=today)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "case_audits/actions.html", {
        "page_obj": page, "overdue_only": overdue_only, "today": today,
        "querystring_prefix": "show=overdue&" if overdue_only else "",
    })


@login_required
@require_http_methods(["GET", "POST"])
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    from .models import AuditAction

    action = (AuditAction.objects.filter(local_authority_id=user.local_authority_id, pk=pk)
              .select_related("child", "audit", "set_by", "assigned_to").first())
    if action is None or not can_view_person(user, action.child):
        raise Http404
    if not may_complete_action(user, action):
        raise PermissionDenied
    _open_child(request, user, action.child)
    form = ActionCompleteForm(request.POST or None, initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_complete(action=action, note=form.cleaned_data["note"], by=user,
                                     expected_version=form.cleaned_data["version"])
        except (ValidationError, StaleVersionError) as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Action completed")
            return redirect("case_audits:my_actions" if action.assigned_to_id == user.pk else "case_audits:actions")
    return render(request, "case_audits/action_complete.html", {"action": action, "form": form})


# ---------------------------------------------------------------- themes


@login_required
@require_GET
def themes(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    la = user.local_authority_id
    assert la is not None
    form = _ThemeFilterForm(request.GET or None, local_authority_id=la,
                            areas=selectors.service_areas(local_authority_id=la))
    start, end = form.period()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    team = data.get("team")
    report = selectors.theme_report(user=user, start=start, end=end, team_id=team.pk if team else None,
                                    service_area=data.get("service_area") or "")
    quoted = report.example_children
    if quoted:
        # The auditors' words about each child quoted here are read from the child's case: logged as a view.
        people = Person.objects.filter(local_authority_id=la, pk__in=quoted).only("pk", "local_authority_id")
        access_services.access_record_many(user=user, people=people, action=AccessEvent.Action.VIEW,
                                           page=request.get_full_path())
    return render(request, "case_audits/themes.html", {
        "form": form, "report": report, "grade_labels": list(selectors.GRADE_LABELS.values()),
    })


# ---------------------------------------------------------------- templates


@login_required
@require_GET
def templates(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    return render(request, "case_audits/templates.html", {
        "templates": list(selectors.templates_for(local_authority_id=user.local_authority_id)),  # type: ignore[arg-type]
        "manager": user.has_perm("case_audits.manage_rounds"),
    })


@login_required
@require_POST
def templates_install(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    assert user.local_authority is not None
    written = services.audit_defaults_install(local_authority=user.local_authority, by=user)
    if written:
        messages.success(request, "The standard templates and themes are set up")
    return redirect("case_audits:templates")


@login_required
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    template = selectors.template_for(local_authority_id=user.local_authority_id, pk=pk)  # type: ignore[arg-type]
    if template is None:
        raise Http404
    return render(request, "case_audits/template.html", {
        "template": template, "questions": selectors.questions_of(template=template),
        "manager": user.has_perm("case_audits.manage_rounds"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def template_revise(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    template = selectors.template_for(local_authority_id=user.local_authority_id, pk=pk)  # type: ignore[arg-type]
    if template is None:
        raise Http404
    if not template.is_current:
        messages.info(request, "That is an old version; this is the current one")
        current = selectors.templates_for(local_authority_id=template.local_authority_id, current_only=True).filter(
            family=template.family).first()
        if current is None:
            raise Http404
        return redirect("case_audits:template_revise", pk=current.pk)
    questions = selectors.questions_of(template=template)
    rows = len(questions)
    if request.method == "POST":
        posted_rows = sum(1 for k in request.POST if k.startswith("text_")) - TemplateForm.EXTRA
        form = TemplateForm(request.POST, rows=max(rows, posted_rows))
        if form.is_valid():
            try:
                edition = services.template_revise(template=template, name=form.cleaned_data["name"],
                                                   description=form.cleaned_data["description"],
                                                   questions=form.questions(), by=user)
            except ValidationError as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, f"Version {edition.edition} saved. Rounds already drawn keep the "
                                          f"questions they were drawn with")
                return redirect("case_audits:template", pk=edition.pk)
    else:
        form = TemplateForm(initial=TemplateForm.initial_for(template, questions), rows=rows)
    return render(request, "case_audits/template_form.html", {"template": template, "form": form})


# ---------------------------------------------------------------- practice weeks


def _week(request: HttpRequest, pk: int) -> tuple[User, Any]:
    user = _reader(request)
    week = selectors.practice_week_for(local_authority_id=user.local_authority_id, pk=pk)  # type: ignore[arg-type]
    if week is None:
        raise Http404
    return user, week


@login_required
@require_GET
def practice_weeks(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    found = selectors.practice_weeks_for(local_authority_id=user.local_authority_id)  # type: ignore[arg-type]
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "case_audits/practice_weeks.html", {
        "page_obj": page, "manager": user.has_perm("case_audits.manage_practice_weeks"),
    })


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def practice_week_new(request: HttpRequest) -> HttpResponse:
    user = _allowed(request, "case_audits.manage_practice_weeks")
    la = user.local_authority
    assert la is not None
    form = PracticeWeekForm(request.POST or None, local_authority_id=la.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            week = services.practice_week_create(local_authority=la, title=data["title"], start=data["start"],
                                                 end=data["end"], teams=list(data["teams"]), by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Practice week set up")
            return redirect("case_audits:practice_week", pk=week.pk)
    return render(request, "case_audits/practice_week_new.html", {"form": form})


def _named_teams(user: User) -> set[int]:
    """Teams whose workers' supervision the user may see by name (as the supervision pages allow: a team manager
    their own team, heads of service and the director every team); for the rest, the figures only."""
    return set(teams_for(user=user).values_list("pk", flat=True)) if user.has_case_access else set()


@login_required
@require_GET
def practice_week(request: HttpRequest, pk: int) -> HttpResponse:
    user, week = _week(request, pk)
    return render(request, "case_audits/practice_week.html", {
        "picture": week_picture(user=user, week=week), "grade_labels": selectors.GRADE_LABELS,
        "manager": user.has_perm("case_audits.manage_practice_weeks"), "named_teams": _named_teams(user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def practice_week_summary(request: HttpRequest, pk: int, team_pk: int | None = None) -> HttpResponse:
    user, week = _week(request, pk)
    if not user.has_perm("case_audits.manage_practice_weeks"):
        raise PermissionDenied
    entry: Any = week
    if team_pk is not None:
        entry = PracticeWeekTeam.objects.filter(week=week, team_id=team_pk).select_related("team").first()
        if entry is None:
            raise Http404
    form = SummaryForm(request.POST or None, initial={
        "version": entry.version, "what_we_found": entry.what_we_found, "what_we_will_do": entry.what_we_will_do})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.practice_week_summary_save(entry=entry, what_we_found=data["what_we_found"],
                                                what_we_will_do=data["what_we_will_do"], by=user,
                                                expected_version=data["version"])
        except (ValidationError, StaleVersionError) as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Summary saved")
            return redirect("case_audits:practice_week", pk=week.pk)
    return render(request, "case_audits/summary_form.html", {
        "week": week, "entry": entry, "team": entry.team if team_pk is not None else None, "form": form,
    })


def _print_context(request: HttpRequest, user: User, week: Any) -> dict[str, Any]:
    return {
        "picture": week_picture(user=user, week=week), "grade_labels": selectors.GRADE_LABELS,
        "council_name": settings.HEARTH_COUNCIL_NAME, "printed_at": timezone.localtime(),
        "printed_by": user.get_full_name() or user.get_username(), "named_teams": _named_teams(user),
    }


@login_required
@require_GET
def practice_week_print(request: HttpRequest, pk: int) -> HttpResponse:
    user, week = _week(request, pk)
    return render(request, "case_audits/practice_week_document.html", _print_context(request, user, week))


@login_required
@require_GET
def practice_week_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user, week = _week(request, pk)
    context = {**_print_context(request, user, week), "for_pdf": True}
    html = render_to_string("case_audits/practice_week_document.html", context, request=request)
    return pdf_response(html, filename=f"practice-week-{week.start:%Y-%m-%d}.pdf")

