"""Forms for children in need. They check shape; the services check the rules and sequences."""

from __future__ import annotations

from typing import Any

from django import forms

from hearth.accounts.models import Team, User
from hearth.accounts.roles import CASE_ROLES
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .codes import AssessmentFactor, ClosureReason, PrimaryNeed, ReferralSource
from .models import Assessment, CINPlan

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No")]


def _blank(choices: Any, text: str) -> list[tuple[str, str]]:
    return [("", text), *choices]


class EpisodeOpenForm(forms.Form):
    referral_date = GovUKDateField(label="Referral date")
    referral_source = forms.ChoiceField(
        label="Who made the referral", choices=_blank(ReferralSource.choices, "Select the source"),
        error_messages={"required": "Select who made the referral"},
    )
    primary_need = forms.ChoiceField(
        label="Primary need", required=False, choices=_blank(PrimaryNeed.choices, "Not known yet"),
        help_text="You can record this later, once the need is clear",
    )
    team = forms.ModelChoiceField(label="Team", required=False, queryset=Team.objects.none(),
                                  empty_label="Not allocated yet")

    def __init__(self, *args: Any, local_authority_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(local_authority_id=local_authority_id).order_by("name")  # type: ignore[attr-defined]


class PrimaryNeedForm(VersionedForm):
    primary_need = forms.ChoiceField(
        label="Primary need", choices=PrimaryNeed.choices, widget=forms.RadioSelect,
        help_text="If two categories fit, choose the one higher in the list",
        error_messages={"required": "Select the primary need"},
    )


class EpisodeCloseForm(VersionedForm):
    closed_on = GovUKDateField(label="Closure date")
    reason = forms.ChoiceField(
        label="Reason for closing", choices=ClosureReason.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the reason for closing"},
    )
    oversight_rationale = forms.CharField(
        label="Your rationale as manager", required=False, widget=forms.Textarea,
        help_text="Recorded as management oversight of the decision to close",
    )

    def __init__(self, *args: Any, is_manager: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not is_manager:
            del self.fields["oversight_rationale"]


def _workers(local_authority_id: int) -> Any:
    return User.objects.filter(local_authority_id=local_authority_id, is_active=True,
                               role__in=CASE_ROLES).order_by("first_name", "last_name")


class AssessmentStartForm(forms.Form):
    started_on = GovUKDateField(label="Date the assessment started")
    worker = forms.ModelChoiceField(label="Social worker", required=False, queryset=User.objects.none(),
                                    empty_label="The allocated social worker")

    def __init__(self, *args: Any, local_authority_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _workers(local_authority_id)  # type: ignore[attr-defined]


class SectionForm(VersionedForm):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args: Any, heading: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = heading


class ChildSeenForm(VersionedForm):
    seen_on = GovUKDateField(label="Date the child was first seen")
    seen_alone = forms.ChoiceField(label="Was the child seen alone?", choices=YES_NO_UNKNOWN,
                                   widget=forms.RadioSelect, required=False)

    def clean_seen_alone(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("seen_alone") or "")


class ConclusionForm(VersionedForm):
    factors = forms.MultipleChoiceField(
        label="Factors identified at the end of the assessment", required=False,
        # 21 comes last, after "or": it stands alone (census rule 8869).
        choices=[c for c in AssessmentFactor.choices if c[0] != AssessmentFactor.NO_FACTORS]
        + [(AssessmentFactor.NO_FACTORS.value, AssessmentFactor.NO_FACTORS.label)],
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.ChoiceField(label="Outcome of the assessment", required=False,
                                choices=Assessment.Outcome.choices, widget=forms.RadioSelect)


class SubmitForm(VersionedForm):
    submitted_on = GovUKDateField(label="Date submitted")


class AuthoriseForm(VersionedForm):
    authorised_on = GovUKDateField(label="Authorisation date")
    rationale = forms.CharField(label="Your rationale", widget=forms.Textarea,
                                help_text="Recorded as management oversight of the assessment",
                                error_messages={"required": "Enter your rationale for authorising the assessment"})
    late_reason = forms.CharField(label="Why the assessment took longer than 45 working days", required=False,
                                  widget=forms.Textarea, help_text="Needed when it is authorised after it was due")


class ReturnForm(VersionedForm):
    comment = forms.CharField(label="What needs to be done", widget=forms.Textarea,
                              error_messages={"required": "Enter what needs to be done before it can be authorised"})


class CINPlanStartForm(forms.Form):
    started_on = GovUKDateField(label="Date the plan started")
    plan = forms.CharField(label="The plan", required=False, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text="Needs, outcomes, actions and who does them. You can add this later")


class CINPlanEditForm(VersionedForm):
    plan = forms.CharField(label="The plan", required=False, widget=forms.Textarea(attrs={"rows": 14}),
                           help_text="Needs, outcomes, actions and who does them")


class CINPlanReviewForm(forms.Form):
    held_on = GovUKDateField(label="Date of the review")
    summary = forms.CharField(label="Summary of the review", required=False, widget=forms.Textarea)


class CINPlanEndForm(VersionedForm):
    ended_on = GovUKDateField(label="Date the plan ended")
    end_reason = forms.ChoiceField(label="Why the plan ended", choices=CINPlan.EndReason.choices,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": "Select why the plan ended"})
