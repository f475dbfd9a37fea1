"""No payment run pays a resident beyond the day the municipality takes over."""

import datetime as dt

from ankomst.allowances import services
from ankomst.allowances.models import PaymentLine, Scheme
from ankomst.centres.models import CasePhase

PERIOD = dt.date(2024, 3, 4)  # 4–17 March 2024, cut-off 1 March


def _granted(person, user, handover):
    return CasePhase.objects.create(
        person=person,
        organisation=person.organisation,
        phase="granted",
        start=dt.date(2024, 1, 10),
        handover_date=handover,
        created_by=user,
    )


def _prepare(user, organisation):
    return services.run_prepare(
        user=user,
        organisation=organisation,
        scheme=Scheme.ALLOWANCE,
        period_start=PERIOD,
        cutoff=PERIOD - dt.timedelta(days=3),
    )


def test_a_handover_inside_the_period_pays_the_days_before_it(single, caseworker, dk_operator):
    _granted(single, caseworker, dt.date(2024, 3, 11))
    run = _prepare(caseworker, dk_operator)
    basic = PaymentLine.objects.get(run=run, person=single, rule="dk.basic_allowance")
    # 4–10 March: seven days; the municipality pays from the 11th.
    assert basic.units == 7 and basic.amount == basic.rate * 7
    [note] = run.skipped
    assert note["code"] == "paid_until_handover"
    assert note["params"] == {"date": "2024-03-11", "days": "2024-03-04–2024-03-10"}


def test_a_handover_before_the_period_pays_nothing(single, caseworker, dk_operator, family):
    _granted(single, caseworker, dt.date(2024, 3, 1))
    run = _prepare(caseworker, dk_operator)
    assert not PaymentLine.objects.filter(run=run, person=single).exists()
    assert [n["code"] for n in run.skipped] == ["handed_over"]
    # the family, without a permit, is paid in full
    _household, members = family
    head = PaymentLine.objects.get(run=run, person=members["head"], rule="dk.basic_allowance")
    assert head.units == 14


def test_a_handover_after_the_period_changes_nothing(single, caseworker, dk_operator):
    _granted(single, caseworker, dt.date(2024, 3, 29))
    run = _prepare(caseworker, dk_operator)
    basic = PaymentLine.objects.get(run=run, person=single, rule="dk.basic_allowance")
    assert basic.units == 14
    assert run.skipped == []
