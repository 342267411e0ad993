"""Time to build, write and validate each statutory return from the live record (issue 6; goal: each
return exported and validated in under 10 seconds at large size).

For each return, in one process, ``--repeat`` times (the median is reported):

* CIN census (the collection year ending 31 March ``--year``): ``build_cin`` (every child with a referral
  open in the year), ``cin_xml`` (writing the XML), ``xsd_errors`` (DfE's schema) and ``validate_cin``
  (every implemented census rule).
* SSDA903: ``build_903`` (this year's tables and last year's, rebuilt from the record for the cross-year
  rules), ``write_903_csv`` and ``validate_903``.
* Ofsted Annex A for the six months to 31 March ``--year``: ``build_annex_a`` and ``annex_a_xlsx``
  (no validator: the header and label checks are part of the build).

Baseline in the same run: ``*_plain_sql``, the same rows read with one plain SQL query per source table
and nothing else (referrals, assessments, S47s and CP plans for the census; periods of care, legal
statuses and placements for the 903), so the ratio says what shaping the return costs over reading it.

Result lines (``name value unit``) on stdout, progress on stderr:

* ``returns_<return>_<step>_<size>`` (s), ``returns_<return>_total_<size>`` (s, export + validation),
  ``returns_<return>_vs_plain_sql_<size>`` (x);
* ``returns_<return>_children_<size>``, ``returns_<return>_errors_<size>``,
  ``returns_<return>_queries_<size>`` (findings) and ``returns_annex_a_rows_<size>``;
* ``returns_load_average`` (the 1-minute load when the run ended: the machine is shared).

The database is bench_pages's ``var/bench-<size>-seed<N>.sqlite3`` (seeded on first use).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.bench_pages import SIZES, database_path, log, open_council, result  # noqa: E402


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def plain_sql(tables: list[str], la_id: int) -> Callable[[], int]:
    """Every row of the source tables for this council, one SELECT * each, fetched and dropped."""
    from django.db import connection

    def run() -> int:
        rows = 0
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'SELECT * FROM "{table}" WHERE local_authority_id = %s', [la_id])
                rows += len(cursor.fetchall())
        return rows

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="ignored (run_all.sh passes it to every script)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each return (median reported)")
    parser.add_argument("--year", type=int, default=2026, help="collection year (ending 31 March)")
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    size: str = args.size
    open_council(database_path(size, args.seed), size, args.seed, reseed=args.reseed)

    from hearth.returns.annex_a import annex_a_xlsx, build_annex_a
    from hearth.returns.cin_census import build_cin, cin_xml, xsd_errors
    from hearth.returns.rules.base import validate_903, validate_cin
    from hearth.returns.ssda903 import build_903, write_903_csv
    from hearth.tenancy.models import LocalAuthority

    la = LocalAuthority.objects.order_by("pk").first()
    if la is None:
        log("bench: no council loaded")
        return 1
    year = args.year

    def cin() -> dict[str, float]:
        steps: dict[str, float] = {}
        steps["build"], census = timed(lambda: build_cin(local_authority=la, year=year))
        steps["xml"], xml = timed(lambda: cin_xml(census))
        steps["xsd"], problems = timed(lambda: xsd_errors(xml, year=year))
        if problems:
            log(f"bench: the CIN census is not valid against the schema: {problems[:3]}")
        steps["validate"], found = timed(lambda: validate_cin(census))
        counts["cin"] = (len(census.children), len(found.errors), len(found.queries))
        return steps

    def ssda903() -> dict[str, float]:
        steps: dict[str, float] = {}
        steps["build"], ret = timed(lambda: build_903(local_authority=la, year=year))
        with tempfile.TemporaryDirectory() as folder:
            steps["csv"], _ = timed(lambda: write_903_csv(ret, Path(folder)))
        steps["validate"], found = timed(lambda: validate_903(ret))
        counts["ssda903"] = (len(ret.table("Header")), len(found.errors), len(found.queries))
        return steps

    def annex_a() -> dict[str, float]:
        end = date(year, 3, 31)
        steps: dict[str, float] = {}
        steps["build"], annex = timed(lambda: build_annex_a(local_authority=la, start=end - timedelta(days=182),
                                                            end=end))
        steps["xlsx"], _ = timed(lambda: annex_a_xlsx(annex))
        counts["annex_a"] = (len(annex.person_pks), sum(len(rows) for rows in annex.lists.values()), 0)
        return steps

    counts: dict[str, tuple[int, int, int]] = {}
    baselines = {
        "cin": plain_sql(["cin_cinepisode", "cin_assessment", "cin_cinplan", "protection_section47enquiry",
                          "protection_childprotectionplan", "protection_childprotectionconference"], la.pk),
        "ssda903": plain_sql(["care_periodofcare", "care_carelegalstatus", "care_placement"], la.pk),
    }
    for name, run in (("cin", cin), ("ssda903", ssda903), ("annex_a", annex_a)):
        runs = []
        for n in range(args.repeat):
            log(f"bench: {name} run {n + 1} of {args.repeat}")
            runs.append(run())
        medians = {step: statistics.median(r[step] for r in runs) for step in runs[0]}
        for step, seconds in medians.items():
            result(f"returns_{name}_{step}_{size}", round(seconds, 3), "s")
        total = sum(medians.values())
        result(f"returns_{name}_total_{size}", round(total, 3), "s")
        if name in baselines:
            sql = statistics.median(timed(baselines[name])[0] for _ in range(args.repeat))
            result(f"returns_{name}_plain_sql_{size}", round(sql, 3), "s")
            result(f"returns_{name}_vs_plain_sql_{size}", round(medians["build"] / sql, 1), "x")
        children, errors, queries = counts[name]
        result(f"returns_{name}_children_{size}", children, "count")
        if name == "annex_a":
            result(f"returns_annex_a_rows_{size}", errors, "count")
        else:
            result(f"returns_{name}_errors_{size}", errors, "count")
            result(f"returns_{name}_queries_{size}", queries, "count")
    result("returns_load_average", round(os.getloadavg()[0], 1), "load")
    return 0


if __name__ == "__main__":
    sys.exit(main())
