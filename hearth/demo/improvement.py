"""The synthetic council's improvement programme since an inadequate inspection in July of the inspection year
(``Programme.inspection_year``, about four years before today): the inspection and the one before it, eight
areas for improvement written as an Ofsted letter writes them, an improvement plan of 24 actions (about half
complete, the rest mostly on track, two overdue) each open one tied to the indicators that show its impact,
evidence on most actions (notes, the council's audit rounds and practice weeks, courses, visits, two small
documents), monitoring visits every four to six months with letters that show progress, improvement board
meetings every eight weeks with the next one in two or three weeks, and last year's agreed self-evaluation with
this year's draft where ``hearth.improvement.self_evaluation`` can assemble one.

Indicator baselines are the council's own figures for the year to a month end about three years ago where
Hearth can compute them, else a figure like Nottingham's then. Codes not in the indicator registry are left out.
Deterministic for a seed (its own random streams; rows chosen in the order of natural keys).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.case_audits.models import AuditRound, PracticeWeek
from hearth.improvement.models import (
    ActionEvidence,
    ActionIndicator,
    AreaForImprovement,
    BoardMeeting,
    Grade,
    ImprovementAction,
    Inspection,
    InspectionJudgement,
    MonitoringVisit,
    SelfEvaluation,
)
from hearth.indicators import registry
from hearth.indicators.registry import last_month_end, rolling_year

from .bulk import new
from .programme import IMPROVEMENT_MANAGER

if TYPE_CHECKING:
    from .programme import Programme
    from .training import Courses
    from .workforce import Staff

Area = InspectionJudgement.Area
Status = ImprovementAction.Status
Rag = ImprovementAction.Rag
Kind = ActionEvidence.Kind
_ZONE = timezone.get_default_timezone()

AREAS: list[tuple[str, str]] = [
    (Area.HELP_AND_PROTECTION,
     "The timeliness and quality of decision-making at the front door, including the consistent application of "
     "thresholds when contacts and referrals are received, so that children get the right help at the right "
     "time."),
    (Area.HELP_AND_PROTECTION,
     "The quality and timeliness of strategy discussions and section 47 enquiries, including the involvement of "
     "all relevant agencies and the recording of the reasons for decisions."),
    (Area.HELP_AND_PROTECTION,
     "The effectiveness of child protection plans in reducing risk without drift, so that fewer children become "
     "subject to a plan for a second or subsequent time."),
    (Area.LEADERS,
     "The quality and impact of management oversight and supervision, so that it directs social work practice, "
     "challenges drift and is recorded on the child's record."),
    (Area.HELP_AND_PROTECTION,
     "The response to children who go missing or are at risk of exploitation, including the timeliness and quality "
     "of return home interviews and how the information from them is used to reduce risk."),
    (Area.IN_CARE,
     "How well the local authority keeps in touch with its care leavers and makes sure that they live in suitable "
     "accommodation."),
    (Area.LEADERS,
     "The stability of the workforce and the size of social workers' caseloads, so that children do not "
     "experience frequent changes of social worker."),
    (Area.LEADERS,
     "The quality assurance framework, including case auditing, so that leaders have an accurate understanding of "
     "the quality of practice and its impact on children."),
]


@dataclass(frozen=True)
class ActionSpec:
    area: int  # 1-based number of the area for improvement
    title: str
    description: str
    owner: str  # a demo username, or "sm" / "tm:<team kind>" for a generated manager
    status: str
    rag: str
    codes: tuple[str, ...] = ()
    progress: str = ""
    overdue: bool = False


E, C, P = Status.EMBEDDED, Status.COMPLETE, Status.IN_PROGRESS
ACTIONS: list[ActionSpec] = [
    ActionSpec(1, "Redesign the front door around a single multi-agency team with police and health",
               "Bring the police, health and education into the front door so that decisions on contacts are made "
               "together, with a consultant social worker on each shift.", "hos.demo", E, Rag.BLUE,
               ("assessments_45wd", "re_referrals_12m"),
               "The multi-agency front door opened as planned. Partners sit in the team every day and the board "
               "agreed it is embedded."),
    ActionSpec(1, "Publish revised threshold guidance and train every front door worker and partner in it",
               "A single threshold document agreed by the safeguarding partnership, with examples, and briefings for "
               "schools, health and the police.", "tm:front_door", C, Rag.BLUE, (),
               "Guidance published and 420 partner staff briefed. Contacts that become referrals now match the "
               "guidance in audit."),
    ActionSpec(1, "Make contact decisions within one working day and assessments within 45 working days",
               "Daily tracking of every contact and assessment against timescales, with the head of service reviewing "
               "anything at risk each week.", "tm:assessment", P, Rag.GREEN, ("assessments_45wd",),
               "Timeliness has improved every quarter for a year. The weekly tracker is working and managers act on "
               "it. Still short of the target in one assessment team."),
    ActionSpec(2, "Hold a strategy discussion with police, health and education for every child where there is "
               "reasonable cause to suspect significant harm",
               "Strategy discussions held the same day where possible, with a health professional present, and the "
               "rationale recorded.", "tm.demo", C, Rag.BLUE, (),
               "Audit shows health now attends most strategy discussions and the reasons for decisions are "
               "recorded."),
    ActionSpec(2, "Improve the quality of section 47 enquiries: seeing the child alone and analysing risk",
               "A practice standard for section 47 enquiries, with every enquiry signed off by a team manager who "
               "checks that the child was seen alone.", "tm.demo", P, Rag.AMBER, ("icpc_15wd",),
               "The standard is in place. Audit shows children are seen alone more often but analysis of risk is "
               "still too descriptive in a third of enquiries."),
    ActionSpec(2, "Convene initial child protection conferences within 15 working days",
               "Conference booking at the strategy discussion, extra chairing capacity and a weekly timeliness "
               "report.", "sm", P, Rag.GREEN, ("icpc_15wd",),
               "Conferences are booked at the strategy discussion. Timeliness is now close to the target."),
    ActionSpec(3, "Introduce a tracker for children on a plan for more than nine months",
               "Every plan over nine months reviewed by the head of service with the chair and the team manager.",
               "hos.demo", E, Rag.BLUE, ("cpp_open_2yrs",),
               "Tracker in place since the first monitoring visit. Fewer children now stay on a plan for two years; "
               "signed off as embedded."),
    ActionSpec(3, "Reduce repeat child protection plans through better step-down and family network support",
               "Family network meetings before any plan ends, and a check by the chair that the change has lasted.",
               "sm", P, Rag.RED, ("cpp_second",),
               "Repeat plans have come down only slightly and remain well above England. A deep dive of 40 repeat "
               "plans is under way and will report to the next board.", True),
    ActionSpec(3, "Chairs to challenge drift through the conference and escalation process",
               "IRO and chair escalations tracked, with a quarterly report to the board.", "sm", C, Rag.BLUE, (),
               "Escalations are tracked and reported; most are resolved within 20 working days."),
    ActionSpec(4, "Set a supervision standard and check it monthly",
               "Monthly supervision for every worker, recorded on the child's record as case discussion.",
               "dcs.demo", E, Rag.BLUE, (),
               "Supervision is recorded in Hearth and compliance is reported monthly. Board agreed it is embedded."),
    ActionSpec(4, "Train every team manager and senior practitioner in reflective supervision",
               "The practice supervisors development programme for all first line managers.", "hos.demo", P,
               Rag.AMBER, ("caseload_average",),
               "Two cohorts have finished the programme; the third starts next month. Recording of management "
               "direction on the child's record is still inconsistent."),
    ActionSpec(4, "Adopt restorative practice as the council's practice model",
               "Train 800 practitioners across the council and its partners in restorative practice by March.",
               IMPROVEMENT_MANAGER, P, Rag.GREEN, ("re_referrals_12m",),
               "612 of the 800 practitioners are trained. Sessions are booked to reach the target by the end of the "
               "financial year."),
    ActionSpec(5, "Offer every child a return home interview within 72 hours",
               "Missing from home advocates in the exploitation team, paid from the improvement reserve, with "
               "interviews tracked daily.", "el.demo", P, Rag.GREEN, ("rhi_in_time",),
               "More children are offered an interview in time since the advocates started. Their funding ends "
               "within the year: the board has asked for a sustainability plan."),
    ActionSpec(5, "Use what children say in return home interviews in their plans and in disruption work",
               "Interview themes shared with the worker, the exploitation panel and the police every week.",
               "el.demo", C, Rag.BLUE, (),
               "Themes are shared weekly and used by the exploitation panel to map places and adults of concern."),
    ActionSpec(5, "Screen every child at risk of exploitation with the exploitation screening tool",
               "The screening tool completed at assessment and reviewed at each missing episode.", "sm", C,
               Rag.BLUE, (),
               "Completed for nine in ten children referred for exploitation concerns."),
    ActionSpec(6, "Keep in touch with every care leaver aged 19 to 21",
               "Three extra personal advisers, paid from the improvement reserve, and a monthly check of who has not "
               "been contacted.", "tm:care_leavers", P, Rag.AMBER,
               ("care_leavers_not_in_touch", "care_leavers_suitable_19_21"),
               "Contact has improved but the extra advisers' funding ends within the year and one post is vacant."),
    ActionSpec(6, "Agree a joint housing protocol for care leavers with the housing service",
               "Priority banding, a supported lodgings scheme and no care leaver in bed and breakfast.",
               "hos.demo", C, Rag.BLUE, (),
               "Protocol signed by housing and the council's cabinet; no care leaver placed in bed and breakfast "
               "since."),
    ActionSpec(6, "Refresh the local offer for care leavers with young people",
               "The local offer rewritten with the children in care council and published online.", "sm", C,
               Rag.BLUE, (), "Published, and promoted through the care leavers' hub."),
    ActionSpec(7, "Recruit and keep social workers: a market supplement and an ASYE academy",
               "A market supplement for hard-to-fill posts, the ASYE academy and a practice educator for newly "
               "qualified workers.", "dcs.demo", E, Rag.BLUE, ("turnover_rate", "agency_rate"),
               "Turnover and agency use have fallen each year since the inspection and are now close to England's."),
    ActionSpec(7, "Bring average caseloads down to 17 children per social worker",
               "Additional team managers and the conversion of agency workers to permanent posts.", "dcs.demo", P,
               Rag.RED, ("caseload_average", "vacancy_rate"),
               "Caseloads are still above 17 in the assessment and safeguarding teams. The additional team managers' "
               "funding ends in the next year.", True),
    ActionSpec(7, "Reduce sickness absence through wellbeing support and manager training",
               "Occupational health referrals within a week, wellbeing champions and return-to-work conversations.",
               "hos.demo", P, Rag.GREEN, ("absence_rate",),
               "Sickness absence fell this year after a poor 2025."),
    ActionSpec(8, "Introduce a quality assurance framework with monthly case audits",
               "Monthly random and themed audits, moderated, with learning reported to the board.",
               IMPROVEMENT_MANAGER, E, Rag.BLUE, (),
               "Monthly audit rounds run in Hearth, moderated, with themes reported to every board."),
    ActionSpec(8, "Hold a practice week each year with leaders observing practice",
               "A week in which leaders audit with workers, observe visits and hear from families.",
               IMPROVEMENT_MANAGER, C, Rag.BLUE, (), "Held; findings reported to the board."),
    ActionSpec(8, "Close audit actions on time and show their impact for the child",
               "Actions from audits tracked to completion, with a re-audit of a sample.", IMPROVEMENT_MANAGER, P,
               Rag.AMBER, ("cpp_open_2yrs",),
               "Most audit actions are completed on time; a fifth are overdue, mostly in two teams."),
]
TARGETS = {
    "assessments_45wd": 85.0, "re_referrals_12m": 22.0, "icpc_15wd": 88.0, "cpp_second": 22.0,
    "cpp_open_2yrs": 2.0, "caseload_average": 17.0, "rhi_in_time": 85.0, "care_leavers_not_in_touch": 5.0,
    "care_leavers_suitable_19_21": 90.0, "turnover_rate": 12.0, "agency_rate": 10.0, "vacancy_rate": 12.0,
    "absence_rate": 4.0,
}
# Figures like Nottingham's three years ago, where the council's own cannot be computed.
FALLBACK_BASELINES = {
    "assessments_45wd": 62.0, "re_referrals_12m": 28.0, "icpc_15wd": 72.0, "cpp_second": 27.0,
    "cpp_open_2yrs": 4.5, "caseload_average": 19.5, "rhi_in_time": 55.0, "care_leavers_not_in_touch": 12.0,
    "care_leavers_suitable_19_21": 82.0, "turnover_rate": 26.0, "agency_rate": 19.0, "vacancy_rate": 20.0,
    "absence_rate": 5.2,
}
VISITS: list[tuple[str, tuple[int, ...], str]] = [
    ("Children in need of help and protection at the front door", (1, 2),
     "Leaders have an accurate understanding of the front door's weaknesses and have acted quickly. Partners are now "
     "in the team, but too many contacts still wait more than a day for a decision, and thresholds are not yet "
     "applied consistently. Strategy discussions are held, but health attends too few."),
    ("Children subject to child protection plans", (3, 4),
     "Progress is slow. Plans are clearer and the new tracker has begun to reduce drift, but too many children are "
     "on a plan for a second time. Supervision happens more often; it does not yet direct practice."),
    ("Children in care", (4, 6),
     "Most children in care live in stable homes and are visited regularly. Managers' oversight is more visible. "
     "Personal advisers are not in touch with enough care leavers, and some live in unsuitable accommodation."),
    ("Children who go missing and children at risk of exploitation", (5,),
     "Leaders have a better grip. Missing from home advocates now offer most children a return home interview in "
     "time, and what children say is shared with the exploitation panel. The quality of interviews varies."),
    ("Care leavers", (6,),
     "Additional personal advisers have improved contact with care leavers. A housing protocol means no care leaver "
     "is in bed and breakfast. Pathway plans are not always updated when circumstances change."),
    ("The front door, strategy discussions and section 47 enquiries", (1, 2),
     "Children now receive a more timely response at the front door. Thresholds are understood by partners. "
     "Section 47 enquiries are more thorough, though the analysis of risk is still too descriptive in some."),
    ("Children in care: permanence and stability", (4, 7),
     "Permanence planning is more timely and fewer children have changes of social worker, as the workforce has "
     "stabilised. Caseloads remain high in some teams."),
    ("Children in need and child protection: management oversight and the workforce", (3, 4, 7),
     "Leaders have sustained improvement. Social workers say they are well supported and caseloads are more "
     "manageable. Repeat child protection plans remain too high and leaders know why."),
    ("Care leavers and young people at risk of exploitation", (5, 6),
     "Return home interviews are timely for most children and inform their plans. Leaders are aware that the "
     "posts that made this possible are funded temporarily and are planning how to keep them."),
    ("Quality assurance and the impact of leaders", (7, 8),
     "Leaders' self-evaluation is accurate. Audits are moderated and lead to learning. The improvement board "
     "holds leaders to account well. Sustaining the temporarily funded improvements is the main risk."),
]
BOARD_FOCUS = [
    "the front door and thresholds", "strategy discussions and section 47 enquiries", "child protection plans",
    "supervision and management oversight", "missing children and exploitation", "care leavers",
    "the workforce and caseloads", "quality assurance and audit", "the budget and the placements overspend",
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=_ZONE)


def _weekday(day: date, weekday: int = 0) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


class ImprovementBuilder:
    def __init__(self, programme: Programme, staff: Staff, courses: Courses):
        self.p, self.staff, self.courses = programme, staff, courses
        self.la, self.today = programme.la, programme.today
        self.rng = programme.rng("improvement")
        self.fake = programme.faker("improvement")
        self.year = programme.inspection_year
        self.writer = programme.writer
        self.registered = set(registry.REGISTRY)

    # ------------------------------------------------------------------------------------------ people

    def owners(self) -> dict[str, User]:
        users = self.staff.users
        by_name = self.staff.by_username
        leaders = [by_name[n] for n in ("hos.demo", "dcs.demo", IMPROVEMENT_MANAGER) if n in by_name]
        fallback = leaders[0] if leaders else users[0]
        owners = {n: by_name.get(n, fallback) for n in ("hos.demo", "dcs.demo", "tm.demo", "el.demo",
                                                         IMPROVEMENT_MANAGER)}
        managers = [u for u in users if u.role == Role.SERVICE_MANAGER and u.username != "hos.demo"
                    and u.employment_type == User.EmploymentType.PERMANENT]
        owners["sm"] = managers[0] if managers else owners["hos.demo"]
        for kind in (Team.Kind.FRONT_DOOR, Team.Kind.ASSESSMENT, Team.Kind.CARE_LEAVERS):
            found = [u for u in users if u.role == Role.TEAM_MANAGER and u.team is not None and u.team.kind == kind
                     and u.employment_type == User.EmploymentType.PERMANENT and u.username != "tm.demo"]
            owners[f"tm:{kind}"] = found[0] if found else owners["tm.demo"]
        return owners

    # ------------------------------------------------------------------------------------------ inspections

    def inspections(self) -> tuple[Inspection, list[AreaForImprovement]]:
        la, year = self.la, self.year
        before_from = _weekday(date(year - 4, 6, 4))
        previous = new(Inspection, local_authority=la, kind=Inspection.Kind.STANDARD, on_site_from=before_from,
                       on_site_to=before_from + timedelta(days=11), published_on=before_from + timedelta(days=56),
                       summary="Services for children require improvement to be good. Leaders know their services "
                               "well, but the quality of practice is too variable and the front door is not "
                               "consistently timely.")
        on_site = _weekday(date(year, 7, 4))
        inspection = new(
            Inspection, local_authority=la, kind=Inspection.Kind.STANDARD, on_site_from=on_site,
            on_site_to=on_site + timedelta(days=11), published_on=on_site + timedelta(days=65),
            summary="Services for children in " + self.la.name.removesuffix(" Council").removesuffix(" City")
                    + " are inadequate. Since the last inspection, services for children who need help and "
                    "protection have deteriorated. Too many children wait too long for decisions at the front "
                    "door, and some children are left in situations of risk for too long. Workforce instability and "
                    "high caseloads have affected the quality of practice. Leaders have recognised many of the "
                    "weaknesses but have not acted quickly enough to address them.")
        self.writer.save(Inspection, [previous, inspection])
        grades = [(previous, Area.OVERALL, Grade.REQUIRES_IMPROVEMENT),
                  (previous, Area.LEADERS, Grade.REQUIRES_IMPROVEMENT),
                  (previous, Area.HELP_AND_PROTECTION, Grade.REQUIRES_IMPROVEMENT),
                  (previous, Area.IN_CARE, Grade.REQUIRES_IMPROVEMENT),
                  (inspection, Area.OVERALL, Grade.INADEQUATE),
                  (inspection, Area.LEADERS, Grade.REQUIRES_IMPROVEMENT),
                  (inspection, Area.HELP_AND_PROTECTION, Grade.INADEQUATE),
                  (inspection, Area.IN_CARE, Grade.REQUIRES_IMPROVEMENT)]
        self.writer.save(InspectionJudgement, [new(InspectionJudgement, local_authority=la, inspection=i, area=a,
                                                   grade=g) for i, a, g in grades])
        areas = [new(AreaForImprovement, local_authority=la, inspection=inspection, number=n, text=text, area=area)
                 for n, (area, text) in enumerate(AREAS, start=1)]
        self.writer.save(AreaForImprovement, areas)
        self.inspection = inspection
        return inspection, areas

    # ------------------------------------------------------------------------------------------ visits and board

    def visits(self, areas: list[AreaForImprovement]) -> list[MonitoringVisit]:
        rng = self.rng
        assert self.inspection.published_on is not None
        day = _weekday(self.inspection.published_on + timedelta(days=150), 1)
        visits: list[MonitoringVisit] = []
        links: list[tuple[MonitoringVisit, AreaForImprovement]] = []
        n = 0
        while day + timedelta(days=1) < self.today - timedelta(days=7):
            focus, numbers, findings = VISITS[n % len(VISITS)]
            end = day + timedelta(days=1)
            letter = end + timedelta(days=rng.randint(24, 32))
            visit = new(MonitoringVisit, local_authority=self.la, visit_from=day, visit_to=end, focus=focus,
                        inspectors=f"{self.fake.name()} HMI and {self.fake.name()} HMI",
                        letter_published_on=letter if letter <= self.today else None,
                        findings=findings if letter <= self.today else
                        "Feedback given to leaders on the day; the letter is awaited.")
            visits.append(visit)
            links += [(visit, areas[i - 1]) for i in numbers]
            n += 1
            day = _weekday(day + timedelta(days=rng.randint(120, 180)), 1)
        self.writer.save(MonitoringVisit, visits)
        through = MonitoringVisit.areas_for_improvement.through
        through.objects.bulk_create([through(monitoringvisit_id=v.pk, areaforimprovement_id=a.pk) for v, a in links])
        self.writer.rows += len(links)
        return visits

    def board(self, visits: list[MonitoringVisit]) -> list[BoardMeeting]:
        rng = self.rng
        assert self.inspection.published_on is not None
        chair = f"{self.fake.name()} (independent chair)"
        place = "Council offices, committee room 1"
        day = _weekday(self.inspection.published_on + timedelta(days=63), 3)
        meetings: list[BoardMeeting] = []
        n = 0
        while day < self.today:
            focus = BOARD_FOCUS[n % len(BOARD_FOCUS)]
            visit = next((v for v in reversed(visits) if v.visit_to < day and v.letter_published_on
                          and v.letter_published_on <= day and v.letter_published_on > day - timedelta(days=60)),
                         None)
            agenda = self.agenda(focus, visit)
            minutes = (f"The board reviewed the plan's progress and the performance report. Deep dive: {focus}. "
                       + ("The board considered the latest monitoring visit letter and agreed the areas to "
                          "strengthen. " if visit else "")
                       + rng.choice(["Members challenged the pace of change in the assessment teams.",
                                     "Partners reported on their part of the plan; health attendance at strategy "
                                     "discussions has improved.",
                                     "The director reported on recruitment and the fall in agency use.",
                                     "The finance business partner presented the budget position and the "
                                     "placements overspend."]))
            decisions = rng.choice([
                "Actions rated red to come back to the next meeting with a recovery plan.",
                "The board agreed to sign off two actions as complete and embedded.",
                "The board asked for a sustainability plan for the posts funded from the improvement reserve.",
                "The board agreed the revised target dates for the overdue actions.",
            ])
            meetings.append(new(BoardMeeting, local_authority=self.la, held_on=day, chair=chair, location=place,
                                agenda=agenda, minutes=minutes, decisions=decisions))
            n += 1
            day = _weekday(day + timedelta(days=rng.randint(49, 63)), 3)
        upcoming = _weekday(self.today + timedelta(days=rng.randint(14, 18)), 3)
        meetings.append(new(BoardMeeting, local_authority=self.la, held_on=upcoming, chair=chair, location=place,
                            agenda=self.agenda(BOARD_FOCUS[n % len(BOARD_FOCUS)], None, sustainability=True)))
        self.writer.save(BoardMeeting, meetings)
        return meetings

    def agenda(self, focus: str, visit: MonitoringVisit | None, *, sustainability: bool = False) -> str:
        items = ["Welcome, apologies and minutes of the last meeting", "Improvement plan: progress and actions "
                 "rated red", "Performance report: indicators against targets and neighbours",
                 f"Deep dive: {focus}"]
        if visit is not None:
            items.append(f"Monitoring visit letter: {visit.focus.lower()}")
        if sustainability:
            items.append("Workforce and funding: posts whose funding ends in the next 12 months")
        items += ["Case audit themes", "Any other business"]
        return "\n".join(f"{i}. {item}" for i, item in enumerate(items, start=1))

    # ------------------------------------------------------------------------------------------ the plan

    def due_dates(self) -> list[date]:
        """Complete actions were due in the two years after the plan was agreed; open ones are due from a few
        weeks ago (the overdue two) to the end of next year."""
        rng = self.rng
        agreed = self.plan_agreed
        done_span = max(60, (min(self.today, date(self.year + 3, 6, 30)) - agreed).days - 60)
        out = []
        for spec in ACTIONS:
            if spec.status in (Status.COMPLETE, Status.EMBEDDED):
                out.append(agreed + timedelta(days=90 + rng.randrange(done_span)))
            elif spec.overdue:
                out.append(self.today - timedelta(days=rng.randint(20, 80)))
            else:
                out.append(self.today + timedelta(days=rng.randint(45, 400)))
        return out

    def baselines(self, codes: set[str]) -> tuple[date, dict[str, float]]:
        """The council's own figure for the year to a month end about three years ago, where it has one."""
        from hearth.indicators.compute import figures

        baseline_on = last_month_end(self.today - relativedelta(years=3))
        start, end = rolling_year(baseline_on)
        found = {}
        if codes:
            for figure in figures(local_authority=self.la, start=start, end=end, codes=sorted(codes)):
                if figure.value is not None and (figure.denominator is None or figure.denominator > 0):
                    found[figure.code] = round(float(figure.value), 1)
        return baseline_on, found

    def plan(self, areas: list[AreaForImprovement], visits: list[MonitoringVisit]) -> list[ImprovementAction]:
        rng = self.rng
        owners = self.owners()
        due = self.due_dates()
        actions: list[ImprovementAction] = []
        refs: dict[int, int] = {}
        for spec, due_on in zip(ACTIONS, due, strict=True):
            refs[spec.area] = refs.get(spec.area, 0) + 1
            done = spec.status in (Status.COMPLETE, Status.EMBEDDED)
            completed = None
            if done:
                completed = min(due_on - timedelta(days=rng.randint(-20, 60)), self.today - timedelta(days=30))
                completed = max(completed, self.plan_agreed + timedelta(days=30))
            actions.append(new(ImprovementAction, local_authority=self.la, area_for_improvement=areas[spec.area - 1],
                               reference=f"{spec.area}.{refs[spec.area]}", title=spec.title,
                               description=spec.description, owner=owners[spec.owner], due_on=due_on,
                               status=spec.status, rag=spec.rag, progress_summary=spec.progress,
                               completed_on=completed))
        self.writer.save(ImprovementAction, actions)
        codes = {c for spec in ACTIONS for c in spec.codes if c in self.registered}
        baseline_on, found = self.baselines(codes)
        links = []
        for spec, action in zip(ACTIONS, actions, strict=True):
            if spec.status == Status.COMPLETE:
                continue
            linked = [c for c in spec.codes if c in self.registered and c in TARGETS]
            if not linked and spec.status == Status.IN_PROGRESS:
                # Every open action shows its impact: an indicator not (yet) in the registry gives way to one that is.
                linked = [c for c in TARGETS if c in self.registered][:1]
            for code in linked:
                target = TARGETS[code]
                by = action.due_on if action.due_on > self.today else date(self.today.year + 1, 3, 31)
                links.append(new(ActionIndicator, local_authority=self.la, action=action, indicator=code,
                                 baseline=found.get(code, FALLBACK_BASELINES.get(code)), baseline_on=baseline_on,
                                 target=target, target_by=by))
        self.writer.save(ActionIndicator, links)
        self.evidence(actions, visits, owners)
        return actions

    # ------------------------------------------------------------------------------------------ evidence

    def evidence(self, actions: list[ImprovementAction], visits: list[MonitoringVisit],
                 owners: dict[str, User]) -> None:
        rng = self.rng
        la = self.la
        manager = owners[IMPROVEMENT_MANAGER]
        rounds = list(AuditRound.objects.filter(local_authority=la).order_by("month", "title", "drawn_on"))
        weeks = list(PracticeWeek.objects.filter(local_authority=la).order_by("start", "title"))
        rows: list[ActionEvidence] = []

        def add(action: ImprovementAction, kind: str, summary: str, *, note: str = "", code: str = "",
                linked: int | None = None, document: str = "", by: User | None = None) -> None:
            start = max(self.plan_agreed, (action.completed_on or self.today) - timedelta(days=300))
            end = action.completed_on or self.today - timedelta(days=1)
            day = start + timedelta(days=rng.randrange(max(1, (end - start).days)))
            rows.append(new(ActionEvidence, local_authority=la, action=action, kind=kind, summary=summary,
                            note=note, linked_code=code, linked_id=linked, document=document,
                            added_by=by or action.owner, added_at=_at(day, rng.randint(9, 16))))

        for spec, action in zip(ACTIONS, actions, strict=True):
            if rng.random() < 0.12 and action.reference not in ("1.1", "5.1", "4.3"):
                continue  # a few actions have no evidence yet
            add(action, Kind.NOTE, "Progress reported to the improvement board", note=spec.progress)
            codes = [c for c in spec.codes if c in self.registered]
            if codes:
                add(action, Kind.INDICATOR, f"{registry.get(codes[0]).title}: the figure the board watches",
                    code=codes[0], by=manager)
            if rounds and spec.area in (1, 2, 3, 4, 8):
                chosen = rounds[rng.randrange(len(rounds))]
                add(action, Kind.AUDIT_ROUND, f"Case audit round: {chosen.title}",
                    note="The audit found the practice this action set out to change.", linked=chosen.pk, by=manager)
            if weeks and spec.area in (4, 8):
                week = weeks[rng.randrange(len(weeks))]
                add(action, Kind.PRACTICE_WEEK, f"Practice week: {week.title}", linked=week.pk, by=manager)
            if spec.area == 5 and rng.random() < 0.7:
                add(action, Kind.TRAINING_COURSE, "Exploitation awareness training for case holders",
                    linked=self.courses.exploitation.pk)
            if "restorative" in spec.title.lower():
                add(action, Kind.TRAINING_COURSE, "Restorative practice: sessions and attendance",
                    linked=self.courses.restorative.pk)
            if visits and spec.area in (1, 5, 6) and rng.random() < 0.6:
                visit = next((v for v in visits if spec.area in VISITS[visits.index(v) % len(VISITS)][1]), visits[0])
                add(action, Kind.MONITORING_VISIT, f"Monitoring visit: {visit.focus}", linked=visit.pk, by=manager)
        first = next(a for a in actions if a.reference == "1.1")
        add(first, Kind.DOCUMENT, "Threshold guidance agreed by the safeguarding partnership",
            document=self._document(f"improvement/evidence/{self.year + 1}/03/threshold-guidance-summary.txt",
                                    self._threshold_text), by=first.owner)
        missing = next(a for a in actions if a.reference == "5.1")
        add(missing, Kind.DOCUMENT, "Return home interviews: monthly tracker for the board",
            document=self._document(f"improvement/evidence/{self.today.year}/{self.today.month:02d}/"
                                    "return-home-interviews-tracker.csv", self._tracker_text), by=missing.owner)
        rows.sort(key=lambda e: (e.action.reference, e.added_at, e.kind))
        # Through the audited bulk create, whose history records a stored file by its name (the seed writer's
        # takes plain values only).
        with acting_as(self.writer.actor):
            ActionEvidence.objects.bulk_create(rows)
        self.writer.rows += 2 * len(rows)

    def _document(self, name: str, text: Callable[[], str]) -> str:
        return default_storage.save(name, ContentFile(text().encode("utf-8")))

    def _threshold_text(self) -> str:
        return ("Threshold guidance: summary for partners (synthetic demo document)\n\n"
                "Level 1: universal services. Level 2: early help. Level 3: children in need (section 17).\n"
                "Level 4: children at risk of significant harm (section 47): call the front door straight away.\n"
                "Every contact is decided within one working day, with the reasons recorded.\n")

    def _tracker_text(self) -> str:
        rows = ["month,returns,interviews offered within 72 hours,percent"]
        rng = self.p.rng("improvement-tracker")
        month = (self.today.replace(day=1) - relativedelta(months=12))
        for i in range(12):
            returns = rng.randint(40, 70)
            offered = round(returns * (0.6 + 0.02 * i + rng.uniform(-0.03, 0.03)))
            rows.append(f"{month:%Y-%m},{returns},{offered},{100 * offered / returns:.1f}")
            month += relativedelta(months=1)
        return "\n".join(rows) + "\n"

    # ------------------------------------------------------------------------------------------ self-evaluation

    def self_evaluations(self) -> None:
        """Last year's, agreed (this year's draft is assembled from the indicators once they are frozen:
        ``draft_self_evaluation``)."""
        last_start, last_end = _sef_year(self.today, back=1)
        rows = [new(
            SelfEvaluation, local_authority=self.la,
            title=f"Self-evaluation of social work practice, {last_start.year} to {last_end.year}",
            period_start=last_start, period_end=last_end, status=SelfEvaluation.Status.AGREED,
            quality_and_impact=(
                f"Since the inspection in July {self.year} found services inadequate, practice at the front door has "
                "improved: decisions on contacts are timely and partners apply thresholds more consistently. More "
                "assessments are completed within 45 working days, though not yet as many as in England.\n\n"
                "Child protection plans are clearer and fewer children stay on a plan for two years, but too many "
                "children become subject to a plan for a second time. Children who go missing are now offered a "
                "return home interview in time more often since the missing from home advocates started.\n\n"
                "The workforce is more stable: turnover and agency use have fallen each year. Sickness absence rose "
                "this year and is twice England's rate."),
            how_you_know=(
                "Monthly case audits, moderated, with themes reported to the improvement board; an annual practice "
                "week in which leaders audit alongside workers; the performance report against targets and "
                "statistical neighbours; four monitoring visits, whose letters recognise progress; and what "
                "children, families and staff tell us."),
            plans=(
                "Reduce repeat child protection plans through family network meetings before plans end. Keep in "
                "touch with every care leaver. Bring caseloads down to 17. Decide how to keep the temporarily "
                "funded advocates, personal advisers and team managers when their funding ends."),
        )]
        self.writer.save(SelfEvaluation, rows)

    def build(self) -> None:
        _, areas = self.inspections()
        assert self.inspection.published_on is not None
        self.plan_agreed = self.inspection.published_on + timedelta(days=90)
        visits = self.visits(areas)
        self.board(visits)
        self.plan(areas, visits)
        self.self_evaluations()


def seed_improvement(programme: Programme, *, staff: Staff, courses: Courses) -> None:
    """The inspection, plan, evidence, visits, board and last year's self-evaluation for ``programme.la``."""
    ImprovementBuilder(programme, staff, courses).build()


def _sef_year(today: date, *, back: int = 0) -> tuple[date, date]:
    """The self-evaluation year (1 October to 30 September, as the workforce census) ending at the latest 30
    September, or ``back`` years before it."""
    end = date(today.year if today >= date(today.year, 9, 30) else today.year - 1, 9, 30) - relativedelta(years=back)
    return end - relativedelta(years=1) + timedelta(days=1), end


def draft_self_evaluation(programme: Programme) -> int:
    """This year's self-evaluation, drafted by ``hearth.improvement.self_evaluation`` from the indicators, audits
    and plan (nothing when that module is not there, or the draft already is)."""
    try:
        from hearth.improvement.self_evaluation import assemble_self_evaluation
    except ImportError:
        return 0
    la, today = programme.la, programme.today
    start, end = _sef_year(today)
    if SelfEvaluation.objects.filter(local_authority=la, period_end=end).exists():
        return 0
    drafted = assemble_self_evaluation(local_authority=la, period_start=start, period_end=end)
    programme.writer.save(SelfEvaluation, [new(
        SelfEvaluation, local_authority=la,
        title=f"Self-evaluation of social work practice, {start.year} to {end.year}", period_start=start,
        period_end=end, status=SelfEvaluation.Status.DRAFT,
        quality_and_impact=drafted.get("quality_and_impact", ""), how_you_know=drafted.get("how_you_know", ""),
        plans=drafted.get("plans", ""), assembled_at=_at(today, 9))])
    return programme.writer.rows

