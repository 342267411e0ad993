from __future__ import annotations

import random

import jellyfish
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.accounts.models import Team
from hearth.demo.council import CHILDREN_IN_CARE, SIZES, open_case_counts
from hearth.demo.names import NICKNAMES, POOLS, same_nickname_group, typo
from hearth.demo.places import DISTRICTS, Identifiers, broken_nhs_number, broken_upn, build_places
from hearth.people.validators import is_valid_nhs_number, is_valid_upn, normalise_postcode, validate_postcode

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz'-", min_size=1, max_size=14).map(
    lambda s: "A" + s
)


@given(name=names, seed=st.integers(0, 2**32))
def test_a_typo_is_one_slip_away_and_keeps_the_first_letter(name, seed):
    slipped = typo(name, random.Random(seed))
    assert slipped != name
    assert slipped[0] == name[0]
    assert jellyfish.damerau_levenshtein_distance(name, slipped) == 1


@settings(max_examples=30)
@given(seed=st.integers(0, 2**32))
def test_identifiers_pass_their_checks_and_are_never_issued_twice(seed):
    ids = Identifiers(random.Random(seed), la_number="892")
    rng = random.Random(seed)
    nhs = [ids.nhs_number() for _ in range(300)]
    upns = [ids.upn(establishment=str(rng.randint(2000, 2005)), year=rng.randint(2008, 2012)) for _ in range(300)]
    assert len(set(nhs)) == len(nhs) and all(is_valid_nhs_number(n) and n.startswith("999") for n in nhs)
    assert len(set(upns)) == len(upns) and all(is_valid_upn(u) and u[1:4] == "892" for u in upns)
    assert not any(is_valid_nhs_number(broken_nhs_number(n, rng)) for n in nhs[:50])
    assert not any(is_valid_upn(broken_upn(u, rng)) for u in upns[:50])


def test_a_school_that_runs_out_of_numbers_in_a_year_moves_to_the_next_establishment_number():
    ids = Identifiers(random.Random(1), la_number="892")
    upns = [ids.upn(establishment="2001", year=2015) for _ in range(1200)]
    assert len(set(upns)) == 1200 and all(is_valid_upn(u) for u in upns)
    assert {u[4:8] for u in upns} == {"2001", "2002"}


def test_places_have_valid_nottingham_postcodes_gps_and_schools():
    fake = Faker("en_GB")
    fake.seed_instance(3)
    places = build_places(random.Random(3), fake, households=3000)
    postcodes = [p for street in places.streets for p in street.postcodes]
    for postcode in postcodes:
        validate_postcode(postcode)
        assert normalise_postcode(postcode) == postcode
        assert postcode.split()[0] in DISTRICTS
    assert len(places.streets) >= 500
    assert set(places.gps) == set(DISTRICTS)
    school_codes = [s.code for schools in places.schools.values() for s in schools]
    assert len(set(school_codes)) == len(school_codes) and all(len(c) == 6 for c in school_codes)


def test_nicknames_read_both_ways_and_never_repeat_the_legal_name():
    for legal, short in NICKNAMES.items():
        assert legal not in short
        for nick in short:
            assert same_nickname_group(legal, nick) and same_nickname_group(nick, legal)
    assert not same_nickname_group("Olivia", "Amelia")
    for pool in POOLS.values():
        assert pool.boys and pool.girls and pool.surnames


def test_open_cases_add_up_and_children_in_care_follow_the_size():
    for size, total in SIZES.items():
        counts = open_case_counts(size)
        assert sum(counts.values()) == total
        assert counts[Team.Kind.CHILDREN_IN_CARE] == CHILDREN_IN_CARE[size]
        assert all(count > 0 for count in counts.values())
