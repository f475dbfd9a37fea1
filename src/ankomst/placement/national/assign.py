"""The national assignment of a batch of households to municipalities, solved with HiGHS.

The model is in ``problem.py`` (households x municipalities, one unit per household,
hard quotas and capacities, soft balance rows in the weekly mode). A full MIP has one
binary per pair (441,000 for 4,500 households and 98 municipalities; the LP relaxation
alone takes HiGHS over 20 s); it is solved in these steps instead, each within the
time limit:

1. Classes: households that agree in every pair value, every use of a resource and
   their family tie are interchangeable; the model counts how many of a class go to a
   municipality (4,775 households make about 940 classes under the synthetic score).
   The aggregation is exact: every class solution deals out to households with the same
   objective. With scores from a file every household is usually its own class.
2. Column generation on the LP relaxation: start from the best ``INITIAL_PAIRS``
   municipalities of every class and the pairs of a greedy assignment, price every
   pair with the duals (a dense [classes, m] matrix product, milliseconds), add those
   with a positive reduced profit, until none is left. The LP is then optimal for the
   full model.
3. A bound that trusts nothing: the Lagrangian value of the prices of the quota and
   capacity rows over *all* pairs, keeping each class's own row (its households in
   their best municipality at the prices, or unassigned), plus the prices times the
   bounds. It is an upper bound of the full model for any prices; with the LP's prices
   it equals the LP value.
4. If the LP solution is integral it is optimal. Otherwise an incumbent from the LP:
   its counts rounded down kept, the other households placed greedily at the prices;
   a household that fits nowhere then is placed by an ejection chain (it takes the place
   of one that moves on, possibly pushing a third) or by evicting several households
   from one municipality, and single moves improve the rest (``problem.py``). If that is
   within the gap of the bound we stop (at 12,000 persons it nearly always is).
5. Otherwise neighbourhood MIPs, RINS-like: every household keeps its municipality
   where the incumbent agrees with the LP, the rest are free (then also those in the
   municipalities concerned that have an alternative as good at the prices), each with
   its best pairs, started from the incumbent and stopped as soon as the whole model is
   within the gap (a callback). HiGHS spends seconds in root cuts on small models, which
   is why these come after, not before, the rounding.
6. Last, a MIP over the generated pairs plus the pairs of the classes the LP splits
   (those whose regret could still improve the incumbent). A pair left out has
   Lagrangian regret ``delta`` or worse (its value at the prices below its class's
   best), so a solution using it is worth at most ``bound + delta``: the bound reported
   is ``min(bound, max(MIP bound, bound + delta))``.

The LP of this generalised assignment splits at most about one class per binding quota
or capacity row (about 100 of 950 classes at 12,000 persons), so the rounding loses
little: 0.03-0.09 % at 12,000 and 31,000 persons. Small batches (a few thousand persons)
lose relatively more and need the MIPs of steps 5 and 6.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

from ..engine import Progress
from .data import NationalInstance
from .problem import (
    TOL,
    Problem,
    build_problem,
    evaluate,
    fits_alone,
    greedy,
    improve,
    place_stranded,
)
from .result import AssignmentResult, build_result
from .scores import Scores, scores_of

INF = highspy.kHighsInf
RC_TOL = 1e-7
INITIAL_PAIRS = 5  # best municipalities per class in the first LP
PER_ROUND = 8  # pairs priced in per class and round
FINISH_SHARE = 0.05  # of the time limit kept for reading the solution
FEASIBLE = 2  # HiGHS solution status
DEBUG = False
SAMPLE_SHARE = 0.25  # of the classes in the sample LP whose prices pick the first pairs
SAMPLE_FROM = 0.5  # classes per household from which the sample LP is worth it
SAMPLE_MIN = 1000  # households from which it is worth it
STRANDED = -2.0  # the neighbourhood of the households the rounding could not place
STRANDED_PAIRS = 40  # best pairs by regret per free class there
NEIGHBOURS = 8  # best pairs by regret per free class in the neighbourhood MIP
# the neighbourhood MIPs tried in turn: households where the LP and the incumbent disagree
# (-1), then also those in the municipalities concerned whose class has another pair with at
# most this regret (they may make room)
NEIGHBOURHOODS = (-1.0, 0.0, 0.01)
NEIGHBOURHOOD_SHARE = 0.5  # of the time left that the neighbourhood MIP may take
MIP_HEURISTIC_EFFORT = 0.3  # HiGHS's default 0.05 finds the last tenth of a per cent slowly


@dataclass
class SolveStats:
    households: int = 0
    classes: int = 0
    municipalities: int = 0
    pairs_allowed: int = 0
    coupling_rows: int = 0
    pricing_rounds: int = 0
    lp_columns: int = 0
    lp_objective: float = float("nan")
    lagrangian_bound: float = float("nan")
    lp_fractional_pairs: int = 0
    rounded_objective: float = float("nan")
    neighbourhood_households: int = 0
    mip_columns: int = 0
    mip_bound: float = float("nan")
    excluded_max_regret: float = float("-inf")
    method: str = ""
    phases: dict[str, float] = field(default_factory=dict)


@dataclass
class Solution:
    """What ``solve`` found: a municipality per household (-1 unassigned) and its proof."""

    municipality_of: np.ndarray
    objective: float
    bound: float  # certified upper bound of the full model
    status: str  # optimal | gap_reached | gap_not_reached | time_limit
    prices: np.ndarray  # [R, m] dual price per unit of each resource (0 where it does not bind)
    stats: SolveStats

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.bound)


@dataclass
class LPSolution:
    """The LP relaxation (for the weekly prices): its value, certified bound and prices."""

    objective: float
    bound: float
    prices: np.ndarray  # [R, m]
    converged: bool
    support: np.ndarray  # [n, m] the LP gives the household's class a share of the pair


def relative_gap(objective: float, bound: float) -> float:
    return max(bound - objective, 0.0) / max(abs(objective), 1e-9)


@dataclass
class Classes:
    """Interchangeable households: the class of each, the members of each (input order) and
    the class-level problem, whose weights count the members."""

    of: np.ndarray
    members: list[np.ndarray]
    problem: Problem


def group_classes(p: Problem) -> Classes:
    """Households agreeing in values, uses, allowed municipalities and penalty form a class."""
    if p.n == 0:
        return Classes(np.zeros(0, dtype=np.int64), [], p)
    key = np.concatenate([p.value, p.use, p.allowed, p.penalty[:, None]], axis=1)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first)  # classes in the order of their first member
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    of = rank[inverse.ravel()]
    weight = np.bincount(of, weights=p.weight, minlength=len(order))
    sorted_members = np.argsort(of, kind="stable")
    cuts = np.cumsum(np.bincount(of, minlength=len(order)))[:-1]
    members = np.split(sorted_members, cuts)
    return Classes(of, members, replace(p.take(first[order]), weight=weight))


def counts_of(cls: Classes, municipality_of: np.ndarray) -> np.ndarray:
    """[K, m] households of each class in each municipality."""
    counts = np.zeros((len(cls.members), cls.problem.m), dtype=np.int64)
    a = municipality_of >= 0
    np.add.at(counts, (cls.of[a], municipality_of[a]), 1)
    return counts


def deal_out(cls: Classes, counts: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """Class counts -> a municipality per household, members in input order; households
    already placed in ``start`` keep their place and count towards their class."""
    n = len(cls.of)
    out = np.full(n, -1, dtype=np.int64) if start is None else start.copy()
    left = counts.copy()
    if start is not None:
        left -= counts_of(cls, start)
    for k, members in enumerate(cls.members):
        js = np.repeat(np.arange(counts.shape[1]), np.maximum(left[k], 0))
        if len(js) == 0:
            continue
        free = members[out[members] < 0]
        out[free[: len(js)]] = js[: len(free)]
    return out


class _Model:
    """The LP/MIP in HiGHS over classes (minimising minus the value), built column by column."""

    def __init__(self, p: Problem, allowed: np.ndarray, seed: int):
        self.p, self.allowed = p, allowed
        n, m, R = p.n, p.m, p.use.shape[1]
        h = self.highs = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", int(seed))
        # the most each resource row could ever see; rows that cannot bind are left out
        possible = (p.use.T * p.weight) @ allowed  # [R, m]
        hard = ~np.isfinite(p.soft)
        self.hi = np.where(p.upper < possible - TOL, p.upper, INF)
        self.lo = np.where(p.lower > TOL, p.lower, -INF)
        exists = (self.hi < INF) | (self.lo > -INF)
        self.row = np.full((R, m), -1, dtype=np.int64)
        self.row[exists] = n + np.arange(int(exists.sum()))
        self.rows_r, self.rows_j = np.nonzero(exists)
        lo = np.concatenate([p.weight, self.lo[exists]])
        hi = np.concatenate([p.weight, self.hi[exists]])
        h.addRows(len(lo), lo, hi, 0, np.zeros(len(lo), dtype=np.int32), np.zeros(0, np.int32), [])
        # unassigned[k]: column k
        h.addCols(
            n,
            p.penalty.astype(float),
            np.zeros(n),
            p.weight.astype(float),
            n,
            np.arange(n, dtype=np.int32),
            np.arange(n, dtype=np.int32),
            np.ones(n),
        )
        self.n_cols = n
        # slack of a soft row, over its upper and under its lower bound
        over = p.over_cost()
        soft_rows = [
            (int(self.row[r, j]), coef, float(over[r, j] if coef < 0 else p.soft[r]))
            for r, j in zip(self.rows_r, self.rows_j, strict=True)
            if not hard[r]
            for coef, present in ((-1.0, self.hi[r, j] < INF), (1.0, self.lo[r, j] > -INF))
            if present
        ]
        self.slack_rows = np.array([s[0] for s in soft_rows], dtype=np.int64)
        self.slack_coef = np.array([s[1] for s in soft_rows])
        k = len(soft_rows)
        if k:
            h.addCols(
                k,
                np.array([s[2] for s in soft_rows]),
                np.zeros(k),
                np.full(k, INF),
                k,
                np.arange(k, dtype=np.int32),
                self.slack_rows.astype(np.int32),
                self.slack_coef,
            )
        self.slack_start = self.n_cols
        self.n_cols += k
        self.arc_i = np.zeros(0, dtype=np.int64)
        self.arc_j = np.zeros(0, dtype=np.int64)
        self.arc_col = np.zeros(0, dtype=np.int64)
        self.in_model = np.zeros((n, m), dtype=bool)

    @property
    def coupling_rows(self) -> int:
        return len(self.rows_r)

    def add_arcs(self, i: np.ndarray, j: np.ndarray) -> None:
        if len(i) == 0:
            return
        pairs = np.unique(i * self.p.m + j)
        i, j = pairs // self.p.m, pairs % self.p.m
        keep = ~self.in_model[i, j] & self.allowed[i, j]
        i, j = i[keep], j[keep]
        if len(i) == 0:
            return
        p = self.p
        rows = np.concatenate([i[:, None], self.row[:, j].T], axis=1)  # [k, 1 + R]
        coef = np.concatenate([np.ones((len(i), 1)), p.use[i]], axis=1)
        present = (rows >= 0) & (coef != 0)
        starts = np.concatenate([[0], np.cumsum(present.sum(axis=1))[:-1]]).astype(np.int32)
        idx = rows[present].astype(np.int32)
        self.highs.addCols(
            len(i),
            -p.value[i, j],
            np.zeros(len(i)),
            p.weight[i].astype(float),
            len(idx),
            starts,
            idx,
            coef[present],
        )
        self.arc_i = np.concatenate([self.arc_i, i])
        self.arc_j = np.concatenate([self.arc_j, j])
        self.arc_col = np.concatenate([self.arc_col, self.n_cols + np.arange(len(i))])
        self.n_cols += len(i)
        self.in_model[i, j] = True

    # -- prices and bounds ---------------------------------------------------------
    def prices(self, row_dual: np.ndarray) -> np.ndarray:
        """[R, m] prices (max sense: >= 0 on an upper bound) with the signs their rows allow."""
        lam = np.zeros(self.row.shape)
        lam[self.rows_r, self.rows_j] = -row_dual[self.row[self.rows_r, self.rows_j]]
        return self.clamp(lam)

    def clamp(self, lam: np.ndarray) -> np.ndarray:
        lam = np.where(self.hi < INF, lam, np.minimum(lam, 0.0))
        lam = np.where(self.lo > -INF, lam, np.maximum(lam, 0.0))
        lam = np.where(self.row >= 0, lam, 0.0)
        soft = np.broadcast_to(self.p.soft[:, None], lam.shape)
        return np.clip(lam, -soft, self.p.over_cost())

    def priced(self, lam: np.ndarray) -> np.ndarray:
        """[K, m] value of each pair at the prices, -inf where not allowed."""
        return np.where(self.allowed, self.p.value - self.p.use @ lam, -np.inf)

    def lagrangian(self, lam: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """(bound, [K] best priced value per class, [K, m] priced values) for prices ``lam``.

        Each class takes its best municipality at the prices or stays unassigned; each
        row adds its price times the bound the price leans on. Valid for any ``lam`` with
        the signs ``clamp`` gives."""
        priced = self.priced(lam)
        best = np.maximum(priced.max(axis=1, initial=-np.inf), -self.p.penalty)
        side = np.where(lam > 0, self.hi, np.where(lam < 0, self.lo, 0.0))
        rows = float(np.sum(np.where(lam != 0, lam * side, 0.0)))
        return float(np.sum(self.p.weight * best)) + rows, best, priced

    # -- solutions -------------------------------------------------------------------
    def column_values(self, counts: np.ndarray, load: np.ndarray) -> np.ndarray:
        """The model's column values of class counts (for a warm start); ``load`` [R, m]."""
        x = np.zeros(self.n_cols)
        x[: self.p.n] = self.p.weight - counts.sum(axis=1)
        x[self.arc_col] = counts[self.arc_i, self.arc_j]
        if len(self.slack_rows):
            r = self.slack_rows - self.p.n
            rr, rj = self.rows_r[r], self.rows_j[r]
            over = np.maximum(load[rr, rj] - self.hi[rr, rj], 0.0)
            under = np.maximum(self.lo[rr, rj] - load[rr, rj], 0.0)
            x[self.slack_start : self.slack_start + len(r)] = np.where(
                self.slack_coef < 0, over, under
            )
        return x

    def counts(self, values: np.ndarray) -> np.ndarray:
        out = np.zeros((self.p.n, self.p.m), dtype=np.int64)
        out[self.arc_i, self.arc_j] = np.round(values[self.arc_col]).astype(np.int64)
        return out


def _run(h: highspy.Highs, seconds: float) -> None:
    """Run with a time limit of ``seconds`` from now: HiGHS counts its limit over all runs."""
    h.setOptionValue("time_limit", h.getRunTime() + max(seconds, 0.01))
    h.run()


def _top(matrix: np.ndarray, k: int, above: float) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of the ``k`` largest entries of each row that exceed ``above``."""
    n, m = matrix.shape
    if n == 0 or m == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    k = min(k, m)
    part = (
        np.argpartition(-matrix, k - 1, axis=1)[:, :k] if k < m else np.tile(np.arange(m), (n, 1))
    )
    rows = np.repeat(np.arange(n), k)
    cols = part.ravel()
    ok = matrix[rows, cols] > above
    return rows[ok], cols[ok].astype(np.int64)


def _status(objective: float, bound: float, gap: float, timed_out: bool) -> str:
    g = relative_gap(objective, bound)
    if g <= 1e-9:
        return "optimal"
    if g <= gap:
        return "gap_reached"
    return "time_limit" if timed_out else "gap_not_reached"


def _sayer(progress: Callable[[Progress], None] | None):
    report = progress or (lambda step: None)

    def say(message: str, phase: str, objective: float = np.nan, bound: float = np.nan) -> None:
        report(Progress(phase, message, float(objective), float(bound)))

    return say


def _hard_upper(problem: Problem) -> np.ndarray:
    return np.where(np.isfinite(problem.soft)[:, None], np.inf, problem.upper)


def _order(problem: Problem) -> np.ndarray:
    """Households with few options first, then the large ones (hardest to fit)."""
    options = (problem.allowed & fits_alone(problem.use, _hard_upper(problem))).sum(axis=1)
    return np.lexsort((-problem.use[:, 0], options))


def _column_generation(m: _Model, remaining: Callable[[], float], stats: SolveStats, say):
    """The LP by column generation: (bound, prices, best, priced, column values, converged)."""
    h = m.highs
    lam = np.zeros(m.row.shape)
    bound, best, priced = m.lagrangian(lam)
    values, converged = None, False
    while remaining() > 0:
        _run(h, remaining())
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break  # cut short by the time limit: the prices of the last optimal LP stand
        sol = h.getSolution()
        row_dual = np.array(sol.row_dual)
        values = np.array(sol.col_value)
        stats.lp_objective = -h.getInfo().objective_function_value
        trial = m.prices(row_dual)
        value, best_t, priced_t = m.lagrangian(trial)
        if value < bound:  # every round's bound is valid: keep the best (smallest)
            bound, lam, best, priced = value, trial, best_t, priced_t
        stats.pricing_rounds += 1
        rc = priced_t + row_dual[: m.p.n, None]  # minus the class row's (max-sense) dual
        rc[m.in_model] = -np.inf
        ks, js = _top(rc, PER_ROUND, RC_TOL)
        say(
            f"pricing round {stats.pricing_rounds}: LP {stats.lp_objective:,.3f} over "
            f"{len(m.arc_i):,} pairs, {len(ks):,} priced in, bound {bound:,.3f}",
            "lp",
            bound=bound,
        )
        if len(ks) == 0:
            converged = True
            break
        m.add_arcs(ks, js)
    if values is not None:
        values = np.concatenate([values, np.zeros(m.n_cols - len(values))])
    return bound, lam, best, priced, values, converged


def _start(m: _Model, problem: Problem, cls: Classes, remaining) -> np.ndarray:
    """A greedy household assignment; its pairs and the best of every class enter the model.

    When the classes are nearly as many as the households (scores from a file), the best
    pairs at the prices of a sample's LP enter too: a quarter of the classes, each standing
    for proportionally more households, solved in a fraction of the time; its prices pick
    most pairs the exact LP needs, so column generation starts near its end instead of
    pricing in tens of thousands of pairs at the poor prices of the first rounds."""
    start = greedy(problem, _order(problem))
    value = np.where(m.allowed, m.p.value, -np.inf)
    ks, js = _top(value, INITIAL_PAIRS, -np.inf)
    placed = start >= 0
    ks, js = np.concatenate([ks, cls.of[placed]]), np.concatenate([js, start[placed]])
    if m.p.n > SAMPLE_FROM * problem.n and problem.n >= SAMPLE_MIN:
        p = m.p
        sample = np.random.default_rng(0).choice(p.n, int(p.n * SAMPLE_SHARE), replace=False)
        persons = p.use[:, 0] * p.weight
        scale = persons.sum() / max(persons[sample].sum(), 1e-9)  # the same persons in all
        lp = solve_lp(
            replace(p.take(sample), weight=p.weight[sample] * scale),
            time_limit=max(remaining() * 0.3, 0.01),
        )
        pk, pj = _top(m.priced(m.clamp(lp.prices)), INITIAL_PAIRS, -np.inf)
        ks, js = np.concatenate([ks, pk]), np.concatenate([js, pj])
    m.add_arcs(ks, js)
    return start


def solve_lp(
    problem: Problem,
    time_limit: float = 30.0,
    seed: int = 0,
    progress: Callable[[Progress], None] | None = None,
) -> LPSolution:
    """The LP relaxation by column generation (households may be split), with its prices.

    Used for the weekly prices, where sampled future households stand for several."""
    started = time.perf_counter()
    say = _sayer(progress)
    cls = group_classes(problem)
    cp = cls.problem
    allowed = cp.allowed & fits_alone(cp.use, _hard_upper(cp))
    m = _Model(cp, allowed, seed)
    value = np.where(allowed, cp.value, -np.inf)
    m.add_arcs(*_top(value, INITIAL_PAIRS, -np.inf))
    stats = SolveStats()
    bound, lam, _, _, values, converged = _column_generation(
        m, lambda: time_limit - (time.perf_counter() - started), stats, say
    )
    support = np.zeros((cp.n, cp.m), dtype=bool)
    if values is not None:
        used = values[m.arc_col] > 1e-6
        support[m.arc_i[used], m.arc_j[used]] = True
    return LPSolution(stats.lp_objective, bound, lam, converged, support[cls.of])


def solve(
    problem: Problem,
    time_limit: float = 60.0,
    gap: float = 1e-3,
    seed: int = 0,
    progress: Callable[[Progress], None] | None = None,
) -> Solution:
    """The best assignment found within ``time_limit`` seconds, with a certified upper bound.

    Every phase stops at the time limit (``FINISH_SHARE`` of it is kept for reading the
    solution), so the call returns within a fraction of a second of the limit.
    """
    started = time.perf_counter()
    say = _sayer(progress)
    stats = SolveStats(households=problem.n, municipalities=problem.m)
    deadline = started + time_limit * (1.0 - FINISH_SHARE)

    def remaining() -> float:
        return deadline - time.perf_counter()

    def lap(name: str) -> None:
        stats.phases[name] = round(time.perf_counter() - started - sum(stats.phases.values()), 3)

    cls = group_classes(problem)
    cp = cls.problem
    allowed = cp.allowed & fits_alone(cp.use, _hard_upper(cp))
    stats.classes = cp.n
    stats.pairs_allowed = int(
        (problem.allowed & fits_alone(problem.use, _hard_upper(problem))).sum()
    )
    m = _Model(cp, allowed, seed)
    stats.coupling_rows = m.coupling_rows
    incumbent = _start(m, problem, cls, remaining)
    objective = evaluate(problem, incumbent).objective
    lap("classes_and_start")
    say(
        f"{problem.n:,} households in {cp.n:,} classes x {problem.m} municipalities: "
        f"{stats.pairs_allowed:,} allowed pairs, {m.coupling_rows} quota and capacity rows "
        f"that can bind; greedy start {objective:,.3f}",
        "classes",
        objective,
    )
    bound, lam, best, priced, values, converged = _column_generation(m, remaining, stats, say)
    stats.lagrangian_bound, stats.lp_columns = bound, len(m.arc_i)
    lap("lp_column_generation")
    method = "greedy (time limit)"
    split = np.zeros(0, dtype=np.int64)
    if values is not None:
        x = values[m.arc_col]
        fractional = np.abs(x - np.round(x)) > 1e-6
        u = values[: cp.n]
        split = np.unique(
            np.concatenate([m.arc_i[fractional], np.flatnonzero(np.abs(u - np.round(u)) > 1e-6)])
        )
        stats.lp_fractional_pairs = int(fractional.sum())
        rounded = _rounded(m, cls, problem, values, priced, deadline)
        stats.rounded_objective = evaluate(problem, rounded).objective
        if stats.rounded_objective >= objective:
            incumbent, objective = rounded, stats.rounded_objective
            method = "lp (integral)" if not fractional.any() else "lp rounded"
        if (incumbent < 0).sum() > (values[: cp.n] > 0.5).sum() and remaining() > 0:
            # the rounding stranded households the LP places: a MIP to make room for them
            near = _neighbourhood(m, cls, problem, values, incumbent, bound, best, priced, gap,
                                  remaining, seed, STRANDED)  # fmt: skip
            if near is not None:
                near_objective = evaluate(problem, near[0]).objective
                if near_objective > objective:
                    incumbent, objective, method = near[0], near_objective, "repair mip"
                say(
                    f"MIP over {near[1]:,} households to place those the rounding stranded: "
                    f"{objective:,.3f}, {(incumbent < 0).sum()} unassigned",
                    "round",
                    objective,
                    bound,
                )
            lap("repair")
        say(
            f"LP {stats.lp_objective:,.3f}{'' if converged else ' (not converged)'}, "
            f"{len(split)} classes split; rounded {objective:,.3f}, gap "
            f"{relative_gap(objective, bound):.4%} to the certified bound {bound:,.3f}",
            "round",
            objective,
            bound,
        )
    lap("round")
    for movable in NEIGHBOURHOODS if values is not None else ():
        if relative_gap(objective, bound) <= gap or remaining() <= 0:
            break
        near = _neighbourhood(m, cls, problem, values, incumbent, bound, best, priced, gap,
                              remaining, seed, movable)  # fmt: skip
        if near is None:
            continue
        near_objective = evaluate(problem, near[0]).objective
        stats.neighbourhood_households = near[1]
        if near_objective > objective + 1e-9:
            incumbent, objective, method = near[0], near_objective, "neighbourhood mip"
        say(
            f"MIP over the {near[1]:,} households where the LP and the incumbent disagree"
            + ("" if movable < 0 else " or that could make room")
            + f": {objective:,.3f}, gap {relative_gap(objective, bound):.4%}",
            "mip",
            objective,
            bound,
        )
        lap(f"neighbourhood_{len([k for k in stats.phases if k.startswith('neighbourhood')])}")
    if values is not None and relative_gap(objective, bound) > gap and remaining() > 0:
        found = _mip(m, cls, problem, incumbent, objective, bound, best, priced, split, gap,
                     remaining)  # fmt: skip
        stats.mip_columns = len(m.arc_i)
        if found is not None:
            mip_assignment, mip_bound, delta = found
            stats.mip_bound, stats.excluded_max_regret = mip_bound, delta
            mip_objective = evaluate(problem, mip_assignment).objective
            if mip_objective > objective + 1e-9:
                incumbent, objective, method = mip_assignment, mip_objective, "mip"
            if np.isfinite(mip_bound):
                bound = min(bound, max(mip_bound, bound + delta))
        say(
            f"MIP over {stats.mip_columns:,} pairs: {objective:,.3f}, gap "
            f"{relative_gap(objective, bound):.4%} to the certified bound",
            "mip",
            objective,
            bound,
        )
        lap("mip")
    bound = max(bound, objective)  # the bound can only be below by the solver's tolerance
    stats.method = method
    status = _status(objective, bound, gap, remaining() <= 0)
    return Solution(incumbent, objective, bound, status, lam, stats)


def _rounded(m: _Model, cls: Classes, problem: Problem, values, priced, deadline) -> np.ndarray:
    """The LP's counts rounded down kept, every other household placed greedily at the prices."""
    x = values[m.arc_col]
    counts = np.zeros((cls.problem.n, problem.m), dtype=np.int64)
    counts[m.arc_i, m.arc_j] = np.floor(x + 1e-6).astype(np.int64)
    start = deal_out(cls, counts)
    rest = np.flatnonzero(start < 0)
    order = rest[np.argsort(-problem.use[rest, 0], kind="stable")]
    out = greedy(problem, order, priced[cls.of], start=start)
    if (out < 0).any():
        out = place_stranded(problem, out)
    return improve(problem, out, deadline=deadline)


def _mip(m, cls, problem, incumbent, objective, bound, best, priced, split, gap, remaining):
    """The MIP over the generated pairs and the useful pairs of the classes the LP splits.

    Returns (assignment, certified bound of the restricted model or nan, the largest
    Lagrangian regret of a pair left out) or None when no solution was read."""
    cp = cls.problem
    regret = priced - best[:, None]  # <= 0; a solution using (k, j) is worth <= bound + regret
    # reduced-cost fixing: a pair whose regret exceeds the incumbent's gap cannot improve it
    useful = regret > -(bound - objective) - 1e-9
    extra = np.zeros_like(useful)
    extra[split] = useful[split]
    m.add_arcs(*np.nonzero(extra))
    counts = counts_of(cls, incumbent)
    m.add_arcs(*np.nonzero(counts))
    out = np.where(m.in_model | ~np.isfinite(regret), -np.inf, regret)
    delta = float(out.max()) if out.size else float("-inf")
    h = m.highs
    idx = np.concatenate([np.arange(cp.n), m.arc_col]).astype(np.int32)
    h.changeColsIntegrality(len(idx), idx, np.full(len(idx), highspy.HighsVarType.kInteger))
    h.setOptionValue("presolve", "on")
    h.setOptionValue("mip_rel_gap", gap * 0.5)
    h.setOptionValue("mip_heuristic_effort", MIP_HEURISTIC_EFFORT)
    h.setOptionValue("output_flag", DEBUG)

    def enough(event) -> None:
        """Stop as soon as the incumbent is within the gap of the certified bound."""
        found = -event.data_out.mip_primal_bound
        restricted = -event.data_out.mip_dual_bound
        certified = min(bound, max(restricted, bound + delta)) if np.isfinite(restricted) else bound
        if np.isfinite(found) and relative_gap(found, certified) <= gap:
            event.interrupt()

    h.cbMipInterrupt.subscribe(enough)
    start = highspy.HighsSolution()
    start.col_value = list(m.column_values(counts, evaluate(problem, incumbent).load))
    start.value_valid = True
    h.setSolution(start)
    _run(h, remaining())
    info = h.getInfo()
    if info.primal_solution_status != FEASIBLE:
        return None
    assignment = deal_out(cls, m.counts(np.array(h.getSolution().col_value)))
    mip_bound = -info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else float("nan")
    return assignment, mip_bound, delta


def _neighbourhood(
    m, cls, problem, values, incumbent, bound, best, priced, gap, remaining, seed, movable_regret
):
    """A small MIP (RINS-like) around the incumbent: households keep their municipality where
    the incumbent agrees with the LP, except those in a municipality where something moves
    whose class has a near-best alternative (they may make room); the rest are free.

    Returns (assignment, number of free households) or None when no solution was read."""
    cp = cls.problem
    lp = np.zeros((cp.n, cp.m))
    lp[m.arc_i, m.arc_j] = values[m.arc_col]
    inc = counts_of(cls, incumbent)
    regret = priced - best[:, None]
    per_class = NEIGHBOURS
    if movable_regret == STRANDED:
        # everyone in a municipality a stranded household could go to may make room for it
        stranded = np.unique(cls.of[incumbent < 0])
        where = m.allowed[stranded].any(axis=0)
        fixed = np.where(where[None, :], 0, inc)
        per_class = STRANDED_PAIRS
    else:
        fixed = np.minimum(inc, np.floor(lp + 1e-6)).astype(np.int64)
        touched = ((inc - fixed) > 0).any(axis=0) | ((lp - fixed) > 1e-6).any(axis=0)
        if movable_regret >= 0:
            movable = np.sum(regret >= -movable_regret, axis=1) >= 2
            fixed = np.where(touched[None, :] & movable[:, None], 0, fixed)
    free = np.round(cp.weight).astype(np.int64) - fixed.sum(axis=1)
    cf = np.flatnonzero(free > 0)
    if len(cf) == 0:
        return None
    fixed_load = cp.use.T @ fixed  # [R, m]
    sub = replace(
        cp.take(cf),
        weight=free[cf].astype(float),
        lower=cp.lower - fixed_load,
        upper=cp.upper - fixed_load,
    )
    sm = _Model(sub, m.allowed[cf], seed)
    rest = (inc - fixed)[cf]
    ks, js = _top(regret[cf], per_class, -np.inf)
    lk, lj = np.nonzero(lp[cf] > 1e-6)
    rk, rj = np.nonzero(rest)
    sm.add_arcs(np.concatenate([ks, lk, rk]), np.concatenate([js, lj, rj]))
    fixed_value = float(np.sum(fixed * np.where(m.allowed, cp.value, 0.0)))
    h = sm.highs
    idx = np.concatenate([np.arange(sub.n), sm.arc_col]).astype(np.int32)
    h.changeColsIntegrality(len(idx), idx, np.full(len(idx), highspy.HighsVarType.kInteger))
    h.setOptionValue("presolve", "on")
    # its own gap in absolute terms: a quarter of the whole model's allowance, not a share
    # of the neighbourhood's small objective (which would ask for far more than needed)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", max(gap * abs(bound) * 0.25, 1e-6))
    h.setOptionValue("mip_heuristic_effort", MIP_HEURISTIC_EFFORT)
    h.setOptionValue("output_flag", DEBUG)

    def enough(event) -> None:
        found = fixed_value - event.data_out.mip_primal_bound
        if np.isfinite(found) and relative_gap(found, bound) <= gap * 0.5:
            event.interrupt()

    h.cbMipInterrupt.subscribe(enough)
    if DEBUG:
        h.writeModel(f"/tmp/neigh_{movable_regret}.mps")
    load = evaluate(problem, incumbent).load - fixed_load
    start = highspy.HighsSolution()
    start.col_value = list(sm.column_values(rest, load))
    start.value_valid = True
    h.setSolution(start)
    _run(h, remaining() * NEIGHBOURHOOD_SHARE)
    if h.getInfo().primal_solution_status != FEASIBLE:
        return None
    counts = fixed.copy()
    counts[cf] += sm.counts(np.array(h.getSolution().col_value))
    return deal_out(cls, counts), int(free.sum())


@dataclass
class FullModel:
    """The model with every allowed pair, all integer (public, for baselines and checks).

    ``highs`` holds it (minimising minus the objective); ``assignment`` turns a vector of
    its column values into a municipality per household (-1 unassigned)."""

    highs: highspy.Highs
    columns: int
    assignment: Callable[[np.ndarray], np.ndarray]


def full_model(problem: Problem) -> FullModel:
    cls = group_classes(problem)
    cp = cls.problem
    allowed = cp.allowed & fits_alone(cp.use, _hard_upper(cp))
    m = _Model(cp, allowed, 0)
    m.add_arcs(*np.nonzero(allowed))
    idx = np.concatenate([np.arange(cp.n), m.arc_col]).astype(np.int32)
    m.highs.changeColsIntegrality(len(idx), idx, np.full(len(idx), highspy.HighsVarType.kInteger))
    return FullModel(m.highs, m.n_cols, lambda values: deal_out(cls, m.counts(values)))


def assign(
    instance: NationalInstance,
    time_limit: float = 60.0,
    gap: float = 1e-3,
    seed: int = 0,
    progress: Callable[[Progress], None] | None = None,
    scores: Scores | None = None,
) -> AssignmentResult:
    """Assign the households of ``instance`` to municipalities: the whole engine in one call.

    ``scores`` defaults to the source the instance names (synthetic model or file)."""
    started = time.perf_counter()
    scores = scores or scores_of(instance)
    problem = build_problem(instance, scores)
    solution = solve(problem, time_limit=time_limit, gap=gap, seed=seed, progress=progress)
    ev = evaluate(problem, solution.municipality_of)
    parameters = {"time_limit": time_limit, "gap": gap, "seed": seed}
    return build_result(
        instance, scores, problem, solution, ev, time.perf_counter() - started, parameters
    )
