"""PostgreSQL: TRUNCATE is refused, and concurrent writers keep one chain."""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from ankomst.audit import chain
from ankomst.audit.models import AuditEvent
from ankomst.audit.services import audit_record

pytestmark = [pytest.mark.postgres_only]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE and concurrent writers are PostgreSQL's; SQLite has one writer")


@pytest.mark.django_db
def test_truncate_is_refused(alice):
    audit_record(user=alice, action="view", summary="kept")
    with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(summary="kept").exists()


@pytest.mark.django_db
def test_a_delete_is_refused(alice):
    event = audit_record(user=alice, action="view", summary="kept")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain(alice):
    writers, per_writer = 8, 15
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(n):
        try:
            barrier.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    audit_record(user=alice, action="view", summary=f"writer {n} event {i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) == writers * per_writer
    # One line, no fork: every event names the one inserted just before it.
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    result = chain.verify()
    assert result.ok, result.problems
