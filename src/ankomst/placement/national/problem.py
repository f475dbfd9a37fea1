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


def place_stranded(
    problem: Problem, municipality_of: np.ndarray, value: np.ndarray | None = None
) -> np.ndarray:
    """Place unassigned households by ejection: household ``i`` goes to ``j`` if moving one
    household ``k`` out of ``j`` to another municipality with room frees enough for ``i``.
    Of all such moves the one losing least ``value`` is taken; households are tried
    largest first. A household that no single ejection can place stays unassigned."""
    value = problem.value if value is None else value
    out = municipality_of.copy()
    hard = ~np.isfinite(problem.soft)
    room = np.where(hard[:, None], problem.upper, np.inf) - evaluate(problem, out).load
    stranded = np.flatnonzero(out < 0)
    for i in stranded[np.argsort(-problem.use[stranded, QUOTA], kind="stable")].tolist():
        best = None  # (gain, j, k, j2)
        use_i = problem.use[i]
        for j in np.flatnonzero(problem.allowed[i]).tolist():
            deficit = use_i - room[:, j]
            if np.all(deficit <= TOL):
                best = (value[i, j], j, -1, -1)
                break
            ks = np.flatnonzero(out == j)
            short = deficit > TOL
            ks = ks[np.all(problem.use[ks][:, short] >= deficit[short] - TOL, axis=1)]
            if len(ks) == 0:
                continue
            fits = problem.allowed[ks] & np.all(
                problem.use[ks][:, :, None] <= room[None, :, :] + TOL, axis=1
            )
            fits[:, j] = False
            moved = np.where(fits, value[ks], -np.inf)
            j2 = moved.argmax(axis=1)
            gain = value[i, j] + moved[np.arange(len(ks)), j2] - value[ks, j]
            c = int(np.argmax(gain))
            if np.isfinite(gain[c]) and (best is None or gain[c] > best[0]):
                best = (float(gain[c]), j, int(ks[c]), int(j2[c]))
        if best is None:
            continue
        _, j, k, j2 = best
        if k >= 0:
            room[:, j] += problem.use[k]
            room[:, j2] -= problem.use[k]
            out[k] = j2
        room[:, j] -= use_i
        out[i] = j
    return out


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
