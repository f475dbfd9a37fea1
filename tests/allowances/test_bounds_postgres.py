"""On PostgreSQL too, an implausible amount is a clear refusal, never a DataError (a 500)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ankomst.allowances import services
from ankomst.allowances.models import PaymentLine, PocketMoneyEntry, Scheme

pytestmark = [pytest.mark.postgres_only]

START, CUTOFF = dt.date(2024, 3, 4), dt.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the same bounds run on SQLite in test_money_bounds.py")


@pytest.fixture
def run(caseworker, dk_operator, single):
    return services.run_prepare(
        user=caseworker,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=START,
        cutoff=CUTOFF,
    )


@pytest.mark.parametrize("amount", ["100000000", "123456789", "9999999999.99", "1e20"])
def test_a_huge_correction_is_refused_by_the_form(client_of, caseworker, run, single, amount):
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    response = client_of(caseworker).post(
        f"/payments/runs/{run.pk}/lines/{line.pk}/correct/", {"amount": amount, "reason": "typo"}
    )
    assert response.status_code == 200 and "is not plausible" in response.content.decode()
    assert not run.lines.filter(correction_of=line).exists()
    assert client_of(caseworker).get(f"/payments/runs/{run.pk}/").status_code == 200


@pytest.mark.parametrize("amount", ["123456789", "9999999999.99"])
def test_a_huge_correction_is_refused_by_the_service(caseworker, run, single, amount):
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    with pytest.raises(ValidationError, match="is not plausible"):
        services.line_correct(user=caseworker, line=line, amount=Decimal(amount), reason="typo")


def test_the_check_constraints_hold_on_postgresql(caseworker, run, single, make_person):
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    big = Decimal("1000000.00")  # fits the columns, beyond the plausible bound
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine(
            run=run,
            household_key=line.household_key,
            rule=line.rule,
            status="correction",
            kind="cash",
            rate=big,
            unit="period",
            units=1,
            gross=big,
            deduction=Decimal("0"),
            amount=big,
            explanation="typing error",
            created_by=caseworker,
        ).save()
    minor = make_person(
        run.organisation, "Hamid Noori", born=timezone.localdate() - dt.timedelta(days=5500)
    )
    with pytest.raises(ValidationError, match="is not plausible"):
        services.pocket_money_entry_add(
            user=caseworker, person=minor, amount=Decimal("-99999999.99"), reason="typo"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PocketMoneyEntry(
            person=minor,
            organisation_id=minor.organisation_id,
            on=dt.date(2024, 3, 5),
            kind="manual",
            amount=Decimal("-99999999.99"),
            reason="typo",
            created_by=caseworker,
        ).save()
