"""The single registry of statutory timescales (timescales.md §1), as data.

One line per rule. A rule is ``(rule_id, start event, offset, unit)``; changing a timescale
is a one-line change here. Every domain starts its clocks from these ids.

Conventions (timescales.md §2; the arithmetic is in :mod:`hearth.clocks.working_days`):

- The start date is **day 0** and is never counted. "Within 15 working days" is due on the
  15th working day strictly after the start; the action is on time on or before that date.
  A start on a weekend or holiday is still day 0.
- ``months`` use the corresponding-date rule, clamped to month end; ``weeks`` are 7
  calendar days. Month, week and calendar-day results are never moved off a weekend or
  holiday: they are maximum intervals, so the interface warns ahead instead.
- ``hours`` are elapsed hours between aware Europe/London timestamps. Given only a date,
  the due date is ``start + ceil(hours / 24)`` calendar days and is **date-only** (a
  ``date`` is returned, never a ``datetime``).
- ``terms`` (PEP reviews) fall due on the last day of the school term after the one
  containing the start (or, for a start in a school holiday, the next term to begin).
- Repeating intervals run from the actual date of the previous event, never from the
  previous due date: pass that actual date as ``start``.

Kinds: ``deadline`` (statutory or guidance timescale), ``limit`` (legal maximum duration,
§1.5: warn before, flag after), ``none`` (no national timescale; a council may set one) and
``local`` (no national rule; the value here is a default each council may override).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from .working_days import LONDON, add_calendar_days, add_hours, add_months, add_working_days

Unit = Literal["working_days", "calendar_days", "months", "hours", "weeks", "terms"]
Kind = Literal["deadline", "limit", "none", "local"]

UNITS: tuple[Unit, ...] = ("working_days", "calendar_days", "months", "hours", "weeks", "terms")
UNIT_LABELS: dict[str, str] = {
    "working_days": "working days",
    "calendar_days": "calendar days",
    "months": "months",
    "hours": "hours",
    "weeks": "weeks",
    "terms": "school terms",
}
# Units a council may choose for its own timescales.
LOCAL_UNITS: tuple[Unit, ...] = ("working_days", "calendar_days", "weeks", "months")


class TimescaleError(ValueError):
    """A due date that cannot be computed."""


class UnknownRule(TimescaleError):
    def __init__(self, rule_id: str):
        self.rule_id = rule_id
        super().__init__(f"Unknown timescale rule '{rule_id}'")


class NoTimescale(TimescaleError):
    def __init__(self, rule_id: str):
        self.rule_id = rule_id
        super().__init__(f"Rule '{rule_id}' has no national timescale and this council has not set one")


class NoTermDates(TimescaleError):
    """A termly rule with no school term configured after the start date."""


@dataclass(frozen=True)
class TimescaleRule:
    rule_id: str
    title: str
    start_event: str
    offset: int | None
    unit: Unit | None
    then_offset: int | None = None
    kind: Kind = "deadline"
    source: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        if self.unit is not None and self.unit not in UNITS:
            raise ValueError(f"{self.rule_id}: unknown unit {self.unit}")
        if (self.offset is None) != (self.unit is None):
            raise ValueError(f"{self.rule_id}: offset and unit go together")
        if self.kind == "none" and self.offset is not None:
            raise ValueError(f"{self.rule_id}: a rule with no timescale has no offset")

    @property
    def overridable(self) -> bool:
        """A council may set its own value: only where there is no national timescale."""
        return self.kind in ("local", "none")

    @property
    def describe(self) -> str:
        if self.offset is None or self.unit is None:
            return "No national timescale"
        text = f"{self.offset} {UNIT_LABELS[self.unit]}"
        if self.then_offset is not None:
            text += f", then {self.then_offset} {UNIT_LABELS[self.unit]}"
        return text


_WT = "Working Together to Safeguard Children 2023"
_CPPCR = "Care Planning, Placement and Case Review (England) Regulations 2010"
_PF = "Children (Private Arrangements for Fostering) Regulations 2005"

_RULES: tuple[TimescaleRule, ...] = (
    # §1.1 Front door, assessment and child protection
    TimescaleRule("referral_decision", "Referral decision", "Referral received", 1, "working_days",
                  source=f"{_WT} ch.3, referrals", notes="Stops at the recorded decision."),
    TimescaleRule("assessment", "Child and family assessment", "Referral date", 45, "working_days",
                  source=f"{_WT} ch.3, assessment",
                  notes="Stops at manager authorisation. Also run from the assessment start (DfE measure)."),
    TimescaleRule("strategy_discussion", "Strategy discussion", "Concern of significant harm", None, None,
                  kind="none", source=f"{_WT} ch.3",
                  notes="No national timescale; many local procedures say the same or next working day."),
    TimescaleRule("s47_enquiry", "Section 47 enquiry", "Strategy discussion deciding to start S47",
                  None, None, kind="none", source=f"{_WT} ch.3",
                  notes="No separate limit; bounded by the ICPC clock."),
    TimescaleRule("icpc", "Initial child protection conference", "Strategy discussion initiating S47",
                  15, "working_days", source=f"{_WT} ch.3, initial child protection conferences [check]",
                  notes="Stops at the ICPC. DfE counts from the S47 start instead (timescales.md §3)."),
    TimescaleRule("transfer_in_conference", "Transfer-in conference", "Notice a child on a CP plan moved in",
                  15, "working_days", source=f"{_WT} ch.3, children moving between areas [check]"),
    TimescaleRule("core_group_first", "First core group", "ICPC date", 10, "working_days",
                  source=f"{_WT} ch.3, core groups"),
    TimescaleRule("core_group_next", "Core group", "Previous core group", 4, "weeks", kind="local",
                  source="[local]",
                  notes="Local default of 4 weeks (28 days); every 4 to 6 weeks is common. Set per council."),
    TimescaleRule("cp_visit", "Child protection visit", "Previous statutory CP visit", 10, "working_days",
                  kind="local", source="[local]",
                  notes="Local default: fortnightly (10 working days). The CP plan or procedure sets it."),
    TimescaleRule("rcpc_first", "First review conference", "ICPC date", 3, "months",
                  source=f"{_WT} ch.3, child protection review conference"),
    TimescaleRule("rcpc_next", "Review conference", "Previous review conference (actual)", 6, "months",
                  source=f"{_WT} ch.3, child protection review conference"),
    # Not in timescales.md: no national frequency exists (domain.md §2, CIN plans), so the
    # council sets it. A common local default is a review every 3 months.
    TimescaleRule("cin_plan_review", "CIN plan review", "CIN plan start or previous review (actual)", 3,
                  "months", kind="local", source="[local]",
                  notes="No national timescale; councils set their own. Default: every 3 months."),
    TimescaleRule("lado_referral", "Referral to the LADO", "Allegation comes to attention", 1, "working_days",
                  source=f"{_WT}, allegations; KCSIE Part 4; National LADO Network standards"),
    # §1.2 Children in care
    TimescaleRule("care_plan", "Care plan", "Start of the first placement", 10, "working_days",
                  source=f"{_CPPCR} reg 4(2)",
                  notes="Not where s31A applies (care-order plans go to court)."),
    TimescaleRule("placement_plan", "Placement plan", "Start of each placement", 5, "working_days",
                  source=f"{_CPPCR} reg 9 [check]"),
    TimescaleRule("cla_review_first", "First looked-after review", "Child becomes looked after", 20,
                  "working_days", source=f"{_CPPCR} reg 33(1)(a)",
                  notes="Not '4 weeks' (pre-2011). A new period of care restarts the sequence."),
    TimescaleRule("cla_review_second", "Second looked-after review", "First review (actual)", 3, "months",
                  source=f"{_CPPCR} reg 33(1)(b)"),
    TimescaleRule("cla_review_next", "Looked-after review", "Previous review (actual)", 6, "months",
                  source=f"{_CPPCR} reg 33(1)(c)", notes="An earlier review restarts the clock from it."),
    TimescaleRule("cla_visit_first", "First placement visit", "Start of each placement", 7, "calendar_days",
                  source=f"{_CPPCR} reg 28(2)(a)", notes="A new placement restarts visits, not reviews."),
    TimescaleRule("cla_visit_next_year1", "Visit (first year of placement)", "Previous visit (actual)", 42,
                  "calendar_days", source=f"{_CPPCR} reg 28(2)(b)"),
    TimescaleRule("cla_visit_long_term", "Visit (long-term placement)", "Previous visit (actual)", 3,
                  "months", source=f"{_CPPCR} reg 28(2)(c)(i)",
                  notes="Placement intended to last until 18, after its first year."),
    TimescaleRule("cla_visit_after_year1_other", "Visit (after first year)", "Previous visit (actual)", 42,
                  "calendar_days", source=f"{_CPPCR} reg 28(2)(c)(ii)"),
    TimescaleRule("cla_visit_long_term_foster_6m", "Visit (long-term foster, child agrees)", "Previous visit",
                  6, "months", source=f"{_CPPCR} reg 28 as amended 2015 [check paragraph]"),
    TimescaleRule("cla_visit_placed_with_parent_pre_assessment", "Visit (placed with parent)",
                  "Start of placement", 7, "calendar_days", then_offset=42, source=f"{_CPPCR} reg 28(3)",
                  notes="Weekly until the first review, then at most 42 days apart."),
    TimescaleRule("cla_visit_connected_person_temporary", "Visit (connected person, temporary approval)",
                  "Start of placement", 7, "calendar_days", then_offset=28, source=f"{_CPPCR} reg 28(4)",
                  notes="Weekly until the first review, then at most 28 days apart."),
    TimescaleRule("cla_visit_care_order_at_home", "Visit (care order, living at home)", "Date of care order",
                  7, "calendar_days", then_offset=42, source=f"{_CPPCR} reg 28(5)",
                  notes="Weekly at first, then at most 42 days apart."),
    TimescaleRule("cla_visit_additional", "Additional visit", "Event-driven", None, None, kind="none",
                  source=f"{_CPPCR} reg 28 [check paragraph]", notes="Tasks, not clocks."),
    TimescaleRule("initial_health_assessment", "Initial health assessment", "Child becomes looked after", 20,
                  "working_days", source="Promoting the health and well-being of looked-after children "
                  "(2015) [check]; CPPCR reg 7(1)"),
    TimescaleRule("health_review_under5", "Health review (under 5)", "Previous health assessment", 6,
                  "months", source=f"{_CPPCR} reg 7 and 2015 guidance [check]",
                  notes="Use health_review_rule() to choose by age at the previous assessment."),
    TimescaleRule("health_review_5plus", "Health review (5 and over)", "Previous health assessment", 12,
                  "months", source=f"{_CPPCR} reg 7 and 2015 guidance [check]"),
    TimescaleRule("pep_initial", "Initial personal education plan", "Child becomes looked after", 10,
                  "working_days", source="Promoting the education of looked-after children (2018) [check]"),
    TimescaleRule("pep_review", "PEP review", "Previous PEP review", 1, "terms",
                  source="Promoting the education of looked-after children (2018) [check]",
                  notes="Due by the end of the next school term; term dates are set per council."),
    TimescaleRule("pathway_needs_assessment", "Pathway needs assessment",
                  "16th birthday or becoming eligible", 3, "months", source=f"{_CPPCR} reg 42(1)"),
    # §1.3 Care leavers, missing children and private fostering
    TimescaleRule("pathway_plan_review", "Pathway plan review", "Previous pathway plan review", 6, "months",
                  source="Care Leavers (England) Regulations 2010 [check reg number]; CPPCR"),
    TimescaleRule("care_leaver_contact", "Care leaver contact", "Previous contact", 8, "weeks", kind="local",
                  source="Children Act 1989 s23C(2) [local]",
                  notes="Local default of 8 weeks; the pathway plan sets the interval."),
    TimescaleRule("return_home_interview", "Return home interview", "Child found or returned", 72, "hours",
                  source="Statutory guidance on children who run away or go missing (2014) [check]",
                  notes="Offer, accept and complete timestamps are all recorded."),
    # No national timescale for reviewing an exploitation risk screening; councils set their own.
    TimescaleRule("exploitation_screening_review", "Exploitation screening review",
                  "Previous screening (actual)", 3, "months", kind="local", source="[local]",
                  notes="Local default: every 3 months while any risk is found. Restarts at each review."),
    TimescaleRule("private_fostering_first_visit", "Private fostering first visit", "LA notified", 7,
                  "working_days", source=f"{_PF} [check: 7 working days and reg number]"),
    TimescaleRule("private_fostering_visit_year1", "Private fostering visit (first year)", "Previous visit",
                  42, "calendar_days", source=f"{_PF} reg 8"),
    TimescaleRule("private_fostering_visit_later", "Private fostering visit (later years)", "Previous visit",
                  84, "calendar_days", source=f"{_PF} reg 8"),
    # §1.4 Partnership duties
    TimescaleRule("serious_incident_notification", "Serious incident notification", "LA aware of incident",
                  5, "working_days", source=f"{_WT} ch.5 [check]"),
    TimescaleRule("rapid_review", "Rapid review", "Serious incident notification", 15, "working_days",
                  source=f"{_WT} ch.5 [check]"),
    # §1.5 Legal maximum durations: warn before, flag after
    TimescaleRule("police_protection_max", "Police protection", "Child taken into police protection", 72,
                  "hours", kind="limit", source="Children Act 1989 s46(6)"),
    TimescaleRule("epo_max", "Emergency protection order", "Order made", 8, "calendar_days", kind="limit",
                  source="Children Act 1989 s45(1), (4)-(6)",
                  notes="Extendable once by up to 7 days. SSDA903 rule 362 queries episodes over 21 days."),
    TimescaleRule("child_assessment_order_max", "Child assessment order", "Order takes effect", 7,
                  "calendar_days", kind="limit", source="Children Act 1989 s43(5)",
                  notes="SSDA903 rule 363."),
    TimescaleRule("short_break_single_max", "Short break", "Short-break placement starts", 17,
                  "calendar_days", kind="limit", source=f"{_CPPCR} reg 48", notes="SSDA903 rule 365."),
    TimescaleRule("short_break_annual_max", "Short breaks in 12 months", "First short break in the window",
                  75, "calendar_days", kind="limit", source=f"{_CPPCR} reg 48",
                  notes="75 days in aggregate in any 12 months; due() gives the end of continuous use. "
                  "SSDA903 rule 367."),
    TimescaleRule("care_proceedings_max", "Care proceedings", "Application issued", 26, "weeks", kind="limit",
                  source="Children Act 1989 s32(1)(a), as amended 2014", notes="Extendable by the court."),
    TimescaleRule("secure_without_order_max", "Secure accommodation without an order",
                  "Placed in secure accommodation", 72, "hours", kind="limit",
                  source="Children (Secure Accommodation) Regulations 1991 reg 10 [check]",
                  notes="72 hours consecutive or in aggregate in any 28 days."),
)

RULES: dict[str, TimescaleRule] = {rule.rule_id: rule for rule in _RULES}
if len(RULES) != len(_RULES):
    raise ImportError("duplicate rule_id in the timescale registry")


def get_rule(rule_id: str) -> TimescaleRule:
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


def health_review_rule(*, date_of_birth: date, previous_assessment: date) -> str:
    """Under 5 on the date of the previous assessment: 6-monthly; otherwise 12-monthly."""
    fifth_birthday = add_months(date_of_birth, 60)
    return "health_review_under5" if previous_assessment < fifth_birthday else "health_review_5plus"


def effective_timescale(
    rule_id: str, local_overrides: Mapping[str, tuple[int, str]] | None = None, *, then: bool = False
) -> tuple[int, str]:
    """The ``(offset, unit)`` that applies, after a council's override of a non-statutory rule."""
    rule = get_rule(rule_id)
    if local_overrides and rule.overridable and rule_id in local_overrides:
        offset, unit = local_overrides[rule_id]
        if unit not in LOCAL_UNITS:
            raise TimescaleError(f"Rule '{rule_id}': a council cannot set a timescale in {unit}")
        return offset, unit
    if rule.offset is None or rule.unit is None:
        raise NoTimescale(rule_id)
    if then and rule.then_offset is not None:
        return rule.then_offset, rule.unit
    return rule.offset, rule.unit


def _end_of_next_term(start: date, terms: list[tuple[date, date]]) -> date:
    for index, (starts_on, ends_on) in enumerate(terms):
        if start < starts_on:  # in a school holiday: the next term to begin
            return ends_on
        if start <= ends_on:
            if index + 1 < len(terms):
                return terms[index + 1][1]
            break
    raise NoTermDates(f"No school term is set up after the one containing {start.isoformat()}")


def due(
    rule_id: str,
    start: date | datetime,
    *,
    holidays: frozenset[date],
    local_overrides: Mapping[str, tuple[int, str]] | None = None,
    term_dates: Iterable[tuple[date, date]] | None = None,
    then: bool = False,
) -> date | datetime:
    """When ``rule_id`` falls due for an event on ``start`` (day 0).

    ``holidays``: England and Wales bank holidays. ``local_overrides``: the council's
    ``{rule_id: (offset, unit)}``, applied to non-statutory rules only. ``term_dates``:
    ``(starts_on, ends_on)`` school terms, for termly rules. ``then``: use the rule's later
    interval (the compound visiting rules, after the first review).

    Returns an aware Europe/London ``datetime`` for an hour rule given a ``datetime``;
    otherwise a ``date``. A ``datetime`` start for a day-based rule counts from its
    London calendar date.
    """
    offset, unit = effective_timescale(rule_id, local_overrides, then=then)
    if unit == "hours":
        if isinstance(start, datetime):
            if start.tzinfo is None:
                start = start.replace(tzinfo=LONDON)
            return add_hours(start, offset)
        return add_calendar_days(start, math.ceil(offset / 24))
    if isinstance(start, datetime):
        day = (start.astimezone(LONDON) if start.tzinfo else start).date()
    else:
        day = start
    if unit == "working_days":
        return add_working_days(day, offset, holidays)
    if unit == "calendar_days":
        return add_calendar_days(day, offset)
    if unit == "weeks":
        return add_calendar_days(day, offset * 7)
    if unit == "months":
        return add_months(day, offset)
    if unit == "terms":
        terms = sorted(term_dates or ())
        if not terms:
            raise NoTermDates(f"Rule '{rule_id}' needs school term dates; none are set up for this council")
        result = day
        for _ in range(offset):
            result = _end_of_next_term(result, terms)
        return result
    raise TimescaleError(f"Rule '{rule_id}': unknown unit {unit}")
