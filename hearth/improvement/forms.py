"""Forms for the improvement programme. They check the shape of what was typed; the services decide what is
allowed."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from hearth.accounts.models import User
from hearth.indicators import registry
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import (
    ActionEvidence,
    AreaForImprovement,
    Grade,
    ImprovementAction,
    Inspection,
    InspectionJudgement,
    MonitoringVisit,
)
from .services import ACCEPT_ATTRIBUTE, CHILD_REFUSED, IndicatorLink

Area = InspectionJudgement.Area
Status = ImprovementAction.Status
Rag = ImprovementAction.Rag
Kind = ActionEvidence.Kind

def indicator_choices() -> list[tuple[str, str]]:
    """Every registered indicator, grouped as the dashboards are, by title."""
    found = sorted(registry.indicators(), key=lambda i: (list(registry.GROUP_TITLES).index(i.group)
                                                          if i.group in registry.GROUP_TITLES else 99, i.title))
    return [(i.code, i.title) for i in found]


# ------------------------------------------------------------------------------------------------ inspections


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of inspection", choices=Inspection.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose the kind of inspection"})
    on_site_from = GovUKDateField(label="First day on site")
    on_site_to = GovUKDateField(label="Last day on site")
    published_on = GovUKDateField(label="Report published", required=False)
    summary = forms.CharField(label="Summary of the findings", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for area, label in Area.choices:
            self.fields[f"judgement_{area}"] = forms.ChoiceField(
                label=label, required=False, choices=[("", "No judgement"), *Grade.choices])

    def judgement_fields(self) -> list[forms.BoundField]:
        return [self[f"judgement_{area}"] for area in Area.values]

    def judgements(self) -> dict[str, str]:
        return {area: self.cleaned_data.get(f"judgement_{area}") or "" for area in Area.values}

    @staticmethod
    def initial_for(inspection: Inspection) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": inspection.version, "kind": inspection.kind, "on_site_from": inspection.on_site_from,
            "on_site_to": inspection.on_site_to, "published_on": inspection.published_on,
            "summary": inspection.summary,
        }
        for j in inspection.judgements.all():
            initial[f"judgement_{j.area}"] = j.grade
        return initial


class InspectionEditForm(VersionedForm, InspectionForm):
    pass


class AreaForImprovementForm(forms.Form):
    number = forms.IntegerField(label="Number", required=False, min_value=1, max_value=999,
                                error_messages={"invalid": "The number must be a whole number, like 3",
                                                "min_value": "The number must be 1 or more",
                                                "max_value": "The number must be 999 or less"},
                                help_text="As the inspection report numbers it. Left blank, the next number.")
    text = forms.CharField(label="What the inspection said must improve", widget=forms.Textarea,
                           error_messages={"required": "Enter what the inspection said must improve"})
    area = forms.ChoiceField(label="Judgement area it belongs to", required=False,
                             choices=[("", "Not tied to one judgement"), *Area.choices])


class AreaForImprovementEditForm(VersionedForm, AreaForImprovementForm):
    number = forms.IntegerField(label="Number", min_value=1, max_value=999,
                                error_messages={"required": "Enter the number",
                                                "invalid": "The number must be a whole number, like 3",
                                                "min_value": "The number must be 1 or more",
                                                "max_value": "The number must be 999 or less"})


# ------------------------------------------------------------------------------------------------ actions


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = obj.job_title or obj.get_role_display()
        return f"{obj.get_full_name() or obj.username} ({title})"


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        text = obj.text if len(obj.text) <= 90 else obj.text[:87].rstrip() + "…"
        return f"{obj.number}. {text} ({obj.inspection.on_site_from:%B %Y})"


EXTRA_LINKS = 2


class ActionForm(forms.Form):
    """An action, and rows of indicator links: the links already made (never removed), then empty rows."""

    reference = forms.CharField(label="Reference", max_length=10,
                                help_text="The action's number in the plan, like 2.3",
                                error_messages={"required": "Enter the action's reference in the plan, like 2.3",
                                                "max_length": "The reference must be 10 characters or fewer"})
    title = forms.CharField(label="Title", max_length=250,
                            error_messages={"required": "Enter the action's title",
                                            "max_length": "The title must be 250 characters or fewer"})
    description = forms.CharField(label="What will be done", required=False, widget=forms.Textarea)
    area_for_improvement = AreaChoiceField(label="Area for improvement it answers", required=False,
                                           queryset=AreaForImprovement.objects.none(),
                                           empty_label="Not tied to an area for improvement")
    owner = OwnerChoiceField(label="Owner", queryset=User.objects.none(), empty_label="Choose the owner",
                             error_messages={"required": "Choose the action's owner",
                                             "invalid_choice": "Choose the action's owner from the list"})
    due_on = GovUKDateField(label="Due by", allow_future=True)

    def __init__(self, *args: Any, owners: Any, areas: Any, links: int = 0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["area_for_improvement"].queryset = areas  # type: ignore[attr-defined]
        self.existing_links = links
        self.rows = links + EXTRA_LINKS
        choices = [("", "Choose an indicator"), *indicator_choices()]
        for i in range(self.rows):
            kept, n = i < links, i + 1
            self.fields[f"ind_{i}_indicator"] = forms.ChoiceField(
                label=f"Indicator {n}", choices=choices, required=kept,
                error_messages={"required": f"Choose indicator {n} (a linked indicator cannot be removed)",
                                "invalid_choice": f"Choose indicator {n} from the list"})
            self.fields[f"ind_{i}_target"] = forms.FloatField(
                label=f"Indicator {n}: target", required=False,
                error_messages={"invalid": f"Enter the target for indicator {n} as a number, like 85 or 12.5"})
            self.fields[f"ind_{i}_target_by"] = GovUKDateField(label=f"Indicator {n}: target to be met by",
                                                               required=False, allow_future=True)
            self.fields[f"ind_{i}_baseline"] = forms.FloatField(
                label=f"Indicator {n}: baseline", required=False,
                error_messages={"invalid": f"Enter the baseline for indicator {n} as a number, like 58.5"},
                help_text="Left blank, the indicator's latest figure" if not kept else "Left blank, it stays as it is")
            self.fields[f"ind_{i}_baseline_on"] = GovUKDateField(label=f"Indicator {n}: baseline as at",
                                                                 required=False)

    def link_rows(self) -> list[dict[str, Any]]:
        names = ("indicator", "baseline", "baseline_on", "target", "target_by")
        rows: list[dict[str, Any]] = []
        for i in range(self.rows):
            row: dict[str, Any] = {n: self[f"ind_{i}_{n}"] for n in names}
            row.update(number=i + 1, kept=i < self.existing_links)
            rows.append(row)
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._used: list[int] = []
        for i in range(self.rows):
            code = data.get(f"ind_{i}_indicator")
            others = [data.get(f"ind_{i}_{n}") for n in ("baseline", "baseline_on", "target", "target_by")]
            if not code:
                if any(v not in (None, "") for v in others) and f"ind_{i}_indicator" not in self.errors:
                    self.add_error(f"ind_{i}_indicator", f"Choose indicator {i + 1}, or clear its other boxes")
                continue
            self._used.append(i)
            if data.get(f"ind_{i}_target") is None and f"ind_{i}_target" not in self.errors:
                self.add_error(f"ind_{i}_target", f"Enter the target for indicator {i + 1}")
            if data.get(f"ind_{i}_target_by") is None and f"ind_{i}_target_by" not in self.errors:
                self.add_error(f"ind_{i}_target_by", f"Enter the date the target for indicator {i + 1} "
                                                     f"should be met by")
        return data

    def links(self) -> list[IndicatorLink]:
        d = self.cleaned_data
        return [IndicatorLink(indicator=d[f"ind_{i}_indicator"], target=d.get(f"ind_{i}_target"),
                              target_by=d.get(f"ind_{i}_target_by"), baseline=d.get(f"ind_{i}_baseline"),
                              baseline_on=d.get(f"ind_{i}_baseline_on")) for i in self._used]

    def placed(self, refused: ValidationError) -> ValidationError:
        """A service refusal with each link's errors moved onto the row it came from."""
        if not hasattr(refused, "error_dict"):
            return refused
        moved: dict[str, list[str]] = {}
        for key, messages_ in refused.message_dict.items():
            match = re.fullmatch(r"ind_(\d+)_(\w+)", key)
            if match and int(match.group(1)) < len(self._used):
                key = f"ind_{self._used[int(match.group(1))]}_{match.group(2)}"
            moved.setdefault(key, []).extend(messages_)
        return ValidationError(moved)

    @staticmethod
    def initial_for(action: ImprovementAction, links: list[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": action.version, "reference": action.reference, "title": action.title,
            "description": action.description, "area_for_improvement": action.area_for_improvement_id,
            "owner": action.owner_id, "due_on": action.due_on,
        }
        for i, link in enumerate(links):
            initial.update({f"ind_{i}_indicator": link.indicator, f"ind_{i}_baseline": link.baseline,
                            f"ind_{i}_baseline_on": link.baseline_on, f"ind_{i}_target": link.target,
                            f"ind_{i}_target_by": link.target_by})
        return initial


class ActionEditForm(VersionedForm, ActionForm):
    pass


class ActionUpdateForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=Status.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Choose the action's status"})
    rag = forms.ChoiceField(label="RAG rating", choices=Rag.choices, widget=forms.RadioSelect,
                            help_text="Blue is for a complete action: marking it complete makes it blue.",
                            error_messages={"required": "Choose the RAG rating"})
    progress_summary = forms.CharField(label="Progress summary", required=False, widget=forms.Textarea,
                                       help_text="What has been done and what difference it is making, in plain "
                                                 "words. The board reads this.")


# ------------------------------------------------------------------------------------------------ evidence


class EvidenceForm(forms.Form):
    """One form for every kind of evidence: the kind chosen reveals its own field."""

    DOCUMENT, NOTE, LINK, CHILD = "document", "note", "link", "child_record"
    kind = forms.ChoiceField(label="What kind of evidence is it?", widget=forms.RadioSelect, choices=[
        (DOCUMENT, "A document"), (NOTE, "A note"), (LINK, "A link to something in Hearth"),
        (CHILD, "A link to a child's record")], error_messages={"required": "Choose what kind of evidence it is"})
    document = forms.FileField(label="File to upload", required=False,
                               help_text="PDF, Word (DOCX), Excel (XLSX), PNG, JPG, TXT or CSV, up to 10MB",
                               widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
    note = forms.CharField(label="The note", required=False, widget=forms.Textarea)
    link = forms.ChoiceField(label="What it links to", required=False,
                             error_messages={"invalid_choice": "Choose what it links to from the list"})
    hearth_id = forms.CharField(label="The child's Hearth ID", required=False, max_length=20,
                                help_text="7 digits, as on the child's record, like 0001234")
    summary = forms.CharField(label="What this shows", max_length=250,
                              help_text="In a sentence, for the plan and the board pack",
                              error_messages={"required": "Enter what this evidence shows, in a sentence",
                                              "max_length": "What this shows must be 250 characters or fewer"})

    def __init__(self, *args: Any, link_groups: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.link_groups = link_groups
        self.fields["link"].choices = [("", "Choose what it links to"), *link_groups]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == self.DOCUMENT and not data.get("document") and "document" not in self.errors:
            self.add_error("document", "Choose the document to upload")
        if kind == self.NOTE and not (data.get("note") or "").strip():
            self.add_error("note", "Enter the note")
        if kind == self.LINK and not data.get("link") and "link" not in self.errors:
            self.add_error("link", "Choose what it links to")
        if kind == self.CHILD:
            text = re.sub(r"\s", "", data.get("hearth_id") or "")
            if not text:
                self.add_error("hearth_id", "Enter the child's Hearth ID")
            elif not text.isdigit() or len(text) > 12:
                self.add_error("hearth_id", CHILD_REFUSED)
            else:
                data["hearth_id_number"] = int(text)
        return data

    def service_arguments(self) -> dict[str, Any]:
        """What ``evidence_add`` is called with."""
        d = self.cleaned_data
        kind = d["kind"]
        if kind == self.DOCUMENT:
            return {"kind": Kind.DOCUMENT, "document": d["document"]}
        if kind == self.NOTE:
            return {"kind": Kind.NOTE, "note": d["note"]}
        if kind == self.CHILD:
            return {"kind": Kind.CHILD_RECORD, "linked_id": d["hearth_id_number"]}
        link_kind, _, value = d["link"].partition(":")
        if link_kind == Kind.INDICATOR:
            return {"kind": Kind.INDICATOR, "linked_code": value}
        return {"kind": link_kind, "linked_id": int(value)}

    def placed(self, refused: ValidationError) -> ValidationError:
        """The service names its fields by the model; this form by what the user sees."""
        if not hasattr(refused, "error_dict"):
            return refused
        names = {"linked_code": "link", "linked_id": "hearth_id" if self.cleaned_data.get("kind") == self.CHILD
                 else "link"}
        moved: dict[str, list[str]] = {}
        for key, messages_ in refused.message_dict.items():
            moved.setdefault(names.get(key, key), []).extend(messages_)
        return ValidationError(moved)


# ------------------------------------------------------------------------------------------------ monitoring visits


class VisitAreasField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        text = obj.text if len(obj.text) <= 110 else obj.text[:107].rstrip() + "…"
        return f"{obj.number}. {text}"


class MonitoringVisitForm(forms.Form):
    visit_from = GovUKDateField(label="First day of the visit", allow_future=True)
    visit_to = GovUKDateField(label="Last day of the visit", allow_future=True)
    focus = forms.CharField(label="What the visit looked at", max_length=250,
                            error_messages={"required": "Enter what the visit looked at",
                                            "max_length": "What the visit looked at must be 250 characters or fewer"})
    inspectors = forms.CharField(label="Inspectors", max_length=250, required=False)
    letter_published_on = GovUKDateField(label="Letter published", required=False)
    findings = forms.CharField(label="Findings", required=False, widget=forms.Textarea,
                               help_text="What the letter said: progress and what still needs to improve")
    areas_for_improvement = VisitAreasField(label="Areas for improvement it looked at", required=False,
                                            queryset=AreaForImprovement.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["areas_for_improvement"].queryset = areas  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(visit: MonitoringVisit) -> dict[str, Any]:
        return {"version": visit.version, "visit_from": visit.visit_from, "visit_to": visit.visit_to,
                "focus": visit.focus, "inspectors": visit.inspectors,
                "letter_published_on": visit.letter_published_on, "findings": visit.findings,
                "areas_for_improvement": [a.pk for a in visit.areas_for_improvement.all()]}


class MonitoringVisitEditForm(VersionedForm, MonitoringVisitForm):
    pass


# ------------------------------------------------------------------------------------------------ the plan's filters


class PlanFilterForm(forms.Form):
    area = forms.ChoiceField(label="Area for improvement", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])
    rag = forms.ChoiceField(label="RAG", required=False, choices=[("", "Any RAG rating"), *Rag.choices])
    owner = forms.ChoiceField(label="Owner", required=False)
    overdue = forms.BooleanField(label="Only overdue actions", required=False)

    def __init__(self, *args: Any, areas: list[AreaForImprovement], owners: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ("", "Any area"), ("0", "Not tied to an area"),
            *[(str(a.pk), f"{a.number}. {a.text[:60]}{'…' if len(a.text) > 60 else ''}") for a in areas]]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone"), *[(str(u.pk), u.get_full_name() or u.username) for u in owners]]
