"""Pure date rules for children in care: which visiting rule applies next, school age, the OC2 year.

No database and no views, so every rule can be tested (and property-tested) on its own.
"""

from __future__ import annotations

from datetime import date

from hearth.care.codes import LONG_TERM_PLACEMENTS
from hearth.clocks.working_days import add_months
from hearth.workspace.dates import age_on

# Statutory visit rules, in the order a placement meets them.
PLACED_WITH_PARENT = "P1"
VISIT_RULES = (
    "cla_visit_first",
    "cla_visit_next_year1",
    "cla_visit_long_term",
    "cla_visit_after_year1_other",
    "cla_visit_placed_with_parent_pre_assessment",
)
REVIEW_RULES = ("cla_review_first", "cla_review_second", "cla_review_next")
HEALTH_RULES = ("initial_health_assessment", "health_review_under5", "health_review_5plus")
PEP_RULES = ("pep_initial", "pep_review")
PLACEMENT_RULES = (*VISIT_RULES, "placement_plan")
PERIOD_RULES = (*REVIEW_RULES, *HEALTH_RULES, *PEP_RULES, "care_plan")


def first_visit_rule(placement_type: str) -> str:
    """The visit due within a week of a placement starting; a child placed with a parent is visited weekly."""
    return "cla_visit_placed_with_parent_pre_assessment" if placement_type == PLACED_WITH_PARENT else "cla_visit_first"


def next_visit_rule(
    *, placement_type: str, placement_started_on: date, is_long_term: bool, visited_on: date,
    first_review_held: bool,
) -> tuple[str, bool]:
    """``(rule_id, later_interval)`` for the visit after one on ``visited_on`` (CPPCR reg 28).

    The first year of a placement runs from its start day to the day before its anniversary:
    visits at most 42 days apart. After it, 3 months in a placement meant to last until the child
    is 18, otherwise 42 days. A child placed with a parent is visited weekly until the first
    review, then at most 42 days apart (reg 28(3)).
    """
    if placement_type == PLACED_WITH_PARENT:
        return "cla_visit_placed_with_parent_pre_assessment", first_review_held
    if visited_on < add_months(placement_started_on, 12):
        return "cla_visit_next_year1", False
    if is_long_term or placement_type in LONG_TERM_PLACEMENTS:
        return "cla_visit_long_term", False
    return "cla_visit_after_year1_other", False


def reception_starts(date_of_birth: date) -> date:
    """The 1 September on or after the 4th birthday: the start of the reception year."""
    fourth = add_months(date_of_birth, 48)
    september = date(fourth.year, 9, 1)
    return september if fourth <= september else date(fourth.year + 1, 9, 1)


def is_school_age(date_of_birth: date | None, on: date) -> bool:
    """From the reception year (4 or 5) to the 18th birthday, the span Hearth runs PEP clocks for.

    The guidance expects PEPs from early years to 18; Hearth keeps its clocks to school age and an
    early-years PEP can still be recorded. An unknown date of birth is treated as school age, so a
    clock is never silently missing.
    """
    if date_of_birth is None:
        return True
    return reception_starts(date_of_birth) <= on < add_months(date_of_birth, 18 * 12)


def collection_year(year: int) -> tuple[date, date]:
    """The 903 collection year ending 31 March ``year``: (1 April year-1, 31 March year)."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def collection_year_of(day: date) -> int:
    """The ``year`` (its 31 March) of the collection year containing ``day``."""
    return day.year + 1 if day.month >= 4 else day.year


def sdq_expected(date_of_birth: date | None, year: int) -> bool:
    """An SDQ score or reason is returned for children 4 or over at the start of the year and
    under 17 at its end (903 rules 186, 188, 189)."""
    if date_of_birth is None:
        return True
    start, end = collection_year(year)
    return age_on(date_of_birth, start) >= 4 and age_on(date_of_birth, end) < 17
