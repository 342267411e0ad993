"""SSDA903 rules on Missing, UASC, social-worker episodes, DoLOs and the INT consistency checks (group A)."""

from __future__ import annotations

# Rules of this group not implemented, and why (shown on the returns page and in the README).
NOT_IMPLEMENTED: dict[str, str] = {}
