"""The payment journey in Danish with the demo's printed logins: the operator's caseworker
prepares the next period, the finance officer approves, locks and exports it."""

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ankomst.allowances.exports import PAIN_NS
from ankomst.allowances.models import PaymentRun, RunStatus
from ankomst.demo.services import DEMO_PASSWORD, OPERATOR, create_demo
from tests.browser.conftest import sign_in_danish
from tests.conftest import restore_seeded_languages


@pytest.fixture
def demo(transactional_db):
    restore_seeded_languages()
    result = create_demo(persons_at_operator=200)
    return {(username, organisation) for username, _role, organisation in result.logins}


@pytest.fixture
def danish(browser, live_server):
    """A fresh Danish browser session per user (a tablet at the centre office)."""
    contexts = []

    def open_as(username: str):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            base_url=live_server.url,
            locale="da-DK",
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in_danish(page, username, DEMO_PASSWORD)
        expect(page.get_by_role("link", name="Udbetalinger")).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_prepare_approve_lock_and_export_in_danish(demo, danish):
    # The printed logins: the operator's caseworker and its finance officer.
    assert ("payments", OPERATOR) in demo and ("finance", OPERATOR) in demo

    page = danish("payments")
    page.get_by_role("link", name="Udbetalinger").click()
    page.get_by_role("link", name="Forbered en kørsel").click()
    expect(page.get_by_label("Operatør")).to_have_value(
        str(PaymentRun.objects.filter(organisation__name=OPERATOR).first().organisation_id)
    )
    page.get_by_role("button", name="Forbered", exact=True).click()
    expect(page.get_by_text("Kørslen er forberedt.")).to_be_visible()
    # The preparer never sees the approve button (four eyes).
    expect(page.get_by_role("button", name="Godkend")).to_have_count(0)
    run = PaymentRun.objects.filter(prepared_by__username="payments").latest("id")
    assert run.status == RunStatus.DRAFT
    # Amounts in Danish: thousands with a dot, øre after a comma, "kr.".
    total = page.locator(".figures dd").first
    expect(total).to_contain_text(" kr.")
    expect(total).to_contain_text(",")
    run_url = page.url

    page = danish("finance")
    page.goto(run_url)
    page.get_by_role("button", name="Godkend").click()
    expect(page.get_by_text("Kørslen er godkendt.")).to_be_visible()
    page.get_by_role("button", name="Lås til udbetaling").click()
    expect(page.get_by_text("Kørslen er låst og kan nu eksporteres.")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="Eksportér CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert rows and {r["run"] for r in rows} == {str(run.pk)}
    assert "bank" in {r["payout"] for r in rows}

    with page.expect_download() as download:
        page.get_by_role("button", name="Bankfil (pain.001)").click()
    root = ET.parse(download.value.path()).getroot()
    ns = {"p": PAIN_NS}
    transactions = root.findall(".//p:CdtTrfTxInf", ns)
    control_sum = Decimal(root.find(".//p:GrpHdr/p:CtrlSum", ns).text)
    assert transactions and control_sum == sum(
        Decimal(t.find("p:Amt/p:InstdAmt", ns).text) for t in transactions
    )
    run.refresh_from_db()
    assert run.status == RunStatus.EXPORTED and run.approved_by.username == "finance"
