"""Enrolment and scheduling: only the operator's own residents and staff."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ankomst.activities import services
from ankomst.activities.models import Enrolment


def test_it_enrols_a_resident_and_reopens_after_leaving(
    staff, danish, make_person, operator, today
):
    person = make_person(operator)
    enrolment = services.enrol(user=staff, activity=danish, person=person)
    with pytest.raises(ValidationError):
        services.enrol(user=staff, activity=danish, person=person)
    services.enrolment_end(user=staff, enrolment=enrolment)
    again = services.enrol(
        user=staff, activity=danish, person=person, on=today + dt.timedelta(days=2)
    )
    assert again.pk == enrolment.pk and again.ended_on is None
    assert Enrolment.objects.count() == 1


def test_it_never_enrols_a_resident_of_another_organisation(staff, danish, person_a):
    with pytest.raises(ValidationError):
        services.enrol(user=staff, activity=danish, person=person_a)


def test_a_session_needs_a_teacher_of_the_organisation(staff, danish, alice, today):
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            user=staff,
            activity=danish,
            date=today,
            starts_at=dt.time(9),
            ends_at=dt.time(10),
            teacher=alice,
        )
    assert "teacher" in exc.value.message_dict


def test_a_session_ends_after_it_starts(staff, danish, today):
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            user=staff, activity=danish, date=today, starts_at=dt.time(10), ends_at=dt.time(9)
        )
    assert "ends_at" in exc.value.message_dict


def test_a_session_takes_the_activitys_place_and_teacher(staff, danish, teacher, today):
    session = services.session_create(
        user=staff, activity=danish, date=today, starts_at=dt.time(9), ends_at=dt.time(10)
    )
    assert (session.place, session.teacher) == ("Classroom 2", teacher)
