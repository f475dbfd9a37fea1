"""Benchmark of the housing placement engine on every instance family, against baselines.

    .venv/bin/python bench/placement_housing.py [--sizes 200x300,2000x3000,5000x8000]
        [--families aalborg,unique,concentrated,tight,mixed] [--seeds 1,2,3]
        [--baselines fcfs,greedy,geomatch,cbc,mip] [--baseline-seeds 1] [--baseline-limit S]

Every engine run is its own process, so that its peak memory (maximum resident set size)
is measured alone. Instances come from ankomst.placement.generate (docs/placement.md
describes the families). All assignments are scored by the same function
(ankomst.placement.evaluate), so objective, violations and figures are comparable.
Prints one row per run, then the worst case per size and family (the slowest run and the
largest gap over the seeds, which need not be the same run).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ankomst.placement import baselines  # noqa: E402
from ankomst.placement.data import instance_from_dict  # noqa: E402
from ankomst.placement.engine import solve  # noqa: E402
from ankomst.placement.evaluate import evaluate  # noqa: E402
from ankomst.placement.generate import FAMILIES, housing_instance  # noqa: E402
from common import print_table, run_child  # noqa: E402

# engine time limit and gap target per number of households (the targets of the issue)
TARGETS = {200: (1.0, 0.001), 2000: (10.0, 0.005), 5000: (60.0, 0.01)}
BASELINES = {
    "fcfs": ("(a) first come, first served", lambda inst, limit, gap: baselines.first_come_first_served(inst)),
    "greedy": ("(b) greedy best score", lambda inst, limit, gap: baselines.greedy_best_score(inst)),
    "geomatch": ("(c) GeoMatch-style LSA", lambda inst, limit, gap: baselines.geomatch_style(inst)),
    "cbc": ("(d) class MIP, PuLP+CBC", baselines.pulp_cbc),
    "mip": ("(e) plain household x unit MIP, HiGHS", baselines.plain_mip),
}  # fmt: skip
COLUMNS = ("size", "family", "seed", "method", "time s", "cpu s", "MB", "objective", "bound", "gap",
           "viol.", "alone", "unplaced")  # fmt: skip


def _gap(objective: float, bound: float) -> float:
    if bound != bound or objective != objective:
        return float("nan")
    return max(objective - bound, 0.0) / max(abs(objective), 1e-9)


def run_one(kind: str, n: int, m: int, family: str, seed: int, limit: float, gap: float) -> dict:
    instance = instance_from_dict(housing_instance(n, m, seed=seed, family=family))
    started = time.perf_counter()
    if kind == "engine":
        sol = solve(instance, time_limit=limit, gap=gap, seed=0)
        seconds, unit_of, bound = time.perf_counter() - started, sol.unit_of, sol.bound
        note, solved = sol.stats.method, True
    else:
        r = BASELINES[kind][1](instance, limit, gap)
        seconds, unit_of, bound, note, solved = r.seconds, r.unit_of, r.bound, r.note, r.solved
    ev = evaluate(instance, unit_of)
    return {
        "seconds": seconds,
        "objective": ev.objective if solved else float("nan"),
        "bound": bound,
        "violations": len(ev.violations) if solved else -1,
        "alone": ev.figures.families_alone,
        "unplaced": ev.figures.unplaced,
        "note": note,
    }


def _child(args: list[str]) -> tuple[dict, float]:
    """Run one case in its own process; (its result with its CPU seconds, its peak memory in MB)."""
    code, out, cpu, mb = run_child([sys.executable, __file__, "--one", *args])
    if code != 0:
        return {"error": f"exit {code}"}, mb
    result = json.loads(out.strip().splitlines()[-1])
    result["cpu"] = cpu  # the whole process, with generating
    return result, mb


def _fmt(v: float, spec: str) -> str:
    return "-" if v != v else format(v, spec)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200x300,2000x3000,5000x8000")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--baselines", default="fcfs,greedy,geomatch,cbc,mip")
    parser.add_argument("--baseline-seeds", default="1", help="seeds on which baselines run")
    parser.add_argument(
        "--baseline-limit", type=float, default=0.0,
        help="seconds for the MIP baselines (default: 5 x the engine's time limit, at least 60)",
    )  # fmt: skip
    parser.add_argument(
        "--limit-factor", type=float, default=1.0,
        help="engine time limit = this x the target's time (default 1; a loaded machine needs more)",
    )  # fmt: skip
    parser.add_argument("--one", nargs=7, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        kind, n, m, family, seed, limit, gap = args.one
        result = run_one(kind, int(n), int(m), family, int(seed), float(limit), float(gap))
        print(json.dumps(result))
        return 0
    rows, worst = [], {}
    for size in args.sizes.split(","):
        n, m = map(int, size.split("x"))
        limit, gap = TARGETS.get(n, (60.0, 0.01))
        limit *= args.limit_factor
        for family in args.families.split(","):
            for seed in map(int, args.seeds.split(",")):
                kinds = ["engine"]
                if str(seed) in args.baseline_seeds.split(","):
                    kinds += [k for k in args.baselines.split(",") if k]
                for kind in kinds:
                    run_limit = limit
                    if kind in ("cbc", "mip"):
                        run_limit = args.baseline_limit or max(5 * limit, 60.0)
                    print(f"{size} {family} seed {seed}: {kind} ...", file=sys.stderr, flush=True)
                    r, mb = _child(
                        [kind, str(n), str(m), family, str(seed), str(run_limit), str(gap)]
                    )
                    if "error" in r:
                        rows.append([size, family, seed, kind, r["error"]] + ["-"] * 8)
                        continue
                    g = _gap(r["objective"], r["bound"])
                    label = "engine" if kind == "engine" else BASELINES[kind][0]
                    rows.append([
                        size, family, seed, f"{label} [{r['note']}]", f"{r['seconds']:.2f}",
                        f"{r['cpu']:.2f}", f"{mb:.0f}", _fmt(r["objective"], ",.1f"), _fmt(r["bound"], ",.1f"),
                        _fmt(g, ".3%"), r["violations"], r["alone"], r["unplaced"],
                    ])  # fmt: skip
                    if kind == "engine":
                        w = worst.setdefault((size, family), [0.0, 0.0, 0.0])
                        w[0] = max(w[0], r["seconds"])
                        w[1] = max(w[1], g if g == g else float("inf"))
                        w[2] = max(w[2], mb)
                    print(" | ".join(str(c) for c in rows[-1]), file=sys.stderr, flush=True)
    print_table(COLUMNS, rows)
    print()
    print_table(
        ("size", "family", "worst time s", "worst gap", "peak MB", "target"),
        [
            [size, family, f"{t:.2f}", f"{g:.3%}", f"{mb:.0f}",
             "{:.0f} s, {:.1%}".format(*TARGETS.get(int(size.split("x")[0]), (60.0, 0.01)))]
            for (size, family), (t, g, mb) in worst.items()
        ],
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
