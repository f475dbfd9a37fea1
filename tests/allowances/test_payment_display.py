"""What the payment pages show: amounts in the reader's format, labels instead of codes, the
rate table behind a compact notice, and ledgers only for unaccompanied minors."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from ankomst.accounts.roles import Role
from ankomst.allowances import services
from ankomst.allowances.models import PaymentRun, Scheme
from ankomst.audit.models import Action, AuditEvent
from ankomst.money import format_money
from ankomst.people.models import Language, LanguageLevel, PersonLanguage

START, CUTOFF = dt.date(2024, 3, 4), dt.date(2024, 3, 1)
NBSP = "\u00a0"


@pytest.fixture
def run(caseworker, dk_operator, family, single):
    return services.run_prepare(
        user=caseworker,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=START,
        cutoff=CUTOFF,
    )


@pytest.mark.parametrize(
    "language, currency, text",
    [
        ("da", "DKK", f"1.826,86{NBSP}kr."),
        ("sv", "SEK", f"1{NBSP}826,86{NBSP}kr"),
        ("en", "DKK", f"DKK{NBSP}1,826.86"),
        ("en", "", "1,826.86"),
    ],
)
def test_one_helper_formats_money_in_the_active_language(language, currency, text):
    with translation.override(language):
        assert format_money(Decimal("1826.86"), currency) == text
        assert format_money(Decimal("1826.861234567891"), currency) == text


@pytest.fixture
def speaking(client):
    """The interface language a user chose (the language cookie), put back to English after."""

    def choose(language):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    yield choose
    translation.activate("en")


def test_the_run_page_in_danish(client_of, caseworker, run, speaking):
    client_of(caseworker)
    page = speaking("da").get(f"/payments/runs/{run.pk}/").content.decode()
    with translation.override("da"):
        assert format_money(run.total_cash, "DKK") in page
    assert "Grundydelse" in page and "udbetalt" in page
    assert "<td>dk.basic_allowance</td>" not in page and "<td>paid</td>" not in page


def test_the_differences_show_two_decimals(client_of, caseworker, dk_operator, run):
    second = services.run_prepare(
        user=caseworker,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=dt.date(2024, 3, 18),
        cutoff=dt.date(2024, 3, 15),
    )
    line = second.lines.filter(rule="dk.basic_allowance").first()
    services.line_correct(user=caseworker, line=line, amount=Decimal("100.10"), reason="moved")
    page = client_of(caseworker).get(f"/payments/runs/{second.pk}/").content.decode()
    assert "100.10" in page
    assert "100.100000" not in page and "0000000" not in page


def test_the_statement_formats_in_the_households_language(client_of, caseworker, run, family):
    household, m = family
    PersonLanguage.objects.create(
        person=m["head"], language=Language.objects.get(code="uk"), level=LanguageLevel.NATIVE
    )
    page = (
        client_of(caseworker)
        .get(f"/payments/runs/{run.pk}/statements/h{household.pk}/")
        .content.decode()
    )
    total = sum(line.amount for line in run.lines.filter(household=household, kind="cash"))
    assert format_money(total, "DKK", language="uk") in page  # "4 201,48 DKK"


def test_the_rate_notice_is_compact_and_links_the_table(client_of, finance, run):
    page = client_of(finance).get(f"/payments/runs/{run.pk}/").content.decode()
    assert page.count("not confirmed by a public source") == 1
    response = client_of(finance).get("/payments/rates/dk/2024/")
    assert response.status_code == 200
    table = response.content.decode()
    assert "Basic allowance" in table and f"DKK{NBSP}58.41" in table
    assert "nyidanmark.dk" in table and "assumed" in table and "confirmed" in table


def test_the_rate_table_page_for_a_missing_year(client_of, finance, speaking):
    client_of(finance)
    response = speaking("da").get("/payments/rates/dk/2019/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Danmark" in page and "2019" in page and ".json" not in page


def test_the_rate_table_needs_the_payments_permission(client_of, staff):
    assert client_of(staff).get("/payments/rates/dk/2024/").status_code == 403


def test_a_year_without_rates_says_which_in_the_users_language(
    client_of, caseworker, dk_operator, single, speaking
):
    client_of(caseworker)
    response = speaking("sv").post(
        "/payments/new/",
        {
            "organisation": dk_operator.pk,
            "scheme": "allowance",
            "period_start": "2019-01-07",
            "period_end": "2019-01-20",
            "cutoff": "2019-01-04",
        },
    )
    page = response.content.decode()
    assert "Danmark" in page and "2019" in page
    assert ".json" not in page and "rates/" not in page
    assert not PaymentRun.objects.exists()


def test_an_adults_ledger_does_not_exist(client_of, make_user, dk_operator, single):
    staff = make_user(Role.CENTRE_STAFF, dk_operator)
    client = client_of(staff)
    assert client.get(f"/payments/minors/{single.pk}/").status_code == 404
    response = client.post(
        f"/payments/minors/{single.pk}/",
        {"entry-on": "2024-03-05", "entry-amount": "10", "entry-reason": "x"},
    )
    assert response.status_code == 404
    assert not single.pocket_money_entries.exists()
    assert (
        AuditEvent.objects.filter(
            action=Action.DENIED, actor=staff, object_id=str(single.pk)
        ).count()
        == 2
    )


@pytest.mark.parametrize("language", ["da", "sv", "en"])
def test_every_rule_has_a_name_in_each_interface_language(language):
    from ankomst.allowances.rates import available_rate_tables, load_rates
    from ankomst.allowances.statements import statement_texts

    names = statement_texts()[language]["components"]
    for country, year in available_rate_tables():
        table = load_rates(country, year)
        for component in (*table.components, table.pocket_money):
            if component is not None:
                assert component.code in names, (language, country, year, component.code)
