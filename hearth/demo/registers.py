"""The education registers of the synthetic council: children missing education and electively home educated.

A few dozen children are on each register at any time in a Nottingham-sized city (fewer in a
smaller council), with the closed cases of the five years behind them. Most are not known to
social care; about one in five is, and the registers flag them live (a child in need, on a
child protection plan, or in care). Missing-education cases have their enquiries (school, health,
housing, other councils, a home visit) and an outcome; some end in elective home education, which
then has its own case. Home-education cases have the parents' reasons, visits or written evidence,
the council's view of whether the education is suitable, and an end.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from hearth.chronology.models import EventType
from hearth.clocks.working_days import add_months, add_working_days
from hearth.education.models import CMECase, CMEEnquiry, EHECase, EHEVisit
from hearth.workspace.dates import age_on

from . import care_text as text
from .bulk import new

if TYPE_CHECKING:
    from .care import CareBuilder
    from .families import Kid

POOL = 400
CME_OPEN, EHE_OPEN = 35, 50  # open cases for a medium council (3,500 open social care cases)



class RegisterBuilder:
    def __init__(self, care: CareBuilder, *, seed: int, open_cases: int):
        self.care = care
        self.la = care.la
        self.rng = random.Random(f"hearth-demo-registers-{seed}")
        self.today = care.today
        scale = open_cases / 3500
        self.cme_open = max(2, round(CME_OPEN * scale))
        self.ehe_open = max(3, round(EHE_OPEN * scale))
        # Children of school age some time in the five years: known to social care now, and the rest.
        self.known: list[Kid] = []
        self.others: list[Kid] = []
        self._seen = [0, 0]
        self.cases: list[CMECase] = []
        self.enquiries: list[CMEEnquiry] = []
        self.ehe: list[EHECase] = []
        self.visits: list[EHEVisit] = []

    def candidate(self, kid: Kid) -> None:
        if kid.dob is None or kid.person.date_of_death is not None:
            return
        if age_on(kid.dob, self.today) > 20 or age_on(kid.dob, self.today) < 5:
            return
        known = any(s.end is None for s in kid.spans)
        pool, slot = (self.known, 0) if known else (self.others, 1)
        self._seen[slot] += 1
        if len(pool) < POOL:
            pool.append(kid)
        elif (i := self.rng.randrange(self._seen[slot])) < POOL:
            pool[i] = kid

    def flush(self) -> None:
        save = self.care.writer.save
        save(CMECase, self.cases)
        save(CMEEnquiry, self.enquiries)
        save(EHECase, self.ehe)
        save(EHEVisit, self.visits)
        self.cases, self.enquiries, self.ehe, self.visits = [], [], [], []

    # ------------------------------------------------------------------------------------------ the cases

    def _child(self, taken: set[int], open_: bool) -> Kid | None:
        rng = self.rng
        pool = self.known if (rng.random() < 0.2 and self.known) else self.others or self.known
        for _ in range(30):
            kid = rng.choice(pool)
            if id(kid) not in taken:
                taken.add(id(kid))
                return kid
        return None

    def _notified(self, kid: Kid, open_: bool) -> date | None:
        """A day the child was 5 to 15; recent for an open case, any time in the five years for a closed one."""
        rng, today = self.rng, self.today
        assert kid.dob is not None
        lo = max(self.care.window_start, kid.dob + timedelta(days=5 * 366))
        hi = min(today - timedelta(days=3), kid.dob + timedelta(days=15 * 365))
        if open_:
            # On a register today: still of compulsory school age.
            if age_on(kid.dob, today) >= 16:
                return None
            lo = max(lo, today - timedelta(days=300))
        else:
            hi = min(hi, today - timedelta(days=60))
        if hi <= lo:
            return None
        return lo + timedelta(days=rng.randint(0, (hi - lo).days))

    def finish(self) -> None:
        rng, care = self.rng, self.care
        officers: list[Any] = list(care.staff.education_officers) or [None]
        taken: set[int] = set()
        for register, open_, count in (("cme", True, self.cme_open), ("cme", False, self.cme_open * 4),
                                       ("ehe", True, self.ehe_open), ("ehe", False, self.ehe_open * 2)):
            for _ in range(count):
                for _attempt in range(25):
                    kid = self._child(taken, open_)
                    day = self._notified(kid, open_) if kid is not None else None
                    if kid is not None and day is not None:
                        if register == "cme":
                            self._cme(kid, day, open_=open_, officer=rng.choice(officers))
                        else:
                            self._ehe(kid, day, open_=open_, officer=rng.choice(officers))
                        break
                    if kid is not None:
                        taken.discard(id(kid))
        care.summary.cme_cases = len(self.cases)
        care.summary.ehe_cases = len(self.ehe)

    def _cme(self, kid: Kid, day: date, *, open_: bool, officer: Any) -> None:
        rng, care, today = self.rng, self.care, self.today
        holidays = care.holidays
        school = care._school(kid, day)
        reason = rng.choices(list(CMECase.Reason.values), [30, 15, 25, 15, 10, 5])[0]
        by = rng.choices(list(CMECase.NotifiedBy.values), [65, 20, 5, 10])[0]
        case = new(CMECase, local_authority=self.la, child=kid.person, notified_on=day, notified_by=by,
                   notified_by_name=school if by == "school" else "Health visiting team" if by == "agency"
                   else "Parent" if by == "parent" else "Neighbour",
                   last_known_school=school, last_known_address="", reason=reason,
                   reason_detail=rng.choice(text.CME_DETAIL))
        self.cases.append(case)
        care._event(kid.person, day, EventType.EDUCATION, "Notified as missing education", case.reason_detail,
                    officer, case, "record")
        made = day
        last = day
        # Enquiries follow one another; an open case is still being worked, so its last one is recent.
        for _ in range(rng.randint(1, 4) if not open_ else 12):
            made = add_working_days(made, rng.randint(1, 8) if not open_ else rng.randint(4, 20), holidays)
            if made > today:
                break
            last = made
            self.enquiries.append(new(CMEEnquiry, local_authority=self.la, case=case, made_on=made,
                                      agency=rng.choice(list(CMEEnquiry.Agency.values)),
                                      agency_name=school if rng.random() < 0.4 else "",
                                      found=rng.choice(text.CME_FOUND), recorded_by=officer))
        case.review_on = add_working_days(last, 10, holidays)
        if open_:
            return
        outcome = rng.choices(list(CMECase.Outcome.values), [45, 25, 10, 10, 10])[0]
        case.outcome = outcome
        case.outcome_on = min(last + timedelta(days=rng.randint(1, 40)), today - timedelta(days=1))
        case.outcome_detail = ("Details passed to the council where the family now lives." if outcome == "passed_on"
                               else "Found on the roll of an academy in the city." if outcome == "in_school_here"
                               else "Family confirmed the move." if outcome != "other" else "Child now at a PRU.")
        case.closed_on = min(case.outcome_on + timedelta(days=rng.randint(0, 10)), today)
        care._event(kid.person, case.closed_on, EventType.EDUCATION, "Missing education case closed",
                    case.outcome_detail, officer, case, "record")
        if outcome == "home_educated":
            still = rng.random() < 0.5 and age_on(kid.dob, today) < 16  # type: ignore[arg-type]
            self._ehe(kid, case.outcome_on, open_=still, officer=officer, from_cme=case)

    def _ehe(self, kid: Kid, day: date, *, open_: bool, officer: Any, from_cme: CMECase | None = None) -> None:
        rng, care, today = self.rng, self.care, self.today
        assert kid.dob is not None
        reasons = ["not_given"] if rng.random() < 0.1 else rng.sample(
            [r for r in EHECase.Reason.values if r not in ("not_given", "other")], rng.randint(1, 2))
        case = new(EHECase, local_authority=self.la, child=kid.person, notified_on=day, reasons=reasons,
                   school_left=care._school(kid, day), from_cme=from_cme,
                   review_on=add_working_days(day, 20, care.holidays))
        self.ehe.append(case)
        care._event(kid.person, day, EventType.EDUCATION, "Elective home education: notified",
                    ", ".join(reasons).replace("_", " "), officer, case, "record")
        visited = day
        last_visit: date | None = None
        for _ in range(rng.randint(0, 3)):
            visited = visited + timedelta(days=rng.randint(15, 200) if last_visit is None else rng.randint(200, 400))
            if visited >= today:
                break
            kind = rng.choices(list(EHEVisit.Kind.values), [55, 10, 25, 10])[0]
            self.visits.append(new(EHEVisit, local_authority=self.la, case=case, happened_on=visited, kind=kind,
                                   child_seen=kind in ("home_visit", "meeting_elsewhere") and rng.random() < 0.85,
                                   notes=rng.choice(text.EHE_VISIT), recorded_by=officer))
            last_visit = visited
            case.review_on = add_months(visited, 12)
            if case.suitability == "":
                case.suitability = rng.choices(list(EHECase.Suitability.values), [80, 15, 5])[0]
                case.suitability_on = visited
                case.suitability_detail = ("" if case.suitability == "suitable" else
                                           "Little evidence of a broad curriculum; informal enquiry started.")
        if open_:
            return
        earliest = last_visit or day
        ended = earliest + timedelta(days=rng.randint(20, 400))
        sixteen = kid.dob + timedelta(days=16 * 365 + 5)
        if ended >= today:
            ended = today - timedelta(days=1)
        if ended < earliest:
            return
        reason = rng.choices(list(EHECase.EndReason.values), [50, 20, 25, 5])[0]
        if reason == "sixteen":
            if sixteen > today or sixteen < earliest:
                reason = "returned_to_school"
            else:
                ended = sixteen
        case.ended_on, case.end_reason = ended, reason
        case.end_detail = "Now attends an academy in the city." if reason == "other" else ""
        care._event(kid.person, ended, EventType.EDUCATION, "Elective home education ended", reason.replace("_", " "),
                    officer, case, "record")
