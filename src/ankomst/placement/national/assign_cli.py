"""``ankomst place national ...``: the national assignment from the command line.

ankomst place national INPUT.json [--out RESULT.json] [--time-limit S] [--gap G] [--seed N]
ankomst place national-example [--out FILE] [--persons N] [--family F] [--seed N]
ankomst place simulate-year [--input YEAR.json | --persons N --family F --seed N]
    [--balancing] [--sampler history|pool] [--out FILE]

INPUT.json follows src/ankomst/placement/schema/national-input.schema.json (see
docs/placement-national.md); it is checked on load and a bad file gives one message per
record and field and exit status 2. ``simulate-year`` assigns a year's households week by
week (their ``arrival_week``) and compares the result with the hindsight optimum and with
greedy week by week. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..cli import progress_printer, solver_options
from .data import NationalInputError, instance_from_dict, load_instance

PROG = "ankomst place"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``national``, ``national-example`` and ``simulate-year`` to ``ankomst place``."""
    from .generate import FAMILIES

    national = subparsers.add_parser(
        "national", help="assign a batch of households to municipalities (national agency)"
    )
    national.add_argument("input", help="input JSON (see docs/placement-national.md)")
    national.add_argument("--out", help="where to write the result JSON")
    solver_options(national)
    national.set_defaults(func=cmd_national)

    example = subparsers.add_parser(
        "national-example", help="write a national input: 98 Danish municipalities, a batch"
    )
    example.add_argument("--out", default="national-example.json")
    example.add_argument("--persons", type=int, default=12_000)
    example.add_argument("--family", choices=FAMILIES, default="baseline")
    example.add_argument("--seed", type=int, default=1)
    example.set_defaults(func=cmd_example)

    year = subparsers.add_parser(
        "simulate-year", help="a year in 52 weekly batches against hindsight and greedy"
    )
    year.add_argument("--input", help="a year's input JSON (households with arrival_week)")
    year.add_argument("--persons", type=int, default=12_000, help="generated year (default)")
    year.add_argument("--family", choices=FAMILIES, default="baseline")
    year.add_argument("--seed", type=int, default=1)
    year.add_argument(
        "--balancing", action="store_true", help="keep each municipality's intake even"
    )
    year.add_argument(
        "--sampler",
        choices=("history", "pool"),
        default="history",
        help="future weeks from the arrivals so far, or from the generator (pool)",
    )
    year.add_argument("--out", help="where to write the year's result JSON")
    year.set_defaults(func=cmd_simulate_year)


def _bad_input(command: str, source: str, exc: NationalInputError) -> int:
    print(f"{PROG} {command}: {source} is not valid; nothing was assigned.", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
    return 2


def _load(command: str, path: str):
    """(instance, None) or (None, exit status) with the problems on stderr."""
    try:
        return load_instance(path), None
    except NationalInputError as exc:
        return None, _bad_input(command, path, exc)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{PROG} {command}: cannot read {path}: {exc}", file=sys.stderr)
        return None, 2


def cmd_national(args: argparse.Namespace) -> int:
    from .assign import assign
    from .scores import scores_of

    say = progress_printer(time.perf_counter())
    say(f"reading {args.input}")
    instance, status = _load("national", args.input)
    if instance is None:
        return status
    try:
        scores = scores_of(instance)
    except NationalInputError as exc:
        return _bad_input("national", args.input, exc)
    say(f"scores: {scores.source}")
    result = assign(
        instance,
        time_limit=args.time_limit,
        gap=args.gap,
        seed=args.seed,
        progress=say,
        scores=scores,
    )
    if args.out:
        result.write(args.out)
        say(f"wrote {args.out}")
    print(result.summary())
    if result.violations:
        print(f"WARNING: {len(result.violations)} hard-rule violations", file=sys.stderr)
        return 1
    return 0


def cmd_example(args: argparse.Namespace) -> int:
    from .generate import batch_instance

    data = batch_instance(args.persons, args.seed, args.family)
    Path(args.out).write_text(
        json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"Wrote {args.out}: {data['name']}.")
    print(f"Try: ankomst place national {args.out} --out result.json")
    return 0


def cmd_simulate_year(args: argparse.Namespace) -> int:
    from .generate import national_instance
    from .weekly import WeeklyOptions, compare_year

    say = progress_printer(time.perf_counter())
    if args.input:
        instance, status = _load("simulate-year", args.input)
        if instance is None:
            return status
        if any(h.arrival_week is None for h in instance.households):
            print(
                f"{PROG} simulate-year: {args.input}: every household needs an arrival_week",
                file=sys.stderr,
            )
            return 2
    else:
        say(f"generating a {args.family} year of {args.persons:,} persons, seed {args.seed}")
        instance = instance_from_dict(national_instance(args.persons, args.seed, args.family))
    main = "dynamic balanced" if args.balancing else "dynamic"
    runs = [("dynamic", "dynamic", False), ("greedy", "greedy", False)]
    if args.balancing:
        runs.insert(1, ("dynamic balanced", "dynamic", True))
    pool = _pool(instance, args) if args.sampler == "pool" else None
    options = WeeklyOptions(sampler=args.sampler, explain=bool(args.out))
    try:
        comparison = compare_year(instance, options, tuple(runs), progress=say, pool=pool)
    except NationalInputError as exc:
        return _bad_input("simulate-year", args.input or "the generated year", exc)
    print(_table(comparison))
    if args.out:
        Path(args.out).write_text(
            json.dumps(_year_dict(instance, comparison, main), indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        say(f"wrote {args.out}")
    return 0


def _pool(instance, args):
    """The generator's households of another year, scored in this year's municipalities."""
    from .generate import national_instance
    from .problem import build_problem
    from .scores import scores_of

    other = instance_from_dict(national_instance(args.persons, args.seed + 1000, args.family))
    pooled = instance.with_households(other.households)
    problem = build_problem(pooled, scores_of(pooled))
    weeks = [h.arrival_week or 1 for h in other.households]
    return problem, weeks


def _table(c) -> str:
    lines = [
        f"{'run':18s} {'value':>10s} {'of hindsight':>12s} {'unassigned':>10s} "
        f"{'max dev.':>9s} {'chosen':>7s} {'seconds':>8s}",
        f"{'hindsight':18s} {c.hindsight_value:10.3f} {'100.00%':>12s} {'':>10s} {'':>9s} "
        f"{'':>7s} {c.hindsight_seconds:8.1f}",
    ]
    for name, r in c.runs.items():
        d = r.deviation()
        lines.append(
            f"{name:18s} {r.value:10.3f} {c.ratio(name):12.2%} {r.unassigned:10d} "
            f"{d.max_relative:9.1%} {d.chosen_max_relative:7.1%} {r.seconds:8.1f}"
        )
    return "\n".join(lines)


def _year_dict(instance, c, main: str) -> dict:
    from .result import plain
    from .weekly import assignment_rows

    def run(r) -> dict:
        d = r.deviation()
        return {
            "value": r.value,
            "score": r.score,
            "of_hindsight": r.value / c.hindsight_value,
            "unassigned": r.unassigned,
            "unassigned_persons": r.unassigned_persons,
            "seconds": r.seconds,
            "deviation": vars(d),
            "violations": r.violations,
            "weeks": [vars(w) for w in r.weeks],
        }

    chosen = c.runs[main]
    return plain(
        {
            "name": instance.name,
            "hindsight": {"value": c.hindsight_value, "bound": c.hindsight_bound},
            "runs": {name: run(r) for name, r in c.runs.items()},
            "main_run": main,
            "assignments": assignment_rows(instance, chosen),
            "explanations": [a.to_dict() for a in chosen.assignments],
        }
    )
