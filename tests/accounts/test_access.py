"""Which role reaches which page: one table generates the access tests for every view.

Rows are roles held in municipality A; ``person`` and ``household`` belong to A.
"""

import datetime as dt

import pytest
from django.utils import timezone

from ankomst.accounts.roles import Role
from ankomst.people.models import Household

OK, DENIED = 200, 403

# path template: expected status per role. Teachers and managers neither search nor open
# person records; a volunteer coordinator sees the household's size, not the household
# (the role × field table in ankomst.accounts.fields).
TABLE = {
    "/": {role: OK for role in Role},
    "/people/?q=muhammad": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: OK,
        Role.VOLUNTEER_COORDINATOR: OK,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: DENIED,
    },
    "/people/{person}/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: 404,
        Role.FINANCE_OFFICER: OK,
        Role.VOLUNTEER_COORDINATOR: OK,
        Role.VOLUNTEER: 404,
        Role.MANAGER: 404,
    },
    "/people/{person}/edit/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: 404,
        Role.FINANCE_OFFICER: 404,
        Role.VOLUNTEER_COORDINATOR: 404,
        Role.VOLUNTEER: 404,
        Role.MANAGER: 404,
    },
    "/people/new/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: DENIED,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: DENIED,
    },
    "/people/{person}/sensitive/": {
        Role.ADMINISTRATOR: DENIED,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: 404,
        Role.FINANCE_OFFICER: DENIED,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: 404,
        Role.MANAGER: 404,
    },
    "/people/households/{household}/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: 404,
        Role.FINANCE_OFFICER: OK,
        Role.VOLUNTEER_COORDINATOR: 404,
        Role.VOLUNTEER: 404,
        Role.MANAGER: 404,
    },
    "/people/households/new/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: DENIED,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: DENIED,
    },
    "/audit/": {role: (OK if role == Role.ADMINISTRATOR else DENIED) for role in Role},
    # Payments: prepared by caseworkers and administrators, approved by finance, read by managers.
    "/payments/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: 302,  # to the minors' pocket money, which is theirs
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: OK,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: OK,
    },
    "/payments/new/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: DENIED,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: DENIED,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: DENIED,
    },
    "/payments/minors/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: OK,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: OK,
    },
    # Only an unaccompanied minor has a pocket-money ledger; an adult's does not exist.
    "/payments/minors/{person}/": {role: 404 for role in Role},
    "/payments/rates/dk/2024/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: DENIED,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: OK,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: OK,
    },
    "/payments/minors/{minor}/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: 404,
        Role.FINANCE_OFFICER: OK,
        Role.VOLUNTEER_COORDINATOR: 404,
        Role.VOLUNTEER: 404,
        Role.MANAGER: OK,
    },
    "/activities/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: OK,
        Role.FINANCE_OFFICER: DENIED,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: OK,
    },
    "/activities/list/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: DENIED,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: OK,
    },
    "/activities/new/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: DENIED,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: DENIED,
    },
    "/activities/contracts/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: DENIED,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: OK,
    },
    "/activities/contracts/{person}/": {
        Role.ADMINISTRATOR: OK,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: 404,
        Role.FINANCE_OFFICER: 404,
        Role.VOLUNTEER_COORDINATOR: 404,
        Role.VOLUNTEER: 404,
        Role.MANAGER: OK,
    },
    # Concerns: not the administrator, teacher, finance or volunteers; the manager only reads.
    "/concerns/": {
        Role.ADMINISTRATOR: DENIED,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: DENIED,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: OK,
    },
    "/concerns/new/": {
        Role.ADMINISTRATOR: DENIED,
        Role.CASEWORKER: OK,
        Role.CENTRE_STAFF: OK,
        Role.TEACHER: DENIED,
        Role.FINANCE_OFFICER: DENIED,
        Role.VOLUNTEER_COORDINATOR: DENIED,
        Role.VOLUNTEER: DENIED,
        Role.MANAGER: DENIED,
    },
}

CASES = [(path, role, status) for path, row in TABLE.items() for role, status in row.items()]


@pytest.mark.parametrize("path, role, expected", CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_access(client_of, make_user, make_person, muni_a, path, role, expected):
    household = Household.objects.create(organisation=muni_a, reference="H-1")
    person = make_person(muni_a, household=household)
    minor = make_person(muni_a, "Hamid Noori", born=timezone.localdate() - dt.timedelta(days=5500))
    user = make_user(role, muni_a)
    response = client_of(user).get(
        path.format(person=person.pk, household=household.pk, minor=minor.pk)
    )
    assert response.status_code == expected


def test_every_role_is_in_every_row():
    for path, row in TABLE.items():
        assert set(row) == set(Role), path
