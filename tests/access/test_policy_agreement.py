"""The single-record check and the list scoping are one rule: they must agree for every input."""

from __future__ import annotations

from datetime import timedelta

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
from hearth.search.selectors import search_people
from tests.factories import make_la, make_person, make_user

LEVELS = list(Person.AccessLevel.values)
ROLES = list(Role.values)

users_st = st.lists(st.tuples(st.integers(0, 1), st.sampled_from(ROLES), st.booleans()), min_size=1, max_size=5)
people_st = st.lists(st.tuples(st.integers(0, 1), st.sampled_from(LEVELS), st.booleans()), min_size=1, max_size=6)
grants_st = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 5), st.booleans()), max_size=8)


class PolicyAgreement(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(users=users_st, people=people_st, allow=grants_st, glass=grants_st)
    def test_object_check_and_list_scope_agree(self, users, people, allow, glass):
        councils = [make_la(), make_la()]
        staff = [make_user(councils[la], role, is_active=active) for la, role, active in users]
        records = [make_person(councils[la], level, first_name="Kit") for la, level, _ in people]
        with acting_as("test"):
            for record, (_, _, merged) in zip(records, people, strict=True):
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
        for user in staff:
            listed = set(people_visible_to(user=user).values_list("pk", flat=True))
            checked = {p.pk for p in records if can_view_person(user, p)}
            assert listed == checked
            assert checked == {p.pk for p in records if user.has_perm("people.view_person", p)}
            # Search goes through the same door.
            assert {hit.person.pk for hit in search_people(user=user, query="Kit")} == checked
            for person in records:
                if person.access_level == Person.AccessLevel.SEALED and person.pk in checked:
                    assert AllowListEntry.objects.filter(person=person, user=user, revoked_at__isnull=True).exists()
                if person.local_authority_id != user.local_authority_id:
                    assert person.pk not in checked
