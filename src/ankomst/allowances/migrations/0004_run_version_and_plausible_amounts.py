"""A run's version (what an approval applies to) and plausible amounts and dates in the database.

On SQLite, adding a check constraint rebuilds the table, which drops its triggers: the
append-only triggers of 0002 are created again after the rebuild.
"""

import datetime
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from ankomst.migration_sql import vendor_sql

TABLES = ["allowances_paymentline", "allowances_pocketmoneyentry"]
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t} "
    f"BEGIN SELECT RAISE(ABORT, '{t} rows are never updated; add a correction'); END;"
    for t in TABLES
]


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('allowances', '0003_payment_line_fewer_indexes'),
        ('people', '0004_search_full_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Going back, the rebuilds drop the triggers again: this step, undone last, restores them.
        vendor_sql({}, {"sqlite": SQLITE_TRIGGERS}),
        migrations.AddField(
            model_name='paymentrun',
            name='version',
            field=models.PositiveIntegerField(default=1, verbose_name='version'),
        ),
        migrations.AlterField(
            model_name='paymentline',
            name='status',
            field=models.CharField(choices=[('paid', 'paid'), ('reduced', 'reduced'), ('withheld', 'withheld'), ('not_paid', 'not paid'), ('correction', 'correction')], max_length=12, verbose_name='status'),
        ),
        migrations.AddConstraint(
            model_name='paymentline',
            constraint=models.CheckConstraint(condition=models.Q(('rate__gte', Decimal('-999999.99')), ('rate__lte', Decimal('999999.99')), ('gross__gte', Decimal('-999999.99')), ('gross__lte', Decimal('999999.99')), ('deduction__gte', Decimal('-999999.99')), ('deduction__lte', Decimal('999999.99')), ('amount__gte', Decimal('-999999.99')), ('amount__lte', Decimal('999999.99'))), name='payline_amounts_plausible'),
        ),
        migrations.AddConstraint(
            model_name='paymentrun',
            constraint=models.CheckConstraint(condition=models.Q(('cutoff__gte', datetime.date(2000, 1, 1))), name='payrun_dates_plausible'),
        ),
        migrations.AddConstraint(
            model_name='paymentrun',
            constraint=models.CheckConstraint(condition=models.Q(('total_cash__gte', Decimal('-999999999.99')), ('total_cash__lte', Decimal('999999999.99')), ('total_in_kind__gte', Decimal('-999999999.99')), ('total_in_kind__lte', Decimal('999999999.99'))), name='payrun_totals_plausible'),
        ),
        migrations.AddConstraint(
            model_name='pocketmoneyentry',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gte', Decimal('-10000.00')), ('amount__lte', Decimal('10000.00')), ('on__gte', datetime.date(2000, 1, 1))), name='pocketmoney_entry_plausible'),
        ),
        # After the rebuilds above (SQLite only).
        vendor_sql({"sqlite": SQLITE_TRIGGERS}, {}),
    ]
