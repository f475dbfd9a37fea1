"""Changing a record in a service: set the fields, validate, save what changed, return the diff.

Every ``*_update`` service did the same five steps (snapshot, set, validate, save, diff);
doing them in one place means the audit always records exactly what was saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, models, router
from django.forms.models import model_to_dict
from django.utils import timezone

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


def insert_new(model: type[models.Model], rows: list[dict[str, Any]], *, batch: int = 500) -> int:
    """Insert plain rows of ``model``, skipping those a unique constraint already holds.

    For thousands of rows written at once (an import's checklist tasks), where
    ``bulk_create`` would spend more time preparing model instances and values than the
    database spends inserting them. ``rows`` map attribute names (``arrival_id``, not
    ``arrival``) to values of the field's Python type; a missing field gets its default
    (the current moment for ``auto_now_add``). Check and not-null constraints still apply:
    only uniqueness conflicts are skipped.
    """
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    ops = connection.ops
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]

    def filler(field):
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            return now
        return field.get_default()  # "" for text, None where there is no default

    fill: dict[str, Any] = {}
    adapters = []
    for field in fields:
        kind = field.get_internal_type()
        if kind == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(None)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = connection.features.max_query_params or 999
    batch = max(1, min(batch, limit // len(fields)))

    def statement(count: int) -> str:
        return (
            f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) VALUES "
            + ", ".join([row_marks] * count)
            + " ON CONFLICT DO NOTHING"
        )

    params = []
    for row in rows:
        values = []
        for field, adapt in zip(fields, adapters, strict=True):
            if field.attname in row:
                value = row[field.attname]
                values.append(adapt(value) if adapt is not None and value is not None else value)
                continue
            if field.attname not in fill:
                value = filler(field)
                fill[field.attname] = adapt(value) if adapt and value is not None else value
            values.append(fill[field.attname])
        params.append(values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement whatever the number of rows: a column of values per parameter.
            casts = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
            cursor.execute(
                f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) "
                f"SELECT * FROM unnest({casts}) ON CONFLICT DO NOTHING",
                [list(column) for column in zip(*params, strict=True)],
            )
            return len(params)
        for start in range(0, len(params), batch):
            chunk = params[start : start + batch]
            cursor.execute(statement(len(chunk)), [v for values in chunk for v in values])
    return len(params)
