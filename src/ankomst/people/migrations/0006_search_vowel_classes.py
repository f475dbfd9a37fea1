"""Search keys that tell vowels apart (Hassan is not Hussein), and the index for them.

The matching key of a name word now keeps which kind of vowel each vowel run is
(names.py), and names stored with a prefix word (Al-Khatib) also hold the joined
word (alkhatib). Every person's search columns are computed again. On PostgreSQL
the full-text index holds the coarse keys (every vowel as ``a``) so that it still
finds all candidates; the exact rule is checked on those.
"""

from django.db import migrations

from ankomst.migration_sql import vendor_sql

FORWARD = [
    "DROP INDEX IF EXISTS person_search_fts;",
    """CREATE INDEX IF NOT EXISTS person_search_fts ON people_person
       USING gin (to_tsvector('simple'::regconfig,
                  search_names || ' ' || translate(search_keys, 'iue', 'aaa')));""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_search_fts;",
    """CREATE INDEX IF NOT EXISTS person_search_fts ON people_person
       USING gin (to_tsvector('simple'::regconfig, search_names || ' ' || search_keys));""",
]


def refresh_search_columns(apps, schema_editor):
    # The derived columns follow the current rules of names.py, as Person.save() does.
    from ankomst.people.names import search_text

    Person = apps.get_model("people", "Person")
    PersonAlias = apps.get_model("people", "PersonAlias")
    aliases: dict[int, list[str]] = {}
    for person_id, name in PersonAlias.objects.values_list("person_id", "name"):
        aliases.setdefault(person_id, []).append(name)
    batch = []
    for person in Person.objects.only("pk", "name_latin", "name_document").iterator(2000):
        person.search_names, person.search_keys = search_text(
            person.name_latin, person.name_document, *sorted(aliases.get(person.pk, []))
        )
        batch.append(person)
        if len(batch) == 2000:
            Person.objects.bulk_update(batch, ["search_names", "search_keys"])
            batch = []
    Person.objects.bulk_update(batch, ["search_names", "search_keys"])


class Migration(migrations.Migration):
    dependencies = [("people", "0005_plausible_dates_and_no_nul_in_names")]
    operations = [
        migrations.RunPython(refresh_search_columns, migrations.RunPython.noop),
        vendor_sql({"postgresql": FORWARD}, {"postgresql": BACKWARD}),
    ]
