"""Hand-built finance data for the finance tests: a year of budget monitoring with known answers, a reserve with
drawdowns and the posts it pays for, a grant with allocations, and children in care in known placements.

Rows go through the finance services where the services allow the date (a named test process acts), and straight
to the audited models otherwise (posts and their funding belong to the workforce app and are tested there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.care.models import CareLegalStatus, PeriodOfCare, Placement
from hearth.finance import services
from hearth.finance.models import BudgetLine, Grant, Reserve, ServiceArea
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority
from hearth.workforce.models import Post, PostFunding
from tests.factories import make_person, make_user

BY = "test"
# The day the hand-built year is read on: 23 November 2026, financial year 2026 (2026/27).
TODAY = date(2026, 11, 23)
YEAR = 2026


def finance_user(la: LocalAuthority, role: str = Role.FINANCE_OFFICER, **extra: Any) -> User:
    return make_user(la, role, **extra)


@dataclass
class BudgetYear:
    placements: BudgetLine
    safeguarding: BudgetLine
    leaving_care: BudgetLine


# Three lines, months closed (spent in the month, forecast outturn), April first. Leaving care has no June close.
CLOSES: dict[str, list[tuple[date, str, str]]] = {
    "placements": [(date(2026, 4, 1), "2400000", "30500000"), (date(2026, 5, 1), "2600000", "31000000"),
                   (date(2026, 6, 1), "2700000", "31250000")],
    "safeguarding": [(date(2026, 4, 1), "950000", "11900000"), (date(2026, 5, 1), "1010000", "11800000"),
                     (date(2026, 6, 1), "990000", "11850000")],
    "leaving_care": [(date(2026, 4, 1), "300000", "4000000"), (date(2026, 5, 1), "320000", "4100000")],
}


def budget_year(la: LocalAuthority) -> BudgetYear:
    """Budgets: placements £30,000,000, safeguarding £12,000,000, leaving care £4,000,000 (2026/27)."""
    lines = {}
    for order, (key, name, code, budget) in enumerate([
        ("placements", "Children in care placements", "CSC200", "30000000"),
        ("safeguarding", "Safeguarding and family help", "CSC100", "12000000"),
        ("leaving_care", "Care leavers", "CSC300", "4000000"),
    ]):
        area = services.service_area_create(local_authority=la, name=name, code=code, order=order, by=BY)
        line = services.budget_line_set(service_area=area, financial_year=YEAR, budget=budget, by=BY)
        for month, actual, forecast in CLOSES[key]:
            services.month_close_record(budget_line=line, month=month, actual=actual, forecast_outturn=forecast,
                                        by=BY, today=TODAY)
        lines[key] = line
    return BudgetYear(**lines)


def reserve_with_drawdowns(la: LocalAuthority) -> Reserve:
    """£2,000,000 opened 1 April 2025; -£100,000 on 15 March 2026 (last year); +£500,000 on 1 April 2026;
    -£300,000 on 30 April 2026; -£250,000 on 31 July 2026. Balance on 23 November 2026: £1,850,000; drawn in
    2026/27: £550,000."""
    reserve = services.reserve_create(local_authority=la, name="Children's improvement reserve",
                                      opening_balance="2000000", opened_on=date(2025, 4, 1), by=BY, today=TODAY)
    for moved_on, amount, purpose in [
        (date(2026, 3, 15), "-100000", "Recruitment campaign"),
        (date(2026, 4, 1), "500000", "Top-up agreed by cabinet"),
        (date(2026, 4, 30), "-300000", "Missing from home advocates"),
        (date(2026, 7, 31), "-250000", "Personal advisers"),
    ]:
        services.reserve_movement_record(reserve=reserve, moved_on=moved_on, amount=amount, purpose=purpose,
                                         by=BY, today=TODAY)
    return reserve


def make_post(la: LocalAuthority, reference: str, annual_cost: str, **extra: Any) -> Post:
    post = Post(local_authority=la, reference=reference, title=extra.pop("title", f"Post {reference}"),
                kind=extra.pop("kind", Post.Kind.MISSING_ADVOCATE), fte=Decimal("1.00"),
                annual_cost=Decimal(annual_cost), established_on=date(2025, 1, 1), **extra)
    post.save(by=BY)
    return post


def fund(post: Post, *, starts_on: date, ends_on: date | None, share: str = "100", reserve: Reserve | None = None,
         grant: Grant | None = None) -> PostFunding:
    source = (PostFunding.Source.RESERVE if reserve else PostFunding.Source.GRANT if grant
              else PostFunding.Source.BASE_BUDGET)
    funding = PostFunding(local_authority_id=post.local_authority_id, post=post, source=source, reserve=reserve,
                          grant=grant, starts_on=starts_on, ends_on=ends_on, share_percent=Decimal(share))
    funding.save(by=BY)
    return funding


def grant_with_allocations(la: LocalAuthority, area: ServiceArea | None = None) -> Grant:
    """£1,000,000 (1 April 2026 to 31 March 2028): £400,000 to the edge of care team (£150,000 spent) and
    £350,000 to family help (nothing spent): £750,000 allocated, £250,000 unallocated."""
    grant = services.grant_create(local_authority=la, name="Families First grant", funder="Department for Education",
                                  amount="1000000", starts_on=date(2026, 4, 1), ends_on=date(2028, 3, 31),
                                  conditions="Spend on family help only", by=BY)
    first = services.grant_allocation_add(grant=grant, spend_area="Edge of care team", amount="400000",
                                          service_area=area, by=BY)
    services.allocation_spend_update(allocation=first, spent_to_date="150000", expected_version=first.version, by=BY)
    services.grant_allocation_add(grant=grant, spend_area="Family help", amount="350000", by=BY)
    return grant


def in_care(la: LocalAuthority, placement_type: str, provider: str = "PR1", *, started_on: date = date(2025, 6, 1),
            ended_on: date | None = None, period_ended_on: date | None = None, legal_status: str = "C2",
            child: Person | None = None) -> Person:
    """A child looked after from ``started_on`` in one placement."""
    child = child or make_person(la, date_of_birth=date(2012, 6, 1))
    period = PeriodOfCare(local_authority=la, child=child, started_on=started_on, ended_on=period_ended_on,
                          category_of_need="N1", reason_ceased="E8" if period_ended_on else "")
    period.save(by=BY)
    CareLegalStatus(local_authority=la, child=child, period=period, legal_status=legal_status, started_on=started_on,
                    ended_on=period_ended_on).save(by=BY)
    Placement(local_authority=la, child=child, period=period, placement_type=placement_type, provider=provider,
              started_on=started_on, ended_on=ended_on or period_ended_on,
              reason_for_change="CARPL" if ended_on and not period_ended_on else "").save(by=BY)
    return child
