from __future__ import annotations

from datetime import date

import pytest

from hearth.people.models import Person
from hearth.search.services import name_keys_rebuild
from tests.factories import make_person
from tests.search.factories import add_address, add_other_name


class Town:
    """A handful of people with names chosen to exercise each kind of match."""

    def __init__(self, la) -> None:
        self.la = la
        p = lambda first, last, born, **extra: make_person(la, first_name=first, last_name=last,  # noqa: E731
                                                           date_of_birth=born, **extra)
        self.jordan = p("Jordan", "Smith", date(2015, 3, 27), nhs_number="9434765919", upn="X801200000001")
        self.jordon = p("Jordon", "Smyth", date(2014, 6, 2))
        self.katherine = p("Katherine", "O'Neil-Smith", date(2012, 1, 9), preferred_name="Kate")
        self.catherine = p("Catherine", "Oneil", date(2011, 5, 5))
        self.mohammed = p("Mohammed", "Khan", date(2016, 11, 30))
        self.muhammad = p("Muhammad", "Khan", date(2017, 4, 3))
        self.william = p("William", "Brown", date(2013, 7, 21))
        self.aisha = p("Ayesha", "Begum", date(2018, 2, 14))
        self.jordana = p("Jordana", "Hale", date(2010, 10, 10))
        self.leah = p("Leah", "Baker", date(2015, 3, 1))
        add_other_name(self.leah, last_name="Fletcher")
        add_address(self.jordan, "NG2 3NG", moved_in_on=date(2020, 1, 1))
        add_address(self.jordon, "NG2 3NG", moved_in_on=date(2016, 1, 1), moved_out_on=date(2019, 1, 1))
        add_address(self.jordon, "NG7 1AA", moved_in_on=date(2019, 1, 1))
        self.restricted = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Jordan", last_name="Smith",
                                      date_of_birth=date(2015, 3, 27))
        self.sealed = make_person(la, Person.AccessLevel.SEALED, first_name="Jordan", last_name="Smith",
                                  date_of_birth=date(2015, 3, 27))
        name_keys_rebuild(local_authority=la)


@pytest.fixture
def town(la) -> Town:
    return Town(la)
