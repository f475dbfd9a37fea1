"""On PostgreSQL, no two stays of one bed or of one person overlap in time.

The partial unique indexes of 0001 guard the open stays on every backend; these
exclusion constraints also guard history (a back-dated booking into a period
when the bed was taken). SQLite has no exclusion constraints: the services check
overlaps inside the same IMMEDIATE transaction, which SQLite serialises.
"""

from django.db import migrations

from ankomst.migration_sql import vendor_sql

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


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_initial")]
    operations = [vendor_sql({"postgresql": FORWARD}, {"postgresql": BACKWARD})]
