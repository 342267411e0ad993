"""Changing the establishment and the HR record: posts and their funding, appointments and absences.

Every function is keyword-only, runs in one transaction and is attributed to ``by`` (a member of staff, whose
permission is checked, or a named system process such as the demo seed). A refusal is a ValidationError keyed by
the form field it is about; a save over someone else's change is a StaleVersionError.

Nothing is deleted: a post leaves the establishment with an end date (``post_end``), funding and appointments end.

The worker's own record (``User.employment_type``, ``fte``, ``started_on``, ``left_on``) is what the rest of
Hearth reads as their current appointment (caseload pages, SSDA903 worker episodes). It is worked out here from
their appointments whenever one starts or ends, so HR types each fact once:
- the appointment in force today (else the latest that has started, else the first still to come) gives the
  employment type and FTE;
- ``started_on`` is the first day of the unbroken run of appointments that one belongs to (a change of role or
  FTE is a new appointment, not a new start with the council);
- ``left_on`` is the first day no longer in post (``User.is_in_post``): the day after an appointment ended with
  ``left_council``, or empty.
The User model is not audited: it is saved with ``update_fields`` so nothing else on it is touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.finance.models import Grant, Reserve
from hearth.indicators import registry
from hearth.tenancy.models import LocalAuthority
from hearth.workspace.dates import long_date

from .models import Absence, Appointment, Post, PostFunding
from .selectors import current_appointment

HUNDRED = Decimal("100")
MIN_FTE, MAX_FTE = Decimal("0.01"), Decimal("1.00")
EMPLOYEES = (Appointment.EmploymentType.PERMANENT, Appointment.EmploymentType.SECONDED)
_USER_EMPLOYMENT = {
    Appointment.EmploymentType.PERMANENT: User.EmploymentType.PERMANENT,
    Appointment.EmploymentType.AGENCY: User.EmploymentType.AGENCY,
    Appointment.EmploymentType.SECONDED: User.EmploymentType.SECONDED,
}


def _today() -> date:
    return timezone.localdate()


def _allowed(by: Any, perm: str, obj: Any = None) -> None:
    """Staff are checked against the rule; a named system process (a string) acts for the council."""
    if isinstance(by, str):
        return
    allowed = isinstance(by, User) and (by.has_perm(perm, obj) if obj is not None else by.has_perm(perm))
    if not allowed:
        raise PermissionDenied("You cannot make this change.")


def _manage(by: Any, local_authority_id: int) -> None:
    _allowed(by, "workforce.manage_establishment")
    if isinstance(by, User) and by.local_authority_id != local_authority_id:
        raise PermissionDenied("You cannot make this change.")


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _stale_check(obj: Any, expected_version: int | None) -> None:
    if expected_version is not None:
        obj.version = expected_version


def _share(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return f"{text}%"


def peak(intervals: Iterable[tuple[date, date | None, Decimal]], start: date, end: date | None
         ) -> tuple[Decimal, date]:
    """The most the amounts of ``intervals`` (each start, end or None for open, amount) add up to on any one day
    from ``start`` to ``end`` (None: for ever), and the first day it is reached (``start`` if never above 0)."""
    spans = [(s, e, amount) for s, e, amount in intervals
             if (end is None or s <= end) and (e is None or e >= start)]
    best, best_day = Decimal(0), start
    # The total only rises where an interval starts, so those days (and ``start``) are the only ones to try.
    for day in sorted({start} | {s for s, _, _ in spans if s > start}):
        total = sum((a for s, e, a in spans if s <= day and (e is None or e >= day)), Decimal(0))
        if total > best:
            best, best_day = total, day
    return best, best_day


# ---------------------------------------------------------------------------------------------- posts

def _check_post(*, local_authority_id: int, reference: str, title: str, kind: str, team: Team | None,
                fte: Decimal, annual_cost: Decimal, serves_indicators: Sequence[str],
                exclude_pk: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not reference.strip():
        errors["reference"] = "Enter the post number"
    elif Post.objects.filter(local_authority_id=local_authority_id, reference=reference.strip()).exclude(
            pk=exclude_pk).exists():
        errors["reference"] = f"Post number {reference.strip()} is already on the establishment"
    if not title.strip():
        errors["title"] = "Enter the post's title"
    if kind not in Post.Kind.values:
        errors["kind"] = "Select the kind of post"
    if team is not None and team.local_authority_id != local_authority_id:
        errors["team"] = "Select a team in this council"
    if not MIN_FTE <= fte <= MAX_FTE:
        errors["fte"] = "FTE must be between 0.01 and 1.00"
    if annual_cost < 0:
        errors["annual_cost"] = "Annual cost must be £0 or more"
    unknown = []
    for code in serves_indicators:
        try:
            registry.get(code)
        except LookupError:
            unknown.append(code)
    if unknown:
        errors["serves_indicators"] = f"Select indicators Hearth knows (not {', '.join(unknown)})"
    return errors


def post_create(*, local_authority: LocalAuthority, reference: str, title: str, kind: str, fte: Decimal,
                annual_cost: Decimal, established_on: date, team: Team | None = None, grade: str = "",
                social_work_post: bool = True, purpose: str = "", serves_indicators: Sequence[str] = (),
                by: Any) -> Post:
    """A new post on the establishment. Its funding is added separately (``post_funding_add``)."""
    _manage(by, local_authority.pk)
    _refuse(_check_post(local_authority_id=local_authority.pk, reference=reference, title=title, kind=kind,
                        team=team, fte=fte, annual_cost=annual_cost, serves_indicators=serves_indicators))
    with transaction.atomic(), acting_as(by):
        post = Post(local_authority=local_authority, reference=reference.strip(), title=title.strip(), kind=kind,
                    team=team, grade=grade.strip(), fte=fte, annual_cost=annual_cost,
                    social_work_post=social_work_post, established_on=established_on, purpose=purpose.strip(),
                    serves_indicators=list(dict.fromkeys(serves_indicators)))
        post.save()
    return post


def post_update(*, post: Post, expected_version: int, reference: str, title: str, kind: str, fte: Decimal,
                annual_cost: Decimal, established_on: date, team: Team | None = None, grade: str = "",
                social_work_post: bool = True, purpose: str = "", serves_indicators: Sequence[str] = (),
                by: Any) -> Post:
    """Change a post's details. Its FTE cannot go below the FTE of the council's employees in it, and it cannot
    start after anyone was appointed to it or funded."""
    _manage(by, post.local_authority_id)
    errors = _check_post(local_authority_id=post.local_authority_id, reference=reference, title=title, kind=kind,
                         team=team, fte=fte, annual_cost=annual_cost, serves_indicators=serves_indicators,
                         exclude_pk=post.pk)
    appointments = list(post.appointments.filter(employment_type__in=EMPLOYEES))
    if "fte" not in errors:
        last = post.ended_on - timedelta(days=1) if post.ended_on else None
        filled, day = peak(((a.starts_on, a.ends_on, a.fte) for a in appointments), max(established_on, _today()),
                           last)
        if filled > fte:
            errors["fte"] = (f"The council's employees in this post come to {filled} FTE from {long_date(day)}"
                             f" (or later): the post's FTE cannot be less than that")
    earliest = min([a.starts_on for a in post.appointments.all()] + [f.starts_on for f in post.funding.all()],
                   default=None)
    if earliest is not None and established_on > earliest:
        errors["established_on"] = (f"The post has appointments or funding from {long_date(earliest)}: it must "
                                    "be established by then")
    if post.ended_on is not None and established_on >= post.ended_on:
        errors["established_on"] = "The post must be established before it came off the establishment"
    _refuse(errors)
    with transaction.atomic(), acting_as(by):
        _stale_check(post, expected_version)
        post.reference, post.title, post.kind, post.team = reference.strip(), title.strip(), kind, team
        post.grade, post.fte, post.annual_cost = grade.strip(), fte, annual_cost
        post.social_work_post, post.established_on, post.purpose = social_work_post, established_on, purpose.strip()
        post.serves_indicators = list(dict.fromkeys(serves_indicators))
        post.save()
    return post


def post_end(*, post: Post, ended_on: date, expected_version: int, by: Any) -> Post:
    """Take a post off the establishment from ``ended_on`` (the day it comes off, as ``Post.ended_on``; its last
    day is the day before). Funding running on or after that day ends the day before; anyone still in the post
    then must have their appointment ended first."""
    _manage(by, post.local_authority_id)
    errors: dict[str, str] = {}
    last = ended_on - timedelta(days=1)
    if post.ended_on is not None:
        errors["ended_on"] = f"This post was already taken off the establishment on {long_date(post.ended_on)}"
    elif ended_on <= post.established_on:
        errors["ended_on"] = (f"The post was established on {long_date(post.established_on)}: it must come off "
                              "after that day")
    else:
        still_in = [a for a in post.appointments.select_related("worker") if a.ends_on is None or a.ends_on > last]
        if still_in:
            names = ", ".join(a.worker.get_full_name() or a.worker.username for a in still_in)
            errors["ended_on"] = (f"{names} {'is' if len(still_in) == 1 else 'are'} in this post on "
                                  f"{long_date(ended_on)} or later: end their appointment first")
        later = [f for f in post.funding.all() if f.starts_on > last]
        if later:
            errors["ended_on"] = (f"Funding for this post starts on {long_date(later[0].starts_on)}: the post "
                                  "cannot come off before then, unless the funding is corrected")
    _refuse(errors)
    with transaction.atomic(), acting_as(by):
        _stale_check(post, expected_version)
        post.ended_on = ended_on
        post.save()
        for funding in post.funding.all():
            if funding.ends_on is None or funding.ends_on > last:
                funding.ends_on = last
                funding.save()
    return post


# ---------------------------------------------------------------------------------------------- funding

def _check_funding_share(*, post: Post, starts_on: date, ends_on: date | None, share_percent: Decimal,
                         exclude_pk: int | None = None) -> str:
    others = [(f.starts_on, f.ends_on, f.share_percent) for f in post.funding.all() if f.pk != exclude_pk]
    already, day = peak(others, starts_on, ends_on)
    if already + share_percent > HUNDRED:
        room = HUNDRED - already
        return (f"This post is already {_share(already)} funded on {long_date(day)}"
                f" (or later in these dates): funding cannot come to more than 100%. "
                + (f"Enter a share of no more than {_share(room)}, or end the other funding first"
                   if room > 0 else "End the other funding first, or start this funding after it ends"))
    return ""


def post_funding_add(*, post: Post, source: str, starts_on: date, ends_on: date | None = None,
                     share_percent: Decimal = HUNDRED, reserve: Reserve | None = None, grant: Grant | None = None,
                     note: str = "", by: Any) -> PostFunding:
    """Say where the money for a post comes from, for a stretch of time. Reserve and grant money is for a time
    and names its reserve or grant; a post's funding never comes to more than 100% on any day."""
    _manage(by, post.local_authority_id)
    # Checked and written under the post's row lock: two people adding funding at once cannot both pass the
    # 100% check.
    with transaction.atomic(), acting_as(by):
        list(Post.objects.select_for_update().filter(pk=post.pk).values_list("pk"))
        return _post_funding_add(post=post, source=source, starts_on=starts_on, ends_on=ends_on,
                                 share_percent=share_percent, reserve=reserve, grant=grant, note=note, by=by)


def _post_funding_add(*, post: Post, source: str, starts_on: date, ends_on: date | None, share_percent: Decimal,
                      reserve: Reserve | None, grant: Grant | None, note: str, by: Any) -> PostFunding:
    la_id = post.local_authority_id
    errors: dict[str, str] = {}
    if source not in PostFunding.Source.values:
        errors["source"] = "Select where the money comes from"
    if source == PostFunding.Source.RESERVE and (reserve is None or reserve.local_authority_id != la_id):
        errors["reserve"] = "Select the reserve the post is paid from"
    if source == PostFunding.Source.GRANT:
        if grant is None or grant.local_authority_id != la_id:
            errors["grant"] = "Select the grant the post is paid from"
        elif ends_on is not None and ends_on > grant.ends_on:
            errors["ends_on"] = f"{grant.name} ends on {long_date(grant.ends_on)}: the funding cannot run past it"
        elif starts_on < grant.starts_on:
            errors["starts_on"] = (f"{grant.name} starts on {long_date(grant.starts_on)}: the funding cannot start "
                                   "before it")
    temporary = source in (PostFunding.Source.RESERVE, PostFunding.Source.GRANT)
    if temporary and ends_on is None and "ends_on" not in errors:
        errors["ends_on"] = "Enter the date the funding ends: reserve and grant money is for a time"
    if not (Decimal("0.01") <= share_percent <= HUNDRED):
        errors["share_percent"] = "Share must be between 0.01% and 100%"
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The funding must end on or after the day it starts"
    if starts_on < post.established_on:
        errors["starts_on"] = (f"The post was established on {long_date(post.established_on)}: funding cannot "
                               "start before")
    if post.ended_on is not None and (ends_on is None or ends_on >= post.ended_on):
        errors["ends_on"] = (f"The post came off the establishment on {long_date(post.ended_on)}: funding must "
                             "end before then")
    if not errors:
        overfunded = _check_funding_share(post=post, starts_on=starts_on, ends_on=ends_on,
                                          share_percent=share_percent)
        if overfunded:
            errors["share_percent"] = overfunded
    _refuse(errors)
    if source != PostFunding.Source.RESERVE:
        reserve = None
    if source != PostFunding.Source.GRANT:
        grant = None
    with transaction.atomic(), acting_as(by):
        funding = PostFunding(local_authority_id=la_id, post=post, source=source, reserve=reserve, grant=grant,
                              starts_on=starts_on, ends_on=ends_on, share_percent=share_percent, note=note.strip())
        funding.save()
    return funding


def post_funding_end(*, funding: PostFunding, ends_on: date, expected_version: int, by: Any) -> PostFunding:
    """Set (or move) the last day of a stretch of funding: brought forward when money is withdrawn, moved on when
    it is extended (within the grant's dates, never over 100% of the post)."""
    post = funding.post
    _manage(by, funding.local_authority_id)
    errors: dict[str, str] = {}
    if ends_on < funding.starts_on:
        errors["ends_on"] = f"The funding started on {long_date(funding.starts_on)}: it must end on or after that day"
    elif funding.grant_id is not None and ends_on > funding.grant.ends_on:  # type: ignore[union-attr]
        errors["ends_on"] = (f"{funding.grant.name} ends on {long_date(funding.grant.ends_on)}: "  # type: ignore[union-attr]
                             "the funding cannot run past it")
    elif post.ended_on is not None and ends_on >= post.ended_on:
        errors["ends_on"] = (f"The post came off the establishment on {long_date(post.ended_on)}: funding must "
                             "end before then")
    elif funding.ends_on is not None and ends_on > funding.ends_on:
        overfunded = _check_funding_share(post=post, starts_on=funding.starts_on, ends_on=ends_on,
                                          share_percent=funding.share_percent, exclude_pk=funding.pk)
        if overfunded:
            errors["ends_on"] = overfunded
    _refuse(errors)
    with transaction.atomic(), acting_as(by):
        _stale_check(funding, expected_version)
        funding.ends_on = ends_on
        funding.save()
    return funding


# ---------------------------------------------------------------------------------------------- appointments

def _run_start(appointments: Sequence[Appointment], current: Appointment) -> date:
    """The first day of the unbroken run of appointments ``current`` belongs to."""
    start = current.starts_on
    earlier = sorted((a for a in appointments if a.starts_on < current.starts_on and a.ends_on is not None
                      and not a.left_council), key=lambda a: a.starts_on, reverse=True)
    for a in earlier:
        if a.ends_on is not None and a.ends_on >= start - timedelta(days=1):
            start = min(start, a.starts_on)
    return start


def worker_in_step(worker: User, *, today: date | None = None) -> None:
    """Put the worker's current fields right from their appointments (see the module docstring)."""
    appointments = list(Appointment.objects.filter(worker=worker))
    current = current_appointment(appointments, today or _today())
    if current is None:
        return
    worker.employment_type = _USER_EMPLOYMENT[Appointment.EmploymentType(current.employment_type)]
    worker.fte = current.fte
    worker.started_on = _run_start(appointments, current)
    ended = current.ends_on
    worker.left_on = ended + timedelta(days=1) if current.left_council and ended is not None else None
    worker.save(update_fields=["employment_type", "fte", "started_on", "left_on"])


def appointment_start(*, worker: User, post: Post | None, employment_type: str, org_role: str, fte: Decimal,
                      starts_on: date, start_origin: str = "", by: Any) -> Appointment:
    """A worker starts in a role: in a post, or (an agency worker covering sickness, say) over establishment.

    Refused when the worker is already in another appointment then, when the post is off the establishment, and
    when the council's employees in a post would come to more than its FTE (an agency worker alongside is
    covering, and allowed)."""
    _allowed(by, "workforce.record_hr", worker)
    # Checked and written under the worker's and the post's row locks: two appointments saved at once cannot
    # both pass the overlap and FTE checks.
    with transaction.atomic(), acting_as(by):
        list(User.objects.select_for_update().filter(pk=worker.pk).values_list("pk"))
        if post is not None:
            list(Post.objects.select_for_update().filter(pk=post.pk).values_list("pk"))
        return _appointment_start(worker=worker, post=post, employment_type=employment_type, org_role=org_role,
                                  fte=fte, starts_on=starts_on, start_origin=start_origin, by=by)


def _appointment_start(*, worker: User, post: Post | None, employment_type: str, org_role: str, fte: Decimal,
                       starts_on: date, start_origin: str, by: Any) -> Appointment:
    la_id = worker.local_authority_id
    errors: dict[str, str] = {}
    if la_id is None or worker.role == Role.PARTNER_REFERRER:
        raise PermissionDenied("Only the council's own staff hold appointments.")
    if isinstance(by, User) and by.local_authority_id != la_id:
        raise PermissionDenied("You cannot make this change.")
    if employment_type not in Appointment.EmploymentType.values:
        errors["employment_type"] = "Select how the worker is employed"
    if org_role not in Appointment.OrgRole.values:
        errors["org_role"] = "Select the worker's role as the workforce census counts it"
    if start_origin and start_origin not in Appointment.StartOrigin.values:
        errors["start_origin"] = "Select where the worker came from"
    if not MIN_FTE <= fte <= MAX_FTE:
        errors["fte"] = "FTE must be between 0.01 and 1.00"
    if post is not None:
        if post.local_authority_id != la_id:
            errors["post"] = "Select a post in this council"
        elif post.ended_on is not None:
            errors["post"] = (f"Post {post.reference} was taken off the establishment on "
                              f"{long_date(post.ended_on)}: it takes no new appointments")
        elif starts_on < post.established_on:
            errors["starts_on"] = (f"Post {post.reference} was established on {long_date(post.established_on)}: "
                                   "the appointment cannot start before")
    theirs = list(Appointment.objects.filter(worker=worker).select_related("post"))
    overlapping = [a for a in theirs if a.ends_on is None or a.ends_on >= starts_on]
    if overlapping:
        a = overlapping[0]
        where = f" in post {a.post.reference}" if a.post else ""
        errors["starts_on"] = (f"{worker.get_full_name()} has an appointment{where} from "
                               f"{long_date(a.starts_on)}"
                               + (f" to {long_date(a.ends_on)}" if a.ends_on else " with no end date")
                               + ": end it before this one starts")
    if (post is not None and not errors and employment_type in EMPLOYEES):
        others = post.appointments.filter(employment_type__in=EMPLOYEES)
        filled, day = peak(((a.starts_on, a.ends_on, a.fte) for a in others), starts_on, None)
        if filled + fte > post.fte:
            errors["fte"] = (f"Post {post.reference} is {post.fte} FTE and the council's employees in it already "
                             f"come to {filled} FTE on {long_date(day)}"
                             f": an appointment of {fte} FTE would be more than the post")
    _refuse(errors)
    with transaction.atomic(), acting_as(by):
        appointment = Appointment(local_authority_id=la_id, worker=worker, post=post,
                                  employment_type=employment_type, org_role=org_role, fte=fte,
                                  starts_on=starts_on, start_origin=start_origin)
        appointment.save()
        worker_in_step(worker)
    return appointment


def appointment_end(*, appointment: Appointment, ends_on: date, left_council: bool, reason_leave: str = "",
                    leaver_destination: str = "", expected_version: int | None = None, by: Any) -> Appointment:
    """The worker's last day in this role. ``left_council``: they left the council's children's social work
    (the census leaver items: why, and where to); otherwise they move to another appointment here."""
    worker = appointment.worker
    _allowed(by, "workforce.record_hr", worker)
    errors: dict[str, str] = {}
    if appointment.ends_on is not None:
        errors["ends_on"] = f"This appointment already ended on {long_date(appointment.ends_on)}"
    elif ends_on < appointment.starts_on:
        errors["ends_on"] = (f"The appointment started on {long_date(appointment.starts_on)}: it must end on or "
                             "after that day")
    if left_council:
        if reason_leave not in Appointment.ReasonLeave.values or not reason_leave:
            errors["reason_leave"] = "Select why the worker left"
        if leaver_destination and leaver_destination not in Appointment.LeaverDestination.values:
            errors["leaver_destination"] = "Select where the worker went"
    _refuse(errors)
    with transaction.atomic(), acting_as(by):
        _stale_check(appointment, expected_version)
        appointment.ends_on = ends_on
        appointment.left_council = left_council
        appointment.reason_leave = reason_leave if left_council else ""
        appointment.leaver_destination = leaver_destination if left_council else ""
        appointment.save()
        worker_in_step(worker)
    return appointment


# ---------------------------------------------------------------------------------------------- absence

def _check_absence(*, worker: User, starts_on: date, ends_on: date | None, working_days_lost: Decimal,
                   exclude_pk: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The absence must end on or after the day it started"
    if working_days_lost < 0:
        errors["working_days_lost"] = "Working days lost must be 0 or more"
    elif ends_on is not None and working_days_lost > (ends_on - starts_on).days + 1:
        errors["working_days_lost"] = (f"Working days lost cannot be more than the {(ends_on - starts_on).days + 1}"
                                       " days of the absence")
    clash = [a for a in Absence.objects.filter(worker=worker).exclude(pk=exclude_pk)
             if a.starts_on <= (ends_on or date.max) and (a.ends_on is None or a.ends_on >= starts_on)]
    if clash and "ends_on" not in errors:
        a = clash[0]
        errors["starts_on"] = (f"{worker.get_full_name()} already has an absence from {long_date(a.starts_on)}"
                               + (f" to {long_date(a.ends_on)}" if a.ends_on else " with no end date yet")
                               + ": absences cannot overlap")
    return errors


def absence_record(*, worker: User, reason: str, starts_on: date, working_days_lost: Decimal,
                   ends_on: date | None = None, by: Any) -> Absence:
    """A spell of absence, with the working days lost as the worker's contract counts them. Still open (no end)
    while the worker is away; ``absence_close`` ends it."""
    _allowed(by, "workforce.record_hr", worker)
    if worker.local_authority_id is None:
        raise PermissionDenied("Only the council's own staff have absences recorded.")
    errors: dict[str, str] = {}
    if reason not in Absence.Reason.values:
        errors["reason"] = "Select the reason for the absence"
    if reason == Absence.Reason.SICKNESS and starts_on > _today():
        errors["starts_on"] = "Sickness absence must start today or in the past"
    errors = _check_absence(worker=worker, starts_on=starts_on, ends_on=ends_on,
                            working_days_lost=working_days_lost) | errors
    _refuse(errors)
    with transaction.atomic(), acting_as(by):
        absence = Absence(local_authority_id=worker.local_authority_id, worker=worker, reason=reason,
                          starts_on=starts_on, ends_on=ends_on, working_days_lost=working_days_lost)
        absence.save()
    return absence


def absence_close(*, absence: Absence, ends_on: date, working_days_lost: Decimal, expected_version: int,
                  by: Any) -> Absence:
    """The worker is back: the absence's last day and the working days it lost in all."""
    _allowed(by, "workforce.record_hr", absence.worker)
    errors: dict[str, str] = {}
    if absence.ends_on is not None:
        errors["ends_on"] = f"This absence already ended on {long_date(absence.ends_on)}"
    else:
        errors = _check_absence(worker=absence.worker, starts_on=absence.starts_on, ends_on=ends_on,
                                working_days_lost=working_days_lost, exclude_pk=absence.pk)
        if "starts_on" in errors:  # an absence recorded after this one began: say so against the end date
            errors["ends_on"] = errors.pop("starts_on")
    _refuse(errors)
    with transaction.atomic(), acting_as(by):
        _stale_check(absence, expected_version)
        absence.ends_on = ends_on
        absence.working_days_lost = working_days_lost
        absence.save()
    return absence

