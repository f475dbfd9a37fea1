"""Two-factor authentication with an authenticator app (TOTP) and recovery codes."""

import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ankomst.accounts.roles import Role
from ankomst.audit.models import AuditEvent
from tests.conftest import PASSWORD


def code_for(device: TOTPDevice) -> str:
    """What the user's app shows now, computed as the app does."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(username: str, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def set_up(client: Client) -> list[str]:
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/accounts/two-factor/setup/", {"code": code_for(device)})
    assert response.status_code == 200
    return list(response.context["codes"])


@pytest.fixture
def enrolled(alice):
    client = sign_in("alice")
    codes = set_up(client)
    return alice, codes


def test_it_sets_up_an_app_and_shows_recovery_codes(alice):
    client = sign_in("alice")
    page = client.get("/accounts/two-factor/setup/")
    body = page.content.decode()
    assert "<svg" in body and "otpauth" not in body  # the QR code is inline, the secret in it
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    response = client.post("/accounts/two-factor/setup/", {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert AuditEvent.objects.filter(
        actor=alice, summary="Set up two-factor authentication"
    ).exists()


def test_a_wrong_code_at_setup_changes_nothing(alice):
    client = sign_in("alice")
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"code": "000000"})
    assert response.status_code == 200
    assert "The code is wrong" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=alice).exists()


@pytest.mark.parametrize("code", ["", "12 34", "abc!", "1" * 30])
def test_bad_input_at_setup_gets_a_message(alice, code):
    client = sign_in("alice")
    response = client.post("/accounts/two-factor/setup/", {"code": code})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not TOTPDevice.objects.filter(user=alice, confirmed=True).exists()


def test_once_set_up_signing_in_asks_for_the_code(enrolled):
    alice, _codes = enrolled
    client = sign_in("alice")
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/verify/")
    wrong = client.post("/accounts/two-factor/verify/", {"code": "000000", "next": "/people/"})
    assert "The code is wrong" in wrong.content.decode()
    assert client.get("/people/").status_code == 302
    device = TOTPDevice.objects.get(user=alice)
    device.last_t = -1  # the code of setup may be used once only; a fresh step
    device.throttle_reset(commit=False)  # a wrong code makes the next try wait a second
    device.save()
    response = client.post(
        "/accounts/two-factor/verify/", {"code": code_for(device), "next": "/people/"}
    )
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200


def test_a_recovery_code_works_once(enrolled):
    _alice, codes = enrolled
    client = sign_in("alice")
    response = client.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    again = sign_in("alice", Client())
    response = again.post("/accounts/two-factor/verify/", {"code": codes[0]})
    # the used code is refused: the form again, and still not signed in
    assert response.status_code == 200
    assert again.get("/").status_code == 302


def test_verify_does_not_redirect_elsewhere(enrolled):
    _alice, codes = enrolled
    client = sign_in("alice")
    response = client.post(
        "/accounts/two-factor/verify/", {"code": codes[1], "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_removing_needs_a_code_and_is_audited(enrolled):
    alice, codes = enrolled
    client = sign_in("alice")
    client.post("/accounts/two-factor/verify/", {"code": codes[0]})
    client.post("/accounts/two-factor/remove/", {"code": "nonsense"})
    assert TOTPDevice.objects.filter(user=alice).exists()
    time.sleep(1.1)  # a wrong code makes the next try wait a second
    client.post("/accounts/two-factor/remove/", {"code": codes[1]})
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticToken.objects.filter(device__user=alice).exists()
    assert AuditEvent.objects.filter(
        actor=alice, summary="Removed two-factor authentication"
    ).exists()


def test_new_recovery_codes_replace_the_old_ones(enrolled):
    alice, codes = enrolled
    client = sign_in("alice")
    client.post("/accounts/two-factor/verify/", {"code": codes[0]})
    response = client.post("/accounts/two-factor/recovery-codes/")
    new_codes = response.context["codes"]
    assert set(new_codes).isdisjoint(codes)
    assert AuditEvent.objects.filter(
        actor=alice, summary="Renewed the two-factor recovery codes"
    ).exists()
    assert (
        sign_in("alice", Client())
        .post("/accounts/two-factor/verify/", {"code": codes[2]})
        .status_code
        == 200
    )  # refused


@pytest.mark.parametrize(
    "role, required",
    [
        (Role.ADMINISTRATOR, True),
        (Role.CASEWORKER, True),
        (Role.CENTRE_STAFF, True),
        (Role.TEACHER, False),
        (Role.FINANCE_OFFICER, False),
        (Role.VOLUNTEER_COORDINATOR, False),
        (Role.VOLUNTEER, False),
        (Role.MANAGER, False),
    ],
)
def test_administrators_and_art9_readers_must_set_it_up(
    settings, make_user, muni_a, role, required
):
    settings.REQUIRE_2FA = True
    make_user(role, muni_a, username="someone")
    client = sign_in("someone")
    response = client.get("/")
    if required:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/two-factor/setup/"
        assert client.get("/accounts/two-factor/setup/").status_code == 200
    else:
        assert response.status_code == 200


def test_without_the_setting_nobody_must(settings, admin_a):
    settings.REQUIRE_2FA = False
    assert sign_in("admin_a").get("/").status_code == 200


def test_a_required_user_may_still_sign_out_and_switch_language(settings, admin_a):
    settings.REQUIRE_2FA = True
    client = sign_in("admin_a")
    assert client.post("/i18n/setlang/", {"language": "sv", "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_after_a_wrong_code_the_next_try_is_asked_to_wait(enrolled):
    alice, _codes = enrolled
    client = sign_in("alice")
    client.post("/accounts/two-factor/verify/", {"code": "000000"})
    device = TOTPDevice.objects.get(user=alice)
    device.last_t = -1
    device.save(update_fields=["last_t"])
    response = client.post("/accounts/two-factor/verify/", {"code": code_for(device)})
    assert response.status_code == 200
    assert "must wait a moment" in response.content.decode()
    assert client.get("/").status_code == 302  # still not through
