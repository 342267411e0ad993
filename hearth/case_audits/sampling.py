"""Drawing an audit sample: which cases, and who audits each. Pure Python over plain data.

The draw is reproducible: the same cases, auditors, size and seed always give the same sample and the same
allocation, whatever order the database returned the rows in. It is stratified by team (each team's share
of the sample is its share of the cases; seats left over go by a seeded draw weighted by what each team was
owed), so one large team cannot crowd out the rest and a small one is sampled as often as it should be.

A case that no auditor in the round may take is left out before drawing and counted by reason: a restricted
or sealed record that none of the round's auditors may open, or a case every one of them works on (the
child's own worker, or a manager of their team). It is never named.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

LEFT_OUT_RESTRICTED = "restricted"
LEFT_OUT_CONFLICT = "conflict"
LEFT_OUT_WORDS = {
    LEFT_OUT_RESTRICTED: "a restricted or sealed record none of this round's auditors may open",
    LEFT_OUT_CONFLICT: "every auditor in this round works on the case or manages its worker",
}


@dataclass(frozen=True)
class Candidate:
    """An open case that could be drawn.

    ``conflicts``: staff who may not audit it (anyone allocated to the child, the managers of the child's team
    and of their worker's team). ``protected``: the record is restricted or sealed, so only ``viewers`` (the
    auditors who may open it, by hearth.access) can take it.
    """

    child_id: int
    team_id: int | None = None
    worker_id: int | None = None
    conflicts: frozenset[int] = frozenset()
    protected: bool = False
    viewers: frozenset[int] = frozenset()

    def may_audit(self, auditor_id: int) -> bool:
        if auditor_id in self.conflicts:
            return False
        return not self.protected or auditor_id in self.viewers


@dataclass(frozen=True)
class Drawn:
    candidate: Candidate
    auditor_id: int
    moderate: bool


@dataclass(frozen=True)
class Stratum:
    team_id: int | None
    available: int
    drawn: int


@dataclass
class Draw:
    drawn: list[Drawn]
    matched: int  # cases that met the criteria
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> how many
    strata: list[Stratum] = field(default_factory=list)

    @property
    def available(self) -> int:
        return self.matched - sum(self.left_out.values())


def _team_key(team_id: int | None) -> tuple[bool, int]:
    return (team_id is not None, team_id or 0)


def _shares(sizes: dict[int | None, int], k: int, rng: random.Random) -> dict[int | None, int]:
    """``k`` split across the groups in proportion to their sizes: each group's whole share, then the seats
    left over drawn at random with chances in proportion to what each group was owed (so a small team is as
    likely to be sampled as it should be, even when the sample is smaller than the number of teams)."""
    total = sum(sizes.values())
    if total == 0 or k == 0:
        return dict.fromkeys(sizes, 0)
    exact = {g: k * n / total for g, n in sizes.items()}
    shares = {g: math.floor(q) for g, q in exact.items()}
    rest = k - sum(shares.values())
    owed = [g for g in sorted(sizes, key=_team_key) if exact[g] > shares[g]]
    # Weighted sampling without replacement (Efraimidis and Spirakis): the largest u ** (1 / weight) win.
    keyed = sorted(owed, key=lambda g: rng.random() ** (1 / (exact[g] - shares[g])), reverse=True)
    for g in keyed[:rest]:
        shares[g] += 1
    return shares


def draw_sample(*, candidates: Sequence[Candidate], auditors: Sequence[int], size: int, seed: int,
                moderation_percent: int = 15) -> Draw:
    """Draw ``min(size, available)`` cases and give each to an auditor who may take it, spreading the work.

    ``moderation_percent`` of the drawn audits (rounded up) are routed for moderation, chosen with the same
    seed; a submitted audit graded inadequate is routed as well (``hearth.case_audits.services``).
    """
    rng = random.Random(seed)
    pool = sorted(set(auditors))
    ordered = sorted({c.child_id: c for c in candidates}.values(), key=lambda c: c.child_id)
    left_out: dict[str, int] = {}
    allowed: dict[int, list[int]] = {}
    by_team: dict[int | None, list[Candidate]] = defaultdict(list)
    for case in ordered:
        # Case.may_audit, unrolled: a council's every open case passes through here.
        if case.protected:
            who = [a for a in pool if a in case.viewers and a not in case.conflicts]
        elif case.conflicts:
            who = [a for a in pool if a not in case.conflicts]
        else:
            who = pool
        if not who:
            reason = (LEFT_OUT_RESTRICTED if case.protected and not any(a in case.viewers for a in pool)
                      else LEFT_OUT_CONFLICT)
            left_out[reason] = left_out.get(reason, 0) + 1
            continue
        allowed[case.child_id] = who
        by_team[case.team_id].append(case)

    teams = sorted(by_team, key=_team_key)
    k = min(max(size, 0), sum(len(v) for v in by_team.values()))
    shares = _shares({t: len(by_team[t]) for t in teams}, k, rng)
    chosen: list[Candidate] = []
    strata: list[Stratum] = []
    for team in teams:
        picked = rng.sample(by_team[team], shares[team])
        chosen.extend(sorted(picked, key=lambda c: c.child_id))
        strata.append(Stratum(team, len(by_team[team]), shares[team]))

    # The most constrained cases are placed first, so the load evens out; ties by the seed's shuffle.
    rng.shuffle(chosen)
    chosen.sort(key=lambda c: len(allowed[c.child_id]))
    load = dict.fromkeys(pool, 0)
    placed: list[tuple[Candidate, int]] = []
    for case in chosen:
        options = allowed[case.child_id]
        least = min(load[a] for a in options)
        auditor = rng.choice([a for a in options if load[a] == least])
        load[auditor] += 1
        placed.append((case, auditor))
    placed.sort(key=lambda p: p[0].child_id)

    routed = min(len(placed), math.ceil(len(placed) * max(moderation_percent, 0) / 100))
    moderated = set(rng.sample(range(len(placed)), routed))
    drawn = [Drawn(case, auditor, i in moderated) for i, (case, auditor) in enumerate(placed)]
    return Draw(drawn=drawn, matched=len(ordered), left_out=left_out, strata=strata)
