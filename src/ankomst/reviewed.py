"""An import's two steps: what the user reviewed in the dry run is carried to the confirming
POST tamper-proof (signed, for an hour), and a template file shows the columns to fill in."""

from __future__ import annotations

from django.core import signing
from django.http import HttpResponse

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
