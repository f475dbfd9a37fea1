"""The batch assignment model as arrays, its evaluation and a greedy assignment.

Households ``i`` (n) and municipalities ``j`` (m). A household is one unit (families
are never split) and goes to one municipality or stays unassigned:

    maximise   sum_ij value[i, j] x[i, j] - sum_i penalty[i] u[i] - sum_rows soft * slack
    subject to sum_j x[i, j] + u[i] = weight[i]                 (household[i])
               lower[r, j] <= sum_i use[i, r] x[i, j] <= upper[r, j]   (resource r of j)
               x[i, j] = 0 where not allowed (family ties)

``use[i, r]`` is what household ``i`` takes of resource ``r`` wherever it goes: persons of
the quota, adults of the language-school places, one treatment place if it needs
treatment, one large-family home if it has ``rules.large_family_persons`` persons or more,
its persons of the places for unaccompanied minors. The weekly mode adds a ``balance``
resource (persons, with a lower and an upper bound) whose rows are soft: going outside
them costs ``soft[r]`` per person instead of making the model infeasible. Quotas and
capacities are hard; a household that fits nowhere is unassigned at a large penalty per
person, so the model is always feasible and the shortfall is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .data import NationalInstance
from .scores import Scores

QUOTA, LANGUAGE, TREATMENT, LARGE, MINOR, BALANCE = range(6)
RESOURCES = (
    "quota",
    "language_school",
    "treatment",
    "large_family",
    "unaccompanied_minor",
    "balance",
)
UNIT = ("persons", "adults", "households", "households", "persons", "persons")
TOL = 1e-6


@dataclass(frozen=True)
class Problem:
    """One batch: the pairs' values, what each household uses, the bounds of every resource."""

    value: np.ndarray  # [n, m] score + network bonus of each pair
    allowed: np.ndarray  # [n, m] bool: family ties, and pairs no capacity can ever take
    use: np.ndarray  # [n, R] what a household takes of each resource
    lower: np.ndarray  # [R, m] -inf where there is no lower bound
    upper: np.ndarray  # [R, m] inf where there is no limit
    penalty: np.ndarray  # [n] objective lost when the household stays unassigned
    weight: np.ndarray  # [n] households the row stands for (1; more for a sampled future one)
    soft: np.ndarray  # [R] cost per unit outside a row's bounds; inf: the row is hard
    soft_over: np.ndarray | None = None  # [R, m] cost per unit above, where it differs

    def over_cost(self) -> np.ndarray:
        """[R, m] cost per unit above a soft row's upper bound."""
        if self.soft_over is not None:
            return self.soft_over
        return np.broadcast_to(self.soft[:, None], self.upper.shape)

    @property
    def n(self) -> int:
        return self.value.shape[0]

    @property
    def m(self) -> int:
        return self.value.shape[1]

    def with_value(self, value: np.ndarray) -> Problem:
        return replace(self, value=value)

    def take(self, rows: np.ndarray) -> Problem:
        """The sub-problem of some households (same bounds)."""
        return replace(
            self,
            value=self.value[rows],
            allowed=self.allowed[rows],
            use=self.use[rows],
            penalty=self.penalty[rows],
            weight=self.weight[rows],
        )


def household_use(instance: NationalInstance) -> np.ndarray:
    """[n, R]: what each household takes of each resource."""
    big = instance.rules.large_family_persons
    use = np.zeros((len(instance.households), len(RESOURCES)))
    for i, h in enumerate(instance.households):
        use[i] = (
            h.persons,
            h.adults,
            float(h.treatment),
            float(h.persons >= big),
            h.persons if h.unaccompanied_minor else 0.0,
            h.persons,
        )
    return use


def capacity_bounds(instance: NationalInstance) -> np.ndarray:
    """[R, m] upper bounds: the remaining quota and the capacities (inf where not given)."""
    upper = np.full((len(RESOURCES), len(instance.municipalities)), np.inf)
    for j, mu in enumerate(instance.municipalities):
        upper[QUOTA, j] = mu.quota
        for r, name in enumerate(RESOURCES):
            if name in mu.capacities:
                upper[r, j] = mu.capacities[name]
    return upper


def build_problem(instance: NationalInstance, scores: Scores) -> Problem:
    """The batch model of an instance with these scores (no balance rows)."""
    n, m = len(instance.households), len(instance.municipalities)
    use = household_use(instance)
    upper = capacity_bounds(instance)
    allowed = np.ones((n, m), dtype=bool)
    index = instance.municipality_index()
    for i, h in enumerate(instance.households):
        if h.family_tie is not None:
            allowed[i] = False
            allowed[i, index[h.family_tie]] = True
    allowed &= fits_alone(use, upper)
    persons = use[:, QUOTA]
    soft = np.full(len(RESOURCES), np.inf)
    return Problem(
        value=scores.value.astype(float),
        allowed=allowed,
        use=use,
        lower=np.full((len(RESOURCES), m), -np.inf),
        upper=upper,
        penalty=instance.rules.unassigned_penalty * persons,
        weight=np.ones(n),
        soft=soft,
    )


def fits_alone(use: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """[n, m]: the household alone fits the municipality's hard bounds."""
    out = np.ones((use.shape[0], upper.shape[1]), dtype=bool)
    for r in range(use.shape[1]):
        out &= use[:, r, None] <= upper[r][None, :] + TOL
    return out


@dataclass(frozen=True)
class Evaluation:
    objective: float  # value - penalties - soft costs
    value: float  # sum of the assigned pairs' values
    penalty: float
    soft_cost: float
    unassigned: int
    load: np.ndarray  # [R, m] what the assigned households take
    violations: list[str]


def evaluate(problem: Problem, municipality_of: np.ndarray) -> Evaluation:
    """The objective of an assignment (-1 unassigned) and every hard rule it breaks."""
    a = municipality_of >= 0
    rows = np.flatnonzero(a)
    cols = municipality_of[a]
    w = problem.weight
    load = np.zeros((problem.use.shape[1], problem.m))
    for r in range(problem.use.shape[1]):
        load[r] = np.bincount(cols, weights=problem.use[rows, r] * w[rows], minlength=problem.m)
    value = float(np.sum(problem.value[rows, cols] * w[rows]))
    penalty = float(np.sum(problem.penalty[~a] * w[~a]))
    over = np.maximum(load - problem.upper, 0.0)
    under = np.maximum(problem.lower - load, 0.0)
    hard = ~np.isfinite(problem.soft)
    violations = [
        f"{RESOURCES[r]} of municipality #{j}: {load[r, j]:g} > {problem.upper[r, j]:g}"
        for r, j in zip(*np.nonzero((over > TOL) & hard[:, None]), strict=True)
    ] + [
        f"{RESOURCES[r]} of municipality #{j}: {load[r, j]:g} < {problem.lower[r, j]:g}"
        for r, j in zip(*np.nonzero((under > TOL) & hard[:, None]), strict=True)
    ]
    not_allowed = np.flatnonzero(~problem.allowed[rows, cols])
    violations += [
        f"household #{rows[k]} in municipality #{cols[k]}, which it may not go to"
        for k in not_allowed
    ]
    soft = np.where(hard, 0.0, problem.soft)
    over_cost = np.where(hard[:, None], 0.0, problem.over_cost())
    soft_cost = float(np.sum(over * over_cost) + np.sum(under * soft[:, None]))
    return Evaluation(
        value - penalty - soft_cost,
        value,
        penalty,
        soft_cost,
        int((~a).sum()),
        load,
        violations,
    )


def greedy(
    problem: Problem,
    order: np.ndarray | None = None,
    value: np.ndarray | None = None,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """Each household in ``order`` (default: input order) to its best municipality that still
    has room in every hard bound; unassigned where none has. ``value`` defaults to the
    problem's; soft rows are ignored. Families of a tie have one choice. ``start`` is a
    partial assignment (-1: open) whose households keep their municipality."""
    value = problem.value if value is None else value
    order = np.arange(problem.n) if order is None else order
    hard = ~np.isfinite(problem.soft)
    room = np.where(hard[:, None], problem.upper, np.inf).copy()
    out = np.full(problem.n, -1, dtype=np.int64)
    if start is not None:
        out[:] = start
        room -= evaluate(problem, start).load
    for i in order.tolist():
        if out[i] >= 0:
            continue
        use = problem.use[i]
        ok = problem.allowed[i] & np.all(use[:, None] <= room + TOL, axis=0)
        if not ok.any():
            continue
        j = int(np.argmax(np.where(ok, value[i], -np.inf)))
        out[i] = j
        room[:, j] -= use
    return out


CHAIN_K = 12  # households tried per municipality as the first to make room
CHAIN_J = 8  # municipalities tried for each of them as the second link


def place_stranded(
    problem: Problem, municipality_of: np.ndarray, value: np.ndarray | None = None
) -> np.ndarray:
    """Place unassigned households by ejection chains of length one or two.

    Household ``i`` goes to ``j`` if moving a household ``k`` out of ``j`` frees enough for
    it: ``k`` goes where it fits, or to ``j2`` after a household ``l`` there moves where it
    fits. Of all such chains the one losing least ``value`` is taken. Failing that, several
    households leave one municipality for where they fit (``_evict``). Households are tried
    largest first; one that nothing can place stays unassigned."""
    value = problem.value if value is None else value
    out = municipality_of.copy()
    hard = ~np.isfinite(problem.soft)
    room = np.where(hard[:, None], problem.upper, np.inf) - evaluate(problem, out).load
    v = np.where(problem.allowed, value, -np.inf)
    use = problem.use
    stranded = np.flatnonzero(out < 0)
    for i in stranded[np.argsort(-use[stranded, QUOTA], kind="stable")].tolist():
        fits = problem.allowed & np.all(use[:, :, None] <= room[None, :, :] + TOL, axis=1)
        chain = _best_chain(problem, out, room, v, fits, i) or _evict(problem, out, room, v, i)
        if chain is None:
            continue
        for h, j in chain:  # the last move first, so that every step has room
            if out[h] >= 0:
                room[:, out[h]] += use[h]
            room[:, j] -= use[h]
            out[h] = j
    return out


def _evict(problem, out, room, v, i) -> list[tuple[int, int]] | None:
    """Moves that make room for ``i`` in one municipality by sending several households there
    elsewhere, those losing least first, each where it then fits; the best municipality."""
    use = problem.use
    best: tuple[float, list[tuple[int, int]]] | None = None
    for j in np.flatnonzero(problem.allowed[i]).tolist():
        left = room.copy()
        need = use[i] - left[:, j]
        short = need > TOL
        ks = np.flatnonzero(out == j)
        ks = ks[np.any(use[ks][:, short] > 0, axis=1)]  # they free something it lacks
        moves, gain = [], float(v[i, j])
        alternatives = np.where(problem.allowed[ks], v[ks], -np.inf)
        alternatives[:, j] = -np.inf
        for t in np.argsort(v[ks, j] - alternatives.max(axis=1, initial=-np.inf)).tolist():
            if np.all(use[i] <= left[:, j] + TOL):
                break
            k = int(ks[t])
            ok = problem.allowed[k] & np.all(use[k][:, None] <= left + TOL, axis=0)
            ok[j] = False
            if not ok.any():
                continue
            j2 = int(np.argmax(np.where(ok, v[k], -np.inf)))
            left[:, j2] -= use[k]
            left[:, j] += use[k]
            moves.append((k, j2))
            gain += float(v[k, j2] - v[k, j])
        if np.all(use[i] <= left[:, j] + TOL) and (best is None or gain > best[0]):
            best = (gain, [*moves, (i, j)])
    return None if best is None else best[1]


def _best_chain(problem, out, room, v, fits, i) -> list[tuple[int, int]] | None:
    """The moves (household, municipality), last first, that place ``i`` at least loss."""
    use = problem.use
    best: tuple[float, list[tuple[int, int]]] | None = None
    for j in np.flatnonzero(problem.allowed[i]).tolist():
        deficit = use[i] - room[:, j]
        if np.all(deficit <= TOL):
            if best is None or v[i, j] > best[0]:
                best = (float(v[i, j]), [(i, j)])
            continue
        short = deficit > TOL
        ks = np.flatnonzero(out == j)
        ks = ks[np.all(use[ks][:, short] >= deficit[short] - TOL, axis=1)]
        if len(ks) == 0:
            continue
        gain_here = v[i, j] - v[ks, j]
        ks = ks[np.argsort(-gain_here, kind="stable")][:CHAIN_K]
        for k in ks.tolist():
            base = v[i, j] - v[k, j]
            direct = np.where(fits[k], v[k], -np.inf)
            direct[j] = -np.inf
            j2 = int(np.argmax(direct))
            if np.isfinite(direct[j2]):
                gain = base + direct[j2]
                if best is None or gain > best[0]:
                    best = (float(gain), [(k, j2), (i, j)])
                continue
            targets = np.flatnonzero(problem.allowed[k])
            targets = targets[targets != j]
            targets = targets[np.argsort(-v[k, targets], kind="stable")][:CHAIN_J]
            for j2 in targets.tolist():
                d2 = use[k] - room[:, j2]
                short2 = d2 > TOL
                ls = np.flatnonzero(out == j2)
                ls = ls[np.all(use[ls][:, short2] >= d2[short2] - TOL, axis=1)]
                if len(ls) == 0:
                    continue
                moved = np.where(fits[ls], v[ls], -np.inf)
                moved[:, [j, j2]] = -np.inf
                j3 = moved.argmax(axis=1)
                gain = base + v[k, j2] - v[ls, j2] + moved[np.arange(len(ls)), j3]
                c = int(np.argmax(gain))
                if np.isfinite(gain[c]) and (best is None or gain[c] > best[0]):
                    best = (float(gain[c]), [(int(ls[c]), int(j3[c])), (k, j2), (i, j)])
    return None if best is None else best[1]


def improve(
    problem: Problem, municipality_of: np.ndarray, rounds: int = 2, deadline: float = np.inf
) -> np.ndarray:
    """Local search: move single households to a better municipality with room, the largest
    gains first, while the time lasts. Every move keeps every hard bound; soft rows are
    ignored (the caller evaluates)."""
    import time

    out = municipality_of.copy()
    hard = ~np.isfinite(problem.soft)
    room = np.where(hard[:, None], problem.upper, np.inf) - evaluate(problem, out).load
    v = np.where(problem.allowed, problem.value, -np.inf)
    for _ in range(rounds):
        changed = 0
        placed = np.flatnonzero(out >= 0)
        current = v[placed, out[placed]]
        gain = v[placed] - current[:, None]
        for t in np.argsort(-gain.max(axis=1)).tolist():
            if gain[t].max() <= 1e-9 or time.perf_counter() > deadline:
                break
            i = int(placed[t])
            j = int(out[i])
            fits = np.all(problem.use[i][:, None] <= room + TOL, axis=0)
            better = np.where(fits, v[i] - v[i, j], -np.inf)
            better[j] = -np.inf
            j2 = int(np.argmax(better))
            if better[j2] > 1e-9:
                room[:, j] += problem.use[i]
                room[:, j2] -= problem.use[i]
                out[i] = j2
                changed += 1
        if not changed:
            break
    return out
