"""Forms for case audits. They check the shape of what was typed; the services decide what is allowed."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import GRADE_ORDER, Area, AuditQuestion, AuditRound, AuditTemplate, AuditTheme
from .services import AnswerInput, QuestionText
from .themes import THEMES

GRADE_CHOICES = [(str(g), str(g.label)) for g in GRADE_ORDER]


def _month_choices(today: date, back: int, forward: int) -> list[tuple[str, str]]:
    first = today.replace(day=1)
    months = [first + relativedelta(months=n) for n in range(-back, forward + 1)]
    return [(m.isoformat(), f"{m:%B %Y}") for m in months]


class AuditorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        team = f", {obj.team.name}" if obj.team_id else ""
        return f"{obj.get_full_name()} ({obj.get_role_display()}{team})"


class RoundForm(forms.Form):
    title = forms.CharField(label="Name of the round", max_length=150, required=False,
                            help_text="For example, 'December 2026: repeat child protection plans'. Left blank, "
                                      "Hearth names it from the month and the sample.")
    month = forms.ChoiceField(label="Month the round belongs to")
    template = forms.ModelChoiceField(label="Audit template", queryset=AuditTemplate.objects.none(),
                                      empty_label="Choose a template")
    method = forms.ChoiceField(label="How should the sample be drawn?", widget=forms.RadioSelect,
                               choices=AuditRound.Method.choices)
    theme = forms.ChoiceField(label="Theme, for a themed sample", required=False, widget=forms.RadioSelect,
                              choices=[(t.code, t.label) for t in THEMES.values()],
                              help_text="For a themed sample: cases are drawn from the children the live record "
                                        "matches on the day the sample is drawn.")
    scope_team = forms.ModelChoiceField(label="Only cases held by this team", queryset=Team.objects.none(),
                                        required=False, empty_label="Every team")
    scope_service_area = forms.ChoiceField(label="Only cases in this service area", required=False)
    sample_size = forms.IntegerField(label="How many cases", min_value=1, max_value=200,
                                     error_messages={"required": "Enter how many cases to draw",
                                                     "invalid": "How many cases must be a whole number",
                                                     "min_value": "Draw at least 1 case",
                                                     "max_value": "Draw at most 200 cases in one round"})
    auditors = AuditorChoiceField(label="Auditors", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
                                  error_messages={"required": "Choose at least one auditor"},
                                  help_text="No one audits a child they work with or whose worker they manage; "
                                            "restricted records go only to auditors who may open them.")
    due_on = GovUKDateField(label="Audits due by", allow_future=True)
    moderation_percent = forms.IntegerField(label="Share routed for moderation (per cent)", min_value=0,
                                            max_value=100, initial=15,
                                            help_text="Audits graded inadequate are always moderated as well.",
                                            error_messages={"required": "Enter the share to moderate",
                                                            "invalid": "The share must be a whole number",
                                                            "min_value": "The share must be 0 or more",
                                                            "max_value": "The share must be 100 or less"})
    seed = forms.IntegerField(label="Seed", required=False, min_value=1, max_value=999_999_999,
                              help_text="Leave blank for a new random seed. The same seed on the same day's record "
                                        "draws the same sample.",
                              error_messages={"invalid": "The seed must be a whole number",
                                              "min_value": "The seed must be 1 or more",
                                              "max_value": "The seed must be 999999999 or less"})

    def __init__(self, *args: Any, local_authority_id: int, auditors: Any, areas: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["month"].choices = _month_choices(today, 1, 2)  # type: ignore[attr-defined]
        self.fields["template"].queryset = AuditTemplate.objects.filter(  # type: ignore[attr-defined]
            local_authority_id=local_authority_id, replaced_on__isnull=True).order_by("name")
        self.fields["scope_team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            local_authority_id=local_authority_id, closed_on__isnull=True).order_by("name")
        self.fields["scope_service_area"].choices = [("", "Every service area")] + [  # type: ignore[attr-defined]
            (a, a) for a in areas]
        self.fields["auditors"].queryset = auditors  # type: ignore[attr-defined]
        self.fields["template"].error_messages["required"] = "Choose the audit template"
        self.fields["method"].error_messages["required"] = "Choose how the sample is drawn"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == AuditRound.Method.THEMED and not data.get("theme"):
            self.add_error("theme", "Choose the theme to sample")
        return data


def _grade_field(label: str, required: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=GRADE_CHOICES, widget=forms.RadioSelect, required=required)


class AuditForm(VersionedForm):
    """Every question's grade and evidence, then the overall view. Nothing is required to save a draft; the
    service refuses a submission with anything missing, next to each missing answer."""

    def __init__(self, *args: Any, questions: list[AuditQuestion], themes: list[AuditTheme], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[f"grade_{q.pk}"] = _grade_field(f"Grade for question {q.order}")
            self.fields[f"evidence_{q.pk}"] = forms.CharField(label=f"Evidence for question {q.order}",
                                                              widget=forms.Textarea, required=False)
        self.fields["overall_grade"] = _grade_field("Overall grade")
        self.fields["strengths"] = forms.CharField(label="Strengths", widget=forms.Textarea, required=False)
        self.fields["areas_for_development"] = forms.CharField(label="Areas for development", widget=forms.Textarea,
                                                               required=False)
        self.fields["themes"] = forms.MultipleChoiceField(
            label="Themes", required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(t.slug, t.name) for t in themes],
            help_text="Tag what this audit found, so patterns across audits can be seen.")
        self.fields["worker_feedback"] = forms.CharField(label="The worker's feedback", widget=forms.Textarea,
                                                         required=False, help_text="If you talked with the worker")
        self.fields["family_feedback"] = forms.CharField(label="The child's or family's feedback",
                                                         widget=forms.Textarea, required=False,
                                                         help_text="If it was gathered")
        # Drafts, the overall view, in the order the page shows them.
        self.question_fields = [(q, self[f"grade_{q.pk}"], self[f"evidence_{q.pk}"]) for q in questions]

    def answers(self) -> dict[int, AnswerInput]:
        data = self.cleaned_data
        return {q.pk: AnswerInput(data.get(f"grade_{q.pk}") or "", data.get(f"evidence_{q.pk}") or "")
                for q in self.questions}

    @staticmethod
    def initial_for(audit: Any, answers: list[tuple[AuditQuestion, Any]]) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": audit.version, "overall_grade": audit.overall_grade,
                                   "strengths": audit.strengths, "areas_for_development": audit.areas_for_development,
                                   "themes": list(audit.themes or []), "worker_feedback": audit.worker_feedback,
                                   "family_feedback": audit.family_feedback}
        for q, answer in answers:
            if answer is not None:
                initial[f"grade_{q.pk}"] = answer.grade
                initial[f"evidence_{q.pk}"] = answer.evidence
        return initial


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(label="Do you agree with the auditor's grade?", widget=forms.RadioSelect,
                                 choices=[("agree", "Yes, I agree"), ("change", "No, I would give a different grade")],
                                 error_messages={"required": "Say whether you agree with the auditor's grade"})
    grade = _grade_field("Your grade")
    rationale = forms.CharField(label="Your reasons", widget=forms.Textarea,
                                error_messages={"required": "Enter the reasons for your decision"},
                                help_text="What in the record supports your view. The auditor sees this.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "change" and not data.get("grade"):
            self.add_error("grade", "Choose the grade you would give")
        return data


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()} ({obj.get_role_display().lower()})"


class ActionForm(forms.Form):
    what = forms.CharField(label="What needs to be done", widget=forms.Textarea,
                           error_messages={"required": "Enter what needs to be done"})
    assigned_to = StaffChoiceField(label="Who will do it", queryset=User.objects.none(), empty_label="Choose someone",
                                   error_messages={"required": "Choose who will do it"})
    due_on = GovUKDateField(label="Due by", allow_future=True)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = staff  # type: ignore[attr-defined]


class ActionCompleteForm(VersionedForm):
    note = forms.CharField(label="What was done", widget=forms.Textarea,
                           error_messages={"required": "Enter what was done"})


class TemplateForm(forms.Form):
    """The template's name and its questions; blank a question's text to leave it out of the new version."""

    EXTRA = 2
    name = forms.CharField(label="Name", max_length=120, error_messages={"required": "Enter the template's name"})
    description = forms.CharField(label="What the template is for", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, rows: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows = rows + self.EXTRA
        self.question_rows = []
        for i in range(1, self.rows + 1):
            self.fields[f"area_{i}"] = forms.ChoiceField(label=f"Area of practice for question {i}",
                                                         choices=[("", "Choose an area"), *Area.choices],
                                                         required=False)
            self.fields[f"text_{i}"] = forms.CharField(label=f"Question {i}", max_length=300, required=False)
            self.fields[f"guidance_{i}"] = forms.CharField(label=f"Guidance for question {i}", widget=forms.Textarea,
                                                           required=False)
            self.question_rows.append((i, self[f"area_{i}"], self[f"text_{i}"], self[f"guidance_{i}"]))

    @staticmethod
    def initial_for(template: AuditTemplate, questions: list[AuditQuestion]) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": template.name, "description": template.description}
        for i, q in enumerate(questions, start=1):
            initial.update({f"area_{i}": q.area, f"text_{i}": q.text, f"guidance_{i}": q.guidance})
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, self.rows + 1):
            if (data.get(f"text_{i}") or "").strip() and not data.get(f"area_{i}"):
                self.add_error(f"area_{i}", f"Choose the area of practice for question {i}")
        if not any((data.get(f"text_{i}") or "").strip() for i in range(1, self.rows + 1)):
            self.add_error("text_1", "A template needs at least one question")
        return data

    def questions(self) -> list[QuestionText]:
        data = self.cleaned_data
        return [QuestionText(data[f"area_{i}"], data[f"text_{i}"], data.get(f"guidance_{i}") or "")
                for i in range(1, self.rows + 1) if (data.get(f"text_{i}") or "").strip()]


class TeamChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}" + (f" ({obj.service_area})" if obj.service_area else "")


class PracticeWeekForm(forms.Form):
    title = forms.CharField(label="Name", max_length=150, error_messages={"required": "Enter a name for the practice "
                                                                                      "week"},
                            help_text="For example, 'Practice week: front door and assessment, March 2027'")
    start = GovUKDateField(label="First day", allow_future=True)
    end = GovUKDateField(label="Last day", allow_future=True)
    teams = TeamChoiceField(label="Teams in focus", queryset=Team.objects.none(), widget=forms.CheckboxSelectMultiple,
                            error_messages={"required": "Choose at least one team in focus"})

    def __init__(self, *args: Any, local_authority_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            local_authority_id=local_authority_id, closed_on__isnull=True).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The last day must be the same as or after the first day")
        return data


class SummaryForm(VersionedForm):
    what_we_found = forms.CharField(label="What we found", widget=forms.Textarea, required=False)
    what_we_will_do = forms.CharField(label="What we will do", widget=forms.Textarea, required=False)


class ThemeFilterForm(forms.Form):
    start = forms.ChoiceField(label="From", required=False)
    end = forms.ChoiceField(label="To", required=False)
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), required=False, empty_label="Every team")
    service_area = forms.ChoiceField(label="Service area", required=False)

    def __init__(self, *args: Any, local_authority_id: int, areas: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        months = _month_choices(today, 23, 0)
        self.fields["start"].choices = months  # type: ignore[attr-defined]
        self.fields["end"].choices = months  # type: ignore[attr-defined]
        self.fields["start"].initial = (today.replace(day=1) - relativedelta(months=11)).isoformat()
        self.fields["end"].initial = today.replace(day=1).isoformat()
        self.fields["team"].queryset = Team.objects.filter(local_authority_id=local_authority_id).order_by(  # type: ignore[attr-defined]
            "name")
        self.fields["service_area"].choices = [("", "Every service area")] + [  # type: ignore[attr-defined]
            (a, a) for a in areas]

    def period(self) -> tuple[date, date]:
        """The months chosen (the last twelve by default), first day to last day."""
        today = timezone.localdate()
        default_start = today.replace(day=1) - relativedelta(months=11)
        data = self.cleaned_data if self.is_valid() else {}
        start = date.fromisoformat(data["start"]) if data.get("start") else default_start
        end_month = date.fromisoformat(data["end"]) if data.get("end") else today.replace(day=1)
        if end_month < start:
            start, end_month = end_month, start
        return start, end_month + relativedelta(months=1) - relativedelta(days=1)

