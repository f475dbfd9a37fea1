"""The housing placement model, solved with HiGHS.

The model counts households of a class placed in units of a class (see
``classes.py``), so a block of forty identical pavilions is one column per
household class, not forty. It is built and solved in four steps:

1. Costs of all class pairs, ``inf`` where a hard rule forbids the pair.
2. Column generation on the LP relaxation: start from the cheapest pairs of each
   household class, price every pair with the duals, add those with negative
   reduced cost, until none is left. The LP is then optimal for the full model.
3. A bound that trusts nothing: the Lagrangian dual value of the final duals
   over *all* pairs (rows at their bounds, every column at the bound its reduced
   cost prefers). It is a valid lower bound of the full model whatever the
   solver's tolerances.
4. If the LP solution is integral (a transportation problem, which the model is
   when no area rule binds, has integral vertices), it is optimal and we stop.
   Otherwise the MIP over the pairs whose reduced cost is below a threshold.
   A pair left out has reduced cost at least ``delta``, so any solution that
   uses it costs at least ``lagrangian + delta``; the bound reported is
   ``min(MIP bound, lagrangian + delta)``: a bound of the full model.

Named rows (a household class is placed or unplaced; a unit class holds at most
its units; shared rooms hold one sex each; area ceilings; the spread above an
area's share; "no family alone") are listed in ``Rows``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from .classes import Classes, build_classes
from .data import Instance
from .scoring import household_table, pair_block, spread_targets, unit_table

INF = highspy.kHighsInf
RC_TOL = 1e-7
CHUNK = 512  # household classes per block when all pairs are priced


@dataclass
class Rows:
    """Row indices of the named constraints; -1 where a row does not exist."""

    household: np.ndarray  # [K] placed + unplaced = households in class
    unit: np.ndarray  # [3, J] by sex of the household: units of a class, or beds of one sex in shared rooms
    ceiling: np.ndarray  # [A] new households in area <= ceiling
    spread: np.ndarray  # [A] new households in area - excess <= share target
    alone_free: np.ndarray  # [G, A] households without countrymen there <= M * together
    alone_together: np.ndarray  # [G, A] households of the group there >= 2 * together
    lower: np.ndarray
    upper: np.ndarray
    names: list[str]


@dataclass
class SolveStats:
    household_classes: int = 0
    unit_classes: int = 0
    class_pairs_allowed: int = 0
    unit_pairs_allowed: int = 0
    pricing_rounds: int = 0
    lp_columns: int = 0
    mip_columns: int = 0
    lp_objective: float = float("nan")
    lagrangian_bound: float = float("nan")
    excluded_min_reduced_cost: float = float("inf")
    mip_bound: float = float("nan")
    method: str = ""
    phases: dict[str, float] = field(default_factory=dict)


@dataclass
class Solution:
    unit_of: np.ndarray  # household index -> unit index, -1 unplaced
    objective: float  # of the model, from the solver
    bound: float
    status: str  # optimal | gap_reached | time_limit | no_solution
    stats: SolveStats
    classes: Classes
    cost: np.ndarray  # [K, J] class pair costs
    reduced_cost: np.ndarray  # [K, J] w.r.t. the final LP duals
    area_duals: np.ndarray  # [A] ceiling row duals


class _Model:
    def __init__(self, instance: Instance, cls: Classes, cost: np.ndarray):
        self.instance, self.cls, self.C = instance, cls, cost
        rules = instance.rules
        h, u = cls.households, cls.units
        self.K, self.J, self.A = len(h), len(u), len(instance.areas)
        self.G = int(h.group.max()) + 1 if self.K else 0
        self.s = cls.household_count.astype(float)
        self.cap = np.where(u.shared, u.beds * cls.unit_count, cls.unit_count).astype(float)
        w = rules.weights
        lower: list[float] = []
        upper: list[float] = []
        names: list[str] = []

        def add(lo: float, hi: float, name: str) -> int:
            lower.append(lo), upper.append(hi), names.append(name)
            return len(names) - 1

        household = np.array([add(self.s[k], self.s[k], f"household_class[{k}]") for k in range(self.K)], dtype=np.int64)
        unit = np.full((3, self.J), -1, dtype=np.int64)
        for j in range(self.J):
            if u.shared[j]:
                unit[1, j] = add(-INF, 0.0, f"shared_male[{j}]")
                unit[2, j] = add(-INF, float(u.beds[j] * cls.unit_count[j]), f"shared_female[{j}]")
            else:
                unit[:, j] = add(-INF, float(cls.unit_count[j]), f"unit_class[{j}]")
        ceiling = np.full(self.A, -1, dtype=np.int64)
        spread = np.full(self.A, -1, dtype=np.int64)
        total = int(self.s.sum())
        self.targets = spread_targets(instance, total)
        for a, area in enumerate(instance.areas):
            if area.ceiling is not None and area.ceiling < total:
                ceiling[a] = add(-INF, float(area.ceiling), f"ceiling[{area.id}]")
            if w.spread_excess > 0 and self.targets[a] < total:
                spread[a] = add(-INF, float(self.targets[a]), f"spread[{area.id}]")
        alone_free = np.full((max(self.G, 1), self.A), -1, dtype=np.int64)
        alone_together = np.full((max(self.G, 1), self.A), -1, dtype=np.int64)
        self.big_m = np.zeros((max(self.G, 1), self.A))
        if rules.family_alone_mode != "off" and self.K:
            for g in range(self.G):
                in_group = h.group == g
                for a, area in enumerate(instance.areas):
                    free_count = self.s[in_group & h.free[:, a]].sum()
                    m = min(free_count, area.ceiling if area.ceiling is not None else free_count)
                    if m <= 0:
                        continue
                    self.big_m[g, a] = m
                    alone_free[g, a] = add(-INF, 0.0, f"alone_free[{g},{area.id}]")
                    alone_together[g, a] = add(0.0, INF, f"alone_together[{g},{area.id}]")
        self.rows = Rows(household, unit, ceiling, spread, alone_free, alone_together,
                         np.array(lower), np.array(upper), names)
        self.area_of = u.area
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        n = len(names)
        self.h.addRows(n, self.rows.lower, self.rows.upper, 0, np.zeros(n, dtype=np.int32),
                       np.zeros(0, dtype=np.int32), np.zeros(0))
        self._static_columns()
        self.arc_k = np.zeros(0, dtype=np.int64)
        self.arc_j = np.zeros(0, dtype=np.int64)
        self.in_model = np.zeros((self.K, self.J), dtype=bool)

    # -- columns ---------------------------------------------------------------
    def _static_columns(self) -> None:
        """Unplaced households, sex of shared rooms, spread excess, 'together' switches, alone slack."""
        w = self.instance.rules.weights
        r, cls, u = self.rows, self.cls, self.cls.units
        cols: list[tuple[str, float, float, float, list[int], list[float], bool]] = []
        for k in range(self.K):
            cols.append(("unplaced", w.unplaced, 0.0, self.s[k], [r.household[k]], [1.0], True))
        for j in np.flatnonzero(u.shared):
            b = float(u.beds[j])
            cols.append(("male_rooms", 0.0, 0.0, float(cls.unit_count[j]), [r.unit[1, j], r.unit[2, j]], [-b, b], True))
        for a in np.flatnonzero(r.spread >= 0):
            cols.append(("excess", w.spread_excess, 0.0, INF, [r.spread[a]], [-1.0], False))
        soft = self.instance.rules.family_alone_mode == "soft"
        for g, a in zip(*np.nonzero(r.alone_free >= 0), strict=True):
            cols.append(("together", 0.0, 0.0, 1.0, [r.alone_free[g, a], r.alone_together[g, a]],
                         [-self.big_m[g, a], -2.0], True))
            if soft:
                cols.append(("alone", w.family_alone, 0.0, INF, [r.alone_free[g, a]], [-1.0], False))
        self.static = cols
        self.n_static = len(cols)
        if not cols:
            return
        starts = np.cumsum([0] + [len(c[4]) for c in cols[:-1]]).astype(np.int32)
        idx = np.concatenate([np.array(c[4], dtype=np.int32) for c in cols])
        val = np.concatenate([np.array(c[5], dtype=float) for c in cols])
        self.h.addCols(len(cols), np.array([c[1] for c in cols]), np.array([c[2] for c in cols]),
                       np.array([c[3] for c in cols]), len(idx), starts, idx, val)

    def arc_rows(self, ks: np.ndarray, js: np.ndarray) -> np.ndarray:
        """[n, 6] row indices of each pair's column (-1 where none): household, unit, ceiling, spread, group, alone."""
        h, r = self.cls.households, self.rows
        a = self.area_of[js]
        g = h.group[ks]
        free = h.free[ks, a]
        return np.stack([
            r.household[ks],
            r.unit[h.sex[ks], js],
            r.ceiling[a],
            r.spread[a],
            r.alone_together[g, a],
            np.where(free, r.alone_free[g, a], -1),
        ], axis=1)

    def add_arcs(self, ks: np.ndarray, js: np.ndarray) -> None:
        if len(ks) == 0:
            return
        rows = self.arc_rows(ks, js)
        present = rows >= 0
        counts = present.sum(axis=1)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int32)
        idx = rows[present].astype(np.int32)
        ub = np.minimum(self.s[ks], self.cap[js])
        self.h.addCols(len(ks), self.C[ks, js], np.zeros(len(ks)), ub, len(idx), starts, idx, np.ones(len(idx)))
        self.arc_k = np.concatenate([self.arc_k, ks])
        self.arc_j = np.concatenate([self.arc_j, js])
        self.in_model[ks, js] = True

    # -- duals -----------------------------------------------------------------
    def clamp(self, y: np.ndarray) -> np.ndarray:
        """Duals with the sign their row allows (<= rows: y <= 0; >= rows: y >= 0)."""
        y = y.copy()
        y[(self.rows.lower == -INF) & (y > 0)] = 0.0
        y[(self.rows.upper == INF) & (y < 0)] = 0.0
        return y

    def reduced_costs(self, y: np.ndarray) -> np.ndarray:
        """c - A'y for every class pair ([K, J], inf where not allowed)."""
        h, r = self.cls.households, self.rows
        ye = np.append(y, 0.0)  # index -1 reads 0
        unit_dual = ye[r.unit]  # [3, J]
        g = h.group
        area_dual = (ye[r.ceiling][None, :] + ye[r.spread][None, :] + ye[r.alone_together[g]]
                     + h.free * ye[r.alone_free[g]])  # [K, A]
        rc = np.empty((self.K, self.J))
        for lo in range(0, self.K, CHUNK):
            sl = slice(lo, lo + CHUNK)
            rc[sl] = (self.C[sl] - ye[r.household[sl]][:, None] - unit_dual[h.sex[sl]]
                      - area_dual[sl][:, self.area_of])
        return rc

    def lagrangian(self, y: np.ndarray, rc: np.ndarray) -> float:
        """L(y) = sum over rows of min(y*lower, y*upper) + sum over columns of min(rc*l, rc*u)."""
        r = self.rows
        lo = np.where(y > 0, r.lower, r.upper)
        value = float(np.sum(np.where(y != 0, y * lo, 0.0)))
        ye = np.append(y, 0.0)
        for (_, c, lb, ub, idx, val, _) in self.static:
            d = c - float(np.dot(ye[idx], val))
            value += min(d * lb, d * ub) if d != 0 else 0.0
        ub = np.minimum(self.s[:, None], self.cap[None, :])
        neg = np.isfinite(rc) & (rc < 0)
        value += float(np.sum(rc[neg] * ub[neg]))
        return value

    def integer_columns(self, extra: int = 0) -> None:
        n_static = self.n_static
        is_int = [i for i, c in enumerate(self.static) if c[6]]
        idx = np.concatenate([np.array(is_int, dtype=np.int32),
                              np.arange(n_static, n_static + len(self.arc_k), dtype=np.int32)])
        self.h.changeColsIntegrality(len(idx), idx, np.ones(len(idx), dtype=np.uint8))


def _class_costs(instance: Instance, cls: Classes) -> np.ndarray:
    K, J = len(cls.households), len(cls.units)
    C = np.empty((K, J))
    for lo in range(0, K, CHUNK):
        idx = np.arange(lo, min(lo + CHUNK, K))
        _, C[idx] = pair_block(cls.households.take(idx), cls.units, instance.rules)
    return C


def solve(
    instance: Instance,
    time_limit: float = 60.0,
    gap: float = 1e-3,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Solution:
    started = time.perf_counter()
    say = progress or (lambda msg: None)
    stats = SolveStats()

    def lap(name: str) -> None:
        stats.phases[name] = round(time.perf_counter() - started - sum(stats.phases.values()), 3)

    ht, ut = household_table(instance), unit_table(instance)
    cls = build_classes(ht, ut)
    C = _class_costs(instance, cls)
    allowed = np.isfinite(C)
    stats.household_classes, stats.unit_classes = len(cls.households), len(cls.units)
    stats.class_pairs_allowed = int(allowed.sum())
    stats.unit_pairs_allowed = int((allowed * cls.household_count[:, None] * cls.unit_count[None, :]).sum())
    say(f"{len(ht)} households in {stats.household_classes} classes, {len(ut)} units in "
        f"{stats.unit_classes} classes; {stats.unit_pairs_allowed:,} allowed household-unit pairs")
    lap("classes_and_costs")

    m = _Model(instance, cls, C)
    h = m.h
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("threads", 1)  # keeps runs deterministic and leaves a core to the caller
    h.setOptionValue("presolve", "off")  # column generation warm-starts from the last basis

    # initial columns: the cheapest pairs of every household class, and the pairs
    # of a greedy placement, so that the first LP already places almost everyone
    first = min(8, m.J)
    if m.K and m.J:
        part = np.argpartition(C, first - 1, axis=1)[:, :first] if first < m.J else np.tile(np.arange(m.J), (m.K, 1))
        ks = np.repeat(np.arange(m.K), part.shape[1])
        js = part.ravel()
        ok = np.isfinite(C[ks, js]) & ~m.in_model[ks, js]
        m.add_arcs(ks[ok], js[ok])
        gk, gj = _greedy_pairs(instance, cls, C, allowed)
        ok = ~m.in_model[gk, gj]
        m.add_arcs(gk[ok], gj[ok])

    # column generation on the LP relaxation
    y = np.zeros(len(m.rows.names))
    rc = np.full((m.K, m.J), np.inf)
    per_round = 16
    while True:
        h.setOptionValue("time_limit", max(1.0, time_limit - (time.perf_counter() - started)))
        t_lp = time.perf_counter()
        h.run()
        t_lp = time.perf_counter() - t_lp
        sol = h.getSolution()
        y = m.clamp(np.array(sol.row_dual))
        rc = m.reduced_costs(y)
        stats.pricing_rounds += 1
        candidates = np.where(m.in_model, np.inf, rc)
        negative = candidates < -RC_TOL
        rows_neg = np.flatnonzero(negative.any(axis=1))
        lp_obj = h.getInfo().objective_function_value
        say(f"pricing round {stats.pricing_rounds}: LP {lp_obj:,.2f} with {len(m.arc_k):,} pair columns, "
            f"{int(negative.sum()):,} priced in (LP {t_lp:.2f} s, {h.getInfo().simplex_iteration_count} it)")
        if len(rows_neg) == 0 or time.perf_counter() - started > time_limit:
            break
        sub = candidates[rows_neg]
        take = min(per_round, m.J)
        part = np.argpartition(sub, take - 1, axis=1)[:, :take] if take < m.J else np.tile(np.arange(m.J), (len(rows_neg), 1))
        ks = np.repeat(rows_neg, take)
        js = part.ravel()
        keep = candidates[ks, js] < -RC_TOL
        m.add_arcs(ks[keep], js[keep])
    stats.lp_objective = lp_obj
    stats.lp_columns = h.getNumCol()
    L = m.lagrangian(y, rc)
    stats.lagrangian_bound = L
    lap("lp_column_generation")
    say(f"LP relaxation {lp_obj:,.2f}; certified lower bound {L:,.2f}")

    values = np.array(sol.col_value)
    frac = np.abs(values - np.round(values)) > 1e-6
    kinds = [c[0] for c in m.static]
    say("fractional: " + str({kd: int(sum(frac[i] for i in range(m.n_static) if kinds[i] == kd)) for kd in set(kinds)})
        + f" arcs {int(frac[m.n_static:].sum())}")
    integral = bool(np.all(np.abs(values - np.round(values)) < 1e-6))
    if integral and h.getModelStatus() == highspy.HighsModelStatus.kOptimal and not (
        np.isfinite(rc) & (rc < -RC_TOL) & ~m.in_model).any():
        stats.method = "lp (integral vertex)"
        objective = lp_obj
        bound = min(L, objective)
        status = "optimal"
        x = np.round(values[m.n_static:]).astype(np.int64)
    else:
        x, objective, bound, status = _mip_phases(m, instance, values, rc, allowed, L, gap, time_limit,
                                                  started, stats, say, lap)
        if x is None:
            return _no_solution(instance, cls, C, rc, L, stats, started)
        values = np.array(h.getSolution().col_value) if stats.method == "mip" else m.sub_values
    lap("mip")
    unit_of = _deal_out(cls, m, x, values)
    lap("deal_out")
    ceiling_duals = np.where(m.rows.ceiling >= 0, y[np.maximum(m.rows.ceiling, 0)], 0.0)
    return Solution(unit_of, objective, bound, status, stats, cls, C, rc, ceiling_duals)


def _mip_phases(m: _Model, instance: Instance, values: np.ndarray, rc: np.ndarray, allowed: np.ndarray,
                L: float, gap: float, time_limit: float, started: float, stats: SolveStats, say, lap):
    """A: MIP on the support of the LP solution; B, only if A misses the gap: MIP over more pairs."""
    h = m.h
    n_arcs = len(m.arc_k)
    arc_cols = np.arange(m.n_static, m.n_static + n_arcs, dtype=np.int32)
    lp_x = values[m.n_static:]
    ub_full = np.minimum(m.s[m.arc_k], m.cap[m.arc_j])
    ub_support = np.where(lp_x > 1e-9, np.minimum(np.ceil(lp_x - 1e-9), ub_full), 0.0)
    h.changeColsBounds(n_arcs, arc_cols, np.zeros(n_arcs), ub_support)
    m.integer_columns()
    h.setOptionValue("presolve", "on")
    h.setOptionValue("mip_rel_gap", gap * 0.5)

    def remaining() -> float:
        return max(time_limit - (time.perf_counter() - started), 0.5)

    h.setOptionValue("time_limit", remaining())
    support = int((ub_support > 0).sum())
    say(f"MIP A on the LP support: {support:,} pair columns")
    h.run()
    info = h.getInfo()
    incumbent = None
    objective = float("inf")
    if info.primal_solution_status == 2:
        incumbent = np.array(h.getSolution().col_value)
        objective = info.objective_function_value
    lap("mip_support")
    say(f"MIP A: {objective:,.2f} ({h.modelStatusToString(h.getModelStatus())})")

    def gap_of(obj: float, bound: float) -> float:
        return (obj - bound) / max(abs(obj), 1e-9)

    if incumbent is not None and gap_of(objective, L) <= gap:
        stats.method = "mip on LP support"
        m.sub_values = incumbent
        status = "optimal" if gap_of(objective, L) <= 1e-9 else "gap_reached"
        say(f"MIP A: {objective:,.2f}, gap {gap_of(objective, L):.4%} to the certified bound")
        return np.round(incumbent[m.n_static:]).astype(np.int64), objective, min(L, objective), status

    # B: all pairs of the LP, plus the pairs outside it with the smallest reduced costs
    h.changeColsBounds(n_arcs, arc_cols, np.zeros(n_arcs), ub_full)
    theta = max(gap * abs(L), 1e-6)
    outside = np.where(m.in_model | ~allowed, np.inf, rc)
    take = min(12, m.J)
    part = np.argpartition(outside, take - 1, axis=1)[:, :take] if take < m.J else np.tile(np.arange(m.J), (m.K, 1))
    ks = np.repeat(np.arange(m.K), take)
    js = part.ravel()
    keep = np.isfinite(outside[ks, js]) & (outside[ks, js] <= theta)
    m.add_arcs(ks[keep], js[keep])
    m.integer_columns()
    left = np.where(m.in_model | ~allowed, np.inf, rc)
    delta = float(left.min()) if left.size else float("inf")
    stats.excluded_min_reduced_cost = delta
    stats.mip_columns = h.getNumCol()
    if incumbent is not None:
        start = highspy.HighsSolution()
        start.col_value = list(np.concatenate([incumbent, np.zeros(h.getNumCol() - len(incumbent))]))
        start.value_valid = True
        h.setSolution(start)
    h.setOptionValue("time_limit", remaining())
    say(f"MIP B over {stats.mip_columns:,} columns (pairs left out cost at least {delta:,.3f} more)")
    h.run()
    info = h.getInfo()
    stats.method = "mip"
    if info.primal_solution_status != 2:
        return None, float("nan"), L, "no_solution"
    values = np.array(h.getSolution().col_value)
    objective = info.objective_function_value
    stats.mip_bound = info.mip_dual_bound
    bound = L if delta < -RC_TOL else min(info.mip_dual_bound, L + max(delta, 0.0))
    bound = min(max(bound, L), objective)
    if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        status = "optimal" if gap_of(objective, bound) <= 1e-9 else "gap_reached"
    else:
        status = "time_limit"
    return np.round(values[m.n_static:]).astype(np.int64), objective, bound, status


def _greedy_pairs(instance: Instance, cls: Classes, C: np.ndarray, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of a quick greedy placement (most constrained class first, cheapest unit class first)."""
    cap = np.where(cls.units.shared, cls.units.beds * cls.unit_count, cls.unit_count).astype(np.int64)
    ceiling = np.array([a.ceiling if a.ceiling is not None else 10**9 for a in instance.areas], dtype=np.int64)
    ks: list[int] = []
    js: list[int] = []
    for k in np.argsort(allowed.sum(axis=1), kind="stable"):
        need = int(cls.household_count[k])
        for j in np.argsort(C[k], kind="stable"):
            if need == 0 or not np.isfinite(C[k, j]):
                break
            a = cls.units.area[j]
            take = min(need, cap[j], ceiling[a])
            if take <= 0:
                continue
            cap[j] -= take
            ceiling[a] -= take
            need -= take
            ks.append(int(k))
            js.append(int(j))
    return np.array(ks, dtype=np.int64), np.array(js, dtype=np.int64)


def _no_solution(instance, cls, C, rc, L, stats, started) -> Solution:
    unit_of = np.full(len(instance.households), -1, dtype=np.int64)
    return Solution(unit_of, float("nan"), L, "no_solution", stats, cls, C, rc, np.zeros(len(instance.areas)))


def _deal_out(cls: Classes, m: _Model, x: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Class counts -> one unit per household, in input order; shared rooms one sex each."""
    n = int(cls.household_class.size)
    unit_of = np.full(n, -1, dtype=np.int64)
    next_member = np.zeros(m.K, dtype=np.int64)
    by_unit: dict[int, list[tuple[int, int]]] = {}
    order = np.lexsort((m.arc_k, m.arc_j))
    for col in order:
        if x[col] <= 0:
            continue
        k, j = int(m.arc_k[col]), int(m.arc_j[col])
        for _ in range(int(x[col])):
            member = int(cls.household_members[k][next_member[k]])
            next_member[k] += 1
            by_unit.setdefault(j, []).append((member, int(cls.households.sex[k])))
    male_rooms = {}
    for i, c in enumerate(m.static):
        if c[0] == "male_rooms":
            j = int(np.flatnonzero(m.rows.unit[1] == c[4][0])[0])
            male_rooms[j] = int(round(values[i]))
    for j, members in by_unit.items():
        units = cls.unit_members[j]
        if not cls.units.shared[j]:
            for (member, _), unit in zip(members, units, strict=False):
                unit_of[member] = unit
            continue
        beds = int(cls.units.beds[j])
        n_male = male_rooms.get(j, 0)
        rooms = {1: list(units[:n_male]), 2: list(units[n_male:])}
        for sex in (1, 2):
            people = [mem for mem, s in members if s == sex]
            for i, member in enumerate(people):
                unit_of[member] = rooms[sex][i // beds]
    return unit_of
