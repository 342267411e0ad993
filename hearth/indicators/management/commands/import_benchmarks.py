"""python manage.py import_benchmarks PATH [--write-project-table] [--model-year YEAR]

PATH is a folder laid out like ``../shared/data/benchmarks`` or one newer DfE file: LAIT's long Parquet
file, an Explore Education Statistics CSV, or a statistical neighbour workbook (.xlsx or .csv).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.indicators.benchmark_sources import (
    DATA_DIR,
    FIGURES_FILE,
    NEIGHBOURS_FILE,
    SourceError,
    import_figures,
    merge,
    read_path,
    read_project_table,
    write_project_table,
)


class Command(BaseCommand):
    help = ("Load DfE's published figures (LAIT, Explore Education Statistics) and statistical neighbours from "
            "PATH into the database: the same measure, year and area is replaced, everything else stays. "
            "Refuses, changing nothing, a file it cannot read or whose columns are not DfE's.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A folder of DfE files, or one file")
        parser.add_argument("--write-project-table", action="store_true",
                            help="Also fold PATH into the project table in hearth/indicators/data/ (the figures "
                                 "every new database starts with); see that folder's README.md")
        parser.add_argument("--model-year", type=int, default=None,
                            help="The statistical neighbour model year, for a neighbour file whose name does "
                                 "not say it")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        path = Path(options["path"])
        try:
            reads = read_path(path, model_year=options["model_year"])
        except SourceError as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        for read in reads:
            self.stdout.write(read.summary())
        useful = [r for r in reads if r.figures or r.neighbours]
        if not useful:
            raise CommandError(f"Nothing was imported: {path} holds no DfE file Hearth reads.")
        figures, neighbours = merge(useful)
        counts = import_figures(figures=figures.values(), neighbours=neighbours.values())
        self.stdout.write(counts.summary())
        if options["write_project_table"]:
            held_figures, held_neighbours = read_project_table(DATA_DIR)
            table, table_neighbours = merge(useful, {f.key: f for f in held_figures},
                                            {n.key: n for n in held_neighbours})
            try:
                sizes = write_project_table(table.values(), table_neighbours.values(), DATA_DIR)
            except (SourceError, OSError) as error:
                raise CommandError(f"The database was updated but the project table was not written: {error}"
                                   ) from None
            self.stdout.write(f"Project table {DATA_DIR}: {FIGURES_FILE} {len(table):,} figures "
                              f"({sizes[FIGURES_FILE]:,} bytes), {NEIGHBOURS_FILE} {len(table_neighbours):,} "
                              f"neighbours ({sizes[NEIGHBOURS_FILE]:,} bytes)")
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s")
