"""What the SSDA903 rule groups share: reading a row's strings, a child's birthdays, and the code sets that
more than one group checks. The code sets the live record also uses come from ``hearth.care.codes``.

Rows hold the CSV's strings: a blank is empty or white space; a date is dd/mm/YYYY or it is not a date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hearth.care.codes import SHORT_BREAKS  # noqa: F401  (re-exported for the rule modules)
from hearth.returns.rules.base import Hit, Return903, Row
from hearth.workspace.dates import birthday  # noqa: F401  (re-exported for the rule modules)

parse = Return903.parse_date


def blank(value: str | None) -> bool:
    return not (value or "").strip()


def bad_date(value: str | None) -> bool:
    """Filled in but not a real dd/mm/YYYY date (a blank is the completeness rules' finding)."""
    return not blank(value) and parse(value) is None


def end_or_year_end(ret: Return903, row: Row) -> date | None:
    """The episode's end, or the end of the year while it is open; None when DEC is not a real date."""
    if blank(row.get("DEC")):
        return ret.end
    return parse(row.get("DEC"))


def dated_episodes(ret: Return903) -> Iterator[tuple[str, list[tuple[int, Row, date]]]]:
    """Each child's episodes that have a real start date, in start order (rule 141 reports the others)."""
    for child, rows in ret.episodes_by_child().items():
        dated = [(i, row, start) for i, row in rows if (start := parse(row.get("DECOM"))) is not None]
        if dated:
            yield child, dated


def invalid_codes(ret: Return903, table: str, column: str, valid: frozenset[str]) -> Iterator[Hit]:
    """Rows of ``table`` whose ``column`` holds a code not in ``valid``. A blank is not an invalid code: where
    the item is required, another rule says it must be completed."""
    for i, row in ret.rows(table):
        value = row.get(column, "")
        if not blank(value) and value not in valid:
            yield Hit(table, row=i, value=value)


def invalid_dates(ret: Return903, table: str, column: str) -> Iterator[Hit]:
    """Rows of ``table`` whose ``column`` is filled in but not a real date."""
    for i, row in ret.rows(table):
        if bad_date(row.get(column)):
            yield Hit(table, row=i, value=row.get(column, ""))


def unreadable_dates(ret: Return903, table: str, column: str) -> Iterator[Hit]:
    """Rows of ``table`` whose ``column`` is not a real date; the item is required, so a blank is reported too."""
    for i, row in ret.rows(table):
        if parse(row.get(column)) is None:
            yield Hit(table, row=i, value=row.get(column, ""))
