"""p50/p95 of person search with a large council loaded, against an indexed-lookup baseline.

300 searches (``--requests``) of mixed kinds, as the demo social worker: full name, misspelt
name, surname only, partial date of birth, postcode, NHS number. Each is timed through
``search_people`` and through the page (``GET /search/?q=``, django.test.Client, whole
middleware stack). The baseline is the SQL of one indexed NameKey lookup, run raw.

Data: the bench's own SQLite file, ``var/bench-search-<size>-seed<N>.sqlite3``. It is seeded
with ``seed_demo --size <size> --seed <N>``; if that council holds fewer people than the size's
target (200,000 for large), the bench tops it up with Faker en_GB people (names, dates of birth,
NHS numbers, addresses with some moves, some previous surnames), bulk-created, and rebuilds the
name keys. ``people_from_seed_demo`` and ``people_added_by_bench`` say which data was measured.

stdout carries only result lines, ``name value unit``; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.bench_pages import SIZES, log, logged_in_client, open_council, percentile, result  # noqa: E402

TARGET_PEOPLE = {"small": 5_000, "medium": 65_000, "large": 200_000}
KINDS = ("full_name", "misspelt_name", "surname", "partial_dob", "postcode", "nhs_number")
WARMUP = 20
BATCH = 5000
# external_id prefix of the people this bench adds, so later runs can tell them from seed_demo's.
BENCH_MARK = "bench-search-"


def database_path(size: str, seed: int) -> Path:
    return REPO_ROOT / "var" / f"bench-search-{size}-seed{seed}.sqlite3"


def _nhs_number(rng: random.Random) -> str:
    from hearth.people.validators import nhs_number_check_digit

    while True:
        first_nine = f"{rng.randint(400_000_000, 999_999_999)}"
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def _postcode(rng: random.Random) -> str:
    areas = ["NG", "B", "DE", "LE", "S", "M", "LS", "CV", "WS", "DY"]
    inward_letters = "ABDEFGHJLNPQRSTUWXYZ"
    return (f"{rng.choice(areas)}{rng.randint(1, 30)} {rng.randint(0, 9)}"
            f"{rng.choice(inward_letters)}{rng.choice(inward_letters)}")


def top_up(local_authority_id: int, wanted: int, seed: int) -> int:
    """Bulk-create synthetic people (Faker en_GB names) until the council holds ``wanted``."""
    from django.db import transaction
    from faker import Faker

    from hearth.audit.actor import acting_as
    from hearth.people.models import Address, Person, PersonName

    have = Person.objects.filter(local_authority_id=local_authority_id).count()
    missing = wanted - have
    if missing <= 0:
        return 0
    log(f"bench: adding {missing} synthetic people (Faker en_GB) to reach {wanted}")
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    provider = fake.provider("faker.providers.person")
    assert provider is not None
    female = list(provider.first_names_female)
    male = list(provider.first_names_male)
    # en_GB surnames come with their frequency in the population (Smith common, Savage rare).
    surname_table = dict(provider.last_names)
    surnames = list(surname_table)
    surname_weights = list(surname_table.values())
    postcodes = [_postcode(rng) for _ in range(max(1000, wanted // 12))]
    today = date.today()
    created = 0
    with acting_as("bench_search"):
        while created < missing:
            n = min(BATCH, missing - created)
            people: list[Person] = []
            for _ in range(n):
                sex = rng.choice("MF")
                first = rng.choice(female if sex == "F" else male)
                last = rng.choices(surnames, weights=surname_weights)[0]
                born = today - timedelta(days=rng.randint(0, 45 * 365))
                people.append(Person(
                    local_authority_id=local_authority_id, first_name=first, last_name=last, sex=sex,
                    external_id=f"{BENCH_MARK}{have + created + len(people)}",
                    middle_names=rng.choice(female if sex == "F" else male) if rng.random() < 0.4 else "",
                    date_of_birth=born, nhs_number=_nhs_number(rng) if rng.random() < 0.85 else "",
                ))
            with transaction.atomic():
                saved = Person.objects.bulk_create(people, batch_size=1000)
                addresses = []
                names = []
                for person in saved:
                    moved = rng.random() < 0.25
                    if moved:
                        addresses.append(Address(
                            local_authority_id=local_authority_id, person=person, line_1=fake.street_address(),
                            town="Nottingham", postcode=rng.choice(postcodes),
                            moved_in_on=person.date_of_birth, moved_out_on=today - timedelta(days=rng.randint(30, 900)),
                        ))
                    if rng.random() < 0.92:
                        addresses.append(Address(
                            local_authority_id=local_authority_id, person=person, line_1=fake.street_address(),
                            town="Nottingham", postcode=rng.choice(postcodes),
                        ))
                    if rng.random() < 0.05:
                        names.append(PersonName(local_authority_id=local_authority_id, person=person,
                                                kind=PersonName.Kind.PREVIOUS, last_name=rng.choice(surnames)))
                Address.objects.bulk_create(addresses, batch_size=1000)
                PersonName.objects.bulk_create(names, batch_size=1000)
            created += n
            log(f"bench: {have + created} people")
    return created


def typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: two letters swapped, one dropped, doubled or changed."""
    if len(word) < 4:
        return word + word[-1]
    i = rng.randint(1, len(word) - 2)
    kind = rng.choice(("swap", "drop", "double", "change"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    vowels = "aeiou"
    replacement = rng.choice(vowels if word[i] in vowels else "bcdfghklmnprst")
    return word[:i] + replacement + word[i + 1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=300, help="timed searches (after warm-up)")
    args = parser.parse_args()
    if args.requests < 2:
        parser.error("--requests must be at least 2")
    size: str = args.size

    seeded_seconds = open_council(database_path(size, args.seed), size, args.seed)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hearth.accounts.models import User
    from hearth.people.models import Address, Person
    from hearth.search.models import NameKey
    from hearth.search.selectors import likely_matches, search_people
    from hearth.search.services import name_keys_rebuild

    sw = User.objects.select_related("local_authority").get(username="sw.demo")
    la = sw.local_authority
    assert la is not None
    top_up(la.pk, TARGET_PEOPLE[size], args.seed)
    added = Person.objects.filter(local_authority=la, external_id__startswith=BENCH_MARK).count()
    from_seed = Person.objects.filter(local_authority=la).count() - added
    # Always timed: building a whole council's keys from nothing must stay well under a minute;
    # a rebuild when nothing changed only reads.
    people_count = Person.objects.filter(local_authority=la).count()
    log("bench: building the name keys from nothing")
    NameKey.objects.filter(local_authority=la).delete()
    started = time.perf_counter()
    name_keys_rebuild(local_authority=la)
    build_seconds = time.perf_counter() - started
    log("bench: rebuilding the name keys (nothing changed)")
    started = time.perf_counter()
    name_keys_rebuild(local_authority=la)
    rebuild_seconds = time.perf_counter() - started
    connection.cursor().execute("ANALYZE")

    # Queries drawn from people the worker may see, so every search has a right answer.
    rng = random.Random(args.seed)
    from hearth.access.selectors import people_visible_to

    visible_ids = list(people_visible_to(user=sw).values_list("pk", flat=True))
    sample_ids = rng.sample(visible_ids, min(2000, len(visible_ids)))
    sample = list(Person.objects.filter(pk__in=sample_ids).values(
        "pk", "first_name", "last_name", "date_of_birth", "nhs_number"))
    postcodes = dict(Address.objects.filter(person_id__in=sample_ids, moved_out_on__isnull=True)
                     .values_list("person_id", "postcode"))

    def query_for(kind: str) -> tuple[str, int]:
        while True:
            p = rng.choice(sample)
            first, last = p["first_name"].split()[0], p["last_name"]
            if kind == "full_name":
                return f"{first} {last}", p["pk"]
            if kind == "misspelt_name":
                if rng.random() < 0.5:
                    return f"{typo(rng, first.lower())} {last}", p["pk"]
                return f"{first} {typo(rng, last.lower())}", p["pk"]
            if kind == "surname":
                return last, p["pk"]
            if kind == "partial_dob" and p["date_of_birth"]:
                return f"{p['date_of_birth'].month}/{p['date_of_birth'].year}", p["pk"]
            if kind == "postcode" and p["pk"] in postcodes:
                return postcodes[p["pk"]], p["pk"]
            if kind == "nhs_number" and p["nhs_number"]:
                n = p["nhs_number"]
                return f"{n[:3]} {n[3:6]} {n[6:]}", p["pk"]

    plan = [(kind, *query_for(kind)) for kind in (KINDS[i % len(KINDS)] for i in range(args.requests))]
    warm = [(kind, *query_for(kind)) for kind in (KINDS[i % len(KINDS)] for i in range(WARMUP))]

    if seeded_seconds is not None:
        result(f"seed_{size}_seconds", seeded_seconds, "s")
    result("people_in_council", people_count, "count")
    result("people_from_seed_demo", from_seed, "count")
    result("people_added_by_bench", added, "count")
    result("name_keys_in_council", NameKey.objects.filter(local_authority=la).count(), "count")
    result(f"name_keys_build_{size}_seconds", build_seconds, "s")
    result(f"name_keys_rebuild_unchanged_{size}_seconds", rebuild_seconds, "s")
    result("searches", len(plan), "count")
    result("load_average_1m_at_start", os.getloadavg()[0], "load")

    client = logged_in_client(sw)

    def via_selector(query: str) -> list[int]:
        return [h.person.pk for h in search_people(user=sw, query=query)]

    def via_page(query: str) -> None:
        response = client.get("/search/", {"q": query})
        if response.status_code != 200:
            raise SystemExit(f"bench: GET /search/?q={query} returned {response.status_code}")

    key_sql, key_params = (NameKey.objects.filter(local_authority=la, kind=NameKey.Kind.EXACT, key="smith")
                           .values_list("person_id").query.sql_with_params())

    def baseline(_query: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(key_sql, key_params)
            cursor.fetchall()

    with CaptureQueriesContext(connection) as queries:
        via_selector(plan[0][1])
    result(f"search_queries_{size}", len(queries.captured_queries), "count")
    with CaptureQueriesContext(connection) as queries:
        via_page(plan[0][1])
    result(f"search_page_queries_{size}", len(queries.captured_queries), "count")

    log(f"bench: warming up ({WARMUP} searches)")
    for _kind, query, _pk in warm:
        via_selector(query)
        via_page(query)

    scenarios: dict[str, Callable[[str], list[int] | None]] = {"search": via_selector, "search_page": via_page,
                                                     "namekey_sql": baseline}
    timings: dict[str, dict[str, list[float]]] = {name: {k: [] for k in KINDS} for name in scenarios}
    # CPU time of this process barely moves when other work competes for the CPU: the steadier figure.
    cpu_timings: dict[str, list[float]] = {name: [] for name in scenarios}
    found: dict[str, list[bool]] = {k: [] for k in KINDS}
    log(f"bench: timing {len(plan)} searches")
    for kind, query, pk in plan:
        for name, run in scenarios.items():
            cpu_started = time.process_time_ns()
            started = time.perf_counter_ns()
            out = run(query)
            timings[name][kind].append((time.perf_counter_ns() - started) / 1e6)
            cpu_timings[name].append((time.process_time_ns() - cpu_started) / 1e6)
            if out is not None:
                found[kind].append(pk in out)

    for name in scenarios:
        every = [t for samples in timings[name].values() for t in samples]
        result(f"{name}_p50_{size}", percentile(every, 50), "ms")
        result(f"{name}_p95_{size}", percentile(every, 95), "ms")
        result(f"{name}_cpu_p50_{size}", percentile(cpu_timings[name], 50), "ms")
        result(f"{name}_cpu_p95_{size}", percentile(cpu_timings[name], 95), "ms")
        if name == "namekey_sql":
            continue
        for kind, samples in timings[name].items():
            result(f"{name}_{kind}_p50_{size}", percentile(samples, 50), "ms")
            result(f"{name}_{kind}_p95_{size}", percentile(samples, 95), "ms")
    # The check before a new record: the same person typed in again (name, date of birth,
    # postcode) must come back first.
    likely_times: list[float] = []
    likely_top: list[bool] = []
    for p in rng.sample(sample, min(len(sample), max(20, args.requests // 3))):
        started = time.perf_counter_ns()
        suggested = likely_matches(user=sw, first_name=p["first_name"], last_name=p["last_name"],
                              date_of_birth=p["date_of_birth"], postcode=postcodes.get(p["pk"], ""))
        likely_times.append((time.perf_counter_ns() - started) / 1e6)
        likely_top.append(bool(suggested) and suggested[0].person.pk == p["pk"])
    result(f"likely_matches_p50_{size}", percentile(likely_times, 50), "ms")
    result(f"likely_matches_p95_{size}", percentile(likely_times, 95), "ms")
    result(f"likely_matches_same_person_first_rate_{size}", sum(likely_top) / len(likely_top), "x")
    # How often the person the query was made from is among the results shown (the best 50).
    # Partial dates, postcodes and surnames alone often match more than 50 people.
    for kind, hits in found.items():
        result(f"search_{kind}_found_rate_{size}", sum(hits) / len(hits), "x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
