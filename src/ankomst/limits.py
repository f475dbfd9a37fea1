"""Plausible ranges for every date, moment and amount that a person enters, in one place.

Forms, services, imports and database check constraints all read these bounds, so that
a value refused on one entry path is refused on every path and on both backends.
A bound is about plausibility, not law: the law's own limits (a 14-day period, a rate)
live with the rules that apply them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ankomst.money import format_amount

# Nobody alive was born before this day; a birth date is never in the future.
EARLIEST_BIRTH = dt.date(1900, 1, 1)
# Records of the asylum system (stays, phases, sessions, contracts, ledgers, runs)
# do not reach back further than this; older data is a typing error.
EARLIEST_RECORD = dt.date(2000, 1, 1)
# How far ahead a planned date (a session, a bed closure, a handover, a due date) may lie.
PLANNING_HORIZON = dt.timedelta(days=5 * 366)
# A moment that has happened (a check-in, a check-out, an attendance mark) may lie this far
# in the future, for clocks that differ a little; not more.
CLOCK_TOLERANCE = dt.timedelta(minutes=10)

# Money: the largest amount one line, correction or ledger entry may carry, in kroner.
# Far above any real allowance, far below what either backend's decimal columns hold.
MAX_AMOUNT = Decimal("999999.99")
# The largest total of one payment run (tens of thousands of residents at a few thousand kroner
# fit many times over); the run's total columns hold 12 digits before the decimal point.
MAX_RUN_TOTAL = Decimal("999999999.99")
# The largest single movement in a minor's pocket-money ledger (a payout is a few hundred kroner).
MAX_POCKET_MONEY = Decimal("10000.00")
# How far ahead a payment run may start: paid in advance, at most two months before.
PAYMENT_LEAD = dt.timedelta(days=62)
# Free-text search: the longest query and the most words that are looked up.
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 8


def today() -> dt.date:
    return timezone.localdate()


def latest_planned() -> dt.date:
    return today() + PLANNING_HORIZON


def _d(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def validate_birth_date(value: dt.date | None) -> None:
    if value is None:
        return
    if value < EARLIEST_BIRTH:
        raise ValidationError(
            _("A date of birth before %(date)s is not plausible."),
            code="too_early",
            params={"date": _d(EARLIEST_BIRTH)},
        )
    if value > today():
        raise ValidationError(_("A date of birth cannot be in the future."), code="future")


def validate_record_date(value: dt.date | None) -> None:
    """A date that has happened or is planned: not before EARLIEST_RECORD, not beyond the horizon."""
    if value is None:
        return
    if value < EARLIEST_RECORD:
        raise ValidationError(
            _("A date before %(date)s is not plausible here."),
            code="too_early",
            params={"date": _d(EARLIEST_RECORD)},
        )
    if value > latest_planned():
        raise ValidationError(
            _("A date after %(date)s is too far ahead."),
            code="too_late",
            params={"date": _d(latest_planned())},
        )


def validate_past_date(value: dt.date | None) -> None:
    """A date of something that has happened: not before EARLIEST_RECORD, not after today."""
    if value is None:
        return
    validate_record_date(value)
    if value > today():
        raise ValidationError(_("This date cannot be in the future."), code="future")


def validate_past_moment(value: dt.datetime | None) -> None:
    """A moment that has happened (check-in, check-out): not in the future beyond the clock tolerance."""
    if value is None:
        return
    validate_record_date(
        timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    )
    if value > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError(_("This moment cannot be in the future."), code="future")


def validate_amount(
    value: Decimal | None, *, allow_negative: bool = True, maximum: Decimal = MAX_AMOUNT
) -> None:
    """Refuse what is not a finite amount within ``maximum`` (either sign), or negative if not allowed."""
    if value is None:
        return
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError(_("Enter an amount."), code="invalid")
    if abs(value) > maximum:
        raise ValidationError(
            _("An amount of more than %(max)s kr. is not plausible."),
            code="too_large",
            params={"max": format_amount(maximum)},
        )
    if not allow_negative and value < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")


# Record ids in query strings and forms: the primary keys are 64-bit (BigAutoField).
MAX_ID = 2**63 - 1


def collect(errors: dict, field: str, validator, value) -> None:
    """Run one of the validators above and add its messages to ``errors[field]`` (for services)."""
    try:
        validator(value)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
