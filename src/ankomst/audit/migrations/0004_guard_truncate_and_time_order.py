"""Refuse TRUNCATE (PostgreSQL) and events older than the one before them (both backends).

PostgreSQL's row triggers of migration 0002 do not fire on TRUNCATE, which would empty
the log in one statement: a statement-level trigger refuses it. The test runner's flush
of transactional tests disables this one trigger inside its own transaction (see the
tests' conftest); the application never does.

An event is inserted with ``at`` set by the service to the current moment; the database
refuses one older than the event before it, or further in the future than clocks differ
(ten minutes, ``ankomst.limits.CLOCK_TOLERANCE``), so that a forged, backdated row cannot be
slipped into the past.

SQLite rebuilt the table when migration 0003 added columns, which drops its triggers:
the UPDATE trigger of migration 0002 is created again here.
"""

from django.db import migrations

from ankomst.migration_sql import vendor_sql

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_event_in_time_order BEFORE INSERT ON audit_auditevent
       WHEN julianday(NEW."at") < (
              SELECT julianday("at") FROM audit_auditevent ORDER BY id DESC LIMIT 1)
         OR julianday(NEW."at") > julianday('now') + 10.0 / 1440
       BEGIN SELECT RAISE(ABORT, 'an audit event must not be older than the one before it'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_event_in_time_order;"]

POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log cannot be truncated'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();""",
    """CREATE OR REPLACE FUNCTION audit_event_in_time_order() RETURNS trigger AS $$
       DECLARE previous timestamptz;
       BEGIN
         SELECT "at" INTO previous FROM audit_auditevent ORDER BY id DESC LIMIT 1;
         IF previous IS NOT NULL AND NEW."at" < previous THEN
           RAISE EXCEPTION 'an audit event must not be older than the one before it';
         END IF;
         IF NEW."at" > clock_timestamp() + interval '10 minutes' THEN
           RAISE EXCEPTION 'an audit event must not lie in the future';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_in_time_order BEFORE INSERT ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_in_time_order();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_in_time_order ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_in_time_order();",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_no_truncate();",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain_and_actor_organisation")]
    operations = [
        vendor_sql(
            {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD},
            {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD},
        )
    ]
