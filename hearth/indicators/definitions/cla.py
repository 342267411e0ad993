"""Children looked after and care leavers (indicators.md §4), from the same derivations as the SSDA903 return.

Each figure is read from what the 903 return is built from, so that for a collection year (1 April to 31 March)
it says what the return says:

* the care timelines are cut into 903 episodes by ``hearth.care.episodes.derive_episodes`` (the function
  ``episodes_for_year`` and ``build_903`` use), read here as plain rows for any period, not only a
  collection year;
* placements are counted as ``hearth.care.selectors`` counts them on a child's record (``placement_stays``,
  ``long_term_stability``): temporary placements (T0 to T4) are not placements, a return from one to the
  same home is not a move, and a move to placed for adoption with the current foster carers (A3, A5) is not a
  change. The 24-hour rule: a placement counts only if it held the child for at least one night, i.e. it is
  the placement of some derived episode (one replaced the day it began, or begun on the day care ended, is
  not). Dates carry no time, so as in the 903 one night is 24 hours;
* OC2 (SDQ) and OC3 (care leavers) use the 903's own cohorts and rules (``_continuous_periods`` and
  ``sdq_expected`` of ``hearth.care_plans``; ``oc3_result`` of ``hearth.care_leavers.oc3``);
* missing episodes are ``hearth.missing.selectors.episodes_for_903``; social workers are the allocations the
  903 SWEpisodes table is built from.

"Looked after on a day" follows the 903: an episode open that day (begun on or before it, not ended on or
before it) whose legal status is not a series of short breaks (V3, V4), which DfE leaves out of every
children-looked-after count. "Looked after in the period" is any episode open at any time in it (one that
ended on the first day counts, as the 903 Episodes table includes it).

Every indicator reads a fixed number of queries as plain rows, whatever the council's size. The reads several
indicators share (a period's care timelines, each child's team, the OC3 cohort) are kept for the life of the
``Period`` object they were read for, so ``evaluate_all`` reads them once for all of a period's indicators; a
new ``Period`` reads afresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet
from django.utils import timezone

from hearth.care.codes import FOSTER_PLACEMENTS, SHORT_BREAKS, TEMPORARY_PLACEMENTS
from hearth.care.episodes import Episode, LegalStatusRow, derive_episodes
from hearth.care.episodes import Period as CarePeriodRow
from hearth.care.selectors import long_term_stability, placement_stays
from hearth.indicators.registry import Member, Period, Tally, indicator, key, plural, teams_on
from hearth.people.validators import postcode_district
from hearth.workspace.dates import age_on, birthday, long_date

POPULATION = "Children aged 0 to 17 (ONS mid-year estimate)"
THREE_OR_MORE = 3
FAR = Decimal("20")
# A postcode district is the council's own when at least this many of its children came into care from it.
HOME_DISTRICT_CHILDREN = 2
CHILDRENS_HOMES = frozenset({"K1", "K2"})  # secure children's homes and children's homes (DfE's category)
SGO_REASONS = frozenset({"E45", "E46", "E47", "E48", "E43", "E44"})  # E43/E44: the SGO codes before 2018/19
EET_SHORT = {"F1": "in higher education", "P1": "in higher education (part time)",
             "F2": "in education", "P2": "in education (part time)", "F4": "in an apprenticeship",
             "P4": "in an apprenticeship (part time)", "F5": "in training or employment",
             "P5": "in training or employment (part time)", "G4": "not in EET (illness or disability)",
             "G5": "not in EET", "G6": "not in EET (pregnancy or parenting)", "0": "activity not known"}


# ---------------------------------------------------------------------------------------------- shared reads

@dataclass(frozen=True, slots=True)
class Home:
    """A placement as read for the indicators: what ``derive_episodes`` and ``placement_stays`` read."""

    pk: int
    child_id: int
    period_id: int
    placement_type: str
    provider: str
    urn: str
    postcode: str
    distance_miles: Decimal | None
    started_on: date
    ended_on: date | None
    same_carer_as_previous: bool
    reason_for_change: str
    foster_household_id: int | None
    carer_name: str


_HOME_FIELDS = ("pk", "child_id", "period_id", "placement_type", "provider", "urn", "postcode", "distance_miles",
                "started_on", "ended_on", "same_carer_as_previous", "reason_for_change", "foster_household_id",
                "carer_name")


@dataclass
class Care:
    """The care timelines of every period of care open at any time from ``first`` to ``last``."""

    first: date
    last: date
    periods: dict[int, CarePeriodRow] = field(default_factory=dict)
    born: dict[int, date | None] = field(default_factory=dict)
    # By child: the placements that held the child at least one night (the 24-hour rule), all of each period's.
    homes: dict[int, list[Home]] = field(default_factory=dict)
    home_by_pk: dict[int, Home] = field(default_factory=dict)
    # By child: the 903 episodes open at any time from ``first`` to ``last``, oldest first.
    episodes: dict[int, list[Episode]] = field(default_factory=dict)

    def on(self, day: date) -> dict[int, Episode]:
        """Each child looked after on ``day`` (not on short breaks): the episode open that day."""
        found: dict[int, Episode] = {}
        for child_id, episodes in self.episodes.items():
            for episode in episodes:
                if episode.decom <= day and (episode.dec is None or episode.dec > day) \
                        and episode.ls not in SHORT_BREAKS:
                    found[child_id] = episode
        return found


def periods_overlapping(la_id: int, first: date, last: date) -> QuerySet[Any]:
    from hearth.care.models import PeriodOfCare

    return PeriodOfCare.objects.filter(local_authority_id=la_id, started_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first))


def read_care(la_id: int, first: date, last: date) -> Care:
    """Three queries, whatever the council's size (as ``episodes_for_year``, for any days)."""
    from hearth.care.models import CareLegalStatus, Placement

    overlapping = periods_overlapping(la_id, first, last)
    care = Care(first, last)
    for pk, child_id, started_on, ended_on, need, reason, home_post, dob in overlapping.values_list(
            "pk", "child_id", "started_on", "ended_on", "category_of_need", "reason_ceased", "home_postcode",
            "child__date_of_birth"):
        care.periods[pk] = CarePeriodRow(started_on, need, ended_on, reason, home_post, pk, child_id)
        care.born[child_id] = dob
    # Subqueries, not lists of ids: a large council's periods would pass SQLite's variable limit.
    ids = overlapping.values("pk")
    statuses: dict[int, list[LegalStatusRow]] = defaultdict(list)
    for pk, period_id, legal_status, started_on, ended_on in CareLegalStatus.objects.filter(
            local_authority_id=la_id, period_id__in=ids).values_list(
            "pk", "period_id", "legal_status", "started_on", "ended_on"):
        statuses[period_id].append(LegalStatusRow(legal_status, started_on, ended_on, pk))
    homes: dict[int, list[Home]] = defaultdict(list)
    for row in Placement.objects.filter(local_authority_id=la_id, period_id__in=ids).values_list(*_HOME_FIELDS):
        home = Home(*row)
        homes[home.period_id].append(home)
    for pk, period in sorted(care.periods.items(), key=lambda item: (item[1].started_on, item[0])):
        derived = derive_episodes(period, statuses[pk], homes[pk])
        held = {e.placement_pk for e in derived}
        kept = [h for h in homes[pk] if h.pk in held]
        care.homes.setdefault(period.child_id, []).extend(kept)
        care.home_by_pk.update((h.pk, h) for h in kept)
        in_window = [e for e in derived if e.decom <= last and (e.dec is None or e.dec >= first)]
        if in_window:
            care.episodes.setdefault(period.child_id, []).extend(in_window)
    return care


def _care(period: Period) -> Care:
    la_id = period.local_authority.pk
    return period.shared(("care", period.start, period.end), lambda: read_care(la_id, period.start, period.end))


def _looked_after_at_end(period: Period) -> dict[int, Episode]:
    return period.shared(("at_end", period.end), lambda: _care(period).on(period.end))


def _care_teams(period: Period) -> dict[int, int]:
    """The social work team of every child looked after at any time in the period, on its last day."""
    la_id = period.local_authority.pk
    children = periods_overlapping(la_id, period.start, period.end).values("child_id")
    return period.shared(("care_teams", period.start, period.end), lambda: teams_on(la_id, children, period.end))


def _period_member(care: Care, episode: Episode, teams: dict[int, int], note: str, on: date | None = None) -> Member:
    started = care.periods[episode.period_pk].started_on
    return Member(key("care.periodofcare", episode.period_pk), episode.child_pk, on or started,
                  teams.get(episode.child_pk), note=note)


def _in_care_note(care: Care, episode: Episode) -> str:
    started = care.periods[episode.period_pk].started_on
    where = f", {episode.place}" if episode.place else ""
    return f"In care since {long_date(started)} ({episode.ls or 'no legal status'}{where})"


# ---------------------------------------------------------------------------------------------- pure counting


def placements_counted(homes: Iterable[Any], first: date, last: date) -> list[list[Any]]:
    """The placements (runs of placement records that are one placement, ``placement_stays``) the child was
    in at any time from ``first`` to ``last``: begun by ``last`` and not ended before ``first`` (one that
    ended on ``first`` counts, as the 903 has its episode in the year)."""
    return [stay for stay in placement_stays(homes)
            if stay[0].started_on <= last and (stay[-1].ended_on is None or stay[-1].ended_on >= first)]


def distinct_workers(allocations: Iterable[tuple[int | None, date, date | None]], first: date, last: date) -> set[int]:
    """Named social workers allocated at any time from ``first`` to ``last``: A, then B, then A again is 2.
    A time with a team but no named worker is no social worker."""
    return {worker for worker, started, ended in allocations
            if worker is not None and started <= last and (ended is None or ended >= first)}


# ---------------------------------------------------------------------------------------------- children looked after


@indicator(
    code="cla_rate", title="Children looked after", group="cla", unit="per_10k", polarity="neutral",
    measured="at_end", lait_code="LAC", decimals=0,
    numerator="Children looked after on the last day of the period, other than under an agreed series of short "
              "breaks (legal status V3 or V4)",
    denominator=POPULATION,
    definition="Children looked after at 31 March per 10,000 children aged 0 to 17. Children looked after only "
               "under an agreed series of short breaks (V3, V4) are left out, as DfE does. Counted from the 903 "
               "episodes open on the last day of the period.",
)
def cla_rate(period: Period) -> Tally:
    care, at_end, teams = _care(period), _looked_after_at_end(period), _care_teams(period)
    return Tally([_period_member(care, e, teams, _in_care_note(care, e)) for _, e in sorted(at_end.items())])


@indicator(
    code="cla_start_rate", title="Children starting to be looked after", group="cla", unit="per_10k",
    polarity="neutral", measured="in_period", lait_code="LAC_Start_Rate", decimals=0,
    numerator="Children who started a period of care in the period (each child once), other than under a series "
              "of short breaks",
    denominator=POPULATION,
    definition="Children starting to be looked after in the year per 10,000 children aged 0 to 17: the 903 "
               "episodes with reason for new episode S that began in the year, each child counted once (their "
               "first start), leaving out periods that began on a series of short breaks (V3, V4).",
)
def cla_start_rate(period: Period) -> Tally:
    care, teams = _care(period), _care_teams(period)
    first_start: dict[int, Episode] = {}
    for child_id, episodes in care.episodes.items():
        for e in episodes:
            if e.rne == "S" and period.start <= e.decom <= period.end and e.ls not in SHORT_BREAKS and (
                    child_id not in first_start or e.decom < first_start[child_id].decom):
                first_start[child_id] = e
    return Tally([_period_member(care, e, teams, f"Started to be looked after ({e.ls or 'no legal status'})")
                  for _, e in sorted(first_start.items())])


def _placements_3plus(period: Period, cohort: dict[int, Episode], first: date, what: str) -> Tally:
    care, teams = _care(period), _care_teams(period)
    counted: list[Member] = []
    everyone: list[Member] = []
    for child_id, e in sorted(cohort.items()):
        stays = placements_counted(care.homes.get(child_id, []), first, period.end)
        member = _period_member(care, e, teams, f"{plural(len(stays), 'placement')} {what}")
        everyone.append(member)
        if len(stays) >= THREE_OR_MORE:
            counted.append(member)
    return Tally(counted, everyone)


@indicator(
    code="placements_3plus_year", title="Children looked after with 3 or more placements in the year",
    group="cla", unit="percent", polarity="low", measured="at_end", lait_code="LACStable_2016on", decimals=0,
    numerator="Of those, children who had 3 or more placements during the period",
    denominator="Children looked after on the last day of the period (not on short breaks)",
    definition="Short-term placement stability: children looked after at 31 March who had three or more "
               "placements during the year, counting the placement open on 1 April and the one open on 31 March. "
               "Only placements of 24 hours or more count (one that held the child at least one night); temporary "
               "placements (T0 to T4) and the return from one to the same home are not placements, and a move to "
               "placed for adoption with the current foster carers (A3, A5) is not a change. A change of placement "
               "with the same carers otherwise counts (903 RNE T or U), as DfE counts episodes.",
)
def placements_3plus_year(period: Period) -> Tally:
    return _placements_3plus(period, _looked_after_at_end(period), period.start, "in the period")


@indicator(
    code="placements_3plus_2yrs", title="Children looked after for 2 years with 3 or more placements in them",
    group="cla", unit="percent", polarity="low", measured="at_end", decimals=0,
    numerator="Of those, children who had 3 or more placements in the 2 years to the last day of the period",
    denominator="Children looked after on the last day of the period who had then been looked after for 2 years "
                "or more (not on short breaks)",
    definition="Children looked after at 31 March for two years or more (continuously, their period of care "
               "begun on or before the same day two years earlier) who had three or more placements in those two "
               "years, counted as for the one-year measure. Published by DfE in its stability measures, not in "
               "LAIT. The two years run to the period's last day whatever its length.",
)
def placements_3plus_2yrs(period: Period) -> Tally:
    care = _care(period)
    two_years = period.end - relativedelta(years=2)
    cohort = {child: e for child, e in _looked_after_at_end(period).items()
              if care.periods[e.period_pk].started_on <= two_years}
    return _placements_3plus(period, cohort, two_years + relativedelta(days=1), "in the 2 years")


@indicator(
    code="placement_long_term", title="Long-term placement stability", group="cla", unit="percent",
    polarity="high", measured="at_end", lait_code="LAC_LongStable%", decimals=0,
    numerator="Of those, children who had been in the same placement for 2 years or more, or were placed for "
              "adoption and the adoptive placement and the one before it together cover 2 years",
    denominator="Children looked after on the last day of the period aged under 16 who had been looked after "
                "continuously for 2½ years or more (not on short breaks)",
    definition="Children looked after at 31 March, aged under 16, looked after continuously for at least 2½ years "
               "(their period of care begun on or before the same day 30 months earlier), who had lived in the same "
               "placement for at least 2 years, or were placed for adoption where the adoptive placement and the "
               "one before it together cover 2 years. The same placement as the child's record counts it "
               "(``hearth.care.selectors.long_term_stability``): a temporary placement and the return from it to "
               "the same home do not end it, nor does a move to placed for adoption with the current foster carers "
               "(A3, A5); any other change of placement does.",
)
def placement_long_term(period: Period) -> Tally:
    care, teams = _care(period), _care_teams(period)
    stable: list[Member] = []
    cohort: list[Member] = []
    for child_id, e in sorted(_looked_after_at_end(period).items()):
        dob = care.born.get(child_id)
        if dob is None or age_on(dob, period.end) >= 16:
            continue
        result = long_term_stability(period=care.periods[e.period_pk], placements=care.homes.get(child_id, []),
                                     age=age_on(dob, period.end), on=period.end)
        if not result.eligible:
            continue
        since = result.same_placement_since
        note = f"Same placement since {long_date(since)}" if since is not None else "No placement recorded"
        member = _period_member(care, e, teams, note)
        cohort.append(member)
        if result.stable:
            stable.append(member)
    return Tally(stable, cohort)


def council_districts(la_id: int) -> set[str]:
    """The postcode districts that are the council's own, as its record shows them: those at least
    ``HOME_DISTRICT_CHILDREN`` of its children came into care from (the home postcode of a period of care).
    One query."""
    from hearth.care.models import PeriodOfCare

    children: dict[str, set[int]] = defaultdict(set)
    for child_id, postcode in (PeriodOfCare.objects.filter(local_authority_id=la_id).exclude(home_postcode="")
                               .values_list("child_id", "home_postcode")):
        children[postcode_district(postcode)].add(child_id)
    return {district for district, kids in children.items() if len(kids) >= HOME_DISTRICT_CHILDREN}


@indicator(
    code="placed_20_miles", title="Children looked after placed more than 20 miles from home, outside the council",
    group="cla", unit="percent", polarity="low", measured="at_end", lait_code="LACDistance", decimals=0,
    numerator="Of those, children whose placement on that day is more than 20 miles from the home they came into "
              "care from and outside the council's area",
    denominator="Children looked after on the last day of the period (not on short breaks)",
    definition="Children looked after at 31 March placed more than 20 miles from the home address they were first "
               "placed from and outside the council's boundary. The distance is the placement's recorded distance "
               "from home (PL_DISTANCE). Hearth holds no postcode-to-council directory (DfE's tool uses the ONS "
               "postcode directory), so a placement is outside the council when its postcode district (the first "
               "half, e.g. DE1) is not one that at least two of the council's children came into care from (the "
               "home postcodes of its periods of care). A placement with no distance or no postcode recorded is not "
               "counted as far away.",
)
def placed_20_miles(period: Period) -> Tally:
    care, teams = _care(period), _care_teams(period)
    la_id = period.local_authority.pk
    ours = period.shared("districts", lambda: council_districts(la_id))
    far: list[Member] = []
    everyone: list[Member] = []
    for _, e in sorted(_looked_after_at_end(period).items()):
        home = care.home_by_pk.get(e.placement_pk) if e.placement_pk is not None else None
        miles = home.distance_miles if home is not None else None
        outside = home is not None and bool(home.postcode) and postcode_district(home.postcode) not in ours
        if miles is None:
            note = "No distance recorded"
        elif home is None or not home.postcode:
            note = f"Placed {miles} miles away, no placement postcode recorded"
        else:
            note = f"Placed {miles} miles away, {'outside' if outside else 'inside'} the council's area"
        member = _period_member(care, e, teams, note, on=home.started_on if home is not None else None)
        everyone.append(member)
        if miles is not None and miles > FAR and outside:
            far.append(member)
    return Tally(far, everyone)


@indicator(
    code="sw_changes_3plus", title="Children looked after with 3 or more social workers in the year", group="cla",
    unit="percent", polarity="low", measured="at_end", lait_code="Stability_SocialWorker", decimals=0,
    numerator="Of those, children who had 3 or more different social workers during the period",
    denominator="Children looked after on the last day of the period (not on short breaks)",
    definition="Social worker instability: children looked after at 31 March who had three or more different "
               "social workers between 1 April and 31 March. Unique workers: A, then B, then A again is 2. Workers "
               "allocated while the child was not looked after count too (as the 903 SWEpisodes table reports "
               "them). A time allocated to a team with no named worker is not a social worker.",
)
def sw_changes_3plus(period: Period) -> Tally:
    from hearth.allocations.models import Allocation

    care, teams, at_end = _care(period), _care_teams(period), _looked_after_at_end(period)
    la_id = period.local_authority.pk
    spells: dict[int, list[tuple[int | None, date, date | None]]] = defaultdict(list)
    for child_id, worker_id, started_on, ended_on in Allocation.objects.filter(
            local_authority_id=la_id, kind=Allocation.Kind.SOCIAL_WORKER, worker__isnull=False,
            started_on__lte=period.end, child_id__in=periods_overlapping(la_id, period.end, period.end)
            .values("child_id")).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)).values_list(
            "child_id", "worker_id", "started_on", "ended_on"):
        spells[child_id].append((worker_id, started_on, ended_on))
    many: list[Member] = []
    everyone: list[Member] = []
    for child_id, e in sorted(at_end.items()):
        workers = distinct_workers(spells.get(child_id, []), period.start, period.end)
        member = _period_member(care, e, teams, f"{plural(len(workers), 'social worker')} in the period")
        everyone.append(member)
        if len(workers) >= THREE_OR_MORE:
            many.append(member)
    return Tally(many, everyone)


@indicator(
    code="school_moves", title="Children looked after with a mid-year school move", group="cla", unit="percent",
    polarity="low", measured="at_end", lait_code="Stability_School", decimals=0,
    numerator="Of those, children with at least one school move in the year outside 1 August to 30 September, "
              "after first entering care in the year",
    denominator="Children looked after on the last day of the period",
    definition="School stability: children looked after at 31 March with at least one mid-year school move (any "
               "move except between 1 August and 30 September, and not before first entering care in the year). "
               "DfE derives it by matching the 903 to the school census by UPN.",
    unavailable="Hearth keeps no history of a child's school admissions. DfE works this measure out by matching "
                "the SSDA903 to the termly school census (each enrolment's school URN with its entry and leaving "
                "dates) by UPN. What Hearth holds is not enough to date a move: a personal education plan names "
                "the school in free text at each (termly) PEP meeting, with no admission date, so a change between "
                "two PEPs cannot be placed mid-year or at the start of the school year; a school on the child's list "
                "of professionals carries no leaving date. To compute it Hearth would need each looked-after "
                "child's school enrolments (school URN, entry date, leaving date), imported from the school "
                "census or recorded on the child's education page.",
)
def school_moves(period: Period) -> Tally:
    return Tally([])


@indicator(
    code="cla_missing", title="Children looked after who went missing", group="cla", unit="percent",
    polarity="neutral", measured="in_period", lait_code="Children_missing", decimals=0,
    numerator="Of those, children with at least one missing incident (whereabouts not known, 903 code M) from care "
              "open at any time in the period",
    denominator="Children looked after at any time in the period, other than only under a series of short breaks",
    definition="Children looked after during the year who had at least one missing incident (M; away without "
               "authorisation, A, is a separate measure), including incidents still open on 1 April, as the 903 "
               "Missing table holds them. The denominator is an open point (indicators.md §8.3): Hearth reads it as "
               "DfE's 'children looked after during the year', every child with a 903 episode in the year, "
               "leaving out children looked after only under a series of short breaks (V3, V4).",
)
def cla_missing(period: Period) -> Tally:
    from hearth.care.codes import MissingType
    from hearth.missing.selectors import episodes_for_903

    care, teams = _care(period), _care_teams(period)
    during = {child: next(e for e in reversed(eps) if e.ls not in SHORT_BREAKS)
              for child, eps in care.episodes.items() if any(e.ls not in SHORT_BREAKS for e in eps)}
    missing: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for pk, child_id, started_at in (
            episodes_for_903(local_authority=period.local_authority.pk, year_start=period.start,
                             year_end=period.end)
            .filter(missing_type=MissingType.MISSING).order_by("child_id", "started_at", "pk")
            .values_list("pk", "child_id", "started_at")):
        missing[child_id].append((pk, timezone.localtime(started_at).date()))
    went: list[Member] = []
    everyone: list[Member] = []
    for child_id, e in sorted(during.items()):
        everyone.append(_period_member(care, e, teams, _in_care_note(care, e)))
        if child_id in missing:
            first_pk, first_on = missing[child_id][0]
            went.append(Member(key("missing.missingepisode", first_pk), child_id, first_on, teams.get(child_id),
                               note=f"{plural(len(missing[child_id]), 'missing incident')} in the period"))
    return Tally(went, everyone)


@indicator(
    code="cla_childrens_homes", title="Children looked after living in children's homes or secure homes",
    group="cla", unit="percent", polarity="neutral", measured="at_end", lait_code="LAC_SecHome_And_ChildHome",
    decimals=0,
    numerator="Of those, children placed on that day in a secure children's home (K1) or a children's home (K2)",
    denominator="Children looked after on the last day of the period (not on short breaks)",
    definition="Children looked after at 31 March placed in secure homes and children's homes (DfE's placement "
               "category: K1 secure children's home, K2 children's home subject to the Children's Homes "
               "Regulations), as a share of all children looked after at 31 March. DfE's outcomes and enablers "
               "dashboard shows it as 'children living in children's homes or secure settings'.",
)
def cla_childrens_homes(period: Period) -> Tally:
    care, teams = _care(period), _care_teams(period)
    homes: list[Member] = []
    everyone: list[Member] = []
    for _, e in sorted(_looked_after_at_end(period).items()):
        home = care.home_by_pk.get(e.placement_pk) if e.placement_pk is not None else None
        member = _period_member(care, e, teams, f"Placement {e.place or 'not recorded'}",
                                on=home.started_on if home is not None else None)
        everyone.append(member)
        if e.place in CHILDRENS_HOMES:
            homes.append(member)
    return Tally(homes, everyone)


@indicator(
    code="ceased_sgo", title="Children ceasing care through a special guardianship order", group="cla",
    unit="percent", polarity="high", measured="in_period", lait_code="LAC_ceased_SGO%", decimals=0,
    numerator="Of those, children whose care ended with a special guardianship order (E45 to E48)",
    denominator="Children who ceased to be looked after in the period (the last time, for a child who left twice), "
                "other than from a series of short breaks",
    definition="Children who ceased to be looked after during the year through a special guardianship order "
               "(reason episode ceased E45, E46, E47 or E48; E43 and E44 before 2018/19) as a share of all children "
               "who ceased to be looked after in the year. Only the last occasion a child ceased in the year is "
               "counted, as DfE does; a period of care that ended on a series of short breaks (V3, V4) is left out.",
)
def ceased_sgo(period: Period) -> Tally:
    care, teams = _care(period), _care_teams(period)
    last_ceased: dict[int, tuple[date, Episode]] = {}
    for child_id, episodes in care.episodes.items():
        for e in episodes:
            if e.dec is not None and e.rec and e.rec != "X1" and period.start <= e.dec <= period.end and (
                    child_id not in last_ceased or e.dec > last_ceased[child_id][0]):
                last_ceased[child_id] = (e.dec, e)
    sgo: list[Member] = []
    everyone: list[Member] = []
    for _, (left_on, e) in sorted(last_ceased.items()):
        if e.ls in SHORT_BREAKS:
            continue
        member = _period_member(care, e, teams, f"Left care: {e.rec}", on=left_on)
        everyone.append(member)
        if e.rec in SGO_REASONS:
            sgo.append(member)
    return Tally(sgo, everyone)


def continuously_looked_after(la_id: int, first: date, last: date) -> QuerySet[Any]:
    """Periods of care covering every day from ``first`` to ``last`` with no series of short breaks in them: the
    OC2 cohort ("looked after continuously for 12 months at 31 March") for any period, as
    ``hearth.care_plans.selectors._continuous_periods`` reads it for a collection year."""
    from hearth.care.models import CareLegalStatus, PeriodOfCare

    short_breaks = CareLegalStatus.objects.filter(legal_status__in=SHORT_BREAKS, started_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first)).values("period_id")
    return (PeriodOfCare.objects.filter(local_authority_id=la_id, started_on__lte=first)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=last)).exclude(pk__in=short_breaks))


@indicator(
    code="sdq_average", title="Average SDQ score of children looked after for a year", group="cla", unit="average",
    polarity="low", measured="at_end", lait_code="Emotional_LAC", decimals=1,
    numerator="Total of their SDQ scores (the latest in the period)",
    denominator="Children looked after continuously for the whole period (12 months at 31 March: the OC2 cohort), "
                "of SDQ age, whose latest SDQ in the period has a score",
    definition="The average strengths and difficulties questionnaire total score (0 to 40) of children in the 903 "
               "OC2 cohort, looked after continuously for 12 months at 31 March (not on short breaks), aged 4 or "
               "over at the start of the year and under 17 at its end, whose latest SDQ in the year has a score "
               "(one with a reason for no score instead is left out). 0 to 13 is normal, 14 to 16 borderline, 17 "
               "and over a cause for concern.",
)
def sdq_average(period: Period) -> Tally:
    from hearth.care_plans.models import SDQScore
    from hearth.people.models import Person

    la_id = period.local_authority.pk
    periods = continuously_looked_after(la_id, period.start, period.end)
    born = dict(Person.objects.filter(local_authority_id=la_id, pk__in=periods.values("child_id"))
                .values_list("pk", "date_of_birth"))
    latest: dict[int, tuple[int, date, int | None]] = {}
    for pk, child_id, completed_on, score in (
            SDQScore.objects.filter(local_authority_id=la_id, child_id__in=periods.values("child_id"),
                                    completed_on__range=(period.start, period.end))
            .order_by("-completed_on", "-id").values_list("pk", "child_id", "completed_on", "score")):
        latest.setdefault(child_id, (pk, completed_on, score))
    teams = period.shared(("oc2_teams", period.start, period.end),
                          lambda: teams_on(la_id, periods.values("child_id"), period.end))
    scores: list[Member] = []
    children: list[Member] = []
    for child_id in sorted(born):
        dob = born[child_id]
        # sdq_expected for any period: 4 or over on its first day, under 17 on its last (903 rules 186, 188, 189).
        if dob is not None and not (age_on(dob, period.start) >= 4 and age_on(dob, period.end) < 17):
            continue
        found = latest.get(child_id)
        if found is None:
            continue
        pk, completed_on, score = found
        if score is None:  # the latest SDQ gave a reason for no score
            continue
        record = key("care_plans.sdqscore", pk)
        note = f"SDQ {score} on {long_date(completed_on)}"
        scores.append(Member(record, child_id, completed_on, teams.get(child_id), amount=float(score), note=note))
        children.append(Member(record, child_id, completed_on, teams.get(child_id), note=note))
    return Tally(scores, children)


# ---------------------------------------------------------------------------------------------- care leavers


@dataclass(frozen=True)
class LeaverRow:
    """One OC3 row whose birthday falls in the period, with what the staying-put measure needs."""

    child_id: int
    age: int
    birthday: date
    in_touch: str
    activity: str
    accommodation: str
    is_eet: bool
    left_care_on_18th: bool = False
    left_from_foster_care: bool = False


def read_care_leavers(la_id: int, first: date, last: date) -> list[LeaverRow]:
    """The OC3 rows of every young person whose 17th to 21st birthday falls from ``first`` to ``last``, each as
    ``hearth.care_leavers.selectors.oc3_rows`` makes it for the birthday's collection year (the same pure
    ``oc3_result``, the same facts), so a collection year gives exactly the 903's OC3 table. Eight queries."""
    from hearth.care.models import PeriodOfCare, Placement
    from hearth.care_leavers.models import CareLeaverAccommodation, CareLeaverActivity, CareLeaverContact
    from hearth.care_leavers.oc3 import OC3_AGES, oc3_result, window
    from hearth.care_leavers.selectors import care_histories, collection_year_of, oc3_born
    from hearth.people.models import Person

    oldest, youngest = oc3_born(first, last)
    candidates = Person.objects.filter(
        local_authority_id=la_id, merged_into__isnull=True, date_of_birth__gte=oldest, date_of_birth__lte=youngest,
        pk__in=PeriodOfCare.objects.filter(local_authority_id=la_id).values("child_id"))
    # Each young person's 17th to 21st birthdays in the period (one, for a period of a year or less).
    people = [(pk, dob, died, days) for pk, dob, died in candidates.values_list("pk", "date_of_birth", "date_of_death")
              if (days := [d for d in (birthday(dob, age) for age in OC3_AGES) if first <= d <= last])]
    if not people:
        return []
    # The council's rows of young people born when the candidates were, kept for the candidates (binding
    # thousands of ids is slower); contacts only where they can be nearest a birthday in the period.
    wanted = {pk for pk, _, _, _ in people}
    histories = care_histories(local_authority_id=la_id, child_ids=wanted, born=(oldest, youngest))
    born = Q(child__date_of_birth__gte=oldest, child__date_of_birth__lte=youngest)
    contacts: dict[int, list[tuple[date, str]]] = defaultdict(list)
    accommodation: dict[int, list[tuple[date, str, bool]]] = defaultdict(list)
    activities: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for cid, on, code in CareLeaverContact.objects.filter(
            local_authority_id=la_id, contacted_on__range=(window(first)[0], window(last)[1])).order_by(
            "child_id", "contacted_on", "pk").values_list("child_id", "contacted_on", "in_touch"):
        if cid in wanted:
            contacts[cid].append((on, code))
    for cid, on, letter, suitable in CareLeaverAccommodation.objects.filter(born, local_authority_id=la_id).values_list(
            "child_id", "started_on", "accommodation", "suitable"):
        if cid in wanted:
            accommodation[cid].append((on, letter, suitable))
    for cid, on, code in CareLeaverActivity.objects.filter(born, local_authority_id=la_id).values_list(
            "child_id", "started_on", "activity"):
        if cid in wanted:
            activities[cid].append((on, code))
    # The placement each young person was in when a period of care ended (for staying put).
    last_placement: dict[tuple[int, date], tuple[date, str]] = {}
    for cid, ended, started_on, placement_type in (
            Placement.objects.filter(born, local_authority_id=la_id, period__ended_on__isnull=False)
            .exclude(placement_type__in=TEMPORARY_PLACEMENTS)
            .values_list("child_id", "period__ended_on", "started_on", "placement_type")):
        if cid in wanted and started_on < ended and (
                (cid, ended) not in last_placement or started_on >= last_placement[(cid, ended)][0]):
            last_placement[(cid, ended)] = (started_on, placement_type)
    rows: list[LeaverRow] = []
    for pk, dob, died, days in people:
        periods = histories.periods.get(pk, [])
        eighteenth = birthday(dob, 18)
        left_on_18th = any(p.ended_on == eighteenth for p in periods)
        fostered = left_on_18th and last_placement.get((pk, eighteenth), (None, ""))[1] in FOSTER_PLACEMENTS
        for day in days:
            result = oc3_result(child_id=pk, date_of_birth=dob, date_of_death=died, periods=periods,
                                decisions=histories.decisions.get(pk, []), contacts=contacts[pk],
                                accommodation=accommodation[pk], activities=activities[pk],
                                year=collection_year_of(day))
            row = result.row
            if row is None or row.birthday != day:
                continue
            rows.append(LeaverRow(pk, row.age, row.birthday, row.in_touch, row.activity, row.accommodation,
                                  row.is_eet, left_on_18th, fostered))
    return sorted(rows, key=lambda r: (r.birthday, r.child_id))


def _care_leavers(period: Period) -> tuple[list[LeaverRow], dict[int, int]]:
    """The period's OC3 rows and each young person's team (their personal adviser's, else social worker's)."""
    from hearth.allocations.models import Allocation

    la_id = period.local_authority.pk

    def load() -> tuple[list[LeaverRow], dict[int, int]]:
        rows = read_care_leavers(la_id, period.start, period.end)
        teams = teams_on(la_id, {r.child_id for r in rows}, period.end,
                         [Allocation.Kind.PERSONAL_ADVISER, Allocation.Kind.SOCIAL_WORKER])
        return rows, teams

    return period.shared(("care_leavers", period.start, period.end), load)


def _leaver_member(row: LeaverRow, teams: dict[int, int], note: str) -> Member:
    return Member(key("people.person", row.child_id), row.child_id, row.birthday, teams.get(row.child_id),
                  note=f"{row.age}: {note}")


def _counted(rows: Iterable[LeaverRow], ages: Sequence[int]) -> list[LeaverRow]:
    # DfE leaves out those who died and those back home with parents for 6 months or more (RHOM).
    return [r for r in rows if r.age in ages and r.in_touch not in ("DIED", "RHOM")]


def _activity_note(row: LeaverRow) -> str:
    return EET_SHORT.get(row.activity, row.activity)


_CARE_LEAVER_COHORT = ("The 903 OC3 cohort: former relevant young people (looked after 13 weeks after their 14th "
                       "birthday, some of it after their 16th, not only on short breaks) whose {ages} birthday "
                       "falls in the year, with their situation around the birthday as OC3 records it (in touch, "
                       "activity and accommodation within three months of the birthday, "
                       "``hearth.care_leavers.oc3``). Those who died and those who returned home to parents for "
                       "6 months or more are left out.")


@indicator(
    code="care_leavers_eet_19_21", title="Care leavers aged 19 to 21 in education, employment or training",
    group="care_leavers", unit="percent", polarity="high", measured="in_period", lait_code="CareLeaverEET",
    decimals=0,
    numerator="Of those, young people in education, employment or training around the birthday",
    denominator="Care leavers whose 19th, 20th or 21st birthday fell in the period (OC3), other than those who "
                "died or returned home for 6 months or more",
    definition=_CARE_LEAVER_COHORT.format(ages="19th, 20th or 21st") + " Young people the council is not in touch "
               "with, who refuse contact or no longer need services stay in the denominator, as DfE counts them.",
)
def care_leavers_eet_19_21(period: Period) -> Tally:
    rows, teams = _care_leavers(period)
    cohort = _counted(rows, (19, 20, 21))
    return Tally([_leaver_member(r, teams, _activity_note(r)) for r in cohort if r.is_eet],
                 [_leaver_member(r, teams, _activity_note(r)) for r in cohort])


@indicator(
    code="care_leavers_suitable_19_21", title="Care leavers aged 19 to 21 in suitable accommodation",
    group="care_leavers", unit="percent", polarity="high", measured="in_period", lait_code="CareLeaverAcc",
    decimals=0,
    numerator="Of those, young people whose accommodation around the birthday was judged suitable",
    denominator="Care leavers whose 19th, 20th or 21st birthday fell in the period (OC3), other than those who "
                "died, returned home for 6 months or more, went abroad, were deported or whose residence is not known",
    definition=_CARE_LEAVER_COHORT.format(ages="19th, 20th or 21st") + " Also left out: those gone abroad (G), "
               "deported (H) or whose residence is not known (R), as suitability is not known for them. Those whose "
               "accommodation is not known because the council is not in touch stay in, as not suitable.",
)
def care_leavers_suitable_19_21(period: Period) -> Tally:
    rows, teams = _care_leavers(period)
    cohort = [r for r in _counted(rows, (19, 20, 21)) if r.accommodation[:1] not in ("G", "H", "R")]

    def note(r: LeaverRow) -> str:
        if r.accommodation == "0":
            return "accommodation not known"
        return f"{'suitable' if r.accommodation.endswith('1') else 'unsuitable'} accommodation ({r.accommodation})"

    return Tally([_leaver_member(r, teams, note(r)) for r in cohort if r.accommodation.endswith("1")],
                 [_leaver_member(r, teams, note(r)) for r in cohort])


@indicator(
    code="care_leavers_eet_17_18", title="Care leavers aged 17 or 18 in education, employment or training",
    group="care_leavers", unit="percent", polarity="high", measured="in_period", decimals=0,
    numerator="Of those, young people in education, employment or training around the birthday",
    denominator="Care leavers whose 17th or 18th birthday fell in the period (OC3: not still looked after on it), "
                "other than those who died or returned home for 6 months or more",
    definition=_CARE_LEAVER_COHORT.format(ages="17th or 18th") + " A young person still looked after on the "
               "birthday, or who left care after it within the year, has no OC3 row (903 rules 1007, 1016). "
               "Published on DfE's outcomes and enablers dashboard, not in LAIT.",
)
def care_leavers_eet_17_18(period: Period) -> Tally:
    rows, teams = _care_leavers(period)
    cohort = _counted(rows, (17, 18))
    return Tally([_leaver_member(r, teams, _activity_note(r)) for r in cohort if r.is_eet],
                 [_leaver_member(r, teams, _activity_note(r)) for r in cohort])


@indicator(
    code="care_leavers_not_in_touch", title="Care leavers aged 19 to 21 the council is not in touch with",
    group="care_leavers", unit="percent", polarity="low", measured="in_period",
    lait_code="CareLeavers_LA_NotInTouch", decimals=0,
    numerator="Of those, young people the council was not in touch with around the birthday (OC3 IN_TOUCH NO)",
    denominator="Care leavers whose 19th, 20th or 21st birthday fell in the period (OC3), other than those who "
                "died or returned home for 6 months or more",
    definition=_CARE_LEAVER_COHORT.format(ages="19th, 20th or 21st") + " Not in touch is IN_TOUCH NO: a young "
               "person whose situation the council knows through a third party is in touch (a contact through "
               "someone else is recorded as in touch), and one who refuses contact (REFU) or no longer needs "
               "services (NREQ) is not counted as not in touch.",
)
def care_leavers_not_in_touch(period: Period) -> Tally:
    rows, teams = _care_leavers(period)
    cohort = _counted(rows, (19, 20, 21))
    return Tally([_leaver_member(r, teams, "not in touch") for r in cohort if r.in_touch == "NO"],
                 [_leaver_member(r, teams, f"in touch: {r.in_touch}") for r in cohort])


@indicator(
    code="staying_put", title="Care leavers aged 18 to 20 staying put with their former foster carers",
    group="care_leavers", unit="percent", polarity="high", measured="in_period", lait_code="StayingPut",
    decimals=0,
    numerator="Of those, young people living with their former foster carers around the birthday (OC3 "
              "accommodation Z, which a staying-put arrangement records)",
    denominator="Care leavers whose 18th, 19th or 20th birthday fell in the period (OC3) who ceased to be looked "
                "after on their 18th birthday from a foster placement, other than those who died or returned home "
                "for 6 months or more",
    definition="Staying put: young people aged 18, 19 and 20 who ceased to be looked after in a foster placement "
               "(U1 to U6) on their 18th birthday, were eligible for leaving-care support and were living with their "
               "former foster carers. The cohort is an open point (indicators.md §8.3; LAIT's title says 19 or 20, "
               "its description 18, 19 and 20): Hearth uses the description, the OC3 rows of the 18th, 19th and "
               "20th birthdays in the period, and takes 'living with former foster carers' from OC3 accommodation "
               "Z around the birthday.",
)
def staying_put(period: Period) -> Tally:
    rows, teams = _care_leavers(period)
    cohort = [r for r in _counted(rows, (18, 19, 20)) if r.left_care_on_18th and r.left_from_foster_care]

    def note(r: LeaverRow) -> str:
        return "staying put with former foster carers" if r.accommodation.startswith("Z") else \
            f"not with former foster carers ({r.accommodation})"

    return Tally([_leaver_member(r, teams, note(r)) for r in cohort if r.accommodation.startswith("Z")],
                 [_leaver_member(r, teams, note(r)) for r in cohort])

