"""Forms for missing episodes, return home interviews and screening. They check what was typed; the
services check the facts (order of times, overlaps, who may hold an interview).

A moment is a GOV.UK date (``<name>``) and a time box (``<name>_time``); ``moment(name)`` joins them
as Europe/London. A service's refusal about ``<name>`` therefore lands beside the date it is about.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms

from hearth.access.selectors import people_visible_to
from hearth.accounts.models import User
from hearth.care.codes import MissingType
from hearth.clocks.working_days import LONDON
from hearth.front_door.forms import parse_time
from hearth.people.forms import LengthMessages, PostcodeField
from hearth.people.models import Person
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .codes import HowReturned, Indicator, InterviewResponse, PoliceRisk, PullFactor, PushFactor, RiskLevel
from .services import Place, parse_places

YES_NO = [("yes", "Yes"), ("no", "No")]
TIME_HINT = "Use the 24-hour clock, for example 21:30. Your best estimate if it is not known exactly"


def _text(label: str, *, required: bool = False, message: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea, help_text=help_text,
                           error_messages={"required": message or f"Enter {label.lower()}"})


def _time(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=10, required=required, help_text=TIME_HINT,
                           error_messages={"required": f"Enter the {label.lower()}, like 21:30"})


class MomentsForm(LengthMessages, forms.Form):
    """Joins each ``<name>`` date with its ``<name>_time`` box into one London moment."""

    moment_names: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.moments: dict[str, datetime | None] = {}
        for name in self.moment_names:
            day: date | None = cleaned.get(name)
            typed = (cleaned.get(f"{name}_time") or "").strip()
            parsed = parse_time(typed) if typed else None
            label = str(self.fields[f"{name}_time"].label).lower()
            if typed and parsed is None:
                self.add_error(f"{name}_time", f"Enter the {label} as hours and minutes, like 21:30")
            elif day is not None and parsed is None and not self.has_error(f"{name}_time"):
                self.add_error(f"{name}_time", f"Enter the {label}, like 21:30")
            elif parsed is not None and day is None and not self.has_error(name):
                self.add_error(name, f"Enter the {str(self.fields[name].label).lower()}")
            self.moments[name] = (datetime.combine(day, parsed, tzinfo=LONDON)
                                  if day is not None and parsed is not None else None)
        return cleaned

    def moment(self, name: str) -> datetime | None:
        return self.moments.get(name)

    def at(self, name: str) -> datetime:
        """A required moment of a valid form."""
        moment = self.moments.get(name)
        assert moment is not None, name
        return moment


def moment_initial(name: str, value: datetime | None) -> dict[str, Any]:
    """Initial values for a moment's date and time boxes."""
    if value is None:
        return {}
    local = value.astimezone(LONDON)
    return {name: local.date(), f"{name}_time": f"{local:%H:%M}"}


_HEARTH_ID = re.compile(r"\d+")


class EpisodeForm(MomentsForm):
    moment_names: tuple[str, ...] = ("started_at", "reported_at")

    missing_type = forms.ChoiceField(
        label="Was the child missing or away?", choices=MissingType.choices, widget=forms.RadioSelect,
        help_text="Away from placement without authorisation is only for a child in care",
        error_messages={"required": "Choose whether the child was missing or away from placement"},
    )
    started_at = GovUKDateField(label="Date the child went missing",
                                help_text="When they left, or were last seen by a responsible adult, whichever "
                                          "is later. For example, 14 3 2026")
    started_at_time = _time("Time the child went missing")
    reported_at = GovUKDateField(label="Date it was reported", required=False,
                                 help_text="To the police or the council. For example, 14 3 2026")
    reported_at_time = _time("Time it was reported", required=False)
    reported_to_police = forms.ChoiceField(label="Were the police told?", choices=YES_NO, widget=forms.RadioSelect,
                                           error_messages={"required": "Choose whether the police were told"})
    police_reference = forms.CharField(label="Police reference", max_length=40, required=False)
    police_risk = forms.ChoiceField(label="Police risk grading", required=False, widget=forms.RadioSelect,
                                    choices=[("", "Not graded yet"), *PoliceRisk.choices])
    missing_from = forms.CharField(label="Where they went missing from", max_length=200, required=False,
                                   help_text="For example, home, the placement, school")
    circumstances = _text("Circumstances", help_text="What happened before they went, and any concerns")
    linked_children = forms.CharField(
        label="Other children missing with them", max_length=300, required=False,
        help_text="Their Hearth IDs, separated by commas. 'Find a child' shows a child's Hearth ID",
    )
    others_with_them = _text("Other people with them", help_text="Adults or young people with no record here")

    def __init__(self, *args: Any, user: User, child: Person, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.child = child
        self.linked: list[Person] = []

    def clean_linked_children(self) -> str:
        typed = self.cleaned_data.get("linked_children") or ""
        numbers = _HEARTH_ID.findall(typed)
        if re.sub(r"[\d,;\s]", "", typed) or any(len(number) > 10 for number in numbers):
            raise forms.ValidationError("Enter Hearth IDs (numbers), separated by commas")
        ids = list(dict.fromkeys(int(number) for number in numbers))
        if self.child.pk in ids:
            raise forms.ValidationError("A child cannot be recorded as missing with themselves")
        # Through the one door to records: a child the user cannot open is as good as unknown here.
        found = {p.pk: p for p in people_visible_to(user=self.user).filter(pk__in=ids)} if ids else {}
        unknown = [f"{pk:07d}" for pk in ids if pk not in found]
        if unknown:
            raise forms.ValidationError(f"There is no child you can open with Hearth ID {', '.join(unknown)}")
        self.linked = [found[pk] for pk in ids]
        return typed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (cleaned.get("police_reference") or "").strip() and cleaned.get("reported_to_police") == "no":
            self.add_error("reported_to_police", "Say that the police were told, or leave out the police reference")
        return cleaned


def linked_as_text(episode: Any, visible: set[int]) -> str:
    """The Hearth IDs of the linked children this user may open (others are kept, never shown)."""
    return ", ".join(f"{link.linked_child_id:07d}" for link in episode.links.all() if link.linked_child_id in visible)


class ReturnFields(MomentsForm):
    ended_at = GovUKDateField(label="Date the child was found or returned", help_text="For example, 15 3 2026")
    ended_at_time = _time("Time the child was found or returned")
    how_returned = forms.ChoiceField(label="How were they found or how did they come back?",
                                     choices=HowReturned.choices, widget=forms.RadioSelect,
                                     error_messages={"required": "Choose how the child was found or came back"})
    found_where = forms.CharField(label="Where they were found", max_length=200, required=False,
                                  help_text="A place, not a person's name. For example, Broad Marsh bus station")
    found_postcode = PostcodeField(label="Postcode where they were found", required=False,
                                   help_text="If known. It groups places by district for the exploitation lead")
    locations = _text("Other places they went while missing",
                      help_text="One place a line. Put the postcode at the end if you know it, for example "
                                "'Victoria Centre NG1 3QN'")
    return_notes = _text("Notes about the return", help_text="Their condition, who they were with, what they said")

    def places(self) -> list[Place]:
        return parse_places(self.cleaned_data.get("locations") or "")


class ReturnForm(ReturnFields, VersionedForm):
    moment_names = ("ended_at",)


class EpisodeNewForm(EpisodeForm, ReturnFields):
    """A new episode; the return is given too when the child has already come back."""

    field_order = [*EpisodeForm.base_fields, *ReturnFields.base_fields]
    moment_names = ("started_at", "reported_at", "ended_at")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("ended_at", "ended_at_time", "how_returned"):
            self.fields[name].required = False

    def returned(self) -> bool:
        return self.moment("ended_at") is not None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.moment("ended_at") is not None and not cleaned.get("how_returned") and not self.has_error(
                "how_returned"):
            self.add_error("how_returned", "Choose how the child was found or came back")
        elif self.moment("ended_at") is None and not self.has_error("ended_at") and not self.has_error(
                "ended_at_time") and (cleaned.get("how_returned") or cleaned.get("found_where")
                                      or cleaned.get("found_postcode")):
            self.add_error("ended_at", "Enter the date the child was found or returned, or leave the return blank")
        return cleaned


class EpisodeEditForm(EpisodeForm, ReturnFields, VersionedForm):
    """Correct an episode; the return fields are there only once the child has returned."""

    field_order = [*EpisodeForm.base_fields, *ReturnFields.base_fields]

    def __init__(self, *args: Any, returned: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.returned = returned
        if returned:
            self.moment_names = ("started_at", "reported_at", "ended_at")
        else:
            for name in ("ended_at", "ended_at_time", "how_returned", "found_where", "found_postcode", "locations",
                         "return_notes"):
                del self.fields[name]


class InterviewOfferForm(MomentsForm, VersionedForm):
    moment_names = ("offered_at",)

    offered_at = GovUKDateField(label="Date the interview was offered", help_text="For example, 16 3 2026")
    offered_at_time = _time("Time the interview was offered")
    offered_by: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Who offered it", queryset=User.objects.none(), empty_label="Choose who offered it",
        error_messages={"required": "Choose who offered the interview",
                        "invalid_choice": "Choose who offered the interview from the list"})

    def __init__(self, *args: Any, staff: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["offered_by"].queryset = staff  # type: ignore[attr-defined]


class InterviewResponseForm(MomentsForm, VersionedForm):
    moment_names = ("responded_at",)

    response = forms.ChoiceField(label="What did the child say?", choices=InterviewResponse.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Choose whether the child accepted or declined"})
    responded_at = GovUKDateField(label="Date they answered", help_text="For example, 16 3 2026")
    responded_at_time = _time("Time they answered")
    declined_reason = _text("Why they declined", help_text="If they declined: in their words where you can")


class InterviewCompleteForm(MomentsForm, VersionedForm):
    moment_names = ("completed_at",)

    completed_at = GovUKDateField(label="Date the interview was held", help_text="For example, 17 3 2026")
    completed_at_time = _time("Time the interview was held")
    completed_by: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Missing-from-home advocate who held it", queryset=User.objects.none(),
        empty_label="Choose the advocate",
        error_messages={"required": "Choose the missing-from-home advocate who held the interview",
                        "invalid_choice": "Choose the advocate from the list"})
    push_factors = forms.MultipleChoiceField(
        label="Push factors", choices=PushFactor.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="What pushed them away from where they should have been. Choose all that apply")
    pull_factors = forms.MultipleChoiceField(
        label="Pull factors", choices=PullFactor.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="What drew them to where they went. Choose all that apply")
    child_account = _text("What the child said", required=True, message="Enter what the child said",
                          help_text="Why they went, where, and who with. In their words where you can")
    risks_identified = _text("Risks identified", help_text="Including any sign of exploitation")
    actions = _text("Actions agreed", help_text="Who will do what, and by when")
    late_reason = _text("Why it was not held within 72 hours", help_text="Needed if it was held after 72 hours")

    def __init__(self, *args: Any, holders: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["completed_by"].queryset = holders  # type: ignore[attr-defined]


class ScreeningForm(LengthMessages, forms.Form):
    screened_on = GovUKDateField(label="Date of the screening", help_text="For example, 18 3 2026")
    cse_risk = forms.ChoiceField(label="Risk of child sexual exploitation", choices=RiskLevel.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Choose the risk of child sexual exploitation"})
    cce_risk = forms.ChoiceField(label="Risk of child criminal exploitation", choices=RiskLevel.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Choose the risk of child criminal exploitation"})
    indicators = forms.MultipleChoiceField(label="Indicators seen", choices=Indicator.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text="Choose all that apply")
    notes = _text("Analysis and notes", help_text="What the indicators mean together, and what is known")
    episode = forms.TypedChoiceField(label="Missing episode that prompted it", required=False, coerce=int,
                                     empty_value=None,
                                     error_messages={"invalid_choice": "Choose an episode from the list"})

    def __init__(self, *args: Any, episodes: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["episode"].choices = [("", "None")] + [  # type: ignore[attr-defined]
            (e.pk, f"{e.type_label} from {e.started_at.astimezone(LONDON):%-d %B %Y %H:%M}") for e in episodes
        ]


class AdvocateForm(forms.Form):
    advocate: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Missing-from-home advocate", queryset=User.objects.none(), empty_label="Choose an advocate",
        error_messages={"required": "Choose a missing-from-home advocate",
                        "invalid_choice": "Choose an advocate from the list"})
    started_on = GovUKDateField(label="Date the allocation starts", help_text="For example, 16 3 2026")

    def __init__(self, *args: Any, advocates: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["advocate"].queryset = advocates  # type: ignore[attr-defined]


class PeriodForm(forms.Form):
    start = GovUKDateField(label="From", help_text="For example, 1 1 2026")
    end = GovUKDateField(label="To", help_text="For example, 31 3 2026")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be on or after its start")
        if start and end and (end - start).days > 366 * 3:
            self.add_error("start", "Choose a period of at most three years")
        return cleaned
