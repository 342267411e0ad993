"""Builders for children-in-need test data, through the services wherever a service exists."""

from __future__ import annotations

from datetime import date
from typing import Any

from hearth.audit.actor import acting_as
from hearth.cin import services
from hearth.cin.models import Assessment, CINEpisode
from hearth.people.models import Person


def open_episode(child: Person, on: date = date(2025, 3, 3), source: str = "2A", by: Any = "test",
                 **extra: Any) -> CINEpisode:
    return services.cin_episode_open(child=child, referral_date=on, referral_source=source, by=by, **extra)


def closed_episode(child: Person, on: date, closed_on: date | None = None) -> CINEpisode:
    episode = open_episode(child, on)
    return services.episode_close(episode=episode, closed_on=closed_on or on, reason="RC7", by="test")


def ready_assessment(episode: CINEpisode, started_on: date, seen_on: date, by: Any = "test") -> Assessment:
    """An assessment with everything needed for submission recorded."""
    assessment = services.assessment_start(episode=episode, started_on=started_on, by=by)
    services.assessment_child_seen_record(assessment=assessment, seen_on=seen_on, seen_alone=True, by=by)
    services.assessment_section_save(assessment=assessment, section="analysis", text="Needs are met at home", by=by)
    services.assessment_section_save(assessment=assessment, section="recommendation", text="Close", by=by)
    services.assessment_conclusion_record(assessment=assessment, factors=["21"], outcome="nfa", by=by)
    return assessment


def submitted_assessment(episode: CINEpisode, started_on: date, seen_on: date, by: Any = "test") -> Assessment:
    assessment = ready_assessment(episode, started_on, seen_on, by=by)
    return services.assessment_submit(assessment=assessment, submitted_on=seen_on, by=by)


def cp_plan(child: Person, episode: CINEpisode, started_on: date, ended_on: date | None = None,
            category: str = "NEG", previous_plans: int = 0) -> Any:
    # The protection services are another app's; a bare plan row is enough to test the overlap rule.
    from hearth.protection.models import ChildProtectionPlan

    with acting_as("test"):
        plan = ChildProtectionPlan(local_authority_id=child.local_authority_id, child=child, episode=episode,
                                   started_on=started_on, ended_on=ended_on, initial_category=category,
                                   latest_category=category, previous_plans=previous_plans,
                                   end_reason="step_down_cin" if ended_on else "")
        plan.save()
    return plan
