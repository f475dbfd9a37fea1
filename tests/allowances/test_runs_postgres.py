"""Two prepares of the same period at the same moment pay nothing twice (PostgreSQL row locks)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from ankomst.accounts.roles import Role
from ankomst.allowances import services
from ankomst.allowances.models import PaymentLine, PaymentRun, Scheme

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks need PostgreSQL; SQLite's IMMEDIATE transactions serialise writers anyway"
        )


def test_it_prepares_once_when_two_prepare_at_once(make_user, dk_operator, family, single):
    users = [make_user(Role.CASEWORKER, dk_operator) for _ in range(2)]
    barrier = threading.Barrier(len(users))
    results: list[object] = []

    def prepare(user):
        try:
            barrier.wait()
            results.append(
                services.run_prepare(
                    user=user,
                    organisation=dk_operator,
                    scheme=Scheme.ALLOWANCE,
                    period_start=dt.date(2024, 3, 4),
                    cutoff=dt.date(2024, 3, 1),
                )
            )
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=prepare, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    runs = [r for r in results if isinstance(r, PaymentRun)]
    conflicts = [r for r in results if isinstance(r, services.RunConflict)]
    assert len(runs) == 1 and len(conflicts) == 1, results
    assert conflicts[0].run.pk == runs[0].pk
    assert PaymentRun.objects.count() == 1
    # Every resident's basic allowance exists once.
    assert PaymentLine.objects.filter(rule="dk.basic_allowance").count() == 3
