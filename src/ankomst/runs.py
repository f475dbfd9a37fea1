"""Solver runs in the task queue (Django's tasks API; the database backend by default).

A run (a municipality's housing placement, the national agency's weekly distribution) is
queued by the web request and solved by a worker process (``ankomst worker``). The worker
writes the run's progress (phase, objective, bound, gap, elapsed) as it goes, and a
heartbeat every few seconds, even while the solver is busy. A run whose heartbeat stops (its
worker was killed, or its machine went away) is found by ``recover_stale_runs``, which every
worker runs at start and then every half minute: the run is queued again once, then marked
failed with the reason, never left hanging.

Each kind of run is a model deriving from ``SolverRun`` and registers its ``enqueue``
with ``register``; the claim, heartbeat, progress and recovery below serve them all.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import math
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5
PROGRESS_SECONDS = 0.5
RECOVER_SECONDS = 30


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Solving")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", pgettext_lazy("placement run", "Cancelled")


ACTIVE_RUN = (RunStatus.QUEUED, RunStatus.RUNNING)


class SolverRun(models.Model):
    """What every run in the queue keeps: who asked, its state, its progress, its figures."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    time_limit = models.PositiveIntegerField(_("time limit (seconds)"), default=60)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    # progress: the engine's phase, best objective and certified bound so far
    phase = models.CharField(max_length=16, blank=True)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    elapsed = models.FloatField(null=True, blank=True)  # since a worker took it
    solve_seconds = models.FloatField(null=True, blank=True)  # the engine's part of it
    method = models.CharField(max_length=60, blank=True)
    solver_status = models.CharField(max_length=20, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    failure = models.CharField(max_length=32, blank=True)  # a code, worded at display

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_RUN


# every kind of run: its model and the function that queues its task, registered by its
# tasks module (each imports the solver it needs, so they are loaded by the worker only)
TASK_MODULES = ("ankomst.housing.tasks", "ankomst.distribution.tasks")
_KINDS: dict[type[SolverRun], Callable[[int], None]] = {}


def register(model: type[SolverRun], task) -> Callable[[int], None]:
    """The kind's ``enqueue(run_id)``: queues ``task`` for the run and keeps its task id."""

    def enqueue(run_id: int) -> None:
        result = task.enqueue(run_id)
        model.objects.filter(pk=run_id).update(task_id=str(result.id))

    _KINDS[model] = enqueue
    return enqueue


class Cancelled(Exception):
    """The caseworker cancelled the run; raised from the progress callback."""


def claim(model: type[SolverRun], run_id: int) -> SolverRun | None:
    """The queued run, now running on this worker; None when cancelled or already taken."""
    with transaction.atomic():
        run = model.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.QUEUED:
            return None
        now = timezone.now()
        run.status, run.started_at, run.heartbeat_at = RunStatus.RUNNING, now, now
        run.attempts += 1
        run.phase, run.objective, run.bound, run.gap, run.elapsed = "build", None, None, None, 0.0
        run.save()
        return run


class Heartbeat(threading.Thread):
    """Writes the run's heartbeat while the solver works, on its own database connection."""

    def __init__(self, model: type[SolverRun], run_id: int):
        super().__init__(daemon=True, name=f"{model._meta.model_name}-heartbeat-{run_id}")
        self.model, self.run_id, self.done = model, run_id, threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(HEARTBEAT_SECONDS):
                self.model.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=HEARTBEAT_SECONDS + 1)


def finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def reporter(model: type[SolverRun], run_id: int, started: float, *, minimise: bool = True):
    """The engine's progress callback: phase, objective, bound and gap written at most
    twice a second; raises ``Cancelled`` once the run's cancellation is asked for."""
    last = [0.0]

    def report(step) -> None:
        now = time.perf_counter()
        if now - last[0] < PROGRESS_SECONDS:
            return
        last[0] = now
        objective, bound = finite(step.objective), finite(step.bound)
        gap = None
        if objective is not None and bound is not None:
            apart = objective - bound if minimise else bound - objective
            gap = max(apart, 0.0) / max(abs(objective), 1e-9)
        model.objects.filter(pk=run_id).update(
            phase=step.phase[:16],
            objective=objective,
            bound=bound,
            gap=gap,
            elapsed=round(now - started, 2),
            heartbeat_at=timezone.now(),
        )
        if model.objects.filter(pk=run_id, cancel_requested=True).exists():
            raise Cancelled

    return report


def end(model: type[SolverRun], run_id: int, status: str, failure: str = "", **fields) -> None:
    model.objects.filter(pk=run_id).update(
        status=status, failure=failure, finished_at=timezone.now(), **fields
    )


def done(run: SolverRun, result, started: float, figures: dict) -> None:
    """The locked run ends done with the engine's result (objective, bound, gap, method,
    status, seconds) and its figures as plain data; in the caller's transaction."""
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.objective, run.bound = finite(result.objective), finite(result.bound)
    run.gap = finite(result.gap)
    run.elapsed = round(time.perf_counter() - started, 2)
    run.solve_seconds = result.time_s
    run.method, run.solver_status = result.method[:60], result.status[:20]
    run.phase = "done"
    run.figures = figures
    run.save()


def cancel(run: SolverRun) -> SolverRun:
    """Cancel a queued run at once, a running one at the worker's next step; in the
    caller's transaction, on the locked row."""
    from django.core.exceptions import ValidationError

    run = type(run).objects.select_for_update().get(pk=run.pk)
    if run.status not in ACTIVE_RUN:
        raise ValidationError(_("The run has already ended."))
    if run.status == RunStatus.QUEUED:
        run.status, run.finished_at = RunStatus.CANCELLED, timezone.now()
        run.save(update_fields=["status", "finished_at"])
    else:  # the worker stops at its next step
        run.cancel_requested = True
        run.save(update_fields=["cancel_requested"])
    return run


def solve(
    model: type[SolverRun],
    run_id: int,
    work: Callable[[SolverRun, float], None],
    *,
    heartbeat: bool = False,
    invalid: type[Exception] = ValueError,
) -> str:
    """Claim a queued run and do its ``work(run, started)`` with a heartbeat beside it; the
    run ends done, cancelled (``Cancelled``), failed on invalid input (``invalid``: its
    records make no valid instance) or failed on any other error, which is raised on."""
    run = claim(model, run_id)
    if run is None:
        return "skipped"
    name = model._meta.verbose_name
    started = time.perf_counter()
    beat = Heartbeat(model, run_id) if heartbeat else None
    if beat is not None:
        beat.start()
    try:
        work(run, started)
        return RunStatus.DONE
    except Cancelled:
        end(model, run_id, RunStatus.CANCELLED, elapsed=round(time.perf_counter() - started, 2))
        return RunStatus.CANCELLED
    except invalid:
        log.exception("%s %s: the records make no valid input", name, run_id)
        end(model, run_id, RunStatus.FAILED, "invalid_input")
        return RunStatus.FAILED
    except Exception:
        log.exception("%s %s failed", name, run_id)
        end(model, run_id, RunStatus.FAILED, "error")
        raise
    finally:
        if beat is not None:
            beat.stop()


def _recover(model: type[SolverRun], enqueue: Callable[[int], None], cutoff) -> int:
    handled = 0
    stale = list(
        model.objects.select_for_update().filter(status=RunStatus.RUNNING, heartbeat_at__lt=cutoff)
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
        model.objects.select_for_update()
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
    return handled


def recover_stale_runs() -> int:
    """Runs whose worker has gone silent: queued again (once), else failed with the reason;
    and runs queued for a while whose task is gone: their task is queued again."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.PLACEMENT_STALE_SECONDS)
    for name in TASK_MODULES:
        importlib.import_module(name)
    handled = 0
    for model, enqueue in _KINDS.items():
        with transaction.atomic():
            handled += _recover(model, enqueue, cutoff)
    if handled:
        log.warning("%d solver run(s) had lost their worker or their task", handled)
    return handled


def recover_forever(stop: threading.Event) -> None:
    """The worker's companion thread: look for stale runs every half minute."""
    while True:
        try:
            recover_stale_runs()
        except Exception:
            log.exception("looking for stale solver runs failed")
        finally:
            close_old_connections()
        if stop.wait(RECOVER_SECONDS):
            return
