"""The synthetic council's children in care, care leavers, missing children, registers and carers keep every
903 episode rule and the rules the services enforce, and open in the pages that show them."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hearth.accounts.models import User
from hearth.allocations.models import Allocation
from hearth.care.episodes import derive_episodes
from hearth.care.models import CareLegalStatus, PeriodOfCare, Placement
from hearth.care_leavers.models import CareLeaverContact, PathwayPlan
from hearth.care_plans.models import CareVisit, LookedAfterReview
from hearth.chronology.models import ChronologyEvent
from hearth.clocks.models import Clock
from hearth.demo.council import build_council
from hearth.education.models import CMECase, EHECase
from hearth.fostering.models import FosterHousehold, ProspectiveAdopter
from hearth.missing.models import ExploitationScreening, MissingEpisode, ReturnInterview
from tests.conftest import client_for

from . import care_checks

CARE_RULES = {"care_plan", "placement_plan", "cla_review_first", "cla_review_second", "cla_review_next",
              "cla_visit_first", "cla_visit_next_year1", "cla_visit_long_term", "cla_visit_after_year1_other",
              "cla_visit_placed_with_parent_pre_assessment", "initial_health_assessment", "health_review_under5",
              "health_review_5plus", "pep_initial", "pep_review"}


@pytest.fixture
def council(db):
    return build_council(size="small", seed=41)


def test_every_row_keeps_the_903_episode_rules_and_the_services_rules(council):
    assert care_checks.episode_problems() == []
    assert care_checks.care_plan_problems() == []
    assert care_checks.clock_problems() == []
    assert care_checks.leaving_care_problems() == []
    assert care_checks.missing_problems() == []
    assert care_checks.register_problems() == []
    assert care_checks.fostering_problems() == []


def test_the_council_has_every_part_of_a_children_in_care_service(council):
    summary = council.care
    assert summary is not None and summary.periods == PeriodOfCare.objects.count()
    open_periods = PeriodOfCare.objects.filter(ended_on=None)
    assert 20 <= open_periods.count() <= 40
    assert PeriodOfCare.objects.exclude(ended_on=None).exists()
    # Legal statuses change within periods, and placements move; every period derives valid episodes.
    assert CareLegalStatus.objects.values("period").distinct().count() < CareLegalStatus.objects.count()
    rnes: Counter[str] = Counter()
    for period in PeriodOfCare.objects.all():
        episodes = derive_episodes(period, CareLegalStatus.objects.filter(period=period),
                                   Placement.objects.filter(period=period))
        rnes.update(e.rne for e in episodes)
    assert rnes["S"] == PeriodOfCare.objects.count() and rnes["L"] and rnes["P"]
    # Statutory work around each period, and care leavers, missing children, registers and carers.
    assert LookedAfterReview.objects.exists() and CareVisit.objects.exists()
    assert PathwayPlan.objects.exists() and CareLeaverContact.objects.exists()
    assert MissingEpisode.objects.exists() and ReturnInterview.objects.exists()
    assert ExploitationScreening.objects.exists()
    assert CMECase.objects.filter(closed_on=None).exists() and EHECase.objects.filter(ended_on=None).exists()
    assert FosterHousehold.objects.filter(stage="approved").exists() and ProspectiveAdopter.objects.exists()
    assert Placement.objects.exclude(foster_household=None).exists()
    # Everything is in the children's chronologies.
    assert ChronologyEvent.objects.filter(title="Started to be looked after").count() == PeriodOfCare.objects.count()
    assert not ChronologyEvent.objects.filter(link__contains="/None/").exists()


def test_open_work_sits_with_the_allocated_worker(council):
    today = timezone.localdate()
    workers = dict(Allocation.objects.filter(ended_on=None, kind="social_worker").values_list("child", "worker"))
    for clock in Clock.objects.filter(status="open", rule_id__in=CARE_RULES):
        assert clock.assigned_to_id == workers.get(clock.child_id), clock.rule_id
    clocks = Clock.objects.filter(rule_id__in=CARE_RULES)
    opened = clocks.filter(status="open")
    assert opened.exists() and opened.filter(due_on__lt=today).count() < opened.count() / 2
    stopped = clocks.filter(status__in=["met", "missed"])
    assert stopped.filter(status="missed").count() < stopped.count() * 0.35


def test_the_new_demo_logins_have_their_work(council):
    users = {u.username: u for u in User.objects.filter(username__in=[
        "cic.demo", "el.demo", "fsw.demo", "ewo.demo", "iro.demo", "pa.demo", "mfh.demo"])}
    assert {n: u.role for n, u in users.items()} == {
        "cic.demo": "social_worker", "el.demo": "exploitation_lead", "fsw.demo": "fostering_worker",
        "ewo.demo": "education_officer", "iro.demo": "iro", "pa.demo": "personal_adviser",
        "mfh.demo": "missing_advocate"}
    assert users["cic.demo"].team is not None and users["cic.demo"].team.kind == "children_in_care"
    in_care = set(PeriodOfCare.objects.filter(ended_on=None).values_list("child", flat=True))
    caseload = set(Allocation.objects.filter(worker=users["cic.demo"], ended_on=None).values_list("child", flat=True))
    assert len(caseload & in_care) >= 4
    assert Allocation.objects.filter(worker=users["iro.demo"], kind="iro", ended_on=None).count() >= 3
    assert Allocation.objects.filter(worker=users["pa.demo"], kind="personal_adviser", ended_on=None).exists()
    waiting = Clock.objects.filter(rule_id="return_home_interview", status="open", assigned_to=users["mfh.demo"])
    assert waiting.exists()


def _get(user: User, name: str, **kwargs: int) -> int | None:
    try:
        url = reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None
    return client_for(user).get(url, follow=True).status_code


def test_the_seeded_records_open_in_their_pages(council):
    cic = User.objects.get(username="cic.demo")
    child = Allocation.objects.filter(worker=cic, ended_on=None, child__periods_of_care__ended_on=None).first().child
    leaver = Allocation.objects.filter(kind="personal_adviser", ended_on=None,
                                       worker__username="pa.demo").first().child
    pages = [
        (cic, "care:overview", {"person_pk": child.pk}), (cic, "care_plans:overview", {"person_pk": child.pk}),
        (cic, "missing:overview", {"person_pk": child.pk}), (cic, "care_service:index", {}),
        (User.objects.get(username="pa.demo"), "care_leavers:overview", {"person_pk": leaver.pk}),
        (User.objects.get(username="pa.demo"), "care_leavers_service:tray", {}),
        (User.objects.get(username="mfh.demo"), "missing_service:tray", {}),
        (User.objects.get(username="el.demo"), "missing_service:patterns", {}),
        (User.objects.get(username="fsw.demo"), "fostering:index", {}),
        (User.objects.get(username="fsw.demo"), "fostering:register", {}),
        (User.objects.get(username="fsw.demo"), "adopters:index", {}),
        (User.objects.get(username="ewo.demo"), "education:index", {}),
        (User.objects.get(username="iro.demo"), "care_service:index", {}),
    ]
    for user, name, kwargs in pages:
        status = _get(user, name, **kwargs)
        assert status in (None, 200), (name, status)


def test_the_same_seed_gives_the_same_care(db):
    def rows() -> list[tuple]:
        with transaction.atomic():
            build_council(size="small", seed=43)
            found = list(Placement.objects.order_by("pk").values_list("placement_type", "started_on", "ended_on"))
            found += list(MissingEpisode.objects.order_by("pk").values_list("started_at", "ended_at"))
            transaction.set_rollback(True)
        return found

    assert rows() == rows()
