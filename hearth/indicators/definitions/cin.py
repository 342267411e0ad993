"""Help, protection and children in need: the CIN census indicators (indicators.md §3).

Each counts what the CIN census (``hearth.returns.cin_census.build_cin``) reports for the same year, read
from the live record:

- Every child counts, whatever the record's access level: these are the council's statutory figures, and
  the drill-down decides what each reader may see. Records merged into another are left out, as the census
  leaves them out (their history is the surviving record's). Unborn children count, as in the census.
- What happened after the period's last day is not known on it: a referral closed later was open, a plan
  ended later was running, an assessment authorised later was not complete.
- "At the end" counts are taken on the period's last day: a plan or referral that ended that day had ended.
- Each member's team is its referral's team (the episode records the team it was referred to), else the
  child's social-work allocation on the member's date.

Every indicator reads a fixed handful of ``values_list`` queries over indexed columns, whatever the size of
the council, and does the rest in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from dateutil.relativedelta import relativedelta
from django.db.models import DateField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from hearth.cin.codes import CLOSURE_NEEDS_ASSESSMENT, ClosureReason
from hearth.cin.models import Assessment, CINEpisode
from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import working_days_between
from hearth.indicators.registry import Member, Period, Tally, indicator, key, plural, with_teams
from hearth.people.models import Person
from hearth.protection.models import ChildProtectionConference, ChildProtectionPlan, Section47Enquiry

EPISODE = CINEpisode._meta.label_lower  # "cin.cinepisode"
ASSESSMENT = Assessment._meta.label_lower
ENQUIRY = Section47Enquiry._meta.label_lower
CONFERENCE = ChildProtectionConference._meta.label_lower
PLAN = ChildProtectionPlan._meta.label_lower

ASSESSMENT_LIMIT = 45  # working days (DfE's bands: ... 41-45, 46-50 ...)
ICPC_LIMIT = 15  # working days (bands 0-10, 11-15, 16-20, 21+)
TWO_YEARS_DAYS = 729  # a plan lasted two years when (end - start + 1) > 729 (LAIT methodology)
POPULATION = "Children aged 0 to 17 in the council's area (ONS mid-year estimate)"
_Kind = ChildProtectionConference.Kind


# ------------------------------------------------------------------------------------------------ helpers


# Notes repeat the same few hundred dates and spans across thousands of members: formatting each once matters.
@lru_cache(maxsize=8192)
def _d(day: date) -> str:
    return f"{day:%d %b %Y}"


def _days(start: date, end: date) -> int:
    """Calendar days from ``start`` to ``end``, both counted (DfE's plan duration)."""
    return (end - start).days + 1


@lru_cache(maxsize=8192)
def _span(start: date, end: date) -> str:
    """How long from ``start`` to ``end``, both days counted, in years and months ("2 years 3 months"); in days
    when under a month. A plan from 1 April 2024 to 31 March 2026 lasted 2 years."""
    gap = relativedelta(end + timedelta(days=1), start)
    parts = [plural(gap.years, "year")] if gap.years else []
    if gap.months:
        parts.append(plural(gap.months, "month"))
    return " ".join(parts) if parts else plural(_days(start, end), "day")


def _merged(period: Period) -> frozenset[int]:
    """Records merged into another: the census leaves them out (their history moved to the survivor)."""
    # Asked as a subquery so SQLite reads the small merged_into index, not every person in the council.
    merged = Person.objects.filter(merged_into__isnull=False).values("pk")
    return period.shared("merged", lambda: frozenset(
        Person.objects.filter(local_authority_id=period.local_authority.pk, pk__in=merged)
        .values_list("pk", flat=True)))


def _in_census(period: Period, merged: frozenset[int] | None = None
               ) -> Callable[[int, date, date | None, date], bool]:
    """Whether a record dated ``on`` counts, by its child and its referral (CIN episode): the census of the
    period holds only referrals open at some time in it, and no merged records. A record outside its
    referral's dates (an assessment authorised after the referral closed) is a recording mistake the census
    leaves out too; counting it would also make a year differ from its two halves."""
    merged = _merged(period) if merged is None else merged
    start, end = period.start, period.end

    def counted(child_id: int, referral_date: date, closed_on: date | None, on: date) -> bool:
        return (child_id not in merged and referral_date <= end and (closed_on is None or closed_on >= start)
                and _within(on, referral_date, closed_on))

    return counted


def _within(day: date, referral_date: date, closed_on: date | None) -> bool:
    """A record dated inside its referral; one outside (held after the referral closed) is a recording
    mistake the census leaves out, and counting it would make a year differ from its two halves."""
    return referral_date <= day and (closed_on is None or day <= closed_on)


# ------------------------------------------------------------------------------------------------ referrals


def _referrals(period: Period, *fields: str, **annotations: Any) -> list[tuple[Any, ...]]:
    """Referrals received in the period (CIN episodes by referral date), oldest first: pk, child, referral
    date, team, then ``fields`` and ``annotations``."""
    merged = _merged(period)
    rows = CINEpisode.objects.filter(local_authority_id=period.local_authority.pk, referral_date__gte=period.start,
                                     referral_date__lte=period.end)
    if annotations:
        rows = rows.annotate(**annotations)
    return [row for row in rows.order_by("referral_date", "pk").values_list(
        "pk", "child_id", "referral_date", "team_id", *fields, *annotations) if row[1] not in merged]


def _year_referrals(period: Period) -> list[tuple[Any, ...]]:
    """The period's referrals, read once for the indicators that share them: pk, child, referral date, team,
    referral_nfa, closed_on, closure_reason."""
    return period.shared("cin_referrals", lambda: _referrals(period, "referral_nfa", "closed_on", "closure_reason"))


def _referral(row: tuple[Any, ...], note: str = "") -> Member:
    return Member(key(EPISODE, row[0]), row[1], row[2], row[3], 1.0, note)


def _closed_by_end(closed_on: date | None, period: Period) -> bool:
    return closed_on is not None and closed_on <= period.end


@indicator(
    code="referral_rate",
    title="Referrals per 10,000 children",
    group="cin",
    unit="per_10k",
    polarity="neutral",
    measured="in_period",
    numerator="Referrals to children's social care received in the period (a child with two referrals counts twice)",
    denominator=POPULATION,
    definition=(
        "DfE: referrals received in the year (CIN census CINreferralDate) per 10,000 children aged 0 to 17. "
        "A referral is a request for services for a child not already open to children's social care; new "
        "information about an open case is not a referral. Referrals closed with no further action count, "
        "and so do referrals for unborn children. Hearth counts every referral dated in the period, as the "
        "census does. LAIT publishes the rate under the code CPP_Total_Rateper10,000 (sic)."
    ),
    lait_code="CPP_Total_Rateper10,000",
)
def referral_rate(period: Period) -> Tally:
    return with_teams(period, Tally([_referral(row) for row in _year_referrals(period)]))


@indicator(
    code="re_referrals_12m",
    title="Re-referrals within 12 months",
    group="cin",
    unit="percent",
    polarity="low",
    measured="in_period",
    numerator="Referrals in the period where the child had another referral in the 12 months before it",
    denominator="Referrals received in the period",
    definition=(
        "DfE: referrals in the year within 12 months of a previous referral for the same child, as a "
        "percentage of all referrals in the year (counted per referral). DfE has not said whether a "
        "referral exactly 12 months after the previous one is \"within 12 months\" (indicators.md §8). "
        "Hearth counts calendar months and includes that day: a referral on 3 February 2026 after one on "
        "3 February 2025 is a re-referral, one on 4 February 2026 is not. This is the rule Hearth uses when "
        "it marks a referral as a re-referral, applied to the referral history as it stands now, so a "
        "previous referral recorded late still counts."
    ),
    lait_code="ReReferral",
)
def re_referrals_12m(period: Period) -> Tally:
    # The child's referral before this one (on an earlier day, or earlier the same day), by the (child,
    # referral date) index: one query however many referrals.
    earlier = CINEpisode.objects.filter(
        Q(referral_date__lt=OuterRef("referral_date"))
        | Q(referral_date=OuterRef("referral_date"), pk__lt=OuterRef("pk")),
        child_id=OuterRef("child_id"), local_authority_id=OuterRef("local_authority_id"),
    ).order_by("-referral_date", "-pk").values("referral_date")[:1]
    since: dict[date, date] = {}  # 12 calendar months before each referral date (a few hundred dates)
    numerator: list[Member] = []
    denominator: list[Member] = []
    for row in _referrals(period, previous=Subquery(earlier, output_field=DateField())):
        previous: date | None = row[4]
        day = row[2]
        if previous is not None and day not in since:
            since[day] = day - relativedelta(months=12)
        if previous is not None and previous >= since[day]:
            # One member in both lists: the drill-down of either shows why it is a re-referral.
            member = _referral(row, f"re-referral: previous {_d(previous)}")
            numerator.append(member)
        else:
            member = _referral(row)
        denominator.append(member)
    return with_teams(period, Tally(numerator, denominator))


@indicator(
    code="referrals_nfa",
    title="Referrals closed with no further action",
    group="cin",
    unit="percent",
    polarity="low",
    measured="in_period",
    numerator="Referrals in the period closed at the referral stage with no further action, by the period's end",
    denominator="Referrals received in the period",
    definition=(
        "DfE (EES table C1, no_further_action_count): referrals in the year with ReferralNFA true, as a "
        "percentage of referrals in the year. These close at the referral stage, with no assessment. Hearth "
        "marks a referral NFA when it is closed with nothing done in it; one still open at the period's end is "
        "not NFA yet (the census reports it as open). LAIT's description of CIN_Refferals_NFA repeats the "
        "\"assessed as not in need\" wording; Hearth follows the EES definition."
    ),
    lait_code="CIN_Refferals_NFA",
)
def referrals_nfa(period: Period) -> Tally:
    numerator: list[Member] = []
    denominator: list[Member] = []
    for row in _year_referrals(period):
        if row[4] and _closed_by_end(row[5], period):
            member = _referral(row, f"closed {_d(row[5])} with no further action")
            numerator.append(member)
        else:
            member = _referral(row)
        denominator.append(member)
    return with_teams(period, Tally(numerator, denominator))


@indicator(
    code="assessed_not_in_need",
    title="Referrals assessed as not in need",
    group="cin",
    unit="percent",
    polarity="low",
    measured="in_period",
    numerator=("Referrals in the period closed after an assessment with nothing further (reason RC8 or RC9), "
               "by the period's end"),
    denominator="Referrals received in the period",
    definition=(
        "DfE (EES table C1, not_in_need_count): referrals in the year that had an assessment and no further "
        "activity, closed with reason RC8 (no further action) or RC9 (referred to early help), as a "
        "percentage of referrals in the year. Hearth counts by the closure reason the census reports: it "
        "accepts RC8 or RC9 only for a referral with an authorised assessment and no plan, enquiry or "
        "conference after it (census rules 8825Q and 2990). A referral still open at the period's end is not "
        "counted."
    ),
    lait_code="Referrals_AssessedNotNeed",
)
def assessed_not_in_need(period: Period) -> Tally:
    numerator: list[Member] = []
    denominator: list[Member] = []
    for row in _year_referrals(period):
        reason, closed_on = row[6], row[5]
        if reason in CLOSURE_NEEDS_ASSESSMENT and _closed_by_end(closed_on, period):
            to_early_help = ", referred to early help" if reason == ClosureReason.EARLY_HELP_AFTER_ASSESSMENT else ""
            member = _referral(row, f"{reason}: closed {_d(closed_on)} after assessment{to_early_help}")
            numerator.append(member)
        else:
            member = _referral(row)
        denominator.append(member)
    return with_teams(period, Tally(numerator, denominator))


# ------------------------------------------------------------------------------------------------ assessments


@indicator(
    code="assessments_45wd",
    title="Assessments completed within 45 working days",
    group="cin",
    unit="percent",
    polarity="high",
    measured="in_period",
    numerator="Assessments authorised in the period within 45 working days of the assessment's start",
    denominator="Assessments authorised in the period",
    definition=(
        "DfE: child and family assessments completed (authorised by a manager) in the year with a duration of "
        "45 working days or less, as a percentage of assessments authorised in the year. Assessments not yet "
        "authorised are not counted. DfE has not said whether the duration runs from the referral or from the "
        "assessment's start (indicators.md §8). Hearth takes the assessment's actual start date, as the CIN "
        "census records it (AssessmentActualStartDate) and as each assessment's \"DfE measure\" shows it; the "
        "Working Together clock on the referral runs from the referral date. Working days exclude weekends "
        "and England and Wales bank holidays; the start day is day 0, so authorisation on the start day is 0 "
        "working days."
    ),
    lait_code="Continue_Assess_Comp",
)
def assessments_45wd(period: Period) -> Tally:
    counted = _in_census(period)
    rows = [row[:6] for row in Assessment.objects.filter(
        local_authority_id=period.local_authority.pk, status=Assessment.Status.AUTHORISED,
        authorised_on__gte=period.start, authorised_on__lte=period.end,
    ).order_by("authorised_on", "pk").values_list(
        "pk", "child_id", "started_on", "authorised_on", "episode__referral_date", "episode__team_id",
        "episode__closed_on",
    ) if counted(row[1], row[4], row[6], row[3])]
    numerator: list[Member] = []
    denominator: list[Member] = []
    if not rows:
        return Tally(numerator, denominator)
    holidays = holiday_set()
    for pk, child_id, started_on, authorised_on, referral_date, team_id in rows:
        days = working_days_between(started_on, authorised_on, holidays)
        note = plural(days, "working day")
        if referral_date != started_on:
            note += f" ({working_days_between(referral_date, authorised_on, holidays)} from the referral)"
        row = Member(key(ASSESSMENT, pk), child_id, authorised_on, team_id, note=note)
        denominator.append(row)
        if days <= ASSESSMENT_LIMIT:
            numerator.append(row)
    return with_teams(period, Tally(numerator, denominator))


# ------------------------------------------------------------------------------------------------ children in need


@indicator(
    code="cin_rate",
    title="Children in need per 10,000 children",
    group="cin",
    unit="per_10k",
    polarity="neutral",
    measured="at_end",
    numerator="Children with a referral (CIN episode) open on the period's last day",
    denominator=POPULATION,
    definition=(
        "DfE: children in need at 31 March (an open CIN episode: no closure date by the reference date) per "
        "10,000 children aged 0 to 17. It includes children on child in need plans, child protection plans "
        "and in care, and others receiving services, and unborn children. Referrals closed with no further "
        "action are closed, so never open at the end; a referral closed on the last day itself is closed. "
        "Each child counts once."
    ),
    lait_code="CIN",
)
def cin_rate(period: Period) -> Tally:
    merged = _merged(period)
    latest: dict[int, tuple[int, date, int | None]] = {}
    # Read by the (council, closed_on) index, the referrals still open and those closed after the day, rather
    # than every referral ever made before it; the referral date is compared as an expression so SQLite
    # does not choose that index instead.
    referred = Coalesce("referral_date", "referral_date")
    rows: list[tuple[int, int, date, int | None]] = []
    for still_open in (Q(closed_on__isnull=True), Q(closed_on__gt=period.end)):
        rows += CINEpisode.objects.annotate(referred=referred).filter(
            still_open, local_authority_id=period.local_authority.pk, referred__lte=period.end,
        ).order_by().values_list("pk", "child_id", "referral_date", "team_id")
    for pk, child_id, referral_date, team_id in sorted(rows, key=lambda r: (r[2], r[0])):
        if child_id not in merged:
            latest[child_id] = (pk, referral_date, team_id)  # one per child: the latest referral
    return with_teams(period, Tally([Member(key(EPISODE, pk), child_id, period.end, team_id, 1.0,
                                            f"referral {_d(referral_date)}, open {_span(referral_date, period.end)}")
                                     for child_id, (pk, referral_date, team_id) in latest.items()]))


# ------------------------------------------------------------------------------------------------ child protection


_S47_OUTCOME = {True: "initial conference needed", False: "no initial conference needed", None: "enquiry ongoing"}


def _enquiries(period: Period) -> list[Member]:
    counted = _in_census(period)
    rows: list[Member] = []
    for pk, child_id, started_on, completed_on, icpc_required, team_id, referred, closed in (
            Section47Enquiry.objects.filter(local_authority_id=period.local_authority.pk,
                                            started_on__gte=period.start, started_on__lte=period.end)
            .order_by("started_on", "pk")
            .values_list("pk", "child_id", "started_on", "completed_on", "icpc_required", "episode__team_id",
                         "episode__referral_date", "episode__closed_on")):
        if not counted(child_id, referred, closed, started_on):
            continue
        outcome = _S47_OUTCOME[icpc_required if completed_on is not None and completed_on <= period.end else None]
        rows.append(Member(key(ENQUIRY, pk), child_id, started_on, team_id, note=outcome))
    return rows


@indicator(
    code="s47_rate",
    title="Section 47 enquiries per 10,000 children",
    group="cin",
    unit="per_10k",
    polarity="neutral",
    measured="in_period",
    numerator="Section 47 enquiries started in the period",
    denominator=POPULATION,
    definition=(
        "DfE: section 47 enquiries started in the year (CIN census S47ActualStartDate) per 10,000 children aged "
        "0 to 17. Counts enquiries, so a child with two counts twice."
    ),
    lait_code="Section_47",
)
def s47_rate(period: Period) -> Tally:
    return with_teams(period, Tally(_enquiries(period)))


class _Icpc(NamedTuple):
    member: Member
    enquiry_started: date | None  # None: a transfer-in conference, or one that followed no enquiry


def _initial_conferences(period: Period) -> list[_Icpc]:
    """Initial conferences held in the period, as the census records them (rule 2884): each enquiry's first
    initial conference, and each referral's one conference that followed no enquiry (a transfer in)."""
    counted = _in_census(period)
    first_for_enquiry: set[int] = set()
    by_enquiry: list[_Icpc] = []
    unattached: dict[int, list[tuple[int, int, date, int | None, str]]] = defaultdict(list)
    for pk, child_id, episode_id, kind, enquiry_id, enquiry_started, held_on, team_id, referred, closed in (
            ChildProtectionConference.objects.filter(local_authority_id=period.local_authority.pk,
                                                     kind__in=[_Kind.INITIAL, _Kind.TRANSFER_IN],
                                                     held_on__lte=period.end)
            .order_by("held_on", "pk")
            .values_list("pk", "child_id", "episode_id", "kind", "section47_id", "section47__started_on", "held_on",
                         "episode__team_id", "episode__referral_date", "episode__closed_on")):
        if kind == _Kind.INITIAL and enquiry_id is not None:
            if enquiry_id in first_for_enquiry:
                continue  # a reconvened conference: the enquiry's initial conference is its first
            first_for_enquiry.add(enquiry_id)
            if held_on >= period.start and counted(child_id, referred, closed, held_on):
                note = f"enquiry started {_d(enquiry_started)}"
                by_enquiry.append(_Icpc(Member(key(CONFERENCE, pk), child_id, held_on, team_id, note=note),
                                        enquiry_started))
        elif held_on >= period.start and counted(child_id, referred, closed, held_on):
            unattached[episode_id].append((pk, child_id, held_on, team_id, kind))

    # A referral holds one conference that followed no enquiry (its DateOfInitialCPC): when there are two in
    # the year, the census keeps the latest that started a plan, else the latest.
    crowded = [episode for episode, found in unattached.items() if len(found) > 1]
    plan_starts: dict[int, set[date]] = defaultdict(set)
    if crowded:
        for episode_id, started_on in ChildProtectionPlan.objects.filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=period.start), episode_id__in=crowded,
                started_on__lte=period.end).values_list("episode_id", "started_on"):
            plan_starts[episode_id].add(started_on)
    others: list[_Icpc] = []
    for episode_id, found in unattached.items():
        pk, child_id, held_on, team_id, kind = next(
            (c for c in reversed(found) if c[2] in plan_starts[episode_id]), found[-1])
        note = "transfer-in conference" if kind == _Kind.TRANSFER_IN else "initial conference with no enquiry recorded"
        others.append(_Icpc(Member(key(CONFERENCE, pk), child_id, held_on, team_id, note=note), None))
    return sorted(by_enquiry + others, key=lambda c: (c.member.on, c.member.key))


@indicator(
    code="icpc_rate",
    title="Initial child protection conferences per 10,000 children",
    group="cin",
    unit="per_10k",
    polarity="neutral",
    measured="in_period",
    numerator="Initial child protection conferences held in the period, including transfer-in conferences",
    denominator=POPULATION,
    definition=(
        "DfE: initial child protection conferences held in the year, including transfer-in conferences for "
        "children who moved here on another council's plan, per 10,000 children aged 0 to 17. As the census "
        "records them, an enquiry's initial conference is its first (a reconvened conference is not another "
        "one), and a referral's transfer-in conference is counted once."
    ),
    lait_code="ISCP_Conf",
)
def icpc_rate(period: Period) -> Tally:
    return with_teams(period, Tally([c.member for c in _initial_conferences(period)]))


@indicator(
    code="icpc_15wd",
    title="Initial conferences within 15 working days of the enquiry",
    group="cin",
    unit="percent",
    polarity="high",
    measured="in_period",
    numerator="Initial conferences in the period held within 15 working days of the section 47 enquiry's start",
    denominator="Initial conferences in the period that followed a section 47 enquiry (held on or after its start)",
    definition=(
        "DfE (LAIT CP_conf_15days, from the CIN census): initial conferences in the year held within 15 working "
        "days of the section 47 enquiry's actual start, as a percentage of initial conferences in the year "
        "with a valid duration. DfE counts from the enquiry's start, not from the strategy discussion that "
        "Working Together's 15-day clock uses (the census holds no strategy-discussion date; see "
        "timescales.md §3); the clock on each enquiry still shows the Working Together measure. Conferences "
        "dated before their enquiry started have no valid duration and are left out. Transfer-in "
        "conferences follow no enquiry here, so they have no duration and are left out too, though "
        "they count in the conference rate. The start day is day 0."
    ),
    lait_code="CP_conf_15days",
)
def icpc_15wd(period: Period) -> Tally:
    holidays = holiday_set()
    numerator: list[Member] = []
    denominator: list[Member] = []
    for conference, started in _initial_conferences(period):
        if started is None or conference.on < started:
            continue
        days = working_days_between(started, conference.on, holidays)
        row = replace(conference, note=f"{plural(days, 'working day')} from the enquiry's start ({_d(started)})")
        denominator.append(row)
        if days <= ICPC_LIMIT:
            numerator.append(row)
    return with_teams(period, Tally(numerator, denominator))


@indicator(
    code="s47_to_icpc",
    title="Initial conferences as a share of section 47 enquiries",
    group="cin",
    unit="percent",
    polarity="neutral",
    measured="in_period",
    numerator="Initial child protection conferences held in the period, including transfer-in conferences",
    denominator="Section 47 enquiries started in the period",
    definition=(
        "Derived, as DfE's dashboards derive it: initial conferences in the year divided by section 47 "
        "enquiries started in the year (the counts behind the conference and enquiry rates). It compares two "
        "counts of the same year rather than following each enquiry, so a conference for an enquiry started "
        "the year before counts, and the figure can in principle pass 100%. No LAIT code."
    ),
)
def s47_to_icpc(period: Period) -> Tally:
    return with_teams(period, Tally([c.member for c in _initial_conferences(period)], _enquiries(period)))


class _Plan(NamedTuple):
    pk: int
    child_id: int
    started_on: date
    ended_on: date | None
    previous_plans: int
    team_id: int | None
    counted: bool  # in the period's census (its referral open at some time in the period, not merged)


def _plans(period: Period, query: Q) -> list[_Plan]:
    merged = _merged(period)
    counted = _in_census(period, merged)
    rows = (ChildProtectionPlan.objects.filter(query, local_authority_id=period.local_authority.pk)
            .order_by("started_on", "pk")
            .values_list("pk", "child_id", "started_on", "ended_on", "previous_plans", "episode__team_id",
                         "episode__referral_date", "episode__closed_on"))
    return [_Plan(pk, child_id, started_on, ended_on, previous, team_id,
                  counted(child_id, referred, closed, started_on))
            for pk, child_id, started_on, ended_on, previous, team_id, referred, closed in rows
            if child_id not in merged]


def _open_at_end(period: Period) -> list[_Plan]:
    """Plans running on the period's last day: started by it and not ended on or before it."""
    query = Q(started_on__lte=period.end) & (Q(ended_on__isnull=True) | Q(ended_on__gt=period.end))
    return [plan for plan in _plans(period, query) if plan.counted]


@indicator(
    code="cpp_rate",
    title="Child protection plans per 10,000 children",
    group="cin",
    unit="per_10k",
    polarity="neutral",
    measured="at_end",
    numerator="Children on a child protection plan on the period's last day",
    denominator=POPULATION,
    definition=(
        "DfE: children who were the subject of a child protection plan at 31 March per 10,000 children aged 0 "
        "to 17, unborn children included. A plan that ended on the last day itself has ended (the census gives "
        "it that end date). Each child counts once."
    ),
    lait_code="CPP_rate",
)
def cpp_rate(period: Period) -> Tally:
    by_child = {p.child_id: p for p in _open_at_end(period)}  # one open plan per child; the latest if two
    return with_teams(period, Tally([Member(key(PLAN, p.pk), p.child_id, period.end, p.team_id,
                                            note=f"plan from {_d(p.started_on)}, {_span(p.started_on, period.end)}")
                                     for p in by_child.values()]))


@indicator(
    code="cpp_second",
    title="Child protection plans that are a second or later plan",
    group="cin",
    unit="percent",
    polarity="low",
    measured="in_period",
    numerator="Plans starting in the period for a child who had been on a child protection plan before",
    denominator="Child protection plans starting in the period",
    definition=(
        "DfE (table D3): child protection plans starting in the year where the child had previously been the "
        "subject of a plan, however long ago, as a percentage of plans starting in the year. Counts plans, so "
        "a child can count twice. DfE has not confirmed whether a plan in another council counts (indicators.md "
        "§8). Hearth counts a plan as second or later when the child has an earlier plan in Hearth's record or "
        "the plan records earlier plans (the census's NumberOfPreviousCPP: plans before Hearth's records began, "
        "and the other council's plan a child moved here on, which Hearth records at a transfer-in conference). "
        "Plans elsewhere that nobody recorded cannot be counted."
    ),
    lait_code="PrevRegCPR",
)
def cpp_second(period: Period) -> Tally:
    history = _plans(period, Q(started_on__lte=period.end))
    earlier: dict[int, list[_Plan]] = defaultdict(list)
    numerator: list[Member] = []
    denominator: list[Member] = []
    for plan in history:  # oldest first, so ``earlier`` holds the child's plans before this one
        before = earlier[plan.child_id]
        if plan.started_on >= period.start and plan.counted:
            row = Member(key(PLAN, plan.pk), plan.child_id, plan.started_on, plan.team_id)
            denominator.append(row)
            ordinal = max(len(before), plan.previous_plans) + 1
            if ordinal > 1:
                if before:
                    last = before[-1]
                    what = (f"previous ended {last.ended_on.year}" if last.ended_on is not None
                            else f"previous started {last.started_on.year}")
                else:
                    what = ("previous recorded on the plan: before Hearth's records or in another council")
                numerator.append(replace(row, note=f"plan {ordinal} ({what})"))
        before.append(plan)
    return with_teams(period, Tally(numerator, denominator))


@indicator(
    code="cpp_ended_2yrs",
    title="Child protection plans ending after two years or more",
    group="cin",
    unit="percent",
    polarity="low",
    measured="in_period",
    numerator="Plans ending in the period that had lasted two years or more",
    denominator="Child protection plans ending in the period",
    definition=(
        "DfE (LAIT CPPlans2yrs): child protection plans ending in the year that lasted two years or more, as a "
        "percentage of plans ending in the year. Two years is more than 729 calendar days counting both the "
        "start day and the day it ended: (end - start + 1) > 729."
    ),
    lait_code="CPPlans2yrs",
)
def cpp_ended_2yrs(period: Period) -> Tally:
    numerator: list[Member] = []
    denominator: list[Member] = []
    for plan in _plans(period, Q(ended_on__gte=period.start, ended_on__lte=period.end)):
        if not plan.counted or plan.ended_on is None:
            continue
        row = Member(key(PLAN, plan.pk), plan.child_id, plan.ended_on, plan.team_id,
                     note=f"lasted {_days(plan.started_on, plan.ended_on)} days "
                          f"({_span(plan.started_on, plan.ended_on)})")
        denominator.append(row)
        if _days(plan.started_on, plan.ended_on) > TWO_YEARS_DAYS:
            numerator.append(row)
    return with_teams(period, Tally(numerator, denominator))


@indicator(
    code="cpp_open_2yrs",
    title="Child protection plans open for two years or more",
    group="cin",
    unit="percent",
    polarity="low",
    measured="at_end",
    numerator="Plans open on the period's last day that had run for two years or more by then",
    denominator="Child protection plans open on the period's last day",
    definition=(
        "DfE (EES table D5; LAIT CPPlans2yrsActive): child protection plans open at 31 March that had lasted two "
        "years or more, as a percentage of plans open at 31 March. Hearth measures an open plan the way DfE "
        "measures an ending one, with the last day in place of the end: more than 729 calendar days counting "
        "the start day and the last day. So a plan counts here exactly when it would have counted as a "
        "two-year plan had it ended that day (a plan from 1 April 2024 is two years old on 31 March 2026)."
    ),
    lait_code="CPPlans2yrsActive",
)
def cpp_open_2yrs(period: Period) -> Tally:
    numerator: list[Member] = []
    denominator: list[Member] = []
    for plan in _open_at_end(period):
        row = Member(key(PLAN, plan.pk), plan.child_id, period.end, plan.team_id,
                     note=f"open {_days(plan.started_on, period.end)} days "
                          f"({_span(plan.started_on, period.end)}), from {_d(plan.started_on)}")
        denominator.append(row)
        if _days(plan.started_on, period.end) > TWO_YEARS_DAYS:
            numerator.append(row)
    return with_teams(period, Tally(numerator, denominator))
