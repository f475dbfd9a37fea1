"""Money has bounds that every path enforces: the forms, the services and the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ankomst.accounts.roles import Role
from ankomst.allowances import services
from ankomst.allowances.models import PaymentLine, PaymentRun, PocketMoneyEntry, RunStatus, Scheme

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


@pytest.fixture
def minor(dk_operator, make_person):
    born = timezone.localdate() - dt.timedelta(days=15 * 365)
    return make_person(dk_operator, "Hamid Noori", born=born, nationality="AF")


@pytest.mark.parametrize("amount", ["123456789", "9999999999.99", "1000000.00"])
def test_an_implausible_correction_is_refused_by_the_service(caseworker, run, single, amount):
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    before = run.lines.count()
    with pytest.raises(ValidationError, match="is not plausible"):
        services.line_correct(user=caseworker, line=line, amount=Decimal(amount), reason="typo")
    assert run.lines.count() == before


@pytest.mark.parametrize("amount", ["123456789", "9999999999.99", "-5", "NaN", "Infinity", "1e9"])
def test_the_correction_form_says_what_is_wrong_and_stores_nothing(
    client_of, caseworker, run, single, amount
):
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    before = run.lines.count()
    response = client_of(caseworker).post(
        f"/payments/runs/{run.pk}/lines/{line.pk}/correct/", {"amount": amount, "reason": "typo"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not plausible" in page or "negative" in page or "Enter a number" in page
    assert run.lines.count() == before
    # And the run page still renders.
    assert client_of(caseworker).get(f"/payments/runs/{run.pk}/").status_code == 200


def test_the_correction_form_takes_a_danish_decimal_comma(client_of, caseworker, run, single):
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    response = client_of(caseworker).post(
        f"/payments/runs/{run.pk}/lines/{line.pk}/correct/",
        {"amount": "500,00", "reason": "moved out"},
    )
    assert response.status_code == 302
    assert run.lines.filter(correction_of=line, amount=Decimal("-317.74")).exists()


def test_the_database_refuses_an_implausible_line(caseworker, run, single):
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    big = Decimal("1000000.00")
    wrong = PaymentLine(
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
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        wrong.save()


def test_the_database_refuses_an_implausible_run_total(run):
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRun.objects.filter(pk=run.pk).update(total_cash=Decimal("1000000000.00"))


def test_a_run_whose_totals_do_not_match_its_lines_is_not_approvable(client_of, finance, run):
    PaymentRun.objects.filter(pk=run.pk).update(total_cash=run.total_cash + 99999)
    page = client_of(finance).get(f"/payments/runs/{run.pk}/").content.decode()
    assert "do not match its lines" in page and "/approve/" not in page
    with pytest.raises(ValidationError, match="do not match its lines"):
        services.run_approve(user=finance, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT


@pytest.mark.parametrize("amount", ["-99999999.99", "10000.01", "-10000.01"])
def test_an_implausible_ledger_entry_is_refused(caseworker, minor, amount):
    with pytest.raises(ValidationError, match="is not plausible"):
        services.pocket_money_entry_add(
            user=caseworker, person=minor, amount=Decimal(amount), reason="typo"
        )
    assert not PocketMoneyEntry.objects.exists()


def test_the_ledger_form_refuses_an_implausible_entry(client_of, make_user, dk_operator, minor):
    staff = make_user(Role.CENTRE_STAFF, dk_operator)
    response = client_of(staff).post(
        f"/payments/minors/{minor.pk}/",
        {"entry-on": "2024-03-05", "entry-amount": "-99999999.99", "entry-reason": "typo"},
    )
    assert response.status_code == 200 and "is not plausible" in response.content.decode()
    assert not PocketMoneyEntry.objects.exists()


def test_the_ledger_never_goes_below_zero(caseworker, minor):
    services.pocket_money_entry_add(
        user=caseworker, person=minor, amount=Decimal("100"), reason="birthday gift"
    )
    with pytest.raises(ValidationError, match="balance is"):
        services.pocket_money_entry_add(
            user=caseworker, person=minor, amount=Decimal("-100.01"), reason="too much"
        )
    services.pocket_money_entry_add(
        user=caseworker, person=minor, amount=Decimal("-100"), reason="bicycle"
    )
    assert PocketMoneyEntry.objects.count() == 2


@pytest.mark.parametrize("on", [dt.date(1999, 12, 31), timezone.localdate() + dt.timedelta(days=1)])
def test_a_ledger_entry_on_an_implausible_day_is_refused(caseworker, minor, on):
    with pytest.raises(ValidationError):
        services.pocket_money_entry_add(
            user=caseworker, person=minor, amount=Decimal("10"), reason="gift", on=on
        )
    assert not PocketMoneyEntry.objects.exists()


def test_the_database_refuses_an_implausible_ledger_entry(caseworker, minor):
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


def test_a_line_whose_amounts_are_inexact_as_floats_is_stored(caseworker, run, single):
    # 126.28 - 18.04 is 108.24000000000001 in floating point, which is how SQLite
    # compares decimal columns: the check that amount = gross - deduction must still hold.
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    PaymentLine(
        run=run,
        household_key=line.household_key,
        person=single,
        rule="dk.contract_supplement",
        status="reduced",
        kind="cash",
        rate=Decimal("9.02"),
        unit="day",
        units=14,
        gross=Decimal("126.28"),
        deduction=Decimal("18.04"),
        amount=Decimal("108.24"),
        explanation="contract supplement less two days of absence",
        created_by=caseworker,
    ).save()
    assert run.lines.filter(amount=Decimal("108.24")).exists()
