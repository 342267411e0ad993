"""Financial years as the council counts them: named by the year they start, 1 April to 31 March."""

from __future__ import annotations

from datetime import date

FIRST_MONTH = 4  # April


def year_of(day: date) -> int:
    """The financial year ``day`` falls in: 23 November 2026 → 2026; 15 February 2027 → 2026."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def year_start(year: int) -> date:
    return date(year, FIRST_MONTH, 1)


def year_end(year: int) -> date:
    return date(year + 1, FIRST_MONTH - 1, 31)


def label(year: int) -> str:
    """``2026`` → ``"2026/27"``."""
    return f"{year}/{(year + 1) % 100:02d}"


def months(year: int) -> list[date]:
    """The first day of each month of the year, April first."""
    return [date(year + (m < FIRST_MONTH), m, 1) for m in (*range(FIRST_MONTH, 13), *range(1, FIRST_MONTH))]


def month_label(month: date) -> str:
    """``date(2026, 10, 1)`` → ``"October 2026"``."""
    return f"{month:%B %Y}"


def short_month(month: date) -> str:
    """``date(2026, 10, 1)`` → ``"Oct 2026"`` (chart axes)."""
    return f"{month:%b %Y}"


def day_words(day: date) -> str:
    """``date(2026, 5, 1)`` → ``"1 May 2026"``."""
    return f"{day.day} {day:%B %Y}"
