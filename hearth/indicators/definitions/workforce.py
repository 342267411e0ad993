"""The children's social work workforce (indicators.md §5), DfE's CSWW formulas over Hearth's staff records.

Who counts as a social worker: staff whose role is registered social work (social worker, senior practitioner,
team manager), and staff in any other role (service manager, IRO, personal adviser, fostering worker and so on)
only when their Social Work England number is recorded, i.e. they are registered. Partners who refer children
are never staff.

In post on a day: started on or before it (or no start date recorded) and not left by it (``left_on`` is the
first day no longer in post, as ``User.is_in_post``). An account switched off with no leaving date is taken as
not in post: Hearth does not know when they left. "Employed by the council" is permanent or seconded staff
(a secondee fills a council post, paid for by it); agency staff are counted apart, as DfE does.

FTE is the one figure the staff record holds (no FTE history), so a leaver counts at the FTE they last had.
Each query reads plain rows; every indicator is one or two queries whatever the council's size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q

from hearth.accounts.roles import Role
from hearth.indicators.registry import Member, Period, Tally, indicator, key
from hearth.workspace.dates import long_date

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from hearth.accounts.models import User

# Roles that are registered social work in themselves; any other staff role counts only with an SWE number.
SOCIAL_WORK_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER})
NOT_STAFF_ROLES = frozenset({Role.PARTNER_REFERRER})
_AGENCY = "agency"
_EMPLOYED = frozenset({"permanent", "seconded"})


@dataclass(frozen=True, slots=True)
class Worker:
    pk: int
    team_id: int | None
    employment_type: str
    fte: float
    started_on: date | None
    left_on: date | None
    is_active: bool

    def in_post(self, day: date) -> bool:
        started = self.started_on is None or self.started_on <= day
        if self.left_on is not None:
            return started and self.left_on > day
        return started and self.is_active

    @property
    def agency(self) -> bool:
        return self.employment_type == _AGENCY

    @property
    def employed(self) -> bool:
        return self.employment_type in _EMPLOYED


def social_workers(local_authority_id: int) -> QuerySet[User]:
    """The council's social workers, as this module counts them (see the module docstring)."""
    from hearth.accounts.models import User

    return (User.objects.filter(local_authority_id=local_authority_id)
            .exclude(role__in=NOT_STAFF_ROLES).exclude(employment_type=User.EmploymentType.EXTERNAL)
            .filter(Q(role__in=SOCIAL_WORK_ROLES) | ~Q(social_work_england_number="")))


def read_workers(local_authority_id: int) -> list[Worker]:
    """One query."""
    return [Worker(pk, team_id, kind, float(fte), started_on, left_on, active)
            for pk, team_id, kind, fte, started_on, left_on, active in social_workers(local_authority_id)
            .order_by("pk").values_list("pk", "team_id", "employment_type", "fte", "started_on", "left_on",
                                         "is_active")]


def employed_in_post(workers: list[Worker], day: date) -> list[Worker]:
    """The council's own social workers (not agency) in post on ``day``."""
    return [w for w in workers if w.employed and w.in_post(day)]


def leavers(workers: list[Worker], first: date, last: date) -> list[Worker]:
    """The council's own social workers (not agency) who left from ``first`` to ``last``, the first day included."""
    return [w for w in workers if w.employed and w.left_on is not None and first <= w.left_on <= last]


def case_holders(workers: list[Worker], cases: Counter[int], day: date) -> list[Worker]:
    """Social workers (agency too) in post on ``day`` with an FTE above 0 and at least one case."""
    return [w for w in workers if w.in_post(day) and w.fte > 0 and cases[w.pk] > 0]


def _member(worker: Worker, on: date, note: str, amount: float | None = None) -> Member:
    return Member(key("accounts.user", worker.pk), None, on, worker.team_id,
                  amount=worker.fte if amount is None else amount, note=note)


def _fte(worker: Worker) -> str:
    return f"{worker.fte:g} FTE"


@indicator(
    code="sw_fte", title="Social workers in post (FTE)", group="workforce", unit="number", polarity="neutral",
    measured="at_end", lait_code="Work_Force_NoSW", decimals=1,
    numerator="Full-time equivalent of the council's own social workers in post on the last day of the period "
              "(not agency)",
    denominator="Not a rate: a count of FTE",
    definition="FTE of children and family social workers employed by the council and in post at 30 September "
               "(CSWW): registered social workers (the roles social worker, senior practitioner and team manager, "
               "and staff in other roles whose Social Work England number is recorded), permanent or seconded, "
               "agency workers left out.",
)
def sw_fte(period: Period) -> Tally:
    workers = employed_in_post(read_workers(period.local_authority.pk), period.end)
    return Tally([_member(w, w.started_on or period.end, _fte(w)) for w in workers])


@indicator(
    code="turnover_rate", title="Social worker turnover", group="workforce", unit="percent", polarity="low",
    measured="in_period", lait_code="Work_Force_TO_Rate", decimals=1,
    numerator="FTE of the council's own social workers who left in the period",
    denominator="FTE of the council's own social workers in post on the last day of the period",
    definition="Leavers in the year to 30 September (FTE) ÷ FTE in post at 30 September, both the council's own "
               "registered social workers (agency workers left out). A leaver is a worker whose leaving date falls "
               "in the period, the first day included; they count at the FTE on their record.",
)
def turnover_rate(period: Period) -> Tally:
    workers = read_workers(period.local_authority.pk)
    left = [_member(w, w.left_on or period.end, f"Left {long_date(w.left_on or period.end)}, {_fte(w)}")
            for w in leavers(workers, period.start, period.end)]
    in_post = [_member(w, w.started_on or period.end, _fte(w)) for w in employed_in_post(workers, period.end)]
    return Tally(left, in_post)


@indicator(
    code="agency_rate", title="Agency social workers", group="workforce", unit="percent", polarity="low",
    measured="at_end", lait_code="Work_Force_Agecy_Rate", decimals=1,
    numerator="FTE of agency social workers in post on the last day of the period",
    denominator="FTE of agency social workers and of the council's own social workers in post that day",
    definition="Agency worker rate: agency FTE at 30 September ÷ (agency FTE + FTE of the council's own social "
               "workers in post), registered social workers only.",
)
def agency_rate(period: Period) -> Tally:
    workers = [w for w in read_workers(period.local_authority.pk) if w.in_post(period.end)]
    agency = [_member(w, w.started_on or period.end, f"Agency, {_fte(w)}") for w in workers if w.agency]
    employed = [_member(w, w.started_on or period.end, _fte(w)) for w in workers if w.employed]
    return Tally(agency, agency + employed)


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
    from hearth.allocations.models import Allocation

    la_id = period.local_authority.pk
    pairs = set(Allocation.objects.filter(
        local_authority_id=la_id, kind=Allocation.Kind.SOCIAL_WORKER, worker__isnull=False,
        started_on__lte=period.end, worker_id__in=social_workers(la_id).values("pk"))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=period.end)).values_list("worker_id", "child_id"))
    cases = Counter(worker_id for worker_id, _ in pairs)
    holders = case_holders(read_workers(la_id), cases, period.end)

    def note(w: Worker) -> str:
        return f"{cases[w.pk]} {'child' if cases[w.pk] == 1 else 'children'}, {_fte(w)}"

    return Tally([_member(w, period.end, note(w), amount=float(cases[w.pk])) for w in holders],
                 [_member(w, period.end, note(w)) for w in holders])
