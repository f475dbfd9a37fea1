"""Placement runs in the task queue (Django's tasks API; the database backend by default).

A run is queued by the web request and solved by a worker process (``ankomst worker``). The
worker writes the run's progress (phase, objective, bound, gap, elapsed) as it goes, and a
heartbeat every few seconds, even while the solver is busy. A run whose heartbeat stops (its
worker was killed, or its machine went away) is found by ``recover_stale_runs``, which every
worker runs at start and then every half minute: the run is queued again once, then marked
failed with the reason, never left hanging.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from dataclasses import asdict

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from ankomst.placement import InstanceError, instance_from_dict, place
from ankomst.placement.engine import Progress
from ankomst.placement.result import plain

from . import instance as builder
from .models import HousingUnit, PlacementRun, Proposal, ProposalStatus, RunStatus

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5
PROGRESS_SECONDS = 0.5
RECOVER_SECONDS = 30


class Cancelled(Exception):
    """The caseworker cancelled the run; raised from the progress callback."""


@task()
def run_placement(run_id: int) -> str:
    return solve_run(run_id, heartbeat=True)


def enqueue(run_id: int) -> None:
    result = run_placement.enqueue(run_id)
    PlacementRun.objects.filter(pk=run_id).update(task_id=str(result.id))


def _claim(run_id: int) -> PlacementRun | None:
    with transaction.atomic():
        run = PlacementRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.QUEUED:
            return None  # cancelled before it started, or already taken
        now = timezone.now()
        run.status, run.started_at, run.heartbeat_at = RunStatus.RUNNING, now, now
        run.attempts += 1
        run.phase, run.objective, run.bound, run.gap, run.elapsed = "build", None, None, None, 0.0
        run.save()
        return run


class _Heartbeat(threading.Thread):
    """Writes the run's heartbeat while the solver works, on its own database connection."""

    def __init__(self, run_id: int):
        super().__init__(daemon=True, name=f"placement-heartbeat-{run_id}")
        self.run_id, self.done = run_id, threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(HEARTBEAT_SECONDS):
                PlacementRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()


def _finite(value: float) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _progress(run: PlacementRun, started: float):
    last = [0.0]

    def report(step: Progress) -> None:
        now = time.perf_counter()
        if now - last[0] < PROGRESS_SECONDS:
            return
        last[0] = now
        objective, bound = _finite(step.objective), _finite(step.bound)
        gap = None
        if objective is not None and bound is not None:
            gap = max(objective - bound, 0.0) / max(abs(objective), 1e-9)
        PlacementRun.objects.filter(pk=run.pk).update(
            phase=step.phase,
            objective=objective,
            bound=bound,
            gap=gap,
            elapsed=round(now - started, 2),
            heartbeat_at=timezone.now(),
        )
        if PlacementRun.objects.filter(pk=run.pk, cancel_requested=True).exists():
            raise Cancelled

    return report


def _end(run_id: int, status: str, failure: str = "", **fields) -> None:
    PlacementRun.objects.filter(pk=run_id).update(
        status=status, failure=failure, finished_at=timezone.now(), **fields
    )


def solve_run(run_id: int, *, heartbeat: bool = False) -> str:
    """Solve one queued run and store its proposals; returns the run's final status."""
    run = _claim(run_id)
    if run is None:
        return "skipped"
    started = time.perf_counter()
    beat = _Heartbeat(run_id) if heartbeat else None
    if beat is not None:
        beat.start()
    try:
        built = builder.build(run.organisation_id, name=f"run {run.pk}")
        instance = instance_from_dict(built.data)
        PlacementRun.objects.filter(pk=run_id).update(
            households=len(instance.households),
            units=len(instance.units),
            kept=len(built.kept),
            phase="classes",
        )
        result = place(instance, time_limit=run.time_limit, progress=_progress(run, started))
        _store(run_id, built, result, started)
        return RunStatus.DONE
    except Cancelled:
        _end(run_id, RunStatus.CANCELLED, elapsed=round(time.perf_counter() - started, 2))
        return RunStatus.CANCELLED
    except InstanceError:
        log.exception("placement run %s: the records make no valid input", run_id)
        _end(run_id, RunStatus.FAILED, "invalid_input")
        return RunStatus.FAILED
    except Exception:
        log.exception("placement run %s failed", run_id)
        _end(run_id, RunStatus.FAILED, "error")
        raise
    finally:
        if beat is not None:
            beat.done.set()
            beat.join(timeout=HEARTBEAT_SECONDS + 1)


def _store(run_id: int, built: builder.Built, result, started: float) -> None:
    with transaction.atomic():
        run = PlacementRun.objects.select_for_update().get(pk=run_id)
        if run.cancel_requested:
            raise Cancelled
        unit_ids = {builder.key_pk(p.unit) for p in result.placements if p.unit} | {
            builder.key_pk(p.best_alternative.unit) for p in result.placements if p.best_alternative
        }
        existing = set(HousingUnit.objects.filter(pk__in=unit_ids).values_list("pk", flat=True))
        earlier = {
            p.need_id: p
            for p in Proposal.objects.filter(
                need_id__in=built.kept, status=ProposalStatus.ACCEPTED
            ).order_by("decided_at", "id")
        }
        proposals = []
        for p in result.placements:
            need_id = builder.key_pk(p.household)
            unit_id = builder.key_pk(p.unit) if p.unit else None
            best = p.best_alternative
            best_id = builder.key_pk(best.unit) if best else None
            kept = need_id in built.kept and unit_id == built.kept[need_id]
            before = earlier.get(need_id) if kept else None
            proposals.append(
                Proposal(
                    organisation_id=run.organisation_id,
                    run_id=run_id,
                    need_id=need_id,
                    unit_id=unit_id if unit_id in existing else None,
                    engine_unit_id=unit_id if unit_id in existing else None,
                    cost=_finite(p.cost),
                    best_unit_id=best_id if best_id in existing else None,
                    best_cost=_finite(best.cost) if best else None,
                    alone=p.alone,
                    binding=[{"code": n.code, "params": n.params} for n in p.binding],
                    reason={"code": p.reason.code, "params": p.reason.params} if p.reason else None,
                    kept=kept,
                    status=ProposalStatus.ACCEPTED if kept else ProposalStatus.PROPOSED,
                    decided_by_id=before.decided_by_id if before else None,
                    decided_at=before.decided_at if before else None,
                    decision_reason=before.decision_reason if before else "",
                )
            )
        Proposal.objects.bulk_create(proposals, batch_size=500)
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.objective, run.bound = _finite(result.objective), _finite(result.bound)
        run.gap = _finite(result.gap)
        run.elapsed = round(time.perf_counter() - started, 2)
        run.solve_seconds = result.time_s
        run.method, run.solver_status = result.method[:60], result.status[:20]
        run.phase = "done"
        run.figures = plain(asdict(result.figures))
        run.save()


def recover_stale_runs() -> int:
    """Runs whose worker has gone silent: queued again (once), else failed with the reason;
    and runs queued for a while whose task is gone: their task is queued again."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.PLACEMENT_STALE_SECONDS)
    handled = 0
    with transaction.atomic():
        stale = list(
            PlacementRun.objects.select_for_update().filter(
                status=RunStatus.RUNNING, heartbeat_at__lt=cutoff
            )
        )
        for run in stale:
            handled += 1
            if run.task_id:
                DBTaskResult.objects.filter(id=run.task_id, status="RUNNING").update(
                    status="FAILED", finished_at=timezone.now()
                )
            if run.cancel_requested:
                run.status, run.finished_at = RunStatus.CANCELLED, timezone.now()
            elif run.attempts < settings.PLACEMENT_ATTEMPTS:
                run.status, run.phase = RunStatus.QUEUED, ""
                transaction.on_commit(lambda pk=run.pk: enqueue(pk))
            else:
                run.status, run.failure = RunStatus.FAILED, "worker_lost"
                run.finished_at = timezone.now()
            run.save()
        # a run queued whose task is gone (its enqueue failed, or its task was lost): again
        for run in (
            PlacementRun.objects.select_for_update()
            .filter(status=RunStatus.QUEUED, created_at__lt=cutoff)
            .exclude(pk__in=[r.pk for r in stale])  # queued again above, their task coming
        ):
            waiting = (
                bool(run.task_id)
                and DBTaskResult.objects.filter(
                    id=run.task_id, status__in=["READY", "RUNNING"]
                ).exists()
            )
            if not waiting:
                handled += 1
                transaction.on_commit(lambda pk=run.pk: enqueue(pk))
    if handled:
        log.warning("%d placement run(s) had lost their worker or their task", handled)
    return handled


def recover_forever(stop: threading.Event) -> None:
    """The worker's companion thread: look for stale runs every half minute."""
    while True:
        try:
            recover_stale_runs()
        except Exception:
            log.exception("looking for stale placement runs failed")
        finally:
            close_old_connections()
        if stop.wait(RECOVER_SECONDS):
            return
