"""Printing a page of a child's record as a PDF: one way, for every app that prints."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse


def pdf_document(html: str) -> tuple[bytes, int]:
    """Print ``html`` with WeasyPrint: the PDF and its number of pages.

    Nothing is fetched while printing (no request back to this server or elsewhere, no local
    file): templates carry their styles inline and images as ``data:`` URLs.
    """
    import weasyprint  # heavy: loaded only when someone prints

    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher).render()
    return document.write_pdf(), len(document.pages)


def pdf_response(html: str, *, filename: str) -> HttpResponse:
    """Render ``html`` (as ``pdf_document``) and return it inline, never cached."""
    document, _ = pdf_document(html)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def pdf_filename(kind: str, hearth_id: str, printed_at: datetime) -> str:
    return f"{kind}-{hearth_id}-{printed_at:%Y-%m-%d}.pdf"
