"""search_people: each kind of query, ranking, and who is never found."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.access.services import allow_list_add
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.search.selectors import search_people
from tests.factories import make_la, make_person, make_team, make_user
from tests.search.conftest import Town


def names(hits):
    return [h.person.full_name for h in hits]


def ids(hits):
    return [h.person.pk for h in hits]


@pytest.fixture
def worker(la, team):
    return make_user(la, Role.SOCIAL_WORKER, team)


def test_full_name_puts_the_exact_match_first_and_sounds_alike_after(town: Town, worker):
    hits = search_people(user=worker, query="Jordan Smith")
    assert ids(hits) == [town.jordan.pk, town.jordon.pk]
    assert hits[0].reasons == ["Same first name", "Same last name"]
    assert hits[0].score > hits[1].score
    assert "Last name sounds the same (Smith / Smyth)" in hits[1].reasons


def test_misspelt_name_still_finds_the_child(town: Town, worker):
    hits = search_people(user=worker, query="Jordn Smiht")
    assert town.jordan.pk in ids(hits)
    hits = search_people(user=worker, query="Hordan Smith")  # first letter wrong: fuzzy only
    assert ids(hits)[0] == town.jordan.pk
    assert any(r.startswith("Similar first name (Hordan / Jordan)") for r in hits[0].reasons)


def test_exact_beats_nickname_beats_phonetic_beats_fuzzy(la, worker):
    exact = make_person(la, first_name="Katherine", last_name="Alder")
    nickname = make_person(la, first_name="Kate", last_name="Alder")
    phonetic = make_person(la, first_name="Katheryn", last_name="Alder")
    fuzzy = make_person(la, first_name="Katherime", last_name="Alder")
    from hearth.search.services import name_keys_rebuild

    name_keys_rebuild(local_authority=la)
    hits = search_people(user=worker, query="katherine alder")
    assert ids(hits) == [exact.pk, nickname.pk, phonetic.pk, fuzzy.pk]
    assert hits[0].score > hits[1].score > hits[2].score > hits[3].score


def test_nicknames_and_spelling_variants(town: Town, worker):
    assert ids(search_people(user=worker, query="Bill Brown")) == [town.william.pk]
    kate = search_people(user=worker, query="Cathy O'Neil")
    assert set(ids(kate)) == {town.katherine.pk, town.catherine.pk}
    assert set(ids(search_people(user=worker, query="mohamed khan"))) == {town.mohammed.pk, town.muhammad.pk}
    assert ids(search_people(user=worker, query="aisha")) == [town.aisha.pk]


def test_preferred_and_previous_names_are_searched(town: Town, worker):
    assert ids(search_people(user=worker, query="kate smith")) == [town.katherine.pk]
    hits = search_people(user=worker, query="Leah Fletcher")
    assert ids(hits) == [town.leah.pk]
    assert "Matches a previous surname (Fletcher)" in hits[0].reasons


def test_hyphenated_and_apostrophe_names(town: Town, worker):
    for query in ("oneil-smith", "O'Neil Smith", "ONeilSmith", "katherine o\u2019neil"):
        assert town.katherine.pk in ids(search_people(user=worker, query=query)), query


def test_partly_typed_name_matches_by_prefix(town: Town, worker):
    assert set(ids(search_people(user=worker, query="jord"))) == {town.jordan.pk, town.jordon.pk, town.jordana.pk}
    assert ids(search_people(user=worker, query="jordan smi")) == [town.jordan.pk]


def test_exact_date_of_birth(town: Town, worker):
    hits = search_people(user=worker, query="27/3/2015")
    assert ids(hits) == [town.jordan.pk]
    assert hits[0].reasons == ["Same date of birth"]
    for query in ("27-03-2015", "2015-03-27", "27.3.2015", "27 March 2015", "27 3 2015"):
        assert ids(search_people(user=worker, query=query)) == [town.jordan.pk], query


def test_partial_dates_month_and_year(town: Town, worker):
    assert set(ids(search_people(user=worker, query="3/2015"))) == {town.jordan.pk, town.leah.pk}
    assert set(ids(search_people(user=worker, query="03/2015"))) == {town.jordan.pk, town.leah.pk}
    assert set(ids(search_people(user=worker, query="March 2015"))) == {town.jordan.pk, town.leah.pk}
    assert set(ids(search_people(user=worker, query="2015"))) == {town.jordan.pk, town.leah.pk}
    assert set(ids(search_people(user=worker, query="2016"))) == {town.mohammed.pk}


def test_name_with_a_date(town: Town, worker):
    assert ids(search_people(user=worker, query="jordan 2015")) == [town.jordan.pk]
    assert ids(search_people(user=worker, query="smith 27/3/2015")) == [town.jordan.pk]
    assert ids(search_people(user=worker, query="jordan 2014")) == [town.jordon.pk]
    assert search_people(user=worker, query="jordan 1999") == []


def test_postcode_current_and_previous(town: Town, worker):
    hits = search_people(user=worker, query="ng23ng")
    assert ids(hits) == [town.jordan.pk, town.jordon.pk]
    assert hits[0].reasons == ["Lives at NG2 3NG"] and hits[0].postcode == "NG2 3NG"
    assert hits[1].reasons == ["Lived at NG2 3NG"] and hits[1].postcode == "NG7 1AA"
    assert set(ids(search_people(user=worker, query="NG7"))) == {town.jordon.pk}
    assert ids(search_people(user=worker, query="smyth NG2 3NG"))[0] == town.jordon.pk


def test_nhs_number_upn_and_hearth_id(town: Town, worker):
    assert ids(search_people(user=worker, query="943 476 5919")) == [town.jordan.pk]
    assert ids(search_people(user=worker, query="9434765919")) == [town.jordan.pk]
    assert ids(search_people(user=worker, query="x801200000001")) == [town.jordan.pk]
    assert ids(search_people(user=worker, query=town.katherine.hearth_id)) == [town.katherine.pk]
    assert search_people(user=worker, query="4010232137") == []


def test_former_upn_is_searched(la, worker):
    person = make_person(la, upn="A801200000002", former_upn="X801200000001")
    hits = search_people(user=worker, query="X801200000001")
    assert ids(hits) == [person.pk]
    assert hits[0].reasons == ["Same former UPN"]


@pytest.mark.parametrize("query", ["", "   ", "!!!", "12", "j", "31/2/2015", "13/2015", "?" * 500, "%", "_", "'; --"])
def test_empty_or_garbage_queries_return_nothing_without_error(town: Town, worker, query):
    assert search_people(user=worker, query=query) == []


def test_restricted_and_sealed_records_are_never_returned(town: Town, worker):
    found = ids(search_people(user=worker, query="Jordan Smith 27/3/2015"))
    assert found == [town.jordan.pk]
    for query in ("Jordan Smith", "27/3/2015", "smith", "2015", "3/2015", town.restricted.hearth_id,
                  town.sealed.hearth_id):
        found = ids(search_people(user=worker, query=query))
        assert town.restricted.pk not in found and town.sealed.pk not in found


def test_allow_listed_user_finds_the_sealed_record(town: Town, worker):
    allow_list_add(person=town.sealed, user=worker, reason="Allocated", by="test")
    assert town.sealed.pk in ids(search_people(user=worker, query="Jordan Smith"))


def test_other_councils_records_are_never_returned(town: Town):
    other = make_la(name="Elsewhere")
    outsider = make_user(other, Role.SOCIAL_WORKER, make_team(other))
    theirs = make_person(other, first_name="Jordan", last_name="Smith", date_of_birth=date(2015, 3, 27))
    from hearth.search.services import name_keys_rebuild

    name_keys_rebuild(local_authority=other)
    for query in ("Jordan Smith", "27/3/2015", "943 476 5919", "NG2 3NG", town.jordan.hearth_id):
        assert all(h.person.local_authority_id == other.pk for h in search_people(user=outsider, query=query))
    assert ids(search_people(user=outsider, query="Jordan Smith")) == [theirs.pk]


def test_merged_records_are_excluded(town: Town, worker):
    with acting_as("test"):
        town.jordon.merged_into = town.jordan
        town.jordon.save()
    for query in ("Jordan Smith", "jordon smyth", "NG2 3NG", town.jordon.hearth_id, "2014"):
        assert town.jordon.pk not in ids(search_people(user=worker, query=query))


def test_staff_without_case_access_find_no_one(town: Town, la):
    analyst = make_user(la, Role.PERFORMANCE_ANALYST)
    assert search_people(user=analyst, query="Jordan Smith") == []


def test_limit_caps_the_results(la, worker):
    for i in range(12):
        make_person(la, first_name="Riley", last_name=f"Stone{i}")
    from hearth.search.services import name_keys_rebuild

    name_keys_rebuild(local_authority=la)
    assert len(search_people(user=worker, query="riley", limit=5)) == 5
    assert len(search_people(user=worker, query="riley")) == 12


def test_postcode_area_does_not_match_a_longer_outward_code(town: Town, worker, la):
    from tests.search.factories import add_address

    elsewhere = make_person(la, first_name="Nia", last_name="Evans")
    add_address(elsewhere, "NG20 1AA")
    found = ids(search_people(user=worker, query="NG2"))
    assert elsewhere.pk not in found and town.jordan.pk in found
    assert ids(search_people(user=worker, query="ng20")) == [elsewhere.pk]
