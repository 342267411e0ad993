"""The demo council's year of case audits: monthly random and themed rounds, improving grades, moderation,
actions (some overdue), a revised template and a practice week; quick and the same for the same seed."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import acting_as
from hearth.case_audits.models import AuditAction, AuditRound, AuditTemplate, CaseAudit, Moderation, PracticeWeek
from hearth.case_audits.selectors import audit_summary
from hearth.demo.case_audits import seed_case_audits
from hearth.demo.council import build_council

pytestmark = pytest.mark.django_db


def _council(seed: int):
    summary = build_council(size="small", seed=seed, quality=False, indicator_months=0)
    la = summary.local_authority
    today = timezone.localdate()
    started = time.perf_counter()
    rows = 0
    if not AuditRound.objects.filter(local_authority=la).exists():
        with acting_as("seed_demo"):
            rows = seed_case_audits(la=la, seed=seed, today=today)
    return la, rows, time.perf_counter() - started, today


def test_a_year_of_audits_that_improves(db):
    la, rows, seconds, today = _council(61)
    assert seconds < 3, f"seed_case_audits took {seconds:.1f}s on a small council"
    rounds = AuditRound.objects.filter(local_authority=la)
    assert rounds.filter(method="random").count() == 12
    assert rounds.filter(method="themed").count() == 12
    audits = CaseAudit.objects.filter(local_authority=la)
    per_month = [audits.filter(round__month=m).count() for m in rounds.values_list("month", flat=True).distinct()]
    assert all(5 <= n <= 15 for n in per_month), per_month
    for audit in audits.select_related("round"):
        assert audit.auditor_id != audit.worker_id
        if audit.submitted_on:
            assert audit.round.drawn_on <= audit.submitted_on <= today
    first_half = audit_summary(local_authority=la, start=today - timedelta(days=365), end=today - timedelta(days=180))
    second_half = audit_summary(local_authority=la, start=today - timedelta(days=179), end=today)
    assert first_half.audits and second_half.audits
    assert (second_half.good_or_better_percent or 0) > (first_half.good_or_better_percent or 0)
    assert Moderation.objects.filter(local_authority=la).exists()
    assert AuditAction.objects.filter(local_authority=la, completed_on__isnull=True, due_on__lt=today).exists()
    assert AuditTemplate.objects.filter(local_authority=la, family="standard").count() == 2
    assert PracticeWeek.objects.filter(local_authority=la).count() == 1
    assert second_half.themes
    assert rows > 100


def test_the_same_seed_gives_the_same_audits(db):
    def picture(seed: int) -> list[tuple]:
        with transaction.atomic():
            la, _, _, _ = _council(seed)
            rows = list(CaseAudit.objects.filter(local_authority=la)
                        .order_by("round__month", "round__method", "child__first_name", "child__last_name")
                        .values_list("round__title", "child__first_name", "child__last_name", "overall_grade",
                                     "status"))
            transaction.set_rollback(True)
        return rows

    assert picture(62) == picture(62)
