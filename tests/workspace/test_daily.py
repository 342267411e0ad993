from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_the_daily_jobs_each_run_and_print_only_counts(db, la):
    out = StringIO()
    call_command("daily", stdout=out)
    assert out.getvalue().splitlines() == ["Checked 0 young people", "education_flags_notify: 0 notifications sent"]
