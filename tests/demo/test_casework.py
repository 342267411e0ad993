"""The synthetic council's casework keeps the rules the services enforce, at realistic rates."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hearth.accounts.models import User
from hearth.allocations.models import Allocation
from hearth.audit.models import ChangeRecord
from hearth.chronology.models import ChronologyEvent, EventType
from hearth.cin.codes import CLOSURE_NEEDS_ASSESSMENT, AssessmentFactor
from hearth.cin.models import Assessment, CINEpisode, CINPlan, CINPlanReview
from hearth.clocks.models import Clock, holiday_set
from hearth.clocks.registry import due
from hearth.clocks.working_days import LONDON
from hearth.demo.council import build_council
from hearth.demo.models import PlantedError
from hearth.front_door.models import Contact, EarlyHelpEpisode, MysteryShopperCheck
from hearth.indicators.models import IndicatorSnapshot
from hearth.oversight.models import ManagementOversight
from hearth.portal.models import PartnerReferral
from hearth.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    CPVisit,
    Section47Enquiry,
    StrategyDiscussion,
)

CASEWORK_ERRORS = {
    PlantedError.Kind.CHILD_NOT_SEEN_RECORDED, PlantedError.Kind.FACTOR_21_WITH_OTHERS,
    PlantedError.Kind.RETIRED_FACTOR, PlantedError.Kind.ICPC_ON_WEEKEND,
    PlantedError.Kind.PLAN_START_NOT_CONFERENCE, PlantedError.Kind.RC8_WITHOUT_ASSESSMENT,
}


CASEWORK_SUBJECTS = ["contact", "cinepisode", "cinplan", "section47enquiry", "childprotectionplan",
                     "childprotectionconference", "transferinnotice"]


@pytest.fixture
def council(db):
    return build_council(size="small", seed=21)


def _spans(rows, today: date) -> dict[int, list[tuple[date, date]]]:
    spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for child, start, end in rows:
        spans[child].append((start, end or today))
    return spans


def _overlaps(a: list[tuple[date, date]], b: list[tuple[date, date]]) -> bool:
    return any(s1 <= e2 and s2 <= e1 for s1, e1 in a for s2, e2 in b)


def test_casework_keeps_the_census_and_working_together_rules(council):
    today = timezone.localdate()
    # Episodes: never overlapping for a child, only the latest open, closed ones with a reason.
    episodes = _spans(CINEpisode.objects.values_list("child", "referral_date", "closed_on"), today)
    for child, runs in episodes.items():
        runs.sort()
        for (_, end), (start, _) in itertools.pairwise(runs):
            assert end < start, child
    assert not CINEpisode.objects.exclude(closed_on=None).filter(closure_reason="").exists()
    # RC8 and RC9 only after an assessment; a referral closed NFA has none.
    for episode in CINEpisode.objects.filter(closure_reason__in=CLOSURE_NEEDS_ASSESSMENT):
        assert episode.assessments.exists(), episode.pk
    for episode in CINEpisode.objects.filter(referral_nfa=True):
        assert not episode.assessments.exists() and not episode.s47_enquiries.exists()
        assert episode.closed_on is not None
    # Factors: never the retired 18A/19A, and 21 alone.
    for factors in Assessment.objects.values_list("factors", flat=True):
        assert "18A" not in factors and "19A" not in factors
        assert AssessmentFactor.NO_FACTORS not in factors or factors == [AssessmentFactor.NO_FACTORS]
        assert all(code in AssessmentFactor.values for code in factors)
    for a in Assessment.objects.all():
        assert a.started_on >= a.episode.referral_date
        if a.status == Assessment.Status.AUTHORISED:
            assert a.authorised_on and a.outcome and a.child_seen_on and a.started_on <= a.child_seen_on
        else:
            assert a.authorised_on is None and a.episode.closed_on is None
    # CIN and CP plans never overlap for a child.
    cin = _spans(CINPlan.objects.values_list("child", "started_on", "ended_on"), today)
    cp = _spans(ChildProtectionPlan.objects.values_list("child", "started_on", "ended_on"), today)
    for child in cp:
        assert not _overlaps(cp[child], cin.get(child, [])), child
    # A plan starts on the day of its conference; conferences are never at a weekend.
    assert ChildProtectionPlan.objects.exists()
    for plan in ChildProtectionPlan.objects.all():
        first = plan.conferences.filter(kind__in=["initial", "transfer_in"]).get()
        assert first.held_on == plan.started_on and first.outcome == "plan"
        assert plan.episode.referral_date <= plan.started_on
        if plan.ended_on:
            assert plan.end_reason
    assert not [c for c in ChildProtectionConference.objects.all() if c.held_on.weekday() >= 5]
    for conference in ChildProtectionConference.objects.filter(kind="initial"):
        s47 = conference.section47
        assert s47 is not None and s47.outcome == Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK
        assert s47.strategy_discussion.held_on <= s47.started_on <= conference.held_on
    for s47 in Section47Enquiry.objects.all():
        assert s47.strategy_discussion.decision == StrategyDiscussion.Decision.START_S47
    # Nothing in the future.
    for model, name in [(Assessment, "started_on"), (CINPlan, "started_on"), (ChildProtectionConference, "held_on"),
                        (CPVisit, "visited_on"), (CoreGroupMeeting, "held_on"), (CINPlanReview, "held_on")]:
        assert not model.objects.filter(**{f"{name}__gt": today}).exists(), model
    assert not Contact.objects.filter(received_at__gt=timezone.now()).exists()
    assert not PlantedError.objects.exists()


def test_clocks_follow_the_registry_and_current_work_has_open_clocks(council):
    today = timezone.localdate()
    holidays = holiday_set()
    # The casework's own clocks (those of children in care and the rest are checked in test_care).
    clocks = list(Clock.objects.filter(subject_type__model__in=CASEWORK_SUBJECTS))
    assert clocks
    for clock in clocks:
        assert clock.due_on == due(clock.rule_id, clock.started_on, holidays=holidays), clock.rule_id
        if clock.status in ("met", "missed"):
            assert clock.stopped_on is not None and (clock.status == "met") == (clock.stopped_on <= clock.due_on)
    open_clocks = [c for c in clocks if c.status == "open"]
    # Work trays have due and overdue items: most open clocks are not yet overdue.
    overdue = [c for c in open_clocks if c.due_on < today]
    assert overdue and len(overdue) < 0.5 * len(open_clocks)
    stopped = [c for c in clocks if c.status in ("met", "missed")]
    missed = [c for c in stopped if c.status == "missed"]
    assert missed and len(missed) < 0.35 * len(stopped)
    by_subject = defaultdict(set)
    for clock in open_clocks:
        by_subject[(clock.subject_type.model, clock.subject_id)].add(clock.rule_id)
    workers = dict(Allocation.objects.filter(ended_on=None, kind="social_worker").values_list("child", "worker"))
    for clock in open_clocks:
        assert clock.assigned_to_id == workers.get(clock.child_id), clock.rule_id
    # The 45-day clock runs on the referral until an assessment is authorised.
    for a in Assessment.objects.exclude(status="authorised"):
        if not a.episode.assessments.filter(status="authorised").exists():
            assert "assessment" in by_subject[("cinepisode", a.episode_id)]
    for episode in CINEpisode.objects.filter(closed_on=None).exclude(assessments__status="authorised"):
        assert "assessment" in by_subject[("cinepisode", episode.pk)]
    assert Clock.objects.filter(rule_id="referral_decision", status="open").exists()
    assert Clock.objects.filter(rule_id="referral_decision", status="met").exists()
    for s47 in Section47Enquiry.objects.filter(completed_on=None):
        assert "icpc" in by_subject[("section47enquiry", s47.pk)]
    open_plans = ChildProtectionPlan.objects.filter(ended_on=None)
    assert open_plans.exists()
    for plan in open_plans:
        rules = by_subject[("childprotectionplan", plan.pk)]
        assert "cp_visit" in rules and rules & {"rcpc_first", "rcpc_next"} and \
            rules & {"core_group_first", "core_group_next"}, rules
    for plan in CINPlan.objects.filter(ended_on=None):
        assert "cin_plan_review" in by_subject[("cinplan", plan.pk)]
    # Closed work leaves no open clock behind.
    closed_plans = set(ChildProtectionPlan.objects.exclude(ended_on=None).values_list("pk", flat=True))
    assert not [c for c in open_clocks
                if c.subject_type.model == "childprotectionplan" and c.subject_id in closed_plans]


def test_front_door_contacts_decisions_and_partner_referrals(council):
    today = timezone.localdate()
    holidays = holiday_set()
    contacts = list(Contact.objects.all())
    referrals = CINEpisode.objects.count()
    assert 2.0 <= len(contacts) / referrals <= 3.3
    for contact in contacts:
        received = contact.received_at.astimezone(LONDON).date()
        assert contact.decision_due_on == due("referral_decision", received, holidays=holidays)
    decided = [c for c in contacts if c.status == "decided"]
    on_time = [c for c in decided if c.decided_at.astimezone(LONDON).date() <= c.decision_due_on]
    assert 0.8 < len(on_time) / len(decided) < 0.99
    decisions = {c.decision for c in decided}
    assert decisions == {"nfa", "advice", "early_help", "referral", "strategy_discussion"}
    # Today's queue: a handful undecided, some already overdue.
    waiting = [c for c in contacts if c.status != "decided"]
    assert 4 <= len(waiting) <= 40 and any(c.decision_due_on < today for c in waiting)
    # Every referral came through a contact decided as a referral or strategy discussion.
    for episode in CINEpisode.objects.select_related("contact"):
        assert episode.contact.decision in ("referral", "strategy_discussion")
        assert episode.contact.child_id == episode.child_id
    # Sources like the census: police and schools lead.
    sources: dict[str, int] = defaultdict(int)
    for contact in contacts:
        sources[contact.source] += 1
    assert sources["6"] > sources["2A"] > sources["3A"]
    # Portal contacts arrive as partner referrals from partner users; the demo DSL has some.
    portal = [c for c in contacts if c.channel == "portal"]
    assert portal and PartnerReferral.objects.count() == len(portal)
    assert set(PartnerReferral.objects.values_list("submitted_by__role", flat=True)) == {"partner_referrer"}
    dsl = User.objects.get(username="dsl.demo")
    assert PartnerReferral.objects.filter(submitted_by=dsl).count() >= 3
    assert PartnerReferral.objects.filter(submitted_by=dsl, contact__status="decided").exists()
    assert User.objects.filter(role="partner_referrer").count() >= 4
    # Early help from the front door and stepped down after assessment (RC9).
    assert EarlyHelpEpisode.objects.filter(origin="contact", contact__decision="early_help").exists()
    for eh in EarlyHelpEpisode.objects.filter(origin="step_down"):
        assert eh.stepped_down_from.closure_reason == "RC9" and eh.started_on == eh.stepped_down_from.closed_on
    checks = list(MysteryShopperCheck.objects.order_by("carried_out_at"))
    assert 55 <= len(checks) <= 62
    first = [c.advice_quality or 0 for c in checks[:20]]
    last = [c.advice_quality or 0 for c in checks[-20:]]
    assert sum(last) > sum(first)
    assert ManagementOversight.objects.filter(decision_point="contact_decision").exists()


def test_rates_are_roughly_those_of_a_real_council(council):
    summary = council.casework
    assert summary is not None
    # The casework's referrals, and the few the indicators' demo records late, after its months were frozen.
    frozen = IndicatorSnapshot.objects.aggregate(last=Max("frozen_at"))["last"]
    late = ChangeRecord.objects.filter(model_label="cin.CINEpisode", action=ChangeRecord.Action.CREATE,
                                       at__gte=frozen).count()
    assert summary.referrals + late == CINEpisode.objects.count()
    re_referral = CINEpisode.objects.filter(is_re_referral=True).count() / summary.referrals
    assert 0.12 <= re_referral <= 0.35
    nfa = CINEpisode.objects.filter(referral_nfa=True).count() / summary.referrals
    assert 0.05 <= nfa <= 0.22
    # Today's practice: the years around the inspection were worse (hearth.demo.casework.practice_quality).
    authorised = Assessment.objects.filter(status="authorised",
                                           authorised_on__gt=timezone.localdate() - relativedelta(years=1))
    holidays = holiday_set()
    in_time = sum(a.authorised_on <= due("assessment", a.episode.referral_date, holidays=holidays)
                  for a in authorised.select_related("episode"))
    assert 0.7 <= in_time / authorised.count() <= 0.95
    plans = ChildProtectionPlan.objects.all()
    assert 0.1 <= plans.filter(previous_plans__gt=0).count() / plans.count() <= 0.65
    assert {p.initial_category for p in plans} >= {"NEG", "EMO"}
    open_cases = Allocation.objects.filter(ended_on=None, kind="social_worker").count()
    assert 0.03 * open_cases <= plans.filter(ended_on=None).count() <= 0.25 * open_cases
    # Re-referral flags agree with the referral dates (a previous referral within 12 months).
    for child, dates in _by_child(CINEpisode.objects.values_list("child", "referral_date", "is_re_referral")).items():
        seen: list[date] = []
        for day, flag in dates:
            earlier = [d for d in seen if d >= date(day.year - 1, day.month, min(day.day, 28))]
            if flag:
                assert earlier, child
            seen.append(day)


def _by_child(rows) -> dict[int, list[tuple[date, bool]]]:
    out: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for child, day, flag in rows:
        out[child].append((day, flag))
    return {child: sorted(values) for child, values in out.items()}


def test_every_kind_of_casework_is_in_the_chronology_with_its_history(council):
    kinds = set(ChronologyEvent.objects.values_list("event_type", flat=True))
    for kind in (EventType.CONTACT, EventType.REFERRAL, EventType.ASSESSMENT, EventType.STRATEGY_DISCUSSION,
                 EventType.S47, EventType.CONFERENCE, EventType.PLAN, EventType.VISIT, EventType.REVIEW,
                 EventType.EARLY_HELP):
        assert kind in kinds, kind
    plan = ChildProtectionPlan.objects.order_by("pk").first()
    assert ChronologyEvent.objects.filter(source_label="protection.ChildProtectionPlan", source_id=str(plan.pk),
                                          person=plan.child, event_type=EventType.PLAN).exists()
    contact = Contact.objects.exclude(child=None).order_by("pk").first()
    event = ChronologyEvent.objects.get(source_label="front_door.Contact", source_id=str(contact.pk))
    assert event.occurred_at == contact.received_at and contact.reference in event.title
    # Every casework row has the history row the audited path writes.
    for model in (Contact, CINEpisode, Assessment, ChildProtectionPlan, CPVisit, Clock):
        assert ChangeRecord.objects.filter(model_label=model._meta.label, action="create").count() == \
            model.objects.count(), model


def _casework_of(seed: int) -> list[tuple]:
    with transaction.atomic():
        build_council(size="small", seed=seed)
        rows = list(CINEpisode.objects.order_by("pk").values_list(
            "child__first_name", "referral_date", "closed_on", "closure_reason", "is_re_referral"))
        rows += list(Contact.objects.order_by("pk").values_list("reference", "source", "decision", "channel"))
        rows += list(Clock.objects.order_by("pk").values_list("rule_id", "started_on", "due_on", "status"))
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_gives_the_same_casework(db):
    first, again = _casework_of(13), _casework_of(13)
    assert first == again


def test_error_rate_plants_casework_mistakes_the_database_allows(db):
    build_council(size="small", seed=22, error_rate=0.3)
    errors = [e for e in PlantedError.objects.all() if e.kind in CASEWORK_ERRORS]
    assert len({e.kind for e in errors}) >= 3
    for error in errors:
        assert error.source_label and error.source_id and error.detail
        if error.kind == PlantedError.Kind.CHILD_NOT_SEEN_RECORDED:
            a = Assessment.objects.get(pk=error.source_id)
            assert a.status == "authorised" and a.child_seen_on is None
        elif error.kind == PlantedError.Kind.FACTOR_21_WITH_OTHERS:
            factors = Assessment.objects.get(pk=error.source_id).factors
            assert "21" in factors and len(factors) > 1
        elif error.kind == PlantedError.Kind.RETIRED_FACTOR:
            assert "18A" in Assessment.objects.get(pk=error.source_id).factors
        elif error.kind == PlantedError.Kind.ICPC_ON_WEEKEND:
            conference = ChildProtectionConference.objects.get(section47_id=int(error.source_id), kind="initial")
            assert conference.held_on.weekday() == 5
        elif error.kind == PlantedError.Kind.PLAN_START_NOT_CONFERENCE:
            conference = ChildProtectionConference.objects.get(pk=error.source_id)
            assert conference.cp_plan is not None and conference.cp_plan.started_on != conference.held_on
        elif error.kind == PlantedError.Kind.RC8_WITHOUT_ASSESSMENT:
            episode = CINEpisode.objects.get(pk=error.source_id)
            assert episode.closure_reason == "RC8" and not episode.assessments.exists()
