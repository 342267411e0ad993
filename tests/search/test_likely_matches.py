"""The check before a new record: likely existing matches, most likely first, with reasons."""

from __future__ import annotations

from datetime import date

from hearth.audit.actor import acting_as
from hearth.people.models import Person
from hearth.search.selectors import likely_matches
from hearth.search.services import name_keys_rebuild
from tests.factories import make_la, make_person
from tests.search.conftest import Town


def ids(hits):
    return [h.person.pk for h in hits]


def test_same_nhs_number_ranks_top_whatever_the_name(town: Town, social_worker):
    hits = likely_matches(user=social_worker, first_name="Jo", last_name="Smithson", nhs_number="943 476 5919")
    assert ids(hits)[0] == town.jordan.pk
    assert "Same NHS number" in hits[0].reasons


def test_same_upn_or_former_upn(town: Town, social_worker, la):
    hits = likely_matches(user=social_worker, first_name="Jordan", last_name="Smith", upn="x801200000001")
    assert ids(hits)[0] == town.jordan.pk and "Same UPN" in hits[0].reasons
    moved = make_person(la, first_name="Kai", last_name="Brennan", upn="A801200000002", former_upn="B801200000003")
    hits = likely_matches(user=social_worker, first_name="K", last_name="B", upn="B801200000003")
    assert ids(hits) == [moved.pk] and "Same former UPN" in hits[0].reasons


def test_exact_name_and_date_of_birth_is_a_strong_match(town: Town, social_worker):
    hits = likely_matches(user=social_worker, first_name="Jordan", last_name="Smith", date_of_birth=date(2015, 3, 27))
    assert ids(hits)[0] == town.jordan.pk
    assert hits[0].reasons == ["Same first name", "Same last name", "Same date of birth"]
    assert hits[0].score > 0.95 and hits[0].strength == "Strong"


def test_day_and_month_swapped(town: Town, social_worker):
    hits = likely_matches(user=social_worker, first_name="Jordan", last_name="Smith", date_of_birth=date(2015, 2, 6),
                          exclude_ids=[])
    assert town.jordan.pk not in ids(hits)  # 6/2 is not 27/3 swapped
    hits = likely_matches(user=social_worker, first_name="Leah", last_name="Baker", date_of_birth=date(2015, 1, 3))
    assert ids(hits)[0] == town.leah.pk
    assert "Day and month swapped in date of birth" in hits[0].reasons


def test_nickname_typo_and_previous_surname(town: Town, social_worker):
    hits = likely_matches(user=social_worker, first_name="Bill", last_name="Brown", date_of_birth=date(2013, 7, 21))
    assert ids(hits)[0] == town.william.pk
    assert "First name is another form of the same name (Bill / William)" in hits[0].reasons
    hits = likely_matches(user=social_worker, first_name="Jon", last_name="Smith", date_of_birth=date(2015, 3, 27))
    assert ids(hits)[0] == town.jordan.pk
    hits = likely_matches(user=social_worker, first_name="Jordna", last_name="Smith")
    assert ids(hits)[0] == town.jordan.pk
    assert "First name sounds the same (Jordna / Jordan)" in hits[0].reasons
    hits = likely_matches(user=social_worker, first_name="Hordan", last_name="Smith", date_of_birth=date(2015, 3, 27))
    assert ids(hits)[0] == town.jordan.pk
    assert "Similar first name (Hordan / Jordan)" in hits[0].reasons
    hits = likely_matches(user=social_worker, first_name="Leah", last_name="Fletcher", date_of_birth=date(2015, 3, 1))
    assert ids(hits)[0] == town.leah.pk
    assert "Matches a previous surname (Fletcher)" in hits[0].reasons


def test_one_digit_slip_in_the_date_of_birth(town: Town, social_worker):
    hits = likely_matches(user=social_worker, first_name="Jordan", last_name="Smith", date_of_birth=date(2015, 3, 28))
    assert ids(hits)[0] == town.jordan.pk
    assert "Date of birth differs by one digit" in hits[0].reasons


def test_same_postcode_raises_the_score(town: Town, social_worker):
    without = likely_matches(user=social_worker, first_name="Jordon", last_name="Smyth")
    with_postcode = likely_matches(user=social_worker, first_name="Jordon", last_name="Smyth", postcode="ng23ng")
    before = next(h for h in without if h.person.pk == town.jordon.pk)
    after = next(h for h in with_postcode if h.person.pk == town.jordon.pk)
    assert after.score > before.score
    assert "Lived at the same postcode" in after.reasons
    now = next(h for h in with_postcode if h.person.pk == town.jordan.pk)
    assert "Lives at the same postcode" in now.reasons


def test_a_different_date_of_birth_counts_against(town: Town, social_worker):
    hits = likely_matches(user=social_worker, first_name="Jordan", last_name="Smith", date_of_birth=date(2001, 8, 30))
    assert town.jordan.pk not in ids(hits)


def test_unrelated_people_are_not_suggested(town: Town, social_worker):
    assert likely_matches(user=social_worker, first_name="Zebedee", last_name="Quixote",
                          date_of_birth=date(1990, 1, 1)) == []
    assert likely_matches(user=social_worker, first_name="", last_name="") == []


def test_excluded_restricted_merged_and_other_council_records_never_appear(town: Town, social_worker):
    other = make_la(name="Elsewhere")
    make_person(other, first_name="Jordan", last_name="Smith", date_of_birth=date(2015, 3, 27))
    name_keys_rebuild(local_authority=other)
    with acting_as("test"):
        town.jordon.merged_into = town.jordan
        town.jordon.save()
    hits = likely_matches(user=social_worker, first_name="Jordan", last_name="Smith", date_of_birth=date(2015, 3, 27),
                          exclude_ids=[town.jordan.pk])
    found = ids(hits)
    assert town.jordan.pk not in found and town.jordon.pk not in found
    assert town.restricted.pk not in found and town.sealed.pk not in found
    assert all(h.person.local_authority_id == town.la.pk for h in hits)
    assert all(h.person.access_level == Person.AccessLevel.OPEN for h in hits)


def test_limit(la, social_worker):
    for i in range(15):
        make_person(la, first_name="Riley", last_name="Stone", date_of_birth=date(2012, 1, 1 + i))
    name_keys_rebuild(local_authority=la)
    assert len(likely_matches(user=social_worker, first_name="Riley", last_name="Stone")) == 10
    assert len(likely_matches(user=social_worker, first_name="Riley", last_name="Stone", limit=3)) == 3
