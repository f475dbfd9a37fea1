"""Languages a person speaks are named in the language of the interface."""

import pytest
from django.utils import translation

from ankomst.people.models import Language, PersonLanguage


def in_language(client, code):
    client.cookies["django_language"] = code
    return client


@pytest.fixture
def speaker(person_a):
    for code, level in [("ar", "native"), ("kmr", "good"), ("fa-AF", "basic")]:
        PersonLanguage.objects.create(
            person=person_a, language=Language.objects.get(code=code), level=level
        )
    return person_a


def test_the_person_page_names_languages_in_danish(client_of, alice, speaker):
    client = in_language(client_of(alice), "da")
    page = client.get(f"/people/{speaker.pk}/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Arabisk" in page and "Dari" in page
    assert "Arabic" not in page and "Kurdish (Kurmanji)" not in page
    assert "العربية" in page  # the native name stays beside it


def test_the_person_page_names_languages_in_swedish(client_of, alice, speaker):
    client = in_language(client_of(alice), "sv")
    page = client.get(f"/people/{speaker.pk}/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Arabiska" in page
    assert "Arabic" not in page


def test_the_language_choice_of_the_person_form_is_in_the_interface_language(
    client_of, alice, speaker
):
    client = in_language(client_of(alice), "da")
    page = client.get(f"/people/{speaker.pk}/edit/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Arabisk (العربية)" in page
    assert "Arabic (العربية)" not in page


def test_a_language_without_a_name_in_the_locale_data_falls_back(db):
    from ankomst.people.languages import language_name

    with translation.override("da"):
        assert language_name("ar") == "arabisk"
        assert language_name("ar-SY") == "arabisk"
        assert language_name("kmr") == "kurdisk"
        assert language_name("xx-unknown") is None
        assert str(Language.objects.get(code="ar")) == "Arabisk (العربية)"
        assert str(Language.objects.get(code="da")) == "Dansk"
    with translation.override("en"):
        assert str(Language.objects.get(code="ar")) == "Arabic (العربية)"
