"""When each worker's next supervision is due under the council's policy: plain date arithmetic, no queries.

A worker is due one interval after their last supervision that was held (a cancelled or rearranged session
does not count), or one interval after they started if they have had none. The interval is their role's, except
for a newly qualified worker in their assessed and supported year (ASYE), who is seen more often: fortnightly for
the first weeks, then at the ASYE frequency until the year ends, and never less often than the role requires.
Supervision held on the due day is in time; the day after, the worker is overdue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from hearth.accounts.roles import Role

WEEKS = "weeks"
MONTHS = "months"
UNITS = ((WEEKS, "Weeks"), (MONTHS, "Months"))

# Staff who carry cases or carers and are supervised under the policy, in the order the policy page lists them.
SUPERVISED_ROLES: tuple[str, ...] = (
    Role.SOCIAL_WORKER,
    Role.SENIOR_PRACTITIONER,
    Role.TEAM_MANAGER,
    Role.PERSONAL_ADVISER,
    Role.MISSING_ADVOCATE,
    Role.IRO,
    Role.FOSTERING_WORKER,
)

# A worker is "due soon" in this many days or fewer.
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class Interval:
    every: int
    unit: str = WEEKS

    def __post_init__(self) -> None:
        if self.every < 1 or self.unit not in (WEEKS, MONTHS):
            raise ValueError("An interval is a whole number of weeks or months, at least one")

    def after(self, day: date) -> date:
        """The day one interval after ``day``; a month from 31 January is the last day of February."""
        if self.unit == WEEKS:
            return day + timedelta(weeks=self.every)
        return day + relativedelta(months=self.every)

    @property
    def words(self) -> str:
        single = self.unit[:-1]
        return f"every {single}" if self.every == 1 else f"every {self.every} {self.unit}"

    def as_json(self) -> dict[str, int | str]:
        return {"every": self.every, "unit": self.unit}


DEFAULT_FREQUENCIES: dict[str, Interval] = {
    Role.SOCIAL_WORKER: Interval(4),
    Role.SENIOR_PRACTITIONER: Interval(4),
    Role.TEAM_MANAGER: Interval(1, MONTHS),
    Role.PERSONAL_ADVISER: Interval(4),
    Role.MISSING_ADVOCATE: Interval(4),
    Role.IRO: Interval(1, MONTHS),
    Role.FOSTERING_WORKER: Interval(4),
}


@dataclass(frozen=True)
class Policy:
    """A council's supervision policy as the schedule reads it (``SupervisionPolicy`` stores it)."""

    frequencies: Mapping[str, Interval] = field(default_factory=lambda: dict(DEFAULT_FREQUENCIES))
    asye_first_weeks: int = 6
    asye_first: Interval = Interval(2)
    asye: Interval = Interval(3)
    asye_months: int = 12
    # Every child on a caseload is discussed in supervision at least this often.
    case_discussion_weeks: int = 13

    def in_asye(self, asye_started_on: date | None, on: date) -> bool:
        return asye_started_on is not None and asye_started_on <= on < asye_started_on + relativedelta(
            months=self.asye_months)

    def interval_for(self, role: str, *, asye_started_on: date | None = None, on: date) -> Interval | None:
        """The interval that applies after a session on ``on``; None for a role the policy does not cover."""
        usual = self.frequencies.get(role)
        if usual is None:
            return None
        if asye_started_on is None or on >= asye_started_on + relativedelta(months=self.asye_months):
            return usual
        early = on < asye_started_on + timedelta(weeks=self.asye_first_weeks)
        asye = self.asye_first if early else self.asye
        # The assessed year means more supervision, never less than the role's.
        return asye if asye.after(on) <= usual.after(on) else usual


def anchor(*, last_held: date | None, started_on: date | None, joined: date) -> date:
    """What the next due date counts from: the last supervision held, or the start in post if later."""
    known = [d for d in (last_held, started_on) if d is not None]
    return max(known) if known else joined


def due_on(*, policy: Policy, role: str, last_held: date | None, started_on: date | None, joined: date,
           asye_started_on: date | None = None) -> date | None:
    """When the next supervision is due; None for a role the policy does not cover."""
    start = anchor(last_held=last_held, started_on=started_on, joined=joined)
    interval = policy.interval_for(role, asye_started_on=asye_started_on, on=start)
    return interval.after(start) if interval is not None else None


def days_overdue(*, due: date, on: date) -> int:
    """Days past the due date on ``on``: 0 on the due day itself, 1 the day after."""
    return max(0, (on - due).days)
