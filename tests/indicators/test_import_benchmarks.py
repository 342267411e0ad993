"""python manage.py import_benchmarks PATH: newer DfE files replace what they publish and nothing else;
files Hearth cannot read are refused, naming the file and the column, and nothing is changed."""

from __future__ import annotations

import csv
import gzip
import shutil
from io import StringIO
from pathlib import Path

import duckdb
import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from hearth.indicators import benchmark_sources
from hearth.indicators.benchmark_sources import (
    DATA_DIR,
    FIGURES_FILE,
    NEIGHBOURS_FILE,
    figures_csv,
    gzip_bytes,
    merge,
    neighbours_csv,
    read_path,
    read_project_table,
)
from hearth.indicators.benchmarks import benchmark, neighbours, published_populations
from hearth.indicators.management.commands import import_benchmarks as command
from hearth.indicators.models import BenchmarkFigure, StatisticalNeighbour
from tests.factories import make_la

SHARED = Path(settings.BASE_DIR).parent / "shared" / "data" / "benchmarks"
EES_HEADER = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
              "region_name", "old_la_code", "la_name", "new_la_code", "cla_group", "sw_stability", "number",
              "percentage"]
SN_HEADER = ["old_la_code", "la_name", "region_ind", "region_name"] + [
    column for rank in range(1, 11) for column in (f"SN_{rank}", f"SN_{rank}P")]
NOTTINGHAM_2025 = ["330", "352", "391", "806", "380", "333", "852", "353", "373", "355"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_benchmarks", *args, stdout=out)
    return out.getvalue()


def published(measure: str, year: int, area_code: str) -> str:
    return BenchmarkFigure.objects.get(measure=measure, year=year, area_code=area_code).published


def social_worker_rows(nottingham_percent: str) -> list[list[str]]:
    """EES's social-worker stability table for 2024: England and Birmingham as DfE published them (read back
    from the database), Nottingham as given."""
    def row(level: str, code: str, name: str, region: str, percent: str) -> list[str]:
        return ["2024", "Reporting year", level, "E92000001", "England", region and "E12000005", region, code, name,
                "", "CLA on 31 March", "3 or more social workers during the year", "100", percent]
    return [
        row("National", "", "", "", published("Stability_SocialWorker", 2024, "E92000001")),
        row("Local authority", "330", "Birmingham", "West Midlands", published("Stability_SocialWorker", 2024, "330")),
        row("Local authority", "892", "Nottingham", "East Midlands", nottingham_percent),
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def sn_row(code: str, name: str, picks: list[tuple[str, str]]) -> list[str]:
    """A council's row of DfE's 2025 grid: (neighbour code, closeness) nearest first."""
    return [code, name, "1", "East Midlands"] + [cell for pick in picks for cell in pick]


def held(la_code: str, model_year: int = 2025) -> list[tuple[str, str]]:
    return [(n.neighbour_code, n.closeness) for n in neighbours(la_code=la_code, model_year=model_year)]


def write_lait(path: Path, rows: list[tuple[str, str, str, str, float, str]]) -> Path:
    """A LAIT long file: (Short Desc, Years, LA and Regions, Values, LA Number, Region)."""
    values = ", ".join(f"('{m}', NULL, '{y}', '{n}', '{v}', {num}, '{r}')" for m, y, n, v, num, r in rows)
    duckdb.execute(f"""COPY (SELECT * FROM (VALUES {values}) AS t("Short Desc", "Data item", "Years",
                       "LA and Regions", "Values", "LA Number", "Region")) TO '{path}' (FORMAT PARQUET)""")
    return path


# Updating ----------------------------------------------------------------------------------------------------

def test_a_folder_with_a_changed_file_updates_only_what_changed(db, tmp_path) -> None:
    before = BenchmarkFigure.objects.count()
    birmingham = BenchmarkFigure.objects.get(measure="Stability_SocialWorker", year=2024, area_code="330")
    write_csv(tmp_path / "la_cla_swcount.csv", EES_HEADER, social_worker_rows("44"))
    # Nottingham's tenth neighbour changes in a re-issued model; Birmingham's list is as it was.
    write_csv(tmp_path / "sn_model_2025_wide.csv", SN_HEADER, [
        sn_row("892", "Nottingham", [*held("892")[:9], ("390", "Somewhat close")]),
        sn_row("330", "Birmingham", held("330")),
    ])
    (tmp_path / "notes.txt").write_text("not a DfE file")

    output = run(str(tmp_path))

    assert output.splitlines()[:3] == [
        "la_cla_swcount.csv: EES social workers of children looked after: 3 figures (1 measures, 2024-2024)",
        "sn_model_2025_wide.csv: DfE statistical neighbours, 2025 model: 2 councils' neighbours (2025 model)",
        "notes.txt: skipped (not a file Hearth reads)",
    ]
    assert "Figures: 0 new, 1 changed, 2 unchanged." in output
    assert "Statistical neighbours: 0 new, 1 changed, 19 unchanged, 0 removed." in output
    nottingham = BenchmarkFigure.objects.get(measure="Stability_SocialWorker", year=2024, area_code="892")
    assert (nottingham.value, nottingham.published, nottingham.source) == (44, "44", "DfE EES: la_cla_swcount.csv")
    birmingham.refresh_from_db()
    assert birmingham.source == "DfE LAIT: lait_bds_long.parquet"  # the same figure: left as it was
    assert published("CPP_rate", 2025, "892") == "53.4"
    assert BenchmarkFigure.objects.count() == before
    assert [n.neighbour_code for n in neighbours(la_code="892")] == [*NOTTINGHAM_2025[:9], "390"]
    # Names the file does not give come from what Hearth already holds.
    assert [n.neighbour_name for n in neighbours(la_code="892")][8:] == ["Sheffield", "Gateshead"]
    assert neighbours(la_code="892", model_year=2021)[0].neighbour_code == "352"  # the other model untouched

    again = run(str(tmp_path))
    assert "Figures: 0 new, 0 changed, 3 unchanged." in again


def test_a_newer_lait_file_adds_a_year(db, tmp_path) -> None:
    nottingham = make_la("Nottingham City Council", ons_code="E06000018", number="892")
    write_lait(tmp_path / "lait_bds_long.parquet", [
        ("CPP_rate", "2026", "Nottingham", "50.100000000000001", 892, "East Midlands"),
        ("CPP_rate", "2026", "England", "39.9", 970, "NA"),
        ("CPP_rate", "2026", "East Midlands", "41.2", 983, "NA"),
        ("CPP_rate", "2026", "Birmingham", "-", 330, "West Midlands"),
        ("CPP_rate", "2026 (prov)", "Nottingham", "49", 892, "East Midlands"),  # not a four-digit year: skipped
        ("CPP_Total_NumRef", "2026", "Nottingham", "3900", 892, "East Midlands"),
        ("CPP_Total_Rateper10,000", "2026", "Nottingham", "565.2", 892, "East Midlands"),
        ("LAC", "2026", "Nottingham", "90", 892, "East Midlands"),
    ])
    output = run(str(tmp_path / "lait_bds_long.parquet"))
    # Seven figures and the population worked back from the referral count and rate.
    assert output.startswith("lait_bds_long.parquet: DfE LAIT long file: 8 figures (5 measures, 2026-2026)\n")
    assert "Figures: 8 new, 0 changed, 0 unchanged." in output

    found = benchmark(local_authority=nottingham, code="cpp_rate")
    assert found is not None and found.year == 2026
    assert (found.council.value, found.council.published) == (50.1, "50.1")
    assert found.england is not None and found.england.value == 39.9
    assert found.region is not None and found.region.value == 41.2
    birmingham = next(c for c in found.neighbours if c.code == "330")
    assert (birmingham.value, birmingham.published) == (None, "-")
    assert sum(1 for c in found.neighbours if c.value is not None) == 0
    assert published_populations(la_code="892")[2025] == 69_000  # 3,900 / 565.2 x 10,000, nearest 10
    assert benchmark(local_authority=nottingham, code="cpp_rate", year=2025).council.value == 53.4


def test_a_derived_population_never_replaces_a_published_one(db, tmp_path) -> None:
    write_lait(tmp_path / "lait.parquet", [
        ("CPP_Total_NumRef", "2025", "Nottingham", "3953", 892, "East Midlands"),
        ("CPP_Total_Rateper10,000", "2025", "Nottingham", "570", 892, "East Midlands"),
    ])
    output = run(str(tmp_path / "lait.parquet"))
    assert "1 derived ones left under a published figure" in output
    assert published_populations(la_code="892")[2024] == 68_714


def test_a_neighbour_workbook(db, tmp_path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["A", "B", "C"])
    sheet.append([1, 2, 3])
    sheet.append(["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
                 + [c for rank in range(1, 11) for c in (f"SN{rank}", "SNP")])
    sheet.append([892, "Nottingham", 892, 1, "East Midlands"]
                 + [c for code in reversed(NOTTINGHAM_2025) for c in (int(code), "Very Close ")])
    sheet.append([None, "Old SNs:"])
    sheet.append([928, "Northamptonshire", 928, 1, "East Midlands"] + [886, "Close"] * 10)
    book.save(tmp_path / "statistical_neighbours_2021.xlsx")

    output = run(str(tmp_path / "statistical_neighbours_2021.xlsx"))
    assert "1 councils' neighbours (2021 model)" in output
    assert "Statistical neighbours: 0 new, 10 changed, 0 unchanged, 0 removed." in output
    found = neighbours(la_code="892", model_year=2021)
    assert [n.neighbour_code for n in found] == list(reversed(NOTTINGHAM_2025))
    assert {n.closeness for n in found} == {"Very close"}
    assert not StatisticalNeighbour.objects.filter(la_code="928").exists()  # below "Old SNs:"
    assert neighbours(la_code="892")[0].neighbour_code == "330"  # the 2025 model untouched


def test_a_neighbour_file_named_without_a_year_needs_the_model_year(db, tmp_path) -> None:
    path = write_csv(tmp_path / "neighbours.csv", SN_HEADER, [sn_row("892", "Nottingham", held("892"))])
    with pytest.raises(CommandError, match=r"neighbours\.csv: .*--model-year"):
        run(str(path))
    assert "10 unchanged" in run(str(path), "--model-year", "2025")


# Refusing ----------------------------------------------------------------------------------------------------

def assert_refused(path: Path, *patterns: str) -> None:
    before = list(BenchmarkFigure.objects.order_by("pk").values_list("pk", "value", "published"))
    neighbours_before = list(StatisticalNeighbour.objects.order_by("pk").values_list("pk", "neighbour_code"))
    with pytest.raises(CommandError) as refused:
        run(str(path))
    for pattern in patterns:
        assert pattern in str(refused.value)
    assert list(BenchmarkFigure.objects.order_by("pk").values_list("pk", "value", "published")) == before
    assert list(StatisticalNeighbour.objects.order_by("pk").values_list("pk", "neighbour_code")) == neighbours_before


def test_refuses_an_ees_file_missing_a_column(db, tmp_path) -> None:
    header = [c if c != "percentage" else "percent" for c in EES_HEADER]
    path = write_csv(tmp_path / "la_cla_swcount.csv", header, social_worker_rows("44"))
    assert_refused(path, "la_cla_swcount.csv", "'percentage'")


def test_refuses_a_year_that_is_not_a_year(db, tmp_path) -> None:
    rows = social_worker_rows("44")
    rows[2][0] = "2024/25"
    assert_refused(write_csv(tmp_path / "la_cla_swcount.csv", EES_HEADER, rows), "la_cla_swcount.csv",
                   "'time_period'", "2024/25")


def test_refuses_an_la_code_that_is_not_one(db, tmp_path) -> None:
    rows = social_worker_rows("44")
    rows[2][7] = "Nottingham"
    assert_refused(write_csv(tmp_path / "la_cla_swcount.csv", EES_HEADER, rows), "'old_la_code'", "line 4")


def test_refuses_a_csv_that_is_not_dfes(db, tmp_path) -> None:
    path = write_csv(tmp_path / "figures.csv", ["council", "year", "rate"], [["892", "2026", "50"]])
    assert_refused(path, "figures.csv", "council, year, rate")


def test_refuses_an_ees_table_hearth_does_not_read(db, tmp_path) -> None:
    path = write_csv(tmp_path / "exclusions.csv", [*EES_HEADER[:10], "suspensions"], [])
    assert_refused(path, "exclusions.csv", "none of the tables Hearth reads")


def test_refuses_a_lait_file_without_its_columns(db, tmp_path) -> None:
    path = tmp_path / "lait.parquet"
    duckdb.execute(f"""COPY (SELECT 'CPP_rate' AS "Short Desc", '2026' AS "Years", 'Nottingham' AS
                       "LA and Regions", 892 AS "LA Number", 'East Midlands' AS "Region") TO '{path}'
                       (FORMAT PARQUET)""")
    assert_refused(path, "lait.parquet", "'Values'")


def test_refuses_files_that_cannot_be_read(db, tmp_path) -> None:
    (tmp_path / "lait.parquet").write_bytes(b"not parquet at all")
    assert_refused(tmp_path / "lait.parquet", "lait.parquet", "cannot be read as a Parquet file")
    (tmp_path / "statistical_neighbours_2025.xlsx").write_bytes(b"not a workbook")
    assert_refused(tmp_path / "statistical_neighbours_2025.xlsx", "cannot be read as an Excel workbook")
    (tmp_path / "latin.csv").write_bytes("Cr\xe9\n".encode("latin-1"))
    assert_refused(tmp_path / "latin.csv", "latin.csv", "not a UTF-8 CSV file")
    (tmp_path / "report.ods").write_bytes(b"")
    assert_refused(tmp_path / "report.ods", "report.ods", "not a .ods file")
    assert_refused(tmp_path / "missing.csv", "no such file or folder")


def test_refuses_a_neighbour_grid_missing_a_column(db, tmp_path) -> None:
    header = [c for c in SN_HEADER if c not in ("SN_7", "SN_7P")]
    path = write_csv(tmp_path / "sn_model_2025_wide.csv", header, [])
    assert_refused(path, "sn_model_2025_wide.csv", "'SN_7'")


def test_one_bad_file_in_a_folder_means_nothing_is_imported(db, tmp_path) -> None:
    write_csv(tmp_path / "la_cla_swcount.csv", EES_HEADER, social_worker_rows("44"))
    write_csv(tmp_path / "c1_children_in_need_referrals.csv", [*EES_HEADER[:10], "rereferral_percent"], [])
    assert_refused(tmp_path, "c1_children_in_need_referrals.csv", "'referral_count'")
    assert published("Stability_SocialWorker", 2024, "892") == "41"


def test_refuses_a_folder_with_nothing_to_read(db, tmp_path) -> None:
    (tmp_path / "README.md").write_text("nothing here")
    assert_refused(tmp_path, "holds no DfE file Hearth reads")


# The project table -------------------------------------------------------------------------------------------

def test_write_project_table_folds_a_newer_file_into_the_table(db, tmp_path, monkeypatch) -> None:
    table = tmp_path / "data"
    table.mkdir()
    for name in (FIGURES_FILE, NEIGHBOURS_FILE):
        shutil.copy(DATA_DIR / name, table / name)
    monkeypatch.setattr(command, "DATA_DIR", table)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    write_csv(incoming / "la_cla_swcount.csv", EES_HEADER, social_worker_rows("44"))

    output = run(str(incoming), "--write-project-table")

    assert f"Project table {table}: {FIGURES_FILE} " in output
    old, _ = read_project_table(DATA_DIR)
    new, _ = read_project_table(table)
    changed = set(new) - set(old)
    assert [(f.measure, f.year, f.area_code, f.published) for f in changed] == [
        ("Stability_SocialWorker", 2024, "892", "44")]
    assert len(new) == len(old)
    assert (table / NEIGHBOURS_FILE).read_bytes() == (DATA_DIR / NEIGHBOURS_FILE).read_bytes()
    written = (table / FIGURES_FILE).read_bytes()
    run(str(incoming), "--write-project-table")
    assert (table / FIGURES_FILE).read_bytes() == written  # the same table, the same bytes


def test_the_project_table_is_sorted_and_carries_no_timestamp() -> None:
    raw = (DATA_DIR / FIGURES_FILE).read_bytes()
    assert raw[4:8] == b"\x00\x00\x00\x00"  # gzip mtime
    rows = list(csv.reader(gzip.decompress(raw).decode("utf-8").splitlines()))
    keys = [(r[0], int(r[1]), r[2], r[3]) for r in rows[1:]]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert gzip_bytes(gzip.decompress(raw)) == raw


@pytest.mark.skipif(not SHARED.is_dir(), reason="DfE's files are not beside the project (../shared/data)")
def test_rebuilding_from_dfes_files_gives_the_same_bytes() -> None:
    figures, listed = merge(read_path(SHARED))
    assert gzip_bytes(figures_csv(figures.values())) == (DATA_DIR / FIGURES_FILE).read_bytes()
    assert neighbours_csv(listed.values()) == (DATA_DIR / NEIGHBOURS_FILE).read_bytes()


def test_numbers_and_codes_in_published_cells() -> None:
    assert benchmark_sources.number("53.4") == 53.4
    for code in ("c", "x", "z", "u", "k", "low", "-", ".", "", "nan"):
        assert benchmark_sources.number(code) is None
    assert benchmark_sources.tidy("40.200000000000003") == "40.2"
    assert benchmark_sources.tidy("73.600000000000009") == "73.6"
    assert benchmark_sources.tidy("142.486486486487") == "142.486486486487"
    assert benchmark_sources.tidy(" 639 ") == "639"
