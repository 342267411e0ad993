"""The synthetic council's performance data: population estimates, targets, two years of frozen month ends,
and a little late recording so a board sees "as reported" and "now" differ, record by record.

Run inside ``build_council``'s transaction once the casework and care are built:

1. ChildPopulation for the last six mid-years: DfE's published figures for the council's LA number where
   the benchmarks module has them, else the council's own figure with a small drift year on year.
2. The 24 month ends before today frozen (``snapshot_freeze``), as the monthly job would have done.
3. A target for every indicator with a published comparator and a direction (higher or lower is better):
   halfway from the council's latest figure towards the better of England's and its statistical
   neighbours' median, or holding the figure where it is already better; a rationale in words.
4. Late recording, after the freeze, through the services and audited saves a worker or manager would
   use, dated in the last frozen month: assessments finished and authorised in that month but written up
   now (and the referral closed), a referral received then but recorded now, and a referral date corrected
   into the next month. (A child protection plan's end recorded late does not fit the demo: its plans all
   have visits in the month since, which the services rightly refuse to end a plan before.)

Deterministic for a seed (its own random stream; candidates in primary-key order).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.clocks.working_days import LONDON
from hearth.indicators.benchmarks import benchmark, published_populations
from hearth.indicators.charts import format_value
from hearth.indicators.models import ChildPopulation, IndicatorSnapshot
from hearth.indicators.registry import Indicator, indicators, last_month_end, month_ends
from hearth.indicators.services import snapshot_freeze, target_set

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority

SEEDER = "seed_demo"
POPULATION_YEARS = 6
LATE = {"small": 1, "medium": 3, "large": 4}  # records of each kind recorded late


def seed_indicators(*, la: LocalAuthority, seed: int, today: date, size: str, months: int = 24) -> int:
    """Everything above for one council; returns the rows written (populations, snapshots, targets and
    the records changed late). Freezing is most of the time (each month computes every indicator):
    ``months`` fewer than 24 leaves the older trend points to be computed live."""
    rng = random.Random(f"hearth-demo-indicators-{seed}")
    rows = _populations(la, rng, today)
    if months <= 0:
        return rows
    ends = month_ends(last_month_end(today), months)
    for month in ends:
        rows += snapshot_freeze(local_authority=la, month_end=month, by=SEEDER, on=today).created
    rows += _targets(la, ends[-1])
    rows += _late_recording(la, rng, today, ends[-1], per_kind=LATE.get(size, 1))
    return rows


# Population ------------------------------------------------------------------------------------------------

def _populations(la: LocalAuthority, rng: random.Random, today: date) -> int:
    # ONS publishes mid-year Y around July of Y+1.
    latest = today.year - 1 if today.month >= 7 else today.year - 2
    years = list(range(latest - POPULATION_YEARS + 1, latest + 1))
    have = set(ChildPopulation.objects.filter(local_authority=la).values_list("mid_year", flat=True))
    published = {year: n for year, n in published_populations(la_code=la.dfe_la_number).items() if n}
    drifted: dict[int, int] = {}
    figure = la.population_0_17 or 60_000
    for year in reversed(years):  # back from the council's own figure, a year at a time
        drifted[year] = figure
        figure = round(figure / (1 + rng.uniform(-0.004, 0.009)))
    if published:  # a year ONS has not published yet carries the last published figure forward
        figure = published[max(published)]
        for year in range(max(published) + 1, latest + 1):
            figure = drifted[year] = round(figure * (1 + rng.uniform(-0.004, 0.009)))
    rows = [
        ChildPopulation(local_authority=la, mid_year=year, population=published.get(year, drifted[year]),
                        source=("ONS mid-year estimate as published by DfE" if year in published else
                                "Synthetic demo figure: the council's population with a small yearly drift"))
        for year in years if year not in have
    ]
    ChildPopulation.objects.bulk_create(rows)
    return len(rows)


# Targets ---------------------------------------------------------------------------------------------------

def _shown(ind: Indicator, value: float) -> str:
    """The figure for a rationale, without trailing zeros: "85%", "21.4 per 10,000"."""
    places = ind.decimals
    while places and round(value, places) == round(value, places - 1):
        places -= 1
    return format_value(value, ind.unit, places)


def _rounded(ind: Indicator, value: float) -> float:
    if ind.unit == "average" or (ind.unit in ("percent", "per_10k") and abs(value) < 10):
        return round(value, 1)
    return float(round(value))


def _targets(la: LocalAuthority, month: date) -> int:
    latest = dict(IndicatorSnapshot.objects.filter(local_authority=la, month_end=month)
                  .values_list("indicator", "value"))
    written = 0
    for ind in indicators():
        if ind.unavailable or ind.polarity == "neutral":
            continue
        found = benchmark(local_authority=la, code=ind.code)
        if found is None:
            continue
        england = found.england.value if found.england is not None else None
        median = found.sn_median
        published = [v for v in (england, median) if v is not None]
        if not published:
            continue
        best = max(published) if ind.polarity == "high" else min(published)
        against = " and ".join(
            part for part in (f"England ({_shown(ind, england)})" if england is not None else "",
                              f"our statistical neighbours' median ({_shown(ind, median)})"
                              if median is not None else "") if part)
        current = latest.get(ind.code)
        better = (lambda a, b: a >= b) if ind.polarity == "high" else (lambda a, b: a <= b)
        if current is None:
            value = _rounded(ind, best)
            rationale = (f"Set at the better of {against}, {found.year} published figures: Hearth has no "
                         f"figure of our own for this yet.")
        elif better(current, best):
            value = _rounded(ind, current)
            rationale = (f"Our figure for the year to {month:%B %Y} ({_shown(ind, current)}) is already better "
                         f"than {against}; the target is to hold it.")
        else:
            value = _rounded(ind, current + (best - current) / 2)
            rationale = (f"Halfway from our figure for the year to {month:%B %Y} ({_shown(ind, current)}) to the "
                         f"better of {against}, {found.year} published figures: a step we can make in a year.")
        if ind.unit == "percent":
            value = min(max(value, 0.0), 100.0)
        target_set(local_authority=la, indicator=ind, value=max(value, 0.0), rationale=rationale, by=SEEDER)
        written += 1
    return written


# Late recording --------------------------------------------------------------------------------------------

def _managers(la: LocalAuthority) -> list[User]:
    from hearth.accounts.models import User
    from hearth.accounts.roles import Role

    return list(User.objects.filter(local_authority=la, role=Role.TEAM_MANAGER, is_active=True).order_by("pk"))


def _try(action: Callable[[], Any]) -> bool:
    """Run one late change in its own savepoint; a candidate the services refuse is skipped."""
    try:
        with transaction.atomic():
            action()
    except (ValidationError, PermissionDenied):
        return False
    return True


def _late_recording(la: LocalAuthority, rng: random.Random, today: date, month: date, *, per_kind: int) -> int:
    managers = _managers(la)
    if not managers:
        return 0
    first = month.replace(day=1)
    changed = 0
    changed += _late_assessments(la, rng, first, month, managers, per_kind)
    changed += _late_referrals(la, rng, first, month, per_kind)
    changed += _corrected_referral_dates(la, rng, month, today, managers, per_kind)
    return changed


def _day_in(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _late_assessments(la: LocalAuthority, rng: random.Random, first: date, month: date, managers: list[User],
                      wanted: int) -> int:
    """Assessments finished and authorised in the month, written up only now."""
    from hearth.cin.codes import ClosureReason
    from hearth.cin.models import Assessment
    from hearth.cin.services import (
        NO_FACTORS,
        assessment_authorise,
        assessment_child_seen_record,
        assessment_conclusion_record,
        assessment_section_save,
        assessment_submit,
        episode_close,
    )

    candidates = list(Assessment.objects.filter(
        local_authority=la, status=Assessment.Status.IN_PROGRESS, started_on__lte=month - timedelta(days=14),
        started_on__gte=first - timedelta(days=60)).select_related("episode", "worker").order_by("pk"))
    rng.shuffle(candidates)
    done = 0
    for assessment in candidates[:wanted * 4]:
        if done >= wanted:
            break
        earliest = max(first, assessment.started_on + timedelta(days=7), assessment.episode.referral_date)
        if assessment.child_seen_on is not None:
            earliest = max(earliest, assessment.child_seen_on)
        if earliest > month - timedelta(days=2):
            continue
        submitted = _day_in(rng, earliest, month - timedelta(days=2))
        authorised = _day_in(rng, submitted, month)
        worker: Any = assessment.worker or SEEDER
        manager = next((m for m in managers if m.pk != getattr(worker, "pk", None)), None)
        if manager is None:
            continue

        def finish(a: Any = assessment, w: Any = worker, mgr: Any = manager, sub: date = submitted,
                   auth: date = authorised) -> None:
            if a.child_seen_on is None:
                assessment_child_seen_record(assessment=a, seen_on=max(a.started_on, a.episode.referral_date),
                                             seen_alone=True, by=w)
            for section, text in (("analysis", "Needs are met at home; no further involvement is needed."),
                                  ("recommendation", "Close with advice to the family and the school.")):
                if not getattr(a, section).strip():
                    assessment_section_save(assessment=a, section=section, text=text, by=w)
            assessment_conclusion_record(assessment=a, factors=[NO_FACTORS], outcome=Assessment.Outcome
                                         .NO_FURTHER_ACTION, by=w)
            assessment_submit(assessment=a, submitted_on=sub, by=w)
            assessment_authorise(assessment=a, authorised_on=auth, by=mgr,
                                 rationale="Discussed and agreed in supervision; written up after the month end.",
                                 late_reason="Authorised at the time in supervision; recorded late.")
            # Closing the referral too is best effort: other open work keeps it open.
            _try(lambda: episode_close(episode=a.episode, closed_on=auth,
                                       reason=ClosureReason.NFA_AFTER_ASSESSMENT, by=mgr))

        if _try(finish):
            done += 1
    return done


def _late_referrals(la: LocalAuthority, rng: random.Random, first: date, month: date, wanted: int) -> int:
    """Referrals received in the month but recorded only now (a re-referral for a child known before)."""
    from hearth.accounts.models import Team, User
    from hearth.accounts.roles import Role
    from hearth.cin.codes import ReferralSource
    from hearth.cin.models import CINEpisode
    from hearth.front_door.models import Contact
    from hearth.front_door.services import contact_decide, contact_receive
    from hearth.people.models import Person

    front_door = (User.objects.filter(local_authority=la, team__kind=Team.Kind.FRONT_DOOR, is_active=True,
                                      role=Role.SOCIAL_WORKER).order_by("pk").first())
    manager = (User.objects.filter(local_authority=la, team__kind=Team.Kind.FRONT_DOOR, is_active=True,
                                   role=Role.TEAM_MANAGER).order_by("pk").first())
    if front_door is None or manager is None:
        return 0
    open_children = set(CINEpisode.objects.filter(local_authority=la, closed_on__isnull=True)
                        .values_list("child_id", flat=True))
    closed = (CINEpisode.objects.filter(local_authority=la, closed_on__lt=first - timedelta(days=30),
                                        child__date_of_birth__gt=month.replace(year=month.year - 16))
              .order_by("child_id", "-closed_on").values_list("child_id", "closed_on"))
    latest: dict[int, date] = {}
    for child_id, closed_on in closed:
        latest.setdefault(child_id, closed_on)
    later = set(CINEpisode.objects.filter(local_authority=la, referral_date__gte=first - timedelta(days=30))
                .values_list("child_id", flat=True))
    children = sorted(c for c in latest if c not in open_children and c not in later)
    rng.shuffle(children)
    done = 0
    for child in Person.objects.filter(pk__in=children[:wanted * 3]).order_by("pk"):
        if done >= wanted:
            break
        referral_date = _day_in(rng, first, month)
        source = rng.choice([ReferralSource.POLICE, ReferralSource.SCHOOLS, ReferralSource.GP])

        def refer(c: Any = child, d: date = referral_date, s: str = source) -> None:
            # Through the front door, as every referral comes: the contact as it arrived that day, decided now.
            contact = contact_receive(
                local_authority=la, received_at=datetime.combine(d, time(10), tzinfo=LONDON), channel="phone",
                source=s, concerns="Concerns about the child's care at home, raised again.",
                consent=Contact.Consent.GIVEN, child=c, by=front_door)
            contact_decide(contact=contact, decision=Contact.Decision.REFERRAL, team=front_door.team, by=manager,
                           rationale="Known to us before; the concerns now meet the threshold for an assessment.")

        if _try(refer):
            done += 1
    return done


def _corrected_referral_dates(la: LocalAuthority, rng: random.Random, month: date, today: date,
                              managers: list[User], wanted: int) -> int:
    """Referrals keyed with a date at the end of the month that was really in the next, corrected now (only
    where nothing in the referral happened before the right date)."""
    from django.db.models import Min

    from hearth.cin.models import CINEpisode

    latest_day = min(today - timedelta(days=1), month + timedelta(days=4))
    if latest_day <= month:
        return 0
    episodes = list(CINEpisode.objects.filter(
        local_authority=la, closed_on__isnull=True, referral_date__gt=month - timedelta(days=10),
        referral_date__lte=month, cp_plans__isnull=True, s47_enquiries__isnull=True,
        strategy_discussions__isnull=True, cp_conferences__isnull=True,
    ).annotate(assessed=Min("assessments__started_on"), seen=Min("assessments__child_seen_on"))
        .select_related("contact").order_by("pk"))
    rng.shuffle(episodes)
    done = 0
    for episode in episodes:
        if done >= wanted:
            break
        last_day = min(d for d in (latest_day, episode.assessed, episode.seen) if d is not None)
        if last_day <= month:
            continue
        corrected = _day_in(rng, month + timedelta(days=1), last_day)
        received = episode.contact.received_at if episode.contact is not None else None
        if received is not None and timezone.localtime(received).date() > corrected:
            continue
        manager = managers[rng.randrange(len(managers))]

        def correct(e: Any = episode, d: date = corrected, m: Any = manager) -> None:
            e.referral_date = d
            e.full_clean()
            e.save(by=m)

        if _try(correct):
            done += 1
    return done
