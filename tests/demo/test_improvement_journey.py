"""The synthetic council's practice improves: worse four years ago (the inadequate inspection), better now.

One curve (``practice_quality``) moves every timeliness draw, so a council's records show the journey:
assessments and conferences more often in time, fewer re-referrals, more return home interviews offered
within 72 hours. The council is built with more children than a test council usually has, so that a year
holds a few hundred assessments, and without audits, supervision or frozen months. Conferences are too few
in a council this size to compare years; the medium council's trend shows them (see the report in the
module docstring of ``hearth.demo.casework``)."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.cin.models import Assessment, CINEpisode
from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import LONDON, working_days_between
from hearth.demo.casework import QUALITY_CEILING, QUALITY_FLOOR, by_quality, practice_quality
from hearth.demo.council import build_council
from hearth.missing.models import ReturnInterview

TODAY = date(2026, 11, 23)


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=date(2018, 1, 1), max_value=TODAY), st.dates(min_value=date(2018, 1, 1), max_value=TODAY))
def test_practice_only_gets_better_and_stays_between_its_floor_and_ceiling(a, b):
    earlier, later = sorted((a, b))
    assert QUALITY_FLOOR <= practice_quality(earlier, today=TODAY) <= practice_quality(later, today=TODAY) \
        <= QUALITY_CEILING


def test_the_curve_runs_from_the_inadequate_inspection_to_now():
    four_years_ago = practice_quality(TODAY - relativedelta(years=4), today=TODAY)
    two_years_ago = practice_quality(TODAY - relativedelta(years=2), today=TODAY)
    now = practice_quality(TODAY, today=TODAY)
    assert 0.53 <= four_years_ago <= 0.57
    assert four_years_ago < two_years_ago - 0.05 < now - 0.2
    assert 0.88 <= now <= 0.92
    # It follows the council's today, not the calendar.
    assert practice_quality(TODAY + relativedelta(years=3), today=TODAY + relativedelta(years=3)) == now
    # Chances move from their poorest to their best with it.
    assert by_quality(QUALITY_FLOOR, (0.2, 0.8)) == 0.2
    assert abs(by_quality(QUALITY_CEILING, (0.2, 0.8)) - 0.8) < 1e-9
    assert by_quality(now, (0.6, 0.1)) < by_quality(four_years_ago, (0.6, 0.1))


def _then_and_now(rows: list[tuple[date, bool]], *, today: date, recent_years: int = 1) -> tuple[float, float]:
    """The share of ``rows`` (day, yes or no) that are yes: before three years ago (around the inspection),
    and in the last ``recent_years``."""
    early_end, recent_start = today - relativedelta(years=3), today - relativedelta(years=recent_years)
    then = [ok for day, ok in rows if day < early_end]
    now = [ok for day, ok in rows if day > recent_start]
    assert len(then) >= 20 and len(now) >= 20, (len(then), len(now))
    return sum(then) / len(then), sum(now) / len(now)


def _journey(today: date) -> dict[str, tuple[float, float]]:
    """Then and now for each measure the journey moves, read from the council's records."""
    holidays = holiday_set()
    assessments = [(authorised, working_days_between(started, authorised, holidays) <= 45)
                   for started, authorised in Assessment.objects.filter(status="authorised")
                   .values_list("started_on", "authorised_on")]
    referrals = list(CINEpisode.objects.values_list("referral_date", "is_re_referral"))
    interviews = [((due - timedelta(hours=72)).astimezone(LONDON).date(),
                   (offered is not None and offered <= due) or (held is not None and held <= due))
                  for due, offered, held in ReturnInterview.objects.values_list("due_at", "offered_at",
                                                                                  "completed_at")]
    return {
        "assessments_45wd": _then_and_now(assessments, today=today),
        "re_referrals_12m": _then_and_now(referrals, today=today),
        "rhi_in_time": _then_and_now(interviews, today=today, recent_years=2),
    }


def test_a_council_records_the_journey(db):
    build_council(size="small", seed=3, children_known=1800, indicator_months=0, quality=False)
    shares = _journey(timezone.localdate())
    then, now = shares["assessments_45wd"]
    assert now - then >= 0.12 and now >= 0.8, (then, now)
    then, now = shares["re_referrals_12m"]
    assert then - now >= 0.03, (then, now)
    then, now = shares["rhi_in_time"]
    assert now - then >= 0.15, (then, now)
