"""Name keys: normalising, phonetic codes and nicknames on British and Irish names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.search.keys import name_keys_for, name_tokens, nickname_variants, normalise_name, phonetic_key


def test_normalise_strips_accents_apostrophes_and_punctuation():
    assert normalise_name("  Zoë   O'Neil-Smith ") == "zoe oneil smith"
    assert name_tokens("O\u2019Neil-Smith") == ["oneil", "smith"]
    assert name_tokens("Ó Súilleabháin") == ["o", "suilleabhain"]
    assert name_tokens("Łukasz Grzegorz Brzęczyszczykiewicz") == ["lukasz", "grzegorz", "brzeczyszczykiewicz"]
    assert name_tokens("St. John") == ["st", "john"]
    assert name_tokens("") == []


@pytest.mark.parametrize("names", [
    ["Catherine", "Katherine", "Kathryn", "Cathryn"],
    ["Smith", "Smyth"],
    ["Stephen", "Steven"],
    ["Mohammed", "Muhammad", "Mohamed", "Mohammad"],
    ["Aisha", "Ayesha"],
    ["Leigh", "Lee"],
    ["Niamh", "Neve"],
    ["Siobhan", "Shivaun"],
    ["Thomas", "Tomas"],
    ["Thompson", "Thomson"],
    ["Phillip", "Philip"],
    ["Jon", "John"],
    ["Eoin", "Owen"],
    ["Rhys", "Reece"],
    ["MacDonald", "Mackdonald"],
    ["Geoffrey", "Jeffrey"],
    ["Claire", "Clare"],
    ["Jordan", "Jordon"],
])
def test_names_that_sound_alike_share_a_phonetic_key(names):
    assert len({phonetic_key(n) for n in names}) == 1, {n: phonetic_key(n) for n in names}


@pytest.mark.parametrize("a,b", [("Harry", "Harvey"), ("Oliver", "Olivia"), ("Smith", "Jones"),
                                 ("Sophie", "Simon"), ("Jack", "Mark")])
def test_different_names_have_different_keys(a, b):
    assert phonetic_key(a) != phonetic_key(b)


def test_phonetic_key_of_no_letters_is_empty():
    assert phonetic_key("123") == ""
    assert phonetic_key("") == ""


@pytest.mark.parametrize("short,full", [
    ("Bill", "William"), ("Kate", "Catherine"), ("Katie", "Katherine"), ("Tom", "Thomas"), ("Mo", "Mohammed"),
    ("Alex", "Alexander"), ("Alex", "Alexandra"), ("Jim", "James"), ("Jimmy", "James"), ("Liz", "Elizabeth"),
    ("Beth", "Elizabeth"), ("Dan", "Daniel"), ("Sam", "Samuel"), ("Sam", "Samantha"), ("Charlie", "Charles"),
    ("Charlie", "Charlotte"), ("Bob", "Robert"), ("Jon", "Jonathan"), ("Ted", "Edward"), ("Ollie", "Oliver"),
])
def test_nicknames_work_both_ways(short, full):
    assert full.lower() in nickname_variants(short)
    assert short.lower() in nickname_variants(full)


def test_nickname_variants_exclude_the_name_itself_and_unknown_names():
    assert "kate" not in nickname_variants("kate")
    assert nickname_variants("Zebedee") == set()
    assert nickname_variants("KATE") == nickname_variants("kate")


def test_name_keys_index_whole_words_and_joined_multi_word_names():
    exact, phonetic = name_keys_for(["Mary-Jane", "O'Neil", "J"])
    assert exact == {"mary", "jane", "maryjane", "oneil"}
    assert phonetic == {phonetic_key(t) for t in exact}


@given(st.text(max_size=40))
def test_keys_never_fail_and_stay_in_the_column(text):
    tokens = name_tokens(text)
    assert all(t and t == t.lower() and " " not in t for t in tokens)
    exact, phonetic = name_keys_for([text])
    assert all(0 < len(k) <= 40 for k in exact | phonetic)
    assert normalise_name(normalise_name(text)) == normalise_name(text)
