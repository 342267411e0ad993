"""The SSDA903 episode rules (returns.md §A.3), on plain rows: no database."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.care.episodes import Episode, LegalStatusRow, Period, PlacementRow, derive_episodes

D = date(2024, 4, 10)


def day(n: int) -> date:
    return D + timedelta(days=n)


def ls(code: str, start: int, end: int | None = None, pk: int = 0) -> LegalStatusRow:
    return LegalStatusRow(code, day(start), day(end) if end is not None else None, pk=pk or start + 1)


def pl(place: str, start: int, end: int | None = None, *, same: bool = False, reason: str = "",
       provider: str = "PR1", pk: int = 0) -> PlacementRow:
    return PlacementRow(place, day(start), day(end) if end is not None else None, provider=provider,
                        postcode="NG7 2AA", urn="SC123456", same_carer_as_previous=same, reason_for_change=reason,
                        pk=pk or start + 100)


def rnes(episodes: list[Episode]) -> list[str]:
    return [e.rne for e in episodes]


def test_a_period_with_no_change_is_one_episode_starting_s_and_open():
    period = Period(day(0), "N1", home_postcode="NG1 1AA")
    [episode] = derive_episodes(period, [ls("C1", 0)], [pl("U6", 0)])
    assert (episode.rne, episode.decom, episode.dec, episode.rec) == ("S", day(0), None, "")
    assert (episode.ls, episode.cin, episode.place, episode.place_provider) == ("C1", "N1", "U6", "PR1")
    assert (episode.home_post, episode.pl_post, episode.urn) == ("NG1 1AA", "NG7 2AA", "SC123456")
    assert not episode.has_ceased


def test_a_change_of_legal_status_alone_is_l():
    episodes = derive_episodes(Period(day(0)), [ls("C1", 0, 30), ls("C2", 30)], [pl("U6", 0)])
    assert rnes(episodes) == ["S", "L"]
    assert episodes[0].dec == day(30) and episodes[0].rec == "X1" and episodes[1].ls == "C2"
    assert episodes[0].reason_place_change == ""  # the placement did not end


@pytest.mark.parametrize(("same", "rne"), [(False, "P"), (True, "T")])
def test_a_change_of_placement_alone_is_p_or_t_by_carer(same, rne):
    episodes = derive_episodes(Period(day(0)), [ls("V2", 0)],
                               [pl("U6", 0, 20, reason="CARPL"), pl("U4", 20, same=same)])
    assert rnes(episodes) == ["S", rne]
    assert episodes[0].reason_place_change == "CARPL"
    assert episodes[1].reason_place_change == ""  # not ceased (rule 233)


@pytest.mark.parametrize(("same", "rne"), [(False, "B"), (True, "U")])
def test_legal_status_and_placement_the_same_day_are_one_new_episode(same, rne):
    episodes = derive_episodes(Period(day(0)), [ls("C1", 0, 50), ls("E1", 50)],
                               [pl("U4", 0, 50, reason="CARPL"), pl("A5", 50, same=same)])
    assert rnes(episodes) == ["S", rne]
    assert len(episodes) == 2
    assert (episodes[1].ls, episodes[1].place) == ("E1", "A5")


def test_every_episode_but_the_last_ends_x1_the_day_the_next_begins_and_the_last_carries_the_reason():
    period = Period(day(0), ended_on=day(90), reason_ceased="E4A")
    episodes = derive_episodes(period, [ls("C1", 0, 40), ls("C2", 40, 90)],
                               [pl("U6", 0, 20, reason="CARPL"), pl("K2", 20, 90)])
    assert rnes(episodes) == ["S", "P", "L"]
    assert [e.rec for e in episodes] == ["X1", "X1", "E4A"]
    for this, following in itertools.pairwise(episodes):
        assert this.dec == following.decom
    assert episodes[-1].dec == day(90)
    # The child left care: the last placement's ending is not a placement change.
    assert episodes[-1].reason_place_change == ""


def test_no_reason_for_placement_change_on_a_temporary_placement():
    episodes = derive_episodes(Period(day(0)), [ls("C2", 0)],
                               [pl("U6", 0, 10, reason="OTHER"), pl("T2", 10, 17, reason="OTHER"),
                                pl("U6", 17, same=False)])
    assert rnes(episodes) == ["S", "P", "P"]
    assert [e.reason_place_change for e in episodes] == ["OTHER", "", ""]


def test_temporary_and_z_placements_have_no_provider_or_urn():
    episodes = derive_episodes(Period(day(0)), [ls("C2", 0)], [pl("U6", 0, 10), pl("Z12", 10, provider="PR4")])
    assert (episodes[1].place_provider, episodes[1].urn) == ("", "")


def test_changes_outside_the_period_start_no_episode():
    period = Period(day(10), ended_on=day(60), reason_ceased="E13")
    episodes = derive_episodes(period, [ls("C1", 0, 60), ls("C2", 60)], [pl("U6", 0, 60), pl("U4", 70)])
    assert len(episodes) == 1
    assert (episodes[0].decom, episodes[0].dec, episodes[0].rec) == (day(10), day(60), "E13")


def test_the_903_row_has_the_csv_columns_and_dates():
    [episode] = derive_episodes(Period(day(0), ended_on=day(5), reason_ceased="E3"), [ls("L2", 0, 5)],
                                [pl("U6", 0, 5)])
    row = episode.as_903_row("C123")
    assert list(row) == ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                         "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
    assert row["DECOM"] == "10/04/2024" and row["DEC"] == "15/04/2024" and row["REC"] == "E3"


# ---------------------------------------------------------------------------------------------- properties

CHANGE = st.tuples(
    st.sampled_from(["ls", "placement", "both"]),
    st.integers(min_value=1, max_value=60),  # days after the previous change
    st.booleans(),  # same carer
    st.booleans(),  # temporary placement
)


def _timelines(changes: list[tuple[str, int, bool, bool]], end_after: int | None):
    statuses = [["C1", 0, None]]
    homes = [["U6", 0, None, False]]
    at = 0
    for kind, gap, same, temporary in changes:
        at += gap
        if kind in ("ls", "both"):
            statuses[-1][2] = at
            statuses.append(["C2" if statuses[-1][0] == "C1" else "C1", at, None])
        if kind in ("placement", "both"):
            homes[-1][2] = at
            homes.append(["T1" if temporary else "U4", at, None, same])
    end = at + end_after if end_after is not None else None
    if end is not None:
        statuses[-1][2] = end
        homes[-1][2] = end
    status_rows = [ls(code, s, e, pk=i + 1) for i, (code, s, e) in enumerate(statuses)]
    home_rows = [pl(code, s, e, same=same, reason="CARPL", pk=i + 1) for i, (code, s, e, same) in enumerate(homes)]
    return status_rows, home_rows, end, [c[0] for c in changes]


@given(changes=st.lists(CHANGE, max_size=15), end_after=st.one_of(st.none(), st.integers(1, 30)),
       reason=st.sampled_from(["E4A", "E11", "E2", "E8"]))
def test_episodes_are_contiguous_never_overlap_never_empty_and_begin_s(changes, end_after, reason):
    statuses, homes, end, kinds = _timelines(changes, end_after)
    period = Period(day(0), ended_on=day(end) if end is not None else None, reason_ceased=reason if end else "")
    episodes = derive_episodes(period, statuses, homes)
    # One episode for the start and one for each change, whatever changed.
    assert len(episodes) == 1 + len(kinds)
    assert episodes[0].rne == "S" and episodes[0].decom == day(0)
    expected = {"ls": {"L"}, "placement": {"P", "T"}, "both": {"B", "U"}}
    for episode, kind in zip(episodes[1:], kinds, strict=True):
        assert episode.rne in expected[kind]
    for this, following in itertools.pairwise(episodes):
        assert this.dec == following.decom  # contiguous, so never overlapping
        assert this.rec == "X1"
    for episode in episodes:
        assert episode.dec is None or episode.dec > episode.decom  # never starts and ends the same day
        if episode.place.startswith("T"):
            assert episode.reason_place_change == ""
        if not episode.has_ceased:
            assert episode.reason_place_change == ""
    last = episodes[-1]
    if end is None:
        assert (last.dec, last.rec) == (None, "")
    else:
        assert (last.dec, last.rec, last.reason_place_change) == (day(end), reason, "")
