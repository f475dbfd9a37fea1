"""The housing placement model, solved with HiGHS.

The model counts households of a class placed in units of a class (see
``classes.py``), so a block of forty identical pavilions is one column per
household class, not forty. It is built and solved in these steps:

1. Costs of all class pairs, ``inf`` where a hard rule forbids the pair.
2. Column generation on the LP relaxation: start from the cheapest pairs of each
   household class and the pairs of a greedy placement, price every pair with
   the duals, add those with negative reduced cost, until none is left. The LP
   is then optimal for the full model.
3. A bound that trusts nothing: the Lagrangian value of the final duals over
   *all* pairs (each row at the bound its dual prefers, each column at the
   bound its reduced cost prefers). It is a lower bound of the full model
   whatever the solver's tolerances.
4. If the LP solution is integral (a transportation problem, which the model is
   when no area rule binds, has integral vertices) it is optimal and we stop.
   Otherwise an LP dive: settle "no family alone" from the LP solution in one step,
   then round the fractional values nearest to an integer and re-solve the LP from
   its basis until the vertex is integral. If that solution is within the gap of the
   bound we stop. Otherwise MIP A, started from the dive's solution: the pairs the LP uses, each up to its LP value rounded up,
   plus a few next-best pairs per class. If its solution is within the gap of
   the bound, we stop. Otherwise MIP B over all generated pairs and those with
   the smallest reduced costs, started from A's solution. A pair left out has
   reduced cost at least ``delta``, so a solution using it costs at least
   ``lagrangian + delta``: the bound reported is ``min(MIP bound, lagrangian + delta)``,
   a bound of the full model.

Named rows, one family per rule (``Rows``):
  household_class[k]   placed + unplaced = households in the class
  unit_class[j]        households <= units (one household per unit)
  shared_male/female   singles of one sex <= beds of the rooms given to that sex
  ceiling[a]           new households in the area <= its ceiling
  spread[a]            new households in the area - excess <= its share of inhabitants
  together[g,a]        households of group g in area a >= 2 * company[g,a]
  alone[k,a]           households of class k in area a, where no countryman lives,
                       <= class size * company[g,a]  (+ alone slack when the rule is soft)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from .classes import Classes, build_classes
from .data import Instance
from .evaluate import evaluate
from .repair import drop_alone, insert_unplaced, join_moves
from .scoring import household_table, pair_block, spread_targets, unit_table

INF = highspy.kHighsInf
RC_TOL = 1e-7
CHUNK = 256  # household classes per block when all pairs are priced
COST_CHUNK = 64  # household classes per block when costs are computed (many temporaries)
FEASIBLE = 2  # HiGHS solution status
NEIGHBOURS = 8  # next-best pairs per household class in MIP A
MAX_B_PAIRS = 100_000  # most pairs MIP B adds from outside the LP columns
SMALL_MODEL = 20_000  # LP columns up to which MIP B runs at once, without MIP A
PER_ROUND = 24  # pairs priced in per household class and round
DEBUG_LOG = False
INITIAL_PAIRS = 24  # cheapest pairs per household class in the first LP
FULL_LP_PAIRS = 60_000  # allowed class pairs up to which the first LP has them all
AREA_PAIRS = 2  # cheapest pairs per household class and area in the first LP
UNIT_PAIRS = 2  # household classes for which a unit class is cheapest, in the first LP
FINISH_SHARE = 0.1  # of the time limit kept for dealing out, the repair pass and explanations
NEAR_ENOUGH = 0.25  # of the gap target: LP and bound this close end column generation
AGGREGATE_ALONE = True  # one "alone" row per (group, area) during column generation
DIVE_ROUNDS = 40  # most LP re-solves of the rounding dive
# (households of a group in an area from which a dive gives it company, and the rounding of
# a group's areas to what it can fill two by two: see _consolidated; None keeps every area)
DIVE_THRESHOLDS = (
    (1.0, 0.5),
    (1.0, 0.0),
    (1.0, None),
    (0.5, None),
    (1.5, None),
)  # households of a group in an area from which a dive gives it company


@dataclass
class Rows:
    """Row indices of the named constraints; -1 where a row does not exist."""

    household: np.ndarray  # [K]
    unit: np.ndarray  # [3, J] by the sex code of the household (0 none, 1 male, 2 female)
    ceiling: np.ndarray  # [A]
    spread: np.ndarray  # [A]
    together: np.ndarray  # [G, A]
    alone: np.ndarray  # [K, A], created when the first pair of class k in area a enters the model
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


@dataclass
class Column:
    """A column that is not a household-unit pair, with its entries (for the bound)."""

    name: str
    cost: float
    lower: float
    upper: float
    rows: list[int]
    coefs: list[float]
    integer: bool
    index: int = -1


@dataclass(frozen=True)
class Progress:
    """One step of a solve, for a progress display: the phase, the best objective found so far
    and the certified bound (nan where not known yet: a lower bound of the housing placement,
    which minimises; an upper bound of the national assignment, which maximises), and the
    step in words."""

    phase: str  # housing: classes | lp | dive | mip | repair; national: classes | lp | round | mip
    message: str
    objective: float = float("nan")
    bound: float = float("nan")

    def __str__(self) -> str:
        return self.message


@dataclass
class SolveStats:
    household_classes: int = 0
    unit_classes: int = 0
    class_pairs_allowed: int = 0
    unit_pairs_allowed: int = 0
    pricing_rounds: int = 0
    lp_columns: int = 0
    lp_fractional: int = 0
    mip_columns: int = 0
    lp_objective: float = float("nan")
    lagrangian_bound: float = float("nan")
    excluded_min_reduced_cost: float = float("inf")
    mip_bound: float = float("nan")
    lagrangian_standard: float = float("nan")
    lagrangian_partial: float = float("nan")
    repaired: int = 0
    method: str = ""
    phases: dict[str, float] = field(default_factory=dict)


@dataclass
class Solution:
    unit_of: np.ndarray  # household index -> unit index, -1 unplaced
    objective: float
    bound: float
    status: str  # optimal | gap_reached | time_limit | no_solution
    stats: SolveStats
    classes: Classes
    cost: np.ndarray  # [K, J] class pair costs
    pair_price: Callable[[int, int], float]  # cost minus reduced cost of a class pair (duals)


class _Model:
    def __init__(self, instance: Instance, cls: Classes, cost: np.ndarray):
        self.instance, self.cls, self.C = instance, cls, cost
        rules = instance.rules
        h, u = cls.households, cls.units
        self.K, self.J, self.A = len(h), len(u), len(instance.areas)
        self.G = int(h.group.max()) + 1 if self.K else 1
        self.s = cls.household_count.astype(float)
        self.cap = np.where(u.shared, u.beds * cls.unit_count, cls.unit_count).astype(float)
        self.area_of = u.area
        self.soft = rules.family_alone_mode == "soft"
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.columns: list[Column] = []
        self.n_cols = 0
        r = self.rows = Rows(
            household=np.full(self.K, -1, dtype=np.int64),
            unit=np.full((3, self.J), -1, dtype=np.int64),
            ceiling=np.full(self.A, -1, dtype=np.int64),
            spread=np.full(self.A, -1, dtype=np.int64),
            together=np.full((self.G, self.A), -1, dtype=np.int64),
            alone=np.full((self.K, self.A), -1, dtype=np.int64),
        )
        for k in range(self.K):
            r.household[k] = self._row(self.s[k], self.s[k], f"household_class[{k}]")
        for j in range(self.J):
            if u.shared[j]:
                r.unit[1, j] = self._row(-INF, 0.0, f"shared_male[{j}]")
                r.unit[2, j] = self._row(-INF, float(self.cap[j]), f"shared_female[{j}]")
            else:
                r.unit[:, j] = self._row(-INF, float(cls.unit_count[j]), f"unit_class[{j}]")
        total = int(self.s.sum())
        self.targets = spread_targets(instance, total)
        w = rules.weights
        for a, area in enumerate(instance.areas):
            if area.ceiling is not None and area.ceiling < total:
                r.ceiling[a] = self._row(-INF, float(area.ceiling), f"ceiling[{area.id}]")
            if w.spread_excess > 0 and self.targets[a] < total:
                r.spread[a] = self._row(-INF, float(self.targets[a]), f"spread[{area.id}]")
        self.company = np.full((self.G, self.A), -1, dtype=np.int64)  # column of company[g, a]
        if rules.family_alone_mode != "off" and self.K:
            for g, a in zip(*np.nonzero(_free_groups(h, self.G)), strict=True):
                r.together[g, a] = self._row(0.0, INF, f"together[{g},{instance.areas[a].id}]")
        self._flush_rows(len(r.names))

        cols = [
            Column("unplaced", w.unplaced, 0.0, self.s[k], [r.household[k]], [1.0], True)
            for k in range(self.K)
        ]
        for j in np.flatnonzero(u.shared):
            b = float(u.beds[j])
            cols.append(
                Column(
                    "male_rooms",
                    0.0,
                    0.0,
                    float(cls.unit_count[j]),
                    [r.unit[1, j], r.unit[2, j]],
                    [-b, b],
                    True,
                )
            )
        for a in np.flatnonzero(r.spread >= 0):
            cols.append(Column("excess", w.spread_excess, 0.0, INF, [r.spread[a]], [-1.0], False))
        for g, a in zip(*np.nonzero(r.together >= 0), strict=True):
            cols.append(
                Column(f"company[{g},{a}]", 0.0, 0.0, 1.0, [r.together[g, a]], [-2.0], True)
            )
        self._add_columns(cols)
        for c in self.columns:
            if c.name.startswith("company["):
                g, a = map(int, c.name[8:-1].split(","))
                self.company[g, a] = c.index
        self.arc_k = np.zeros(0, dtype=np.int64)
        self.arc_j = np.zeros(0, dtype=np.int64)
        self.arc_col = np.zeros(0, dtype=np.int64)
        self.in_model = np.zeros((self.K, self.J), dtype=bool)
        # "no family alone" hard: one alone row per (group, area) during column generation
        self.aggregate = AGGREGATE_ALONE and rules.family_alone_mode == "hard"
        self.group_alone: dict[tuple[int, int], int] = {}
        self.group_size = np.bincount(h.group, weights=self.s, minlength=self.G)

    # -- building --------------------------------------------------------------
    def _row(self, lo: float, hi: float, name: str) -> int:
        r = self.rows
        r.lower.append(lo), r.upper.append(hi), r.names.append(name)
        return len(r.names) - 1

    def _flush_rows(self, n: int, starts=None, idx=None, val=None) -> None:
        lo = np.array(self.rows.lower[-n:])
        hi = np.array(self.rows.upper[-n:])
        if starts is None:
            starts, idx, val = np.zeros(n, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0)
        self.highs.addRows(n, lo, hi, len(idx), starts, idx, val)

    def _add_columns(self, cols: list[Column]) -> None:
        if not cols:
            return
        starts = np.cumsum([0] + [len(c.rows) for c in cols[:-1]]).astype(np.int32)
        idx = np.concatenate([np.array(c.rows, dtype=np.int32) for c in cols])
        val = np.concatenate([np.array(c.coefs, dtype=float) for c in cols])
        self.highs.addCols(
            len(cols),
            np.array([c.cost for c in cols]),
            np.array([c.lower for c in cols]),
            np.array([c.upper for c in cols]),
            len(idx),
            starts,
            idx,
            val,
        )
        for c in cols:
            c.index = self.n_cols
            self.n_cols += 1
            self.columns.append(c)

    def _alone_rows(self, ks: np.ndarray, areas: np.ndarray) -> None:
        """Rows alone[k, a] (and their slack when soft) for pairs about to enter the model."""
        h, r = self.cls.households, self.rows
        need = h.free[ks, areas] & (r.together[h.group[ks], areas] >= 0) & (r.alone[ks, areas] < 0)
        pairs = sorted(set(zip(ks[need].tolist(), areas[need].tolist(), strict=True)))
        if not pairs:
            return
        slack: dict[tuple[int, int], Column] = {}
        if self.soft:
            new = [
                Column(
                    f"alone_slack[{k},{a}]",
                    self.instance.rules.weights.family_alone,
                    0.0,
                    INF,
                    [],
                    [],
                    False,
                )
                for k, a in pairs
            ]
            self._add_columns(new)
            slack = dict(zip(pairs, new, strict=True))
        if self.aggregate:
            self._group_alone_rows(pairs)
            return
        starts, idx, val = [], [], []
        for k, a in pairs:
            row = self._row(-INF, 0.0, f"alone[{k},{self.instance.areas[a].id}]")
            r.alone[k, a] = row
            company = self.columns[self.company[h.group[k], a]]
            company.rows.append(row), company.coefs.append(-self.s[k])
            starts.append(len(idx))
            idx.append(company.index), val.append(-self.s[k])
            if self.soft:
                sl = slack[(k, a)]
                sl.rows.append(row), sl.coefs.append(-1.0)
                idx.append(sl.index), val.append(-1.0)
        self._flush_rows(
            len(pairs),
            np.array(starts, dtype=np.int32),
            np.array(idx, dtype=np.int32),
            np.array(val),
        )

    def _group_alone_rows(self, pairs: list[tuple[int, int]]) -> None:
        """During column generation one alone row per (group, area), for all the group's
        classes: households of the group there <= (households of the group) x company[g, a].
        Valid for every integer placement and, measured, as strong an LP bound as one row per
        class on the generated families, at a third of the rows (the LP solves 2-4 x faster).
        ``refine_alone`` puts the per-class rows in their place before the dive."""
        h, r = self.cls.households, self.rows
        starts, idx, val, n_new = [], [], [], 0
        for k, a in pairs:
            g = int(h.group[k])
            if (g, a) not in self.group_alone:
                row = self._row(-INF, 0.0, f"alone[group {g},{self.instance.areas[a].id}]")
                self.group_alone[(g, a)] = row
                company = self.columns[self.company[g, a]]
                company.rows.append(row), company.coefs.append(-self.group_size[g])
                starts.append(len(idx))
                idx.append(company.index), val.append(-self.group_size[g])
                n_new += 1
            r.alone[k, a] = self.group_alone[(g, a)]
        if n_new:
            self._flush_rows(
                n_new,
                np.array(starts, dtype=np.int32),
                np.array(idx, dtype=np.int32),
                np.array(val),
            )

    def refine_alone(self) -> int:
        """One alone row per (class, area) in place of the per-group rows: the group rows are
        freed (no bound, so their dual is 0 and every bound computed from here on holds), the
        class rows enter with the pairs already in the model. Returns the rows added."""
        if not self.aggregate:
            return 0
        self.aggregate = False
        h, r = self.cls.households, self.rows
        group_rows = np.array(sorted(self.group_alone.values()), dtype=np.int32)
        if len(group_rows) == 0:
            return 0
        self.highs.changeRowsBounds(
            len(group_rows),
            group_rows,
            np.full(len(group_rows), -INF),
            np.full(len(group_rows), INF),
        )
        for i in group_rows.tolist():
            r.lower[i], r.upper[i] = -INF, INF
        ks, areas = np.nonzero(r.alone >= 0)
        arc_key = self.arc_k * self.A + self.area_of[self.arc_j]
        order = np.argsort(arc_key, kind="stable")
        sorted_keys = arc_key[order]
        starts, idx, val = [], [], []
        for k, a in zip(ks.tolist(), areas.tolist(), strict=True):
            row = self._row(-INF, 0.0, f"alone[{k},{self.instance.areas[a].id}]")
            r.alone[k, a] = row
            company = self.columns[self.company[h.group[k], a]]
            company.rows.append(row), company.coefs.append(-self.s[k])
            lo, hi = np.searchsorted(sorted_keys, [k * self.A + a, k * self.A + a + 1])
            starts.append(len(idx))
            idx.append(company.index), val.append(-self.s[k])
            cols = self.arc_col[order[lo:hi]].tolist()
            idx.extend(cols), val.extend([1.0] * len(cols))
        self._flush_rows(
            len(ks), np.array(starts, dtype=np.int32), np.array(idx, dtype=np.int32), np.array(val)
        )
        return len(ks)

    def arc_rows(self, ks: np.ndarray, js: np.ndarray) -> np.ndarray:
        """[n, 6] rows of each pair's column, -1 where none: household, unit, ceiling, spread, together, alone."""
        h, r = self.cls.households, self.rows
        a = self.area_of[js]
        return np.stack(
            [
                r.household[ks],
                r.unit[h.sex[ks], js],
                r.ceiling[a],
                r.spread[a],
                r.together[h.group[ks], a],
                r.alone[ks, a],
            ],
            axis=1,
        )

    def add_arcs(self, ks: np.ndarray, js: np.ndarray) -> None:
        if len(ks) == 0:
            return
        self._alone_rows(ks, self.area_of[js])
        rows = self.arc_rows(ks, js)
        present = rows >= 0
        starts = np.concatenate([[0], np.cumsum(present.sum(axis=1))[:-1]]).astype(np.int32)
        idx = rows[present].astype(np.int32)
        ub = np.minimum(self.s[ks], self.cap[js])
        self.highs.addCols(
            len(ks), self.C[ks, js], np.zeros(len(ks)), ub, len(idx), starts, idx, np.ones(len(idx))
        )
        self.arc_k = np.concatenate([self.arc_k, ks])
        self.arc_j = np.concatenate([self.arc_j, js])
        self.arc_col = np.concatenate([self.arc_col, np.arange(self.n_cols, self.n_cols + len(ks))])
        self.n_cols += len(ks)
        self.in_model[ks, js] = True

    def make_integer(self) -> None:
        idx = _integer_columns(self)[0].astype(np.int32)
        self.highs.changeColsIntegrality(len(idx), idx, np.ones(len(idx), dtype=np.uint8))

    # -- duals and bound -------------------------------------------------------
    def clamp(self, y: np.ndarray) -> np.ndarray:
        """Duals with the sign their row allows (<= rows: y <= 0; >= rows: y >= 0)."""
        lower, upper = np.array(self.rows.lower), np.array(self.rows.upper)
        y = y.copy()
        y[(lower == -INF) & (y > 0)] = 0.0
        y[(upper == INF) & (y < 0)] = 0.0
        return y

    def _dual_parts(self, y: np.ndarray):
        h, r = self.cls.households, self.rows
        ye = np.append(y, 0.0)  # index -1 reads 0; rows not yet built have y = 0
        unit_dual = ye[r.unit]  # [3, J]
        area_dual = (
            ye[r.ceiling][None, :] + ye[r.spread][None, :] + ye[r.together[h.group]] + ye[r.alone]
        )  # [K, A]
        return ye, unit_dual, area_dual

    def rc_block(self, y: np.ndarray, sl: slice, parts=None) -> np.ndarray:
        """c - A'y for the household classes ``sl`` x every unit class (inf where not allowed)."""
        h, r = self.cls.households, self.rows
        ye, unit_dual, area_dual = parts or self._dual_parts(y)
        return (
            self.C[sl]
            - ye[r.household[sl]][:, None]
            - unit_dual[h.sex[sl]]
            - area_dual[sl][:, self.area_of]
        )

    def rc_pairs(self, y: np.ndarray, ks: np.ndarray, js: np.ndarray) -> np.ndarray:
        h, r = self.cls.households, self.rows
        ye, unit_dual, area_dual = self._dual_parts(y)
        return (
            self.C[ks, js]
            - ye[r.household[ks]]
            - unit_dual[h.sex[ks], js]
            - area_dual[ks, self.area_of[js]]
        )

    def reduced_costs(self, y: np.ndarray) -> np.ndarray:
        """c - A'y for every class pair ([K, J], inf where not allowed)."""
        parts = self._dual_parts(y)
        rc = np.empty((self.K, self.J))
        for lo in range(0, self.K, CHUNK):
            rc[lo : lo + CHUNK] = self.rc_block(y, slice(lo, lo + CHUNK), parts)
        return rc

    def price(self, y: np.ndarray, per_row: int, theta: float = -RC_TOL):
        """One pass over all pairs, block by block: the bounds of ``y`` and the pairs to add.

        Returns (standard bound, partial bound, ks, js, values, count, delta): the ``per_row``
        pairs with the smallest reduced cost below ``theta`` per class outside the model,
        how many pairs outside are below ``theta``, and the smallest reduced cost outside the
        model among the pairs not returned.
        """
        y = self._dual_feasible(y)
        standard, partial = self._row_and_column_terms(y)
        parts = self._dual_parts(y)
        out_k, out_j, out_v = [], [], []
        count, delta = 0, np.inf
        for lo in range(0, self.K, CHUNK):
            sl = slice(lo, lo + CHUNK)
            block = self.rc_block(y, sl, parts)
            std, part = self._block_terms(y, sl, block)
            standard, partial = standard + std, partial + part
            block[self.in_model[sl]] = np.inf
            below = block < theta
            count += int(below.sum())
            if per_row:
                ks, js = _smallest(np.where(below, block, np.inf), per_row)
                out_k.append(ks + lo), out_j.append(js), out_v.append(block[ks, js])
                block[ks, js] = np.inf
            if block.size:
                delta = min(delta, float(block.min()))

        def cat(chunks: list[np.ndarray], dtype) -> np.ndarray:
            return np.concatenate(chunks).astype(dtype) if chunks else np.zeros(0, dtype)

        return (
            standard,
            partial,
            cat(out_k, np.int64),
            cat(out_j, np.int64),
            cat(out_v, float),
            count,
            delta,
        )

    def lagrangian(self, y: np.ndarray) -> tuple[float, float]:
        """Two lower bounds of the full model from any duals ``y`` (with the signs their rows allow).

        The standard one relaxes every row: L(y) = sum over rows of min(y*lower, y*upper)
        + sum over columns of min(rc*l, rc*u). The partial one keeps each household class's
        own row (its households are placed once or left unplaced) and relaxes the rest: per
        class, the cheapest pairs at their reduced cost without the class's dual fill its
        households, the rest stay unplaced. It is never below the standard one for the same
        ``y``, and with ``y = 0`` it is the score of every household in its best unit.
        """
        standard, partial = self.price(y, 0)[:2]
        return standard, partial

    def _dual_feasible(self, y: np.ndarray) -> np.ndarray:
        """``y`` with the row of every unbounded column (an excess, a slack) moved so far that the
        column's reduced cost is not negative: a negative one within the solver's tolerance
        would make both bounds minus infinity. Any ``y`` gives a valid bound, so this is safe."""
        y = y.copy()
        for c in self.columns:
            if c.upper == INF and len(c.rows) == 1 and c.coefs[0] < 0:
                y[c.rows[0]] = max(y[c.rows[0]], c.cost / c.coefs[0])
        return y

    def _row_and_column_terms(self, y: np.ndarray) -> tuple[float, float]:
        lower, upper = np.array(self.rows.lower), np.array(self.rows.upper)
        side = np.where(y > 0, lower, upper)
        y_part = y.copy()
        y_part[self.rows.household] = 0.0
        standard = float(np.sum(y[y != 0] * side[y != 0]))
        partial = float(np.sum(y_part[y_part != 0] * side[y_part != 0]))
        for c in self.columns:
            d = c.cost - float(np.dot(y[c.rows], c.coefs)) if c.rows else c.cost
            if d != 0:
                standard += min(d * c.lower, d * c.upper)
            if c.name == "unplaced":
                continue
            d = c.cost - float(np.dot(y_part[c.rows], c.coefs)) if c.rows else c.cost
            if d != 0:
                partial += min(d * c.lower, d * c.upper)
        return standard, partial

    def _block_terms(self, y: np.ndarray, sl: slice, block: np.ndarray) -> tuple[float, float]:
        """The pairs' share of both bounds for the household classes ``sl``."""
        w = self.instance.rules.weights.unplaced
        ub = np.minimum(self.s[sl, None], self.cap[None, :])
        neg = block < 0
        standard = float(np.sum(block[neg] * ub[neg]))
        value = np.minimum(block + y[self.rows.household[sl]][:, None], w)  # inf -> unplaced
        s = self.s[sl]
        t = int(min(s.max(), self.J)) if len(s) else 0
        if t == 0:
            return standard, float(w * s.sum())
        pick = (
            np.argpartition(value, t - 1, axis=1)[:, :t]
            if t < self.J
            else np.tile(np.arange(self.J), (len(s), 1))
        )
        vals = np.take_along_axis(value, pick, axis=1)
        ubs = np.take_along_axis(ub, pick, axis=1)
        order = np.argsort(vals, axis=1, kind="stable")
        vals, ubs = np.take_along_axis(vals, order, 1), np.take_along_axis(ubs, order, 1)
        before = np.cumsum(ubs, axis=1) - ubs
        take = np.clip(s[:, None] - before, 0.0, ubs)
        partial = float((take * vals).sum() + w * np.maximum(s - take.sum(axis=1), 0).sum())
        return standard, partial


def _free_groups(h, G: int) -> np.ndarray:
    """[G, A]: some household class of group g has no countrymen in area a."""
    out = np.zeros((G, h.free.shape[1]), dtype=bool)
    for g in range(G):
        sel = h.group == g
        if sel.any():
            out[g] = h.free[sel].any(axis=0)
    return out


def _class_costs(instance: Instance, cls: Classes) -> np.ndarray:
    K, J = len(cls.households), len(cls.units)
    C = np.empty((K, J))
    for lo in range(0, K, COST_CHUNK):
        idx = np.arange(lo, min(lo + COST_CHUNK, K))
        _, C[idx] = pair_block(cls.households.take(idx), cls.units, instance.rules)
    return C


def _smallest_by_group(groups: np.ndarray, values: np.ndarray, per: int) -> np.ndarray:
    """Positions of the ``per`` smallest ``values`` of every group (finite values only)."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((values, groups))
    g = groups[order]
    start = np.flatnonzero(np.concatenate([[True], g[1:] != g[:-1]]))
    rank = np.arange(len(g)) - np.repeat(start, np.diff(np.append(start, len(g))))
    pick = order[rank < per]
    return pick[np.isfinite(values[pick])]


def _pair_price(m: _Model, y: np.ndarray) -> Callable[[int, int], float]:
    """The duals' price of a class pair (its cost minus its reduced cost), for the explanations."""

    def price(k: int, j: int) -> float:
        ks, js = np.array([k]), np.array([j])
        full = np.concatenate([y, np.zeros(len(m.rows.names) - len(y))])
        return float(m.C[k, j] - m.rc_pairs(full, ks, js)[0])

    return price


def _smallest(matrix: np.ndarray, per_row: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of the ``per_row`` smallest finite entries of each row."""
    K, J = matrix.shape
    if K == 0 or J == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    take = min(per_row, J)
    part = (
        np.argpartition(matrix, take - 1, axis=1)[:, :take]
        if take < J
        else np.tile(np.arange(J), (K, 1))
    )
    ks = np.repeat(np.arange(K), take)
    js = part.ravel()
    ok = np.isfinite(matrix[ks, js])
    return ks[ok], js[ok]


def solve(
    instance: Instance,
    time_limit: float = 60.0,
    gap: float = 1e-3,
    seed: int = 0,
    progress: Callable[[Progress], None] | None = None,
) -> Solution:
    """The best placement found within ``time_limit`` seconds, with a certified lower bound.

    Every phase stops at the time limit; what is left of it when the solver phases end
    (at least ``FINISH_SHARE`` of it) goes to dealing out, the repair pass and the
    result's explanations, so that the whole run ends within a few seconds of the limit.
    """
    started = time.perf_counter()
    report = progress or (lambda step: None)

    def say(message: str, phase: str, objective: float = np.nan, bound: float = np.nan) -> None:
        report(Progress(phase, message, float(objective), float(bound)))

    stats = SolveStats()
    solver_deadline = started + time_limit * (1.0 - FINISH_SHARE)
    deadline = started + time_limit

    def lap(name: str) -> None:
        stats.phases[name] = round(time.perf_counter() - started - sum(stats.phases.values()), 3)

    def remaining() -> float:
        return solver_deadline - time.perf_counter()

    ht, ut = household_table(instance), unit_table(instance)
    cls = build_classes(ht, ut)
    C = _class_costs(instance, cls)
    allowed = np.isfinite(C)
    stats.household_classes, stats.unit_classes = len(cls.households), len(cls.units)
    stats.class_pairs_allowed = int(allowed.sum())
    stats.unit_pairs_allowed = int(cls.household_count @ (allowed @ cls.unit_count))
    say(
        f"{len(ht)} households in {stats.household_classes} classes, {len(ut)} units in "
        f"{stats.unit_classes} classes; {stats.unit_pairs_allowed:,} allowed household-unit pairs",
        "classes",
    )
    lap("classes_and_costs")
    n = len(instance.households)
    if not allowed.any():
        # nothing to place, nowhere to place it, or no pair the hard rules allow: everybody
        # unplaced is the only placement, hence optimal
        stats.method = "no allowed pair" if n else "nothing to place"
        objective = n * instance.rules.weights.unplaced
        unit_of = np.full(n, -1, dtype=np.int64)
        stats.lagrangian_bound = objective
        return Solution(
            unit_of, objective, objective, "optimal", stats, cls, C, np.where(allowed, 0.0, np.inf)
        )

    m = _Model(instance, cls, C)
    h = m.highs
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("threads", 1)
    h.setOptionValue("presolve", "off")  # column generation warm-starts from the last basis

    # initial columns: the cheapest pairs of every household class, and of every unit class
    # the household classes for which it is cheapest
    ks, js = _smallest(C, INITIAL_PAIRS if stats.class_pairs_allowed > FULL_LP_PAIRS else m.J)
    uj, uk = _smallest(C.T, UNIT_PAIRS)
    chosen = [ks * m.J + js, uk * m.J + uj]  # all pairs of a small model: no pricing rounds
    for a in range(m.A):  # and the cheapest of every area, so that a ceiling is no wall
        in_area = np.flatnonzero(m.area_of == a)
        if len(in_area):
            ak, aj = _smallest(C[:, in_area], AREA_PAIRS)
            chosen.append(ak * m.J + in_area[aj])
    gk, gj = _greedy_pairs(instance, cls, C)  # and a greedy placement's, so that all fit
    chosen.append(gk * m.J + gj)
    pairs = np.unique(np.concatenate(chosen))
    m.add_arcs(pairs // m.J, pairs % m.J)
    lap("initial_columns")

    # column generation on the LP relaxation, until no pair prices in or the time is up;
    # the bound of duals 0 (every household in its best unit, alone) is the first bound
    y = np.zeros(len(m.rows.names))
    lp_obj = float("nan")
    lp_ok = converged = False
    values = np.zeros(0)
    L_std, L_part = m.lagrangian(y)
    L = max(L_std, L_part)
    while remaining() > 0:
        _run(h, remaining())
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break  # cut short by the time limit: the duals of the last optimal LP stand
        lp_ok = True
        lp_obj = h.getInfo().objective_function_value
        y = m.clamp(np.array(h.getSolution().row_dual))
        values = np.array(h.getSolution().col_value)
        L_std, L_part, ks, js, _, count, _ = m.price(y, PER_ROUND)
        L = max(L, L_std, L_part)  # every round's bound is valid: keep the best
        stats.pricing_rounds += 1
        say(
            f"pricing round {stats.pricing_rounds}: LP {lp_obj:,.2f} over {len(m.arc_k):,} pairs, "
            f"{count:,} pairs with negative reduced cost, bound {L:,.2f}",
            "lp",
            bound=L,
        )
        if count == 0:
            converged = True
            break
        if remaining() <= 0 or _gap(lp_obj, L) <= gap * NEAR_ENOUGH:
            # the LP of the pairs so far is within a fraction of the gap target of the
            # certified bound: a dive from it can reach the target, more rounds only cost time
            break
        m.add_arcs(ks, js)
    lap("lp_column_generation")
    if lp_ok and m.refine_alone() and remaining() > 0:
        # the dive and the MIP work on the per-class rows: the LP again, and its bound
        _run(h, remaining())
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            lp_obj = h.getInfo().objective_function_value
            y = m.clamp(np.array(h.getSolution().row_dual))
            values = np.array(h.getSolution().col_value)
            L_std2, L_part2 = m.lagrangian(y)
            L, L_std = max(L, L_std2, L_part2), L_std2  # MIP B prices with these duals
    y = np.concatenate([y, np.zeros(len(m.rows.names) - len(y))])  # rows added since: dual 0
    stats.lp_objective, stats.lagrangian_bound, stats.lp_columns = lp_obj, L, m.n_cols
    stats.lagrangian_standard, stats.lagrangian_partial = L_std, L_part
    values = values if lp_ok else np.zeros(m.n_cols)
    if len(values) < m.n_cols:
        values = np.concatenate([values, np.zeros(m.n_cols - len(values))])
    integral_cols = _integer_columns(m)[0]
    fractional = np.abs(values[integral_cols] - np.round(values[integral_cols])) > 1e-6
    stats.lp_fractional = int(fractional.sum())
    lap("alone_rows_per_class")
    say(
        f"LP relaxation {lp_obj:,.2f}{'' if converged else ' (not converged)'}, certified lower "
        f"bound {L:,.2f}, {stats.lp_fractional} fractional values",
        "lp",
        bound=L,
    )

    def finish(unit_of: np.ndarray) -> tuple[np.ndarray, float]:
        """The last pass on the records: nobody alone where the rule is hard, every unplaced
        household that fits a free unit placed in it, one move each to give company."""
        unit_of = drop_alone(instance, unit_of, ht, ut)
        unit_of = insert_unplaced(instance, unit_of, ht, ut, deadline=deadline)
        unit_of = join_moves(instance, unit_of, ht, ut, deadline=deadline)
        unit_of = insert_unplaced(instance, unit_of, ht, ut, deadline=deadline)
        return unit_of, evaluate(instance, unit_of, ht, ut).objective

    def dealt(values: np.ndarray) -> np.ndarray:
        return _deal_out(cls, m, np.round(values[m.arc_col]).astype(np.int64), values)

    best = None  # (unit_of, objective, bound, status, unplaced before the last pass)
    if lp_ok and stats.lp_fractional == 0 and converged:
        stats.method = "lp (integral vertex)"
        unit_of = dealt(values)
        before = int((unit_of < 0).sum())
        best = (*finish(unit_of), min(L, lp_obj), "optimal", before)
    elif lp_ok:
        dive = None
        for threshold, consolidate in DIVE_THRESHOLDS:
            if remaining() <= 0:
                break
            attempt = _dive(m, values, remaining, threshold, consolidate)
            if attempt is not None and (dive is None or attempt[1] < dive[1]):
                dive = attempt
            if dive is not None and _gap(dive[1], L) <= gap:
                break
        if dive is not None:
            # the dive's placement after the last pass: often the households the rounding
            # left unplaced fit a free unit or get company with one move
            unit_of = dealt(dive[0])
            before = int((unit_of < 0).sum())
            unit_of, objective = finish(unit_of)
            stats.method = "lp dive"
            best = (unit_of, objective, L, "time_limit", before)
            say(
                f"LP dive: {dive[1]:,.2f}, after the repair pass {objective:,.2f}, gap "
                f"{_gap(objective, L):.4%} to the certified bound",
                "dive",
                objective,
                L,
            )
        lap("lp_dive")
        if (best is None or _gap(best[1], L) > gap) and remaining() > 0:
            found = _mip(m, values, y, L, L_std, gap, remaining, stats, say, lap, start=dive)
            if found is not None:
                mip_values, _, mip_bound, mip_status = found
                unit_of = dealt(mip_values)
                before = int((unit_of < 0).sum())
                unit_of, objective = finish(unit_of)
                if best is None or objective < best[1] - 1e-9:
                    best = (unit_of, objective, mip_bound, mip_status, before)
                else:
                    best = (best[0], best[1], max(mip_bound, L), mip_status, best[4])
                    stats.method = "lp dive"
            elif best is not None:
                stats.method = "lp dive"
    if best is None and lp_ok:
        # no integral solution in time: the LP solution rounded down (shared rooms left to the
        # last pass, which also fills what rounding left empty)
        stats.method = "lp rounded down (time limit)"
        x = np.floor(values[m.arc_col] + 1e-6).astype(np.int64)
        x[m.cls.units.shared[m.arc_j]] = 0
        unit_of = _deal_out(cls, m, x, values)
        before = int((unit_of < 0).sum())
        best = (*finish(unit_of), L, "time_limit", before)
    elif best is None:
        # not even an LP in time: the last pass places from scratch (greedily)
        stats.method = "greedy (time limit)"
        best = (*finish(np.full(n, -1, dtype=np.int64)), L, "time_limit", n)
    unit_of, objective, bound, status, before = best
    stats.repaired = before - int((unit_of < 0).sum())
    lap("repair")
    if stats.repaired:
        say(f"repair pass: {stats.repaired} more households placed in free units", "repair")
    bound = min(max(bound, L), objective)
    if _gap(objective, bound) <= 1e-9:
        status = "optimal"
    elif _gap(objective, bound) <= gap:
        status = "gap_reached"
    elif status != "time_limit":
        status = "gap_not_reached"  # every phase ended before the limit, short of the target
    return Solution(unit_of, objective, bound, status, stats, cls, C, _pair_price(m, y))


@dataclass
class ClassModel:
    """The engine's model with every allowed class pair (public, for baselines and checks).

    ``highs`` holds it, integer where the engine's MIP is; ``assignment`` turns a vector of
    its column values into one unit per household (-1 unplaced), as the engine deals out.
    """

    highs: highspy.Highs
    columns: int
    assignment: Callable[[np.ndarray], np.ndarray]


def class_model(instance: Instance) -> ClassModel:
    cls = build_classes(household_table(instance), unit_table(instance))
    C = _class_costs(instance, cls)
    m = _Model(instance, cls, C)
    ks, js = np.nonzero(np.isfinite(C))
    m.add_arcs(ks, js)
    m.make_integer()

    def assignment(values: np.ndarray) -> np.ndarray:
        x = np.round(values[m.arc_col]).astype(np.int64)
        return _deal_out(cls, m, x, values)

    return ClassModel(m.highs, m.n_cols, assignment)


def _gap(objective: float, bound: float) -> float:
    return (objective - bound) / max(abs(objective), 1e-9)


def _integer_columns(m: _Model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices of the integer columns with the bounds they were built with."""
    extra = [c for c in m.columns if c.integer]
    idx = np.concatenate([np.array([c.index for c in extra], dtype=np.int64), m.arc_col])
    lower = np.concatenate([[c.lower for c in extra], np.zeros(len(m.arc_col))])
    upper = np.concatenate([[c.upper for c in extra], np.minimum(m.s[m.arc_k], m.cap[m.arc_j])])
    return idx, lower, upper


def _consolidated(groups: np.ndarray, present: np.ndarray, extra: float) -> np.ndarray:
    """Per group, the areas it can fill with two households each, most populated first.

    The LP likes to spread a group one household per area, each "half in company"; a group
    whose LP households in areas without countrymen add up to ``t`` can keep company in at
    most ``t / 2`` of them, so only the ``floor(t / 2 + extra)`` areas where the LP has most of
    it stay open (``extra`` 0.5 rounds, 0 rounds down).
    """
    keep = np.zeros(len(groups), dtype=bool)
    order = np.lexsort((-present, groups))
    for g in np.unique(groups):
        mine = order[groups[order] == g]
        slots = int(np.floor(present[mine].sum() / 2.0 + extra + 1e-6))
        keep[mine[:slots]] = True
    return keep


def _dive(
    m: _Model, values: np.ndarray, remaining, threshold: float, consolidate: float | None = None
) -> tuple[np.ndarray, float] | None:
    """LP diving: round the fractional values nearest to an integer, re-solve the LP from its basis, repeat.

    Rounding down lowers a column's upper bound, rounding up raises its lower bound, so the
    LP can still move everything else. An integral LP vertex is a solution of the model
    (every row holds). Returns its column values and objective, or None when a rounding
    leaves the LP infeasible both ways or the rounds run out. The bounds are restored.
    """
    h = m.highs
    idx, lower0, upper0 = _integer_columns(m)
    lower, upper = lower0.copy(), upper0.copy()

    def bound(cols: np.ndarray, new_lower: np.ndarray, new_upper: np.ndarray) -> None:
        lower[cols], upper[cols] = new_lower, new_upper
        h.changeColsBounds(len(cols), idx[cols].astype(np.int32), lower[cols], upper[cols])

    def attempt(cols: np.ndarray, new_lower: np.ndarray, new_upper: np.ndarray) -> bool:
        """Give ``cols`` these bounds and re-solve; keep them if the LP stays feasible, else put them back."""
        if remaining() <= 0:
            return False
        before = lower[cols].copy(), upper[cols].copy()
        bound(cols, new_lower, new_upper)
        _run(h, remaining())
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            return True
        bound(cols, *before)
        return False

    # first settle "no family alone" all at once: company where the LP already has at least
    # ``threshold`` households of the group in the area (and two can get there), none elsewhere;
    # rounding these one at a time only pushes the fractions from area to area
    position = np.full(m.n_cols, -1, dtype=np.int64)
    position[idx] = np.arange(len(idx))
    g_idx, a_idx = np.nonzero(m.company >= 0)
    if len(g_idx):
        present = np.zeros((m.G, m.A))
        np.add.at(present, (m.cls.households.group[m.arc_k], m.area_of[m.arc_j]), values[m.arc_col])
        # most households of the group the generated pairs could bring to the area
        reach = np.zeros((m.K, m.A))
        np.add.at(reach, (m.arc_k, m.area_of[m.arc_j]), np.minimum(m.s[m.arc_k], m.cap[m.arc_j]))
        reachable = np.zeros((m.G, m.A))
        np.add.at(reachable, m.cls.households.group, np.minimum(reach, m.s[:, None]))
        cols = position[m.company[g_idx, a_idx]]
        open_ = (present[g_idx, a_idx] >= threshold - 1e-6) & (reachable[g_idx, a_idx] >= 2.0)
        if consolidate is not None:
            open_ &= _consolidated(g_idx, present[g_idx, a_idx], consolidate)
        company = open_.astype(float)
        # all of them fixed; if the ceilings cannot take that, only the "none" ones (always
        # feasible: a household may stay unplaced), and the rounding below does the rest
        if attempt(cols, company, company) or attempt(cols, lower0[cols], company):
            values = np.array(h.getSolution().col_value)
    found = None
    for _ in range(DIVE_ROUNDS):
        x = values[idx]
        dist = np.abs(x - np.round(x))
        fractional = np.flatnonzero((dist > 1e-6) & (lower < upper))
        if len(fractional) == 0:
            found = values, float(h.getInfo().objective_function_value)
            break
        # the nearest quarter of them (at least those within 0.2 of an integer) at once,
        # else the nearer half of those, and so on, else the nearest one the other way
        by_dist = fractional[np.argsort(dist[fractional], kind="stable")]
        near = by_dist[: max(int(np.sum(dist[fractional] < 0.2)), len(by_dist) // 4)]
        attempts = []
        while len(near) > 1:
            attempts.append((near, False))
            near = near[: len(near) // 2]
        single = by_dist[:1]
        attempts += [(single, False), (single, True)]
        for cols, flip in attempts:
            up = (np.round(x[cols]) > x[cols]) ^ flip
            if attempt(
                cols,
                np.where(up, np.ceil(x[cols]), lower[cols]),
                np.where(up, upper[cols], np.floor(x[cols])),
            ):
                break
        else:
            break
        values = np.array(h.getSolution().col_value)
    bound(np.arange(len(idx)), lower0, upper0)
    return found


def _mip(m: _Model, values, y, L, L_std, gap, remaining, stats, say, lap, start=None):
    """MIP A around the LP solution (first with its integral part kept), MIP B over more pairs if A misses the gap.

    ``start`` is a solution (column values, objective) to begin from, e.g. the LP dive's."""
    h = m.highs
    n = len(m.arc_k)
    cols = m.arc_col.astype(np.int32)
    lp_x = values[m.arc_col]
    ub_full = np.minimum(m.s[m.arc_k], m.cap[m.arc_j])
    # each pair the LP uses, up to its value rounded up, and the next-best pairs of every
    # class (smallest reduced cost), so that a household left alone can move or find company
    ub = np.where(lp_x > 1e-9, np.minimum(np.ceil(lp_x - 1e-9), ub_full), 0.0)
    frac = np.abs(lp_x - np.round(lp_x)) > 1e-6
    frac_k = np.bincount(m.arc_k[frac], minlength=m.K) > 0
    frac_j = np.bincount(m.arc_j[frac], minlength=m.J) > 0
    # a class with a household in an area where its group's "company" is fractional is
    # troubled too: its pair may be integral, but the household would be alone
    company_frac = np.zeros((m.G, m.A), dtype=bool)
    g_idx, a_idx = np.nonzero(m.company >= 0)
    cv = values[m.company[g_idx, a_idx]]
    company_frac[g_idx, a_idx] = np.abs(cv - np.round(cv)) > 1e-6
    lonely = (lp_x > 1e-9) & company_frac[m.cls.households.group[m.arc_k], m.area_of[m.arc_j]]
    frac_k |= np.bincount(m.arc_k[lonely], minlength=m.K) > 0
    unused = np.flatnonzero(lp_x <= 1e-9)
    rc_unused = m.rc_pairs(y, m.arc_k[unused], m.arc_j[unused])
    near = unused[_smallest_by_group(m.arc_k[unused], rc_unused, NEIGHBOURS)]
    ub[near] = ub_full[near]
    # classes with a fractional pair get many more: that is where rounding needs room
    troubled = frac_k[m.arc_k[unused]]
    near = unused[troubled][
        _smallest_by_group(m.arc_k[unused][troubled], rc_unused[troubled], 5 * NEIGHBOURS)
    ]
    ub[near] = ub_full[near]
    m.make_integer()
    # HiGHS 1.15's presolve can get this model wrong: on a 13 x 19 instance it called the
    # MIP infeasible (and, warm-started, the dive's placement optimal) where a placement
    # 0.04 % cheaper exists, which the MIP finds without presolve. Small models do without
    # it, at no cost worth measuring; large ones keep it, for speed.
    h.setOptionValue("presolve", "off" if m.n_cols <= SMALL_MODEL else "on")
    h.setOptionValue("mip_detect_symmetry", False)
    h.setOptionValue("output_flag", DEBUG_LOG)
    h.setOptionValue("mip_rel_gap", gap * 0.5)
    incumbent, objective = start if start is not None else (None, float("inf"))
    # A1 keeps the integral part of the LP solution (a small MIP over the fractional rest);
    # A2 may also change that part, starting from A1's solution
    # the integral part kept in A1 leaves out shared rooms and pairs under "no family alone",
    # where rounding one pair down forces others to change
    # and every pair of a household class or unit class that has a fractional pair
    keep = (
        ~m.cls.units.shared[m.arc_j]
        & (m.rows.alone[m.arc_k, m.area_of[m.arc_j]] < 0)
        & ~frac_k[m.arc_k]
        & ~frac_j[m.arc_j]
    )
    kept = np.where(keep, np.round(lp_x), 0.0)
    # on a small model MIP B is cheaper than A1 and A2 before it
    stages = (("A1", kept), ("A2", np.zeros(n))) if m.n_cols > SMALL_MODEL else ()
    for name, lower in stages:
        h.changeColsBounds(n, cols, np.minimum(lower, ub), ub)
        if incumbent is not None:
            _warm_start(h, incumbent, m.n_cols)
        say(
            f"MIP {name} over the {int((ub > lower).sum()):,} pairs the LP uses or nearly uses",
            "mip",
            objective,
            L,
        )
        if remaining() <= 0:
            break
        _run(h, remaining() if name == "A2" else remaining() * 0.3)
        info = h.getInfo()
        if info.primal_solution_status == FEASIBLE and info.objective_function_value < objective:
            incumbent, objective = (
                np.array(h.getSolution().col_value),
                info.objective_function_value,
            )
        lap(f"mip_{name.lower()}")
        say(
            f"MIP {name}: {objective:,.2f}, gap {_gap(objective, L):.4%} to the certified bound",
            "mip",
            objective,
            L,
        )
        if incumbent is not None and _gap(objective, L) <= gap:
            stats.method = "mip around the LP solution"
            status = "optimal" if _gap(objective, L) <= 1e-9 else "gap_reached"
            return incumbent, objective, min(L, objective), status

    # B: every generated pair, plus the pairs outside whose reduced cost is below the
    # incumbent's gap to the bound (no pair above it can be in a better solution). If that
    # is too many, the ones with the smallest reduced costs per class; the bound accounts for it.
    h.changeColsBounds(n, cols, np.zeros(n), ub_full)
    theta = objective - L_std + 1e-9 if incumbent is not None else np.inf
    per_row = max(1, MAX_B_PAIRS // max(m.K, 1))
    L_std, _, ks, js, _, _, delta = m.price(y, per_row, theta)
    m.add_arcs(ks, js)
    m.make_integer()
    stats.excluded_min_reduced_cost = delta
    stats.mip_columns = m.n_cols
    if incumbent is not None:
        _warm_start(h, incumbent, m.n_cols)
    say(
        f"MIP B over {m.n_cols:,} columns; pairs left out cost at least {delta:,.3f} more",
        "mip",
        objective,
        L,
    )
    if remaining() <= 0:
        if incumbent is None:
            return None
        stats.method = "mip around the LP solution"
        return incumbent, objective, min(L, objective), "time_limit"
    _run(h, remaining())
    info = h.getInfo()
    lap("mip_b")
    stats.method = "mip"
    if info.primal_solution_status != FEASIBLE:
        if incumbent is None:
            return None
        return incumbent, objective, min(L, objective), "time_limit"
    if incumbent is not None and objective < info.objective_function_value - 1e-9:
        return incumbent, objective, min(L, objective), "time_limit"
    objective = info.objective_function_value
    stats.mip_bound = info.mip_dual_bound
    # a solution using a pair left out costs at least L_std + delta (standard reduced costs)
    left_out = L_std + max(delta, 0.0) if np.isfinite(delta) else np.inf  # none left out: inf
    bound = L if delta < -RC_TOL else min(info.mip_dual_bound, left_out)
    bound = min(max(bound, L), objective)
    if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        status = "optimal" if _gap(objective, bound) <= 1e-9 else "gap_reached"
    else:
        status = "time_limit"
    return np.array(h.getSolution().col_value), objective, bound, status


def _run(h: highspy.Highs, seconds: float) -> None:
    """Run with a time limit of ``seconds`` from now: HiGHS counts its limit over all runs of the object."""
    h.setOptionValue("time_limit", h.getRunTime() + max(seconds, 0.01))
    h.run()


def _warm_start(h: highspy.Highs, values: np.ndarray, n_cols: int) -> None:
    start = highspy.HighsSolution()
    start.col_value = list(np.concatenate([values, np.zeros(n_cols - len(values))]))
    start.value_valid = True
    h.setSolution(start)


def _greedy_pairs(instance: Instance, cls: Classes, C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of a quick greedy placement: the class with the fewest allowed units first, each
    into its cheapest unit classes with room left, within the ceilings."""
    cap = np.where(cls.units.shared, cls.units.beds * cls.unit_count, cls.unit_count).astype(
        np.int64
    )
    ceiling = np.array(
        [a.ceiling if a.ceiling is not None else 10**9 for a in instance.areas], dtype=np.int64
    )
    area = cls.units.area
    finite = np.isfinite(C)
    ks: list[int] = []
    js: list[int] = []
    for k in np.argsort(finite.sum(axis=1), kind="stable").tolist():
        need = int(cls.household_count[k])
        while need > 0:
            room = finite[k] & (cap > 0) & (ceiling[area] > 0)
            if not room.any():
                break
            j = int(np.argmin(np.where(room, C[k], np.inf)))
            take = int(min(need, cap[j], ceiling[area[j]]))
            cap[j] -= take
            ceiling[area[j]] -= take
            need -= take
            ks.append(k)
            js.append(j)
    return np.array(ks, dtype=np.int64), np.array(js, dtype=np.int64)


def _deal_out(cls: Classes, m: _Model, x: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Class counts -> one unit per household, in input order; shared rooms one sex each."""
    unit_of = np.full(int(cls.household_class.size), -1, dtype=np.int64)
    next_member = np.zeros(m.K, dtype=np.int64)
    by_unit: dict[int, list[tuple[int, int]]] = {}
    for i in np.lexsort((m.arc_k, m.arc_j)):
        k, j = int(m.arc_k[i]), int(m.arc_j[i])
        for _ in range(int(x[i])):
            member = int(cls.household_members[k][next_member[k]])
            next_member[k] += 1
            by_unit.setdefault(j, []).append((member, int(cls.households.sex[k])))
    male_rooms = {}
    for c in m.columns:
        if c.name == "male_rooms":
            j = int(np.flatnonzero(m.rows.unit[1] == c.rows[0])[0])
            male_rooms[j] = int(round(values[c.index]))
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
            for i, member in enumerate(mem for mem, s in members if s == sex):
                unit_of[member] = rooms[sex][i // beds]
    return unit_of
