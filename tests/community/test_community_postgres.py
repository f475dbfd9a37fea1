"""Twenty volunteers take the last free childcare place at the same moment: exactly one gets it."""

import threading

import pytest
from django.db import connection, connections

from ankomst.community import services
from ankomst.community.models import SignupStatus

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel connections need PostgreSQL; SQLite serialises writers by design",
)


@postgres_only
def test_twenty_parallel_sign_ups_for_the_last_place(transactional_db, shift, make_volunteer):
    first = make_volunteer("First")
    services.sign_up(user=first.user, shift=shift)  # one of the two places is taken
    volunteers = [make_volunteer(f"V{i}") for i in range(20)]
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def take(volunteer):
        try:
            barrier.wait()
            result = services.sign_up(user=volunteer.user, shift=shift).status
        except Exception as exc:  # noqa: BLE001 - any error is a failure of the test
            result = f"crash: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=take, args=(v,)) for v in volunteers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count(SignupStatus.CONFIRMED) == 1, outcomes
    assert outcomes.count(SignupStatus.WAITING) == 19, outcomes
    assert shift.signups.filter(status=SignupStatus.CONFIRMED).count() == 2
