"""Who may do what in the partner portal.

Partners send referrals and see their own, nothing else. Council staff who work with cases may
read a referral's documents when they may see the contact: if the child is already known, only
if they may open the child's record (a restricted record's documents stay restricted).
"""

from __future__ import annotations

import rules

from hearth.access.policy import can_view_person
from hearth.accounts.roles import Role


@rules.predicate
def is_partner_referrer(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.PARTNER_REFERRER
        and user.local_authority_id is not None
    )


@rules.predicate
def sent_the_referral(user, referral) -> bool:
    return referral is not None and is_partner_referrer(user) and referral.submitted_by_id == user.pk


@rules.predicate
def may_see_contact_documents(user, attachment) -> bool:
    if attachment is None or not (user.is_authenticated and user.has_case_access):
        return False
    contact = attachment.referral.contact
    if contact.local_authority_id != user.local_authority_id:
        return False
    return contact.child_id is None or can_view_person(user, contact.child)


@rules.predicate
def may_download_attachment(user, attachment) -> bool:
    if attachment is None:
        return False
    return bool(sent_the_referral(user, attachment.referral) or may_see_contact_documents(user, attachment))


rules.add_perm("portal.submit_referral", is_partner_referrer)
rules.add_perm("portal.view_referral", sent_the_referral)
rules.add_perm("portal.download_attachment", may_download_attachment)
