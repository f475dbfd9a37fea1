"""Money has bounds that every path enforces: the forms, the services and the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ankomst.allowances import services
from ankomst.allowances.models import Scheme

START, CUTOFF = dt.date(2024, 3, 4), dt.date(2024, 3, 1)


@pytest.fixture
def run(caseworker, dk_operator, single):
    return services.run_prepare(
        user=caseworker,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=START,
        cutoff=CUTOFF,
    )


@pytest.mark.parametrize("amount", ["123456789", "9999999999.99", "1000000.00"])
def test_an_implausible_correction_is_refused_by_the_service(caseworker, run, single, amount):
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    before = run.lines.count()
    with pytest.raises(ValidationError, match="is not plausible"):
        services.line_correct(user=caseworker, line=line, amount=Decimal(amount), reason="typo")
    assert run.lines.count() == before
