"""Writing audit events. Every read, change and export of personal data calls ``audit_record``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from . import chain, durable
from .models import Action, AuditEvent

# Field values never copied into the log, only the fact that they changed.
REDACTED_FIELDS = frozenset(
    {"health_notes", "religion", "ethnicity", "disability_notes", "password"}
)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _text(value: Any, length: int) -> str:
    """Text as the log can hold it: no NUL characters (PostgreSQL refuses them), bounded."""
    return str(value).replace("\x00", "")[:length]


def _values(
    *,
    user,
    action: Action | str,
    obj: models.Model | None = None,
    person_id: int | None = None,
    organisation_id: int | None = None,
    actor_organisation_id: int | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    purpose: str = "",
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: str | int = "",
) -> dict[str, Any]:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        if organisation_id is None:
            organisation_id = getattr(obj, "organisation_id", None)
        if person_id is None and obj._meta.label_lower == "people.person":
            person_id = obj.pk
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return {
        "actor_id": user.pk if authenticated else None,
        "actor_username": user.get_username()[:150] if authenticated else "",
        "organisation_id": organisation_id,
        "actor_organisation_id": actor_organisation_id,
        "action": str(action),
        "object_type": object_type[:64],
        "object_id": _text(object_id, 64) if object_id not in (None, "") else "",
        "person_id": person_id,
        "summary": _text(summary, 300),
        "changes": changes or {},
        "purpose": _text(purpose, 300),
        "ip_address": client_ip(request),
    }


def audit_record(**kwargs: Any) -> AuditEvent:
    """Append one event (who, organisation, what, record, changes, purpose) to the chain.

    Keyword arguments as in ``_values``. The event belongs to the transaction at hand:
    a change rolled back takes its event with it. Refusals go through ``audit_refusal``.
    """
    return chain.append(**_values(**kwargs))


def audit_records(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append many events at once (a batch of records created together), one per record."""
    return chain.append_many([_values(**kwargs) for kwargs in events])


def audit_refusal(**kwargs: Any) -> AuditEvent:
    """Append a refusal that stays in the log even when the transaction around it rolls back.

    Use ``ankomst.accounts.permissions.refuse``, which finds the organisations concerned.
    """
    return durable.append_refusal(_values(action=Action.DENIED, **kwargs))


def diff_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that changed, as ``{field: [old, new]}``; Art. 9 values are redacted."""
    changed: dict[str, Any] = {}
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old != new:
            if field in REDACTED_FIELDS:
                changed[field] = ["***", "***"]
            else:
                changed[field] = [_jsonable(old), _jsonable(new)]
    return changed


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)
