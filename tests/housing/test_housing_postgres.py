"""Caseworkers act at the same moment: one unit is never given twice, one run at a time."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from ankomst.housing import services, tasks
from ankomst.housing.models import PlacementRun, ProposalStatus
from ankomst.runs import RunStatus

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel connections need PostgreSQL; SQLite serialises writers by design",
)


def _parallel(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def go(call):
        try:
            barrier.wait()
            call()
            result = "ok"
        except ValidationError:
            result = "refused"
        except Exception as exc:  # noqa: BLE001 - any other error fails the test
            result = f"crash: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=go, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@postgres_only
def test_eight_overrides_to_the_same_unit_give_it_once(
    transactional_db, housing_officer, muni_a, make_arrival, make_unit
):
    for _ in range(8):
        make_arrival(adults=1)
    for _ in range(8):
        make_unit(rooms=1, persons=2, rent="3000")
    target = make_unit(area="north", rooms=2, persons=2, rent="3500")
    run = services.start_run(user=housing_officer, organisation=muni_a)
    assert tasks.solve_run(run.pk) == RunStatus.DONE
    proposals = list(run.proposals.exclude(unit=target))
    outcomes = _parallel(
        [
            lambda p=p: services.decide(
                user=housing_officer,
                proposal=p,
                action="override",
                version=p.version,
                unit=target,
                reason="Near the school",
            )
            for p in proposals
        ]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("refused") == len(proposals) - 1, outcomes
    assert run.proposals.filter(unit=target, status=ProposalStatus.ACCEPTED).count() == 1


@postgres_only
def test_ten_caseworkers_start_a_run_at_once_and_one_run_starts(
    transactional_db, housing_officer, muni_a, areas
):
    outcomes = _parallel(
        [lambda: services.start_run(user=housing_officer, organisation=muni_a) for _ in range(10)]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert PlacementRun.objects.filter(organisation=muni_a).count() == 1
