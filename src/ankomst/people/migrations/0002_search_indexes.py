"""Trigram indexes for name search on PostgreSQL.

The search filters with LIKE '% word%' on the folded names and keys; a GIN
trigram index answers that without scanning every person. SQLite has no such
index type and scans, which is fine for the demo database.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    "CREATE INDEX IF NOT EXISTS person_search_names_trgm ON people_person USING gin (search_names gin_trgm_ops);",
    "CREATE INDEX IF NOT EXISTS person_search_keys_trgm ON people_person USING gin (search_keys gin_trgm_ops);",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_search_names_trgm;",
    "DROP INDEX IF EXISTS person_search_keys_trgm;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
