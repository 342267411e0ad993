"""Views for the education registers. Thin: role check, open the child (checked and logged), form, service.

Education welfare officers work the registers; social workers and managers read them; nobody else
reaches them. Every page about one child opens the child's record through the people views' own
check (restricted records get the break-glass page, sealed ones do not exist) and logs the view.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.access import services as access_services
from hearth.access.models import AccessEvent
from hearth.accounts.models import User
from hearth.allocations.selectors import current_social_work_allocation
from hearth.people.forms import FindRelativeForm
from hearth.people.models import Person
from hearth.people.selectors import likely_matches_for
from hearth.people.views import RestrictedRecord, _person_for, _refused
from hearth.workspace.pages import Done, acting_user, build_form, form_page, staff_allowed
from hearth.workspace.resubmission import refuses_resubmission

from . import selectors, services
from .forms import (
    CMECloseForm,
    CMEEnquiryForm,
    CMEOpenForm,
    CMEOutcomeForm,
    EHEChangeForm,
    EHEEndForm,
    EHEOpenForm,
    EHESuitabilityForm,
    EHEVisitForm,
    RegisterFilterForm,
)
from .models import CMECase, CMEEnquiry, EHECase, EHEVisit

PER_PAGE = 50
REGISTERS = ("cme", "ehe")
TITLES = {"cme": "Children missing education", "ehe": "Elective home education"}


# ---------------------------------------------------------------- who may do what


def _reader(request: HttpRequest) -> User:
    return staff_allowed(request, "education.view_registers")


def _worker(request: HttpRequest) -> User:
    return staff_allowed(request, "education.work_registers")


def _child(request: HttpRequest, pk: int, *, work: bool) -> Person | HttpResponse:
    """The child, opened as a view of their record (logged); the refusal page or 404 when they may not."""
    user = _worker(request) if work else _reader(request)
    try:
        person = _person_for(request, pk)
    except RestrictedRecord as refused:
        return _refused(request, refused.person)
    access_services.access_record(user=user, person=person, action=AccessEvent.Action.VIEW,
                                  page=request.get_full_path())
    return person


def _case(request: HttpRequest, register: str, pk: int, *, work: bool) -> tuple[Any, Person] | HttpResponse:
    user = _worker(request) if work else _reader(request)
    case = selectors.case_for(user=user, register=register, pk=pk)  # type: ignore[arg-type]
    if case is None:
        raise Http404
    opened = _child(request, case.child_id, work=work)
    if isinstance(opened, HttpResponse):
        return opened
    return case, opened


def _case_url(register: str, pk: int) -> str:
    return reverse(f"education:{register}_case", args=[pk])


def _form_page(request: HttpRequest, person: Person, *, caption: str = "", intro: str = "",
               **kwargs: Any) -> HttpResponse:
    """The one-question page in the registers' frame (labels a size smaller)."""
    return form_page(request, person, template="education/form.html", context={"caption": caption, "intro": intro},
                     **kwargs)


def _yes(value: str) -> bool:
    return value == "yes"


# ---------------------------------------------------------------- the registers


def _latest_label(register: str, case: Any) -> str:
    if not case.latest_kind:
        return ""
    kinds = CMEEnquiry.Agency if register == "cme" else EHEVisit.Kind
    return str(kinds(case.latest_kind).label)


def _register(request: HttpRequest, user: User, register: str, *, status: str, flagged: bool,
              today: date) -> dict[str, Any]:
    cases = selectors.register_cases(user=user, register=register, status=status,  # type: ignore[arg-type]
                                     flagged_only=flagged)
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get(f"{register}_page"))
    rows = []
    for case in page:
        end = case.closed_on if register == "cme" else case.ended_on
        rows.append({
            "case": case,
            "flags": selectors.flags_of(case),
            "days": selectors.days_on_register(case, today),
            "latest_on": case.latest_on,
            "latest": _latest_label(register, case),
            "review_due": end is None and case.review_on is not None and case.review_on <= today,
            "outcome": (case.get_outcome_display() if register == "cme" else case.get_end_reason_display())
            if end else "",
        })
    keep: dict[str, str] = {k: str(v) for k, v in request.GET.items() if k in ("status", "flagged")}
    keep.update({f"{other}_page": str(request.GET[f"{other}_page"]) for other in REGISTERS
                 if other != register and request.GET.get(f"{other}_page")})
    return {
        "key": register,
        "title": TITLES[register],
        "rows": rows,
        "page": page,
        "querystring_prefix": urlencode(keep) + "&" if keep else "",
        "counts": selectors.register_counts(user=user, register=register, status=status,  # type: ignore[arg-type]
                                            flagged_only=flagged),
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    filters = RegisterFilterForm(request.GET or None)
    status, flagged = "open", False
    if filters.is_bound and filters.is_valid():
        status = filters.cleaned_data["status"] or "open"
        flagged = filters.cleaned_data["flagged"]
    today = timezone.localdate()
    assert user.local_authority_id is not None
    return render(request, "education/index.html", {
        "filters": filters, "status": status, "flagged": flagged, "today": today,
        "registers": [_register(request, user, r, status=status, flagged=flagged, today=today) for r in REGISTERS],
        "untold": len(selectors.flag_notices_due(local_authority_id=user.local_authority_id, counted_by=user)),
        "can_work": user.has_perm("education.work_registers"),
    })


@login_required
@require_POST
def notify(request: HttpRequest) -> HttpResponse:
    """Tell social workers now what the daily run would tell them tonight."""
    user = _worker(request)
    assert user.local_authority_id is not None
    sent = services.register_flags_notify(local_authority=user.local_authority_id, by=user)
    messages.success(request, f"{sent} notification{'s' if sent != 1 else ''} sent to social workers and managers"
                     if sent else "There was nobody new to tell")
    return redirect("education:index")


# ---------------------------------------------------------------- finding the child


@login_required
@require_GET
def find(request: HttpRequest) -> HttpResponse:
    """Find the child among the records that may be them before adding them to a register."""
    user = _worker(request)
    register = request.GET.get("register", "")
    if register not in REGISTERS:
        raise Http404
    searched = "last_name" in request.GET
    form = FindRelativeForm(request.GET if searched else None)
    matches: list[Any] = []
    on_register: dict[int, int] = {}
    if searched and form.is_valid():
        data = form.cleaned_data
        matches = likely_matches_for(user=user, first_name=data["first_name"], last_name=data["last_name"],
                                     date_of_birth=data["date_of_birth"])
        model = CMECase if register == "cme" else EHECase
        end = "closed_on" if register == "cme" else "ended_on"
        on_register = dict(model.objects.filter(
            local_authority_id=user.local_authority_id, child_id__in=[hit.person.pk for hit in matches],
            **{f"{end}__isnull": True},
        ).values_list("child_id", "pk"))
    return render(request, "education/find.html", {
        "form": form, "register": register, "title": TITLES[register], "searched": searched,
        "matches": [{"hit": hit, "case_id": on_register.get(hit.person.pk)} for hit in matches],
        "new_url": reverse("people:person_new"),
    })


# ---------------------------------------------------------------- children missing education


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def cme_new(request: HttpRequest, person_pk: int) -> HttpResponse:
    opened = _child(request, person_pk, work=True)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, acting_user(request)

    def save(data: dict[str, Any]) -> Done:
        case = services.cme_case_open(
            child=person, notified_on=data["notified_on"], notified_by=data["notified_by"],
            notified_by_name=data["notified_by_name"], reason=data["reason"], by=user,
            last_known_school=data["last_known_school"], last_known_address=data["last_known_address"],
            reason_detail=data["reason_detail"], review_on=data["review_on"],
        )
        return Done(f"{person.full_name} added to the children missing education register",
                    next=_case_url("cme", case.pk))

    return _form_page(request, person, form=build_form(CMEOpenForm, request), title="Add to the children missing "
                      "education register", save=save, back=reverse("education:index"), button="Add to the register",
                      draft_key=f"education-cme-new-{person.pk}", creates=True)


@login_required
@require_GET
def cme_case(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _case(request, "cme", pk, work=False)
    if isinstance(opened, HttpResponse):
        return opened
    case, person = opened
    user = acting_user(request)
    ehe_open = selectors.open_case_of(child=person, register="ehe")
    return render(request, "education/cme_case.html", {
        "person": person, "case": case, "flags": selectors.flags_of(case),
        "days": selectors.days_on_register(case), "today": timezone.localdate(),
        "enquiries": list(selectors.enquiries_of(case=case)),
        "history": [c for c in selectors.cases_of(child=person)["cme"] if c.pk != case.pk],
        "allocation": current_social_work_allocation(child=person),
        "can_work": user.has_perm("education.record", person),
        "ehe_from_this": EHECase.objects.filter(from_cme=case).first(),
        "ehe_open": ehe_open,
    })


def _open_case(request: HttpRequest, register: str, pk: int, *, ended: str) -> tuple[Any, Person] | HttpResponse:
    """A case to record work on; back to the case page, saying ``ended``, once it is closed."""
    opened = _case(request, register, pk, work=True)
    if isinstance(opened, HttpResponse):
        return opened
    case, person = opened
    if not case.is_open:
        messages.info(request, ended)
        return redirect(f"education:{register}_case", pk=case.pk)
    return case, person


def _cme_for_work(request: HttpRequest, pk: int) -> tuple[CMECase, Person] | HttpResponse:
    return _open_case(request, "cme", pk, ended="This case is closed")


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def cme_enquiry_new(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _cme_for_work(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    case, person = opened

    def save(data: dict[str, Any]) -> str:
        services.cme_enquiry_record(case=case, made_on=data["made_on"], agency=data["agency"], found=data["found"],
                                    by=acting_user(request), agency_name=data["agency_name"],
                                    review_on=data["review_on"])
        return "Enquiry recorded"

    return _form_page(request, person, form=build_form(CMEEnquiryForm, request), title="Record an enquiry",
                      caption="Children missing education", save=save, back=_case_url("cme", case.pk),
                      button="Save enquiry", draft_key=f"education-cme-enquiry-{case.pk}", creates=True)


@login_required
@require_http_methods(["GET", "POST"])
def cme_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _cme_for_work(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    case, person = opened

    def save(data: dict[str, Any]) -> str:
        case.version = data["version"]
        close = _yes(data["close"])
        services.cme_outcome_record(case=case, outcome=data["outcome"], outcome_on=data["outcome_on"],
                                    outcome_detail=data["outcome_detail"], close=close, by=acting_user(request))
        message = "Outcome recorded and the case closed" if close else "Outcome recorded; the case stays open"
        return message

    initial = {"version": case.version, "close": "yes", "outcome": case.outcome or None,
               "outcome_on": case.outcome_on, "outcome_detail": case.outcome_detail}
    return _form_page(request, person, form=build_form(CMEOutcomeForm, request, initial=initial),
                      title="Record the outcome", caption="Children missing education", save=save,
                      back=_case_url("cme", case.pk),
                      button="Save outcome",
                      intro="If the child is now educated at home, you can open their elective home education case "
                            "from the next page without typing anything again.")


@login_required
@require_http_methods(["GET", "POST"])
def cme_close(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _cme_for_work(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    case, person = opened
    if not case.outcome:
        messages.info(request, "Record the outcome first: the case closes with it")
        return redirect("education:cme_outcome", pk=case.pk)

    def save(data: dict[str, Any]) -> str:
        case.version = data["version"]
        services.cme_case_close(case=case, closed_on=data["closed_on"], by=acting_user(request))
        return "Case closed"

    return _form_page(request, person, form=build_form(CMECloseForm, request, initial={"version": case.version}),
                      title="Close the case", caption="Children missing education", save=save,
                      back=_case_url("cme", case.pk), button="Close the case",
                      intro=f"Outcome: {case.get_outcome_display()}, {case.outcome_on:%-d %B %Y}.")


@login_required
@require_POST
@refuses_resubmission
def cme_open_ehe(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: the home education case a missing-education outcome found, from what that case holds."""
    opened = _case(request, "cme", pk, work=True)
    if isinstance(opened, HttpResponse):
        return opened
    case, _person = opened
    try:
        ehe = services.ehe_open_from_cme(cme_case=case, by=acting_user(request))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("education:cme_case", pk=case.pk)
    messages.success(request, "Added to the elective home education register. Record the parents' reasons when "
                              "you know them.")
    return redirect("education:ehe_case", pk=ehe.pk)


# ---------------------------------------------------------------- elective home education


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def ehe_new(request: HttpRequest, person_pk: int) -> HttpResponse:
    opened = _child(request, person_pk, work=True)
    if isinstance(opened, HttpResponse):
        return opened
    person, user = opened, acting_user(request)

    def save(data: dict[str, Any]) -> Done:
        case = services.ehe_case_open(
            child=person, notified_on=data["notified_on"], reasons=data["reasons"], by=user,
            reasons_detail=data["reasons_detail"], school_left=data["school_left"], review_on=data["review_on"],
        )
        return Done(f"{person.full_name} added to the elective home education register",
                    next=_case_url("ehe", case.pk))

    return _form_page(request, person, form=build_form(EHEOpenForm, request), title="Add to the elective home "
                      "education register", save=save, back=reverse("education:index"), button="Add to the register",
                      draft_key=f"education-ehe-new-{person.pk}", creates=True)


@login_required
@require_GET
def ehe_case(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _case(request, "ehe", pk, work=False)
    if isinstance(opened, HttpResponse):
        return opened
    case, person = opened
    user = acting_user(request)
    return render(request, "education/ehe_case.html", {
        "person": person, "case": case, "flags": selectors.flags_of(case),
        "days": selectors.days_on_register(case), "today": timezone.localdate(),
        "visits": list(selectors.visits_of(case=case)),
        "history": [c for c in selectors.cases_of(child=person)["ehe"] if c.pk != case.pk],
        "allocation": current_social_work_allocation(child=person),
        "can_work": user.has_perm("education.record", person),
    })


def _ehe_for_work(request: HttpRequest, pk: int) -> tuple[EHECase, Person] | HttpResponse:
    return _open_case(request, "ehe", pk, ended="This home education has ended")


@login_required
@require_http_methods(["GET", "POST"])
def ehe_change(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _ehe_for_work(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    case, person = opened

    def save(data: dict[str, Any]) -> str:
        case.version = data["version"]
        services.ehe_case_update(case=case, reasons=data["reasons"], reasons_detail=data["reasons_detail"],
                                 school_left=data["school_left"], review_on=data["review_on"], by=acting_user(request))
        return "Home education details saved"

    initial = {"version": case.version, "reasons": case.reasons, "reasons_detail": case.reasons_detail,
               "school_left": case.school_left}
    return _form_page(request, person, form=build_form(EHEChangeForm, request, initial=initial),
                      title="Change the details", caption="Elective home education", save=save,
                      back=_case_url("ehe", case.pk))


@login_required
@require_http_methods(["GET", "POST"])
@refuses_resubmission
def ehe_visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _ehe_for_work(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    case, person = opened

    def save(data: dict[str, Any]) -> str:
        services.ehe_visit_record(case=case, happened_on=data["happened_on"], kind=data["kind"], notes=data["notes"],
                                  child_seen=_yes(data["child_seen"]), review_on=data["review_on"],
                                  by=acting_user(request))
        return "Contact recorded"

    return _form_page(request, person, form=build_form(EHEVisitForm, request), title="Record a visit or contact",
                      caption="Elective home education", save=save, back=_case_url("ehe", case.pk),
                      button="Save contact", draft_key=f"education-ehe-visit-{case.pk}", creates=True)


@login_required
@require_http_methods(["GET", "POST"])
def ehe_suitability(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _ehe_for_work(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    case, person = opened

    def save(data: dict[str, Any]) -> str:
        case.version = data["version"]
        services.ehe_suitability_record(case=case, suitability=data["suitability"], decided_on=data["decided_on"],
                                        detail=data["detail"], by=acting_user(request))
        return "Suitability of the education recorded"

    return _form_page(request, person, form=build_form(EHESuitabilityForm, request, initial={"version": case.version}),
                      title="Record whether the education is suitable", caption="Elective home education", save=save,
                      back=_case_url("ehe", case.pk))


@login_required
@require_http_methods(["GET", "POST"])
def ehe_end(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _ehe_for_work(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    case, person = opened

    def save(data: dict[str, Any]) -> str:
        case.version = data["version"]
        services.ehe_case_end(case=case, ended_on=data["ended_on"], reason=data["reason"], detail=data["detail"],
                              by=acting_user(request))
        return "Taken off the elective home education register"

    return _form_page(request, person, form=build_form(EHEEndForm, request, initial={"version": case.version}),
                      title="End the home education", caption="Elective home education", save=save,
                      back=_case_url("ehe", case.pk), button="Take off the register")
