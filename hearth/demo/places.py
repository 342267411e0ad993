"""Invented streets, GP practices and schools for the synthetic council, and identifiers that check out.

Postcodes are in the format of the NG1-NG11 districts (so they validate as Royal Mail's), but the
streets and house numbers are random. GP practice codes start with Z (no real practice has one)
and school URNs with 9, so nothing here points at a real organisation. NHS numbers come from the
999 range the NHS keeps for testing, so none can belong to a real patient.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from faker import Faker

from hearth.people.validators import nhs_number_check_digit, upn_check_letter

# Inward-code letters Royal Mail allows (never C, I, K, M, O, V).
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# District -> (relative share of households, neighbourhoods in it).
DISTRICTS: dict[str, tuple[float, tuple[str, ...]]] = {
    "NG1": (2, ("City Centre", "Lace Market")),
    "NG2": (10, ("Meadows", "Sneinton", "West Bridgford")),
    "NG3": (12, ("St Ann's", "Mapperley", "Thorneywood")),
    "NG4": (4, ("Carlton", "Gedling")),
    "NG5": (14, ("Bestwood", "Sherwood", "Top Valley", "Arnold")),
    "NG6": (9, ("Bulwell", "Basford")),
    "NG7": (12, ("Radford", "Lenton", "Hyson Green")),
    "NG8": (12, ("Aspley", "Bilborough", "Wollaton", "Broxtowe")),
    "NG9": (3, ("Beeston", "Chilwell")),
    "NG10": (2, ("Long Eaton", "Sandiacre")),
    "NG11": (9, ("Clifton", "Wilford", "Silverdale")),
}
TOWN = "Nottingham"
STREET_WORDS = (
    "Oak", "Ash", "Elm", "Willow", "Beech", "Birch", "Rowan", "Hazel", "Church", "Mill", "Station", "Park",
    "Victoria", "Albert", "Queens", "Kings", "Forest", "Meadow", "Valley", "Hill", "Brook", "Spring", "Orchard",
    "Chapel", "Market", "Castle", "Abbey", "Priory", "Grange", "Manor", "Sherwood", "Trent", "Lime", "Cedar",
    "Holly", "Poplar", "Laurel", "Highbury", "Belvoir", "Carlton", "Hucknall", "Alfreton", "Ilkeston",
    "Mansfield", "Derby",
)
STREET_KINDS = (
    "Road", "Road", "Street", "Street", "Avenue", "Close", "Drive", "Lane", "Crescent", "Gardens", "Way",
    "Grove", "Court", "Place", "Walk", "Rise", "Terrace",
)
GP_KINDS = ("Medical Centre", "Health Centre", "Surgery", "Medical Practice", "Family Practice")
SAINTS = ("Mary", "Margaret", "Augustine", "Teresa", "Patrick", "Edward", "Ann", "Peter", "John", "Barnabas")


@dataclass
class Place:
    line_1: str
    line_2: str
    postcode: str
    district: str
    town: str = TOWN


@dataclass
class Street:
    name: str
    district: str
    neighbourhood: str
    postcodes: list[str]
    houses: int
    flats: bool


@dataclass
class Organisation:
    name: str
    code: str
    district: str
    # Schools: "primary", "secondary", "special" or "college", and the DfE establishment number.
    phase: str = ""
    establishment: str = ""


@dataclass
class Places:
    streets: list[Street] = field(default_factory=list)
    by_district: dict[str, list[Street]] = field(default_factory=dict)
    gps: dict[str, list[Organisation]] = field(default_factory=dict)
    schools: dict[tuple[str, str], list[Organisation]] = field(default_factory=dict)
    colleges: list[Organisation] = field(default_factory=list)
    special: list[Organisation] = field(default_factory=list)


def build_places(rng: random.Random, fake: Faker, *, households: int) -> Places:
    places = Places()
    districts = list(DISTRICTS)
    weights = [DISTRICTS[d][0] for d in districts]
    sector_units: dict[tuple[str, int], set[str]] = {}
    used_names: set[tuple[str, str]] = set()
    # Around six families known to children's services per street.
    for _ in range(max(40, households // 6)):
        district = rng.choices(districts, weights)[0]
        neighbourhood = rng.choice(DISTRICTS[district][1])
        for _attempt in range(10):
            word = rng.choice(STREET_WORDS) if rng.random() < 0.5 else str(fake.last_name()).replace("'", "")
            name = f"{word} {rng.choice(STREET_KINDS)}"
            if (district, name) not in used_names:
                break
        used_names.add((district, name))
        sector = rng.randint(0, 9)
        units = sector_units.setdefault((district, sector), set())
        postcodes = []
        for _ in range(rng.randint(1, 3)):
            unit = rng.choice(UNIT_LETTERS) + rng.choice(UNIT_LETTERS)
            units.add(unit)
            postcodes.append(f"{district} {sector}{unit}")
        street = Street(name=name, district=district, neighbourhood=neighbourhood, postcodes=postcodes,
                        houses=rng.randint(12, 220), flats=name.endswith(("Court", "Place")) or rng.random() < 0.1)
        places.streets.append(street)
        places.by_district.setdefault(district, []).append(street)

    gp_number = 0
    school_number = 0
    for district, (_share, neighbourhoods) in DISTRICTS.items():
        practices = []
        for _ in range(rng.randint(2, 5)):
            gp_number += 1
            name = f"{rng.choice(neighbourhoods)} {rng.choice(GP_KINDS)}" if rng.random() < 0.7 else \
                f"{rng.choice(STREET_WORDS)} {rng.choice(('Street', 'Road', 'Lane'))} Surgery"
            practices.append(Organisation(name=name, code=f"Z{84000 + gp_number}", district=district))
        places.gps[district] = practices
        for phase, count, numbers in (("primary", rng.randint(3, 7), (2000, 3999)),
                                      ("secondary", rng.randint(1, 2), (4000, 4999))):
            schools = []
            for _ in range(count):
                school_number += 1
                area = rng.choice(neighbourhoods)
                if phase == "primary":
                    name = rng.choice((f"{area} Primary School", f"{rng.choice(STREET_WORDS)} Primary School",
                                       f"St {rng.choice(SAINTS)}'s Catholic Primary School",
                                       f"{area} Church of England Primary School", f"{area} Primary Academy"))
                else:
                    name = rng.choice((f"{area} Academy", f"{rng.choice(STREET_WORDS)} High School",
                                       f"{area} Community College", f"{area} School"))
                schools.append(Organisation(name=name, code=f"{900000 + school_number}", district=district,
                                            phase=phase, establishment=str(rng.randint(*numbers))))
            places.schools[(district, phase)] = schools
    for i, name in enumerate(("Trentside Special School", "Oakfield Special School")):
        places.special.append(Organisation(name=name, code=f"{909000 + i}", district="NG5", phase="special",
                                           establishment=str(7000 + 10 * i + 1)))
    for i, name in enumerate(("City Sixth Form College", "Riverside College of Further Education")):
        places.colleges.append(Organisation(name=name, code=f"{908000 + i}", district="NG1", phase="college"))
    return places


def place_on(street: Street, rng: random.Random) -> Place:
    number = rng.randint(1, street.houses)
    if street.flats and rng.random() < 0.6:
        line_1 = f"Flat {rng.randint(1, 40)}, {number} {street.name}"
    else:
        line_1 = f"{number} {street.name}"
    line_2 = street.neighbourhood if rng.random() < 0.4 else ""
    return Place(line_1=line_1, line_2=line_2, postcode=rng.choice(street.postcodes), district=street.district)


def random_place(places: Places, rng: random.Random, *, near: str | None = None) -> Place:
    # Most moves are within the same part of the city.
    if near is not None and near in places.by_district and rng.random() < 0.6:
        street = rng.choice(places.by_district[near])
    else:
        street = rng.choice(places.streets)
    return place_on(street, rng)


class Identifiers:
    """NHS numbers and UPNs that pass their checks, never issued twice."""

    def __init__(self, rng: random.Random, *, la_number: str):
        self.rng = rng
        self.la_number = la_number
        self._nhs: set[str] = set()
        self._upn_serials: dict[tuple[str, str], int] = {}

    def nhs_number(self) -> str:
        while True:
            stem = f"999{self.rng.randint(0, 999_999):06d}"
            check = nhs_number_check_digit(stem)
            if check is None or stem in self._nhs:
                continue
            self._nhs.add(stem)
            return f"{stem}{check}"

    def upn(self, *, establishment: str, year: int) -> str:
        """A permanent UPN: check letter, LA number, school's establishment number, year, serial."""
        key = (establishment, f"{year % 100:02d}")
        serial = self._upn_serials.get(key, 0) + 1
        while serial > 999:
            # That school has issued its 999 numbers for the year: another establishment number.
            key = (str(int(key[0]) + 1)[-4:], key[1])
            serial = self._upn_serials.get(key, 0) + 1
        self._upn_serials[key] = serial
        body = f"{self.la_number}{key[0]}{key[1]}{serial:03d}"
        return upn_check_letter(body) + body


def broken_nhs_number(valid: str, rng: random.Random) -> str:
    """The same number with its last digit mistyped, so Modulus 11 fails."""
    wrong = rng.choice([d for d in "0123456789" if d != valid[-1]])
    return valid[:-1] + wrong


def broken_upn(valid: str, rng: random.Random) -> str:
    wrong = rng.choice([c for c in "ABCDEFGHJKLMNPQRTUVWXYZ" if c != valid[0]])
    return wrong + valid[1:]
