"""The interface speaks the configured language, not the browser's, unless the user chose one."""

import pytest
from django.test import Client


@pytest.fixture
def danish(settings):
    settings.LANGUAGE_CODE = "da"


def test_it_ignores_the_browsers_language(danish, db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get("/accounts/login/")
    assert page["Content-Language"] == "da"
    assert "Log ind" in page.content.decode()


def test_the_users_choice_wins(danish, db):
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "sv"
    assert "Logga in" in page.content.decode()


def test_an_unknown_language_in_the_cookie_falls_back_to_the_configured_one(danish, db, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/accounts/login/")["Content-Language"] == "da"


def test_signed_in_pages_follow_the_configured_language(danish, client_of, alice):
    client = client_of(alice)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="sv")
    assert page["Content-Language"] == "da"
