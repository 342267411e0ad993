"""Case audits, end to end: a head of service draws a themed sample; an auditor audits a case (a missing grade is
refused with everything kept, then the audit is submitted) and sets an action; a second auditor moderates and
changes the grade; the worker sees the action on My work and completes it; the themes page shows the theme.
Every page passes axe; screenshots are journey7-audits-*.png."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from tests.e2e.conftest import check_accessibility, fill_date, screenshot, sign_in


class AuditWorld:
    def __init__(self) -> None:
        from hearth.accounts.models import Team
        from hearth.accounts.roles import Role
        from hearth.audit.actor import acting_as
        from hearth.case_audits.services import audit_defaults_install
        from hearth.cin.models import CINEpisode
        from hearth.protection.models import ChildProtectionPlan
        from tests.case_audits.factories import open_case
        from tests.factories import make_la, make_team, make_user

        today = timezone.localdate()
        self.la = make_la()
        self.team_a = make_team(self.la, "Safeguarding North")
        self.team_b = make_team(self.la, "Children in Care East", kind=Team.Kind.CHILDREN_IN_CARE)
        qa = make_team(self.la, "Quality assurance", kind=Team.Kind.QUALITY_ASSURANCE)
        leaders = make_team(self.la, "Leadership", kind=Team.Kind.LEADERSHIP)
        self.worker = make_user(self.la, Role.SOCIAL_WORKER, self.team_a, username="sam.okafor", first_name="Sam",
                                last_name="Okafor")
        self.manager_a = make_user(self.la, Role.TEAM_MANAGER, self.team_a, username="ruth.evans",
                                   first_name="Ruth", last_name="Evans")
        self.moderator = make_user(self.la, Role.TEAM_MANAGER, self.team_b, username="priya.shah",
                                   first_name="Priya", last_name="Shah")
        self.auditor = make_user(self.la, Role.IRO, qa, username="ife.adeyemi", first_name="Ife",
                                 last_name="Adeyemi")
        self.head = make_user(self.la, Role.SERVICE_MANAGER, leaders, username="hana.osei", first_name="Hana",
                              last_name="Osei")
        self.repeat = open_case(self.la, self.team_a, self.worker, first_name="Jordan", last_name="Whitfield")
        self.other = open_case(self.la, self.team_a, self.worker, first_name="Kai", last_name="Brennan")
        with acting_as("test"):
            episode = CINEpisode.objects.get(child=self.repeat)
            ChildProtectionPlan(local_authority=self.la, child=self.repeat, episode=episode,
                                started_on=today - timedelta(days=40), initial_category="NEG", latest_category="NEG",
                                previous_plans=1).save()
        audit_defaults_install(local_authority=self.la, by="test")


def test_a_themed_audit_from_draw_to_themes(page, transactional_db):
    world = AuditWorld()
    today = timezone.localdate()

    # A head of service draws a themed sample: children on a second child protection plan.
    sign_in(page, world.head.username)
    page.get_by_role("link", name="Case audits", exact=True).click()
    page.wait_for_url("**/audits/")
    check_accessibility(page, "journey7-audits-index")
    screenshot(page, "journey7-audits-index")
    page.get_by_role("button", name="Draw a new sample").click()
    page.get_by_label("Audit template").select_option(label="Standard case audit (version 1)")
    page.get_by_label("Themed sample").check()
    page.get_by_label("Children on a second or subsequent child protection plan").check()
    page.get_by_label("How many cases").fill("5")
    auditors = page.get_by_role("group", name="Auditors")
    for name in ("Ruth Evans", "Priya Shah", "Hana Osei"):
        box = auditors.get_by_label(re.compile(name))
        if box.is_checked():
            box.uncheck()
    auditors.get_by_label(re.compile("Ife Adeyemi")).check()
    fill_date(page, "Audits due by", today + timedelta(days=21))
    page.get_by_label("Share routed for moderation (per cent)").fill("100")
    page.get_by_label("Seed (optional)").fill("2027")
    check_accessibility(page, "journey7-audits-draw")
    screenshot(page, "journey7-audits-draw")
    page.get_by_role("button", name="Draw the sample").click()
    assert page.get_by_text("Sample drawn: 1 case allocated to auditors").is_visible()
    assert page.get_by_role("heading", name="How the sample was drawn").is_visible()
    assert page.get_by_text("2027", exact=True).is_visible()
    assert page.get_by_role("link", name="Jordan Whitfield").is_visible()
    assert page.get_by_role("link", name="Kai Brennan").count() == 0  # not on a second plan
    check_accessibility(page, "journey7-audits-round")
    screenshot(page, "journey7-audits-round")

    # The auditor audits the case; a missing grade is refused with everything typed kept.
    page.context.clear_cookies()
    sign_in(page, world.auditor.username)
    page.get_by_role("link", name="Case audits", exact=True).click()
    page.get_by_role("link", name="My audits").click()
    check_accessibility(page, "journey7-audits-mine")
    page.get_by_role("link", name="Jordan Whitfield").click()
    check_accessibility(page, "journey7-audits-audit-before")
    page.get_by_role("button", name="Start the audit").click()
    for n in range(1, 9):
        if n != 3:
            page.get_by_role("group", name=f"Grade for question {n}").get_by_label("Good", exact=True).check()
        page.get_by_label(f"Evidence for question {n}").fill(f"Record shows question {n} met: visits on time")
    page.get_by_role("group", name="Overall grade").get_by_label("Good", exact=True).check()
    page.get_by_label("Strengths").fill("Jordan is seen alone and their words shape the plan.")
    page.get_by_label("Areas for development").fill("No contingency plan if the changes are not made.")
    page.get_by_role("group", name="Themes").get_by_label("Contingency planning").check()
    page.get_by_role("button", name="Submit the audit").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Select a grade for question 3").is_visible()
    assert page.get_by_label("Evidence for question 3").input_value() == "Record shows question 3 met: visits on time"
    assert page.get_by_label("Areas for development").input_value().startswith("No contingency plan")
    check_accessibility(page, "journey7-audits-missing-grade")
    screenshot(page, "journey7-audits-missing-grade")
    page.get_by_role("group", name="Grade for question 3").get_by_label("Requires improvement").check()
    page.get_by_role("button", name="Submit the audit").click()
    assert page.get_by_text("Audit submitted").is_visible()
    page.get_by_role("button", name="Set an action for the worker").click()
    page.get_by_label("What needs to be done").fill("Add a contingency plan and share it with the family")
    fill_date(page, "Due by", today + timedelta(days=14))
    check_accessibility(page, "journey7-audits-action")
    page.get_by_role("button", name="Set the action").click()
    assert page.get_by_text("Action set for Sam Okafor").is_visible()
    check_accessibility(page, "journey7-audits-submitted")
    screenshot(page, "journey7-audits-submitted")

    # A second auditor moderates and changes the grade; the first grade stays.
    page.context.clear_cookies()
    sign_in(page, world.moderator.username)
    page.get_by_role("link", name="Case audits", exact=True).click()
    page.get_by_role("link", name="1 audit waiting for moderation").click()
    page.get_by_role("link", name=re.compile("Jordan Whitfield")).click()
    check_accessibility(page, "journey7-audits-moderate")
    page.get_by_label("No, I would give a different grade").check()
    page.get_by_role("group", name="Your grade").get_by_label("Requires improvement").check()
    page.get_by_label("Your reasons").fill("Without a contingency plan the plan cannot be judged good.")
    screenshot(page, "journey7-audits-moderate")
    page.get_by_role("button", name="Record the moderation").click()
    assert page.get_by_text("Changed the grade from good to requires improvement").is_visible()
    check_accessibility(page, "journey7-audits-moderated")
    screenshot(page, "journey7-audits-moderated")

    # The worker sees the action on My work and completes it.
    page.context.clear_cookies()
    sign_in(page, world.worker.username)
    page.get_by_role("link", name="An action from a case audit").click()
    page.wait_for_url("**/audits/actions/mine/")
    action = page.get_by_role("cell", name=re.compile("^Add a contingency plan and share it with the family"))
    assert action.is_visible()
    check_accessibility(page, "journey7-audits-worker-actions")
    screenshot(page, "journey7-audits-worker-actions")
    page.get_by_role("link", name=re.compile("Mark as done")).click()
    page.get_by_label("What was done").fill("Contingency plan agreed with mum at the core group and shared.")
    check_accessibility(page, "journey7-audits-complete")
    page.get_by_role("button", name="Mark as done").click()
    assert page.get_by_text("Action completed").is_visible()
    assert page.get_by_text("You have no audit actions to do.").is_visible()

    # The themes page shows what the audit found.
    page.context.clear_cookies()
    sign_in(page, world.head.username)
    page.goto("/audits/themes/")
    themes = page.get_by_role("table", name=re.compile("How many audits found each theme"))
    assert themes.get_by_role("rowheader", name="Contingency planning").is_visible()
    assert page.get_by_text("No contingency plan if the changes are not made.").is_visible()
    check_accessibility(page, "journey7-audits-themes")
    screenshot(page, "journey7-audits-themes")
