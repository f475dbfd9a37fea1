import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('allowances', '0002_lines_append_only'),
        ('people', '0004_search_full_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The state changes as AlterField says; the database only drops the three indexes.
    # (On SQLite, AlterField would rebuild the table and lose the append-only triggers.)
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "allowances_paymentline" ("{column}")')
                for name, column in (
                    ("allowances_paymentline_created_by_id_ed601a1b", "created_by_id"),
                    ("allowances_paymentline_household_id_66617415", "household_id"),
                    ("allowances_paymentline_run_id_df321226", "run_id"),
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='paymentline',
                    name='created_by',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='paymentline',
                    name='household',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.household', verbose_name='household'),
                ),
                migrations.AlterField(
                    model_name='paymentline',
                    name='run',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='allowances.paymentrun'),
                ),
            ],
        ),
    ]
