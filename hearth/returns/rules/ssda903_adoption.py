"""SSDA903 rules on AD1, PlacedAdoption and PrevPerm (group C)."""

from __future__ import annotations

# Rules of this group not implemented, and why (shown on the returns page and in the README).
NOT_IMPLEMENTED: dict[str, str] = {}
