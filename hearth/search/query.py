"""Reading what a social worker typed into the search box. Pure: no database.

One box takes names, dates of birth (whole or partial), postcodes, NHS numbers, UPNs and Hearth
IDs, alone or mixed ("jordan smith 2015", "smith NG2 3NG"). Each recognised piece is taken out of
the text; what is left with letters in it is the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from hearth.people.validators import normalise_postcode, normalise_upn

from .keys import name_tokens

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

_NHS = re.compile(r"(?<![\w])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\w])")
_UPN = re.compile(r"(?<![\w])([A-Za-z]\d{11}[0-9A-Za-z])(?![\w])")
_POSTCODE = re.compile(r"(?<![\w])(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![\w])", re.IGNORECASE)
_OUTWARD = re.compile(r"(?<![\w])([A-Z]{1,2}\d[A-Z\d]?)(?![\w])", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<![\w])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w])")
_DMY = re.compile(r"(?<![\w])(\d{1,2})([/\-. ])(\d{1,2})\2(\d{4})(?![\w])")
_D_MONTH_Y = re.compile(rf"(?<![\w])(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH_NAMES})\.? (\d{{4}})(?![\w])", re.IGNORECASE)
_MONTH_Y = re.compile(rf"(?<![\w])({_MONTH_NAMES})\.? (\d{{4}})(?![\w])", re.IGNORECASE)
_MY = re.compile(r"(?<![\w])(\d{1,2})[/\-.](\d{4})(?![\w])")
_HEARTH_ID = re.compile(r"(?<![\w])(\d{7})(?![\w])")
_YEAR = re.compile(r"(?<![\w])((?:19|20)\d{2})(?![\w])")

HELP = "Search by name, date of birth, postcode, NHS number, UPN or Hearth ID"


@dataclass
class ParsedQuery:
    text: str = ""
    names: list[str] = field(default_factory=list)
    born_on: date | None = None
    born_year: int | None = None
    born_month: int | None = None  # with born_year: a month of a year
    nhs_number: str = ""
    upn: str = ""
    postcode: str = ""
    postcode_area: str = ""  # the outward code alone, e.g. "NG2"
    hearth_id: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def has_date(self) -> bool:
        return self.born_on is not None or self.born_year is not None

    @property
    def has_identifier(self) -> bool:
        return bool(self.nhs_number or self.upn or self.postcode or self.postcode_area or self.hearth_id)

    @property
    def is_empty(self) -> bool:
        return not (self.names or self.has_date or self.has_identifier)

    def date_range(self) -> tuple[date, date] | None:
        """First and last possible birth date for a partial date."""
        if self.born_year is None:
            return None
        if self.born_month is None:
            return date(self.born_year, 1, 1), date(self.born_year, 12, 31)
        first = date(self.born_year, self.born_month, 1)
        last = date(self.born_year + (self.born_month == 12), self.born_month % 12 + 1, 1)
        return first, date.fromordinal(last.toordinal() - 1)


def _quoted(text: str) -> str:
    return f"\u2018{text}\u2019"  # typographic single quotes, as GOV.UK writes them


def _take(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str] | None, str]:
    match = pattern.search(text)
    if match is None:
        return None, text
    return match, f"{text[:match.start()]} {text[match.end():]}"


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_query(text: str) -> ParsedQuery:
    parsed = ParsedQuery(text=(text or "").strip()[:200])
    rest = parsed.text

    match, rest = _take(_NHS, rest)
    if match:
        parsed.nhs_number = "".join(match.groups())
    match, rest = _take(_UPN, rest)
    if match:
        parsed.upn = normalise_upn(match.group(1))
    match, rest = _take(_POSTCODE, rest)
    if match:
        parsed.postcode = normalise_postcode(match.group(1))

    # Whole dates, then partial ones.
    for pattern, order in ((_ISO_DATE, "ymd"), (_DMY, "dmy"), (_D_MONTH_Y, "dMy")):
        match, rest = _take(pattern, rest)
        if not match:
            continue
        if order == "ymd":
            year, month, day = (int(g) for g in match.groups())
        elif order == "dmy":
            day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        else:
            day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
        parsed.born_on = _real_date(year, month, day)
        if parsed.born_on is None:
            parsed.problems.append(f"{_quoted(match.group(0).strip())} is not a real date. Enter a date like 27/3/2015")
        break
    if parsed.born_on is None and not parsed.problems:
        match, rest = _take(_MONTH_Y, rest)
        if match:
            parsed.born_month, parsed.born_year = _MONTHS[match.group(1).lower()], int(match.group(2))
        else:
            match, rest = _take(_MY, rest)
            if match:
                month, year = int(match.group(1)), int(match.group(2))
                if 1 <= month <= 12:
                    parsed.born_month, parsed.born_year = month, year
                else:
                    parsed.problems.append(f"{_quoted(match.group(0))} is not a real month. Enter a month like 3/2015")

    match, rest = _take(_HEARTH_ID, rest)
    if match:
        parsed.hearth_id = int(match.group(1))
    if not parsed.has_date and not parsed.problems:
        match, rest = _take(_YEAR, rest)
        if match:
            parsed.born_year = int(match.group(1))
    if not parsed.postcode:
        match, rest = _take(_OUTWARD, rest)
        if match:
            parsed.postcode_area = match.group(1).upper()

    for word in rest.split():
        if any(c.isalpha() for c in word):
            parsed.names.extend(name_tokens(word))
        elif any(c.isdigit() for c in word):
            parsed.problems.append(f"{_quoted(word)} is not a date of birth, NHS number, UPN or Hearth ID we recognise")
    parsed.names = parsed.names[:6]
    return parsed
