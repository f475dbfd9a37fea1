"""The one CSV writer of every export (payment runs, occupancy, anything later).

Spreadsheet programs run a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK(...)``, ``=2+5+cmd|' /C calc'!A0``), and a leading tab or carriage return can
hide such a start. Following OWASP's advice on CSV injection, every text cell that begins
with one of these characters is written with a leading apostrophe, which spreadsheets show
as text and never evaluate. Numbers are not text: an ``int`` or ``Decimal`` is written as a
plain number (a dot, no grouping), so a negative amount stays a number for the machines that
read the file. (defusedcsv does the same for a different set of characters and quotes the end
of the cell too, so it is not used here.)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

# OWASP, "CSV Injection": the characters that make a cell a formula (or hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """What to write for ``value``: text that would start a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal):
        return value if not isinstance(value, Decimal) else f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` with every cell passed through ``safe_cell``."""

    def __init__(self, stream, **kwargs):
        kwargs.setdefault("lineterminator", "\r\n")
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, **kwargs) -> SafeWriter:
    """A writer onto ``stream`` (a file, a StringIO or a Django ``HttpResponse``)."""
    return SafeWriter(stream, **kwargs)


def to_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV file as text: the header, then the rows."""
    out = io.StringIO()
    w = writer(out)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()
