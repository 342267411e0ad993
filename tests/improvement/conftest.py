"""Fixtures for the improvement plan's tests: ``w``, a small council with a plan (tests.improvement.plan_world),
with the council's today fixed at 23 November 2026."""

from tests.improvement.plan_world import plan_today, w  # noqa: F401
