"""Form pieces shared by every app: the GOV.UK date input, and version-carrying forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from hearth.audit.models import StaleVersionError


class DateInputWidget(forms.MultiWidget):
    """Three boxes (day, month, year) named <name>_0, _1, _2, as the GOV.UK date input pattern."""

    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day.lstrip("0"), month.lstrip("0"), year]
        return ["", "", ""]

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return [str(v) if v is not None else "" for v in value]
        return self.decompress(value)


MIN_YEAR = 1900
MAX_YEAR = 2199


class GovUKDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages for each way it goes wrong."""

    widget = DateInputWidget

    def __init__(self, *, label: str, allow_future: bool = False, **kwargs: Any):
        self.allow_future = allow_future
        self.noun = label[0].upper() + label[1:]
        self.label_text = label
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, label=label, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> date | None:
        parts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        day, month, year = parts
        if not any(parts):
            if self.required:
                raise forms.ValidationError(f"Enter the {self.label_text.lower()}")
            return None
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(f"{self.noun} must include a {' and a '.join(missing)}")
        if not all(p.isdigit() for p in parts) or len(year) != 4:
            raise forms.ValidationError(f"{self.noun} must be a real date")
        try:
            result = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise forms.ValidationError(f"{self.noun} must be a real date") from None
        # Year 1 or 9999 is a slip of the keyboard, and date arithmetic past them fails.
        if result.year < MIN_YEAR:
            raise forms.ValidationError(f"{self.noun} must be in {MIN_YEAR} or later")
        if not self.allow_future and result > timezone.localdate():
            raise forms.ValidationError(f"{self.noun} must be today or in the past")
        if result.year > MAX_YEAR:
            raise forms.ValidationError(f"{self.noun} must be in {MAX_YEAR} or earlier")
        return result

    def compress(self, data_list: list[Any]) -> Any:  # clean() does the work
        return data_list


class VersionedForm(forms.Form):
    """Carries the version the editor loaded, so a save over someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def adopt_current_version(form: forms.Form, current_version: int) -> None:
    """After a refused stale save, the re-shown form carries the version now stored.

    The user's typing stays as it is; saving again applies it over the current record, which they
    have now been shown, instead of being refused for ever.
    """
    data = QueryDict(mutable=True)
    for name in form.data:
        data.setlist(name, form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data[name]])
    data["version"] = str(current_version)
    form.data = data


def who_changed(last_change: Any) -> str:
    """'Last saved by Sam Lee at 14:05 on 3 March 2026.' for a refused stale save ('' if nobody is known)."""
    if last_change is None:
        return ""
    who = last_change.by_user.get_full_name() if last_change.by_user_id else last_change.by_system
    at = timezone.localtime(last_change.at)
    return f"Last saved by {who or 'someone else'} at {at:%H:%M} on {at.day} {at:%B %Y}."


STALE_MESSAGE = (
    "Someone else saved changes to this record after you opened it. Your changes have not been saved and are "
    "shown below. Check the current details, then save again."
)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it is about, or at the top if the form has no such field."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def show_refusal(form: forms.Form, refused: StaleVersionError | ValidationError) -> None:
    """A service refused the save: say why on the form, keeping everything typed.

    A stale save also takes on the stored version and names who saved last, so saving again works.
    """
    if isinstance(refused, StaleVersionError):
        adopt_current_version(form, refused.current_version)
        form.add_error(None, f"{STALE_MESSAGE} {who_changed(refused.last_change)}".strip())
    else:
        add_service_errors(form, refused)
