"""Issue 4's journey end to end, as the people who walk it.

A school's designated safeguarding lead refers a pupil on the portal; the front door screens and
decides within the one-working-day clock; the manager allocates the referral; the social worker starts
the assessment and records seeing the child; a strategy discussion starts a section 47 enquiry; the
manager oversees its outcome; the initial conference decides on a plan and the plan starts; the DSL
sees the outcome. Every field typed is counted against the fact it records, and no fact is typed twice.

The server's clock is set to a Wednesday morning so that the conference can be held "today"
(a conference on a weekend is refused, census rule 8875) whatever day the suite runs.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from playwright.sync_api import expect

from hearth.clocks.models import holiday_set
from hearth.front_door.models import Contact
from hearth.portal.models import PartnerReferral
from hearth.protection.models import ChildProtectionPlan
from tests.e2e.conftest import RESULTS, World, check_accessibility, screenshot, sign_in

LONDON = ZoneInfo("Europe/London")


def _next_plain_wednesday(today: date) -> date:
    """The next Wednesday that is not a bank holiday, strictly after today (never in the past:
    the browser's cookies follow the real clock)."""
    day = today + timedelta(days=1)
    while day.weekday() != 2 or day in holiday_set():
        day += timedelta(days=1)
    return day


class Typist:
    """Types into the page and remembers which fact each field records."""

    def __init__(self) -> None:
        self.facts: list[tuple[str, str]] = []
        self.texts: list[str] = []

    def _note(self, fact: str, step: str) -> None:
        self.facts.append((fact, step))

    def fill(self, locator: Any, value: str, *, fact: str, step: str) -> None:
        locator.fill(value)
        self.texts.append(value)
        self._note(fact, step)

    def choose(self, locator: Any, *, fact: str, step: str) -> None:
        locator.check()
        self._note(fact, step)

    def select(self, locator: Any, value: str | None = None, *, label: str | None = None, fact: str,
               step: str) -> None:
        if label is not None:
            locator.select_option(label=label)
        else:
            locator.select_option(value)
        self._note(fact, step)

    def date(self, group: Any, day: date, *, fact: str, step: str) -> None:
        group.get_by_label("Day", exact=True).fill(str(day.day))
        group.get_by_label("Month", exact=True).fill(str(day.month))
        group.get_by_label("Year", exact=True).fill(str(day.year))
        self._note(fact, step)

    def report(self) -> str:
        lines = [f"{len(self.facts)} fields typed or chosen, {len({f for f, _ in self.facts})} distinct facts"]
        lines += [f"{step:>22}  {fact}" for fact, step in self.facts]
        return "\n".join(lines) + "\n"


def test_a_school_referral_becomes_a_child_protection_plan(page, world: World):
    from hearth.accounts.roles import Role
    from tests.factories import make_user
    from tests.portal.factories import make_partner

    wednesday = _next_plain_wednesday(date.today())
    travel = time_machine.travel(datetime.combine(wednesday, datetime.min.time().replace(hour=9), LONDON),
                                 tick=True)
    travel.start()
    try:
        _walk(page, world, wednesday, make_partner(world.la, username="dana.lead"),
              make_user(world.la, Role.IRO, username="irene.chair", first_name="Irene", last_name="Chair"))
    finally:
        travel.stop()


def _walk(page: Any, world: World, today: date, dsl: Any, chair: Any) -> None:
    typed = Typist()

    # 1. The DSL refers a pupil on the portal and gets a reference at once.
    sign_in(page, dsl.username)
    page.wait_for_url("**/refer/")
    page.get_by_role("link", name="Make a referral").click()
    step = "portal referral"
    typed.fill(page.get_by_label("First name").first, "Leah", fact="child first name", step=step)
    typed.fill(page.get_by_label("Last name").first, "Ashworth", fact="child last name", step=step)
    typed.date(page.get_by_role("group", name=re.compile("date of birth", re.I)), date(2013, 9, 4),
               fact="child date of birth", step=step)
    typed.choose(page.get_by_role("group", name="Sex").get_by_label("Female", exact=True), fact="child sex",
                 step=step)
    typed.fill(page.get_by_label("Address line 1"), "7 Carlton Street", fact="child address", step=step)
    typed.fill(page.get_by_label("Town or city"), "Nottingham", fact="child town", step=step)
    typed.fill(page.get_by_label("Postcode"), "NG1 1NN", fact="child postcode", step=step)
    typed.choose(page.get_by_role("group", name="interpreter").get_by_label("No", exact=True),
                 fact="interpreter needed", step=step)
    typed.fill(page.get_by_label("What has happened and why are you worried?"),
               "Leah has a burn on her forearm and says her stepfather held her arm against the cooker.",
               fact="concerns", step=step)
    typed.fill(page.get_by_label("When did it happen, or when did you find out?"), "Last night",
               fact="when it happened", step=step)
    typed.fill(page.get_by_label("What has the child said?"), "He said it was my fault for being late",
               fact="child's words", step=step)
    typed.choose(page.get_by_role("group", name="immediate risk").get_by_label("No", exact=True),
                 fact="immediate risk", step=step)
    typed.choose(page.get_by_label("No, because asking would put the child at risk"), fact="consent", step=step)
    typed.fill(page.get_by_label("Tell us more about consent"), "Stepfather is the person who hurt her.",
               fact="consent notes", step=step)
    typed.select(page.get_by_label("What kind of organisation is it?"), "school", fact="referrer agency type",
                 step=step)
    typed.fill(page.get_by_label("Your telephone number"), "0115 876 5432", fact="referrer phone", step=step)
    screenshot(page, "journey4-01-portal")
    check_accessibility(page, "journey4-01-portal")
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url("**/sent/")
    referral = PartnerReferral.objects.get()
    expect(page.locator("[data-reference]")).to_have_text(referral.display_reference)
    screenshot(page, "journey4-02-reference")
    contact = referral.contact
    assert contact.status == Contact.Status.RECEIVED and contact.source == "2A"

    # 2. The front door screens, finds the child (nothing retyped) and decides within the clock.
    page.context.clear_cookies()
    sign_in(page, world.manager_a.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Front door").click()
    expect(page.get_by_text("Decision due by").first).to_be_visible()
    screenshot(page, "journey4-03-queue")
    check_accessibility(page, "journey4-03-queue")
    page.get_by_role("link", name=contact.reference).click()
    expect(page.get_by_text("Leah has a burn on her forearm")).to_be_visible()
    expect(page.get_by_text("Decision due by")).to_be_visible()
    step = "front door"
    page.get_by_role("button", name="Screen this contact").click()
    typed.choose(page.get_by_label("Red: immediate risk"), fact="screening priority", step=step)
    typed.fill(page.get_by_label("Screening notes"), "Police: stepfather known for assault (2023).",
               fact="screening notes", step=step)
    page.get_by_role("button", name="Save screening").click()
    page.get_by_role("link", name=re.compile("Find or add the child")).or_(
        page.get_by_role("button", name=re.compile("Find or add the child"))).first.click()
    # What the DSL typed is already here: the front door only checks it.
    expect(page.get_by_label("First name").first).to_have_value("Leah")
    expect(page.get_by_label("Last name").first).to_have_value("Ashworth")
    page.get_by_role("button", name="Look for this child").click()
    screenshot(page, "journey4-04-find-child")
    check_accessibility(page, "journey4-04-find-child")
    page.get_by_role("button", name="None of these: create a new record").click()
    contact.refresh_from_db()
    child = contact.child
    assert child is not None and (child.first_name, child.last_name, child.date_of_birth) == (
        "Leah", "Ashworth", date(2013, 9, 4))
    page.get_by_role("button", name="Record the decision").click()
    typed.choose(page.get_by_label("Referral to children's social care"), fact="contact decision", step=step)
    typed.fill(page.get_by_label("Rationale"), "Non-accidental injury disclosed: referral for assessment.",
               fact="decision rationale", step=step)
    typed.select(page.locator("#id_team"), label="Safeguarding North", fact="team", step=step)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decided on time")).to_be_visible()
    screenshot(page, "journey4-05-decided")
    check_accessibility(page, "journey4-05-decided")

    # The DSL sees the status change without seeing any case data.
    # (checked at the end, once the plan has started)

    _allocate_and_assess(page, world, typed, child, today)
    _protect(page, world, typed, child, today, chair)

    # 7. The DSL sees the outcome of the referral, and nothing of the case.
    page.context.clear_cookies()
    sign_in(page, dsl.username)
    page.wait_for_url("**/refer/")
    expect(page.locator("table")).to_contain_text("Decided: Referral to children's social care")
    page.get_by_role("link", name=referral.display_reference).click()
    expect(page.locator("[data-status]")).to_have_text("Decided: Referral to children's social care")
    body = page.locator("main").inner_text()
    for case_data in ("Non-accidental injury disclosed", "Police: stepfather", "Sam Okafor", "child protection plan"):
        assert case_data not in body
    screenshot(page, "journey4-12-dsl-outcome")
    check_accessibility(page, "journey4-12-dsl-outcome")

    # No fact was typed twice along the whole journey.
    report = typed.report()
    (RESULTS / "journey4-typed-fields.txt").write_text(report)
    repeated = [fact for fact, count in Counter(fact for fact, _ in typed.facts).items() if count > 1]
    assert repeated == [], report
    # And no piece of text was typed twice, whatever it was called.
    assert [t for t, count in Counter(typed.texts).items() if count > 1] == [], report
    assert len(typed.facts) <= 45, report


def _allocate_and_assess(page: Any, world: World, typed: Typist, child: Any, today: date) -> None:
    # 3. The team manager allocates the new referral from the team tray.
    _allocate(page, typed)

    # 4. The social worker finds it on their tray, starts the assessment and records seeing Leah.
    page.context.clear_cookies()
    sign_in(page, world.worker.username, device=world.device)
    page.get_by_role("link", name="Leah Ashworth").first.click()
    page.get_by_role("navigation", name=re.compile("record")).get_by_role("link", name="Social care").click()
    step = "assessment"
    page.get_by_role("button", name="Start an assessment").click()
    typed.date(page.get_by_role("group", name=re.compile("start", re.I)), today, fact="assessment start date",
               step=step)
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_role("link", name="Record when the child was seen").click()
    typed.date(page.get_by_role("group", name=re.compile("seen", re.I)).first, today, fact="date child seen",
               step=step)
    typed.choose(page.get_by_label("Yes"), fact="child seen alone", step=step)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("referral-to-seen")).to_have_text("0 working days")
    screenshot(page, "journey4-07-assessment")
    check_accessibility(page, "journey4-07-assessment")


def _allocate(page: Any, typed: Typist) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Team tray").click()
    waiting = page.get_by_role("region", name="Children waiting for a worker")
    expect(waiting.get_by_role("link", name="Leah Ashworth")).to_be_visible()
    screenshot(page, "journey4-06-team-tray")
    check_accessibility(page, "journey4-06-team-tray")
    step = "allocation"
    typed.choose(page.get_by_label("Select Leah Ashworth"), fact="children to allocate", step=step)
    typed.select(page.get_by_label("Allocate to"), label="Sam Okafor (social worker)",
                 fact="allocated worker", step=step)
    page.get_by_role("button", name="Allocate the selected children").click()
    expect(page.get_by_text(re.compile("1 child allocated to Sam Okafor"))).to_be_visible()


def _protect(page: Any, world: World, typed: Typist, child: Any, today: date, chair: Any) -> None:
    # 5. The social worker records the strategy discussion, which starts the S47 enquiry.
    page.get_by_role("button", name="Record a strategy discussion").or_(
        page.get_by_role("link", name="Record a strategy discussion")).first.click()
    step = "strategy discussion"
    typed.date(page.get_by_role("group", name=re.compile("Date of the strategy discussion")), today,
               fact="strategy discussion date", step=step)
    for agency in ("Children's social care", "Police", "Health"):
        typed.choose(page.get_by_role("checkbox", name=agency), fact=f"agency present: {agency}", step=step)
    typed.fill(page.get_by_label("Who took part"), "DS Patel (police), Dr Rees (paediatrician), Sam Okafor",
               fact="strategy attendees", step=step)
    typed.fill(page.get_by_label("Why there is reasonable cause"), "Burn consistent with the child's account",
               fact="strategy reason", step=step)
    typed.choose(page.get_by_label("Start a section 47 enquiry"), fact="strategy decision", step=step)
    screenshot(page, "journey4-08-strategy")
    check_accessibility(page, "journey4-08-strategy")
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.get_by_role("heading", level=2, name="Section 47 enquiry")).to_be_visible()
    step = "section 47"
    typed.date(page.get_by_role("group", name=re.compile("Date the enquiry was completed")), today,
               fact="S47 completed date", step=step)
    typed.choose(page.get_by_label(re.compile("child at continuing risk")), fact="S47 outcome", step=step)
    typed.fill(page.get_by_label("What the enquiry found"), "Injury confirmed by medical; continuing risk",
               fact="S47 findings", step=step)
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("A manager must record oversight")).to_be_visible()
    screenshot(page, "journey4-09-s47")
    check_accessibility(page, "journey4-09-s47")

    # 6. The manager oversees the outcome; the initial conference decides on a plan, which starts that day.
    s47_path = "/" + page.url.split("/", 3)[3]
    page.context.clear_cookies()
    sign_in(page, world.manager_a.username, next_url=s47_path)
    step = "oversight"
    typed.fill(page.get_by_label("Management oversight and rationale"), "Agree: threshold met for an ICPC",
               fact="S47 oversight rationale", step=step)
    page.get_by_role("button", name="Record oversight").click()
    page.get_by_role("link", name="Record the initial child protection conference").click()
    step = "conference"
    typed.date(page.get_by_role("group", name=re.compile("Date of the conference")), today,
               fact="conference date", step=step)
    typed.select(page.get_by_label("Chair"), label=chair.get_full_name(), fact="conference chair", step=step)
    typed.choose(page.get_by_label("Child protection plan", exact=True), fact="conference outcome", step=step)
    typed.choose(page.get_by_label("Physical abuse"), fact="category of abuse", step=step)
    typed.fill(page.get_by_label("Summary of concerns"), "Burn to forearm inflicted by stepfather",
               fact="conference concerns", step=step)
    typed.fill(page.get_by_label("For the family, in plain words"),
               "Everyone agreed Leah needs a plan to keep her safe at home.", fact="family summary", step=step)
    screenshot(page, "journey4-10-conference")
    check_accessibility(page, "journey4-10-conference")
    page.get_by_role("button", name="Save conference").click()
    expect(page.get_by_role("heading", level=2, name="Child protection plan")).to_be_visible()
    plan = ChildProtectionPlan.objects.get(child=child)
    assert plan.started_on == today and plan.initial_category == "PHY" and not plan.is_repeat
    screenshot(page, "journey4-11-plan")
    check_accessibility(page, "journey4-11-plan")
