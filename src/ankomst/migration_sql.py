"""Raw SQL in migrations that differs by database backend.

Triggers, exclusion constraints and text-search indexes have no portable
Django form; a migration lists the statements per backend and this runs the
ones for the connection at hand (none for a backend it does not name).
"""

from django.db import migrations


def vendor_sql(
    forward: dict[str, list[str]], backward: dict[str, list[str]]
) -> migrations.RunPython:
    def run(statements: dict[str, list[str]]):
        def apply(apps, schema_editor):
            for sql in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(forward), run(backward))
