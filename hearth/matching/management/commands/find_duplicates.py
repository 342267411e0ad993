from __future__ import annotations

import csv
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.matching.linkage import DEFAULT_THRESHOLD
from hearth.matching.models import DuplicateCandidate
from hearth.matching.services import linkage_run
from hearth.tenancy.models import LocalAuthority

COLUMNS = ["person_id_left", "person_id_right", "external_id_left", "external_id_right", "match_probability"]


class Command(BaseCommand):
    help = ("Run probabilistic record linkage over a council's people, store the likely duplicates for review "
            "and write them to a CSV file.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="CSV file to write the likely duplicate pairs to")
        parser.add_argument("--council", help="ONS code of the council (needed when more than one is loaded)")
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                            help=f"Lowest match probability reported (default {DEFAULT_THRESHOLD})")

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if not 0 < threshold <= 1:
            raise CommandError("--threshold must be more than 0 and at most 1")
        councils = LocalAuthority.objects.all()
        if options["council"]:
            councils = councils.filter(ons_code=options["council"])
        found = list(councils[:2])
        if not found:
            raise CommandError("No council found" + (f" with ONS code {options['council']}" if options["council"]
                                                     else "; load one first"))
        if len(found) > 1:
            raise CommandError("More than one council is loaded: name one with --council ONS_CODE")
        council = found[0]
        started = time.perf_counter()
        run = linkage_run(local_authority=council, by="find_duplicates", threshold=threshold)
        pairs = (
            DuplicateCandidate.objects.filter(run=run, match_probability__gte=threshold)
            .order_by("-match_probability", "left_id", "right_id")
            .values_list("left_id", "right_id", "left__external_id", "right__external_id", "match_probability")
        )
        written = 0
        with open(options["output"], "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for left, right, ext_left, ext_right, probability in pairs.iterator(chunk_size=2000):
                writer.writerow([left, right, ext_left, ext_right, f"{probability:.6f}"])
                written += 1
        elapsed = time.perf_counter() - started
        # A summary only: counts, never names.
        self.stderr.write(f"find_duplicates: {run.people_compared} people, {written} pairs, {elapsed:.1f} seconds",
                          style_func=lambda text: text)
