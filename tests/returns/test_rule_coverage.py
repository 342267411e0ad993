"""Every rule of every year's DfE list is either implemented, with a failing and a passing case, or
listed as not implemented with the reason (which the README and the returns page repeat)."""

from __future__ import annotations

import importlib

import pytest

from hearth.returns.rules import not_implemented_903, not_implemented_cin
from hearth.returns.rules.base import RULES_903, RULES_CIN, specs_903, specs_cin
from hearth.returns.years import SSDA903_YEARS

CASE_MODULES_903 = ("test_rules_903_header", "test_rules_903_episodes_1", "test_rules_903_episodes_2",
                    "test_rules_903_adoption", "test_rules_903_outcomes", "test_rules_903_other")


def _cases(names: tuple[str, ...]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in names:
        module = importlib.import_module(f"tests.returns.{name}")
        for code in module.CASES:
            assert code not in out, f"{code} has cases in two modules"
            out[code] = module.CASES[code]
    return out


@pytest.mark.parametrize("year", SSDA903_YEARS)
def test_every_903_rule_is_implemented_or_explained(year: int) -> None:
    missing = not_implemented_903()
    for code in specs_903(year):
        implemented = code in RULES_903
        assert implemented != (code in missing), f"903 rule {code}: implemented and explained, or neither"
        if not implemented:
            assert len(missing[code]) > 15, f"903 rule {code}: say why it is not implemented"


def test_every_cin_rule_is_implemented_or_explained() -> None:
    missing = not_implemented_cin()
    for code in specs_cin():
        implemented = code in RULES_CIN
        assert implemented != (code in missing), f"CIN rule {code}: implemented and explained, or neither"


def test_every_implemented_903_rule_has_a_failing_and_a_passing_case() -> None:
    cases = _cases(CASE_MODULES_903)
    assert sorted(set(RULES_903) - set(cases)) == []


def test_every_implemented_cin_rule_has_a_failing_and_a_passing_case() -> None:
    cases = _cases(("test_rules_cin",))
    assert sorted(set(RULES_CIN) - set(cases)) == []


def test_a_year_not_ended_leaves_out_the_rules_that_judge_31_march() -> None:
    from datetime import date

    from hearth.returns.rules.base import AT_YEAR_END_903, validate_903
    from tests.returns.factories import episode, header, make_return, oc2

    # Looked after since May 2024 with no OC2 items yet: 191 fires once the year has ended...
    ret = make_return(year=2026, Header=[header()], Episodes=[episode(DECOM="10/05/2024")],
                      OC2=[oc2(SDQ_SCORE="", HEALTH_CHECK="", IMMUNISATIONS="", TEETH_CHECK="",
                               HEALTH_ASSESSMENT="", SUBSTANCE_MISUSE="", CONVICTED="")])
    ended = validate_903(ret, today=date(2026, 4, 1))
    assert "191" in {f.rule for f in ended.findings}
    # ...but not while it runs: the rules are listed as not run, with the reason.
    running = validate_903(ret, today=date(2026, 3, 30))
    assert "191" not in {f.rule for f in running.findings}
    assert set(AT_YEAR_END_903) <= set(running.not_run)
    assert "not yet due" in running.not_run["191"]
