"""Writes for the partner portal: a submitted referral becomes a front-door contact in one transaction."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.front_door.models import Contact
from hearth.front_door.services import contact_receive

from .models import AgencyType, PartnerProfile, PartnerReferral, PartnerReferralAttachment
from .uploads import MAX_FILES, RefusedFile, check_file, safe_display_name

if TYPE_CHECKING:
    from hearth.accounts.models import User

logger = logging.getLogger(__name__)

# No 0/O or 1/I: a reference is read out over the phone and copied by hand.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8


def reference_generate() -> str:
    """A fresh random reference (32^8, about 10^12 possibilities, so it cannot be guessed)."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(value: str) -> str:
    """What someone typed or read out (abcd-efgh, 'ABCD EFGH') as stored."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


@dataclass
class Document:
    """A file the referrer chose, before it is stored."""

    name: str
    size: int
    stream: IO[bytes]


def _yes_no(value: str) -> str:
    return {"yes": "Yes", "no": "No", "not_known": "Not known"}.get(value, value or "Not given")


def _child_name(child: dict[str, Any]) -> str:
    return f"{child.get('first_name', '')} {child.get('last_name', '')}".strip()


def child_initials(child: dict[str, Any]) -> str:
    first, last = (child.get("first_name") or "").strip(), (child.get("last_name") or "").strip()
    return f"{first[:1]}{last[:1]}".upper()


def address_text(child: dict[str, Any]) -> str:
    parts = [child.get("address_line_1", ""), child.get("address_line_2", ""), child.get("town", "")]
    return ", ".join(p for p in parts if p)


def concerns_text(answers: dict[str, Any]) -> str:
    """The referral as the front door reads it: the concern first, then what helps them act on it."""
    child, concerns = answers["child"], answers["concerns"]
    lines: list[str] = []
    if concerns.get("immediate_risk"):
        lines += ["IMMEDIATE RISK: the referrer says the child may be at immediate risk of harm.", ""]
    lines += ["What the referrer is worried about:", concerns["what_happened"].strip(), ""]
    if concerns.get("when"):
        lines += [f"When: {concerns['when'].strip()}", ""]
    if concerns.get("childs_words"):
        lines += ["What the child said:", f"\u201c{concerns['childs_words'].strip()}\u201d", ""]
    carers = answers.get("carers") or []
    if carers:
        lines.append("Parents and carers:")
        for carer in carers:
            detail = ", ".join(
                p for p in (
                    carer.get("relationship", ""),
                    f"parental responsibility: {_yes_no(carer.get('parental_responsibility', '')).lower()}",
                    carer.get("phone", ""),
                ) if p
            )
            lines.append(f"- {carer['name']} ({detail})")
        lines.append("")
    if answers.get("household_notes"):
        lines += [f"Others in the household: {answers['household_notes'].strip()}", ""]
    language = child.get("first_language") or "Not given"
    interpreter = _yes_no(child.get("interpreter_needed", ""))
    lines.append(f"Child's first language: {language}. Interpreter needed: {interpreter}.")
    return "\n".join(lines).strip()


def child_details_from(answers: dict[str, Any]) -> dict[str, Any]:
    """What the front door matches on and records: the referrer's words, in Contact.child_details keys."""
    child = answers["child"]
    return {
        "first_name": child["first_name"],
        "last_name": child["last_name"],
        "date_of_birth": child.get("date_of_birth") or "",
        "date_of_birth_unknown": bool(child.get("date_of_birth_unknown")),
        "approximate_age": child.get("approximate_age"),
        "sex": child.get("sex", ""),
        "address": address_text(child),
        "address_line_1": child.get("address_line_1", ""),
        "address_line_2": child.get("address_line_2", ""),
        "town": child.get("town", ""),
        "postcode": child.get("postcode", ""),
        "school": child.get("school", ""),
        "first_language": child.get("first_language", ""),
        "interpreter_needed": child.get("interpreter_needed", ""),
        "parents_or_carers": [dict(c) for c in answers.get("carers") or []],
        "household_notes": answers.get("household_notes", ""),
        "immediate_risk": bool(answers["concerns"].get("immediate_risk")),
    }


def _profile_save(*, user: User, referrer: dict[str, Any]) -> PartnerProfile:
    profile = PartnerProfile.objects.filter(user=user).first() or PartnerProfile(
        local_authority=user.local_authority, user=user
    )
    values = {
        "agency_type": referrer["agency_type"],
        "organisation": referrer["organisation"],
        "job_title": referrer["job_title"],
        "phone": referrer["phone"],
        "email": referrer["email"],
    }
    if profile.pk is None or any(getattr(profile, k) != v for k, v in values.items()):
        for name, value in values.items():
            setattr(profile, name, value)
        profile.save(by=user)
    return profile


def _store(*, referral: PartnerReferral, document: Document, user: User, stored: list[str]) -> None:
    try:
        kind = check_file(name=document.name, size=document.size, stream=document.stream)
    except RefusedFile as refused:
        raise ValidationError({"documents": str(refused)}) from None
    attachment = PartnerReferralAttachment(
        local_authority_id=referral.local_authority_id,
        referral=referral,
        original_name=safe_display_name(document.name),
        content_type=kind.mime,
        size_bytes=document.size,
    )
    # A random name: nothing about the child or the referrer in the file system.
    attachment.file.save(f"{secrets.token_urlsafe(18)}{kind.extension}", File(document.stream), save=False)
    stored.append(attachment.file.name)
    attachment.save(by=user)


def partner_referral_submit(*, user: User, answers: dict[str, Any], documents: list[Document]) -> PartnerReferral:
    """Send a partner's referral: the front-door contact, the referral and its documents, all or nothing.

    ``answers`` is the referral as the form cleaned it (JSON-safe). The referrer's details are
    kept on their profile so the next referral is filled in for them.
    """
    if user.role != Role.PARTNER_REFERRER or not user.is_active or user.local_authority_id is None:
        raise PermissionDenied("Only partner referrers can send referrals")
    if len(documents) > MAX_FILES:
        raise ValidationError({"documents": f"You can only attach up to {MAX_FILES} files"})
    referrer = answers["referrer"]
    if referrer.get("agency_type") not in AgencyType.values:
        raise ValidationError({"agency_type": "Select the kind of organisation you work for"})
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic(), acting_as(user):
            profile = _profile_save(user=user, referrer=referrer)
            contact = contact_receive(
                local_authority=user.local_authority,  # type: ignore[arg-type]
                received_at=now,
                channel=Contact.Channel.PORTAL,
                source=profile.referral_source,
                concerns=concerns_text(answers),
                consent=answers["consent"]["consent"],
                consent_notes=answers["consent"].get("notes", ""),
                child_details=child_details_from(answers),
                referrer_name=referrer["name"],
                referrer_organisation=referrer["organisation"],
                referrer_role=referrer["job_title"],
                referrer_phone=referrer["phone"],
                referrer_email=referrer["email"],
                by=user,
            )
            referral = _referral_create(user=user, contact=contact, answers=answers, submitted_at=now)
            for document in documents:
                _store(referral=referral, document=document, user=user, stored=stored)
    except BaseException:
        # The rows rolled back; the files written for them must go too.
        for name in stored:
            default_storage.delete(name)
        raise
    logger.info("Partner referral %s received", referral.pk)
    return referral


def _referral_create(*, user: User, contact: Contact, answers: dict[str, Any], submitted_at: Any) -> PartnerReferral:
    for attempt in range(5):
        referral = PartnerReferral(
            local_authority=user.local_authority,
            reference=reference_generate(),
            submitted_by=user,
            submitted_at=submitted_at,
            contact=contact,
            answers=answers,
            child_initials=child_initials(answers["child"]),
        )
        try:
            with transaction.atomic():
                referral.save(by=user)
        except IntegrityError:
            # One in a trillion: the reference was taken; draw another.
            if attempt == 4:
                raise
            continue
        return referral
    raise AssertionError("unreachable")


def pending_name(name: str) -> str:
    """Where a file chosen on a form that had other problems waits, under a random name."""
    return f"referrals/pending/{secrets.token_urlsafe(18)}{PurePath(name).suffix.lower()[:6]}"
