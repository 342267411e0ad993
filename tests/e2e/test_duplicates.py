"""Duplicate records, walked as a team manager would: open the queue, review a pair side by side,
merge it, see the surviving record carry both histories, then undo the merge."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils import timezone
from playwright.sync_api import expect

from hearth.audit.actor import acting_as
from hearth.chronology.models import ChronologyEvent, EventType
from hearth.matching.models import Merge
from hearth.matching.services import linkage_run
from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in
from tests.factories import make_person
from tests.matching.factories import make_address


def _history(person, title: str, day: date) -> None:
    with acting_as("test"):
        ChronologyEvent(local_authority=person.local_authority, person=person, event_type=EventType.VISIT,
                        title=title, occurred_at=timezone.make_aware(datetime(day.year, day.month, day.day, 11))
                        ).save()


def test_a_team_manager_merges_a_duplicate_and_undoes_it(page, world: World):
    original = make_person(world.la, first_name="Amelia", last_name="Whitfield", date_of_birth=date(2014, 5, 17))
    duplicate = make_person(world.la, first_name="Amelia", last_name="Whitfeild", date_of_birth=date(2014, 5, 17))
    twin_a = make_person(world.la, first_name="Oliver", last_name="Marsh", date_of_birth=date(2017, 8, 12), sex="M")
    twin_b = make_person(world.la, first_name="Jacob", last_name="Marsh", date_of_birth=date(2017, 8, 12), sex="M")
    for person, postcode in ((original, "NG5 1AB"), (duplicate, "NG5 1AB"), (twin_a, "NG8 2QR"),
                             (twin_b, "NG8 2QR")):
        make_address(person, postcode)
    _history(original, "Home visit: Amelia seen at home", date(2025, 3, 4))
    _history(duplicate, "School visit: Amelia seen at school", date(2025, 6, 10))
    linkage_run(local_authority=world.la, by="test")

    sign_in(page, world.manager_a.username)
    page.goto("/duplicates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicate records")
    expect(page.get_by_text("Last duplicate check")).to_be_visible()
    # The likely pair is listed; the twins are not.
    expect(page.get_by_role("link", name=re.compile("Review"))).to_have_count(1)
    expect(page.get_by_text("Oliver Marsh")).to_have_count(0)
    screenshot(page, "duplicates-01-queue")
    check_accessibility(page, "duplicates-01-queue")

    # Review the pair side by side.
    page.get_by_role("link", name=re.compile("Review")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are these the same person?")
    comparison = page.get_by_role("table", name="How the two records compare")
    last_name_row = comparison.get_by_role("row", name=re.compile("^Last name"))
    expect(last_name_row.get_by_text("Similar")).to_be_visible()
    dob_row = comparison.get_by_role("row", name=re.compile("^Date of birth"))
    expect(dob_row.get_by_text("Same", exact=True)).to_be_visible()
    screenshot(page, "duplicates-02-pair")
    check_accessibility(page, "duplicates-02-pair")

    # Merge: nothing chosen is an error, with what was typed kept.
    page.get_by_role("button", name="Merge these records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge these records")
    reason = page.get_by_label("Why are these records the same person?")
    reason.fill("Same child: the school confirmed the surname was misspelt at the second contact")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert").get_by_role("link", name="Select which record to keep")).to_be_visible()
    expect(reason).to_have_value(re.compile("school confirmed"))
    screenshot(page, "duplicates-03-merge-error")
    check_accessibility(page, "duplicates-03-merge-error")

    page.get_by_label(re.compile(f"Keep record {original.hearth_id}")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before you merge")
    expect(page.get_by_text("Chronology events: 1")).to_be_visible()
    screenshot(page, "duplicates-04-confirm")
    check_accessibility(page, "duplicates-04-confirm")
    page.get_by_role("button", name="Merge records").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Records merged")
    expect(page.get_by_text(f"Records merged: record {duplicate.hearth_id} is now part of record")).to_be_visible()
    screenshot(page, "duplicates-05-merged")
    check_accessibility(page, "duplicates-05-merged")

    # The surviving record carries both histories; the merged record sends visitors to it.
    page.goto(f"/children/{original.pk}/chronology/")
    expect(page.get_by_role("heading", name="Home visit: Amelia seen at home")).to_be_visible()
    expect(page.get_by_role("heading", name="School visit: Amelia seen at school")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Record {duplicate.hearth_id} merged into this record")).to_be_visible()
    screenshot(page, "duplicates-06-survivor-chronology")
    check_accessibility(page, "duplicates-06-survivor-chronology")
    page.goto(f"/children/{duplicate.pk}/")
    expect(page).to_have_url(re.compile(rf"/children/{original.pk}/$"))

    # Undo the merge from the merge history.
    page.goto("/duplicates/merges/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge history")
    screenshot(page, "duplicates-07-history")
    check_accessibility(page, "duplicates-07-history")
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("button", name="Undo this merge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge undone")
    expect(page.get_by_text("are separate again").first).to_be_visible()
    screenshot(page, "duplicates-08-undone")
    check_accessibility(page, "duplicates-08-undone")
    assert Merge.objects.get().undone_at is not None

    page.goto(f"/children/{duplicate.pk}/chronology/")
    expect(page.get_by_role("heading", name="School visit: Amelia seen at school")).to_be_visible()
    expect(page.get_by_role("heading", name="Home visit: Amelia seen at home")).to_have_count(0)

    # The pair is back on the list for review.
    page.goto("/duplicates/")
    expect(page.get_by_role("link", name=re.compile("Review"))).to_have_count(1)
