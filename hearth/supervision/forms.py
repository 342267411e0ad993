from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.html import format_html

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.people.models import Person
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import CaseDiscussion, SupervisionSession
from .schedule import SUPERVISED_ROLES, UNITS, Interval
from .services import SUPERVISOR_ROLES, TOPIC_ERROR, TOPICS, role_plural


def _text(label: str, *, required: bool = False, message: str = "", hint: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea, help_text=hint,
                           error_messages={"required": message} if message else None)


class SessionForm(VersionedForm):
    held_on = GovUKDateField(label="Date of the supervision")
    kind = forms.ChoiceField(
        label="Kind of supervision", choices=SupervisionSession.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of supervision"},
    )
    wellbeing = _text("Wellbeing", hint="How the worker is, and any support they need")
    workload = _text("Workload", hint="Caseload, priorities and anything to reallocate")
    learning = _text("Learning and development", hint="Training, practice development, the ASYE")
    reflection = _text("Reflective discussion", hint="Reflection on practice, feelings about the work")
    agreed_actions = _text("Actions agreed for the worker")
    next_on = GovUKDateField(label="Date of the next supervision", allow_future=True, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(t) or "").strip() for t in TOPICS) and "wellbeing" not in self.errors:
            self.add_error("wellbeing", TOPIC_ERROR)
        held, following = data.get("held_on"), data.get("next_on")
        if held and following and following <= held:
            self.add_error("next_on", "The date of the next supervision must be after the date of this one")
        return data


class CaseDiscussionForm(forms.Form):
    """One child of the worker's caseload: ticked to discuss them. Unticked, nothing typed for them is checked."""

    discussed = forms.BooleanField(required=False)
    discussion = _text("What was discussed")
    decisions = _text("Decisions and actions")
    actions_due_on = GovUKDateField(label="Date the actions are due", allow_future=True, required=False)
    plan_progress = forms.ChoiceField(label="Is the plan progressing?", required=False,
                                      choices=CaseDiscussion.Progress.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, child: Person, locked: bool = False, **kwargs: Any):
        kwargs.setdefault("prefix", f"child-{child.pk}")
        super().__init__(*args, **kwargs)
        self.child = child
        # An existing discussion is on the child's record: it can be corrected, never taken out.
        self.locked = locked
        self.fields["discussed"].label = f"Discuss {child.full_name}"
        # The same questions for each child: their name, unseen, tells a screen reader whose they are.
        for name, text in (("discussion", "What was discussed"), ("decisions", "Decisions and actions"),
                           ("actions_due_on", "Date the actions are due"),
                           ("plan_progress", "Is the plan progressing?")):
            self.fields[name].label = format_html('{}<span class="govuk-visually-hidden"> ({})</span>', text,
                                                  child.full_name)
        self.fields["actions_due_on"].noun = f"The date the actions for {child.full_name} are due"  # type: ignore[attr-defined]

    @property
    def texts(self) -> list[forms.BoundField]:
        return [self["discussion"], self["decisions"]]

    @property
    def progress_choices(self) -> list[tuple[str, str]]:
        return list(CaseDiscussion.Progress.choices)

    @property
    def due_parts(self) -> list[tuple[str, str, int]]:
        """Day, month and year as typed (or as stored), for the date boxes."""
        value = self["actions_due_on"].value()
        if isinstance(value, date):
            parts = [str(value.day), str(value.month), str(value.year)]
        elif isinstance(value, list | tuple):
            parts = [str(v) if v is not None else "" for v in value] + ["", "", ""]
        else:
            parts = ["", "", ""]
        return [("Day", parts[0], 2), ("Month", parts[1], 2), ("Year", parts[2], 4)]

    @property
    def ticked(self) -> bool:
        if self.locked:
            return True
        if self.is_bound:
            return self.data.get(self.add_prefix("discussed")) not in (None, "", "false", "off")
        return bool(self.initial.get("discussed"))

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self.ticked:
            self._errors = ErrorDict()
            self.cleaned_data = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.ticked:
            return data
        name = self.child.full_name
        if not (data.get("discussion") or "").strip() and "discussion" not in self.errors:
            self.add_error("discussion", f"Enter what was discussed about {name}")
        if not (data.get("decisions") or "").strip() and "decisions" not in self.errors:
            self.add_error("decisions", f"Enter the decisions and actions for {name}")
        if data.get("actions_due_on") is None and "actions_due_on" not in self.errors:
            self.add_error("actions_due_on", f"Enter the date the actions for {name} are due")
        if not data.get("plan_progress") and "plan_progress" not in self.errors:
            self.add_error("plan_progress", f"Select whether {name}'s plan is progressing")
        return data

    def check_against(self, held_on: date | None) -> None:
        due = self.cleaned_data.get("actions_due_on") if self.ticked else None
        if held_on and due and due < held_on:
            self.add_error("actions_due_on",
                           f"The date the actions for {self.child.full_name} are due must be on or after the "
                           "supervision")


class NotHeldForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened to the supervision?", widget=forms.RadioSelect,
        choices=[(SupervisionSession.Status.CANCELLED, "It was cancelled"),
                 (SupervisionSession.Status.REARRANGED, "It was rearranged for another date")],
        error_messages={"required": "Select whether the supervision was cancelled or rearranged"},
    )
    planned_on = GovUKDateField(label="Date it was planned for", allow_future=True)
    reason = _text("Why it did not go ahead", required=True, message="Enter why the supervision did not go ahead")
    rearranged_to = GovUKDateField(label="New date, if rearranged", allow_future=True, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == SupervisionSession.Status.REARRANGED and not data.get("rearranged_to") \
                and "rearranged_to" not in self.errors:
            self.add_error("rearranged_to", "Enter the new date of the supervision")
        return data


class CommentForm(VersionedForm):
    comments = _text("Comments", hint="Anything you want to add to or correct in the record")
    confirm = forms.BooleanField(label="I have read this record and it is accurate", required=False)


class ArrangementForm(VersionedForm):
    supervisor = forms.ModelChoiceField(
        label="Who supervises this worker", queryset=User.objects.none(), required=False,
        empty_label="Their team manager",
        help_text="Name a senior practitioner or another manager only when it is not their team manager",
    )
    asye_started_on = GovUKDateField(
        label="Start of their assessed and supported year in employment (ASYE)", allow_future=True, required=False,
        help_text="Only for newly qualified social workers. Leave blank otherwise. For example, 1 9 2026",
    )

    def __init__(self, *args: Any, worker: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["supervisor"]
        field.queryset = (  # type: ignore[attr-defined]
            User.objects.filter(local_authority_id=worker.local_authority_id, is_active=True,
                                role__in=list(SUPERVISOR_ROLES))
            .exclude(pk=worker.pk).select_related("team").order_by("last_name", "first_name", "pk")
        )
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.get_full_name()}, {Role(u.role).label.lower()}" + (f", {u.team}" if u.team_id else "")
        )


def _number(label: str, noun: str, high: int, unit: str) -> forms.IntegerField:
    """A whole number from 1 to ``high``, with GOV.UK messages that say what the number is."""
    between = f"{noun[0].upper()}{noun[1:]} must be between 1 and {high} {unit}"
    return forms.IntegerField(label=label, min_value=1, max_value=high, error_messages={
        "required": f"Enter {noun}", "invalid": f"{noun[0].upper()}{noun[1:]} must be a whole number",
        "min_value": between, "max_value": between,
    })


class PolicyForm(VersionedForm):
    asye_first_weeks = _number("Weeks at the start of the ASYE with more frequent supervision",
                               "the weeks of more frequent supervision at the start of the ASYE", 52, "weeks")
    asye_first_every_weeks = _number("In those weeks, supervision every (weeks)",
                                     "how often newly qualified workers are supervised early in their ASYE", 52,
                                     "weeks")
    asye_every_weeks = _number("For the rest of the ASYE, supervision every (weeks)",
                               "how often newly qualified workers are supervised in the rest of their ASYE", 52,
                               "weeks")
    asye_months = _number("Length of the ASYE (months)", "the length of the ASYE", 24, "months")
    case_discussion_weeks = _number("Every child on a caseload is discussed in supervision at least every (weeks)",
                                    "how often each child is discussed in supervision", 52, "weeks")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for role in SUPERVISED_ROLES:
            plural = role_plural(role)
            self.fields[f"{role}_every"] = _number(
                format_html('Supervision every<span class="govuk-visually-hidden"> (for {})</span>', plural),
                f"how often {plural} are supervised", 52, "weeks or months")
            self.fields[f"{role}_unit"] = forms.ChoiceField(
                label=format_html('Weeks or months<span class="govuk-visually-hidden"> (for {})</span>', plural),
                choices=UNITS, widget=forms.RadioSelect,
                error_messages={"required": f"Select weeks or months for {plural}"},
            )

    def frequencies(self) -> dict[str, Interval | None]:
        result: dict[str, Interval | None] = {}
        for role in SUPERVISED_ROLES:
            every, unit = self.cleaned_data.get(f"{role}_every"), self.cleaned_data.get(f"{role}_unit")
            result[role] = Interval(every, unit) if every and unit else None
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for role in SUPERVISED_ROLES:
            every, unit = data.get(f"{role}_every"), data.get(f"{role}_unit")
            if every and unit == "months" and every > 12:
                self.add_error(f"{role}_every",
                               f"How often {role_plural(role)} are supervised must be 12 months or fewer")
        return data
