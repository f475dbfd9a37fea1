"""A membership or role granted, changed or removed in the Django admin is audited under its
organisation, so that a superuser who gives themselves a role leaves a trace there."""

import pytest

from ankomst.accounts.models import Membership, User
from ankomst.accounts.roles import Role
from ankomst.audit.models import Action, AuditEvent
from tests.conftest import password_hash


@pytest.fixture
def superuser(db):
    return User.objects.create(
        username="root", password=password_hash(), is_superuser=True, is_staff=True
    )


def _change_form(user: User, memberships: list[dict], **fields) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(sum(1 for m in memberships if m.get("id"))),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    if user.is_superuser:
        data.update(is_superuser="on", is_staff="on")
    for i, m in enumerate(memberships):
        for key, value in m.items():
            data[f"memberships-{i}-{key}"] = value
        data[f"memberships-{i}-user"] = str(user.pk)
    data.update(fields)
    return data


def test_a_superuser_granting_themselves_a_role_leaves_a_trace(client_of, superuser, operator):
    url = f"/admin/accounts/user/{superuser.pk}/change/"
    data = _change_form(
        superuser,
        [{"organisation": str(operator.pk), "role": Role.CASEWORKER, "unit": "", "active": "on"}],
    )
    response = client_of(superuser).post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.filter(user=superuser, organisation=operator).exists()
    event = AuditEvent.objects.get(action=Action.MEMBERSHIP)
    assert event.organisation_id == operator.pk and event.actor == superuser
    assert event.changes["role"] == [None, Role.CASEWORKER]


def test_changing_and_removing_a_membership_in_the_admin_is_audited(
    client_of, superuser, alice, muni_a
):
    membership = alice.memberships.get()
    url = f"/admin/accounts/user/{alice.pk}/change/"
    row = {"id": str(membership.pk), "organisation": str(muni_a.pk), "unit": "", "active": "on"}
    client = client_of(superuser)
    assert (
        client.post(url, _change_form(alice, [{**row, "role": Role.ADMINISTRATOR}])).status_code
        == 302
    )
    changed = AuditEvent.objects.get(action=Action.MEMBERSHIP)
    assert changed.changes["role"] == [Role.CASEWORKER, Role.ADMINISTRATOR]
    assert changed.organisation_id == muni_a.pk
    data = _change_form(alice, [{**row, "role": Role.ADMINISTRATOR, "DELETE": "on"}])
    assert client.post(url, data).status_code == 302
    removed = AuditEvent.objects.filter(action=Action.MEMBERSHIP).order_by("-id").first()
    assert "Removed" in removed.summary and removed.object_id == str(membership.pk)
    assert removed.organisation_id == muni_a.pk


def test_the_admin_refuses_a_unit_of_another_organisation(
    client_of, superuser, alice, operator, muni_a
):
    membership = alice.memberships.get()
    foreign_unit = operator.units.get()
    row = {
        "id": str(membership.pk),
        "organisation": str(muni_a.pk),
        "role": Role.CASEWORKER,
        "unit": str(foreign_unit.pk),
        "active": "on",
    }
    response = client_of(superuser).post(
        f"/admin/accounts/user/{alice.pk}/change/", _change_form(alice, [row])
    )
    assert response.status_code == 200
    assert "must be one of the organisation" in response.content.decode()
    membership.refresh_from_db()
    assert membership.unit is None
