"""Organisation administrators manage their own users, and nobody else's."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ankomst.accounts import services
from ankomst.accounts.models import Membership, Unit, UnitKind, User
from ankomst.accounts.roles import Role
from ankomst.audit.models import Action, AuditEvent


@pytest.fixture
def admin_b(make_user, muni_b):
    return make_user(Role.ADMINISTRATOR, muni_b, username="admin_b")


@pytest.fixture
def housing(muni_a):
    return Unit.objects.create(organisation=muni_a, kind=UnitKind.HOUSING, name="Housing")


def authenticate(*, username, password):
    user = User.objects.get(username=username)
    return user if user.is_active and user.check_password(password) else None


def _events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def test_the_list_shows_only_the_organisations_users(client_of, admin_a, alice, bob):
    body = client_of(admin_a).get("/accounts/users/").content.decode()
    assert ">alice<" in body and ">bob<" not in body
    assert _events(Action.VIEW, object_type="accounts.user").exists()


def test_a_user_without_manage_users_is_refused(client_of, alice):
    assert client_of(alice).get("/accounts/users/").status_code == 403
    assert client_of(alice).get("/accounts/users/new/").status_code == 403
    assert _events(Action.DENIED, actor=alice).count() == 2


def test_another_organisations_user_is_a_404_and_audited_there(client_of, admin_a, bob, muni_b):
    client = client_of(admin_a)
    assert client.get(f"/accounts/users/{bob.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{bob.pk}/lock/", {"locked": "1"}).status_code == 404
    assert client.post(f"/accounts/users/{bob.pk}/password/", {"temporary": "1"}).status_code == 404
    bob.refresh_from_db()
    assert bob.is_active and authenticate(username="bob", password="correct-horse-battery")
    assert _events(Action.DENIED, organisation_id=muni_b.pk).count() == 3


def test_an_administrator_creates_a_user_with_a_role_and_unit(client_of, admin_a, muni_a, housing):
    response = client_of(admin_a).post(
        "/accounts/users/new/",
        {
            "username": "dorte",
            "first_name": "Dorte",
            "last_name": "Holm",
            "email": "",
            "organisation": str(muni_a.pk),
            "role": Role.CASEWORKER,
            "unit": str(housing.pk),
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = re.search(r"<code>(\S+)</code>", response.content.decode()).group(1)
    dorte = User.objects.get(username="dorte")
    assert authenticate(username="dorte", password=password) == dorte
    assert dorte.memberships.get().unit == housing
    assert _events(Action.USER_ACCOUNT, organisation_id=muni_a.pk, object_id=str(dorte.pk))
    assert _events(Action.MEMBERSHIP, organisation_id=muni_a.pk).exists()
    assert password not in str(list(AuditEvent.objects.values()))


def test_creating_a_user_in_another_organisation_is_refused(client_of, admin_a, muni_b):
    response = client_of(admin_a).post(
        "/accounts/users/new/",
        {"username": "mallory", "organisation": str(muni_b.pk), "role": Role.ADMINISTRATOR},
    )
    assert response.status_code == 200
    assert "Choose one of the organisations whose users you manage" in response.content.decode()
    assert not User.objects.filter(username="mallory").exists()
    with pytest.raises(PermissionDenied):
        services.user_create(actor=admin_a, organisation=muni_b, role=Role.CASEWORKER, username="m")
    assert _events(Action.DENIED, organisation_id=muni_b.pk).exists()


def test_a_unit_of_another_organisation_is_refused_everywhere(
    client_of, admin_a, alice, muni_a, operator
):
    foreign = operator.units.get()
    response = client_of(admin_a).post(
        "/accounts/users/new/",
        {
            "username": "dorte",
            "organisation": str(muni_a.pk),
            "role": "caseworker",
            "unit": str(foreign.pk),
        },
    )
    assert "Choose one of the units of your organisation" in response.content.decode()
    with pytest.raises(ValidationError):
        services.membership_change(
            actor=admin_a, membership=alice.memberships.get(), role=Role.CASEWORKER, unit=foreign
        )
    membership = Membership(user=alice, organisation=muni_a, role=Role.TEACHER, unit=foreign)
    with pytest.raises(ValidationError, match="organisation's own units"):
        membership.full_clean()


def test_a_duplicate_username_gets_a_message(client_of, admin_a, alice, muni_a):
    response = client_of(admin_a).post(
        "/accounts/users/new/",
        {"username": "ALICE", "organisation": str(muni_a.pk), "role": Role.TEACHER},
    )
    assert "This username is taken" in response.content.decode()


def test_changing_a_role_and_ending_a_membership_is_audited(client_of, admin_a, alice, muni_a):
    membership = alice.memberships.get()
    client = client_of(admin_a)
    response = client.post(
        f"/accounts/memberships/{membership.pk}/change/",
        {f"m{membership.pk}-role": Role.TEACHER, f"m{membership.pk}-unit": ""},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.TEACHER
    change = _events(Action.MEMBERSHIP).get()
    assert change.changes == {"role": [Role.CASEWORKER, Role.TEACHER]}
    assert client.post(f"/accounts/memberships/{membership.pk}/end/").status_code == 302
    membership.refresh_from_db()
    assert not membership.active
    assert _events(Action.MEMBERSHIP, organisation_id=muni_a.pk).count() == 2


def test_an_administrator_cannot_change_their_own_role(client_of, admin_a):
    membership = admin_a.memberships.get()
    client = client_of(admin_a)
    client.post(
        f"/accounts/memberships/{membership.pk}/change/",
        {f"m{membership.pk}-role": Role.VOLUNTEER, f"m{membership.pk}-unit": ""},
    )
    client.post(f"/accounts/memberships/{membership.pk}/end/", follow=True)
    membership.refresh_from_db()
    assert membership.role == Role.ADMINISTRATOR and membership.active


def test_a_temporary_password_is_shown_once_and_works(client_of, admin_a, alice, muni_a):
    response = client_of(admin_a).post(f"/accounts/users/{alice.pk}/password/", {"temporary": "1"})
    password = re.search(r"<code>(\S+)</code>", response.content.decode()).group(1)
    assert authenticate(username="alice", password=password) == alice
    assert authenticate(username="alice", password="correct-horse-battery") is None
    assert _events(Action.PASSWORD_CHANGE, organisation_id=muni_a.pk).exists()


def test_a_weak_password_is_refused_with_a_message(client_of, admin_a, alice):
    response = client_of(admin_a).post(
        f"/accounts/users/{alice.pk}/password/", {"password1": "1234", "password2": "1234"}
    )
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert authenticate(username="alice", password="correct-horse-battery") == alice


def test_lock_and_unlock(client_of, admin_a, alice, muni_a):
    client = client_of(admin_a)
    client.post(f"/accounts/users/{alice.pk}/lock/", {"locked": "1"})
    alice.refresh_from_db()
    assert not alice.is_active
    assert authenticate(username="alice", password="correct-horse-battery") is None
    client.post(f"/accounts/users/{alice.pk}/lock/", {"locked": "0"})
    alice.refresh_from_db()
    assert alice.is_active
    assert _events(Action.USER_ACCOUNT, organisation_id=muni_a.pk).count() == 2


def test_a_user_shared_with_another_organisation_keeps_their_password(
    client_of, admin_a, alice, muni_b
):
    Membership.objects.create(user=alice, organisation=muni_b, role=Role.TEACHER)
    client = client_of(admin_a)
    body = client.get(f"/accounts/users/{alice.pk}/").content.decode()
    assert "Reset to a temporary password" not in body
    assert client.post(f"/accounts/users/{alice.pk}/lock/", {"locked": "1"}).status_code == 403
    alice.refresh_from_db()
    assert alice.is_active
    # and the other organisation's membership is not listed, nor changeable from here
    assert "Municipality B" not in body
    other = alice.memberships.get(organisation=muni_b)
    assert client.post(f"/accounts/memberships/{other.pk}/end/").status_code == 404


def test_a_superuser_is_never_managed_by_an_organisation(client_of, admin_a, alice):
    alice.is_superuser = True
    alice.save()
    response = client_of(admin_a).post(f"/accounts/users/{alice.pk}/password/", {"temporary": "1"})
    assert response.status_code == 403


def test_unlocking_clears_a_lock_out_after_failed_sign_ins(client_of, admin_a, alice):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="alice", ip_address="10.0.0.1", user_agent="x", failures_since_start=5
    )
    client = client_of(admin_a)
    assert "Locked out after failed sign-ins" in client.get("/accounts/users/").content.decode()
    client.post(f"/accounts/users/{alice.pk}/lock/", {"locked": "0"})
    assert not AccessAttempt.objects.filter(username="alice").exists()
    assert "Locked out after" not in client.get("/accounts/users/").content.decode()
