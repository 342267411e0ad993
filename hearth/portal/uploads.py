"""What a referrer may attach: checked by what the file really is, not by its name or declared type."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
ACCEPTED_TYPES_TEXT = "a PDF, Word document (DOCX), JPG or PNG"
# For the file chooser only; the server never trusts it.
ACCEPT_ATTRIBUTE = ".pdf,.docx,.jpg,.jpeg,.png"

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class FileKind:
    mime: str
    extension: str


PDF = FileKind("application/pdf", ".pdf")
DOCX = FileKind(DOCX_MIME, ".docx")
JPEG = FileKind("image/jpeg", ".jpg")
PNG = FileKind("image/png", ".png")

# The extensions a name may carry for each kind.
_EXTENSIONS = {".pdf": PDF, ".docx": DOCX, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}


class RefusedFile(ValueError):
    """A file we will not keep, with the message to show next to the field."""


def _is_docx(stream: IO[bytes]) -> bool:
    # A Word document is a zip package with a main document part and no macros.
    try:
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names and "word/vbaProject.bin" not in names


def sniff(stream: IO[bytes]) -> FileKind | None:
    """The kind of file these bytes are, from their content; None if not one we accept."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    kind: FileKind | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"PK\x03\x04"):
        kind = DOCX if _is_docx(stream) else None
    stream.seek(0)
    return kind


def check_file(*, name: str, size: int, stream: IO[bytes]) -> FileKind:
    """The file's real kind, or RefusedFile with a GOV.UK message naming it."""
    shown = PurePath(name).name[:100] or "The selected file"
    if size == 0:
        raise RefusedFile(f"{shown} is empty")
    if size > MAX_FILE_BYTES:
        raise RefusedFile(f"{shown} must be smaller than 10MB")
    claimed = _EXTENSIONS.get(PurePath(name).suffix.lower())
    actual = sniff(stream)
    # Both the name and the content must agree: a renamed program is not a PDF.
    if claimed is None or actual is None or claimed != actual:
        raise RefusedFile(f"{shown} must be {ACCEPTED_TYPES_TEXT}")
    return actual


def safe_display_name(name: str) -> str:
    """The name to show and to offer on download: no folders, no control characters, at most 200 characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')
    return cleaned.strip()[:200] or "document"
