"""Refusals that survive the rollback of the transaction they were refused in.

A refused approve, lock or export raises ``PermissionDenied`` inside the service's
``transaction.atomic()``; the rollback would take the refusal's event with it. A second
database connection cannot help on SQLite, where every transaction holds the one write
lock from BEGIN, nor on PostgreSQL once the transaction holds the log's chain lock. So the
refusal is written on the same connection, remembered, and written again right after a
rollback that discarded it: after a rollback to a savepoint, inside the enclosing
transaction (where a further rollback repeats this); after the rollback of the whole
transaction, as soon as the connection is back in autocommit mode.

Only a rollback caused by an exception brings a refusal back. A rollback asked for
without one (``transaction.set_rollback(True)``, as the test runner does at the end of
every test) discards it like any other write.

The connection calls the ``after_*`` functions from ``ankomst.audit.backends``.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from . import chain
from .models import AuditEvent

logger = logging.getLogger(__name__)


@dataclass
class _Pending:
    values: dict[str, Any]
    # The savepoints open when the event was written: a rollback to any of them discards it.
    savepoints: tuple[str, ...]


def _pending(conn) -> list[_Pending]:
    return conn.__dict__.setdefault("audit_pending_refusals", [])


def append_refusal(values: dict[str, Any]) -> AuditEvent:
    event = chain.append(**dict(values))
    conn = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the proxy
    if conn.in_atomic_block:
        _pending(conn).append(_Pending(dict(values), tuple(conn.savepoint_ids)))
    return event


def _exception_propagating() -> bool:
    return sys.exc_info()[1] is not None


def _write_again(conn, pending: list[_Pending]) -> None:
    for item in pending:
        try:
            append_refusal(item.values)
        except DatabaseError:  # pragma: no cover - the connection itself failed
            logger.exception("a refusal could not be written again after a rollback")


def after_savepoint_rollback(conn, sid: str) -> None:
    if conn.alias != DEFAULT_DB_ALIAS:
        return
    pending = _pending(conn)
    lost = [p for p in pending if sid in p.savepoints]
    if not lost:
        return
    pending[:] = [p for p in pending if sid not in p.savepoints]
    if _exception_propagating():
        _write_again(conn, lost)


def after_rollback(conn) -> None:
    if conn.alias != DEFAULT_DB_ALIAS:
        return
    pending = _pending(conn)
    if pending and _exception_propagating():
        conn.__dict__.setdefault("audit_lost_refusals", []).extend(pending)
    pending.clear()


def after_commit(conn) -> None:
    _pending(conn).clear()


def after_autocommit(conn) -> None:
    lost = conn.__dict__.pop("audit_lost_refusals", None)
    if lost and conn.alias == DEFAULT_DB_ALIAS:
        _write_again(conn, lost)
