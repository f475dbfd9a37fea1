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


def run_worker(script: str, url: str, *args: str):
    """``python script --worker args`` against the database at ``url``; its last JSON line."""
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, script, "--worker", *args], env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def on_every_backend(script: str, database: str, *args: str, postgres: bool = True) -> list:
    """The worker's result on SQLite and, when the server answers, on PostgreSQL."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(("sqlite", run_worker(script, f"sqlite:///{tmp}/bench.sqlite3", *args)))
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
        results.append(("postgresql", run_worker(script, f"{PG_SERVER}/{database}", *args)))
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return results


def rows_or_worker(script: str, database: str, worker) -> list[dict] | None:
    """As a worker (``--worker``): print ``worker()`` as JSON and return None. Otherwise run
    the workers on every backend (``--sqlite-only``: SQLite alone) and return their rows."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker()))
        return None
    return [
        dict(r, backend=backend)
        for backend, r in on_every_backend(script, database, postgres=not args.sqlite_only)
    ]
