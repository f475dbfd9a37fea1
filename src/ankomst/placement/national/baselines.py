"""Baselines for the national assignment, for the tests and ``bench/placement_national.py``.

* ``greedy``: households in input (arrival) order, each to its best municipality with room
  left in every quota and capacity.
* ``geomatch``: GeoMatch-style (Bansak et al. 2018): every municipality's column copied once
  per slot, slots = its quota in persons divided by the mean household size, and scipy's
  ``linear_sum_assignment`` on the households x slots matrix. It knows one capacity per
  municipality, counted in households, so it breaks quotas in persons and the other
  capacities; ``broken`` counts them.
* ``full_mip``: the whole model with every allowed pair, solved by HiGHS (classes of
  identical households counted, as the engine does: an exact aggregation).
* ``pulp_cbc``: the same full model through PuLP and CBC.

Every assignment is scored by ``problem.evaluate``, so the figures are comparable.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .assign import full_model
from .problem import QUOTA, RESOURCES, TOL, Problem, evaluate, greedy

BIG = 1e6


@dataclass
class BaselineRun:
    municipality_of: np.ndarray
    seconds: float
    bound: float = float("nan")  # upper bound of the objective, where the method proves one
    note: str = ""
    solved: bool = True


def greedy_run(problem: Problem) -> BaselineRun:
    started = time.perf_counter()
    out = greedy(problem)
    return BaselineRun(out, time.perf_counter() - started, note="arrival order")


def geomatch(problem: Problem) -> BaselineRun:
    """LSA over quota slots counted in households (see the module docstring)."""
    from scipy.optimize import linear_sum_assignment

    started = time.perf_counter()
    mean = float(problem.use[:, QUOTA].mean()) if problem.n else 1.0
    quota = np.where(np.isfinite(problem.upper[QUOTA]), problem.upper[QUOTA], problem.n)
    slots = np.maximum(np.round(quota / mean), 0).astype(np.int64)
    columns = np.repeat(np.arange(problem.m), slots)
    cost = np.where(problem.allowed, -problem.value, BIG)[:, columns]
    if len(columns) < problem.n:  # too few slots: unassigned columns keep it feasible
        cost = np.concatenate([cost, np.full((problem.n, problem.n - len(columns)), BIG)], 1)
        columns = np.concatenate([columns, np.full(problem.n - len(columns), -1)])
    rows, cols = linear_sum_assignment(cost)
    out = np.full(problem.n, -1, dtype=np.int64)
    ok = cost[rows, cols] < BIG
    out[rows[ok]] = columns[cols[ok]]
    return BaselineRun(out, time.perf_counter() - started, note=f"{len(columns):,} slots")


def broken(problem: Problem, municipality_of: np.ndarray) -> dict[str, int]:
    """Per resource, how many municipalities' hard bounds an assignment exceeds."""
    load = evaluate(problem, municipality_of).load
    hard = ~np.isfinite(problem.soft)
    return {
        RESOURCES[r]: int(np.sum(load[r] > problem.upper[r] + TOL))
        for r in range(len(RESOURCES))
        if hard[r] and np.isfinite(problem.upper[r]).any()
    }


def full_mip(problem: Problem, time_limit: float = 60.0, gap: float = 1e-4) -> BaselineRun:
    started = time.perf_counter()
    model = full_model(problem)
    h = model.highs
    h.setOptionValue("presolve", "on")
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("time_limit", max(time_limit - (time.perf_counter() - started), 0.01))
    h.run()
    info = h.getInfo()
    seconds = time.perf_counter() - started
    if info.primal_solution_status != 2:
        return BaselineRun(np.full(problem.n, -1, dtype=np.int64), seconds, note="no solution",
                           solved=False)  # fmt: skip
    out = model.assignment(np.array(h.getSolution().col_value))
    status = h.getModelStatus().name.removeprefix("k")
    return BaselineRun(out, seconds, -info.mip_dual_bound, f"{status}, {model.columns:,} columns")


def pulp_cbc(problem: Problem, time_limit: float = 60.0, gap: float = 1e-3) -> BaselineRun:
    """The full class model through PuLP and CBC (model building counted in the time)."""
    import pulp

    from ankomst.placement.baselines import _cbc_bound, _cbc_status, _pulp_model

    started = time.perf_counter()
    model = full_model(problem)
    lp = model.highs.getLp()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pulp_model, variables = _pulp_model(lp)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "cbc.log"
        remaining = max(time_limit - (time.perf_counter() - started), 1.0)
        pulp_model.solve(
            pulp.PULP_CBC_CMD(
                msg=False, timeLimit=remaining, gapRel=gap, logPath=str(log), threads=1
            )
        )
        text = log.read_text(errors="replace") if log.exists() else ""
    seconds = time.perf_counter() - started
    values = np.array([v.varValue if v.varValue is not None else 0.0 for v in variables])
    solved = any(v.varValue is not None for v in variables)
    note = _cbc_status(text)
    if not solved:
        return BaselineRun(np.full(problem.n, -1, dtype=np.int64), seconds, note=note or "no solution",
                           solved=False)  # fmt: skip
    out = model.assignment(values)
    bound = -_cbc_bound(text)  # CBC minimises minus the value
    return BaselineRun(out, seconds, bound, note)
