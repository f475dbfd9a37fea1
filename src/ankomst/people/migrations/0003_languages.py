"""Seed the content languages; administrators can add more as rows."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "languages.json"


def forward(apps, schema_editor):
    Language = apps.get_model("people", "Language")
    for row in json.loads(DATA.read_text(encoding="utf-8")):
        Language.objects.update_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_search_indexes")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
