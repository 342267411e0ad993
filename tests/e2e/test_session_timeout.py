"""The idle timeout, as a social worker meets it: a warning, then signed out with the typing
kept as a draft, and the draft restored when they sign in again."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in
from tests.factories import PASSWORD

TIMEOUT_S = 20
WARNING_S = 10


def test_idle_warning_then_signed_out_and_the_unsaved_typing_restored(page, world: World, settings):
    settings.SESSION_COOKIE_AGE = TIMEOUT_S
    settings.HEARTH_IDLE_WARNING_SECONDS = WARNING_S
    child = world.children[0]
    details_url = f"/children/{child.pk}/details/"
    # Password only (dev and test settings): a TOTP code cannot be used twice, and signing in
    # again within the same 30-second step would need the next one.
    world.device.delete()

    sign_in(page, world.worker.username)
    page.goto(details_url)
    expect(page.locator("body")).to_have_attribute("data-idle-timeout", str(TIMEOUT_S))
    first_name = page.get_by_label("First name")
    first_name.fill("Jordanne")
    # The draft is saved a moment after typing stops.
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft saved at", timeout=5_000)

    # Warned before the end: the browser signs out a few seconds before the server would.
    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=(TIMEOUT_S - 2) * 1000)
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    expect(dialog).to_contain_text("Your unsaved work is being saved as a draft.")
    screenshot(page, "09-timeout-warning", full_page=False)
    check_accessibility(page, "09-timeout-warning")

    # Nobody answers: the timer runs out and the browser lands on the signed-out page.
    expect(page).to_have_url(re.compile(r"/accounts/signed-out/\?next="), timeout=(TIMEOUT_S + 5) * 1000)
    expect(page.get_by_role("heading", level=1)).to_have_text("You were signed out")
    screenshot(page, "10-timed-out")
    check_accessibility(page, "10-timed-out")
    page.goto(details_url)  # really signed out on the server too
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))
    page.go_back()

    # Sign in again: back on the same form, with the typing restored and a banner saying so.
    page.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Username").fill(world.worker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(details_url)}$"))
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "We restored the changes you had not saved"
    )
    expect(page.get_by_label("First name")).to_have_value("Jordanne")
    expect(page.get_by_label("Last name")).to_have_value(child.last_name)
    screenshot(page, "11-draft-restored")
    check_accessibility(page, "11-draft-restored")
