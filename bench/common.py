"""What the benchmark scripts share: each backend measured in a worker process of its own,
on a fresh database (a temporary SQLite file; a PostgreSQL database made and dropped)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


def measure(fn, repeat: int) -> tuple[float, float]:
    """The median and the worst of ``repeat`` timed calls, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def run_worker(script: str, url: str, *args: str, phases: tuple[str, ...] = ("--worker",)):
    """``python script --worker args`` against the database at ``url``; its last JSON line.

    With several ``phases`` each runs in a process of its own, one after the other, on the
    same database, and their results are merged: a page is then timed in a process that
    did not build the data, as a server's would be, not one holding its objects in memory.
    """
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    result = {}
    for phase in phases:
        out = subprocess.run(
            [sys.executable, script, phase, *args], env=env, capture_output=True, text=True
        )
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-3000:])
        result.update(json.loads(out.stdout.strip().splitlines()[-1]))
    return result


def on_every_backend(
    script: str,
    database: str,
    *args: str,
    postgres: bool = True,
    phases: tuple[str, ...] = ("--worker",),
) -> list:
    """The worker's result on SQLite and, when the server answers, on PostgreSQL."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        results.append(("sqlite", run_worker(script, url, *args, phases=phases)))
    if not postgres:
        return results
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{database}"')
    except Exception:  # noqa: BLE001 - no server: the PostgreSQL rows are left out and said so
        print("PostgreSQL not reachable at 127.0.0.1:5432: its rows are left out.")
        return results
    try:
        url = f"{PG_SERVER}/{database}"
        results.append(("postgresql", run_worker(script, url, *args, phases=phases)))
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return results


def rows_or_worker(script: str, database: str, worker, timer=None) -> list[dict] | None:
    """As a worker (``--worker``): print ``worker()`` as JSON and return None; as the timer
    (``--timer``), which runs next in a fresh process on the database the worker built, the
    same with ``timer()``. Otherwise run them on every backend (``--sqlite-only``: SQLite
    alone) and return their rows."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--timer", action="store_true")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    if args.worker or args.timer:
        print(json.dumps(worker() if args.worker else timer()))
        return None
    phases = ("--worker", "--timer") if timer else ("--worker",)
    return [
        dict(r, backend=backend)
        for backend, r in on_every_backend(
            script, database, postgres=not args.sqlite_only, phases=phases
        )
    ]


def print_table(columns, rows) -> None:
    """Rows of cells as a plain text table, the columns as wide as their widest cell."""
    widths = [max(len(str(r[i])) for r in rows + [list(columns)]) for i in range(len(columns))]
    print(" | ".join(str(c).ljust(w) for c, w in zip(columns, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


def run_child(command: list[str]) -> tuple[int, str, float, float]:
    """Run ``command`` in a process of its own: (exit code, its output, its CPU seconds, its
    peak resident memory in MB), so that one case's memory is measured alone."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return code, out, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
