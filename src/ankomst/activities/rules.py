"""Rules of activation and residence contracts, as pure functions over plain values.

No database here: the dashboards, the allowance side and the tests call these
with dates and numbers. The thresholds are named module values so that a change
of the law is a change in one visible place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ankomst.people.ages import ADULT_AGE

# A residence contract must be signed within this many days of the asylum application.
CONTRACT_DEADLINE_DAYS = 7
# Adults in a reception centre are not activated during their first three months.
RECEPTION_GRACE_DAYS = 90
# The centre type values used by ``ankomst.centres`` (CentreType); kept as plain
# strings so that this module stays free of model imports.
RECEPTION_CENTRE = "reception"


def activation_required(
    age: int | None, centre_type: str | None, days_since_application: int
) -> tuple[bool, str]:
    """Whether an adult must take part in teaching and activation, and why (or why not).

    ``centre_type`` is None while the centres app does not yet tell it; then only
    age decides.
    """
    if age is None:
        return True, _("Age unknown: treated as an adult until the date of birth is recorded.")
    if age < ADULT_AGE:
        return False, _("Children are not activated; those of 6–16 go to school.")
    if centre_type == RECEPTION_CENTRE and days_since_application < RECEPTION_GRACE_DAYS:
        return False, _("Adult in a reception centre during the first three months.")
    return True, _("Adult: teaching and activation apply.")


@dataclass(frozen=True)
class ContractDue:
    """Where an adult without a residence contract stands against the deadline."""

    application_date: dt.date
    deadline: dt.date
    days_since_application: int
    breach: bool
    # Days since the deadline passed (0 while in time): how long the contract has been missing.
    days_overdue: int = 0


def contract_due(application_date: dt.date, today: dt.date) -> ContractDue:
    """The contract deadline of an adult with no contract yet; a breach once it has passed.

    The contract may be signed on the deadline day itself; the day after is a breach.
    """
    deadline = application_date + dt.timedelta(days=CONTRACT_DEADLINE_DAYS)
    return ContractDue(
        application_date=application_date,
        deadline=deadline,
        days_since_application=(today - application_date).days,
        breach=today > deadline,
        days_overdue=max(0, (today - deadline).days),
    )


def adult_born_on_or_before(today: dt.date) -> dt.date:
    """The latest date of birth of a person who is an adult on ``today``."""
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # 29 February: the 18th birthday falls on 1 March
        return today.replace(year=today.year - ADULT_AGE, month=2, day=28)
