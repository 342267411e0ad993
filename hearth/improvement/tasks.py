"""Background work: a board pack asked for on a board meeting's page."""

from __future__ import annotations

from django_tasks import task

from .models import BoardPack


@task()
def generate_board_pack(pack_id: int) -> str:
    """Make a pack already recorded (queued) by ``pack_services.board_pack_request``; returns its status."""
    from .pack_services import board_pack_generate

    pack = BoardPack.objects.select_related("local_authority", "meeting").get(pk=pack_id)
    if pack.status != BoardPack.Status.QUEUED:
        return pack.status
    return board_pack_generate(pack=pack).status
