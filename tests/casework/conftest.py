import pytest

from ankomst.accounts.roles import Role


@pytest.fixture
def staff(make_user, operator):
    return make_user(Role.CENTRE_STAFF, operator, username="staff")


@pytest.fixture
def colleague(make_user, operator):
    return make_user(Role.CASEWORKER, operator, username="colleague")


@pytest.fixture
def resident(make_person, operator):
    return make_person(operator, "Resident One")
