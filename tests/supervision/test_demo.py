"""The demo council's year of supervision: fast, deterministic, mostly in time, with case discussions on the
children's chronologies and the demo social worker a few days overdue."""

from __future__ import annotations

import time
from datetime import timedelta
from statistics import mean

from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.audit.actor import acting_as
from hearth.audit.models import ChangeRecord
from hearth.chronology.models import ChronologyEvent
from hearth.demo.council import build_council
from hearth.demo.supervision import seed_supervision
from hearth.supervision.models import CaseDiscussion, SupervisionArrangement, SupervisionSession
from hearth.supervision.schedule import SUPERVISED_ROLES
from hearth.supervision.selectors import compliance_by_team, supervision_compliance, worker_statuses
from hearth.supervision.services import CHRONOLOGY_TITLE


def _seeded(seed: int) -> tuple[object, int, float]:
    la = build_council(size="small", seed=seed, quality=False, indicator_months=0).local_authority
    started = time.perf_counter()
    rows = 0
    if not SupervisionSession.objects.filter(local_authority=la).exists():
        with acting_as("seed_demo"):
            rows = seed_supervision(la=la, seed=seed, today=timezone.localdate())
    return la, rows, time.perf_counter() - started


def _year_of(seed: int, check: bool = False) -> list[tuple]:
    with transaction.atomic():
        la, rows, seconds = _seeded(seed)
        if check:
            _check(la, rows, seconds)
        result = list(SupervisionSession.objects.order_by("pk").values_list(
            "supervisee__username", "supervisor__username", "held_on", "status", "kind", "next_on"))
        result += list(CaseDiscussion.objects.order_by("pk").values_list("child_id", "actions_due_on",
                                                                          "plan_progress"))
        transaction.set_rollback(True)
    return result


def _check(la, rows: int, seconds: float) -> None:
    today = timezone.localdate()
    assert seconds < 3, f"seed_supervision took {seconds:.1f}s on a small council"
    sessions = SupervisionSession.objects.filter(local_authority=la)
    supervised = User.objects.filter(local_authority=la, role__in=list(SUPERVISED_ROLES), is_active=True)
    # Every supervised worker has a year of supervision, none in the future.
    assert set(sessions.values_list("supervisee", flat=True).distinct()) == set(supervised.values_list("pk",
                                                                                                      flat=True))
    assert not sessions.filter(held_on__gt=today, status="held").exists()
    assert sessions.filter(status="cancelled").exists() and sessions.filter(status="rearranged").exists()
    assert SupervisionArrangement.objects.filter(asye_started_on__isnull=False).exists()
    # Mostly in time, but not all.
    compliance = supervision_compliance(local_authority=la, on=today)
    assert compliance.percent is not None and 60 <= compliance.percent < 100
    demo = User.objects.get(local_authority=la, username="sw.demo")
    assert demo in [d.worker for d in compliance.overdue]
    # The struggling teams catch up: the team furthest behind half a year ago is in better shape now. (The
    # council as a whole is too small to show it through the noise of a few workers each month.)
    then, _ = compliance_by_team(local_authority=la, on=today - timedelta(days=200))
    now = {row.name: row.compliance.percent for row in compliance_by_team(local_authority=la, on=today)[0]}
    furthest_behind = min((row for row in then if row.compliance.percent is not None),
                          key=lambda row: row.compliance.percent or 0.0)
    assert (furthest_behind.compliance.percent or 0.0) < 70
    assert (now[furthest_behind.name] or 0.0) > (furthest_behind.compliance.percent or 0.0)
    # Each case discussion is on its child's chronology, linked to the discussion, with its history.
    discussions = CaseDiscussion.objects.filter(local_authority=la)
    assert discussions.count() > sessions.filter(status="held").count()
    events = ChronologyEvent.objects.filter(local_authority=la, title=CHRONOLOGY_TITLE)
    assert events.count() == discussions.count()
    sample = discussions.order_by("pk").first()
    event = events.get(source_id=str(sample.pk))
    assert event.person_id == sample.child_id and event.link.endswith(f"/discussions/{sample.pk}/")
    assert ChangeRecord.objects.filter(model_label="supervision.CaseDiscussion").count() == discussions.count()
    assert rows >= sessions.count() * 2
    gaps = [s.days_overdue for s in worker_statuses(local_authority=la, on=today)]
    assert mean(gaps) < 10


def test_a_year_of_supervision_is_realistic_fast_and_the_same_for_a_seed(db):
    first = _year_of(61, check=True)
    assert first and first == _year_of(61)
