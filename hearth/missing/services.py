"""Writes for missing episodes, return home interviews and exploitation screening.

Every service checks the facts first (no future times, no end before a start, no two episodes of one
child at the same time, "away" only for a looked-after child), then writes the record, its chronology
line and its clocks in one transaction. Refusals are ``ValidationError``s keyed by the form field they
are about, so the page shows them beside the field with the input kept.

The return home interview clock (``return_home_interview``, 72 elapsed hours, Europe/London,
so a return just before a clock change is still due 72 real hours later) starts when the child is
found or returned. The duty is to *offer* an interview and hold it within 72 hours:

- completed: the clock stops at the completion time, met or missed (a late one needs a reason);
- declined: the clock stops at the time the child declined, met if that was within 72 hours (the
  duty to offer was met), but the interview is never counted as completed;
- the selectors measure "offered within 72 hours" and "completed within 72 hours" separately.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from hearth.access.policy import can_view_person
from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.allocations.models import Allocation
from hearth.allocations.services import allocation_start
from hearth.audit.actor import acting_as
from hearth.care.codes import MissingType
from hearth.care.selectors import looked_after_on
from hearth.chronology.models import EventType
from hearth.chronology.services import chronology_record
from hearth.clocks.models import Clock
from hearth.clocks.services import clock_cancel, clock_start, clock_stop
from hearth.clocks.working_days import LONDON
from hearth.people.validators import normalise_postcode, postcode_district, validate_postcode
from hearth.protection.models import StrategyDiscussion
from hearth.protection.services import open_episode_for, strategy_discussion_record
from hearth.workspace.dates import birthday, long_date
from hearth.workspace.refusals import refuse

from .codes import HowReturned, Indicator, InterviewResponse, PoliceRisk, PullFactor, PushFactor, RiskLevel
from .models import ExploitationScreening, MissingEpisode, MissingEpisodeLink, ReturnInterview

if TYPE_CHECKING:
    from hearth.people.models import Person

RHI_RULE = "return_home_interview"
REVIEW_RULE = "exploitation_screening_review"
_TRAILING_POSTCODE = re.compile(r"[\s,]*\b([A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2})\s*$")


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment, LONDON)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment, LONDON).date()


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return moment.replace(tzinfo=LONDON)
    return moment


def _link(child: Person, episode: MissingEpisode | None = None) -> str:
    if episode is not None:
        return reverse("missing:episode", kwargs={"person_pk": child.pk, "pk": episode.pk})
    return reverse("missing:overview", kwargs={"person_pk": child.pk})


@dataclass(frozen=True)
class Place:
    place: str
    postcode: str = ""

    def as_json(self) -> dict[str, str]:
        return {"place": self.place, "postcode": self.postcode, "district": postcode_district(self.postcode)}


def parse_places(text: str) -> list[Place]:
    """One place a line; a real postcode at the end of a line is kept as that place's postcode."""
    places: list[Place] = []
    for raw in (text or "").splitlines():
        line = raw.strip().strip(",").strip()
        if not line:
            continue
        postcode = ""
        match = _TRAILING_POSTCODE.search(line)
        if match is not None:
            try:
                validate_postcode(match.group(1))
            except ValidationError:
                pass
            else:
                postcode = normalise_postcode(match.group(1))
                line = line[: match.start()].strip().rstrip(",").strip()
        places.append(Place(place=line[:200] or postcode, postcode=postcode))
    return places


def places_as_text(locations: Iterable[dict[str, str]]) -> str:
    """The inverse of ``parse_places``, to put stored locations back in the form."""
    lines = []
    for item in locations:
        place, postcode = item.get("place", ""), item.get("postcode", "")
        lines.append(place if not postcode or place == postcode else f"{place} {postcode}")
    return "\n".join(lines)


# ---------------------------------------------------------------- episodes


def _overlapping(child: Person, start: datetime, end: datetime | None, exclude: int | None) -> MissingEpisode | None:
    others = MissingEpisode.objects.filter(child=child, local_authority_id=child.local_authority_id)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    # Overlap of [start, end) with [other.start, other.end): a return and a new start at the same minute touch.
    others = others.filter(models.Q(ended_at__isnull=True) | models.Q(ended_at__gt=start))
    if end is not None:
        others = others.filter(started_at__lt=end)
    return others.order_by("started_at").first()


def _check_times(child: Person, *, started_at: datetime, ended_at: datetime | None, reported_at: datetime | None,
                 exclude: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    now = timezone.now()
    if started_at > now:
        errors["started_at"] = "The time the child went missing must be now or in the past"
    dob = child.date_of_birth
    start_day = _local_date(started_at)
    if dob is not None and start_day < dob:
        errors["started_at"] = f"The time the child went missing cannot be before they were born ({long_date(dob)})"
    elif dob is not None and start_day >= birthday(dob, 18):
        errors["started_at"] = "Missing episodes are recorded for children under 18"
    if child.date_of_death is not None and start_day > child.date_of_death:
        errors["started_at"] = ("The time the child went missing cannot be after their death "
                                f"({long_date(child.date_of_death)})")
    if reported_at is not None:
        if reported_at > now:
            errors["reported_at"] = "The time it was reported must be now or in the past"
        elif reported_at < started_at:
            errors["reported_at"] = "The time it was reported cannot be before the child went missing"
    if ended_at is not None:
        if ended_at > now:
            errors["ended_at"] = "The time the child was found or returned must be now or in the past"
        elif ended_at <= started_at:
            errors["ended_at"] = (f"The time the child was found or returned must be after they went missing "
                                  f"({_when(started_at)})")
    if "started_at" not in errors and "ended_at" not in errors:
        clash = _overlapping(child, started_at, ended_at, exclude)
        if clash is not None:
            if clash.is_open:
                errors["started_at"] = (f"{child.first_name} is already recorded as missing since "
                                        f"{_when(clash.started_at)}. Record that return first")
            else:
                errors["started_at"] = (f"This overlaps another episode, from {_when(clash.started_at)} to "
                                        f"{_when(clash.ended_at)}. A child's episodes cannot overlap")  # type: ignore[arg-type]
    return errors


def _check_type(child: Person, missing_type: str, started_at: datetime) -> tuple[dict[str, str], bool]:
    """The type's errors, and whether the child was looked after on the day the episode began."""
    if missing_type not in MissingType.values:
        return {"missing_type": "Choose missing or away from placement"}, False
    in_care = looked_after_on(child=child, on=_local_date(started_at))
    if missing_type == MissingType.AWAY and not in_care:
        return {"missing_type": (f"{child.first_name} was not looked after on {long_date(_local_date(started_at))}. "
                                 "'Away from placement without authorisation' is only for a child in care: "
                                 "record a child missing from home as missing")}, in_care
    return {}, in_care


def _check_details(*, police_risk: str, reported_to_police: bool, police_reference: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if police_risk and police_risk not in PoliceRisk.values:
        errors["police_risk"] = "Choose the police risk grading from the list"
    if police_reference.strip() and not reported_to_police:
        errors["reported_to_police"] = "Say that the police were told, or leave out the police reference"
    return errors


def _check_links(child: Person, linked_children: Sequence[Person], by: Any) -> dict[str, str]:
    for other in linked_children:
        if other.pk == child.pk:
            return {"linked_children": "A child cannot be recorded as missing with themselves"}
        # Only children the recorder may open can be linked (and so named) on this record.
        if (other.local_authority_id != child.local_authority_id or other.merged_into_id is not None
                or (isinstance(by, User) and not can_view_person(by, other))):
            return {"linked_children": "Link only children whose records you can open"}
    return {}


def _save_links(episode: MissingEpisode, linked_children: Sequence[Person], by: Any) -> None:
    """Make the active links those of ``linked_children``. A link to a child the editor cannot open is
    left as it is: they were never shown it, so leaving it out is not a decision to remove it."""
    wanted = {other.pk for other in linked_children}
    existing = {link.linked_child_id: link for link in episode.links.select_related("linked_child")}
    for child_id, link in existing.items():
        if isinstance(by, User) and not can_view_person(by, link.linked_child):
            continue
        if link.removed == (child_id in wanted):
            link.removed = child_id not in wanted
            link.save(by=by)
    for other in linked_children:
        if other.pk not in existing:
            MissingEpisodeLink(local_authority_id=episode.local_authority_id, episode=episode,
                               linked_child=other).save(by=by)


def _set_return(episode: MissingEpisode, *, ended_at: datetime | None, how_returned: str, found_where: str,
                found_postcode: str, return_notes: str, locations: Sequence[Place]) -> None:
    """The return's fields, cleaned, on the episode (not yet saved)."""
    postcode = normalise_postcode(found_postcode) if found_postcode else ""
    episode.ended_at = ended_at
    episode.how_returned = how_returned
    episode.found_where = found_where.strip()
    episode.found_postcode = postcode
    episode.found_district = postcode_district(postcode)
    episode.return_notes = return_notes.strip()
    episode.locations = [place.as_json() for place in locations]


def _close(episode: MissingEpisode, *, ended_at: datetime, how_returned: str, found_where: str,
           found_postcode: str, return_notes: str, locations: Sequence[Place], by: Any) -> None:
    """Write the return: the episode's end, the interview it calls for and its 72-hour clock, the chronology."""
    child = episode.child
    _set_return(episode, ended_at=ended_at, how_returned=how_returned, found_where=found_where,
                found_postcode=found_postcode, return_notes=return_notes, locations=locations)
    episode.save(by=by)
    clock = _start_rhi_clock(episode, by)
    assert clock.due_at is not None
    ReturnInterview(local_authority_id=episode.local_authority_id, child=child, episode=episode,
                    due_at=clock.due_at).save(by=by)
    hours = int((ended_at - episode.started_at).total_seconds() // 3600)
    chronology_record(
        person=child, event_type=EventType.MISSING, occurred=ended_at,
        title=f"Found or returned after {hours} hour{'s' if hours != 1 else ''} {episode.type_label.lower()}",
        summary=episode.get_how_returned_display() + (f". Found at {episode.found_where}." if episode.found_where
                                                      else "."),
        source=episode, link=_link(child, episode), by=by,
    )


def missing_episode_start(
    *,
    child: Person,
    missing_type: str,
    started_at: datetime,
    by: Any,
    reported_at: datetime | None = None,
    reported_to_police: bool = False,
    police_reference: str = "",
    police_risk: str = "",
    missing_from: str = "",
    circumstances: str = "",
    linked_children: Sequence[Person] = (),
    others_with_them: str = "",
    ended_at: datetime | None = None,
    how_returned: str = "",
    found_where: str = "",
    found_postcode: str = "",
    return_notes: str = "",
    locations: Sequence[Place] = (),
) -> MissingEpisode:
    """Record that a child is missing (M) or away from placement (A). The episode stays open until the return.

    An episode recorded after the child came back gives ``ended_at`` (and how they returned) here, so an
    earlier episode can be recorded between others without ever being open across them.
    """
    started_at = _aware(started_at)  # type: ignore[assignment]
    reported_at = _aware(reported_at)
    ended_at = _aware(ended_at)
    errors = _check_times(child, started_at=started_at, ended_at=ended_at, reported_at=reported_at, exclude=None)
    type_errors, in_care = _check_type(child, missing_type, started_at)
    errors = {**type_errors, **errors}
    errors.update(_check_details(police_risk=police_risk, reported_to_police=reported_to_police,
                                 police_reference=police_reference))
    errors.update(_check_links(child, linked_children, by))
    if ended_at is not None:
        errors.update(_return_fields(how_returned=how_returned, found_postcode=found_postcode))
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        episode = MissingEpisode(
            local_authority_id=child.local_authority_id, child=child, missing_type=missing_type, from_care=in_care,
            started_at=started_at, reported_at=reported_at, reported_to_police=reported_to_police,
            police_reference=police_reference.strip(), police_risk=police_risk, missing_from=missing_from.strip(),
            circumstances=circumstances.strip(), others_with_them=others_with_them.strip(),
        )
        if ended_at is not None:
            # Saved closed from the start: an open row would clash with a later episode already recorded.
            episode.ended_at = ended_at
        episode.save(by=by)
        _save_links(episode, linked_children, by)
        where = "from care" if in_care else "from home"
        summary = f"Reported to the police ({episode.police_reference})." if episode.police_reference else ""
        chronology_record(
            person=child, event_type=EventType.MISSING, occurred=started_at,
            title=f"{episode.type_label} {where}" if missing_type == MissingType.MISSING
            else "Away from placement without authorisation",
            summary=summary, source=episode, link=_link(child, episode), significant=True, by=by,
        )
        if ended_at is not None:
            _close(episode, ended_at=ended_at, how_returned=how_returned, found_where=found_where,
                   found_postcode=found_postcode, return_notes=return_notes, locations=locations, by=by)
    return episode


def _advocate_for(child: Person) -> User | None:
    allocation = (Allocation.objects.filter(child=child, kind=Allocation.Kind.MISSING_ADVOCATE,
                                            ended_on__isnull=True, local_authority_id=child.local_authority_id)
                  .select_related("worker").first())
    return allocation.worker if allocation is not None else None


def _interview_owner(child: Person) -> User | None:
    """Whose My work the 72-hour clock is on: the child's missing advocate, else their social worker."""
    advocate = _advocate_for(child)
    if advocate is not None:
        return advocate
    allocation = (Allocation.objects.filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER, ended_on__isnull=True,
                                            local_authority_id=child.local_authority_id)
                  .select_related("worker").first())
    return allocation.worker if allocation is not None else None


def _rhi_clock(interview: ReturnInterview) -> Clock | None:
    return Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(MissingEpisode), subject_id=interview.episode_id,
        local_authority_id=interview.local_authority_id, rule_id=RHI_RULE,
    ).order_by("-id").first()


def _start_rhi_clock(episode: MissingEpisode, by: Any) -> Clock:
    assert episode.ended_at is not None
    return clock_start(child=episode.child, rule_id=RHI_RULE, started_on=_local_date(episode.ended_at),
                       started_at=episode.ended_at, subject=episode, assigned_to=_interview_owner(episode.child),
                       by=by)


def _return_fields(*, how_returned: str, found_postcode: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if how_returned not in HowReturned.values:
        errors["how_returned"] = "Choose how the child was found or came back"
    if found_postcode:
        try:
            validate_postcode(found_postcode)
        except ValidationError:
            errors["found_postcode"] = "Enter a real postcode, like NG2 3NG"
    return errors


def missing_episode_end(
    *,
    episode: MissingEpisode,
    ended_at: datetime,
    how_returned: str,
    by: Any,
    found_where: str = "",
    found_postcode: str = "",
    return_notes: str = "",
    locations: Sequence[Place] = (),
) -> MissingEpisode:
    """The child is found or returned: close the episode and start the 72-hour return home interview clock."""
    if not episode.is_open:
        raise ValidationError(f"This episode already ended at {_when(episode.ended_at)}")  # type: ignore[arg-type]
    ended_at = _aware(ended_at)  # type: ignore[assignment]
    errors = _check_times(episode.child, started_at=episode.started_at, ended_at=ended_at, reported_at=None,
                          exclude=episode.pk)
    if "started_at" in errors:  # the clash is about the end this form is setting
        errors["ended_at"] = errors.pop("started_at")
    errors.update(_return_fields(how_returned=how_returned, found_postcode=found_postcode))
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        _close(episode, ended_at=ended_at, how_returned=how_returned, found_where=found_where,
               found_postcode=found_postcode, return_notes=return_notes, locations=locations, by=by)
    return episode


def missing_episode_update(
    *,
    episode: MissingEpisode,
    by: Any,
    missing_type: str,
    started_at: datetime,
    reported_at: datetime | None,
    reported_to_police: bool,
    police_reference: str,
    police_risk: str,
    missing_from: str,
    circumstances: str,
    linked_children: Sequence[Person],
    others_with_them: str,
    ended_at: datetime | None = None,
    how_returned: str = "",
    found_where: str = "",
    found_postcode: str = "",
    return_notes: str = "",
    locations: Sequence[Place] = (),
) -> MissingEpisode:
    """Correct an episode. ``episode.version`` must be the version the editor loaded (a stale save is refused).

    The return time can be corrected only while its interview is still to do: the 72-hour clock is then
    restarted from the corrected time.
    """
    child = episode.child
    started_at = _aware(started_at)  # type: ignore[assignment]
    reported_at = _aware(reported_at)
    ended_at = _aware(ended_at) if not episode.is_open else None
    errors = _check_times(child, started_at=started_at, ended_at=ended_at, reported_at=reported_at,
                          exclude=episode.pk)
    type_errors, in_care = _check_type(child, missing_type, started_at)
    errors = {**type_errors, **errors}
    errors.update(_check_details(police_risk=police_risk, reported_to_police=reported_to_police,
                                 police_reference=police_reference))
    already = set(episode.links.filter(removed=False).values_list("linked_child_id", flat=True))
    errors.update(_check_links(child, [other for other in linked_children if other.pk not in already], by))
    interview: ReturnInterview | None = getattr(episode, "interview", None) if not episode.is_open else None
    if not episode.is_open:
        if ended_at is None:
            errors["ended_at"] = "Enter when the child was found or returned"
        errors.update(_return_fields(how_returned=how_returned, found_postcode=found_postcode))
        if (interview is not None and ended_at is not None and ended_at != episode.ended_at
                and (interview.is_done or interview.offered_at is not None)):
            errors["ended_at"] = ("The return home interview has been offered against this return time, so it "
                                  "cannot be changed")
    refuse(errors)
    moved_return = not episode.is_open and ended_at != episode.ended_at
    with transaction.atomic(), acting_as(by):
        episode.missing_type = missing_type
        episode.from_care = in_care
        episode.started_at = started_at
        episode.reported_at = reported_at
        episode.reported_to_police = reported_to_police
        episode.police_reference = police_reference.strip()
        episode.police_risk = police_risk
        episode.missing_from = missing_from.strip()
        episode.circumstances = circumstances.strip()
        episode.others_with_them = others_with_them.strip()
        if not episode.is_open:
            _set_return(episode, ended_at=ended_at, how_returned=how_returned, found_where=found_where,
                        found_postcode=found_postcode, return_notes=return_notes, locations=locations)
        episode.save(by=by)
        _save_links(episode, linked_children, by)
        if moved_return and interview is not None:
            old = _rhi_clock(interview)
            if old is not None and old.is_open:
                clock_cancel(clock=old, by=by)
            clock = _start_rhi_clock(episode, by)
            assert clock.due_at is not None
            interview.due_at = clock.due_at
            interview.save(by=by)
    return episode


# ---------------------------------------------------------------- return home interviews


def _is_advocate(user: Any, child: Person) -> bool:
    if not isinstance(user, User) or user.local_authority_id != child.local_authority_id or not user.is_active:
        return False
    if user.role == Role.MISSING_ADVOCATE:
        return True
    return Allocation.objects.filter(child=child, kind=Allocation.Kind.MISSING_ADVOCATE, worker=user,
                                     ended_on__isnull=True).exists()


def _check_interview_time(interview: ReturnInterview, moment: datetime, field: str, noun: str) -> dict[str, str]:
    ended_at = interview.episode.ended_at
    assert ended_at is not None
    if moment > timezone.now():
        return {field: f"The time the interview was {noun} must be now or in the past"}
    if moment < ended_at:
        return {field: f"The interview cannot be {noun} before the child returned ({_when(ended_at)})"}
    return {}


def return_interview_offer(*, interview: ReturnInterview, offered_at: datetime, offered_by: User | None,
                           by: Any) -> ReturnInterview:
    """Record when, and by whom, the child was offered a return home interview."""
    offered_at = _aware(offered_at)  # type: ignore[assignment]
    if interview.completed_at is not None:
        raise ValidationError("The interview has already been held")
    errors = _check_interview_time(interview, offered_at, "offered_at", "offered")
    if offered_by is None or offered_by.local_authority_id != interview.local_authority_id:
        errors["offered_by"] = "Choose who offered the interview"
    if interview.responded_at is not None and "offered_at" not in errors and offered_at > interview.responded_at:
        errors["offered_at"] = f"The offer cannot be after the child answered it ({_when(interview.responded_at)})"
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        interview.offered_at = offered_at
        interview.offered_by = offered_by
        interview.save(by=by)
        chronology_record(
            person=interview.child, event_type=EventType.MISSING, occurred=offered_at,
            title="Return home interview offered", source=interview,
            link=_link(interview.child, interview.episode), by=by,
        )
    return interview


def return_interview_respond(*, interview: ReturnInterview, response: str, responded_at: datetime, by: Any,
                             declined_reason: str = "") -> ReturnInterview:
    """The child accepted or declined. A decline closes the 72-hour clock (see the module notes)."""
    responded_at = _aware(responded_at)  # type: ignore[assignment]
    if interview.completed_at is not None:
        raise ValidationError("The interview has already been held")
    if interview.offered_at is None:
        raise ValidationError("Record the offer of an interview before the child's answer")
    errors: dict[str, str] = {}
    if response not in InterviewResponse.values:
        errors["response"] = "Choose whether the child accepted or declined the interview"
    errors.update(_check_interview_time(interview, responded_at, "responded_at", "answered"))
    if "responded_at" not in errors and responded_at < interview.offered_at:
        errors["responded_at"] = f"The answer cannot be before the offer ({_when(interview.offered_at)})"
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        interview.response = response
        interview.responded_at = responded_at
        interview.declined_reason = declined_reason.strip() if response == InterviewResponse.DECLINED else ""
        interview.save(by=by)
        clock = _rhi_clock(interview)
        if response == InterviewResponse.DECLINED and clock is not None and clock.is_open:
            clock_stop(clock=clock, stopped_on=_local_date(responded_at), stopped_at=responded_at, by=by,
                       missed_reason="Offered after 72 hours; the child declined")
        chronology_record(
            person=interview.child, event_type=EventType.MISSING, occurred=responded_at,
            title=f"Return home interview {'accepted' if response == InterviewResponse.ACCEPTED else 'declined'}",
            summary=interview.declined_reason, source=interview, link=_link(interview.child, interview.episode),
            by=by,
        )
    return interview


def _codes(values: Iterable[str], allowed: Sequence[str]) -> list[str] | None:
    chosen = list(dict.fromkeys(values))
    return chosen if all(code in allowed for code in chosen) else None


def return_interview_complete(
    *,
    interview: ReturnInterview,
    completed_at: datetime,
    completed_by: User | None,
    push_factors: Iterable[str],
    pull_factors: Iterable[str],
    child_account: str,
    risks_identified: str,
    actions: str,
    by: Any,
    late_reason: str = "",
) -> ReturnInterview:
    """The interview was held by a missing-from-home advocate. Stops the 72-hour clock (met or missed)."""
    completed_at = _aware(completed_at)  # type: ignore[assignment]
    child = interview.child
    if interview.completed_at is not None:
        raise ValidationError(f"The interview was already recorded as held at {_when(interview.completed_at)}")
    if interview.offered_at is None:
        raise ValidationError("Record the offer of an interview before the interview itself")
    if interview.response == InterviewResponse.DECLINED:
        raise ValidationError(f"{child.first_name} declined the interview. If they have changed their mind, "
                              "record that they accepted it first")
    errors = _check_interview_time(interview, completed_at, "completed_at", "held")
    if "completed_at" not in errors and completed_at < interview.offered_at:
        errors["completed_at"] = f"The interview cannot be before it was offered ({_when(interview.offered_at)})"
    if completed_by is None or not _is_advocate(completed_by, child):
        errors["completed_by"] = "Choose the missing-from-home advocate who held the interview"
    push = _codes(push_factors, PushFactor.values)
    pull = _codes(pull_factors, PullFactor.values)
    if push is None:
        errors["push_factors"] = "Choose push factors from the list"
    if pull is None:
        errors["pull_factors"] = "Choose pull factors from the list"
    if not child_account.strip():
        errors["child_account"] = "Enter what the child said"
    late = completed_at > interview.due_at
    if late and "completed_at" not in errors and not late_reason.strip():
        errors["late_reason"] = "Explain why the interview was not held within 72 hours of the return"
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        if not interview.response:
            interview.response = InterviewResponse.ACCEPTED
            interview.responded_at = interview.offered_at
        interview.completed_at = completed_at
        interview.completed_by = completed_by
        interview.push_factors = push or []
        interview.pull_factors = pull or []
        interview.child_account = child_account.strip()
        interview.risks_identified = risks_identified.strip()
        interview.actions = actions.strip()
        interview.late_reason = late_reason.strip() if late else ""
        interview.save(by=by)
        clock = _rhi_clock(interview)
        if clock is not None and clock.is_open:
            clock_stop(clock=clock, stopped_on=_local_date(completed_at), stopped_at=completed_at, by=by,
                       missed_reason=interview.late_reason)
        chronology_record(
            person=child, event_type=EventType.MISSING, occurred=completed_at,
            title="Return home interview held" + ("" if not late else " (after 72 hours)"),
            summary=interview.risks_identified, source=interview, link=_link(child, interview.episode),
            significant=True, by=by,
        )
    return interview


def missing_advocate_allocate(*, child: Person, advocate: User, started_on: date, by: Any) -> Allocation:
    """Allocate a missing-from-home advocate; open interview clocks move onto their work tray."""
    if (advocate.role != Role.MISSING_ADVOCATE or advocate.local_authority_id != child.local_authority_id
            or not advocate.is_active):
        raise ValidationError({"advocate": "Choose a missing-from-home advocate in this council"})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "The allocation must start today or in the past"})
    team = advocate.team or Team.objects.filter(local_authority_id=child.local_authority_id,
                                                kind=Team.Kind.EXPLOITATION).order_by("id").first()
    if team is None:
        raise ValidationError({"advocate": f"{advocate.get_full_name()} is not in a team. Ask an administrator "
                                           "to add them to the exploitation or missing team first"})
    with transaction.atomic(), acting_as(by):
        allocation = allocation_start(child=child, team=team, worker=advocate, started_on=started_on, by=by,
                                      kind=Allocation.Kind.MISSING_ADVOCATE)
        for clock in Clock.objects.filter(child=child, rule_id=RHI_RULE, status=Clock.Status.OPEN,
                                          local_authority_id=child.local_authority_id):
            if clock.assigned_to_id != advocate.pk:
                clock.assigned_to = advocate
                clock.save(by=by)
    return allocation


# ---------------------------------------------------------------- exploitation screening


def current_screening(child: Person) -> ExploitationScreening | None:
    return ExploitationScreening.objects.filter(
        child=child, local_authority_id=child.local_authority_id
    ).order_by("-screened_on", "-id").first()


def _review_clocks(screening: ExploitationScreening) -> list[Clock]:
    return list(Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(ExploitationScreening), subject_id=screening.pk,
        local_authority_id=screening.local_authority_id, rule_id=REVIEW_RULE, status=Clock.Status.OPEN,
    ))


def exploitation_screening_record(
    *,
    child: Person,
    screened_on: date,
    cse_risk: str,
    cce_risk: str,
    indicators: Iterable[str],
    notes: str,
    by: Any,
    episode: MissingEpisode | None = None,
) -> ExploitationScreening:
    """Screen (or review) the risk of sexual and criminal exploitation.

    A screening after an earlier one is its review: the earlier one's review clock stops on this date and a
    new one starts from it (every 3 months by default) while any risk is found.
    """
    errors: dict[str, str] = {}
    if screened_on > timezone.localdate():
        errors["screened_on"] = "The date of the screening must be today or in the past"
    elif child.date_of_birth is not None and screened_on < child.date_of_birth:
        errors["screened_on"] = "The date of the screening cannot be before the child was born"
    if cse_risk not in RiskLevel.values:
        errors["cse_risk"] = "Choose the risk of child sexual exploitation"
    if cce_risk not in RiskLevel.values:
        errors["cce_risk"] = "Choose the risk of child criminal exploitation"
    chosen = _codes(indicators, Indicator.values)
    if chosen is None:
        errors["indicators"] = "Choose indicators from the list"
    if episode is not None and episode.child_id != child.pk:
        errors["episode"] = "Choose one of this child's missing episodes"
    previous = current_screening(child)
    if previous is not None and "screened_on" not in errors and screened_on < previous.screened_on:
        errors["screened_on"] = (f"The last screening was on {long_date(previous.screened_on)}. A review cannot be "
                                 "dated before it")
    refuse(errors)
    with transaction.atomic(), acting_as(by):
        screening = ExploitationScreening(
            local_authority_id=child.local_authority_id, child=child, screened_on=screened_on,
            screened_by=by if isinstance(by, User) else None, cse_risk=cse_risk, cce_risk=cce_risk,
            indicators=chosen or [], notes=notes.strip(), episode=episode, reviews=previous,
        )
        screening.save(by=by)
        if previous is not None:
            for clock in _review_clocks(previous):
                clock_stop(clock=clock, stopped_on=screened_on, by=by,
                           missed_reason="Reviewed after the review date")
        if screening.any_risk:
            clock = clock_start(child=child, rule_id=REVIEW_RULE, started_on=screened_on, subject=screening,
                                assigned_to=by if isinstance(by, User) else None, by=by)
            screening.next_review_on = clock.due_on
            screening.save(by=by)
        risk = (f"Sexual exploitation: {screening.get_cse_risk_display().lower()}; "
                f"criminal exploitation: {screening.get_cce_risk_display().lower()}.")
        chronology_record(
            person=child, event_type=EventType.ASSESSMENT, occurred=screened_on,
            title="Exploitation risk review" if previous is not None else "Exploitation risk screening",
            summary=risk, source=screening, link=_link(child), significant=screening.highest_risk == RiskLevel.HIGH,
            by=by,
        )
    return screening


def escalation_reason(*, screening: ExploitationScreening | None = None,
                      episode: MissingEpisode | None = None) -> str:
    """The reason for a strategy discussion, drafted from the screening or episode that prompts it."""
    if screening is not None:
        lines = [f"Exploitation risk screening of {long_date(screening.screened_on)}: risk of sexual exploitation "
                 f"{screening.get_cse_risk_display().lower()}, risk of criminal exploitation "
                 f"{screening.get_cce_risk_display().lower()}."]
        if screening.indicators:
            labels = [str(Indicator(code).label) for code in screening.indicators if code in Indicator.values]
            lines.append("Indicators: " + "; ".join(labels) + ".")
        if screening.notes:
            lines.append(screening.notes)
        return "\n".join(lines)
    if episode is not None:
        count = MissingEpisode.objects.filter(
            child=episode.child, local_authority_id=episode.local_authority_id,
            started_at__gte=episode.started_at - timedelta(days=90), started_at__lte=episode.started_at,
        ).count()
        text = f"{episode.type_label} from {_when(episode.started_at)}"
        if episode.ended_at:
            text += f" to {_when(episode.ended_at)}"
        text += f". {count} episode{'s' if count != 1 else ''} in the 90 days to then."
        if episode.circumstances:
            text += f"\n{episode.circumstances}"
        return text
    return ""


def escalate_to_strategy_discussion(
    *,
    child: Person,
    held_on: date,
    agencies_present: Iterable[str],
    reason: str,
    decision: str,
    by: Any,
    attendees: str = "",
    immediate_safety_actions: str = "",
    screening: ExploitationScreening | None = None,
    episode: MissingEpisode | None = None,
) -> StrategyDiscussion:
    """Hold a strategy discussion about exploitation or repeated missing episodes, and link it back.

    The discussion is recorded by child protection's own service (on the child's open referral); the
    screening or episode that prompted it keeps a link to it.
    """
    if screening is None and episode is None:
        raise ValidationError("Escalate from a screening or a missing episode")
    for source in (screening, episode):
        if source is not None and source.child_id != child.pk:
            raise ValidationError("That record belongs to another child")
    if open_episode_for(child) is None:
        raise ValidationError(
            f"{child.full_name} is not open to children's social care. Record a contact at the front door "
            "first: a strategy discussion is held on an open referral."
        )
    with transaction.atomic(), acting_as(by):
        discussion = strategy_discussion_record(
            child=child, held_on=held_on, agencies_present=agencies_present, reason=reason, decision=decision,
            by=by, attendees=attendees, immediate_safety_actions=immediate_safety_actions,
        )
        for source in (screening, episode):
            if source is not None:
                source.strategy_discussion = discussion
                source.save(by=by)
    return discussion
