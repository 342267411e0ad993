"""OC2: who is due (looked after continuously for 12 months at 31 March) and the row derived from the records."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.access.services import allow_list_add
from hearth.audit.actor import acting_as
from hearth.care.models import CareLegalStatus
from hearth.care_plans import services
from hearth.care_plans.selectors import children_due_oc2, continuously_looked_after, oc2_for, oc2_rows
from hearth.people.models import Person
from hearth.returns.rules.base import run_rule_903
from hearth.returns.ssda903 import build_903
from tests.conftest import client_for
from tests.factories import make_la, make_person

from .factories import bring_into_care, leave_care


@pytest.mark.parametrize(("started_on", "ended_on", "due"), [
    (date(2024, 4, 1), None, True),  # from the first day of the collection year
    (date(2024, 4, 2), None, False),
    (date(2023, 1, 1), date(2025, 3, 31), False),  # left on the last day: not looked after that day
    (date(2023, 1, 1), date(2025, 4, 1), True),
])
def test_who_is_looked_after_continuously_for_12_months_at_31_march(child, started_on, ended_on, due):
    period = bring_into_care(child, started_on)
    if ended_on is not None:
        leave_care(period, ended_on)
    assert continuously_looked_after(child=child, year=2025) is due
    assert (oc2_for(child=child, year=2025) is not None) is due


def test_a_series_of_short_breaks_is_not_continuous_care(child):
    period = bring_into_care(child, date(2023, 1, 1), legal_status="V3")
    assert not continuously_looked_after(child=child, year=2025)
    status = CareLegalStatus.objects.get(period=period)
    with acting_as("test"):
        status.ended_on = date(2024, 1, 1)
        status.save(by="test")
        CareLegalStatus(local_authority_id=child.local_authority_id, child=child, period=period, legal_status="C2",
                        started_on=date(2024, 1, 1)).save(by="test")
    assert continuously_looked_after(child=child, year=2025)


def test_the_health_items_are_derived_from_the_records_in_the_year(child, social_worker):
    period = bring_into_care(child, date(2024, 3, 1))
    services.health_assessment_record(period=period, kind="initial", done_on=date(2024, 3, 20), by=social_worker)
    services.dental_check_record(period=period, checked_on=date(2024, 3, 31), by=social_worker)  # the year before
    services.immunisation_check_record(period=period, checked_on=date(2024, 6, 1), up_to_date=False,
                                       by=social_worker)
    services.sdq_record(period=period, completed_on=date(2024, 6, 15), score=14, by=social_worker)
    row = oc2_for(child=child, year=2025)
    assert row is not None
    assert (row.health_assessment, row.teeth_check, row.immunisations, row.health_check) == (0, 0, 0, None)
    assert row.sdq_score == 14 and row.missing == ["convictions and substance misuse"]
    services.health_assessment_record(period=period, kind="review", done_on=date(2025, 3, 10), by=social_worker)
    services.dental_check_record(period=period, checked_on=date(2025, 3, 31), by=social_worker)
    services.immunisation_check_record(period=period, checked_on=date(2025, 3, 1), up_to_date=True,
                                       by=social_worker)
    services.oc2_outcome_save(child=child, year=2025, convicted=False, substance_misuse=True,
                              intervention_received=True, by=social_worker)
    row = oc2_for(child=child, year=2025)
    assert row is not None and row.is_complete
    # 9 on 31 March 2025: no conviction item is returned under 10 (903 rule 542).
    assert row.as_903() == {
        "CHILD": child.hearth_id, "DOB": "01/06/2015", "SDQ_SCORE": "14", "SDQ_REASON": "", "CONVICTED": "",
        "HEALTH_CHECK": "", "IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1",
        "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "1", "INTERVENTION_OFFERED": "",
    }


def test_a_child_under_five_has_health_surveillance_and_no_sdq(toddler, social_worker):
    period = bring_into_care(toddler, date(2024, 3, 1))
    services.health_assessment_record(period=period, kind="initial", done_on=date(2024, 9, 30), by=social_worker)
    row = oc2_for(child=toddler, year=2025)
    assert row is not None
    assert row.health_check == 0  # the 6-monthly review was overdue on 31 March
    services.health_assessment_record(period=period, kind="review", done_on=date(2024, 10, 1), by=social_worker)
    row = oc2_for(child=toddler, year=2025)
    assert row is not None and row.health_check == 1
    assert (row.sdq_score, row.sdq_reason) == (None, "") and "SDQ score or reason" not in row.missing


def test_an_sdq_is_due_from_4_at_the_start_of_the_year_to_16_at_its_end(la, social_worker):
    just_four = make_person(la, date_of_birth=date(2020, 4, 1))  # 4 on 1 April 2024
    seventeen = make_person(la, date_of_birth=date(2007, 4, 1))  # 17 on 1 April 2024
    for child in (just_four, seventeen):
        bring_into_care(child, date(2024, 1, 1))
    due_four, due_seventeen = oc2_for(child=just_four, year=2025), oc2_for(child=seventeen, year=2025)
    assert due_four is not None and "SDQ score or reason" in due_four.missing
    assert due_seventeen is not None and "SDQ score or reason" not in due_seventeen.missing


def _due_list(la, n: int) -> None:
    for i in range(n):
        bring_into_care(make_person(la, first_name=f"Child{i}"), date(2024, 1, 1))


def test_the_list_names_only_children_the_user_may_see_and_counts_the_others(la, social_worker):
    open_child = make_person(la, first_name="Open", last_name="Child")
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Hidden", last_name="Child")
    named = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Named", last_name="Child")
    for child in (open_child, hidden, named):
        bring_into_care(child, date(2024, 1, 1))
    allow_list_add(person=named, user=social_worker, reason="Allocated worker", by="test")
    listing = children_due_oc2(user=social_worker, year=2025)
    assert {row.child.pk for row in listing.rows} == {open_child.pk, named.pk}
    assert listing.hidden == 1


def test_the_list_reads_a_fixed_number_of_queries(la, social_worker):
    _due_list(la, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(children_due_oc2(user=social_worker, year=2025).rows) == 2
    _due_list(la, 8)
    with CaptureQueriesContext(connection) as many:
        assert len(children_due_oc2(user=social_worker, year=2025).rows) == 10
    assert len(many) == len(few)


# ---------------------------------------------------------------- DfE's age rules, as the 903 return sends them


def _looked_after_all_year(la, born: date, *, first_name: str = "Child") -> Person:
    child = make_person(la, first_name=first_name, date_of_birth=born)
    bring_into_care(child, date(2024, 1, 1))
    return child


def test_no_conviction_is_shown_or_returned_for_a_child_under_10_at_31_march(la, social_worker):
    nine = _looked_after_all_year(la, date(2016, 6, 1), first_name="Nine")  # 9 on 31 March 2026
    ten = _looked_after_all_year(la, date(2016, 3, 31), first_name="Ten")  # 10 on 31 March 2026
    for child in (nine, ten):
        services.oc2_outcome_save(child=child, year=2026, convicted=True, substance_misuse=False,
                                  by=social_worker)
    row = oc2_for(child=nine, year=2026)
    assert row is not None and row.convicted is None and row.as_903()["CONVICTED"] == ""
    assert row.outcome is not None and row.outcome.convicted  # what was typed is kept, just not returned
    listed = {r.child.pk: r for r in children_due_oc2(user=social_worker, year=2026).rows}
    assert listed[nine.pk].convicted is None and listed[ten.pk].convicted == 1
    # 10 on 31 March itself: the item is returned.
    row = oc2_for(child=ten, year=2026)
    assert row is not None and row.as_903()["CONVICTED"] == "1"


def test_a_child_turning_17_or_4_in_the_year_with_no_sdq_gets_reason_sdq1(la, social_worker):
    seventeen = _looked_after_all_year(la, date(2008, 9, 1), first_name="Turning17")  # 17 on 1 September 2025
    four = _looked_after_all_year(la, date(2021, 9, 1), first_name="Turning4")
    four_on_1_april = _looked_after_all_year(la, date(2021, 4, 1), first_name="FourOnDayOne")
    seventeen_on_1_april = _looked_after_all_year(la, date(2008, 4, 1), first_name="SeventeenOnDayOne")
    for child in (seventeen, four):
        row = oc2_for(child=child, year=2026)
        assert row is not None
        assert (row.sdq_score, row.sdq_reason) == (None, "SDQ1") and "SDQ score or reason" not in row.missing
    # 4 on 1 April is within the SDQ ages all year: a real SDQ is due, not an age reason.
    row = oc2_for(child=four_on_1_april, year=2026)
    assert row is not None and row.sdq_reason == "" and "SDQ score or reason" in row.missing
    # 17 on 1 April is past the SDQ ages all year: no SDQ item is sent at all (903 rule 189).
    row = oc2_for(child=seventeen_on_1_april, year=2026)
    assert row is not None and (row.sdq_score, row.sdq_reason) == (None, "")

    page = client_for(social_worker).get("/children-in-care/outcomes/?year=2026").content.decode()
    row_html = next(tr for tr in page.split("<tr") if "Turning17" in tr)
    assert "SDQ1" in row_html and "Not returned" not in row_html


def test_oc2_rows_are_the_councils_children_due_in_child_order(la, social_worker):
    due = [_looked_after_all_year(la, date(2012, 5, 5)) for _ in range(3)]
    bring_into_care(make_person(la, date_of_birth=date(2012, 5, 5)), date(2025, 5, 1))  # not 12 months
    _looked_after_all_year(make_la(name="Another Council"), date(2012, 5, 5))
    rows = oc2_rows(local_authority=la, year=2026)
    assert [r.child.pk for r in rows] == sorted(c.pk for c in due)
    one_by_one = [oc2_for(child=c, year=2026) for c in sorted(due, key=lambda c: c.pk)]
    assert [r.as_903() for r in rows] == [r.as_903() for r in one_by_one if r is not None]
    assert oc2_rows(local_authority=la.pk, year=2026) == rows


def test_oc2_rows_reads_a_fixed_number_of_queries(la, social_worker):
    _due_list(la, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(oc2_rows(local_authority=la, year=2025)) == 2
    _due_list(la, 8)
    with CaptureQueriesContext(connection) as many:
        assert len(oc2_rows(local_authority=la, year=2025)) == 10
    assert len(many) == len(few)


def test_the_903_return_sends_exactly_the_oc2_rows(la, social_worker):
    nine = _looked_after_all_year(la, date(2016, 6, 1))
    ten = _looked_after_all_year(la, date(2016, 3, 31))
    seventeen = _looked_after_all_year(la, date(2008, 9, 1))
    four = _looked_after_all_year(la, date(2021, 9, 1))
    scored = _looked_after_all_year(la, date(2013, 1, 20))
    for child in (nine, ten, seventeen, scored):
        services.oc2_outcome_save(child=child, year=2026, convicted=True, substance_misuse=False,
                                  by=social_worker)
    services.sdq_record(period=scored.periods_of_care.get(), completed_on=date(2025, 10, 1), score=9,
                        by=social_worker)
    bring_into_care(make_person(la, date_of_birth=date(2012, 5, 5)), date(2025, 5, 1))  # not due

    ret = build_903(local_authority=la, year=2026, with_previous=False)

    expected = [row.as_903() for row in oc2_rows(local_authority=la, year=2026)]
    assert len(expected) == 5 and ret.table("OC2") == expected
    items = {r["CHILD"]: (r["CONVICTED"], r["SDQ_SCORE"], r["SDQ_REASON"]) for r in expected}
    assert items == {nine.hearth_id: ("", "", ""), ten.hearth_id: ("1", "", ""), seventeen.hearth_id: ("1", "", "SDQ1"),
                     four.hearth_id: ("", "", "SDQ1"), scored.hearth_id: ("1", "9", "")}
    # What the age rules ask for is met.
    for code in ("542", "543", "197B", "188", "189"):
        assert run_rule_903(code, ret) == [], code
