"""SSDA903 rules on Header, Reviews and the episodes they are checked against (group A2)."""

from __future__ import annotations

# Rules of this group not implemented, and why (shown on the returns page and in the README).
NOT_IMPLEMENTED: dict[str, str] = {}
