"""The director's improvement board (and the head of service's dashboard) at size, cold and warm.

Runs on its own COPY of the bench council (``var/bench-<size>-seed<N>.sqlite3`` copied to
``var/bench-dashboards-<size>-seed<N>.sqlite3`` with SQLite's backup API, then migrated), so the shared
file is never written (with no original, a council is seeded straight into the copy). On first use the copy
gets what a council's performance pages read: population estimates, 24 frozen month ends and targets, from
``hearth.demo.indicators.seed_indicators``.

Everything goes through ``django.test.Client`` as ``dcs.demo`` (the director): middleware, sessions,
templates and the database. Baselines in the same run:

* ``base_page``: a view that only renders ``base.html`` (the layout every page pays for);
* ``bare``: a view returning ``HttpResponse("ok")``.

Result lines (stdout, ``name value unit``):

* ``dashboard_director_cold_<size>``: the board with every cache empty (figures, trends, benchmarks);
* ``dashboard_director_warm_<size>`` (p50) and ``..._warm_p95_<size>``: the board again, cached;
* ``dashboard_director_queries_warm_<size>``: SQL queries in one warm request;
* ``dashboard_service_cold_<size>``, ``dashboard_service_warm_<size>``: the head of service's dashboard
  (as ``hos.demo``) after the board has warmed the shared figures, then again;
* ``base_page_<size>``, ``bare_<size>`` (p50) and ``dashboard_director_warm_vs_base_<size>`` (x).
Goal: the board warm under 300 ms.
"""

from __future__ import annotations

import argparse
import sys
import time
import types
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.bench_indicators import private_copy  # noqa: E402
from bench.bench_pages import SIZES, log, logged_in_client, open_council, percentile, result  # noqa: E402

WARM_REQUESTS = 30


def seed_performance(size: str, seed: int) -> None:
    """Population, snapshots and targets, once per copy."""
    from django.db import transaction
    from django.utils import timezone

    from hearth.demo.indicators import seed_indicators
    from hearth.indicators.models import IndicatorSnapshot
    from hearth.tenancy.models import LocalAuthority

    la = LocalAuthority.objects.order_by("pk").first()
    if la is None:
        raise SystemExit("bench: the bench database has no council")
    if IndicatorSnapshot.objects.filter(local_authority=la).exists():
        return
    log("bench: freezing 24 month ends and setting targets (several minutes at large)")
    started = time.perf_counter()
    with transaction.atomic():
        rows = seed_indicators(la=la, seed=seed, today=timezone.localdate(), size=size)
    log(f"bench: {rows} rows in {time.perf_counter() - started:.0f} s")


def base_page_urls() -> types.ModuleType:
    """Hearth's URLs plus /bare/ and /base-page/ (the layout alone), as a module for ROOT_URLCONF."""
    from django.shortcuts import render
    from django.urls import path

    from bench.bare_urls import urlpatterns as bare_patterns

    def base_page(request):
        return render(request, "base.html", {})

    module = types.ModuleType("bench_dashboards_urls")
    module.urlpatterns = [path("base-page/", base_page), *bare_patterns]
    return module


def timed(client, url: str) -> float:
    started = time.perf_counter_ns()
    response = client.get(url)
    elapsed = (time.perf_counter_ns() - started) / 1e6
    if response.status_code != 200:
        raise SystemExit(f"bench: GET {url} returned {response.status_code}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=WARM_REQUESTS,
                        help=f"warm requests per page (at most {WARM_REQUESTS * 4})")
    args = parser.parse_args()
    size: str = args.size
    requests = max(5, min(args.requests, WARM_REQUESTS * 4))

    open_council(private_copy(size, args.seed, "dashboards"), size, args.seed)
    seed_performance(size, args.seed)

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import clear_url_caches

    from hearth.accounts.models import User

    settings.ROOT_URLCONF = base_page_urls()
    clear_url_caches()

    director = User.objects.get(username="dcs.demo")
    head = User.objects.get(username="hos.demo")
    director_client = logged_in_client(director)
    head_client = logged_in_client(head)
    board, service = "/performance/board/", "/performance/service/"

    cache.clear()
    log("bench: the board, cold")
    cold = timed(director_client, board)
    with CaptureQueriesContext(connection) as warm_queries:
        timed(director_client, board)
    warm_query_count = len(warm_queries.captured_queries)  # now: the next request clears the log
    log("bench: the service dashboard, cold")
    service_cold = timed(head_client, service)

    for _ in range(5):  # warm-up: templates, connections
        for client, url in ((director_client, "/base-page/"), (director_client, "/bare/")):
            timed(client, url)
    samples: dict[str, list[float]] = {"board": [], "service": [], "base": [], "bare": []}
    log(f"bench: {requests} warm rounds")
    for _ in range(requests):  # interleaved, so load on the machine hits each alike
        samples["board"].append(timed(director_client, board))
        samples["service"].append(timed(head_client, service))
        samples["base"].append(timed(director_client, "/base-page/"))
        samples["bare"].append(timed(director_client, "/bare/"))

    warm = percentile(samples["board"], 50)
    base = percentile(samples["base"], 50)
    result(f"dashboard_director_cold_{size}", cold, "ms")
    result(f"dashboard_director_warm_{size}", warm, "ms")
    result(f"dashboard_director_warm_p95_{size}", percentile(samples["board"], 95), "ms")
    result(f"dashboard_director_queries_warm_{size}", warm_query_count, "count")
    result(f"dashboard_service_cold_{size}", service_cold, "ms")
    result(f"dashboard_service_warm_{size}", percentile(samples["service"], 50), "ms")
    result(f"base_page_{size}", base, "ms")
    result(f"bare_{size}", percentile(samples["bare"], 50), "ms")
    result(f"dashboard_director_warm_vs_base_{size}", warm / base, "x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
