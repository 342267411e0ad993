from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from hearth.access.models import AccessEvent
from hearth.access.services import access_record
from hearth.accounts.models import User
from hearth.people.models import Person

from . import selectors
from .checks import merge_refusal
from .forms import MergeForm
from .linkage import FIELDS, describe
from .models import DuplicateCandidate, LinkageRun, Merge
from .plan import display_name, link_for, moved_summary, person_field, plan_merge
from .services import MergeRefused, candidate_decide_not_duplicate, linkage_run_start, merge_undo, person_merge
from .tasks import linkage_run_task

PAGE_SIZE = 25
TAGS = {
    "exact": ("Same", "green"),
    "close": ("Similar", "yellow"),
    "differs": ("Different", "red"),
    "missing": ("Not recorded", "grey"),
}


def _reviewer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm("matching.review_duplicates"):
        raise PermissionDenied
    return user


def _log_views(request: HttpRequest, user: User, *people: Person) -> None:
    for person in people:
        access_record(user=user, person=person, action=AccessEvent.Action.VIEW, page=request.path)


def probability_text(probability: float) -> str:
    if probability >= 0.995:
        return "over 99%"
    return f"{probability * 100:.0f}%"


def likelihood_text(probability: float) -> str:
    if probability >= 0.99:
        return "Very likely the same person"
    if probability >= 0.9:
        return "Likely the same person"
    return "Possibly the same person"


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    page_obj = Paginator(selectors.candidates_for_review(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    for candidate in page_obj:
        candidate.probability_text = probability_text(candidate.match_probability)  # type: ignore[attr-defined]
    run = selectors.last_run(local_authority=user.local_authority)  # type: ignore[arg-type]
    return render(request, "matching/queue.html", {
        "page_obj": page_obj,
        "last_run": run,
        "run_in_progress": selectors.run_in_progress(run),
        "can_run": user.has_perm("matching.run_linkage"),
    })


@login_required
@require_POST
def run_now(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    if not user.has_perm("matching.run_linkage"):
        raise PermissionDenied
    council = user.local_authority
    assert council is not None
    if selectors.run_in_progress(selectors.last_run(local_authority=council)):
        messages.info(request, "A duplicate check is already under way.")
        return redirect("matching:queue")
    run = linkage_run_start(local_authority=council, by=user)
    linkage_run_task.enqueue(run.pk)
    run.refresh_from_db()
    if run.status == LinkageRun.Status.FINISHED:
        messages.success(request, "Duplicate check finished. The pairs you can review are listed below.")
    else:
        messages.info(request, "Duplicate check started. The list below updates when it has finished.")
    return redirect("matching:queue")


def _candidate_or_404(user: User, pk: int) -> DuplicateCandidate:
    candidate = selectors.candidate_for(user=user, pk=pk)
    if candidate is None:
        raise Http404
    return candidate


def _value(person: Person, field: str, postcodes: dict[int, str]) -> str:
    if field == "first_name":
        return " ".join(p for p in (person.first_name, person.middle_names) if p)
    if field == "date_of_birth":
        if person.date_of_birth:
            return f"{person.date_of_birth:%-d %B %Y}"
        if person.expected_date_of_birth:
            return f"Unborn, expected {person.expected_date_of_birth:%-d %B %Y}"
        return ""
    if field == "sex":
        return person.get_sex_display() if person.sex != Person.Sex.UNKNOWN else ""
    if field == "postcode":
        return postcodes.get(person.pk, "")
    return str(getattr(person, field) or "")


def _comparison_rows(candidate: DuplicateCandidate, left: Person, right: Person) -> list[dict[str, Any]]:
    postcodes = selectors.current_postcodes(people=[left, right])
    rows = []
    for field, label in FIELDS.items():
        compared = candidate.comparison.get(field, {})
        if field == "related" and compared.get("label") != "related_yes":
            continue  # only worth a row when someone recorded them as relatives
        text, colour = TAGS.get(compared.get("level", "missing"), TAGS["missing"])
        if field in ("family", "related"):
            # Counts from when the pair was found: the family view has the people themselves.
            values = (compared.get("left") or "", compared.get("right") or "")
        else:
            values = (_value(left, field, postcodes), _value(right, field, postcodes))
        rows.append({
            "label": "Current postcode" if field == "postcode" else label,
            "left": values[0] or ("None recorded" if field == "family" else "Not recorded"),
            "right": values[1] or ("None recorded" if field == "family" else "Not recorded"),
            "tag": text, "colour": colour, "meaning": describe(compared.get("label", "missing")),
        })
    return rows


@login_required
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reviewer(request)
    candidate = _candidate_or_404(user, pk)
    left, right = candidate.left, candidate.right
    _log_views(request, user, left, right)
    counts = selectors.record_counts(people=[left, right])
    return render(request, "matching/pair.html", {
        "candidate": candidate,
        "left": left,
        "right": right,
        "rows": _comparison_rows(candidate, left, right),
        "left_counts": counts[left.pk],
        "right_counts": counts[right.pk],
        "probability": probability_text(candidate.match_probability),
        "likelihood": likelihood_text(candidate.match_probability),
        "pending": candidate.status == DuplicateCandidate.Status.PENDING,
        "merge": candidate.merges.filter(undone_at__isnull=True).first(),
    })


@login_required
@require_POST
def not_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reviewer(request)
    candidate = _candidate_or_404(user, pk)
    try:
        candidate_decide_not_duplicate(candidate=candidate, by=user)
    except MergeRefused as refused:
        messages.info(request, refused.reason)
        return redirect("matching:pair", pk=candidate.pk)
    messages.success(request, f"Recorded: records {candidate.left.hearth_id} and {candidate.right.hearth_id} are "
                              "two different people. This pair will not be suggested again.")
    return redirect("matching:queue")


def _plan_rows(plan: Any) -> list[dict[str, Any]]:
    return [{"what": what, "count": count} for what, count in plan.summary()]


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reviewer(request)
    candidate = _candidate_or_404(user, pk)
    if candidate.status != DuplicateCandidate.Status.PENDING:
        messages.info(request, "This pair has already been decided.")
        return redirect("matching:pair", pk=candidate.pk)
    left, right = candidate.left, candidate.right
    form = MergeForm(request.POST or None, left=left, right=right)
    context: dict[str, Any] = {"candidate": candidate, "left": left, "right": right, "form": form}
    if request.method == "POST" and form.is_valid():
        survivor, merged = form.chosen()
        if request.POST.get("confirm") == "yes":
            try:
                done = person_merge(survivor=survivor, merged=merged, by=user, reason=form.cleaned_data["reason"],
                                    candidate=candidate)
            except MergeRefused as refused:
                form.add_error(None, refused.reason)
            else:
                messages.success(request, f"Records merged: record {merged.hearth_id} is now part of record "
                                          f"{survivor.hearth_id}")
                return redirect("matching:merge_detail", pk=done.pk)
        else:
            refusal = merge_refusal(survivor=survivor, merged=merged, by=user)
            if refusal:
                form.add_error(None, refusal)
            else:
                _log_views(request, user, survivor, merged)
                plan = plan_merge(survivor=survivor, merged=merged)
                return render(request, "matching/merge_confirm.html", {
                    **context, "survivor": survivor, "merged": merged, "moves": _plan_rows(plan),
                    "ends": plan.ends, "fills": [person_field(n).verbose_name for n in plan.fills],
                    "stays": [(display_name(link_for(key).model), len(ids), plan.stay_reasons[key])
                              for key, ids in plan.stays.items()],
                    "reason": form.cleaned_data["reason"],
                })
    _log_views(request, user, left, right)
    return render(request, "matching/merge.html", context)


def _merge_or_404(user: User, pk: int) -> Merge:
    found = selectors.merge_for(user=user, pk=pk)
    if found is None:
        raise Http404
    return found


def _moved_rows(found: Merge) -> list[dict[str, Any]]:
    return [{"what": what, "count": count} for what, count in moved_summary(found.moved)]


@login_required
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Anyone who may open the surviving record may see how it came to be (its chronology links here).
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    found = _merge_or_404(user, pk)
    reviewer = user.has_perm("matching.review_duplicates")
    _log_views(request, user, found.survivor, *([found.merged] if found.undone_at else []))
    ended = len(found.ended.get("allocations.Allocation", {}))
    later = selectors.later_merge_exists(merge=found)
    return render(request, "matching/merge_detail.html", {
        "merge": found,
        "moved": _moved_rows(found),
        "ended": ended,
        "filled": [person_field(n).verbose_name for n in found.filled],
        "can_undo": reviewer and found.undone_at is None and not later,
        "later_merge": reviewer and found.undone_at is None and later,
        "reviewer": reviewer,
    })


@login_required
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reviewer(request)
    found = _merge_or_404(user, pk)
    try:
        merge_undo(merge=found, by=user)
    except MergeRefused as refused:
        messages.info(request, refused.reason)
    else:
        messages.success(request, f"Merge undone: records {found.survivor.hearth_id} and {found.merged.hearth_id} "
                                  "are separate again")
    return redirect("matching:merge_detail", pk=found.pk)


@login_required
def history(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    page_obj = Paginator(selectors.merges_visible_to(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/history.html", {"page_obj": page_obj, "now": timezone.now()})
