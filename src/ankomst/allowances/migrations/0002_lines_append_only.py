"""Payment lines and ledger entries are never updated, in the database itself.

UPDATE is refused on both backends (as for the audit log, audit/0002). DELETE stays
possible in SQL so that a draft run that was never paid can be cancelled and test
databases emptied; the application refuses it on every backend (model and queryset).
"""

from django.db import migrations

from ankomst.migration_sql import vendor_sql

TABLES = ["allowances_paymentline", "allowances_pocketmoneyentry"]


POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION allowances_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' rows are never updated; add a correction'; END;
       $$ LANGUAGE plpgsql;""",
    *[f"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION allowances_append_only();"
      for t in TABLES],
]
POSTGRES_BACKWARD = [
    *[f"DROP TRIGGER IF EXISTS {t}_no_update ON {t};" for t in TABLES],
    "DROP FUNCTION IF EXISTS allowances_append_only();",
]
SQLITE_FORWARD = [
    f"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} "
    f"BEGIN SELECT RAISE(ABORT, '{t} rows are never updated; add a correction'); END;"
    for t in TABLES
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {t}_no_update;" for t in TABLES]


class Migration(migrations.Migration):
    dependencies = [("allowances", "0001_initial")]
    operations = [vendor_sql({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD},
                             {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD})]
