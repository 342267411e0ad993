"""The matching score: each fact's points and the sentence that says why."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hearth.fostering import scoring
from hearth.fostering.models import CareType, Need


def score(**overrides: Any) -> scoring.Score:
    values: dict[str, Any] = {
        "child_age": 7, "care_type": CareType.SHORT_TERM, "needs": [Need.SIBLINGS], "children": 2,
        "siblings_together": True, "child_postcode": "NG7 2RD", "age_from": 5, "age_to": 12,
        "care_types": [CareType.SHORT_TERM, CareType.LONG_TERM], "vacancy_needs": [Need.SIBLINGS],
        "free_places": 2, "household_postcode": "NG7 1AA",
    }
    values.update(overrides)
    return scoring.score(**values)


def test_a_vacancy_that_fits_everything_scores_full_marks_with_reasons():
    result = score()
    assert result.fits and result.points == scoring.max_points([Need.SIBLINGS]) == 10
    assert [r.text for r in result.reasons] == [
        "Age 7 is within 5 to 12", "Offers short-term care", "Can meet the needs of sibling groups",
        "2 free places for 2 children (all together)", "Same postcode district (NG7)"]


def test_what_does_not_fit_is_said_and_scores_nothing():
    result = score(child_age=14, care_type=CareType.REMAND, vacancy_needs=[], free_places=1,
                   household_postcode="DE1 3AA")
    assert not result.fits and result.points == 0
    assert [r.text for r in result.misfits] == [
        "Age 14 is outside 5 to 12", "Does not offer remand care",
        "Has not said it can meet the needs of sibling groups",
        "Only 1 free place: the 2 siblings could not stay together"]
    assert result.reasons[-1].text == "Further away (DE1, the child is in NG7)" and result.reasons[-1].fits


def test_same_area_scores_less_than_same_district():
    assert score(household_postcode="NG11 8NS").points == 9
    assert "Same postcode area (NG)" in [r.text for r in score(household_postcode="NG11 8NS").reasons]


def test_postcode_parts():
    assert scoring.postcode_district("ng7 2rd") == "NG7" and scoring.postcode_area("NG7 2RD") == "NG"
    assert scoring.postcode_district("SW1A 1AA") == "SW1A" and scoring.postcode_area("SW1A 1AA") == "SW"
    assert scoring.postcode_district("") == "" and scoring.postcode_area("") == ""


@given(age=st.integers(0, 18), lo=st.integers(0, 18), hi=st.integers(0, 18), free=st.integers(0, 6),
       children=st.integers(1, 6), needs=st.lists(st.sampled_from(Need.values), unique=True),
       offered=st.lists(st.sampled_from(Need.values), unique=True))
def test_the_score_never_exceeds_its_maximum_and_a_fit_means_no_misfit(age, lo, hi, free, children, needs, offered):
    result = score(child_age=age, age_from=min(lo, hi), age_to=max(lo, hi), free_places=free, children=children,
                   needs=needs, vacancy_needs=offered)
    assert 0 <= result.points <= scoring.max_points(needs)
    assert result.fits == (not result.misfits)
    assert result.points == sum(r.points for r in result.reasons)
