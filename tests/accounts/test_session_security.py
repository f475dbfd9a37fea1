"""Sessions end when idle and after a working day; signed-in pages are never cached;
every page carries a Content Security Policy and a Permissions-Policy."""

import re
import time
from pathlib import Path

import pytest
from django.test import Client

from ankomst.security import middleware
from tests.conftest import PASSWORD

SRC = Path(__file__).resolve().parents[2] / "src" / "ankomst"


def _age_session(client, *, idle: int = 0, since_login: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session[middleware.SESSION_LAST_SEEN] = now - idle
    session[middleware.SESSION_STARTED] = now - since_login
    session.save()


def test_it_keeps_a_session_in_use(client_of, alice, settings):
    client = client_of(alice)
    client.get("/")
    _age_session(client, idle=settings.IDLE_TIMEOUT - 120, since_login=3600)
    assert client.get("/people/").status_code == 200


def test_it_signs_out_after_the_idle_timeout(client_of, alice, settings):
    client = client_of(alice)
    client.get("/")
    _age_session(client, idle=settings.IDLE_TIMEOUT + 1, since_login=settings.IDLE_TIMEOUT + 1)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    login_page = client.get(response["Location"]).content.decode()
    assert "signed out after a period without activity" in login_page
    assert client.get("/").status_code == 302  # and stays signed out


def test_it_signs_out_after_the_absolute_limit_even_when_active(client_of, alice, settings):
    client = client_of(alice)
    client.get("/")
    _age_session(client, idle=5, since_login=settings.SESSION_COOKIE_AGE + 1)
    response = client.get("/")
    assert response.status_code == 302
    assert "session has ended" in client.get(response["Location"]).content.decode()


def test_activity_moves_the_idle_clock(client_of, alice, settings):
    client = client_of(alice)
    client.get("/")
    _age_session(client, idle=settings.IDLE_TIMEOUT - 60, since_login=3600)
    client.get("/")  # counts as activity
    assert time.time() - client.session[middleware.SESSION_LAST_SEEN] < 5, (
        "the request should have renewed the last activity"
    )


def test_signing_in_starts_the_clocks(alice):
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert time.time() - client.session[middleware.SESSION_STARTED] < 5
    assert time.time() - client.session[middleware.SESSION_LAST_SEEN] < 5


@pytest.mark.parametrize(
    "value, minutes", [("", 30), ("5", 5), ("480", 480)], ids=["default", "5", "480"]
)
def test_the_idle_timeout_comes_from_the_environment(monkeypatch, value, minutes):
    from ankomst.settings import env_int

    monkeypatch.setenv("ANKOMST_IDLE_TIMEOUT_MINUTES", value)
    assert env_int("ANKOMST_IDLE_TIMEOUT_MINUTES", 30, minimum=1, maximum=480) == minutes


@pytest.mark.parametrize("value", ["0", "abc", "481", "-3", "1.5"])
def test_a_malformed_idle_timeout_stops_the_start(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from ankomst.settings import env_int

    monkeypatch.setenv("ANKOMST_IDLE_TIMEOUT_MINUTES", value)
    with pytest.raises(ImproperlyConfigured):
        env_int("ANKOMST_IDLE_TIMEOUT_MINUTES", 30, minimum=1, maximum=480)


@pytest.mark.parametrize("path", ["/", "/people/?q=muhammad", "/people/{person}/"])
def test_signed_in_pages_are_never_stored(client_of, alice, person_a, path):
    response = client_of(alice).get(path.format(person=person_a.pk))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_every_page_has_a_strict_content_security_policy(client_of, alice):
    for response in (Client().get("/accounts/login/"), client_of(alice).get("/")):
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"] == ["'self'"]
        assert directives["default-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in directives["style-src"]


def test_every_page_has_a_permissions_policy():
    policy = Client().get("/accounts/login/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text()
        if INLINE_SCRIPT.search(text) or EVENT_HANDLER.search(text):
            offenders.append(str(template.relative_to(SRC)))
    assert offenders == []


def test_pages_render_without_an_inline_script(client_of, alice, person_a):
    client = client_of(alice)
    for path in ("/", f"/people/{person_a.pk}/", "/people/?q=muhammad"):
        html = client.get(path).content.decode()
        assert not INLINE_SCRIPT.search(html), path
        assert not EVENT_HANDLER.search(html), path


def test_an_htmx_request_after_the_timeout_loads_the_login_page(client_of, alice, settings):
    client = client_of(alice)
    client.get("/")
    _age_session(client, idle=settings.IDLE_TIMEOUT + 1, since_login=settings.IDLE_TIMEOUT + 1)
    response = client.get("/people/?q=x", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/accounts/login/"
    assert client.get("/").status_code == 302
