"""DfE's published figures as the migration loads them, and the council beside England, its region and
its statistical neighbours (hearth.indicators.benchmarks)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.indicators import benchmarks
from hearth.indicators.benchmark_sources import (
    ENGLAND_CODE,
    LAIT_CODES,
    load_project_table,
    read_project_table,
)
from hearth.indicators.benchmarks import (
    EES_MEASURES,
    MODEL_YEARS,
    Benchmark,
    Comparator,
    benchmark,
    benchmark_years,
    measure_for,
    neighbours,
    position,
    published_populations,
    quartiles,
)
from hearth.indicators.models import BenchmarkFigure, StatisticalNeighbour
from hearth.indicators.registry import REGISTRY, Indicator, Tally
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_la

NOTTINGHAM_2025 = [  # indicators.md §2
    ("330", "Birmingham", "Very close"), ("352", "Manchester", "Very close"),
    ("391", "Newcastle upon Tyne", "Close"), ("806", "Middlesbrough", "Close"), ("380", "Bradford", "Close"),
    ("333", "Sandwell", "Somewhat close"), ("852", "Southampton", "Somewhat close"),
    ("353", "Oldham", "Somewhat close"), ("373", "Sheffield", "Somewhat close"), ("355", "Salford", "Somewhat close"),
]
NOTTINGHAM_2021 = ["352", "336", "852", "333", "801", "330", "851", "355", "331", "810"]


@pytest.fixture
def nottingham(db) -> LocalAuthority:
    return make_la("Nottingham City Council", ons_code="E06000018", number="892")


def figure(measure: str, year: int, area_code: str) -> BenchmarkFigure:
    return BenchmarkFigure.objects.get(measure=measure, year=year, area_code=area_code)


# The project table, as the migration loaded it --------------------------------------------------------------

def test_the_migration_loaded_the_whole_project_table(db) -> None:
    figures, listed = read_project_table()
    assert len(figures) > 90_000 and len(listed) > 3_000
    assert BenchmarkFigure.objects.count() == len(figures)
    assert StatisticalNeighbour.objects.count() == len(listed)
    assert set(StatisticalNeighbour.objects.values_list("model_year", flat=True).distinct()) == set(MODEL_YEARS)


@pytest.mark.parametrize(("measure", "year", "area", "published"), [
    ("CPP_rate", 2025, "892", "53.4"),
    ("CPP_rate", 2025, ENGLAND_CODE, "40.6"),
    ("CPP_rate", 2024, "892", "59.5"),
    ("CPP_Total_Rateper10,000", 2025, "892", "575.3"),  # LAIT's text is 575.29999999999995
    ("CPP_Total_NumRef", 2025, ENGLAND_CODE, "632830"),
    ("ReReferral", 2025, "892", "27.2"),
    ("CIN_Refferals_NFA", 2025, "892", "16.1"),
    ("Continue_Assess_Comp", 2025, "892", "80.9"),
    ("CIN", 2025, "892", "370.4"),
    ("Section_47", 2025, "892", "194"),
    ("CP_conf_15days", 2025, "892", "87.8"),
    ("PrevRegCPR", 2025, "892", "32.2"),
    ("CPPlans2yrs", 2025, "892", "8.2"),
    ("CPPlans2yrsActive", 2025, ENGLAND_CODE, "2.3"),
    ("LAC", 2025, "892", "93"),
    ("LACnum", 2025, "892", "639"),
    ("LAC_Start_Rate", 2025, "892", "29"),
    ("Stability_SocialWorker", 2024, "892", "41"),
    ("LAC_SecHome_And_ChildHome", 2025, "892", "21"),
    ("Emotional_LAC", 2025, "892", "16.7"),
    ("CareLeaverEET", 2025, "892", "63"),
    ("Work_Force_NoSW", 2025, ENGLAND_CODE, "36186.3"),
    ("Work_Force_NoSW", 2023, "892", "202.4"),
    ("Work_Force_TO_Rate", 2025, "892", "12.5"),
    ("Work_Force_AvgNumCase_SW", 2025, "892", "14.7"),
    ("ees:placements_3plus_2yrs", 2025, "892", "25"),
    ("ees:placements_3plus_2yrs_count", 2025, "892", "118"),
    ("ees:cla_2yrs_count", 2025, "892", "478"),
    ("ees:care_leavers_eet_17_18", 2025, "892", "52"),
    ("ees:care_leavers_eet_17_18", 2025, ENGLAND_CODE, "64"),
    ("derived:s47_to_icpc", 2025, "892", "38.0"),
    ("derived:s47_to_icpc", 2025, ENGLAND_CODE, "31.3"),
    ("population_0_17", 2025, ENGLAND_CODE, "12183016"),  # indicators.md §1: mid-2024
    ("ReReferral", 2013, "892", None),  # 2013-2015 come from EES C1 (LAIT starts in 2016)
])
def test_published_values_are_reproduced_exactly(db, measure: str, year: int, area: str,
                                                 published: str | None) -> None:
    row = figure(measure, year, area)
    if published is None:
        assert row.source.startswith("DfE EES: c1_") and row.value is not None
        return
    assert row.published == published
    assert row.value == float(published)


def test_each_figure_says_where_it_came_from(db) -> None:
    assert figure("CPP_rate", 2025, "892").source == "DfE LAIT: lait_bds_long.parquet"
    assert figure("ees:placements_3plus_2yrs", 2025, "892").source == "DfE EES: la_cla_placement_stability.csv"
    assert figure("population_0_17", 2019, "892").source.startswith("Derived: LAIT CPP_Total_NumRef")


def test_suppressed_values_are_none_with_the_text_kept(db) -> None:
    assert (figure("CareLeavers_LA_NotInTouch", 2025, "330").value, figure("CareLeavers_LA_NotInTouch", 2025, "330")
            .published) == (None, "-")
    rutland = figure("ees:placements_3plus_2yrs", 2025, "857")
    assert (rutland.value, rutland.published) == (None, "c")
    # LAIT shows "-" for Newcastle's plans open 2+ years; EES says why: suppressed.
    assert figure("CPPlans2yrsActive", 2025, "391").published == "c"
    codes = set(BenchmarkFigure.objects.filter(value__isnull=True).values_list("published", flat=True))
    assert codes <= {"-", "c", "x", "z", "u", "k", "low", "."}
    assert not BenchmarkFigure.objects.filter(value__isnull=False, published__in=list(codes)).exists()
    # The workforce table's "low" does not replace LAIT's 0, which a comparison can use.
    assert figure("Work_Force_Agecy_Rate", 2025, "394").published == "0"


def test_councils_sharing_a_workforce_each_get_the_shared_figure(db) -> None:
    assert figure("Work_Force_TO_Rate", 2025, "314").value == figure("Work_Force_TO_Rate", 2025, "318").value == 28


def test_load_project_table_adds_only_what_is_missing(db) -> None:
    figure("CPP_rate", 2025, "892").delete()
    changed = figure("CPP_rate", 2025, ENGLAND_CODE)
    changed.value, changed.published = 41.0, "41.0"  # as if a newer import had revised it
    changed.save()
    assert load_project_table() == 1
    assert figure("CPP_rate", 2025, "892").value == 53.4
    assert figure("CPP_rate", 2025, ENGLAND_CODE).value == 41.0
    assert load_project_table() == 0


# Statistical neighbours --------------------------------------------------------------------------------------

def test_nottinghams_neighbours_under_the_2025_model(db, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        found = neighbours(la_code="892")
    assert [(n.neighbour_code, n.neighbour_name, n.closeness) for n in found] == NOTTINGHAM_2025
    assert [n.rank for n in found] == list(range(1, 11))


def test_nottinghams_neighbours_under_the_2021_model(db) -> None:
    found = neighbours(la_code="892", model_year=2021)
    assert [n.neighbour_code for n in found] == NOTTINGHAM_2021
    assert (found[0].neighbour_name, found[0].closeness) == ("Manchester", "Very close")
    assert found[-1].closeness == "Somewhat close"


def test_every_council_has_ten_neighbours_in_each_model(db) -> None:
    for model_year in MODEL_YEARS:
        ranks: dict[str, list[int]] = {}
        for la_code, rank in StatisticalNeighbour.objects.filter(model_year=model_year).values_list("la_code", "rank"):
            ranks.setdefault(la_code, []).append(rank)
        assert len(ranks) >= 150
        assert all(sorted(r) == list(range(1, 11)) for r in ranks.values())


# benchmark() -------------------------------------------------------------------------------------------------

def test_cp_plan_rate_beside_england_region_and_neighbours(nottingham, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):
        found = benchmark(local_authority=nottingham, code="cpp_rate")
    assert found is not None
    assert (found.measure, found.year, found.model_year) == ("CPP_rate", 2025, 2025)
    assert (found.council.value, found.council.published, found.council.code) == (53.4, "53.4", "892")
    assert found.england is not None and found.england.value == 40.6
    assert found.region is not None and (found.region.name, found.region.value) == ("East Midlands", 40.4)
    assert [(c.code, c.name, c.closeness, c.rank) for c in found.neighbours] == [
        (code, name, closeness, rank) for rank, (code, name, closeness) in enumerate(NOTTINGHAM_2025, start=1)]
    assert [c.value for c in found.neighbours] == [57.3, 50.1, 70.7, 99.1, 32.8, 40.3, 57.3, 68.8, 42.4, 56.9]
    # indicators.md gives the neighbours' median as 57.1 (the mean of the 5th and 6th of the ten).
    assert found.sn_median == 57.1
    assert found.sn_mean == pytest.approx(57.57)
    assert (found.sn_q1, found.sn_q3) == (pytest.approx(44.325), pytest.approx(65.925))
    assert found.source == "DfE LAIT: lait_bds_long.parquet"


@pytest.mark.parametrize(("code", "median"), [  # indicators.md §3-§5, where it publishes the median
    ("re_referrals_12m", 20.9), ("cpp_second", 26.7), ("cpp_ended_2yrs", 4.8), ("cin_rate", 382),
    ("s47_rate", 221.4), ("assessments_45wd", 79.9), ("referral_rate", 534.0), ("placed_20_miles", 11),
    ("placements_3plus_year", 10), ("placement_long_term", 66), ("cla_missing", 11), ("cla_childrens_homes", 10),
    ("ceased_sgo", 14), ("sdq_average", 13.6), ("care_leavers_eet_19_21", 53), ("care_leavers_suitable_19_21", 88),
    ("care_leavers_eet_17_18", 69), ("care_leavers_not_in_touch", 3.5), ("staying_put", 38),
    ("turnover_rate", 10.5), ("caseload_average", 15.2), ("cpp_open_2yrs", 3.2),
])
def test_neighbour_medians_agree_with_indicators_md(nottingham, code: str, median: float) -> None:
    found = benchmark(local_authority=nottingham, code=code)
    assert found is not None and found.sn_median == pytest.approx(median)


def test_a_suppressed_neighbour_is_shown_but_left_out_of_the_summary(nottingham) -> None:
    found = benchmark(local_authority=nottingham, code="cpp_open_2yrs")
    assert found is not None
    newcastle = next(c for c in found.neighbours if c.code == "391")
    assert (newcastle.value, newcastle.published) == (None, "c")
    assert len(found.neighbours) == 10
    assert found.sn_mean == pytest.approx((1.9 + 1.7 + 4.0 + 3.2 + 3.4 + 3.1 + 1.6 + 4.7 + 3.3) / 9)


def test_the_latest_year_is_the_latest_with_a_figure(nottingham) -> None:
    found = benchmark(local_authority=nottingham, code="sw_changes_3plus")
    assert found is not None and (found.year, found.council.value) == (2024, 41)
    found = benchmark(local_authority=nottingham, code="cpp_rate", year=2021)
    assert found is not None and (found.year, found.council.value) == (2021, 89.3)


def test_the_2021_model_can_be_chosen(nottingham) -> None:
    found = benchmark(local_authority=nottingham, code="cpp_rate", model_year=2021)
    assert found is not None and found.model_year == 2021
    assert [c.code for c in found.neighbours] == NOTTINGHAM_2021
    assert found.neighbours[0].name == "Manchester"


def test_ees_and_derived_measures_are_benchmarked(nottingham) -> None:
    assert EES_MEASURES["placements_3plus_2yrs"] == "ees:placements_3plus_2yrs"
    found = benchmark(local_authority=nottingham, code="placements_3plus_2yrs")
    assert found is not None and (found.council.value, found.england and found.england.value) == (25, 23)
    found = benchmark(local_authority=nottingham, code="s47_to_icpc")
    assert found is not None and (found.council.published, found.england and found.england.published) == ("38.0",
                                                                                                          "31.3")


def test_a_london_borough_is_compared_with_its_half_of_london(db) -> None:
    camden = make_la("Camden", ons_code="E09000007", number="202")
    found = benchmark(local_authority=camden, code="cpp_rate")
    assert found is not None and found.region is not None
    assert (found.region.code, found.region.name, found.region.value) == ("E13000001", "Inner London", 35.2)


def test_no_benchmark_without_a_published_measure(nottingham) -> None:
    assert measure_for("no_such_indicator") is None
    assert benchmark(local_authority=nottingham, code="no_such_indicator") is None
    assert benchmark(local_authority=nottingham, code="cpp_rate", year=1999) is None


def test_a_council_dfe_does_not_publish_still_gets_england(la) -> None:
    found = benchmark(local_authority=la, code="cpp_rate")
    assert found is not None
    assert (found.council.name, found.council.value, found.council.published) == (la.name, None, "")
    assert found.england is not None and found.england.value == 40.6
    assert found.region is None and found.neighbours == []
    assert (found.sn_mean, found.sn_median, found.sn_q1, found.sn_q3) == (None, None, None, None)


def test_a_registered_lait_code_wins(monkeypatch) -> None:
    assert measure_for("cpp_rate") == "CPP_rate"
    monkeypatch.setitem(REGISTRY, "cpp_rate", Indicator(
        code="cpp_rate", title="t", group="cin", unit="per_10k", polarity="neutral", measured="at_end",
        numerator="n", denominator="d", definition="", compute=lambda period: Tally([]), lait_code="LAC"))
    assert measure_for("cpp_rate") == "LAC"


def test_every_registered_lait_code_is_in_the_table(db) -> None:
    measures = set(BenchmarkFigure.objects.values_list("measure", flat=True).distinct())
    assert set(LAIT_CODES.values()) <= measures
    missing = {i.code: i.lait_code for i in REGISTRY.values() if i.lait_code and i.lait_code not in measures}
    assert not missing, f"Rebuild the project table (hearth/indicators/data/README.md) for {missing}"


def test_published_series_for_trend_charts(db, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        series = benchmark_years(code="cpp_rate", area_code="892")
    assert series[-7:] == [(2019, 76.4), (2020, 90.8), (2021, 89.3), (2022, 95.3), (2023, 79.3), (2024, 59.5),
                           (2025, 53.4)]  # indicators.md §6
    assert benchmark_years(code="cpp_rate", area_code=ENGLAND_CODE)[-1] == (2025, 40.6)
    assert benchmark_years(code="no_such_indicator", area_code="892") == []


def test_published_populations_by_mid_year(db) -> None:
    found = published_populations(la_code="892")
    assert found[2024] == 68_714  # EES's estimate behind the 2025 rates
    assert min(found) == 2015 and max(found) == 2024
    assert all(found[year] % 10 == 0 for year in range(2015, 2020))  # worked back from a rate: nearest 10
    assert abs(found[2019] - 67_090) <= 20
    assert published_populations(la_code="999") == {}


# position() --------------------------------------------------------------------------------------------------

def hand_made(values: list[float | None]) -> Benchmark:
    near = [Comparator(f"Neighbour {i}", f"{300 + i}", v, "" if v is None else str(v), rank=i)
            for i, v in enumerate(values, start=1)]
    council = Comparator("Council", "999", None, "")
    return Benchmark("x", "X", 2025, 2025, council, None, None, near, None, None, None, None, "test")


ONE_TO_TEN = [float(v) for v in range(1, 11)]


def test_lower_is_better() -> None:
    best = position(value=0.5, benchmark=hand_made(ONE_TO_TEN), polarity="low")
    assert (best.rank, best.of, best.quartile) == (1, 11, 1)
    assert best.words == "1st of 11 (council and its 10 neighbours), in the best quarter"
    worst = position(value=12, benchmark=hand_made(ONE_TO_TEN), polarity="low")
    assert (worst.rank, worst.quartile) == (11, 4)
    assert worst.words == "11th of 11 (council and its 10 neighbours), in the worst quarter"


def test_higher_is_better() -> None:
    best = position(value=12, benchmark=hand_made(ONE_TO_TEN), polarity="high")
    assert (best.rank, best.quartile) == (1, 1)
    middle = position(value=6.5, benchmark=hand_made(ONE_TO_TEN), polarity="high")
    assert (middle.rank, middle.quartile) == (5, 2)
    assert middle.words == "5th of 11 (council and its 10 neighbours), in the second-best quarter"


def test_neutral_ranks_by_size_without_better_or_worse() -> None:
    top = position(value=12, benchmark=hand_made(ONE_TO_TEN), polarity="neutral")
    assert (top.rank, top.quartile, top.words) == (
        1, 1, "Highest of 11 (council and its 10 neighbours), in the highest quarter")
    bottom = position(value=0, benchmark=hand_made(ONE_TO_TEN), polarity="neutral")
    assert (bottom.rank, bottom.quartile, bottom.words) == (
        11, 4, "Lowest of 11 (council and its 10 neighbours), in the lowest quarter")
    middle = position(value=4.5, benchmark=hand_made(ONE_TO_TEN), polarity="neutral")
    assert (middle.rank, middle.quartile) == (7, 3)
    assert middle.words == "7th highest of 11 (council and its 10 neighbours), in the second-lowest quarter"
    for found in (top, bottom, middle):
        assert "best" not in found.words and "worst" not in found.words


def test_ties_share_the_better_rank() -> None:
    tied = position(value=3, benchmark=hand_made(ONE_TO_TEN), polarity="low")
    assert (tied.rank, tied.of) == (3, 11)
    assert tied.words.startswith("Joint 3rd of 11")
    assert position(value=3, benchmark=hand_made(ONE_TO_TEN), polarity="high").rank == 8
    all_same = position(value=5, benchmark=hand_made([5.0] * 10), polarity="low")
    assert (all_same.rank, all_same.quartile) == (1, 1)
    assert position(value=5, benchmark=hand_made([5.0] * 10), polarity="neutral").words.startswith("Joint highest")


def test_a_value_on_a_quartile_boundary_goes_to_the_better_quarter() -> None:
    q1, median, q3 = quartiles(ONE_TO_TEN)
    assert (q1, median, q3) == (3.25, 5.5, 7.75)
    assert position(value=3.25, benchmark=hand_made(ONE_TO_TEN), polarity="low").quartile == 1
    assert position(value=5.5, benchmark=hand_made(ONE_TO_TEN), polarity="low").quartile == 2
    assert position(value=7.75, benchmark=hand_made(ONE_TO_TEN), polarity="high").quartile == 1
    assert position(value=3.25, benchmark=hand_made(ONE_TO_TEN), polarity="high").quartile == 3


def test_neighbours_without_a_figure_are_left_out() -> None:
    values: list[float | None] = [1.0, 2.0, None, 4.0, 5.0, None, 7.0, 8.0, 9.0, 10.0]
    found = position(value=6, benchmark=hand_made(values), polarity="low")
    assert (found.rank, found.of) == (5, 9)
    assert found.words.startswith("5th of 9 (council and the 8 of its 10 neighbours with a published figure)")


def test_too_few_neighbours_for_quarters() -> None:
    found = position(value=2, benchmark=hand_made([1.0, 3.0, 5.0, None, None]), polarity="low")
    assert (found.rank, found.of, found.quartile) == (2, 4, None)
    assert "quarter" not in found.words
    nobody = position(value=2, benchmark=hand_made([None, None]), polarity="low")
    assert (nobody.rank, nobody.of, nobody.quartile) == (1, 1, None)
    assert nobody.words == "Cannot be placed: no neighbour has a published figure"
    alone = position(value=2, benchmark=hand_made([]), polarity="high")
    assert alone.words == "Cannot be placed: no statistical neighbours to compare with"


def test_polarity_must_be_known() -> None:
    with pytest.raises(ValueError, match="Polarity"):
        position(value=1, benchmark=hand_made(ONE_TO_TEN), polarity="up")


def test_nottinghams_published_cp_rate_among_its_neighbours(nottingham) -> None:
    found = benchmark(local_authority=nottingham, code="cpp_rate")
    assert found is not None
    placed = position(value=53.4, benchmark=found, polarity="neutral")
    assert placed.words == "7th highest of 11 (council and its 10 neighbours), in the second-lowest quarter"


values_strategy = st.lists(st.one_of(st.none(), st.integers(0, 40).map(float)), max_size=10)


@given(values=values_strategy, value=st.integers(0, 40).map(float))
def test_rank_and_quartile_hold_for_any_neighbours(values: list[float | None], value: float) -> None:
    made = hand_made(values)
    published = [v for v in values if v is not None]
    low = position(value=value, benchmark=made, polarity="low")
    high = position(value=value, benchmark=made, polarity="high")
    neutral = position(value=value, benchmark=made, polarity="neutral")
    assert low.of == high.of == len(published) + 1
    assert low.rank == 1 + sum(1 for v in published if v < value)
    assert high.rank == neutral.rank == 1 + sum(1 for v in published if v > value)
    assert low.rank + high.rank + sum(1 for v in published if v == value) == low.of + 1
    if len(published) >= benchmarks.MIN_FOR_QUARTILES:
        assert low.quartile in (1, 2, 3, 4) and high.quartile in (1, 2, 3, 4)
        assert neutral.quartile == high.quartile
        # Better on one scale is worse on the other; a value on a cut is in the better quarter of both.
        on_cuts = sum(1 for cut in quartiles(published) if cut == value)
        assert low.quartile + high.quartile == 5 - on_cuts
    else:
        assert low.quartile is None and high.quartile is None


@given(values=st.lists(st.integers(0, 40).map(float), min_size=4, max_size=10),
       a=st.integers(0, 40).map(float), b=st.integers(0, 40).map(float))
def test_a_lower_value_is_never_placed_worse_when_lower_is_better(values: list[float], a: float, b: float) -> None:
    made = hand_made(list(values))
    lower, higher = sorted((a, b))
    first, second = (position(value=v, benchmark=made, polarity="low") for v in (lower, higher))
    assert first.rank <= second.rank
    assert first.quartile is not None and second.quartile is not None and first.quartile <= second.quartile
