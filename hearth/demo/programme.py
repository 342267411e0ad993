"""The synthetic council's improvement journey: an inadequate inspection, the plan and the board that follow it,
the workforce and the money behind it, and the training that goes with it.

``seed_programme`` runs on a council that already exists (``build_council`` has laid its staff, teams and
casework; audits, practice weeks and indicators are read if they are there) and adds, in this order:

1. ``finance``: the improvement reserve and the DfE grants the posts below are paid from (the rest of the money,
   budgets, monthly closes, drawdowns and unit costs, once the posts are known).
2. ``workforce``: a post for every job, vacant posts, five years of appointments (leavers, agency cover,
   starters), sickness absence, and the temporarily funded posts whose funding ends soon; the two new demo
   logins (``im.demo``, ``fin.demo``) and the apprentices' jobs.
3. ``training``: restorative practice (612 of 800 practitioners trained), other courses, apprenticeship cohorts.
4. ``improvement``: the inspection of July 2022 and the one before, areas for improvement, the plan's actions with
   their indicators and evidence, monitoring visits, improvement board meetings and the self-evaluation.

Run it before ``seed_indicators`` freezes the month ends, so the frozen workforce indicators (turnover, agency,
vacancy, absence: computed from the appointments written here) carry the history; and ``seed_self_evaluation``
after it, as this year's self-evaluation is drafted from the frozen trends.

Everything is invented (Faker en_GB, seeded) and deterministic for a seed: each part draws from its own random
stream (``Programme.rng``), and every choice among existing rows is made in the order of a natural key (a
username, a team's name, an audit round's month and title), never of primary keys, which PostgreSQL does not
reuse after a rolled-back load. Rows go through the seed writer, each with its history.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from faker import Faker

from hearth.audit.actor import Actor, current_actor

from .bulk import SeedWriter

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority

    from .council import DemoLogin

SEEDER = "seed_demo"
IMPROVEMENT_MANAGER = "im.demo"
FINANCE_OFFICER = "fin.demo"


@dataclass
class Programme:
    """What every part of the journey shares: the council, the day, the writer and the random streams."""

    la: LocalAuthority
    seed: int
    today: date
    size: str
    writer: SeedWriter
    # Users written by this seed (new staff, leavers, agency workers, apprentices), by username.
    new_users: dict[str, User] = field(default_factory=dict)
    user_rows: int = 0

    def rng(self, part: str) -> random.Random:
        """A stream of its own for each part, so changing one part never moves another's draws."""
        return random.Random(f"hearth-demo-programme-{self.seed}-{part}")

    @property
    def inspection_year(self) -> int:
        """The year of the inspection (in July), three and a half to four and a half years before today."""
        back = self.today - relativedelta(months=42)
        return back.year if back.month >= 7 else back.year - 1

    def faker(self, part: str) -> Faker:
        fake = Faker("en_GB")
        fake.seed_instance(f"hearth-demo-programme-{self.seed}-{part}")
        return fake


def seed_programme(*, la: LocalAuthority, seed: int, today: date, size: str) -> int:
    """The improvement journey for ``la`` as at ``today``. Returns the rows written (0 if it is already there)."""
    from hearth.improvement.models import Inspection

    from . import finance, improvement, training, workforce

    if Inspection.objects.filter(local_authority=la).exists():
        return 0
    actor = current_actor() or Actor(user_id=None, system=SEEDER)
    programme = Programme(la=la, seed=seed, today=today, size=size, writer=SeedWriter(actor=actor))
    funds = finance.seed_funds(programme)
    staff = workforce.seed_workforce(programme, funds=funds)
    finance.seed_money(programme, funds=funds, staff=staff)
    courses = training.seed_training(programme, staff=staff)
    improvement.seed_improvement(programme, staff=staff, courses=courses)
    programme.writer.finish()
    return programme.writer.rows + programme.user_rows


def seed_self_evaluation(*, la: LocalAuthority, seed: int, today: date, size: str) -> int:
    """This year's self-evaluation draft, assembled from the indicators, audits and plan. Run it after the
    indicators' month ends are frozen (``seed_indicators``): assembled from a council with no frozen months it
    computes two years of trends live, minutes for a medium council. Returns the rows written."""
    from . import improvement

    actor = current_actor() or Actor(user_id=None, system=SEEDER)
    programme = Programme(la=la, seed=seed, today=today, size=size, writer=SeedWriter(actor=actor))
    rows = improvement.draft_self_evaluation(programme)
    programme.writer.finish()
    return rows


def programme_logins(la: LocalAuthority) -> list[DemoLogin]:
    """The demo logins ``seed_programme`` adds, for the list ``build_council`` prints."""
    from hearth.accounts.models import User

    from .council import DemoLogin

    notes = {
        IMPROVEMENT_MANAGER: "Improvement plan, monitoring visits, board packs and the self-evaluation",
        FINANCE_OFFICER: "Budgets, reserves, grants, unit costs and the placements projection",
    }
    users = User.objects.filter(local_authority=la, username__in=list(notes)).select_related("team")
    return [DemoLogin(user.username, user.get_role_display(), str(user.team or "—"), notes[user.username])
            for user in sorted(users, key=lambda u: u.username)]
