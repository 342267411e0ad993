"""A merge of two records must not leave one child with two periods of care at the same time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hearth.matching.checks import merge_check

from .models import PeriodOfCare

if TYPE_CHECKING:
    from hearth.people.models import Person


@merge_check
def overlapping_periods_of_care(*, survivor: Person, merged: Person, by: Any) -> str | None:
    ours = list(PeriodOfCare.objects.filter(child=survivor))
    for theirs in PeriodOfCare.objects.filter(child=merged):
        for mine in ours:
            # The end day is not in care, so a period may start the day another ended.
            if (mine.ended_on is None or theirs.started_on < mine.ended_on) and (
                theirs.ended_on is None or mine.started_on < theirs.ended_on
            ):
                return (f"Both records have a period of care at the same time (from {mine.started_on:%-d %B %Y} "
                        f"and from {theirs.started_on:%-d %B %Y}). A child is looked after once: end or correct "
                        "the wrong period first.")
    return None
