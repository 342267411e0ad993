"""CIN census rules (cin_rules_2025_26.tsv)."""

from __future__ import annotations

# Rules of this group not implemented, and why (shown on the returns page and in the README).
NOT_IMPLEMENTED: dict[str, str] = {}
