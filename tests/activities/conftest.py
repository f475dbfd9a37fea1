"""An operator with a Danish class taught by ``teacher``, a colleague's class, and learners."""

import datetime as dt

import pytest
from django.utils import timezone

from ankomst.accounts.roles import Role
from ankomst.activities.models import Activity, ActivityKind, Enrolment, Session


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def teacher(make_user, operator):
    return make_user(Role.TEACHER, operator, username="teacher")


@pytest.fixture
def other_teacher(make_user, operator):
    return make_user(Role.TEACHER, operator, username="other_teacher")


@pytest.fixture
def staff(make_user, operator):
    return make_user(Role.CENTRE_STAFF, operator, username="staff")


@pytest.fixture
def danish(operator, teacher):
    return Activity.objects.create(
        organisation=operator,
        kind=ActivityKind.DANISH,
        name="Danish module 1",
        place="Classroom 2",
        teacher=teacher,
    )


@pytest.fixture
def session(danish, teacher, today):
    return Session.objects.create(
        activity=danish,
        date=today,
        starts_at=dt.time(9),
        ends_at=dt.time(11, 30),
        place="Classroom 2",
        teacher=teacher,
    )


@pytest.fixture
def other_session(operator, other_teacher, today):
    english = Activity.objects.create(
        organisation=operator,
        kind=ActivityKind.ENGLISH,
        name="English evening class",
        teacher=other_teacher,
    )
    return Session.objects.create(
        activity=english,
        date=today,
        starts_at=dt.time(13),
        ends_at=dt.time(15),
        place="Classroom 3",
        teacher=other_teacher,
    )


@pytest.fixture
def make_learners(make_person, operator, danish, today):
    def make(n: int, activity: Activity | None = None) -> list:
        people = []
        for i in range(n):
            person = make_person(operator, f"Learner {i:02d}", name_document=f"متعلم {i}")
            Enrolment.objects.create(
                activity=activity or danish,
                person=person,
                enrolled_on=today - dt.timedelta(days=30),
            )
            people.append(person)
        return people

    return make


@pytest.fixture
def learners(make_learners):
    return make_learners(3)
