"""The demand projection: every placement code in a band, children counted once per placement on the day, and
two bands carried four years ahead with known answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hearth.care.codes import RETIRED_PLACEMENT_TYPES, PlacementProvider, PlacementType
from hearth.finance import services
from hearth.finance.models import PlacementCostBand
from hearth.finance.projection import (
    ALL_PLACEMENT_CODES,
    PLACEMENT_BANDS,
    band_for,
    children_by_band,
    demand_projection,
)
from tests.factories import make_person
from tests.finance.factories import TODAY, YEAR, in_care

D = Decimal
Band = PlacementCostBand


def test_every_placement_code_is_in_a_band():
    codes = set(PlacementType.values) | set(RETIRED_PLACEMENT_TYPES)
    assert codes == set(ALL_PLACEMENT_CODES)
    assert set(PLACEMENT_BANDS) == codes, "a PLACE code has no band (or a band names a code that is not one)"
    for code in codes:
        for provider in ["", *PlacementProvider.values]:
            assert band_for(code, provider) in Band


@pytest.mark.parametrize(("code", "provider", "band"), [
    ("U1", "PR1", Band.KINSHIP), ("U2", "PR4", Band.KINSHIP), ("U3", "", Band.KINSHIP),
    ("U4", "PR1", Band.IN_HOUSE_FOSTERING), ("U5", "PR2", Band.IN_HOUSE_FOSTERING), ("U6", "", Band.IN_HOUSE_FOSTERING),
    ("U4", "PR4", Band.AGENCY_FOSTERING), ("U6", "PR5", Band.AGENCY_FOSTERING),
    ("K2", "PR1", Band.IN_HOUSE_RESIDENTIAL), ("K2", "PR4", Band.EXTERNAL_RESIDENTIAL),
    ("K2", "PR2", Band.EXTERNAL_RESIDENTIAL), ("K2", "", Band.EXTERNAL_RESIDENTIAL),
    ("R1", "PR1", Band.IN_HOUSE_RESIDENTIAL), ("R1", "PR5", Band.EXTERNAL_RESIDENTIAL),
    ("S1", "PR3", Band.EXTERNAL_RESIDENTIAL),
    ("K3", "PR4", Band.SUPPORTED_ACCOMMODATION), ("H5", "PR4", Band.SUPPORTED_ACCOMMODATION),
    ("P2", "", Band.SUPPORTED_ACCOMMODATION),
    ("P1", "PR0", Band.PLACED_WITH_PARENTS),
    ("K1", "PR3", Band.SECURE_AND_OTHER), ("R5", "PR3", Band.SECURE_AND_OTHER), ("R2", "PR3", Band.SECURE_AND_OTHER),
    ("R3", "PR4", Band.SECURE_AND_OTHER), ("P3", "", Band.SECURE_AND_OTHER), ("A4", "PR1", Band.SECURE_AND_OTHER),
    ("T3", "", Band.SECURE_AND_OTHER), ("Z12", "", Band.SECURE_AND_OTHER), ("Z1", "", Band.SECURE_AND_OTHER),
])
def test_placement_band_mapping(code, provider, band):
    assert band_for(code, provider) == band


def test_children_counted_by_the_placement_they_are_in_today_in_one_query(la, other_la, django_assert_num_queries):
    for _ in range(2):
        in_care(la, "U4", "PR1")
    in_care(la, "U6", "PR4")
    in_care(la, "K2", "PR4")
    in_care(la, "K3", "PR4")
    # Not in care today: a placement ended with the period, a placement that starts tomorrow, a child on short
    # breaks (V3), a record merged into another, and another council's child.
    in_care(la, "U4", "PR1", started_on=date(2024, 1, 1), period_ended_on=date(2026, 1, 1))
    in_care(la, "U4", "PR1", started_on=date(2026, 11, 24))
    in_care(la, "U4", "PR1", legal_status="V3")
    survivor = make_person(la)
    merged = make_person(la)
    in_care(la, "K2", "PR1", child=merged)
    merged.merged_into = survivor
    merged.save(by="test")
    in_care(other_la, "U4", "PR1")
    with django_assert_num_queries(1):
        counts = children_by_band(local_authority=la, on=TODAY)
    assert counts == {Band.IN_HOUSE_FOSTERING: 2, Band.AGENCY_FOSTERING: 1, Band.EXTERNAL_RESIDENTIAL: 1,
                      Band.SUPPORTED_ACCOMMODATION: 1, Band.KINSHIP: 0, Band.IN_HOUSE_RESIDENTIAL: 0,
                      Band.PLACED_WITH_PARENTS: 0, Band.SECURE_AND_OTHER: 0}


def test_two_bands_four_years_ahead_with_known_answers(la, django_assert_num_queries):
    """In-house fostering: 10 children now at £500.00 a week; +5% children and +2% cost a year.
    External residential: 3 children now at £5,000.00 a week; -10% children and +5% cost a year.
    annual cost(n) = children(n) * weekly(n) * 52.18, from the unrounded figures, rounded to the pound half up:

        year     fostering children * weekly   = cost         residential children * weekly   = cost
        2027/28  10.5       * 510.00           = £279,424     2.7      * 5,250.00             = £739,652 (.5 up)
        2028/29  11.025     * 520.20           = £299,263     2.43     * 5,512.50             = £698,971
        2029/30  11.57625   * 530.604          = £320,511     2.187    * 5,788.125            = £660,527
        2030/31  12.1550625 * 541.21608        = £343,267     1.9683   * 6,077.53125          = £624,198

    e.g. 2027/28 fostering: 10.5 * 510 = 5,355 a week; * 52.18 = 279,423.90 → £279,424.
    Now (a year at today's numbers): 10 * 500 * 52.18 = £260,900; 3 * 5,000 * 52.18 = £782,700.
    """
    for _ in range(10):
        in_care(la, "U4", "PR1")
    for code, provider in [("K2", "PR4"), ("K2", "PR4"), ("R1", "PR5")]:
        in_care(la, code, provider)
    for band, weekly, demand, cost in [(Band.IN_HOUSE_FOSTERING, "500", "5", "2"),
                                       (Band.EXTERNAL_RESIDENTIAL, "5000", "-10", "5")]:
        services.unit_cost_set(local_authority=la, band=band, financial_year=YEAR, weekly_cost=weekly, by="test")
        services.projection_assumption_set(local_authority=la, band=band, annual_demand_change_percent=demand,
                                           annual_cost_change_percent=cost, by="test")
    with django_assert_num_queries(3):
        result = demand_projection(local_authority=la, base_year=YEAR, on=TODAY)
    assert result.years == [2027, 2028, 2029, 2030]
    rows = {row.band: row for row in result.rows}
    fostering, residential = rows[Band.IN_HOUSE_FOSTERING], rows[Band.EXTERNAL_RESIDENTIAL]
    assert fostering.children_now == 10 and fostering.weekly_cost == D("500.00")
    assert fostering.children == pytest.approx([10.5, 11.025, 11.57625, 12.1550625])
    assert fostering.cost == [D(279424), D(299263), D(320511), D(343267)]
    assert residential.children_now == 3
    assert residential.children == pytest.approx([2.7, 2.43, 2.187, 1.9683])
    assert residential.cost == [D(739652), D(698971), D(660527), D(624198)]
    assert (fostering.cost_now, residential.cost_now) == (D(260900), D(782700))
    assert result.totals == [D(1019076), D(998234), D(981038), D(967465)]
    assert result.total_now == D(1043600) and result.children_total_now == 13
    assert not result.incomplete  # the other bands have no children


def test_a_band_without_a_unit_cost_or_assumption_says_so(la):
    in_care(la, "U1", "PR1")
    in_care(la, "K3", "PR4")
    services.unit_cost_set(local_authority=la, band=Band.KINSHIP, financial_year=YEAR - 1, weekly_cost="300",
                           by="test")  # last year's cost is not this year's
    services.projection_assumption_set(local_authority=la, band=Band.SUPPORTED_ACCOMMODATION,
                                       annual_demand_change_percent="0", annual_cost_change_percent="3", by="test")
    services.unit_cost_set(local_authority=la, band=Band.SUPPORTED_ACCOMMODATION, financial_year=YEAR,
                           weekly_cost="2000", by="test")
    result = demand_projection(local_authority=la, base_year=YEAR, on=TODAY)
    rows = {row.band: row for row in result.rows}
    kinship = rows[Band.KINSHIP]
    assert kinship.missing == ["No weekly cost for 2026/27", "No assumptions"]
    assert kinship.weekly_cost is None and kinship.cost == [None] * 4 and kinship.children == [None] * 4
    supported = rows[Band.SUPPORTED_ACCOMMODATION]
    assert supported.missing == [] and supported.children == [1.0] * 4
    # 1 * 2,000 * 1.03 * 52.18 = 107,490.80 → £107,491: only supported accommodation is in the total.
    assert supported.cost[0] == D(107491) and result.totals[0] == D(107491)
    assert result.incomplete
