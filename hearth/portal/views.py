"""The partner portal's pages: send a referral, see your referrals, and the documents download."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hearth.access.models import AccessEvent
from hearth.access.services import access_record
from hearth.accounts.models import User
from hearth.front_door.models import Contact
from hearth.people.models import Person
from hearth.workspace.forms import add_service_errors
from hearth.workspace.resubmission import refuses_resubmission
from hearth.workspace.selectors import draft_as_querydict, draft_for
from hearth.workspace.services import draft_discard

from .forms import CONSENT_CHOICES, YES_NO_NOT_KNOWN, ReferralForm
from .models import AgencyType, PartnerReferral
from .pending import pending_add, pending_clear, pending_documents, pending_keep_only, pending_list
from .rules import is_partner_referrer, may_download_attachment
from .selectors import (
    attachment_for,
    referral_for_partner,
    referrals_for_partner,
    referrer_initial,
    status_for_partner,
)
from .services import Document, normalise_reference, partner_referral_submit
from .throttle import LIMIT_MESSAGE, submission_allowed, submission_count_from
from .uploads import MAX_FILES

DRAFT_KEY = "portal-referral-new"
PAGE_SIZE = 25


def _partner(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not is_partner_referrer(user):
        raise PermissionDenied("This page is for partner agencies sending referrals")
    return user


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


@never_cache  # a school's shared computer must not keep a child's details
@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    user = _partner(request)
    page = Paginator(referrals_for_partner(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(referral, status_for_partner(referral.contact)) for referral in page.object_list]
    return render(request, "portal/list.html", {"page_obj": page, "rows": rows})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def referral_new(request: HttpRequest) -> HttpResponse:
    user = _partner(request)
    restored_at = None
    status = 200
    if request.method == "POST":
        kept = pending_keep_only(request.session, request.POST.getlist("keep_documents"))
        form = ReferralForm(request.POST, request.FILES, kept_count=len(kept))
        if not submission_allowed(user=user, address=_address(request)):
            form.is_valid()  # so every other problem is shown too
            form.add_error(None, LIMIT_MESSAGE)
            status = 429
        elif form.is_valid():
            kept_documents = pending_documents(kept)
            documents = kept_documents + [
                Document(name=f.name or "", size=f.size or 0, stream=f)
                for f in form.cleaned_data["documents"]
            ]
            try:
                referral = partner_referral_submit(user=user, answers=form.answers(), documents=documents)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                submission_count_from(address=_address(request))
                pending_clear(request.session)
                draft_discard(user=user, key=DRAFT_KEY)
                return redirect("portal:sent", reference=referral.reference)
            finally:
                for document in kept_documents:
                    document.stream.close()
        pending_add(request.session, form.accepted_files)
    else:
        draft = draft_for(user=user, key=DRAFT_KEY)
        if draft is not None:
            form = ReferralForm(draft_as_querydict(draft))
            restored_at = draft.saved_at
        else:
            # A new referral: files left from an abandoned one must not attach to it.
            pending_clear(request.session)
            form = ReferralForm(initial=referrer_initial(user=user))
    kept_files = [{"token": token, **item} for token, item in pending_list(request.session).items()]
    context = {
        "form": form,
        "draft_key": DRAFT_KEY,
        "restored_at": restored_at,
        "kept_files": kept_files,
        "max_files": MAX_FILES,
        "rate_limited": status == 429,
    }
    return render(request, "portal/new.html", context, status=status)


def _own_referral(request: HttpRequest, reference: str) -> PartnerReferral:
    user = _partner(request)
    referral = referral_for_partner(user=user, reference=normalise_reference(reference))
    if referral is None:
        raise Http404
    return referral


@never_cache
@login_required
@require_GET
def referral_sent(request: HttpRequest, reference: str) -> HttpResponse:
    referral = _own_referral(request, reference)
    immediate = bool(_part(referral.answers, "concerns", "what_happened").get("immediate_risk"))
    return render(request, "portal/sent.html", {"referral": referral, "immediate_risk": immediate})


def _label(choices: list[tuple[str, str]] | Any, value: str) -> str:
    return dict(choices).get(value, value) or "Not given"


def _given(value: Any) -> str:
    return str(value) if value not in (None, "") else "Not given"


def _part(answers: dict[str, Any], name: str, text_key: str) -> dict[str, Any]:
    """One section of the answers; one stored as plain text (older or imported rows) is read as its main answer."""
    value = answers.get(name) or {}
    return value if isinstance(value, dict) else {text_key: str(value)}


def answer_sections(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The referral as the referrer sent it, in summary-list rows by section."""
    child = _part(answers, "child", "first_name")
    concerns = _part(answers, "concerns", "what_happened")
    consent = _part(answers, "consent", "consent")
    referrer = _part(answers, "referrer", "name")
    if child.get("date_of_birth"):
        born = date.fromisoformat(child["date_of_birth"]).strftime("%-d %B %Y")
    else:
        age = child.get("approximate_age")
        born = f"Not known (about {age} years old)" if age is not None else "Not known"
    address = "\n".join(p for p in (child.get("address_line_1"), child.get("address_line_2"),
                                    child.get("town"), child.get("postcode")) if p)
    sections = [
        {"title": "About the child", "rows": [
            {"key": "Name", "value": f"{child.get('first_name', '')} {child.get('last_name', '')}".strip()},
            {"key": "Date of birth", "value": born},
            {"key": "Sex", "value": _label(Person.Sex.choices, child.get("sex", ""))},
            {"key": "Address", "value": address or "Not given"},
            {"key": "School, college or nursery", "value": _given(child.get("school"))},
            {"key": "First language", "value": _given(child.get("first_language"))},
            {"key": "Interpreter needed", "value": _label(YES_NO_NOT_KNOWN, child.get("interpreter_needed", ""))},
        ]},
    ]
    carer_rows = [
        {"key": carer.get("name", ""), "value": "\n".join(p for p in (
            carer.get("relationship"),
            f"Parental responsibility: {_label(YES_NO_NOT_KNOWN, carer.get('parental_responsibility', '')).lower()}",
            carer.get("phone"),
        ) if p)}
        for carer in answers.get("carers", [])
    ]
    if answers.get("household_notes"):
        carer_rows.append({"key": "Others in the household", "value": answers["household_notes"]})
    sections.append({"title": "Parents and carers", "rows": carer_rows or [{"key": "Parents and carers",
                                                                           "value": "Not given"}]})
    sections.append({"title": "Your concerns", "rows": [
        {"key": "What has happened", "value": concerns.get("what_happened", "")},
        {"key": "When", "value": _given(concerns.get("when"))},
        {"key": "What the child said", "value": _given(concerns.get("childs_words"))},
        {"key": "Immediate risk of harm", "value": "Yes" if concerns.get("immediate_risk") else "No"},
    ]})
    consent_rows = [{"key": "Consent", "value": _label(CONSENT_CHOICES, consent.get("consent", ""))}]
    if consent.get("notes"):
        consent_rows.append({"key": "About consent", "value": consent["notes"]})
    sections.append({"title": "Consent", "rows": consent_rows})
    sections.append({"title": "About you", "rows": [
        {"key": "Name", "value": referrer.get("name", "")},
        {"key": "Job title", "value": referrer.get("job_title") or referrer.get("role", "")},
        {"key": "Organisation", "value": referrer.get("organisation", "")},
        {"key": "Kind of organisation", "value": _label(AgencyType.choices, referrer.get("agency_type", ""))},
        {"key": "Telephone", "value": referrer.get("phone", "")},
        {"key": "Email", "value": referrer.get("email", "")},
    ]})
    return sections


@never_cache
@login_required
@require_GET
def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    referral = _own_referral(request, reference)
    contact: Contact = referral.contact
    context = {
        "referral": referral,
        "status": status_for_partner(contact),
        "decided_at": contact.decided_at if contact.status == Contact.Status.DECIDED else None,
        "sections": answer_sections(referral.answers),
        "attachments": list(referral.attachments.all()),
    }
    return render(request, "portal/detail.html", context)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """A referral's document: to the partner who sent it, or to staff who may see the contact (logged)."""
    user = request.user
    assert isinstance(user, User)
    attachment = attachment_for(pk=pk, user=user)
    # The predicate itself, not has_perm: Django lets a superuser through every has_perm check.
    if attachment is None or not may_download_attachment(user, attachment):
        raise Http404
    child = attachment.referral.contact.child
    if child is not None and user.has_case_access:
        access_record(user=user, person=child, action=AccessEvent.Action.EXPORT, page=request.path)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
