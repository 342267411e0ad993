"""search_people and likely_matches use a fixed number of queries, however many people match."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.roles import Role
from hearth.search.selectors import likely_matches, search_people
from hearth.search.services import name_keys_rebuild
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.search.factories import add_address, add_other_name

QUERIES = ["Jordan Smith", "jordn smiht", "smith", "3/2015", "2015", "2/3/2015", "NG2 3NG", "9434765919",
           "jordan smith 2015"]


def _people(la, n):
    for i in range(n):
        person = make_person(la, first_name="Jordan" if i % 2 else "Jordon", last_name="Smith" if i % 3 else "Smyth",
                             date_of_birth=date(2015, 3, 1 + i % 28), nhs_number="9434765919" if i == 0 else "")
        add_address(person, "NG2 3NG")
        add_other_name(person, last_name=f"Previous{i}")
    name_keys_rebuild(local_authority=la)


def _counts(user):
    counts = {}
    for query in QUERIES:
        with CaptureQueriesContext(connection) as ctx:
            hits = search_people(user=user, query=query)
        counts[query] = (len(ctx.captured_queries), bool(hits))
    with CaptureQueriesContext(connection) as ctx:
        likely_matches(user=user, first_name="Jordan", last_name="Smith", date_of_birth=date(2015, 3, 2),
                       postcode="NG2 3NG", nhs_number="9434765919")
    counts["likely"] = (len(ctx.captured_queries), True)
    return counts


@pytest.mark.django_db
def test_query_count_is_the_same_for_few_and_many_people(la, team):
    user = make_user(la, Role.SOCIAL_WORKER, team)
    _people(la, 3)
    few = _counts(user)
    _people(la, 40)
    many = _counts(user)
    assert few == many
    assert all(found for _count, found in many.values())
    # Names: candidates, their names, their other names, the hits, the hits' addresses.
    assert many["Jordan Smith"][0] <= 5
    assert max(count for count, _found in many.values()) <= 5


def test_search_page_query_count_is_the_same_for_few_and_many_people(la, team):
    user = make_user(la, Role.SOCIAL_WORKER, team)
    client = client_for(user)
    _people(la, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/search/", {"q": "jordan smith"}).status_code == 200
    _people(la, 40)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/search/", {"q": "jordan smith"}).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)
