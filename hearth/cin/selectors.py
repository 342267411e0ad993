"""Reads for children in need, scoped to the reader's council and to the children they may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from hearth.access.policy import visible_people_filter
from hearth.allocations.models import Allocation
from hearth.clocks.models import Clock, holiday_set
from hearth.clocks.registry import due
from hearth.clocks.working_days import working_days_between

from .codes import CategoryOfAbuse
from .models import Assessment, CINEpisode, CINPlan, CINPlanReview

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.people.models import Person

ASSESSMENT_WORKING_DAYS = 45


# ------------------------------------------------------------------------------------------------ scoped querysets


def episodes_visible_to(*, user: User) -> QuerySet[CINEpisode]:
    """Every referral the user may see: their council, children they may open."""
    visible = visible_people_filter(user, prefix="child__")
    if visible is None:
        return CINEpisode.objects.none()
    return CINEpisode.objects.filter(local_authority_id=user.local_authority_id).filter(visible)


def assessments_visible_to(*, user: User) -> QuerySet[Assessment]:
    visible = visible_people_filter(user, prefix="child__")
    if visible is None:
        return Assessment.objects.none()
    return Assessment.objects.filter(local_authority_id=user.local_authority_id).filter(visible)


def cin_plans_visible_to(*, user: User) -> QuerySet[CINPlan]:
    visible = visible_people_filter(user, prefix="child__")
    if visible is None:
        return CINPlan.objects.none()
    return CINPlan.objects.filter(local_authority_id=user.local_authority_id).filter(visible)


def open_episode_for(*, child: Person) -> CINEpisode | None:
    return CINEpisode.objects.filter(
        child=child, local_authority_id=child.local_authority_id, closed_on__isnull=True
    ).select_related("team").first()


# ------------------------------------------------------------------------------------------------ timeliness


@dataclass(frozen=True)
class Measure:
    """One 45-working-day measure: from ``start`` to authorisation (or to today while open)."""

    label: str
    start: date
    due_on: date
    end: date
    working_days: int
    finished: bool

    @property
    def met(self) -> bool:
        # The same test as the clock: on time on or before the due date.
        return self.end <= self.due_on

    @property
    def overdue(self) -> bool:
        return not self.met


@dataclass(frozen=True)
class AssessmentTimeliness:
    referral_to_seen: int | None
    practice: Measure
    dfe: Measure


def assessment_timeliness(
    assessment: Assessment, *, referral_date: date, holidays: frozenset[date] | None = None,
    today: date | None = None,
) -> AssessmentTimeliness:
    """Working days from referral to the child being seen, and both 45-working-day measures.

    Practice (Working Together): from the referral date. DfE (CIN census): from the
    assessment's actual start date. Both end at manager authorisation.
    """
    holidays = holiday_set() if holidays is None else holidays
    today = today or timezone.localdate()
    end = assessment.authorised_on or today
    finished = assessment.authorised_on is not None

    def measure(label: str, start: date) -> Measure:
        due_on = due("assessment", start, holidays=holidays)
        assert isinstance(due_on, date)
        return Measure(label, start, due_on, end, working_days_between(start, end, holidays), finished)

    seen = (working_days_between(referral_date, assessment.child_seen_on, holidays)
            if assessment.child_seen_on else None)
    return AssessmentTimeliness(
        referral_to_seen=seen,
        practice=measure("From the referral (Working Together)", referral_date),
        dfe=measure("From the assessment start (DfE, CIN census)", assessment.started_on),
    )


# ------------------------------------------------------------------------------------------------ the overview


@dataclass
class EpisodeView:
    episode: CINEpisode
    assessments: list[tuple[Assessment, AssessmentTimeliness]] = field(default_factory=list)
    plans: list[CINPlan] = field(default_factory=list)
    clocks: list[Clock] = field(default_factory=list)

    @property
    def open_assessment(self) -> Assessment | None:
        return next((a for a, _ in self.assessments if a.status != Assessment.Status.AUTHORISED), None)

    @property
    def open_plan(self) -> CINPlan | None:
        return next((p for p in self.plans if p.ended_on is None), None)

    @property
    def has_authorised_assessment(self) -> bool:
        return any(a.status == Assessment.Status.AUTHORISED for a, _ in self.assessments)


@dataclass
class CINOverview:
    current: EpisodeView | None
    closed: list[EpisodeView]
    allocation: Allocation | None
    today: date


def cin_overview(*, user: User, child: Person) -> CINOverview:
    """Everything on the child's Social care tab, in a fixed number of queries however long the history."""
    today = timezone.localdate()
    episodes = list(
        episodes_visible_to(user=user).filter(child=child).select_related("team", "contact").order_by(
            "-referral_date", "-id")
    )
    views = {e.pk: EpisodeView(e) for e in episodes}
    if views:
        holidays = holiday_set()
        assessments = (
            Assessment.objects.filter(local_authority_id=child.local_authority_id, episode_id__in=views)
            .select_related("worker", "authorised_by").order_by("-started_on", "-id")
        )
        for a in assessments:
            episode = views[a.episode_id].episode
            views[a.episode_id].assessments.append(
                (a, assessment_timeliness(a, referral_date=episode.referral_date, holidays=holidays, today=today))
            )
        reviews = Prefetch("reviews", queryset=CINPlanReview.objects.order_by("-held_on", "-id"))
        plans = CINPlan.objects.filter(local_authority_id=child.local_authority_id, episode_id__in=views)
        for p in plans.prefetch_related(reviews).order_by("-started_on", "-id"):
            views[p.episode_id].plans.append(p)
        episode_type = ContentType.objects.get_for_model(CINEpisode)
        plan_type = ContentType.objects.get_for_model(CINPlan)
        plan_episode = {p.pk: p.episode_id for v in views.values() for p in v.plans}
        clocks = Clock.objects.filter(child=child, local_authority_id=child.local_authority_id,
                                      status=Clock.Status.OPEN).select_related("assigned_to")
        for clock in clocks:
            if clock.subject_type_id == episode_type.pk and clock.subject_id in views:
                views[clock.subject_id].clocks.append(clock)
            elif clock.subject_type_id == plan_type.pk and clock.subject_id in plan_episode:
                views[plan_episode[clock.subject_id]].clocks.append(clock)
    current = next((v for v in views.values() if v.episode.is_open), None)
    allocation = (
        Allocation.objects.filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER, ended_on__isnull=True)
        .select_related("team", "worker").first()
    )
    return CINOverview(
        current=current,
        closed=[v for v in views.values() if not v.episode.is_open],
        allocation=allocation,
        today=today,
    )


# ------------------------------------------------------------------------------------------------ record header


@dataclass(frozen=True)
class StatusTag:
    text: str
    colour: str = ""


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def plan_ordinal(previous_plans: int) -> str:
    n = previous_plans + 1
    return _ORDINALS[n - 1] if n <= len(_ORDINALS) else f"{n}th"


def social_care_status(*, child: Person) -> list[StatusTag]:
    """The child's current status across social care, care, missing and the education registers, in one query.

    The caller has already checked the reader may see the child.
    """
    from hearth.care.models import CareLegalStatus
    from hearth.education.models import CMECase, EHECase
    from hearth.education.selectors import REGISTER_TAGS
    from hearth.missing.models import MissingEpisode
    from hearth.people.models import Person
    from hearth.protection.models import ChildProtectionPlan, Section47Enquiry

    la = child.local_authority_id
    child_ref = OuterRef("pk")
    open_episode = {"episode__child": child_ref, "episode__closed_on__isnull": True}
    open_cp = ChildProtectionPlan.objects.filter(child=child_ref, ended_on__isnull=True).order_by("-id")
    row: dict[str, Any] | None = (
        Person.objects.filter(pk=child.pk, local_authority_id=la)
        .annotate(
            re_referral=Subquery(CINEpisode.objects.filter(child=child_ref, closed_on__isnull=True)
                                 .values("is_re_referral")[:1]),
            assessing=Exists(Assessment.objects.filter(**open_episode).exclude(status=Assessment.Status.AUTHORISED)),
            cin_plan=Exists(CINPlan.objects.filter(child=child_ref, ended_on__isnull=True)),
            s47=Exists(Section47Enquiry.objects.filter(**open_episode, completed_on__isnull=True)),
            cp_category=Subquery(open_cp.values("latest_category")[:1]),
            cp_previous=Subquery(open_cp.values("previous_plans")[:1]),
            legal_status=Subquery(CareLegalStatus.objects.filter(
                child=child_ref, ended_on__isnull=True, period__ended_on__isnull=True).values("legal_status")[:1]),
            missing_now=Subquery(MissingEpisode.objects.filter(child=child_ref, ended_at__isnull=True)
                                 .values("missing_type")[:1]),
            cme=Exists(CMECase.objects.filter(child=child_ref, closed_on__isnull=True)),
            ehe=Exists(EHECase.objects.filter(child=child_ref, ended_on__isnull=True)),
        )
        .values("re_referral", "assessing", "cin_plan", "s47", "cp_category", "cp_previous", "legal_status",
                "missing_now", "cme", "ehe")
        .first()
    )
    if row is None:
        return []
    tags: list[StatusTag] = []
    if row["missing_now"]:
        tags.append(StatusTag("Missing now" if row["missing_now"] == "M" else "Away from placement now", "pink"))
    if row["re_referral"] is not None:
        tags.append(StatusTag("Open referral (re-referral)" if row["re_referral"] else "Open referral"))
    if row["assessing"]:
        tags.append(StatusTag("Assessment in progress", "grey"))
    if row["s47"]:
        tags.append(StatusTag("Section 47 enquiry", "orange"))
    if row["cin_plan"]:
        tags.append(StatusTag("CIN plan", "green"))
    if row["cp_category"]:
        label = CategoryOfAbuse(row["cp_category"]).label
        previous = row["cp_previous"] or 0
        repeat = f" ({plan_ordinal(previous)} plan)" if previous else ""
        tags.append(StatusTag(f"CP plan: {label}{repeat}", "red"))
    if row["legal_status"]:
        tags.append(StatusTag(f"Looked after ({row['legal_status']})", "purple"))
    tags += [StatusTag(REGISTER_TAGS[register], "yellow") for register in ("cme", "ehe") if row[register]]
    return tags
