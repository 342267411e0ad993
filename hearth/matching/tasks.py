"""Background work: the duplicate check started from the review queue."""

from __future__ import annotations

from django_tasks import task

from hearth.tenancy.models import LocalAuthority

from .models import LinkageRun


@task()
def linkage_run_task(run_id: int) -> int:
    """Run a duplicate check already recorded (queued) by ``linkage_run_start``; returns the pairs found."""
    from hearth.accounts.models import User

    from .services import linkage_run

    run = LinkageRun.objects.get(pk=run_id)
    if run.status != LinkageRun.Status.QUEUED:
        return run.pairs_found
    by: User | str = run.requested_by or run.requested_by_system or "duplicate_check"
    local_authority = LocalAuthority.objects.get(pk=run.local_authority_id)
    run = linkage_run(local_authority=local_authority, by=by, threshold=run.threshold, run=run)
    return run.pairs_found
