"""Changing a record in a service: set the fields, validate, save what changed, return the diff.

Every ``*_update`` service did the same five steps (snapshot, set, validate, save, diff);
doing them in one place means the audit always records exactly what was saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from ankomst.audit.services import diff_changes


def update_record(
    instance: models.Model,
    fields: dict[str, Any],
    *,
    check: Callable[[models.Model], None] | None = None,
    clean_exclude: Iterable[str] = (),
) -> dict[str, list]:
    """Apply ``fields`` to ``instance`` (a row the caller has locked) and save the changed ones.

    ``check`` runs after the new values are set and before the model's own validation, for
    rules that need several fields or other records. Returns ``{field: [old, new]}`` for the
    audit event; nothing is written when nothing changed.
    """
    names = list(fields)
    before = model_to_dict(instance, fields=names)
    for name, value in fields.items():
        setattr(instance, name, value)
    if check is not None:
        check(instance)
    instance.full_clean(exclude=list(clean_exclude))
    changes = diff_changes(before, model_to_dict(instance, fields=names))
    if changes:
        touched = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
        instance.save(update_fields=[*changes, *touched])
    return changes
