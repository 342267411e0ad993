"""Case note bodies: only a small, inert subset of HTML survives, whatever is sent."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.chronology.services import note_plain_text, note_summary, sanitise_note_html


def test_script_event_handlers_and_javascript_links_are_removed():
    dirty = (
        '<p onclick="steal()">Visit <strong style="color:red">went well</strong></p>'
        "<script>alert('x')</script>"
        '<a href="javascript:alert(1)">click</a> <a href="https://example.org/x" target="_blank">policy</a>'
        '<img src=x onerror="alert(1)"><iframe src="https://evil.example"></iframe>'
    )
    clean = sanitise_note_html(dirty)
    assert "script" not in clean and "alert" not in clean
    assert "onclick" not in clean and "onerror" not in clean and "style" not in clean
    assert "javascript:" not in clean and "<img" not in clean and "<iframe" not in clean
    assert "<strong>went well</strong>" in clean
    assert '<a href="https://example.org/x" rel="noopener noreferrer">policy</a>' in clean
    assert 'target' not in clean


def test_editor_markup_becomes_the_stored_tags():
    clean = sanitise_note_html("<div>Line one</div><div><b>Bold</b> and <i>italic</i></div><br>")
    assert clean.startswith("<p>Line one</p><p><strong>Bold</strong> and <em>italic</em></p>")


def test_lists_and_headings_are_kept():
    body = "<h3>Actions</h3><ul><li>Visit <em>weekly</em></li></ul><ol><li>Refer to CAMHS</li></ol>"
    assert sanitise_note_html(body) == body


def test_plain_text_keeps_its_paragraphs_and_line_breaks():
    typed = "First paragraph\nsecond line\n\nSecond paragraph with a < b & c"
    assert sanitise_note_html(typed) == (
        "<p>First paragraph<br>second line</p><p>Second paragraph with a &lt; b &amp; c</p>"
    )


def test_empty_paragraphs_are_dropped():
    assert sanitise_note_html("<p><br></p><p>  </p>") == ""
    assert sanitise_note_html("   ") == ""


def test_plain_text_summary_for_the_chronology_line():
    body = "<p>Saw <strong>Jordan</strong> &amp; mum.</p><ul><li>School</li><li>GP</li></ul>"
    assert note_plain_text(body) == "Saw Jordan & mum. • School • GP"
    long = "<p>" + "word " * 200 + "</p>"
    summary = note_summary(long)
    assert len(summary) <= 300 and summary.endswith("…") and not summary.endswith(" …")


fragments = st.sampled_from([
    "<script>alert(1)</script>", "<p onclick='x()'>", "</p>", '<a href="javascript:alert(1)">', "</a>",
    '<img src=x onerror=alert(1)>', "<style>p{}</style>", '<a href="JaVaScRiPt:evil()">', "<svg onload=x()>",
    "<b>", "</b>", "<div>", "<ul><li>", "</li></ul>", "&lt;script&gt;", "<!-- <script> -->", "<",
    '<a href=" javascript:x">', "<iframe src=//e>", '<p style="x">', "text", " ", "\n\n",
])


@settings(max_examples=400)
@given(st.lists(st.one_of(fragments, st.text(max_size=12)), max_size=25))
def test_nothing_active_survives_any_input(parts):
    clean = sanitise_note_html("".join(parts))
    lowered = clean.lower()
    assert "<script" not in lowered and "<style" not in lowered and "<iframe" not in lowered
    assert "<img" not in lowered and "<svg" not in lowered
    assert not re.search(r"<[^>]*\son\w+\s*=", lowered)
    assert not re.search(r'<a[^>]*href="\s*javascript:', lowered)  # escaped text of a tag is inert
    # Every tag left is one a note may hold.
    assert set(re.findall(r"</?([a-z0-9]+)", lowered)) <= {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3"}
    # Cleaning what was cleaned changes nothing: a saved note reads back the same.
    assert sanitise_note_html(clean) == clean
