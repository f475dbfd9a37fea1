import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from tests.conftest import PASSWORD


@pytest.fixture
def anon():
    return Client(enforce_csrf_checks=True)


def _login(client, username, password):
    page = client.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
    )


def test_it_signs_in_with_the_right_password(anon, alice):
    response = _login(anon, "alice", PASSWORD)
    assert response.status_code == 302
    assert anon.get("/").status_code == 200


def test_it_refuses_a_wrong_password_with_a_message(anon, alice):
    response = _login(anon, "alice", "wrong")
    assert response.status_code == 200
    assert (
        "did not match" in response.content.decode() or "passer ikke" in response.content.decode()
    )


def test_it_locks_the_account_after_five_wrong_passwords(anon, alice):
    for _ in range(5):
        _login(anon, "alice", "wrong")
    response = _login(anon, "alice", PASSWORD)  # even the right password now fails
    assert response.status_code == 429
    assert anon.get("/").status_code == 302  # still signed out


def test_the_lock_does_not_touch_other_accounts(anon, alice, bob):
    for _ in range(5):
        _login(anon, "alice", "wrong")
    assert _login(Client(), "bob", PASSWORD).status_code == 302


def test_it_refuses_a_login_without_csrf_token(anon, alice):
    response = anon.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403


def test_pages_need_a_signed_in_user(anon):
    for path in ["/", "/people/", "/people/1/", "/audit/"]:
        response = anon.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_passwords_are_hashed_with_argon2(django_user_model):
    user = django_user_model.objects.create_user("carol", password="a-long-password-1")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_it_changes_the_password(client_of, alice):
    client = client_of(alice)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another-long-secret-7",
            "new_password2": "Another-long-secret-7",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("Another-long-secret-7")


def test_it_signs_out_only_by_post(client_of, alice):
    client = client_of(alice)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_session_and_csrf_cookies_are_secure_outside_debug(settings):
    from django.conf import settings as live

    assert live.SESSION_COOKIE_HTTPONLY
    assert live.SESSION_COOKIE_SECURE is live.SECURE_COOKIES
    assert live.CSRF_COOKIE_SECURE is live.SECURE_COOKIES


def test_many_accounts_tried_from_one_address_lock_the_address(
    anon, make_user, muni_a, alice, settings
):
    """Password spraying: one wrong password on many accounts from one address."""
    settings.LOCKOUT_ADDRESS_FAILURES = 6
    for n in range(5):
        make_user("caseworker", muni_a, username=f"sprayed{n}")
        assert _login(anon, f"sprayed{n}", "Summer2026!").status_code == 200
    make_user("caseworker", muni_a, username="sprayed5")
    assert _login(anon, "sprayed5", "Summer2026!").status_code == 429
    # Each account had one failure only, but the address is now locked, for every account.
    assert _login(Client(), "alice", PASSWORD).status_code == 429


def test_an_address_is_not_locked_by_a_few_typing_errors_of_colleagues(
    anon, make_user, muni_a, alice
):
    for n in range(6):
        make_user("caseworker", muni_a, username=f"colleague{n}")
        _login(anon, f"colleague{n}", "typo")
    assert _login(Client(), "alice", PASSWORD).status_code == 302


def test_a_colleague_signing_in_does_not_reset_the_address_count(
    anon, make_user, muni_a, alice, settings
):
    settings.LOCKOUT_ADDRESS_FAILURES = 6
    for n in range(3):
        make_user("caseworker", muni_a, username=f"target{n}")
        _login(anon, f"target{n}", "Summer2026!")
    assert _login(Client(), "alice", PASSWORD).status_code == 302
    for n in range(3, 6):
        make_user("caseworker", muni_a, username=f"target{n}")
        _login(anon, f"target{n}", "Summer2026!")
    assert _login(Client(), "alice", PASSWORD).status_code == 429
