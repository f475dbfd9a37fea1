"""Twenty staff book the same bed at the same moment: exactly one succeeds."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from ankomst.audit.models import AuditEvent
from ankomst.centres import services
from ankomst.centres.models import Stay
from tests.centres.conftest import bed

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel connections and exclusion constraints need PostgreSQL; SQLite serialises writers by design",
)


@postgres_only
def test_twenty_parallel_bookings_of_one_bed(
    transactional_db, staff, centre, make_person, operator
):
    persons = [make_person(operator, f"Samer Number{i}") for i in range(20)]
    target = bed(centre, "A005")
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(person):
        try:
            barrier.wait()
            services.check_in(user=staff, placements=[services.Placement(person, target)])
            result = "ok"
        except ValidationError as exc:
            result = " ".join(exc.messages)
        except Exception as exc:  # noqa: BLE001 - any other error is a failure of the test
            result = f"crash: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(p,)) for p in persons]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    refused = [o for o in outcomes if o != "ok"]
    assert len(refused) == 19
    assert all("already occupied" in o or "same moment" in o for o in refused), refused
    assert Stay.objects.filter(bed=target).count() == 1
    assert AuditEvent.objects.filter(object_type="centres.stay", action="create").count() == 1


def test_a_household_is_booked_whole_or_not_at_all(
    transactional_db, staff, centre, make_person, operator
):
    from ankomst.people.models import Household

    household = Household.objects.create(organisation=operator, reference="H-9")
    members = [
        make_person(
            operator, f"Member {i}", household=household, relation="head" if i == 0 else "child"
        )
        for i in range(3)
    ]
    intruder = make_person(operator, "Somebody Else")
    services.check_in(
        user=staff,
        placements=[services.Placement(intruder, bed(centre, "A001", "C"))],
        override_reason="test set-up",
    )
    with pytest.raises(ValidationError):
        services.check_in(
            user=staff,
            placements=[
                services.Placement(m, bed(centre, "A001", chr(65 + i)))
                for i, m in enumerate(members)
            ],
        )
    assert not Stay.objects.filter(person__in=members).exists()


@postgres_only
def test_the_database_refuses_overlapping_history(
    transactional_db, staff, centre, make_person, operator
):
    import datetime as dt

    from django.db import IntegrityError
    from django.utils import timezone

    a, b = make_person(operator, "A Person"), make_person(operator, "B Person")
    now = timezone.now()
    target = bed(centre, "A005")
    Stay.objects.create(
        person=a,
        bed=target,
        organisation=operator,
        start=now - dt.timedelta(days=10),
        end=now - dt.timedelta(days=5),
        created_by=staff,
    )
    with pytest.raises(IntegrityError):
        Stay.objects.create(
            person=b,
            bed=target,
            organisation=operator,
            start=now - dt.timedelta(days=7),
            end=now - dt.timedelta(days=6),
            created_by=staff,
        )
