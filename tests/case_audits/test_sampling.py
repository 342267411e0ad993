"""The sampler, on plain data: reproducible, stratified, never a conflicted auditor, protected records only to
auditors who may open them; and properties that hold for any cases, auditors, size and seed."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.case_audits.sampling import LEFT_OUT_CONFLICT, LEFT_OUT_RESTRICTED, Candidate, draw_sample


def _cases(n: int, team: int | None = 1, start: int = 1, **extra) -> list[Candidate]:
    return [Candidate(child_id=i, team_id=team, **extra) for i in range(start, start + n)]


def test_the_same_seed_draws_the_same_sample_whatever_order_the_cases_come_in():
    cases = _cases(30, team=1) + _cases(20, team=2, start=100)
    first = draw_sample(candidates=cases, auditors=[10, 11, 12], size=8, seed=42)
    shuffled = cases[:]
    random.Random(1).shuffle(shuffled)
    again = draw_sample(candidates=shuffled, auditors=[12, 10, 11], size=8, seed=42)
    assert [(d.candidate.child_id, d.auditor_id, d.moderate) for d in first.drawn] == [
        (d.candidate.child_id, d.auditor_id, d.moderate) for d in again.drawn]
    other = draw_sample(candidates=cases, auditors=[10, 11, 12], size=8, seed=43)
    assert [d.candidate.child_id for d in other.drawn] != [d.candidate.child_id for d in first.drawn]


def test_each_team_gets_its_share_of_the_sample():
    cases = _cases(10, team=1) + _cases(30, team=2, start=100)
    drawn = draw_sample(candidates=cases, auditors=[10], size=8, seed=1)
    by_team = {s.team_id: (s.available, s.drawn) for s in drawn.strata}
    assert by_team == {1: (10, 2), 2: (30, 6)}
    assert len(drawn.drawn) == 8


def test_a_sample_bigger_than_the_cases_takes_them_all():
    drawn = draw_sample(candidates=_cases(5), auditors=[10, 11], size=50, seed=3)
    assert sorted(d.candidate.child_id for d in drawn.drawn) == [1, 2, 3, 4, 5]


def test_no_one_audits_a_case_they_work_on_or_manage():
    cases = _cases(20, conflicts=frozenset({10}))
    drawn = draw_sample(candidates=cases, auditors=[10, 11, 12], size=20, seed=5)
    assert {d.auditor_id for d in drawn.drawn} <= {11, 12}


def test_work_is_spread_evenly_across_the_auditors():
    drawn = draw_sample(candidates=_cases(12), auditors=[10, 11, 12], size=12, seed=9)
    loads = {a: sum(1 for d in drawn.drawn if d.auditor_id == a) for a in (10, 11, 12)}
    assert loads == {10: 4, 11: 4, 12: 4}


def test_a_protected_record_goes_only_to_an_auditor_who_may_open_it_or_is_left_out_unnamed():
    opened = Candidate(child_id=1, protected=True, viewers=frozenset({12}))
    nobody = Candidate(child_id=2, protected=True, viewers=frozenset({99}))
    conflicted = Candidate(child_id=3, conflicts=frozenset({10, 11, 12}))
    plain = Candidate(child_id=4)
    drawn = draw_sample(candidates=[opened, nobody, conflicted, plain], auditors=[10, 11, 12], size=10, seed=2)
    assert {d.candidate.child_id: d.auditor_id for d in drawn.drawn if d.candidate.child_id == 1} == {1: 12}
    assert sorted(d.candidate.child_id for d in drawn.drawn) == [1, 4]
    assert drawn.left_out == {LEFT_OUT_RESTRICTED: 1, LEFT_OUT_CONFLICT: 1}
    assert drawn.matched == 4 and drawn.available == 2


def test_the_moderation_share_is_rounded_up_and_reproducible():
    drawn = draw_sample(candidates=_cases(20), auditors=[10, 11], size=10, seed=11, moderation_percent=15)
    assert sum(d.moderate for d in drawn.drawn) == 2
    none = draw_sample(candidates=_cases(20), auditors=[10, 11], size=10, seed=11, moderation_percent=0)
    assert not any(d.moderate for d in none.drawn)
    every = draw_sample(candidates=_cases(20), auditors=[10, 11], size=10, seed=11, moderation_percent=100)
    assert all(d.moderate for d in every.drawn)


auditor_ids = st.integers(min_value=1, max_value=12)
candidates = st.builds(
    Candidate,
    child_id=st.integers(min_value=1, max_value=400),
    team_id=st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    conflicts=st.frozensets(auditor_ids, max_size=4),
    protected=st.booleans(),
    viewers=st.frozensets(auditor_ids, max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(cases=st.lists(candidates, max_size=60, unique_by=lambda c: c.child_id),
       auditors=st.lists(auditor_ids, max_size=6),
       size=st.integers(min_value=0, max_value=80), seed=st.integers(min_value=1, max_value=10**9),
       share=st.integers(min_value=0, max_value=100))
def test_any_draw_is_a_conflict_free_subset_of_the_cases_it_could_take(cases, auditors, size, seed, share):
    drawn = draw_sample(candidates=cases, auditors=auditors, size=size, seed=seed, moderation_percent=share)
    unique = {c.child_id: c for c in cases}
    takeable = {cid for cid, c in unique.items() if any(c.may_audit(a) for a in set(auditors))}
    picked = [d.candidate.child_id for d in drawn.drawn]
    # The sample is drawn from the cases, each at most once.
    assert set(picked) <= takeable and len(picked) == len(set(picked))
    # Its size is what was asked for, or every case that could be taken.
    assert len(picked) == min(size, len(takeable))
    # Nobody audits a case they work on, nor a protected record they may not open.
    for d in drawn.drawn:
        assert d.auditor_id in auditors and d.candidate.may_audit(d.auditor_id)
    # What was left out adds up, by reason.
    assert drawn.matched == len(unique) and drawn.available == len(takeable)
    assert sum(s.drawn for s in drawn.strata) == len(picked)
    # And the same inputs draw the same again.
    again = draw_sample(candidates=list(reversed(cases)), auditors=auditors, size=size, seed=seed,
                        moderation_percent=share)
    assert [(d.candidate.child_id, d.auditor_id, d.moderate) for d in again.drawn] == [
        (d.candidate.child_id, d.auditor_id, d.moderate) for d in drawn.drawn]


def test_a_sample_smaller_than_the_number_of_teams_reaches_small_teams_too():
    # Ten teams, one large: over many seeds every team is drawn, the large one most often.
    cases = _cases(100, team=1) + [c for t in range(2, 11) for c in _cases(10, team=t, start=t * 1000)]
    drawn_teams: dict[int | None, int] = {}
    for seed in range(1, 201):
        for d in draw_sample(candidates=cases, auditors=[10], size=3, seed=seed).drawn:
            drawn_teams[d.candidate.team_id] = drawn_teams.get(d.candidate.team_id, 0) + 1
    assert set(drawn_teams) == set(range(1, 11))
    assert drawn_teams[1] == max(drawn_teams.values())
