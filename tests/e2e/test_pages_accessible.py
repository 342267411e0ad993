"""axe-core on every page of the app as it stands, each with a full-page screenshot.

One test per page: a fresh browser context, the same small council (``World``), signed in as
the person who would see that page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in, totp_now
from tests.factories import PASSWORD, make_person, make_user

Visit = Callable[[Any, World], None]
PAGES: dict[str, tuple[Visit, str]] = {}


def page_visit(name: str, heading: str) -> Callable[[Visit], Visit]:
    """Register how to reach a page and the h1 it must show."""

    def register(visit: Visit) -> Visit:
        PAGES[name] = (visit, heading)
        return visit

    return register


def _worker_with_clocks(page: Any, world: World) -> None:
    from hearth.clocks.services import clock_start

    today = timezone.localdate()
    jordan, kai = world.children
    clock_start(child=jordan, rule_id="assessment", started_on=today - timedelta(days=90), by="test")
    clock_start(child=kai, rule_id="assessment", started_on=today - timedelta(days=60), by="test")
    sign_in(page, world.worker.username, device=world.device)


def _admin(page: Any, world: World) -> Any:
    from hearth.accounts.roles import Role
    from hearth.clocks.models import BankHoliday
    from hearth.clocks.seeding import add_missing

    add_missing(BankHoliday, [timezone.localdate().year])
    admin = make_user(world.la, Role.SYSTEM_ADMIN, username="lee.admin", first_name="Lee", last_name="Morgan")
    sign_in(page, admin.username)
    return admin


# ---------------------------------------------------------------- signed out


@page_visit("sign-in", "Sign in to Hearth")
def _sign_in(page: Any, world: World) -> None:
    page.goto("/accounts/sign-in/")


@page_visit("sign-in-wrong-password", "Sign in to Hearth")
def _sign_in_error(page: Any, world: World) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(world.worker.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")


@page_visit("security-code", "Enter your security code")
def _security_code(page: Any, world: World) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(world.worker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/sign-in/code/")


@page_visit("security-code-wrong", "Enter your security code")
def _security_code_wrong(page: Any, world: World) -> None:
    _security_code(page, world)
    wrong = "000000" if totp_now(world.device) != "000000" else "111111"
    page.get_by_label("Security code").fill(wrong)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#id_otp_token-error")).to_contain_text("The code is not right")


@page_visit("two-factor-setup", "Set up your authenticator app")
def _two_factor_setup(page: Any, world: World) -> None:
    sign_in(page, world.manager_b.username)  # no device yet
    page.goto("/accounts/two-factor/")
    expect(page.locator(".hearth-qr svg")).to_be_visible()


@page_visit("locked-out", "Your account is locked for 30 minutes")
def _locked_out(page: Any, world: World) -> None:
    for _ in range(5):
        page.goto("/accounts/sign-in/")
        page.get_by_label("Username").fill(world.worker_b.username)
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


@page_visit("signed-out-timed-out", "You were signed out")
def _timed_out(page: Any, world: World) -> None:
    page.goto(f"/accounts/signed-out/?next=/children/{world.children[0].pk}/details/")


@page_visit("signed-out", "You have signed out")
def _signed_out(page: Any, world: World) -> None:
    sign_in(page, world.worker_b.username)
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()


# ---------------------------------------------------------------- a social worker's day


@page_visit("my-work", "My work")
def _my_work(page: Any, world: World) -> None:
    _worker_with_clocks(page, world)
    expect(page.get_by_role("heading", name=re.compile("Due and overdue"))).to_contain_text("1 overdue")


@page_visit("children-search", "Find a child")
def _children_search(page: Any, world: World) -> None:
    make_person(world.la, first_name="Maisie", last_name="Whitfield", date_of_birth=date(2019, 5, 9))
    sign_in(page, world.worker.username, device=world.device)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
    page.get_by_label("Search by name, Hearth ID or date of birth").fill("Whitfield")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 results for ‘Whitfield’")).to_be_visible()


@page_visit("child-record", "Jordan Whitfield")
def _child_record(page: Any, world: World) -> None:
    _worker_with_clocks(page, world)
    page.get_by_role("link", name="Jordan Whitfield").first.click()
    expect(page.get_by_role("table", name="Statutory clocks running for this child")).to_contain_text("Overdue")


@page_visit("change-details-error", "Change details")
def _change_details_error(page: Any, world: World) -> None:
    sign_in(page, world.worker.username, device=world.device)
    page.goto(f"/children/{world.children[0].pk}/")
    page.get_by_role("link", name="Change details").click()
    birth = page.get_by_role("group", name="Date of birth (optional)")
    birth.get_by_label("Day").fill("31")
    birth.get_by_label("Month").fill("2")
    birth.get_by_label("Year").fill("2015")
    page.get_by_role("button", name="Save details").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator("#id_date_of_birth-error")).to_contain_text("Date of birth must be a real date")
    expect(birth.get_by_label("Day")).to_have_value("31")


@page_visit("print-view", "Jordan Whitfield")
def _print_view(page: Any, world: World) -> None:
    sign_in(page, world.worker.username, device=world.device)
    page.goto(f"/children/{world.children[0].pk}/")
    page.get_by_role("link", name="Print summary").click()
    expect(page.get_by_text("OFFICIAL-SENSITIVE")).to_be_visible()


@page_visit("restricted", "This record is restricted")
def _restricted(page: Any, world: World) -> None:
    sign_in(page, world.worker.username, device=world.device)
    page.goto(f"/children/{world.restricted.pk}/")


@page_visit("team", "Safeguarding North")
def _team(page: Any, world: World) -> None:
    sign_in(page, world.worker.username, device=world.device)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My team").click()


# ---------------------------------------------------------------- a team manager


@page_visit("access-log", "Who has accessed this record")
def _access_log(page: Any, world: World) -> None:
    sign_in(page, world.manager_b.username)
    page.goto(f"/children/{world.restricted.pk}/")
    page.get_by_role("link", name="Who has accessed this record").click()


@page_visit("access-settings", "Who can open this record")
def _access_settings(page: Any, world: World) -> None:
    sign_in(page, world.manager_b.username)
    page.goto(f"/children/{world.restricted.pk}/")
    page.get_by_role("link", name="Who can open this record").click()
    expect(page.get_by_role("table", name="Staff who can open this record")).to_contain_text("Tom Hughes")


@page_visit("access-settings-error", "Who can open this record")
def _access_settings_error(page: Any, world: World) -> None:
    sign_in(page, world.manager_b.username)
    page.goto(f"/children/{world.restricted.pk}/access/")
    page.get_by_role("button", name="Give access").click()
    expect(page.get_by_role("alert")).to_be_visible()


# ---------------------------------------------------------------- a system administrator


@page_visit("bank-holidays", "Bank holidays")
def _bank_holidays(page: Any, world: World) -> None:
    _admin(page, world)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Bank holidays").click()
    expect(page.get_by_role("table")).to_contain_text("Christmas Day")


@page_visit("bank-holiday-add-error", "Add a one-off bank holiday")
def _bank_holiday_add_error(page: Any, world: World) -> None:
    _admin(page, world)
    page.goto("/calendar/holidays/")
    page.get_by_role("button", name="Add a one-off bank holiday").click()
    when = page.get_by_role("group", name="Date")
    when.get_by_label("Day").fill("31")
    when.get_by_label("Month").fill("2")
    when.get_by_label("Year").fill(str(timezone.localdate().year + 1))
    page.get_by_role("button", name="Save bank holiday").click()
    expect(page.locator("#id_on-error")).to_contain_text("Date must be a real date")
    expect(page.locator("#id_name-error")).to_contain_text("Enter the name of the bank holiday")


@page_visit("bank-holiday-change", "Change a bank holiday")
def _bank_holiday_change(page: Any, world: World) -> None:
    _admin(page, world)
    page.goto("/calendar/holidays/")
    page.get_by_role("link", name=re.compile(r"^Change Christmas Day")).click()


@page_visit("bank-holiday-remove", "Remove Christmas Day")
def _bank_holiday_remove(page: Any, world: World) -> None:
    _admin(page, world)
    page.goto("/calendar/holidays/")
    page.get_by_role("link", name=re.compile(r"^Remove Christmas Day")).click()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible(page, world: World, name: str):
    visit, heading = PAGES[name]
    visit(page, world)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    expect(page.locator("body")).not_to_contain_text("GOV.UK")
    screenshot(page, f"page-{name}")
    check_accessibility(page, f"page-{name}")


def test_component_gallery_is_accessible(page, world: World):
    url = None
    for name in ("workspace:component_gallery", "workspace:components", "workspace:gallery"):
        try:
            url = reverse(name)
            break
        except NoReverseMatch:
            continue
    if url is None:
        pytest.skip("workspace/component_gallery.html exists but no URL routes to it (hearth/workspace/urls.py)")
    sign_in(page, world.worker.username, device=world.device)
    page.goto(url)
    screenshot(page, "page-component-gallery")
    check_accessibility(page, "page-component-gallery")
