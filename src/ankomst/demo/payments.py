"""A payment run in the demo: the last 14-day period of the demo operator, prepared by
``admin`` and approved by ``finance`` (four eyes), so the pages have something to show.

Idempotent: a live run for that period is returned as it is. Does nothing until the
demo estate has stays.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ankomst.accounts.models import Organisation, User
from ankomst.allowances import services
from ankomst.allowances.models import OperatorAccount, PaymentRun, RunStatus, Scheme
from ankomst.centres.models import Stay

from .organisations import OPERATOR

# Periods run every 14 days from this Monday; the demo pays the one that began last.
PERIOD_ANCHOR = dt.date(2024, 1, 1)
DEMO_OPERATOR_IBAN = "DK5000400440116243"


def last_period_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=(today - PERIOD_ANCHOR).days % services.PERIOD_DAYS)


def ensure_demo_payment_run(today: dt.date | None = None) -> PaymentRun | None:
    operator = Organisation.objects.filter(name=OPERATOR).first()
    if operator is None or not Stay.objects.filter(organisation=operator).exists():
        return None
    start = last_period_start(today or timezone.localdate())
    run = (
        PaymentRun.objects.active()
        .filter(organisation=operator, scheme=Scheme.ALLOWANCE, period_start=start)
        .first()
    )
    if run is None:
        run = services.run_prepare(
            user=User.objects.get(username="admin"),
            organisation=operator,
            scheme=Scheme.ALLOWANCE,
            period_start=start,
        )
    if run.status == RunStatus.DRAFT:
        run = services.run_approve(user=User.objects.get(username="finance"), run=run)
    OperatorAccount.objects.get_or_create(
        organisation=operator, defaults={"iban": DEMO_OPERATOR_IBAN}
    )
    return run
