"""Supervision, end to end: a team manager sees a worker overdue and records their supervision with two case
discussions (one with a missing answer refused, everything typed kept); the worker is no longer overdue; the
child's chronology shows the case discussion as management oversight; the worker reads and confirms the record.
Every page passes axe; screenshots are journey7-supervision-*.png."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.e2e.conftest import check_accessibility, fill_date, screenshot, sign_in


class SupervisionWorld:
    def __init__(self) -> None:
        from datetime import date

        from hearth.accounts.roles import Role
        from hearth.allocations.services import allocation_start
        from tests.factories import make_la, make_person, make_team, make_user
        from tests.supervision.factories import make_session

        today = timezone.localdate()
        long_ago = date(2024, 1, 8)
        self.la = make_la()
        self.team = make_team(self.la, "Safeguarding North")
        self.worker = make_user(self.la, Role.SOCIAL_WORKER, self.team, username="sam.okafor", first_name="Sam",
                                last_name="Okafor", started_on=long_ago)
        self.manager = make_user(self.la, Role.TEAM_MANAGER, self.team, username="ruth.evans", first_name="Ruth",
                                 last_name="Evans", started_on=long_ago)
        self.head = make_user(self.la, Role.SERVICE_MANAGER, None, username="hana.osei", first_name="Hana",
                              last_name="Osei")
        self.peer = make_user(self.la, Role.SOCIAL_WORKER, self.team, username="pat.mensah", first_name="Pat",
                              last_name="Mensah", started_on=long_ago)
        self.children = [
            make_person(self.la, first_name="Jordan", last_name="Whitfield", date_of_birth=date(2015, 3, 27)),
            make_person(self.la, first_name="Kai", last_name="Brennan", date_of_birth=date(2018, 11, 2), sex="M"),
        ]
        for child in self.children:
            allocation_start(child=child, team=self.team, worker=self.worker, started_on=date(2025, 1, 6), by="test")
        # Last supervised five weeks ago, so a week overdue; the peer was seen last week.
        make_session(self.worker, self.manager, today - timedelta(days=35))
        make_session(self.peer, self.manager, today - timedelta(days=7))
        make_session(self.manager, self.head, today - timedelta(days=12))


def test_a_manager_records_supervision_and_the_worker_confirms_it(page, transactional_db):
    world = SupervisionWorld()
    jordan, kai = world.children
    today = timezone.localdate()

    # The team manager sees Sam overdue.
    sign_in(page, world.manager.username)
    page.get_by_role("link", name="Supervision", exact=True).click()
    page.wait_for_url("**/supervision/")
    sam_row = page.get_by_role("row").filter(has_text="Sam Okafor")
    assert sam_row.get_by_text("Overdue by 7 days").is_visible()
    check_accessibility(page, "journey7-supervision-1-team")
    screenshot(page, "journey7-supervision-1-team")

    # Record the supervision, with two children discussed; Kai's plan question left unanswered.
    sam_row.get_by_role("link", name="Record supervision of Sam Okafor").click()
    page.wait_for_url(f"**/supervision/workers/{world.worker.pk}/record/")
    page.get_by_label("Wellbeing").fill("Tired after two late duty shifts; agreed time back on Friday.")
    page.get_by_label("Workload").fill("Eighteen children. Two to reallocate at Monday's meeting.")
    fill_date(page, "Date of the next supervision", today + timedelta(days=28))
    page.get_by_label("Jordan Whitfield", exact=True).check()
    page.get_by_label("What was discussed (Jordan Whitfield)").fill("Visits weekly; Jordan seen alone twice.")
    page.get_by_label("Decisions and actions (Jordan Whitfield)").fill("Continue the plan; core group on 4th.")
    fill_date(page, "Date the actions are due (Jordan Whitfield)", today + timedelta(days=14))
    page.get_by_role("group", name="Is the plan progressing? (Jordan Whitfield)").get_by_label(
        "Yes, the plan is progressing").check()
    page.get_by_label("Kai Brennan", exact=True).check()
    page.get_by_label("What was discussed (Kai Brennan)").fill("Nursery worried about Kai's speech.")
    page.get_by_label("Decisions and actions (Kai Brennan)").fill("Refer to speech and language therapy.")
    fill_date(page, "Date the actions are due (Kai Brennan)", today + timedelta(days=21))
    check_accessibility(page, "journey7-supervision-2-form")
    screenshot(page, "journey7-supervision-2-form")
    page.get_by_role("button", name="Save supervision record").click()

    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Select whether Kai Brennan's plan is progressing").is_visible()
    # Nothing typed is lost.
    assert page.get_by_label("What was discussed (Kai Brennan)").input_value() == "Nursery worried about Kai's speech."
    assert page.get_by_label("What was discussed (Jordan Whitfield)").input_value() == \
        "Visits weekly; Jordan seen alone twice."
    assert page.get_by_label("Wellbeing").input_value().startswith("Tired after two late duty shifts")
    assert page.get_by_label("Kai Brennan", exact=True).is_checked()
    check_accessibility(page, "journey7-supervision-3-refused")
    screenshot(page, "journey7-supervision-3-refused")
    summary.get_by_role("link", name="Select whether Kai Brennan's plan is progressing").click()
    page.get_by_role("group", name="Is the plan progressing? (Kai Brennan)").get_by_label(
        "Partly: some actions are behind").check()
    page.get_by_role("button", name="Save supervision record").click()

    page.wait_for_url("**/supervision/sessions/*/")
    assert page.get_by_text("Supervision of Sam Okafor recorded, with 2 case discussions on the children's "
                            "chronologies").is_visible()
    assert page.get_by_role("heading", name="Case discussions (2)").is_visible()
    check_accessibility(page, "journey7-supervision-4-session")
    screenshot(page, "journey7-supervision-4-session")

    # Sam is no longer overdue.
    page.get_by_role("link", name="Supervision", exact=True).click()
    assert page.get_by_role("row").filter(has_text="Sam Okafor").get_by_text("In time").is_visible()
    check_accessibility(page, "journey7-supervision-5-in-time")
    screenshot(page, "journey7-supervision-5-in-time")

    # Kai's chronology shows the discussion as management oversight, and it opens.
    page.goto(f"/children/{kai.pk}/chronology/")
    entry = page.get_by_role("link", name="Management oversight: case discussed in supervision", exact=True)
    assert entry.is_visible()
    assert page.get_by_text("Refer to speech and language therapy.", exact=False).is_visible()
    check_accessibility(page, "journey7-supervision-6-chronology")
    screenshot(page, "journey7-supervision-6-chronology")
    entry.click()
    page.wait_for_url(f"**/supervision/children/{kai.pk}/discussions/*/")
    assert page.get_by_text("Partly: some actions are behind").is_visible()
    assert page.get_by_text("Tired after two late duty shifts").count() == 0  # the worker's own part stays private
    check_accessibility(page, "journey7-supervision-7-discussion")

    # The worker reads the record, adds a comment and confirms it.
    page.context.clear_cookies()
    sign_in(page, world.worker.username)
    page.get_by_role("link", name="Supervision", exact=True).click()
    page.wait_for_url(f"**/supervision/workers/{world.worker.pk}/")
    assert page.get_by_role("heading", name="Your supervision").is_visible()
    check_accessibility(page, "journey7-supervision-8-history")
    screenshot(page, "journey7-supervision-8-history")
    page.get_by_role("link", name=today.strftime("%-d %b %Y")).click()
    page.get_by_label("Comments").fill("I would add: the court statement for Kai's sibling is due too.")
    page.get_by_label("I have read this record and it is accurate").check()
    check_accessibility(page, "journey7-supervision-9-confirm")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("You confirmed the record").is_visible()
    assert page.get_by_text("You confirmed this record on").is_visible()
    check_accessibility(page, "journey7-supervision-10-confirmed")
    screenshot(page, "journey7-supervision-10-confirmed")

    # A peer cannot read it.
    session_url = page.url
    page.context.clear_cookies()
    sign_in(page, world.peer.username)
    response = page.goto(session_url)
    assert response is not None and response.status == 403
    assert jordan.full_name not in page.content()
    check_accessibility(page, "journey7-supervision-11-peer-refused")


def test_a_head_of_service_looks_across_teams_and_sets_the_policy(page, transactional_db):
    world = SupervisionWorld()
    today = timezone.localdate()

    sign_in(page, world.head.username)
    page.get_by_role("link", name="Supervision", exact=True).click()
    page.wait_for_url("**/supervision/")
    assert page.get_by_role("heading", name="Supervision across the council").is_visible()
    check_accessibility(page, "journey7-supervision-council")
    screenshot(page, "journey7-supervision-council")
    page.get_by_role("link", name="Safeguarding North").first.click()
    check_accessibility(page, "journey7-supervision-head-team")
    page.get_by_role("link", name="2 children not discussed for longer").click()
    assert page.get_by_role("link", name="Kai Brennan").is_visible()
    check_accessibility(page, "journey7-supervision-not-discussed")
    screenshot(page, "journey7-supervision-not-discussed")

    # Name a supervisor and an ASYE start for Sam; record a cancelled session.
    page.goto(f"/supervision/workers/{world.worker.pk}/")
    page.get_by_role("link", name="Change supervisor or ASYE").click()
    page.get_by_label("Who supervises this worker").select_option(label="Ruth Evans, team manager, Safeguarding North")
    fill_date(page, "Start of their assessed and supported year", today - timedelta(days=20))
    check_accessibility(page, "journey7-supervision-arrangements")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("In the ASYE since").is_visible()
    page.get_by_role("link", name="Record a cancelled or rearranged supervision").click()
    page.get_by_label("It was rearranged for another date").check()
    fill_date(page, "Date it was planned for", today)
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Enter the new date of the supervision").is_visible()
    check_accessibility(page, "journey7-supervision-not-held-refused")
    page.get_by_label("Why it did not go ahead").fill("Sam was in court all day")
    fill_date(page, "New date, if rearranged", today + timedelta(days=2))
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Rearranged", exact=True).is_visible()
    check_accessibility(page, "journey7-supervision-worker-head")

    # Change the policy: team managers every six weeks.
    page.goto("/supervision/policy/")
    check_accessibility(page, "journey7-supervision-policy")
    page.get_by_role("button", name="Change the policy").click()
    managers = page.get_by_role("group", name="Team managers")
    managers.get_by_label("Supervision every (for team managers)").fill("")
    page.get_by_role("button", name="Save the policy").click()
    assert page.locator(".govuk-error-summary").get_by_role(
        "link", name="Enter how often team managers are supervised").is_visible()
    check_accessibility(page, "journey7-supervision-policy-refused")
    screenshot(page, "journey7-supervision-policy-refused")
    managers.get_by_label("Supervision every (for team managers)").fill("6")
    managers.get_by_label("Weeks").check()
    page.get_by_role("button", name="Save the policy").click()
    assert page.get_by_text("Supervision policy saved").is_visible()
    assert page.get_by_text("Every 6 weeks").is_visible()
    screenshot(page, "journey7-supervision-policy")
