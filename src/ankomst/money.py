"""Amounts as people read them: one helper for every page, statement and message.

Two decimals and the separators of the language (Babel's CLDR data): ``1.826,86 kr.`` in
Danish, ``1 826,86 kr`` in Swedish, ``DKK 1,826.86`` in English. The language is the active
interface language unless one is given (a statement is written in the household's language).

Machine-readable files do not use it: the CSV exports write plain decimals with a dot
(``ankomst.csv_export``), the pain.001 bank file ISO amounts.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from django.utils.translation import get_language

FALLBACK_LOCALE = "en"
# The currency a country's schemes pay in (a run records the rate table's own).
COUNTRY_CURRENCY = {"DK": "DKK", "SE": "SEK"}
# CLDR's currency spacing: a currency written in letters ("DKK") is set off from the digits by a
# space. Babel's format_currency leaves it out ("DKK1,826.86"), so it is put in here.
_LETTER_THEN_DIGIT = re.compile(r"([^\W\d_])([\d\u2212-])")
_DIGIT_THEN_LETTER = re.compile(r"(\d)([^\W\d_])")
NBSP = "\u00a0"


def locale_for(language: str | None = None) -> Locale:
    """The Babel locale of a language code ("da", "sv", "en", "fa-AF"); English if unknown."""
    code = (language or get_language() or FALLBACK_LOCALE).replace("-", "_")
    for candidate in (code, code.split("_")[0]):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(FALLBACK_LOCALE)


def currency_for_country(country: str) -> str:
    return COUNTRY_CURRENCY.get((country or "").upper(), "DKK")


def _decimal(amount) -> Decimal | None:
    if amount is None or amount == "":
        return None
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except (InvalidOperation, ValueError, TypeError):
        return None
    return value if value.is_finite() else None


def format_amount(amount, *, language: str | None = None) -> str:
    """The number alone, with two decimals: ``1.826,86`` (da), ``1,826.86`` (en)."""
    value = _decimal(amount)
    if value is None:
        return "–"
    return format_decimal(
        value, format="#,##0.00", locale=locale_for(language), decimal_quantization=True
    )


def format_money(amount, currency: str = "", *, language: str | None = None) -> str:
    """The amount with its currency as the language writes it; without a currency, the number."""
    if not currency:
        return format_amount(amount, language=language)
    value = _decimal(amount)
    if value is None:
        return "–"
    # currency_digits=False: the locale's pattern decides, which has two decimals (øre, öre).
    text = format_currency(value, currency, locale=locale_for(language), currency_digits=False)
    text = _LETTER_THEN_DIGIT.sub(rf"\1{NBSP}\2", text)
    return _DIGIT_THEN_LETTER.sub(rf"\1{NBSP}\2", text)
