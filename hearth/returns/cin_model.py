"""The CIN census as data: one class per element of the XML tree (returns.md B.3), in the schema's order.

The exporter builds a ``CinCensus`` from the live record and writes it as XML; the reader parses an XML
file back into one; the census rules (``hearth.returns.rules.cin``) read only these classes, so the same
checks run on what Hearth would send and on a file from elsewhere. Codes are kept as the census spells
them; dates are ``date`` (None when absent); yes/no items are ``bool``. What a file may lack and a rule
reports is None: a review with no date, and a ReferralNFA that is missing or not 0/1 (rule 8568).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class CinAssessment:
    actual_start: date | None
    internal_review: date | None = None
    authorised: date | None = None
    factors: list[str] = field(default_factory=list)
    source_pk: int | None = None  # cin.Assessment pk, for links to the page where it is fixed


@dataclass
class CinPlanDates:
    start: date | None
    end: date | None = None
    source_pk: int | None = None  # cin.CINPlan pk


@dataclass
class CinSection47:
    actual_start: date | None
    initial_cpc_target: date | None = None
    date_of_initial_cpc: date | None = None
    icpc_not_required: bool = False
    source_pk: int | None = None  # protection.Section47 pk


@dataclass
class CinChildProtectionPlan:
    start: date | None
    end: date | None = None
    initial_category: str = ""
    latest_category: str = ""
    number_of_previous: int | None = 0
    review_dates: list[date | None] = field(default_factory=list)  # None: a review read without a date
    source_pk: int | None = None  # protection.ChildProtectionPlan pk


@dataclass
class CinDetails:
    """One CIN episode: a referral to its closure."""

    referral_date: date | None
    referral_source: str = ""
    primary_need: str = ""
    closure_date: date | None = None
    reason_for_closure: str = ""
    date_of_initial_cpc: date | None = None  # an ICPC not following a S47 in this episode (e.g. transfer-in)
    assessments: list[CinAssessment] = field(default_factory=list)
    cin_plans: list[CinPlanDates] = field(default_factory=list)
    section47s: list[CinSection47] = field(default_factory=list)
    referral_nfa: bool | None = False  # None: missing or invalid in a file read in
    cp_plans: list[CinChildProtectionPlan] = field(default_factory=list)
    source_pk: int | None = None  # cin.Referral pk


@dataclass
class CinChild:
    la_child_id: str
    sex: str = "U"
    ethnicity: str = ""
    upn: str = ""
    former_upn: str = ""
    upn_unknown: str = ""
    birth_date: date | None = None
    expected_birth_date: date | None = None
    death_date: date | None = None
    disabilities: list[str] = field(default_factory=list)
    details: list[CinDetails] = field(default_factory=list)
    person_pk: int | None = None  # people.Person pk (None for a child read from a file)


@dataclass
class CinCensus:
    year: int  # the census year ends 31 March ``year``
    la_code: str  # 3-digit DfE LA code
    reference_date: date
    generated_at: datetime
    software_code: str = "Hearth"
    release: str = ""
    serial_no: str = "001"
    children: list[CinChild] = field(default_factory=list)
