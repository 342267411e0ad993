"""A missing episode with a return home interview, walked through by the three people who do it.

A social worker records a child missing (with the police reference) and then found; the missing-from-home
advocate sees the child in their tray with the hours left on the 72-hour clock, records the interview as
offered, accepted and held within 72 hours with push and pull factors; the exploitation lead sees the
episode in the patterns. Every page is checked with axe; screenshots are journey5-missing-*.png.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from hearth.clocks.working_days import LONDON
from tests.e2e.conftest import World, check_accessibility, fill_date, screenshot, sign_in


def fill_moment(page, legend: str, time_label: str, when: datetime) -> None:
    local = when.astimezone(LONDON)
    fill_date(page, legend, local.date())
    page.get_by_label(time_label).fill(f"{local:%H:%M}")


def shot(page, name: str) -> None:
    check_accessibility(page, f"journey5-missing-{name}")
    screenshot(page, f"journey5-missing-{name}")


def test_a_missing_episode_with_a_return_home_interview(page, world: World):
    from hearth.missing.models import MissingEpisode
    from tests.missing.factories import make_advocate, make_lead

    child = world.children[0]
    advocate = make_advocate(world.la, username="ade.mfh", first_name="Ade", last_name="Mensah")
    lead = make_lead(world.la, username="lee.lead", first_name="Lee", last_name="Lead")
    now = timezone.now().replace(second=0, microsecond=0)
    went, found = now - timedelta(hours=30), now - timedelta(hours=20)
    base = f"/children/{child.pk}/missing/"

    # The duty social worker: the police ring to say Jordan has not come home.
    sign_in(page, world.worker.username, device=world.device)
    page.goto(base)
    expect(page.get_by_role("heading", level=2, name="Missing and exploitation")).to_be_visible()
    shot(page, "01-tab")
    page.get_by_role("button", name="Record a missing episode").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a missing episode")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    shot(page, "02-record-errors")
    page.get_by_label("Missing: whereabouts not known").check()
    fill_moment(page, "Date the child went missing", "Time the child went missing", went)
    fill_moment(page, "Date it was reported", "Time it was reported", went + timedelta(hours=1))
    page.get_by_role("group", name="Were the police told?").get_by_label("Yes").check()
    page.get_by_label("Police reference").fill("NP-24-118734")
    page.get_by_role("group", name="Police risk grading").get_by_label("Medium").check()
    page.get_by_label("Where they went missing from").fill("Home")
    page.get_by_label("Circumstances").fill("Left after an argument about her phone; not answering calls")
    shot(page, "02-record")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Jordan is still recorded as missing")).to_be_visible()
    expect(page.get_by_text("reference NP-24-118734")).to_be_visible()

    page.get_by_role("button", name="Record the return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the return")
    fill_moment(page, "Date the child was found or returned", "Time the child was found or returned", found)
    page.get_by_label("Found by the police").check()
    page.get_by_role("textbox", name="Where they were found (optional)", exact=True).fill("Victoria bus station")
    page.get_by_label("Postcode where they were found").fill("NG1 3QN")
    page.get_by_label("Other places they went while missing").fill("Hockley NG1 1AA\nA friend's flat")
    shot(page, "03-return")
    page.get_by_role("button", name="Save the return").click()
    expect(page.get_by_text("Offer a return home interview: it is due by")).to_be_visible()
    expect(page.get_by_text("Not yet offered")).to_be_visible()
    shot(page, "04-episode")
    episode = MissingEpisode.objects.get(child=child)
    assert episode.police_reference == "NP-24-118734" and episode.ended_at == found

    # The missing-from-home advocate: the child is in the tray with the hours left.
    page.context.clear_cookies()
    sign_in(page, advocate.username)
    page.goto("/missing/")
    row = page.get_by_role("row").filter(has_text=child.full_name)
    expect(row.get_by_text(re.compile(r"^5[12] hours left$"))).to_be_visible()
    shot(page, "05-tray")
    row.get_by_role("link", name=child.full_name).click()
    page.get_by_role("link", name="Record the offer").click()
    fill_moment(page, "Date the interview was offered", "Time the interview was offered", found + timedelta(hours=2))
    expect(page.get_by_label("Who offered it")).to_have_value(str(advocate.pk))
    shot(page, "06-offer")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record the answer").click()
    page.get_by_label("Accepted the interview").check()
    fill_moment(page, "Date they answered", "Time they answered", found + timedelta(hours=2, minutes=5))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record the interview").click()
    fill_moment(page, "Date the interview was held", "Time the interview was held", now - timedelta(hours=1))
    page.get_by_label("Conflict or arguments at home").check()
    page.get_by_label("Friends or peers").check()
    page.get_by_label("Older adults").check()
    page.get_by_label("What the child said").fill("She went to Hockley with friends and met older lads there")
    page.get_by_label("Risks identified").fill("Older males offering lifts; possible CSE")
    page.get_by_label("Actions agreed").fill("Exploitation screening this week; share with the police")
    shot(page, "07-interview")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Held within 72 hours").first).to_be_visible()
    expect(page.get_by_text("Conflict or arguments at home")).to_be_visible()
    shot(page, "08-held")

    # The exploitation lead: the episode in the patterns.
    page.context.clear_cookies()
    sign_in(page, lead.username)
    page.goto("/missing/patterns/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Missing and exploitation patterns")
    held = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Held within 72 hours"))
    expect(held.get_by_role("cell").first).to_have_text("1")
    expect(held.get_by_role("cell").nth(1)).to_have_text("100%")
    expect(page.get_by_role("cell", name="Victoria bus station")).to_be_visible()
    district = page.get_by_role("table", name="By postcode district").get_by_role("row").filter(has_text="NG1")
    expect(district.get_by_role("cell")).to_have_text(["NG1", "1", "1"])
    shot(page, "09-patterns")
