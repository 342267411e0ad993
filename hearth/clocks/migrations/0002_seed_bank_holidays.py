"""Seed England and Wales bank holidays 2015-2035 from the ``holidays`` package (GB, subdiv ENG).

Weekend dates are stored too; they are harmless to working-day arithmetic. Adds only dates
that are missing, so running it over an edited table changes nothing.
"""

from django.db import migrations

from hearth.clocks.seeding import add_missing

YEARS = range(2015, 2036)


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    add_missing(apps.get_model("clocks", "BankHoliday"), YEARS)


class Migration(migrations.Migration):
    dependencies = [("clocks", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
