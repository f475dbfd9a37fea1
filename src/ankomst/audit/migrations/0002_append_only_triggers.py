"""Make the audit log append-only in the database itself.

UPDATE is refused on both backends. DELETE is refused on PostgreSQL; SQLite
keeps DELETE so that the test runner can empty tables between tests, and the
application refuses deletes on every backend (model and queryset).
"""

from django.db import migrations

from ankomst.migration_sql import vendor_sql

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_event_no_update;"]

POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_append_only();",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [vendor_sql({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD},
                             {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})]
