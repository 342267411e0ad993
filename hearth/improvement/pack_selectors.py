"""Reads for the improvement board's pages and the self-evaluation: scoped to the council, fixed queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

from .models import BoardMeeting, BoardPack, SelfEvaluation

UNDER_WAY = (BoardPack.Status.QUEUED, BoardPack.Status.RUNNING)


def packs_for(*, local_authority_id: int) -> QuerySet[BoardPack]:
    return (BoardPack.objects.filter(local_authority_id=local_authority_id)
            .select_related("requested_by").order_by("-requested_at", "-pk"))


def meetings_for(*, local_authority_id: int) -> QuerySet[BoardMeeting]:
    """Every meeting with its packs, newest pack first (two queries however many)."""
    return (BoardMeeting.objects.filter(local_authority_id=local_authority_id)
            .prefetch_related(Prefetch("packs", queryset=packs_for(local_authority_id=local_authority_id)))
            .order_by("-held_on", "-pk"))


def upcoming_meetings(*, local_authority_id: int, today: date) -> QuerySet[BoardMeeting]:
    return meetings_for(local_authority_id=local_authority_id).filter(held_on__gte=today).order_by("held_on", "pk")


def past_meetings(*, local_authority_id: int, today: date) -> QuerySet[BoardMeeting]:
    return meetings_for(local_authority_id=local_authority_id).filter(held_on__lt=today)


def meeting_for(*, local_authority_id: int, pk: int) -> BoardMeeting | None:
    return BoardMeeting.objects.filter(local_authority_id=local_authority_id, pk=pk).first()


def pack_for(*, local_authority_id: int, pk: int) -> BoardPack | None:
    return (BoardPack.objects.filter(local_authority_id=local_authority_id, pk=pk)
            .select_related("meeting", "requested_by").first())


def pack_under_way(*, local_authority_id: int) -> BoardPack | None:
    return (BoardPack.objects.filter(local_authority_id=local_authority_id, status__in=UNDER_WAY)
            .select_related("meeting").order_by("requested_at", "pk").first())


def self_evaluations_for(*, local_authority_id: int) -> QuerySet[SelfEvaluation]:
    return SelfEvaluation.objects.filter(local_authority_id=local_authority_id).order_by("-period_end", "-pk")


def self_evaluation_for(*, local_authority_id: int, pk: int) -> SelfEvaluation | None:
    return SelfEvaluation.objects.filter(local_authority_id=local_authority_id, pk=pk).first()
