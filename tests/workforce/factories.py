"""Builders for workforce tests: posts, their funding, appointments and absences, written straight through the
audited models (no service checks), so a test can build exactly the establishment it describes.

make_appointment also sets the worker's current fields (employment_type, fte, started_on, left_on) from the
appointment it writes (the last one written wins; hearth.workforce.services works it out from all of them), unless
keep_user_in_step=False.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hearth.accounts.models import Team, User
from hearth.finance.models import Grant, Reserve
from hearth.tenancy.models import LocalAuthority
from hearth.workforce.models import Absence, Appointment, Post, PostFunding

BY = "test"
_seq = itertools.count(1)


def _dec(value: Decimal | float | int | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def make_post(la: LocalAuthority, *, team: Team | None = None, kind: str = Post.Kind.SOCIAL_WORKER,
              fte: Decimal | float | str = "1.00", annual_cost: Decimal | float | int | str = "50000",
              established_on: date = date(2020, 1, 1), ended_on: date | None = None,
              social_work_post: bool = True, serves_indicators: list[str] | None = None,
              reference: str | None = None, title: str | None = None, **extra: Any) -> Post:
    n = next(_seq)
    post = Post(local_authority=la, reference=reference or f"CSC-{n:04d}",
                title=title or Post.Kind(kind).label, kind=kind, team=team, fte=_dec(fte),
                annual_cost=_dec(annual_cost), social_work_post=social_work_post, established_on=established_on,
                ended_on=ended_on, serves_indicators=list(serves_indicators or []), **extra)
    post.save(by=BY)
    return post


def make_reserve(la: LocalAuthority, *, name: str = "Children's improvement reserve",
                 opening_balance: Decimal | int | str = "2000000", opened_on: date = date(2024, 4, 1)) -> Reserve:
    reserve = Reserve(local_authority=la, name=name, opening_balance=_dec(opening_balance), opened_on=opened_on)
    reserve.save(by=BY)
    return reserve


def make_grant(la: LocalAuthority, *, name: str = "Families First Partnership grant", funder: str = "DfE",
               amount: Decimal | int | str = "1000000", starts_on: date = date(2025, 4, 1),
               ends_on: date = date(2027, 3, 31)) -> Grant:
    grant = Grant(local_authority=la, name=name, funder=funder, amount=_dec(amount), starts_on=starts_on,
                  ends_on=ends_on)
    grant.save(by=BY)
    return grant


def make_funding(post: Post, *, source: str = PostFunding.Source.BASE_BUDGET, starts_on: date | None = None,
                 ends_on: date | None = None, share_percent: Decimal | int | str = "100",
                 reserve: Reserve | None = None, grant: Grant | None = None, note: str = "") -> PostFunding:
    """Funding for a post. A reserve or grant source with none given gets a fresh one in the post's council."""
    if source == PostFunding.Source.RESERVE and reserve is None:
        reserve = make_reserve(post.local_authority)
    if source == PostFunding.Source.GRANT and grant is None:
        grant = make_grant(post.local_authority)
    funding = PostFunding(local_authority_id=post.local_authority_id, post=post, source=source,
                          reserve=reserve, grant=grant, starts_on=starts_on or post.established_on,
                          ends_on=ends_on, share_percent=_dec(share_percent), note=note)
    funding.save(by=BY)
    return funding


def make_appointment(worker: User, *, post: Post | None = None,
                     employment_type: str = Appointment.EmploymentType.PERMANENT,
                     org_role: str = Appointment.OrgRole.CASE_HOLDER, fte: Decimal | float | str = "1.00",
                     starts_on: date = date(2022, 1, 1), ends_on: date | None = None, left_council: bool = False,
                     start_origin: str = "", reason_leave: str = "", leaver_destination: str = "",
                     keep_user_in_step: bool = True) -> Appointment:
    assert worker.local_authority_id is not None
    appointment = Appointment(local_authority_id=worker.local_authority_id, worker=worker, post=post,
                              employment_type=employment_type, org_role=org_role, fte=_dec(fte),
                              starts_on=starts_on, ends_on=ends_on, left_council=left_council,
                              start_origin=start_origin, reason_leave=reason_leave,
                              leaver_destination=leaver_destination)
    appointment.save(by=BY)
    if keep_user_in_step:
        worker.employment_type = employment_type
        worker.fte = appointment.fte
        worker.started_on = starts_on
        # User.left_on is the first day no longer in post (User.is_in_post); an appointment's ends_on its last.
        worker.left_on = ends_on + timedelta(days=1) if left_council and ends_on else None
        worker.save(update_fields=["employment_type", "fte", "started_on", "left_on"])
    return appointment


def make_absence(worker: User, *, reason: str = Absence.Reason.SICKNESS, starts_on: date = date(2026, 1, 5),
                 ends_on: date | None = date(2026, 1, 9), working_days_lost: Decimal | float | str = "5"
                 ) -> Absence:
    assert worker.local_authority_id is not None
    absence = Absence(local_authority_id=worker.local_authority_id, worker=worker, reason=reason,
                      starts_on=starts_on, ends_on=ends_on, working_days_lost=_dec(working_days_lost))
    absence.save(by=BY)
    return absence
