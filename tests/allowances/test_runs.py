"""Payment runs: who is paid, four eyes, the same period twice, corrections, immutability."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ankomst.accounts.roles import Role
from ankomst.allowances import selectors, services
from ankomst.allowances.models import ImmutableError, PaymentLine, PaymentRun, RunStatus, Scheme
from ankomst.audit.models import Action, AuditEvent
from ankomst.centres.models import Catering, Phase

PERIOD_START = dt.date(2024, 3, 4)  # a Monday; the cut-off is the Friday before
CUTOFF = dt.date(2024, 3, 1)


def prepare(user, organisation, start=PERIOD_START, cutoff=CUTOFF, scheme=Scheme.ALLOWANCE):
    return services.run_prepare(
        user=user, organisation=organisation, scheme=scheme, period_start=start, cutoff=cutoff
    )


def amounts(run, person):
    return {line.rule: line.amount for line in run.lines.filter(person=person)}


def test_it_pays_a_family_at_a_self_catering_centre(caseworker, dk_operator, family):
    household, m = family
    run = prepare(caseworker, dk_operator)
    assert run.status == RunStatus.DRAFT
    assert (run.country, run.currency, run.rates_year) == ("DK", "DKK", 2024)
    assert run.households == 1 and run.residents == 4
    # Couple rate 46.24 × 14 days for each adult; child supplement full for both children.
    assert amounts(run, m["head"])["dk.basic_allowance"] == Decimal("647.36")
    assert amounts(run, m["spouse"])["dk.basic_allowance"] == Decimal("647.36")
    assert amounts(run, m["child1"]) == {"dk.child_supplement": Decimal("882.84")}
    # No residence contract yet: the supplement line says so with zero.
    line = run.lines.get(person=m["head"], rule="dk.contract_supplement")
    assert line.status == "not_paid" and "no residence contract" in line.explanation
    assert run.total_cash == Decimal("647.36") * 2 + Decimal("882.84") * 2
    assert all(line.household_id == household.pk for line in run.lines.all())


def test_every_line_carries_its_explanation(caseworker, dk_operator, family, single):
    run = prepare(caseworker, dk_operator)
    for line in run.lines.all():
        assert line.explanation and line.params["component"] == line.rule
        if line.status != "not_paid":
            assert "× 14 days" in line.explanation and line.params["rate"]


def test_it_pays_only_residents_on_the_cutoff_date(
    caseworker, dk_operator, make_person, check_in, single
):
    left = make_person(dk_operator, "Left Before", born=dt.date(1990, 1, 1))
    check_in(left, until=CUTOFF)  # checked out at noon on the cut-off day
    later = make_person(dk_operator, "Came Later", born=dt.date(1990, 1, 1))
    check_in(later, since=CUTOFF + dt.timedelta(days=1))
    run = prepare(caseworker, dk_operator)
    assert set(run.lines.values_list("person_id", flat=True)) == {single.pk}


def test_canteen_centre_pays_no_basic_allowance(caseworker, dk_operator, make_person, check_in):
    person = make_person(dk_operator, "Canteen Resident", born=dt.date(1990, 1, 1))
    check_in(person, catering=Catering.CANTEEN)
    run = prepare(caseworker, dk_operator)
    line = run.lines.get(person=person, rule="dk.basic_allowance")
    assert line.amount == 0 and line.status == "not_paid"


def test_a_phase_change_after_the_cutoff_is_ignored(caseworker, dk_operator, family, phase):
    _, m = family
    phase(m["child1"], Phase.BEFORE_DECISION, dt.date(2024, 1, 10))
    # The decision that the case is processed in Denmark comes the day after the cut-off.
    phase(m["child1"], Phase.AFTER_DECISION, CUTOFF + dt.timedelta(days=1))
    run = prepare(caseworker, dk_operator)
    line = run.lines.get(person=m["child1"])
    assert line.params["phase"] == "before_decision"
    assert line.amount == Decimal("63.06") * 14


def test_a_phase_before_the_cutoff_counts(caseworker, dk_operator, family, phase):
    _, m = family
    phase(m["child1"], Phase.AFTER_DECISION, CUTOFF)
    run = prepare(caseworker, dk_operator)
    assert run.lines.get(person=m["child1"]).amount == Decimal("85.57") * 14


def test_refused_not_cooperating_falls_under_the_food_money_scheme(
    caseworker, dk_operator, single, phase
):
    phase(single, Phase.FINALLY_REFUSED, dt.date(2024, 2, 1), cooperating=False)
    run = prepare(caseworker, dk_operator)
    line = run.lines.get(person=single, rule="dk.contract_supplement")
    assert line.status == "not_paid" and line.params["food_money"] is True


def test_a_later_run_does_not_change_a_locked_one(caseworker, finance, dk_operator, family, phase):
    _, m = family
    run = prepare(caseworker, dk_operator)
    services.run_approve(user=finance, run=run)
    services.run_lock(user=finance, run=run)
    before = list(run.lines.values_list("id", "amount"))
    phase(m["child1"], Phase.AFTER_DECISION, dt.date(2024, 3, 2))  # back-dated into the period
    prepare(caseworker, dk_operator, start=dt.date(2024, 3, 18), cutoff=dt.date(2024, 3, 15))
    assert list(run.lines.values_list("id", "amount")) == before


# --- four eyes ---------------------------------------------------------------------------------


def test_the_preparer_cannot_approve(make_user, dk_operator, single):
    both = make_user(Role.CASEWORKER, dk_operator)
    from ankomst.accounts.models import Membership

    Membership.objects.create(user=both, organisation=dk_operator, role=Role.FINANCE_OFFICER)
    run = prepare(both, dk_operator)
    with pytest.raises(services.FourEyesViolation):
        services.run_approve(user=both, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    assert AuditEvent.objects.filter(action=Action.DENIED, object_id=str(run.pk)).exists()


def test_the_database_refuses_approval_by_the_preparer(caseworker, dk_operator, single):
    run = prepare(caseworker, dk_operator)
    run.approved_by = caseworker
    run.status = RunStatus.APPROVED
    with pytest.raises(IntegrityError), transaction.atomic():
        run.save()


def test_whoever_corrected_a_line_cannot_approve(make_user, caseworker, dk_operator, single):
    other = make_user(Role.CASEWORKER, dk_operator)
    from ankomst.accounts.models import Membership

    Membership.objects.create(user=other, organisation=dk_operator, role=Role.FINANCE_OFFICER)
    run = prepare(caseworker, dk_operator)
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    services.line_correct(
        user=other, line=line, amount=Decimal("700.00"), reason="arrived with child"
    )
    with pytest.raises(services.FourEyesViolation):
        services.run_approve(user=other, run=run)


def test_only_a_finance_officer_approves(caseworker, make_user, dk_operator, single):
    run = prepare(caseworker, dk_operator)
    admin = make_user(Role.ADMINISTRATOR, dk_operator)
    with pytest.raises(PermissionDenied):
        services.run_approve(user=admin, run=run)


def test_approve_lock_export_in_order(caseworker, finance, dk_operator, single):
    run = prepare(caseworker, dk_operator)
    with pytest.raises(ValidationError):
        services.run_lock(user=finance, run=run)
    with pytest.raises(ValidationError):
        services.run_mark_exported(user=finance, run=run, what="csv")
    run = services.run_approve(user=finance, run=run)
    assert run.approved_by == finance and run.status == RunStatus.APPROVED
    run = services.run_lock(user=finance, run=run)
    run = services.run_mark_exported(user=finance, run=run, what="csv")
    assert run.status == RunStatus.EXPORTED
    with pytest.raises(ValidationError):
        services.run_cancel(user=caseworker, run=run)


def test_a_caseworker_of_another_operator_cannot_prepare(bob, dk_operator, single):
    with pytest.raises(PermissionDenied):
        prepare(bob, dk_operator)


# --- paying nothing twice ----------------------------------------------------------------------


def test_the_same_period_twice_is_refused_and_names_the_run(caseworker, dk_operator, single):
    first = prepare(caseworker, dk_operator)
    with pytest.raises(services.RunConflict) as exc:
        prepare(caseworker, dk_operator)
    assert exc.value.run == first
    # An overlapping period is refused too.
    with pytest.raises(services.RunConflict):
        prepare(
            caseworker,
            dk_operator,
            start=PERIOD_START + dt.timedelta(days=7),
            cutoff=PERIOD_START + dt.timedelta(days=4),
        )
    assert PaymentRun.objects.count() == 1
    assert PaymentLine.objects.filter(person=single, rule="dk.basic_allowance").count() == 1


def test_the_database_keeps_one_live_run_per_period(caseworker, dk_operator, single):
    first = prepare(caseworker, dk_operator)
    duplicate = PaymentRun(
        organisation=dk_operator,
        scheme=first.scheme,
        period_start=first.period_start,
        period_end=first.period_end,
        cutoff=first.cutoff,
        country="DK",
        currency="DKK",
        rates_year=2024,
        rates_digest=first.rates_digest,
        prepared_by=caseworker,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_cancelled_draft_can_be_prepared_again(caseworker, dk_operator, single):
    first = prepare(caseworker, dk_operator)
    services.run_cancel(user=caseworker, run=first)
    second = prepare(caseworker, dk_operator)
    assert second.pk != first.pk and second.total_cash == first.total_cash
    assert PaymentRun.objects.active().count() == 1


def test_pocket_money_and_allowance_are_separate_runs(
    caseworker, dk_operator, single, make_person, check_in
):
    minor = make_person(dk_operator, "Young Alone", born=dt.date(2010, 5, 1))
    check_in(minor)
    allowance = prepare(caseworker, dk_operator)
    pocket = prepare(caseworker, dk_operator, scheme=Scheme.POCKET_MONEY)
    assert allowance.pk != pocket.pk
    assert set(pocket.lines.values_list("person_id", flat=True)) == {minor.pk}


def test_a_pocket_money_run_without_minors_is_reported_not_stored(caseworker, dk_operator, single):
    with pytest.raises(ValidationError, match="nobody to pay"):
        prepare(caseworker, dk_operator, scheme=Scheme.POCKET_MONEY)
    assert not PaymentRun.objects.filter(scheme=Scheme.POCKET_MONEY).exists()


# --- corrections and immutability --------------------------------------------------------------


def test_a_correction_is_a_new_line(caseworker, dk_operator, single):
    run = prepare(caseworker, dk_operator)
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    correction = services.line_correct(
        user=caseworker, line=line, amount=Decimal("800.00"), reason="registered late as single"
    )
    line.refresh_from_db()
    assert line.amount == Decimal("817.74")  # unchanged
    assert correction.correction_of == line and correction.run == run
    assert correction.amount == Decimal("-17.74") and "registered late" in correction.explanation
    run.refresh_from_db()
    assert run.total_cash == Decimal("800.00")
    # A second correction is relative to the corrected amount.
    again = services.line_correct(
        user=caseworker, line=correction, amount=Decimal("817.74"), reason="undo"
    )
    assert again.correction_of == line and again.amount == Decimal("17.74")


def test_a_locked_run_is_corrected_in_the_next_draft(caseworker, finance, dk_operator, single):
    run = prepare(caseworker, dk_operator)
    services.run_approve(user=finance, run=run)
    services.run_lock(user=finance, run=run)
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    with pytest.raises(ValidationError):
        services.line_correct(user=caseworker, line=line, amount=Decimal("0"), reason="had left")
    nxt = prepare(caseworker, dk_operator, start=dt.date(2024, 3, 18), cutoff=dt.date(2024, 3, 15))
    correction = services.line_correct(
        user=caseworker, line=line, amount=Decimal("0"), reason="had left"
    )
    assert correction.run == nxt and correction.amount == Decimal("-817.74")
    assert run.lines.count() == PaymentLine.objects.filter(run=run).count()


def test_lines_are_never_updated_or_deleted(caseworker, dk_operator, single):
    run = prepare(caseworker, dk_operator)
    line = run.lines.first()
    line.amount = Decimal("1.00")
    with pytest.raises(ImmutableError):
        line.save()
    with pytest.raises(ImmutableError):
        line.delete()
    with pytest.raises(ImmutableError):
        run.lines.update(amount=0)
    with pytest.raises(ImmutableError):
        PaymentLine.objects.filter(run=run).delete()


def test_the_database_refuses_to_update_a_line(caseworker, dk_operator, single):
    from django.db import DatabaseError, connection

    run = prepare(caseworker, dk_operator)
    line = run.lines.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE allowances_paymentline SET explanation = 'x' WHERE id = %s", [line.pk]
        )


def test_no_line_is_added_to_a_locked_run(caseworker, finance, dk_operator, single):
    run = prepare(caseworker, dk_operator)
    services.run_approve(user=finance, run=run)
    services.run_lock(user=finance, run=run)
    line = run.lines.first()
    extra = PaymentLine(
        run=run,
        household_key=line.household_key,
        rule="x",
        status="paid",
        kind="cash",
        rate=1,
        unit="period",
        units=1,
        gross=1,
        deduction=0,
        amount=1,
        explanation="x",
        created_by=caseworker,
    )
    with pytest.raises(ImmutableError):
        extra.save()


# --- differences and Sweden --------------------------------------------------------------------


def test_differences_to_the_previous_period(
    caseworker, finance, dk_operator, family, single, make_person, check_in, phase
):
    _, m = family
    first = prepare(caseworker, dk_operator)
    services.run_approve(user=finance, run=first)
    services.run_lock(user=finance, run=first)
    newcomer = make_person(dk_operator, "New Comer", born=dt.date(2000, 1, 1))
    check_in(newcomer, since=dt.date(2024, 3, 10))
    single.stays.update(end=timezone.make_aware(dt.datetime(2024, 3, 12, 10)))  # checked out
    phase(m["child2"], Phase.AFTER_DECISION, dt.date(2024, 3, 12))
    second = prepare(
        caseworker, dk_operator, start=dt.date(2024, 3, 18), cutoff=dt.date(2024, 3, 15)
    )
    diff = selectors.run_differences(second)
    assert diff.previous == first
    assert [c.key for c in diff.new] == [f"p{newcomer.pk}"]
    assert [c.key for c in diff.gone] == [f"p{single.pk}"]
    [changed] = diff.changed
    assert [(c.person, c.rule) for c in changed.changes] == [(m["child2"], "dk.child_supplement")]
    assert changed.difference == (Decimal("85.57") - Decimal("63.06")) * 14


def test_sweden_from_its_own_table(make_user, make_person, check_in, dk_operator):
    dk_operator.country = "SE"
    dk_operator.save()
    worker = make_user(Role.CASEWORKER, dk_operator)
    person = make_person(dk_operator, "Swedish Resident", born=dt.date(1990, 1, 1))
    check_in(person, catering=Catering.CANTEEN)
    # Sweden pays a calendar month in advance.
    run = prepare(worker, dk_operator, start=dt.date(2024, 4, 1), cutoff=dt.date(2024, 3, 28))
    assert (run.country, run.currency) == ("SE", "SEK")
    assert run.period_end == dt.date(2024, 4, 30)
    [line] = run.lines.all()
    assert line.rule == "se.daily_allowance_adult" and line.amount == Decimal("24") * 30


def test_a_year_without_table_is_refused_clearly(caseworker, dk_operator, single):
    with pytest.raises(ValidationError, match="There are no rates for Denmark in 2019") as exc:
        prepare(caseworker, dk_operator, start=dt.date(2019, 1, 7), cutoff=dt.date(2019, 1, 4))
    assert ".json" not in str(exc.value)  # never the server's file path
