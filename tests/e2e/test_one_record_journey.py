"""Issue 3's journey end to end, as a team manager walks it: search a child by a misspelt name, find
the family view, add a case note, see it in the chronology, review and merge a duplicate pair, undo it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from hearth.matching.models import Merge
from hearth.matching.services import linkage_run
from hearth.people.services import relationship_add
from tests.e2e.conftest import World, check_accessibility, fill_date, screenshot, sign_in
from tests.factories import make_person
from tests.matching.factories import make_address


def test_search_family_case_note_chronology_merge_and_undo(page, world: World):
    amelia = make_person(world.la, first_name="Amelia", last_name="Whitfield", date_of_birth=date(2014, 5, 17))
    second = make_person(world.la, first_name="Amelia", last_name="Whitfeild", date_of_birth=date(2014, 5, 17))
    mother = make_person(world.la, first_name="Kerry", last_name="Whitfield", date_of_birth=date(1988, 2, 9))
    for person in (amelia, second, mother):
        make_address(person, "NG5 1AB")
    relationship_add(person=mother, relative=amelia, kind="parent", parental_responsibility=True, by="test")
    linkage_run(local_authority=world.la, by="test")
    sign_in(page, world.manager_a.username)

    # 1. Search with a misspelt name.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find a child").click()
    page.get_by_label("Search for a child or adult", exact=True).fill("Amelia Witfield")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="Amelia Whitfield", exact=True)).to_be_visible()
    screenshot(page, "journey-01-search")
    check_accessibility(page, "journey-01-search")
    results.get_by_role("link", name="Amelia Whitfield", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amelia Whitfield")

    # 2. The family view: drawing and table.
    record_nav = page.get_by_role("navigation", name="Amelia Whitfield's record")
    record_nav.get_by_role("link", name="Family").click()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_role("table").get_by_role("link", name="Kerry Whitfield", exact=True)).to_be_visible()
    screenshot(page, "journey-02-family")
    check_accessibility(page, "journey-02-family")

    # 3. A case note, then the chronology shows it.
    page.get_by_role("navigation", name="Amelia Whitfield's record").get_by_role("link", name="Chronology").click()
    page.get_by_role("button", name="Add a case note").or_(page.get_by_role("link", name="Add a case note")).click()
    fill_date(page, re.compile("^Date$"), timezone.localdate() - timedelta(days=1))  # 10:15 today may not have come yet
    page.get_by_label("Time").fill("10:15")
    page.get_by_label("Title").fill("Home visit: Amelia seen alone")
    expect(page.get_by_role("toolbar", name="Text formatting")).to_be_visible()
    editor = page.get_by_role("textbox", name="Case note")
    editor.click()
    page.keyboard.type("Amelia showed me her room and said she feels safe at home.")
    page.get_by_role("button", name="Save case note").click()
    expect(page.get_by_role("heading", name="Home visit: Amelia seen alone")).to_be_visible()
    screenshot(page, "journey-03-chronology")
    check_accessibility(page, "journey-03-chronology")

    # 4. Review the duplicate pair and merge it.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Duplicates").click()
    page.get_by_role("link", name=re.compile("Review")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are these the same person?")
    screenshot(page, "journey-04-pair")
    check_accessibility(page, "journey-04-pair")
    page.get_by_role("button", name="Merge these records").click()
    reason = page.get_by_label("Why are these records the same person?")
    reason.fill("Same child: surname misspelt on the second record")
    page.get_by_label(re.compile(f"Keep record {amelia.hearth_id}")).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Merge records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Records merged")
    screenshot(page, "journey-05-merged")
    check_accessibility(page, "journey-05-merged")

    # The merged record now leads to the survivor, whose chronology keeps the case note.
    page.goto(f"/children/{second.pk}/")
    expect(page).to_have_url(re.compile(rf"/children/{amelia.pk}/$"))
    page.goto(f"/children/{amelia.pk}/chronology/")
    expect(page.get_by_role("heading", name="Home visit: Amelia seen alone")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Record {second.hearth_id} merged into this record")).to_be_visible()

    # 5. Undo it: the two records are separate again.
    page.goto("/duplicates/merges/")
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("button", name="Undo this merge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge undone")
    screenshot(page, "journey-06-undone")
    check_accessibility(page, "journey-06-undone")
    assert Merge.objects.get().undone_at is not None
    page.goto(f"/children/{second.pk}/")
    expect(page).to_have_url(re.compile(rf"/children/{second.pk}/$"))
