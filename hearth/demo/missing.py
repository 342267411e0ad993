"""Missing and away episodes, return home interviews and exploitation screenings for the synthetic council.

Children in care go missing at about the national rate (about one in ten in a year, far more
teenagers than younger children, and a few many times over); so do some children at home on a
CIN or child protection plan, and most of those the exploitation team holds. Episodes of one child
never overlap; "away from placement" is only for a child in care, and whether the child was in care
is fixed from the day the episode began. Brothers and sisters, and a few friends, go missing
together (linked episodes), and a handful of places come up again and again. Every return has its
interview: offered, accepted or declined, and held by an advocate, most within 72 hours, some late
with the reason (far more were late four years ago, when the inspection found children not offered
an interview: ``casework.practice_quality``); its 72-hour clock runs from the time of the return, as
``hearth.missing`` starts it.
The last few days' returns still wait for their interview on the advocates' tray (``mfh.demo``
holds some). Repeat episodes lead to an exploitation screening, reviewed every three months while
any risk is found; a couple of high-risk screenings led to a strategy discussion.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.allocations.models import Allocation
from hearth.chronology.models import EventType
from hearth.clocks.working_days import LONDON
from hearth.missing.codes import HowReturned, Indicator, PullFactor, PushFactor
from hearth.missing.models import ExploitationScreening, MissingEpisode, MissingEpisodeLink, ReturnInterview
from hearth.protection.models import Agency, StrategyDiscussion
from hearth.workspace.dates import age_on

from . import care_text as text
from .bulk import new
from .casework import by_quality, practice_quality
from .places import random_place

if TYPE_CHECKING:
    from .care import CareBuilder, Period
    from .casework import CaseworkBuilder
    from .families import Kid

Kind = Team.Kind
HOUR = timedelta(hours=1)
# Chance a child goes missing in a year, by age: in care, at home on a plan, held by the exploitation team.
IN_CARE = {(0, 11): 0.01, (11, 14): 0.16, (14, 18): 0.32}
AT_HOME = 0.05
EXPLOITATION = 0.75
EPISODES = ([1, 2, 3, 4, 6, 9, 14], [35, 20, 13, 10, 10, 7, 5])
RECENT_DAYS = 4
# Return home interviews at the council's poorest and best practice (``casework.practice_quality``): the
# offer made after 72 hours, and an accepted interview held within them.
OFFERED_LATE = (0.57, 0.1)
HELD_IN_TIME = (0.5, 0.85)


def _worker_on_team(kid: Kid, day: date) -> Team:
    from .care import _worker_on

    return _worker_on(kid.spans, day)[1]


def _band(table: dict[tuple[int, int], float], age: int) -> float:
    return next((p for (lo, hi), p in table.items() if lo <= age < hi), 0.0)



@dataclass(eq=False)
class Run:
    """A child's episodes being made, for linking friends later."""

    person: Any
    born: date
    episodes: list[MissingEpisode] = field(default_factory=list)


class MissingBuilder:
    def __init__(self, care: CareBuilder, *, seed: int, open_cases: int):
        self.care = care
        self.la = care.la
        self.rng = random.Random(f"hearth-demo-missing-{seed}")
        self.today = care.today
        # Times are worked in UTC, so that 72 hours is 72 elapsed hours across a change of the clocks.
        # 09:00 today, or midnight when the council is loaded before nine: never in the future, and
        # the same for every load in that part of the day (a seed gives the same council).
        nine = datetime.combine(care.today, time(9), tzinfo=LONDON)
        midnight = datetime.combine(care.today, time(0), tzinfo=LONDON)
        self.now = (nine if timezone.now() >= nine else midnight).astimezone(UTC)
        self.window_start = care.window_start
        self.open_cases = open_cases
        streets = self.rng.sample(care.places.streets, min(6, len(care.places.streets)))
        labels = ["Takeaway on {}", "Car park behind {}", "Flat above the shops, {}", "Park off {}",
                  "Bus stop on {}", "Garages behind {}"]
        self.hotspots = [(label.format(s.name), self.rng.choice(s.postcodes), s.district)
                         for label, s in zip(labels, streets, strict=False)]
        self.peers: list[Run] = []
        # Children open today, aged 12 to 17, who might be the advocates' newest returns (a sample).
        self.candidates: list[tuple[Kid, Run]] = []
        self._seen = 0
        self._advocate_of: dict[int, User] = {}
        self.references = 0
        self.escalations = 0
        self._reset()

    def _reset(self) -> None:
        self.episodes: list[MissingEpisode] = []
        self.links: list[MissingEpisodeLink] = []
        self.interviews: list[ReturnInterview] = []
        self.screenings: list[ExploitationScreening] = []
        self.allocations: list[Allocation] = []

    # ------------------------------------------------------------------------------------------ when

    def _windows(self, kid: Kid) -> list[tuple[date, date, float, Period | None]]:
        """Stretches of the child's life (age 10 to 17, in the five years) and the yearly chance of going missing."""
        assert kid.dob is not None
        lo = max(self.window_start, kid.dob + timedelta(days=10 * 365))
        hi = min(self.today, kid.dob + timedelta(days=18 * 365 - 2))
        if hi <= lo:
            return []
        windows: list[tuple[date, date, float, Period | None]] = []
        for period in kid.care:
            start, end = max(lo, period.start), min(hi, period.end or self.today)
            if end > start:
                windows.append((start, end, _band(IN_CARE, age_on(kid.dob, start)), period))
        for span in kid.spans:
            if span.kind != Allocation.Kind.SOCIAL_WORKER or span.team.kind == Kind.CHILDREN_IN_CARE:
                continue
            start, end = max(lo, span.start), min(hi, span.end or self.today)
            if end - start < timedelta(days=20):
                continue
            if any(s <= start < e for s, e, _, _ in windows):
                continue
            chance = EXPLOITATION if span.team.kind == Kind.EXPLOITATION else AT_HOME
            windows.append((start, end, chance, None))
        return windows

    def _period_on(self, kid: Kid, day: date) -> Period | None:
        return next((p for p in kid.care if p.start <= day and (p.end is None or day < p.end)), None)

    # ------------------------------------------------------------------------------------------ a child

    def family(self, kids: Sequence[Kid], casework: CaseworkBuilder | None) -> None:
        runs: list[tuple[Kid, Run]] = []
        for kid in kids:
            if kid.dob is None or not kid.spans:
                continue
            run = self._child(kid)
            if run is not None:
                runs.append((kid, run))
                self._screen(kid, run, casework)
        # Brothers and sisters who went missing together.
        for (_, run_a), (b, run_b) in itertools.pairwise(runs):
            if run_a.episodes and self.rng.random() < 0.35:
                self._together(run_a, b, run_b)
        for kid, run in runs:
            if run.episodes and self.rng.random() < 0.1 and self.peers:
                peer = self.rng.choice(self.peers)
                windows = self._windows(kid)
                if any(s <= peer.episodes[0].started_at.astimezone(LONDON).date() < e for s, e, _, _ in windows):
                    self._together(peer, kid, run)
            if len(run.episodes) >= 2:
                self.peers.append(run)
                if len(self.peers) > 300:
                    del self.peers[:100]
            self._advocacy(kid, run)
        for kid in kids:
            self._candidate(kid)

    def _child(self, kid: Kid) -> Run | None:
        rng = self.rng
        assert kid.dob is not None
        starts: list[datetime] = []
        for start, end, chance, _period in self._windows(kid):
            years = (end - start).days / 365.25
            if rng.random() >= 1 - (1 - chance) ** max(years, 0.1):
                continue
            count = rng.choices(*EPISODES)[0]
            count = max(1, round(count * min(1.0, years + 0.3)))
            for _ in range(count):
                day = start + timedelta(days=rng.randint(0, max(0, (end - start).days)))
                hour = rng.choices(range(24), [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 6, 8, 9, 9, 8, 7, 5,
                                               3, 2])[0]
                starts.append(datetime.combine(day, time(hour, rng.choice([0, 10, 20, 30, 40, 50])), tzinfo=LONDON))
        if not starts:
            return None
        run = Run(kid.person, kid.dob)
        previous_end: datetime | None = None
        for started in sorted(starts):
            if previous_end is not None and started < previous_end + 6 * HOUR:
                continue
            episode = self._episode(kid, started)
            if episode is None:
                continue
            run.episodes.append(episode)
            previous_end = episode.ended_at or self.now
        return run if run.episodes else None

    def _reference(self, when: datetime) -> str:
        self.references += 1
        return f"MP/{when:%y}/{self.references:06d}"

    def _where(self) -> tuple[str, str, str]:
        rng = self.rng
        if self.hotspots and rng.random() < 0.35:
            return rng.choice(self.hotspots)
        place = random_place(self.care.places, rng)
        return rng.choice([f"A friend's house, {place.line_1}", f"Near {place.line_1}", place.line_1]), \
            place.postcode, place.district

    def _episode(self, kid: Kid, started: datetime, *, hours: float | None = None,
                 open_now: bool = False) -> MissingEpisode | None:
        rng, care = self.rng, self.care
        assert kid.dob is not None
        started = started.astimezone(UTC)
        day = started.astimezone(LONDON).date()
        if started >= self.now or day >= kid.dob + timedelta(days=18 * 365) or day < kid.dob:
            return None
        period = self._period_on(kid, day)
        in_care = period is not None
        away = in_care and rng.random() < 0.3
        if hours is None:
            hours = rng.lognormvariate(math.log(4 if away else 10), 1.0)
            hours = min(max(hours, 1.0), 24 * 9)
        ended = started + timedelta(hours=round(hours, 2))
        if ended >= self.now and not open_now:
            ended = self.now - timedelta(minutes=rng.randint(30, 600))
            if ended <= started:
                return None
        home = self._home_on(period, day) if period is not None else None
        police = (not away and rng.random() < 0.9) or (away and rng.random() < 0.2)
        where, postcode, district = self._where()
        spot_count = rng.choice([0, 1, 1, 2])
        locations = [{"place": p, "postcode": c, "district": d} for p, c, d in
                     ([self._where() for _ in range(spot_count)])]
        worker = care._sw(kid, day)
        episode = new(MissingEpisode, local_authority=self.la, child=kid.person, missing_type="A" if away else "M",
                      from_care=in_care, started_at=started,
                      reported_at=started + timedelta(minutes=rng.randint(30, 360)) if police or rng.random() < 0.5
                      else None,
                      reported_to_police=police, police_reference=self._reference(started) if police else "",
                      police_risk=rng.choices(["very_low", "low", "medium", "high"], [2, 55, 38, 5])[0] if police
                      else "",
                      missing_from=home or "Home address", circumstances=rng.choice(text.MISSING_CIRCUMSTANCES),
                      others_with_them="")
        if episode.reported_at is not None and episode.reported_at > self.now:
            episode.reported_at = None
        if not open_now:
            episode.ended_at = ended
            episode.found_where, episode.found_postcode, episode.found_district = where, postcode, district
            episode.how_returned = rng.choices(list(HowReturned.values), [50, 25, 15, 7, 3])[0]
            episode.return_notes = "Safe and well check done on return."
            episode.locations = locations
        self.episodes.append(episode)
        care.summary.missing_episodes += 1
        label = ("Away from placement without authorisation" if away else
                 "Missing from care" if in_care else "Missing from home")
        care._event(kid.person, started, EventType.MISSING, label,
                    f"Reported to the police ({episode.police_reference})." if police else "", worker, episode,
                    "missing", significant=True, time_known=True)
        if not open_now:
            self._returned(kid, episode)
        return episode

    def unreturn(self, episode: MissingEpisode) -> None:
        """A planted slip: the child's return was never recorded, so the episode is still open (with no interview,
        no clock and no "found" line in the chronology, as an episode still open has none)."""
        care = self.care
        gone = [i for i in self.interviews if i.episode is episode]
        self.interviews = [i for i in self.interviews if i.episode is not episode]
        care.summary.return_interviews -= len(gone)
        dropped = [c for c, subject in care.clocks if subject is episode]
        care.clocks = [(c, subject) for c, subject in care.clocks if subject is not episode]
        care.summary.clocks -= len(dropped)
        care.summary.clocks_open -= sum(1 for c in dropped if c.status == "open")
        care.events = [(e, source, link) for e, source, link in care.events
                       if not (source is episode and e.title.startswith("Found or returned"))
                       and not any(source is i for i in gone)]
        episode.ended_at = None
        episode.found_where = episode.found_postcode = episode.found_district = ""
        episode.how_returned = episode.return_notes = ""
        episode.locations = []

    @staticmethod
    def _home_on(period: Period, day: date) -> str:
        home = next((h for h in period.homes if h.start <= day and (h.end is None or day < h.end)), None)
        return (home.carer or "Placement") if home is not None else "Placement"

    def _candidate(self, kid: Kid) -> None:
        if kid.dob is None or not any(s.end is None and s.kind == Allocation.Kind.SOCIAL_WORKER and s.team.kind in (
                Kind.CHILDREN_IN_CARE, Kind.EXPLOITATION) for s in kid.spans):
            return
        if not 12 <= age_on(kid.dob, self.today) <= 17 or id(kid.person) in self._advocate_of:
            return
        self._seen += 1
        if len(self.candidates) < 40:
            self.candidates.append((kid, Run(kid.person, kid.dob)))
        elif (slot := self.rng.randrange(self._seen)) < 40:
            self.candidates[slot] = (kid, Run(kid.person, kid.dob))

    def _advocacy(self, kid: Kid, run: Run) -> None:
        """Children who go missing again and again have an advocate for a while."""
        returns = [e.ended_at.astimezone(LONDON).date() for e in run.episodes if e.ended_at is not None]
        if len(returns) < 3 or id(kid.person) in self._advocate_of:
            return
        end = min(returns[-1] + timedelta(days=60), self.today - timedelta(days=1))
        if end <= returns[0]:
            return
        self.allocations.append(new(Allocation, local_authority=self.la, child=kid.person,
                                    kind=Allocation.Kind.MISSING_ADVOCATE, team=self.care.staff.exploitation_team,
                                    worker=self._advocate(kid, recent=False), started_on=returns[0], ended_on=end,
                                    end_reason="No further missing episodes"))

    # ------------------------------------------------------------------------------------------ the return

    def _advocate(self, kid: Kid, *, recent: bool) -> User:
        staff = self.care.staff
        mine = self._advocate_of.get(id(kid.person))
        if mine is not None:
            return mine
        if staff.demo_advocate is not None and self.rng.random() < (0.5 if recent else 0.12):
            return staff.demo_advocate
        return self.rng.choice(staff.advocates) if staff.advocates else staff.demo_advocate  # type: ignore[return-value]

    def _returned(self, kid: Kid, episode: MissingEpisode) -> None:
        """The return home interview for this return, and its 72-hour clock."""
        rng, care, now = self.rng, self.care, self.now
        ended = episode.ended_at
        assert ended is not None
        due_at = ended + timedelta(hours=72)
        recent = now - ended < timedelta(days=RECENT_DAYS)
        advocate = self._advocate(kid, recent=recent)
        interview = new(ReturnInterview, local_authority=self.la, child=kid.person, episode=episode, due_at=due_at)
        name = kid.person.preferred_name or kid.person.first_name
        hours = int((ended - episode.started_at).total_seconds() // 3600)
        care._event(kid.person, ended, EventType.MISSING,
                    f"Found or returned after {hours} hour{'s' if hours != 1 else ''} "
                    f"{'away' if episode.missing_type == 'A' else 'missing'}",
                    episode.found_where, None, episode, "missing", time_known=True)
        stopped_at: datetime | None = None
        if recent:
            # Still with the advocates: not offered, offered, or accepted and waiting to be held.
            roll = rng.random()
            if roll > 0.35:
                interview.offered_at = min(ended + timedelta(hours=rng.randint(2, 30)), now - HOUR)
                interview.offered_by = advocate
                if interview.offered_at <= ended:
                    interview.offered_at = interview.offered_by = None
                elif roll > 0.65:
                    interview.response, interview.responded_at = "accepted", interview.offered_at
        else:
            quality = practice_quality(ended.astimezone(LONDON).date(), today=self.today)
            late_offer = rng.random() < by_quality(quality, OFFERED_LATE)
            offered = ended + timedelta(hours=rng.randint(73, 130) if late_offer else rng.randint(1, 30))
            interview.offered_at = max(ended + HOUR, min(offered, now - 2 * HOUR))
            interview.offered_by = advocate
            if rng.random() < 0.26:
                interview.response = "declined"
                interview.responded_at = min(interview.offered_at + timedelta(minutes=rng.randint(5, 360)),
                                             now - HOUR)
                interview.declined_reason = rng.choice(text.DECLINED)
                stopped_at = interview.responded_at
            else:
                interview.response = "accepted"
                interview.responded_at = interview.offered_at
                in_time = not late_offer and rng.random() < by_quality(quality, HELD_IN_TIME)
                room = (due_at - interview.offered_at).total_seconds() / 3600
                held = interview.offered_at + timedelta(hours=rng.uniform(1, max(1.5, room - 1)) if in_time
                                                        else rng.uniform(max(room, 0) + 1, max(room, 0) + 120))
                held = min(held, now - HOUR)
                interview.completed_at, interview.completed_by = held, advocate
                interview.push_factors = rng.sample(list(PushFactor.values), rng.randint(0, 2))
                interview.pull_factors = rng.sample(list(PullFactor.values), rng.randint(1, 2))
                interview.child_account = rng.choice(text.CHILD_ACCOUNTS).format(child=name)
                interview.risks_identified = rng.choice(text.RISKS)
                interview.actions = rng.choice(text.ACTIONS).format(child=name)
                interview.late_reason = rng.choice(text.LATE_REASONS) if held > due_at else ""
                stopped_at = held
        self.interviews.append(interview)
        care.summary.return_interviews += 1
        owner = advocate if recent else None
        if recent and id(kid.person) not in self._advocate_of:
            # An advocate is allocated for the interview: it is on their tray.
            self._advocate_of[id(kid.person)] = advocate
            self.allocations.append(new(Allocation, local_authority=self.la, child=kid.person,
                                        kind=Allocation.Kind.MISSING_ADVOCATE, team=self.care.staff.exploitation_team,
                                        worker=advocate, started_on=ended.astimezone(LONDON).date()))
        care._clock(kid, "return_home_interview", ended.astimezone(LONDON).date(), episode, owner,
                    stopped=stopped_at.astimezone(LONDON).date() if stopped_at else None,
                    due_on=due_at.astimezone(LONDON).date(), started_at=ended, due_at=due_at, stopped_at=stopped_at,
                    reason=interview.late_reason or "Offered after 72 hours; the child declined")
        if interview.offered_at is not None:
            care._event(kid.person, interview.offered_at, EventType.MISSING, "Return home interview offered", "",
                        advocate, interview, "missing", time_known=True)
        if interview.completed_at is not None:
            care._event(kid.person, interview.completed_at, EventType.MISSING,
                        "Return home interview held" + (" (after 72 hours)" if interview.completed_at > due_at else ""),
                        interview.risks_identified, advocate, interview, "missing", significant=True, time_known=True)
        elif interview.response == "declined" and interview.responded_at is not None:
            care._event(kid.person, interview.responded_at, EventType.MISSING, "Return home interview declined",
                        interview.declined_reason, advocate, interview, "missing", time_known=True)

    def _together(self, first: Run, kid: Kid | None, second: Run) -> None:
        """One of ``first``'s episodes shared by ``second``'s child (a brother, sister or friend)."""
        rng = self.rng
        source = rng.choice(first.episodes)
        if source.ended_at is None or source.missing_type == "A":
            return
        start, end = source.started_at, source.ended_at
        born = second.born
        day = start.astimezone(LONDON).date()
        if not (born + timedelta(days=10 * 365) <= day < born + timedelta(days=18 * 365 - 2)):
            return
        for other in second.episodes:
            other_end = other.ended_at or self.now
            if other.started_at < end + 6 * HOUR and start < other_end + 6 * HOUR:
                # Already missing then: link the two episodes that overlap instead of adding one.
                if other.started_at < end and start < other_end:
                    self._link(source, second.person)
                    self._link(other, first.person)
                return
        if kid is None:
            return
        episode = self._episode(kid, start, hours=(end - start).total_seconds() / 3600)
        if episode is None:
            return
        second.episodes.append(episode)
        second.episodes.sort(key=lambda e: e.started_at)
        self._link(source, second.person)
        self._link(episode, first.person)

    def _link(self, episode: MissingEpisode, person: Any) -> None:
        if any(link.episode is episode and link.linked_child is person for link in self.links):
            return
        self.links.append(new(MissingEpisodeLink, local_authority=self.la, episode=episode, linked_child=person))

    # ------------------------------------------------------------------------------------------ exploitation

    def _screen(self, kid: Kid, run: Run, casework: CaseworkBuilder | None) -> None:
        """A screening after repeat episodes (or on joining the exploitation team), reviewed while any risk remains."""
        rng, care = self.rng, self.care
        assert kid.dob is not None
        episodes = sorted(run.episodes, key=lambda e: e.started_at)
        trigger: tuple[date, MissingEpisode | None] | None = None
        for a, b in itertools.pairwise(episodes):
            if b.started_at - a.started_at < timedelta(days=90) and b.ended_at is not None:
                trigger = ((b.ended_at + timedelta(days=rng.randint(1, 14))).astimezone(LONDON).date(), b)
                break
        exploitation = [s for s in kid.spans if s.team.kind == Kind.EXPLOITATION and s.end is None]
        if exploitation and trigger is None:
            trigger = (exploitation[0].start + timedelta(days=rng.randint(5, 30)), None)
        if trigger is None:
            return
        day, episode = trigger
        eighteen = kid.dob + timedelta(days=18 * 365)
        open_case = any(s.end is None for s in kid.spans)
        stop = min(self.today, eighteen - timedelta(days=2))
        if not open_case:
            stop = min(stop, max(s.end for s in kid.spans if s.end is not None))
        if day > stop:
            return
        high = 0.2 if exploitation else 0.06
        levels = ["none", "low", "medium", "high"]
        risk = [rng.choices(levels, [0.15, 0.3, 0.55 - high, high])[0] for _ in range(2)]
        previous: ExploitationScreening | None = None
        while True:
            worker = care._sw(kid, day)
            by = care.staff.exploitation_lead if exploitation and care.staff.exploitation_lead and \
                rng.random() < 0.3 else worker
            screening = new(ExploitationScreening, local_authority=self.la, child=kid.person, screened_on=day,
                            screened_by=by, cse_risk=risk[0], cce_risk=risk[1],
                            indicators=rng.sample(list(Indicator.values), rng.randint(1, 5))
                            if risk != ["none", "none"] else [],
                            notes=rng.choice(text.SCREENING_NOTES), episode=episode, reviews=previous)
            self.screenings.append(screening)
            care.summary.screenings += 1
            care._event(kid.person, day, EventType.ASSESSMENT,
                        "Exploitation risk review" if previous is not None else "Exploitation risk screening",
                        f"Sexual exploitation: {risk[0]}; criminal exploitation: {risk[1]}.", by, screening,
                        "missing", significant="high" in risk)
            if "high" in risk and casework is not None and self.escalations < max(1, self.open_cases // 1500):
                self._escalate(kid, screening, casework)
            if risk == ["none", "none"]:
                return
            review_due = care.due("exploitation_screening_review", day)
            screening.next_review_on = review_due
            nxt = (review_due - timedelta(days=rng.randint(0, 20)) if rng.random() < 0.8
                   else review_due + timedelta(days=rng.randint(1, 30)))
            if nxt > stop:
                if open_case and nxt > self.today:
                    care._clock(kid, "exploitation_screening_review", day, screening, by)
                    return
                # The case closed, or the young person turned 18: a last review finds the risk reduced.
                nxt = max(day + timedelta(days=1), min(nxt, stop))
                care._clock(kid, "exploitation_screening_review", day, screening, None, stopped=nxt,
                            reason="Reviewed after the review date")
                risk = ["none", "none"]
            else:
                care._clock(kid, "exploitation_screening_review", day, screening, None, stopped=nxt,
                            reason="Reviewed after the review date")
                risk = [rng.choices(levels, [0.3, 0.35, 0.28, 0.07] if r != "high" else [0.05, 0.25, 0.4, 0.3])[0]
                        for r in risk]
            previous, day, episode = screening, nxt, None

    def _escalate(self, kid: Kid, screening: ExploitationScreening, casework: CaseworkBuilder) -> None:
        """A high-risk screening escalated to a strategy discussion on the child's open referral."""
        episode = next((e for e in casework.episodes if e._state.fields_cache.get("child") is kid.person
                        and e.closed_on is None and e.referral_date <= screening.screened_on), None)
        held = self.care.wd(screening.screened_on, self.rng.randint(1, 5))
        if episode is None or held > self.today:
            return
        worker = self.care._sw(kid, held)
        discussion = new(StrategyDiscussion, local_authority=self.la, child=kid.person, episode=episode,
                         held_on=held, agencies_present=[Agency.SOCIAL_CARE, Agency.POLICE, Agency.EDUCATION],
                         attendees="Social worker and team manager; police exploitation team; school; "
                                   "exploitation lead",
                         reason=f"High risk of exploitation found at screening on {screening.screened_on:%d %B %Y}.",
                         immediate_safety_actions="Safety plan agreed; police to disrupt contact with older males.",
                         decision=StrategyDiscussion.Decision.ASSESSMENT_S17,
                         chaired_by=self.care._manager(_worker_on_team(kid, held)))
        casework.strategy.append(discussion)
        screening.strategy_discussion = discussion
        self.escalations += 1
        self.care._event(kid.person, held, EventType.STRATEGY_DISCUSSION, "Strategy discussion: exploitation",
                         discussion.reason, worker, None, "missing", significant=True)

    # ------------------------------------------------------------------------------------------ writing

    def flush(self) -> None:
        save = self.care.writer.save
        save(MissingEpisode, self.episodes)
        save(MissingEpisodeLink, self.links)
        save(ReturnInterview, self.interviews)
        save(ExploitationScreening, self.screenings)
        self.care._count(self.allocations)
        save(Allocation, self.allocations)
        self._reset()

    def finish(self) -> None:
        """Make sure the advocates' tray has today's work: recent returns waiting for an interview, and one
        child missing now."""
        rng, care = self.rng, self.care
        demo = care.staff.demo_advocate
        waiting = sum(1 for a in self._advocate_of.values() if a is demo)
        for kid, _run in self.candidates:
            if waiting >= 4 or demo is None:
                break
            hours_ago, hours = rng.randint(6, 60), rng.randint(3, 14)
            self._advocate_of[id(kid.person)] = demo
            episode = self._episode(kid, self.now - timedelta(hours=hours_ago + hours), hours=hours)
            if episode is not None:
                waiting += 1
                self.allocations.append(new(Allocation, local_authority=self.la, child=kid.person,
                                            kind=Allocation.Kind.MISSING_ADVOCATE, team=care.staff.exploitation_team,
                                            worker=demo, started_on=episode.started_at.astimezone(LONDON).date()))
        # One child is missing as the day begins.
        for kid, _ in self.candidates[::-1]:
            if id(kid.person) not in self._advocate_of and \
                    self._episode(kid, self.now - timedelta(hours=rng.randint(3, 14)), open_now=True) is not None:
                break


__all__ = ["MissingBuilder", "StrategyDiscussion"]
