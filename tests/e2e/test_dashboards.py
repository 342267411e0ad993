"""The dashboards in a browser: a team manager sees a worker's caseload and an overdue visit and follows it to
the child's record; the director opens the improvement board and downloads its figures. Axe on every page."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in


def test_a_team_manager_follows_an_overdue_visit_and_the_director_downloads_the_board(page, world: World):
    from hearth.accounts.roles import Role
    from tests.factories import make_person, make_user
    from tests.worktrays.factories import make_clock, make_episode

    today = timezone.localdate()
    world.la.population_0_17 = 60_000
    world.la.save()
    visited = world.children[1]  # Kai Brennan, Sam Okafor's
    make_clock(visited, "cp_visit", today - timedelta(days=30))
    waiting = make_person(world.la, first_name="Ava", last_name="Waiting")
    make_episode(waiting, team=world.team_a, referral_date=today - timedelta(days=6))
    director = make_user(world.la, Role.DIRECTOR, None, username="dcs.morris", first_name="Jo", last_name="Morris")
    head = make_user(world.la, Role.SERVICE_MANAGER, None, username="hos.patel", first_name="Ana", last_name="Patel")

    sign_in(page, world.manager_a.username)
    page.get_by_role("link", name="Performance", exact=True).click()
    page.wait_for_url(f"**/performance/teams/{world.team_a.pk}/")
    assert page.get_by_role("heading", name="Team dashboard: Safeguarding North").is_visible()
    caseloads = page.get_by_role("region", name="Caseloads")
    sam = caseloads.get_by_role("row").filter(has_text="Sam Okafor")
    assert re.search(r"Sam Okafor\s*Social worker\s*2\s*1\.00\s*2\.0\s*1", sam.inner_text())
    overdue = page.get_by_role("region", name=re.compile("Overdue statutory deadlines"))
    visit = overdue.get_by_role("row").filter(has_text="Child protection visit")
    assert "Kai Brennan" in visit.inner_text() and "Sam Okafor" in visit.inner_text()
    assert page.get_by_role("region", name=re.compile("Children waiting")).get_by_text("Ava Waiting").is_visible()
    check_accessibility(page, "journey7-dashboard-team")
    screenshot(page, "journey7-dashboard-team")

    visit.get_by_role("link", name="Kai Brennan", exact=True).click()
    page.wait_for_load_state()
    assert f"/{visited.pk}/" in page.url
    assert page.get_by_role("heading", name=re.compile("Kai Brennan")).first.is_visible()
    check_accessibility(page, "journey7-dashboard-child")
    screenshot(page, "journey7-dashboard-child")

    # The head of service sees every team in a row and goes from a team to its dashboard.
    page.context.clear_cookies()
    sign_in(page, head.username)
    page.get_by_role("link", name="Performance", exact=True).click()
    page.wait_for_url("**/performance/service/")
    teams = page.get_by_role("region", name="Teams")
    north = teams.get_by_role("row").filter(has_text="Safeguarding North")
    assert re.search(r"Safeguarding North.*\b2\b.*2\.0.*1\.0", north.inner_text(), re.S)
    check_accessibility(page, "journey7-dashboard-service")
    screenshot(page, "journey7-dashboard-service")
    north.get_by_role("link", name="Safeguarding North", exact=True).click()
    page.wait_for_url(f"**/performance/teams/{world.team_a.pk}/")
    assert page.get_by_role("link", name="Back to the head of service dashboard").is_visible()

    page.context.clear_cookies()
    sign_in(page, director.username)
    page.get_by_role("link", name="Performance", exact=True).click()
    page.wait_for_url("**/performance/board/")
    assert page.get_by_role("heading", name="Improvement board", exact=True).is_visible()
    assert page.locator("svg[role='img']").first.is_visible()
    page.get_by_text("Show the figures as a table").first.click()
    assert page.get_by_role("table").first.is_visible()
    check_accessibility(page, "journey7-dashboard-board")
    screenshot(page, "journey7-dashboard-board")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("improvement-board-")
    body = Path(download.path()).read_text()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and rows[0]["section"] == "current"
    assert {"code", "value", "target", "neighbour_median", "england"} <= set(rows[0])
    for name in ("Kai", "Brennan", "Okafor", "Ava"):
        assert name not in body
