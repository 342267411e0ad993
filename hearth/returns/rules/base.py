"""The validation framework: DfE's rule lists (spec/) as the specification, one small function per rule.

A rule function reads a return (``Return903``: the SSDA903 tables as the strings of the CSV files, with
last year's return beside it; or ``CinCensus``) and yields a ``Hit`` for each row that breaks it. The
rule's code, message and fields come from the rule list of the return's year, so what users read is
DfE's own wording. A 903 rule runs in every year whose rule list holds its code; ``validate_903`` and
``validate_cin`` run them all and say which could not run (last year's return missing).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from hearth.returns.years import collection_period, year_label

if TYPE_CHECKING:
    from hearth.returns.cin_model import CinCensus

SPEC_DIR = Path(__file__).resolve().parent.parent / "spec"

Severity = Literal["error", "query"]
ERROR: Severity = "error"
QUERY: Severity = "query"


@dataclass(frozen=True)
class RuleSpec:
    code: str
    message: str
    fields: tuple[str, ...]
    tables: tuple[str, ...]


@cache
def specs_903(year: int) -> dict[str, RuleSpec]:
    """The SSDA903 rule list of collection year ``year`` (ending 31 March ``year``), by code."""
    path = SPEC_DIR / f"ssda903_rules_{year_label(year)}.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["code"]: RuleSpec(
                code=row["code"], message=row["message"].strip(),
                fields=tuple(f.strip() for f in row["fields"].split(";") if f.strip()),
                tables=tuple(t.strip() for t in row["tables"].split(";") if t.strip()),
            )
            for row in csv.DictReader(handle)
        }


@cache
def specs_cin() -> dict[str, tuple[RuleSpec, Severity]]:
    """The CIN census rule list (2025/26, unchanged since 2024/25): message without its (ERROR)/(QUERY)."""
    out: dict[str, tuple[RuleSpec, Severity]] = {}
    with (SPEC_DIR / "cin_rules_2025_26.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            code, message = line.rstrip("\n").split("\t", 1)
            message = message.strip()
            severity: Severity = QUERY if message.endswith("(QUERY)") else ERROR
            message = message.removesuffix("(QUERY)").removesuffix("(ERROR)").strip()
            out[code.strip()] = (RuleSpec(code=code.strip(), message=message, fields=(), tables=()), severity)
    return out


@dataclass(frozen=True)
class Hit:
    """One breach, as a rule function reports it.

    ``row`` is the 0-based row of ``table`` in a 903 return (the child is then read from its CHILD);
    ``child`` names the child where there is no row (CIN, or a child missing from a table). ``fields``
    defaults to the rule's fields in the rule list. ``source`` is the record behind the finding, as
    (model label, pk), e.g. ("cin.assessment", 12), when the rule can tell (CIN census built from Hearth).
    """

    table: str
    row: int | None = None
    child: str = ""
    fields: tuple[str, ...] = ()
    value: str = ""
    location: str = ""
    source: tuple[str, int] | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    child: str  # the LA child identifier; "" for a finding about the whole return
    table: str
    fields: tuple[str, ...]
    row: int | None = None
    value: str = ""
    location: str = ""
    source: tuple[str, int] | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass
class ValidationResult:
    findings: list[Finding] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    # Rules of this year's list that did not run, and why (not implemented, or last year's return missing).
    not_run: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def queries(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == QUERY]


# ---------------------------------------------------------------------------------------------- SSDA903


_DATE_CACHE: dict[str, date | None] = {}


def parse_903_date(value: str | None) -> date | None:
    """A 903 date (dd/mm/YYYY) or None when blank or not a real date."""
    if not value:
        return None
    try:
        return _DATE_CACHE[value]
    except KeyError:
        pass
    parsed: date | None
    try:
        parsed = datetime.strptime(value.strip(), "%d/%m/%Y").date() if len(value.strip()) == 10 else None
    except ValueError:
        parsed = None
    if len(_DATE_CACHE) < 200_000:
        _DATE_CACHE[value] = parsed
    return parsed


Row = dict[str, str]


class Return903:
    """An SSDA903 return: each table a list of rows (dicts of column -> string, exactly as in the CSV),
    and last year's return (``previous``) for the rules on ``*_last`` tables.

    ``child_pks`` maps CHILD to the Hearth person it came from, so findings can link to the record.
    """

    def __init__(self, *, year: int, tables: dict[str, list[Row]], previous: Return903 | None = None,
                 child_pks: dict[str, int] | None = None, la_code: str = "") -> None:
        self.year = year
        self.tables = tables
        self.previous = previous
        self.child_pks = child_pks or {}
        self.la_code = la_code
        self._by_child: dict[str, dict[str, list[tuple[int, Row]]]] = {}

    @property
    def period(self) -> tuple[date, date]:
        return collection_period(self.year)

    @property
    def start(self) -> date:
        return self.period[0]

    @property
    def end(self) -> date:
        """The reference date: 31 March of the collection year."""
        return self.period[1]

    def table(self, name: str) -> list[Row]:
        return self.tables.get(name, [])

    def rows(self, name: str) -> Iterator[tuple[int, Row]]:
        return enumerate(self.table(name))

    def by_child(self, name: str) -> dict[str, list[tuple[int, Row]]]:
        """Rows of ``name`` grouped by CHILD, in table order (cached)."""
        found = self._by_child.get(name)
        if found is None:
            found = {}
            for i, row in enumerate(self.table(name)):
                found.setdefault(row.get("CHILD", ""), []).append((i, row))
            self._by_child[name] = found
        return found

    def episodes_by_child(self) -> dict[str, list[tuple[int, Row]]]:
        """Episodes grouped by CHILD and sorted by DECOM (unparseable dates last), cached."""
        key = "__episodes_sorted"
        found = self._by_child.get(key)
        if found is None:
            found = {
                child: sorted(rows, key=lambda r: (parse_903_date(r[1].get("DECOM")) or date.max, r[0]))
                for child, rows in self.by_child("Episodes").items()
            }
            self._by_child[key] = found
        return found

    parse_date = staticmethod(parse_903_date)


Rule903 = Callable[[Return903], Iterable[Hit]]
RuleCin = Callable[["CinCensus"], Iterable[Hit]]


@dataclass(frozen=True)
class _Registered903:
    code: str
    check: Rule903
    severity: Severity
    needs_previous: bool


@dataclass(frozen=True)
class _RegisteredCin:
    code: str
    check: RuleCin


RULES_903: dict[str, _Registered903] = {}
RULES_CIN: dict[str, _RegisteredCin] = {}


def rule903(code: str, *, query: bool = False, needs_previous: bool = False) -> Callable[[Rule903], Rule903]:
    """Register a 903 rule. ``query=True`` for a rule DfE treats as a query (to check, not to block);
    ``needs_previous=True`` when it reads last year's return (it is then skipped, and said so, without one)."""

    def register(check: Rule903) -> Rule903:
        if code in RULES_903:
            raise ValueError(f"903 rule {code} registered twice")
        RULES_903[code] = _Registered903(code=code, check=check, severity=QUERY if query else ERROR,
                                         needs_previous=needs_previous)
        return check

    return register


def rule_cin(code: str) -> Callable[[RuleCin], RuleCin]:
    """Register a CIN census rule; its severity is the rule list's (ERROR)/(QUERY)."""

    def register(check: RuleCin) -> RuleCin:
        if code in RULES_CIN:
            raise ValueError(f"CIN rule {code} registered twice")
        RULES_CIN[code] = _RegisteredCin(code=code, check=check)
        return check

    return register


def _finding_903(ret: Return903, spec: RuleSpec, severity: Severity, hit: Hit) -> Finding:
    child = hit.child
    if not child and hit.row is not None:
        rows = (ret.previous.table(hit.table.removesuffix("_last")) if hit.table.endswith("_last") and ret.previous
                else ret.table(hit.table))
        if 0 <= hit.row < len(rows):
            child = rows[hit.row].get("CHILD", "")
    return Finding(rule=spec.code, severity=severity, message=spec.message, child=child, table=hit.table,
                   fields=hit.fields or spec.fields, row=hit.row, value=hit.value, location=hit.location,
                   source=hit.source)


def run_rule_903(code: str, ret: Return903) -> list[Finding]:
    """One rule on one return (tests, and the UI's "check this again")."""
    registered = RULES_903[code]
    spec = specs_903(ret.year).get(code) or RuleSpec(code=code, message="", fields=(), tables=())
    return [_finding_903(ret, spec, registered.severity, hit) for hit in registered.check(ret)]


# Rules that judge the return as it stands on 31 March: OC2 for children looked after 12 months by then
# (its items are recorded through the year) and ages reached by then. On a year not yet ended they
# would report what is not yet due, so a provisional run leaves them out and says why.
AT_YEAR_END_903 = frozenset({"182", "186", "191", "359", "543", "547"})


def validate_903(ret: Return903, *, progress: Callable[[int, int], None] | None = None,
                 today: date | None = None) -> ValidationResult:
    """Every rule of the year's list that Hearth implements, on ``ret``."""
    from django.utils import timezone

    from hearth.returns.rules import not_implemented_903

    result = ValidationResult()
    specs = specs_903(ret.year)
    missing_reasons = not_implemented_903()
    provisional = ret.end > (today or timezone.localdate())
    codes = list(specs)
    for n, code in enumerate(codes, start=1):
        registered = RULES_903.get(code)
        if registered is None:
            result.not_run[code] = missing_reasons.get(code, "Not implemented")
        elif provisional and code in AT_YEAR_END_903:
            result.not_run[code] = (f"Judges the return at 31 March {ret.year}; the year has not ended, so "
                                    "what it checks is not yet due")
        elif registered.needs_previous and ret.previous is None:
            result.not_run[code] = "Needs last year's return, which was not available"
        else:
            result.rules_run.append(code)
            result.findings.extend(_finding_903(ret, specs[code], registered.severity, hit)
                                   for hit in registered.check(ret))
        if progress is not None:
            progress(n, len(codes))
    result.findings.sort(key=lambda f: (f.child, f.rule, f.row if f.row is not None else -1))
    return result


def run_rule_cin(code: str, census: CinCensus) -> list[Finding]:
    spec, severity = specs_cin()[code]
    return [_finding_cin(spec, severity, hit) for hit in RULES_CIN[code].check(census)]


def _finding_cin(spec: RuleSpec, severity: Severity, hit: Hit) -> Finding:
    return Finding(rule=spec.code, severity=severity, message=spec.message, child=hit.child, table=hit.table,
                   fields=hit.fields, row=hit.row, value=hit.value, location=hit.location, source=hit.source)


def validate_cin(census: CinCensus, *, progress: Callable[[int, int], None] | None = None) -> ValidationResult:
    from hearth.returns.rules import not_implemented_cin

    result = ValidationResult()
    specs = specs_cin()
    missing_reasons = not_implemented_cin()
    for n, (code, (spec, severity)) in enumerate(specs.items(), start=1):
        registered = RULES_CIN.get(code)
        if registered is None:
            result.not_run[code] = missing_reasons.get(code, "Not implemented")
        else:
            result.rules_run.append(code)
            result.findings.extend(_finding_cin(spec, severity, hit) for hit in registered.check(census))
        if progress is not None:
            progress(n, len(specs))
    result.findings.sort(key=lambda f: (f.child, f.rule, f.location))
    return result
