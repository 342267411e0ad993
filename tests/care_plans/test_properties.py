"""Rules that must hold for every input: the visiting rule, school age, PN0, SDQ and the OC2 intervention items."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from hearth.audit.actor import acting_as
from hearth.care.codes import ReviewParticipation
from hearth.care_plans.forms import SDQForm
from hearth.care_plans.models import OC2Outcome
from hearth.care_plans.schedule import age_on, is_school_age, next_visit_rule, reception_starts
from hearth.care_plans.services import _participation_error, oc2_outcome_errors
from hearth.clocks.registry import due
from hearth.clocks.working_days import add_months
from hearth.people.models import Person
from tests.factories import make_person

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
placement_types = st.sampled_from(["U1", "U3", "U4", "U6", "K2", "R1", "P1", "A4"])


@given(placement_types, days, st.integers(min_value=0, max_value=2000), st.booleans(), st.booleans())
def test_the_next_visit_is_never_more_than_3_months_away_and_42_days_in_the_first_year(
        placement_type, started_on, after, long_term, reviewed):
    visited_on = started_on + timedelta(days=after)
    rule_id, later = next_visit_rule(placement_type=placement_type, placement_started_on=started_on,
                                     is_long_term=long_term, visited_on=visited_on, first_review_held=reviewed)
    next_due = due(rule_id, visited_on, holidays=frozenset(), then=later)
    assert visited_on < next_due <= add_months(visited_on, 3)
    if visited_on < add_months(started_on, 12) or not (long_term or placement_type in ("U1", "U4")):
        assert next_due <= visited_on + timedelta(days=42)
    if placement_type == "P1" and not reviewed:
        assert next_due == visited_on + timedelta(days=7)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
def test_school_age_starts_in_the_september_after_the_fourth_birthday_and_ends_at_18(dob):
    start = reception_starts(dob)
    assert start.month == 9 and start.day == 1
    assert add_months(dob, 48) <= start < add_months(dob, 60)
    assert is_school_age(dob, start) and not is_school_age(dob, start - timedelta(days=1))
    eighteenth = add_months(dob, 216)
    assert is_school_age(dob, eighteenth - timedelta(days=1)) and not is_school_age(dob, eighteenth)


@given(st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 12, 31)), st.integers(min_value=0, max_value=6500),
       st.sampled_from(ReviewParticipation.values))
def test_pn0_exactly_for_a_child_under_4_at_the_review(dob, after, code):
    child = Person(first_name="Sam", last_name="Lee", date_of_birth=dob)
    held_on = dob + timedelta(days=after)
    accepted = _participation_error(child, held_on, code) is None
    assert accepted == ((code == "PN0") == (age_on(dob, held_on) < 4))


@given(st.one_of(st.none(), st.integers(min_value=-5, max_value=50)),
       st.sampled_from(["", "SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"]))
def test_an_sdq_has_exactly_one_of_a_score_from_0_to_40_and_a_reason(score, reason):
    form = SDQForm({"completed_on_0": "1", "completed_on_1": "6", "completed_on_2": "2025",
                    "score": "" if score is None else str(score), "reason": reason})
    assert form.is_valid() == ((score is None and bool(reason)) or (score is not None and 0 <= score <= 40
                                                                    and not reason))


TRI = (None, True, False)


@pytest.mark.parametrize(("misuse", "received", "offered"), list(itertools.product((True, False), TRI, TRI)))
def test_the_oc2_rules_and_the_database_agree(la, misuse, received, offered):
    """Rules 158, 159, 192 and 193: the service accepts exactly what the database's constraints allow."""
    accepted = not oc2_outcome_errors(substance_misuse=misuse, intervention_received=received,
                                      intervention_offered=offered)
    expected = (not misuse and received is None and offered is None) or (
        misuse and ((received is True and offered is None) or (received is False and offered is not None)))
    assert accepted == expected
    child = make_person(la)
    try:
        with transaction.atomic(), acting_as("test"):
            OC2Outcome(local_authority=la, child=child, year=2025, convicted=False, substance_misuse=misuse,
                       intervention_received=received, intervention_offered=offered).save(by="test")
        stored = True
    except IntegrityError:
        stored = False
    assert stored == accepted
