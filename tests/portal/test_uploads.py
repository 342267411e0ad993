from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.portal.uploads import DOCX, JPEG, PDF, PNG, RefusedFile, check_file, safe_display_name, sniff
from tests.portal.factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes


@pytest.mark.parametrize(("content", "kind"), [(PDF_BYTES, PDF), (PNG_BYTES, PNG), (JPEG_BYTES, JPEG),
                                               (docx_bytes(), DOCX), (docx_bytes(macros=True), None),
                                               (b"GIF89a", None), (b"", None)])
def test_sniff_reads_the_content(content, kind):
    assert sniff(io.BytesIO(content)) == kind


@given(st.binary(max_size=64))
def test_random_bytes_are_never_accepted_as_a_document_unless_they_are_one(data):
    kind = sniff(io.BytesIO(data))
    assert kind in (None, PDF, PNG, JPEG)
    if kind is None:
        with pytest.raises(RefusedFile):
            check_file(name="x.pdf", size=max(len(data), 1), stream=io.BytesIO(data))


def test_names_are_made_safe():
    assert safe_display_name("C:\\Users\\dsl\\..\\evil\".pdf") == "evil.pdf"
    assert safe_display_name("../../etc/passwd") == "passwd"
    assert safe_display_name("\x00\x07") == "document"
    assert len(safe_display_name("a" * 500 + ".pdf")) == 200
