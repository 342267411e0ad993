"""p50/p95 of My work and the child record with the demo council loaded, against baselines.

Everything runs in one process through django.test.Client (no network): middleware, sessions,
templates and the database are all included. Baselines measured in the same run:

* ``bare``: a view returning HttpResponse("ok") behind the same middleware (bench/bare_urls.py);
* ``my_work_alloc_sql``: the single SQL query behind My work's "My children" list, run raw.

stdout carries only result lines, ``name value unit``; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

if TYPE_CHECKING:
    from django.test import Client

    from hearth.accounts.models import User

SIZES = ("small", "medium", "large")
WARMUP = 20
CHILD_SAMPLE = 50


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def result(name: str, value: float, unit: str) -> None:
    text = str(value) if isinstance(value, int) else f"{value:.2f}"
    print(f"{name} {text} {unit}", flush=True)


def database_path(size: str, seed: int) -> Path:
    return REPO_ROOT / "var" / f"bench-{size}-seed{seed}.sqlite3"


def configure_django(db_path: Path) -> None:
    """Dev settings, pointed at the bench's own SQLite file, with DEBUG off for timing.

    Why not DATABASE_URL=sqlite:///...: base.database_from_env would hand that to
    dj_database_url, which drops the WAL / synchronous / busy_timeout pragmas and the
    IMMEDIATE transaction mode, so we would time a differently tuned database. Instead we
    make sure DATABASE_URL is unset, let the settings module load, and replace DATABASES with
    base.database_from_env(<bench path>) -- the very dict Hearth uses for its own SQLite file,
    only with another NAME -- before django.setup(). Nothing has opened a connection yet
    (django.db.connections reads settings.DATABASES lazily), so the override holds.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "hearth.settings.dev"
    os.environ.pop("DATABASE_URL", None)

    import django
    from django.conf import settings

    from hearth.settings.base import database_from_env

    settings.DATABASES = {"default": database_from_env(db_path)}
    settings.DEBUG = False  # no query logging, no debug tracebacks: as in production
    settings.WHITENOISE_AUTOREFRESH = False  # dev-only file rescans; production serves a fixed set
    settings.ROOT_URLCONF = "bench.bare_urls"  # hearth.urls plus /bare/
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    django.setup()

    from django.urls import clear_url_caches

    clear_url_caches()


def ensure_council(size: str, seed: int) -> float | None:
    """Migrate if needed; seed the council if the file has none. Seconds spent seeding, or None."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from hearth.tenancy.models import LocalAuthority

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        log("bench: migrating the bench database")
        call_command("migrate", interactive=False, verbosity=0)
    if LocalAuthority.objects.exists():
        return None
    log(f"bench: seeding a {size} council (seed {seed}); this can take a while")
    started = time.perf_counter()
    call_command("seed_demo", size=size, seed=seed, stdout=sys.stderr)
    return time.perf_counter() - started


def percentile(samples: list[float], pct: int) -> float:
    """The pct-th percentile (1..99), inclusive method: a cut point within the observed range."""
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def logged_in_client(user: User) -> Client:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def page_get(client: Client, url: str) -> Callable[[], None]:
    """One timed unit of work: GET a page, stopping the bench if it does not answer 200."""

    def run() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"bench: GET {url} returned {response.status_code}")

    return run


def open_council(db_path: Path, size: str, seed: int, *, reseed: bool = False) -> float | None:
    """Point Django at this bench database and seed the council on first use (or again, with ``reseed``).

    Returns the seconds seeding took, or None when the council was already there.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if reseed:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    log(f"bench: database {db_path}")
    configure_django(db_path)
    return ensure_council(size, seed)


def time_scenarios(scenarios: dict[str, tuple[Callable[[], None], bool]], *, size: str, requests: int) -> None:
    """Count each page's queries once, warm up, then time interleaved rounds and print p50/p95.

    ``scenarios`` maps name -> (one timed unit of work, counts SQL queries as a page?); it must hold "bare".
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, (run, is_page) in scenarios.items():
        if is_page:
            with CaptureQueriesContext(connection) as queries:
                run()
            result(f"{name}_queries_{size}", len(queries.captured_queries), "count")

    log(f"bench: warming up ({WARMUP} rounds)")
    for _ in range(WARMUP):
        for run, _is_page in scenarios.values():
            run()

    # Interleaved rounds: drift in machine load hits every scenario alike, so ratios stay fair.
    log(f"bench: timing {requests} rounds of {len(scenarios)} scenarios")
    # Wall time is what a user waits; CPU time of this process barely moves when other work
    # competes for the CPU, so it is the steadier figure on a busy machine.
    timings: dict[str, list[float]] = {name: [] for name in scenarios}
    cpu_timings: dict[str, list[float]] = {name: [] for name in scenarios}
    for _ in range(requests):
        for name, (run, _is_page) in scenarios.items():
            cpu_started = time.process_time_ns()
            started = time.perf_counter_ns()
            run()
            timings[name].append((time.perf_counter_ns() - started) / 1e6)
            cpu_timings[name].append((time.process_time_ns() - cpu_started) / 1e6)

    bare_p50 = percentile(timings["bare"], 50)
    for name, samples in timings.items():
        p50 = percentile(samples, 50)
        result(f"{name}_p50_{size}", p50, "ms")
        result(f"{name}_p95_{size}", percentile(samples, 95), "ms")
        result(f"{name}_cpu_p50_{size}", percentile(cpu_timings[name], 50), "ms")
        if name != "bare":
            result(f"{name}_vs_bare_p50_{size}", p50 / bare_p50, "x")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=SIZES, default="medium")
    parser.add_argument("--seed", type=int, default=1, help="seed for the council and for sampling children")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (after warm-up)")
    args = parser.parse_args()
    if args.requests < 2:
        parser.error("--requests must be at least 2")
    size: str = args.size

    seeded_seconds = open_council(database_path(size, args.seed), size, args.seed)

    from django.db import connection
    from django.db.models import Count, Q

    from hearth.access.models import AccessEvent
    from hearth.access.selectors import people_visible_to
    from hearth.accounts.models import User
    from hearth.allocations.models import Allocation
    from hearth.allocations.selectors import current_allocations_for_worker
    from hearth.people.models import Person

    sw = User.objects.select_related("team").get(username="sw.demo")
    la_id = sw.local_authority_id
    heaviest = (
        User.objects.filter(local_authority_id=la_id)
        .annotate(open_allocations=Count("allocations", filter=Q(allocations__ended_on__isnull=True)))
        .order_by("-open_allocations", "pk")
        .first()
    )
    assert heaviest is not None
    log(f"bench: heaviest worker is {heaviest.username} ({heaviest.role}, team {heaviest.team})")

    if sw.team is None:
        raise SystemExit("bench: sw.demo has no team; is the council seeded?")
    team_children = Allocation.objects.filter(team=sw.team, ended_on__isnull=True).values("child_id")
    candidates = sorted(
        people_visible_to(user=sw).filter(pk__in=team_children).values_list("pk", flat=True)
    )
    if not candidates:
        raise SystemExit("bench: sw.demo's team has no visible children; is the council seeded?")
    rng = random.Random(args.seed)
    sample = rng.sample(candidates, min(CHILD_SAMPLE, len(candidates)))
    # Children with casework (an open referral; a plan where there is one), for the Social care tab.
    from hearth.cin.models import CINEpisode
    from hearth.protection.models import ChildProtectionPlan

    on_plan = set(ChildProtectionPlan.objects.filter(child_id__in=candidates, ended_on__isnull=True)
                  .values_list("child_id", flat=True))
    open_cases = sorted(set(CINEpisode.objects.filter(child_id__in=candidates, closed_on__isnull=True)
                            .values_list("child_id", flat=True)) | on_plan)
    casework_sample = rng.sample(open_cases, min(CHILD_SAMPLE, len(open_cases))) or sample

    # Data size, so figures from different councils are never compared blind.
    if seeded_seconds is not None:
        result(f"seed_{size}_seconds", seeded_seconds, "s")
    result("children_in_council", Person.objects.filter(local_authority_id=la_id).count(), "count")
    result("staff_in_council", User.objects.filter(local_authority_id=la_id).count(), "count")
    result("allocations_in_council", Allocation.objects.filter(local_authority_id=la_id).count(), "count")
    result(
        "open_allocations_in_council",
        Allocation.objects.filter(local_authority_id=la_id, ended_on__isnull=True).count(),
        "count",
    )
    result("access_events_before_run", AccessEvent.objects.filter(local_authority_id=la_id).count(), "count")
    result("my_work_children_sw_demo", len(current_allocations_for_worker(user=sw)), "count")
    result("my_work_children_heaviest", len(current_allocations_for_worker(user=heaviest)), "count")
    result("child_record_sample_children", len(sample), "count")
    result("social_care_sample_children", len(casework_sample), "count")
    result("social_care_sample_on_cp_plan", len(on_plan & set(casework_sample)), "count")
    result("requests_per_page", args.requests, "count")
    # Other work on the machine (tests, servers) shows up in p95; record how busy it was.
    result("load_average_1m_at_start", os.getloadavg()[0], "load")

    sw_client = logged_in_client(sw)
    heavy_client = logged_in_client(heaviest)

    def child_record() -> None:
        page_get(sw_client, f"/children/{rng.choice(sample)}/")()

    def social_care_tab() -> None:
        page_get(sw_client, f"/children/{rng.choice(casework_sample)}/cin/")()

    alloc_sql, alloc_params = current_allocations_for_worker(user=sw).query.sql_with_params()

    def alloc_query() -> None:
        with connection.cursor() as cursor:
            cursor.execute(alloc_sql, alloc_params)
            cursor.fetchall()

    # name -> (one timed unit of work, counts SQL queries as a page?)
    scenarios: dict[str, tuple[Callable[[], None], bool]] = {
        "bare": (page_get(sw_client, "/bare/"), True),
        "my_work": (page_get(sw_client, "/"), True),
        "my_work_heaviest": (page_get(heavy_client, "/"), True),
        "child_record": (child_record, True),
        "child_social_care": (social_care_tab, True),
        "my_work_alloc_sql": (alloc_query, False),
    }

    time_scenarios(scenarios, size=size, requests=args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
