"""The demo's payment run: prepared by admin, approved by finance, once."""

import datetime as dt

from ankomst.accounts.models import Membership, Organisation, OrganisationKind
from ankomst.accounts.roles import Role
from ankomst.allowances.models import PaymentRun, RunStatus
from ankomst.demo.payments import ensure_demo_payment_run, last_period_start
from ankomst.demo.services import OPERATOR


def test_nothing_without_demo_stays(db):
    assert ensure_demo_payment_run() is None


def test_last_period_start_is_on_the_fortnight_grid():
    assert last_period_start(dt.date(2024, 1, 14)) == dt.date(2024, 1, 1)
    assert last_period_start(dt.date(2024, 1, 15)) == dt.date(2024, 1, 15)


def test_one_approved_run_however_often_it_is_called(make_user, make_person, check_in, dk_operator):
    demo = Organisation.objects.create(name=OPERATOR, kind=OrganisationKind.CENTRE_OPERATOR)
    admin = make_user(Role.ADMINISTRATOR, demo, username="admin")
    finance = make_user(Role.FINANCE_OFFICER, demo, username="finance")
    Membership.objects.create(user=admin, organisation=dk_operator, role=Role.ADMINISTRATOR)
    person = make_person(dk_operator, born=dt.date(1990, 1, 1))
    stay = check_in(person)
    type(stay).objects.filter(pk=stay.pk).update(organisation=demo)
    run = ensure_demo_payment_run(dt.date(2024, 3, 20))
    assert (
        run.status == RunStatus.APPROVED and run.approved_by == finance and run.prepared_by == admin
    )
    assert run.period_start == dt.date(2024, 3, 11) and run.lines.filter(person=person).exists()
    assert ensure_demo_payment_run(dt.date(2024, 3, 20)) == run
    assert PaymentRun.objects.count() == 1
