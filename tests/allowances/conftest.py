"""An operator with a canteen and a self-catering centre, residents in beds, and its payment staff."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.roles import Role
from ankomst.centres.models import (
    Bed,
    Building,
    CasePhase,
    Catering,
    Centre,
    CentreType,
    Room,
    RoomKind,
    Stay,
)
from ankomst.people.models import Household, Relation

PERIOD_START = dt.date(2024, 3, 4)
CUTOFF = dt.date(2024, 3, 1)

_beds = itertools.count(1)


@pytest.fixture
def dk_operator(db):
    return Organisation.objects.create(
        name="Red Cross (test)", kind=OrganisationKind.CENTRE_OPERATOR, country="DK"
    )


@pytest.fixture
def caseworker(make_user, dk_operator):
    return make_user(Role.CASEWORKER, dk_operator, username="carla")


@pytest.fixture
def finance(make_user, dk_operator):
    return make_user(Role.FINANCE_OFFICER, dk_operator, username="frank")


@pytest.fixture
def centres(dk_operator):
    out = {}
    for catering in (Catering.SELF_CATERING, Catering.CANTEEN):
        centre = Centre.objects.create(
            organisation=dk_operator,
            name=f"Centre {catering}",
            centre_type=CentreType.RESIDENCE,
            catering=catering,
        )
        building = Building.objects.create(centre=centre, name="A")
        out[catering] = Room.objects.create(building=building, number="1", kind=RoomKind.FAMILY)
    return out


@pytest.fixture
def check_in(centres, caseworker):
    """Put a person in a new bed of the self-catering (default) or canteen centre."""

    def put(person, *, catering=Catering.SELF_CATERING, since=dt.date(2024, 1, 10), until=None):
        bed = Bed.objects.create(room=centres[catering], label=str(next(_beds)))
        start = timezone.make_aware(dt.datetime.combine(since, dt.time(12)))
        end = timezone.make_aware(dt.datetime.combine(until, dt.time(12))) if until else None
        return Stay.objects.create(
            person=person,
            bed=bed,
            organisation=person.organisation,
            start=start,
            end=end,
            created_by=caseworker,
        )

    return put


@pytest.fixture
def phase(caseworker):
    def set_phase(person, phase, start, *, cooperating=True):
        return CasePhase.objects.create(
            person=person,
            organisation=person.organisation,
            phase=phase,
            start=start,
            cooperating_on_departure=cooperating,
            created_by=caseworker,
        )

    return set_phase


@pytest.fixture
def family(dk_operator, make_person, check_in):
    """A couple with two children at the self-catering centre."""
    household = Household.objects.create(organisation=dk_operator, reference="F-1")
    members = {
        "head": make_person(
            dk_operator,
            "Ahmad Karimi",
            household=household,
            relation=Relation.HEAD,
            born=dt.date(1985, 2, 1),
        ),
        "spouse": make_person(
            dk_operator,
            "Maryam Karimi",
            household=household,
            relation=Relation.SPOUSE,
            born=dt.date(1988, 6, 1),
            sex="F",
        ),
        "child1": make_person(
            dk_operator,
            "Sara Karimi",
            household=household,
            relation=Relation.CHILD,
            born=dt.date(2015, 4, 1),
            sex="F",
        ),
        "child2": make_person(
            dk_operator,
            "Omid Karimi",
            household=household,
            relation=Relation.CHILD,
            born=dt.date(2019, 9, 1),
        ),
    }
    for person in members.values():
        check_in(person)
    return household, members


@pytest.fixture
def single(dk_operator, make_person, check_in):
    person = make_person(dk_operator, "Yonas Tesfaye", born=dt.date(1999, 1, 1), nationality="ER")
    check_in(person)
    return person
