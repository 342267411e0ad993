"""Printing a page of a child's record as a PDF: one way, for every app that prints."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse


def pdf_response(html: str, *, filename: str) -> HttpResponse:
    """Render ``html`` with WeasyPrint and return it inline, never cached.

    Nothing is fetched while printing (no request back to this server or elsewhere, no local
    file): templates carry their styles inline and images as ``data:`` URLs.
    """
    import weasyprint  # heavy: loaded only when someone prints

    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def pdf_filename(kind: str, hearth_id: str, printed_at: datetime) -> str:
    return f"{kind}-{hearth_id}-{printed_at:%Y-%m-%d}.pdf"
