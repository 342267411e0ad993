"""Themes a round can sample: children the live record says share a known risk to practice.

Each theme is a function from a council and a day to the set of children (Person pks) it matches that
day, computed from the record as it stands, in a fixed number of queries. A themed round draws from
the open cases these children are among; the round keeps the theme's code and its words, so a board
reading it later sees exactly what was asked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from hearth.clocks.working_days import LONDON

MISSING_TIMES = 3
PLACEMENTS = 3
LONG_PLAN_MONTHS = 18
ASSESSMENT_WORKING_DAYS = 45


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    description: str  # the rule in words, as a board reads it on the round
    children: Callable[[int, date], set[int]]


def _year_before(on: date) -> date:
    """The first day of the twelve months ending ``on``."""
    return on - relativedelta(years=1) + timedelta(days=1)


def second_cp_plan(la_id: int, on: date) -> set[int]:
    from hearth.protection.models import ChildProtectionPlan

    open_plans = ChildProtectionPlan.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on), local_authority_id=la_id, started_on__lte=on)
    flagged = set(open_plans.filter(previous_plans__gt=0).values_list("child_id", flat=True))
    # A plan Hearth itself holds before this one makes it a repeat plan even when the count was not keyed.
    earlier = ChildProtectionPlan.objects.filter(local_authority_id=la_id, ended_on__lt=on)
    repeat = set(open_plans.filter(child_id__in=earlier.values("child_id")).values_list("child_id", flat=True))
    return flagged | repeat


def missing_three_times(la_id: int, on: date) -> set[int]:
    from hearth.missing.models import MissingEpisode

    start = datetime.combine(_year_before(on), time.min, tzinfo=LONDON)
    end = datetime.combine(on + timedelta(days=1), time.min, tzinfo=LONDON)
    counts = Counter(MissingEpisode.objects.filter(local_authority_id=la_id, started_at__gte=start,
                                                   started_at__lt=end).values_list("child_id", flat=True))
    return {child for child, n in counts.items() if n >= MISSING_TIMES}


def assessment_over_45(la_id: int, on: date) -> set[int]:
    from hearth.cin.models import Assessment
    from hearth.clocks.models import holiday_set
    from hearth.clocks.working_days import add_working_days

    holidays = holiday_set()
    rows = (Assessment.objects.filter(Q(authorised_on__isnull=True) | Q(authorised_on__gt=on),
                                      local_authority_id=la_id, started_on__lte=on)
            .values_list("child_id", "episode__referral_date"))
    return {child for child, referred in rows
            if add_working_days(referred, ASSESSMENT_WORKING_DAYS, holidays) < on}


def three_placements(la_id: int, on: date) -> set[int]:
    from collections import defaultdict

    from hearth.care.models import PeriodOfCare, Placement
    from hearth.care.selectors import placements_in_year

    looked_after = PeriodOfCare.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on),
                                               local_authority_id=la_id, started_on__lte=on)
    homes: dict[int, list[Placement]] = defaultdict(list)
    for home in (Placement.objects.filter(local_authority_id=la_id, child_id__in=looked_after.values("child_id"),
                                          started_on__lte=on).order_by("started_on", "pk")):
        homes[home.child_id].append(home)
    # Counted as the children-in-care pages and DfE count them (hearth.care.selectors).
    return {child for child, stays in homes.items() if placements_in_year(stays, on) >= PLACEMENTS}


def long_cp_plan(la_id: int, on: date) -> set[int]:
    from hearth.protection.models import ChildProtectionPlan

    cutoff = on - relativedelta(months=LONG_PLAN_MONTHS)
    return set(ChildProtectionPlan.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on), local_authority_id=la_id, started_on__lte=cutoff,
    ).values_list("child_id", flat=True))


THEMES: dict[str, Theme] = {
    t.code: t
    for t in [
        Theme("second_cp_plan", "Children on a second or subsequent child protection plan",
              "Children on a child protection plan on the day the sample was drawn who had a plan before "
              "(recorded as a repeat plan, or an earlier plan ended in Hearth).", second_cp_plan),
        Theme("missing_3plus", f"Children missing {MISSING_TIMES} or more times in the last 12 months",
              f"Children with {MISSING_TIMES} or more missing or absent episodes starting in the 12 months up to "
              "the day the sample was drawn.", missing_three_times),
        Theme("assessment_over_45", "Assessments open beyond 45 working days",
              "Children whose assessment was still not authorised on the day the sample was drawn, more than "
              "45 working days after their referral.", assessment_over_45),
        Theme("placements_3plus", f"Children in care with {PLACEMENTS} or more placements in 12 months",
              f"Children looked after on the day the sample was drawn who had lived in {PLACEMENTS} or more "
              "placements in the 12 months up to it, counted as DfE counts placement stability.",
              three_placements),
        Theme("cp_plan_18_months", f"Child protection plans open {LONG_PLAN_MONTHS} months or more",
              f"Children whose child protection plan had lasted {LONG_PLAN_MONTHS} months or more on the day the "
              "sample was drawn (drift).", long_cp_plan),
    ]
}


def theme_children(code: str, *, local_authority_id: int, on: date | None = None) -> set[int]:
    theme = THEMES[code]
    return theme.children(local_authority_id, on or timezone.localdate())
