"""How long ``seed_demo`` takes to load a synthetic council, and how big the council is.

Seeds small and medium, each into its own fresh SQLite file (migrated first; only the seed is
timed), and large too when asked (``--size large`` or ``SIZE=large``), since that takes minutes.
The large council is kept at ``var/bench-large-seed<N>.sqlite3`` -- the file bench_pages.py and
the search and duplicate benches reuse -- unless that file already exists, in which case the
timing run uses a throwaway file and the existing council is left alone. Small and medium files
are always thrown away.

What the sizes are (see hearth.demo.council): small ~300 children known over five years and 150
open cases; medium (Nottingham) ~25,000 children known, 3,500 open cases, 600 in care; large
(Birmingham) ~100,000 children known, 14,000 open cases, 2,000 in care.

stdout carries only result lines, ``name value unit``; progress and the seed's own output go to stderr:

* ``seed_<size>_seconds``: wall-clock time of ``seed_demo --size <size>``;
* ``seed_<size>_cpu_seconds``: CPU time of that process meanwhile (steadier on a shared machine);
* ``people_<size>``: Person rows; ``children_known_<size>``: children with an allocation in five
  years (planted duplicate records not counted); ``planted_duplicates_<size>``;
* ``rows_written_<size>``: rows the seed added across all tables, history (ChangeRecord) and search keys included;
* ``contacts_<size>``, ``referrals_<size>``, ``cp_plans_open_<size>``, ``clocks_open_<size>``: the casework;
* ``load_average_1m_<size>``: machine load when that seed started.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.bench_pages import SIZES, configure_django, database_path, log, result  # noqa: E402


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _row_counts() -> int:
    from django.apps import apps

    return sum(model._base_manager.count() for model in apps.get_models() if not model._meta.proxy)


def worker(size: str, seed: int, db_path: Path) -> int:
    """Runs in a child process: one Django setup per database."""
    configure_django(db_path)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    before = _row_counts()
    load = os.getloadavg()[0]
    log(f"bench: seeding a {size} council (seed {seed}) into {db_path}")
    cpu_started, started = time.process_time(), time.perf_counter()
    call_command("seed_demo", size=size, seed=seed, stdout=sys.stderr)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    from hearth.demo.models import PlantedDuplicate
    from hearth.people.models import Person

    duplicates = PlantedDuplicate.objects.count()
    known = Person.objects.filter(allocations__isnull=False).distinct().count() - duplicates
    result(f"seed_{size}_seconds", seconds, "s")
    result(f"seed_{size}_cpu_seconds", cpu, "s")
    result(f"people_{size}", Person.objects.count(), "count")
    result(f"children_known_{size}", known, "count")
    result(f"planted_duplicates_{size}", duplicates, "count")
    result(f"rows_written_{size}", _row_counts() - before, "count")

    from hearth.cin.models import CINEpisode
    from hearth.clocks.models import Clock
    from hearth.front_door.models import Contact
    from hearth.protection.models import ChildProtectionPlan

    result(f"contacts_{size}", Contact.objects.count(), "count")
    result(f"referrals_{size}", CINEpisode.objects.count(), "count")
    result(f"cp_plans_open_{size}", ChildProtectionPlan.objects.filter(ended_on=None).count(), "count")
    result(f"clocks_open_{size}", Clock.objects.filter(status="open").count(), "count")
    result(f"load_average_1m_{size}", load, "load")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default=os.environ.get("SIZE", "medium"),
                        help="the largest size to seed (large only when asked: it takes minutes)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=0, help="ignored; run_all.sh passes it to every bench")
    parser.add_argument("--worker", choices=SIZES, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.seed, args.db)

    sizes = list(SIZES[: SIZES.index(args.size) + 1])
    (REPO_ROOT / "var").mkdir(exist_ok=True)
    for size in sizes:
        keep = database_path(size, args.seed)
        throwaway = size != "large" or keep.exists()
        db_path = REPO_ROOT / "var" / f"bench-seed-{size}-{os.getpid()}.sqlite3" if throwaway else keep
        if not throwaway:
            log(f"bench: the large council stays at {keep} for the other benches")
        _remove(db_path)
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--worker", size, "--seed", str(args.seed), "--db", str(db_path)],
                check=False,
            )
        finally:
            if throwaway:
                _remove(db_path)
        if done.returncode != 0:
            if not throwaway:
                _remove(db_path)
            log(f"bench: seeding {size} failed")
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
