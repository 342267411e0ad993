"""``manage.py indicators``: every indicator for a period as CSV (or a table), and its refusals."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_la
from tests.indicators.compute_fixtures import fixed_today, make_assessment, make_episode, test_indicators

pytestmark = pytest.mark.usefixtures("test_indicators", "fixed_today")
__all__ = ["fixed_today", "test_indicators"]
PERIOD = "2025-04-01:2026-03-31"


@pytest.fixture
def council(la):
    la.population_0_17 = 30_000
    la.save()
    for day in (date(2025, 4, 1), date(2025, 9, 9), date(2026, 3, 31)):
        make_episode(la, day)
    make_episode(la, date(2026, 4, 1))  # the day after the period
    episode = make_episode(la, date(2025, 6, 1))
    make_assessment(episode, date(2025, 6, 2), date(2025, 6, 5))
    make_assessment(make_episode(la, date(2025, 7, 1)), date(2025, 7, 2), date(2025, 8, 30))
    make_assessment(make_episode(la, date(2025, 7, 1)), date(2025, 7, 2), date(2025, 8, 30))
    return la


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_csv_has_a_header_and_a_row_per_indicator(council):
    rows = list(csv.DictReader(io.StringIO(_run("--period", PERIOD, "--format", "csv"))))
    assert list(rows[0]) == ["code", "title", "numerator", "denominator", "value", "unit"]
    by_code = {r["code"]: r for r in rows}
    assert list(by_code) == ["t_referrals", "t_quick", "t_open", "t_weight", "t_unavailable"]
    # Six referrals in the year (not the one on 1 April 2026) per 30,000 children: 2.0 per 10,000.
    assert by_code["t_referrals"] == {"code": "t_referrals", "title": "Referrals", "numerator": "6",
                                      "denominator": "30000", "value": "2.0", "unit": "per_10k"}
    # 1 of 3 assessments within 10 days: 33.3% (one decimal, as the indicator says).
    assert (by_code["t_quick"]["numerator"], by_code["t_quick"]["denominator"], by_code["t_quick"]["value"]) == \
        ("1", "3", "33.3")
    assert by_code["t_open"]["value"] == "2"  # no decimals: 6 open at 31 March per 30,000
    # Days of the month 1, 9, 31, 1, 1, 1 = 44 over 6 referrals: 7.33.
    assert (by_code["t_weight"]["numerator"], by_code["t_weight"]["value"]) == ("44", "7.33")
    assert by_code["t_unavailable"] == {"code": "t_unavailable", "title": "Something Hearth cannot know",
                                        "numerator": "", "denominator": "", "value": "", "unit": "percent"}


def test_codes_choose_and_order_the_rows(council):
    rows = list(csv.reader(io.StringIO(_run("--period", PERIOD, "--format", "csv", "--codes", "t_open,t_quick"))))
    assert [r[0] for r in rows] == ["code", "t_open", "t_quick"]


def test_a_figure_with_no_denominator_is_blank(la):
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(_run("--period", PERIOD, "--format", "csv")))}
    assert rows["t_quick"]["value"] == "" and rows["t_quick"]["denominator"] == "0"
    assert rows["t_referrals"]["value"] == "", "no population figure: no rate"


def test_the_table_is_for_people_and_names_no_child(council):
    text = _run("--period", PERIOD)
    assert text.splitlines()[0] == "Nottingham City Council: 1 April 2025 to 31 March 2026"
    assert "Assessments within 10 days" in text and "33.3" in text
    assert "Jordan" not in text and "Child" not in text


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2025-04-01"], "Give the period as YYYY-MM-DD:YYYY-MM-DD"),
    (["--period", "2025-04-01:2026-02-30"], "Give the period as YYYY-MM-DD:YYYY-MM-DD"),
    (["--period", "2026-03-31:2025-04-01"], "The period must end on or after the day it starts"),
    (["--period", PERIOD, "--codes", "t_open,nope"], "No indicator nope"),
    (["--period", PERIOD, "--council", "999"], "No council with DfE LA number 999"),
])
def test_refusals_exit_with_status_2(council, args, message):
    with pytest.raises(CommandError) as refused:
        _run(*args)
    assert refused.value.returncode == 2
    assert message in str(refused.value)


def test_with_two_councils_it_asks_which(council):
    other = make_la(name="Another Council")
    with pytest.raises(CommandError) as refused:
        _run("--period", PERIOD)
    assert refused.value.returncode == 2 and "say which with --council" in str(refused.value)
    rows = list(csv.DictReader(io.StringIO(_run("--period", PERIOD, "--format", "csv",
                                                "--council", other.dfe_la_number))))
    assert {r["code"]: r["numerator"] for r in rows}["t_referrals"] == "0"
