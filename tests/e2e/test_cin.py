"""The Social care tab, walked by a social worker: record a referral, start an assessment, record when
the child was seen and write a section, with every page checked by axe and screenshotted."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from hearth.cin.models import Assessment, CINEpisode
from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in


def fill_date(page, prefix: str, day: str, month: str, year: str) -> None:
    page.locator(f"#id_{prefix}_0").fill(day)
    page.locator(f"#id_{prefix}_1").fill(month)
    page.locator(f"#id_{prefix}_2").fill(year)


def test_a_social_worker_records_a_referral_and_assessment(page, world: World):
    child = world.children[0]
    sign_in(page, world.worker.username, device=world.device)
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("navigation", name=re.compile("record")).get_by_role("link", name="Social care").click()
    expect(page.get_by_role("heading", level=2, name="Social care")).to_be_visible()
    check_accessibility(page, "cin-01-no-referral")

    page.get_by_role("button", name="Record a referral").click()
    page.get_by_label("Who made the referral").select_option("2A")
    fill_date(page, "referral_date", "3", "3", "2025")
    screenshot(page, "cin-02-referral-form")
    check_accessibility(page, "cin-02-referral-form")
    page.get_by_role("button", name="Record referral").click()
    expect(page.get_by_text("The 45-working-day assessment clock has started")).to_be_visible()
    expect(page.get_by_text("Due by 8 May 2025")).to_be_visible()  # the 45-working-day clock, over Easter
    expect(page.locator(".hearth-social-care-status")).to_contain_text("Open referral")
    screenshot(page, "cin-03-open-referral")
    check_accessibility(page, "cin-03-open-referral")

    page.get_by_role("button", name="Start an assessment").click()
    fill_date(page, "started_on", "4", "3", "2025")
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_role("heading", level=2, name="Child and family assessment")).to_be_visible()

    page.get_by_role("link", name="Record when the child was seen").click()
    fill_date(page, "seen_on", "12", "3", "2025")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("referral-to-seen")).to_have_text("7 working days")

    page.get_by_role("link", name="Analysis of needs and risks").click()
    check_accessibility(page, "cin-04-section")
    page.get_by_label("Analysis of needs and risks").fill("Jordan's needs are met at home with support.")
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_text("Analysis of needs and risks saved")).to_be_visible()

    page.get_by_role("link", name="Factors and outcome").click()
    page.get_by_label(re.compile(r"^4B: Mental health")).check()
    page.get_by_label("21: No factors identified").check()  # exclusive: unticks 4B
    expect(page.get_by_label(re.compile(r"^4B: Mental health"))).not_to_be_checked()
    page.get_by_label("Child in need plan").check()
    screenshot(page, "cin-05-factors")
    check_accessibility(page, "cin-05-factors")
    page.get_by_role("button", name="Save factors and outcome").click()
    screenshot(page, "cin-06-assessment")
    check_accessibility(page, "cin-06-assessment")

    episode = CINEpisode.objects.get(child=child)
    assessment = Assessment.objects.get(episode=episode)
    assert assessment.child_seen_on is not None and assessment.child_seen_alone is True
    assert assessment.factors == ["21"] and assessment.outcome == "cin_plan"
