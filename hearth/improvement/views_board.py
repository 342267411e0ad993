"""The improvement board's pages (meetings, generating and opening board packs) and the self-evaluation's.

Thin: check the role, read through ``pack_selectors``, bind the form, call ``pack_services``; a refusal is shown
beside its field with everything typed kept. A board pack is made in the background: the meeting page polls
its progress with htmx (as the returns page does) and then offers the PDF.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.accounts.models import User
from hearth.audit.models import StaleVersionError
from hearth.indicators.registry import last_month_end, rolling_year
from hearth.tenancy.models import LocalAuthority
from hearth.workspace.pages import council_staff_allowed, saved
from hearth.workspace.pdf import pdf_response
from hearth.workspace.resubmission import refuses_resubmission

from . import pack_selectors as selectors
from .models import BoardMeeting, BoardPack, SelfEvaluation
from .pack_forms import MeetingEditForm, MeetingForm, SelfEvaluationForm, SelfEvaluationNewForm, VersionOnlyForm
from .pack_services import (
    PackUnderWay,
    board_meeting_create,
    board_meeting_update,
    board_pack_opened,
    board_pack_request,
    board_pack_stop_if_stalled,
    pack_filename,
    self_evaluation_agree,
    self_evaluation_create,
    self_evaluation_reassemble,
    self_evaluation_update,
)
from .self_evaluation import SECTIONS, question

PAST_PER_PAGE = 20


# ------------------------------------------------------------------------------------------------ who may

def _allowed(request: HttpRequest, perm: str) -> User:
    return council_staff_allowed(request, perm)


def _reader(request: HttpRequest) -> User:
    return _allowed(request, "improvement.view_board")


def _board_manager(request: HttpRequest) -> User:
    return _allowed(request, "improvement.manage_board")


def _writer(request: HttpRequest) -> User:
    return _allowed(request, "improvement.edit_self_evaluation")


def _la(user: User) -> int:
    assert user.local_authority_id is not None
    return user.local_authority_id


def _council(user: User) -> LocalAuthority:
    assert user.local_authority is not None
    return user.local_authority


def _meeting(user: User, pk: int) -> BoardMeeting:
    meeting = selectors.meeting_for(local_authority_id=_la(user), pk=pk)
    if meeting is None:
        raise Http404
    return meeting


# ------------------------------------------------------------------------------------------------ meetings

def _with_packs(meetings: Any) -> list[BoardMeeting]:
    """Each meeting with its latest pack and its latest ready one (from the prefetched packs, newest first)."""
    out = list(meetings)
    for m in out:
        packs = list(m.packs.all())
        m.pack_latest = packs[0] if packs else None
        m.pack_ready = next((p for p in packs if p.status == BoardPack.Status.READY), None)
    return out


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    today = timezone.localdate()
    upcoming = _with_packs(selectors.upcoming_meetings(local_authority_id=_la(user), today=today))
    past = Paginator(selectors.past_meetings(local_authority_id=_la(user), today=today), PAST_PER_PAGE)
    page_obj = past.get_page(request.GET.get("page"))
    page_obj.object_list = _with_packs(page_obj.object_list)
    return render(request, "improvement/board.html", {
        "upcoming": upcoming, "next_meeting": upcoming[0] if upcoming else None, "page_obj": page_obj,
        "can_manage": user.has_perm("improvement.manage_board"),
    })


@login_required
@refuses_resubmission
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = _board_manager(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = saved(form, lambda: board_meeting_create(
            local_authority=_council(user), held_on=data["held_on"], chair=data["chair"],
            location=data["location"], agenda=data["agenda"], minutes=data["minutes"], decisions=data["decisions"],
            by=user))
        if meeting is not None:
            messages.success(request, "Board meeting added")
            return redirect("improvement:board_meeting", pk=meeting.pk)
    return render(request, "improvement/board_meeting_form.html", {"form": form, "meeting": None})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _board_manager(request)
    meeting = _meeting(user, pk)
    initial = {"held_on": meeting.held_on, "chair": meeting.chair, "location": meeting.location,
               "agenda": meeting.agenda, "minutes": meeting.minutes, "decisions": meeting.decisions,
               "version": meeting.version}
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = saved(form, lambda: board_meeting_update(
            meeting=meeting, held_on=data["held_on"], chair=data["chair"], location=data["location"],
            agenda=data["agenda"], minutes=data["minutes"], decisions=data["decisions"],
            expected_version=data["version"], by=user))
        if done is not None:
            messages.success(request, "Board meeting saved")
            return redirect("improvement:board_meeting", pk=meeting.pk)
    return render(request, "improvement/board_meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@require_GET
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    item = _meeting(user, pk)
    packs = [board_pack_stop_if_stalled(pack=p) if p.status in selectors.UNDER_WAY else p
             for p in selectors.packs_for(local_authority_id=_la(user)).filter(meeting=item)]
    under_way = selectors.pack_under_way(local_authority_id=_la(user))
    return render(request, "improvement/board_meeting.html", {
        "meeting": item, "packs": packs, "latest": packs[0] if packs else None,
        "latest_data_to": last_month_end(packs[0].as_at) if packs else None,
        "under_way": under_way, "can_manage": user.has_perm("improvement.manage_board"),
        "today": timezone.localdate(), "data_to": last_month_end(timezone.localdate()),
    })


# ------------------------------------------------------------------------------------------------ board packs

@login_required
@require_POST
def pack_generate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _board_manager(request)
    item = _meeting(user, pk)
    try:
        board_pack_request(local_authority=_council(user), meeting=item, as_at=timezone.localdate(),
                           by=user)
    except PackUnderWay as under_way:
        messages.info(request, "A board pack is already being generated for the council. Its progress is shown "
                               "on its meeting's page; generate this one when it has finished.")
        return redirect("improvement:board_meeting", pk=under_way.pack.meeting_id or item.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("improvement:board_meeting", kwargs={"pk": item.pk}) + "#packs")


@login_required
@require_GET
def pack_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack's status alone, polled while it is being made; once finished htmx reloads the page."""
    user = _reader(request)
    pack = selectors.pack_for(local_authority_id=_la(user), pk=pk)
    if pack is None:
        raise Http404
    pack = board_pack_stop_if_stalled(pack=pack)
    response = render(request, "improvement/board_pack_progress.html", {"pack": pack})
    if pack.status not in selectors.UNDER_WAY and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    pack = selectors.pack_for(local_authority_id=_la(user), pk=pk)
    if pack is None or pack.status != BoardPack.Status.READY or not pack.pdf:
        raise Http404
    with pack.pdf.open("rb") as stored:
        content = stored.read()
    board_pack_opened(pack=pack, user=user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pack_filename(pack)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------------------------------------ self-evaluation

def _evaluation(user: User, pk: int) -> SelfEvaluation:
    found = selectors.self_evaluation_for(local_authority_id=_la(user), pk=pk)
    if found is None:
        raise Http404
    return found


def _default_period(today: date) -> tuple[date, date]:
    """The twelve months to the last month end."""
    return rolling_year(last_month_end(today))


@login_required
@require_GET
def self_evaluations(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    pages = Paginator(selectors.self_evaluations_for(local_authority_id=_la(user)), PAST_PER_PAGE)
    return render(request, "improvement/self_evaluations.html", {
        "page_obj": pages.get_page(request.GET.get("page")),
        "can_write": user.has_perm("improvement.edit_self_evaluation"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def self_evaluation_new(request: HttpRequest) -> HttpResponse:
    # Not wrapped in refuses_resubmission: that holds a transaction open for the whole view, and assembling the
    # draft reads a year of figures (SQLite would keep every other writer waiting meanwhile).
    user = _writer(request)
    start, end = _default_period(timezone.localdate())
    form = SelfEvaluationNewForm(request.POST or None, initial={
        "title": f"Self-evaluation of social work practice, {end:%B %Y}", "period_start": start, "period_end": end})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evaluation = saved(form, lambda: self_evaluation_create(
            local_authority=_council(user), title=data["title"], period_start=data["period_start"],
            period_end=data["period_end"], by=user))
        if evaluation is not None:
            messages.success(request, "Draft assembled from the data. Read it, then edit it into your own words.")
            return redirect("improvement:self_evaluation_edit", pk=evaluation.pk)
    return render(request, "improvement/self_evaluation_new.html", {"form": form})


@login_required
@require_GET
def self_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    evaluation = _evaluation(user, pk)
    can_write = user.has_perm("improvement.edit_self_evaluation")
    return render(request, "improvement/self_evaluation.html", {
        "evaluation": evaluation, "can_write": can_write and evaluation.status == SelfEvaluation.Status.DRAFT,
        "sections": _sections(evaluation),
    })


def _sections(evaluation: SelfEvaluation) -> list[tuple[str, str, str]]:
    return [(name, question(name), getattr(evaluation, name)) for name in SECTIONS]


@login_required
@require_http_methods(["GET", "POST"])
def self_evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _writer(request)
    evaluation = _evaluation(user, pk)
    if evaluation.status != SelfEvaluation.Status.DRAFT:
        messages.info(request, "This self-evaluation has been agreed and can no longer be changed.")
        return redirect("improvement:self_evaluation", pk=evaluation.pk)
    form = SelfEvaluationForm(request.POST or None, initial={
        "title": evaluation.title, "quality_and_impact": evaluation.quality_and_impact,
        "how_you_know": evaluation.how_you_know, "plans": evaluation.plans, "version": evaluation.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = saved(form, lambda: self_evaluation_update(
            evaluation=evaluation, title=data["title"], quality_and_impact=data["quality_and_impact"],
            how_you_know=data["how_you_know"], plans=data["plans"], expected_version=data["version"], by=user))
        if done is not None:
            messages.success(request, "Self-evaluation saved")
            return redirect("improvement:self_evaluation", pk=evaluation.pk)
    return render(request, "improvement/self_evaluation_form.html", {"form": form, "evaluation": evaluation})


def _act(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    user = _writer(request)
    evaluation = _evaluation(user, pk)
    form = VersionOnlyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Something went wrong: reload the page and try again.")
        return redirect("improvement:self_evaluation", pk=evaluation.pk)
    try:
        action(evaluation=evaluation, expected_version=form.cleaned_data["version"], by=user)
    except StaleVersionError:
        messages.error(request, "Someone else saved this self-evaluation after you opened it. Nothing was changed: "
                                "check the current text, then try again.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("improvement:self_evaluation", pk=evaluation.pk)


@login_required
@require_POST
def self_evaluation_agree_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, self_evaluation_agree, "Self-evaluation marked as agreed")


@login_required
@require_POST
def self_evaluation_reassemble_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, self_evaluation_reassemble, "Draft assembled again from the data")


@login_required
@require_GET
def self_evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    evaluation = _evaluation(user, pk)
    html = render_to_string("improvement/self_evaluation_document.html", {
        "evaluation": evaluation, "sections": _sections(evaluation), "council_name": settings.HEARTH_COUNCIL_NAME,
        "printed_at": timezone.localtime(), "printed_by": user.get_full_name() or user.get_username(),
    }, request=request)
    return pdf_response(html, filename=f"self-evaluation-{evaluation.period_end:%Y-%m-%d}.pdf")

