from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import QueryDict

from .models import FormDraft, Notification

if TYPE_CHECKING:
    from hearth.accounts.models import User


def unread_notifications(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def draft_for(*, user: User, key: str) -> FormDraft | None:
    return FormDraft.objects.filter(user=user, key=key).first()


def draft_as_querydict(draft: FormDraft) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in draft.data.items():
        data.setlist(name, values if isinstance(values, list) else [values])
    return data
