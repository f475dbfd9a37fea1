"""An import's steps: the file's header checked once, what the user reviewed in the dry run
carried to the confirming POST tamper-proof (signed, for an hour), and a template file that
shows the columns to fill in."""

from __future__ import annotations

import csv
import io

from django.core import signing
from django.http import HttpResponse
from django.utils.translation import gettext as _

from ankomst import csv_export

MAX_AGE = 3600


def sign(data, salt: str) -> str:
    return signing.dumps(data, salt=salt, compress=True)


def unsign(payload: str, salt: str):
    """What the review step signed, or None when it was tampered with, expired or is another's."""
    try:
        return signing.loads(payload, salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:
        return None


def template_csv(columns: list[str], example: list[str], name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv_export.writer(response)
    writer.writerow(columns)
    writer.writerow(example)
    return response


def open_csv(
    text: str, required: list[str], expected: list[str]
) -> tuple[csv.DictReader | None, str]:
    """A reader of the file's rows, or None and what is wrong with the file as a whole (not
    CSV, or columns missing), said once as the problem of line 1."""
    try:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        return None, _("The file is not valid CSV: %(error)s") % {"error": exc}
    missing = [c for c in required if c not in header]
    if missing:
        return None, _("Missing columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(missing),
            "expected": ",".join(expected),
        }
    return reader, ""
