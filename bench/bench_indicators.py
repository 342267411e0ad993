"""Time to compute the performance indicators from the live record (issue 7; goal: every indicator for a
collection year in under 2 seconds cold, at large size), served again from the cache, and to freeze a month.

For the collection year ending 31 March ``--year`` (default 2026: 1 April 2025 to 31 March 2026):

* each indicator on its own, cold (the cache emptied first), through ``hearth.indicators.compute.results``:
  ``indicator_<code>_year_<size>`` (ms);
* the whole set cold and then warm (from the cache): ``indicators_all_year_cold_<size>``,
  ``indicators_all_year_warm_<size>`` (every record counted, as a drill-down needs) and
  ``indicators_figures_year_warm_<size>`` (the headline figures only, as a dashboard needs), in ms;
* freezing one month end (every indicator for the twelve months to it, with the records counted), in a
  transaction rolled back afterwards: ``indicators_snapshot_freeze_month_<size>`` (ms),
  ``indicators_snapshot_members_kib_<size>`` (the stored record lists), and explaining that month "as
  reported and now" for the referral rate: ``indicators_compare_snapshot_<size>`` (ms).

Baseline in the same run: ``indicators_referrals_sql_<size>``, one plain SQL count of the council's referrals
in the year (the biggest source table), and ``indicators_all_cold_vs_referrals_sql_<size>`` (x), the whole
cold set as a multiple of it. Also ``indicators_count_<size>``, ``indicators_unavailable_<size>``,
``indicators_referrals_year_<size>`` (count) and ``indicators_load_average`` (the machine is shared).

The database is a copy of bench_pages's ``var/bench-<size>-seed<N>.sqlite3``, made once (SQLite's backup API) as
``var/bench-indicators-<size>-seed<N>.sqlite3`` and migrated (the bench never writes to the original; a
council is seeded straight into the copy when there is no original).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.bench_pages import SIZES, database_path, log, open_council, result  # noqa: E402
from bench.bench_returns import timed  # noqa: E402


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the shared bench database (WAL included), read-only on the source."""
    log(f"bench: copying {source.name} to {target.name} (a few minutes at large)")
    started = time.perf_counter()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    with dst:
        src.backup(dst, pages=65536)
    src.close()
    dst.close()
    log(f"bench: copied in {time.perf_counter() - started:.0f} s")


def private_copy(size: str, seed: int, purpose: str) -> Path:
    """This bench's own copy of bench_pages's ``var/bench-<size>-seed<N>.sqlite3``, made once as
    ``var/bench-<purpose>-<size>-seed<N>.sqlite3``, so the shared file is never written. When there is no
    original the path is returned as it is, and ``open_council`` seeds a council straight into it."""
    target = REPO_ROOT / "var" / f"bench-{purpose}-{size}-seed{seed}.sqlite3"
    source = database_path(size, seed)
    if not target.exists() and source.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_database(source, target)
    return target


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="ignored (run_all.sh passes it to every script)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the warm and baseline timings (median)")
    parser.add_argument("--year", type=int, default=2026, help="collection year (ending 31 March)")
    parser.add_argument("--database", type=Path, help="a council database of your own to use as it is (a copy: "
                                                       "it is migrated)")
    args = parser.parse_args()
    size: str = args.size
    open_council(args.database or private_copy(size, args.seed, "indicators"), size, args.seed)

    from django.db import connection, transaction

    from hearth.indicators.compute import figures, forget, results, today
    from hearth.indicators.models import IndicatorSnapshot
    from hearth.indicators.registry import collection_year_period, indicators, last_month_end
    from hearth.indicators.selectors import compare_snapshot
    from hearth.indicators.services import snapshot_freeze
    from hearth.tenancy.models import LocalAuthority

    la = LocalAuthority.objects.order_by("pk").first()
    if la is None:
        log("bench: no council loaded")
        return 1
    start, end = collection_year_period(args.year)
    every = indicators()
    result(f"indicators_count_{size}", len(every), "count")
    result(f"indicators_unavailable_{size}", sum(1 for i in every if i.unavailable), "count")

    def referrals_sql() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM cin_cinepisode WHERE local_authority_id = %s "
                           "AND referral_date BETWEEN %s AND %s", [la.pk, start, end])
            return int(cursor.fetchone()[0])

    referrals = referrals_sql()  # also warms the page cache for the baseline, as the indicators warm theirs
    baseline = statistics.median(timed(referrals_sql)[0] for _ in range(args.repeat))
    result(f"indicators_referrals_year_{size}", referrals, "count")
    result(f"indicators_referrals_sql_{size}", ms(baseline), "ms")

    for ind in every:
        forget()
        seconds, _ = timed(functools.partial(results, local_authority=la, start=start, end=end, codes=[ind.code]))
        log(f"bench: {ind.code} {ms(seconds)} ms")
        result(f"indicator_{ind.code}_year_{size}", ms(seconds), "ms")

    forget()
    cold, _ = timed(lambda: results(local_authority=la, start=start, end=end))
    result(f"indicators_all_year_cold_{size}", ms(cold), "ms")
    warm = statistics.median(timed(lambda: results(local_authority=la, start=start, end=end))[0]
                             for _ in range(args.repeat))
    result(f"indicators_all_year_warm_{size}", ms(warm), "ms")
    figures(local_authority=la, start=start, end=end)
    figures_warm = statistics.median(timed(lambda: figures(local_authority=la, start=start, end=end))[0]
                                     for _ in range(args.repeat))
    result(f"indicators_figures_year_warm_{size}", ms(figures_warm), "ms")
    result(f"indicators_all_cold_vs_referrals_sql_{size}", round(cold / baseline, 1) if baseline else 0, "x")

    month = last_month_end(today())
    with transaction.atomic():
        existing = IndicatorSnapshot.objects.filter(local_authority=la, month_end=month).exists()
        if existing:
            log(f"bench: {month} is already frozen in the bench copy; the freeze below measures nothing")
        seconds, frozen = timed(lambda: snapshot_freeze(local_authority=la, month_end=month, by="bench"))
        result(f"indicators_snapshot_freeze_month_{size}", ms(seconds), "ms")
        stored = sum(len(json.dumps(m)) for m in IndicatorSnapshot.objects.filter(local_authority=la, month_end=month)
                     .values_list("members", flat=True))
        result(f"indicators_snapshot_members_kib_{size}", round(stored / 1024), "count")
        snapshot = IndicatorSnapshot.objects.filter(local_authority=la, month_end=month,
                                                    indicator="referral_rate").first()
        if snapshot is not None:
            forget()
            seconds, _ = timed(lambda: compare_snapshot(snapshot=snapshot))
            result(f"indicators_compare_snapshot_{size}", ms(seconds), "ms")
        log(f"bench: froze {frozen.created} indicators for {month}; rolled back")
        transaction.set_rollback(True)
    result("indicators_load_average", round(os.getloadavg()[0], 1), "load")
    return 0


if __name__ == "__main__":
    sys.exit(main())
