"""Collection years. A return "year" is the year its collection ENDS: 2026 is 1 April 2025 to 31 March 2026
(returns.md: "2025" or "2024_25" means 1 April 2024 to 31 March 2025), as ``--year`` on every command."""

from __future__ import annotations

from datetime import date

# Years Hearth has the DfE specifications for (rule lists in spec/).
SSDA903_YEARS = (2025, 2026, 2027)
CIN_YEARS = (2025, 2026)  # CIN_schema_2025.xsd, CIN_schema_2026.xsd


def collection_period(year: int) -> tuple[date, date]:
    """First and last day of collection year ``year`` (1 April ``year - 1`` to 31 March ``year``)."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def year_label(year: int) -> str:
    """2026 -> "2025_26", the rule lists' own naming."""
    return f"{year - 1}_{year % 100:02d}"


def year_title(year: int) -> str:
    """2026 -> "2025/26", as people say it."""
    return f"{year - 1}/{year % 100:02d}"
