"""A social worker opens a child's family, adds a sibling from what is already known, and sees them drawn."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in


def _family(world: World) -> dict:
    from hearth.people.models import Person
    from hearth.people.services import address_move, professional_add, relationship_add
    from tests.factories import make_person

    jordan = world.children[0]
    mum = make_person(world.la, first_name="Kerry", last_name="Whitfield", date_of_birth=date(1990, 6, 1), sex="F")
    dad = make_person(world.la, first_name="Darren", last_name="Whitfield", date_of_birth=date(1986, 2, 11),
                      sex="M")
    for person in (jordan, mum, dad):
        address_move(person=person, line_1="12 Acacia Road", town="Nottingham", postcode="NG2 3NG",
                     moved_in_on=date(2016, 5, 3), by="test")
    relationship_add(person=mum, relative=jordan, kind="parent", parental_responsibility=True, by="test")
    relationship_add(person=dad, relative=jordan, kind="parent", parental_responsibility=True, by="test")
    hidden = make_person(world.la, Person.AccessLevel.SEALED, first_name="Sealed", last_name="Halfsister",
                         date_of_birth=date(2011, 1, 9), sex="F")
    relationship_add(person=jordan, relative=hidden, kind="half_sibling", by="test")
    professional_add(person=jordan, role="school", organisation="Greenwood Primary School",
                     organisation_code="122334", by="test")
    return {"jordan": jordan, "mum": mum, "dad": dad, "hidden": hidden}


def test_a_sibling_is_added_from_the_family_view_with_what_is_known(page, world: World):
    people = _family(world)
    jordan = people["jordan"]
    sign_in(page, world.worker.username, device=world.device)

    page.goto(f"/children/{jordan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jordan Whitfield")
    screenshot(page, "family-01-child-record")
    check_accessibility(page, "family-01-child-record")

    page.get_by_role("navigation", name="Jordan Whitfield's record").get_by_role("link", name="Family").click()
    expect(page).to_have_url(re.compile(rf"/children/{jordan.pk}/family/$"))
    drawing = page.get_by_role("img", name="Family network of Jordan Whitfield")
    expect(drawing).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Everyone recorded in Jordan's family"))
    expect(table.get_by_role("link", name="Kerry Whitfield", exact=True)).to_be_visible()
    expect(table).to_contain_text("Restricted record")
    assert "Halfsister" not in page.content()
    screenshot(page, "family-02-family-view")
    check_accessibility(page, "family-02-family-view")

    page.get_by_role("button", name="Add a relative").click()
    page.get_by_label("Sibling (same parents)").check()
    screenshot(page, "family-03-how-related")
    check_accessibility(page, "family-03-how-related")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Are they already on Hearth?")
    expect(page.get_by_label("Last name")).to_have_value("Whitfield")
    page.get_by_label("First name").fill("Maisie")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No one found")).to_be_visible()
    screenshot(page, "family-04-search-first")
    check_accessibility(page, "family-04-search-first")
    page.get_by_role("link", name="They are not on Hearth: add them as a new person").click()

    # What is known about Jordan is shown for confirmation, not asked again.
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a new sibling")
    expect(page.get_by_label("First name")).to_have_value("Maisie")
    expect(page.get_by_label("Last name")).to_have_value("Whitfield")
    known = page.locator(".hearth-known-facts")
    expect(known).to_contain_text("12 Acacia Road")
    expect(known).to_contain_text("Greenwood Primary School")
    expect(page.get_by_role("checkbox", name="Kerry Whitfield")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Darren Whitfield")).to_be_checked()
    born = page.get_by_role("group", name="Date of birth (optional)")
    born.get_by_label("Day").fill("9")
    born.get_by_label("Month").fill("5")
    born.get_by_label("Year").fill("2019")
    page.get_by_role("group", name="Sex").get_by_label("Female").check()
    page.get_by_role("group", name="Is this still correct?").get_by_label("Yes").check()
    expect(page.get_by_role("group", name="Do they live at this address?").get_by_label("Yes")).to_be_checked()
    screenshot(page, "family-05-new-sibling")
    check_accessibility(page, "family-05-new-sibling")
    page.get_by_role("button", name="Add to family").click()

    expect(page).to_have_url(re.compile(rf"/children/{jordan.pk}/family/$"))
    expect(page.get_by_text("Maisie Whitfield added to Jordan Whitfield's family as sibling")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Everyone recorded in Jordan's family"))
    row = table.get_by_role("row", name=re.compile("Maisie Whitfield"))
    expect(row).to_contain_text("Sibling")
    expect(row).to_contain_text("Yes")  # lives with Jordan
    expect(page.locator("svg[role=img] text")).to_contain_text(["Maisie Whitfield"])
    screenshot(page, "family-06-sibling-added")
    check_accessibility(page, "family-06-sibling-added")

    # The new sibling's own record has the same parents and address, typed once.
    row.get_by_role("link", name="Maisie Whitfield", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maisie Whitfield")
    expect(page.get_by_text("12 Acacia Road").first).to_be_visible()
    family_card = page.locator(".govuk-summary-card", has=page.get_by_role("heading", name="Family"))
    expect(family_card.get_by_role("link", name="Kerry Whitfield", exact=True)).to_be_visible()
    expect(family_card.get_by_role("link", name="Jordan Whitfield", exact=True)).to_be_visible()
    screenshot(page, "family-07-sibling-record")
    check_accessibility(page, "family-07-sibling-record")


def test_a_child_is_added_after_seeing_likely_matches_and_the_household_moves_together(page, world: World):
    """The other people pages, each checked with axe: adding a child, and a move for the whole household."""
    from hearth.search.services import name_keys_refresh

    people = _family(world)
    jordan = people["jordan"]
    name_keys_refresh(person=jordan)
    sign_in(page, world.worker.username, device=world.device)

    page.goto("/search/")
    page.get_by_role("button", name="Add a child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is the child?")
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name").fill("Whitfeld")
    born = page.get_by_role("group", name="Date of birth", exact=True)
    born.get_by_label("Day").fill("27")
    born.get_by_label("Month").fill("3")
    born.get_by_label("Year").fill("2015")
    page.get_by_role("group", name="Sex").get_by_label("Female").check()
    page.get_by_label("NHS number").fill("943 476 5918")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator("#id_nhs_number-error")).to_contain_text("Enter a real NHS number")
    expect(page.get_by_label("NHS number")).to_have_value("943 476 5918")
    expect(page.get_by_label("Last name")).to_have_value("Whitfeld")
    screenshot(page, "people-01-add-child-error")
    check_accessibility(page, "people-01-add-child-error")
    page.get_by_label("NHS number").fill("")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Is this one of these children?")
    expect(page.get_by_role("heading", name="Jordan Whitfield")).to_be_visible()
    screenshot(page, "people-02-likely-matches")
    check_accessibility(page, "people-02-likely-matches")
    page.get_by_role("button", name="No, create a new record").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("More about the child")
    page.get_by_label("Preferred name").fill("Jo")
    check_accessibility(page, "people-03-more")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where does the child live?")
    page.get_by_label("Address line 1").fill("7 Brook Street")
    page.get_by_label("Town or city").fill("Nottingham")
    page.get_by_label("Postcode").fill("ng1 1aa")
    check_accessibility(page, "people-04-address")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the details before making the record")
    expect(page.locator(".govuk-summary-list")).to_contain_text("NG1 1AA")
    screenshot(page, "people-05-check")
    check_accessibility(page, "people-05-check")
    page.get_by_role("button", name="Create record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jordan Whitfeld")
    expect(page.get_by_text("Record created for Jordan Whitfeld")).to_be_visible()

    # Jordan Whitfield's household moves: her mother goes too, her father stays.
    page.goto(f"/children/{jordan.pk}/")
    page.get_by_role("link", name="Record a move").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a move to a new address")
    page.get_by_label("Address line 1").fill("3 Mill Lane")
    page.get_by_label("Town or city").fill("Nottingham")
    page.get_by_label("Postcode").fill("NG7 1AA")
    moved = page.get_by_role("group", name="Date they moved to the new address")
    moved.get_by_label("Day").fill("10")
    moved.get_by_label("Month").fill("3")
    moved.get_by_label("Year").fill("2025")
    page.get_by_role("checkbox", name="Kerry Whitfield").check()
    screenshot(page, "people-06-move")
    check_accessibility(page, "people-06-move")
    page.get_by_role("button", name="Save new address").click()
    expect(page.get_by_text("New address recorded for Jordan Whitfield and 1 other in the household")).to_be_visible()
    expect(page.locator(".govuk-summary-card", has=page.get_by_role("heading", name="Address"))).to_contain_text(
        "3 Mill Lane")
    screenshot(page, "people-07-moved")
    check_accessibility(page, "people-07-moved")

    page.goto(f"/children/{jordan.pk}/professionals/")
    check_accessibility(page, "people-08-professionals")
    page.get_by_role("button", name="Add a professional").click()
    page.get_by_role("button", name="Add professional").click()
    expect(page.locator("#id_role-error")).to_contain_text("Choose their role")
    check_accessibility(page, "people-09-professional-error")
