import pytest
from django.core.exceptions import ImproperlyConfigured

from ankomst.settings import env_bool


@pytest.mark.parametrize(
    "value, expected", [("true", True), ("False", False), ("1", True), ("off", False)]
)
def test_it_reads_booleans(monkeypatch, value, expected):
    monkeypatch.setenv("ANKOMST_X", value)
    assert env_bool("ANKOMST_X", not expected) is expected


def test_it_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("ANKOMST_X", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("ANKOMST_X", False)


def test_it_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("ANKOMST_X", raising=False)
    assert env_bool("ANKOMST_X", True) is True


def test_secure_cookies_default_on_without_debug(monkeypatch):
    import importlib
    import os

    import ankomst.settings as s

    monkeypatch.setenv("ANKOMST_DEBUG", "false")
    monkeypatch.delenv("ANKOMST_SECURE_COOKIES", raising=False)
    monkeypatch.setenv("ANKOMST_SECRET_KEY", "x" * 50)
    try:
        fresh = importlib.reload(s)
        assert fresh.SESSION_COOKIE_SECURE and fresh.CSRF_COOKIE_SECURE
        monkeypatch.delenv("ANKOMST_SECRET_KEY")
        monkeypatch.setenv("ANKOMST_TESTING", "false")
        with pytest.raises(ImproperlyConfigured):
            importlib.reload(s)
    finally:
        monkeypatch.setenv("ANKOMST_TESTING", "true")
        monkeypatch.undo()
        os.environ["ANKOMST_TESTING"] = "true"
        importlib.reload(s)
