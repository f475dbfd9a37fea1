import datetime as dt

import pytest
from django.utils import timezone

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.roles import Role
from ankomst.activities.models import Activity, ActivityKind, Enrolment, Session
from ankomst.community.models import Partnership, Shift, ShiftKind, ShiftTemplate, Volunteer
from ankomst.people.models import Household, Relation, Sex


@pytest.fixture
def group(db):
    return Organisation.objects.create(
        name="Support group", kind=OrganisationKind.VOLUNTEER_ORGANISATION
    )


@pytest.fixture
def other_group(db):
    return Organisation.objects.create(
        name="Other group", kind=OrganisationKind.VOLUNTEER_ORGANISATION
    )


@pytest.fixture
def partnered(group, muni_a, operator):
    for partner in (muni_a, operator):
        Partnership.objects.create(
            volunteer_organisation=group, partner=partner, since=dt.date(2024, 1, 1)
        )
    return group


@pytest.fixture
def coordinator(make_user, group):
    user = make_user(Role.VOLUNTEER_COORDINATOR, group, username="coordinator")
    user.email = "coordinator@example.org"
    user.save()
    return user


_numbers = iter(range(10_000))


@pytest.fixture
def make_volunteer(make_user, group):
    def make(name="Vera", *, organisation=None, certificate=True, login=True, **fields):
        organisation = organisation or group
        user = (
            make_user(Role.VOLUNTEER, organisation, username=f"vol{next(_numbers)}")
            if login
            else None
        )
        today = timezone.localdate()
        defaults = dict(
            sex="F",
            birth_year=1980,
            place="Vejgaard",
            languages={"da": "native"},
            joined_on=today - dt.timedelta(days=100),
            certificate_date=today - dt.timedelta(days=30) if certificate else None,
            email=f"{name.lower()}@example.org",
            contact_person=True,
        )
        defaults.update(fields)
        return Volunteer.objects.create(organisation=organisation, user=user, name=name, **defaults)

    return make


@pytest.fixture
def shift(group):
    start = timezone.now() + dt.timedelta(days=3)
    return Shift.objects.create(
        organisation=group,
        kind=ShiftKind.CHILDCARE,
        title="Danish 1",
        place="Classroom 2",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        needed=2,
        children=6,
        with_children=True,
    )


@pytest.fixture
def template(group):
    return ShiftTemplate.objects.create(
        organisation=group,
        name="Childcare",
        children_per_volunteer=3,
        min_volunteers=1,
        child_age_below=6,
    )


@pytest.fixture
def language_class(operator, make_person, make_user):
    """A Danish class at the operator with three enrolled parents: two of the same household
    (children 2 and 4, and 9 at school), one with a baby; and a session next week."""
    teacher = make_user(Role.TEACHER, operator)
    today = timezone.localdate()
    activity = Activity.objects.create(
        organisation=operator, kind=ActivityKind.DANISH, name="Danish 1", place="Room 2"
    )
    h1 = Household.objects.create(organisation=operator, reference="H1")
    h2 = Household.objects.create(organisation=operator, reference="H2")

    def born(years):
        return today - dt.timedelta(days=int(365.25 * years) + 30)

    parents = [
        make_person(operator, "Ahmad Karimi", born=born(35), household=h1),
        make_person(
            operator,
            "Mariam Karimi",
            born=born(32),
            sex=Sex.FEMALE,
            household=h1,
            relation=Relation.SPOUSE,
        ),
        make_person(operator, "Hanna Tesfaye", born=born(28), sex=Sex.FEMALE, household=h2),
    ]
    for years, household in ((2, h1), (4, h1), (9, h1), (0.5, h2)):
        make_person(
            operator, "Child", born=born(years), household=household, relation=Relation.CHILD
        )
    for p in parents:
        Enrolment.objects.create(
            activity=activity, person=p, enrolled_on=today - dt.timedelta(days=30)
        )
    session = Session.objects.create(
        activity=activity,
        date=today + dt.timedelta(days=7),
        starts_at=dt.time(9),
        ends_at=dt.time(12),
        place="Room 2",
        teacher=teacher,
    )
    return activity, session
