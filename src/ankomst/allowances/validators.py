"""Bank account numbers: an IBAN (checked with its mod-97 digits) or a Danish
registration number with account number ("1234 0001234567")."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_DK_DOMESTIC = re.compile(r"^\d{4}\d{6,10}$")


def compact(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def is_iban(value: str) -> bool:
    return bool(_IBAN.match(compact(value)))


def iban_valid(value: str) -> bool:
    iban = compact(value)
    if not _IBAN.match(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def validate_account(value: str | None) -> None:
    if not value:
        return
    account = compact(value)
    if is_iban(account):
        if not iban_valid(account):
            raise ValidationError(
                _("The IBAN's check digits do not match; please check the number."),
                code="iban_checksum",
            )
        return
    if not _DK_DOMESTIC.match(account):
        raise ValidationError(
            _("Enter an IBAN or a 4-digit registration number followed by the account number."),
            code="account_format",
        )
