"""Department queues, closing tasks, hand-offs and their acknowledgement."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ankomst.accounts.models import UnitKind
from ankomst.accounts.roles import Role
from ankomst.reception import selectors, services
from ankomst.reception.models import Arrival, HandOff, Task, TaskStatus

D = dt.date


@pytest.fixture
def arrival(family, grant, muni_a):
    _household, members = family
    grant(members[0], muni_a, timezone.localdate() - dt.timedelta(days=90))
    return Arrival.objects.get()


def test_a_task_is_closed_once_and_a_stale_form_is_refused(arrival, alice):
    task = Task.objects.filter(arrival=arrival, code="cpr").get()
    services.complete_task(user=alice, task=task, version=task.version)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_by == alice
    with pytest.raises(ValidationError):
        services.complete_task(user=alice, task=task, version=task.version - 1)


def test_a_hand_off_moves_the_task_and_is_acknowledged(arrival, department_user):
    citizen = department_user(UnitKind.CITIZEN_SERVICE)
    job = department_user(UnitKind.JOB_CENTRE)
    task = Task.objects.filter(arrival=arrival, code="welcome_meeting").get()
    handoff = services.hand_off(
        user=citizen,
        task=task,
        version=task.version,
        to_department=UnitKind.JOB_CENTRE,
        note="The father asks about work as an electrician.",
    )
    task.refresh_from_db()
    assert task.department == UnitKind.JOB_CENTRE
    assert task in selectors.queue(job, UnitKind.JOB_CENTRE)
    assert [h.pk for h in selectors.handoffs_waiting(job, UnitKind.JOB_CENTRE)] == [handoff.pk]
    services.acknowledge(user=job, handoff=handoff)
    assert selectors.handoffs_waiting(job, UnitKind.JOB_CENTRE) == []
    with pytest.raises(ValidationError):
        services.acknowledge(user=job, handoff=handoff)


def test_a_hand_off_needs_a_note_and_another_department(arrival, alice):
    task = Task.objects.filter(arrival=arrival, code="cpr").get()
    with pytest.raises(ValidationError):
        services.hand_off(
            user=alice, task=task, version=task.version, to_department=UnitKind.HOUSING, note="  "
        )
    with pytest.raises(ValidationError):
        services.hand_off(
            user=alice, task=task, version=task.version, to_department=task.department, note="x"
        )
    assert not HandOff.objects.exists()


def test_an_unacknowledged_hand_off_stands_out_after_two_working_days(arrival, alice):
    task = Task.objects.filter(arrival=arrival, code="cpr").get()
    handoff = services.hand_off(
        user=alice,
        task=task,
        version=task.version,
        to_department=UnitKind.HOUSING,
        note="Address needed",
    )
    # Sent on a Thursday: Friday and Monday are the two working days; Tuesday it stands out.
    handoff.at = timezone.make_aware(dt.datetime(2026, 12, 3, 10, 0))
    assert not selectors.handoff_overdue(handoff, D(2026, 12, 7))
    assert selectors.handoff_overdue(handoff, D(2026, 12, 8))


def test_overdue_tasks_are_counted_per_department(arrival, alice):
    counts = selectors.queue_counts(alice)
    overdue = Task.objects.filter(status=TaskStatus.OPEN, due_on__lt=timezone.localdate())
    assert sum(c["overdue"] for c in counts.values()) == overdue.count() > 0


def test_a_stale_page_is_told_and_changes_nothing(arrival, alice, client_of):
    task = Task.objects.filter(arrival=arrival, code="cpr").get()
    client = client_of(alice)
    url = reverse("reception:task_done", args=[task.pk])
    assert client.post(url, {"version": task.version}).status_code == 302
    response = client.post(url, {"version": task.version}, follow=True)
    assert (
        "already closed" in response.content.decode()
        or "changed this task" in response.content.decode()
    )
    assert Task.objects.get(pk=task.pk).version == task.version + 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel connections need PostgreSQL; SQLite serialises writers by design",
)
def test_two_caseworkers_closing_one_task_at_once_one_wins(
    transactional_db, family, grant, muni_a, alice, make_user
):
    _household, members = family
    grant(members[0], muni_a, timezone.localdate() - dt.timedelta(days=90))
    other = make_user(Role.CASEWORKER, muni_a)
    task = Task.objects.filter(code="cpr").get()
    barrier = threading.Barrier(2)
    outcomes = []

    def close(user):
        try:
            barrier.wait()
            services.complete_task(user=user, task=task, version=task.version)
            outcomes.append("won")
        except ValidationError:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(u,)) for u in (alice, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["told", "won"]
    assert Task.objects.get(pk=task.pk).version == task.version + 1
