import datetime as dt

import pytest
from django.utils import timezone

from ankomst.accounts.models import Unit, UnitKind
from ankomst.accounts.roles import Role
from ankomst.centres.models import CasePhase
from ankomst.people.models import Household, Relation, Sex


@pytest.fixture
def family(operator, make_person):
    """A family of four at the operator's centre: two adults, a girl of 8 and a boy of 3."""
    household = Household.objects.create(organisation=operator, reference="F-100")
    today = timezone.localdate()
    father = make_person(
        operator,
        "Ahmad Karimi",
        name_document="احمد کریمی",
        born=dt.date(1985, 3, 1),
        household=household,
        nationality="AF",
    )
    mother = make_person(
        operator,
        "Mariam Karimi",
        name_document="مریم کریمی",
        born=dt.date(1988, 6, 1),
        sex=Sex.FEMALE,
        household=household,
        relation=Relation.SPOUSE,
        nationality="AF",
    )
    girl = make_person(
        operator,
        "Sara Karimi",
        name_document="سارا کریمی",
        born=today.replace(year=today.year - 8) - dt.timedelta(days=40),
        sex=Sex.FEMALE,
        household=household,
        relation=Relation.CHILD,
        nationality="AF",
    )
    boy = make_person(
        operator,
        "Omid Karimi",
        name_document="امید کریمی",
        born=today.replace(year=today.year - 3) - dt.timedelta(days=40),
        household=household,
        relation=Relation.CHILD,
        nationality="AF",
    )
    return household, [father, mother, girl, boy]


@pytest.fixture
def grant(staff):
    """Record the national agency's assignment: a granted phase naming the municipality."""

    def grant(person, municipality, decision: dt.date, handover: dt.date | None = None):
        return CasePhase.objects.create(
            person=person,
            organisation_id=person.organisation_id,
            phase="granted",
            start=decision,
            municipality=municipality,
            handover_date=handover,
            created_by=staff,
        )

    return grant


@pytest.fixture
def departments(muni_a):
    units = {}
    for kind in (
        UnitKind.HOUSING,
        UnitKind.JOB_CENTRE,
        UnitKind.DAYCARE_SCHOOLS,
        UnitKind.FAMILY_SECTION,
    ):
        units[kind] = Unit.objects.create(organisation=muni_a, kind=kind, name=str(kind))
    units[UnitKind.CITIZEN_SERVICE] = muni_a.units.get(kind=UnitKind.CITIZEN_SERVICE)
    return units


@pytest.fixture
def department_user(make_user, muni_a, departments):
    from ankomst.accounts.models import Membership

    def make(kind: str, role: str = Role.CASEWORKER):
        user = make_user(role)
        Membership.objects.create(user=user, organisation=muni_a, role=role, unit=departments[kind])
        return user

    return make
