"""The synthetic council's foster carers and prospective adopters.

Mainstream households are laid out before any child is placed: those already approved five years
ago, approvals and deregistrations in each year since (a small net change, this year against last),
and the enquiries that went no further (most do not: about one in seven reaches approval). Each
carries every dated step of the pipeline in order, as ``hearth.fostering.services`` records them.
Connected-person households (family and friends carers) are made when a child is placed with
them. Placements take a household only while it is approved and has a free place, so no household
ever has more children than its approval allows, and none is deregistered with a child still there.
After the children are placed come the annual reviews (some overdue), today's vacancies within
each household's free places, placement requests, and the adopters' pipeline (Annex A List 11),
whose approved families are the ones the council's adopted children were placed with.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from faker import Faker

from hearth.accounts.models import User
from hearth.fostering.models import (
    AdopterApplicant,
    CareType,
    EnquirySource,
    FosterApplicant,
    FosterCarerReview,
    FosterHousehold,
    FosterVacancy,
    Need,
    PlacementRequest,
    ProspectiveAdopter,
)
from hearth.people.codes import Ethnicity
from hearth.tenancy.models import LocalAuthority

from .bulk import SeedWriter, new
from .places import Place, Places, random_place

if TYPE_CHECKING:
    from hearth.people.models import Person

Stage = FosterHousehold.Stage
ONE_DAY = timedelta(days=1)
# Approved mainstream households now, per child in care; approvals (and about as many deregistrations)
# each year, as a share of them; enquiries for each approval.
HOUSEHOLDS_PER_CHILD = 0.28
APPROVALS_A_YEAR = 0.13
ENQUIRIES_PER_APPROVAL = 7
SOURCES = [c for c in EnquirySource.values]
SOURCE_WEIGHTS = [30, 18, 12, 14, 10, 10, 4, 2]
PLACES = ([1, 2, 3, 4], [0.35, 0.45, 0.17, 0.03])
AGE_RANGES = [((0, 18), 0.4), ((0, 10), 0.2), ((5, 18), 0.15), ((11, 18), 0.15), ((0, 5), 0.1)]
DEREGISTRATION = ([FosterHousehold.DeregistrationReason.RESIGNED, FosterHousehold.DeregistrationReason.RETIRED,
                   FosterHousehold.DeregistrationReason.ADOPTED_OR_SGO, FosterHousehold.DeregistrationReason.STANDARDS,
                   FosterHousehold.DeregistrationReason.ALLEGATION],
                  [0.45, 0.3, 0.12, 0.08, 0.05])


def _between(rng: random.Random, lo: date, hi: date) -> date:
    return lo if hi <= lo else lo + timedelta(days=rng.randint(0, (hi - lo).days))


@dataclass(eq=False)
class Stay:
    start: date
    end: date | None
    children: int


@dataclass(eq=False)
class Carers:
    """One household's approval and who lives there when (the pool's bookkeeping)."""

    row: FosterHousehold
    approved_on: date
    deregistered_on: date | None
    places: int
    ages: tuple[int, int]
    stays: list[Stay] = field(default_factory=list)

    def free(self, start: date, end: date | None, children: int, today: date) -> bool:
        stop = end or today + timedelta(days=3650)
        if start < self.approved_on or (self.deregistered_on is not None and stop > self.deregistered_on):
            return False
        if self.deregistered_on is not None and end is None:
            return False
        # The most children there at once over [start, stop), counting these.
        edges = [start] + [s.start for s in self.stays if start < s.start < stop]
        for day in edges:
            there = sum(s.children for s in self.stays if s.start <= day and (s.end is None or s.end > day))
            if there + children > self.places:
                return False
        return True


class FosteringBuilder:
    """Households before the children are placed; reviews, vacancies, requests and adopters after."""

    def __init__(self, *, la: LocalAuthority, seed: int, today: date, window_start: date, writer: SeedWriter,
                 places: Places, workers: Sequence[User], in_care: int):
        self.la = la
        self.rng = random.Random(f"hearth-demo-fostering-{seed}")
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed * 613 + 11)
        self.today = today
        self.window_start = window_start
        self.writer = writer
        self.places = places
        self.workers = list(workers)
        self.mainstream: list[Carers] = []
        self.connected: list[Carers] = []
        self.households: list[FosterHousehold] = []
        # Where each household lives, for the addresses of the children placed there.
        self.place_of: dict[int, Place] = {}
        self.applicants: list[FosterApplicant] = []
        self._references = 0
        self._target = max(6, round(in_care * HOUSEHOLDS_PER_CHILD))
        self.summary: dict[str, int] = {}
        self._lay_out()

    # ------------------------------------------------------------------------------------------ households

    def _reference(self) -> str:
        self._references += 1
        return f"FH{self._references:05d}"

    def _household(self, *, enquiry_on: date, kind: str = FosterHousehold.Kind.MAINSTREAM,
                   surname: str | None = None, postcode: str = "") -> FosterHousehold:
        rng, fake = self.rng, self.fake
        last = surname or fake.last_name()
        place = random_place(self.places, rng)
        household = new(FosterHousehold, local_authority=self.la, reference=self._reference(),
                        name=f"{last} household", postcode=postcode or place.postcode, stage=Stage.ENQUIRY,
                        enquiry_on=enquiry_on, kind=kind, stage_since=enquiry_on,
                        enquiry_source=rng.choices(SOURCES, SOURCE_WEIGHTS)[0],
                        address=f"{place.line_1}\nNottingham", phone=f"07700 9{rng.randint(0, 99999):05d}",
                        email=f"{last.lower().replace(' ', '').replace(chr(39), '')}{rng.randint(1, 99)}"
                              "@example.invalid")
        self.households.append(household)
        self.place_of[id(household)] = place
        for i in range(1 if rng.random() < 0.35 else 2):
            first = fake.first_name_female() if i == 0 or rng.random() < 0.15 else fake.first_name_male()
            born = enquiry_on - timedelta(days=rng.randint(27 * 365, 62 * 365))
            self.applicants.append(new(FosterApplicant, local_authority=self.la, household=household,
                                       first_name=first, last_name=last, date_of_birth=born))
        return household

    # The fostering steps in order, with the days each usually takes after the one before.
    STEPS = (("initial_visit", 7, 35), ("stage_1", 5, 30), ("stage_1_end", 45, 100), ("stage_2", 0, 10),
             ("form_f", 80, 140), ("panel", 10, 35), ("decision", 4, 14))

    def _gaps(self) -> list[int]:
        return [self.rng.randint(lo, hi) for _, lo, hi in self.STEPS]

    def _steps(self, household: FosterHousehold, gaps: list[int], *, stop_at: str | None = None) -> None:
        """Dated steps from the enquiry to the decision (or up to ``stop_at``), each after the one before."""
        rng = self.rng
        day = household.enquiry_on
        worker = rng.choice(self.workers) if self.workers else None
        for (name, _, _), gap in zip(self.STEPS, gaps, strict=True):
            if name == stop_at:
                return
            day = day + timedelta(days=gap)
            if name == "initial_visit":
                household.initial_visit_on, household.initial_visit_worker = day, worker
                household.initial_visit_recommendation = FosterHousehold.Recommendation.PROCEED
                household.stage = Stage.INITIAL_VISIT
            elif name == "stage_1":
                household.stage_1_started_on, household.stage = day, Stage.STAGE_1
            elif name == "stage_1_end":
                household.stage_1_ended_on = day
                household.stage_1_checks = [c for c in FosterHousehold.Check.values]
                household.stage_1_outcome = FosterHousehold.Stage1Outcome.PROCEED
            elif name == "stage_2":
                household.stage_2_started_on, household.assessing_worker = day, worker
                household.stage = Stage.STAGE_2
            elif name == "form_f":
                household.form_f_completed_on = day
            elif name == "panel":
                household.panel_on, household.stage = day, Stage.PANEL
                household.panel_recommendation = FosterHousehold.PanelRecommendation.APPROVE
                household.panel_terms = "Approved for up to the places and ages below."
            elif name == "decision":
                household.decided_on, household.decision = day, FosterHousehold.Decision.APPROVE
                self._approve(household, day)
            household.stage_since = day

    def _approve(self, household: FosterHousehold, on: date) -> None:
        rng = self.rng
        household.approved_on = on
        household.stage, household.stage_since = Stage.APPROVED, on
        household.approved_places = rng.choices(*PLACES)[0]
        (lo, hi) = rng.choices([r for r, _ in AGE_RANGES], [w for _, w in AGE_RANGES])[0]
        household.approved_age_from, household.approved_age_to = lo, hi
        types = ["short_term", "long_term"]
        for extra, chance in (("emergency", 0.35), ("respite", 0.25), ("parent_and_child", 0.05),
                              ("remand", 0.04), ("ffa", 0.06)):
            if rng.random() < chance:
                types.append(extra)
        household.approved_care_types = types
        household.supervising_worker = rng.choice(self.workers) if self.workers else None

    def _lay_out(self) -> None:
        """Households approved before the window, approvals and deregistrations in it, and enquiries that stopped."""
        rng, today, start = self.rng, self.today, self.window_start
        per_year = max(1, round(self._target * APPROVALS_A_YEAR))
        years = [(start.replace(year=start.year + i), start.replace(year=start.year + i + 1)) for i in range(5)]
        approvals = [max(0, round(rng.gauss(per_year, per_year ** 0.5 * 0.6))) for _ in years]
        deregistrations = [max(0, round(rng.gauss(per_year, per_year ** 0.5 * 0.6))) for _ in years]
        before = max(3, self._target - sum(approvals) + sum(deregistrations))
        for _ in range(before):
            approved = start - timedelta(days=rng.randint(30, 15 * 365))
            self._mainstream(approved)
        for (lo, hi), n in zip(years, approvals, strict=True):
            for _ in range(n):
                self._mainstream(_between(rng, lo, min(hi, today) - ONE_DAY))
        # Deregistrations: long-serving carers retire, newer ones more often resign.
        for (lo, hi), n in zip(years, deregistrations, strict=True):
            candidates = [c for c in self.mainstream if c.deregistered_on is None and c.approved_on < lo]
            rng.shuffle(candidates)
            for carers in candidates[:n]:
                carers.deregistered_on = _between(rng, lo, min(hi, today) - ONE_DAY)
        # Enquiries that went no further, and the households in assessment today.
        for lo, hi in years:
            for _ in range(per_year * (ENQUIRIES_PER_APPROVAL - 1)):
                self._stopped(_between(rng, lo, min(hi, today) - ONE_DAY))

    def _mainstream(self, approved_on: date) -> Carers:
        gaps = self._gaps()
        household = self._household(enquiry_on=approved_on - timedelta(days=sum(gaps)))
        self._steps(household, gaps)
        assert household.approved_on is not None and household.approved_places is not None
        carers = Carers(household, household.approved_on, None, household.approved_places,
                        (household.approved_age_from or 0, household.approved_age_to or 18))
        self.mainstream.append(carers)
        return carers

    def _stopped(self, enquiry_on: date) -> None:
        """An enquiry that stopped at some stage, or is still going through assessment today."""
        rng, today = self.rng, self.today
        household = self._household(enquiry_on=enquiry_on)
        roll = rng.random()
        # Where it ends: most never get past the enquiry or the initial visit.
        stop_at = ("initial_visit" if roll < 0.55 else "stage_1" if roll < 0.75 else "stage_1_end" if roll < 0.88
                   else "stage_2" if roll < 0.93 else "form_f" if roll < 0.97 else "panel")
        self._steps(household, self._gaps(), stop_at=stop_at)
        if household.stage_since is not None and household.stage_since >= today:
            # Too recent to have got that far: still at an earlier step today.
            self._rewind(household)
            return
        last = household.stage_since or enquiry_on
        recent = (today - last).days < (60 if household.stage == Stage.ENQUIRY else 150)
        if recent and rng.random() < 0.7:
            return  # still in assessment
        left = min(last + timedelta(days=rng.randint(3, 60)), today - ONE_DAY)
        if stop_at == "stage_1_end" and rng.random() < 0.5:
            household.stage_1_ended_on = left
            household.stage_1_checks = [FosterHousehold.Check.DBS, FosterHousehold.Check.LOCAL_AUTHORITY]
            household.stage_1_outcome = FosterHousehold.Stage1Outcome.STOP
            reason = FosterHousehold.WithdrawalReason.NOT_SUITABLE
        else:
            reason = rng.choices([FosterHousehold.WithdrawalReason.APPLICANT_WITHDREW,
                                  FosterHousehold.WithdrawalReason.LOST_CONTACT,
                                  FosterHousehold.WithdrawalReason.NOT_SUITABLE], [0.6, 0.3, 0.1])[0]
        household.withdrawn_at_stage = household.stage
        household.withdrawn_on, household.withdrawal_reason = left, reason
        household.stage, household.stage_since = Stage.WITHDRAWN, left

    def _rewind(self, household: FosterHousehold) -> None:
        today = self.today
        for field_name, stage in (("form_f_completed_on", None), ("stage_2_started_on", Stage.STAGE_1),
                                  ("stage_1_ended_on", None), ("stage_1_started_on", Stage.INITIAL_VISIT),
                                  ("initial_visit_on", Stage.ENQUIRY)):
            if getattr(household, field_name) is not None and getattr(household, field_name) >= today:
                setattr(household, field_name, None)
                if field_name == "stage_1_ended_on":
                    household.stage_1_checks, household.stage_1_outcome = [], ""
                if field_name == "stage_2_started_on":
                    household.assessing_worker = None
                if field_name == "initial_visit_on":
                    household.initial_visit_worker, household.initial_visit_recommendation = None, ""
                if stage is not None:
                    household.stage = stage
        dates = [d for d in (household.enquiry_on, household.initial_visit_on, household.stage_1_started_on,
                             household.stage_1_ended_on, household.stage_2_started_on,
                             household.form_f_completed_on) if d is not None]
        household.stage_since = max(dates)

    # ------------------------------------------------------------------------------------------ placing

    def mainstream_for(self, start: date, end: date | None, children: int, age: int,
                       avoid: FosterHousehold | None = None, avoid_postcode: str = "") -> FosterHousehold | None:
        """An approved household with room for ``children`` from ``start`` to ``end``, booked; None if none.
        Never ``avoid`` (the carers the child is leaving: a move back to them would be the same carer), nor
        carers at ``avoid_postcode`` (their postcode: a move there would look like no move at all)."""
        rng = self.rng
        for _ in range(24):
            carers = rng.choice(self.mainstream)
            if not carers.ages[0] <= age <= carers.ages[1] or (avoid is not None and carers.row is avoid):
                continue
            place = self.place_of.get(id(carers.row))
            if avoid_postcode and place is not None and place.postcode == avoid_postcode:
                continue
            if carers.free(start, end, children, self.today):
                carers.stays.append(Stay(start, end, children))
                return carers.row
        return None

    def connected_for(self, start: date, end: date | None, children: int, *, surname: str,
                      dereg_reason: str = "") -> FosterHousehold:
        """A family-and-friends household approved for these children, from the day they were placed."""
        rng = self.rng
        household = self._household(enquiry_on=start - timedelta(days=rng.randint(1, 10)),
                                    kind=FosterHousehold.Kind.CONNECTED, surname=surname)
        # Assessed quickly and approved for these children: the steps fall between the enquiry and the placement.
        worker = rng.choice(self.workers) if self.workers else None
        day = household.enquiry_on
        household.initial_visit_on, household.initial_visit_worker = day, worker
        household.initial_visit_recommendation = FosterHousehold.Recommendation.PROCEED
        household.stage_1_started_on = household.stage_1_ended_on = household.stage_2_started_on = day
        household.stage_1_checks = [c for c in FosterHousehold.Check.values]
        household.stage_1_outcome = FosterHousehold.Stage1Outcome.PROCEED
        household.assessing_worker = worker
        household.form_f_completed_on = household.panel_on = day
        household.panel_recommendation = FosterHousehold.PanelRecommendation.APPROVE
        household.panel_terms = "Approved as connected person carers for the named children."
        household.decided_on, household.decision = start, FosterHousehold.Decision.APPROVE
        self._approve(household, start)
        household.approved_places = max(children, 1)
        household.approved_age_from, household.approved_age_to = 0, 18
        household.approved_care_types = ["long_term", "short_term"]
        carers = Carers(household, start, None, household.approved_places, (0, 18), [Stay(start, end, children)])
        if end is not None and end < self.today:
            carers.deregistered_on = end
            household.deregistration_reason = dereg_reason or FosterHousehold.DeregistrationReason.OTHER
            household.leaving_notes = "The children in their care have moved on."
        self.connected.append(carers)
        return household

    def extend(self, household: FosterHousehold, start: date, end: date | None, children: int) -> None:
        """Book more time with the same carers (a long-term or adoptive placement with them)."""
        for carers in self.mainstream + self.connected:
            if carers.row is household:
                carers.stays.append(Stay(start, end, children))
                return

    # ------------------------------------------------------------------------------------------ writing

    def save_households(self) -> None:
        """Write the households laid out so far (before any placement that points at them)."""
        for carers in self.mainstream + self.connected:
            row = carers.row
            if carers.deregistered_on is not None and row.stage == Stage.APPROVED:
                if row.kind == FosterHousehold.Kind.MAINSTREAM:
                    last = max([s.end for s in carers.stays if s.end is not None], default=carers.approved_on)
                    if any(s.end is None for s in carers.stays) or last > carers.deregistered_on:
                        carers.deregistered_on = None  # still caring for a child: stays on the register
                        continue
                    row.deregistration_reason = self.rng.choices(*DEREGISTRATION)[0]
                    row.leaving_notes = "Left the register."
                row.deregistered_on = carers.deregistered_on
                row.stage, row.stage_since = Stage.DEREGISTERED, carers.deregistered_on
        unsaved = [h for h in self.households if h.pk is None]
        self.writer.save(FosterHousehold, unsaved)
        self.writer.save(FosterApplicant, [a for a in self.applicants if a.pk is None])
        self.summary["households"] = self.summary.get("households", 0) + len(unsaved)

    def finish(self, *, adopted: Sequence[tuple[Person, date, date, date | None, int]],
               requests: Sequence[tuple[Person, User, str]]) -> None:
        """Reviews, vacancies and placement requests; the adopters' pipeline (Annex A List 11).

        ``adopted``: (child, matched, placed, adoption order or None, children) for the council's own
        adoptive placements; ``requests``: (child, social worker, postcode) for children waiting for a foster home.
        """
        self.save_households()
        self._reviews()
        self._vacancies()
        self._requests(requests)
        self._adopters(adopted)

    def _reviews(self) -> None:
        rng, today = self.rng, self.today
        reviews = []
        for carers in self.mainstream + self.connected:
            row = carers.row
            if row.approved_on is None:
                continue
            stop = row.deregistered_on or today
            day = row.approved_on
            first = True
            while True:
                day = day + timedelta(days=rng.randint(320, 365) if rng.random() < 0.88 else rng.randint(366, 430))
                if day > stop or day > today:
                    break
                last = row.deregistered_on is not None and day + timedelta(days=330) > stop
                recommendation = (FosterCarerReview.Recommendation.TERMINATE if last and rng.random() < 0.5 else
                                  FosterCarerReview.Recommendation.CHANGE_TERMS if rng.random() < 0.08 else
                                  FosterCarerReview.Recommendation.CONTINUE)
                panel = min(day + timedelta(days=rng.randint(7, 40)), today) if first else None
                reviews.append(new(FosterCarerReview, local_authority=self.la, household=row, reviewed_on=day,
                                   recommendation=recommendation, panel_on=panel, notes="Annual review held.",
                                   reviewer=rng.choice(self.workers) if self.workers else None))
                first = False
        self.writer.save(FosterCarerReview, reviews)
        self.summary["reviews"] = len(reviews)

    def _vacancies(self) -> None:
        rng, today = self.rng, self.today
        vacancies = []
        self._open_vacancies: list[tuple[Carers, FosterVacancy]] = []
        for carers in self.mainstream:
            row = carers.row
            if row.stage != Stage.APPROVED or row.approved_on is None:
                continue
            placed = sum(s.children for s in carers.stays if s.start <= today and (s.end is None or s.end > today))
            free = carers.places - placed
            # A filled vacancy in the past for some households.
            if rng.random() < 0.3 and row.approved_on < today - timedelta(days=120):
                opened = _between(rng, max(row.approved_on, today - timedelta(days=700)), today - timedelta(days=60))
                vacancies.append(new(FosterVacancy, local_authority=self.la, household=row, places=1,
                                     age_from=carers.ages[0], age_to=carers.ages[1], care_types=["short_term"],
                                     needs=[], available_from=opened,
                                     closed_on=opened + timedelta(days=rng.randint(5, 50)),
                                     close_reason=FosterVacancy.CloseReason.FILLED))
            if free <= 0 or rng.random() > 0.45:
                continue
            lo, hi = carers.ages
            age_from = rng.randint(lo, max(lo, min(hi, lo + 6)))
            types = row.approved_care_types
            vacancy = new(FosterVacancy, local_authority=self.la, household=row, places=rng.randint(1, free),
                          age_from=age_from, age_to=hi, care_types=rng.sample(types, rng.randint(1, len(types))),
                          needs=rng.sample(list(Need.values), rng.choice([0, 0, 1, 2])),
                          available_from=max(row.approved_on, today + timedelta(days=rng.randint(-60, 45))),
                          notes="")
            vacancies.append(vacancy)
            self._open_vacancies.append((carers, vacancy))
        self.writer.save(FosterVacancy, vacancies)
        self.summary["vacancies_open"] = len(self._open_vacancies)

    def _requests(self, requests: Sequence[tuple[Person, User, str]]) -> None:
        rng, today = self.rng, self.today
        rows = []
        for i, (child, worker, postcode) in enumerate(requests):
            requested = today - timedelta(days=rng.randint(0, 20))
            request = new(PlacementRequest, local_authority=self.la, child=child, requested_by=worker,
                          requested_on=requested, needed_from=requested + timedelta(days=rng.randint(0, 40)),
                          care_type=rng.choice([CareType.LONG_TERM, CareType.SHORT_TERM, CareType.LONG_TERM]),
                          needs=rng.sample([Need.TEENAGERS, Need.SIBLINGS, Need.THERAPEUTIC], rng.choice([0, 1])),
                          urgency=rng.choice([PlacementRequest.Urgency.PLANNED, PlacementRequest.Urgency.URGENT]),
                          postcode=postcode, notes="Looking for a family placement.")
            # The first is matched to an open vacancy with room for one more child.
            if i == 0:
                for carers, vacancy in self._open_vacancies:
                    if vacancy.places >= 2 and "long_term" in vacancy.care_types:
                        request.status = PlacementRequest.Status.MATCHED
                        request.matched_household, request.matched_vacancy = carers.row, vacancy
                        request.matched_on = today - timedelta(days=rng.randint(0, 5))
                        request.matched_by = rng.choice(self.workers) if self.workers else None
                        request.care_type = CareType.LONG_TERM
                        break
            rows.append(request)
        self.writer.save(PlacementRequest, rows)
        self.summary["placement_requests"] = len(rows)

    def _adopters(self, adopted: Sequence[tuple[Person, date, date, date | None, int]]) -> None:
        """Families approved to adopt (most placed with one of the council's children), and those who left."""
        rng, fake, today = self.rng, self.fake, self.today
        families: list[ProspectiveAdopter] = []
        applicants: list[AdopterApplicant] = []
        number = 0

        def family(enquiry: date) -> ProspectiveAdopter:
            nonlocal number
            number += 1
            last = fake.last_name()
            adopter = new(ProspectiveAdopter, local_authority=self.la, reference=f"AD{number:05d}",
                          name=f"{last} family", postcode=random_place(self.places, rng).postcode,
                          enquiry_source=rng.choices(SOURCES, SOURCE_WEIGHTS)[0], enquiry_on=enquiry,
                          stage=ProspectiveAdopter.Stage.ENQUIRY, stage_since=enquiry,
                          fostering_for_adoption=rng.random() < 0.15,
                          worker=rng.choice(self.workers) if self.workers else None)
            couple = rng.random() < 0.75
            genders = ([AdopterApplicant.Gender.FEMALE, AdopterApplicant.Gender.MALE] if couple and rng.random() < 0.8
                       else [AdopterApplicant.Gender.FEMALE] * 2 if couple and rng.random() < 0.5
                       else [AdopterApplicant.Gender.MALE] * 2 if couple
                       else [rng.choice([AdopterApplicant.Gender.FEMALE, AdopterApplicant.Gender.MALE])])
            ethnicity = rng.choices([Ethnicity.WBRI, Ethnicity.MWBC, Ethnicity.AIND, Ethnicity.BCRB, Ethnicity.WOTH],
                                    [0.7, 0.06, 0.08, 0.06, 0.1])[0]
            for i, gender in enumerate(genders, start=1):
                first = fake.first_name_female() if gender == AdopterApplicant.Gender.FEMALE else fake.first_name_male()
                applicants.append(new(AdopterApplicant, local_authority=self.la, adopter=adopter,
                                      identifier=f"{adopter.reference}-{i}", first_name=first, last_name=last,
                                      gender=gender, ethnicity=ethnicity,
                                      disability=rng.choices(list(AdopterApplicant.Disability.values),
                                                             [0.05, 0.85, 0.1])[0]))
            families.append(adopter)
            return adopter

        def walk(adopter: ProspectiveAdopter, stop: date, *, until: str | None = None) -> None:
            """Each dated step in order up to ``until`` (exclusive), none after ``stop``."""
            day = adopter.enquiry_on
            steps = [("registered_on", ProspectiveAdopter.Stage.REGISTRATION, 7, 40),
                     ("stage_1_started_on", ProspectiveAdopter.Stage.STAGE_1, 3, 20),
                     ("stage_1_ended_on", None, 40, 70), ("application_submitted_on", None, 1, 20),
                     ("stage_2_started_on", ProspectiveAdopter.Stage.STAGE_2, 0, 5),
                     ("stage_2_ended_on", None, 90, 125), ("panel_on", ProspectiveAdopter.Stage.PANEL, 5, 30),
                     ("approved_on", ProspectiveAdopter.Stage.APPROVED, 3, 14)]
            for name, stage, lo, hi in steps:
                if name == until:
                    return
                nxt = day + timedelta(days=rng.randint(lo, hi))
                if nxt > stop:
                    return
                day = nxt
                setattr(adopter, name, day)
                if name == "panel_on":
                    adopter.panel_recommendation = ProspectiveAdopter.PanelRecommendation.APPROVE
                if stage is not None:
                    adopter.stage = stage
                adopter.stage_since = day

        # Families the council's children were placed with: approved before the match.
        for child, matched, placed, ordered, children in adopted:
            enquiry = matched - timedelta(days=rng.randint(300, 520))
            adopter = family(enquiry)
            walk(adopter, matched - ONE_DAY)
            if adopter.approved_on is None:
                adopter.approved_on = matched - ONE_DAY
                adopter.panel_on = adopter.panel_on or adopter.approved_on
                adopter.panel_recommendation = ProspectiveAdopter.PanelRecommendation.APPROVE
                for name in ("registered_on", "stage_1_started_on", "stage_1_ended_on", "application_submitted_on",
                             "stage_2_started_on", "stage_2_ended_on"):
                    if getattr(adopter, name) is None:
                        setattr(adopter, name, adopter.approved_on)
            adopter.matched_on, adopter.placed_on, adopter.children_placed = matched, placed, children
            adopter.child = child
            adopter.stage, adopter.stage_since = ProspectiveAdopter.Stage.PLACED, placed
            if ordered is not None:
                adopter.adoption_order_on = ordered
                adopter.stage, adopter.stage_since = ProspectiveAdopter.Stage.ADOPTED, ordered
        # Others: in the pipeline now, approved and waiting, or left along the way.
        others = max(4, len(adopted) * 2)
        for _ in range(others):
            enquiry = _between(rng, self.window_start, today - timedelta(days=7))
            adopter = family(enquiry)
            roll = rng.random()
            until = (None if roll < 0.3 else "registered_on" if roll < 0.5 else "stage_1_ended_on" if roll < 0.7
                     else "stage_2_started_on" if roll < 0.85 else "panel_on")
            walk(adopter, today - ONE_DAY, until=until)
            latest = adopter.stage_since or enquiry
            if rng.random() < (0.35 if until else 0.1) and latest < today - timedelta(days=30):
                adopter.left_at_stage = adopter.stage
                adopter.left_on = _between(rng, latest + ONE_DAY, today - ONE_DAY)
                adopter.left_reason = rng.choices(list(ProspectiveAdopter.LeavingReason.values), [0.7, 0.2, 0.1])[0]
                adopter.stage, adopter.stage_since = ProspectiveAdopter.Stage.LEFT, adopter.left_on
        self.writer.save(ProspectiveAdopter, families)
        self.writer.save(AdopterApplicant, applicants)
        self.summary["adopters"] = len(families)


__all__: list[Any] = ["FosteringBuilder"]
