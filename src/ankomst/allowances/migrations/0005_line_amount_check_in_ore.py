"""A line's amount is its gross less its deduction, compared in øre.

SQLite compares decimal columns as floating point, where 126.28 - 18.04 is
108.24000000000001, so a correct reduced line failed the exact check (a 500 on
preparing a run). The table rebuild drops SQLite's append-only trigger: created again.
"""

import django.db.models.expressions
import django.db.models.functions.math
from django.conf import settings
from django.db import migrations, models

from ankomst.migration_sql import vendor_sql

SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS allowances_paymentline_no_update BEFORE UPDATE ON "
    "allowances_paymentline BEGIN SELECT RAISE(ABORT, "
    "'allowances_paymentline rows are never updated; add a correction'); END;"
)


class Migration(migrations.Migration):
    dependencies = [
        ("allowances", "0004_run_version_and_plausible_amounts"),
        ("people", "0004_search_full_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Undone last when going back, after the rebuilds: the trigger again.
        vendor_sql({}, {"sqlite": [SQLITE_TRIGGER]}),
        migrations.RemoveConstraint(
            model_name="paymentline",
            name="payline_amount_is_gross_less_deduction",
        ),
        migrations.AddConstraint(
            model_name="paymentline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "amount",
                        django.db.models.functions.math.Round(
                            django.db.models.expressions.CombinedExpression(
                                models.F("gross"), "-", models.F("deduction")
                            ),
                            2,
                        ),
                    )
                ),
                name="payline_amount_is_gross_less_deduction",
            ),
        ),
        vendor_sql({"sqlite": [SQLITE_TRIGGER]}, {}),
    ]
