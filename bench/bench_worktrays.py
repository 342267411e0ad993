"""p50/p95 and query counts of the work trays with the demo council loaded, against baselines.

Pages (django.test.Client, no network; middleware, sessions, templates and database all in):

* ``worktray_worker``: ``GET /trays/mine/`` as ``sw.demo``;
* ``worktray_worker_heaviest``: the same as the worker with the most open clocks on their tray;
* ``worktray_team``: ``GET /trays/team/<pk>/`` as ``tm.demo`` (their own team);
* ``worktray_team_busiest``: the team with the most children waiting for a worker, as ``hos.demo``;
* ``worktray_service``: ``GET /trays/service/`` as ``hos.demo``.

Baselines in the same run:

* ``bare``: a view returning HttpResponse("ok") behind the same middleware (bench/bare_urls.py);
* ``worktray_worker_clock_sql``: the one SQL query behind the worker's open clocks, run raw;
* ``worktray_team_waiting_sql``: the one SQL query behind the team's "waiting for a worker" list, run raw.

Result lines (``name value unit``) on stdout, progress on stderr:

* ``worktray_contacts_in_council``, ``worktray_open_episodes_in_council``, ``worktray_open_clocks_in_council``,
  ``worktray_open_assessments_in_council``: the size of the work being measured. When the seed made no
  contacts or episodes (a council seeded before the casework generator), the trays are timed on clocks
  and allocations alone and a warning goes to stderr: rerun with ``--reseed``.
* ``worktray_worker_items_sw_demo``, ``worktray_worker_items_heaviest``, ``worktray_team_waiting``,
  ``worktray_team_busiest_waiting``, ``worktray_service_teams``: rows on the pages timed.
* ``<scenario>_queries_<size>``: SQL queries in one request (measured once, outside timing).
* ``<scenario>_p50_<size>``, ``<scenario>_p95_<size>``, ``<scenario>_cpu_p50_<size>`` (ms), and
  ``<scenario>_vs_bare_p50_<size>`` (x).

The database is bench_pages's ``var/bench-<size>-seed<N>.sqlite3``, seeded on first use with
``seed_demo`` (the council as the generator makes it now). ``--reseed`` deletes it first.
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

    from django.db import connection
    from django.db.models import Count, Q

    from hearth.accounts.models import Team, User
    from hearth.accounts.roles import ALLOCATABLE_ROLES
    from hearth.cin.models import Assessment, CINEpisode
    from hearth.clocks.models import Clock
    from hearth.clocks.selectors import open_clocks_for_worker
    from hearth.front_door.models import Contact
    from hearth.worktrays.selectors import (
        service_overview,
        unallocated_children,
        unallocated_counts_by_team,
        worker_tray,
    )

    sw = User.objects.select_related("team").get(username="sw.demo")
    tm = User.objects.select_related("team").get(username="tm.demo")
    hos = User.objects.get(username="hos.demo")
    la_id = sw.local_authority_id
    if tm.team_id is None:
        raise SystemExit("bench: tm.demo has no team; is the council seeded?")

    contacts = Contact.objects.filter(local_authority_id=la_id).count()
    episodes = CINEpisode.objects.filter(local_authority_id=la_id, closed_on__isnull=True).count()
    if not contacts or not episodes:
        log("bench: WARNING this council has no contacts or CIN episodes (seeded before the casework "
            "generator?): the trays are timed on clocks and allocations alone. Rerun with --reseed.")

    heaviest = (
        User.objects.filter(local_authority_id=la_id, role__in=ALLOCATABLE_ROLES, is_active=True)
        .annotate(open_allocations=Count("allocations", filter=Q(allocations__ended_on__isnull=True)))
        .order_by("-open_allocations", "pk")
        .first()
    )
    assert heaviest is not None
    waiting_by_team = unallocated_counts_by_team(user=hos)
    busiest_pk = max((k for k in waiting_by_team if k is not None), key=lambda k: waiting_by_team[k],
                     default=tm.team_id)
    busiest = Team.objects.get(pk=busiest_pk)
    log(f"bench: heaviest worker {heaviest.username}; busiest team {busiest.name}")

    if seeded_seconds is not None:
        result(f"seed_{size}_seconds", seeded_seconds, "s")
    result("worktray_contacts_in_council", contacts, "count")
    result("worktray_open_episodes_in_council", episodes, "count")
    result("worktray_open_clocks_in_council",
           Clock.objects.filter(local_authority_id=la_id, status=Clock.Status.OPEN).count(), "count")
    result("worktray_open_assessments_in_council",
           Assessment.objects.filter(local_authority_id=la_id).exclude(status=Assessment.Status.AUTHORISED).count(),
           "count")
    result("worktray_worker_items_sw_demo", worker_tray(user=sw).total, "count")
    result("worktray_worker_items_heaviest", worker_tray(user=heaviest).total, "count")
    result("worktray_team_waiting", unallocated_children(user=tm, team=tm.team).count(), "count")
    result("worktray_team_busiest_waiting", waiting_by_team.get(busiest.pk, 0), "count")
    result("worktray_service_teams", len(service_overview(user=hos).rows), "count")
    result("requests_per_page", args.requests, "count")
    result("load_average_1m_at_start", os.getloadavg()[0], "load")

    sw_client, heavy_client = logged_in_client(sw), logged_in_client(heaviest)
    tm_client, hos_client = logged_in_client(tm), logged_in_client(hos)

    def raw(sql_and_params: tuple[str, tuple[object, ...]]) -> Callable[[], None]:
        sql, params = sql_and_params

        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        return run

    clock_sql = open_clocks_for_worker(user=sw).query.sql_with_params()
    waiting_sql = unallocated_children(user=tm, team=tm.team).query.sql_with_params()

    scenarios: dict[str, tuple[Callable[[], None], bool]] = {
        "bare": (page_get(sw_client, "/bare/"), True),
        "worktray_worker": (page_get(sw_client, "/trays/mine/"), True),
        "worktray_worker_heaviest": (page_get(heavy_client, "/trays/mine/"), True),
        "worktray_team": (page_get(tm_client, f"/trays/team/{tm.team_id}/"), True),
        "worktray_team_busiest": (page_get(hos_client, f"/trays/team/{busiest.pk}/"), True),
        "worktray_service": (page_get(hos_client, "/trays/service/"), True),
        "worktray_worker_clock_sql": (raw(clock_sql), False),
        "worktray_team_waiting_sql": (raw(waiting_sql), False),
    }

    time_scenarios(scenarios, size=size, requests=args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
