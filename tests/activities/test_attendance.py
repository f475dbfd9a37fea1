"""Taking attendance: one mark per person and session, excuses with reasons, audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from ankomst.accounts.roles import Role
from ankomst.activities import selectors, services
from ankomst.activities.models import Attendance, Session
from ankomst.audit.models import AuditEvent


def test_it_records_a_tap_and_updates_it_on_the_next_tap(teacher, session, learners):
    person = learners[0]
    services.attendance_mark(user=teacher, session=session, person=person, status="absent")
    services.attendance_mark(
        user=teacher, session=session, person=person, status="excused", reason="Doctor"
    )
    mark = Attendance.objects.get(session=session, person=person)
    assert (mark.status, mark.reason, mark.marked_by) == ("excused", "Doctor", teacher)
    assert Attendance.objects.count() == 1
    events = AuditEvent.objects.filter(person_id=person.pk, object_type="activities.attendance")
    assert [e.action for e in events.order_by("id")] == ["create", "change"]


def test_it_refuses_a_duplicate_mark_in_the_database(teacher, session, learners):
    Attendance.objects.create(
        session=session, person=learners[0], status="present", marked_by=teacher
    )
    with pytest.raises(IntegrityError):
        Attendance.objects.create(
            session=session, person=learners[0], status="absent", marked_by=teacher
        )


def test_it_refuses_an_excuse_without_reason_in_the_database(teacher, session, learners):
    with pytest.raises(IntegrityError):
        Attendance.objects.create(
            session=session, person=learners[0], status="excused", marked_by=teacher
        )


def test_it_asks_for_the_reason_of_an_excused_absence(teacher, session, learners):
    with pytest.raises(ValidationError) as exc:
        services.attendance_mark(
            user=teacher, session=session, person=learners[0], status="excused", reason="  "
        )
    assert "reason" in exc.value.message_dict


def test_it_drops_the_reason_when_the_person_is_present(teacher, session, learners):
    services.attendance_mark(
        user=teacher, session=session, person=learners[0], status="excused", reason="Ill"
    )
    mark = services.attendance_mark(
        user=teacher, session=session, person=learners[0], status="present", reason="Ill"
    )
    assert mark.reason == ""


def test_it_only_marks_persons_on_the_class_list(teacher, session, make_person, operator, muni_a):
    for stranger in (
        make_person(operator, "Not Enrolled"),
        make_person(muni_a, "Other Organisation"),
    ):
        with pytest.raises(ValidationError):
            services.attendance_mark(
                user=teacher, session=session, person=stranger, status="present"
            )
    assert not Attendance.objects.exists()


def test_it_refuses_attendance_in_a_cancelled_session(teacher, session, learners):
    Session.objects.filter(pk=session.pk).update(cancelled=True)
    with pytest.raises(ValidationError):
        services.attendance_mark(
            user=teacher, session=session, person=learners[0], status="present"
        )


def test_a_manager_cannot_take_attendance(make_user, operator, session, learners):
    manager = make_user(Role.MANAGER, operator)
    with pytest.raises(PermissionDenied):
        services.attendance_mark(
            user=manager, session=session, person=learners[0], status="present"
        )


def test_the_class_list_has_the_learners_enrolled_that_day(
    teacher, session, make_learners, today, danish
):
    learners = make_learners(3)
    left = learners[2].enrolments.get()
    left.ended_on = today - dt.timedelta(days=1)
    left.save()
    rows = selectors.class_list(teacher, session)
    assert [r.person for r in rows] == learners[:2]
    assert AuditEvent.objects.filter(action="view", object_type="activities.session").count() == 1


def test_a_teacher_sees_only_their_own_sessions(teacher, staff, session, other_session):
    assert list(selectors.sessions_visible_to(teacher)) == [session]
    assert set(selectors.sessions_visible_to(staff)) == {session, other_session}


def test_another_organisation_sees_none(bob, session):
    assert not selectors.sessions_visible_to(bob).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_taps_leave_one_mark(teacher, session, learners):
    """Two threads mark the same person at once: one row, no error."""
    import threading

    from django.db import connection

    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def tap(status):
        try:
            barrier.wait()
            services.attendance_mark(
                user=teacher,
                session=session,
                person=learners[0],
                status=status,
                reason="Ill" if status == "excused" else "",
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.skip("threads need a shared database; in-memory SQLite gives each its own")
    threads = [
        threading.Thread(target=tap, args=(s,)) for s in ("present", "absent", "excused", "present")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Attendance.objects.filter(session=session, person=learners[0]).count() == 1
