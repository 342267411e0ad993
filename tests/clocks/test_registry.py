"""The registry as data, and due() for each unit."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hearth.clocks.registry import (
    RULES,
    NoTermDates,
    NoTimescale,
    TimescaleError,
    UnknownRule,
    due,
    health_review_rule,
)

from .holiday_data import PACKAGE_2015_2035

H = PACKAGE_2015_2035
LONDON = ZoneInfo("Europe/London")
SPEC = Path(__file__).resolve().parents[3] / "shared" / "reference" / "timescales.md"


@pytest.mark.skipif(not SPEC.exists(), reason="shared reference not available")
def test_every_rule_in_the_spec_is_in_the_registry() -> None:
    registry_part = SPEC.read_text().split("## 2. Counting conventions")[0]
    spec_ids = set(re.findall(r"^\| `([a-z0-9_]+)`", registry_part, re.MULTILINE))
    assert spec_ids
    # Hearth's own local rules, for work with no national timescale.
    assert set(RULES) - spec_ids == {"cin_plan_review", "exploitation_screening_review"}
    assert spec_ids <= set(RULES)


def test_kinds() -> None:
    assert {r for r, rule in RULES.items() if rule.kind == "none"} == {
        "strategy_discussion", "s47_enquiry", "cla_visit_additional"
    }
    assert {r for r, rule in RULES.items() if rule.kind == "local"} == {
        "core_group_next", "cp_visit", "care_leaver_contact", "cin_plan_review", "exploitation_screening_review"
    }
    assert {r for r, rule in RULES.items() if rule.kind == "limit"} == {
        "police_protection_max", "epo_max", "child_assessment_order_max", "short_break_single_max",
        "short_break_annual_max", "care_proceedings_max", "secure_without_order_max",
    }
    for rule in RULES.values():
        if rule.kind == "local":
            assert "default" in rule.notes.lower()


@pytest.mark.parametrize(
    ("rule_id", "start", "expected"),
    [
        ("icpc", date(2024, 12, 20), date(2025, 1, 15)),
        ("cla_review_first", date(2026, 12, 18), date(2027, 1, 20)),
        ("assessment", date(2025, 3, 3), date(2025, 5, 8)),
        ("core_group_first", date(2025, 12, 22), date(2026, 1, 8)),
        ("referral_decision", date(2025, 4, 17), date(2025, 4, 22)),
        ("referral_decision", date(2025, 4, 18), date(2025, 4, 22)),
        ("referral_decision", date(2025, 4, 19), date(2025, 4, 22)),
        ("rcpc_first", date(2024, 11, 30), date(2025, 2, 28)),
        ("rcpc_next", date(2025, 8, 31), date(2026, 2, 28)),
        ("cla_review_second", date(2025, 1, 31), date(2025, 4, 30)),
        ("health_review_5plus", date(2024, 2, 29), date(2025, 2, 28)),
        ("cla_visit_first", date(2025, 12, 20), date(2025, 12, 27)),  # calendar days: a Saturday stays
        ("cla_visit_next_year1", date(2025, 1, 1), date(2025, 2, 12)),
        ("private_fostering_visit_later", date(2025, 1, 1), date(2025, 3, 26)),
        ("care_proceedings_max", date(2025, 1, 6), date(2025, 7, 7)),  # 26 weeks
        ("epo_max", date(2025, 1, 6), date(2025, 1, 14)),
        ("core_group_next", date(2025, 1, 6), date(2025, 2, 3)),  # local default: 4 weeks
        ("cp_visit", date(2025, 4, 17), date(2025, 5, 6)),  # local default: 10 WD, skipping 21 Apr, 5 May
        ("care_leaver_contact", date(2025, 1, 6), date(2025, 3, 3)),  # local default: 8 weeks
        ("return_home_interview", date(2025, 3, 28), date(2025, 3, 31)),  # date-only: 3 days
        ("police_protection_max", date(2025, 3, 28), date(2025, 3, 31)),
    ],
)
def test_due(rule_id: str, start: date, expected: date) -> None:
    result = due(rule_id, start, holidays=H)
    assert type(result) is date
    assert result == expected


def test_month_clocks_do_not_roll_forward_off_weekends_or_holidays() -> None:
    assert due("rcpc_first", date(2025, 2, 25), holidays=H) == date(2025, 5, 25)  # Sunday
    assert due("cla_review_second", date(2025, 2, 25), holidays=H) == date(2025, 5, 25)
    assert due("rcpc_first", date(2025, 2, 26), holidays=H) == date(2025, 5, 26)  # Spring bank holiday


def test_compound_visits() -> None:
    start = date(2025, 6, 2)
    with_parent = "cla_visit_placed_with_parent_pre_assessment"
    assert due(with_parent, start, holidays=H) == date(2025, 6, 9)
    assert due(with_parent, start, holidays=H, then=True) == date(2025, 7, 14)
    assert due("cla_visit_connected_person_temporary", start, holidays=H, then=True) == date(2025, 6, 30)
    assert due("cla_visit_care_order_at_home", start, holidays=H, then=True) == date(2025, 7, 14)
    assert RULES["cla_visit_care_order_at_home"].then_offset == 42
    # A rule without a later interval ignores then
    assert due("cla_visit_first", start, holidays=H, then=True) == date(2025, 6, 9)


def test_hour_rules_with_a_time_are_elapsed_hours_in_london() -> None:
    found = datetime(2025, 3, 28, 14, 30, tzinfo=LONDON)
    result = due("return_home_interview", found, holidays=H)
    assert isinstance(result, datetime)
    assert result.isoformat() == "2025-03-31T15:30:00+01:00"
    naive = due("secure_without_order_max", datetime(2025, 3, 1, 14, 30), holidays=H)
    assert isinstance(naive, datetime)
    assert naive.isoformat() == "2025-03-04T14:30:00+00:00"
    utc = due("police_protection_max", datetime(2025, 10, 24, 13, 30, tzinfo=ZoneInfo("UTC")), holidays=H)
    assert isinstance(utc, datetime)
    assert utc.isoformat() == "2025-10-27T13:30:00+00:00"


def test_day_rules_given_a_datetime_use_the_london_date() -> None:
    late_evening_utc = datetime(2025, 6, 5, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on 6 June in London
    assert due("referral_decision", late_evening_utc, holidays=H) == date(2025, 6, 9)


def test_no_timescale_and_unknown_rules() -> None:
    for rule_id in ("strategy_discussion", "s47_enquiry", "cla_visit_additional"):
        with pytest.raises(NoTimescale, match=rule_id):
            due(rule_id, date(2025, 1, 6), holidays=H)
    with pytest.raises(UnknownRule, match="no_such_rule"):
        due("no_such_rule", date(2025, 1, 6), holidays=H)
    assert issubclass(UnknownRule, TimescaleError)


def test_local_overrides_apply_only_where_there_is_no_national_timescale() -> None:
    overrides = {"cp_visit": (4, "weeks"), "strategy_discussion": (1, "working_days"), "icpc": (99, "months")}
    start = date(2025, 4, 17)
    assert due("cp_visit", start, holidays=H, local_overrides=overrides) == date(2025, 5, 15)
    assert due("strategy_discussion", start, holidays=H, local_overrides=overrides) == date(2025, 4, 22)
    # A council cannot change a statutory timescale
    assert due("icpc", start, holidays=H, local_overrides=overrides) == due("icpc", start, holidays=H)
    with pytest.raises(TimescaleError):
        due("cp_visit", start, holidays=H, local_overrides={"cp_visit": (72, "hours")})


TERMS = [
    (date(2025, 9, 3), date(2025, 12, 19)),
    (date(2026, 1, 5), date(2026, 3, 27)),
    (date(2026, 4, 13), date(2026, 7, 22)),
]


def test_pep_review_is_due_by_the_end_of_the_next_term() -> None:
    assert due("pep_review", date(2025, 10, 1), holidays=H, term_dates=TERMS) == date(2026, 3, 27)
    assert due("pep_review", date(2025, 12, 19), holidays=H, term_dates=TERMS) == date(2026, 3, 27)
    unsorted = list(reversed(TERMS))
    assert due("pep_review", date(2026, 2, 1), holidays=H, term_dates=unsorted) == date(2026, 7, 22)
    # In the school holidays: the next term to begin
    assert due("pep_review", date(2025, 12, 28), holidays=H, term_dates=TERMS) == date(2026, 3, 27)
    assert due("pep_review", date(2025, 8, 1), holidays=H, term_dates=TERMS) == date(2025, 12, 19)


def test_pep_review_needs_term_dates() -> None:
    with pytest.raises(NoTermDates, match="term dates"):
        due("pep_review", date(2025, 10, 1), holidays=H)
    with pytest.raises(NoTermDates, match="No school term"):
        due("pep_review", date(2026, 5, 1), holidays=H, term_dates=TERMS)


def test_health_review_rule_by_age_at_previous_assessment() -> None:
    born = date(2020, 6, 15)
    day_before, birthday = date(2025, 6, 14), date(2025, 6, 15)
    assert health_review_rule(date_of_birth=born, previous_assessment=day_before) == "health_review_under5"
    assert health_review_rule(date_of_birth=born, previous_assessment=birthday) == "health_review_5plus"


def test_rules_are_frozen() -> None:
    rule = RULES["icpc"]
    with pytest.raises(AttributeError):
        rule.offset = 20  # type: ignore[misc]
    assert rule.describe == "15 working days"
    assert RULES["cla_visit_connected_person_temporary"].describe == "7 calendar days, then 28 calendar days"
