"""SSDA903 rules on OC2 and OC3 (group D)."""

from __future__ import annotations

# Rules of this group not implemented, and why (shown on the returns page and in the README).
NOT_IMPLEMENTED: dict[str, str] = {}
