"""Targets: what may be set, their history, and red / amber / green against them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.indicators import registry
from hearth.indicators.models import IndicatorTarget
from hearth.indicators.registry import Indicator, Tally
from hearth.indicators.selectors import rag, targets_for
from hearth.indicators.services import target_set
from tests.factories import make_user
from tests.indicators.compute_fixtures import test_indicators

pytestmark = pytest.mark.usefixtures("test_indicators")
__all__ = ["test_indicators"]


@pytest.fixture
def director(la, team):
    return make_user(la, Role.DIRECTOR, team)


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_a_target_is_set_then_changed_with_its_history(la, director):
    target = target_set(local_authority=la, indicator="t_quick", value="85", rationale=" Back to 2023's level ",
                        by=director)
    assert (target.indicator, target.value, target.rationale) == ("t_quick", 85.0, "Back to 2023's level")
    changed = target_set(local_authority=la, indicator=registry.get("t_quick"), value=88.5,
                         rationale="Neighbours' median", by=director, expected_version=target.version)
    assert changed.pk == target.pk and changed.value == 88.5
    history = ChangeRecord.objects.filter(model_label="indicators.IndicatorTarget", object_id=str(target.pk))
    assert history.count() == 2
    assert history.first().by_user == director
    assert targets_for(local_authority=la) == {"t_quick": changed}


def test_setting_the_same_target_again_writes_no_history(la, director):
    target = target_set(local_authority=la, indicator="t_open", value=40, rationale="", by=director)
    target_set(local_authority=la, indicator="t_open", value=40.0, rationale="", by=director)
    assert ChangeRecord.objects.filter(model_label="indicators.IndicatorTarget", object_id=str(target.pk)).count() == 1


def test_a_stale_target_edit_is_refused(la, director):
    target = target_set(local_authority=la, indicator="t_open", value=40, by=director)
    target_set(local_authority=la, indicator="t_open", value=35, by=director)
    with pytest.raises(StaleVersionError):
        target_set(local_authority=la, indicator="t_open", value=30, by=director, expected_version=target.version)
    assert IndicatorTarget.objects.get(pk=target.pk).value == 35


@pytest.mark.parametrize(("code", "value", "message"), [
    ("t_quick", "", "Enter a target for assessments within 10 days, like 85"),
    ("t_quick", None, "Enter a target for assessments within 10 days, like 85"),
    ("t_quick", "eighty", "Enter the target as a number, like 85"),
    ("t_quick", "nan", "Enter the target as a number, like 85"),
    ("t_quick", True, "Enter a target for assessments within 10 days, like 85"),
    ("t_quick", 100.5, "Enter a target between 0 and 100 (it is a percentage)"),
    ("t_quick", -1, "Enter a target between 0 and 100 (it is a percentage)"),
    ("t_open", -0.5, "Enter a target of 0 or more (it is a rate per 10,000 children)"),
    ("t_weight", "-3", "Enter a target of 0 or more (it is an average)"),
])
def test_a_target_out_of_range_is_refused_with_a_message_on_the_value(la, director, code, value, message):
    with pytest.raises(ValidationError) as refused:
        target_set(local_authority=la, indicator=code, value=value, by=director)
    assert _errors(refused) == {"value": [message]}
    assert not IndicatorTarget.objects.exists()


def test_a_percentage_target_may_be_0_or_100_and_a_rate_any_size(la, director):
    assert target_set(local_authority=la, indicator="t_quick", value="100%", by=director).value == 100
    assert target_set(local_authority=la, indicator="t_quick", value=0, by=director).value == 0
    assert target_set(local_authority=la, indicator="t_open", value="1,250.5", by=director).value == 1250.5


def test_no_target_for_an_unknown_or_unavailable_indicator(la, director):
    with pytest.raises(ValidationError) as unknown:
        target_set(local_authority=la, indicator="no_such", value=1, by=director)
    assert _errors(unknown) == {"indicator": ["Choose an indicator from the list"]}
    with pytest.raises(ValidationError) as unavailable:
        target_set(local_authority=la, indicator="t_unavailable", value=1, by=director)
    assert "cannot have a target" in _errors(unavailable)["indicator"][0]


def test_targets_are_per_council(la, other_la, director):
    target_set(local_authority=la, indicator="t_open", value=40, by=director)
    assert targets_for(local_authority=other_la) == {}


# RAG ---------------------------------------------------------------------------------------------------------

def _ind(polarity: str) -> Indicator:
    return Indicator(code=f"x_{polarity}", title="X", group="cin", unit="percent",
                     polarity=polarity,
                     measured="in_period", numerator="-", denominator="-", definition="-",
                     compute=lambda period: Tally([]))


@pytest.mark.parametrize(("value", "expected"), [
    (90, "green"), (80, "green"), (76, "amber"), (76.0001, "amber"), (75.99, "red"), (40, "red"),
])
def test_rag_when_higher_is_better(value, expected):
    # Target 80: amber down to 5% of 80 below it (76).
    assert rag(indicator=_ind("high"), value=value, target=80) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (10, "green"), (40, "green"), (42, "amber"), (42.01, "red"), (60, "red"),
])
def test_rag_when_lower_is_better(value, expected):
    # Target 40: amber up to 5% of 40 above it (42).
    assert rag(indicator=_ind("low"), value=value, target=40) == expected


def test_rag_takes_a_target_row_or_a_code(la, director):
    target = target_set(local_authority=la, indicator="t_quick", value=80, by=director)
    assert rag(indicator="t_quick", value=77, target=target) == "amber"
    assert rag(indicator=registry.get("t_open"), value=100, target=IndicatorTarget(value=120)) == "green"


@pytest.mark.parametrize(("polarity", "value", "target"), [
    ("neutral", 50, 40), ("high", None, 40), ("high", 50, None), ("low", None, None),
])
def test_rag_is_none_without_a_figure_a_target_or_a_direction(polarity, value, target):
    assert rag(indicator=_ind(polarity), value=value, target=target) is None


finite = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(value=finite, target=finite)
def test_rag_rules_hold_for_any_figure_and_target(value, target):
    high = rag(indicator=_ind("high"), value=value, target=target)
    low = rag(indicator=_ind("low"), value=value, target=target)
    assert (high == "green") == (value >= target)
    assert (low == "green") == (value <= target)
    band = target * 0.05
    assert (high == "red") == (value < target - band)
    assert (low == "red") == (value > target + band)
    if value == target:
        assert high == low == "green"
