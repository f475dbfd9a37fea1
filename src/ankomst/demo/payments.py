"""Payments in the demo, so that every payment journey can be walked with the printed logins.

- The demo operator's last 14-day period, prepared by ``payments`` (the operator's
  caseworker) and approved by ``finance`` (four eyes); the next period is left for the
  visitor to prepare, approve, lock and export.
- About half of the operator's households are paid by bank transfer (a registered IBAN),
  so the pain.001 file has transactions and a control sum; the others collect cash.
- The children's centre's operator pays pocket money: its last period is prepared by
  ``payments`` and approved and locked by ``finance``, so each minor's ledger has a payout
  that ``staff`` can follow and add to.

Idempotent: a live run for a period is returned as it is, an account is set once. Does
nothing until the demo estate has stays.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ankomst.accounts.models import Organisation, User
from ankomst.allowances import services
from ankomst.allowances.models import (
    OperatorAccount,
    PayeeAccount,
    PaymentRun,
    RunStatus,
    Scheme,
)
from ankomst.centres.models import Stay
from ankomst.people.models import Person, Relation

from .organisations import CHILDREN_OPERATOR, OPERATOR

# Periods run every 14 days from this Monday; the demo pays the one that began last.
PERIOD_ANCHOR = dt.date(2024, 1, 1)
DEMO_OPERATOR_IBAN = "DK5000400440116243"
DEMO_CHILDREN_OPERATOR_IBAN = "DK9520000123456789"
# The operator's caseworker who prepares payments, and the finance officer who approves them.
PREPARER = "payments"
APPROVER = "finance"
# Share of the operator's households that are paid to a bank account.
BANK_SHARE = 0.5


def last_period_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=(today - PERIOD_ANCHOR).days % services.PERIOD_DAYS)


def danish_iban(registration: int, account: int) -> str:
    """A valid Danish IBAN (ISO 13616 check digits) for a registration and account number."""
    bban = f"{registration:04d}{account:010d}"
    # The check digits make the number, read as IBAN, leave 1 modulo 97.
    digits = "".join(str(int(ch, 36)) for ch in f"{bban}DK00")
    return f"DK{98 - int(digits) % 97:02d}{bban}"


def ensure_demo_payment_run(today: dt.date | None = None) -> PaymentRun | None:
    """The demo operator's approved run of the last period (and the demo's other payments)."""
    operator = Organisation.objects.filter(name=OPERATOR).first()
    if operator is None or not Stay.objects.filter(organisation=operator).exists():
        return None
    start = last_period_start(today or timezone.localdate())
    run = _approved_run(operator, Scheme.ALLOWANCE, start)
    OperatorAccount.objects.get_or_create(
        organisation=operator, defaults={"iban": DEMO_OPERATOR_IBAN}
    )
    ensure_demo_bank_accounts(operator)
    children = Organisation.objects.filter(name=CHILDREN_OPERATOR).first()
    if children is not None and Stay.objects.filter(organisation=children).exists():
        OperatorAccount.objects.get_or_create(
            organisation=children, defaults={"iban": DEMO_CHILDREN_OPERATOR_IBAN}
        )
        pocket = _approved_run(children, Scheme.POCKET_MONEY, start)
        if pocket.status == RunStatus.APPROVED:
            services.run_lock(user=User.objects.get(username=APPROVER), run=pocket)
    return run


def _approved_run(organisation: Organisation, scheme: str, start: dt.date) -> PaymentRun:
    run = (
        PaymentRun.objects.active()
        .filter(organisation=organisation, scheme=scheme, period_start=start)
        .first()
    )
    if run is None:
        preparer = User.objects.filter(username=PREPARER).first() or User.objects.get(
            username="admin"
        )
        run = services.run_prepare(
            user=preparer, organisation=organisation, scheme=scheme, period_start=start
        )
    if run.status == RunStatus.DRAFT:
        run = services.run_approve(user=User.objects.get(username=APPROVER), run=run)
    return run


def ensure_demo_bank_accounts(operator: Organisation, *, seed: int = 2026) -> int:
    """Register a bank account for about half of the operator's heads of household, once."""
    if PayeeAccount.objects.filter(person__organisation=operator).exists():
        return 0
    rng = random.Random(seed)
    heads = Person.objects.filter(organisation=operator, relation=Relation.HEAD).order_by("pk")
    accounts = [
        PayeeAccount(
            person=head,
            bank_account=danish_iban(rng.choice([400, 1551, 2000, 3409, 5301, 9570]), head.pk),
        )
        for head in heads
        if rng.random() < BANK_SHARE
    ]
    PayeeAccount.objects.bulk_create(accounts, batch_size=500)
    return len(accounts)
