"""Generating the improvement board pack (PDF) for a council at size, cold and warm, with the cost of the PDF
itself made visible by a baseline in the same run.

Runs on its own COPY of the dashboards bench council (``var/bench-dashboards-<size>-seed<N>.sqlite3``, which has
24 frozen month ends and targets), copied with SQLite's backup API to ``var/bench-board-pack-<size>-seed<N>.sqlite3``
and migrated, so no shared file is written. Without the dashboards copy, bench_pages's council is copied instead
and given its month ends and targets as bench_dashboards does. On first use the copy gets the improvement programme
(inspection, plan, board meetings, workforce, money, training) from ``hearth.demo.programme.seed_programme``, and
its 24 frozen month ends gain the indicators registered since they were frozen (the workforce measures), as the
monthly job adds them in a running council.

The pack is made as the background task makes it: ``board_pack.render_board_pack`` (every section's figures, the
HTML, WeasyPrint) for the next board meeting, data as at today.

Result lines (stdout, ``name value unit``):

* ``board_pack_cold_<size>``: the pack with every cache empty (indicator figures and trends, benchmarks, the
  director's board);
* ``board_pack_warm_<size>``: a second pack straight after, the caches warm;
* ``board_pack_html_only_<size>``: the baseline: the context and HTML of the same pack, warm, without WeasyPrint
  (so ``warm - html_only`` is the PDF's own cost);
* ``board_pack_pages_<size>``, ``board_pack_bytes_<size>``: the PDF's size.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.bench_dashboards import seed_performance  # noqa: E402
from bench.bench_indicators import copy_database, private_copy  # noqa: E402
from bench.bench_pages import SIZES, log, open_council, result  # noqa: E402


def board_pack_copy(size: str, seed: int) -> Path:
    """``var/bench-board-pack-<size>-seed<N>.sqlite3``, copied once from the dashboards bench's council when it
    exists (month ends frozen and targets set already), else from bench_pages's."""
    target = REPO_ROOT / "var" / f"bench-board-pack-{size}-seed{seed}.sqlite3"
    dashboards = REPO_ROOT / "var" / f"bench-dashboards-{size}-seed{seed}.sqlite3"
    if not target.exists() and dashboards.exists():
        copy_database(dashboards, target)
        return target
    return private_copy(size, seed, "board-pack")


def seed_programme_once(size: str, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from hearth.audit.actor import acting_as
    from hearth.demo.programme import seed_programme
    from hearth.tenancy.models import LocalAuthority

    la = LocalAuthority.objects.order_by("pk").first()
    if la is None:
        raise SystemExit("bench: the bench database has no council")
    started = time.perf_counter()
    with transaction.atomic(), acting_as("seed_demo"):
        rows = seed_programme(la=la, seed=seed, today=timezone.localdate(), size=size)
    if rows:
        log(f"bench: improvement programme seeded, {rows} rows in {time.perf_counter() - started:.0f} s")


def freeze_new_indicators(seed: int) -> None:
    """Freeze the 24 month ends for any indicator registered after the copied council's months were frozen
    (the workforce measures), as the monthly job does in a running council; months already frozen are left."""
    from django.utils import timezone

    from hearth.indicators.registry import last_month_end, month_ends
    from hearth.indicators.services import snapshot_freeze_month
    from hearth.tenancy.models import LocalAuthority

    la = LocalAuthority.objects.order_by("pk").first()
    assert la is not None
    started = time.perf_counter()
    for month_end in month_ends(last_month_end(timezone.localdate()), 24):
        snapshot_freeze_month(local_authority=la, month_end=month_end, by="bench")
    log(f"bench: month ends brought up to date in {time.perf_counter() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=1, help="ignored (run_all.sh passes it to every script)")
    args = parser.parse_args()
    size: str = args.size

    open_council(board_pack_copy(size, args.seed), size, args.seed)
    seed_performance(size, args.seed)
    seed_programme_once(size, args.seed)
    freeze_new_indicators(args.seed)

    from django.core.cache import cache
    from django.utils import timezone

    from hearth.improvement.board_pack import board_pack_html, render_board_pack
    from hearth.improvement.models import BoardMeeting
    from hearth.indicators import compute
    from hearth.tenancy.models import LocalAuthority

    la = LocalAuthority.objects.order_by("pk").first()
    assert la is not None
    today = timezone.localdate()
    meeting = (BoardMeeting.objects.filter(local_authority=la, held_on__gte=today).order_by("held_on").first()
               or BoardMeeting.objects.filter(local_authority=la).order_by("-held_on").first())

    cache.clear()
    compute.forget()
    log("bench: the board pack, cold")
    started = time.perf_counter()
    pdf, pages = render_board_pack(local_authority=la, as_at=today, meeting=meeting)
    cold = time.perf_counter() - started

    log("bench: the board pack, warm")
    started = time.perf_counter()
    render_board_pack(local_authority=la, as_at=today, meeting=meeting)
    warm = time.perf_counter() - started

    log("bench: the context and HTML alone, warm")
    started = time.perf_counter()
    board_pack_html(local_authority=la, as_at=today, meeting=meeting)
    html_only = time.perf_counter() - started

    result(f"board_pack_cold_{size}", cold, "s")
    result(f"board_pack_warm_{size}", warm, "s")
    result(f"board_pack_html_only_{size}", html_only, "s")
    result(f"board_pack_pages_{size}", pages, "count")
    result(f"board_pack_bytes_{size}", len(pdf), "count")
    return 0


if __name__ == "__main__":
    sys.exit(main())
