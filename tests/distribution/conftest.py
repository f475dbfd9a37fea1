import pytest

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.roles import Role


@pytest.fixture
def agency(db):
    return Organisation.objects.create(
        name="Agency", kind=OrganisationKind.NATIONAL_AGENCY, country="DK"
    )


@pytest.fixture
def officer(make_user, agency):
    """The agency's distribution office."""
    return make_user(Role.CASEWORKER, agency)
