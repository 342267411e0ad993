"""Child protection, walked through: a strategy discussion starts a section 47 enquiry, its outcome is
recorded, a manager records oversight, the initial conference decides on a plan, a visit is recorded,
and the plan is printed for the family. Every page is checked with axe."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from hearth.protection.models import ChildProtectionPlan
from tests.e2e.conftest import World, check_accessibility, fill_date, screenshot, sign_in


def test_from_strategy_discussion_to_a_plan(page, world: World):
    from hearth.accounts.roles import Role
    from hearth.cin.services import cin_episode_open
    from tests.factories import make_user

    child = world.children[0]
    cin_episode_open(child=child, referral_date=date(2025, 12, 1), referral_source="2A", by="test")
    make_user(world.la, Role.IRO, username="iro.e2e", first_name="Irene", last_name="Chair")
    base = f"/children/{child.pk}/protection/"
    sign_in(page, world.worker.username, device=world.device)

    page.goto(base + "strategy/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a strategy discussion")
    check_accessibility(page, "protection-01-strategy")
    # Sent empty: every problem at the top and beside its field.
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    fill_date(page, "Date of the strategy discussion", date(2025, 12, 3))
    page.get_by_role("checkbox", name="Children's social care").check()
    page.get_by_role("checkbox", name="Police").check()
    page.get_by_label("Who took part").fill("DS Patel (police), Sam Okafor (social worker)")
    page.get_by_label("Why there is reasonable cause").fill("Bruising to the face seen by school staff")
    page.get_by_label("Start a section 47 enquiry").check()
    screenshot(page, "protection-01-strategy")
    page.get_by_role("button", name="Save strategy discussion").click()

    # The enquiry page: the ICPC clock runs from the discussion; the missing agency is warned about.
    expect(page.get_by_role("heading", level=2, name="Section 47 enquiry")).to_be_visible()
    expect(page.get_by_text("recorded without Health")).to_be_visible()
    expect(page.get_by_text("Due by 24 December 2025")).to_be_visible()
    fill_date(page, "Date the enquiry was completed", date(2025, 12, 12))
    page.get_by_label(re.compile("child at continuing risk")).check()
    page.get_by_label("What the enquiry found").fill("Injuries not explained; continuing risk")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("A manager must record oversight")).to_be_visible()
    screenshot(page, "protection-02-s47")
    check_accessibility(page, "protection-02-s47")

    # The team manager records oversight, then the initial conference.
    page.context.clear_cookies()
    sign_in(page, world.manager_a.username, next_url=page.url.replace(page.url.split("/children")[0], ""))
    page.get_by_label("Management oversight and rationale").fill("Agree: threshold met for an ICPC")
    page.get_by_role("button", name="Record oversight").click()
    page.get_by_role("link", name="Record the initial child protection conference").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the initial child protection conference")
    check_accessibility(page, "protection-03-icpc")
    fill_date(page, "Date of the conference", date(2025, 12, 20))  # a Saturday
    page.get_by_label("Chair").select_option(label="Irene Chair")
    page.get_by_label("Child protection plan", exact=True).check()
    page.get_by_label("Physical abuse").check()
    page.get_by_label("Summary of concerns").fill("Unexplained bruising on two occasions")
    page.get_by_label("For the family, in plain words").fill("Everyone is worried about the bruises.")
    page.get_by_role("button", name="Save conference").click()
    expect(page.locator("#id_held_on-error")).to_contain_text("8875")
    expect(page.get_by_label("Summary of concerns")).to_have_value("Unexplained bruising on two occasions")
    screenshot(page, "protection-03-icpc-refused")
    check_accessibility(page, "protection-03-icpc-refused")
    page.get_by_role("group", name=re.compile("Date of the conference")).get_by_label("Day").fill("22")
    page.get_by_role("button", name="Save conference").click()

    # The plan: started on the conference day, with its clocks.
    expect(page.get_by_role("heading", level=2, name="Child protection plan")).to_be_visible()
    plan = ChildProtectionPlan.objects.get(child=child)
    assert plan.started_on == date(2025, 12, 22)
    expect(page.get_by_text("Due by 8 January 2026").first).to_be_visible()
    screenshot(page, "protection-04-plan")
    check_accessibility(page, "protection-04-plan")

    page.get_by_role("button", name="Record a visit").click()
    fill_date(page, "Date of the visit", date(2025, 12, 29))
    page.get_by_role("group", name="Was the child seen?").get_by_label("No").check()
    page.get_by_role("group", name="Was the child seen alone?").get_by_label("No").check()
    check_accessibility(page, "protection-05-visit")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("does not count as a statutory visit")).to_be_visible()
    screenshot(page, "protection-05-after-visit")

    response = page.request.get(base + f"plans/{plan.pk}/family-pdf/")
    assert response.ok and response.body().startswith(b"%PDF")
