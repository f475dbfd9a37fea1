"""Names of content languages in the language of the interface, from CLDR via Babel.

A Language row keeps its English and its native name; pages for staff name it in
the interface language ("arabisk", "arabiska"), pages for the resident in its own.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language, to_locale

# BCP 47 codes that CLDR names under another code.
_CLDR_CODES = {"kmr": "ku"}  # Kurmanji is CLDR's "ku"


@lru_cache(maxsize=512)
def _name(code: str, interface: str) -> str | None:
    try:
        names = Locale.parse(to_locale(interface)).languages
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    tag = code.replace("-", "_")
    base = tag.split("_")[0]
    return names.get(tag) or names.get(_CLDR_CODES.get(code, "")) or names.get(base)


def language_name(code: str, interface: str | None = None) -> str | None:
    """The name of language ``code`` in ``interface`` (default: the active language), if known."""
    return _name(code, interface or get_language() or "en")
