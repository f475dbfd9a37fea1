"""A small municipality's housing: two areas, a handful of units, and households waiting."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ankomst.accounts.models import Unit, UnitKind
from ankomst.accounts.roles import Role
from ankomst.housing.models import Area, HousingKind, HousingUnit, LandlordKind
from ankomst.people.models import Household, Relation, Sex
from ankomst.reception import services as reception


@pytest.fixture
def housing_officer(make_user, muni_a):
    """A caseworker of municipality A's housing department."""
    unit = Unit.objects.create(organisation=muni_a, kind=UnitKind.HOUSING, name="Housing")
    user = make_user(Role.CASEWORKER, muni_a, username="housing_a")
    user.memberships.update(unit=unit)
    return user


@pytest.fixture
def areas(muni_a):
    return {
        "centre": Area.objects.create(
            organisation=muni_a,
            code="centre",
            name="Centrum",
            kind="district",
            population=20000,
            ceiling=10,
            countrymen={"SY": 12, "AF": 4},
        ),
        "north": Area.objects.create(
            organisation=muni_a,
            code="north",
            name="Nordby",
            kind="town",
            population=4000,
            ceiling=3,
            countrymen={"SY": 2},
        ),
    }


@pytest.fixture
def make_unit(muni_a, areas):
    counter = iter(range(1, 10_000))

    def make(area="centre", kind=HousingKind.PERMANENT, rooms=3, persons=5, rent="5200", **extra):
        n = next(counter)
        return HousingUnit.objects.create(
            organisation=muni_a,
            reference=extra.pop("reference", f"U-{n:03d}"),
            address=f"Testvej {n}",
            area=areas[area],
            kind=kind,
            rooms=rooms,
            max_persons=persons,
            rent=Decimal(rent),
            school_km=Decimal("0.8"),
            daycare_km=Decimal("0.5"),
            transport_km=Decimal("0.3"),
            shops_km=Decimal("0.4"),
            landlord_kind=LandlordKind.HOUSING_ASSOCIATION,
            **extra,
        )

    return make


@pytest.fixture
def make_arrival(make_person, muni_a, housing_officer):
    """An arrival of a household of ``adults`` adults and children of ``child_ages``."""
    counter = iter(range(1, 10_000))

    def make(adults=2, child_ages=(), nationality="SY", sex=Sex.MALE, handover_in_days=10):
        n = next(counter)
        household = Household.objects.create(organisation=muni_a, reference=f"H-{n:03d}")
        today = timezone.localdate()
        for i in range(adults):
            make_person(
                muni_a,
                f"Adult {n}-{i}",
                born=dt.date(1988, 1, 1),
                sex=sex if i == 0 else Sex.FEMALE,
                household=household,
                relation=Relation.HEAD if i == 0 else Relation.SPOUSE,
                nationality=nationality,
            )
        for j, age in enumerate(child_ages):
            make_person(
                muni_a,
                f"Child {n}-{j}",
                born=today.replace(year=today.year - age) - dt.timedelta(days=30),
                household=household,
                relation=Relation.CHILD,
                nationality=nationality,
            )
        handover = today + dt.timedelta(days=handover_in_days)
        return reception.create_arrival(
            user=housing_officer,
            household=household,
            decision_date=handover - dt.timedelta(days=40),
            handover_date=handover,
        )

    return make
