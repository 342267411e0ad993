"""OC3: who is in it, and IN_TOUCH, ACTIV and ACCOM from the records nearest the birthday."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.access.selectors import people_visible_to
from hearth.care_leavers import services
from hearth.care_leavers.oc3 import collection_year, oc3_birthday, oc3_result
from hearth.care_leavers.selectors import oc3_for, oc3_rows
from hearth.care_leavers.status import CarePeriod
from hearth.people.models import Person
from tests.factories import make_person

from .factories import in_care

# 18 on 10 June 2025: in collection year 2026 (1 April 2025 to 31 March 2026).
DOB = date(2007, 6, 10)
B18 = date(2025, 6, 10)
LEFT_AT_18 = [CarePeriod(date(2021, 1, 4), B18)]


def row(periods=LEFT_AT_18, contacts=(), accommodation=(), activities=(), died=None, dob=DOB, year=2026):
    return oc3_result(child_id=1, date_of_birth=dob, date_of_death=died, periods=periods, decisions=(),
                      contacts=list(contacts), accommodation=list(accommodation), activities=list(activities),
                      year=year)


def test_the_collection_year_runs_april_to_march_and_is_named_by_its_end():
    assert collection_year(2026) == (date(2025, 4, 1), date(2026, 3, 31))
    assert oc3_birthday(DOB, 2026) == (18, B18)
    assert oc3_birthday(date(2009, 3, 31), 2026) == (17, date(2026, 3, 31))
    assert oc3_birthday(date(2009, 4, 1), 2026) is None  # 17 on 1 April 2026: next year
    assert oc3_birthday(date(2004, 4, 1), 2026) == (21, date(2025, 4, 1))
    assert oc3_birthday(date(2004, 3, 31), 2026) is None  # 22 in the year


def test_in_touch_activity_and_accommodation_from_the_records_nearest_the_birthday():
    result = row(contacts=[(B18 - timedelta(days=80), "NO"), (B18 + timedelta(days=10), "YES"),
                           (B18 + timedelta(days=200), "REFU")],
                 accommodation=[(date(2024, 1, 1), "C", True), (B18, "U", False)],
                 activities=[(date(2024, 9, 1), "F2"), (B18 + timedelta(days=40), "G5")])
    assert result.row is not None
    assert (result.row.in_touch, result.row.activity, result.row.accommodation) == ("YES", "F2", "U2")
    assert result.row.contact_on == B18 + timedelta(days=10)
    assert result.row.warnings == ()


def test_a_tie_goes_to_the_contact_before_the_birthday():
    result = row(contacts=[(B18 + timedelta(days=5), "REFU"), (B18 - timedelta(days=5), "YES")],
                 accommodation=[(B18, "U", True)], activities=[(B18, "F5")])
    assert result.row.in_touch == "YES"


def test_no_contact_within_3_months_is_not_in_touch_and_old_records_are_not_used():
    result = row(contacts=[(B18 - timedelta(days=100), "YES")],
                 accommodation=[(date(2024, 1, 1), "U", True)], activities=[(B18 + timedelta(days=30), "F1")])
    assert result.row.in_touch == "NO"
    assert result.row.accommodation == "0"  # known only from before the window
    assert result.row.activity == "F1"  # began within it
    assert "not in touch" in result.row.warnings[0]


def test_in_touch_without_activity_or_accommodation_is_flagged_for_rule_345():
    result = row(contacts=[(B18, "YES")])
    assert (result.row.activity, result.row.accommodation) == ("0", "0")
    assert any("345" in w for w in result.row.warnings)


def test_died_or_returned_home_have_no_activity_or_accommodation():
    left_at_17 = [CarePeriod(date(2021, 1, 4), B18 - timedelta(days=200))]
    died = row(periods=left_at_17, died=B18 - timedelta(days=30), accommodation=[(B18 - timedelta(days=60), "U", True)])
    assert (died.row.in_touch, died.row.activity, died.row.accommodation) == ("DIED", "0", "0")
    home = row(contacts=[(B18, "RHOM")], activities=[(B18, "F2")])
    assert (home.row.in_touch, home.row.activity, home.row.accommodation) == ("RHOM", "0", "0")


def test_still_looked_after_on_the_birthday_or_leaving_after_it_is_not_returned():
    assert "1007" in row(periods=[CarePeriod(date(2021, 1, 4), B18 + timedelta(days=1))]).reason
    assert "1007" in row(periods=[CarePeriod(date(2021, 1, 4), None)]).reason
    late = [CarePeriod(date(2021, 1, 4), date(2024, 12, 1)),
            CarePeriod(B18 - timedelta(days=200), B18 - timedelta(days=1)),
            CarePeriod(B18 + timedelta(days=20), B18 + timedelta(days=60))]
    assert "1016" in row(periods=late).reason


def test_who_is_left_out():
    assert "391" in row(dob=date(2010, 1, 1)).reason
    assert "1002" in row(periods=[]).reason
    assert "1000" in row(periods=[CarePeriod(date(2021, 1, 4), date(2024, 1, 1), reason_ceased="E2")]).reason
    # Looked after for 8 weeks at 17: a qualifying care leaver, not in OC3.
    assert "1001" in row(periods=[CarePeriod(date(2024, 9, 1), date(2024, 10, 27))]).reason


def test_former_foster_carers_at_17_is_flagged_for_rule_3001():
    dob17 = date(2008, 6, 10)
    periods = [CarePeriod(date(2022, 1, 4), date(2025, 1, 10))]
    result = row(dob=dob17, periods=periods, contacts=[(date(2025, 6, 10), "YES")],
                 accommodation=[(date(2025, 2, 1), "Z", True)], activities=[(date(2025, 2, 1), "F2")])
    assert result.row.age == 17 and any("3001" in w for w in result.row.warnings)


@pytest.mark.django_db
def test_oc3_rows_reads_a_fixed_number_of_queries_and_returns_only_the_cohort(la):
    def leaver(n: int, **extra):
        child = make_person(la, date_of_birth=date(2005, 5, 1) + timedelta(days=n), **extra)
        in_care(child, date(2020, 1, 6), date(2023, 5, 1) + timedelta(days=n))
        services.contact_record(child=child, contacted_on=date(2025, 5, 1) + timedelta(days=n), method="phone",
                                in_touch="YES", by="t")
        services.accommodation_record(child=child, started_on=date(2024, 1, 1), accommodation="U", suitable=True,
                                      by="t")
        services.activity_record(child=child, started_on=date(2024, 1, 1), activity="F5", by="t")
        return child

    leaver(0)
    make_person(la, date_of_birth=date(2005, 6, 1))  # never looked after
    with CaptureQueriesContext(connection) as few:
        assert len(oc3_rows(local_authority=la, year=2026)) == 1
    for n in range(1, 6):
        leaver(n)
    with CaptureQueriesContext(connection) as many:
        rows = oc3_rows(local_authority=la, year=2026)
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(rows) == 6
    assert {(r.row.age, r.row.in_touch, r.row.activity, r.row.accommodation) for r in rows} == {(20, "YES", "F5", "U1")}


@pytest.mark.django_db
def test_oc3_for_one_young_person_and_the_visible_filter(la, social_worker):
    child = make_person(la, Person.AccessLevel.RESTRICTED, date_of_birth=date(2005, 5, 1))
    in_care(child, date(2020, 1, 6), date(2023, 5, 1))
    assert oc3_for(child=child, year=2026).row.in_touch == "NO"
    assert len(oc3_rows(local_authority=la, year=2026)) == 1
    assert oc3_rows(local_authority=la, year=2026, people=people_visible_to(user=social_worker)) == []
