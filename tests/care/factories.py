"""Builders for children in care. Every write goes through hearth.care.services."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from hearth.audit.actor import acting_as
from hearth.care import services
from hearth.care.models import PeriodOfCare
from hearth.fostering.models import FosterHousehold
from hearth.people.models import Person
from hearth.people.services import address_move
from hearth.tenancy.models import LocalAuthority

_seq = itertools.count(1)

FOSTER = {"placement_type": "U6", "provider": "PR1", "carer_name": "Ash household", "postcode": "NG7 2AA",
          "urn": "SC123456"}
HOME = {"placement_type": "K2", "provider": "PR4", "carer_name": "Oak House", "postcode": "DE1 1AA",
        "urn": "SC654321"}


def make_household(la: LocalAuthority, name: str = "", *, stage: str = FosterHousehold.Stage.APPROVED,
                   postcode: str = "NG5 1AA", places: int = 3) -> FosterHousehold:
    n = next(_seq)
    with acting_as("test"):
        household = FosterHousehold(local_authority=la, reference=f"FH{n:05d}", name=name or f"Household {n}",
                                    postcode=postcode, stage=stage, enquiry_on=date(2020, 1, 1),
                                    approved_on=date(2020, 6, 1) if stage == FosterHousehold.Stage.APPROVED else None,
                                    approved_places=places if stage == FosterHousehold.Stage.APPROVED else None)
        household.save()
    return household


def give_address(child: Person, postcode: str = "NG1 1AA") -> None:
    address_move(person=child, line_1="1 Home Street", town="Nottingham", postcode=postcode, by="test",
                 moved_in_on=date(2016, 1, 1))


def start_care(child: Person, *, on: date = date(2024, 5, 1), by: Any = "test", legal_status: str = "V2",
               category_of_need: str = "N1", referral_source: str | None = "6", **placement: Any) -> PeriodOfCare:
    details = {**FOSTER, **placement}
    return services.period_of_care_start(
        child=child, started_on=on, legal_status=legal_status, category_of_need=category_of_need,
        referral_source=referral_source, previous_permanence="Z1", by=by, **details,
    )
