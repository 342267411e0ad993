"""The children's social work workforce (indicators.md §5): DfE's CSWW formulas over the HR record.

Who counts is decided once, in ``hearth.workforce.measures`` (its docstring gives every rule): appointments in
a social work role (CSWW OrgRole 1-6), the council's own (permanent or seconded) apart from agency, the social
work posts on the establishment, sickness absence and the children allocated to each worker. These indicators
list those same records as their members, so a figure here, on the workforce measures page and in the census
export always agree; ``csww_measures`` is these sums for the twelve months to a day.

Members are the records themselves: ``workforce.appointment:<pk>`` (a worker in a role), ``workforce.post:<pk>``
(a vacancy) and ``workforce.absence:<pk>`` (a spell of sickness), with no child. A drill-down shows them as "a
member of staff" (an analyst, a pseudonym) with the FTE, cases or days in the note: never a name beside a
leaving date or a sickness absence. Counts "at the end" are dated the period's last day; leavers their last day,
sickness the first of its days in the period.

The period is the indicator's own (a rolling twelve months on the pages and in trends); everything read for one
period is read once for all the workforce indicators evaluated together.
"""

# ruff: noqa: RUF001  (multiplication signs and en dashes are the right typography beside a figure)

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hearth.indicators.registry import Member, Period, Tally, indicator, key
from hearth.workforce.measures import Held, PostVacancy, WorkforceCensus, workforce_census
from hearth.workspace.dates import long_date

APPOINTMENT = "workforce.appointment"
POST = "workforce.post"
ABSENCE = "workforce.absence"
ROLE_WORDS = {"1": "senior manager", "2": "middle manager", "3": "first line manager", "4": "senior practitioner",
              "5": "case holder", "6": "qualified without cases"}


def census_for(period: Period) -> WorkforceCensus:
    """The period's census, read once for every workforce indicator evaluated with it."""
    return period.shared(("workforce_census", period.start, period.end),
                         lambda: workforce_census(local_authority_id=period.local_authority.pk, first=period.start,
                                                  last=period.end))


def fte_words(fte: Decimal | float) -> str:
    return f"{float(fte):g} FTE"


def _held(h: Held, on: date, note: str, amount: Decimal | float | int | None = None) -> Member:
    return Member(key(APPOINTMENT, h.pk), None, on, h.team_id, float(h.fte if amount is None else amount), note)


def _in_post(h: Held, on: date) -> Member:
    kind = "Agency" if h.agency else "Employed"
    return _held(h, on, f"{kind}, {ROLE_WORDS.get(h.org_role, 'social worker')}, {fte_words(h.fte)}")


def _post(p: PostVacancy, on: date, amount: Decimal, note: str) -> Member:
    return Member(key(POST, p.pk), None, on, p.team_id, float(amount), note)


def _vacant(p: PostVacancy, on: date) -> Member:
    return _post(p, on, p.vacant_fte, f"Post {p.reference}: {fte_words(p.vacant_fte)} of {fte_words(p.fte)} vacant")


@indicator(
    code="sw_fte", title="Social workers in post (FTE)", group="workforce", unit="number", polarity="neutral",
    measured="at_end", lait_code="Work_Force_NoSW", decimals=1,
    numerator="Full-time equivalent of the council's own social workers in post on the last day of the period "
              "(not agency)",
    denominator="Not a rate: a count of FTE",
    definition="FTE of children and family social workers employed by the council (permanent or seconded) and in "
               "post at 30 September (CSWW): appointments in a social work role (CSWW roles senior manager to "
               "qualified without cases), at the FTE of the appointment in force that day; agency workers left out. "
               "A worker whose last day is that day is a leaver, not in post.",
)
def sw_fte(period: Period) -> Tally:
    census = census_for(period)
    return Tally([_in_post(h, period.end) for h in census.in_post])


@indicator(
    code="turnover_rate", title="Social worker turnover", group="workforce", unit="percent", polarity="low",
    measured="in_period", lait_code="Work_Force_TO_Rate", decimals=1,
    numerator="FTE of the council's own social workers who left in the period",
    denominator="FTE of the council's own social workers in post on the last day of the period",
    definition="Leavers in the year to 30 September (FTE) ÷ FTE in post at 30 September, both the council's own "
               "social workers (agency workers left out). A leaver's last day in a social work role here falls in "
               "the period, the first day included, and no other social work appointment here carries on from it: "
               "they left the council or moved to a role that is not child and family social work. A change of FTE "
               "or role is not leaving. Leavers count at the FTE they left at. DfE also publishes it on headcount.",
)
def turnover_rate(period: Period) -> Tally:
    census = census_for(period)
    left = [_held(h, h.ends_on or period.end,
                  f"Last day {long_date(h.ends_on or period.end)}, {fte_words(h.fte)}")
            for h in census.leavers]
    return Tally(left, [_in_post(h, period.end) for h in census.in_post])


@indicator(
    code="agency_rate", title="Agency social workers", group="workforce", unit="percent", polarity="low",
    measured="at_end", lait_code="Work_Force_Agecy_Rate", decimals=1,
    numerator="FTE of agency social workers in post on the last day of the period",
    denominator="FTE of agency social workers and of the council's own social workers in post that day",
    definition="Agency worker rate: agency FTE at 30 September ÷ (agency FTE + FTE of the council's own social "
               "workers in post), appointments in a social work role only. DfE also publishes it on headcount.",
)
def agency_rate(period: Period) -> Tally:
    census = census_for(period)
    agency = [_in_post(h, period.end) for h in census.agency]
    return Tally(agency, agency + [_in_post(h, period.end) for h in census.in_post])


@indicator(
    code="vacancy_rate", title="Social worker vacancies", group="workforce", unit="percent", polarity="low",
    measured="at_end", lait_code="Work_Force_Vac_Rate", decimals=1,
    numerator="FTE of social work posts on the establishment on the last day of the period not filled by the "
              "council's own social workers",
    denominator="That vacant FTE and the FTE of the council's own social workers in post that day",
    definition="Vacancy rate: FTE vacancies at 30 September ÷ (FTE vacancies + FTE in post). A vacancy is the FTE "
               "of a social work post on the establishment that day less the FTE of the council's own social "
               "workers in it (never below 0); a post covered by an agency worker is still vacant.",
)
def vacancy_rate(period: Period) -> Tally:
    census = census_for(period)
    vacant = [_vacant(p, period.end) for p in census.vacancies]
    return Tally(vacant, vacant + [_in_post(h, period.end) for h in census.in_post])


@indicator(
    code="agency_cover", title="Agency social workers covering vacancies", group="workforce", unit="percent",
    polarity="neutral", measured="at_end", lait_code="Work_Force_AgencyCover", decimals=1,
    numerator="FTE of agency social workers in vacant social work posts on the last day of the period, up to each "
              "post's vacancy",
    denominator="FTE of agency social workers in post that day",
    definition="Agency workers covering vacancies: agency FTE covering vacancies at 30 September ÷ agency FTE. An "
               "agency worker in no post (over establishment) or beyond a post's vacancy covers none.",
)
def agency_cover(period: Period) -> Tally:
    census = census_for(period)
    covering = [_held(h, period.end, f"Covering {fte_words(cover)} in a vacant post, {fte_words(h.fte)}", cover)
                for h, cover in census.agency_covering]
    return Tally(covering, [_in_post(h, period.end) for h in census.agency])


@indicator(
    code="vacancies_covered", title="Vacancies covered by agency social workers", group="workforce",
    unit="percent", polarity="high", measured="at_end", lait_code="Vacancies_cover", decimals=1,
    numerator="FTE of vacant social work posts covered by agency social workers on the last day of the period",
    denominator="FTE of vacant social work posts that day",
    definition="Vacancies covered by agency workers: agency FTE covering vacancies at 30 September ÷ FTE "
               "vacancies (the same two figures as the vacancy rate and agency cover).",
)
def vacancies_covered(period: Period) -> Tally:
    census = census_for(period)
    covered = [_post(p, period.end, p.agency_cover_fte,
                     f"Post {p.reference}: {fte_words(p.agency_cover_fte)} of {fte_words(p.vacant_fte)} vacant "
                     f"covered by agency")
               for p in census.vacancies if p.agency_cover_fte > 0]
    return Tally(covered, [_vacant(p, period.end) for p in census.vacancies])


@indicator(
    code="caseload_average", title="Average caseload of case-holding social workers", group="workforce",
    unit="average", polarity="low", measured="at_end", lait_code="Work_Force_AvgNumCase_SW", decimals=1,
    numerator="Children allocated to case-holding social workers (including agency) on the last day of the period",
    denominator="FTE of those social workers (each with FTE above 0 and at least one child)",
    definition="Cases held at 30 September by case-holding social workers, agency workers included, ÷ the FTE of "
               "those case holders with an FTE above 0 and at least one case. A case is a child allocated to the "
               "worker (a social work allocation open on the day: begun on or before it, not ended by it), each "
               "child once per worker.",
)
def caseload_average(period: Period) -> Tally:
    census = census_for(period)

    def note(h: Held, n: int) -> str:
        return f"{n} {'child' if n == 1 else 'children'}, {fte_words(h.fte)}"

    holders = census.case_holders
    return Tally([_held(h, period.end, note(h, n), n) for h, n in holders],
                 [_held(h, period.end, note(h, n)) for h, n in holders])


@indicator(
    code="absence_rate", title="Social worker sickness absence", group="workforce", unit="percent", polarity="low",
    measured="in_period", lait_code="Work_Force_SWAbsence", decimals=1,
    numerator="Working days the council's own social workers lost to sickness in the period",
    denominator="FTE of the council's own social workers in post on the last day, × 253 working days (254 when "
                "the period includes 29 February)",
    definition="Sickness absence rate: working days lost to sickness in the year to 30 September ÷ (FTE in post at "
               "30 September × 253), 254 in a leap year. A spell of sickness counts for its days in the period "
               "while the worker was one of the council's social workers; where only part of a spell counts, its "
               "recorded working days are shared out by calendar days.",
)
def absence_rate(period: Period) -> Tally:
    census = census_for(period)
    days = [Member(key(ABSENCE, s.pk), None, max(s.starts_on, period.start), s.team_id, float(s.counted),
                   f"{float(s.counted):g} working days of sickness in the period")
            for s in census.sickness]
    working_days = census.working_days
    return Tally(days, [_held(h, period.end, f"{fte_words(h.fte)} × {working_days} working days",
                              h.fte * working_days) for h in census.in_post])
