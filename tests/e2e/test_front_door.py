"""The front door walked by a team manager: record a phone contact, find the child among the likely
matches, screen it red, decide a referral within the clock; then the queue, early help and the
mystery-shopper trend. Every page is checked with axe and photographed."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from hearth.cin.models import CINEpisode
from hearth.front_door.models import Contact
from hearth.front_door.services import early_help_start, mystery_shop_record
from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in


def test_a_manager_records_screens_and_decides_a_contact(page, world: World):
    child = world.children[0]  # Jordan Whitfield, born 27 March 2015
    sign_in(page, world.manager_a.username)
    page.goto("/front-door/")
    expect(page.get_by_role("heading", level=1, name="Front door")).to_be_visible()
    check_accessibility(page, "front-door-01-queue-empty")

    page.get_by_role("button", name="Record a contact").click()
    page.get_by_label("Telephone", exact=True).check()
    page.get_by_label("Source (CIN census referral source)").select_option("2A")
    page.get_by_label("Name of the person making contact").fill("Grace Adeyemi")
    page.get_by_label("Organisation").fill("Bulwell Academy")
    page.get_by_label("What are the concerns?").fill("Jordan came to school with a bruise on the cheek.")
    page.get_by_label("Family consents to the contact and to information sharing").check()
    page.get_by_label("Child's first name").fill("Jordan")
    page.get_by_label("Child's last name").fill("Whitfield")
    dob = page.get_by_role("group", name="Child's date of birth")
    dob.get_by_label("Day").fill("27")
    dob.get_by_label("Month").fill("3")
    dob.get_by_label("Year").fill("2015")
    # A mistake first: a time that is not one. The error is shown and nothing typed is lost.
    page.get_by_label("Time received").fill("25:00")
    page.get_by_role("button", name="Record contact").click()
    expect(page.get_by_role("alert").get_by_text("Enter the time received as hours and minutes")).to_be_visible()
    expect(page.get_by_label("Organisation")).to_have_value("Bulwell Academy")
    screenshot(page, "front-door-02-record-error")
    check_accessibility(page, "front-door-02-record-error")
    page.get_by_label("Time received").fill("00:01")
    page.get_by_role("button", name="Record contact").click()

    expect(page.get_by_role("heading", level=1, name="Find or add the child")).to_be_visible()
    expect(page.get_by_text("Decision due by")).to_be_visible()
    screenshot(page, "front-door-03-find-child")
    check_accessibility(page, "front-door-03-find-child")
    page.get_by_role("button", name=re.compile("Yes, this is the child")).first.click()

    contact = Contact.objects.get()
    assert contact.child == child
    expect(page.get_by_role("heading", level=1, name=f"Contact {contact.reference}")).to_be_visible()
    screenshot(page, "front-door-04-contact")
    check_accessibility(page, "front-door-04-contact")

    page.get_by_role("button", name="Screen this contact").click()
    page.get_by_label("Red: immediate risk").check()
    page.get_by_label("Screening notes").fill("Police checks: previous DA call-out at the address.")
    page.get_by_role("button", name="Save screening").click()

    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert").get_by_text("Choose the decision")).to_be_visible()
    check_accessibility(page, "front-door-05-decide-error")
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Rationale").fill("Unexplained injury and history of domestic abuse: assessment needed.")
    page.locator("#id_team").select_option(label="Safeguarding North")
    screenshot(page, "front-door-05-decide")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded: Referral to children's social care")).to_be_visible()
    expect(page.get_by_text("Decided on time")).to_be_visible()
    screenshot(page, "front-door-06-decided")
    check_accessibility(page, "front-door-06-decided")
    assert CINEpisode.objects.get(child=child).contact == contact

    page.goto("/front-door/")
    expect(page.get_by_text("Decided in the last 30 days (1)")).to_be_visible()
    screenshot(page, "front-door-07-queue")
    check_accessibility(page, "front-door-07-queue")


def test_early_help_and_mystery_shopper_pages(page, world: World):
    early_help_start(child=world.children[1], started_on=timezone.localdate() - timedelta(days=40),
                     origin="direct", lead_professional="Ms Patel, Bestwood Primary", by=world.worker)
    for days, outcome, seconds, quality in ((5, "right", 30, 4), (40, "wrong", 95, 1), (70, "right", 45, 3),
                                            (75, "not_answered", None, None), (100, "partly", 60, 2)):
        mystery_shop_record(local_authority=world.la, carried_out_at=timezone.now() - timedelta(days=days),
                            channel="phone", outcome=outcome, seconds_to_answer=seconds, advice_quality=quality,
                            by=world.manager_a)
    sign_in(page, world.manager_a.username)
    page.goto("/front-door/early-help/")
    page.get_by_role("link", name="Kai Brennan").click()
    expect(page.get_by_role("heading", name=re.compile("Early help from"))).to_be_visible()
    screenshot(page, "front-door-08-early-help")
    check_accessibility(page, "front-door-08-early-help")
    page.get_by_role("button", name="End early help").click()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2001")
    page.get_by_label("Needs met", exact=True).check()
    page.get_by_role("button", name="End early help").click()
    expect(page.get_by_role("alert").get_by_text(re.compile("before early help started"))).to_be_visible()
    check_accessibility(page, "front-door-09-early-help-end-error")

    page.goto("/front-door/mystery-shopper/")
    expect(page.get_by_role("img", name=re.compile("Right response"))).to_be_visible()
    screenshot(page, "front-door-10-mystery-shopper")
    check_accessibility(page, "front-door-10-mystery-shopper")
    page.get_by_role("button", name="Record a check").click()
    page.get_by_role("button", name="Save check").click()
    expect(page.get_by_role("alert")).to_be_visible()
    screenshot(page, "front-door-11-mystery-shopper-errors")
    check_accessibility(page, "front-door-11-mystery-shopper-errors")
