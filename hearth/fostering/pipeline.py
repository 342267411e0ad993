"""The order of the steps of the fostering and adoption pipelines, and the one rule about their dates.

Plain Python (no database): a step's date is today or earlier, every step before it that must happen
has happened, and its date is neither before an earlier step nor after a later one. Both pipelines and
their property test use this one function.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from hearth.workspace.dates import long_date


@dataclass(frozen=True)
class Step:
    field: str
    # As it reads in a sentence: "the initial visit".
    label: str
    optional: bool = False


FOSTERING_STEPS: tuple[Step, ...] = (
    Step("enquiry_on", "the enquiry"),
    Step("initial_visit_on", "the initial visit"),
    Step("stage_1_started_on", "the start of stage 1"),
    Step("stage_1_ended_on", "the end of stage 1"),
    Step("stage_2_started_on", "the start of stage 2"),
    Step("form_f_completed_on", "the completion of the Form F assessment"),
    Step("panel_on", "the fostering panel"),
    Step("qualifying_determination_on", "the qualifying determination", optional=True),
    Step("decided_on", "the agency decision"),
)

ADOPTION_STEPS: tuple[Step, ...] = (
    Step("enquiry_on", "the enquiry"),
    Step("registered_on", "the registration of interest"),
    Step("stage_1_started_on", "the start of stage 1"),
    Step("stage_1_ended_on", "the end of stage 1"),
    # The application is the notice that the adopters wish to go on to stage 2, which starts when it
    # is received (Adoption Agencies Regulations 2005 as amended in 2013).
    Step("application_submitted_on", "the application"),
    Step("stage_2_started_on", "the start of stage 2"),
    Step("stage_2_ended_on", "the end of stage 2"),
    Step("panel_on", "the adoption panel"),
    Step("approved_on", "the approval"),
    Step("matched_on", "the match"),
    Step("placed_on", "the placement"),
    Step("adoption_order_on", "the adoption order"),
)


def _sentence(label: str) -> str:
    return label[0].upper() + label[1:]


def step_refusal(steps: Sequence[Step], recorded: Mapping[str, date | None], field: str, on: date, *,
                 today: date) -> str | None:
    """Why ``on`` cannot be the date of the step ``field``, or None if it can."""
    index = next(i for i, s in enumerate(steps) if s.field == field)
    step = steps[index]
    if on > today:
        return f"The date of {step.label} must be today or in the past"
    for earlier in steps[:index]:
        if recorded.get(earlier.field) is None and not earlier.optional:
            return f"Record {earlier.label} before {step.label}"
    earlier_dates = [(recorded[s.field], s) for s in steps[:index] if recorded.get(s.field) is not None]
    if earlier_dates:
        latest, before = max(earlier_dates, key=lambda pair: pair[0])  # type: ignore[arg-type,return-value]
        assert latest is not None
        if on < latest:
            return f"{_sentence(step.label)} cannot be before {before.label} ({long_date(latest)})"
    later_dates = [(recorded[s.field], s) for s in steps[index + 1:] if recorded.get(s.field) is not None]
    if later_dates:
        earliest, after = min(later_dates, key=lambda pair: pair[0])  # type: ignore[arg-type,return-value]
        assert earliest is not None
        if on > earliest:
            return f"{_sentence(step.label)} cannot be after {after.label} ({long_date(earliest)})"
    return None


def recorded_dates(obj: object, steps: Sequence[Step]) -> dict[str, date | None]:
    return {s.field: getattr(obj, s.field) for s in steps}
