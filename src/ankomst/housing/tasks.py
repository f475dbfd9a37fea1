"""Housing placement runs in the task queue: build the municipality's instance, solve it,
store a proposal per household. Queueing, heartbeat, progress and recovery of a run whose
worker died are ``ankomst.runs``'s, shared with the national distribution runs."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django_tasks import task

from ankomst import runs
from ankomst.placement import InstanceError, instance_from_dict, place
from ankomst.placement.result import plain
from ankomst.runs import Cancelled, finite

from . import instance as builder
from .models import HousingUnit, PlacementRun, Proposal, ProposalStatus


@task()
def run_placement(run_id: int) -> str:
    return solve_run(run_id, heartbeat=True)


enqueue = runs.register(PlacementRun, run_placement)


def solve_run(run_id: int, *, heartbeat: bool = False) -> str:
    """Solve one queued run and store its proposals; returns the run's final status."""
    return runs.solve(PlacementRun, run_id, _work, heartbeat=heartbeat, invalid=InstanceError)


def _work(run: PlacementRun, started: float) -> None:
    built = builder.build(run.organisation_id, name=f"run {run.pk}")
    instance = instance_from_dict(built.data)
    PlacementRun.objects.filter(pk=run.pk).update(
        households=len(instance.households),
        units=len(instance.units),
        kept=len(built.kept),
        phase="classes",
    )
    progress = runs.reporter(PlacementRun, run.pk, started)
    result = place(instance, time_limit=run.time_limit, progress=progress)
    _store(run.pk, built, result, started)


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
                    cost=finite(p.cost),
                    best_unit_id=best_id if best_id in existing else None,
                    best_cost=finite(best.cost) if best else None,
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
        runs.done(run, result, started, plain(asdict(result.figures)))
