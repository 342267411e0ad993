"""Forms for courses, sessions, bookings, the register and apprenticeship cohorts, with GOV.UK messages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.html import format_html

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.workforce.models import Post
from hearth.workspace.forms import GovUKDateField, VersionedForm

from .models import Apprentice, TrainingAttendance


def _whole(label: str, noun: str, *, high: int, hint: str = "") -> forms.IntegerField:
    """A whole number from 1 to ``high`` with messages that say what the number is."""
    capital = noun[0].upper() + noun[1:]
    between = f"{capital} must be between 1 and {high:,}"
    return forms.IntegerField(label=label, min_value=1, max_value=high, help_text=hint, error_messages={
        "required": f"Enter {noun}", "invalid": f"{capital} must be a whole number, like 20",
        "min_value": between, "max_value": between,
    })


def _text(label: str, *, max_length: int, required: bool = False, message: str = "", hint: str = "",
          textarea: bool = False) -> forms.CharField:
    messages = {"max_length": f"{label} must be {max_length} characters or fewer"}
    if message:
        messages["required"] = message
    return forms.CharField(label=label, max_length=max_length, required=required, help_text=hint,
                           widget=forms.Textarea if textarea else forms.TextInput, error_messages=messages)


def _staff_label(user: User) -> str:
    team = f", {user.team.name}" if user.team_id and user.team else ""
    return f"{user.get_full_name() or user.username} ({Role(user.role).label.lower()}{team})"


# ---------------------------------------------------------------------------------------------- courses

class CourseForm(forms.Form):
    title = _text("Name of the course", max_length=150, required=True, message="Enter the name of the course")
    description = _text("What the course covers", max_length=5000, textarea=True)
    audience = _text("Who it is for", max_length=250,
                     hint="For example, all practitioners in children's services and partner agencies")
    target_trained = _whole("How many practitioners the council means to train",
                            "how many practitioners the council means to train", high=100_000)
    sessions_to_complete = _whole(
        "Sessions a practitioner must attend to be trained", "how many sessions a practitioner must attend",
        high=50, hint="For a five-day programme, 5. Each session is a different day of the course")
    target_date = GovUKDateField(label="Date the council means to have trained them by", allow_future=True,
                                 required=False)
    is_mandatory = forms.BooleanField(label="Every practitioner in the council must complete this course",
                                      required=False)


class CourseEditForm(VersionedForm, CourseForm):
    pass


# ---------------------------------------------------------------------------------------------- sessions

class SessionForm(forms.Form):
    held_on = GovUKDateField(label="Date of the session", allow_future=True)
    capacity = _whole("Places", "how many places the session has", high=1000,
                      hint="How many practitioners can attend")
    venue = _text("Venue", max_length=150)
    trainer = _text("Trainer", max_length=150, hint="Who runs the session: a person or the training provider")


class CancelSessionForm(VersionedForm):
    pass


class BookWorkerForm(forms.Form):
    worker = forms.ModelChoiceField(label="Member of staff", queryset=User.objects.none(),
                                    empty_label="Select a member of staff",
                                    error_messages={"required": "Select a member of staff to book",
                                                    "invalid_choice": "Select a member of staff to book"})

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any):
        kwargs.setdefault("prefix", "staff")
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        field.queryset = staff  # type: ignore[attr-defined]
        field.label_from_instance = _staff_label  # type: ignore[attr-defined]


class BookPartnerForm(forms.Form):
    attendee_name = _text("Practitioner's name", max_length=150, required=True,
                          message="Enter the practitioner's name")
    attendee_organisation = _text("Organisation", max_length=150, required=True,
                                  message="Enter the organisation they work for",
                                  hint="For example, a school, the police or a health visiting team")

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "partner")
        super().__init__(*args, **kwargs)


class RegisterForm(forms.Form):
    """One pair of radios per booking that holds a place: attended or did not attend."""

    def __init__(self, *args: Any, bookings: list[TrainingAttendance], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.bookings = bookings
        choices = [(TrainingAttendance.Status.ATTENDED, "Attended"),
                   (TrainingAttendance.Status.DID_NOT_ATTEND, "Did not attend")]
        for booking in bookings:
            who = who_booked(booking)
            self.fields[f"mark-{booking.pk}"] = forms.ChoiceField(
                label=format_html('{}<span class="govuk-visually-hidden">: attendance</span>', who),
                choices=choices, widget=forms.RadioSelect, required=False)
            self.fields[f"version-{booking.pk}"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
            self.initial.setdefault(f"version-{booking.pk}", booking.version)
            if booking.status in dict(choices):
                self.initial.setdefault(f"mark-{booking.pk}", booking.status)

    def rows(self) -> list[tuple[TrainingAttendance, forms.BoundField, forms.BoundField]]:
        return [(b, self[f"mark-{b.pk}"], self[f"version-{b.pk}"]) for b in self.bookings]

    def marks(self) -> dict[int, str]:
        return {b.pk: self.cleaned_data[f"mark-{b.pk}"] for b in self.bookings
                if self.cleaned_data.get(f"mark-{b.pk}")}

    def versions(self) -> dict[int, int]:
        return {b.pk: v for b in self.bookings if (v := self.cleaned_data.get(f"version-{b.pk}")) is not None}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.bookings and not any(data.get(f"mark-{b.pk}") for b in self.bookings):
            self.add_error(f"mark-{self.bookings[0].pk}",
                           "Mark at least one practitioner as attended or did not attend")
        return data


def who_booked(booking: TrainingAttendance) -> str:
    if booking.worker_id and booking.worker:
        return booking.worker.get_full_name() or booking.worker.username
    return f"{booking.attendee_name} ({booking.attendee_organisation})"


# ---------------------------------------------------------------------------------------------- apprentices

class CohortForm(forms.Form):
    name = _text("Name of the cohort", max_length=100, required=True, message="Enter a name for the cohort",
                 hint="For example, Social work degree apprentices 2026")
    starts_on = GovUKDateField(label="Start date", allow_future=True)
    expected_qualification_on = GovUKDateField(label="Expected qualification date", allow_future=True,
                                               help_text="A degree apprenticeship usually takes three years. "
                                                         "For example, 31 8 2029")
    provider = _text("University or training provider", max_length=150)
    places = _whole("Places", "how many apprenticeship places the cohort has", high=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("expected_qualification_on")
        if start and end and end <= start:
            self.add_error("expected_qualification_on", "The expected qualification date must be after the start "
                                                        "date")
        return data


def _posts(local_authority_id: int, on: date, keep: int | None) -> QuerySet[Post]:
    """Social work posts on the establishment now, and the one already chosen even if it has since ended."""
    open_now = Q(social_work_post=True, established_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    return (Post.objects.filter(open_now | Q(pk=keep or 0), local_authority_id=local_authority_id)
            .select_related("team").order_by("reference", "pk"))


class _PostChoice(forms.Form):
    destination_post = forms.ModelChoiceField(
        label="Post they will step into on qualifying", queryset=Post.objects.none(), required=False,
        empty_label="Not decided yet", help_text="A social work post on the establishment",
        error_messages={"invalid_choice": "Select a post on the establishment"})

    def _posts_for(self, local_authority_id: int, on: date, keep: int | None = None) -> None:
        field = self.fields["destination_post"]
        field.queryset = _posts(local_authority_id, on, keep)  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.reference} {p.title}" + (f", {p.team.name}" if p.team_id and p.team else ""))


class ApprenticeAddForm(_PostChoice):
    worker = forms.ModelChoiceField(label="Member of staff", queryset=User.objects.none(),
                                    empty_label="Select a member of staff",
                                    error_messages={"required": "Select the apprentice",
                                                    "invalid_choice": "Select the apprentice"})
    expected_qualification_on = GovUKDateField(
        label="Expected qualification date, if different from the cohort's", allow_future=True, required=False)

    field_order = ["worker", "expected_qualification_on", "destination_post"]

    def __init__(self, *args: Any, staff: QuerySet[User], local_authority_id: int, on: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        worker = self.fields["worker"]
        worker.queryset = staff  # type: ignore[attr-defined]
        worker.label_from_instance = _staff_label  # type: ignore[attr-defined]
        self._posts_for(local_authority_id, on)


class ApprenticeForm(VersionedForm, _PostChoice):
    status = forms.ChoiceField(label="Where they are on the programme", choices=Apprentice.Status.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Select where the apprentice is on their programme"})
    expected_qualification_on = GovUKDateField(label="Expected qualification date", allow_future=True)
    qualified_on = GovUKDateField(label="Date they qualified", required=False,
                                  help_text="Only if they have qualified. For example, 31 8 2026")
    withdrawn_on = GovUKDateField(label="Date they withdrew", required=False,
                                  help_text="Only if they have left the programme. For example, 31 8 2026")

    field_order = ["status", "expected_qualification_on", "qualified_on", "withdrawn_on", "destination_post"]

    def __init__(self, *args: Any, local_authority_id: int, on: date, current_post_id: int | None = None,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._posts_for(local_authority_id, on, current_post_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status")
        if status == Apprentice.Status.QUALIFIED and not data.get("qualified_on") and "qualified_on" not in self.errors:
            self.add_error("qualified_on", "Enter the date the apprentice qualified")
        if status == Apprentice.Status.WITHDRAWN and not data.get("withdrawn_on") and "withdrawn_on" not in self.errors:
            self.add_error("withdrawn_on", "Enter the date the apprentice withdrew")
        return data
