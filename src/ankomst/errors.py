"""The 400 page in the app's look and language, naming what was wrong."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .params import ParameterError

# A paste larger than this is refused by Django before any view runs (DATA_UPLOAD_MAX_MEMORY_SIZE).
PASTE_LIMIT_MB = "2.5"


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page; it names what was wrong when the message is ours to show."""
    message = ""
    if isinstance(exception, ParameterError):
        message = str(exception)
    elif isinstance(exception, RequestDataTooBig):
        message = _(
            "The form sent more than %(size)s MB of text. Paste fewer rows, or upload the "
            "rows as a CSV file instead."
        ) % {"size": PASTE_LIMIT_MB}
    return render(request, "400.html", {"message": message}, status=400)
