"""The chronology as a PDF: A4, marked OFFICIAL-SENSITIVE, filtered like the page, and logged as a print."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
import weasyprint

from hearth.access.models import AccessEvent
from hearth.chronology.models import EventType
from tests.conftest import client_for
from tests.factories import make_person

from .factories import at, make_event, make_note

REAL_HTML = weasyprint.HTML


class SpyHTML:
    """weasyprint.HTML, keeping the markup it was given so the test can read it."""

    seen: list[str] = []

    def __init__(self, *, string: str, url_fetcher: object) -> None:
        SpyHTML.seen.append(string)
        self._html = REAL_HTML(string=string, url_fetcher=url_fetcher)

    def render(self) -> Any:
        return self._html.render()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    SpyHTML.seen = []
    monkeypatch.setattr(weasyprint, "HTML", SpyHTML)
    return SpyHTML.seen


def pdf_text(data: bytes, tmp_path: Any) -> str:
    path = tmp_path / "chronology.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_pdf_is_a_pdf_and_is_logged_as_a_print(la, social_worker, spy):
    child = make_person(la, first_name="Jordan", last_name="O'Brien")
    make_event(child, title="Initial contact", event_type=EventType.CONTACT)
    response = client_for(social_worker).get(f"/children/{child.pk}/chronology/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith(f'inline; filename="chronology-{child.hearth_id}-')
    assert "no-store" in response["Cache-Control"]
    assert AccessEvent.objects.filter(person=child, user=social_worker, action="print").count() == 1
    assert not AccessEvent.objects.filter(person=child, action="view").exists()
    html = spy[0]
    assert "OFFICIAL-SENSITIVE" in html and "Initial contact" in html and "Jordan O&#x27;Brien" in html
    # Names in the running header are CSS-escaped, so an apostrophe cannot end the string early.
    assert 'content: "Chronology: Jordan O\\27 Brien' in html
    assert "A4" in html and "counter(pages)" in html and "Liberation Sans" in html


def test_the_pdf_follows_the_filters(la, social_worker, spy):
    child = make_person(la)
    make_event(child, title="Routine visit", significant=False)
    make_note(child, social_worker, title="Disclosure at school", significant=True)
    client_for(social_worker).get(f"/children/{child.pk}/chronology/pdf/", {"significant": "true"})
    html = spy[0]
    assert "Disclosure at school" in html and "Routine visit" not in html and "Significant events only" in html


def test_a_long_chronology_runs_over_pages(la, social_worker, spy):
    child = make_person(la)
    for day in range(1, 29):
        make_event(child, title=f"Visit {day}", occurred=at(2025, 2, day), summary="A long account. " * 12)
    client_for(social_worker).get(f"/children/{child.pk}/chronology/pdf/")
    document = REAL_HTML(string=spy[0]).render()
    assert len(document.pages) > 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_printed_text(la, social_worker, tmp_path):
    child = make_person(la, first_name="Jordan", last_name="Whitfield")
    for day in range(1, 29):
        make_event(child, title=f"Visit number {day}", occurred=at(2025, 2, day), summary="Seen alone. " * 15)
    response = client_for(social_worker).get(f"/children/{child.pk}/chronology/pdf/")
    text = pdf_text(response.content, tmp_path)
    assert "Chronology: Jordan Whitfield" in text and f"Hearth ID {child.hearth_id}"[:9] in text
    assert text.count("OFFICIAL-SENSITIVE") >= 4  # top and bottom of every page
    assert "Page 1 of" in text and "Page 2 of" in text
    assert f"Printed by {social_worker.get_full_name()}" in text
    assert "Visit number 28" in text and "Visit number 1" in text


def test_a_very_long_chronology_says_what_it_left_out(la, social_worker, spy, monkeypatch):
    from hearth.chronology import views

    monkeypatch.setattr(views, "PDF_MAX_EVENTS", 3)
    child = make_person(la)
    for day in range(1, 6):
        make_event(child, title=f"Visit day {day:02d}", occurred=at(2025, 2, day))
    client_for(social_worker).get(f"/children/{child.pk}/chronology/pdf/")
    html = spy[0]
    assert "Only the 3 most recent events are printed" in html
    assert "Visit day 05" in html and "Visit day 03" in html and "Visit day 02" not in html
