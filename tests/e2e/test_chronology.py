"""The chronology, walked as a social worker would: open a child, write a case note with bold text
and a list (its draft surviving a closed tab), see it in the chronology, flag it significant, filter
to significant events and print the chronology to PDF."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from hearth.chronology.models import CaseNote, ChronologyEvent
from hearth.workspace.models import FormDraft
from tests.e2e.conftest import World, check_accessibility, fill_date, screenshot, sign_in


def test_a_social_worker_records_a_case_note_and_prints_the_chronology(page, world: World):
    child = world.children[0]
    chronology_url = f"/children/{child.pk}/chronology/"
    sign_in(page, world.worker.username, device=world.device)

    # Open the child, then their chronology.
    page.goto(f"/children/{child.pk}/")
    nav_link = page.get_by_role("navigation", name=re.compile("record")).get_by_role("link", name="Chronology")
    if nav_link.count():
        nav_link.click()
    else:  # the record's navigation is another part of the record; go straight there without it
        page.goto(chronology_url)
    expect(page).to_have_url(re.compile(rf"{chronology_url}$"))
    expect(page.get_by_role("heading", level=2, name="Chronology")).to_be_visible()
    allocation = page.locator(".hearth-chronology__item", has_text="Allocated to Sam Okafor, Safeguarding North")
    expect(allocation).to_be_visible()
    expect(allocation.get_by_text("Allocation", exact=True)).to_be_visible()
    screenshot(page, "chronology-01-chronology")
    check_accessibility(page, "chronology-01-chronology")

    # Write a case note: bold text and a bulleted list, with the keyboard and the toolbar.
    page.get_by_role("button", name="Add a case note").or_(page.get_by_role("link", name="Add a case note")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a case note")
    fill_date(page, re.compile("^Date$"), timezone.localdate() - timedelta(days=1))  # 09:30 today may not have come yet
    page.get_by_label("Time").fill("09:30")
    page.get_by_label("Title").fill("Home visit: Jordan seen alone")
    toolbar = page.get_by_role("toolbar", name="Text formatting")
    expect(toolbar).to_be_visible()  # the editor has replaced the plain textarea
    editor = page.get_by_role("textbox", name="Case note")
    expect(editor).to_have_attribute("contenteditable", "true")
    editor.click()
    page.keyboard.type("Jordan said they feel ")
    page.keyboard.press("Control+B")
    page.keyboard.type("safe at home")
    page.keyboard.press("Control+B")
    page.keyboard.type(" now.")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Bulleted list").click()
    expect(toolbar.get_by_role("button", name="Bulleted list")).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("Showed me their bedroom")
    page.keyboard.press("Enter")
    page.keyboard.type("Ate lunch with mum")
    expect(editor.locator("b, strong")).to_have_text("safe at home")
    expect(editor.locator("ul li")).to_have_count(2)
    # The draft is saved on a pause in typing.
    expect(page.get_by_text(re.compile(r"^Draft saved at \d\d:\d\d$"))).to_be_visible(timeout=8000)
    draft = FormDraft.objects.get(user=world.worker, key=f"case-note-{child.pk}-new")
    assert "<strong>safe at home</strong>" in draft.data["body_html"][0]
    screenshot(page, "chronology-02-case-note")
    check_accessibility(page, "chronology-02-case-note")

    # The tab is closed without saving (a crash): a new tab brings the note back.
    context = page.context
    page.close()
    page = context.new_page()
    page.on("pageerror", lambda error: (_ for _ in ()).throw(AssertionError(str(error))))
    page.goto(f"{chronology_url}notes/new/")
    expect(page.get_by_text("We restored the case note you had not saved")).to_be_visible()
    expect(page.get_by_role("toolbar", name="Text formatting")).to_be_visible()
    editor = page.get_by_role("textbox", name="Case note")
    expect(editor.locator("strong")).to_have_text("safe at home")
    expect(page.get_by_label("Title")).to_have_value("Home visit: Jordan seen alone")
    screenshot(page, "chronology-03-restored")
    check_accessibility(page, "chronology-03-restored")
    page.get_by_role("button", name="Save case note").click()

    # The note is in the chronology, its text summarised on one line.
    expect(page).to_have_url(re.compile(rf"{chronology_url}$"))
    expect(page.get_by_text("Case note added to the chronology")).to_be_visible()
    note_line = page.locator(".hearth-chronology__item", has_text="Home visit: Jordan seen alone")
    expect(note_line).to_contain_text("Jordan said they feel safe at home now. • Showed me their bedroom • Ate lunch")
    expect(note_line).to_contain_text("By Sam Okafor")
    note = CaseNote.objects.get(person=child)
    assert "<strong>safe at home</strong>" in note.body_html and "<li>Ate lunch with mum</li>" in note.body_html
    assert not FormDraft.objects.filter(user=world.worker).exists()

    # Flag it as significant (htmx: the line is swapped in place, focus stays on the button).
    note_line.get_by_role("button", name=re.compile("^Mark as significant")).click()
    expect(note_line.get_by_role("button", name=re.compile("^Remove significant flag"))).to_be_focused(timeout=10000)
    expect(note_line.locator(".hearth-chronology__significant")).to_have_text("★ Significant")
    assert ChronologyEvent.objects.get(source_id=str(note.pk), source_label="chronology.CaseNote").significant

    # Significant events only: the results change without a page load and the address follows.
    page.get_by_label("Significant events only").check()
    expect(page).to_have_url(re.compile(r"significant=true"))
    expect(page.locator("#chronology-announce")).to_have_text("Showing 1 event matching the filters")
    expect(page.get_by_text("Allocated to Sam Okafor, Safeguarding North")).to_have_count(0)
    expect(page.locator(".hearth-chronology__item", has_text="Home visit: Jordan seen alone")).to_be_visible()
    screenshot(page, "chronology-04-significant-only")
    check_accessibility(page, "chronology-04-significant-only")

    # A date that does not exist is explained, and what was typed stays.
    page.get_by_role("group", name="Date from").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Date from").get_by_label("Month").fill("2")
    page.get_by_role("group", name="Date from").get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date from must be a real date")
    expect(page.get_by_role("group", name="Date from").get_by_label("Day")).to_have_value("31")
    expect(page.get_by_label("Significant events only")).to_be_checked()
    screenshot(page, "chronology-05-bad-date")
    check_accessibility(page, "chronology-05-bad-date")
    page.get_by_role("group", name="Date from").get_by_label("Day").fill("28")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#chronology-announce")).to_have_text("Showing 1 event matching the filters")

    # The PDF of what is shown.
    pdf_link = page.get_by_role("link", name=re.compile("^Download these events as a PDF"))
    href = pdf_link.get_attribute("href")
    assert href is not None and "significant=true" in href
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # The note's link opens it for its author to change.
    page.get_by_role("link", name="Home visit: Jordan seen alone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change case note")
    expect(page.get_by_role("textbox", name="Case note").locator("li")).to_have_count(2)
    screenshot(page, "chronology-06-change-note")
    check_accessibility(page, "chronology-06-change-note")
