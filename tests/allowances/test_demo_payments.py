"""The demo's payments: a run approved by finance (four eyes), once, and every payment journey."""

import datetime as dt
from decimal import Decimal

from ankomst.accounts.models import Membership, Organisation, OrganisationKind, User
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


def test_danish_ibans_are_valid():
    from ankomst.allowances.validators import iban_valid
    from ankomst.demo.payments import danish_iban

    assert all(iban_valid(danish_iban(reg, acc)) for reg in (400, 1551, 9570) for acc in (1, 987))


def test_the_demo_walks_every_payment_journey_with_its_logins(db, client):
    import xml.etree.ElementTree as ET

    from ankomst.allowances.exports import PAIN_NS
    from ankomst.allowances.models import PayeeAccount, PocketMoneyEntry, Scheme
    from ankomst.demo.services import CHILDREN_OPERATOR, DEMO_PASSWORD, create_demo

    result = create_demo(persons_at_operator=300)
    logins = {(u, o) for u, _role, o in result.logins}
    assert ("payments", OPERATOR) in logins and ("finance", OPERATOR) in logins
    assert ("payments", CHILDREN_OPERATOR) in logins and ("staff", CHILDREN_OPERATOR) in logins
    demo_run = PaymentRun.objects.get(scheme=Scheme.ALLOWANCE)
    assert demo_run.prepared_by.username == "payments" and demo_run.status == RunStatus.APPROVED
    assert PayeeAccount.objects.filter(person__organisation__name=OPERATOR).exists()
    # The children's centre's pocket money is paid into the minors' ledgers.
    pocket = PaymentRun.objects.get(scheme=Scheme.POCKET_MONEY)
    assert pocket.status == RunStatus.LOCKED and PocketMoneyEntry.objects.exists()

    def sign_in(username):
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    # payments prepares the next period, finance approves, locks and exports it.
    sign_in("payments")
    page = client.get("/payments/new/")
    form = page.context["form"]
    operator = Organisation.objects.get(name=OPERATOR)
    data = {
        "organisation": operator.pk,
        "scheme": "allowance",
        **{k: form[k].value() for k in ("period_start", "period_end", "cutoff")},
    }
    response = client.post("/payments/new/", {k: str(v) for k, v in data.items()})
    assert response.status_code == 302, response.content.decode()[:2000]
    run = PaymentRun.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    client.logout()
    sign_in("finance")
    for action in ("approve", "lock"):
        run.refresh_from_db()
        client.post(f"/payments/runs/{run.pk}/{action}/", {"version": run.version})
    run.refresh_from_db()
    assert run.status == RunStatus.LOCKED and run.approved_by.username == "finance"
    bank = client.post(f"/payments/runs/{run.pk}/bank.xml", {"version": run.version})
    root = ET.fromstring(bank.content)
    ns = {"p": PAIN_NS}
    assert int(root.find(".//p:GrpHdr/p:NbOfTxs", ns).text) > 0
    assert Decimal(root.find(".//p:GrpHdr/p:CtrlSum", ns).text) > 0
    client.logout()

    # Centre staff of the children's centre see Payments and the minors' ledgers.
    sign_in("staff")
    home = client.get("/").content.decode()
    assert 'href="/payments/"' in home
    minors = client.get("/payments/", follow=True)
    assert minors.redirect_chain[-1][0] == "/payments/minors/"
    minor = minors.context["page"].object_list[0]
    assert client.get(f"/payments/minors/{minor.pk}/").status_code == 200
    person_page = client.get(f"/people/{minor.pk}/").content.decode()
    assert f'href="/payments/minors/{minor.pk}/"' in person_page
