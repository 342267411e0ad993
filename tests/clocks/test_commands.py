"""manage.py deadline RULE START [--la ONS_CODE]."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hearth.clocks.models import LocalTimescale, SchoolTerm
from hearth.tenancy.models import LocalAuthority

ROOT = Path(__file__).resolve().parents[2]


def deadline(*args: str) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule_id", "start", "expected"),
    [
        ("icpc", "2024-12-20", "2025-01-15"),
        ("cla_review_first", "2026-12-18", "2027-01-20"),
        ("assessment", "2025-03-03", "2025-05-08"),
        ("core_group_first", "2025-12-22", "2026-01-08"),
        ("referral_decision", "2025-04-18", "2025-04-22"),
        ("rcpc_first", "2024-11-30", "2025-02-28"),
        ("return_home_interview", "2025-03-01", "2025-03-04"),  # date-only
        ("return_home_interview", "2025-03-01T14:30", "2025-03-04T14:30:00+00:00"),
        ("return_home_interview", "2025-03-28T14:30", "2025-03-31T15:30:00+01:00"),
        ("police_protection_max", "2025-10-24T14:30", "2025-10-27T13:30:00+00:00"),
        ("icpc", "2024-12-20T16:00", "2025-01-15"),  # a day rule uses the date
    ],
)
def test_prints_the_due_date(rule_id: str, start: str, expected: str) -> None:
    assert deadline(rule_id, start) == expected + "\n"


@pytest.mark.django_db
def test_council_settings(la: LocalAuthority) -> None:
    LocalTimescale.objects.create(
        local_authority=la, rule_id="strategy_discussion", offset=1, unit="working_days"
    )
    for name, starts_on, ends_on in [
        ("Autumn", date(2025, 9, 3), date(2025, 12, 19)),
        ("Spring", date(2026, 1, 5), date(2026, 3, 27)),
    ]:
        SchoolTerm.objects.create(local_authority=la, name=name, starts_on=starts_on, ends_on=ends_on)
    assert deadline("strategy_discussion", "2025-04-17", "--la", la.ons_code) == "2025-04-22\n"
    assert deadline("pep_review", "2025-10-01", "--la", la.ons_code.lower()) == "2026-03-27\n"
    assert deadline("cp_visit", "2025-06-02") == "2025-06-16\n"  # national default of a [local] rule
    with pytest.raises(CommandError, match="school term"):
        deadline("pep_review", "2025-10-01")
    with pytest.raises(CommandError, match="ONS code"):
        deadline("icpc", "2025-10-01", "--la", "E06999999")
    with pytest.raises(CommandError, match="no national timescale"):
        deadline("s47_enquiry", "2025-10-01", "--la", la.ons_code)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no_such_rule", "2025-01-06"], "Unknown timescale rule 'no_such_rule'"),
        (["strategy_discussion", "2025-01-06"], "has no national timescale"),
        (["icpc", "2025-02-30"], "is not a date"),
        (["icpc", "next tuesday"], "is not a date"),
    ],
)
def test_errors_raise_command_error(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        deadline(*args)


@pytest.mark.parametrize(
    "args",
    [["no_such_rule", "2025-01-06"], ["strategy_discussion", "2025-01-06"], ["icpc", "2025-13-01"]],
)
def test_errors_exit_non_zero_with_one_line(args: list[str]) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hearth.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "deadline", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("CommandError: ")
