"""Project hygiene: migrations match the models, translations are complete."""

from io import StringIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "src" / "ankomst" / "locale"


def test_migrations_are_up_to_date(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.parametrize("language", ["da", "sv"])
def test_translations_are_complete_and_not_fuzzy(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as fh:
        catalog = read_po(fh)
    assert not catalog.fuzzy
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert untranslated == []


@pytest.mark.parametrize(
    "language, text", [("da", "Log ind"), ("sv", "Logga in"), ("en", "Sign in")]
)
def test_the_login_page_speaks_the_chosen_language(db, settings, language, text):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get("/accounts/login/").content.decode()
    assert f'lang="{language}"' in body
    assert text in body


def test_the_language_switch_works_before_signing_in(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Logga in" in client.get("/accounts/login/").content.decode()


def test_right_to_left_interface_languages_get_dir_rtl(db, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "Arabic")]
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    with translation.override("ar"):
        body = client.get("/accounts/login/").content.decode()
    assert 'dir="rtl"' in body


def test_every_asset_is_served_locally(db):
    body = Client().get("/accounts/login/").content.decode()
    assert "http://" not in body.replace("http://www.w3.org", "") and "https://" not in body
