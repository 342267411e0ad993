"""Reading the search box: each kind of query, alone and mixed."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.search.query import parse_query


@pytest.mark.parametrize("text,expected", [
    ("jordan smith", {"names": ["jordan", "smith"]}),
    ("O'Neil-Smith", {"names": ["oneil", "smith"]}),
    ("27/3/2015", {"born_on": date(2015, 3, 27)}),
    ("27-03-2015", {"born_on": date(2015, 3, 27)}),
    ("27.3.2015", {"born_on": date(2015, 3, 27)}),
    ("2015-03-27", {"born_on": date(2015, 3, 27)}),
    ("27 March 2015", {"born_on": date(2015, 3, 27)}),
    ("3/2015", {"born_month": 3, "born_year": 2015}),
    ("03/2015", {"born_month": 3, "born_year": 2015}),
    ("Mar 2015", {"born_month": 3, "born_year": 2015}),
    ("2015", {"born_year": 2015, "born_month": None}),
    ("943 476 5919", {"nhs_number": "9434765919"}),
    ("9434765919", {"nhs_number": "9434765919"}),
    ("x801200000001", {"upn": "X801200000001"}),
    ("ng23ng", {"postcode": "NG2 3NG"}),
    ("NG2 3NG", {"postcode": "NG2 3NG"}),
    ("NG2", {"postcode_area": "NG2"}),
    ("0001234", {"hearth_id": 1234}),
    ("jordan smith 2015", {"names": ["jordan", "smith"], "born_year": 2015}),
    ("smith 27/3/2015", {"names": ["smith"], "born_on": date(2015, 3, 27)}),
    ("smith NG2 3NG", {"names": ["smith"], "postcode": "NG2 3NG"}),
])
def test_each_kind_of_query(text, expected):
    parsed = parse_query(text)
    for name, value in expected.items():
        assert getattr(parsed, name) == value, name
    assert parsed.problems == []


def test_partial_date_ranges():
    assert parse_query("2/2016").date_range() == (date(2016, 2, 1), date(2016, 2, 29))
    assert parse_query("12/2015").date_range() == (date(2015, 12, 1), date(2015, 12, 31))
    assert parse_query("2015").date_range() == (date(2015, 1, 1), date(2015, 12, 31))
    assert parse_query("jordan").date_range() is None


@pytest.mark.parametrize("text,problem", [
    ("31/2/2015", "is not a real date"),
    ("13/2015", "is not a real month"),
    ("12", "is not a date of birth, NHS number, UPN or Hearth ID we recognise"),
    ("jordan 123", "is not a date of birth"),
])
def test_problems_are_explained(text, problem):
    assert problem in parse_query(text).problems[0]


@pytest.mark.parametrize("text", ["", "   ", "!!!", "--", "'"])
def test_nothing_searchable(text):
    assert parse_query(text).is_empty


@given(st.text(max_size=300))
def test_any_text_parses_without_error(text):
    parsed = parse_query(text)
    assert len(parsed.names) <= 6
    assert all(n and " " not in n for n in parsed.names)
