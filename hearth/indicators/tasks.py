"""Background work: freezing the month's indicators (a cron or scheduler enqueues it on the 1st)."""

from __future__ import annotations

from datetime import date

from django_tasks import task


@task()
def freeze_indicator_snapshots_task(month: str | None = None, council: str | None = None) -> int:
    """Freeze ``month`` ("YYYY-MM"; default the month just ended) for the council with DfE number ``council``
    (default every council). Returns how many snapshots were new: 0 when the month was already frozen."""
    from hearth.tenancy.models import LocalAuthority

    from .services import snapshots_freeze_due

    day = date.fromisoformat(f"{month}-01") if month else None
    la = LocalAuthority.objects.get(dfe_la_number=council) if council else None
    done = snapshots_freeze_due(by="freeze_indicator_snapshots_task", month=day, local_authority=la)
    return sum(frozen.created for _, frozen in done)
