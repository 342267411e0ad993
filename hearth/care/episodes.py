"""SSDA903 episodes, derived from a period of care's legal-status and placement timelines.

Nobody keys an episode. A period of care is cut at every date on which a legal status or a
placement starts (returns.md §A.3):

* the first episode of a period has RNE ``S``;
* a new legal status alone gives ``L``; a new placement alone ``P`` (new carer) or ``T`` (same
  carer, ``Placement.same_carer_as_previous``); both on the same day are ONE new episode, ``B``
  (new carer) or ``U`` (same carer);
* every episode but the last ends the day the next begins, with REC ``X1``; the last episode of
  an ended period ends on the period's end date with the period's own leaving reason;
* REASON_PLACE_CHANGE sits on an episode whose placement ended while the child stayed in care
  (REC ``X1`` and a new placement next), never on a temporary placement (T0 to T4, rule 226)
  and never on an episode that has not ceased (rule 233). Hearth keeps it on the placement that
  ended (``Placement.reason_for_change``).

Episodes therefore never overlap, follow on without gaps, and never start and end on the same
day: the services refuse any change that would make one (and the models' check constraints
refuse a legal status or placement ending on or before its start).

``derive_episodes`` is pure: it reads attributes of whatever it is given (model instances or the
small dataclasses below), so it is tested without a database. ``episodes_for_period`` and
``episodes_for_year`` are the database helpers, each a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from .codes import NO_PROVIDER_PLACEMENTS, TEMPORARY_PLACEMENTS

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

    from .models import PeriodOfCare

X1 = "X1"


class PeriodLike(Protocol):
    started_on: date
    ended_on: date | None
    category_of_need: str
    reason_ceased: str
    home_postcode: str


class LegalStatusLike(Protocol):
    pk: Any
    legal_status: str
    started_on: date
    ended_on: date | None


class PlacementLike(Protocol):
    pk: Any
    placement_type: str
    provider: str
    urn: str
    postcode: str
    started_on: date
    ended_on: date | None
    same_carer_as_previous: bool
    reason_for_change: str


@dataclass(frozen=True)
class Period:
    """A period of care without the database (for tests and for callers holding plain rows)."""

    started_on: date
    category_of_need: str = "N1"
    ended_on: date | None = None
    reason_ceased: str = ""
    home_postcode: str = ""
    pk: Any = None
    child_id: Any = None


@dataclass(frozen=True)
class LegalStatusRow:
    legal_status: str
    started_on: date
    ended_on: date | None = None
    pk: Any = None


@dataclass(frozen=True)
class PlacementRow:
    placement_type: str
    started_on: date
    ended_on: date | None = None
    provider: str = ""
    urn: str = ""
    postcode: str = ""
    same_carer_as_previous: bool = False
    reason_for_change: str = ""
    distance_miles: Decimal | None = None
    pk: Any = None


@dataclass(frozen=True)
class Episode:
    """One row of the 903 Episodes table (plus the keys of the rows it came from)."""

    decom: date
    dec: date | None
    rne: str
    ls: str
    cin: str
    place: str
    place_provider: str
    rec: str
    reason_place_change: str
    home_post: str
    pl_post: str
    urn: str
    placement_pk: Any
    legal_status_pk: Any
    period_pk: Any = None
    child_pk: Any = None
    distance_miles: Decimal | None = None

    @property
    def has_ceased(self) -> bool:
        return self.dec is not None

    def days(self, today: date) -> int:
        """Length in days, to ``today`` for an episode still open."""
        return ((self.dec or today) - self.decom).days

    def as_903_row(self, child: str) -> dict[str, str]:
        """The CSV row (returns.md §A.2), dates as dd/mm/YYYY; ``child`` is the LA's child identifier."""

        def d(day: date | None) -> str:
            return day.strftime("%d/%m/%Y") if day else ""

        return {
            "CHILD": child, "DECOM": d(self.decom), "RNE": self.rne, "LS": self.ls, "CIN": self.cin,
            "PLACE": self.place, "PLACE_PROVIDER": self.place_provider, "DEC": d(self.dec), "REC": self.rec,
            "REASON_PLACE_CHANGE": self.reason_place_change, "HOME_POST": self.home_post,
            "PL_POST": self.pl_post, "URN": self.urn,
        }


def _in_force(rows: Sequence[Any], on: date) -> Any:
    """The row of a timeline in force on ``on`` (started on or before it, not ended by it)."""
    found = None
    for row in rows:
        if row.started_on <= on and (row.ended_on is None or row.ended_on > on):
            found = row
    return found


def derive_episodes(
    period: PeriodLike | Any, legal_statuses: Iterable[LegalStatusLike | Any], placements: Iterable[PlacementLike | Any]
) -> list[Episode]:
    """The period's 903 episodes, oldest first.

    Changes dated outside the period (before it began, or on or after the day it ended) are
    ignored: they cannot start an episode of this period.
    """
    start: date = period.started_on
    end: date | None = period.ended_on
    statuses = sorted(legal_statuses, key=lambda r: (r.started_on, r.pk or 0))
    homes = sorted(placements, key=lambda r: (r.started_on, r.pk or 0))

    def inside(day: date) -> bool:
        return day >= start and (end is None or day < end)

    status_starts = {r.started_on for r in statuses if inside(r.started_on)}
    placement_starts = {r.started_on for r in homes if inside(r.started_on)}
    cuts = sorted({start} | status_starts | placement_starts)

    period_pk = getattr(period, "pk", None)
    child_pk = getattr(period, "child_id", None)
    rows: list[dict[str, Any]] = []
    ended_homes: list[Any] = []
    for i, decom in enumerate(cuts):
        ls = _in_force(statuses, decom)
        home = _in_force(homes, decom)
        new_status = decom in status_starts
        new_home = decom in placement_starts
        same_carer = bool(home is not None and home.same_carer_as_previous)
        if i == 0:
            rne = "S"
        elif new_status and new_home:
            rne = "U" if same_carer else "B"
        elif new_home:
            rne = "T" if same_carer else "P"
        else:
            rne = "L"
        last = i == len(cuts) - 1
        dec = end if last else cuts[i + 1]
        rec = (period.reason_ceased or "") if last and end is not None else ("" if last else X1)
        place = home.placement_type if home is not None else ""
        rows.append({
            "decom": decom, "dec": dec, "rne": rne, "ls": ls.legal_status if ls is not None else "",
            "cin": period.category_of_need, "place": place,
            "place_provider": "" if place in NO_PROVIDER_PLACEMENTS or home is None else (home.provider or ""),
            "rec": rec, "reason_place_change": "", "home_post": period.home_postcode or "",
            "pl_post": (home.postcode or "") if home is not None else "",
            "urn": "" if place in NO_PROVIDER_PLACEMENTS or home is None else (home.urn or ""),
            "placement_pk": home.pk if home is not None else None,
            "legal_status_pk": ls.pk if ls is not None else None,
            "period_pk": period_pk, "child_pk": child_pk,
            "distance_miles": getattr(home, "distance_miles", None) if home is not None else None,
        })
        ended_homes.append(home)
    # The reason a placement ended goes on the episode it ended, when the child stayed in care.
    for this, following, home in zip(rows, rows[1:], ended_homes, strict=False):
        if this["rec"] != X1 or following["rne"] not in ("P", "T", "B", "U"):
            continue
        if home is None or this["place"] in TEMPORARY_PLACEMENTS:
            continue
        this["reason_place_change"] = home.reason_for_change or ""
    return [Episode(**row) for row in rows]


# ---------------------------------------------------------------------------------------------
# Database helpers (imports inside, so the pure part needs no Django set-up)


def episodes_for_period(period: PeriodOfCare) -> list[Episode]:
    """One period's episodes: two queries."""
    from .models import CareLegalStatus, Placement

    statuses = list(CareLegalStatus.objects.filter(period=period, local_authority_id=period.local_authority_id))
    homes = list(Placement.objects.filter(period=period, local_authority_id=period.local_authority_id))
    return derive_episodes(period, statuses, homes)


def collection_year(year: int) -> tuple[date, date]:
    """1 April ``year`` to 31 March ``year + 1`` (the 903 collection year ``year``/``year + 1``)."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def episodes_for_year(local_authority: LocalAuthority | int, year: int) -> list[Episode]:
    """Every episode open at any time in collection year ``year`` (1 April ``year`` to 31 March
    ``year + 1``) in this council, ordered by child then start. Three queries whatever the size.

    An episode that ceased on 1 April was open that day and is included; one that began after
    31 March is not. Each episode carries ``child_pk`` and ``period_pk`` for the export to join.
    """
    from django.db.models import Q

    from .models import CareLegalStatus, PeriodOfCare, Placement

    first, last = collection_year(year)
    la_id = getattr(local_authority, "pk", local_authority)
    in_year = PeriodOfCare.objects.filter(local_authority_id=la_id, started_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first)
    )
    periods = list(in_year.order_by("child_id", "started_on", "pk"))
    # A subquery, not a list of ids: a large council's year would pass SQLite's variable limit.
    ids = in_year.values("pk")
    statuses: dict[int, list[CareLegalStatus]] = defaultdict(list)
    homes: dict[int, list[Placement]] = defaultdict(list)
    for status in CareLegalStatus.objects.filter(local_authority_id=la_id, period_id__in=ids):
        statuses[status.period_id].append(status)
    for home in Placement.objects.filter(local_authority_id=la_id, period_id__in=ids):
        homes[home.period_id].append(home)
    result: list[Episode] = []
    for period in periods:
        for episode in derive_episodes(period, statuses[period.pk], homes[period.pk]):
            if episode.decom <= last and (episode.dec is None or episode.dec >= first):
                result.append(episode)
    return result
