"""Background work: a return run started from the returns page."""

from __future__ import annotations

from django_tasks import task

from .models import ReturnRun


@task()
def return_run_task(run_id: int) -> str:
    """Make the return of a run already recorded (queued) by ``return_run_start``; returns its status."""
    from .services import return_run_execute

    run = ReturnRun.objects.get(pk=run_id)
    if run.status != ReturnRun.Status.QUEUED:
        return run.status
    return return_run_execute(run=run).status
