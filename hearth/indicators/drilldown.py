"""The records behind a figure, as one reader may see them.

A drill-down lists exactly the members an indicator counted (``Result.tally``), so its rows and the line
"N records you may not open are not listed" always add up to the headline. What each row shows depends on
the reader and the record:

- a record the reader may open (``people.view_person``): the child's name, linked to the record;
- a restricted record they may not open: "A restricted record", with no name, link, date, team or note,
  listed after the others;
- a sealed record they may not open (or one merged away): not listed, only counted in the closing line;
- a performance analyst sees every open record as a pseudonym (``pseudonym``), never a name, date of birth,
  Hearth ID or link; restricted and sealed records as for anyone who may not open them.

Each page is read in a fixed number of queries whatever the number of records: one for the council's
protected records (to sort the members), one for the page's people, one for its teams, one for its workers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.crypto import salted_hmac

from hearth.access.selectors import people_visible_to
from hearth.accounts.models import Team, User
from hearth.people.models import Person

from . import compute
from .registry import Member, Result

if TYPE_CHECKING:
    from datetime import date

    from hearth.tenancy.models import LocalAuthority

Part = Literal["numerator", "denominator", "not_numerator"]
PARTS: tuple[str, ...] = ("numerator", "denominator", "not_numerator")
PER_PAGE = 50
RESTRICTED = "A restricted record"
OPEN, RESTRICTED_LEVEL = str(Person.AccessLevel.OPEN), str(Person.AccessLevel.RESTRICTED)
NO_TEAM = "none"  # the ``team`` value for records no team is responsible for
# No 0/O or 1/I: a pseudonym is read aloud and copied by hand.
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_SALT = "hearth.indicators.pseudonym"


def pseudonym(local_authority_id: int, person_id: int, prefix: str = "P") -> str:
    """A stable stand-in for a person, e.g. ``P-7K3M9Q``: a keyed HMAC of the council and person with the
    site's SECRET_KEY, so it cannot be turned back into the Hearth ID without the key, and the same child
    has the same pseudonym in every list an analyst sees."""
    digest = salted_hmac(_SALT, f"{local_authority_id}:{prefix}:{person_id}", algorithm="sha256").digest()
    number = int.from_bytes(digest[:8], "big")
    letters = []
    for _ in range(6):
        number, index = divmod(number, len(_ALPHABET))
        letters.append(_ALPHABET[index])
    return f"{prefix}-{''.join(letters)}"


def _worker_pseudonym(local_authority_id: int, member_key: str) -> str:
    # Workers are not children; a pseudonym keeps an analyst's list of leavers or agency staff anonymous too.
    return pseudonym(local_authority_id, int(hashlib.sha256(member_key.encode()).hexdigest()[:12], 16), "W")


@dataclass(frozen=True)
class DrillRow:
    member: Member
    shown: str  # the name, "A restricted record", or a pseudonym
    person_id: int | None  # set only when the reader may open the record: the link
    restricted: bool  # shown as "A restricted record", without its date, team or note
    on: date  # not shown for a restricted record (``shown_on``)
    team: str
    note: str
    amount: float
    hearth_id: str = ""  # only beside a name

    @property
    def shown_on(self) -> date | None:
        return None if self.restricted else self.on


@dataclass
class DrillDown:
    rows: list[DrillRow]  # this page
    unseen: int  # records counted that the reader may not open and that are not listed (sealed)
    total: int  # records counted: every page's rows + unseen
    listed: int = 0  # rows over every page
    amount: float = 0.0  # what the records add up to (the headline numerator or denominator)
    page: Page | None = None
    people: list[Person] = field(default_factory=list)  # the children named or pseudonymised on this page


def members_for(result: Result, part: str, team: str | int | None = None) -> list[Member]:
    """The members of one part of a result, optionally one team's (``"none"``: records with no team).

    ``not_numerator`` is the denominator less the numerator (by record): for "assessments within 45 working
    days" the assessments that took longer. A population denominator has no members: ValueError.
    """
    if part not in PARTS:
        raise ValueError(f"No part {part!r}")
    tally = result.tally
    if part == "numerator":
        members = list(tally.numerator)
    else:
        if tally.denominator is None:
            raise ValueError("The denominator is the council's child population: there is no list of records")
        if part == "denominator":
            members = list(tally.denominator)
        else:
            counted = {m.key for m in tally.numerator}
            members = [m for m in tally.denominator if m.key not in counted]
    if team is not None and team != "":
        if team == NO_TEAM:
            members = [m for m in members if m.team_id is None]
        else:
            members = [m for m in members if m.team_id == int(team)]
    members.sort(key=lambda m: (m.on, m.key))
    return members


def _protected_records(local_authority: LocalAuthority) -> dict[int, tuple[str, bool]]:
    """The council's records that are not simply open: pk -> (access level, merged). Few, but finding them
    means reading every person of the council, so they are kept under the council's data version (a change
    of access level or a merge is an audited change, which moves it)."""
    cache_key = f"hearth:indicators:protected:{local_authority.pk}:{compute.data_version(local_authority)}"
    found = cache.get(cache_key)
    if found is None:
        rows = (Person.objects.filter(local_authority_id=local_authority.pk)
                .filter(~Q(access_level=OPEN) | Q(merged_into__isnull=False))
                .values_list("pk", "access_level", "merged_into_id"))
        found = {pk: (level, merged is not None) for pk, level, merged in rows}
        cache.set(cache_key, found, compute.TIMEOUT)
    return found


def _protected(user: User, local_authority: LocalAuthority, child_ids: set[int]) -> dict[int, tuple[str, bool, bool]]:
    """The members' records that are not simply open: pk -> (access level, merged, reader may open it)."""
    if not child_ids:
        return {}
    protected = {pk: v for pk, v in _protected_records(local_authority).items() if pk in child_ids}
    opened: set[int] = set()
    if protected:
        # Whether the reader may open each one is asked of the one door, for these few records only.
        opened = set(people_visible_to(user=user).filter(pk__in=list(protected)).values_list("pk", flat=True))
    return {pk: (level, merged, pk in opened) for pk, (level, merged) in protected.items()}


def _classify(user: User, local_authority: LocalAuthority, members: Sequence[Member]
              ) -> tuple[list[tuple[Member, str]], int]:
    """Each listed member with how it is shown ("named", "pseudonym", "restricted", "worker"), and the number
    not listed."""
    analyst = user.has_perm("indicators.see_pseudonymised_only")
    may_open_open_records = user.has_case_access and user.local_authority_id == local_authority.pk
    protected = _protected(user, local_authority, {m.child_id for m in members if m.child_id is not None})
    shown_open = "pseudonym" if analyst else "named" if may_open_open_records else ""
    listed: list[tuple[Member, str]] = []
    unseen = 0
    for member in members:
        if member.child_id is None:
            listed.append((member, "worker"))
            continue
        found = protected.get(member.child_id)
        if found is None:  # an open record
            if shown_open:
                listed.append((member, shown_open))
            else:
                unseen += 1
            continue
        level, merged, opened = found
        if merged:
            unseen += 1
        elif opened and not analyst:
            listed.append((member, "named"))
        elif level == RESTRICTED_LEVEL:
            listed.append((member, "restricted"))
        else:  # sealed: its existence is not for others to know
            unseen += 1
    # A restricted record shows nothing but the words (no date, team or note) and comes after the rest, so
    # where it would have sat in date order tells nothing either.
    listed.sort(key=lambda pair: pair[1] == "restricted")
    return listed, unseen


def _rows(user: User, local_authority_id: int, shown: Iterable[tuple[Member, str]]
          ) -> tuple[list[DrillRow], list[Person]]:
    """Rows for the given members: one query each for their people, teams and workers."""
    shown = list(shown)
    named_ids = {m.child_id for m, how in shown if how == "named"}
    pseudonymised_ids = {m.child_id for m, how in shown if how == "pseudonym"}
    people: dict[int, Person] = {}
    if named_ids:
        people = {p.pk: p for p in people_visible_to(user=user).filter(pk__in=named_ids)
                  .only("pk", "local_authority_id", "first_name", "last_name", "access_level")}
    stand_ins: list[Person] = []
    if pseudonymised_ids:
        # Analysts cannot open records, so only the ids are read (to log the export), never a name.
        stand_ins = list(Person.objects.filter(local_authority_id=local_authority_id, pk__in=pseudonymised_ids)
                         .only("pk", "local_authority_id"))
    team_ids = {m.team_id for m, _ in shown if m.team_id is not None}
    teams = dict(Team.objects.filter(local_authority_id=local_authority_id, pk__in=team_ids)
                 .values_list("pk", "name")) if team_ids else {}
    analyst = user.has_perm("indicators.see_pseudonymised_only")
    worker_ids = {_user_pk(m.key) for m, how in shown if how == "worker"} - {None}
    workers = {} if analyst or not worker_ids else {
        u.pk: u.get_full_name() for u in User.objects.filter(local_authority_id=local_authority_id, pk__in=worker_ids)
        .only("pk", "first_name", "last_name")
    }
    rows: list[DrillRow] = []
    for member, how in shown:
        person_id: int | None = None
        hearth_id = ""
        if how == "named":
            person = people.get(member.child_id)  # type: ignore[arg-type]
            if person is None:  # access changed between the two reads: show it as unseen would be wrong
                text, how = RESTRICTED, "restricted"
            else:
                text, person_id, hearth_id = person.full_name, person.pk, person.hearth_id
        elif how == "pseudonym":
            text = pseudonym(local_authority_id, member.child_id)  # type: ignore[arg-type]
        elif how == "restricted":
            text = RESTRICTED
        else:
            pk = _user_pk(member.key)
            text = (workers.get(pk) if pk is not None else None) or (
                _worker_pseudonym(local_authority_id, member.key) if analyst else "A member of staff")
        restricted = how == "restricted"
        rows.append(DrillRow(
            member=member, shown=text, person_id=person_id, restricted=restricted, on=member.on,
            team=teams.get(member.team_id, "") if member.team_id is not None and not restricted else "",
            note="" if restricted else member.note, amount=member.amount, hearth_id=hearth_id,
        ))
    return rows, list(people.values()) + stand_ins


def _user_pk(member_key: str) -> int | None:
    label, _, pk = member_key.partition(":")
    return int(pk) if label == "accounts.user" and pk.isdigit() else None


def drill_down(*, user: User, result: Result, part: str = "numerator", team_id: str | int | None = None,
               page: int | str = 1, per_page: int = PER_PAGE) -> DrillDown:
    """One page of the records behind ``result``'s ``part`` as ``user`` may see them, oldest first.

    ``rows`` (over every page) + ``unseen`` == ``total`` == the number of members counted.
    """
    members = members_for(result, part, team_id)
    la = result.period.local_authority
    listed, unseen = _classify(user, la, members)
    paginator = Paginator(listed, per_page)
    current = paginator.get_page(page)
    rows, people = _rows(user, la.pk, current.object_list)
    return DrillDown(rows=rows, unseen=unseen, total=len(members), listed=len(listed),
                     amount=sum(m.amount for m in members), page=current, people=people)


def describe_members(*, user: User, local_authority: LocalAuthority, members: Sequence[Member]
                     ) -> tuple[list[DrillRow], int, list[Person]]:
    """Every member as ``user`` may see it (no pages): the rows, the number not listed, and the people
    named or pseudonymised (for the access log of an export). People are read 2,000 at a time."""
    listed, unseen = _classify(user, local_authority, members)
    rows: list[DrillRow] = []
    people: list[Person] = []
    for start in range(0, len(listed), 2000):
        chunk_rows, chunk_people = _rows(user, local_authority.pk, listed[start:start + 2000])
        rows.extend(chunk_rows)
        people.extend(chunk_people)
    return rows, unseen, people


def drill_down_all(*, user: User, result: Result, part: str = "numerator",
                   team_id: str | int | None = None) -> DrillDown:
    """Every row at once, for the CSV."""
    members = members_for(result, part, team_id)
    rows, unseen, people = describe_members(user=user, local_authority=result.period.local_authority,
                                            members=members)
    return DrillDown(rows=rows, unseen=unseen, total=len(members), listed=len(rows),
                     amount=sum(m.amount for m in members), people=people)
