"""A small hand-built council with an improvement programme, for the board pack, self-evaluation and journey tests:
an inadequate inspection with two areas for improvement, four actions (two overdue, one complete, one linked to
an indicator with a target), a monitoring visit, the next board meeting, a budget that overspends, a reserve and a
grant, missing-from-home advocates whose reserve funding ends in January, a restorative practice programme, an
apprentice cohort, and a month of case audits. Children exist (named, to prove the pack never names them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.case_audits.models import Grade as AuditGrade
from hearth.finance.models import (
    BudgetLine,
    Grant,
    GrantAllocation,
    MonthlyFinance,
    PlacementCostBand,
    PlacementUnitCost,
    ProjectionAssumption,
    ReserveMovement,
    ServiceArea,
)
from hearth.improvement.models import ActionEvidence, BoardMeeting, ImprovementAction, Inspection, InspectionJudgement
from hearth.indicators.models import IndicatorTarget
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from hearth.workforce.models import PostFunding
from tests.case_audits.factories import Council, council, draw, submit
from tests.factories import make_person, make_user
from tests.improvement.factories import (
    make_action,
    make_action_indicator,
    make_area,
    make_evidence,
    make_inspection,
    make_meeting,
    make_visit,
)
from tests.training.factories import book, make_apprentice, make_cohort, make_course, make_session
from tests.workforce.factories import make_appointment, make_funding, make_post, make_reserve

CHILD_FIRST, CHILD_LAST = "Zebedee", "Quartermaine"
AUDIT_DAY = date(2026, 10, 14)


@dataclass
class Programme:
    la: LocalAuthority
    c: Council
    manager: User  # the inspection and improvement manager
    director: User
    owner: User
    child: Person
    inspection: Inspection
    actions: dict[str, ImprovementAction]
    meeting: BoardMeeting
    past_meeting: BoardMeeting
    extra: dict[str, object] = field(default_factory=dict)


def _finance(la: LocalAuthority) -> None:
    with acting_as("test"):
        areas = []
        for order, (name, code, budget) in enumerate((
                ("Children in care placements", "CSC100", "42000000"),
                ("Safeguarding and family help", "CSC200", "18500000"),
                ("Care leavers", "CSC300", "4200000"))):
            area = ServiceArea(local_authority=la, name=name, code=code, order=order)
            area.save()
            line = BudgetLine(local_authority=la, service_area=area, financial_year=2026, budget=Decimal(budget))
            line.save()
            areas.append((area, line))
        # April to October closed: placements overspend and the forecast grows; the rest hold.
        forecasts = {"CSC100": ["43100000", "43400000", "43600000", "43900000", "44200000", "44500000", "44800000"],
                     "CSC200": ["18500000"] * 7, "CSC300": ["4150000"] * 7}
        for area, line in areas:
            for i, forecast in enumerate(forecasts[area.code]):
                MonthlyFinance(local_authority=la, budget_line=line, month=date(2026, 4 + i, 1),
                               actual=(line.budget / 12).quantize(Decimal("1")) + Decimal(i * 1000),
                               forecast_outturn=Decimal(forecast)).save()
        grant = Grant(local_authority=la, name="Children's social care improvement grant", funder="DfE",
                      amount=Decimal("1200000"), starts_on=date(2025, 4, 1), ends_on=date(2027, 3, 31))
        grant.save()
        for spend, amount, spent in (("Front door practice leads", "400000", "250000"),
                                     ("Restorative practice training", "300000", "210000"),
                                     ("Missing from home service", "250000", "120000"),
                                     ("Edge of care", "200000", "90000")):
            GrantAllocation(local_authority=la, grant=grant, spend_area=spend, amount=Decimal(amount),
                            spent_to_date=Decimal(spent)).save()
        for band, cost, demand, rise in ((PlacementCostBand.IN_HOUSE_FOSTERING, "520", "1.0", "3.0"),
                                         (PlacementCostBand.EXTERNAL_RESIDENTIAL, "6200", "4.0", "6.0")):
            PlacementUnitCost(local_authority=la, band=band, financial_year=2026, weekly_cost=Decimal(cost)).save()
            ProjectionAssumption(local_authority=la, band=band, annual_demand_change_percent=Decimal(demand),
                                 annual_cost_change_percent=Decimal(rise)).save()


def _workforce(p: Programme) -> None:
    la, c = p.la, p.c
    reserve = make_reserve(la, name="Children's improvement reserve", opening_balance="3000000",
                           opened_on=date(2025, 4, 1))
    with acting_as("test"):
        ReserveMovement(local_authority=la, reserve=reserve, moved_on=date(2026, 5, 1), amount=Decimal("-450000"),
                        purpose="Missing from home advocates and personal advisers, 2026/27").save()
    # Two missing-from-home advocates on 18 months of reserve money, ending in January.
    for n in range(2):
        post = make_post(la, team=c.team_b, kind="missing_advocate", title="Missing from home advocate",
                         annual_cost="38000", established_on=date(2025, 8, 1), social_work_post=False,
                         serves_indicators=["rhi_in_time"] if n == 0 else ["rhi_in_time", "cla_missing"])
        make_funding(post, source=PostFunding.Source.RESERVE, reserve=reserve, starts_on=date(2025, 8, 1),
                     ends_on=date(2027, 1, 31))
    # A personal adviser on the same reserve until June; a social worker post on the base budget.
    pa = make_post(la, team=c.team_b, kind="personal_adviser", title="Personal adviser", annual_cost="36000",
                   established_on=date(2025, 8, 1), social_work_post=False)
    make_funding(pa, source=PostFunding.Source.RESERVE, reserve=reserve, starts_on=date(2025, 8, 1),
                 ends_on=date(2027, 6, 30))
    for worker in (c.worker_a, c.worker_b):
        post = make_post(la, team=worker.team, annual_cost="52000")
        make_funding(post)
        make_appointment(worker, post=post, starts_on=date(2023, 1, 9))
    # A post that has turned over twice (a leaver each year) and is now covered by an agency worker.
    agency_post = make_post(la, team=c.team_a, annual_cost="52000")
    make_funding(agency_post)
    for first, last, starts, ends in (("Lee", "Leaver", date(2021, 1, 4), date(2025, 3, 31)),
                                      ("Lou", "Leaver", date(2025, 5, 1), date(2026, 6, 30))):
        leaver = make_user(la, Role.SOCIAL_WORKER, c.team_a, first_name=first, last_name=last)
        make_appointment(leaver, post=agency_post, starts_on=starts, ends_on=ends, left_council=True,
                         reason_leave="1", leaver_destination="3")
    cover = make_user(la, Role.SOCIAL_WORKER, c.team_a, first_name="Ash", last_name="Agency")
    make_appointment(cover, post=agency_post, employment_type="agency", starts_on=date(2026, 8, 3))
    p.extra["reserve"] = reserve


def _training(p: Programme) -> None:
    course = make_course(p.la, "Restorative practice", target=800)
    session = make_session(course, date(2026, 6, 10), capacity=30)
    for worker in (p.c.worker_a, p.c.worker_b, p.c.manager_a):
        book(session, worker)
    cohort = make_cohort(p.la, "Apprentices 2025", starts_on=date(2025, 9, 1), expected=date(2028, 8, 31), places=4)
    apprentice = make_user(p.la, Role.SOCIAL_WORKER, p.c.team_a, first_name="Alex", last_name="Apprentice")
    make_apprentice(cohort, apprentice)


def _audits(p: Programme) -> None:
    audit_round = draw(p.c, size=4, on=AUDIT_DAY)
    grades = [AuditGrade.GOOD, AuditGrade.REQUIRES_IMPROVEMENT, AuditGrade.REQUIRES_IMPROVEMENT, AuditGrade.INADEQUATE]
    for audit, grade in zip(audit_round.audits.order_by("pk"), grades, strict=False):
        submit(audit, grade, on=AUDIT_DAY, themes=("drift-and-delay",) if grade != AuditGrade.GOOD else ())


def build_programme(la: LocalAuthority, *, audits: bool = True) -> Programme:
    la.population_0_17 = 20_000
    la.save()
    c = council(la, per_team=2)
    manager = make_user(la, Role.IMPROVEMENT_MANAGER, None, username="imogen.marsh", first_name="Imogen",
                        last_name="Marsh", job_title="Inspection and improvement manager")
    director = make_user(la, Role.DIRECTOR, None, username="dana.reid", first_name="Dana", last_name="Reid")
    child = make_person(la, first_name=CHILD_FIRST, last_name=CHILD_LAST, date_of_birth=date(2014, 2, 3))
    inspection = make_inspection(la, on_site_from=date(2024, 6, 3), on_site_to=date(2024, 6, 14),
                                 published_on=date(2024, 7, 26), judgements={
                                     InspectionJudgement.Area.OVERALL: "inadequate",
                                     InspectionJudgement.Area.LEADERS: "inadequate",
                                     InspectionJudgement.Area.HELP_AND_PROTECTION: "inadequate",
                                     InspectionJudgement.Area.IN_CARE: "requires_improvement",
                                     InspectionJudgement.Area.CARE_LEAVERS: "requires_improvement"})
    front_door = make_area(inspection, number=1, text="The timeliness and quality of assessments of children's "
                                                      "needs at the front door.")
    missing = make_area(inspection, number=2, area=InspectionJudgement.Area.IN_CARE,
                        text="The response when children in care go missing, including return home interviews.")
    owner = c.head
    actions = {
        "1.1": make_action(la, owner=owner, area=front_door, reference="1.1",
                           title="Recruit permanent managers to the front door", due_on=date(2026, 9, 30),
                           rag=ImprovementAction.Rag.AMBER,
                           progress_summary="Two of three managers appointed; the third post is re-advertised."),
        "1.2": make_action(la, owner=owner, area=front_door, reference="1.2",
                           title="Assessments completed within 45 working days", due_on=date(2027, 3, 31),
                           progress_summary="Weekly performance clinics in every team since July."),
        "2.1": make_action(la, owner=c.manager_b, area=missing, reference="2.1",
                           title="Commission a missing from home advocacy service", due_on=date(2026, 3, 31),
                           status=ImprovementAction.Status.COMPLETE),
        "2.2": make_action(la, owner=c.manager_b, area=missing, reference="2.2",
                           title="Return home interviews offered within 72 hours", due_on=date(2026, 10, 31),
                           status=ImprovementAction.Status.NOT_STARTED, rag=ImprovementAction.Rag.RED),
    }
    make_action_indicator(actions["1.2"], indicator="assessments_45wd", baseline=58.0, baseline_on=date(2025, 1, 31),
                          target=85.0, target_by=date(2027, 3, 31))
    # Evidence naming a child: the pack counts evidence and must never print this.
    make_evidence(actions["1.1"], by=manager, kind=ActionEvidence.Kind.CHILD_RECORD,
                  summary=f"{CHILD_FIRST} {CHILD_LAST}'s assessment, completed in 30 days", linked_id=child.pk)
    with acting_as("test"):
        IndicatorTarget(local_authority=la, indicator="assessments_45wd", value=85.0).save()
    make_visit(la, visit_from=date(2026, 3, 4), visit_to=date(2026, 3, 5), focus="Help and protection: the front door",
               inspectors="Two of His Majesty's Inspectors", letter_published_on=date(2026, 4, 2),
               findings="Leaders have a better grip on the front door. Assessments remain too slow in two teams.",
               areas=[front_door])
    past = make_meeting(la, held_on=date(2026, 10, 8), decisions="Agreed to extend the advocates' funding review.")
    meeting = make_meeting(la, held_on=date(2026, 12, 10), chair="Independent chair, Professor Ada Byrne",
                           location="Council House, Committee Room 2",
                           agenda="1. Plan progress\n2. Impact\n3. Workforce and funding risks\n4. Finance")
    p = Programme(la=la, c=c, manager=manager, director=director, owner=owner, child=child, inspection=inspection,
                  actions=actions, meeting=meeting, past_meeting=past)
    _finance(la)
    _workforce(p)
    _training(p)
    if audits:
        _audits(p)
    return p
