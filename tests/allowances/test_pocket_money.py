"""Pocket money for unaccompanied minors: its own run, a ledger per minor, notes on money management."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ankomst.accounts.roles import Role
from ankomst.allowances import selectors, services
from ankomst.allowances.models import EntryKind, ImmutableError, PocketMoneyEntry, Scheme
from ankomst.people.models import Household, Relation

START, CUTOFF = dt.date(2024, 3, 4), dt.date(2024, 3, 1)


@pytest.fixture
def minors(dk_operator, make_person, check_in):
    """Two brothers of 14 and 16 without an adult, and an adult household for contrast."""
    household = Household.objects.create(organisation=dk_operator, reference="UM-1")
    older = make_person(
        dk_operator,
        "Ali Rahimi",
        born=dt.date(2007, 6, 1),
        household=household,
        relation=Relation.HEAD,
        nationality="AF",
    )
    younger = make_person(
        dk_operator,
        "Reza Rahimi",
        born=dt.date(2009, 11, 1),
        household=household,
        relation=Relation.CHILD,
        nationality="AF",
    )
    for person in (older, younger):
        check_in(person)
    return older, younger


def pocket_run(user, organisation):
    return services.run_prepare(
        user=user,
        organisation=organisation,
        scheme=Scheme.POCKET_MONEY,
        period_start=START,
        cutoff=CUTOFF,
    )


def test_only_unaccompanied_minors_get_pocket_money(caseworker, dk_operator, minors, family):
    older, younger = minors
    run = pocket_run(caseworker, dk_operator)
    assert {line.person_id: line.amount for line in run.lines.all()} == {
        older.pk: Decimal("350.00"),
        younger.pk: Decimal("250.00"),
    }
    assert set(run.lines.values_list("household_key", flat=True)) == {f"h{older.household_id}"}
    assert run.total_cash == Decimal("600.00")


def test_unaccompanied_minors_get_the_single_adult_allowance(caseworker, dk_operator, minors):
    older, _ = minors
    run = services.run_prepare(
        user=caseworker,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=START,
        cutoff=CUTOFF,
    )
    line = run.lines.get(person=older, rule="dk.basic_allowance")
    assert line.amount == Decimal("58.41") * 14


def test_locking_the_run_pays_into_each_ledger_once(caseworker, finance, dk_operator, minors):
    older, _ = minors
    run = pocket_run(caseworker, dk_operator)
    services.run_approve(user=finance, run=run)
    services.run_lock(user=finance, run=run)
    [entry] = PocketMoneyEntry.objects.filter(person=older)
    assert (entry.kind, entry.amount, entry.on) == (EntryKind.PAYOUT, Decimal("350.00"), START)
    services.pocket_money_entry_add(
        user=caseworker,
        person=older,
        amount=Decimal("-120.00"),
        reason="saved for a bicycle, kept in the office safe",
    )
    rows = selectors.ledger(older)
    assert [r.balance for r in rows] == [Decimal("350.00"), Decimal("230.00")]
    with pytest.raises(ImmutableError):
        entry.delete()


def test_a_manual_entry_needs_a_reason(caseworker, minors):
    with pytest.raises(ValidationError):
        services.pocket_money_entry_add(
            user=caseworker, person=minors[0], amount=Decimal("10"), reason=" "
        )


@pytest.fixture
def minor_now(dk_operator, make_person):
    """A boy of 15 today, alone: the ledger pages do not depend on the day the tests run."""
    born = timezone.localdate() - dt.timedelta(days=15 * 365)
    return make_person(dk_operator, "Hamid Noori", born=born, nationality="AF")


def test_the_ledger_page_with_notes(client_of, make_user, dk_operator, minor_now):
    older = minor_now
    staff = make_user(Role.CENTRE_STAFF, dk_operator)
    client = client_of(staff)
    client.post(
        f"/payments/minors/{older.pk}/",
        {"entry-on": "2024-03-04", "entry-amount": "100", "entry-reason": "birthday gift"},
    )
    response = client.post(
        f"/payments/minors/{older.pk}/",
        {"entry-on": "2024-03-05", "entry-amount": "-40.00", "entry-reason": "bus card"},
    )
    assert response.status_code == 302
    client.post(
        f"/payments/minors/{older.pk}/",
        {"note-on": "2024-03-06", "note-text": "Made a weekly budget for food and phone credit."},
    )
    page = client.get(f"/payments/minors/{older.pk}/").content.decode()
    assert "bus card" in page and "-40" in page and "weekly budget" in page
    assert client.get("/payments/minors/").status_code == 200


def test_a_manager_reads_the_ledger_but_cannot_write(client_of, make_user, dk_operator, minor_now):
    manager = make_user(Role.MANAGER, dk_operator)
    client = client_of(manager)
    assert client.get(f"/payments/minors/{minor_now.pk}/").status_code == 200
    response = client.post(
        f"/payments/minors/{minor_now.pk}/",
        {"entry-on": "2024-03-05", "entry-amount": "5", "entry-reason": "x"},
    )
    assert response.status_code == 403
