"""Training pages: every programme's coverage, a course with its sessions and who is not yet trained, a session's
register, apprenticeship cohorts, and each member of staff's own training record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.audit.models import StaleVersionError
from hearth.workspace.forms import STALE_MESSAGE, show_refusal, who_changed
from hearth.workspace.pages import council_staff_allowed

from .forms import (
    ApprenticeAddForm,
    ApprenticeForm,
    BookPartnerForm,
    BookWorkerForm,
    CancelSessionForm,
    CohortForm,
    CourseEditForm,
    CourseForm,
    RegisterForm,
    SessionForm,
    who_booked,
)
from .models import Apprentice, TrainingAttendance, TrainingCourse, TrainingSession
from .selectors import (
    HOLDING,
    apprentice_for,
    apprentices_of,
    apprenticeship_summary,
    bookable_staff,
    cohort_for,
    course_coverage,
    course_for,
    places_left,
    practitioners_by_team,
    register,
    session_for,
    sessions_of,
    staff_in_post,
    team_order,
    training_summary,
    untrained_practitioners,
    upcoming_sessions,
    whole_percent,
    worker_record,
)
from .services import (
    apprentice_add,
    apprentice_update,
    attendance_book,
    attendance_cancel,
    cohort_create,
    course_create,
    course_update,
    register_mark,
    session_cancel,
    session_create,
)

VIEW, MANAGE, ATTENDANCE = "training.view_training", "training.manage_training", "training.record_attendance"
UPCOMING = 10
UNTRAINED_PAGE = 50


# ---------------------------------------------------------------------------------------------- helpers

def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.local_authority_id is None or not user.is_council_staff:
        raise PermissionDenied
    return user


def _allowed(request: HttpRequest, perm: str) -> User:
    _staff(request)
    return council_staff_allowed(request, perm)


def _course(user: User, pk: int) -> TrainingCourse:
    course = course_for(local_authority=user.local_authority_id, pk=pk)  # type: ignore[arg-type]
    if course is None:
        raise Http404
    return course


def _session(user: User, pk: int) -> TrainingSession:
    session = session_for(local_authority=user.local_authority_id, pk=pk)  # type: ignore[arg-type]
    if session is None:
        raise Http404
    return session


def _la(user: User) -> int:
    assert user.local_authority_id is not None
    return user.local_authority_id


def _values(form: forms.Form, *names: str) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in names}


# ---------------------------------------------------------------------------------------------- overview

@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every programme's coverage, the sessions coming up and the apprenticeship cohorts. A member of staff
    without a council-wide role goes to their own record."""
    user = _staff(request)
    if not user.has_perm(VIEW):
        return redirect("training:mine")
    today = timezone.localdate()
    la = _la(user)
    coverage = training_summary(local_authority=la, on=today)
    return render(request, "training/index.html", {
        "today": today,
        "coverage": [(c, whole_percent(c.trained, c.target)) for c in coverage],
        "upcoming": list(upcoming_sessions(local_authority=la, on=today)[:UPCOMING]),
        "cohorts": apprenticeship_summary(local_authority=la, on=today),
        "may_manage": user.has_perm(MANAGE),
    })


# ---------------------------------------------------------------------------------------------- a worker's record

@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    return _record_page(request, user, user)


@login_required
@require_GET
def worker(request: HttpRequest, user_pk: int) -> HttpResponse:
    user = _staff(request)
    subject = User.objects.filter(pk=user_pk, local_authority_id=user.local_authority_id).select_related(
        "team").first()
    if subject is None:
        raise Http404
    if not user.has_perm(VIEW, subject):
        raise PermissionDenied
    return _record_page(request, user, subject)


def _record_page(request: HttpRequest, user: User, subject: User) -> HttpResponse:
    today = timezone.localdate()
    record = worker_record(worker=subject, on=today)
    missing = ", ".join(c.title for c in record.mandatory_not_started)
    return render(request, "training/record.html", {
        "record": record, "subject": subject, "own": subject.pk == user.pk, "today": today,
        "may_view_all": user.has_perm(VIEW),
        "mandatory_missing": f"Mandatory training not yet booked: {missing}" if missing else "",
    })


# ---------------------------------------------------------------------------------------------- courses

@login_required
@require_GET
def course(request: HttpRequest, pk: int) -> HttpResponse:
    user = _allowed(request, VIEW)
    course_ = _course(user, pk)
    today = timezone.localdate()
    coverage = course_coverage(course=course_, on=today)
    sessions = list(sessions_of(course=course_))
    in_teams = practitioners_by_team(local_authority=_la(user), on=today)
    trained_in = dict(coverage.by_team)
    by_team = sorted(((name, trained_in.get(name, 0), in_teams.get(name)) for name in set(trained_in) | set(in_teams)),
                     key=lambda row: team_order(row[0]))
    context: dict[str, Any] = {
        "course": course_, "coverage": coverage, "percent": whole_percent(coverage.trained, coverage.target),
        "planned": [s for s in sessions if s.held_on > today],
        "past": [s for s in reversed(sessions) if s.held_on <= today],  # the latest first
        "by_team": [(name, trained, n, whole_percent(trained, n) if n else None) for name, trained, n in by_team],
        "today": today, "may_manage": user.has_perm(MANAGE), "untrained_page": None,
    }
    # Managers who fill places see who is still to be trained on a course everyone must do.
    if course_.is_mandatory and user.has_perm(ATTENDANCE):
        team = user.team if user.role == Role.TEAM_MANAGER and user.team_id else None
        page = Paginator(untrained_practitioners(course=course_, on=today, team=team), UNTRAINED_PAGE).get_page(
            request.GET.get("page"))
        context |= {"untrained_page": page, "untrained_team": team,
                    "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)}
    return render(request, "training/course.html", context)


COURSE_FIELDS = ("title", "description", "audience", "target_trained", "sessions_to_complete", "target_date",
                 "is_mandatory")


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request: HttpRequest) -> HttpResponse:
    user = _allowed(request, MANAGE)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = course_create(local_authority=_la(user), **_values(form, *COURSE_FIELDS), by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{created.title} added")
            return redirect("training:course", pk=created.pk)
    return render(request, "training/course_form.html", {"form": form, "course": None})


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _allowed(request, MANAGE)
    course_ = _course(user, pk)
    if request.method == "POST":
        form = CourseEditForm(request.POST)
        if form.is_valid():
            try:
                course_update(course=course_, expected_version=form.cleaned_data["version"],
                              **_values(form, *COURSE_FIELDS), by=user)
            except (StaleVersionError, ValidationError) as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, f"{course_.title} saved")
                return redirect("training:course", pk=course_.pk)
    else:
        form = CourseEditForm(initial={"version": course_.version} | {f: getattr(course_, f) for f in COURSE_FIELDS})
    return render(request, "training/course_form.html", {"form": form, "course": course_})


# ---------------------------------------------------------------------------------------------- sessions

@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _allowed(request, MANAGE)
    course_ = _course(user, pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = session_create(course=course_, **_values(form, "held_on", "capacity", "venue", "trainer"),
                                     by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"Session on {created.held_on.day} {created.held_on:%B %Y} added")
            return redirect("training:session", pk=created.pk)
    return render(request, "training/session_form.html", {"form": form, "course": course_})


def _holding(bookings: list[TrainingAttendance]) -> list[TrainingAttendance]:
    return [b for b in bookings if b.status in HOLDING]


def _session_page(request: HttpRequest, user: User, session: TrainingSession, *,
                  register_form: RegisterForm | None = None, staff_form: BookWorkerForm | None = None,
                  partner_form: BookPartnerForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    bookings = list(register(session=session))
    may_book = user.has_perm(ATTENDANCE) and not session.cancelled
    may_mark = may_book and session.held_on <= today
    if may_mark and register_form is None and _holding(bookings):
        register_form = RegisterForm(bookings=_holding(bookings))
    if may_book:
        staff_form = staff_form or BookWorkerForm(staff=bookable_staff(session=session, on=today))
        partner_form = partner_form or BookPartnerForm()
    errors = [f for f in (register_form, staff_form, partner_form) if f is not None and f.errors]
    return render(request, "training/session.html", {
        "session": session, "course": session.course, "bookings": [(b, who_booked(b)) for b in bookings],
        "places_left": places_left(session), "today": today, "may_book": may_book, "may_mark": may_mark,
        "may_cancel": user.has_perm(MANAGE) and not session.cancelled and session.held_on >= today,
        "register_form": register_form if may_mark else None, "staff_form": staff_form,
        "partner_form": partner_form, "error_form": errors[0] if errors else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def session(request: HttpRequest, pk: int) -> HttpResponse:
    """The register: who is booked, and (from the day it is held) who attended."""
    user = _allowed(request, VIEW)
    session_ = _session(user, pk)
    if request.method == "GET":
        return _session_page(request, user, session_)
    if not user.has_perm(ATTENDANCE):
        raise PermissionDenied
    bookings = _holding(list(register(session=session_)))
    form = RegisterForm(request.POST, bookings=bookings)
    if form.is_valid():
        try:
            changed = register_mark(session=session_, marks=form.marks(), versions=form.versions(), by=user)
        except StaleVersionError as stale:
            # Shown again with the marks as typed and the versions now stored, so saving again applies them.
            data = request.POST.copy()
            fresh = _holding(list(register(session=session_)))
            for booking in fresh:
                data[f"version-{booking.pk}"] = str(booking.version)
            form = RegisterForm(data, bookings=fresh)
            form.is_valid()
            form.add_error(None, f"{STALE_MESSAGE} {who_changed(stale.last_change)}".strip())
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"Register saved: {changed} {'mark' if changed == 1 else 'marks'} changed")
            return redirect("training:session", pk=session_.pk)
    return _session_page(request, user, session_, register_form=form)


@login_required
@require_POST
def session_book(request: HttpRequest, pk: int) -> HttpResponse:
    user = _allowed(request, ATTENDANCE)
    session_ = _session(user, pk)
    form = BookWorkerForm(request.POST, staff=bookable_staff(session=session_, on=timezone.localdate()))
    if form.is_valid():
        booked = form.cleaned_data["worker"]
        try:
            attendance_book(session=session_, worker=booked, by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{booked.get_full_name()} booked")
            return redirect("training:session", pk=session_.pk)
    return _session_page(request, user, session_, staff_form=form)


@login_required
@require_POST
def session_book_partner(request: HttpRequest, pk: int) -> HttpResponse:
    user = _allowed(request, ATTENDANCE)
    session_ = _session(user, pk)
    form = BookPartnerForm(request.POST)
    if form.is_valid():
        try:
            booked = attendance_book(session=session_, **_values(form, "attendee_name", "attendee_organisation"),
                                     by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{booked.attendee_name} booked")
            return redirect("training:session", pk=session_.pk)
    return _session_page(request, user, session_, partner_form=form)


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _allowed(request, ATTENDANCE)
    booking = (TrainingAttendance.objects.filter(pk=pk, local_authority_id=user.local_authority_id)
               .select_related("worker", "session").first())
    if booking is None:
        raise Http404
    try:
        attendance_cancel(attendance=booking, by=user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"Booking for {who_booked(booking)} cancelled")
    return redirect("training:session", pk=booking.session_id)


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _allowed(request, MANAGE)
    session_ = _session(user, pk)
    if request.method == "POST":
        form = CancelSessionForm(request.POST)
        if form.is_valid():
            try:
                session_cancel(session=session_, expected_version=form.cleaned_data["version"], by=user)
            except (StaleVersionError, ValidationError) as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, "Session cancelled")
                return redirect("training:course", pk=session_.course_id)
    else:
        form = CancelSessionForm(initial={"version": session_.version})
    return render(request, "training/session_cancel.html", {"form": form, "session": session_,
                                                            "course": session_.course})


# ---------------------------------------------------------------------------------------------- apprenticeships

@login_required
@require_http_methods(["GET", "POST"])
def cohort_new(request: HttpRequest) -> HttpResponse:
    user = _allowed(request, MANAGE)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = cohort_create(local_authority=_la(user), **_values(
                form, "name", "starts_on", "expected_qualification_on", "places", "provider"), by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{created.name} added")
            return redirect("training:cohort", pk=created.pk)
    return render(request, "training/cohort_form.html", {"form": form})


@login_required
@require_GET
def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    user = _allowed(request, VIEW)
    cohort_ = cohort_for(local_authority=_la(user), pk=pk)
    if cohort_ is None:
        raise Http404
    apprentices = list(apprentices_of(cohort=cohort_))
    counts = {status: sum(1 for a in apprentices if a.status == status) for status in Apprentice.Status.values}
    return render(request, "training/cohort.html", {
        "cohort": cohort_, "apprentices": apprentices, "counts": counts,
        "filled": sum(1 for a in apprentices if a.status != Apprentice.Status.WITHDRAWN),
        "may_manage": user.has_perm(MANAGE), "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def apprentice_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _allowed(request, MANAGE)
    cohort_ = cohort_for(local_authority=_la(user), pk=pk)
    if cohort_ is None:
        raise Http404
    today = timezone.localdate()
    staff = staff_in_post(local_authority=_la(user), on=today).exclude(apprenticeships__cohort=cohort_)
    form = ApprenticeAddForm(request.POST or None, staff=staff, local_authority_id=_la(user), on=today)
    if request.method == "POST" and form.is_valid():
        try:
            added = apprentice_add(cohort=cohort_, **_values(form, "worker", "expected_qualification_on",
                                                             "destination_post"), by=user)
        except ValidationError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{added.worker.get_full_name()} added to {cohort_.name}")
            return redirect("training:cohort", pk=cohort_.pk)
    return render(request, "training/apprentice_form.html", {"form": form, "cohort": cohort_, "apprentice": None})


@login_required
@require_http_methods(["GET", "POST"])
def apprentice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _allowed(request, MANAGE)
    apprentice = apprentice_for(local_authority=_la(user), pk=pk)
    if apprentice is None:
        raise Http404
    today = timezone.localdate()
    kwargs: dict[str, Any] = {"local_authority_id": _la(user), "on": today,
                              "current_post_id": apprentice.destination_post_id}
    if request.method == "POST":
        form = ApprenticeForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                apprentice_update(apprentice=apprentice, expected_version=form.cleaned_data["version"], **_values(
                    form, "status", "expected_qualification_on", "qualified_on", "withdrawn_on",
                    "destination_post"), by=user)
            except (StaleVersionError, ValidationError) as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, f"{apprentice.worker.get_full_name()} saved")
                return redirect("training:cohort", pk=apprentice.cohort_id)
    else:
        form = ApprenticeForm(initial={
            "version": apprentice.version, "status": apprentice.status,
            "expected_qualification_on": apprentice.expected_qualification_on,
            "qualified_on": apprentice.qualified_on, "withdrawn_on": apprentice.withdrawn_on,
            "destination_post": apprentice.destination_post_id,
        }, **kwargs)
    return render(request, "training/apprentice_form.html", {"form": form, "cohort": apprentice.cohort,
                                                             "apprentice": apprentice})
