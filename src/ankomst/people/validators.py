"""Validation of identifiers."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CPR = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d{4})$")


def cpr_birth_date(value: str) -> dt.date:
    """The date of birth encoded in a Danish CPR number, or ValidationError.

    The 7th digit with the year gives the century (CPR office's table).
    Since 2007 numbers need not pass the modulus-11 check, so it is not applied.
    """
    match = _CPR.match(value.strip())
    if not match:
        raise ValidationError(
            _("A CPR number has ten digits, written DDMMYY-SSSS."), code="cpr_format"
        )
    day, month, year2, serial = (int(g) if i < 3 else g for i, g in enumerate(match.groups()))
    seventh = int(serial[0])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if year2 <= 36 else 1900
    else:  # 5-8
        century = 2000 if year2 <= 57 else 1800
    try:
        return dt.date(century + year2, month, day)
    except ValueError:
        raise ValidationError(
            _("The first six digits of a CPR number must be a real date (DDMMYY)."),
            code="cpr_date",
        ) from None


def normalise_cpr(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else value.strip()


def normalise_identifier(value: str) -> str:
    """Case numbers and UNHCR numbers are compared without spaces, dashes, slashes or case."""
    return re.sub(r"[\s\-/._]", "", value).upper()


_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,20}$")


def validate_phone(value: str) -> None:
    if value and not _PHONE.match(value):
        raise ValidationError(
            _("Write a phone number with digits, optionally starting with + and the country code."),
            code="phone",
        )
