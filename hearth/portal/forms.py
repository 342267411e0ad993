"""The online multi-agency referral form: one page in sections, each question asked once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from hearth.front_door.models import Contact
from hearth.people.forms import LengthMessages
from hearth.people.models import Person
from hearth.people.validators import normalise_postcode, validate_postcode
from hearth.workspace.forms import GovUKDateField

from .models import AgencyType
from .uploads import ACCEPT_ATTRIBUTE, MAX_FILES, RefusedFile, check_file

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_NOT_KNOWN = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]
MAX_AGE = 18

# The consent question in the referrer's words; the values are the contact's.
CONSENT_CHOICES = [
    (Contact.Consent.GIVEN, "Yes, and the family agreed to this referral"),
    (Contact.Consent.NOT_GIVEN, "Yes, but the family did not agree"),
    (Contact.Consent.NOT_SOUGHT_RISK, "No, because asking would put the child at risk"),
    (Contact.Consent.NOT_SOUGHT_OTHER, "No, for another reason"),
]

_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,30}(\s*(ext|x)\.?\s*[0-9]{1,6})?$", re.IGNORECASE)


def _text(label: str, max_length: int, *, required: bool = False, message: str = "",
          textarea: bool = False, **kwargs: Any) -> forms.CharField:
    errors = {"required": message} if message else {}
    widget = forms.Textarea if textarea else forms.TextInput
    return forms.CharField(label=label, max_length=max_length, required=required, error_messages=errors,
                           widget=widget, **kwargs)


def _choice(label: str, choices: Sequence[tuple[str, str]], message: str, *, required: bool = True,
            widget: type[forms.Widget] = forms.RadioSelect) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", ""), *choices], required=required, widget=widget,
                             error_messages={"required": message, "invalid_choice": message})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is checked by the form, not here."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


class ReferralForm(LengthMessages, forms.Form):
    """The referral. ``kept_count`` is how many files already chosen on an earlier try are still attached."""

    # About the child
    child_first_name = _text("First name", 100, required=True, message="Enter the child's first name")
    child_last_name = _text("Last name", 100, required=True, message="Enter the child's last name")
    date_of_birth = GovUKDateField(label="Date of birth", required=False)
    date_of_birth_unknown = forms.BooleanField(label="I do not know their date of birth", required=False)
    approximate_age = forms.IntegerField(
        label="Approximate age in years", required=False, min_value=0, max_value=MAX_AGE,
        error_messages={
            "invalid": "Approximate age must be a whole number of years, like 7",
            "min_value": "Approximate age must be 0 or more",
            "max_value": f"Approximate age must be {MAX_AGE} or less; we take referrals for children",
        },
    )
    sex = _choice("Sex", list(Person.Sex.choices), "Select the child's sex, or 'Not known'")
    address_line_1 = _text("Address line 1", 120)
    address_line_2 = _text("Address line 2", 120)
    town = _text("Town or city", 60)
    postcode = _text("Postcode", 10)
    school = _text("School, college or nursery", 150)
    first_language = _text("Child's first language", 60)
    interpreter_needed = _choice("Does the child or their family need an interpreter?", YES_NO_NOT_KNOWN,
                                 "Select whether the child or their family needs an interpreter")

    # Parents and carers (two asked for; anyone else in the household in words)
    carer_1_name = _text("Full name", 100)
    carer_1_relationship = _text("Relationship to the child", 60)
    carer_1_parental_responsibility = _choice("Do they have parental responsibility?", YES_NO_NOT_KNOWN,
                                              "Select whether they have parental responsibility", required=False)
    carer_1_phone = _text("Telephone number", 40)
    carer_2_name = _text("Full name", 100)
    carer_2_relationship = _text("Relationship to the child", 60)
    carer_2_parental_responsibility = _choice("Do they have parental responsibility?", YES_NO_NOT_KNOWN,
                                              "Select whether they have parental responsibility", required=False)
    carer_2_phone = _text("Telephone number", 40)
    household_notes = _text("Anyone else who lives with the child or is important to them", 1000, textarea=True)

    # The concerns
    what_happened = _text("What has happened and why are you worried?", 6000, required=True, textarea=True,
                          message="Enter what has happened and why you are worried about the child")
    when_happened = _text("When did it happen, or when did you find out?", 200, required=True,
                          message="Enter when it happened, or when you found out")
    childs_words = _text("What has the child said?", 3000, textarea=True)
    immediate_risk = _choice("Do you think the child is at immediate risk of harm?", YES_NO,
                             "Select yes if you think the child is at immediate risk of harm")

    # Consent
    consent = _choice("Have you asked the family for consent to this referral?", CONSENT_CHOICES,
                      "Select whether you asked the family for consent")
    consent_notes = _text("Tell us more about consent", 1000, textarea=True)

    # About you
    referrer_name = _text("Your full name", 150, required=True, message="Enter your full name")
    referrer_job_title = _text("Your job title", 100, required=True, message="Enter your job title")
    referrer_organisation = _text("Your organisation", 150, required=True,
                                  message="Enter the name of your school or organisation")
    agency_type = _choice("What kind of organisation is it?", list(AgencyType.choices),
                          "Select the kind of organisation you work for", widget=forms.Select)
    referrer_phone = _text("Your telephone number", 40, required=True,
                           message="Enter a telephone number we can call you on today")
    referrer_email = forms.EmailField(
        label="Your email address", max_length=254,
        error_messages={"required": "Enter your email address",
                        "invalid": "Enter an email address in the correct format, like name@school.org.uk",
                        "max_length": "Email address must be 254 characters or fewer"},
    )

    documents = MultipleFileField(label="Documents", required=False,
                                  widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))

    def __init__(self, *args: Any, kept_count: int = 0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kept_count = kept_count
        # Files that passed their checks: kept for the next try when something else was wrong.
        self.accepted_files: list[UploadedFile] = []

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "").strip()
        if not value:
            return ""
        validate_postcode(value)
        return normalise_postcode(value)

    def _clean_phone(self, name: str) -> str:
        value = self.cleaned_data.get(name, "").strip()
        if value and not _PHONE.match(value):
            raise ValidationError("Enter a telephone number, like 0115 876 5432 or 07700 900 982")
        return value

    def clean_referrer_phone(self) -> str:
        return self._clean_phone("referrer_phone")

    def clean_carer_1_phone(self) -> str:
        return self._clean_phone("carer_1_phone")

    def clean_carer_2_phone(self) -> str:
        return self._clean_phone("carer_2_phone")

    def clean_documents(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("documents") or []
        if self.kept_count + len(files) > MAX_FILES:
            already = f" You have already attached {self.kept_count}." if self.kept_count else ""
            raise ValidationError(f"You can only attach up to {MAX_FILES} files.{already} Choose fewer files")
        refused: list[str] = []
        for upload in files:
            try:
                check_file(name=upload.name or "", size=upload.size or 0, stream=upload)
            except RefusedFile as error:
                refused.append(str(error))
            else:
                self.accepted_files.append(upload)
        if refused:
            raise ValidationError(refused)
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("date_of_birth") and not self.has_error("date_of_birth"):
            if not data.get("date_of_birth_unknown"):
                self.add_error("date_of_birth", "Enter the child's date of birth, or tick that you do not know it")
            elif data.get("approximate_age") is None and not self.has_error("approximate_age"):
                self.add_error("approximate_age", "Enter the child's approximate age in years")
        # The same rule as an address on the child's record, so the front door can use it as given.
        if any(data.get(part) for part in ("address_line_1", "town", "postcode")):
            for part, message in (("address_line_1", "Enter the first line of the child's address"),
                                  ("town", "Enter the town or city"), ("postcode", "Enter the postcode")):
                if not data.get(part) and not self.has_error(part):
                    self.add_error(part, message)
        for n, ordinal in ((1, "first"), (2, "second")):
            prefix = f"carer_{n}_"
            given = any(data.get(prefix + part) for part in ("relationship", "parental_responsibility", "phone"))
            if given and not data.get(prefix + "name"):
                self.add_error(prefix + "name", f"Enter the name of the {ordinal} parent or carer")
            if data.get(prefix + "name") and not data.get(prefix + "parental_responsibility"):
                self.add_error(prefix + "parental_responsibility",
                               f"Select whether the {ordinal} parent or carer has parental responsibility")
        consent = data.get("consent")
        if consent and consent != Contact.Consent.GIVEN and not (data.get("consent_notes") or "").strip():
            self.add_error("consent_notes", "Explain why the family did not agree, or why you did not ask them")
        return data

    def answers(self) -> dict[str, Any]:
        """The referral as stored and shown back to the referrer (JSON-safe)."""
        d = self.cleaned_data
        dob = d.get("date_of_birth")
        carers = [
            {
                "name": d[f"carer_{n}_name"],
                "relationship": d[f"carer_{n}_relationship"],
                "parental_responsibility": d[f"carer_{n}_parental_responsibility"],
                "phone": d[f"carer_{n}_phone"],
            }
            for n in (1, 2)
            if d.get(f"carer_{n}_name")
        ]
        return {
            "child": {
                "first_name": d["child_first_name"],
                "last_name": d["child_last_name"],
                "date_of_birth": dob.isoformat() if dob else "",
                "date_of_birth_unknown": not dob,
                "approximate_age": None if dob else d.get("approximate_age"),
                "sex": d["sex"],
                "address_line_1": d["address_line_1"],
                "address_line_2": d["address_line_2"],
                "town": d["town"],
                "postcode": d["postcode"],
                "school": d["school"],
                "first_language": d["first_language"],
                "interpreter_needed": d["interpreter_needed"],
            },
            "carers": carers,
            "household_notes": d["household_notes"],
            "concerns": {
                "what_happened": d["what_happened"],
                "when": d["when_happened"],
                "childs_words": d["childs_words"],
                "immediate_risk": d["immediate_risk"] == "yes",
            },
            "consent": {"consent": d["consent"], "notes": d["consent_notes"]},
            "referrer": {
                "name": d["referrer_name"],
                "job_title": d["referrer_job_title"],
                "organisation": d["referrer_organisation"],
                "agency_type": d["agency_type"],
                "phone": d["referrer_phone"],
                "email": d["referrer_email"],
            },
        }
