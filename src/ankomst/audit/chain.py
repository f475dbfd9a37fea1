"""The hash chain of the audit log: writing an event as the next link, and verifying the chain.

Each event's hash is an HMAC-SHA256 over its content and the previous event's hash, keyed
with a key derived from the project's secret key. Someone who can write to the database
but does not hold the key can neither forge a link nor recompute the chain after removing,
inserting or altering a row. Writers are serialised: on PostgreSQL by a transaction-level
advisory lock, on SQLite by the write lock that every transaction takes at BEGIN
(``transaction_mode`` IMMEDIATE); a unique index on ``prev_hash`` refuses a fork anyway.

The lock is held until the surrounding transaction ends, so an audit event written early in
a long transaction delays other writers of the log until it commits; services therefore
audit at the end of their work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from .models import AuditEvent

GENESIS = "0" * 64
# An arbitrary constant naming the log's advisory lock on PostgreSQL.
_LOCK_KEY = 7_305_117_401
# The fields the hash covers, in this order.
HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "organisation_id",
    "actor_organisation_id",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "summary",
    "changes",
    "purpose",
    "ip_address",
)


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"ankomst.audit.chain:" + secret.encode()).digest()


def _canonical(values: dict[str, Any], prev_hash: str) -> bytes:
    content = []
    for name in HASHED_FIELDS:
        value = values.get(name)
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        content.append(value)
    return json.dumps(
        [prev_hash, content], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


def event_hash(values: dict[str, Any], prev_hash: str, *, secret: str | None = None) -> str:
    message = _canonical(values, prev_hash)
    return hmac.new(_key(secret or settings.SECRET_KEY), message, hashlib.sha256).hexdigest()


def _normalised_json(value: Any) -> Any:
    # What the JSON column gives back, so that the hash written is the hash verified.
    return json.loads(json.dumps(value or {}, ensure_ascii=False))


def lock() -> None:
    """Serialise writers of the log until the current transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def append(**values: Any) -> AuditEvent:
    """Insert one event as the next link of the chain; ``at`` is set here, never by the caller."""
    return append_many([values])[0]


def append_many(many: list[dict[str, Any]]) -> list[AuditEvent]:
    """Insert events as the next links of the chain, in order, under one lock."""
    for values in many:
        values["changes"] = _normalised_json(values.get("changes"))
        if values.get("ip_address") and ":" in values["ip_address"]:
            values["ip_address"] = clean_ipv6_address(values["ip_address"])
    with transaction.atomic():
        lock()
        previous = AuditEvent.objects.order_by("-id").values("at", "hash").first()
        now = timezone.now()
        if previous is not None and previous["at"] > now:
            # Clocks of two application servers differ a little: keep the log in order.
            now = previous["at"]
        prev_hash = (previous["hash"] if previous else "") or GENESIS
        events = []
        for values in many:
            values["at"] = now
            event = AuditEvent(**values, prev_hash=prev_hash)
            event.hash = prev_hash = event_hash(values, prev_hash)
            events.append(event)
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events, batch_size=500)
    return events


@dataclass
class Verification:
    checked: int = 0
    unchained: int = 0
    problems: list[str] = field(default_factory=list)
    head: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(batch: int = 2000) -> Iterator[dict[str, Any]]:
    last_id = 0
    names = ["id", "prev_hash", "hash", *HASHED_FIELDS]
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id").values(*names)[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1]["id"]


def verify() -> Verification:
    """Walk the log in insertion order and report every broken link, in words."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    result = Verification()
    previous: dict[str, Any] | None = None
    chained = False
    for row in _rows():
        result.checked += 1
        if not row["hash"]:
            if chained:
                result.problems.append(f"event {row['id']} has no hash inside the chain")
            else:
                result.unchained += 1
            previous = row
            continue
        expected_prev = (previous["hash"] if previous else "") or GENESIS
        if not chained and previous is not None and not previous["hash"]:
            expected_prev = GENESIS  # the first chained event after the older, unchained ones
        chained = True
        if row["prev_hash"] != expected_prev:
            where = f"after event {previous['id']}" if previous else "at the start"
            result.problems.append(
                f"event {row['id']} does not follow the event before it ({where}): "
                "an event was removed or inserted"
            )
        if not any(row["hash"] == event_hash(row, row["prev_hash"], secret=s) for s in secrets):
            result.problems.append(f"event {row['id']} does not match its hash: it was altered")
        if previous is not None and previous["at"] and row["at"] < previous["at"]:
            result.problems.append(f"event {row['id']} is older than the event before it")
        previous = row
    result.head = previous["hash"] if previous else ""
    return result
