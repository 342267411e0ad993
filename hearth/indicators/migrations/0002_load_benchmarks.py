"""Load DfE's published benchmark figures and statistical neighbours from the project table
(``hearth/indicators/data/``, see its README.md), so every new database, test databases included,
starts with them. Adds only rows that are missing: a newer ``import_benchmarks`` always wins.
"""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from hearth.indicators.benchmark_sources import load_project_table

    load_project_table(figure_model=apps.get_model("indicators", "BenchmarkFigure"),
                       neighbour_model=apps.get_model("indicators", "StatisticalNeighbour"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
