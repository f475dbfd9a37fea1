"""A real worker process solves a queued run; killed mid-run, the run is retried by the next
worker, never lost. On SQLite (a file) and, when the suite runs on it, PostgreSQL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = (
    "import django; django.setup(); "
    "from ankomst.demo.housing import waiting_municipality; "
    "print(waiting_municipality(900, 1500, seed=7))"
)
pytestmark = pytest.mark.django_db  # not used by the processes: they have their own database


class Database:
    """A fresh database of the suite's backend for the processes, and SQL to look into it."""

    def __init__(self, tmp_path: Path):
        db = settings.DATABASES["default"]
        self.postgres = "postgresql" in db["ENGINE"]
        if self.postgres:
            import psycopg

            self.name = f"ankomst_worker_{uuid.uuid4().hex[:10]}"
            base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
            self.admin = f"{base}/postgres"
            with psycopg.connect(self.admin, autocommit=True) as c:
                c.execute(f'CREATE DATABASE "{self.name}"')
            self.url = f"{base}/{self.name}"
        else:
            self.path = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def one(self, sql: str):
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url) as c:
                return c.execute(sql).fetchone()
        with sqlite3.connect(self.path, timeout=20) as c:
            return c.execute(sql).fetchone()

    def drop(self) -> None:
        if self.postgres:
            import psycopg

            with psycopg.connect(self.admin, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def database(tmp_path):
    db = Database(tmp_path)
    yield db
    db.drop()


def _env(db: Database, **extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": db.url,
        "ANKOMST_TESTING": "true",
        "DJANGO_SETTINGS_MODULE": "ankomst.settings",
        **extra,
    }


def _worker(db: Database, **extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ankomst.cli", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=_env(db, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(db: Database, run_id: int, done, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = db.one(
            f"SELECT status, phase, attempts FROM housing_placementrun WHERE id = {run_id}"
        )
        if done(row):
            return row
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} still {row} after {seconds} s")


def test_a_killed_worker_loses_no_run(database):
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(database), check=True
    )
    made = subprocess.run(
        [sys.executable, "-c", SCENARIO],
        cwd=ROOT,
        env=_env(database),
        check=True,
        capture_output=True,
        text=True,
    )
    run_id = int(made.stdout.strip().splitlines()[-1])
    assert database.one(f"SELECT status FROM housing_placementrun WHERE id = {run_id}") == (
        "queued",
    )

    first = _worker(database)
    try:
        status, _, attempts = _wait(database, run_id, lambda r: r[0] != "queued", 60)
        assert status == "running" and attempts == 1
        first.send_signal(signal.SIGKILL)  # no goodbye: the heartbeat just stops
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert database.one(f"SELECT status FROM housing_placementrun WHERE id = {run_id}") == (
        "running",
    )

    time.sleep(3.5)  # longer than the stale limit below: the run's worker is gone
    second = _worker(database, ANKOMST_PLACEMENT_STALE_SECONDS="3")
    try:
        status, phase, attempts = _wait(database, run_id, lambda r: r[0] in ("done", "failed"), 120)
    finally:
        second.send_signal(signal.SIGTERM)  # a graceful stop between tasks
        second.wait(30)
    assert (status, phase, attempts) == ("done", "done", 2)
    proposals = database.one(f"SELECT COUNT(*) FROM housing_proposal WHERE run_id = {run_id}")[0]
    assert proposals == 900
    # the killed worker's task is recorded as failed, the retry's as successful
    statuses = database.one(
        "SELECT SUM(CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status = 'SUCCESSFUL' THEN 1 ELSE 0 END) "
        "FROM django_tasks_database_dbtaskresult"
    )
    assert tuple(int(s) for s in statuses) == (1, 1)
