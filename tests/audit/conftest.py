"""The payment tests' operator, residents and payment staff, and a prepared run."""

import datetime as dt

import pytest

from ankomst.accounts.roles import Role
from ankomst.allowances import services as payments
from ankomst.allowances.models import Scheme
from tests.allowances.conftest import (  # noqa: F401
    caseworker,
    centres,
    check_in,
    dk_operator,
    finance,
    single,
)


@pytest.fixture
def run(caseworker, dk_operator, single):  # noqa: F811
    return payments.run_prepare(
        user=caseworker,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=dt.date(2024, 3, 4),
        cutoff=dt.date(2024, 3, 1),
    )


@pytest.fixture
def staff(make_user, operator):
    return make_user(Role.CENTRE_STAFF, operator, username="staff")
