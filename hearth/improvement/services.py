"""Writes for the improvement programme: inspections and their judgements, areas for improvement, the plan's
actions (with the indicators that show their impact), progress updates, evidence and monitoring visits.

Each is a named action in one transaction, attributed to whoever does it (``by``); the audit trail is written by
the audited models in the same transaction. Refusals are ``ValidationError``s keyed by the form field they are
about, so the page shows each beside its field with everything typed kept. Edits carry the version the editor
loaded and a stale one is refused (``StaleVersionError``).

Board meetings and board packs are written by ``hearth.improvement.pack_services``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearth.access.policy import can_view_person
from hearth.audit.actor import acting_as
from hearth.audit.models import refuse_stale
from hearth.indicators import compute, registry
from hearth.portal.uploads import MAX_FILE_BYTES, safe_display_name, sniff

from .models import (
    ActionEvidence,
    ActionIndicator,
    AreaForImprovement,
    Grade,
    ImprovementAction,
    Inspection,
    InspectionJudgement,
    MonitoringVisit,
)
from .rules import manages_plan, may_update_action

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority

Area = InspectionJudgement.Area
Status = ImprovementAction.Status
Rag = ImprovementAction.Rag
Kind = ActionEvidence.Kind

# Ofsted judged care leavers separately from children in care only in inspections from January 2023.
CARE_LEAVERS_JUDGED_FROM = date(2023, 1, 1)
# Inspections that give judgements (a focused visit or a JTAI writes a letter, without grades).
JUDGED_KINDS = frozenset({Inspection.Kind.STANDARD, Inspection.Kind.SHORT})
DONE = frozenset({Status.COMPLETE, Status.EMBEDDED})


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _keeps_plan(by: Any, local_authority_id: int) -> None:
    # The pages check the role too; the service checks again so no other caller can skip it.
    if not isinstance(by, str) and (not manages_plan(by) or by.local_authority_id != local_authority_id):
        raise PermissionDenied("Only those who keep the improvement plan may change it")


def _user_may_update(by: Any, action: ImprovementAction) -> None:
    # A named system process (seeding, imports) is trusted; people need the rule.
    if not isinstance(by, str) and not may_update_action(by, action):
        raise PermissionDenied("Only the action's owner or those who keep the plan may update it")


# ------------------------------------------------------------------------------------------------ inspections


def _judgement_errors(kind: str, on_site_from: date, judgements: dict[str, str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    given = {area: grade for area, grade in judgements.items() if grade}
    unknown = [a for a in given if a not in Area.values]
    if unknown:
        errors["__all__"] = [f"There is no judgement area called {unknown[0]!r}"]
        return errors
    for area, grade in given.items():
        if grade not in Grade.values:
            errors[f"judgement_{area}"] = ["Choose a grade from the list"]
    if kind not in JUDGED_KINDS:
        for area in given:
            errors.setdefault(f"judgement_{area}", [f"A {Inspection.Kind(kind).label.lower()} does not give "
                                                    f"judgements; leave this empty"])
        return errors
    for area, label in Area.choices:
        if area == Area.CARE_LEAVERS and on_site_from < CARE_LEAVERS_JUDGED_FROM:
            if area in given:
                errors.setdefault(f"judgement_{area}", [
                    "Ofsted judged care leavers separately only from January 2023; leave this empty for an "
                    "earlier inspection (care leavers were part of the children in care judgement)"])
            continue
        if area not in given:
            errors.setdefault(f"judgement_{area}", [f"Choose the grade for {label[0].lower() + label[1:]}"])
    return errors


def _inspection_errors(kind: str, on_site_from: date, on_site_to: date, published_on: date | None
                       ) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in Inspection.Kind.values:
        errors["kind"] = ["Choose the kind of inspection"]
    if on_site_to < on_site_from:
        errors["on_site_to"] = ["The last day on site must be the same as or after the first day"]
    if published_on is not None and published_on < on_site_from:
        errors["published_on"] = ["The report must be published after the inspection started"]
    return errors


def inspection_create(*, local_authority: LocalAuthority, kind: str, on_site_from: date, on_site_to: date,
                      published_on: date | None = None, summary: str = "", judgements: dict[str, str],
                      by: User | str) -> Inspection:
    """An inspection with its judgements (area → grade: every ILACS area once for a standard or short
    inspection; the care leavers' judgement only from January 2023)."""
    _keeps_plan(by, local_authority.pk)
    errors = _inspection_errors(kind, on_site_from, on_site_to, published_on)
    if "kind" not in errors:
        errors.update(_judgement_errors(kind, on_site_from, judgements))
    _refuse(errors)
    with transaction.atomic(), acting_as(by):
        inspection = Inspection(local_authority=local_authority, kind=kind, on_site_from=on_site_from,
                                on_site_to=on_site_to, published_on=published_on, summary=summary.strip())
        inspection.save()
        for area, _ in Area.choices:
            if judgements.get(area):
                InspectionJudgement(local_authority=local_authority, inspection=inspection, area=area,
                                    grade=judgements[area]).save()
    return inspection


def inspection_update(*, inspection: Inspection, kind: str, on_site_from: date, on_site_to: date,
                      published_on: date | None, summary: str, judgements: dict[str, str], expected_version: int,
                      by: User | str) -> Inspection:
    """Correct an inspection and its judgements. A judgement once recorded can be regraded, never removed."""
    _keeps_plan(by, inspection.local_authority_id)
    errors = _inspection_errors(kind, on_site_from, on_site_to, published_on)
    if "kind" not in errors:
        errors.update(_judgement_errors(kind, on_site_from, judgements))
    with transaction.atomic(), acting_as(by):
        locked = _locked(inspection)
        refuse_stale(locked, expected_version)
        existing = {j.area: j for j in InspectionJudgement.objects.filter(inspection=locked)}
        for area, judgement in existing.items():
            if not judgements.get(area) and f"judgement_{area}" not in errors:
                errors[f"judgement_{area}"] = [f"The {judgement.get_area_display().lower()} judgement is recorded; "
                                               f"it can be corrected but not removed"]
        _refuse(errors)
        locked.kind, locked.on_site_from, locked.on_site_to = kind, on_site_from, on_site_to
        locked.published_on, locked.summary = published_on, summary.strip()
        locked.save()
        for area, _ in Area.choices:
            grade = judgements.get(area)
            if not grade:
                continue
            judgement = existing.get(area)
            if judgement is None:
                InspectionJudgement(local_authority=locked.local_authority, inspection=locked, area=area,
                                    grade=grade).save()
            elif judgement.grade != grade:
                judgement.grade = grade
                judgement.save()
    return locked


def _area_errors(inspection: Inspection, number: int, text: str, area: str, exclude: int | None = None
                 ) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = ["Enter what the inspection said must improve"]
    if area and area not in Area.values:
        errors["area"] = ["Choose the judgement area from the list"]
    if number < 1:
        errors["number"] = ["The number must be 1 or more"]
    elif (AreaForImprovement.objects.filter(inspection=inspection, number=number)
          .exclude(pk=exclude).exists()):
        errors["number"] = [f"This inspection already has an area for improvement numbered {number}"]
    return errors


def area_for_improvement_create(*, inspection: Inspection, text: str, area: str = "", number: int | None = None,
                                by: User | str) -> AreaForImprovement:
    """An area for improvement the inspection set; numbered next in the inspection unless ``number`` is given."""
    _keeps_plan(by, inspection.local_authority_id)
    if number is None:
        top = (AreaForImprovement.objects.filter(inspection=inspection).order_by("-number")
               .values_list("number", flat=True).first())
        number = (top or 0) + 1
    _refuse(_area_errors(inspection, number, text, area))
    with transaction.atomic(), acting_as(by):
        item = AreaForImprovement(local_authority_id=inspection.local_authority_id, inspection=inspection,
                                  number=number, text=text.strip(), area=area)
        item.save()
    return item


def area_for_improvement_update(*, item: AreaForImprovement, number: int, text: str, area: str,
                                expected_version: int, by: User | str) -> AreaForImprovement:
    _keeps_plan(by, item.local_authority_id)
    _refuse(_area_errors(item.inspection, number, text, area, exclude=item.pk))
    with transaction.atomic(), acting_as(by):
        locked = _locked(item)
        refuse_stale(locked, expected_version)
        locked.number, locked.text, locked.area = number, text.strip(), area
        locked.save()
    return locked


# ------------------------------------------------------------------------------------------------ actions


@dataclass(frozen=True)
class IndicatorLink:
    """An indicator an action means to move: its target and when by; the baseline when it is typed (else the
    indicator's latest figure is taken when the link is made)."""

    indicator: str
    target: float | None
    target_by: date | None
    baseline: float | None = None
    baseline_on: date | None = None


def current_figure(*, local_authority: LocalAuthority, code: str, today: date | None = None
                   ) -> tuple[float | None, date | None]:
    """The indicator's figure for the twelve months to the last month end (the figure the board last saw)."""
    ind = registry.get(code)
    if ind.unavailable:
        return None, None
    start, end = registry.current_period(today or compute.today())
    found = compute.figures(local_authority=local_authority, start=start, end=end, codes=[code])[0]
    # Kept as the board is shown it: to the indicator's own decimals.
    return (None, None) if found.value is None else (round(found.value, ind.decimals), end)


def _link_errors(links: Sequence[IndicatorLink]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for i, link in enumerate(links):
        code = link.indicator.strip()
        if not code:
            errors[f"ind_{i}_indicator"] = ["Choose the indicator"]
            continue
        try:
            registry.get(code)
        except LookupError:
            errors[f"ind_{i}_indicator"] = ["Choose an indicator from the list"]
        if code in seen:
            errors[f"ind_{i}_indicator"] = ["This indicator is already linked to the action"]
        seen.add(code)
        if link.target is None:
            errors[f"ind_{i}_target"] = ["Enter the target"]
        if link.target_by is None:
            errors[f"ind_{i}_target_by"] = ["Enter the date the target should be met by"]
    return errors


def _action_errors(local_authority_id: int, *, reference: str, title: str, owner: Any, due_on: date | None,
                   area_for_improvement: AreaForImprovement | None, exclude: int | None = None
                   ) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    reference = reference.strip()
    if not reference:
        errors["reference"] = ["Enter the action's reference in the plan, like 2.3"]
    elif not re.fullmatch(r"[A-Za-z0-9.\-]{1,10}", reference):
        errors["reference"] = ["The reference must be up to 10 letters, numbers, dots or dashes, like 2.3"]
    elif (ImprovementAction.objects.filter(local_authority_id=local_authority_id, reference=reference)
          .exclude(pk=exclude).exists()):
        errors["reference"] = [f"The plan already has an action {reference}"]
    if not title.strip():
        errors["title"] = ["Enter the action's title"]
    if owner is None or owner.local_authority_id != local_authority_id or not owner.is_active:
        errors["owner"] = ["Choose the action's owner from the council's staff"]
    if due_on is None:
        errors["due_on"] = ["Enter the date the action is due"]
    if area_for_improvement is not None and area_for_improvement.local_authority_id != local_authority_id:
        errors["area_for_improvement"] = ["Choose an area for improvement from the list"]
    return errors


def _link_save(action: ImprovementAction, row: ActionIndicator | None, link: IndicatorLink,
               was: str = "") -> None:
    """Make or change one link. ``was`` is the code the row had before any re-pointing began."""
    code = link.indicator.strip()
    new_code = row is None or (was or row.indicator) != code
    baseline, baseline_on = link.baseline, link.baseline_on
    if baseline is None:
        if new_code or row is None:
            # Typed baselines stand; otherwise the figure the council has now is where the action starts from.
            baseline, baseline_on = current_figure(local_authority=action.local_authority, code=code)
        else:
            baseline, baseline_on = row.baseline, row.baseline_on  # left empty: the baseline stays as it was
    elif baseline_on is None:
        same = row is not None and not new_code and row.baseline == baseline
        baseline_on = row.baseline_on if same and row is not None else registry.last_month_end(timezone.localdate())
    # _link_errors has refused a link without its target or date.
    assert link.target is not None and link.target_by is not None
    if row is None:
        ActionIndicator(local_authority_id=action.local_authority_id, action=action, indicator=code,
                        baseline=baseline, baseline_on=baseline_on, target=link.target, target_by=link.target_by
                        ).save()
        return
    wanted = (code, baseline, baseline_on, link.target, link.target_by)
    if (row.indicator, row.baseline, row.baseline_on, row.target, row.target_by) == wanted:
        return
    row.indicator, row.baseline, row.baseline_on, row.target, row.target_by = wanted
    row.save()


def action_create(*, local_authority: LocalAuthority, reference: str, title: str, owner: User, due_on: date,
                  area_for_improvement: AreaForImprovement | None = None, description: str = "",
                  indicators: Sequence[IndicatorLink] = (), by: User | str) -> ImprovementAction:
    """A new action in the plan, with the indicators that will show its impact."""
    _keeps_plan(by, local_authority.pk)
    errors = _action_errors(local_authority.pk, reference=reference, title=title, owner=owner, due_on=due_on,
                            area_for_improvement=area_for_improvement)
    errors.update(_link_errors(indicators))
    _refuse(errors)
    with transaction.atomic(), acting_as(by):
        action = ImprovementAction(local_authority=local_authority, area_for_improvement=area_for_improvement,
                                   reference=reference.strip(), title=title.strip(), description=description.strip(),
                                   owner=owner, due_on=due_on)
        try:
            with transaction.atomic():
                action.save()
        except IntegrityError:
            raise ValidationError({"reference": [f"The plan already has an action {reference.strip()}"]}) from None
        for link in indicators:
            _link_save(action, None, link)
    return action


def action_edit(*, action: ImprovementAction, reference: str, title: str, owner: User, due_on: date,
                area_for_improvement: AreaForImprovement | None, description: str,
                indicators: Sequence[IndicatorLink], expected_version: int, by: User | str) -> ImprovementAction:
    """Change what an action is (not its progress: ``action_update``). ``indicators`` holds the links already
    made first, in their order, then any new ones: a link can be re-pointed or retargeted but never removed,
    since the board has seen its figures."""
    _keeps_plan(by, action.local_authority_id)
    errors = _action_errors(action.local_authority_id, reference=reference, title=title, owner=owner,
                            due_on=due_on, area_for_improvement=area_for_improvement, exclude=action.pk)
    errors.update(_link_errors(indicators))
    with transaction.atomic(), acting_as(by):
        locked = _locked(action)
        refuse_stale(locked, expected_version)
        existing = list(ActionIndicator.objects.filter(action=locked).order_by("pk"))
        if len(indicators) < len(existing):
            errors.setdefault("__all__", []).append(
                "An indicator linked to an action stays linked; change it or its target instead")
        _refuse(errors)
        locked.reference, locked.title, locked.description = reference.strip(), title.strip(), description.strip()
        locked.owner, locked.due_on, locked.area_for_improvement = owner, due_on, area_for_improvement
        locked.save()
        # Re-pointing one link to another's code would trip the one-link-per-indicator rule midway: park first.
        was = [row.indicator for row in existing]
        for i, (row, link) in enumerate(zip(existing, indicators, strict=False)):
            if link.indicator.strip() != was[i] and link.indicator.strip() in was:
                row.indicator = f"~moving-{i}"
                row.save()
        for i, link in enumerate(indicators):
            _link_save(locked, existing[i] if i < len(existing) else None, link, was[i] if i < len(existing) else "")
    return locked


def action_update(*, action: ImprovementAction, status: str, rag: str, progress_summary: str,
                  expected_version: int, by: User | str, today: date | None = None) -> ImprovementAction:
    """The owner's progress report: status, RAG and a summary in words.

    Complete (or complete and embedded) sets the completion date and the RAG to blue; reopening clears the date.
    Blue is only for a complete action.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if status not in Status.values:
        errors["status"] = ["Choose the action's status"]
    if rag not in Rag.values:
        errors["rag"] = ["Choose the RAG rating"]
    elif rag == Rag.BLUE and status not in DONE:
        errors["rag"] = ["Blue is only for a complete action: choose red, amber or green, or mark it complete"]
    _refuse(errors)
    _user_may_update(by, action)
    with transaction.atomic(), acting_as(by):
        locked = _locked(action)
        refuse_stale(locked, expected_version)
        locked.status, locked.progress_summary = status, progress_summary.strip()
        if status in DONE:
            locked.rag = Rag.BLUE
            locked.completed_on = locked.completed_on or today
        else:
            locked.rag = rag
            locked.completed_on = None
        locked.save()
    return locked


# ------------------------------------------------------------------------------------------------ evidence

ALLOWED_TYPES_TEXT = "a PDF, Word document (DOCX), Excel spreadsheet (XLSX), PNG, JPG, TXT or CSV file"
# For the file chooser only; the server checks what each file really is.
ACCEPT_ATTRIBUTE = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.txt,.csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What each accepted extension must really be; the content type a download is served with.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": XLSX_MIME,
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
}


def _is_xlsx(stream: IO[bytes]) -> bool:
    # A workbook is a zip package with a workbook part and no macros.
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        stream.seek(0)
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names and "xl/vbaProject.bin" not in names


def _is_text(stream: IO[bytes]) -> bool:
    stream.seek(0)
    data = stream.read(MAX_FILE_BYTES + 1)
    stream.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def evidence_file_check(*, name: str, size: int, stream: IO[bytes]) -> str:
    """The file's extension when it is one we keep and its content agrees with its name; otherwise a
    ValidationError on ``document`` saying what is allowed."""
    shown = safe_display_name(name)[:100] if name else "The selected file"
    if size == 0:
        raise ValidationError({"document": [f"{shown} is empty"]})
    if size > MAX_FILE_BYTES:
        raise ValidationError({"document": [f"{shown} must be smaller than 10MB"]})
    extension = PurePath(name).suffix.lower()
    if extension in (".txt", ".csv"):
        fits = _is_text(stream)
    elif extension == ".xlsx":
        fits = _is_xlsx(stream)
    elif extension in CONTENT_TYPES:
        kind = sniff(stream)
        fits = kind is not None and kind.mime == CONTENT_TYPES[extension]
    else:
        fits = False
    if not fits:
        raise ValidationError({"document": [f"{shown} must be {ALLOWED_TYPES_TEXT}"]})
    return extension


def linked_object(*, local_authority_id: int, kind: str, linked_id: int | None) -> Any:
    """What a link of this kind points at in the council, or None (children aside: see ``evidence_add``)."""
    if linked_id is None:
        return None
    model: Any
    if kind == Kind.AUDIT_ROUND:
        from hearth.case_audits.models import AuditRound as model
    elif kind == Kind.PRACTICE_WEEK:
        from hearth.case_audits.models import PracticeWeek as model
    elif kind == Kind.TRAINING_COURSE:
        from hearth.training.models import TrainingCourse as model
    elif kind == Kind.MONITORING_VISIT:
        model = MonitoringVisit
    elif kind == Kind.CHILD_RECORD:
        from hearth.people.models import Person as model
    else:
        return None
    return model.objects.filter(local_authority_id=local_authority_id, pk=linked_id).first()


CHILD_REFUSED = "Enter the Hearth ID of a child's record you may open"
LINK_WORDS: dict[str, str] = {
    Kind.AUDIT_ROUND: "Choose a case audit round from the list",
    Kind.PRACTICE_WEEK: "Choose a practice week from the list",
    Kind.TRAINING_COURSE: "Choose a training course from the list",
    Kind.MONITORING_VISIT: "Choose a monitoring visit from the list",
}


def evidence_add(*, action: ImprovementAction, kind: str, summary: str, note: str = "",
                 document: UploadedFile | None = None, linked_code: str = "", linked_id: int | None = None,
                 by: User) -> ActionEvidence:
    """Evidence that the action is done or working: a document (checked by what it really is), a note, or a link
    to something in the council (an indicator, audit round, practice week, course, monitoring visit, or a
    child's record the person adding it may open)."""
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = ["Choose what kind of evidence this is"]
    if not summary.strip():
        errors["summary"] = ["Enter what this evidence shows, in a sentence"]
    elif len(summary.strip()) > 250:
        errors["summary"] = ["What this evidence shows must be 250 characters or fewer"]
    code, target_id = "", None
    if kind == Kind.DOCUMENT:
        if document is None:
            errors["document"] = ["Choose the document to upload"]
        else:
            try:
                evidence_file_check(name=document.name or "", size=document.size or 0, stream=document)
            except ValidationError as refused:
                errors.update(refused.message_dict)
    elif kind == Kind.NOTE:
        if not note.strip():
            errors["note"] = ["Enter the note"]
    elif kind == Kind.INDICATOR:
        code = linked_code.strip()
        try:
            registry.get(code)
        except LookupError:
            errors["linked_code"] = ["Choose an indicator from the list"]
    elif kind == Kind.CHILD_RECORD:
        child = linked_object(local_authority_id=action.local_authority_id, kind=kind, linked_id=linked_id)
        # The same words whether the record does not exist or is not theirs to open: nothing is given away.
        if child is None or (not isinstance(by, str) and not can_view_person(by, child)):
            errors["linked_id"] = [CHILD_REFUSED]
        else:
            target_id = child.pk
    elif kind in LINK_WORDS:
        found = linked_object(local_authority_id=action.local_authority_id, kind=kind, linked_id=linked_id)
        if found is None:
            errors["linked_id"] = [LINK_WORDS[kind]]
        else:
            target_id = found.pk
    _refuse(errors)
    _user_may_update(by, action)
    with transaction.atomic(), acting_as(by):
        evidence = ActionEvidence(local_authority_id=action.local_authority_id, action=action, kind=kind,
                                  summary=summary.strip(), note=note.strip(), linked_code=code, linked_id=target_id,
                                  added_by=by, added_at=timezone.now())
        if kind == Kind.DOCUMENT and document is not None:
            document.seek(0)
            evidence.document.save(safe_display_name(document.name or ""), document, save=False)
        evidence.save()
    return evidence


def evidence_withdraw(*, evidence: ActionEvidence, by: User | str,
                      expected_version: int | None = None) -> ActionEvidence:
    """Take evidence out of the plan. It is never deleted: it stays on the audit trail (and its file kept)."""
    _user_may_update(by, evidence.action)
    with transaction.atomic(), acting_as(by):
        locked = _locked(evidence)
        refuse_stale(locked, expected_version)
        if locked.withdrawn:
            raise ValidationError("This evidence has already been withdrawn")
        locked.withdrawn = True
        locked.save()
    return locked


# ------------------------------------------------------------------------------------------------ monitoring visits


def _visit_errors(local_authority_id: int, *, visit_from: date, visit_to: date, focus: str,
                  letter_published_on: date | None, areas: Iterable[AreaForImprovement]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if visit_to < visit_from:
        errors["visit_to"] = ["The last day of the visit must be the same as or after the first day"]
    if not focus.strip():
        errors["focus"] = ["Enter what the visit looked at"]
    if letter_published_on is not None and letter_published_on < visit_from:
        errors["letter_published_on"] = ["The letter must be published after the visit started"]
    if any(a.local_authority_id != local_authority_id for a in areas):
        errors["areas_for_improvement"] = ["Choose areas for improvement from the list"]
    return errors


def monitoring_visit_create(*, local_authority: LocalAuthority, visit_from: date, visit_to: date, focus: str,
                            inspectors: str = "", letter_published_on: date | None = None, findings: str = "",
                            areas_for_improvement: Sequence[AreaForImprovement] = (),
                            by: User | str) -> MonitoringVisit:
    _keeps_plan(by, local_authority.pk)
    areas = list(areas_for_improvement)
    _refuse(_visit_errors(local_authority.pk, visit_from=visit_from, visit_to=visit_to, focus=focus,
                          letter_published_on=letter_published_on, areas=areas))
    with transaction.atomic(), acting_as(by):
        visit = MonitoringVisit(local_authority=local_authority, visit_from=visit_from, visit_to=visit_to,
                                focus=focus.strip(), inspectors=inspectors.strip(),
                                letter_published_on=letter_published_on, findings=findings.strip())
        visit.save()
        visit.areas_for_improvement.set(areas)
    return visit


def monitoring_visit_update(*, visit: MonitoringVisit, visit_from: date, visit_to: date, focus: str,
                            inspectors: str, letter_published_on: date | None, findings: str,
                            areas_for_improvement: Sequence[AreaForImprovement], expected_version: int,
                            by: User | str) -> MonitoringVisit:
    _keeps_plan(by, visit.local_authority_id)
    areas = list(areas_for_improvement)
    _refuse(_visit_errors(visit.local_authority_id, visit_from=visit_from, visit_to=visit_to, focus=focus,
                          letter_published_on=letter_published_on, areas=areas))
    with transaction.atomic(), acting_as(by):
        locked = _locked(visit)
        refuse_stale(locked, expected_version)
        locked.visit_from, locked.visit_to, locked.focus = visit_from, visit_to, focus.strip()
        locked.inspectors, locked.letter_published_on = inspectors.strip(), letter_published_on
        locked.findings = findings.strip()
        locked.save()
        locked.areas_for_improvement.set(areas)
    return locked
