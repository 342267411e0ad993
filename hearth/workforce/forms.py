"""Forms for the establishment and the HR record. They check what was typed; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from hearth.accounts.models import Team
from hearth.finance.models import Grant, Reserve
from hearth.indicators import registry
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import Absence, Appointment, Post, PostFunding

BLANK = [("", "Select")]


def _decimal(label: str, *, places: int, low: str, high: str | None = None, required: bool = True,
             what: str = "", hint: str = "", width: str = "5", prefix: str = "", suffix: str = ""
             ) -> forms.DecimalField:
    noun = what or label
    messages = {
        "required": f"Enter the {noun.lower()}",
        "invalid": f"{noun} must be a number",
        "min_value": f"{noun} must be {low} or more",
        "max_value": f"{noun} must be {high} or less",
        "max_decimal_places": f"{noun} must have no more than {places} decimal places",
        "max_digits": f"{noun} must be {high} or less" if high else f"{noun} is too large",
        "max_whole_digits": f"{noun} must be {high} or less" if high else f"{noun} is too large",
    }
    field = forms.DecimalField(label=label, required=required, decimal_places=places, min_value=Decimal(low),
                               max_value=Decimal(high) if high else None, help_text=hint, error_messages=messages,
                               max_digits=10 if high is None else None)
    # Read by workforce/form.html for the GOV.UK input's width, prefix and suffix.
    field.govuk_width, field.govuk_prefix, field.govuk_suffix = width, prefix, suffix  # type: ignore[attr-defined]
    return field


def _choice(label: str, choices: Any, message: str, *, radios: bool = False, required: bool = True
            ) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=required,
                             widget=forms.RadioSelect if radios else forms.Select,
                             error_messages={"required": message, "invalid_choice": message})


def indicator_choices() -> list[tuple[str, str]]:
    return [(i.code, i.title) for i in registry.indicators()]


class PostForm(VersionedForm):
    reference = forms.CharField(label="Post number", max_length=20,
                                help_text="As on the council's HR system, for example CSC-0412",
                                error_messages={"required": "Enter the post number",
                                                "max_length": "Post number must be 20 characters or fewer"})
    title = forms.CharField(label="Job title", max_length=120,
                            error_messages={"required": "Enter the job title",
                                            "max_length": "Job title must be 120 characters or fewer"})
    kind = _choice("Kind of post", BLANK + list(Post.Kind.choices), "Select the kind of post")
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), required=False,
                                  empty_label="No team",
                                  error_messages={"invalid_choice": "Select a team in this council"})
    grade = forms.CharField(label="Grade", max_length=30, required=False,
                            error_messages={"max_length": "Grade must be 30 characters or fewer"})
    fte = _decimal("FTE", places=2, low="0.01", high="1.00", hint="Full-time is 1.00; half-time 0.50")
    annual_cost = _decimal("Annual cost", places=2, low="0", what="Annual cost", width="10", prefix="£",
                           hint="The full-year employer cost of the post at its FTE: salary and on-costs, in pounds")
    social_work_post = forms.BooleanField(
        label="A social work post (needs Social Work England registration)", required=False,
        help_text="Counted in the social work vacancy rate. Family support and business support posts are not.")
    established_on = GovUKDateField(label="Date the post was established", allow_future=True)
    purpose = forms.CharField(label="What the post is for", required=False, widget=forms.Textarea,
                              max_length=2000,
                              error_messages={"max_length": "What the post is for must be 2000 characters or fewer"})
    serves_indicators = forms.MultipleChoiceField(
        label="Indicators the post exists to improve", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The sustainability view shows these as at risk when the post's funding ends",
        error_messages={"invalid_choice": "Select indicators from the list"})

    def __init__(self, *args: Any, local_authority_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            local_authority_id=local_authority_id, closed_on__isnull=True)
        self.fields["serves_indicators"].choices = indicator_choices()  # type: ignore[attr-defined]
        self.fields["serves_indicators"].govuk_small = True  # type: ignore[attr-defined]


class PostEndForm(VersionedForm):
    ended_on = GovUKDateField(label="Date the post comes off the establishment", allow_future=True,
                              help_text="The first day it is no longer there: for a post funded to 31 March 2027, "
                                        "1 April 2027")


class FundingForm(forms.Form):
    source = _choice("Where the money comes from", list(PostFunding.Source.choices),
                     "Select where the money comes from", radios=True)
    reserve = forms.ModelChoiceField(label="Reserve", queryset=Reserve.objects.none(), required=False,
                                     empty_label="Select a reserve", help_text="When the money comes from a reserve",
                                     error_messages={"invalid_choice": "Select a reserve of this council"})
    grant = forms.ModelChoiceField(label="Grant", queryset=Grant.objects.none(), required=False,
                                   empty_label="Select a grant", help_text="When the money comes from a grant",
                                   error_messages={"invalid_choice": "Select a grant of this council"})
    starts_on = GovUKDateField(label="Date the funding starts", allow_future=True)
    ends_on = GovUKDateField(label="Date the funding ends", allow_future=True, required=False,
                             help_text="The last day it pays for. Leave empty for base budget that carries on.")
    share_percent = _decimal("Share of the post it pays for", places=2, low="0.01", high="100", suffix="%",
                             what="Share", hint="100 unless the post is part-funded from two sources")
    note = forms.CharField(label="Note", max_length=250, required=False,
                           error_messages={"max_length": "Note must be 250 characters or fewer"})

    def __init__(self, *args: Any, local_authority_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reserve"].queryset = Reserve.objects.filter(  # type: ignore[attr-defined]
            local_authority_id=local_authority_id)
        self.fields["grant"].queryset = Grant.objects.filter(  # type: ignore[attr-defined]
            local_authority_id=local_authority_id)
        # Needed for their source, not optional: the hint says when.
        for name in ("reserve", "grant"):
            self.fields[name].govuk_hide_optional = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        if source == PostFunding.Source.RESERVE and not data.get("reserve") and "reserve" not in self.errors:
            self.add_error("reserve", "Select the reserve the post is paid from")
        if source == PostFunding.Source.GRANT and not data.get("grant") and "grant" not in self.errors:
            self.add_error("grant", "Select the grant the post is paid from")
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The funding must end on or after the day it starts")
        return data


class FundingEndForm(VersionedForm):
    ends_on = GovUKDateField(label="Last day the funding pays for", allow_future=True)


class AppointmentStartForm(forms.Form):
    post = forms.ModelChoiceField(label="Post", queryset=Post.objects.none(), required=False,
                                  empty_label="No post (over establishment)",
                                  help_text="An agency worker covering sickness or leave may fill no post",
                                  error_messages={"invalid_choice": "Select a post on the establishment"})
    employment_type = _choice("How the worker is employed", list(Appointment.EmploymentType.choices),
                              "Select how the worker is employed", radios=True)
    org_role = _choice("Role as the workforce census counts it",
                       [(v, label) for v, label in Appointment.OrgRole.choices if v]
                       + [("none", "Not a social work role")],
                       "Select the worker's role as the workforce census counts it")
    fte = _decimal("FTE", places=2, low="0.01", high="1.00", hint="Full-time is 1.00; 3 days a week is 0.60")
    starts_on = GovUKDateField(label="First day in the role", allow_future=True)
    start_origin = _choice("Where the worker came from", BLANK + list(Appointment.StartOrigin.choices),
                           "Select where the worker came from", required=False)

    def __init__(self, *args: Any, posts: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]

    def clean_org_role(self) -> str:
        value = self.cleaned_data.get("org_role") or ""
        return "" if value == "none" else value


class AppointmentEndForm(VersionedForm):
    ends_on = GovUKDateField(label="Last day in the role", allow_future=True)
    left_council = forms.TypedChoiceField(
        label="Did the worker leave the council's children's social work?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, they left"), ("no", "No, they are moving to another role here")],
        coerce=lambda v: v == "yes", empty_value=None,
        error_messages={"required": "Select whether the worker left"})
    reason_leave = _choice("Why they left", BLANK + list(Appointment.ReasonLeave.choices),
                           "Select why the worker left", required=False)
    leaver_destination = _choice("Where they went", BLANK + list(Appointment.LeaverDestination.choices),
                                 "Select where the worker went", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("left_council") and not data.get("reason_leave") and "reason_leave" not in self.errors:
            self.add_error("reason_leave", "Select why the worker left")
        return data


class AbsenceForm(forms.Form):
    reason = _choice("Reason", BLANK + list(Absence.Reason.choices), "Select the reason for the absence")
    starts_on = GovUKDateField(label="First day of the absence", allow_future=True)
    ends_on = GovUKDateField(label="Last day of the absence", allow_future=True, required=False,
                             help_text="Leave empty if the worker is still away")
    working_days_lost = _decimal("Working days lost", places=2, low="0", high="9999",
                                 hint="As the worker's contract counts them: a part-time worker loses fewer. So "
                                      "far, if they are still away.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The absence must end on or after the day it started")
        return data


class AbsenceCloseForm(VersionedForm):
    ends_on = GovUKDateField(label="Last day of the absence")
    working_days_lost = _decimal("Working days lost in all", places=2, low="0", high="9999",
                                 what="Working days lost")


class PostFilterForm(forms.Form):
    """The posts list's filters: anything not understood is ignored rather than refused."""

    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), required=False, empty_label="All teams")
    kind = forms.ChoiceField(label="Kind of post", required=False, choices=[("", "All kinds"), *Post.Kind.choices])
    source = forms.ChoiceField(label="Funded from", required=False,
                               choices=[("", "Any source"), *PostFunding.Source.choices, ("none", "No funding")])
    occupancy = forms.ChoiceField(label="Filled or vacant", required=False, choices=[
        ("", "Any"), ("filled", "Filled"), ("agency", "Covered by an agency worker"), ("vacant", "Vacant")])
    ending = forms.TypedChoiceField(label="Funding ends within", required=False, coerce=int, empty_value=None,
                                    choices=[("", "Any time"), ("3", "3 months"), ("6", "6 months"),
                                             ("12", "12 months")])
    status = forms.ChoiceField(label="On the establishment", required=False, choices=[
        ("current", "On the establishment today"), ("ended", "Taken off"), ("all", "All posts")])

    def __init__(self, *args: Any, teams: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is dropped), as ``posts_for`` keywords."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"team": data.get("team"), "kind": data.get("kind") or "", "source": data.get("source") or "",
                "occupancy": data.get("occupancy") or "", "ending_within": data.get("ending"),
                "status": data.get("status") or "current"}


class PeopleFilterForm(forms.Form):
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), required=False, empty_label="All teams")
    employment_type = forms.ChoiceField(label="Employment", required=False, choices=[
        ("", "Any"), *Appointment.EmploymentType.choices, ("none", "No appointment recorded")])
    status = forms.ChoiceField(label="Staff", required=False, choices=[
        ("current", "In post"), ("left", "Left"), ("all", "Everyone")])

    def __init__(self, *args: Any, teams: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"team": data.get("team"), "employment_type": data.get("employment_type") or "",
                "status": data.get("status") or "current"}
