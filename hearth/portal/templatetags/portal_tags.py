from __future__ import annotations

from django import template

from hearth.front_door.models import Contact
from hearth.portal.models import PartnerReferral
from hearth.portal.selectors import partner_referral_for_contact

register = template.Library()


@register.simple_tag
def partner_referral_for(contact: Contact) -> PartnerReferral | None:
    """The online referral behind a contact, with its documents (at most two queries)."""
    return partner_referral_for_contact(contact)


FILE_KINDS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "image/jpeg": "JPG image",
    "image/png": "PNG image",
}


@register.filter
def file_kind(content_type: str) -> str:
    return FILE_KINDS.get(content_type, "File")
