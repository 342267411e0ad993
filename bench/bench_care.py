"""p50/p95 and query counts of a child's In care record and the children-in-care team view, against the bare view.

Pages (django.test.Client, no network; middleware, sessions, templates and database all in):

* ``care_record``: ``GET /children/<pk>/care/`` as ``sw.demo``, for the looked-after child with the most
  placements among those ``sw.demo`` may see (the longest episode table the council has). Each GET writes an
  access-log row by design; that write is part of what is measured.
* ``care_team_view``: ``GET /children-in-care/?team=`` (every team) as ``hos.demo``.

Baseline in the same run: ``bare``, a view returning HttpResponse("ok") behind the same middleware
(bench/bare_urls.py).

Result lines (``name value unit``) on stdout, progress on stderr:

* ``care_children_in_care_in_council``, ``care_periods_in_council``, ``care_placements_in_council``: the
  size of the data. When the council has no child in care (seeded before the demo generator made any), the
  script says so on stderr, prints ``care_children_in_care_in_council 0 count`` and stops with status 0, so
  ``bench/run_all.sh`` goes on.
* ``care_record_child_placements``, ``care_record_child_periods``, ``care_team_view_children``: rows on the
  pages timed.
* ``<scenario>_queries_<size>``, ``<scenario>_p50_<size>``, ``<scenario>_p95_<size>``,
  ``<scenario>_cpu_p50_<size>`` (ms) and ``<scenario>_vs_bare_p50_<size>`` (x), as bench_pages.

The database is bench_pages's ``var/bench-<size>-seed<N>.sqlite3``, seeded on first use with ``seed_demo``;
``--reseed`` deletes it first.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.bench_pages import (  # noqa: E402
    SIZES,
    database_path,
    log,
    logged_in_client,
    open_council,
    page_get,
    result,
    time_scenarios,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (after warm-up)")
    parser.add_argument("--reseed", action="store_true", help="delete this size's bench database and seed again")
    args = parser.parse_args()
    if args.requests < 2:
        parser.error("--requests must be at least 2")
    size: str = args.size

    seeded_seconds = open_council(database_path(size, args.seed), size, args.seed, reseed=args.reseed)

    from django.db.models import Count

    from hearth.access.selectors import people_visible_to
    from hearth.accounts.models import User
    from hearth.care.models import PeriodOfCare, Placement
    from hearth.care.selectors import children_in_care

    sw = User.objects.get(username="sw.demo")
    hos = User.objects.get(username="hos.demo")
    la_id = sw.local_authority_id
    if seeded_seconds is not None:
        result(f"seed_{size}_seconds", seeded_seconds, "s")
    in_care = PeriodOfCare.objects.filter(local_authority_id=la_id, ended_on__isnull=True).count()
    result("care_children_in_care_in_council", in_care, "count")
    if not in_care:
        log("bench: this council has no child in care (seeded before the demo generator made children in care?): "
            "nothing to time. Rerun with --reseed once seed_demo makes them.")
        return 0
    result("care_periods_in_council", PeriodOfCare.objects.filter(local_authority_id=la_id).count(), "count")
    result("care_placements_in_council", Placement.objects.filter(local_authority_id=la_id).count(), "count")

    # The looked-after child with the most placements that sw.demo may open: the heaviest record there is.
    heaviest = (
        PeriodOfCare.objects.filter(local_authority_id=la_id, ended_on__isnull=True,
                                    child__in=people_visible_to(user=sw))
        .annotate(placement_count=Count("child__placements", distinct=True))
        .order_by("-placement_count", "pk")
        .select_related("child")
        .first()
    )
    if heaviest is None:
        log("bench: sw.demo may open no child in care in this council: nothing to time.")
        return 0
    child = heaviest.child
    result("care_record_child_placements", Placement.objects.filter(child=child).count(), "count")
    result("care_record_child_periods", PeriodOfCare.objects.filter(child=child).count(), "count")
    result("care_team_view_children", children_in_care(user=hos).totals.children, "count")
    result("requests_per_page", args.requests, "count")
    result("load_average_1m_at_start", os.getloadavg()[0], "load")
    log(f"bench: child in care with the most placements is record {child.hearth_id}")

    sw_client, hos_client = logged_in_client(sw), logged_in_client(hos)
    scenarios: dict[str, tuple[Callable[[], None], bool]] = {
        "bare": (page_get(sw_client, "/bare/"), True),
        "care_record": (page_get(sw_client, f"/children/{child.pk}/care/"), True),
        "care_team_view": (page_get(hos_client, "/children-in-care/?team="), True),
    }
    time_scenarios(scenarios, size=size, requests=args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
