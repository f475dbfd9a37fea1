"""The payment pages: prepare, review, four eyes, exports, statements, scoping."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.roles import Role
from ankomst.allowances import services
from ankomst.allowances.exports import PAIN_NS
from ankomst.allowances.models import OperatorAccount, PayeeAccount, PaymentRun, RunStatus, Scheme
from ankomst.audit.models import Action, AuditEvent
from ankomst.people.models import Language, LanguageLevel, PersonLanguage

START, CUTOFF = dt.date(2024, 3, 4), dt.date(2024, 3, 1)
NS = {"p": PAIN_NS}


@pytest.fixture
def run(caseworker, dk_operator, family, single):
    return services.run_prepare(
        user=caseworker,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=START,
        cutoff=CUTOFF,
    )


@pytest.fixture
def locked(run, finance):
    services.run_approve(user=finance, run=run)
    return services.run_lock(user=finance, run=run)


def test_it_prepares_from_the_form(client_of, caseworker, dk_operator, single):
    client = client_of(caseworker)
    assert client.get("/payments/new/").status_code == 200
    data = {
        "organisation": dk_operator.pk,
        "scheme": "allowance",
        "period_start": "2024-03-04",
        "period_end": "2024-03-17",
        "cutoff": "2024-03-01",
    }
    response = client.post("/payments/new/", data)
    run = PaymentRun.objects.get()
    assert response.status_code == 302 and response.url == f"/payments/runs/{run.pk}/"
    # The same period again: nothing new, and the user is sent to the existing run with a reason.
    response = client.post("/payments/new/", data, follow=True)
    assert PaymentRun.objects.count() == 1
    assert response.redirect_chain[-1][0] == f"/payments/runs/{run.pk}/"
    assert "already exists" in response.content.decode()


def test_the_run_page_explains_every_line_and_flags_unconfirmed_rates(client_of, caseworker, run):
    page = client_of(caseworker).get(f"/payments/runs/{run.pk}/").content.decode()
    assert "values of the 2024 rate table are not confirmed by a public source" in page
    assert 'href="/payments/rates/dk/2024/"' in page
    assert "Contract supplement" in page and "<td>dk.contract_supplement</td>" not in page
    for line in run.lines.all():
        assert line.explanation.split(":")[0] in page
    assert "dk.contract_supplement" not in page and "not_paid" not in page  # no internal codes
    assert "F-1" in page and "Statement" in page
    assert "/approve/" not in page  # the preparer never sees the approve button


@pytest.fixture
def in_danish():
    yield
    translation.activate("en")  # the request left Danish active in this thread


def test_a_danish_reader_sees_the_lines_explained_in_danish(client_of, caseworker, run, in_danish):
    client = client_of(caseworker)
    client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    page = client.get(f"/payments/runs/{run.pk}/").content.decode()
    assert "Grundydelse" in page and "DKK/dag × 14 dage" in page
    assert "Status på skæringsdatoen" in page
    assert "Basic allowance" not in page and "dk.basic_allowance" not in page
    line = run.lines.filter(status="paid").first()
    page = client.get(f"/payments/runs/{run.pk}/lines/{line.pk}/correct/").content.decode()
    assert "skæringsdatoen" in page and "Status on the cut-off date" not in page


def test_the_finance_officer_approves_locks_and_exports(client_of, finance, run):
    client = client_of(finance)
    page = client.get(f"/payments/runs/{run.pk}/").content.decode()
    assert f"/payments/runs/{run.pk}/approve/" in page
    client.post(f"/payments/runs/{run.pk}/approve/", {"version": 1})
    client.post(f"/payments/runs/{run.pk}/lock/", {"version": 2})
    run.refresh_from_db()
    assert run.status == RunStatus.LOCKED and run.approved_by == finance


def test_the_preparer_is_refused_by_the_page_too(
    client_of, make_user, dk_operator, run, caseworker
):
    from ankomst.accounts.models import Membership

    Membership.objects.create(user=caseworker, organisation=dk_operator, role=Role.FINANCE_OFFICER)
    response = client_of(caseworker).post(
        f"/payments/runs/{run.pk}/approve/", {"version": run.version}, follow=True
    )
    assert "someone other than the person who" in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT


def test_csv_export_has_one_row_per_line_and_is_audited(client_of, finance, locked):
    response = client_of(finance).post(
        f"/payments/runs/{locked.pk}/export.csv", {"version": locked.version}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == locked.lines.count()
    assert {r["payout"] for r in rows} == {"cash at the centre office"}
    assert all(r["explanation"] for r in rows)
    locked.refresh_from_db()
    assert locked.status == RunStatus.EXPORTED
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(locked.pk)).count() == 1


def test_a_draft_cannot_be_exported(client_of, finance, run):
    response = client_of(finance).post(
        f"/payments/runs/{run.pk}/export.csv", {"version": run.version}, follow=True
    )
    assert "Lock the run before exporting it." in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_bank_file_pays_households_with_an_account(
    client_of, finance, caseworker, locked, family, single
):
    household, m = family
    OperatorAccount.objects.create(organisation=locked.organisation, iban="DK5000400440116243")
    services.payee_account_set(
        user=caseworker, person=m["head"], bank_account="DK50 0040 0440 1162 43"
    )
    response = client_of(finance).post(
        f"/payments/runs/{locked.pk}/bank.xml", {"version": locked.version}
    )
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    txs = root.findall(".//p:CdtTrfTxInf", NS)
    assert len(txs) == 1  # the single resident has no account: cash at the office
    family_total = sum(line.amount for line in locked.lines.filter(household=household))
    assert txs[0].find("p:Amt/p:InstdAmt", NS).text == f"{family_total:.2f}"
    assert txs[0].find("p:Amt/p:InstdAmt", NS).get("Ccy") == "DKK"
    assert txs[0].find("p:CdtrAcct/p:Id/p:IBAN", NS).text == "DK5000400440116243"
    assert root.find(".//p:GrpHdr/p:CtrlSum", NS).text == f"{family_total:.2f}"
    assert root.find(".//p:ReqdExctnDt", NS).text == "2024-03-04"
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(locked.pk)).exists()


def test_an_invalid_iban_is_refused(caseworker, single):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.payee_account_set(
            user=caseworker, person=single, bank_account="DK5000400440116244"
        )
    assert not PayeeAccount.objects.filter(bank_account__isnull=False).exists()


@pytest.mark.parametrize(
    "code, direction, title",
    [
        ("ar", "rtl", "كشف الدفع"),
        ("fa-AF", "rtl", "صورت حساب پرداخت"),
        ("ti", "ltr", "መግለጺ ክፍሊት"),
        ("uk", "ltr", "Виписка про виплату"),
        ("ckb", "ltr", "Payment statement"),
    ],
)
def test_the_statement_is_in_the_heads_language(
    client_of, caseworker, run, family, code, direction, title
):
    household, m = family
    PersonLanguage.objects.create(
        person=m["head"], language=Language.objects.get(code=code), level=LanguageLevel.NATIVE
    )
    page = (
        client_of(caseworker)
        .get(f"/payments/runs/{run.pk}/statements/h{household.pk}/")
        .content.decode()
    )
    expected_lang = code if code != "ckb" else "en"  # no Sorani texts yet: English
    assert f'lang="{expected_lang}" dir="{direction}"' in page
    assert title in page


def test_another_operators_run_is_not_found(client_of, make_user, run):
    other = Organisation.objects.create(
        name="Other operator", kind=OrganisationKind.CENTRE_OPERATOR
    )
    outsider = make_user(Role.FINANCE_OFFICER, other)
    client = client_of(outsider)
    assert client.get(f"/payments/runs/{run.pk}/").status_code == 404
    assert client.post(f"/payments/runs/{run.pk}/approve/", {"version": 1}).status_code == 404
    assert client.get(f"/payments/runs/{run.pk}/statements/p1/").status_code == 404
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=outsider).exists()
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT


def test_a_correction_from_the_page(client_of, caseworker, run, single):
    line = run.lines.get(person=single, rule="dk.basic_allowance")
    client = client_of(caseworker)
    assert client.get(f"/payments/runs/{run.pk}/lines/{line.pk}/correct/").status_code == 200
    response = client.post(
        f"/payments/runs/{run.pk}/lines/{line.pk}/correct/",
        {"amount": "500.00", "reason": "moved out mid-period by agreement"},
    )
    assert response.status_code == 302
    assert run.lines.filter(correction_of=line, amount=-317.74).exists()
