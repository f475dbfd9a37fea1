"""``ankomst place ...``: the placement engine from the command line.

ankomst place housing INPUT.json --out RESULT.json [--time-limit S] [--gap G] [--seed N]
ankomst place example [--out FILE] [--households N] [--units M] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from .data import InstanceError, load_instance


def progress_printer(started: float):
    """A progress callback that prints each step on stderr with the seconds since ``started``."""

    def say(message) -> None:
        print(f"  [{time.perf_counter() - started:7.2f} s] {message}", file=sys.stderr, flush=True)

    return say


def solver_options(parser: argparse.ArgumentParser) -> None:
    """The options every engine command takes: time limit, gap target, solver seed."""
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument(
        "--gap", type=float, default=0.001, help="relative optimality gap target (default 0.001)"
    )
    parser.add_argument("--seed", type=int, default=0, help="solver random seed (default 0)")


def cmd_housing(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    say = progress_printer(started)
    say(f"reading {args.input}")
    try:
        instance = load_instance(args.input)
    except InstanceError as exc:
        print(
            f"ankomst place housing: {args.input} is not valid; nothing was placed.",
            file=sys.stderr,
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"ankomst place housing: cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    from .result import place

    result = place(instance, time_limit=args.time_limit, gap=args.gap, seed=args.seed, progress=say)
    result.write(args.out)
    say(f"wrote {args.out}")
    print(result.summary())
    if result.violations:
        print(f"WARNING: {len(result.violations)} hard-rule violations", file=sys.stderr)
        return 1
    return 0 if result.status != "no_solution" else 1


def cmd_example(args: argparse.Namespace) -> int:
    from ankomst.placement.generate import housing_instance

    data = housing_instance(args.households, args.units, args.seed)
    Path(args.out).write_text(
        json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"Wrote {args.out}: {data['name']}.")
    print(f"Try: ankomst place housing {args.out} --out result.json")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="ankomst place",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    housing = sub.add_parser("housing", help="place households in housing units")
    housing.add_argument("input", help="input JSON (see docs/placement.md)")
    housing.add_argument("--out", required=True, help="where to write the result JSON")
    solver_options(housing)
    housing.set_defaults(func=cmd_housing)
    example = sub.add_parser(
        "example", help="write a realistic instance (an Aalborg-like municipality)"
    )
    example.add_argument("--out", default="housing-example.json")
    example.add_argument("--households", type=int, default=200)
    example.add_argument("--units", type=int, default=300)
    example.add_argument("--seed", type=int, default=1)
    example.set_defaults(func=cmd_example)
    from .national.quotas_cli import register as register_quotas

    register_quotas(sub)
    from .national.assign_cli import register as register_national

    register_national(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # the reader stopped early (``... | head``): that is not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
