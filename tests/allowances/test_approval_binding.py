"""An approval (lock, export) applies to the run as the approver saw it, never as it became."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from ankomst.accounts.models import Membership
from ankomst.accounts.roles import Role
from ankomst.allowances import services
from ankomst.allowances.models import RunStatus, Scheme
from ankomst.audit.models import Action, AuditEvent

START, CUTOFF = dt.date(2024, 3, 4), dt.date(2024, 3, 1)


@pytest.fixture
def run(caseworker, dk_operator, family, single):
    return services.run_prepare(
        user=caseworker,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=START,
        cutoff=CUTOFF,
    )


def shown_version(page: str, action: str) -> str:
    form = re.search(rf'action="[^"]*/{action}/"[^>]*>(.*?)</form>', page, re.S)
    assert form, f"no {action} form on the page"
    return re.search(r'name="version" value="(\d+)"', form.group(1)).group(1)


def test_a_correction_after_the_page_was_shown_stops_the_approval(
    client_of, caseworker, finance, run, single
):
    finance_client = client_of(finance)
    page = finance_client.get(f"/payments/runs/{run.pk}/").content.decode()
    version = shown_version(page, "approve")
    shown_total = run.total_cash

    # Meanwhile the preparer posts a correction of 99,999.00.
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    services.line_correct(
        user=caseworker, line=line, amount=Decimal("99999.00"), reason="meant 999.99"
    )

    response = finance_client.post(
        f"/payments/runs/{run.pk}/approve/", {"version": version}, follow=True
    )
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and run.approved_by is None
    page = response.content.decode()
    assert "The run changed after you opened it" in page and "not approved" in page
    assert run.total_cash != shown_total and "DKK" in page
    # The refusal is in the audit log, though its transaction rolled back.
    assert AuditEvent.objects.filter(
        action=Action.DENIED, actor=finance, summary__contains="run_changed"
    ).exists()

    # Shown again, the new total can be reviewed and approved.
    page = finance_client.get(f"/payments/runs/{run.pk}/").content.decode()
    finance_client.post(
        f"/payments/runs/{run.pk}/approve/", {"version": shown_version(page, "approve")}
    )
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.approved_by == finance


def test_an_approve_without_the_version_does_nothing(client_of, finance, run):
    response = client_of(finance).post(f"/payments/runs/{run.pk}/approve/", follow=True)
    assert "did not say which version" in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT


def test_the_service_checks_the_version_under_its_lock(finance, run):
    with pytest.raises(services.RunChanged):
        services.run_approve(user=finance, run=run, seen_version=run.version + 1)
    services.run_approve(user=finance, run=run, seen_version=run.version)
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED


def test_lock_and_export_carry_the_version_too(client_of, finance, run):
    client = client_of(finance)
    services.run_approve(user=finance, run=run)
    run.refresh_from_db()
    stale = run.version - 1
    client.post(f"/payments/runs/{run.pk}/lock/", {"version": stale})
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    page = client.get(f"/payments/runs/{run.pk}/").content.decode()
    client.post(f"/payments/runs/{run.pk}/lock/", {"version": shown_version(page, "lock")})
    run.refresh_from_db()
    assert run.status == RunStatus.LOCKED
    page = client.get(f"/payments/runs/{run.pk}/").content.decode()
    version = re.search(r'export.csv"[^>]*>.*?name="version" value="(\d+)"', page, re.S).group(1)
    assert client.post(f"/payments/runs/{run.pk}/export.csv", {"version": stale}).status_code == 302
    first = client.post(f"/payments/runs/{run.pk}/export.csv", {"version": version})
    assert first.status_code == 200
    # A second export from the same page (now "exported"): the same run, still accepted.
    again = client.post(f"/payments/runs/{run.pk}/export.csv", {"version": version})
    assert again.status_code == 200


def test_the_approve_button_follows_the_four_eyes_rule(
    client_of, caseworker, finance, make_user, dk_operator, run, single
):
    assert "/approve/" in client_of(finance).get(f"/payments/runs/{run.pk}/").content.decode()
    # A finance officer who also corrected a line of the run may not approve it: no button.
    corrector = make_user(Role.FINANCE_OFFICER, dk_operator)
    Membership.objects.create(user=corrector, organisation=dk_operator, role=Role.CASEWORKER)
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    services.line_correct(user=corrector, line=line, amount=Decimal("500"), reason="moved")
    page = client_of(corrector).get(f"/payments/runs/{run.pk}/").content.decode()
    assert "/approve/" not in page
    # Nor the preparer, even holding the finance role.
    Membership.objects.create(user=caseworker, organisation=dk_operator, role=Role.FINANCE_OFFICER)
    assert (
        "/approve/" not in client_of(caseworker).get(f"/payments/runs/{run.pk}/").content.decode()
    )
