"""How long ``import_people`` takes for a file of synthetic people, first import and a re-import.

Each run builds a fresh SQLite file (var/bench-import-<size>.sqlite3, Hearth's own tuning), writes a
CSV of invented people (Faker en_GB, seeded; valid NHS numbers; about 1 row in 50 deliberately bad),
and times, in the same run:

* ``import_people_validate_only``: reading and checking every row, no database (the baseline);
* ``import_people``: the whole import (checks, people and addresses with their audit history, search keys);
* ``import_people_reimport``: the same file again (every row found by external_id, nothing changed).

Sizes: small 2,000 rows, medium 20,000, large 100,000. stdout: result lines only.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.bench_pages import SIZES, configure_django, log, result  # noqa: E402

ROWS = {"small": 2_000, "medium": 20_000, "large": 100_000}


def nhs_number(rng: random.Random) -> str:
    from hearth.people.validators import nhs_number_check_digit

    while True:
        first_nine = "".join(str(rng.randint(0, 9)) for _ in range(9))
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def write_file(path: Path, rows: int, seed: int) -> None:
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "first_name", "last_name", "date_of_birth", "sex", "postcode", "nhs_number",
                         "upn", "address_line_1", "town", "ethnicity"])
        for n in range(rows):
            sex = rng.choice("MF")
            first = fake.first_name_male() if sex == "M" else fake.first_name_female()
            born = fake.date_between(start_date="-18y", end_date="-1d").isoformat()
            nhs = nhs_number(rng) if rng.random() < 0.8 else ""
            if rng.random() < 0.02:  # a recording mistake the import must reject, with its row number
                nhs = nhs[:-1] + str((int(nhs[-1]) + 1) % 10) if nhs else "123"
            writer.writerow([f"LEGACY-{n:07d}", first, fake.last_name(), born, sex, fake.postcode(), nhs, "",
                             fake.street_address().replace("\n", ", "), fake.city(),
                             rng.choice(["WBRI", "WOTH", "MWBC", "AIND", "BAFR", ""])])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=0, help="ignored (run_all.sh passes it to every bench)")
    args = parser.parse_args()
    size, rows = args.size, ROWS[args.size]

    db_path = REPO_ROOT / "var" / f"bench-import-{size}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    configure_django(db_path)

    from django.core.management import call_command

    from hearth.people.importing import clean_row, import_people, read_rows
    from hearth.tenancy.models import LocalAuthority

    log("bench: migrating a fresh database for the import")
    call_command("migrate", interactive=False, verbosity=0)
    council = LocalAuthority.objects.create(name="Import Council", ons_code="E06000018", dfe_la_number="892")
    csv_path = REPO_ROOT / "var" / f"bench-import-{size}.csv"
    log(f"bench: writing {rows} rows to {csv_path.name}")
    write_file(csv_path, rows, args.seed)

    started = time.perf_counter()
    checked = sum(1 for number, raw in read_rows(csv_path) if not isinstance(clean_row(number, raw), list))
    validate_seconds = time.perf_counter() - started

    log("bench: importing")
    started = time.perf_counter()
    first = import_people(rows=read_rows(csv_path), local_authority_id=council.pk)
    import_seconds = time.perf_counter() - started

    log("bench: importing the same file again")
    started = time.perf_counter()
    again = import_people(rows=read_rows(csv_path), local_authority_id=council.pk)
    reimport_seconds = time.perf_counter() - started

    result(f"import_people_rows_{size}", rows, "count")
    result(f"import_people_created_{size}", first.created, "count")
    result(f"import_people_rejected_{size}", len(first.rejected), "count")
    result(f"import_people_validate_only_seconds_{size}", validate_seconds, "s")
    result(f"import_people_seconds_{size}", import_seconds, "s")
    result(f"import_people_rows_per_second_{size}", int(rows / import_seconds), "count")
    result(f"import_people_vs_validate_only_{size}", import_seconds / validate_seconds, "x")
    result(f"import_people_reimport_seconds_{size}", reimport_seconds, "s")
    result(f"import_people_reimport_unchanged_{size}", again.unchanged, "count")
    assert checked == first.created and again.created == 0 and again.updated == 0
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    csv_path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
