"""Full-text index for name search on PostgreSQL, replacing the trigram indexes.

Measured at 100,000 persons (bench/person_search.py): the planner would not use
the trigram indexes for short word patterns such as '% al %' and scanned the
table instead. A 'simple' tsvector over the folded words and their matching
keys answers word-prefix and key queries from a GIN index.
"""

from django.db import migrations

from ankomst.migration_sql import vendor_sql

FORWARD = [
    "DROP INDEX IF EXISTS person_search_names_trgm;",
    "DROP INDEX IF EXISTS person_search_keys_trgm;",
    """CREATE INDEX IF NOT EXISTS person_search_fts ON people_person
       USING gin (to_tsvector('simple'::regconfig, search_names || ' ' || search_keys));""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_search_fts;",
    "CREATE INDEX IF NOT EXISTS person_search_names_trgm ON people_person USING gin (search_names gin_trgm_ops);",
    "CREATE INDEX IF NOT EXISTS person_search_keys_trgm ON people_person USING gin (search_keys gin_trgm_ops);",
]


class Migration(migrations.Migration):
    dependencies = [("people", "0003_languages")]
    operations = [vendor_sql({"postgresql": FORWARD}, {"postgresql": BACKWARD})]
