"""Sign-ins, sign-outs, failed sign-ins, lock-outs and password changes are in the audit log."""

import pytest
from django.test import Client

from ankomst.audit.models import Action, AuditEvent
from tests.conftest import PASSWORD


@pytest.fixture
def anon():
    return Client(enforce_csrf_checks=True)


def _login(client, username, password):
    token = client.get("/accounts/login/").cookies["csrftoken"].value
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
    )


def test_a_sign_in_and_sign_out_are_recorded(anon, alice, muni_a):
    assert _login(anon, "alice", PASSWORD).status_code == 302
    login = AuditEvent.objects.get(action=Action.LOGIN)
    assert login.actor == alice and login.organisation_id == muni_a.pk
    assert login.ip_address == "127.0.0.1"
    token = anon.cookies["csrftoken"].value
    anon.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=alice).exists()


def test_a_failed_sign_in_is_recorded_under_the_accounts_organisation(anon, alice, muni_a):
    _login(anon, "alice", "wrong")
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.actor is None and event.organisation_id == muni_a.pk
    assert event.object_id == str(alice.pk) and "alice" in event.summary


def test_an_unknown_username_is_not_written_down(anon, db):
    _login(anon, "hunter2-typed-in-the-wrong-field", "x")
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert "hunter2" not in event.summary and event.organisation_id is None


def test_a_lock_out_is_recorded(anon, alice, muni_a):
    for _ in range(5):
        _login(anon, "alice", "wrong")
    assert AuditEvent.objects.filter(
        action=Action.LOCKED_OUT, organisation_id=muni_a.pk, object_id=str(alice.pk)
    ).exists()


def test_a_password_change_is_recorded(client_of, alice, muni_a):
    response = client_of(alice).post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer new secret",
            "new_password2": "a much longer new secret",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.PASSWORD_CHANGE)
    assert event.actor == alice and event.organisation_id == muni_a.pk
    assert "a much longer" not in str(event.changes) + event.summary
