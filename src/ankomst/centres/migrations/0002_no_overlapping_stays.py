"""On PostgreSQL, no two stays of one bed or of one person overlap in time.

The partial unique indexes of 0001 guard the open stays on every backend; these
exclusion constraints also guard history (a back-dated booking into a period
when the bed was taken). SQLite has no exclusion constraints: the services check
overlaps inside the same IMMEDIATE transaction, which SQLite serialises.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist;",
    """ALTER TABLE centres_stay ADD CONSTRAINT stay_bed_no_overlap
       EXCLUDE USING gist (bed_id WITH =, tstzrange(start, "end", '[)') WITH &&);""",
    """ALTER TABLE centres_stay ADD CONSTRAINT stay_person_no_overlap
       EXCLUDE USING gist (person_id WITH =, tstzrange(start, "end", '[)') WITH &&);""",
]
BACKWARD = [
    "ALTER TABLE centres_stay DROP CONSTRAINT IF EXISTS stay_bed_no_overlap;",
    "ALTER TABLE centres_stay DROP CONSTRAINT IF EXISTS stay_person_no_overlap;",
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
    dependencies = [("centres", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
