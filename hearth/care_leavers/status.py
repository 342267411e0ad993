"""A young person's care-leaver status, computed from their care history. Pure: no database, no clock.

The law (domain.md §4):

* **Eligible** (Children Act 1989 Sch 2 para 19B; CPPCR 2010 reg 40): aged 16 or 17, looked after, and
  looked after for 13 weeks, or periods amounting to 13 weeks, which began after the 14th birthday and
  ended after the 16th. Periods under an agreed series of short breaks (legal status V3/V4) are left
  out (reg 40(2)), so here they neither count towards the 13 weeks nor make a young person "in care".
* **Relevant** (s23A): aged 16 or 17, not looked after, and eligible before last leaving care. Also a
  young person who was in custody or in hospital on their 16th birthday and had the 13 weeks
  immediately before (Care Leavers (England) Regulations 2010 reg 3(2)); not one who has lived back
  with a parent or someone with parental responsibility for six months (reg 3(3)). Both are judgements
  a worker records (``StatusDecision``).
* **Former relevant** (s23C): 18 to 25, eligible or relevant before 18. Support runs to 21, and to 25
  unless the young person says they no longer want a personal adviser (s23CZA).
* **Qualifying** (s24): looked after after turning 16 without meeting the 13-week rule (or no longer
  relevant), under 21.

Counting: a day is "in care" from the day a period starts up to, not including, the day it ends
(the end day is not in care, as in ``hearth.care.selectors``). 13 weeks is 91 such days. A young person
is eligible on a day they are in care, aged 16 or 17, when the days in care from their 14th birthday up
to and including that day reach 91; so one who left the day after their 91st day in care had the 13
weeks, and is relevant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.db import models

from hearth.workspace.dates import birthday, long_date

ELIGIBLE_DAYS = 13 * 7
# A period of care that ended with one of these may have ended in custody (reg 3(2) needs a worker's say).
CUSTODY_REASONS = frozenset({"E9"})


class Status(models.TextChoices):
    NONE = "none", "Not a care leaver"
    ELIGIBLE = "eligible", "Eligible"
    RELEVANT = "relevant", "Relevant"
    FORMER_RELEVANT = "former_relevant", "Former relevant"
    QUALIFYING = "qualifying", "Qualifying"


# Statuses that carry the full leaving-care duties: a personal adviser, a pathway plan, keeping in touch.
FULL_SUPPORT = frozenset({Status.ELIGIBLE, Status.RELEVANT, Status.FORMER_RELEVANT})

# Decision kinds, as stored on hearth.care_leavers.models.StatusDecision.Kind.
DETAINED_ON_16TH_BIRTHDAY = "detained_at_16"
RETURNED_HOME = "returned_home"
DECLINED_SUPPORT = "declined_support"


@dataclass(frozen=True)
class CareSpell:
    """A stretch of one legal status within a period of care."""

    started_on: date
    ended_on: date | None
    short_break: bool = False


@dataclass(frozen=True)
class CarePeriod:
    started_on: date
    ended_on: date | None
    reason_ceased: str = ""
    # Legal statuses; none recorded means the whole period counts.
    spells: tuple[CareSpell, ...] = ()

    def counted(self) -> list[tuple[date, date]]:
        """The parts of the period that count as being looked after: all of it but its short breaks.

        An open end is ``date.max``."""
        parts = [(self.started_on, self.ended_on or date.max)]
        for spell in self.spells:
            if not spell.short_break:
                continue
            cut_from, cut_to = spell.started_on, spell.ended_on or date.max
            kept: list[tuple[date, date]] = []
            for start, end in parts:
                if cut_to <= start or cut_from >= end:
                    kept.append((start, end))
                    continue
                if cut_from > start:
                    kept.append((start, cut_from))
                if cut_to < end:
                    kept.append((cut_to, end))
            parts = kept
        return parts


@dataclass(frozen=True)
class Decision:
    kind: str
    effective_on: date
    ended_on: date | None = None

    def applies_on(self, day: date) -> bool:
        return self.effective_on <= day and (self.ended_on is None or day < self.ended_on)


@dataclass(frozen=True)
class StatusResult:
    status: Status
    on: date
    reasons: tuple[str, ...] = ()
    in_care: bool = False
    # Days looked after (short breaks left out) from the 14th birthday up to and including ``on``.
    days_counted: int = 0
    # The first day the young person was an eligible child, if ever (up to ``on``).
    eligible_from: date | None = None
    # Still in care and not yet eligible: the day they will be if they stay.
    eligible_if_stays_on: date | None = None
    # The last time they left care at 16 or over.
    left_care_on: date | None = None
    support_until: date | None = None
    receiving_support: bool = False
    # Something only a worker can say, asked in plain words.
    question: str = ""
    decisions: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def weeks_counted(self) -> int:
        return self.days_counted // 7

    @property
    def is_care_leaver(self) -> bool:
        return self.status != Status.NONE

    @property
    def has_full_support(self) -> bool:
        return self.status in FULL_SUPPORT and self.receiving_support


def _merged(intervals: Iterable[tuple[date, date]], upto: date) -> list[tuple[date, date]]:
    """Intervals cut at ``upto`` (exclusive), overlaps merged, in date order."""
    cut = sorted((s, min(e, upto)) for s, e in intervals if s < upto)
    merged: list[tuple[date, date]] = []
    for start, end in cut:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _days_from(intervals: list[tuple[date, date]], since: date) -> int:
    return sum((end - max(start, since)).days for start, end in intervals if end > since)


def _first_eligible_day(intervals: list[tuple[date, date]], b14: date, b16: date, b18: date) -> date | None:
    """The first day in care, aged 16 or 17, on which the days in care since 14 (that day included) reach 91."""
    counted = 0
    for start, end in intervals:
        start = max(start, b14)
        if end <= start:
            continue
        # The day on which this stretch brings the count to 91, but not before the 16th birthday.
        day = max(start + timedelta(days=ELIGIBLE_DAYS - counted - 1), b16, start)
        if day < end and day < b18:
            return day
        counted += (end - start).days
    return None


def care_leaver_status(
    *,
    date_of_birth: date | None,
    periods: Sequence[CarePeriod],
    on: date,
    decisions: Sequence[Decision] = (),
    date_of_death: date | None = None,
) -> StatusResult:
    """The status on ``on``, with the reasons in plain words. Only what is known up to ``on`` is used."""
    if date_of_birth is None:
        return StatusResult(Status.NONE, on, ("The date of birth is not recorded, so the status cannot be worked "
                                              "out.",))
    b14, b16, b18 = birthday(date_of_birth, 14), birthday(date_of_birth, 16), birthday(date_of_birth, 18)
    b21, b25 = birthday(date_of_birth, 21), birthday(date_of_birth, 25)
    if date_of_death is not None and date_of_death <= on:
        return StatusResult(Status.NONE, on, (f"Died on {long_date(date_of_death)}.",))

    upto = on + timedelta(days=1)
    known = [p for p in periods if p.started_on <= on]
    counted = _merged((part for p in known for part in p.counted()), upto)
    in_care = bool(counted) and counted[-1][1] == upto
    days = _days_from(counted, b14)
    eligible_from = _first_eligible_day(counted, b14, b16, b18)
    # Every counted stretch that ended on or after the 16th birthday (the end day is not in care: a stretch
    # ending on the 16th birthday ended at 15) is a leaving of care at 16 or over.
    leavings = [end for _, end in counted if b16 < end < upto]
    left_care_on = leavings[-1] if leavings else None
    in_care_after_16 = any(end > b16 for _, end in counted)
    applying = tuple(d.kind for d in decisions if d.applies_on(on))
    before_18 = b18 - timedelta(days=1)
    # Withdrawing this decision means it was wrong, so only a current one counts.
    detained = _applies(decisions, DETAINED_ON_16TH_BIRTHDAY, on) is not None
    was_eligible = eligible_from is not None or detained
    weeks = f"Looked after for {days // 7} weeks since their 14th birthday (13 weeks are needed"
    weeks += ", not counting short breaks)." if any(s.short_break for p in known for s in p.spells) else ")."
    base = StatusResult(Status.NONE, on, in_care=in_care, days_counted=days, eligible_from=eligible_from,
                        left_care_on=left_care_on, decisions=applying)

    if on >= b25:
        return replace(base, status=Status.NONE, reasons=("Aged 25 or over: leaving care support has ended.",))
    if on < b16:
        return replace(base, status=Status.NONE, reasons=_under_16(in_care, days, b16),
                       eligible_if_stays_on=_if_stays(counted, in_care, b14, b16, b18, on))

    if on < b18:
        if in_care:
            if eligible_from is not None:
                return replace(
                    base, status=Status.ELIGIBLE, receiving_support=True, support_until=b21,
                    reasons=(weeks, f"Still looked after, aged 16 or 17: an eligible child since "
                                    f"{long_date(eligible_from)}."))
            stays = _if_stays(counted, in_care, b14, b16, b18, on)
            more = (f"If they are still looked after on {long_date(stays)} they become an eligible child."
                    if stays else "They will not reach 13 weeks in care before their 18th birthday.")
            return replace(base, status=Status.NONE, eligible_if_stays_on=stays,
                           reasons=(weeks, f"Looked after, but not yet an eligible child. {more}"))
        home = _applies(decisions, RETURNED_HOME, on)
        if was_eligible and home:
            return replace(
                base, status=Status.QUALIFYING, receiving_support=True, support_until=b21,
                reasons=(f"Has lived back at home with a parent or someone with parental responsibility for 6 "
                         f"months or more (recorded from {long_date(home.effective_on)}), so is no longer a relevant "
                         "child (Care Leavers (England) Regulations 2010 reg 3(3)); a qualifying care leaver.",))
        if eligible_from is not None:
            return replace(
                base, status=Status.RELEVANT, receiving_support=True, support_until=b21,
                reasons=(weeks, f"Was an eligible child from {long_date(eligible_from)} and left care on "
                                f"{long_date(left_care_on or eligible_from)}: a relevant child."))
        if detained:
            return replace(
                base, status=Status.RELEVANT, receiving_support=True, support_until=b21,
                reasons=("Was in custody or in hospital on their 16th birthday, after 13 weeks looked after since "
                         "14: a relevant child (Care Leavers (England) Regulations 2010 reg 3(2)).",))
        question = _custody_question(known, counted, b14, b16)
        if in_care_after_16:
            return replace(
                base, status=Status.QUALIFYING, receiving_support=True, support_until=b21, question=question,
                reasons=(weeks, f"Left care on {long_date(left_care_on or on)}, after turning 16, without 13 weeks in "
                                "care since 14: a qualifying care leaver."))
        return replace(base, status=Status.NONE, question=question,
                       reasons=("Not looked after since their 16th birthday, so not a care leaver.",))

    # 18 to 24.
    home_at_18 = _applies(decisions, RETURNED_HOME, before_18)
    if was_eligible and not home_at_18:
        declined = _applies(decisions, DECLINED_SUPPORT, on) if on >= b21 else None
        why = ("Was an eligible or relevant child before turning 18: a former relevant young person."
               if eligible_from is not None else
               "Was a relevant child (in custody or in hospital on their 16th birthday): a former relevant "
               "young person.")
        if on < b21:
            return replace(base, status=Status.FORMER_RELEVANT, receiving_support=True, support_until=b21,
                           reasons=(why, f"Support continues to their 21st birthday ({long_date(b21)}), and to 25 "
                                         "if they want it."))
        if declined:
            return replace(base, status=Status.FORMER_RELEVANT, receiving_support=False, support_until=b25,
                           reasons=(why, f"Said on {long_date(declined.effective_on)} that they no longer want "
                                         f"support from a personal adviser. They can ask again until their "
                                         f"25th birthday ({long_date(b25)})."))
        return replace(base, status=Status.FORMER_RELEVANT, receiving_support=True, support_until=b25,
                       reasons=(why, f"Aged 21 or over: a personal adviser's support continues to their 25th "
                                     f"birthday ({long_date(b25)}) unless they say they no longer want it."))
    if in_care_after_16 and on < b21:
        why = (weeks if not was_eligible else
               "Lived back at home for 6 months or more before turning 18, so is not a former relevant young person.")
        return replace(base, status=Status.QUALIFYING, receiving_support=True, support_until=b21,
                       reasons=(why, "Looked after after turning 16: a qualifying care leaver until their 21st "
                                     f"birthday ({long_date(b21)}); help with education or training can continue "
                                     "to 25."))
    if in_care_after_16:
        return replace(base, status=Status.NONE,
                       reasons=("A qualifying care leaver until 21; help with education or training can "
                                "continue to 25 on request.",))
    return replace(base, status=Status.NONE, question=_custody_question(known, counted, b14, b16),
                   reasons=("Not looked after since their 16th birthday, so not a care leaver.",))


def _applies(decisions: Sequence[Decision], kind: str, day: date) -> Decision | None:
    return next((d for d in sorted(decisions, key=lambda d: d.effective_on, reverse=True)
                 if d.kind == kind and d.applies_on(day)), None)


def _under_16(in_care: bool, days: int, b16: date) -> tuple[str, ...]:
    if in_care:
        return (f"Under 16: leaving care duties start at 16 ({long_date(b16)}). Looked after for {days // 7} weeks "
                "since their 14th birthday so far.",)
    return (f"Under 16: leaving care duties start at 16 ({long_date(b16)}).",)


def _if_stays(counted: list[tuple[date, date]], in_care: bool, b14: date, b16: date, b18: date,
              on: date) -> date | None:
    """If still in care now and not yet eligible: the day they become eligible by staying in care."""
    if not in_care:
        return None
    days = _days_from(counted, b14)
    day = max(on + timedelta(days=max(ELIGIBLE_DAYS - days, 0)), b16)
    return day if day < b18 else None


def _custody_question(known: Sequence[CarePeriod], counted: list[tuple[date, date]], b14: date, b16: date) -> str:
    """Care that ended in custody before 16, after 13 weeks since 14: only a worker knows whether the young
    person was still detained on their 16th birthday (then they are relevant, reg 3(2))."""
    for period in known:
        if (period.reason_ceased in CUSTODY_REASONS and period.ended_on is not None
                and b14 < period.ended_on <= b16
                and _days_from([(s, e) for s, e in counted if e <= period.ended_on], b14) >= ELIGIBLE_DAYS):
            return (f"Care ended in custody on {long_date(period.ended_on)}, before their 16th birthday, after "
                    "13 weeks looked after since 14. Were they still in custody or in hospital on their 16th birthday "
                    f"({long_date(b16)})? If so they are a relevant child: record it below.")
    return ""
