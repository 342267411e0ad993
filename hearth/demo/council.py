"""A synthetic council: teams, staff, children and their allocation histories.

Everything here is invented (Faker en_GB). Later issues extend it with contacts, plans,
care episodes and the rest; this module lays the organisation and caseloads they hang on.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from hearth.access.models import AllowListEntry
from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.audit.actor import acting_as
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority

DEMO_PASSWORD = "hearth-demo-2026"
# A fixed, published demo secret so a person can add the TOTP demo login to an authenticator app.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"

# Open cases at any one time, by size; Nottingham carries about 3,500 (CIN, CP and in care).
SIZES = {"small": 150, "medium": 3500, "large": 14000}
CASELOAD_TARGET = 17

# Share of open cases by the kind of team that holds them.
CASE_MIX = [
    (Team.Kind.ASSESSMENT, 0.22),
    (Team.Kind.SAFEGUARDING, 0.33),
    (Team.Kind.CHILDREN_IN_CARE, 0.20),
    (Team.Kind.CARE_LEAVERS, 0.12),
    (Team.Kind.DISABLED_CHILDREN, 0.08),
    (Team.Kind.EXPLOITATION, 0.05),
]
TEAM_PLACE_NAMES = ["North", "South", "East", "West", "Central", "City", "Riverside", "Meadows", "Forest", "Park"]
AGENCY_RATE = 0.18


@dataclass
class DemoLogin:
    username: str
    role: str
    team: str
    note: str = ""


@dataclass
class CouncilSummary:
    local_authority: LocalAuthority
    teams: int = 0
    staff: int = 0
    children: int = 0
    allocations: int = 0
    restricted: int = 0
    sealed: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    restricted_example: Person | None = None


def _staff(la: LocalAuthority, fake: Faker, rng: random.Random, *, team: Team | None, role: str,
           today: date, username: str | None = None, title: str = "") -> User:
    first, last = fake.first_name(), fake.last_name()
    agency = role in (Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER) and rng.random() < AGENCY_RATE
    user = User(
        local_authority=la,
        username=username or f"{first}.{last}.{rng.randint(100, 999)}".lower().replace("'", ""),
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@example.invalid".lower(),
        role=role,
        team=team,
        job_title=title or Role(role).label,
        employment_type=User.EmploymentType.AGENCY if agency else User.EmploymentType.PERMANENT,
        fte=Decimal("1.00") if rng.random() < 0.85 else Decimal(rng.choice(["0.60", "0.80", "0.50"])),
        started_on=today - timedelta(days=rng.randint(60 if agency else 200, 700 if agency else 6000)),
    )
    user.set_unusable_password()
    return user


def build_council(*, size: str, seed: int, name: str = "Nottingham City Council", ons_code: str = "E06000018",
                  dfe_la_number: str = "892") -> CouncilSummary:
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    today = timezone.localdate()
    open_cases = SIZES[size]
    with transaction.atomic(), acting_as("seed_demo"):
        la = LocalAuthority.objects.create(
            name=name, ons_code=ons_code, dfe_la_number=dfe_la_number,
            population_0_17=65_800 * max(1, open_cases // 3500),
        )
        summary = CouncilSummary(local_authority=la)
        users: list[User] = []
        case_teams: dict[str, list[Team]] = {}
        team_members: dict[int, list[User]] = {}

        def new_team(kind: str, team_name: str, service_area: str) -> Team:
            team = Team.objects.create(local_authority=la, name=team_name, kind=kind, service_area=service_area)
            summary.teams += 1
            return team

        leadership = new_team(Team.Kind.LEADERSHIP, "Leadership team", "Children's services")
        front_door = new_team(Team.Kind.FRONT_DOOR, "Front door (MASH)", "Help and protection")
        qa = new_team(Team.Kind.QUALITY_ASSURANCE, "Safeguarding and quality assurance", "Quality assurance")
        business = new_team(Team.Kind.BUSINESS_SUPPORT, "Business support", "Business support")
        performance = new_team(Team.Kind.PERFORMANCE, "Performance and intelligence", "Strategy")
        fostering = new_team(Team.Kind.FOSTERING, "Fostering recruitment and assessment", "Children in care")

        for kind, share in CASE_MIX:
            workers_needed = max(2, round(open_cases * share / CASELOAD_TARGET))
            team_count = max(1, round(workers_needed / 7))
            label = Team.Kind(kind).label
            case_teams[kind] = [
                new_team(kind, f"{label} {TEAM_PLACE_NAMES[i % 10]}{'' if i < 10 else f' {i // 10 + 1}'}",
                         "Children in care" if kind in (Team.Kind.CHILDREN_IN_CARE, Team.Kind.CARE_LEAVERS)
                         else "Help and protection")
                for i in range(team_count)
            ]
            per_team = max(2, round(workers_needed / team_count))
            worker_role = Role.PERSONAL_ADVISER if kind == Team.Kind.CARE_LEAVERS else Role.SOCIAL_WORKER
            for team in case_teams[kind]:
                members = [_staff(la, fake, rng, team=team, role=Role.TEAM_MANAGER, today=today)]
                members.append(_staff(la, fake, rng, team=team, role=Role.SENIOR_PRACTITIONER, today=today))
                members += [_staff(la, fake, rng, team=team, role=worker_role, today=today) for _ in range(per_team)]
                team_members[id(team)] = members
                users += members

        users += [_staff(la, fake, rng, team=front_door, role=r, today=today)
                  for r in [Role.TEAM_MANAGER] + [Role.SOCIAL_WORKER] * max(2, open_cases // 400)]
        users += [_staff(la, fake, rng, team=qa, role=Role.IRO, today=today) for _ in range(max(2, open_cases // 250))]
        users += [_staff(la, fake, rng, team=business, role=Role.BUSINESS_SUPPORT, today=today)
                  for _ in range(max(2, open_cases // 500))]
        users += [_staff(la, fake, rng, team=fostering, role=Role.SOCIAL_WORKER, today=today) for _ in range(3)]
        users += [_staff(la, fake, rng, team=case_teams[Team.Kind.EXPLOITATION][0], role=Role.MISSING_ADVOCATE,
                         today=today) for _ in range(max(2, open_cases // 800))]
        users += [_staff(la, fake, rng, team=leadership, role=Role.SERVICE_MANAGER, today=today) for _ in range(3)]

        # Named demo logins, one per role, placed where a demo needs them.
        safeguarding_a = case_teams[Team.Kind.SAFEGUARDING][0]
        demo_specs: list[tuple[str, str, Team | None, str]] = [
            ("sw.demo", Role.SOCIAL_WORKER, safeguarding_a, "Social worker with a caseload"),
            ("sp.demo", Role.SENIOR_PRACTITIONER, safeguarding_a, ""),
            ("tm.demo", Role.TEAM_MANAGER, safeguarding_a, "Manages sw.demo's team; receives break-glass alerts"),
            ("hos.demo", Role.SERVICE_MANAGER, leadership, "Head of service"),
            ("dcs.demo", Role.DIRECTOR, leadership, ""),
            ("iro.demo", Role.IRO, qa, ""),
            ("pa.demo", Role.PERSONAL_ADVISER, case_teams[Team.Kind.CARE_LEAVERS][0], ""),
            ("mfh.demo", Role.MISSING_ADVOCATE, case_teams[Team.Kind.EXPLOITATION][0], ""),
            ("bs.demo", Role.BUSINESS_SUPPORT, business, ""),
            ("analyst.demo", Role.PERFORMANCE_ANALYST, performance, "Aggregates and pseudonymised lists only"),
            ("admin.demo", Role.SYSTEM_ADMIN, None, "Edits the bank holiday calendar"),
            ("dsl.demo", Role.PARTNER_REFERRER, None, "A school's designated safeguarding lead"),
            ("sw.totp", Role.SOCIAL_WORKER, safeguarding_a, "Signs in with a security code (TOTP)"),
        ]
        demo_users = []
        for username, role, home_team, note in demo_specs:
            user = _staff(la, fake, rng, team=home_team, role=role, today=today, username=username)
            user.employment_type = User.EmploymentType.PERMANENT
            if role == Role.PARTNER_REFERRER:
                user.employment_type = User.EmploymentType.EXTERNAL
                user.partner_organisation = "Hillside Primary School"
            if username == "tm.demo":
                user.is_data_protection_officer = False
            user.set_password(DEMO_PASSWORD)
            demo_users.append(user)
            summary.logins.append(DemoLogin(username, Role(role).label, str(home_team or "—"), note))
        # The demo team manager replaces the generated one in the first safeguarding team.
        team_members[id(safeguarding_a)] = [u for u in team_members[id(safeguarding_a)] if u.role != Role.TEAM_MANAGER]
        users = [u for u in users if not (u.team is safeguarding_a and u.role == Role.TEAM_MANAGER)]
        users += demo_users
        by_name = {u.username: u for u in demo_users}
        team_members[id(safeguarding_a)] += [by_name[u] for u in ("sw.demo", "sp.demo", "sw.totp", "tm.demo")]
        User.objects.bulk_create(users, batch_size=500)
        summary.staff = len(users)
        TOTPDevice.objects.create(user=by_name["sw.totp"], name="Demo authenticator", key=DEMO_TOTP_KEY_HEX,
                                  confirmed=True)

        # Children and their allocation histories.
        people: list[Person] = []
        placements: list[tuple[Person, Team.Kind]] = []
        kinds: list[Team.Kind] = [Team.Kind(k) for k, _ in CASE_MIX]
        weights = [w for _, w in CASE_MIX]
        for _ in range(open_cases):
            # The first (restricted) record sits in a children-in-care team, away from sw.demo's team.
            kind = Team.Kind.CHILDREN_IN_CARE if not people else rng.choices(kinds, weights)[0]
            if kind == Team.Kind.CARE_LEAVERS:
                age_days = rng.randint(18 * 365, 21 * 365)
            elif kind == Team.Kind.CHILDREN_IN_CARE:
                age_days = rng.randint(1 * 365, 18 * 365 - 30)
            else:
                age_days = rng.randint(30, 18 * 365 - 30)
            sex = rng.choice(["M", "F"]) if rng.random() > 0.002 else "U"
            first = fake.first_name_male() if sex == "M" else fake.first_name_female()
            # The first two records are always protected so every demo has one of each to show.
            roll = {0: 0.01, 1: 0.0}.get(len(people), rng.random())
            level = (Person.AccessLevel.SEALED if roll < 0.003 else
                     Person.AccessLevel.RESTRICTED if roll < 0.015 else Person.AccessLevel.OPEN)
            person = Person(
                local_authority=la,
                first_name=first,
                last_name=fake.last_name(),
                preferred_name=first[:3] if rng.random() < 0.03 else "",
                date_of_birth=today - timedelta(days=age_days),
                sex=sex,
                access_level=level,
                restriction_reason={Person.AccessLevel.RESTRICTED: "Relative of a member of staff",
                                    Person.AccessLevel.SEALED: "Adoption"}.get(level, ""),
            )
            people.append(person)
            placements.append((person, kind))
        Person.objects.bulk_create(people, batch_size=1000)
        summary.children = len(people)
        summary.restricted = sum(p.access_level == Person.AccessLevel.RESTRICTED for p in people)
        summary.sealed = sum(p.access_level == Person.AccessLevel.SEALED for p in people)

        allocations: list[Allocation] = []
        allow: list[AllowListEntry] = []
        all_case_workers = [u for u in users if u.role in (Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER)
                            and u.team is not None and u.team.kind in kinds]
        for person, kind in placements:
            case_team = rng.choice(case_teams[kind])
            workers = [u for u in team_members[id(case_team)] if u.role != Role.TEAM_MANAGER]
            # Churn: earlier workers, most recent last, over up to five years.
            history = rng.choices([0, 1, 2, 3, 4], [0.35, 0.3, 0.2, 0.1, 0.05])[0]
            start = today - timedelta(days=rng.randint(30, 5 * 365))
            if person.date_of_birth and start < person.date_of_birth:
                start = person.date_of_birth
            cursor = start
            span = max(1, (today - start).days)
            for _ in range(history):
                length = rng.randint(14, max(15, span // (history + 1)))
                end = cursor + timedelta(days=length)
                if end >= today - timedelta(days=7):
                    break
                earlier = rng.choice(all_case_workers)
                allocations.append(Allocation(local_authority=la, child=person, team=earlier.team, worker=earlier,
                                              started_on=cursor, ended_on=end, end_reason="Reallocated"))
                cursor = end
            worker = rng.choice(workers) if rng.random() > 0.05 else None
            allocations.append(Allocation(local_authority=la, child=person, team=case_team, worker=worker,
                                          started_on=cursor))
            if person.access_level != Person.AccessLevel.OPEN:
                named = [(u, "Manager of the allocated team") for u in team_members[id(case_team)]
                         if u.role == Role.TEAM_MANAGER]
                if worker is not None:
                    named.append((worker, "Allocated worker"))
                allow += [AllowListEntry(local_authority=la, person=person, user=u, reason=why) for u, why in named]
                if summary.restricted_example is None and person.access_level == Person.AccessLevel.RESTRICTED \
                        and case_team is not safeguarding_a:
                    summary.restricted_example = person
        # Make sure the demo social worker has a caseload and the demo has a restricted child elsewhere.
        Allocation.objects.bulk_create(allocations, batch_size=1000)
        AllowListEntry.objects.bulk_create(allow, batch_size=1000)
        summary.allocations = len(allocations)
    return summary
