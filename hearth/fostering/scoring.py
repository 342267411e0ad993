"""How well a vacancy fits a child who needs a placement: a small score anyone can check by hand.

Plain Python. Each fact gives points and a sentence saying why, so the worker sees the reasons and not
only a number: age within the vacancy's range 3, the type of care offered 2, each need the household can
meet 1, enough places (all the siblings together) 2, near by postcode 2 (same district) or 1 (same area).
A fit that fails (age, type of care, a need, places) is marked, and such vacancies list after the others.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from hearth.people.validators import postcode_area, postcode_district

from .models import CareType, Need

AGE_POINTS = 3
CARE_TYPE_POINTS = 2
NEED_POINTS = 1
PLACES_POINTS = 2
DISTRICT_POINTS = 2
AREA_POINTS = 1


@dataclass(frozen=True)
class Reason:
    text: str
    points: int
    fits: bool = True


@dataclass
class Score:
    points: int = 0
    reasons: list[Reason] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return all(r.fits for r in self.reasons)

    @property
    def misfits(self) -> list[Reason]:
        return [r for r in self.reasons if not r.fits]

    def add(self, text: str, points: int = 0, *, fits: bool = True) -> None:
        self.points += points
        self.reasons.append(Reason(text, points, fits))


def max_points(needs: Collection[str]) -> int:
    return AGE_POINTS + CARE_TYPE_POINTS + NEED_POINTS * len(needs) + PLACES_POINTS + DISTRICT_POINTS


def score(*, child_age: int | None, care_type: str, needs: Collection[str], children: int,
          siblings_together: bool, child_postcode: str, age_from: int, age_to: int,
          care_types: Collection[str], vacancy_needs: Collection[str], free_places: int,
          household_postcode: str) -> Score:
    result = Score()
    if child_age is None:
        result.add("Age not known: check the vacancy's age range", 0)
    elif age_from <= child_age <= age_to:
        result.add(f"Age {child_age} is within {age_from} to {age_to}", AGE_POINTS)
    else:
        result.add(f"Age {child_age} is outside {age_from} to {age_to}", 0, fits=False)
    label = CareType(care_type).label if care_type in CareType.values else care_type
    if care_type in care_types:
        result.add(f"Offers {label.lower()} care", CARE_TYPE_POINTS)
    else:
        result.add(f"Does not offer {label.lower()} care", 0, fits=False)
    for need in needs:
        need_label = Need(need).label if need in Need.values else need
        if need in vacancy_needs:
            result.add(f"Can meet the needs of {need_label[0].lower()}{need_label[1:]}", NEED_POINTS)
        else:
            result.add(f"Has not said it can meet the needs of {need_label[0].lower()}{need_label[1:]}", 0,
                       fits=False)
    if free_places >= children:
        together = " (all together)" if children > 1 else ""
        result.add(f"{free_places} free place{'s' if free_places != 1 else ''} for {children} "
                   f"child{'ren' if children != 1 else ''}{together}", PLACES_POINTS)
    elif siblings_together:
        result.add(f"Only {free_places} free place{'s' if free_places != 1 else ''}: the {children} siblings "
                   "could not stay together", 0, fits=False)
    else:
        result.add(f"Only {free_places} free place{'s' if free_places != 1 else ''} for {children} children",
                   0, fits=False)
    child_district, home_district = postcode_district(child_postcode), postcode_district(household_postcode)
    if not child_district or not home_district:
        result.add("No postcode to compare distance", 0)
    elif child_district == home_district:
        result.add(f"Same postcode district ({home_district})", DISTRICT_POINTS)
    elif postcode_area(child_postcode) == postcode_area(household_postcode):
        result.add(f"Same postcode area ({postcode_area(household_postcode)})", AREA_POINTS)
    else:
        result.add(f"Further away ({home_district}, the child is in {child_district})", 0)
    return result
