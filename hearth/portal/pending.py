"""Files chosen on a referral that had other problems: kept, so the referrer does not choose them again.

They wait in storage under random names, listed in the referrer's own session (so nobody else can
claim them), until the referral is sent or the referrer starts a new one.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from .services import Document, pending_name
from .uploads import safe_display_name

SESSION_KEY = "portal_pending_documents"


def pending_list(session: SessionBase) -> dict[str, dict[str, Any]]:
    value = session.get(SESSION_KEY) or {}
    return dict(value) if isinstance(value, dict) else {}


def pending_add(session: SessionBase, uploads: list[UploadedFile]) -> None:
    kept = pending_list(session)
    for upload in uploads:
        upload.seek(0)
        path = default_storage.save(pending_name(upload.name or ""), File(upload))
        kept[secrets.token_urlsafe(12)] = {
            "path": path, "name": safe_display_name(upload.name or ""), "size": upload.size or 0,
        }
    session[SESSION_KEY] = kept


def pending_keep_only(session: SessionBase, tokens: list[str]) -> dict[str, dict[str, Any]]:
    """Drop the files the referrer unticked; returns those still kept."""
    kept = pending_list(session)
    for token in [t for t in kept if t not in tokens]:
        default_storage.delete(kept.pop(token)["path"])
    session[SESSION_KEY] = kept
    return kept


def pending_documents(kept: dict[str, dict[str, Any]]) -> list[Document]:
    documents = []
    for item in kept.values():
        if default_storage.exists(item["path"]):
            documents.append(Document(name=item["name"], size=item["size"], stream=default_storage.open(item["path"])))
    return documents


def pending_clear(session: SessionBase) -> None:
    for item in pending_list(session).values():
        default_storage.delete(item["path"])
    session.pop(SESSION_KEY, None)
