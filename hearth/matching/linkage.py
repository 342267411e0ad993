"""Probabilistic record linkage over a council's people: splink 5 on DuckDB, no Django.

``score_people(people)`` takes plain rows (see ``LinkagePerson``) and returns the pairs whose
match probability reaches the threshold, each with its match weight and, for every field,
the two values compared, the comparison level reached and its weight.

The model is Fellegi-Sunter as splink implements it:

* **m** (how often a field agrees at each level when two records ARE the same person) is set
  by hand from how recording mistakes happen (a nickname, a typing slip, day and month
  swapped, a new surname, a house move). Unsupervised EM was tried and is not used: with
  duplicates as rare as they are in a council's records (about 1 in 100), it learns the
  households (parents, siblings, twins) instead of the recording mistakes.
* **u** (how often a field agrees by chance) is estimated from the data by seeded random
  sampling, so common names count for less (term frequencies) and results are repeatable.
* The prior (the probability two random records are the same person) assumes 2% of records
  are duplicates, spread over a council of at least 10,000 people, so that a small import
  is not over-trusted.

Twins are what independence gets wrong: same date of birth, surname and address, different
first names. One date-of-birth level ("same date, completely different first name") is
fixed by hand to count slightly against, so twins are never judged certain.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

import pyarrow as pa

from hearth.search.keys import nickname_variants, normalise_name, phonetic_key

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.9
DEFAULT_SEED = 42
EXPECTED_DUPLICATE_SHARE = 0.02
MIN_COUNCIL_SIZE = 10_000
U_SAMPLE_PAIRS = 1_500_000
MIN_PEOPLE_TO_ESTIMATE = 2_000


class LinkagePerson(TypedDict, total=False):
    """One person's identifying details. Only ``id`` is required; blanks are missing values."""

    id: int
    first_name: str
    middle_names: str
    last_name: str
    other_first_names: list[str]
    other_last_names: list[str]
    date_of_birth: date | None
    sex: str
    postcode: str
    previous_postcodes: list[str]
    nhs_number: str
    upn: str
    former_upn: str
    # Ids of the people recorded as this person's parents or carers.
    parent_ids: list[int]
    # Ids of everyone recorded as related to this person in any way (either direction).
    relative_ids: list[int]


# What each field's comparison levels mean, in the words the review page uses. The key is the
# splink level label; "level" is the coarse outcome stored on the candidate.
FIELDS: dict[str, str] = {
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "postcode": "Postcode",
    "nhs_number": "NHS number",
    "upn": "UPN",
    "family": "Parents and carers",
    "related": "Recorded relationship",
}

LEVELS: dict[str, tuple[str, str]] = {
    # label: (level, plain English)
    "missing": ("missing", "Not recorded on one or both records"),
    "fn_exact": ("exact", "The same first name"),
    "fn_nickname": ("close", "A short form or nickname of the same first name"),
    "fn_typo": ("close", "The same first name with one letter different, added or swapped"),
    "fn_sounds": ("close", "First names that sound the same"),
    "fn_other": ("close", "One record's first name is the other's middle name or alias"),
    "fn_similar": ("close", "First names that are alike but not the same"),
    "fn_else": ("differs", "Different first names"),
    "ln_exact": ("exact", "The same last name"),
    "ln_typo": ("close", "The same last name with one letter different, added or swapped"),
    "ln_sounds": ("close", "Last names that sound the same"),
    "ln_other": ("close", "A previous, double-barrelled or other recorded last name matches"),
    "ln_similar": ("close", "Last names that are alike but not the same"),
    "ln_else": ("differs", "Different last names"),
    "dob_exact": ("exact", "The same date of birth"),
    "dob_twin": ("exact", "The same date of birth but a different first name, as twins have"),
    "dob_swapped": ("close", "Day and month swapped"),
    "dob_typo": ("close", "One digit different"),
    "dob_year": ("close", "Within a year of each other"),
    "dob_else": ("differs", "Different dates of birth"),
    "sex_exact": ("exact", "The same sex"),
    "sex_else": ("differs", "Different sex recorded"),
    "pc_exact": ("exact", "The same current postcode"),
    "pc_history": ("close", "A postcode from one record's address history"),
    "pc_district": ("close", "The same postcode district"),
    "pc_else": ("differs", "Different postcodes"),
    "nhs_exact": ("exact", "The same NHS number"),
    "nhs_else": ("differs", "Different NHS numbers"),
    "upn_exact": ("exact", "The same UPN (or a former UPN matches)"),
    "upn_else": ("differs", "Different UPNs"),
    "family_same_child": ("exact", "A parent or carer in common, with the same name and date of birth"),
    "family_shared": ("close", "A parent or carer in common, as brothers and sisters have"),
    "family_else": ("differs", "No parent or carer in common"),
    "related_yes": ("differs", "Recorded as relatives of each other, so two people"),
    "related_no": ("missing", "Not recorded as relatives of each other"),
}


@dataclass
class ScoredPair:
    left_id: int
    right_id: int
    match_weight: float
    match_probability: float
    # field -> {"left", "right", "level", "label", "weight"}
    comparison: dict[str, dict[str, Any]]


@dataclass
class LinkageResult:
    pairs: list[ScoredPair]
    people: int
    compared_pairs: int = 0
    timings: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------- preparing the rows


def _postcode(text: str | None) -> str:
    if not text:
        return ""
    compact = "".join(text.upper().split())
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def _identifier(text: str | None) -> str:
    if not text:
        return ""
    if text.isalnum():
        return text.upper()
    return "".join(c for c in text if c.isalnum()).upper()


def _swapped(born: date | None) -> date | None:
    if born is None or born.day == born.month or born.day > 12:
        return None
    return date(born.year, born.day, born.month)


class _Names:
    """Normalised forms of names, worked out once per distinct name (a council repeats them a lot)."""

    def __init__(self) -> None:
        self.tokens: dict[str, list[str]] = {}
        self.first: dict[str, tuple[str | None, list[str], str | None, str | None]] = {}
        self.phonetic: dict[str, str | None] = {}

    def tokens_of(self, text: str) -> list[str]:
        found = self.tokens.get(text)
        if found is None:
            found = self.tokens[text] = normalise_name(text).split()
        return found

    def first_name(self, text: str) -> tuple[str | None, list[str], str | None, str | None]:
        """(first token, its nicknames, a blocking key shared by the nickname family, phonetic code)."""
        found = self.first.get(text)
        if found is None:
            tokens = self.tokens_of(text)
            if not tokens:
                found = (None, [], None, None)
            else:
                fn = tokens[0]
                nick = sorted(nickname_variants(fn))
                found = (fn, nick, min([fn, *nick]), phonetic_key(fn) or None)
            self.first[text] = found
        return found

    def sounds(self, token: str) -> str | None:
        found = self.phonetic.get(token, "")
        if found == "":
            found = self.phonetic[token] = phonetic_key(token) or None
        return found


_SCHEMA = pa.schema([
    ("unique_id", pa.int64()), ("fn", pa.string()), ("fn_nick", pa.list_(pa.string())),
    ("fn_key", pa.string()), ("fn_meta", pa.string()), ("fn_others", pa.list_(pa.string())),
    ("ln", pa.string()), ("ln_meta", pa.string()), ("ln_all", pa.list_(pa.string())),
    ("dob", pa.date32()), ("dob_swapped", pa.date32()), ("dob_year", pa.int32()), ("dob_month", pa.int32()),
    ("dob_day", pa.int32()), ("dob_text", pa.string()), ("sex", pa.string()), ("pc", pa.string()),
    ("pc_district", pa.string()), ("pc_all", pa.list_(pa.string())), ("nhs", pa.string()), ("upn", pa.string()),
    ("upn_all", pa.list_(pa.string())), ("parents", pa.list_(pa.int64())),
    ("relatives", pa.list_(pa.int64())),
])


def _prepare(people: Iterable[LinkagePerson]) -> tuple[pa.Table, dict[int, LinkagePerson]]:
    columns: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    by_id: dict[int, LinkagePerson] = {}
    names = _Names()
    for person in people:
        pid = int(person["id"])
        by_id[pid] = person
        fn, nick, fn_key, fn_meta = names.first_name(person.get("first_name") or "")
        others = set(names.tokens_of(person.get("middle_names") or ""))
        for other in person.get("other_first_names") or ():
            others.update(names.tokens_of(other)[:1])
        others.discard(fn or "")
        ln_tokens = names.tokens_of(person.get("last_name") or "")
        ln = "".join(ln_tokens)
        ln_all = set(ln_tokens)
        for other in person.get("other_last_names") or ():
            tokens = names.tokens_of(other)
            ln_all.update(tokens)
            ln_all.add("".join(tokens))
        ln_all.discard("")
        born = person.get("date_of_birth")
        pc = _postcode(person.get("postcode"))
        pc_all = {pc, *(_postcode(p) for p in person.get("previous_postcodes") or ())}
        pc_all.discard("")
        upn = _identifier(person.get("upn"))
        upn_all = {upn, _identifier(person.get("former_upn"))}
        upn_all.discard("")
        sex = (person.get("sex") or "").upper()
        columns["unique_id"].append(pid)
        columns["fn"].append(fn)
        columns["fn_nick"].append(nick)
        columns["fn_key"].append(fn_key)
        columns["fn_meta"].append(fn_meta)
        columns["fn_others"].append(sorted(others))
        columns["ln"].append(ln or None)
        columns["ln_meta"].append(names.sounds(ln) if ln else None)
        columns["ln_all"].append(sorted(ln_all))
        columns["dob"].append(born)
        columns["dob_swapped"].append(_swapped(born))
        columns["dob_year"].append(born.year if born else None)
        columns["dob_month"].append(born.month if born else None)
        columns["dob_day"].append(born.day if born else None)
        columns["dob_text"].append(born.isoformat() if born else None)
        columns["sex"].append(sex if sex in ("M", "F") else None)
        columns["pc"].append(pc or None)
        columns["pc_district"].append(pc.split(" ")[0] if " " in pc else None)
        columns["pc_all"].append(sorted(pc_all))
        columns["nhs"].append(_identifier(person.get("nhs_number")) or None)
        columns["upn"].append(upn or None)
        columns["upn_all"].append(sorted(upn_all))
        columns["parents"].append(sorted(person.get("parent_ids") or ()) or None)
        columns["relatives"].append(sorted(person.get("relative_ids") or ()))
    return pa.table(columns, schema=_SCHEMA), by_id


# ---------------------------------------------------------------- the model


def _level(label: str, sql: str, m: float, u: float, **extra: Any) -> dict[str, Any]:
    """A level with its m set by hand and u as it is in a typical council (used for small inputs)."""
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "fix_m_probability": True,
            "u_probability": u, **extra}


def _null(label: str, sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, "is_null_level": True}


# First names that could be the same person's: used by the first-name comparison and the twin level.
_FN_EXACT = '"fn_l" = "fn_r"'
# A listed nickname, or a short form: Cal for Callum, Geo for George.
_FN_NICK = ('list_contains("fn_nick_l", "fn_r") OR list_contains("fn_nick_r", "fn_l") '
            'OR (least(length("fn_l"), length("fn_r")) >= 3 '
            'AND (starts_with("fn_l", "fn_r") OR starts_with("fn_r", "fn_l")))')
_FN_TYPO = ('damerau_levenshtein("fn_l", "fn_r") <= 1 '
            'OR jaro_winkler_similarity("fn_l", "fn_r") >= 0.92')
_FN_SOUNDS = '"fn_meta_l" = "fn_meta_r"'
# One record's first name is the other's middle name or alias. (Two records sharing only a middle
# name are not evidence: twins are often given one after a grandparent.)
_FN_OTHER = 'list_contains("fn_others_r", "fn_l") OR list_contains("fn_others_l", "fn_r")'
_FN_SIMILAR = 'jaro_winkler_similarity("fn_l", "fn_r") >= 0.8'
# One person's first name, however spelt (a middle name used instead does not count here: twins
# are sometimes given each other's names as middle names).
_FN_CLOSE = " OR ".join(f"({c})" for c in (_FN_EXACT, _FN_NICK, _FN_TYPO, _FN_SOUNDS))
# Oliver and Olivia are "alike" but are not one person's names: twins are often named so.
_FN_COMPATIBLE = " OR ".join(
    f"({c})" for c in ('"fn_l" IS NULL OR "fn_r" IS NULL', _FN_EXACT, _FN_NICK, _FN_TYPO, _FN_SOUNDS, _FN_OTHER)
)


def _comparisons(*, term_frequencies: bool) -> list[Any]:
    import splink.comparison_library as cl

    fn_tf = {"tf_adjustment_column": "fn"} if term_frequencies else {}
    ln_tf = {"tf_adjustment_column": "ln"} if term_frequencies else {}

    first_name = cl.CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            _null("missing", '"fn_l" IS NULL OR "fn_r" IS NULL'),
            _level("fn_exact", _FN_EXACT, 0.85, 0.004, **fn_tf),
            _level("fn_nickname", _FN_NICK, 0.05, 0.001),
            _level("fn_typo", _FN_TYPO, 0.04, 0.002),
            _level("fn_sounds", _FN_SOUNDS, 0.02, 0.002),
            _level("fn_other", _FN_OTHER, 0.02, 0.0005),
            _level("fn_similar", _FN_SIMILAR, 0.015, 0.01),
            _level("fn_else", "ELSE", 0.005, 0.98),
        ],
    )
    last_name = cl.CustomComparison(
        output_column_name="last_name",
        comparison_levels=[
            _null("missing", '"ln_l" IS NULL OR "ln_r" IS NULL'),
            _level("ln_exact", '"ln_l" = "ln_r"', 0.80, 0.003, **ln_tf),
            _level("ln_typo", 'damerau_levenshtein("ln_l", "ln_r") <= 1 '
                              'OR jaro_winkler_similarity("ln_l", "ln_r") >= 0.92', 0.06, 0.002),
            _level("ln_sounds", '"ln_meta_l" = "ln_meta_r"', 0.02, 0.002),
            _level("ln_other", 'len(list_intersect("ln_all_l", "ln_all_r")) > 0', 0.05, 0.001),
            _level("ln_similar", 'jaro_winkler_similarity("ln_l", "ln_r") >= 0.8', 0.01, 0.01),
            # Kept low: a different surname with only first name and birth date agreeing is as often
            # another child of the same name and birthday as a changed surname (large-council bench).
            _level("ln_else", "ELSE", 0.03, 0.98),
        ],
    )
    date_of_birth = cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            _null("missing", '"dob_l" IS NULL OR "dob_r" IS NULL'),
            _level("dob_exact", f'"dob_l" = "dob_r" AND ({_FN_COMPATIBLE})', 0.903, 0.0002),
            # Set by hand, not estimated: see the module docstring (twins).
            _level("dob_twin", '"dob_l" = "dob_r"', 0.005, 0.04, fix_u_probability=True),
            _level("dob_swapped", '"dob_year_l" = "dob_year_r" AND "dob_day_l" = "dob_month_r" '
                                  'AND "dob_month_l" = "dob_day_r"', 0.04, 0.00005),
            _level("dob_typo", 'levenshtein("dob_text_l", "dob_text_r") <= 1', 0.03, 0.003),
            _level("dob_year", 'abs(datediff(\'day\', "dob_l", "dob_r")) <= 365', 0.02, 0.09),
            _level("dob_else", "ELSE", 0.002, 0.9),
        ],
    )
    sex = cl.CustomComparison(
        output_column_name="sex",
        comparison_levels=[
            _null("missing", '"sex_l" IS NULL OR "sex_r" IS NULL'),
            _level("sex_exact", '"sex_l" = "sex_r"', 0.99, 0.5),
            _level("sex_else", "ELSE", 0.01, 0.5),
        ],
    )
    postcode = cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            _null("missing", '"pc_l" IS NULL OR "pc_r" IS NULL'),
            _level("pc_exact", '"pc_l" = "pc_r"', 0.5, 0.0005),
            _level("pc_history", 'len(list_intersect("pc_all_l", "pc_all_r")) > 0', 0.15, 0.0002),
            _level("pc_district", '"pc_district_l" = "pc_district_r"', 0.05, 0.05),
            # A second record is often made because the family moved.
            _level("pc_else", "ELSE", 0.3, 0.95),
        ],
    )
    nhs = cl.CustomComparison(
        output_column_name="nhs_number",
        comparison_levels=[
            _null("missing", '"nhs_l" IS NULL OR "nhs_r" IS NULL'),
            # Different NHS numbers all but rule a pair out (and merging is refused until one is corrected).
            _level("nhs_exact", '"nhs_l" = "nhs_r"', 0.9999999, 0.000001),
            _level("nhs_else", "ELSE", 0.0000001, 0.999999),
        ],
    )
    upn = cl.CustomComparison(
        output_column_name="upn",
        comparison_levels=[
            _null("missing", '"upn_l" IS NULL OR "upn_r" IS NULL'),
            _level("upn_exact", 'len(list_intersect("upn_all_l", "upn_all_r")) > 0', 0.95, 0.000001),
            _level("upn_else", "ELSE", 0.05, 0.999999),
        ],
    )
    # A parent in common says "same family", not "same person": brothers and sisters share one. Only
    # with the same first name and date of birth does it count (a child recorded twice under the
    # same mother); that level's chance agreement is set by hand, as it is too rare to sample.
    family = cl.CustomComparison(
        output_column_name="family",
        comparison_levels=[
            _null("missing", '"parents_l" IS NULL OR "parents_r" IS NULL'),
            _level("family_same_child",
                   f'len(list_intersect("parents_l", "parents_r")) > 0 AND ({_FN_CLOSE}) '
                   'AND ("dob_l" = "dob_r" OR "dob_swapped_l" = "dob_r" '
                   'OR levenshtein("dob_text_l", "dob_text_r") <= 1)',
                   0.35, 0.00005, fix_u_probability=True),
            _level("family_shared", 'len(list_intersect("parents_l", "parents_r")) > 0', 0.05, 0.05,
                   fix_u_probability=True),
            _level("family_else", "ELSE", 0.6, 0.95),
        ],
    )
    # Someone recorded the two as relatives of each other (twins as siblings, a father and the son
    # named after him): a person's statement that they are two people, so all but a veto. Set by
    # hand; if it was a mistake, the reviewer can still merge (the link stays behind).
    related = cl.CustomComparison(
        output_column_name="related",
        comparison_levels=[
            # Never true (the lists are empty, not null); splink expects every comparison to have one.
            _null("missing", '"relatives_l" IS NULL OR "relatives_r" IS NULL'),
            _level("related_yes", 'list_contains("relatives_l", "unique_id_r") '
                                  'OR list_contains("relatives_r", "unique_id_l")', 1e-9, 0.5,
                   fix_u_probability=True),
            _level("related_no", "ELSE", 0.9999, 0.9999, fix_u_probability=True),
        ],
    )
    return [first_name, last_name, date_of_birth, sex, postcode, nhs, upn, family, related]


def _blocking_rules() -> list[Any]:
    from splink import block_on

    # Every rule is an equi-join (DuckDB hashes, never compares all pairs), narrow enough to stay
    # fast at 300,000 people, and together they reach each kind of recording mistake.
    return [
        block_on("dob"),
        # Day and month swapped, with one of the names the same (both directions: pairs are ordered by id).
        "l.dob_swapped = r.dob AND l.ln_meta = r.ln_meta",
        "l.dob = r.dob_swapped AND l.ln_meta = r.ln_meta",
        "l.dob_swapped = r.dob AND l.fn_key = r.fn_key",
        "l.dob = r.dob_swapped AND l.fn_key = r.fn_key",
        # A slip in the day, or in the month.
        block_on("ln_meta", "dob_year", "dob_month"),
        block_on("ln_meta", "dob_year", "dob_day"),
        # A new surname with a slip in the day.
        block_on("fn_key", "dob_year", "dob_month"),
        # A slip in the year.
        block_on("fn_meta", "ln_meta", "dob_month", "dob_day"),
        # No date of birth on one record (an unborn baby, say): the names alone.
        "l.fn_meta = r.fn_meta AND l.ln_meta = r.ln_meta AND (l.dob IS NULL OR r.dob IS NULL)",
        block_on("pc", "fn_meta"),
        block_on("nhs"),
        block_on("upn"),
    ]


def prior_match_probability(people: int, share: float = EXPECTED_DUPLICATE_SHARE) -> float:
    """The chance two records picked at random are the same person, before comparing them."""
    n = max(people, MIN_COUNCIL_SIZE)
    return min(0.5, share * 2 / (n - 1))


# ---------------------------------------------------------------- running it


def score_people(
    people: Iterable[LinkagePerson],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = DEFAULT_SEED,
    u_sample_pairs: float = U_SAMPLE_PAIRS,
) -> LinkageResult:
    """Every pair of records at or above ``threshold``, best first; deterministic for a given seed."""
    from splink import DuckDBAPI, Linker, SettingsCreator

    timings: dict[str, float] = {}
    started = time.perf_counter()
    table, by_id = _prepare(people)
    timings["prepare"] = time.perf_counter() - started
    result = LinkageResult(pairs=[], people=len(by_id), timings=timings)
    if len(by_id) < 2:
        return result

    step = time.perf_counter()
    # Below this many records chance agreement cannot be measured; a typical council's is used.
    estimate = len(by_id) >= MIN_PEOPLE_TO_ESTIMATE
    db_api = DuckDBAPI()
    # Two threads: the machine's cores; more only adds contention.
    db_api.duckdb_con.execute("SET threads TO 2")
    frame = db_api.register(table, table_name="people")
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=_comparisons(term_frequencies=estimate),
        blocking_rules_to_generate_predictions=_blocking_rules(),
        probability_two_random_records_match=prior_match_probability(len(by_id)),
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=[],
    )
    linker = Linker(frame, settings, log_level=None)
    if estimate:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=u_sample_pairs, seed=seed, min_count_per_level=None, num_chunks=1
        )
    timings["train"] = time.perf_counter() - step

    step = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    timings["predict"] = time.perf_counter() - step

    step = time.perf_counter()
    labels = _gamma_labels(linker)
    fields = list(FIELDS)
    select = ", ".join(
        ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
        + [f"gamma_{f}" for f in fields]
        + [f"mw_{f}" for f in fields]
        + [f'coalesce("mw_tf_adj_{f}", 0.0)' if estimate and f in ("first_name", "last_name") else "0.0"
           for f in fields]
    )
    rows = db_api.duckdb_con.sql(
        f"SELECT {select} FROM {predictions.physical_name} "
        "ORDER BY match_probability DESC, unique_id_l, unique_id_r"
    ).fetchall()
    n = len(fields)
    for row in rows:
        left_id, right_id = sorted((int(row[0]), int(row[1])))
        left, right = by_id[left_id], by_id[right_id]
        comparison: dict[str, dict[str, Any]] = {}
        for i, name in enumerate(fields):
            gamma, weight, tf_weight = row[4 + i], row[4 + n + i], row[4 + 2 * n + i]
            label = labels[name].get(int(gamma), "missing")
            level, _ = LEVELS[label]
            weight = float(weight or 0.0) + float(tf_weight or 0.0)
            lval, rval = _display(left, name), _display(right, name)
            comparison[name] = {"left": lval, "right": rval, "level": level, "label": label,
                                "weight": round(weight, 2)}
        result.pairs.append(ScoredPair(left_id, right_id, float(row[2]), float(row[3]), comparison))
    timings["collect"] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - started
    db_api.duckdb_con.close()
    return result


def _gamma_labels(linker: Any) -> dict[str, dict[int, str]]:
    labels: dict[str, dict[int, str]] = {}
    for comparison in linker._settings_obj.comparisons:
        name = comparison.output_column_name
        labels[name] = {lvl.comparison_vector_value: lvl.label_for_charts for lvl in comparison.comparison_levels}
    return labels


def _display(person: LinkagePerson, name: str) -> str:
    if name == "first_name":
        return " ".join(p for p in (person.get("first_name", ""), person.get("middle_names", "")) if p)
    if name == "date_of_birth":
        born = person.get("date_of_birth")
        return born.isoformat() if born else ""
    if name == "upn":
        return person.get("upn", "") or ""
    if name == "related":
        return ""
    if name == "family":
        count = len(person.get("parent_ids") or ())
        return f"{count} recorded" if count else ""
    value = person.get(name)
    return str(value) if value else ""


def describe(label: str) -> str:
    """The plain-English meaning of a comparison level label."""
    return LEVELS.get(label, ("", label))[1]


def pairs_as_ids(pairs: Sequence[ScoredPair]) -> set[tuple[int, int]]:
    return {(p.left_id, p.right_id) for p in pairs}
