"""Logging filters named in the LOGGING setting (kept free of Django imports)."""

import logging


class OneLineForClientErrors(logging.Filter):
    """Refused requests (4xx) are logged as one line, without the traceback of the exception.

    Django logs every PermissionDenied and BadRequest with its traceback; for a 403 that is
    noise that hides the real errors. Server errors (5xx) keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.name.startswith("django.") and status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
