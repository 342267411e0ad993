"""Finding people: the search box, and the duplicate check before a new record is made.

Both start from the one door (``visible_people_filter``), so a restricted or sealed record the
user may not open, a merged record, or another council's record is never a candidate.

Two steps. First, SQL gathers candidates by index only: every typed word becomes a set of
people whose NameKey matches it (the word, its nicknames, every one-keystroke typo, its
phonetic code, and longer names it starts), dates and identifiers become sets from the people
indexes, and the sets are intersected (INTERSECT), capped at ``NAME_CAP``; the people who match
every word exactly are gathered the same way, so they are never crowded out. Only those few
people are read from the people table. Then Python scores them with rapidfuzz and words the
reasons for the ones shown. Nothing scans all the people of a council.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from rapidfuzz.distance import JaroWinkler

from hearth.access.policy import visible_people_filter
from hearth.people.models import Address, Person, PersonName
from hearth.people.validators import normalise_nhs_number, normalise_postcode, normalise_upn

from .keys import name_tokens, nickname_set, phonetic_key, typo_variants
from .models import NameKey
from .query import ParsedQuery, parse_query

if TYPE_CHECKING:
    from hearth.accounts.models import User

CANDIDATE_CAP = 1000
# Name candidates read (best first) and scored in Python; enough that the best 50 are among them.
NAME_CAP = 200
# Below this a candidate is not worth showing before a new record is made. Names alone that
# agree loosely (Bill Browne / William Brown, no date of birth given) are just above it.
LIKELY_MIN = 0.35
LIKELY_MIN_POINTS = 5.0 + math.log(LIKELY_MIN / (1 - LIKELY_MIN)) / 0.8  # the same, in points
NAME_POINTS_MAX = 6.0  # first and last name both exact
FUZZY_MIN = 0.85
# A shared phonetic code only counts when the spellings are not far apart: "Jane" and "John"
# share one ("JN") but are not the same name.
PHONETIC_MIN = 0.7
PREFIX_MIN = 3

# How well one typed token matches a name token, best first.
EXACT, PREFIX, NICKNAME, PHONETIC = 1.0, 0.9, 0.85, 0.8
FUZZY_WEIGHT = 0.75  # times the Jaro-Winkler similarity, so below phonetic
OTHER_NAME_WEIGHT = 0.95  # a previous name or alias counts a little less than the legal name


@dataclass
class SearchHit:
    person: Person
    score: float
    reasons: list[str]
    postcode: str = ""  # current address, for telling people apart in a list

    @property
    def strength(self) -> str:
        """A word for the match strength, for a tag beside the result."""
        if self.score >= 0.9:
            return "Strong"
        if self.score >= 0.7:
            return "Good"
        return "Possible"


# --------------------------------------------------------------------------- name matching


@dataclass
class _TokenMatch:
    score: float = 0.0
    kind: str = ""  # exact | prefix | nickname | phonetic | fuzzy
    typed: str = ""
    found: str = ""
    part: str = ""  # first | last
    other: bool = False  # matched a previous name or alias, not the legal name


def _match_token(typed: str, tokens: Iterable[tuple[str, str, bool]], *, allow_prefix: bool) -> _TokenMatch:
    """Best match of one typed token against a person's name tokens (token, part, is_other_name)."""
    best = _TokenMatch()
    typed_code = phonetic_key(typed)
    nicknames = nickname_set(typed)
    for token, part, other in tokens:
        if token == typed:
            score, kind = EXACT, "exact"
        elif len(typed) == 1:
            # An initial: matches any name starting with it, weakly.
            score, kind = (PHONETIC, "prefix") if token.startswith(typed) else (0.0, "")
        elif allow_prefix and len(typed) >= PREFIX_MIN and token.startswith(typed) and not other:
            score, kind = PREFIX, "prefix"
        elif token in nicknames:
            score, kind = NICKNAME, "nickname"
        else:
            similarity = JaroWinkler.similarity(typed, token)
            if typed_code and typed_code == phonetic_key(token) and similarity >= PHONETIC_MIN:
                score, kind = PHONETIC, "phonetic"
            elif similarity >= FUZZY_MIN:
                score, kind = similarity * FUZZY_WEIGHT, "fuzzy"
            else:
                continue
        if other:
            score *= OTHER_NAME_WEIGHT
        if score > best.score:
            best = _TokenMatch(score, kind, typed, token, part, other)
    return best


@dataclass
class _Names:
    """A person's name tokens (token, part, from another name?), legal names first."""

    tokens: list[tuple[str, str, bool]]

    @classmethod
    def build(cls, first: str, middle: str, last: str, preferred: str,
              other: Iterable[tuple[str, str]] = ()) -> _Names:
        first_tokens = name_tokens(first)
        last_tokens = name_tokens(last)
        tokens = [(t, "first", False) for t in first_tokens]
        tokens += [(t, "middle", False) for t in name_tokens(middle)]
        tokens += [(t, "first", False) for t in name_tokens(preferred)]
        tokens += [(t, "last", False) for t in last_tokens]
        if len(last_tokens) > 1:
            tokens.append(("".join(last_tokens), "last", False))
        for other_first, other_last in other:
            tokens += [(t, "first", True) for t in name_tokens(other_first)]
            tokens += [(t, "last", True) for t in name_tokens(other_last)]
        return cls(tokens)


def _describe(match: _TokenMatch, display: dict[str, str]) -> str:
    part = {"first": "first name", "middle": "middle name", "last": "last name"}[match.part]
    if match.other:
        label = "previous surname" if match.part == "last" else "other name"
        return f"Matches a {label} ({display.get(match.found, match.found)})"
    found = display.get(match.found, match.found)
    typed = match.typed.title()
    if match.kind == "exact":
        return f"Same {part}"
    if match.kind == "prefix":
        return f"{part.capitalize()} starts with \u2018{typed}\u2019"
    if match.kind == "nickname":
        return f"{part.capitalize()} is another form of the same name ({typed} / {found})"
    if match.kind == "phonetic":
        return f"{part.capitalize()} sounds the same ({typed} / {found})"
    return f"Similar {part} ({typed} / {found})"


def _display_map(*names: str) -> dict[str, str]:
    """Normalised token -> how it is written on the record, so reasons quote the record."""
    shown: dict[str, str] = {}
    for name in names:
        for word in name.replace("-", " ").split():
            for token in name_tokens(word):
                shown.setdefault(token, word if len(name_tokens(word)) == 1 else token.title())
    return shown


# --------------------------------------------------------------------------- candidate gathering


# A member of an INTERSECT: SQL returning one column of person ids, and its parameters.
_Member = tuple[str, list[Any]]


def _key_member(local_authority_id: int | None, word: str, *, allow_prefix: bool, exact_only: bool = False) -> _Member:
    """People with a name key matching one typed word: the word itself, its other forms,
    one-keystroke typos, its sound, and (while it is being typed) longer names it starts.

    Written as SQL rather than through the ORM: a word brings a few hundred typo spellings, and
    turning each into a query parameter through the ORM cost more than running the query.
    """
    qn = connection.ops.quote_name
    kind, key = qn("kind"), qn("key")
    head = (f"SELECT {qn('person_id')} FROM {qn(NameKey._meta.db_table)} "
            f"WHERE {qn('local_authority_id')} = %s AND ")
    if exact_only:
        return head + f"{kind} = %s AND {key} = %s", [local_authority_id, NameKey.Kind.EXACT.value, word]
    spellings = sorted({word, *nickname_set(word), *typo_variants(word)})
    parts = [f"({kind} = %s AND {key} IN ({', '.join(['%s'] * len(spellings))}))"]
    params: list[Any] = [local_authority_id, NameKey.Kind.EXACT.value, *spellings]
    code = phonetic_key(word)
    if code:
        parts.append(f"({kind} = %s AND {key} = %s)")
        params += [NameKey.Kind.PHONETIC.value, code]
    if allow_prefix and len(word) >= PREFIX_MIN:
        # A range rather than LIKE, so both SQLite and PostgreSQL walk the index.
        parts.append(f"({kind} = %s AND {key} > %s AND {key} < %s)")
        params += [NameKey.Kind.EXACT.value, word, word[:-1] + chr(ord(word[-1]) + 1)]
    return head + f"({' OR '.join(parts)})", params


def _queryset_member(queryset: QuerySet[Any]) -> _Member:
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


def _capped_ids(members: list[_Member], cap: int) -> RawSQL:
    """Ids in every member set (SQL INTERSECT), at most ``cap``.

    Each member is read from an index alone (name keys, dates of birth, NHS numbers...), so
    only the few people in the intersection are ever read from the people table: a common
    surname costs an index range, not thousands of row reads. No ORDER BY: with one, SQLite
    walks a whole index in id order instead of the key ranges.
    """
    sql = " INTERSECT ".join(m[0] for m in members) + " LIMIT %s"
    params = [p for m in members for p in m[1]] + [cap]
    return RawSQL(sql, params)


def _likely_name_ids(local_authority_id: int | None, first_words: list[str], last_words: list[str]) -> RawSQL:
    """People with a key matching any first-name word and a key matching any last-name word."""
    sides = []
    for words in (first_words, last_words):
        members = [_key_member(local_authority_id, w, allow_prefix=False) for w in words]
        sides.append((" UNION ".join(m[0] for m in members), [p for m in members for p in m[1]]))
    wrapped = [(f"SELECT * FROM ({sql}) AS side{i}", params) for i, (sql, params) in enumerate(sides)]
    return _capped_ids(wrapped, CANDIDATE_CAP)


def _dob_filter(parsed: ParsedQuery, prefix: str = "") -> Q:
    if parsed.born_on is not None:
        born = parsed.born_on
        dates = {born}
        swapped = _swapped(born)
        if swapped:
            dates.add(swapped)
        return Q(**{f"{prefix}date_of_birth__in": sorted(dates)})
    span = parsed.date_range()
    if span is not None:
        return Q(**{f"{prefix}date_of_birth__range": span})
    return Q()


def _swapped(born: date) -> date | None:
    if born.day == born.month or born.day > 12:
        return None
    return date(born.year, born.day, born.month)


# --------------------------------------------------------------------------- the search box


def _visible(user: User) -> Q | None:
    return visible_people_filter(user)


def _current_postcodes(ids: list[int]) -> dict[int, str]:
    postcodes: dict[int, str] = {}
    rows = Address.objects.filter(person_id__in=ids, moved_out_on__isnull=True).order_by(
        "person_id", "-moved_in_on", "-id").values_list("person_id", "postcode")
    for person_id, postcode in rows:
        postcodes.setdefault(person_id, postcode)
    return postcodes


def _dob_reason(parsed: ParsedQuery, born: date | None) -> tuple[float, str]:
    if born is None:
        return 0.0, ""
    if parsed.born_on is not None:
        if born == parsed.born_on:
            return 1.0, "Same date of birth"
        if born == _swapped(parsed.born_on):
            return 0.6, "Day and month swapped in date of birth"
        return 0.0, ""
    if parsed.born_month is not None:
        return (1.0, "Born in that month") if (born.year, born.month) == (parsed.born_year, parsed.born_month) \
            else (0.0, "")
    if parsed.born_year is not None:
        return (1.0, "Born in that year") if born.year == parsed.born_year else (0.0, "")
    return 0.0, ""


def search_people(*, user: User, query: str, limit: int = 50) -> list[SearchHit]:
    """People this user may open, best match first, for whatever was typed in the search box.

    A fixed handful of queries whatever the size of the council (see tests/search/test_queries.py).
    """
    rule = _visible(user)
    parsed = parse_query(query)
    if rule is None or parsed.is_empty or limit <= 0:
        return []
    la_id = user.local_authority_id
    words = [t for t in parsed.names if len(t) > 1]
    if parsed.names and not words:
        return []  # initials alone would list half the council
    # Each piece of the query is a set of ids; a person must be in all of them.
    members: list[_Member] = []
    exact_members: list[_Member] = []
    for word in words:
        members.append(_key_member(la_id, word, allow_prefix=True))
        exact_members.append(_key_member(la_id, word, allow_prefix=True, exact_only=True))
    facts = Q()
    if parsed.hearth_id is not None:
        facts &= Q(pk=parsed.hearth_id)
    if parsed.nhs_number:
        facts &= Q(nhs_number=parsed.nhs_number)
    if parsed.upn:
        facts &= Q(upn=parsed.upn) | Q(former_upn=parsed.upn)
    facts &= _dob_filter(parsed)
    if facts:
        member = _queryset_member(Person.objects.filter(facts, local_authority_id=la_id).values("pk"))
        members.append(member)
        exact_members.append(member)
    if parsed.postcode or parsed.postcode_area:
        at = Address.objects.filter(local_authority_id=la_id)
        if parsed.postcode:
            at = at.filter(postcode=parsed.postcode)
        else:
            # The range walks the index; startswith keeps NG2 from matching NG20 (and is exact
            # whatever the database's collation makes of the space).
            area = parsed.postcode_area
            at = at.filter(postcode__gte=area, postcode__lt=area[:-1] + chr(ord(area[-1]) + 1),
                           postcode__startswith=f"{area} ")
        member = _queryset_member(at.values("person_id"))
        members.append(member)
        exact_members.append(member)
    wanted = Q(pk__in=_capped_ids(members, NAME_CAP))
    if words:
        # Everyone matching every word exactly is read too, so a common name's exact matches
        # are never crowded out by its sound-alikes.
        wanted |= Q(pk__in=_capped_ids(exact_members, NAME_CAP))
    people = Person.objects.filter(rule).filter(wanted)
    rows = list(people.values_list(
        "pk", "first_name", "middle_names", "last_name", "preferred_name", "date_of_birth", "upn"))
    if not rows:
        return []
    ids = [row[0] for row in rows]
    other: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if parsed.names:
        for person_id, first, last in PersonName.objects.filter(person_id__in=ids).values_list(
                "person_id", "first_name", "last_name"):
            other[person_id].append((first, last))
    postcode_people: set[int] = set()
    if parsed.postcode or parsed.postcode_area:
        # Which of them live there now, rather than lived there before.
        current = Address.objects.filter(person_id__in=ids, moved_out_on__isnull=True)
        if parsed.postcode:
            current = current.filter(postcode=parsed.postcode)
        else:
            current = current.filter(postcode__startswith=f"{parsed.postcode_area} ")
        postcode_people = set(current.values_list("person_id", flat=True))

    by_pk = {row[0]: row for row in rows}
    scored: list[tuple[float, str, str, int, list[_TokenMatch], str]] = []
    for pk, first, middle, last, preferred, born, _upn in rows:
        score = 1.0 if parsed.has_identifier else 0.0
        matches: list[_TokenMatch] = []
        if parsed.names:
            names = _Names.build(first, middle, last, preferred, other.get(pk, ()))
            matches = [_match_token(t, names.tokens, allow_prefix=True) for t in parsed.names]
            if any(m.score == 0 for m in matches):
                continue
            name_score = sum(m.score for m in matches) / len(matches)
            # Typed in the usual order (first then last) is a slightly better match.
            if len(matches) >= 2 and matches[0].part == "first" and matches[-1].part == "last":
                name_score = min(1.0, name_score + 0.02)
            score = name_score if not parsed.has_identifier else (score + name_score) / 2
        dob_reason = ""
        if parsed.has_date:
            dob_score, dob_reason = _dob_reason(parsed, born)
            if parsed.born_on is not None and not dob_score:
                continue
            if parsed.names or parsed.has_identifier:
                score = score * (0.9 + 0.1 * dob_score)
            else:
                score = dob_score
        scored.append((-round(score, 4), last.lower(), first.lower(), pk, matches, dob_reason))
    scored.sort(key=lambda row: row[:4])
    top = scored[:limit]
    people_by_pk = Person.objects.in_bulk([row[3] for row in top])
    postcodes = _current_postcodes([row[3] for row in top])
    hits = []
    for neg, _l, _f, pk, matches, dob_reason in top:
        if pk not in people_by_pk:
            continue
        _pk, first, middle, last, preferred, _born, upn = by_pk[pk]
        # Reasons are worded only for the hits shown, not for every candidate scored.
        reasons: list[str] = []
        if parsed.hearth_id is not None:
            reasons.append(f"Hearth ID {pk:07d}")
        if parsed.nhs_number:
            reasons.append("Same NHS number")
        if parsed.upn:
            reasons.append("Same UPN" if upn == parsed.upn else "Same former UPN")
        if parsed.postcode or parsed.postcode_area:
            where = f"at {parsed.postcode}" if parsed.postcode else f"in the {parsed.postcode_area} area"
            reasons.append(f"Lives {where}" if pk in postcode_people else f"Lived {where}")
        if matches:
            display = _display_map(first, middle, last, preferred, *(n for pair in other.get(pk, ()) for n in pair))
            reasons.extend(_describe(m, display) for m in matches if m.kind != "prefix" or len(m.typed) > 1)
        if dob_reason:
            reasons.append(dob_reason)
        hits.append(SearchHit(person=people_by_pk[pk], score=-neg, reasons=reasons, postcode=postcodes.get(pk, "")))
    return hits


# --------------------------------------------------------------------------- point-of-entry check


def _logistic(points: float) -> float:
    """Points of evidence as a likelihood between 0 and 1: 5 points is even odds."""
    return 1 / (1 + math.exp(-(points - 5.0) * 0.8))


def likely_matches(
    *,
    user: User,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    nhs_number: str = "",
    upn: str = "",
    postcode: str = "",
    exclude_ids: Iterable[int] = (),
    limit: int = 10,
) -> list[SearchHit]:
    """Existing people who may be the person about to be recorded, most likely first.

    For the check before a new record is created. Scores add up evidence the way record
    linkage does: a shared NHS number or UPN is near-certain; names (allowing nicknames, sounds
    alike, typos and previous surnames) and date of birth (allowing day and month swapped and
    one-digit slips) add to it, a different date of birth or NHS number counts against; a shared
    postcode, now or before, adds a little. ``score`` is between 0 and 1.
    """
    rule = _visible(user)
    if rule is None:
        return []
    nhs = normalise_nhs_number(nhs_number)
    upn = normalise_upn(upn)
    postcode = normalise_postcode(postcode) if postcode.strip() else ""
    first_tokens = name_tokens(first_name)
    last_tokens = name_tokens(last_name)
    exclude = sorted(set(exclude_ids))

    la_id = user.local_authority_id
    # Candidates from each piece of evidence, gathered in one query by index; scored below.
    sources: list[QuerySet[Any]] = []
    first_words = [t for t in first_tokens if len(t) > 1]
    last_words = [t for t in last_tokens if len(t) > 1]
    name_ids = _likely_name_ids(la_id, first_words, last_words) if first_words and last_words else None
    if nhs:
        sources.append(Person.objects.filter(local_authority_id=la_id, nhs_number=nhs).values("pk"))
    if upn:
        sources.append(Person.objects.filter(local_authority_id=la_id, upn=upn).values("pk"))
        sources.append(Person.objects.filter(local_authority_id=la_id, former_upn=upn).values("pk"))
    if date_of_birth is not None:
        dates = sorted({date_of_birth, _swapped(date_of_birth) or date_of_birth})
        sources.append(Person.objects.filter(local_authority_id=la_id, date_of_birth__in=dates).values("pk"))
    if postcode:
        sources.append(Address.objects.filter(local_authority_id=la_id, postcode=postcode).order_by()
                       .values("person_id"))
    if not sources and name_ids is None:
        return []
    candidates = Q()
    if sources:
        candidates |= Q(pk__in=sources[0].union(*sources[1:]) if len(sources) > 1 else sources[0])
    if name_ids is not None:
        candidates |= Q(pk__in=name_ids)
    # Scored from plain rows; full Person objects are built only for the few shown.
    rows = list(Person.objects.filter(rule).filter(candidates).exclude(pk__in=exclude).values_list(
        *_Candidate.FIELDS)[:CANDIDATE_CAP])
    if not rows:
        return []
    found = {row[0]: _Candidate(*row) for row in rows}
    for person_id, first, last in PersonName.objects.filter(person_id__in=found).values_list(
            "person_id", "first_name", "last_name"):
        found[person_id].other.append((first, last))
    for person_id, at, moved_out_on in Address.objects.filter(person_id__in=found).order_by(
            "person_id", "-moved_in_on", "-id").values_list("person_id", "postcode", "moved_out_on"):
        found[person_id].addresses.append((at, moved_out_on))

    evidence = (first_tokens, last_tokens, date_of_birth, nhs, upn, postcode)
    scored: list[tuple[float, str, str, int]] = []
    for candidate in found.values():
        points, _ = _evidence(candidate, *evidence, describe=False)
        probability = _logistic(points)
        if probability >= LIKELY_MIN:
            scored.append((-round(probability, 4), candidate.last_name.lower(), candidate.first_name.lower(),
                           candidate.pk))
    scored.sort()
    top = scored[:limit]
    people_by_pk = Person.objects.in_bulk([row[3] for row in top])
    return [
        SearchHit(person=people_by_pk[pk], score=-neg, reasons=_evidence(found[pk], *evidence)[1],
                  postcode=found[pk].current_postcode)
        for neg, _last, _first, pk in top if pk in people_by_pk
    ]


@dataclass
class _Candidate:
    """What the duplicate check weighs about one existing person, read as a plain row."""

    FIELDS: ClassVar[tuple[str, ...]] = (
        "pk", "first_name", "middle_names", "last_name", "preferred_name", "date_of_birth",
        "expected_date_of_birth", "nhs_number", "upn", "former_upn")

    pk: int
    first_name: str
    middle_names: str
    last_name: str
    preferred_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    nhs_number: str
    upn: str
    former_upn: str
    other: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[tuple[str, date | None]] = field(default_factory=list)  # newest first

    @property
    def current_postcode(self) -> str:
        return next((at for at, moved_out_on in self.addresses if moved_out_on is None), "")


def _evidence(person: _Candidate, first_tokens: list[str], last_tokens: list[str], born: date | None,
              nhs: str, upn: str, postcode: str, *, describe: bool = True) -> tuple[float, list[str]]:
    """Points for and against this person being the one described, with the reasons in words.

    With ``describe=False`` only the points are worked out (reasons are worded for the few
    shown), and a candidate whose names could not lift it to a likely match is not name-matched
    at all: most candidates gathered for a common name have another date of birth.
    """
    points = 0.0
    reasons: list[str] = []
    if nhs and person.nhs_number:
        if person.nhs_number == nhs:
            points += 10
            reasons.append("Same NHS number")
        else:
            points -= 5
    if upn and (person.upn or person.former_upn):
        if upn in (person.upn, person.former_upn):
            points += 8
            reasons.append("Same UPN" if person.upn == upn else "Same former UPN")
        else:
            points -= 1

    date_reasons: list[str] = []
    if born is not None and person.date_of_birth is not None:
        theirs = person.date_of_birth
        if theirs == born:
            points += 4
            date_reasons.append("Same date of birth")
        elif theirs == _swapped(born):
            points += 3
            date_reasons.append("Day and month swapped in date of birth")
        elif _one_slip(theirs, born):
            points += 1.5
            date_reasons.append("Date of birth differs by one digit")
        else:
            points -= 3
    elif (born is not None and person.date_of_birth is None and person.expected_date_of_birth is not None
          and abs((person.expected_date_of_birth - born).days) <= 31):
        points += 2
        date_reasons.append("Born close to the expected date of birth")

    if postcode:
        if any(at == postcode and moved_out_on is None for at, moved_out_on in person.addresses):
            points += 1.5
            date_reasons.append("Lives at the same postcode")
        elif any(at == postcode for at, _moved_out_on in person.addresses):
            points += 1.5
            date_reasons.append("Lived at the same postcode")

    if not describe and points + NAME_POINTS_MAX < LIKELY_MIN_POINTS:
        return points, []
    names = _Names.build(person.first_name, person.middle_names, person.last_name, person.preferred_name,
                         person.other)
    display = _display_map(person.first_name, person.middle_names, person.last_name, person.preferred_name,
                           *(n for pair in person.other for n in pair)) if describe else {}
    first_tokens_only = [t for t in names.tokens if t[1] in ("first", "middle")]
    last_tokens_only = [t for t in names.tokens if t[1] == "last"]
    for typed_tokens, candidates, weight, missing in (
        (first_tokens, first_tokens_only, 3.0, -2.0),
        (last_tokens, last_tokens_only, 3.0, -1.0),
    ):
        if not typed_tokens:
            continue
        # The first word typed carries the name; more words (middle names, double-barrelled) are extra.
        match = max((_match_token(t, candidates, allow_prefix=False) for t in typed_tokens),
                    key=lambda m: m.score)
        if match.score == 0:
            points += missing
            continue
        points += weight * match.score
        if describe:
            reasons.append(_describe(match, display))
    return points, reasons + date_reasons


def _one_slip(a: date, b: date) -> bool:
    """The two dates differ in exactly one digit of DDMMYYYY (a typing slip)."""
    x, y = a.strftime("%d%m%Y"), b.strftime("%d%m%Y")
    return sum(1 for i, j in zip(x, y, strict=True) if i != j) == 1
