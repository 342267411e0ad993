"""SSDA903 rules on Episodes, codes 141 to 383 (group B1)."""

from __future__ import annotations

# Rules of this group not implemented, and why (shown on the returns page and in the README).
NOT_IMPLEMENTED: dict[str, str] = {}
