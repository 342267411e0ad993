"""How many referrals one partner, or one network address, may send in an hour.

Per user the count comes from the referrals themselves (exact, whatever process served them).
Per address it lives in the Django cache: a shared cache (database or Redis) makes it hold
across processes; the default per-process memory cache limits each process separately.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.utils import timezone

from .models import PartnerReferral

if TYPE_CHECKING:
    from hearth.accounts.models import User

PER_USER_PER_HOUR = 10
PER_ADDRESS_PER_HOUR = 30
WINDOW_SECONDS = 3600

LIMIT_MESSAGE = (
    "You have sent a lot of referrals in the last hour. If a child is in immediate danger call 999. "
    "Otherwise wait a while and send this referral again, or telephone the children's services front door. "
    "What you have typed is still here."
)


def _address_key(address: str) -> str:
    return f"portal:referrals-from:{address}"


def _recent(address: str, now: float) -> list[float]:
    stamps = cache.get(_address_key(address)) or []
    return [t for t in stamps if now - t < WINDOW_SECONDS]


def submission_allowed(*, user: User, address: str) -> bool:
    since = timezone.now() - timedelta(seconds=WINDOW_SECONDS)
    by_user = PartnerReferral.objects.filter(submitted_by=user, submitted_at__gte=since).count()
    if by_user >= PER_USER_PER_HOUR:
        return False
    return len(_recent(address, time.time())) < PER_ADDRESS_PER_HOUR


def submission_count_from(*, address: str) -> None:
    """Count one submission against the sending address (after it was accepted)."""
    now = time.time()
    stamps = _recent(address, now)
    stamps.append(now)
    cache.set(_address_key(address), stamps[-PER_ADDRESS_PER_HOUR * 2 :], timeout=WINDOW_SECONDS)
