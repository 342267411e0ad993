"""Small display helpers for the case audit pages."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.case_audits.models import Grade

register = template.Library()

COLOURS = {
    Grade.OUTSTANDING: "green",
    Grade.GOOD: "turquoise",
    Grade.REQUIRES_IMPROVEMENT: "yellow",
    Grade.INADEQUATE: "red",
}


@register.filter
def grade_label(value: str) -> str:
    return str(Grade(value).label) if value in Grade.values else "Not graded"


@register.filter
def grade_colour(value: str) -> str:
    return COLOURS.get(value, "grey")  # type: ignore[call-overload]


@register.filter
def item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def percent(value: float | None) -> str:
    """A percentage as pages show it: whole numbers, "none" when there is nothing to divide."""
    return "none" if value is None else f"{value:.0f}%"


SECTIONS = {
    "index": "index",
    "mine": "mine", "audit": "mine", "audit_edit": "mine", "moderate": "mine", "action_new": "mine",
    "rounds": "rounds", "round": "rounds", "round_new": "rounds",
    "themes": "themes",
    "actions": "actions", "my_actions": "actions", "action_complete": "actions",
    "practice_weeks": "practice_weeks", "practice_week": "practice_weeks", "practice_week_new": "practice_weeks",
    "practice_week_summary": "practice_weeks", "practice_week_team_summary": "practice_weeks",
    "templates": "templates", "template": "templates", "template_revise": "templates",
}


@register.filter
def nav_section(url_name: str | None) -> str:
    """Which of the case audit links a page sits under (by its URL name)."""
    return SECTIONS.get(url_name or "", "")
