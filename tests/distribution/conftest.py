import datetime as dt

import pytest
from django.utils import timezone

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.roles import Role
from ankomst.centres import services as centres
from ankomst.people.models import Household, Relation


@pytest.fixture
def agency(db):
    return Organisation.objects.create(
        name="Agency", kind=OrganisationKind.NATIONAL_AGENCY, country="DK"
    )


@pytest.fixture
def officer(make_user, agency):
    """The agency's distribution office."""
    return make_user(Role.CASEWORKER, agency)


@pytest.fixture
def aalborg(muni_a):
    muni_a.municipality_code = "851"
    muni_a.name = "Aalborg Kommune"
    muni_a.save()
    return muni_a


@pytest.fixture
def grant(make_person, operator, staff):
    """``grant(n_adults, n_children)``: a household of the centre granted a permit this week,
    without a municipality, through the centre's own service."""
    count = [0]

    def make(adults: int = 2, children: int = 0, *, nationality: str = "SY") -> Household:
        count[0] += 1
        household = Household.objects.create(organisation=operator, reference=f"H{count[0]}")
        today = timezone.localdate()
        for i in range(adults + children):
            born = dt.date(1985, 1, 1) if i < adults else today - dt.timedelta(days=365 * 5)
            person = make_person(
                operator,
                f"Person {count[0]}-{i}",
                household=household,
                relation=Relation.HEAD if i == 0 else Relation.CHILD,
                born=born,
                nationality=nationality,
            )
            centres.case_phase_set(user=staff, person=person, phase="granted", start=today)
        return household

    return make
