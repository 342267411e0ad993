"""p50/p95 and query counts of the leaving-care tray with the demo council loaded, against a bare view.

Pages (django.test.Client, no network; middleware, sessions, templates and database all in):

* ``care_leavers_tray_adviser``: ``GET /leaving-care/`` as the personal adviser with the most young people;
* ``care_leavers_tray_team``: the same page as a team manager of that adviser's team (their team's young
  people, the managers' summary and those still needing an adviser), or as ``hos.demo`` narrowed to the team
  when the team has no manager;
* ``care_leavers_tray_service``: the same page as ``hos.demo`` (the whole council).

Baselines in the same run:

* ``bare``: a view returning HttpResponse("ok") behind the same middleware (bench/bare_urls.py);
* ``care_leavers_tray_sql``: the one SQL query behind the adviser's list, run raw.

Result lines (``name value unit``) on stdout, progress on stderr:

* ``care_leavers_with_adviser_in_council``, ``care_leavers_periods_of_care_in_council``: the size of what is
  measured. A council with no personal-adviser allocations (seeded before the demo generator made care
  leavers) has nothing to time: the script says so on stderr and prints only these counts.
* ``care_leavers_tray_rows_adviser``, ``care_leavers_tray_rows_team``, ``care_leavers_tray_rows_service``:
  young people on the pages timed.
* ``<scenario>_queries_<size>``, ``<scenario>_p50_<size>``, ``<scenario>_p95_<size>``,
  ``<scenario>_cpu_p50_<size>`` (ms) and ``<scenario>_vs_bare_p50_<size>`` (x), as bench_pages.

The database is bench_pages's ``var/bench-<size>-seed<N>.sqlite3`` (``--database`` points at another copy),
seeded on first use with ``seed_demo``. ``--reseed`` deletes it first.
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

TRAY = "/leaving-care/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (after warm-up)")
    parser.add_argument("--reseed", action="store_true", help="delete this size's bench database and seed again")
    parser.add_argument("--database", type=Path, help="another bench database file (a copy, say)")
    args = parser.parse_args()
    if args.requests < 2:
        parser.error("--requests must be at least 2")
    size: str = args.size

    seeded_seconds = open_council(args.database or database_path(size, args.seed), size, args.seed,
                                  reseed=args.reseed)

    from django.db import connection
    from django.db.models import Count, Q

    from hearth.accounts.models import User
    from hearth.accounts.roles import Role
    from hearth.allocations.models import Allocation
    from hearth.care.models import PeriodOfCare
    from hearth.care_leavers.selectors import adviser_allocations, care_leaver_tray

    hos = User.objects.get(username="hos.demo")
    la_id = hos.local_authority_id
    with_adviser = Allocation.objects.filter(local_authority_id=la_id, kind=Allocation.Kind.PERSONAL_ADVISER,
                                             ended_on__isnull=True).count()
    if seeded_seconds is not None:
        result(f"seed_{size}_seconds", seeded_seconds, "s")
    result("care_leavers_with_adviser_in_council", with_adviser, "count")
    result("care_leavers_periods_of_care_in_council",
           PeriodOfCare.objects.filter(local_authority_id=la_id).count(), "count")
    if not with_adviser:
        log("bench: this council has no young people with a personal adviser (the demo generator does not make "
            "care leavers yet, or the database was seeded before it did): nothing to time. Rerun with --reseed "
            "once it does.")
        return 0

    busiest = (
        User.objects.filter(local_authority_id=la_id, role=Role.PERSONAL_ADVISER, is_active=True)
        .annotate(young_people=Count("allocations", filter=Q(allocations__ended_on__isnull=True,
                                                             allocations__kind=Allocation.Kind.PERSONAL_ADVISER)))
        .select_related("team").order_by("-young_people", "pk").first()
    )
    assert busiest is not None
    manager = (User.objects.filter(team_id=busiest.team_id, role=Role.TEAM_MANAGER, is_active=True)
               .order_by("pk").first() if busiest.team_id else None)
    team_user = manager or hos
    team_url = TRAY if manager is not None else f"{TRAY}?team={busiest.team_id}"
    log(f"bench: busiest personal adviser {busiest.username}; team view as {team_user.username}")

    result("care_leavers_tray_rows_adviser", len(care_leaver_tray(user=busiest).rows), "count")
    result("care_leavers_tray_rows_team",
           len(care_leaver_tray(user=team_user, team=busiest.team if manager is None else None).rows), "count")
    result("care_leavers_tray_rows_service", len(care_leaver_tray(user=hos).rows), "count")
    result("requests_per_page", args.requests, "count")
    result("load_average_1m_at_start", os.getloadavg()[0], "load")

    adviser_client, team_client, hos_client = (logged_in_client(busiest), logged_in_client(team_user),
                                               logged_in_client(hos))
    sql, params = adviser_allocations(user=busiest).query.sql_with_params()

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    scenarios: dict[str, tuple[Callable[[], None], bool]] = {
        "bare": (page_get(adviser_client, "/bare/"), True),
        "care_leavers_tray_adviser": (page_get(adviser_client, TRAY), True),
        "care_leavers_tray_team": (page_get(team_client, team_url), True),
        "care_leavers_tray_service": (page_get(hos_client, TRAY), True),
        "care_leavers_tray_sql": (raw, False),
    }
    time_scenarios(scenarios, size=size, requests=args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
