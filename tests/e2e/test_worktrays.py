"""The team manager's tray: see who waits, allocate several children at once; the worker's tray and the
service overview; every page passes axe."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in


def test_a_manager_allocates_waiting_children_and_the_worker_sees_their_deadlines(page, world: World):
    from hearth.accounts.roles import Role
    from hearth.cin.models import Assessment
    from tests.factories import make_person, make_user
    from tests.worktrays.factories import make_assessment, make_clock, make_episode

    today = timezone.localdate()
    waiting = [make_person(world.la, first_name=name, last_name="Waiting") for name in ("Ava", "Ben", "Cleo")]
    for child in waiting:
        make_episode(child, team=world.team_a, referral_date=today - timedelta(days=6))
    held = world.children[0]
    episode = make_episode(held, team=world.team_a, referral_date=today - timedelta(days=20))
    make_assessment(held, episode, worker=world.worker)
    make_clock(held, "assessment", episode.referral_date, subject=episode)
    make_clock(world.children[1], "cp_visit", today - timedelta(days=30))
    other_child = make_person(world.la, first_name="Dara", last_name="Submitted")
    make_assessment(other_child, make_episode(other_child, team=world.team_a),
                    status=Assessment.Status.AWAITING_AUTHORISATION, submitted_on=today)

    sign_in(page, world.manager_a.username)
    page.get_by_role("link", name="Team tray", exact=True).click()
    page.wait_for_url(f"**/trays/team/{world.team_a.pk}/")
    assert page.get_by_role("heading", name="Waiting for a worker (4)").is_visible()
    check_accessibility(page, "worktrays-team")
    screenshot(page, "worktrays-team")

    # Nothing chosen: a clear error, nothing allocated.
    page.get_by_role("button", name="Allocate the selected children").click()
    assert page.get_by_role("alert").filter(has_text="Select at least one child").is_visible()
    check_accessibility(page, "worktrays-team-error")

    page.get_by_label("Select Ava Waiting").check()
    page.get_by_label("Select Cleo Waiting").check()
    page.get_by_label("Allocate to").select_option(label=f"{world.worker.get_full_name()} (social worker)")
    page.get_by_role("button", name="Allocate the selected children").click()
    assert page.get_by_text("2 children allocated to Sam Okafor").is_visible()
    assert page.get_by_role("heading", name="Waiting for a worker (2)").is_visible()
    screenshot(page, "worktrays-team-allocated")

    page.context.clear_cookies()
    sign_in(page, world.worker.username, device=world.device)
    page.get_by_role("link", name="Open my work tray").click()
    page.wait_for_url("**/trays/mine/")
    assert page.get_by_text("Child not seen yet").is_visible()
    assert page.get_by_text("Overdue by").first.is_visible()
    check_accessibility(page, "worktrays-worker")
    screenshot(page, "worktrays-worker")

    page.context.clear_cookies()
    make_user(world.la, Role.SERVICE_MANAGER, username="hos.e2e", first_name="Hana", last_name="Osei")
    sign_in(page, "hos.e2e")
    page.get_by_role("link", name="Service overview", exact=True).click()
    page.wait_for_url("**/trays/service/")
    check_accessibility(page, "worktrays-service")
    screenshot(page, "worktrays-service")
    page.get_by_role("link", name="Oversight gates").click()
    check_accessibility(page, "oversight-gates")
    screenshot(page, "oversight-gates")
