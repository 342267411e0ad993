"""Finding a child, walked as a social worker would: a misspelt name, then part of a date of
birth, then opening the record. Results update as they type; restricted records never show."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from hearth.search.services import name_keys_rebuild
from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in


def test_a_social_worker_finds_a_child_by_a_misspelt_name_and_a_partial_date_of_birth(page, world: World):
    name_keys_rebuild(local_authority=world.la)
    jordan = world.children[0]
    sign_in(page, world.worker.username, device=world.device, next_url="/search/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Find a child")
    box = page.get_by_label("Search for a child or adult")
    screenshot(page, "search-01-empty")
    check_accessibility(page, "search-01-empty")

    # A misspelt surname: the results appear as they type, with why each one matched.
    box.fill("jordan witfeild")
    results = page.get_by_role("table", name="People matching your search, best match first")
    expect(results.get_by_role("link", name="Jordan Whitfield")).to_be_visible()
    expect(results).to_contain_text(re.compile(r"(Similar|sounds the same).*Witfeild / Whitfield"))
    expect(results).to_contain_text(jordan.hearth_id)
    expect(page).to_have_url(re.compile(r"/search/\?q=jordan(\+|%20)witfeild$"))
    screenshot(page, "search-02-misspelt-name")
    check_accessibility(page, "search-02-misspelt-name")

    # The restricted child in another team is not found, by name or by date of birth.
    box.fill("Marchetti")
    expect(page.get_by_role("heading", name=re.compile("No results for"))).to_be_visible()
    assert world.restricted.first_name not in page.content()
    box.fill("14/7/2012")
    expect(page.get_by_role("heading", name=re.compile("No results for"))).to_be_visible()

    # Something that is not a real date gets a plain message, and the typing is kept.
    box.fill("31/2/2015")
    expect(page.get_by_text("\u201831/2/2015\u2019 is not a real date")).to_be_visible()
    expect(box).to_have_value("31/2/2015")
    screenshot(page, "search-03-not-a-date")
    check_accessibility(page, "search-03-not-a-date")

    # Only the month and year of birth.
    box.fill("3/2015")
    expect(results.get_by_role("link", name="Jordan Whitfield")).to_be_visible()
    expect(results).to_contain_text("Born in that month")
    expect(results.get_by_role("link", name="Kai Brennan")).to_have_count(0)
    screenshot(page, "search-04-partial-date-of-birth")
    check_accessibility(page, "search-04-partial-date-of-birth")

    # Pressing Search without htmx's help (a full page) shows the same results.
    page.goto("/search/?q=3%2F2015")
    expect(page.get_by_role("table", name=re.compile("People matching"))).to_contain_text("Jordan Whitfield")

    results = page.get_by_role("table", name=re.compile("People matching"))
    results.get_by_role("link", name="Jordan Whitfield").click()
    expect(page).to_have_url(re.compile(rf"/children/{jordan.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jordan Whitfield")
    screenshot(page, "search-05-record")
    check_accessibility(page, "search-05-record")
