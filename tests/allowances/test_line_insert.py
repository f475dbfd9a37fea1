"""A run's lines are written in one statement stream (COPY on PostgreSQL, executemany on
SQLite), not through the ORM: what is stored is exactly what the ORM would store, on both
backends, whatever the text holds."""

import datetime as dt
from decimal import Decimal

from ankomst.allowances import services
from ankomst.allowances.collect import collect
from ankomst.allowances.engine import Payment, PaymentLine, Period, compute_run
from ankomst.allowances.models import PaymentLine as StoredLine
from ankomst.allowances.models import PaymentRun, RunStatus, Scheme
from ankomst.centres.models import Catering, Phase

PERIOD_START = dt.date(2024, 3, 4)
CUTOFF = dt.date(2024, 3, 1)
# Every column but the key, the run and the moment of writing.
COMPARED = [
    f.attname
    for f in StoredLine._meta.concrete_fields
    if f.attname not in ("id", "run_id", "created_at")
]


def _stored(run) -> list[tuple]:
    return list(run.lines.order_by("id").values_list(*COMPARED))


def _orm_copy(run, payments, data, user) -> PaymentRun:
    """The same lines written by ``bulk_create`` into a second (cancelled) run."""
    other = PaymentRun.objects.create(
        organisation=run.organisation,
        scheme=run.scheme,
        period_start=run.period_start,
        period_end=run.period_end,
        cutoff=run.cutoff,
        status=RunStatus.CANCELLED,
        country=run.country,
        currency=run.currency,
        rates_year=run.rates_year,
        rates_digest=run.rates_digest,
        prepared_by=user,
    )
    StoredLine.objects.bulk_create(
        StoredLine(
            run=other,
            household_id=data.household_pk[key],
            household_key=key,
            person_id=int(line.person_id) if line.person_id else None,
            rule=line.rule,
            status=line.status,
            kind=line.kind,
            rate=line.rate,
            unit=line.unit,
            units=line.units,
            gross=line.gross,
            deduction=line.deduction,
            amount=line.amount,
            confirmed=line.confirmed,
            explanation=line.explanation,
            params=dict(line.params),
            created_by=user,
        )
        for key, line in services._keyed_lines(run, payments, data)
    )
    return other


def test_a_prepared_run_stores_what_the_orm_would(
    caseworker, dk_operator, family, single, make_person, check_in, phase
):
    household, members = family
    phase(members["head"], Phase.AFTER_DECISION, dt.date(2024, 2, 1))
    canteen = make_person(dk_operator, "Lina Haddad", born=dt.date(1990, 5, 5), sex="F")
    check_in(canteen, catering=Catering.CANTEEN)
    run = services.run_prepare(
        user=caseworker,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=PERIOD_START,
        cutoff=CUTOFF,
    )
    rates = services.rates_for(dk_operator, PERIOD_START)
    data = collect(
        dk_operator,
        country="DK",
        cutoff=CUTOFF,
        period_start=PERIOD_START,
        period_end=run.period_end,
    )
    payments = compute_run(data.households, Period(PERIOD_START, run.period_end, CUTOFF), rates)
    fast = _stored(run)
    assert len(fast) > 6 and {row[0] for row in fast} == {household.pk, None}
    assert fast == _stored(_orm_copy(run, payments, data, caseworker))


def _line(person_id, explanation, params, amount="12.50") -> PaymentLine:
    amount = Decimal(amount)
    return PaymentLine(
        person_id=person_id,
        rule="dk.basic_allowance",
        status="paid",
        kind="cash",
        rate=Decimal("0.8929"),
        unit="day",
        units=14,
        gross=amount,
        deduction=Decimal("0.00"),
        amount=amount,
        confirmed=False,
        explanation=explanation,
        params=params,
    )


def test_any_text_is_stored_as_written(caseworker, dk_operator, family, single):
    household, members = family
    awkward = "tab\there, new\nline, return\r, back\\slash, \\N, \\t, quote \" ' é ø 日本 ‏عربي"
    shared = {"note": awkward, "nested": {"list": [1, "\\", None, True]}, "amount": "1.50"}
    lines = (
        _line(str(members["head"].pk), awkward, shared),
        # shares the parameters object (encoded once), not the explanation or the amount
        _line(str(members["spouse"].pk), "another text", shared, amount="3.00"),
        _line(str(members["child1"].pk), awkward, shared),
        _line(None, "household line", {}),
    )
    period = Period(PERIOD_START, PERIOD_START + dt.timedelta(days=13), CUTOFF)
    payments = [
        Payment(f"h{household.pk}", "allowance", "DK", "DKK", period, 2024, "x", lines),
        Payment(
            f"p{single.pk}",
            "allowance",
            "DK",
            "DKK",
            period,
            2024,
            "x",
            (_line(str(single.pk), awkward, {"tab": "\t"}),),
        ),
    ]
    data = type("Data", (), {})()
    data.household_pk = {f"h{household.pk}": household.pk, f"p{single.pk}": None}
    run = PaymentRun.objects.create(
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=PERIOD_START,
        period_end=period.end,
        cutoff=CUTOFF,
        country="DK",
        currency="DKK",
        rates_year=2024,
        rates_digest="x",
        prepared_by=caseworker,
    )
    assert services._insert_lines(services._line_rows(run, payments, data, caseworker)) == 5
    stored = list(run.lines.order_by("id"))
    assert [line.explanation for line in stored] == [
        awkward,
        "another text",
        awkward,
        "household line",
        awkward,
    ]
    assert [line.params for line in stored] == [shared, shared, shared, {}, {"tab": "\t"}]
    assert [line.amount for line in stored] == [Decimal("12.50"), Decimal("3.00")] + [
        Decimal("12.50")
    ] * 3
    assert [line.person_id for line in stored[:4]] == [
        members["head"].pk,
        members["spouse"].pk,
        members["child1"].pk,
        None,
    ]
    assert stored[4].household_id is None and stored[4].household_key == f"p{single.pk}"
    assert all(line.rate == Decimal("0.8929") and not line.confirmed for line in stored)
    assert all(
        line.created_by_id == caseworker.pk and line.correction_of_id is None for line in stored
    )
    assert _stored(run) == _stored(_orm_copy(run, payments, data, caseworker))
