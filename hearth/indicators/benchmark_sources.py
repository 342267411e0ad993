"""Readers of DfE's published files, and the compact project table built from them.

DfE publishes the same figures twice: in the Local Authority Interactive Tool (LAIT, one long Parquet
file, every measure by its ``Short Desc``) and as Explore Education Statistics (EES) CSV tables. LAIT
is built from the EES tables, and where both publish a figure they agree exactly (checked for every
area and year of the files in ``../shared/data/benchmarks``). Hearth keys every figure by its LAIT
measure; a few EES tables are also read under the LAIT measure they feed, so a new EES release can be
imported before LAIT catches up, and figures LAIT does not carry get an ``ees:`` measure. Statistical
neighbours come from DfE's model workbooks (or their CSV copies).

Everything here reads files and returns plain rows; ``import_figures`` writes them (one transaction),
and ``write_project_table`` / ``read_project_table`` keep ``hearth/indicators/data/`` (see its
README.md), which the migration loads into every new database.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
FIGURES_FILE = "benchmark_figures.csv.gz"
NEIGHBOURS_FILE = "statistical_neighbours.csv"

POPULATION = "population_0_17"  # the 0-17 population a year's rates used (mid-year = year - 1)

ENGLAND_CODE = "E92000001"
# Regions by ONS code. LAIT names London's halves "London (Inner)" and "London (Outer)" in its area list
# and "Inner London"/"Outer London" in an LA's Region column; EES uses the latter. One name each here.
REGION_NAMES: dict[str, str] = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
    "E13000001": "Inner London",
    "E13000002": "Outer London",
}
REGION_CODES: dict[str, str] = {name.lower(): code for code, name in REGION_NAMES.items()} | {
    "london (inner)": "E13000001",
    "london (outer)": "E13000002",
}
# LAIT's "LA Number" for England and the regions.
LAIT_AGGREGATES: dict[int, str] = {
    970: ENGLAND_CODE, 980: "E12000001", 981: "E12000002", 982: "E12000003", 983: "E12000004",
    984: "E12000005", 985: "E12000006", 986: "E12000007", 987: "E13000001", 988: "E13000002",
    989: "E12000008", 990: "E12000009",
}

# Each indicator's LAIT measure (../shared/reference/indicators.md §3-§5). An indicator's own
# ``lait_code`` in the registry wins over this list; this is the fallback and the build list.
LAIT_CODES: dict[str, str] = {
    "referral_rate": "CPP_Total_Rateper10,000",
    "re_referrals_12m": "ReReferral",
    "referrals_nfa": "CIN_Refferals_NFA",
    "assessed_not_in_need": "Referrals_AssessedNotNeed",
    "assessments_45wd": "Continue_Assess_Comp",
    "cin_rate": "CIN",
    "s47_rate": "Section_47",
    "icpc_rate": "ISCP_Conf",
    "icpc_15wd": "CP_conf_15days",
    "cpp_rate": "CPP_rate",
    "cpp_second": "PrevRegCPR",
    "cpp_ended_2yrs": "CPPlans2yrs",
    "cpp_open_2yrs": "CPPlans2yrsActive",
    "cla_rate": "LAC",
    "cla_start_rate": "LAC_Start_Rate",
    "placements_3plus_year": "LACStable_2016on",
    "placement_long_term": "LAC_LongStable%",
    "placed_20_miles": "LACDistance",
    "sw_changes_3plus": "Stability_SocialWorker",
    "school_moves": "Stability_School",
    "cla_missing": "Children_missing",
    "cla_childrens_homes": "LAC_SecHome_And_ChildHome",
    "ceased_sgo": "LAC_ceased_SGO%",
    "sdq_average": "Emotional_LAC",
    "care_leavers_eet_19_21": "CareLeaverEET",
    "care_leavers_suitable_19_21": "CareLeaverAcc",
    "care_leavers_not_in_touch": "CareLeavers_LA_NotInTouch",
    "staying_put": "StayingPut",
    "sw_fte": "Work_Force_NoSW",
    "turnover_rate": "Work_Force_TO_Rate",
    "agency_rate": "Work_Force_Agecy_Rate",
    "caseload_average": "Work_Force_AvgNumCase_SW",
}
# Figures only EES publishes, under Hearth's own codes (documented in data/README.md).
EES_MEASURES: dict[str, str] = {
    "placements_3plus_2yrs": "ees:placements_3plus_2yrs",
    "care_leavers_eet_17_18": "ees:care_leavers_eet_17_18",
}
# Figures neither publishes but that follow exactly from two LAIT figures of the same area and year.
DERIVED_MEASURES: dict[str, str] = {
    "s47_to_icpc": "derived:s47_to_icpc",
}
# Counts and the measures indicators.md lists that no indicator in this issue computes yet (vacancy rate,
# agency cover and sickness absence come with issue 8's establishment records).
LAIT_EXTRA: tuple[str, ...] = (
    "CPP_Total_NumRef", "10_ICPC", "15_ICPC", "20_ICPC", "21_ICPC", "LACnum", "LACnum_Start",
    "LACStableNum_2016on", "LAC_LongStableNum", "Children_Away", "LAC_ceased_SGO", "CareLeaverEETNum",
    "NoCareLeavers", "NoCareLeaverAcc", "Work_Force_Vac_Rate", "Work_Force_AgencyCover", "Vacancies_cover",
    "Work_Force_SWAbsence",
)


def wanted_lait_measures() -> list[str]:
    """The LAIT measures Hearth keeps: every indicator's, the useful counts, and any ``lait_code`` an
    indicator registers that is not in the lists above."""
    from .registry import REGISTRY

    registered = {i.lait_code for i in REGISTRY.values() if i.lait_code and ":" not in i.lait_code}
    return sorted(set(LAIT_CODES.values()) | set(LAIT_EXTRA) | registered)


# Rows ------------------------------------------------------------------------------------------------------

Key = tuple[str, int, str, str]  # measure, year, area_kind, area_code


@dataclass(frozen=True, slots=True)
class Figure:
    measure: str
    year: int
    area_kind: str  # "la", "region" or "england"
    area_code: str  # old LA code ("892") or ONS code (regions, England)
    area_name: str
    region: str  # an LA's region, as LAIT names it
    value: float | None
    published: str
    source: str

    @property
    def key(self) -> Key:
        return (self.measure, self.year, self.area_kind, self.area_code)

    @property
    def derived(self) -> bool:
        return self.source.startswith("Derived")


@dataclass(frozen=True, slots=True)
class Neighbour:
    model_year: int
    la_code: str
    la_name: str
    rank: int
    neighbour_code: str
    neighbour_name: str
    closeness: str

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.model_year, self.la_code, self.rank)


class SourceError(Exception):
    """A file Hearth cannot read, or whose columns are not DfE's; the message names the file and column."""


@dataclass
class FileRead:
    path: Path
    kind: str  # what the file is, in words
    figures: list[Figure] = field(default_factory=list)
    neighbours: list[Neighbour] = field(default_factory=list)
    skipped: str = ""  # why nothing was read, when nothing was

    def summary(self) -> str:
        if self.skipped:
            return f"{self.path.name}: skipped ({self.skipped})"
        parts = []
        if self.figures:
            years = sorted({f.year for f in self.figures})
            measures = {f.measure for f in self.figures}
            parts.append(f"{len(self.figures):,} figures ({len(measures)} measures, {years[0]}-{years[-1]})")
        if self.neighbours:
            lists = {(n.model_year, n.la_code) for n in self.neighbours}
            models = sorted({n.model_year for n in self.neighbours})
            parts.append(f"{len(lists):,} councils' neighbours ({', '.join(map(str, models))} model)")
        return f"{self.path.name}: {self.kind}: " + ("; ".join(parts) or "nothing Hearth benchmarks")


def number(text: str) -> float | None:
    """The number in a published cell; None for DfE's codes (c, x, z, u, k, low, -, .) and blanks."""
    try:
        found = float(text)
    except ValueError:
        return None
    return found if found == found and found not in (float("inf"), float("-inf")) else None


_FLOAT_NOISE = re.compile(r"-?\d+\.\d{8,}")


def tidy(text: str) -> str:
    """LAIT writes numbers from binary floats, sometimes a hair off ("40.200000000000003",
    "73.600000000000009"); keep them to 15 significant digits ("40.2", "73.6"), the most a float holds
    exactly. Anything else is kept as published."""
    text = text.strip()
    if _FLOAT_NOISE.fullmatch(text):
        short = f"{float(text):.15g}"
        if "e" not in short:
            return short
    return text


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _year(text: str, *, path: Path, column: str) -> int:
    text = text.strip()
    if not re.fullmatch(r"\d{4}", text):
        raise SourceError(f"{path.name}: column {column!r} holds {text!r}, not a year such as 2025")
    return int(text)


# LAIT ------------------------------------------------------------------------------------------------------

LAIT_COLUMNS = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number", "Region")
LAIT_SOURCE = "DfE LAIT"


def read_lait(path: Path, measures: Sequence[str] | None = None) -> FileRead:
    """LAIT's long file: the wanted measures for England, the regions and every council, in the years
    written as four digits (LAIT's "2016-17" or "2025 (Rev)" style years belong to other measures)."""
    import duckdb

    wanted = list(measures) if measures is not None else wanted_lait_measures()
    try:
        columns = [row[0] for row in duckdb.execute("DESCRIBE SELECT * FROM read_parquet($1)",
                                                    [str(path)]).fetchall()]
    except duckdb.Error as error:
        raise SourceError(f"{path.name}: cannot be read as a Parquet file ({_first_line(error)})") from None
    for column in LAIT_COLUMNS:
        if column not in columns:
            raise SourceError(f"{path.name}: no column {column!r}; LAIT's long file has columns "
                              f"{', '.join(LAIT_COLUMNS)}")
    try:
        rows = duckdb.execute(
            'SELECT "Short Desc", CAST("Years" AS VARCHAR), "LA and Regions", CAST("Values" AS VARCHAR), '
            'TRY_CAST("LA Number" AS INTEGER), "Region" FROM read_parquet($1) '
            'WHERE "Short Desc" IN (SELECT unnest($2::VARCHAR[]))', [str(path), wanted]).fetchall()
    except duckdb.Error as error:
        raise SourceError(f"{path.name}: cannot be read ({_first_line(error)})") from None
    source = f"{LAIT_SOURCE}: {path.name}"
    figures: list[Figure] = []
    for measure, years, name, text, la_number, region in rows:
        years = (years or "").strip()
        if not re.fullmatch(r"\d{4}", years):
            continue
        if la_number is None:
            raise SourceError(f"{path.name}: column 'LA Number' is empty or not a number for {name!r}")
        text = tidy(text or "")
        if la_number in LAIT_AGGREGATES:
            code = LAIT_AGGREGATES[la_number]
            kind = "england" if code == ENGLAND_CODE else "region"
            area_name = "England" if kind == "england" else REGION_NAMES[code]
            figures.append(Figure(measure, int(years), kind, code, area_name, "", number(text), text, source))
        elif (region or "").strip().upper() == "NA":
            continue  # an aggregate Hearth does not compare with
        else:
            figures.append(Figure(measure, int(years), "la", f"{la_number:03d}", (name or "").strip(),
                                  (region or "").strip(), number(text), text, source))
    figures.extend(_derived_from_lait(figures, path))
    return FileRead(path, "DfE LAIT long file", figures)


def _derived_from_lait(figures: list[Figure], path: Path) -> list[Figure]:
    """The 0-17 population behind each published rate, and S47-to-ICPC conversion."""
    by_key = {f.key: f for f in figures}
    derived: list[Figure] = []
    for f in figures:
        if f.measure == "CPP_Total_NumRef":
            rate = by_key.get(("CPP_Total_Rateper10,000", f.year, f.area_kind, f.area_code))
            if f.value is not None and rate is not None and rate.value:
                # The rate is published to 1 dp, so this is within 0.03% (checked against EES's own
                # population_estimate for 2021-2025); to the nearest 10 so it does not look exact.
                population = round(f.value / rate.value * 10_000, -1)
                derived.append(Figure(POPULATION, f.year, f.area_kind, f.area_code, f.area_name, f.region,
                                      population, number_text(population),
                                      f"Derived: LAIT CPP_Total_NumRef / CPP_Total_Rateper10,000 x 10,000, "
                                      f"nearest 10 ({path.name})"))
        elif f.measure == "ISCP_Conf":
            s47 = by_key.get(("Section_47", f.year, f.area_kind, f.area_code))
            if s47 is None:
                continue
            # Both are rates per 10,000 of the same population, so their ratio is ICPCs / S47s.
            if f.value is not None and s47.value:
                value: float | None = round(f.value / s47.value * 100, 1)
                published = f"{value:.1f}"
            else:
                value, published = None, f.published if f.value is None else s47.published
            derived.append(Figure(DERIVED_MEASURES["s47_to_icpc"], f.year, f.area_kind, f.area_code, f.area_name,
                                  f.region, value, published,
                                  f"Derived: LAIT ISCP_Conf / Section_47 x 100 ({path.name})"))
    return derived


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# Explore Education Statistics ------------------------------------------------------------------------------

EES_GEOGRAPHY = ("time_period", "geographic_level", "country_code", "region_code", "region_name", "old_la_code",
                 "la_name")


@dataclass(frozen=True)
class Rule:
    measure: str
    column: str
    where: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EesTable:
    name: str
    prefixes: tuple[str, ...]  # how DfE names the file
    signature: frozenset[str]  # columns only this table has
    rules: tuple[Rule, ...]

    @property
    def columns(self) -> list[str]:
        needed = list(EES_GEOGRAPHY)
        for rule in self.rules:
            needed += [rule.column, *(c for c, _ in rule.where)]
        return list(dict.fromkeys(needed))


_CLA_31 = (("population_type", "Children looked after on 31 March each year"),)
_CLA_START = (("population_type", "Children starting to be looked after each year"),)
_STABLE_YEAR = (("cla_group", "CLA on 31 March"), ("placement_stability", "With 3 or more placements during the year"))
_STABLE_LONG = (("cla_group", "Children looked after continuously for at least 2.5 years on 31 March aged under "
                              "16 years"), ("placement_stability", "Living with the same carer for at least 2 years"))
_TWO_YEARS = (("cla_group", "CLA 2 years on 31 March"),)
_LEAVERS_19 = (("care_leaver_age", "19 to 21 years"),)
_LEAVERS_17 = (("care_leaver_age", "17 to 18 years"),)
_EET = (("breakdown", "Total in education, employment or training"),)

EES_TABLES: tuple[EesTable, ...] = (
    EesTable("EES children in need (B1)", ("b1_",), frozenset({"Anypoint_episodes"}), ()),
    EesTable("EES referrals and re-referrals (C1)", ("c1_",), frozenset({"rereferral_percent"}), (
        Rule("CPP_Total_NumRef", "referral_count"),
        Rule("ReReferral", "rereferral_percent"),
        Rule("CIN_Refferals_NFA", "no_further_action_percent"),
        Rule("Referrals_AssessedNotNeed", "not_in_need_percent"),
    )),
    EesTable("EES second or subsequent CP plans (D3)", ("d3_",), frozenset({"CPP_subsequent_percent"}), (
        Rule("PrevRegCPR", "CPP_subsequent_percent"),
    )),
    EesTable("EES CP plans at 31 March by duration (D5)", ("d5_",), frozenset({"2_years_or_more_percent"}), (
        Rule("CPPlans2yrsActive", "2_years_or_more_percent"),
    )),
    EesTable("EES children looked after, numbers and rates", ("cla_number_and_rate",),
             frozenset({"population_type", "rate_per_10000"}), (
        Rule("LACnum", "children_count", _CLA_31),
        Rule("LAC", "rate_per_10000", _CLA_31),
        Rule("LACnum_Start", "children_count", _CLA_START),
        Rule("LAC_Start_Rate", "rate_per_10000", _CLA_START),
        Rule(POPULATION, "population_estimate", _CLA_31),
    )),
    EesTable("EES placement stability", ("la_cla_placement_stability",), frozenset({"placement_stability"}), (
        Rule("LACStable_2016on", "children_percent", _STABLE_YEAR),
        Rule("LACStableNum_2016on", "children_count", _STABLE_YEAR),
        Rule("LAC_LongStable%", "children_percent", _STABLE_LONG),
        Rule("LAC_LongStableNum", "children_count", _STABLE_LONG),
        Rule("ees:placements_3plus_2yrs", "children_percent",
             (*_TWO_YEARS, ("placement_stability", "With 3 or more placements during the previous 2 years"))),
        Rule("ees:placements_3plus_2yrs_count", "children_count",
             (*_TWO_YEARS, ("placement_stability", "With 3 or more placements during the previous 2 years"))),
        Rule("ees:cla_2yrs_count", "children_count", (*_TWO_YEARS, ("placement_stability", "Total children"))),
    )),
    EesTable("EES social workers of children looked after", ("la_cla_swcount",), frozenset({"sw_stability"}), (
        Rule("Stability_SocialWorker", "percentage", (("sw_stability", "3 or more social workers during the year"),)),
    )),
    EesTable("EES care leavers", ("la_care_leavers_",), frozenset({"care_leaver_age", "care_leaver_percent"}), (
        Rule("CareLeaverEET", "care_leaver_percent", (*_LEAVERS_19, *_EET)),
        Rule("CareLeaverEETNum", "care_leaver_count", (*_LEAVERS_19, *_EET)),
        Rule("CareLeaverAcc", "care_leaver_percent",
             (*_LEAVERS_19, ("breakdown", "Accommodation considered suitable"))),
        Rule("NoCareLeaverAcc", "care_leaver_count",
             (*_LEAVERS_19, ("breakdown", "Accommodation considered suitable"))),
        Rule("NoCareLeavers", "care_leaver_count", (*_LEAVERS_19, ("breakdown", "Suitability total"))),
        Rule("ees:care_leavers_eet_17_18", "care_leaver_percent", (*_LEAVERS_17, *_EET)),
        Rule("ees:care_leavers_eet_17_18_count", "care_leaver_count", (*_LEAVERS_17, *_EET)),
        Rule("ees:care_leavers_17_18_count", "care_leaver_count", (*_LEAVERS_17, ("breakdown", "Total"))),
    )),
    EesTable("EES children's social work workforce", ("csww_indicators",),
             frozenset({"inpost_fte", "turnover_rate_fte"}), (
        Rule("Work_Force_NoSW", "inpost_fte"),
        Rule("Work_Force_TO_Rate", "turnover_rate_fte"),
        Rule("Work_Force_Agecy_Rate", "agency_rate_fte"),
        Rule("Work_Force_Vac_Rate", "vacancy_rate_fte"),
        Rule("Work_Force_AgencyCover", "agency_cover_rate_fte"),
        Rule("Vacancies_cover", "vacancy_agency_cover_rate_fte"),
        Rule("Work_Force_AvgNumCase_SW", "caseload_fte"),
        Rule("Work_Force_SWAbsence", "absence_rate_fte"),
    )),
)


def _ees_table(path: Path, header: Sequence[str]) -> EesTable | None:
    name = path.name.lower()
    columns = set(header)
    for table in EES_TABLES:
        if name.startswith(table.prefixes) or table.signature <= columns:
            return table
    return None


def read_ees(path: Path, table: EesTable, rows: list[dict[str, str]]) -> FileRead:
    source = f"DfE EES: {path.name}"
    figures: list[Figure] = []
    for line, row in enumerate(rows, start=2):
        level = (row["geographic_level"] or "").strip()
        if level == "National":
            kind, code, area_name, region = "england", ENGLAND_CODE, "England", ""
        elif level == "Regional":
            kind, code = "region", (row["region_code"] or "").strip()
            if code not in REGION_NAMES:
                continue
            area_name, region = REGION_NAMES[code], ""
        elif level == "Local authority":
            kind, code = "la", (row["old_la_code"] or "").strip()
            area_name, region = (row["la_name"] or "").strip(), (row["region_name"] or "").strip()
        else:
            continue
        # Councils sharing a children's service (Kingston and Richmond, the two Northamptonshires) are one
        # workforce row, "314 / 318"; LAIT gives the shared figure to each, and so does Hearth.
        codes = [c.strip() for c in code.split("/")] if kind == "la" else [code]
        if kind == "la" and not all(re.fullmatch(r"\d{3}", c) for c in codes):
            raise SourceError(f"{path.name}: column 'old_la_code' holds {code!r} on line {line}, "
                              "not a three-digit LA code")
        names = [n.strip() for n in area_name.split(" / ")] if len(codes) > 1 else [area_name]
        if len(names) != len(codes):
            names = [area_name] * len(codes)
        year = _year(row["time_period"] or "", path=path, column="time_period")
        for rule in table.rules:
            if all((row[column] or "").strip() == wanted for column, wanted in rule.where):
                text = (row[rule.column] or "").strip()
                for one_code, one_name in zip(codes, names, strict=True):
                    figures.append(Figure(rule.measure, year, kind, one_code, one_name, region, number(text), text,
                                          source))
    return FileRead(path, table.name, figures)


# Statistical neighbours ------------------------------------------------------------------------------------


def _closeness(text: object) -> str:
    words = " ".join(str(text or "").split())
    return "" if words in ("", "-") else words.capitalize()


def _la_code(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    if text.endswith(".0"):
        text = text[:-2]
    return text if re.fullmatch(r"\d{3}", text) else None


def model_year_of(path: Path, model_year: int | None) -> int:
    if model_year is not None:
        return model_year
    found = re.findall(r"(20\d\d)", path.name)
    if not found:
        raise SourceError(f"{path.name}: the file name does not say which statistical neighbour model it is "
                          "(2021, 2025, ...); give it with --model-year")
    return int(found[-1])


def _neighbours_from_grid(path: Path, header: Sequence[object], rows: Iterable[Sequence[object]],
                          model_year: int) -> FileRead:
    """DfE's grid: a council's code and name, then SN1..SN10 each followed by its closeness."""
    names = [" ".join(str(c or "").split()) for c in header]
    code_column = next((i for i, n in enumerate(names) if n in ("old_la_code", "LA num")), None)
    name_column = next((i for i, n in enumerate(names) if n in ("la_name", "LA Name")), None)
    if code_column is None or name_column is None:
        missing = "old_la_code" if code_column is None else "la_name"
        raise SourceError(f"{path.name}: no column {missing!r} (or 'LA num'/'LA Name'); expected DfE's statistical "
                          "neighbour grid")
    sn_columns: list[int] = []
    for rank in range(1, 11):
        index = next((i for i, n in enumerate(names) if n in (f"SN_{rank}", f"SN{rank}")), None)
        if index is None or index + 1 >= len(names):
            raise SourceError(f"{path.name}: no column 'SN_{rank}' (or 'SN{rank}') with its closeness beside it")
        sn_columns.append(index)
    grid: list[tuple[str, str, list[tuple[str, str]]]] = []
    for row in rows:
        cells = list(row) + [None] * (len(names) - len(row))
        if str(cells[name_column] or "").strip().lower().startswith("old sns"):
            break  # below this line the workbooks list councils abolished before the model
        code = _la_code(cells[code_column])
        if code is None:
            continue
        picks = [(str(_la_code(cells[i]) or ""), _closeness(cells[i + 1])) for i in sn_columns]
        grid.append((code, " ".join(str(cells[name_column] or "").split()), picks))
    if not grid:
        raise SourceError(f"{path.name}: no council rows under the header (column {names[code_column]!r} is empty)")
    la_names = {code: name for code, name, _ in grid}
    found: list[Neighbour] = []
    for code, name, picks in grid:
        for rank, (neighbour, closeness) in enumerate(picks, start=1):
            if neighbour:
                # A file of a few councils does not name every neighbour; ``named`` fills the gaps.
                found.append(Neighbour(model_year, code, name, rank, neighbour, la_names.get(neighbour, ""),
                                       closeness))
    return FileRead(path, f"DfE statistical neighbours, {model_year} model", neighbours=found)


def read_neighbours_xlsx(path: Path, model_year: int | None = None) -> FileRead:
    import openpyxl

    year = model_year_of(path, model_year)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise SourceError(f"{path.name}: cannot be read as an Excel workbook ({_first_line(error)})") from None
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    for index, row in enumerate(rows):
        if row and str(row[0] or "").strip() in ("LA num", "old_la_code"):
            return _neighbours_from_grid(path, row, rows[index + 1:], year)
    raise SourceError(f"{path.name}: no header row with column 'LA num' on the first sheet; expected DfE's "
                      "statistical neighbour workbook")


# Any file ------------------------------------------------------------------------------------------------


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{path.name}: not a UTF-8 CSV file") from None
    except OSError as error:
        raise SourceError(f"{path.name}: cannot be read ({error.strerror})") from None
    reader = csv.reader(io.StringIO(text))
    rows = [row for row in reader]
    if not rows:
        raise SourceError(f"{path.name}: the file is empty")
    return [c.strip() for c in rows[0]], rows[1:]


def read_file(path: Path, *, model_year: int | None = None, measures: Sequence[str] | None = None,
              strict: bool = True) -> FileRead:
    """Read one DfE file. ``strict`` (a file named on the command line) refuses a file Hearth does not
    read; otherwise (a file met in a folder) it comes back with ``skipped`` set."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return read_lait(path, measures)
    if suffix == ".xlsx":
        return read_neighbours_xlsx(path, model_year)
    if suffix == ".csv":
        header, rows = _csv_rows(path)
        if "time_period" in header and "geographic_level" in header:
            table = _ees_table(path, header)
            if table is None:
                if strict:
                    raise SourceError(f"{path.name}: an Explore Education Statistics file, but none of the tables "
                                      "Hearth reads (no column such as 'rereferral_percent', 'placement_stability', "
                                      "'care_leaver_age' or 'inpost_fte')")
                return FileRead(path, "EES", skipped="an EES table Hearth does not read")
            for column in table.columns:
                if column not in header:
                    raise SourceError(f"{path.name}: no column {column!r}, which DfE's {table.name} table has")
            records = [dict(zip(header, row, strict=False)) for row in rows if any(c.strip() for c in row)]
            for record in records:
                for column in header:
                    record.setdefault(column, "")
            return read_ees(path, table, records)
        if any(c in ("SN_1", "SN1") for c in header):
            return _neighbours_from_grid(path, header, rows, model_year_of(path, model_year))
        if "Measure_short" in header:
            if strict:
                raise SourceError(f"{path.name}: LAIT's data dictionary, which holds no figures")
            return FileRead(path, "LAIT", skipped="LAIT's data dictionary holds no figures")
        if strict:
            raise SourceError(f"{path.name}: columns {', '.join(header[:4])}... are not a DfE file Hearth reads: "
                              "expected EES columns (time_period, geographic_level, ...) or a statistical "
                              "neighbour grid (old_la_code, SN_1, SN_1P, ...)")
        return FileRead(path, "CSV", skipped="not a DfE file Hearth reads")
    if strict:
        what = f"a {suffix} file" if suffix else "a file without an extension"
        raise SourceError(f"{path.name}: Hearth reads LAIT's Parquet file, EES CSV files and DfE's statistical "
                          f"neighbour workbooks (.xlsx or .csv), not {what}")
    return FileRead(path, suffix.lstrip(".").upper() or "file", skipped="not a file Hearth reads")


def _order(path: Path) -> tuple[int, str]:
    # LAIT first: where an EES table publishes the same figure, LAIT's row (and source) is kept.
    suffix = path.suffix.lower()
    return ({".parquet": 0, ".csv": 1, ".xlsx": 2}.get(suffix, 3), path.name)


def read_path(path: Path, *, model_year: int | None = None, measures: Sequence[str] | None = None
              ) -> list[FileRead]:
    """A folder laid out like ``../shared/data/benchmarks`` (top level only) or one file."""
    if path.is_dir():
        files = sorted((p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")), key=_order)
        return [read_file(p, model_year=model_year, measures=measures, strict=False) for p in files]
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder")
    return [read_file(path, model_year=model_year, measures=measures, strict=True)]


# Merging ---------------------------------------------------------------------------------------------------


def replaces(new: Figure, old: Figure | None) -> bool:
    """Whether a later file's figure replaces the one held for the same measure, year and area: when the
    figure differs (a revision, or a suppressed one now published), except that a figure Hearth derived
    never replaces one DfE published (a population estimate beats one worked back from a rate). The same
    figure from another file changes nothing, so a re-import reports only real changes."""
    if old is None or (old.derived and not new.derived):
        return True
    if new.derived and not old.derived:
        return False
    return (new.value, new.published) != (old.value, old.published)


def merge(reads: Sequence[FileRead], figures: dict[Key, Figure] | None = None,
          neighbours: dict[tuple[int, str, int], Neighbour] | None = None
          ) -> tuple[dict[Key, Figure], dict[tuple[int, str, int], Neighbour]]:
    """Fold files (in order) into the figures and neighbours already held, as an import would. Between
    the files of one import a suppression code never replaces a number: LAIT shows 0 where the workforce
    table says "low", and the number is the one a comparison can use."""
    batch: dict[Key, Figure] = {}
    for read in reads:
        for f in read.figures:
            held = batch.get(f.key)
            if replaces(f, held) and not (held is not None and held.value is not None and f.value is None):
                batch[f.key] = f
    figures = dict(figures or {})
    neighbours = dict(neighbours or {})
    for f in batch.values():
        if replaces(f, figures.get(f.key)):
            figures[f.key] = f
    for read in reads:
        listed = {(n.model_year, n.la_code) for n in read.neighbours}
        for key in [k for k in neighbours if (k[0], k[1]) in listed]:
            del neighbours[key]  # a council's list is replaced whole
        for n in read.neighbours:
            neighbours[n.key] = n
    known = {f.area_code: f.area_name for f in figures.values() if f.area_kind == "la"}
    return _consistent_names(figures), named(neighbours, known, placeholder=False)


def named(neighbours: dict[tuple[int, str, int], Neighbour], known: dict[str, str], *, placeholder: bool
          ) -> dict[tuple[int, str, int], Neighbour]:
    """Give each unnamed neighbour a name: from the councils in the same lists, else ``known`` (old LA code
    to name), else (``placeholder``) "LA 123"."""
    names = dict(known) | {n.la_code: n.la_name for n in neighbours.values()}
    out: dict[tuple[int, str, int], Neighbour] = {}
    for key, n in neighbours.items():
        name = n.neighbour_name or names.get(n.neighbour_code) or (f"LA {n.neighbour_code}" if placeholder else "")
        out[key] = n if name == n.neighbour_name else Neighbour(n.model_year, n.la_code, n.la_name, n.rank,
                                                                n.neighbour_code, name, n.closeness)
    return out


def _consistent_names(figures: dict[Key, Figure]) -> dict[Key, Figure]:
    """One name and region per council: LAIT's where LAIT has the council, else the latest EES one."""
    best: dict[str, tuple[tuple[int, int], str, str]] = {}
    for f in figures.values():
        if f.area_kind != "la":
            continue
        rank = (0 if f.source.startswith(LAIT_SOURCE) or f.source.startswith("Derived") else -1, f.year)
        if f.area_code not in best or rank > best[f.area_code][0]:
            best[f.area_code] = (rank, f.area_name, f.region)
    out: dict[Key, Figure] = {}
    for key, f in figures.items():
        if f.area_kind == "la":
            _, name, region = best[f.area_code]
            if (name, region) != (f.area_name, f.region):
                f = Figure(f.measure, f.year, f.area_kind, f.area_code, name, region, f.value, f.published, f.source)
        out[key] = f
    return out


# The project table -----------------------------------------------------------------------------------------

FIGURE_COLUMNS = ("measure", "year", "area_kind", "area_code", "area_name", "region", "value", "published", "source")
NEIGHBOUR_COLUMNS = ("model_year", "la_code", "la_name", "rank", "neighbour_code", "neighbour_name", "closeness")
# The model's column widths: a figure that does not fit would load on SQLite and fail on PostgreSQL.
WIDTHS = {"measure": 60, "area_code": 12, "area_name": 80, "region": 40, "published": 30, "source": 120,
          "la_code": 12, "la_name": 80, "neighbour_code": 12, "neighbour_name": 80, "closeness": 30}


def _check_widths(row: dict[str, str]) -> None:
    for column, text in row.items():
        if column in WIDTHS and len(text) > WIDTHS[column]:
            raise SourceError(f"{column} {text!r} is longer than the {WIDTHS[column]} characters Hearth stores")


def _figure_sort(f: Figure) -> tuple[str, int, str, str]:
    return (f.measure, f.year, f.area_kind, f.area_code)


def figures_csv(figures: Iterable[Figure]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIGURE_COLUMNS)
    for f in sorted(figures, key=_figure_sort):
        row = {"measure": f.measure, "year": str(f.year), "area_kind": f.area_kind, "area_code": f.area_code,
               "area_name": f.area_name, "region": f.region, "value": number_text(f.value),
               "published": f.published, "source": f.source}
        _check_widths(row)
        writer.writerow(row.values())
    return out.getvalue().encode("utf-8")


def neighbours_csv(neighbours: Iterable[Neighbour]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NEIGHBOUR_COLUMNS)
    for n in sorted(neighbours, key=lambda n: n.key):
        row = {"model_year": str(n.model_year), "la_code": n.la_code, "la_name": n.la_name, "rank": str(n.rank),
               "neighbour_code": n.neighbour_code, "neighbour_name": n.neighbour_name or f"LA {n.neighbour_code}",
               "closeness": n.closeness}
        _check_widths(row)
        writer.writerow(row.values())
    return out.getvalue().encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no file name and no timestamp, so the same table always gives the same bytes."""
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as zipped:
        zipped.write(data)
    return out.getvalue()


def write_project_table(figures: Iterable[Figure], neighbours: Iterable[Neighbour], folder: Path = DATA_DIR
                        ) -> dict[str, int]:
    """Write the table files; returns each file's size in bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {FIGURES_FILE: gzip_bytes(figures_csv(figures)), NEIGHBOURS_FILE: neighbours_csv(neighbours)}
    for name, data in written.items():
        (folder / name).write_bytes(data)
    return {name: len(data) for name, data in written.items()}


def _table_rows(folder: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The project table as tuples in FIGURE_COLUMNS / NEIGHBOUR_COLUMNS order."""
    figures: list[tuple[Any, ...]] = []
    neighbours: list[tuple[Any, ...]] = []
    figures_path, neighbours_path = folder / FIGURES_FILE, folder / NEIGHBOURS_FILE
    if figures_path.exists():
        with gzip.open(figures_path, "rt", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            figures = [(measure, int(year), kind, code, name, region, float(value) if value else None, published,
                        source) for measure, year, kind, code, name, region, value, published, source in reader]
    if neighbours_path.exists():
        with neighbours_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            neighbours = [(int(model_year), la_code, la_name, int(rank), code, name, closeness)
                          for model_year, la_code, la_name, rank, code, name, closeness in reader]
    return figures, neighbours


def read_project_table(folder: Path = DATA_DIR) -> tuple[list[Figure], list[Neighbour]]:
    figures, neighbours = _table_rows(folder)
    return [Figure(*row) for row in figures], [Neighbour(*row) for row in neighbours]


def load_project_table(*, figure_model: Any = None, neighbour_model: Any = None, folder: Path = DATA_DIR) -> int:
    """Add the project table's rows that the database does not have yet (a newer import always wins);
    returns how many. Works with the real models or a migration's historical ones. The migration calls it;
    so can a test whose database was flushed (Playwright journeys).

    Plain INSERTs: it runs for every new database, test databases included, and building 90,000 model
    instances would take longer than the inserts do.
    """
    from django.db import connections, router, transaction

    if figure_model is None or neighbour_model is None:
        from .models import BenchmarkFigure, StatisticalNeighbour

        figure_model, neighbour_model = BenchmarkFigure, StatisticalNeighbour
    figures, neighbours = _table_rows(folder)
    added = 0
    for model, columns, rows, key_fields in (
        (figure_model, FIGURE_COLUMNS, figures, FIGURE_COLUMNS[:4]),
        (neighbour_model, NEIGHBOUR_COLUMNS, neighbours, ("model_year", "la_code", "rank")),
    ):
        if model.objects.exists():
            have = set(model.objects.values_list(*key_fields))
            at = [columns.index(k) for k in key_fields]
            rows = [row for row in rows if tuple(row[i] for i in at) not in have]
        if not rows:
            continue
        alias = router.db_for_write(model)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            for start in range(0, len(rows), 10_000):
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start:start + 10_000])
        added += len(rows)
    return added


# Importing into the database -------------------------------------------------------------------------------


@dataclass
class ImportCounts:
    figures_new: int = 0
    figures_changed: int = 0
    figures_unchanged: int = 0
    figures_kept: int = 0  # derived figures not written over a published one
    neighbours_new: int = 0
    neighbours_changed: int = 0
    neighbours_unchanged: int = 0
    neighbours_removed: int = 0

    def summary(self) -> str:
        return (f"Figures: {self.figures_new:,} new, {self.figures_changed:,} changed, "
                f"{self.figures_unchanged:,} unchanged"
                + (f", {self.figures_kept:,} derived ones left under a published figure" if self.figures_kept else "")
                + f". Statistical neighbours: {self.neighbours_new:,} new, {self.neighbours_changed:,} changed, "
                f"{self.neighbours_unchanged:,} unchanged, {self.neighbours_removed:,} removed.")


_FIGURE_FIELDS = ("area_name", "region", "value", "published", "source")
_NEIGHBOUR_FIELDS = ("la_name", "neighbour_code", "neighbour_name", "closeness")


def import_figures(*, figures: Iterable[Figure], neighbours: Iterable[Neighbour]) -> ImportCounts:
    """Upsert figures and neighbour lists in one transaction: the same measure, year and area (or model,
    council and rank) is replaced, everything else stays. A council's neighbour list is replaced whole."""
    from django.db import transaction

    counts = ImportCounts()
    with transaction.atomic():
        _upsert_figures({f.key: f for f in figures}, counts)
        _upsert_neighbours({n.key: n for n in neighbours}, counts)
    return counts


def _upsert_figures(incoming: dict[Key, Figure], counts: ImportCounts) -> None:
    from .models import BenchmarkFigure

    existing = {(row.measure, row.year, row.area_kind, row.area_code): row for row in
                BenchmarkFigure.objects.filter(measure__in={k[0] for k in incoming})}
    create: list[BenchmarkFigure] = []
    update: list[BenchmarkFigure] = []
    for key, f in incoming.items():
        row = existing.get(key)
        if row is None:
            create.append(BenchmarkFigure(measure=f.measure, year=f.year, area_kind=f.area_kind,
                                          area_code=f.area_code, area_name=f.area_name, region=f.region,
                                          value=f.value, published=f.published, source=f.source))
        elif not replaces(f, Figure(row.measure, row.year, row.area_kind, row.area_code, row.area_name, row.region,
                                    row.value, row.published, row.source)):
            if f.derived and not row.source.startswith("Derived"):
                counts.figures_kept += 1
            else:
                counts.figures_unchanged += 1
        else:
            for name in _FIGURE_FIELDS:
                setattr(row, name, getattr(f, name))
            update.append(row)
    BenchmarkFigure.objects.bulk_create(create, batch_size=5000)
    BenchmarkFigure.objects.bulk_update(update, _FIGURE_FIELDS, batch_size=500)
    counts.figures_new, counts.figures_changed = len(create), len(update)


def _upsert_neighbours(incoming: dict[tuple[int, str, int], Neighbour], counts: ImportCounts) -> None:
    from .models import BenchmarkFigure, StatisticalNeighbour

    if any(not n.neighbour_name for n in incoming.values()):
        known = dict(BenchmarkFigure.objects.filter(area_kind="la").values_list("area_code", "area_name")
                     .distinct()) | dict(StatisticalNeighbour.objects.values_list("la_code", "la_name").distinct())
        incoming = named(incoming, known, placeholder=True)
    lists = {(model_year, la_code) for model_year, la_code, _ in incoming}
    held = {(row.model_year, row.la_code, row.rank): row for row in
            StatisticalNeighbour.objects.filter(model_year__in={m for m, _ in lists})
            if (row.model_year, row.la_code) in lists}
    stale = [row.pk for key, row in held.items() if key not in incoming]
    StatisticalNeighbour.objects.filter(pk__in=stale).delete()
    create: list[StatisticalNeighbour] = []
    update: list[StatisticalNeighbour] = []
    for key, n in incoming.items():
        row = held.get(key)
        if row is None:
            create.append(StatisticalNeighbour(model_year=n.model_year, la_code=n.la_code, la_name=n.la_name,
                                               rank=n.rank, neighbour_code=n.neighbour_code,
                                               neighbour_name=n.neighbour_name, closeness=n.closeness))
        elif all(getattr(row, name) == getattr(n, name) for name in _NEIGHBOUR_FIELDS):
            counts.neighbours_unchanged += 1
        else:
            for name in _NEIGHBOUR_FIELDS:
                setattr(row, name, getattr(n, name))
            update.append(row)
    StatisticalNeighbour.objects.bulk_create(create, batch_size=5000)
    StatisticalNeighbour.objects.bulk_update(update, _NEIGHBOUR_FIELDS, batch_size=500)
    counts.neighbours_new, counts.neighbours_changed = len(create), len(update)
    counts.neighbours_removed = len(stale)
