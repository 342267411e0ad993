"""Month ends frozen as reported: what is stored, idempotence, the freeze command and task, and the board's
"as reported and now" with the change that explains each record."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.audit.models import ChangeRecord
from hearth.indicators import registry
from hearth.indicators.models import IndicatorSnapshot
from hearth.indicators.registry import Tally, indicator
from hearth.indicators.selectors import compare_snapshot, snapshots_for
from hearth.indicators.services import snapshot_freeze, snapshot_freeze_month
from hearth.indicators.tasks import freeze_indicator_snapshots_task
from tests.factories import make_la, make_user
from tests.indicators.compute_fixtures import (
    council,
    fixed_today,
    make_assessment,
    make_episode,
    test_indicators,
)

pytestmark = pytest.mark.usefixtures("test_indicators", "fixed_today")
__all__ = ["council", "fixed_today", "test_indicators"]
OCTOBER = date(2026, 10, 31)


@pytest.fixture
def sam(council, team):
    return make_user(council, Role.TEAM_MANAGER, team, first_name="Sam", last_name="Okafor")


def _snapshot(council, code: str, month: date = OCTOBER) -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.get(local_authority=council, indicator=code, month_end=month)


def test_freeze_stores_the_rolling_year_its_figures_and_the_records_counted(council, team):
    episode = make_episode(council, date(2026, 6, 1), team=team)
    quick = make_assessment(episode, date(2026, 6, 2), date(2026, 6, 5))
    make_assessment(make_episode(council, date(2026, 3, 1)), date(2026, 3, 2), date(2026, 4, 30))
    snapshots = snapshot_freeze_month(local_authority=council, month_end=OCTOBER, by="test")
    assert [s.indicator for s in snapshots] == ["t_referrals", "t_quick", "t_open", "t_weight"], \
        "every indicator Hearth can compute, in the registry's order"
    referrals = _snapshot(council, "t_referrals")
    assert (referrals.period_start, referrals.period_end) == (date(2025, 11, 1), OCTOBER)
    assert (referrals.numerator, referrals.denominator, referrals.value) == (2, 20_000, pytest.approx(1.0))
    assert referrals.frozen_by == "test" and referrals.frozen_at is not None
    assert set(referrals.members) == {"numerator"}, "a rate's denominator is the population: no list"
    assert [episode.child_id, team.pk, 1] in [row[1:] for row in referrals.members["numerator"]]
    quick_snapshot = _snapshot(council, "t_quick")
    assert (quick_snapshot.numerator, quick_snapshot.denominator, quick_snapshot.value) == (1, 2, 50.0)
    assert quick_snapshot.members["numerator"] == [[f"cin.assessment:{quick.pk}", episode.child_id, team.pk, 1]]
    assert len(quick_snapshot.members["denominator"]) == 2


def test_freeze_is_idempotent_and_never_overwrites(council):
    make_episode(council, date(2026, 6, 1))
    first = snapshot_freeze(local_authority=council, month_end=OCTOBER, by="monthly job")
    assert first.created == 4
    frozen = {s.indicator: (s.numerator, s.frozen_at, s.frozen_by) for s in first.snapshots}

    make_episode(council, date(2026, 10, 2))  # recorded after the freeze
    again = snapshot_freeze(local_authority=council, month_end=OCTOBER, by="someone else")
    assert again.created == 0
    assert {s.indicator: (s.numerator, s.frozen_at, s.frozen_by) for s in again.snapshots} == frozen
    assert IndicatorSnapshot.objects.filter(local_authority=council).count() == 4

    # An indicator registered since is frozen for the month; the others are left alone.
    indicator(code="t_new", title="New", group="cin", unit="number", polarity="neutral", measured="at_end",
              numerator="-", denominator="-", definition="Test.")(lambda period: Tally([]))
    added = snapshot_freeze(local_authority=council, month_end=OCTOBER, by="monthly job")
    assert added.created == 1
    assert _snapshot(council, "t_referrals").numerator == 1
    assert "t_new" in registry.REGISTRY


def test_freeze_refuses_a_month_not_ended_or_not_a_month_end(council):
    with pytest.raises(ValidationError) as not_ended:
        snapshot_freeze_month(local_authority=council, month_end=date(2026, 11, 30), by="test")
    assert "only after it has ended" in str(not_ended.value)
    with pytest.raises(ValidationError) as not_an_end:
        snapshot_freeze_month(local_authority=council, month_end=date(2026, 10, 15), by="test")
    assert "last day of a month" in str(not_an_end.value)
    assert not IndicatorSnapshot.objects.exists()


def test_snapshots_for_defers_the_members(council):
    snapshot_freeze_month(local_authority=council, month_end=date(2026, 9, 30), by="test")
    snapshot_freeze_month(local_authority=council, month_end=OCTOBER, by="test")
    found = list(snapshots_for(local_authority=council, code="t_referrals"))
    assert [s.month_end for s in found] == [date(2026, 9, 30), OCTOBER]
    assert "members" in found[0].get_deferred_fields()


def test_compare_explains_an_added_and_a_removed_record_with_their_changes(council, sam):
    kept = make_episode(council, date(2026, 6, 1))
    moved = make_episode(council, date(2026, 10, 30))
    snapshot_freeze_month(local_authority=council, month_end=OCTOBER, by="test")

    late = make_episode(council, date(2026, 10, 2), by=sam)  # received in October, recorded in November
    with acting_as(sam):
        moved.referral_date = date(2026, 11, 2)  # keyed with the wrong date
        moved.save()

    comparison = compare_snapshot(snapshot=_snapshot(council, "t_referrals"))
    assert comparison.snapshot.numerator == 2 and comparison.now.numerator == 2
    assert [c.member.key for c in comparison.added] == [f"cin.cinepisode:{late.pk}"]
    assert [c.member.key for c in comparison.removed] == [f"cin.cinepisode:{moved.pk}"]
    assert kept.pk not in [int(c.member.key.split(":")[1]) for c in comparison.added + comparison.removed]

    added = comparison.added[0]
    created = ChangeRecord.objects.get(model_label="cin.CINEpisode", object_id=str(late.pk))
    assert added.change == created and added.part == "numerator"
    assert added.explanation.startswith("Referral of 02 Oct 2026 was recorded on ")
    assert "by Sam Okafor, after the month was reported" in added.explanation

    removed = comparison.removed[0]
    update = ChangeRecord.objects.get(model_label="cin.CINEpisode", object_id=str(moved.pk),
                                      action=ChangeRecord.Action.UPDATE)
    assert removed.change == update
    assert removed.member.child_id == moved.child_id
    assert "referral date changed from 30 Oct 2026 to 2 Nov 2026" in removed.explanation
    assert "by Sam Okafor" in removed.explanation and "no longer counts" in removed.explanation
    assert comparison.difference == pytest.approx(0.0)


def test_compare_names_the_change_that_decides_not_a_later_edit(council, sam, team):
    moved = make_episode(council, date(2026, 10, 30))
    snapshot_freeze_month(local_authority=council, month_end=OCTOBER, by="test")
    with acting_as(sam):
        moved.referral_date = date(2026, 11, 2)
        moved.save()
    with acting_as("team tidy-up"):
        moved.team = team  # a later edit that has nothing to do with whether it counts
        moved.save()
    [removed] = compare_snapshot(snapshot=_snapshot(council, "t_referrals")).removed
    assert removed.change.after == {"referral_date": "2026-11-02"}
    assert removed.explanation.endswith("by Sam Okafor, after the month was reported (referral date changed from "
                                        "30 Oct 2026 to 2 Nov 2026), with 1 other change since; so it no longer "
                                        "counts.")


def test_compare_reads_the_changes_in_one_query_for_all_the_records(council, sam):
    episodes = [make_episode(council, date(2026, 10, d)) for d in (3, 4, 5, 6)]
    snapshot_freeze_month(local_authority=council, month_end=OCTOBER, by="test")
    for e in episodes:
        with acting_as(sam):
            e.referral_date = date(2026, 11, 1)
            e.save()
    for d in (7, 8, 9):
        make_episode(council, date(2026, 10, d), by=sam)
    snapshot = _snapshot(council, "t_referrals")
    with CaptureQueriesContext(connection) as queries:
        comparison = compare_snapshot(snapshot=snapshot)
    assert len(comparison.removed) == 4 and len(comparison.added) == 3
    assert all(c.change is not None for c in comparison.added + comparison.removed)
    change_reads = [q for q in queries if '"audit_changerecord"' in q["sql"] and '"object_id" IN' in q["sql"]]
    assert len(change_reads) == 1


def test_compare_lists_a_record_counted_both_times_with_another_amount(council, sam):
    episode = make_episode(council, date(2026, 10, 30))
    snapshot_freeze_month(local_authority=council, month_end=OCTOBER, by="test")
    with acting_as(sam):
        episode.referral_date = date(2026, 10, 10)
        episode.save()
    comparison = compare_snapshot(snapshot=_snapshot(council, "t_weight"))
    assert comparison.added == [] and comparison.removed == []
    [changed] = comparison.changed
    assert (changed.amount_then, changed.amount_now) == (30, 10)
    assert changed.explanation.startswith("Counted both times, adding 30 when reported and 10 now.")
    assert "referral date changed from 30 Oct 2026 to 10 Oct 2026" in changed.explanation


def test_compare_says_when_no_change_to_the_record_explains_it(council):
    episode = make_episode(council, date(2026, 10, 30))
    snapshot_freeze_month(local_authority=council, month_end=OCTOBER, by="test")
    snapshot = _snapshot(council, "t_referrals")
    members = dict(snapshot.members)
    members["numerator"] = [*members["numerator"], ["cin.cinepisode:999999", None, None, 1]]
    IndicatorSnapshot.objects.filter(pk=snapshot.pk).update(members=members)
    comparison = compare_snapshot(snapshot=IndicatorSnapshot.objects.get(pk=snapshot.pk))
    [gone] = comparison.removed
    assert gone.change is None
    assert "no change to this record has been recorded since the month was reported" in gone.explanation
    assert gone.explanation.endswith("it no longer counts because of a change to a related record or the passing "
                                     "of time (a child's age, say).")
    assert episode.pk


def test_compare_notes_a_new_population_estimate(council):
    snapshot_freeze_month(local_authority=council, month_end=OCTOBER, by="test")
    council.population_0_17 = 25_000
    council.save()
    comparison = compare_snapshot(snapshot=_snapshot(council, "t_referrals"))
    assert comparison.notes == ["The population used changed from 20000 to 25000 children aged 0 to 17 "
                                "(a new estimate)."]


def test_the_freeze_command_freezes_the_month_just_ended_for_every_council(council):
    other = make_la(name="Another Council")
    make_episode(council, date(2026, 6, 1))
    out = _call("freeze_indicator_snapshots")
    assert f"Nottingham City Council ({council.dfe_la_number}): 31 October 2026: 4 indicators frozen, " \
           f"0 already frozen" in out
    assert IndicatorSnapshot.objects.filter(local_authority=other, month_end=OCTOBER).count() == 4
    assert "0 indicators frozen, 4 already frozen" in _call("freeze_indicator_snapshots",
                                                           "--council", council.dfe_la_number)
    _call("freeze_indicator_snapshots", "--month", "2026-09", "--council", council.dfe_la_number)
    assert IndicatorSnapshot.objects.filter(month_end=date(2026, 9, 30)).count() == 4


@pytest.mark.parametrize(("args", "message"), [
    (["--month", "2026-13"], "Give the month as YYYY-MM"),
    (["--month", "October"], "Give the month as YYYY-MM"),
    (["--month", "2026-11"], "only after it has ended"),
    (["--council", "999"], "No council with DfE LA number 999"),
])
def test_the_freeze_command_refuses_with_status_2(council, args, message):
    with pytest.raises(CommandError) as refused:
        _call("freeze_indicator_snapshots", *args)
    assert refused.value.returncode == 2
    assert message in str(refused.value)


def test_the_freeze_task_does_the_same(council):
    result = freeze_indicator_snapshots_task.enqueue(month="2026-09", council=council.dfe_la_number)
    assert result.return_value == 4
    assert freeze_indicator_snapshots_task.enqueue(month="2026-09").return_value == 0
    assert IndicatorSnapshot.objects.filter(month_end=date(2026, 9, 30)).count() == 4


def _call(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
