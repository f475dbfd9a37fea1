"""Trigram indexes for name search on PostgreSQL.

The search filters with LIKE '% word%' on the folded names and keys; a GIN
trigram index answers that without scanning every person. SQLite has no such
index type and scans, which is fine for the demo database.
"""

from django.db import migrations

from ankomst.migration_sql import vendor_sql

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    "CREATE INDEX IF NOT EXISTS person_search_names_trgm ON people_person USING gin (search_names gin_trgm_ops);",
    "CREATE INDEX IF NOT EXISTS person_search_keys_trgm ON people_person USING gin (search_keys gin_trgm_ops);",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_search_names_trgm;",
    "DROP INDEX IF EXISTS person_search_keys_trgm;",
]


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [vendor_sql({"postgresql": FORWARD}, {"postgresql": BACKWARD})]
