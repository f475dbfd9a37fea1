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
from .scoring import household_table, pair_block, unit_table

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

    from .classes import build_classes
    from .engine import _class_costs, _deal_out, _Model

    started = time.perf_counter()
    cls = build_classes(household_table(instance), unit_table(instance))
    C = _class_costs(instance, cls)
    m = _Model(instance, cls, C)
    ks, js = np.nonzero(np.isfinite(C))
    m.add_arcs(ks, js)
    m.make_integer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PuLP warns once per variable about its naming rules
        problem, variables = _pulp_model(m.highs.getLp())
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
    values = np.zeros(m.n_cols)
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
    x = np.round(values[m.arc_col]).astype(np.int64)
    return BaselineRun(_deal_out(cls, m, x, values), seconds, bound, note)


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
