"""Search never returns a record the user may not open: for every mix of users, records and grants."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hearth.access.models import AllowListEntry, BreakGlassAccess
from hearth.access.policy import can_view_person
from hearth.access.selectors import people_visible_to
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.people.models import Person
from hearth.search.selectors import likely_matches, search_people
from hearth.search.services import name_keys_rebuild
from tests.factories import make_la, make_person, make_user
from tests.search.factories import add_address

LEVELS = list(Person.AccessLevel.values)
ROLES = list(Role.values)
FIRST = ["Kit", "Kitt", "Christopher", "Kat"]

users_st = st.lists(st.tuples(st.integers(0, 1), st.sampled_from(ROLES), st.booleans()), min_size=1, max_size=4)
people_st = st.lists(st.tuples(st.integers(0, 1), st.sampled_from(LEVELS), st.booleans(), st.sampled_from(FIRST)),
                     min_size=1, max_size=6)
grants_st = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), st.booleans()), max_size=6)
QUERIES = ["Kit Marlowe", "kit", "Marlow", "27/3/2015", "3/2015", "2015", "NG2 3NG", "NG2", "9434765919"]


class SearchHonoursAccess(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(users=users_st, people=people_st, allow=grants_st, glass=grants_st)
    def test_results_are_always_within_what_the_user_may_open(self, users, people, allow, glass):
        councils = [make_la(), make_la()]
        staff = [make_user(councils[la], role, is_active=active) for la, role, active in users]
        records = [make_person(councils[la], level, first_name=first, last_name="Marlowe",
                               date_of_birth=date(2015, 3, 27), nhs_number="9434765919")
                   for la, level, _, first in people]
        for record in records:
            add_address(record, "NG2 3NG")
        with acting_as("test"):
            for record, (_, _, merged, _) in zip(records, people, strict=True):
                if merged and record is not records[0]:
                    record.merged_into = records[0]
                    record.save()
        now = timezone.now()
        with acting_as("test"):
            for u, p, revoked in allow:
                user, person = staff[u % len(staff)], records[p % len(records)]
                if AllowListEntry.objects.filter(person=person, user=user, revoked_at__isnull=True).exists():
                    continue
                AllowListEntry(local_authority=person.local_authority, person=person, user=user,
                               revoked_at=now if revoked else None).save()
            for u, p, expired in glass:
                user, person = staff[u % len(staff)], records[p % len(records)]
                BreakGlassAccess(local_authority=person.local_authority, person=person, user=user, reason="r" * 20,
                                 opened_at=now - timedelta(hours=20),
                                 expires_at=now - timedelta(hours=1) if expired else now + timedelta(hours=1)).save()
        for council in councils:
            name_keys_rebuild(local_authority=council)
        for user in staff:
            visible = set(people_visible_to(user=user).values_list("pk", flat=True))
            may_open = {p.pk for p in records if can_view_person(user, p)}
            assert visible == may_open
            for query in QUERIES:
                found = {h.person.pk for h in search_people(user=user, query=query)}
                assert found <= may_open, query
                # Every record matches every query here, so search finds exactly what the user may open.
                if query in ("27/3/2015", "2015", "NG2 3NG", "9434765919"):
                    assert found == may_open, query
            likely = {h.person.pk for h in likely_matches(user=user, first_name="Kit", last_name="Marlowe",
                                                          date_of_birth=date(2015, 3, 27))}
            assert likely <= may_open
