"""establishment_on and sustainability on the hand-built establishment of conftest.build_world, with the answers
worked out by hand; then the single rules of "at risk" one at a time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.workforce.models import PostFunding
from hearth.workforce.selectors import establishment_on, posts_for, sustainability, workers_for
from tests.factories import make_user
from tests.workforce.conftest import GRANT, RESERVE, TODAY, World
from tests.workforce.factories import make_appointment, make_funding, make_post

D = Decimal


def test_the_establishment_today_adds_up(world: World):
    # P1 to P6 are on it (P7 came off in June, P8 starts in January).
    # FTE 1 + 1 + 1 + 0.5 + 1 + 1 = 5.5. Filled by employees: P1 1.0, P4 0.5 (seconded), P5 0.6 = 2.1.
    # Vacant 5.5 - 2.1 = 3.4, of which the agency worker in P2 covers 1.0.
    # Cost 50 + 60 + 40 + 30 + 52 + 45 = £277,000: base P1 50 + half of P5 26 = 76; the reserve P2 60 + P4 30 = 90;
    # the grant P3 40 + half of P5 26 = 66; P6 45 not funded.
    e = establishment_on(local_authority=world.la, on=TODAY)
    assert (e.posts, e.fte, e.filled_fte, e.vacant_fte, e.agency_fte) == (6, D("5.5"), D("2.1"), D("3.4"), D("1.0"))
    assert e.annual_cost == D("277000")
    assert e.by_source == {"Base budget": D("76000"), "Improvement reserve (reserve)": D("90000"),
                           "Families First grant (grant)": D("66000"), "Not funded": D("45000")}
    assert next(iter(e.by_source)) == "Base budget" and list(e.by_source)[-1] == "Not funded"
    assert round(e.vacancy_percent or 0, 2) == 61.82  # 3.4 / 5.5
    assert e.uncovered_fte == D("2.4")


def test_one_teams_establishment(world: World):
    # Team A: P1, P2, P5. FTE 3, filled 1.0 + 0.6, vacant 1.4 (P2 1.0 all agency-covered, P5 0.4 not).
    e = establishment_on(local_authority=world.la, on=TODAY, team=world.team_a)
    assert (e.posts, e.fte, e.filled_fte, e.vacant_fte, e.agency_fte) == (3, D("3"), D("1.6"), D("1.4"), D("1.0"))
    assert e.annual_cost == D("162000")


def test_the_establishment_on_another_day(world: World):
    # 1 January 2027: P8 is established (no one in it); P4 is now base budget; Ed is gone from P6 since November.
    e = establishment_on(local_authority=world.la, on=date(2027, 1, 1))
    assert e.posts == 7 and e.fte == D("6.5")
    assert e.by_source["Base budget"] == D("76000") + D("30000") + D("99000")
    # 31 October 2026: Ed's last day in P6, so it is filled and still funded by the reserve.
    october = establishment_on(local_authority=world.la, on=date(2026, 10, 31))
    assert october.filled_fte == D("3.1") and "Not funded" not in october.by_source


def test_a_post_is_off_the_establishment_from_the_day_it_ended(world: World):
    assert establishment_on(local_authority=world.la, on=date(2026, 5, 31)).posts == 7  # P7's last day
    assert establishment_on(local_authority=world.la, on=date(2026, 6, 1)).posts == 6


def test_sustainability_over_3_6_and_12_months(world: World):
    # 3 months (to 23 Feb 2027): P2 (reserve ends 23 Jan). 6 months (to 23 May 2027): P2 and P3 (grant ends
    # 23 Apr). 12 months: also P5, half of it (the grant's 50% ends 23 Sep 2027; base budget carries the rest).
    # P4's reserve ends 31 Dec 2026 but base budget starts the next day: not at risk. P1 is base budget.
    s = sustainability(local_authority=world.la, today=TODAY)
    three, six, twelve = s.horizons
    assert [h.months for h in s.horizons] == [3, 6, 12]
    assert (three.ends_by, six.ends_by, twelve.ends_by) == (date(2027, 2, 23), date(2027, 5, 23),
                                                            date(2027, 11, 23))
    assert [r.post.reference for r in three.posts] == ["P2"]
    assert [r.post.reference for r in six.posts] == ["P2", "P3"]
    assert [r.post.reference for r in twelve.posts] == ["P2", "P3", "P5"]
    assert (three.fte, three.annual_cost) == (D("1"), D("60000"))
    assert (six.fte, six.annual_cost) == (D("2"), D("100000"))
    assert (twelve.fte, twelve.annual_cost) == (D("2.5"), D("126000"))
    assert twelve.monthly_cost == D("10500.00")
    p2, p3, p5 = twelve.posts
    assert (p2.source_label, p2.ends_on, p2.occupant_label) == ("Improvement reserve (reserve)", date(2027, 1, 23),
                                                                "Agency worker")
    assert (p3.source_label, p3.occupant_label, p3.indicators) == ("Families First grant (grant)", "Vacant",
                                                                   ["cla_missing"])
    assert (p5.share_percent, p5.annual_cost, p5.occupant_label) == (D("50"), D("26000"), "Filled")
    assert p5.funding is not None and p5.funding.source == GRANT
    # Indicators in the registry's order, each once.
    assert three.indicators == ["caseload_average"]
    assert set(six.indicators) == {"caseload_average", "cla_missing"}


def test_posts_already_without_funding(world: World):
    s = sustainability(local_authority=world.la, today=TODAY)
    [p6] = s.already_unfunded
    assert p6.post.reference == "P6" and p6.annual_cost == D("45000") and p6.occupant_label == "Vacant"
    assert p6.ends_on == date(2026, 10, 31) and p6.source_label == "Improvement reserve (reserve)"


def test_a_team_managers_view_is_their_teams(world: World):
    s = sustainability(local_authority=world.la, today=TODAY, team=world.team_b)
    assert [r.post.reference for r in s.horizons[-1].posts] == ["P3"]


def test_sustainability_reads_the_same_queries_for_any_size(world: World):
    with CaptureQueriesContext(connection) as few:
        sustainability(local_authority=world.la, today=TODAY)
    for n in range(10):
        post = make_post(world.la, reference=f"X{n}")
        make_funding(post, source=RESERVE, reserve=world.reserve, ends_on=date(2027, 1, 1))
    with CaptureQueriesContext(connection) as many:
        s = sustainability(local_authority=world.la, today=TODAY)
    assert len(many.captured_queries) == len(few.captured_queries) <= 3
    assert len(s.horizons[0].posts) == 11


# ---------------------------------------------------------------------------------------------- one rule at a time

def _at_risk(la, today=TODAY) -> dict[int, list[str]]:
    s = sustainability(local_authority=la, today=today)
    return {h.months: [r.post.reference for r in h.posts] for h in s.horizons}


def test_funding_ending_in_2_months_is_at_risk_at_3_6_and_12(la):
    post = make_post(la, reference="R2")
    make_funding(post, source=RESERVE, ends_on=date(2027, 1, 23))
    assert _at_risk(la) == {3: ["R2"], 6: ["R2"], 12: ["R2"]}


def test_funding_ending_in_5_months_is_at_risk_at_6_and_12_only(la):
    post = make_post(la, reference="R5")
    make_funding(post, source=GRANT, ends_on=date(2027, 4, 23))
    assert _at_risk(la) == {3: [], 6: ["R5"], 12: ["R5"]}


def test_funding_ending_on_the_horizons_last_day_is_within_it(la):
    post = make_post(la, reference="Edge")
    make_funding(post, source=RESERVE, ends_on=date(2027, 2, 23))
    assert _at_risk(la)[3] == ["Edge"]
    post2 = make_post(la, reference="Edge2")
    make_funding(post2, source=RESERVE, ends_on=date(2027, 2, 24))
    assert _at_risk(la)[3] == ["Edge"]


def test_funding_renewed_from_the_next_day_is_not_at_risk(la):
    post = make_post(la, reference="Renewed")
    make_funding(post, source=RESERVE, ends_on=date(2027, 1, 23))
    make_funding(post, source=PostFunding.Source.BASE_BUDGET, starts_on=date(2027, 1, 24))
    assert _at_risk(la) == {3: [], 6: [], 12: []}


def test_funding_renewed_after_a_gap_is_at_risk(la):
    post = make_post(la, reference="Gap")
    make_funding(post, source=RESERVE, ends_on=date(2027, 1, 23))
    make_funding(post, starts_on=date(2027, 1, 25))
    assert _at_risk(la)[3] == ["Gap"]


def test_a_renewal_that_itself_runs_out_is_at_risk_when_it_does(la):
    post = make_post(la, reference="Chain")
    make_funding(post, source=RESERVE, ends_on=date(2027, 1, 23))
    renewal = make_funding(post, source=GRANT, starts_on=date(2027, 1, 24), ends_on=date(2027, 4, 30))
    assert _at_risk(la) == {3: [], 6: ["Chain"], 12: ["Chain"]}
    [row] = sustainability(local_authority=la, today=TODAY).horizons[1].posts
    assert row.funding == renewal and row.ends_on == date(2027, 4, 30)


def test_base_budget_is_never_at_risk(la):
    post = make_post(la, reference="Base")
    make_funding(post)
    s = sustainability(local_authority=la, today=TODAY, horizons=(3, 6, 12, 120))
    assert all(h.posts == [] for h in s.horizons) and s.already_unfunded == []


def test_a_renewal_at_a_smaller_share_leaves_the_rest_at_risk(la):
    post = make_post(la, reference="Half", annual_cost=40000)
    make_funding(post, source=RESERVE, ends_on=date(2027, 1, 23))
    make_funding(post, starts_on=date(2027, 1, 24), share_percent=50)
    [row] = sustainability(local_authority=la, today=TODAY).horizons[0].posts
    assert (row.share_percent, row.annual_cost, row.fte) == (D("50"), D("20000"), D("0.5"))


def test_funding_ending_today_is_at_risk_and_ended_yesterday_is_unfunded(la):
    today_post = make_post(la, reference="Today")
    make_funding(today_post, source=RESERVE, ends_on=TODAY)
    gone = make_post(la, reference="Gone")
    make_funding(gone, source=RESERVE, ends_on=date(2026, 11, 22))
    s = sustainability(local_authority=la, today=TODAY)
    assert [r.post.reference for r in s.horizons[0].posts] == ["Today"]
    assert [r.post.reference for r in s.already_unfunded] == ["Gone"]


def test_a_post_never_funded_is_unfunded_with_no_source(la):
    make_post(la, reference="Never")
    [row] = sustainability(local_authority=la, today=TODAY).already_unfunded
    assert (row.funding, row.ends_on, row.source_label) == (None, None, "No funding recorded")


def test_another_councils_posts_never_appear(la, other_la):
    theirs = make_post(other_la, reference="Theirs")
    make_funding(theirs, source=RESERVE, ends_on=date(2027, 1, 1))
    assert _at_risk(la) == {3: [], 6: [], 12: []}
    assert establishment_on(local_authority=la, on=TODAY).posts == 0


# ---------------------------------------------------------------------------------------------- posts_for

def _refs(user, **filters) -> list[str]:
    return [p.reference for p in posts_for(user=user, on=TODAY, **filters)]


def test_posts_filters(world: World, staff):
    head = staff["head"]
    assert _refs(head) == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert _refs(head, status="all") == ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"]
    assert _refs(head, status="ended") == ["P7"]
    assert _refs(head, team=world.team_b) == ["P3", "P4", "P6"]
    assert _refs(head, kind="missing_advocate") == ["P3"]
    assert _refs(head, source=RESERVE) == ["P2", "P4", "P6"][:2]  # P6's reserve funding ended in October
    assert _refs(head, source=GRANT) == ["P3", "P5"]
    assert _refs(head, source="none") == ["P6"]
    assert _refs(head, occupancy="filled") == ["P1", "P4", "P5"]
    assert _refs(head, occupancy="agency") == ["P2"]
    assert _refs(head, occupancy="vacant") == ["P3", "P6"]
    assert _refs(head, ending_within=3) == ["P2"]
    assert _refs(head, ending_within=12) == ["P2", "P3", "P5"]
    p2 = posts_for(user=head, on=TODAY).get(reference="P2")
    assert (p2.employee_fte, p2.agency_fte) == (0, D("1.00"))
    assert [f.source for f in p2.current_funding] == [RESERVE]


def test_a_team_manager_sees_their_teams_posts_and_people(world: World, staff):
    tm = staff["tm"]
    assert _refs(tm) == ["P1", "P2", "P5"]
    assert _refs(tm, team=world.team_b) == []
    names = {w.first_name for w in workers_for(user=tm, on=TODAY)}
    assert names >= {"Ann", "Bo", "Di"} and "Cy" not in names


def test_workers_carry_their_appointment_today(world: World, staff):
    rows = {w.first_name: w for w in workers_for(user=staff["head"], on=TODAY, status="all")}
    bo = rows["Bo"]
    assert (bo.appointment_type, bo.post_reference, bo.appointment_fte) == ("agency", "P2", D("1.00"))
    assert rows["Ed"].appointment_pk is None
    assert "Ed" not in {w.first_name for w in workers_for(user=staff["head"], on=TODAY)}
    assert {w.first_name for w in workers_for(user=staff["head"], on=TODAY, status="left")} == {"Ed"}
    assert [w.first_name for w in workers_for(user=staff["head"], on=TODAY, employment_type="seconded")] == ["Cy"]
    assert "Ann" not in {w.first_name for w in workers_for(user=staff["head"], on=TODAY, employment_type="none")}


def test_an_agency_worker_beside_a_full_complement_covers_no_vacancy(la):
    post = make_post(la, reference="Full")
    make_funding(post)
    make_appointment(make_user(la), post=post, starts_on=date(2025, 1, 1))
    make_appointment(make_user(la), post=post, employment_type="agency", starts_on=date(2026, 9, 1))
    e = establishment_on(local_authority=la, on=TODAY)
    assert (e.filled_fte, e.vacant_fte, e.agency_fte) == (D("1"), D("0"), D("0"))
