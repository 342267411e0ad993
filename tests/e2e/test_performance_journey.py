"""The must-show performance journey: a head of service opens the dashboard, compares child protection plans
per 10,000 with the council's statistical neighbours (and the 2021 model), drills into the children behind
the late assessments and opens one child's record, which is access-logged. Every page passes axe."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import SCREENSHOTS, check_accessibility, screenshot, sign_in

NEIGHBOURS_2025 = ("Birmingham", "Manchester", "Newcastle upon Tyne", "Middlesbrough", "Bradford", "Sandwell",
                   "Southampton", "Oldham", "Sheffield", "Salford")


@dataclass
class PerformanceWorld:
    """A council numbered 892 (so Nottingham's published figures and neighbours apply), three teams,
    assessments on time and late (one late on a restricted record, one on a sealed one) and open CP plans."""

    la: Any = None
    head_of_service: Any = None
    late: list[Any] = field(default_factory=list)
    on_time: list[Any] = field(default_factory=list)
    restricted: Any = None
    sealed: Any = None
    plans: int = 0


def _build() -> PerformanceWorld:
    from hearth.accounts.roles import Role
    from hearth.audit.actor import acting_as
    from hearth.indicators.registry import month_end
    from hearth.people.models import Person
    from hearth.protection.models import ChildProtectionPlan
    from tests.factories import make_la, make_person, make_team, make_user
    from tests.indicators.factories_pages import assessment

    world = PerformanceWorld()
    la = world.la = make_la(number="892")
    la.population_0_17 = 1_900  # a small council: ten plans is 52.6 per 10,000
    la.save()
    teams = [make_team(la, name) for name in ("Assessment North", "Assessment South", "Safeguarding Central")]
    world.head_of_service = make_user(la, Role.SERVICE_MANAGER, username="hos.e2e", first_name="Hana",
                                      last_name="Osei", job_title="Head of service")
    today = timezone.localdate()
    end = month_end(today.replace(day=1) - timedelta(days=1))  # the pages' default period ends here
    names = [("Amara", "Okonkwo"), ("Ben", "Hartley"), ("Chloe", "Nwosu"), ("Dylan", "Price"), ("Ella", "Shaw"),
             ("Finn", "Mahmood"), ("Grace", "Kowalski"), ("Harvey", "Bell"), ("Isla", "Reid"), ("Jake", "Odum"),
             ("Kiera", "Lowe"), ("Leon", "Baptiste")]
    for i, (first, last) in enumerate(names):
        child = make_person(la, first_name=first, last_name=last, date_of_birth=date(2012 + i % 9, 1 + i, 3 + i))
        authorised = end - timedelta(days=20 + 23 * i)
        late = i % 3 == 0  # 4 of the 12 late
        started = authorised - timedelta(days=95 if late else 28)
        assessment(la, child, teams[i % 2], started, authorised)
        (world.late if late else world.on_time).append(child)
    world.restricted = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Mia", last_name="Fairweather")
    world.sealed = make_person(la, Person.AccessLevel.SEALED, first_name="Noah", last_name="Castellano")
    for child in (world.restricted, world.sealed):
        assessment(la, child, teams[0], end - timedelta(days=200), end - timedelta(days=90))
    for i in range(10):
        child = make_person(la, first_name=f"Pat{chr(65 + i)}", last_name="Protected", date_of_birth=date(2016, 5, 1))
        # Assessed before the period: their plans count, their assessments do not.
        episode = assessment(la, child, teams[2], end - timedelta(days=420), end - timedelta(days=400)).episode
        with acting_as("test"):
            ChildProtectionPlan(local_authority=la, child=child, episode=episode,
                                started_on=end - timedelta(days=250), initial_category="NEG",
                                latest_category="NEG").save()
    world.plans = 10
    return world


@pytest.fixture
def performance_world(transactional_db: None) -> PerformanceWorld:
    from hearth.indicators.benchmark_sources import load_project_table

    # A browser test's database is flushed after each test; DfE's published figures come back with it.
    load_project_table()
    return _build()


def _numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def test_a_head_of_service_compares_cp_plans_and_opens_a_child_behind_the_late_assessments(
        page: Any, performance_world: PerformanceWorld) -> None:
    from hearth.access.models import AccessEvent

    world = performance_world
    problems: list[str] = []
    sign_in(page, world.head_of_service.username)

    # The dashboard.
    page.goto("/performance/")
    page.wait_for_url("**/performance/service/")
    assert page.get_by_role("heading", name="Head of service dashboard").is_visible()
    problems += check_accessibility(page, "journey7-performance-1-dashboard", fail=False)
    screenshot(page, "journey7-performance-1-dashboard")

    # Child protection plans per 10,000, against the statistical neighbours (2025 model by default).
    page.get_by_role("link", name=re.compile("more about Child protection plans per 10,000")).click()
    page.wait_for_url("**/performance/indicators/cpp_rate/**")
    assert page.get_by_role("heading", name="Child protection plans per 10,000 children", level=1).is_visible()
    assert page.locator("#figure-value").inner_text() == "52.6 per 10,000"
    table = page.locator("#benchmark-table")
    for name in NEIGHBOURS_2025:
        assert table.get_by_text(name, exact=False).count() >= 1, name
    assert "Nottingham (this council)" in table.inner_text()
    assert "53.4" in table.inner_text()  # the council's published 2025 rate
    assert "Neighbour median" in table.inner_text() and "England" in table.inner_text()
    chart = page.locator("#benchmark-chart svg[role=img]")
    assert chart.count() == 1
    assert "Birmingham" in chart.inner_html() and "now (Hearth, live)" in chart.inner_html()
    summary = page.locator("#benchmark-summary").inner_text()
    assert "median of the ten neighbours" in summary and "LAIT shows the mean" in summary
    assert "2025 model" in summary
    assert page.locator("#benchmark-position").is_visible()
    problems += check_accessibility(page, "journey7-performance-2-cpp-2025", fail=False)
    screenshot(page, "journey7-performance-2-cpp-2025")
    page.locator("#benchmark-chart").screenshot(path=str(SCREENSHOTS / "journey7-performance-2b-cpp-chart.png"))

    # The 2021 model: other neighbours, Manchester nearest.
    page.get_by_label("2021 model").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**model=2021**")
    table = page.locator("#benchmark-table")
    assert "1. Manchester" in table.inner_text() and "Wolverhampton" in table.inner_text()
    assert "Newcastle" not in table.inner_text()
    assert "2021 model" in page.locator("#benchmark-summary").inner_text()
    problems += check_accessibility(page, "journey7-performance-3-cpp-2021", fail=False)
    screenshot(page, "journey7-performance-3-cpp-2021")

    # Every indicator, then assessments within 45 working days.
    page.get_by_role("link", name="All indicators").click()
    page.wait_for_url("**/performance/indicators/")
    problems += check_accessibility(page, "journey7-performance-4-list", fail=False)
    screenshot(page, "journey7-performance-4-list")
    page.get_by_role("link", name="Assessments completed within 45 working days", exact=True).click()
    page.wait_for_url("**/performance/indicators/assessments_45wd/**")
    assert page.locator("#figure-value").inner_text() == "57.1%"  # 8 of 14: 4 open records and 2 protected late
    problems += check_accessibility(page, "journey7-performance-5-assessments", fail=False)
    screenshot(page, "journey7-performance-5-assessments")

    # The late ones: in the denominator, not the numerator.
    late_shown = _numbers(page.locator("#rest-link").inner_text())[0]
    assert late_shown == len(world.late) + 2  # the restricted and the sealed record's too
    page.locator("#rest-link").click()
    page.wait_for_url("**part=not_numerator**")
    total = page.locator("#drill-total").inner_text()
    assert total.startswith(f"{late_shown} of the 14 in the denominator are not in the numerator")
    rows = page.locator("#drill-table tbody tr")
    unseen = _numbers(page.locator("#drill-unseen").inner_text())[0]
    assert rows.count() + unseen == late_shown
    listing = page.locator("#drill-table").inner_text()
    for child in world.late:
        assert child.full_name in listing
    for child in world.on_time:
        assert child.full_name not in listing
    assert "A restricted record" in listing and "Fairweather" not in page.content()
    assert "Castellano" not in page.content() and unseen == 1
    problems += check_accessibility(page, "journey7-performance-6-late", fail=False)
    screenshot(page, "journey7-performance-6-late")

    # One child's record.
    child = world.late[0]
    page.get_by_role("link", name=child.full_name, exact=True).click()
    page.wait_for_url(f"**/children/{child.pk}/")
    assert page.get_by_role("heading", name=re.compile(child.first_name)).first.is_visible()
    problems += check_accessibility(page, "journey7-performance-7-child", fail=False)
    screenshot(page, "journey7-performance-7-child")
    assert AccessEvent.objects.filter(user=world.head_of_service, person=child,
                                      action=AccessEvent.Action.VIEW).exists()
    assert not problems, "\n".join(problems)


def test_a_head_of_service_sets_a_target_and_reads_a_month_as_reported(
        page: Any, performance_world: PerformanceWorld) -> None:
    from hearth.indicators import services
    from hearth.indicators.registry import month_end
    from tests.indicators.factories_pages import assessment

    world = performance_world
    today = timezone.localdate()
    last = month_end(today.replace(day=1) - timedelta(days=1))
    services.snapshot_freeze(local_authority=world.la, month_end=last, by="freeze_indicator_snapshots", on=today)
    # An assessment authorised in the reported month, recorded after it was frozen.
    assessment(world.la, world.on_time[0], None, last - timedelta(days=30), last - timedelta(days=3),
               by=world.head_of_service)
    sign_in(page, world.head_of_service.username)
    page.goto("/performance/indicators/assessments_45wd/")

    page.get_by_role("link", name="Set a target").click()
    page.get_by_label("Target", exact=True).fill("101")
    page.get_by_role("button", name="Save the target").click()
    assert page.get_by_role("alert").filter(has_text="A percentage target must be 100 or less").is_visible()
    assert page.get_by_label("Target", exact=True).input_value() == "101"
    problems = check_accessibility(page, "journey7-performance-8-target-error", fail=False)
    screenshot(page, "journey7-performance-8-target-error")
    page.get_by_label("Target", exact=True).fill("85.7")
    page.get_by_label("Why this target").fill("England's 2025 figure: the improvement plan's first milestone")
    page.get_by_role("button", name="Save the target").click()
    assert page.get_by_text("Target saved: 85.7%").is_visible()
    assert page.locator("#figure").get_by_text("Off target").is_visible()

    page.locator("#as-reported-table a").first.click()
    page.wait_for_url("**/as-reported/**")
    changes = page.locator("#changes-table").inner_text()
    assert world.on_time[0].full_name in changes and "Added to the numerator" in changes
    assert "Hana Osei, after the month was reported" in changes
    problems += check_accessibility(page, "journey7-performance-9-as-reported", fail=False)
    screenshot(page, "journey7-performance-9-as-reported")
    assert not problems, "\n".join(problems)
