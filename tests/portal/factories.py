"""Builders for the partner portal tests: a partner, a complete referral form, and real little files."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.front_door.models import Contact
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_user

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx_bytes(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
        if macros:
            package.writestr("word/vbaProject.bin", b"\x00")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_partner(la: LocalAuthority, **extra: Any) -> User:
    values: dict[str, Any] = {
        "first_name": "Dana", "last_name": "Lead", "email": "dsl@hillside.sch.uk",
        "partner_organisation": "Hillside Primary School", "job_title": "Designated safeguarding lead",
    }
    values.update(extra)
    return make_user(la, Role.PARTNER_REFERRER, None, **values)


def referral_post(**overrides: Any) -> dict[str, Any]:
    """Everything a referrer must answer, answered."""
    data: dict[str, Any] = {
        "child_first_name": "Kai",
        "child_last_name": "Brennan",
        "date_of_birth_0": "14",
        "date_of_birth_1": "6",
        "date_of_birth_2": "2016",
        "sex": "M",
        "address_line_1": "12 Elm Grove",
        "town": "Nottingham",
        "postcode": "ng7 1ab",
        "school": "Hillside Primary School",
        "first_language": "English",
        "interpreter_needed": "no",
        "carer_1_name": "Leanne Brennan",
        "carer_1_relationship": "Mother",
        "carer_1_parental_responsibility": "yes",
        "carer_1_phone": "07700 900123",
        "what_happened": "Kai came to school with a bruise on his cheek and said his mum's boyfriend hit him.",
        "when_happened": "This morning at 8:45",
        "childs_words": "Dean hit me because I spilled my cereal",
        "immediate_risk": "no",
        "consent": Contact.Consent.NOT_SOUGHT_RISK,
        "consent_notes": "Asking mum could put Kai at risk from her partner.",
        "referrer_name": "Dana Lead",
        "referrer_job_title": "Designated safeguarding lead",
        "referrer_organisation": "Hillside Primary School",
        "agency_type": "school",
        "referrer_phone": "0115 876 5432",
        "referrer_email": "dsl@hillside.sch.uk",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def contact_screening(contact: Contact) -> None:
    from django.utils import timezone

    with acting_as("test"):
        contact.status = Contact.Status.SCREENING
        contact.screening_started_at = timezone.now()
        contact.save()


def contact_decide(contact: Contact, decision: str = Contact.Decision.EARLY_HELP) -> None:
    from django.utils import timezone

    with acting_as("test"):
        contact.status = Contact.Status.DECIDED
        contact.decision = decision
        contact.decision_rationale = "SECRET RATIONALE: family known to police"
        contact.decided_at = timezone.now()
        contact.save()
