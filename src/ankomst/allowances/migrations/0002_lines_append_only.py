"""Payment lines and ledger entries are never updated, in the database itself.

UPDATE is refused on both backends (as for the audit log, audit/0002). DELETE stays
possible in SQL so that a draft run that was never paid can be cancelled and test
databases emptied; the application refuses it on every backend (model and queryset).
"""

from django.db import migrations

TABLES = ["allowances_paymentline", "allowances_pocketmoneyentry"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            """CREATE OR REPLACE FUNCTION allowances_append_only() RETURNS trigger AS $$
               BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' rows are never updated; add a correction'; END;
               $$ LANGUAGE plpgsql;""")
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION allowances_append_only();")
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are never updated; add a correction'); END;")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS allowances_append_only();")


class Migration(migrations.Migration):
    dependencies = [("allowances", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
