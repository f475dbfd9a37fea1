"""The weekly distribution run in the task queue: read the waiting households, assign them
with ``ankomst.placement.national`` within what is left of the quotas, store a line per
household with its reasons. Queueing, heartbeat, progress and recovery are ``ankomst.runs``'s.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ankomst import runs
from ankomst.placement.national.assign import assign
from ankomst.placement.national.data import NationalInputError
from ankomst.placement.result import plain
from ankomst.runs import Cancelled, finite

from . import batch, selectors
from .models import DistributionLine, DistributionRun

GAP = 1e-3


@task()
def run_distribution(run_id: int) -> str:
    return solve_run(run_id, heartbeat=True)


enqueue = runs.register(DistributionRun, run_distribution)


def solve_run(run_id: int, *, heartbeat: bool = False) -> str:
    """Solve one queued run and store its lines; returns the run's final status."""
    return runs.solve(
        DistributionRun, run_id, _work, heartbeat=heartbeat, invalid=NationalInputError
    )


def _work(run: DistributionRun, started: float) -> None:
    quota_year = run.quota_year
    codes = set(quota_year.quotas.values_list("code", flat=True))
    today = timezone.localdate()
    found = [w for w in selectors.waiting() if w.household is not None]
    households = [(str(w.household.pk), batch.facts_of(w, today, codes)) for w in found]
    instance = batch.build(quota_year, households, batch.remaining(quota_year))
    DistributionRun.objects.filter(pk=run.pk).update(
        households=len(households),
        persons=sum(f.persons for _key, f in households),
        score_source=batch.SCORE_SOURCE,
        phase="classes",
    )
    progress = runs.reporter(DistributionRun, run.pk, started, minimise=False)
    result = assign(instance, time_limit=run.time_limit, gap=GAP, progress=progress)
    _store(run.pk, found, dict(households), result, started)


def _store(run_id: int, found, facts: dict[str, batch.Facts], result, started: float) -> None:
    members = {str(w.household.pk): [p.pk for p in w.members] for w in found}
    with transaction.atomic():
        run = DistributionRun.objects.select_for_update().get(pk=run_id)
        if run.cancel_requested:
            raise Cancelled
        lines = []
        for a in result.assignments:
            f = facts[a.household]
            code = a.municipality or ""
            lines.append(
                DistributionLine(
                    run_id=run_id,
                    household_id=int(a.household),
                    members=members[a.household],
                    engine_code=code,
                    code=code,
                    score=finite(a.score),
                    bonus=finite(a.bonus),
                    margin=finite(a.margin),
                    next_code=a.next_best.municipality if a.next_best else "",
                    next_score=finite(a.next_best.score) if a.next_best else None,
                    reason={"code": a.reason.code, "params": a.reason.params} if a.reason else None,
                    binding=[{"code": n.code, "params": n.params} for n in a.binding],
                    **asdict(f),
                )
            )
        DistributionLine.objects.bulk_create(lines, batch_size=500)
        runs.done(run, result, started, plain(asdict(result.figures)))
