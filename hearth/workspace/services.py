from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from .models import FormDraft, Notification

if TYPE_CHECKING:
    from hearth.accounts.models import User

# Never keep these in a draft.
_DRAFT_EXCLUDED = {"csrfmiddlewaretoken", "draft_key", "password", "otp_token"}


def notification_send(*, recipient: User, title: str, body: str = "", link: str = "") -> Notification:
    if recipient.local_authority_id is None:
        raise ValueError("Notifications go to staff of a council")
    return Notification.objects.create(
        local_authority_id=recipient.local_authority_id, recipient=recipient, title=title, body=body, link=link
    )


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def draft_save(*, user: User, key: str, data: QueryDict, path: str = "") -> FormDraft:
    payload: dict[str, Any] = {k: data.getlist(k) for k in data if k not in _DRAFT_EXCLUDED}
    with transaction.atomic():
        draft, _ = FormDraft.objects.update_or_create(
            user=user,
            key=key,
            defaults={"data": payload, "path": path[:300], "local_authority_id": user.local_authority_id},
        )
    return draft


def draft_discard(*, user: User, key: str) -> None:
    FormDraft.objects.filter(user=user, key=key).delete()
