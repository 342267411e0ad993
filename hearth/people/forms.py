from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from hearth.workspace.forms import GovUKDateField, VersionedForm

from .checks import clean_nhs_number, clean_postcode, clean_upn, person_problems
from .codes import Disability, Ethnicity, ImmigrationStatus, UPNUnknown
from .models import ContactDetail, Person, PersonName, ProfessionalInvolvement, Relationship
from .services import EDITABLE_DETAILS, PR_KINDS

YES_NO = [("yes", "Yes"), ("no", "No")]


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


class LengthMessages:
    """GOV.UK wording for text that is too long, named after the field."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                label = str(field.label or "This")
                field.error_messages.setdefault(
                    "max_length", f"{label[0].upper()}{label[1:]} must be {field.max_length} characters or fewer"
                )


class PersonRulesMixin:
    """Checks the rules that join fields (unborn and sex, UPN and its reason...) against the stored record.

    The form's own values are laid over the record as stored, so a section is checked with the others.
    """

    rules_person: Person | None = None

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rules_person = person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}  # type: ignore[misc]
        self.check_person_rules()
        return cleaned

    def check_person_rules(self) -> None:
        form = cast(forms.Form, self)
        person = self.rules_person
        stored = {name: getattr(person, name) for name in EDITABLE_DETAILS} if person is not None else {}
        mine = {name: value for name, value in form.cleaned_data.items() if name in EDITABLE_DETAILS}
        for name, message in person_problems(stored | mine).items():
            if name in form.fields and name in mine and not form.has_error(name):
                form.add_error(name, message)


class _IdentifierField(forms.CharField):
    """A text field whose value is checked and normalised by one of the person checks."""

    defaults: ClassVar[dict[str, Any]] = {}

    @staticmethod
    def normalise(value: str) -> str:
        raise NotImplementedError

    def __init__(self, **kwargs: Any):
        for name, value in {"max_length": 20, **self.defaults}.items():
            kwargs.setdefault(name, value)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        try:
            return self.normalise(value)
        except ValidationError as error:
            raise ValidationError(_messages(error)) from None


class NHSNumberField(_IdentifierField):
    defaults: ClassVar[dict[str, Any]] = {
        "label": "NHS number", "required": False, "help_text": "10 digits, for example 943 476 5919",
    }
    normalise = staticmethod(clean_nhs_number)


class UPNField(_IdentifierField):
    defaults: ClassVar[dict[str, Any]] = {
        "label": "Unique pupil number (UPN)", "required": False,
        "help_text": "13 characters, for example X801200000001",
    }
    normalise = staticmethod(clean_upn)


class PostcodeField(_IdentifierField):
    defaults: ClassVar[dict[str, Any]] = {
        "label": "Postcode",
        "error_messages": {"required": "Enter the postcode", "max_length": "Enter a real postcode, like NG2 3NG"},
    }
    normalise = staticmethod(clean_postcode)


def _sex_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Sex", choices=Person.Sex.choices, widget=forms.RadioSelect,
        help_text="As recorded for the DfE census. Use 'Not known' for an unborn child.",
        error_messages={"required": "Select the sex, or 'Not known'"},
    )


# ------------------------------------------------------------------------------------------ record sections


class PersonDetailsForm(LengthMessages, PersonRulesMixin, VersionedForm):
    first_name = forms.CharField(label="Legal first name", max_length=100,
                                 error_messages={"required": "Enter the first name"})
    middle_names = forms.CharField(label="Middle names", max_length=100, required=False)
    last_name = forms.CharField(label="Legal last name", max_length=100,
                                error_messages={"required": "Enter the last name"})
    preferred_name = forms.CharField(
        label="Preferred name", max_length=100, required=False,
        help_text="What the child likes to be called, if different",
    )
    date_of_birth = GovUKDateField(label="Date of birth", required=False, help_text="For example, 27 3 2015")
    expected_date_of_birth = GovUKDateField(
        label="Expected date of birth", required=False, allow_future=True,
        help_text="Only for an unborn child. For example, 14 8 2026",
    )
    sex = _sex_field()
    gender_identity = forms.CharField(
        label="Gender identity", max_length=60, required=False,
        help_text="In the child's own words, if they have told you",
    )
    date_of_death = GovUKDateField(label="Date of death", required=False)


class BackgroundForm(LengthMessages, PersonRulesMixin, VersionedForm):
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices,
                                  help_text="The child's own view where they can give it (DfE census code)")
    first_language = forms.CharField(label="First language", max_length=60, required=False,
                                     help_text="For example, English, Polish or British Sign Language")
    religion = forms.CharField(label="Religion", max_length=60, required=False)
    disabilities = forms.MultipleChoiceField(
        label="Disabilities", choices=Disability.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply, or 'No disability'",
    )


class IdentifiersForm(LengthMessages, PersonRulesMixin, VersionedForm):
    nhs_number = NHSNumberField()
    upn = UPNField()
    former_upn = UPNField(label="Former UPN", help_text="Only if the child's UPN has changed")
    upn_unknown = forms.ChoiceField(
        label="If the UPN is not known, why not", required=False,
        choices=[("", "The UPN is known, or not needed"), *UPNUnknown.choices],
    )


class ImmigrationForm(LengthMessages, PersonRulesMixin, VersionedForm):
    is_uasc = forms.TypedChoiceField(
        label="Is the child an unaccompanied asylum-seeking child (UASC)?", choices=YES_NO, widget=forms.RadioSelect,
        coerce=lambda value: value == "yes", error_messages={"required": "Select yes if the child is or was UASC"},
    )
    uasc_ceased_on = GovUKDateField(label="Date UASC status ended", required=False,
                                    help_text="For example, when they turned 18 or were granted leave")
    immigration_status = forms.ChoiceField(label="Immigration status", required=False,
                                           choices=[("", "Not recorded"), *ImmigrationStatus.choices])


SECTION_FORMS: dict[str, type[VersionedForm]] = {
    "details": PersonDetailsForm,
    "background": BackgroundForm,
    "identifiers": IdentifiersForm,
    "immigration": ImmigrationForm,
}


def section_initial(form_class: type[forms.Form], person: Person) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(person, name) for name in form_class.base_fields if name != "version"}
    if "is_uasc" in initial:
        initial["is_uasc"] = "yes" if person.is_uasc else "no"
    initial["version"] = person.version
    return initial


# ----------------------------------------------------------------------------------------- adding a person


class NewPersonForm(LengthMessages, PersonRulesMixin, forms.Form):
    """The first step: enough to look for the person before a record is made."""

    first_name = forms.CharField(label="First name", max_length=100,
                                 error_messages={"required": "Enter the first name"})
    last_name = forms.CharField(label="Last name", max_length=100, error_messages={"required": "Enter the last name"})
    date_of_birth = GovUKDateField(label="Date of birth", required=False, help_text="For example, 27 3 2015")
    expected_date_of_birth = GovUKDateField(
        label="Expected date of birth", required=False, allow_future=True,
        help_text="Only if the child is not born yet. For example, 14 8 2026",
    )
    sex = _sex_field()
    nhs_number = NHSNumberField()
    upn = UPNField()
    postcode = forms.CharField(label="Postcode", max_length=20, required=False,
                               error_messages={"max_length": "Enter a real postcode, like NG2 3NG"},
                               help_text="Where the child lives, if you know it")

    def clean_postcode(self) -> str:
        try:
            return clean_postcode(self.cleaned_data.get("postcode", ""))
        except ValidationError as error:
            raise ValidationError(_messages(error)) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.has_error("date_of_birth") and not self.has_error("expected_date_of_birth") and not (
            cleaned.get("date_of_birth") or cleaned.get("expected_date_of_birth")
        ):
            self.add_error("date_of_birth", "Enter the date of birth, or the expected date of birth if the child is "
                                            "not born yet")
        self.check_person_rules()
        return cleaned


class MoreAboutForm(LengthMessages, PersonRulesMixin, forms.Form):
    middle_names = forms.CharField(label="Middle names", max_length=100, required=False)
    preferred_name = forms.CharField(label="Preferred name", max_length=100, required=False,
                                     help_text="What the child likes to be called, if different")
    gender_identity = forms.CharField(label="Gender identity", max_length=60, required=False)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NOBT)
    first_language = forms.CharField(label="First language", max_length=60, required=False)
    religion = forms.CharField(label="Religion", max_length=60, required=False)


class AddressForm(LengthMessages, forms.Form):
    line_1 = forms.CharField(label="Address line 1", max_length=120,
                             error_messages={"required": "Enter the first line of the address"})
    line_2 = forms.CharField(label="Address line 2", max_length=120, required=False)
    town = forms.CharField(label="Town or city", max_length=80, error_messages={"required": "Enter the town or city"})
    postcode = PostcodeField()
    moved_in_on = GovUKDateField(label="Date they moved in", required=False)

    def __init__(self, *args: Any, optional: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.optional = optional
        if optional:
            for name in ("line_1", "town", "postcode"):
                self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.optional and any(cleaned.get(n) for n in ("line_1", "line_2", "town", "postcode")):
            for name, message in (("line_1", "Enter the first line of the address"),
                                  ("town", "Enter the town or city"), ("postcode", "Enter the postcode")):
                if not cleaned.get(name) and not self.has_error(name):
                    self.add_error(name, message)
        return cleaned

    @property
    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(n) for n in ("line_1", "line_2", "town", "postcode"))

    def address(self) -> dict[str, Any]:
        return {n: self.cleaned_data.get(n) or ("" if n != "moved_in_on" else None)
                for n in ("line_1", "line_2", "town", "postcode", "moved_in_on")}


class MoveAddressForm(AddressForm):
    household = forms.MultipleChoiceField(
        label="Who else is moving?", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="People recorded at the same address. Their old address will end on the same date.",
    )

    def __init__(self, *args: Any, household: Iterable[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["moved_in_on"].required = True
        self.fields["moved_in_on"].label = "Date they moved to the new address"
        choices = [(str(pk), label) for pk, label in household]
        household_field = self.fields["household"]
        assert isinstance(household_field, forms.MultipleChoiceField)
        household_field.choices = choices
        if not choices:
            del self.fields["household"]


class CorrectAddressForm(VersionedForm, AddressForm):
    moved_out_on = GovUKDateField(label="Date they moved out", required=False,
                                  help_text="Leave blank if they still live here")


class OtherNameForm(LengthMessages, forms.Form):
    kind = forms.ChoiceField(label="What kind of name is it?", choices=PersonName.Kind.choices,
                             widget=forms.RadioSelect, error_messages={"required": "Select what kind of name it is"})
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    used_from = GovUKDateField(label="Used from", required=False)
    used_to = GovUKDateField(label="Used until", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("first_name") or cleaned.get("last_name")) and not self.has_error("first_name"):
            self.add_error("first_name", "Enter a first name or a last name")
        if cleaned.get("used_from") and cleaned.get("used_to") and cleaned["used_to"] < cleaned["used_from"]:
            self.add_error("used_to", "Used until must be the same as or after used from")
        return cleaned


class ContactDetailForm(LengthMessages, forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ContactDetail.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select mobile, phone or email"})
    value = forms.CharField(label="Number or email address", max_length=150,
                            error_messages={"required": "Enter the phone number or email address"})
    note = forms.CharField(label="Note", max_length=100, required=False,
                           help_text="For example, 'Mum's mobile - text first'")


class EndDateForm(forms.Form):
    ended_on = GovUKDateField(label="End date", error_messages={"required": "Enter the end date"})


class EndRelationshipForm(VersionedForm, EndDateForm):
    pass


# ------------------------------------------------------------------------------------------ relationships

# What can be added from a person's family page, as the relative is to the person. "child" is stored
# the other way round: the person is the parent of the new relative.
ADD_KINDS: dict[str, str] = {
    Relationship.Kind.PARENT: "Parent",
    Relationship.Kind.STEP_PARENT: "Step-parent",
    Relationship.Kind.CARER: "Carer (for example a kinship carer or special guardian)",
    Relationship.Kind.SIBLING: "Sibling (same parents)",
    Relationship.Kind.HALF_SIBLING: "Half-sibling (one parent in common)",
    "child": "Their own child",
    Relationship.Kind.HOUSEHOLD_MEMBER: "Someone else in their household",
    Relationship.Kind.SIGNIFICANT_OTHER: "Another significant person",
}
SIBLING_KINDS = frozenset({Relationship.Kind.SIBLING, Relationship.Kind.HALF_SIBLING})
# Kinds where the new relative most likely lives with the person.
SHARED_HOME_KINDS = frozenset({Relationship.Kind.PARENT, Relationship.Kind.STEP_PARENT, Relationship.Kind.CARER,
                               Relationship.Kind.SIBLING, Relationship.Kind.HALF_SIBLING,
                               Relationship.Kind.HOUSEHOLD_MEMBER, "child"})


def kind_label(kind: str) -> str:
    return ADD_KINDS[kind].split(" (")[0]


class RelationshipKindForm(forms.Form):
    kind = forms.ChoiceField(label="How are they related?", choices=list(ADD_KINDS.items()),
                             widget=forms.RadioSelect, error_messages={"required": "Select how they are related"})


class FindRelativeForm(LengthMessages, forms.Form):
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100,
                                error_messages={"required": "Enter their last name to search"})
    date_of_birth = GovUKDateField(label="Date of birth", required=False)


def known_facts_confirmation() -> forms.ChoiceField:
    """The "Is this still correct?" question under what is already known (people/_known_facts.html)."""
    return forms.ChoiceField(
        label="Is this still correct?", choices=[("yes", "Yes"), ("no", "No, change it")], widget=forms.RadioSelect,
        error_messages={"required": "Select yes if what we already know is still correct"},
    )


class KnownFactsConfirmForm(forms.Form):
    """Mix into any form that shows what is known instead of asking again."""

    facts_confirmed = known_facts_confirmation()


class RelationshipDetailsForm(LengthMessages, forms.Form):
    """How the relationship is recorded, with the facts already known offered for confirmation."""

    parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility?", choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": "Select yes if they have parental responsibility"},
    )
    started_on = GovUKDateField(label="Since when", required=False,
                                help_text="Leave blank for a relationship from birth. For example, 3 9 2021")
    note = forms.CharField(label="Note", max_length=200, required=False)
    lives_here = forms.ChoiceField(label="Do they live at this address?", choices=YES_NO, widget=forms.RadioSelect,
                                   error_messages={"required": "Select yes if they live at this address"})
    also_parents = forms.MultipleChoiceField(
        label="Are these also their parents?", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Select each parent they share. Leave unticked any they do not.",
    )

    def __init__(self, *args: Any, kind: str, parents: Iterable[tuple[int, str]] = (), has_address: bool = False,
                 confirm_facts: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if confirm_facts:
            self.fields["facts_confirmed"] = known_facts_confirmation()
        if kind not in PR_KINDS:
            del self.fields["parental_responsibility"]
        if not (has_address and kind in SHARED_HOME_KINDS):
            del self.fields["lives_here"]
        choices = [(str(pk), name) for pk, name in parents]
        if kind in SIBLING_KINDS and choices:
            also = self.fields["also_parents"]
            assert isinstance(also, forms.MultipleChoiceField)
            also.choices = choices
        else:
            del self.fields["also_parents"]


class NewRelativeForm(RelationshipDetailsForm):
    first_name = forms.CharField(label="First name", max_length=100,
                                 error_messages={"required": "Enter their first name"})
    last_name = forms.CharField(label="Last name", max_length=100, error_messages={"required": "Enter their last name"})
    date_of_birth = GovUKDateField(label="Date of birth", required=False)
    sex = _sex_field()
    field_order = ["first_name", "last_name", "date_of_birth", "sex", "parental_responsibility", "started_on",
                   "lives_here", "also_parents", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        problems = person_problems({k: cleaned.get(k) for k in ("date_of_birth", "sex")})
        for name, message in problems.items():
            if name in self.fields and not self.has_error(name):
                self.add_error(name, message)
        return cleaned


# ------------------------------------------------------------------------------------------ professionals


class ProfessionalForm(LengthMessages, forms.Form):
    role = forms.ChoiceField(label="Role", choices=[("", "Choose a role"), *ProfessionalInvolvement.Role.choices],
                             error_messages={"required": "Choose their role"})
    organisation = forms.CharField(label="Organisation", max_length=150,
                                   help_text="For example, the GP practice, school or police team",
                                   error_messages={"required": "Enter the organisation"})
    organisation_code = forms.CharField(label="Organisation code", max_length=12, required=False,
                                        help_text="ODS code for a GP practice, URN for a school")
    contact_name = forms.CharField(label="Contact name", max_length=120, required=False)
    phone = forms.CharField(label="Phone", max_length=30, required=False)
    email = forms.EmailField(label="Email", required=False,
                             error_messages={"invalid": "Enter an email address in the correct format, like "
                                                        "name@example.com"})
    started_on = GovUKDateField(label="Involved since", required=False)


# -------------------------------------------------------------------------------------------- search etc.


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="Your reason is recorded and the record's manager is told straight away.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Explain why you need to open this record",
                        "max_length": "Keep the reason to 2,000 characters or fewer"},
    )


class AccessLevelForm(forms.Form):
    access_level = forms.ChoiceField(label="Who can open this record", choices=Person.AccessLevel.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "Choose who can open this record"})
    reason = forms.CharField(
        label="Reason for protecting the record", required=False, max_length=200,
        help_text="Needed if the record is restricted or sealed",
        error_messages={"max_length": "Keep the reason to 200 characters or fewer"},
    )


class AllowListAddForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Give access to", queryset=None, empty_label="Choose a member of staff",
        error_messages={"required": "Choose who to give access to",
                        "invalid_choice": "Choose a member of staff from the list"},
    )
    reason = forms.CharField(label="Why they need access", max_length=200,
                             error_messages={"required": "Give the reason they need access",
                                             "max_length": "Keep the reason to 200 characters or fewer"})

    def __init__(self, *args: Any, staff: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff

