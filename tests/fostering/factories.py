"""Builders for fostering tests: every step through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.care.models import PeriodOfCare, Placement
from hearth.fostering import services
from hearth.fostering.models import CareType, FosterHousehold, ProspectiveAdopter
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_team, make_user

H = FosterHousehold


def make_fostering_worker(la: LocalAuthority, team: Team | None = None, **extra: Any) -> User:
    if team is None:
        team = Team.objects.filter(local_authority=la, kind=Team.Kind.FOSTERING).first() or make_team(
            la, "Fostering", kind=Team.Kind.FOSTERING)
    return make_user(la, Role.FOSTERING_WORKER, team, **extra)


def enquiry(la: LocalAuthority, by: Any, on: date, name: str = "Patel household", **extra: Any) -> FosterHousehold:
    values: dict[str, Any] = {
        "source": "website", "kind": H.Kind.MAINSTREAM, "postcode": "NG7 2RD",
        "applicants": [{"first_name": "Asha", "last_name": "Patel"}, {"first_name": "Ravi", "last_name": "Patel"}],
    }
    values.update(extra)
    return services.foster_enquiry_record(local_authority=la, name=name, enquiry_on=on, by=by, **values)


ALL_CHECKS = [c.value for c in services.REQUIRED_CHECKS]


def to_panel(household: FosterHousehold, by: User, start: date, gap: int = 7) -> FosterHousehold:
    """Walk a household from enquiry to a panel recommending approval, one step every ``gap`` days."""
    d = [start + timedelta(days=gap * i) for i in range(1, 7)]
    services.foster_initial_visit_record(household=household, visited_on=d[0], worker=by,
                                         recommendation=H.Recommendation.PROCEED, by=by)
    services.foster_stage_1_start(household=household, started_on=d[1], by=by)
    services.foster_stage_1_end(household=household, ended_on=d[2], checks=ALL_CHECKS,
                                outcome=H.Stage1Outcome.PROCEED, by=by)
    services.foster_stage_2_start(household=household, started_on=d[3], assessing_worker=by, by=by)
    services.foster_form_f_complete(household=household, completed_on=d[4], by=by)
    services.foster_panel_record(household=household, panel_on=d[5], recommendation=H.PanelRecommendation.APPROVE,
                                 terms="Two children aged 0 to 10, short and long term", by=by)
    return household


def approved_household(la: LocalAuthority, by: User, *, enquiry_on: date, name: str = "Patel household",
                       places: int = 2, age_from: int = 0, age_to: int = 10,
                       care_types: list[str] | None = None, postcode: str = "NG7 2RD", gap: int = 7
                       ) -> FosterHousehold:
    household = to_panel(enquiry(la, by, enquiry_on, name=name, postcode=postcode), by, enquiry_on, gap)
    assert household.panel_on is not None
    return services.foster_decision_record(
        household=household, decided_on=household.panel_on + timedelta(days=gap), decision=H.Decision.APPROVE,
        places=places, age_from=age_from, age_to=age_to,
        care_types=care_types or [CareType.SHORT_TERM, CareType.LONG_TERM], supervising_worker=by, by=by)


def place_child(child: Person, household: FosterHousehold, on: date) -> Placement:
    """A child living with the household (the care pages' work, built directly here)."""
    with acting_as("test"):
        period = PeriodOfCare(local_authority_id=child.local_authority_id, child=child, started_on=on,
                              category_of_need="N1")
        period.save()
        placement = Placement(local_authority_id=child.local_authority_id, child=child, period=period,
                              placement_type="U6", provider="PR1", foster_household=household, started_on=on)
        placement.save()
    return placement


def adopter_enquiry(la: LocalAuthority, by: Any, on: date, name: str = "Okoro family", **extra: Any
                    ) -> ProspectiveAdopter:
    values: dict[str, Any] = {
        "source": "event",
        "applicants": [{"first_name": "Tola", "last_name": "Okoro", "gender": "female", "ethnicity": "BAFR",
                        "disability": "no"},
                       {"first_name": "Dan", "last_name": "Okoro", "gender": "male", "ethnicity": "WBRI",
                        "disability": "no"}],
    }
    values.update(extra)
    return services.adopter_enquiry_record(local_authority=la, name=name, enquiry_on=on, by=by, **values)
