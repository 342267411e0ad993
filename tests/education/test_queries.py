"""The registers and case pages use a fixed number of queries, however many children and steps."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from hearth.education import services
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person
from tests.queries import query_count

from .factories import cme_for, ehe_for, in_care, in_need

pytestmark = pytest.mark.django_db


def _add(la, officer, n: int) -> None:
    for i in range(n):
        level = Person.AccessLevel.RESTRICTED if i % 5 == 4 else Person.AccessLevel.OPEN
        child = make_person(la, level)
        if i % 3 == 0:
            in_need(child)
        elif i % 3 == 1:
            in_care(child)
        cme = cme_for(child, officer, on=date(2026, 3, 2))
        services.cme_enquiry_record(case=cme, made_on=date(2026, 3, 3), agency="school", found="x", by=officer)
        ehe = ehe_for(child, officer, on=date(2026, 3, 2))
        services.ehe_visit_record(case=ehe, happened_on=date(2026, 3, 4), kind="home_visit", notes="x", by=officer)


@pytest.mark.parametrize("params", [{}, {"status": "all"}, {"flagged": "on"}, {"status": "closed"}])
def test_the_registers_page_query_count_is_the_same_for_few_and_many_children(la, officer, params):
    client = client_for(officer)
    _add(la, officer, 2)
    few = query_count(lambda: client.get("/education/", params))
    _add(la, officer, 25)
    many = query_count(lambda: client.get("/education/", params))
    assert few == many
    # Session and user (and its save), permissions, the notifications badge; per register: counts, page
    # count, rows with their flags, and the flags not yet told (cases, then what was told).
    assert many <= 18


def test_a_case_page_query_count_is_the_same_for_few_and_many_steps(la, officer, child):
    in_need(child)
    cme = cme_for(child, officer, on=date(2026, 3, 2))
    ehe = ehe_for(child, officer, on=date(2026, 3, 2))
    client = client_for(officer)

    def steps(n: int) -> None:
        for _ in range(n):
            services.cme_enquiry_record(case=cme, made_on=date(2026, 3, 3), agency="school", found="x", by=officer)
            services.ehe_visit_record(case=ehe, happened_on=date(2026, 3, 4), kind="declined", notes="x", by=officer)

    pages = [f"/education/missing-education/{cme.pk}/", f"/education/home-education/{ehe.pk}/"]
    steps(1)
    few = [query_count(partial(client.get, url)) for url in pages]
    steps(15)
    many = [query_count(partial(client.get, url)) for url in pages]
    assert few == many
