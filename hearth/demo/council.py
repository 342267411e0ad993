"""A synthetic council: teams, staff, and five years of children known to the service with their families.

Everything here is invented (Faker en_GB and the small lists in ``names``). This module lays the
organisation, the families and the caseloads they hang on. The people themselves are made in
``families``; their contacts, referrals, assessments, child protection work and statutory clocks
in ``casework``; periods of care, care plans, care leavers, missing episodes, the education
registers and foster carers in ``care`` (with ``missing``, ``registers`` and ``fostering``).

Sizes, by what the council looks like (open cases are at any one time; "known" is over five years):

=======  =====================  ==========  ===============  ==============
size     like                   population  children known   open cases
=======  =====================  ==========  ===============  ==============
small    a test fixture         65,800      ~300             150 (30 in care)
medium   Nottingham City        65,800      ~25,000          3,500 (600 in care)
large    Birmingham             283,000     ~100,000         14,000 (2,000 in care)
=======  =====================  ==========  ===============  ==============

Large is scaled from Birmingham's ~13,000 referrals a year (DfE CIN census, ~16,000 children a
year of whom many are re-referred): about 100,000 different children over five years.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.people.models import Person
from hearth.portal.models import AgencyType, PartnerProfile
from hearth.tenancy.models import LocalAuthority

from .bulk import SeedWriter
from .care import CareBuilder, CareStaff, CareSummary
from .case_audits import seed_case_audits
from .casework import CaseworkBuilder, CaseworkStaff, CaseworkSummary, Partner
from .families import PeopleBuilder, Staffing
from .fostering import FosteringBuilder
from .indicators import seed_indicators
from .places import Identifiers, Places, build_places
from .programme import programme_logins, seed_programme, seed_self_evaluation
from .supervision import seed_supervision

DEMO_PASSWORD = "hearth-demo-2026"
# A fixed, published demo secret so a person can add the TOTP demo login to an authenticator app.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"

# Open cases at any one time, by size; Nottingham carries about 3,500 (CIN, CP and in care).
SIZES = {"small": 150, "medium": 3500, "large": 14000}
# Of those, allocated to a children-in-care team: most are looked after (Nottingham: 639 at 31 March 2025).
CHILDREN_IN_CARE = {"small": 30, "medium": 600, "large": 2000}
# Different children with an allocation (open or closed) in the last five years.
CHILDREN_KNOWN = {"small": 300, "medium": 25_000, "large": 100_000}
POPULATION_0_17 = {"small": 65_800, "medium": 65_800, "large": 283_000}
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
# Roles held by registered social workers (a Social Work England number each); personal advisers,
# advocates and support staff need not be registered.
SWE_REGISTERED_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER, Role.IRO,
                                  Role.FOSTERING_WORKER, Role.SERVICE_MANAGER})


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
    # Children with an allocation in the last five years (planted duplicates not counted).
    children: int = 0
    open_cases: int = 0
    people: int = 0
    families: int = 0
    allocations: int = 0
    restricted: int = 0
    sealed: int = 0
    duplicates: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    rows_written: int = 0
    # Search keys written by hearth.search (None when that app cannot rebuild them yet).
    name_keys: int | None = None
    logins: list[DemoLogin] = field(default_factory=list)
    restricted_example: Person | None = None
    # Contacts, referrals, assessments, child protection and clocks (hearth.demo.casework).
    casework: CaseworkSummary | None = None
    # Children in care, care leavers, missing children, registers and carers (hearth.demo.care).
    care: CareSummary | None = None
    # Quality assurance and performance: rows of case audits, supervision and indicators (populations,
    # frozen month-end snapshots, targets), and how many months were frozen.
    case_audit_rows: int = 0
    supervision_rows: int = 0
    indicator_rows: int = 0
    programme_rows: int = 0
    indicator_months: int = 0


def open_case_expectations(size: str) -> dict[str, float]:
    """Open cases expected in each kind of team: the case mix, with children in care set by size."""
    total, in_care = SIZES[size], CHILDREN_IN_CARE[size]
    others = [(kind, share) for kind, share in CASE_MIX if kind != Team.Kind.CHILDREN_IN_CARE]
    spread = sum(share for _, share in others)
    expected = {str(kind): (total - in_care) * share / spread for kind, share in others}
    expected[str(Team.Kind.CHILDREN_IN_CARE)] = float(in_care)
    return {str(kind): expected[str(kind)] for kind, _ in CASE_MIX}


def open_case_counts(size: str) -> dict[str, int]:
    """Whole open cases per kind of team, adding up to exactly the size's open cases."""
    expected = open_case_expectations(size)
    counts = {kind: round(value) for kind, value in expected.items()}
    counts[str(Team.Kind.SAFEGUARDING)] += SIZES[size] - sum(counts.values())
    return counts


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


def build_council(*, size: str, seed: int, error_rate: float = 0.0, name: str = "Nottingham City Council",
                  ons_code: str = "E06000018", dfe_la_number: str = "892",
                  children_known: int | None = None, indicator_months: int | None = None,
                  quality: bool | None = None) -> CouncilSummary:
    """Load a whole council in one transaction. ``children_known`` overrides the size's (for tests);
    ``indicator_months`` is how many month ends to freeze (HEARTH_DEMO_INDICATOR_MONTHS when None);
    ``quality`` False leaves out case audits and supervision (HEARTH_DEMO_QUALITY when None)."""
    if not 0 <= error_rate <= 1:
        raise ValueError("error_rate must be between 0 and 1")
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    today = timezone.localdate()
    open_cases = SIZES[size]
    expected_cases = open_case_expectations(size)
    with transaction.atomic(), acting_as("seed_demo"):
        la = LocalAuthority.objects.create(
            name=name, ons_code=ons_code, dfe_la_number=dfe_la_number, population_0_17=POPULATION_0_17[size],
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

        for kind, _share in CASE_MIX:
            workers_needed = max(2, round(expected_cases[str(kind)] / CASELOAD_TARGET))
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

        front_door_staff = [_staff(la, fake, rng, team=front_door, role=r, today=today)
                            for r in [Role.TEAM_MANAGER] + [Role.SOCIAL_WORKER] * max(2, open_cases // 400)]
        users += front_door_staff
        users += [_staff(la, fake, rng, team=qa, role=Role.IRO, today=today) for _ in range(max(2, open_cases // 250))]
        users += [_staff(la, fake, rng, team=business, role=Role.BUSINESS_SUPPORT, today=today)
                  for _ in range(max(2, open_cases // 500))]
        users += [_staff(la, fake, rng, team=fostering, role=r, today=today)
                  for r in [Role.TEAM_MANAGER] + [Role.FOSTERING_WORKER] * max(3, open_cases // 800)]
        users += [_staff(la, fake, rng, team=None, role=Role.EDUCATION_OFFICER, today=today)
                  for _ in range(max(2, open_cases // 1500))]
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
            ("cic.demo", Role.SOCIAL_WORKER, case_teams[Team.Kind.CHILDREN_IN_CARE][0],
             "Social worker for children in care, with a caseload"),
            ("el.demo", Role.EXPLOITATION_LEAD, case_teams[Team.Kind.EXPLOITATION][0],
             "Missing and exploitation patterns"),
            ("fsw.demo", Role.FOSTERING_WORKER, fostering, "Fostering and adoption pipelines"),
            ("ewo.demo", Role.EDUCATION_OFFICER, None, "Children missing education and home education"),
        ]
        demo_users = []
        for username, role, home_team, note in demo_specs:
            user = _staff(la, fake, rng, team=home_team, role=role, today=today, username=username)
            user.employment_type = User.EmploymentType.PERMANENT
            if role == Role.PARTNER_REFERRER:
                user.employment_type = User.EmploymentType.EXTERNAL
                user.partner_organisation = "Hillside Primary School"
                user.job_title = "Designated safeguarding lead"
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
        in_care_a = case_teams[Team.Kind.CHILDREN_IN_CARE][0]
        leaving_a = case_teams[Team.Kind.CARE_LEAVERS][0]
        team_members[id(in_care_a)] = team_members[id(in_care_a)] + [by_name["cic.demo"]]
        team_members[id(leaving_a)] = team_members[id(leaving_a)] + [by_name["pa.demo"]]
        # Registered social workers carry a Social Work England number (the SSDA903 SW_ID). Drawn from a
        # stream of their own, so the rest of the council comes out the same as before they had one.
        registered = [u for u in users if u.role in SWE_REGISTERED_ROLES]
        swe_rng = random.Random(f"hearth-demo-swe-{seed}")
        for user, number in zip(registered, swe_rng.sample(range(100_000, 1_000_000), len(registered)), strict=True):
            user.social_work_england_number = f"SW{number}"
        User.objects.bulk_create(users, batch_size=500)
        summary.staff = len(users)
        TOTPDevice.objects.create(user=by_name["sw.totp"], name="Demo authenticator", key=DEMO_TOTP_KEY_HEX,
                                  confirmed=True)

        summary.rows_written = 1 + summary.teams + len(users) + 1

        # Children known to the service over five years, their families and allocation histories.
        staffing = Staffing(
            case_teams={str(k): teams for k, teams in case_teams.items()},
            team_members=team_members,
            avoid_team=safeguarding_a,
            demo_worker=by_name["sw.demo"],
            demo_caseload=CASELOAD_TARGET,
        )
        place_rng = random.Random(f"hearth-demo-places-{seed}")
        place_fake = Faker("en_GB")
        place_fake.seed_instance(seed * 104_729 + 3)
        places = build_places(place_rng, place_fake, households=(children_known or CHILDREN_KNOWN[size]) // 2)
        ids = Identifiers(random.Random(f"hearth-demo-ids-{seed}"), la_number=dfe_la_number)
        partners = _partners(la, by_name["dsl.demo"], places, seed=seed, open_cases=open_cases, today=today)
        summary.staff += len(partners) - 1
        summary.rows_written += len(partners) - 1
        managers_by_team = {team_id: [u for u in members if u.role == Role.TEAM_MANAGER]
                            for team_id, members in team_members.items()}
        casework_staff = CaseworkStaff(
            front_door_workers=[u for u in front_door_staff if u.role == Role.SOCIAL_WORKER],
            front_door_managers=[u for u in front_door_staff if u.role == Role.TEAM_MANAGER],
            chairs=[u for u in users if u.role == Role.IRO],
            managers_by_team=managers_by_team,
            partners=partners,
            service_managers=[u for u in users if u.role == Role.SERVICE_MANAGER],
        )
        schools = [o.name for options in places.schools.values() for o in options]

        def casework(writer: SeedWriter) -> CaseworkBuilder:
            return CaseworkBuilder(la=la, seed=seed, today=today, error_rate=error_rate, writer=writer,
                                   staff=casework_staff, school_names=schools, population=POPULATION_0_17[size],
                                   open_cases=open_cases)

        care_staff = CareStaff(
            iros=[u for u in users if u.role == Role.IRO], qa_team=qa,
            advisers={id(t): [u for u in team_members[id(t)] if u.role == Role.PERSONAL_ADVISER]
                      for t in case_teams[Team.Kind.CARE_LEAVERS]},
            leaving_teams=list(case_teams[Team.Kind.CARE_LEAVERS]),
            advocates=[u for u in users if u.role == Role.MISSING_ADVOCATE and u.username != "mfh.demo"],
            exploitation_team=case_teams[Team.Kind.EXPLOITATION][0], managers_by_team=managers_by_team,
            fostering_workers=[u for u in users if u.role == Role.FOSTERING_WORKER],
            education_officers=[u for u in users if u.role == Role.EDUCATION_OFFICER],
            exploitation_lead=by_name["el.demo"], demo_iro=by_name["iro.demo"], demo_adviser=by_name["pa.demo"],
            demo_advocate=by_name["mfh.demo"], demo_worker=by_name["cic.demo"], demo_team=in_care_a,
            demo_caseload=CASELOAD_TARGET - 2,
        )

        def care(writer: SeedWriter) -> CareBuilder:
            fostering_builder = FosteringBuilder(la=la, seed=seed, today=today,
                                                 window_start=today - relativedelta(years=5), writer=writer,
                                                 places=places, workers=care_staff.fostering_workers,
                                                 in_care=CHILDREN_IN_CARE[size])
            return CareBuilder(la=la, seed=seed, today=today, writer=writer, staff=care_staff, places=places,
                               fostering=fostering_builder, members_by_team=team_members, open_cases=open_cases)

        builder = PeopleBuilder(la=la, seed=seed, staffing=staffing, places=places, ids=ids, today=today,
                                error_rate=error_rate, casework=casework, care=care)
        people = builder.build(open_counts=open_case_counts(size),
                               children_known=children_known or CHILDREN_KNOWN[size])
        summary.children = people.children_known
        summary.open_cases = people.open_cases
        summary.people = people.people
        summary.families = people.families
        summary.allocations = people.allocations
        summary.restricted = people.restricted
        summary.sealed = people.sealed
        summary.duplicates = people.duplicates
        summary.errors = people.errors
        summary.error_kinds = dict(sorted(people.error_kinds.items()))
        summary.restricted_example = people.restricted_example
        summary.rows_written += people.rows_written
        if builder.care is not None:
            summary.care = builder.care.summary
        if builder.casework is not None:
            summary.casework = builder.casework.summary
            summary.errors += summary.casework.errors
            kinds = {**summary.error_kinds}
            for error_kind, count in summary.casework.error_kinds.items():
                kinds[error_kind] = kinds.get(error_kind, 0) + count
            summary.error_kinds = dict(sorted(kinds.items()))
        # Quality assurance and the performance record, read from the casework just written.
        with_quality = settings.HEARTH_DEMO_QUALITY if quality is None else quality
        if with_quality:
            summary.case_audit_rows = seed_case_audits(la=la, seed=seed, today=today)
            # The workforce, money and improvement programme: after the audits (its evidence links to their
            # rounds), before supervision (its new staff are supervised too) and before the month ends are
            # frozen (the workforce figures are read from its appointments).
            summary.programme_rows = seed_programme(la=la, seed=seed, today=today, size=size)
            summary.logins += programme_logins(la)
            summary.supervision_rows = seed_supervision(la=la, seed=seed, today=today)
        summary.indicator_months = (settings.HEARTH_DEMO_INDICATOR_MONTHS if indicator_months is None
                                    else indicator_months)
        summary.indicator_rows = seed_indicators(la=la, seed=seed, today=today, size=size,
                                                 months=summary.indicator_months)
        # The self-evaluation draft reads two years of trends: from frozen months it is quick, live it is not.
        if with_quality and summary.indicator_months >= 12:
            summary.programme_rows += seed_self_evaluation(la=la, seed=seed, today=today, size=size)
        summary.rows_written += (summary.case_audit_rows + summary.supervision_rows + summary.indicator_rows
                                 + summary.programme_rows)
        summary.name_keys = _rebuild_search_keys(la)
        if summary.name_keys:
            summary.rows_written += summary.name_keys
    return summary


def _partners(la: LocalAuthority, dsl: User, places: Places, *, seed: int, open_cases: int,
              today: date) -> list[Partner]:
    """Partner referrers who use the portal: the demo DSL, other schools' DSLs, a GP, health visitors, police."""
    rng = random.Random(f"hearth-demo-partners-{seed}")
    fake = Faker("en_GB")
    fake.seed_instance(seed * 31 + 5)
    partners = [Partner(user=dsl, source="2A", organisation=dsl.partner_organisation, primary_only=True,
                        limit=12 if open_cases < 1000 else 25, agency_type=AgencyType.SCHOOL,
                        phone="0115 496 0123")]
    primaries = [o for (_, phase), options in places.schools.items() if phase in ("primary", "secondary")
                 for o in options if o.name != dsl.partner_organisation]
    gps = [o for options in places.gps.values() for o in options]
    wanted: list[tuple[str, str, str]] = [
        ("2A", school.name, "Designated safeguarding lead")
        for school in rng.sample(primaries, min(len(primaries), max(3, open_cases // 250)))
    ]
    wanted += [("3A", gp.name, "Safeguarding lead GP")
               for gp in rng.sample(gps, min(len(gps), max(1, open_cases // 1000)))]
    wanted += [("3B", f"{area} health visiting team", "Health visitor")
               for area in ["North", "South", "Central"][:max(1, min(3, open_cases // 1000))]]
    wanted += [("6", "Police public protection unit", "Detective constable")]
    users = []
    for source, organisation, title in wanted:
        first, last = fake.first_name(), fake.last_name()
        user = User(local_authority=la, username=f"{first}.{last}.p{rng.randint(100, 999)}".lower().replace("'", ""),
                    first_name=first, last_name=last, email=f"{first}.{last}@partner.example.invalid".lower(),
                    role=Role.PARTNER_REFERRER, team=None, job_title=title,
                    employment_type=User.EmploymentType.EXTERNAL, partner_organisation=organisation,
                    started_on=today - timedelta(days=rng.randint(100, 3000)))
        user.set_unusable_password()
        users.append(user)
        partners.append(Partner(user=user, source=source, organisation=organisation, agency_type=AGENCY[source],
                                phone=f"0115 496 {rng.randint(1000, 9999)}"))
    User.objects.bulk_create(users)
    # Each partner's portal profile, so their next referral is filled in for them.
    PartnerProfile.objects.bulk_create([
        PartnerProfile(local_authority=la, user=p.user, agency_type=p.agency_type, organisation=p.organisation,
                       job_title=p.user.job_title, phone=p.phone, email=p.user.email)
        for p in partners
    ])
    return partners


AGENCY = {"2A": AgencyType.SCHOOL, "3A": AgencyType.GP, "3B": AgencyType.HEALTH_VISITOR, "6": AgencyType.POLICE}


def _rebuild_search_keys(la: LocalAuthority) -> int | None:
    try:
        from hearth.search.services import name_keys_rebuild
    except ImportError:
        return None
    return name_keys_rebuild(local_authority=la)
