"""Writes for children in need: referrals (CIN episodes), assessments and CIN plans."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import acting_as
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record

from .models import CINEpisode

if TYPE_CHECKING:
    from hearth.accounts.models import Team
    from hearth.front_door.models import Contact
    from hearth.people.models import Person


def is_re_referral(*, child: Person, referral_date: date, exclude_pk: int | None = None) -> bool:
    """A previous referral for this child in the 12 calendar months up to this referral date.

    Boundary (not confirmed by DfE, timescales.md §3): a referral exactly 12 months earlier
    counts as within 12 months.
    """
    since = referral_date - relativedelta(months=12)
    earlier = CINEpisode.objects.filter(
        child=child, local_authority_id=child.local_authority_id,
        referral_date__gte=since, referral_date__lte=referral_date,
    )
    if exclude_pk is not None:
        earlier = earlier.exclude(pk=exclude_pk)
    return earlier.exists()


def cin_episode_open(
    *,
    child: Person,
    referral_date: date,
    referral_source: str,
    by: Any,
    contact: Contact | None = None,
    team: Team | None = None,
    primary_need: str = "",
) -> CINEpisode:
    """Open a referral for a child not already open to children's social care.

    New information about a child whose case is open is not a new referral (domain.md §2):
    that is refused here and recorded on the open episode instead.
    """
    if referral_date > timezone.localdate():
        raise ValidationError({"referral_date": "The referral date cannot be in the future"})
    open_episode = CINEpisode.objects.filter(child=child, closed_on__isnull=True).first()
    if open_episode is not None:
        raise ValidationError(
            f"{child.full_name} is already open to children's social care (referral of "
            f"{open_episode.referral_date:%-d %B %Y}); record this on the open case instead"
        )
    latest_closed = CINEpisode.objects.filter(child=child).order_by("-closed_on").first()
    if latest_closed is not None and latest_closed.closed_on and referral_date < latest_closed.closed_on:
        raise ValidationError(
            {"referral_date": f"The referral date cannot be before the last referral closed "
                              f"({latest_closed.closed_on:%-d %B %Y})"}
        )
    with transaction.atomic(), acting_as(by):
        episode = CINEpisode(
            local_authority_id=child.local_authority_id,
            child=child,
            contact=contact,
            referral_date=referral_date,
            referral_source=referral_source,
            primary_need=primary_need,
            is_re_referral=is_re_referral(child=child, referral_date=referral_date),
            team=team,
        )
        episode.full_clean()
        episode.save(by=by)
        chronology_record(
            person=child,
            event_type=EventType.REFERRAL,
            occurred=referral_date,
            title="Referral to children's social care" + (" (re-referral within 12 months)"
                                                          if episode.is_re_referral else ""),
            summary=f"Source: {episode.get_referral_source_display()}",
            source=episode,
            link=f"/children/{child.pk}/cin/episodes/{episode.pk}/",
            significant=True,
            by=by,
        )
    return episode
