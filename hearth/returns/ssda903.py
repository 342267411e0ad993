"""The SSDA903 return (children looked after) built from the live record, and its CSV files.

``build_903`` reads the council's record in a fixed number of queries whatever its size (no query per
child) and returns a ``Return903``: every table of the collection year (returns.md §A.2) as rows of
strings exactly as the CSV files hold them, with ``child_pks`` mapping each CHILD to the Hearth person
so a finding can link to the page where it is fixed. Who is in each table:

* **Episodes**: every episode open at any time in the year (``hearth.care.episodes``, cut from the legal
  status and placement timelines), with its original DECOM. An episode that ended after 31 March is
  returned as open at 31 March (no DEC, REC or REASON_PLACE_CHANGE).
* **Header**: every child in any table of the return: looked after in the year, or a care leaver in OC3.
* **Reviews**: statutory looked-after reviews held in the year, except on a series of short breaks
  (V3/V4), which DfE does not collect (rule 399).
* **UASC**: children looked after in the year who are unaccompanied asylum-seeking children, or whose
  UASC status ceased in or after the year; DUC is the day it ceased or, while it lasts, the 18th birthday.
* **OC2**: children looked after continuously for 12 months at 31 March, not on short breaks, as
  ``hearth.care_plans.selectors.oc2_rows`` gives them (DfE's age rules are applied there, so the OC2
  pages show what is sent); **OC3**: care leavers with a 17th to 21st birthday in the year
  (``hearth.care_leavers``).
* **AD1**: children whose period of care ended in the year by adoption (E11/E12), from the decision
  to place them for adoption that the adoption order closed.
* **PlacedAdoption**: decisions that a child should be placed for adoption made by 31 March and not
  reversed before 1 April, for children looked after in the year, with the reversal if it was in the year.
* **PrevPerm**: children who started a period of care in the year (the latest such period). For P4
  (not known) a blank LA and date go out as DfE's "not known", 999 and ZZ/ZZ/ZZZZ.
* **Missing**: missing and away episodes from care open at any time in the year (one still open stays
  open, rule 576).
* **SWEpisodes** (2023/24 on): for children looked after at 31 March (not on short breaks), every
  social worker allocation that overlaps the year, also while they were not looked after (SW12);
  consecutive allocations to the same worker are one episode. SW_ID is the worker's Social Work
  England number, else ``XX`` and the worker's staff number (``XX000000`` for a time the child had a
  team but no named worker). SW_REASON: see ``sw_reason``.
* **DoLo** (2026/27 on): deprivation of liberty orders open at any time in the year.

Codes are those of the year's specification: for 2024/25, placement types Z11 to Z14 (2025/26) go out
as the Z1 they replaced. Dates are dd/mm/YYYY, postcodes upper case with a single space.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from hearth.care.codes import ADOPTION_REASONS, SHORT_BREAKS, SocialWorkerChangeReason
from hearth.care.episodes import Episode, episodes_for_year
from hearth.people.validators import normalise_postcode
from hearth.returns.rules.base import Return903, Row
from hearth.returns.ssda903_columns import DATE_FORMAT, columns, file_name, tables_for
from hearth.returns.years import collection_period
from hearth.workspace.dates import birthday

if TYPE_CHECKING:
    from hearth.tenancy.models import LocalAuthority

Progress = Callable[[float, str], None]

# 2025/26 split Z1 ("other placements") into Z11 to Z14; earlier years only know Z1.
Z1_SPLIT = frozenset({"Z11", "Z12", "Z13", "Z14"})
NO_NAMED_WORKER = "XX000000"
PREVIOUS_PERMANENCE_UNKNOWN = "P4"
# DATE_PERM may carry ZZ for the parts not known (rule 632).
DATE_NOT_KNOWN = "ZZ/ZZ/ZZZZ"
# An allocation that follows another within this many days continues it (rule SW10a); a longer gap
# means the child came back to the service: "first contact or re-referral".
SW_HANDOVER_DAYS = 7


def _d(day: date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def _local_day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _postcode(value: str) -> str:
    return normalise_postcode(value) if value else ""


def place_for_year(place: str, year: int) -> str:
    """The placement type as the year's specification spells it (Z11 to Z14 were Z1 before 2025/26)."""
    return "Z1" if year <= 2025 and place in Z1_SPLIT else place


# ---------------------------------------------------------------------------------------------- SW_REASON

_SW_CODES = frozenset(SocialWorkerChangeReason.values)
# Allocation end reasons are free text; these words say why the worker changed. The first match wins.
_SW_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bdied\b|\bdeath\b", "SWDIED"),
    (r"restructur|reorganis", "ORGRST"),
    (r"\babsen|\bsick|maternity|paternity|long[- ]term leave|return(ed)? from leave|cover", "ABSENC"),
    (r"left (the )?(council|authority|service|role|post|job|team)|worker left|\bleaver\b|resign|retire",
     "LEFTRL"),
    (r"child (asked|request|wants)", "CHCHAN"),
    (r"(parent|carer|family) (asked|request|wants)", "PCCHAN"),
    (r"caseload|workload", "MANAGE"),
    (r"transfer|moved to|stepped? (up|down)|handed over|new team", "TSPROC"),
)


@dataclass(frozen=True)
class SocialWorkSpell:
    """One social worker allocation, as read for the return."""

    worker_id: int | None
    swe_number: str
    worker_left_on: date | None
    team_id: int
    started_on: date
    ended_on: date | None
    end_reason: str

    @property
    def sw_id(self) -> str:
        if self.worker_id is None:
            return NO_NAMED_WORKER
        return self.swe_number or f"XX{self.worker_id % 1_000_000:06d}"


def sw_reason(previous: SocialWorkSpell | None, this: SocialWorkSpell, referrals: Sequence[date] = ()) -> str:
    """SW_REASON of the episode ``this`` begins: why the child's social worker changed.

    Hearth's allocations record why one ended in words, not as a DfE code, so the reason is read from
    the allocation it followed: a DfE code typed as the reason is taken as it is; a worker who left the
    council within a week of handing over is LEFTRL; "Reallocated" (what Hearth writes when a child is
    reallocated) is TSPROC when the child moved team and MANAGE within a team; other words by the
    table above; anything else OTHERS. The child's first social worker, and the first after a new referral
    (``referrals``: the child's referral dates), is FCONTA; a gap with no new referral keeps the reason, so
    DfE's check of gaps over 7 days (SW10a) sees it.
    """
    if previous is None or previous.ended_on is None:
        return "FCONTA"
    if any(previous.ended_on < day <= this.started_on + timedelta(days=SW_HANDOVER_DAYS) for day in referrals):
        return "FCONTA"
    said = previous.end_reason.strip()
    if said.upper() in _SW_CODES:
        return said.upper()
    left = previous.worker_left_on
    if left is not None and previous.worker_id is not None and left <= previous.ended_on + relativedelta(
            days=SW_HANDOVER_DAYS):
        return "LEFTRL"
    lowered = said.lower()
    for pattern, code in _SW_WORDS:
        if re.search(pattern, lowered):
            return code
    if lowered.startswith("reallocated") or not lowered:
        return "TSPROC" if previous.team_id != this.team_id else "MANAGE"
    return "OTHERS"


def _merge_same_worker(spells: list[SocialWorkSpell]) -> list[tuple[SocialWorkSpell, SocialWorkSpell]]:
    """Consecutive allocations to the same worker (a move of team) as one episode: (first, last)."""
    merged: list[tuple[SocialWorkSpell, SocialWorkSpell]] = []
    for spell in spells:
        if merged:
            first, last = merged[-1]
            if (last.worker_id is not None and last.worker_id == spell.worker_id and last.ended_on is not None
                    and last.ended_on >= spell.started_on - relativedelta(days=1)):
                merged[-1] = (first, spell)
                continue
        merged.append((spell, spell))
    return merged


def sw_episode_rows(child: str, dob: str, spells: list[SocialWorkSpell], *, start: date, end: date,
                    referrals: Sequence[date] = ()) -> list[Row]:
    """The SWEpisodes rows of one child from their social worker allocations (all of them up to 31 March,
    oldest first): those overlapping the year, SW_DEC blank when still open at 31 March. ``referrals`` are
    the child's referral dates (a new referral starts a first contact, FCONTA)."""
    rows: list[Row] = []
    previous: SocialWorkSpell | None = None
    for first, last in _merge_same_worker(sorted(spells, key=lambda s: (s.started_on, s.ended_on or date.max))):
        if first.started_on <= end and (last.ended_on is None or last.ended_on >= start):
            ended = last.ended_on if last.ended_on is not None and last.ended_on <= end else None
            rows.append({"CHILD": child, "DOB": dob, "SW_ID": first.sw_id, "SW_DECOM": _d(first.started_on),
                         "SW_DEC": _d(ended), "SW_REASON": sw_reason(previous, first, referrals)})
        previous = last
    return rows


# ---------------------------------------------------------------------------------------------- build


def _open_at_end(episode: Episode, end: date) -> Episode:
    """An episode that ended after 31 March is returned as still open on 31 March."""
    if episode.dec is not None and episode.dec > end:
        return replace(episode, dec=None, rec="", reason_place_change="")
    return episode


def _episode_row(episode: Episode, child: str, year: int) -> Row:
    row = episode.as_903_row(child)
    row["PLACE"] = place_for_year(episode.place, year)
    row["HOME_POST"] = _postcode(episode.home_post)
    row["PL_POST"] = _postcode(episode.pl_post)
    return row


def _eighteenth(dob: date | None) -> date | None:
    return birthday(dob, 18) if dob else None


def build_903(*, local_authority: LocalAuthority, year: int, previous: Return903 | None = None,
              with_previous: bool = True, progress: Progress | None = None) -> Return903:
    """The SSDA903 return of collection year ``year`` (ending 31 March ``year``) from the live record.

    ``previous`` is last year's return for the cross-year rules; without one, ``with_previous`` builds
    it from the live record too (as it stands now, which may differ from what was submitted).
    """
    from hearth.allocations.models import Allocation
    from hearth.care.models import AdoptionPlan, DeprivationOfLibertyOrder, PeriodOfCare
    from hearth.care_leavers.selectors import oc3_rows
    from hearth.care_plans.models import LookedAfterReview
    from hearth.care_plans.selectors import oc2_rows
    from hearth.cin.models import CINEpisode
    from hearth.missing.selectors import episodes_for_903
    from hearth.people.models import Person, Relationship

    def report(done: float, stage: str) -> None:
        if progress is not None:
            progress(done, stage)

    start, end = collection_period(year)
    la_id = local_authority.pk
    tables = tables_for(year)
    span = 0.5 if (previous is None and with_previous) else 1.0

    report(0.0, "Reading episodes")
    # hearth.care.episodes names a collection year by the year it starts.
    episodes = [_open_at_end(e, end) for e in episodes_for_year(la_id, year - 1)]
    by_child: dict[int, list[Episode]] = defaultdict(list)
    for episode in episodes:
        by_child[episode.child_pk].append(episode)
    looked_after = set(by_child)
    # Looked after on 31 March (not on short breaks): SWEpisodes; their DEC limits MC_DOB otherwise.
    at_end = {pk for pk, eps in by_child.items() if any(e.dec is None and e.ls not in SHORT_BREAKS for e in eps)}
    last_dec = {pk: max((e.dec for e in eps if e.dec is not None), default=None) for pk, eps in by_child.items()}
    not_short_breaks = {pk for pk, eps in by_child.items() if any(e.ls not in SHORT_BREAKS for e in eps)}

    report(0.15 * span, "Reading periods of care and adoption")
    started_in_year = list(
        PeriodOfCare.objects.filter(local_authority_id=la_id, started_on__range=(start, end))
        .order_by("child_id", "started_on", "pk")
        .values_list("child_id", "previous_permanence", "previous_permanence_la", "previous_permanence_on"))
    plans = list(
        AdoptionPlan.objects.filter(local_authority_id=la_id, decided_on__lte=end)
        .filter(Q(reversed_on__isnull=True) | Q(reversed_on__gte=start))
        .order_by("child_id", "decided_on", "pk")
        .values("child_id", "period_id", "decided_on", "matched_on", "reversed_on", "reversal_reason",
                "adopted_by_foster_carer", "number_of_adopters", "adopter_sex", "adopter_legal_status"))
    periods_in_year = {e.period_pk for e in episodes}

    report(0.25 * span, "Reading reviews and missing episodes")
    reviews = list(
        LookedAfterReview.objects.filter(local_authority_id=la_id, statutory=True, held_on__range=(start, end))
        .order_by("child_id", "held_on", "pk").values_list("child_id", "held_on", "participation"))
    missing = list(
        episodes_for_903(local_authority=la_id, year_start=start, year_end=end)
        .values_list("child_id", "missing_type", "started_at", "ended_at"))

    report(0.35 * span, "Reading outcomes (OC2, OC3)")
    oc2 = oc2_rows(local_authority=la_id, year=year)
    oc3 = oc3_rows(local_authority=la_id, year=year)

    report(0.5 * span, "Reading social workers")
    spells: dict[int, list[SocialWorkSpell]] = defaultdict(list)
    referrals: dict[int, list[date]] = defaultdict(list)
    if "SWEpisodes" in tables:
        for child_id, worker_id, swe, left_on, team_id, s, e, why in (
                Allocation.objects.filter(local_authority_id=la_id, kind=Allocation.Kind.SOCIAL_WORKER,
                                          child_id__in=sorted(at_end), started_on__lte=end)
                .order_by("child_id", "started_on", "pk")
                .values_list("child_id", "worker_id", "worker__social_work_england_number", "worker__left_on",
                             "team_id", "started_on", "ended_on", "end_reason")):
            spells[child_id].append(SocialWorkSpell(worker_id, swe or "", left_on, team_id, s, e, why))
        for child_id, referred_on in (CINEpisode.objects.filter(local_authority_id=la_id, child_id__in=sorted(at_end),
                                                               referral_date__lte=end)
                                      .values_list("child_id", "referral_date")):
            referrals[child_id].append(referred_on)
    dolos: list[tuple[int, date, date | None]] = []
    if "DoLo" in tables:
        dolos = list(
            DeprivationOfLibertyOrder.objects.filter(local_authority_id=la_id, started_on__lte=end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
            .order_by("child_id", "started_on", "pk").values_list("child_id", "started_on", "ended_on"))

    report(0.65 * span, "Reading children")
    care_leavers = {r.row.child_id for r in oc3 if r.row is not None}
    everyone = looked_after | care_leavers | {row[0] for row in missing} | {row[0] for row in reviews}
    people = {p.pk: p for p in Person.objects.filter(local_authority_id=la_id, pk__in=sorted(everyone)).only(
        "pk", "local_authority_id", "date_of_birth", "sex", "ethnicity", "upn", "upn_unknown", "is_uasc",
        "uasc_ceased_on")}
    mothers = sorted(pk for pk in not_short_breaks if pk in people and people[pk].sex == "F")
    first_child: dict[int, date] = {}
    for mother_id, born in (Relationship.objects.filter(local_authority_id=la_id, kind=Relationship.Kind.PARENT,
                                                        person_id__in=mothers, relative__date_of_birth__isnull=False)
                            .values_list("person_id", "relative__date_of_birth")):
        if mother_id not in first_child or born < first_child[mother_id]:
            first_child[mother_id] = born

    report(0.8 * span, "Writing the tables")
    child_of = {pk: p.hearth_id for pk, p in people.items()}
    dob_of = {pk: _d(p.date_of_birth) for pk, p in people.items()}
    out: dict[str, list[Row]] = {name: [] for name in tables}

    for pk in sorted(people, key=lambda k: child_of[k]):
        person = people[pk]
        mother = mc_dob = ""
        if pk in not_short_breaks and person.sex == "F":
            # A mother while looked after: her first child born by 31 March, or by the day she left care.
            limit = end if pk in at_end else min(end, last_dec.get(pk) or end)
            born = first_child.get(pk)
            mother = "1" if born is not None and born <= limit else "0"
            mc_dob = _d(born) if mother == "1" else ""
        out["Header"].append({"CHILD": child_of[pk], "SEX": person.sex, "DOB": dob_of[pk],
                              "ETHNIC": person.ethnicity, "UPN": person.upn or person.upn_unknown,
                              "MOTHER": mother, "MC_DOB": mc_dob})
        if pk in looked_after and (
                (person.is_uasc and person.uasc_ceased_on is None)
                or (person.uasc_ceased_on is not None and person.uasc_ceased_on >= start)):
            out["UASC"].append({"CHILD": child_of[pk], "SEX": person.sex, "DOB": dob_of[pk],
                                "DUC": _d(person.uasc_ceased_on or _eighteenth(person.date_of_birth))})

    for episode in episodes:
        out["Episodes"].append(_episode_row(episode, child_of[episode.child_pk], year))

    for child_id, held_on, participation in reviews:
        on_the_day = next((e for e in by_child.get(child_id, []) if e.decom <= held_on
                           and (e.dec is None or held_on < e.dec)), None)
        if on_the_day is not None and on_the_day.ls in SHORT_BREAKS:
            continue
        out["Reviews"].append({"CHILD": child_of[child_id], "DOB": dob_of[child_id], "REVIEW": _d(held_on),
                               "REVIEW_CODE": participation})

    # A continuous period with no legal status gives no episode; an OC2 row without one cannot be sent.
    out["OC2"].extend(row.as_903() for row in oc2 if row.child.pk in looked_after)

    for result in sorted(oc3, key=lambda r: child_of.get(r.row.child_id, "") if r.row else ""):
        if result.row is None:
            continue
        out["OC3"].append({"CHILD": child_of[result.row.child_id], "DOB": dob_of[result.row.child_id],
                           "IN_TOUCH": result.row.in_touch, "ACTIV": result.row.activity,
                           "ACCOM": result.row.accommodation})

    adopted = {pk: e.period_pk for pk, eps in by_child.items() for e in eps if e.rec in ADOPTION_REASONS and e.dec}
    closing_plan: dict[int, dict[str, Any]] = {}
    for plan in plans:
        child_id = plan["child_id"]
        if plan["period_id"] not in periods_in_year:
            continue
        reversed_on = plan["reversed_on"]
        ceased = reversed_on if reversed_on is not None and reversed_on <= end else None
        out["PlacedAdoption"].append({"CHILD": child_of[child_id], "DOB": dob_of[child_id],
                                      "DATE_PLACED": _d(plan["decided_on"]), "DATE_PLACED_CEASED": _d(ceased),
                                      "REASON_PLACED_CEASED": plan["reversal_reason"] if ceased else ""})
        # AD1 comes from the decision the adoption order closed: the one of the period ended by adoption.
        if adopted.get(child_id) == plan["period_id"] and reversed_on is None:
            closing_plan[child_id] = plan
    for child_id in sorted(closing_plan, key=lambda k: child_of[k]):
        plan = closing_plan[child_id]
        by_carer, adopters = plan["adopted_by_foster_carer"], plan["number_of_adopters"]
        out["AD1"].append({"CHILD": child_of[child_id], "DOB": dob_of[child_id], "DATE_INT": _d(plan["decided_on"]),
                           "DATE_MATCH": _d(plan["matched_on"]),
                           "FOSTER_CARE": "" if by_carer is None else str(int(by_carer)),
                           "NB_ADOPTR": "" if adopters is None else str(adopters), "SEX_ADOPTR": plan["adopter_sex"],
                           "LS_ADOPTR": plan["adopter_legal_status"]})

    # One row a child (INT35): the latest period begun in the year.
    latest_start = {child_id: (prev, la_perm, on) for child_id, prev, la_perm, on in started_in_year}
    for child_id in sorted(latest_start, key=lambda k: child_of.get(k, "")):
        if child_id not in child_of:
            continue
        prev, la_perm, on = latest_start[child_id]
        date_perm = _d(on)
        if prev == PREVIOUS_PERMANENCE_UNKNOWN:
            # Nothing is known of an order "unknown": DfE's not-known LA and date, unless some was recorded.
            la_perm, date_perm = la_perm or "999", date_perm or DATE_NOT_KNOWN
        out["PrevPerm"].append({"CHILD": child_of[child_id], "DOB": dob_of[child_id], "PREV_PERM": prev,
                                "LA_PERM": la_perm, "DATE_PERM": date_perm})

    for child_id, kind, started_at, ended_at in missing:
        back = _local_day(ended_at)
        out["Missing"].append({"CHILD": child_of[child_id], "DOB": dob_of[child_id], "MISSING": kind,
                               "MIS_START": _d(_local_day(started_at)),
                               "MIS_END": _d(back if back is not None and back <= end else None)})

    if "SWEpisodes" in out:
        for pk in sorted(at_end, key=lambda k: child_of[k]):
            out["SWEpisodes"] += sw_episode_rows(child_of[pk], dob_of[pk], spells.get(pk, []), start=start, end=end,
                                              referrals=referrals.get(pk, ()))

    if "DoLo" in out:
        for child_id, started_on, ended_on in dolos:
            if child_id not in child_of:
                continue
            out["DoLo"].append({"CHILD": child_of[child_id], "DOB": dob_of[child_id], "DOLO_START": _d(started_on),
                                "DOLO_END": _d(ended_on if ended_on is not None and ended_on <= end else None)})

    # Rows in CHILD order, then by their first date, as a data manager reads them.
    for name, rows in out.items():
        if name not in ("Header", "Episodes", "SWEpisodes"):
            rows.sort(key=lambda r: r["CHILD"])
    ret = Return903(year=year, tables=out, child_pks={child_of[pk]: pk for pk in people},
                    la_code=local_authority.dfe_la_number)
    if previous is not None:
        ret.previous = previous
    elif with_previous:
        report(0.5, "Building last year's return")
        ret.previous = build_903(
            local_authority=local_authority, year=year - 1, with_previous=False,
            progress=(lambda done, stage: progress(0.5 + done / 2, f"Last year: {stage[:1].lower()}{stage[1:]}"))
            if progress is not None else None)
    report(1.0, "Done")
    return ret


# ---------------------------------------------------------------------------------------------- files


class Return903FileError(ValueError):
    """A file that is not one of the year's SSDA903 tables; the message names the file and what differs."""


def _rows_out(ret: Return903, table: str) -> Iterable[list[str]]:
    cols = columns(table)
    yield list(cols)
    for row in ret.table(table):
        yield [row.get(c, "") for c in cols]


def _csv_bytes(ret: Return903, table: str) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(_rows_out(ret, table))
    return buffer.getvalue().encode("utf-8")


def write_903_csv(ret: Return903, directory: Path) -> list[Path]:
    """One UTF-8 CSV per table of the year, with exactly the table's headers (header only when empty)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables_for(ret.year):
        path = directory / file_name(table)
        path.write_bytes(_csv_bytes(ret, table))
        written.append(path)
    return written


def zip_903(ret: Return903) -> bytes:
    """The year's CSV files in one zip, for a download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables_for(ret.year):
            archive.writestr(file_name(table), _csv_bytes(ret, table))
    return buffer.getvalue()


def _difference(found: list[str], table: str) -> str:
    expected = columns(table)
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        parts.append(f"unexpected {', '.join(extra)}")
    if not parts and tuple(found) != expected:
        parts.append("the same columns in another order is fine, but a column appears twice")
    return "; ".join(parts)


def read_903_csv(directory: Path, *, year: int) -> Return903:
    """A return from a folder of SSDA903 CSV files, e.g. last year's submission.

    As DfE's tools do, a file is recognised by its exact set of column headers, not its name; a table with
    no file is empty. A CSV file whose headers match no table of the year is refused, naming the file and
    how its headers differ from the table its name (or its headers) suggests.
    """
    if not directory.is_dir():
        raise Return903FileError(f"{directory} is not a folder")
    wanted = tables_for(year)
    by_columns = {frozenset(columns(t)): t for t in wanted}
    by_file = {file_name(t): t for t in wanted}
    tables: dict[str, list[Row]] = {t: [] for t in wanted}
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            table = by_columns.get(frozenset(header)) if len(set(header)) == len(header) else None
            if table is None:
                guess = by_file.get(path.name.lower()) or max(
                    wanted, key=lambda t: len(set(columns(t)) & set(header)) - len(set(header) - set(columns(t))))
                raise Return903FileError(
                    f"{path.name} is not an SSDA903 {year - 1}/{year % 100:02d} table: its headers do not match "
                    f"{guess} ({_difference(header, guess)})")
            if table in seen:
                raise Return903FileError(f"{path.name} and {seen[table]} both hold the {table} table")
            seen[table] = path.name
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                tables[table].append({h: (values[i].strip() if i < len(values) else "")
                                      for i, h in enumerate(header)})
    return Return903(year=year, tables=tables)
