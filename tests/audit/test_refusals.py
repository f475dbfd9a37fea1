"""Refusals stay in the log through a rollback and show to the organisations concerned."""

import pathlib
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from ankomst.accounts.permissions import refuse, require_perm
from ankomst.accounts.roles import Perm, Role
from ankomst.allowances import services as payments
from ankomst.audit.models import Action, AuditEvent


def _refusals(**filters):
    return AuditEvent.objects.filter(action=Action.DENIED, **filters)


REFUSED_STEPS = {
    "approve": lambda user, run: payments.run_approve(user=user, run=run),
    "lock": lambda user, run: payments.run_lock(user=user, run=run),
    "cancel": lambda user, run: payments.run_cancel(user=user, run=run),
    "export": lambda user, run: payments.run_mark_exported(user=user, run=run, what="CSV"),
}


@pytest.mark.parametrize("step", REFUSED_STEPS)
def test_a_refused_payment_step_stays_in_the_log(step, run, bob, dk_operator, muni_b):
    with pytest.raises(PermissionDenied):
        REFUSED_STEPS[step](bob, run)
    event = _refusals().get()
    assert event.actor == bob
    # Under the operator whose run it is, and beside it bob's own municipality.
    assert event.organisation_id == dk_operator.pk
    assert event.actor_organisation_id == muni_b.pk
    assert event.object_type == "allowances.paymentrun" and event.object_id == str(run.pk)


def test_a_refusal_survives_the_rollback_of_an_enclosing_transaction(run, bob):
    with pytest.raises(PermissionDenied), transaction.atomic():
        with transaction.atomic():
            payments.run_approve(user=bob, run=run)
    assert _refusals(actor=bob).count() == 1


def test_a_rollback_asked_for_without_an_error_discards_the_refusal(alice, muni_b):
    with transaction.atomic():
        refuse(alice, perm=Perm.VIEW_PERSON, organisation_id=muni_b.pk)
        transaction.set_rollback(True)
    assert not _refusals().exists()


def test_a_refusal_caught_by_the_caller_is_written_once(alice, muni_b):
    with transaction.atomic():
        try:
            with transaction.atomic():
                require_perm(alice, Perm.VIEW_PERSON, muni_b.pk)
        except PermissionDenied:
            pass
    assert _refusals(actor=alice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_refusal_survives_the_rollback_of_the_whole_transaction(make_user, muni_a, muni_b):
    # No test transaction around this one: the service's own transaction is rolled back.
    alice = make_user(Role.CASEWORKER, muni_a, username="alice")
    with pytest.raises(PermissionDenied), transaction.atomic():
        AuditEvent.objects.count()
        require_perm(alice, Perm.EDIT_PERSON, muni_b.pk)
    event = _refusals().get()
    assert event.organisation_id == muni_b.pk and event.actor_organisation_id == muni_a.pk


def test_a_refusal_without_an_organisation_shows_to_the_users_own(client_of, alice, admin_a):
    assert client_of(alice).get("/audit/").status_code == 403
    event = _refusals().get()
    assert (
        event.organisation_id is None
        and event.actor_organisation_id == alice.primary_organisation.pk
    )
    body = client_of(admin_a).get("/audit/", {"action": "denied"}).content.decode()
    assert "Refused: needs the right to read the audit log" in body
    assert "view_audit" not in body


def test_an_attempt_on_another_organisations_person_shows_to_both(
    client_of, make_user, alice, bob, person_a, admin_a, muni_b
):
    assert client_of(bob).get(f"/people/{person_a.pk}/").status_code == 404
    event = _refusals().get()
    assert event.organisation_id == person_a.organisation_id
    assert event.actor_organisation_id == muni_b.pk
    assert event.person_id == person_a.pk
    admin_b = make_user(Role.ADMINISTRATOR, muni_b, username="admin_b")
    for admin in (admin_a, admin_b):
        body = client_of(admin).get("/audit/", {"action": "denied"}).content.decode()
        assert ">bob<" in body, admin
    # bob's administrators learn that he tried, not whose record it was.
    assert person_a.name_latin not in client_of(admin_b).get("/audit/").content.decode()


def test_a_missing_record_is_refused_without_an_organisation(client_of, bob):
    assert client_of(bob).get("/people/999999/").status_code == 404
    event = _refusals().get()
    assert event.organisation_id is None and event.person_id is None


def test_one_helper_writes_every_refusal():
    src = pathlib.Path(__file__).parents[2] / "src" / "ankomst"
    writers = [
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if re.search(r"action=Action\.DENIED|def _denied|def _require_anywhere", path.read_text())
    ]
    writers.remove("audit/services.py")  # audit_refusal, which the helper calls
    assert writers == [], "refuse through ankomst.accounts.permissions.refuse"
