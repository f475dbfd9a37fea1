"""Reading ids and dates from query strings and posted forms.

A value a user (or a pasted link) got wrong is a 400 with a sentence in the user's
language, never a 500 and never a silent guess; absent values give the default.
The sentence is shown on the 400 page (``ankomst.errors``), so it must be safe to show.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import BadRequest, ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from . import limits


class ParameterError(BadRequest):
    """A malformed or implausible parameter; its message is translated and shown to the user."""


def parse_id(raw: str | None) -> int | None:
    """An id written with ASCII digits only ("²" and "٣" are digits to ``str.isdigit``)."""
    if raw is None:
        return None
    raw = raw.strip()
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= limits.MAX_ID else None


def id_param(data: QueryDict | dict, name: str, *, required: bool = False) -> int | None:
    """The id in ``data[name]``: None when absent (or ParameterError when required)."""
    raw = data.get(name)
    if raw is None or not str(raw).strip():
        if required:
            raise ParameterError(_("A required value (%(name)s) is missing.") % {"name": name})
        return None
    value = parse_id(str(raw))
    if value is None:
        raise ParameterError(_("“%(value)s” is not a valid number.") % {"value": str(raw)[:40]})
    return value


def date_param(
    data: QueryDict | dict,
    name: str,
    *,
    default: dt.date | None = None,
    validate=limits.validate_record_date,
) -> dt.date | None:
    """The ISO date in ``data[name]``, checked by ``validate`` (a validator of ``ankomst.limits``)."""
    raw = data.get(name)
    if raw is None or not str(raw).strip():
        return default
    try:
        value = dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ParameterError(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": str(raw)[:40]}
        ) from None
    try:
        validate(value)
    except ValidationError as exc:
        raise ParameterError(" ".join(exc.messages)) from None
    return value
