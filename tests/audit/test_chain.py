"""The audit log is a hash chain: a removed, inserted or altered row is detected."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ankomst import cli
from ankomst.audit import chain
from ankomst.audit.models import AuditEvent
from ankomst.audit.services import audit_record, audit_records


@pytest.fixture
def three_events(alice):
    return [audit_record(user=alice, action="view", summary=f"event {i}") for i in range(3)]


def _behind_the_apps_back(sql: str, params=()) -> None:
    """Run SQL with the log's own triggers switched off, as someone with the owner's rights."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_in_time_order")
            cursor.execute(sql, params)


def test_each_event_names_the_hash_of_the_one_before(three_events):
    first, second, third = three_events
    assert first.prev_hash == chain.GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({e.hash for e in three_events}) == 3


def test_an_intact_log_verifies(three_events, capsys):
    result = chain.verify()
    assert result.ok and result.checked == 3
    assert result.head == three_events[-1].hash
    assert cli.main(["audit", "verify"]) == 0
    assert "Audit log intact: 3 events checked" in capsys.readouterr().out


def test_a_removed_row_is_detected(three_events, capsys):
    _behind_the_apps_back("DELETE FROM audit_auditevent WHERE id = %s", [three_events[1].pk])
    result = chain.verify()
    assert not result.ok
    assert f"event {three_events[2].pk} does not follow the event before it" in result.problems[0]
    assert cli.main(["audit", "verify"]) == 1
    assert "Audit log BROKEN" in capsys.readouterr().out


def test_an_altered_row_is_detected(three_events):
    _behind_the_apps_back(
        "UPDATE audit_auditevent SET summary = 'nothing to see' WHERE id = %s",
        [three_events[1].pk],
    )
    problems = chain.verify().problems
    assert problems == [f"event {three_events[1].pk} does not match its hash: it was altered"]


def test_an_inserted_row_is_detected_even_with_a_plausible_hash(three_events):
    # A forger who copies the last hash as predecessor still cannot compute the keyed hash.
    last = three_events[-1]
    AuditEvent(
        at=timezone.now(),
        action="view",
        summary="forged",
        prev_hash=last.hash,
        hash="f" * 64,
    ).save()
    problems = chain.verify().problems
    assert len(problems) == 1 and "does not match its hash" in problems[0]


def test_a_row_inserted_between_two_others_is_detected(three_events):
    forged = AuditEvent(action="view", summary="forged", prev_hash="a" * 64, hash="b" * 64)
    forged.save()
    audit_record(user=None, action="view", summary="after the forgery")
    problems = chain.verify().problems
    assert any(f"event {forged.pk} does not follow" in p for p in problems)


def test_the_database_refuses_a_backdated_insert(three_events):
    last = AuditEvent.objects.order_by("-id").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent(at=last.at - dt.timedelta(days=30), action="view", summary="backdated").save()
    assert AuditEvent.objects.count() == 3


def test_the_database_refuses_an_event_in_the_future(three_events):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent(at=timezone.now() + dt.timedelta(days=1), action="view").save()


def test_the_service_sets_the_moment_itself(alice):
    with pytest.raises(TypeError):
        audit_record(user=alice, action="view", at=timezone.now() - dt.timedelta(days=3))
    event = audit_record(user=alice, action="view")
    assert abs(event.at - timezone.now()) < dt.timedelta(seconds=5)


def test_the_service_never_writes_an_event_older_than_the_last(alice, monkeypatch):
    first = audit_record(user=alice, action="view")
    lagging = first.at - dt.timedelta(seconds=30)
    monkeypatch.setattr(chain.timezone, "now", lambda: lagging)
    second = audit_record(user=alice, action="view")
    assert second.at == first.at
    assert chain.verify().ok


def test_a_batch_written_at_once_is_chained_like_single_events(three_events, alice):
    batch = audit_records(
        [dict(user=alice, action="create", summary=f"batch {i}") for i in range(4)]
    )
    assert batch[0].prev_hash == three_events[-1].hash
    assert [e.prev_hash for e in batch[1:]] == [e.hash for e in batch[:-1]]
    result = chain.verify()
    assert result.ok and result.checked == 7 and result.head == batch[-1].hash
