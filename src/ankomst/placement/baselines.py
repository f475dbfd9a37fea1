"""Baselines the engine is measured against (bench/placement_housing.py).

(a) first come, first served: arrival order, the first unit in the list that fits;
(b) greedy: arrival order, the best-scoring unit that fits;
(c) GeoMatch-style: one capacity per unit, scipy's linear_sum_assignment over the
    score, ignoring the area rules (ceilings, no family alone, spread);
(d) the engine's own MIP, with every allowed class pair, written as MPS and solved
    by CBC through PuLP.

"Fits" for (a) and (b) means every rule a caseworker checks unit by unit (size,
rent, needs, disadvantaged area, fixed/forbidden, one sex per shared room) and
the area ceiling; neither looks ahead to "no family alone". Every baseline's
assignment is scored with ``evaluate``, the same function as the engine's, and
its hard-rule violations are counted there.
"""

from __future__ import annotations

import re
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import Instance
from .scoring import household_table, pair_block, spread_targets, unit_table

BIG = 1e6


@dataclass
class BaselineRun:
    unit_of: np.ndarray
    seconds: float
    bound: float = float("nan")
    note: str = ""
    solved: bool = True


def _arrival_order(instance: Instance) -> np.ndarray:
    keys = [(h.arrival or "", i) for i, h in enumerate(instance.households)]
    return np.array([i for _, i in sorted(keys)], dtype=np.int64)


def _sequential(instance: Instance, pick: str) -> BaselineRun:
    started = time.perf_counter()
    ht, ut = household_table(instance), unit_table(instance)
    n_units = len(ut)
    free_beds = ut.beds.copy()
    free_beds[~ut.shared] = 1
    room_sex = np.zeros(n_units, dtype=np.int64)  # 0 none yet
    ceiling = np.array(
        [a.ceiling if a.ceiling is not None else 10**9 for a in instance.areas], dtype=np.int64
    )
    unit_of = np.full(len(ht), -1, dtype=np.int64)
    order = _arrival_order(instance)
    for lo in range(0, len(order), 256):
        rows = order[lo : lo + 256]
        allowed, cost = pair_block(ht.take(rows), ut, instance.rules)
        for r, i in enumerate(rows):
            ok = allowed[r] & (free_beds >= 1) & (ceiling[ut.area] > 0)  # a single takes one bed
            ok &= ~ut.shared | (room_sex == 0) | (room_sex == ht.sex[i])
            if not ok.any():
                continue
            u = (
                int(np.argmax(ok))
                if pick == "first"
                else int(np.argmin(np.where(ok, cost[r], np.inf)))
            )
            unit_of[i] = u
            free_beds[u] -= 1
            ceiling[ut.area[u]] -= 1
            if ut.shared[u]:
                room_sex[u] = ht.sex[i]
    return BaselineRun(unit_of, time.perf_counter() - started)


def first_come_first_served(instance: Instance) -> BaselineRun:
    return _sequential(instance, "first")


def greedy_best_score(instance: Instance) -> BaselineRun:
    return _sequential(instance, "best")


def geomatch_style(instance: Instance) -> BaselineRun:
    from scipy.optimize import linear_sum_assignment

    started = time.perf_counter()
    ht, ut = household_table(instance), unit_table(instance)
    _, cost = pair_block(ht, ut, instance.rules)
    cost[~np.isfinite(cost)] = BIG
    rows, cols = linear_sum_assignment(cost)
    unit_of = np.full(len(ht), -1, dtype=np.int64)
    ok = cost[rows, cols] < BIG
    unit_of[rows[ok]] = cols[ok]
    return BaselineRun(unit_of, time.perf_counter() - started)


def pulp_cbc(instance: Instance, time_limit: float, gap: float) -> BaselineRun:
    """The full class model (every allowed class pair) solved by CBC through PuLP."""
    import pulp

    from .engine import class_model

    started = time.perf_counter()
    model = class_model(instance)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PuLP warns once per variable about its naming rules
        problem, variables = _pulp_model(model.highs.getLp())
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "cbc.log"
        remaining = max(time_limit - (time.perf_counter() - started), 1.0)
        problem.solve(
            pulp.PULP_CBC_CMD(
                msg=False, timeLimit=remaining, gapRel=gap, logPath=str(log), threads=1
            )
        )
        text = log.read_text(errors="replace") if log.exists() else ""
    seconds = time.perf_counter() - started
    values = np.zeros(model.columns)
    solved = False
    for i, var in enumerate(variables):
        if var.varValue is not None:
            values[i] = var.varValue
            solved = True
    bound = _cbc_bound(text)
    note = _cbc_status(text)
    if not solved or "infeasible" in note.lower() or "no feasible" in text.lower():
        return BaselineRun(
            np.full(len(instance.households), -1, dtype=np.int64),
            seconds,
            bound,
            f"{note}, no solution" if note else "no solution",
            solved=False,
        )
    return BaselineRun(model.assignment(values), seconds, bound, note)


def _pulp_model(lp):
    """The HiGHS model as a PuLP problem: same columns, rows, bounds, integrality."""
    import pulp
    from scipy.sparse import csc_matrix

    n, n_rows = lp.num_col_, lp.num_row_
    a = lp.a_matrix_
    matrix = csc_matrix(
        (np.array(a.value_), np.array(a.index_), np.array(a.start_)), shape=(n_rows, n)
    ).tocsr()
    integrality = [int(v) for v in lp.integrality_] if len(lp.integrality_) else [0] * n
    col_lower, col_upper, col_cost = (
        np.array(lp.col_lower_),
        np.array(lp.col_upper_),
        np.array(lp.col_cost_),
    )
    row_lower, row_upper = np.array(lp.row_lower_), np.array(lp.row_upper_)
    inf = 1e30

    def bound(v: float) -> float | None:
        return None if abs(v) >= inf else float(v)

    variables = [
        pulp.LpVariable(
            f"c{j}",
            bound(col_lower[j]),
            bound(col_upper[j]),
            pulp.LpInteger if integrality[j] else pulp.LpContinuous,
        )
        for j in range(n)
    ]
    problem = pulp.LpProblem("placement", pulp.LpMinimize)
    problem += pulp.LpAffineExpression(
        [(variables[j], c) for j, c in enumerate(col_cost.tolist()) if c]
    )
    for i in range(n_rows):
        lo, hi = row_lower[i], row_upper[i]
        cols = matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]
        vals = matrix.data[matrix.indptr[i] : matrix.indptr[i + 1]]
        expr = pulp.LpAffineExpression(
            list(zip((variables[j] for j in cols), vals.tolist(), strict=True))
        )
        if lo == hi:
            problem += expr == lo, f"r{i}"
        else:
            if lo > -inf:
                problem += expr >= lo, f"r{i}_lo"
            if hi < inf:
                problem += expr <= hi, f"r{i}_hi"
    return problem, variables


def _cbc_status(text: str) -> str:
    found = re.search(r"Result - (.+)", text)
    return found.group(1).strip() if found else ""


def _cbc_bound(text: str) -> float:
    for pattern in (r"Lower bound:\s+(-?[\d.eE+-]+)", r"best possible (-?[\d.eE+-]+)"):
        found = re.findall(pattern, text)
        if found:
            return float(found[-1])
    if "Optimal solution found" in text:
        found = re.search(r"Objective value:\s+(-?[\d.eE+-]+)", text)
        if found:
            return float(found.group(1))
    return float("nan")


def plain_mip(instance: Instance, time_limit: float, gap: float) -> BaselineRun:
    """One binary per allowed household x unit pair, written from docs/placement.md, in HiGHS.

    Independent of the engine's classes, columns and rows: households, units, shared rooms
    with a sex decision per room, ceilings, the spread with an excess per area, and "no
    family alone" with one binary per (group, area) and one row per household and area
    without countrymen (plus a slack per such row when the rule is soft).
    """
    import highspy
    from scipy.sparse import coo_matrix

    started = time.perf_counter()
    rules, w = instance.rules, instance.rules.weights
    ht, ut = household_table(instance), unit_table(instance)
    n, n_units, n_areas = len(ht), len(ut), len(instance.areas)
    allowed, cost = pair_block(ht, ut, rules) if n and n_units else (np.zeros((n, 0), bool), None)
    hi, ui = np.nonzero(allowed)
    area = ut.area[ui]
    costs: list[np.ndarray] = [cost[hi, ui] if len(hi) else np.zeros(0)]
    lower, upper, integer = [np.zeros(len(hi))], [np.ones(len(hi))], [np.ones(len(hi))]
    rows_i: list[np.ndarray] = []
    rows_c: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    row_lo: list[float] = []
    row_hi: list[float] = []
    n_cols = len(hi)

    def columns(count: int, c: float, lo: float, up: float, is_int: bool) -> np.ndarray:
        nonlocal n_cols
        costs.append(np.full(count, c)), lower.append(np.full(count, lo))
        upper.append(np.full(count, up)), integer.append(np.full(count, float(is_int)))
        n_cols += count
        return np.arange(n_cols - count, n_cols)

    def rows(lo: float, up: float, count: int) -> int:
        first = len(row_lo)
        row_lo.extend([lo] * count), row_hi.extend([up] * count)
        return first

    def entries(r: np.ndarray, c: np.ndarray, v) -> None:
        rows_i.append(np.atleast_1d(r)), rows_c.append(np.atleast_1d(c))
        vals.append(np.broadcast_to(np.asarray(v, dtype=float), np.atleast_1d(r).shape).copy())

    pairs = np.arange(len(hi))
    z = columns(n, w.unplaced, 0, 1, True)
    first = rows(1, 1, n)  # placed once or unplaced
    entries(first + hi, pairs, 1.0), entries(first + np.arange(n), z, 1.0)
    plain = ~ut.shared[ui]
    first = rows(-highspy.kHighsInf, 1, n_units)  # one household per unit
    entries(first + ui[plain], pairs[plain], 1.0)
    shared = np.flatnonzero(ut.shared)
    male = columns(len(shared), 0.0, 0, 1, True)
    first = rows(-highspy.kHighsInf, 0, len(shared))  # male singles <= beds * male room
    position = {int(u): r for r, u in enumerate(shared)}
    sel = ut.shared[ui]
    if sel.any():
        r = np.array([position[int(u)] for u in ui[sel]])
        is_male = ht.sex[hi[sel]] == 1
        entries(first + r[is_male], pairs[sel][is_male], 1.0)
        entries(first + np.arange(len(shared)), male, -ut.beds[shared].astype(float))
        second = len(row_lo)
        row_lo.extend([-highspy.kHighsInf] * len(shared))
        row_hi.extend(ut.beds[shared].astype(float).tolist())
        entries(second + r[~is_male], pairs[sel][~is_male], 1.0)
        entries(second + np.arange(len(shared)), male, ut.beds[shared].astype(float))
    for a, ar in enumerate(instance.areas):
        here = pairs[area == a]
        if ar.ceiling is not None:
            entries(np.full(len(here), rows(-highspy.kHighsInf, ar.ceiling, 1)), here, 1.0)
    targets = spread_targets(instance, n) if n_areas else np.zeros(0)
    if w.spread_excess > 0:
        for a in range(n_areas):
            here = pairs[area == a]
            r = rows(-highspy.kHighsInf, float(targets[a]), 1)
            entries(np.full(len(here), r), here, 1.0)
            entries(np.array([r]), columns(1, w.spread_excess, 0, highspy.kHighsInf, False), -1.0)
    if rules.family_alone_mode != "off" and len(hi):
        free_pair = ht.free[hi, area]
        groups = ht.group[hi]
        found = zip(groups[free_pair].tolist(), area[free_pair].tolist(), strict=True)
        for g, a in sorted(set(found)):
            (b,) = columns(1, 0.0, 0, 1, True)
            together = rows(0, highspy.kHighsInf, 1)
            mine = pairs[(groups == g) & (area == a)]
            entries(np.full(len(mine), together), mine, 1.0), entries(np.array([together]), b, -2.0)
            for i in sorted(set(hi[(groups == g) & (area == a) & free_pair].tolist())):
                alone = rows(-highspy.kHighsInf, 0, 1)
                own = pairs[(hi == i) & (area == a)]
                entries(np.full(len(own), alone), own, 1.0), entries(np.array([alone]), b, -1.0)
                if rules.family_alone_mode == "soft":
                    slack = columns(1, w.family_alone, 0, highspy.kHighsInf, False)
                    entries(np.array([alone]), slack, -1.0)
    matrix = coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows_i), np.concatenate(rows_c))),
        shape=(len(row_lo), n_cols),
    ).tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, len(row_lo)
    lp.col_cost_ = np.concatenate(costs)
    lp.col_lower_, lp.col_upper_ = np.concatenate(lower), np.concatenate(upper)
    lp.row_lower_, lp.row_upper_ = np.array(row_lo, dtype=float), np.array(row_hi, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if v else highspy.HighsVarType.kContinuous
        for v in np.concatenate(integer)
    ]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("time_limit", max(time_limit - (time.perf_counter() - started), 1.0))
    h.passModel(lp)
    h.run()
    if h.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
        # leaving everybody unplaced is always feasible: HiGHS's presolve is wrong here (seen
        # on a few small instances), so the model is solved again without it
        h.setOptionValue("presolve", "off")
        h.setOptionValue("time_limit", max(time_limit - (time.perf_counter() - started), 1.0))
        h.clearSolver()
        h.run()
    seconds = time.perf_counter() - started
    info = h.getInfo()
    unit_of = np.full(n, -1, dtype=np.int64)
    if info.primal_solution_status != 2:
        status = h.modelStatusToString(h.getModelStatus())
        return BaselineRun(
            unit_of, seconds, float(info.mip_dual_bound), f"no solution ({status})", False
        )
    x = np.array(h.getSolution().col_value)[: len(hi)] > 0.5
    unit_of[hi[x]] = ui[x]
    status = h.modelStatusToString(h.getModelStatus())
    return BaselineRun(unit_of, seconds, float(info.mip_dual_bound), status)
