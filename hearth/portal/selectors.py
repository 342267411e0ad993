"""Reads for the partner portal. A partner sees only what they sent and where it has got to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from hearth.front_door.models import Contact

from .models import PartnerProfile, PartnerReferral, PartnerReferralAttachment

if TYPE_CHECKING:
    from hearth.accounts.models import User


@dataclass(frozen=True)
class PartnerStatus:
    label: str
    colour: str  # GOV.UK tag colour


def status_for_partner(contact: Contact) -> PartnerStatus:
    """Where a referral has got to, in the words a partner sees: never who holds it or why."""
    if contact.status == Contact.Status.DECIDED and contact.decision:
        return PartnerStatus(f"Decided: {contact.get_decision_display()}", "green")
    if contact.status == Contact.Status.SCREENING:
        return PartnerStatus("Being screened", "yellow")
    return PartnerStatus("Received", "blue")


# The contact fields a partner's pages may read; the rest (screening notes, rationale, the child) stay unloaded.
_CONTACT_FIELDS_FOR_PARTNER = ("contact__id", "contact__status", "contact__decision", "contact__decided_at")


def referrals_for_partner(*, user: User) -> QuerySet[PartnerReferral]:
    """The referrals this partner sent, newest first, with just enough of each contact for its status."""
    return (
        PartnerReferral.objects.filter(submitted_by=user, local_authority_id=user.local_authority_id)
        .select_related("contact")
        .only("id", "reference", "submitted_at", "child_initials", "submitted_by_id", *_CONTACT_FIELDS_FOR_PARTNER)
        .order_by("-submitted_at", "-id")
    )


def referral_for_partner(*, user: User, reference: str) -> PartnerReferral | None:
    """One of this partner's referrals, with its documents; None if it is not theirs (or does not exist).

    ``reference`` as stored (8 characters); a reference stored in its display form (ABCD-EFGH) is found too.
    """
    return (
        PartnerReferral.objects.filter(
            submitted_by=user, local_authority_id=user.local_authority_id,
            reference__in=[reference, f"{reference[:4]}-{reference[4:]}"],
        )
        .select_related("contact")
        .only(
            "id", "reference", "submitted_at", "answers", "child_initials", "submitted_by_id",
            "local_authority_id", *_CONTACT_FIELDS_FOR_PARTNER,
        )
        .prefetch_related(Prefetch("attachments", queryset=PartnerReferralAttachment.objects.order_by("id")))
        .first()
    )


def partner_profile_of(*, user: User) -> PartnerProfile | None:
    return PartnerProfile.objects.filter(user=user).first()


def referrer_initial(*, user: User) -> dict[str, Any]:
    """The "about you" answers filled in from the user and from what they gave last time."""
    profile = partner_profile_of(user=user)
    initial = {
        "referrer_name": user.get_full_name(),
        "referrer_job_title": user.job_title,
        "referrer_organisation": user.partner_organisation,
        "referrer_email": user.email,
    }
    if profile is not None:
        initial.update({
            "referrer_job_title": profile.job_title,
            "referrer_organisation": profile.organisation,
            "referrer_phone": profile.phone,
            "referrer_email": profile.email,
            "agency_type": profile.agency_type,
        })
    if initial.get("agency_type") == "school" or (profile is None and "school" in user.partner_organisation.lower()):
        initial["agency_type"] = "school"
        # A school refers its own pupils: their school is the referrer's own.
        initial["school"] = initial["referrer_organisation"]
    return {k: v for k, v in initial.items() if v}


def partner_referral_for_contact(contact: Contact) -> PartnerReferral | None:
    """The online referral behind a contact, with its documents: two queries at most, none if cached."""
    if contact.channel != Contact.Channel.PORTAL:
        return None
    descriptor = Contact.partner_referral  # the reverse one-to-one
    if descriptor.is_cached(contact):
        referral: PartnerReferral | None = getattr(contact, "partner_referral", None)
    else:
        referral = (
            PartnerReferral.objects.filter(contact_id=contact.pk, local_authority_id=contact.local_authority_id)
            .defer("answers")
            .prefetch_related("attachments")
            .first()
        )
    return referral


def attachment_for(*, pk: int, user: User) -> PartnerReferralAttachment | None:
    """An attachment of the user's own council, with what the permission check needs."""
    return (
        PartnerReferralAttachment.objects.filter(pk=pk, local_authority_id=user.local_authority_id)
        .select_related("referral", "referral__contact", "referral__contact__child")
        .first()
    )
