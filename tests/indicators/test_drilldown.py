"""The records behind a figure: every member listed or counted as unseen, named only for those who may open
the record, pseudonymised for analysts, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.access.services import allow_list_add
from hearth.accounts.roles import Role
from hearth.indicators.drilldown import (
    RESTRICTED,
    describe_members,
    drill_down,
    drill_down_all,
    members_for,
    pseudonym,
)
from hearth.indicators.registry import Member, Period, evaluate
from hearth.people.models import Person
from tests.factories import make_la, make_team, make_user
from tests.indicators.factories_pages import children, member, registered

START, END = date(2025, 4, 1), date(2026, 3, 31)
OPEN, RESTRICTED_LEVEL, SEALED = Person.AccessLevel.OPEN, Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED


def _result(la, code):
    return evaluate(code, Period(la, START, END))


def _all_rows(user, result, part="numerator", team=None, per_page=7):
    """Rows over every page, and the last page's unseen and total."""
    rows = []
    page = 1
    while True:
        found = drill_down(user=user, result=result, part=part, team_id=team, page=page, per_page=per_page)
        rows += found.rows
        assert found.page is not None
        if not found.page.has_next():
            return rows, found
        page += 1


@pytest.fixture
def council(db):
    la = make_la()
    north, south = make_team(la, "Assessment North"), make_team(la, "Assessment South")
    people = {
        "open": children(la, 9),
        "restricted": children(la, 2, RESTRICTED_LEVEL),
        "sealed": children(la, 2, SEALED),
    }
    users = {
        "social_worker": make_user(la, Role.SOCIAL_WORKER, north),
        "team_manager": make_user(la, Role.TEAM_MANAGER, north),
        "service_manager": make_user(la, Role.SERVICE_MANAGER),
        "director": make_user(la, Role.DIRECTOR),
        "analyst": make_user(la, Role.PERFORMANCE_ANALYST),
    }
    counter = [1000]
    on_time, late = [], []
    for i, child in enumerate(people["open"] + people["restricted"] + people["sealed"]):
        team = north if i % 2 else south
        day = date(2025, 4 + i % 9, 1 + i)
        on_time.append(member(child, day, team, counter))
        if i % 3 == 0:
            late.append(member(child, date(2025, 5, 20), team, counter, note="52 working days"))
    # One record outside the period, never counted.
    outside = member(people["open"][0], date(2024, 1, 5), north, counter)
    return {"la": la, "north": north, "south": south, "people": people, "users": users,
            "numerator": [*on_time, outside], "denominator": [*on_time, *late, outside], "late": late}


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "service_manager", "director", "analyst"])
def test_rows_and_unseen_add_up_to_the_headline_for_every_role(council, role):
    user = council["users"][role]
    with registered("test_drill_sum", council["numerator"], council["denominator"]):
        result = _result(council["la"], "test_drill_sum")
        for part, expected in (("numerator", result.numerator), ("denominator", result.denominator),
                               ("not_numerator", result.denominator - result.numerator)):
            rows, last = _all_rows(user, result, part)
            assert len(rows) + last.unseen == last.total == expected, part
            assert last.listed == len(rows)
    # Sealed records are never listed, restricted ones never named (nobody here is on their allow list).
    assert last.unseen >= 1


def test_a_social_worker_sees_names_links_and_a_restricted_record_without_a_name(council):
    user = council["users"]["social_worker"]
    with registered("test_drill_names", council["numerator"], council["denominator"]):
        result = _result(council["la"], "test_drill_names")
        rows, last = _all_rows(user, result)
    names = {r.shown for r in rows}
    for child in council["people"]["open"]:
        assert child.full_name in names
    for child in council["people"]["restricted"] + council["people"]["sealed"]:
        assert child.full_name not in names
    restricted = [r for r in rows if r.restricted]
    assert len(restricted) == 2 and all(r.shown == RESTRICTED and r.person_id is None and not r.note
                                        for r in restricted)
    assert last.unseen == 2  # the sealed ones
    named = [r for r in rows if r.person_id]
    assert all(r.hearth_id for r in named)
    shown = [r for r in rows if not r.restricted]
    assert [r.on for r in shown] == sorted(r.on for r in shown)  # oldest first
    # A restricted record tells nothing but that it is there: after the others, with no date, team or note.
    assert rows[-len(restricted):] == restricted
    assert all(r.shown_on is None and r.team == "" for r in restricted)


def test_a_worker_on_the_allow_list_sees_the_restricted_and_sealed_names(council):
    user = council["users"]["team_manager"]
    restricted, sealed = council["people"]["restricted"][0], council["people"]["sealed"][0]
    for person in (restricted, sealed):
        allow_list_add(person=person, user=user, reason="Allocated worker's manager", by="test")
    with registered("test_drill_allow", council["numerator"], council["denominator"]):
        rows, last = _all_rows(user, _result(council["la"], "test_drill_allow"))
    names = {r.shown: r for r in rows}
    assert names[restricted.full_name].person_id == restricted.pk
    assert names[sealed.full_name].person_id == sealed.pk
    assert last.unseen == 1  # the other sealed record


def test_an_analyst_sees_pseudonyms_only(council):
    user = council["users"]["analyst"]
    with registered("test_drill_analyst", council["numerator"], council["denominator"]):
        rows, _ = _all_rows(user, _result(council["la"], "test_drill_analyst"))
    for r in rows:
        assert r.person_id is None and r.hearth_id == ""
        assert r.shown == RESTRICTED or re.fullmatch(r"P-[2-9A-HJ-NP-Z]{6}", r.shown)
    shown = " ".join(r.shown for r in rows)
    for group in council["people"].values():
        for child in group:
            assert child.last_name not in shown and child.hearth_id not in shown
    open_ids = {c.pk for c in council["people"]["open"]}
    assert {r.shown for r in rows if r.member.child_id in open_ids} == {
        pseudonym(council["la"].pk, pk) for pk in open_ids}


def test_not_numerator_is_the_denominator_less_the_numerator(council):
    with registered("test_drill_rest", council["numerator"], council["denominator"]):
        result = _result(council["la"], "test_drill_rest")
        rest = members_for(result, "not_numerator")
    assert {m.key for m in rest} == {m.key for m in council["late"]}


def test_a_team_filter_lists_that_team_only(council):
    user = council["users"]["director"]
    with registered("test_drill_team", council["numerator"], council["denominator"]):
        result = _result(council["la"], "test_drill_team")
        rows, last = _all_rows(user, result, team=council["north"].pk)
        north = [m for m in result.tally.numerator if m.team_id == council["north"].pk]
        assert len(rows) + last.unseen == last.total == len(north)
        assert {r.team for r in rows if not r.restricted} == {"Assessment North"}
        assert members_for(result, "numerator", "none") == []


def test_a_population_denominator_has_no_list(council):
    with registered("test_drill_rate", council["numerator"], None, unit="per_10k"):
        result = _result(council["la"], "test_drill_rate")
        with pytest.raises(ValueError, match="population"):
            members_for(result, "denominator")


def test_workers_are_named_to_managers_and_pseudonymised_for_analysts(council):
    la = council["la"]
    worker = make_user(la, Role.SOCIAL_WORKER, council["north"], first_name="Dana", last_name="Leaver")
    members = [Member(f"accounts.user:{worker.pk}", None, date(2025, 9, 30), council["north"].pk, 0.8, "Left")]
    with registered("test_drill_staff", members, None, unit="number", group="workforce"):
        result = _result(la, "test_drill_staff")
        director = drill_down(user=council["users"]["director"], result=result)
        analyst = drill_down(user=council["users"]["analyst"], result=result)
    assert director.rows[0].shown == "Dana Leaver" and director.unseen == 0
    assert re.fullmatch(r"W-[2-9A-HJ-NP-Z]{6}", analyst.rows[0].shown)


def test_pseudonyms_are_stable_keyed_and_distinct():
    assert pseudonym(1, 42) == pseudonym(1, 42)
    assert pseudonym(1, 42) != pseudonym(2, 42) != pseudonym(1, 43)
    assert "42" not in pseudonym(1, 42)[2:] or pseudonym(1, 42) != "P-000042"
    with override_settings(SECRET_KEY="another-key-entirely-" + "x" * 40):
        other = pseudonym(1, 42)
    assert other != pseudonym(1, 42)
    many = {pseudonym(1, pk) for pk in range(1, 5001)}
    assert len(many) == 5000


def test_a_page_is_read_in_the_same_number_of_queries_for_few_and_many_records(db):
    la = make_la()
    team = make_team(la, "Team")
    user = make_user(la, Role.TEAM_MANAGER, team)
    few_people = children(la, 3) + children(la, 1, RESTRICTED_LEVEL)
    many_people = children(la, 60) + children(la, 5, RESTRICTED_LEVEL) + children(la, 4, SEALED)
    counter = [5000]
    few = [member(p, date(2025, 6, 1), team, counter) for p in few_people]
    many = [member(p, date(2025, 6, 1), team, counter) for p in many_people]
    user.has_perm("indicators.see_pseudonymised_only")  # Django's permission cache, read once per user

    def queries(members):
        with registered("test_drill_queries", members, members):
            result = _result(la, "test_drill_queries")
            with CaptureQueriesContext(connection) as ctx:
                found = drill_down(user=user, result=result, page=1, per_page=50)
            assert found.rows
            return len(ctx.captured_queries)

    assert queries(few) == queries(many)


def test_describe_members_lists_everything_and_the_people_to_log(council):
    user = council["users"]["social_worker"]
    with registered("test_drill_all", council["numerator"], council["denominator"]):
        result = _result(council["la"], "test_drill_all")
        found = drill_down_all(user=user, result=result, part="denominator")
    assert len(found.rows) + found.unseen == found.total == len(result.tally.denominator or [])
    assert {p.pk for p in found.people} == {c.pk for c in council["people"]["open"]}
    rows, unseen, people = describe_members(user=user, local_authority=council["la"], members=[])
    assert (rows, unseen, people) == ([], 0, [])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3), st.booleans()), max_size=40),
       role=st.sampled_from(["social_worker", "team_manager", "service_manager", "director", "analyst"]),
       part=st.sampled_from(["numerator", "denominator", "not_numerator"]))
def test_property_rows_plus_unseen_is_the_count_whatever_the_mix(council, picks, role, part):
    pool = council["people"]["open"] + council["people"]["restricted"] + council["people"]["sealed"]
    counter = [90_000]
    denominator, numerator = [], []
    for index, month, counted in picks:
        m = member(pool[index], date(2025, 4 + month, 10), council["north"] if counted else None, counter)
        denominator.append(m)
        if counted:
            numerator.append(m)
    with registered("test_drill_property", numerator, denominator):
        result = _result(council["la"], "test_drill_property")
        rows, last = _all_rows(council["users"][role], result, part, per_page=5)
    expected = {"numerator": len(numerator), "denominator": len(denominator),
                "not_numerator": len(denominator) - len(numerator)}[part]
    assert len(rows) + last.unseen == last.total == expected


# A whole synthetic council --------------------------------------------------------------------------------

ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR, Role.PERFORMANCE_ANALYST)


def test_every_indicator_on_a_synthetic_council_sums_to_its_headline_for_every_role(db):
    """The small demo council (restricted and sealed records, every kind of casework): for every indicator,
    part and role, the rows and the unseen line add up to the records counted."""
    from hearth.accounts.models import User
    from hearth.demo.council import build_council
    from hearth.indicators.registry import evaluate_all, rolling_year

    la = build_council(size="small", seed=7).local_authority
    readers = {role: User.objects.filter(local_authority=la, role=role, is_active=True).first() for role in ROLES}
    readers[Role.PERFORMANCE_ANALYST] = readers[Role.PERFORMANCE_ANALYST] or make_user(la, Role.PERFORMANCE_ANALYST)
    assert all(readers.values()), readers
    # Someone on a restricted record's allow list sees it named: the count must still add up.
    restricted = Person.objects.filter(local_authority=la, access_level=RESTRICTED_LEVEL).first()
    assert restricted is not None and Person.objects.filter(local_authority=la, access_level=SEALED).exists()
    allow_list_add(person=restricted, user=readers[Role.TEAM_MANAGER], reason="Working with the family", by="test")
    start, end = rolling_year(date(2026, 3, 31))
    checked = 0
    for result in evaluate_all(la, start, end):
        if result.indicator.unavailable:
            continue
        parts = ["numerator"] + (["denominator", "not_numerator"] if result.tally.denominator is not None else [])
        for role, user in readers.items():
            for part in parts:
                found = drill_down_all(user=user, result=result, part=part)
                assert len(found.rows) + found.unseen == found.total, (result.code, role, part)
                if part == "numerator":
                    assert found.total == len(result.tally.numerator)
                    if all(m.amount == 1 for m in result.tally.numerator):  # a count, not FTE or scores
                        assert found.total == result.numerator, (result.code, role)
                if role == Role.PERFORMANCE_ANALYST:
                    assert not any(r.person_id or r.hearth_id for r in found.rows)
            checked += 1
    assert checked >= 25 * len(ROLES)
