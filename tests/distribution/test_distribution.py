"""The national agency's quota pages: the statutory quotas set, exchanged and revised, as the
agency's staff meet them (in Danish), scoped to the agency, with bad input refused."""

import datetime as dt
import re

import pytest
from django.conf import settings

from ankomst.accounts.roles import Role
from ankomst.audit.models import AuditEvent
from ankomst.centres.models import CasePhase
from ankomst.distribution import services
from ankomst.distribution.models import MunicipalQuota, QuotaExchange, QuotaYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def quota_year(officer, agency):
    return services.announce_year(
        user=officer,
        organisation=agency,
        year=2026,
        table="dk-2024",
        national_number=2000,
        reunified_nationally=None,
        announced_on=dt.date(2026, 4, 30),
    )


@pytest.fixture
def granted_to(make_person, operator, officer):
    """``granted_to(municipality, n)``: n residents of a centre granted a permit this year
    and assigned to ``municipality`` (which gets Aalborg's code)."""

    def grant(municipality, n: int) -> None:
        municipality.municipality_code = "851"
        municipality.save()
        for i in range(n):
            CasePhase.objects.create(
                person=make_person(operator, "Ali Hassan", case_number=f"26-1000{i:02d}"),
                organisation=operator,
                phase="granted",
                start=dt.date(2026, 6, 1),
                municipality=municipality,
                created_by=officer,
            )

    return grant


@pytest.fixture
def danish(client_of):
    def login(user):
        client = client_of(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
        return client

    return login


def test_the_quotas_of_all_98_municipalities_add_up_to_the_national_number(quota_year):
    rows = list(quota_year.quotas.all())
    assert len(rows) == 98
    assert sum(r.quota for r in rows) == 2000
    assert min(r.quota for r in rows) >= 0
    assert len({r.region_code for r in rows}) == 5
    assert AuditEvent.objects.filter(action="create", object_type="distribution.quotayear").exists()


def test_a_year_is_announced_once(officer, agency, quota_year):
    with pytest.raises(Exception) as exc:
        services.announce_year(
            user=officer,
            organisation=agency,
            year=2026,
            table="dk-2024",
            national_number=3000,
            reunified_nationally=None,
            announced_on=dt.date(2026, 4, 30),
        )
    assert "2026" in str(exc.value)
    assert QuotaYear.objects.get().national_number == 2000


def test_the_page_shows_regions_municipalities_and_remaining_in_danish(danish, officer, quota_year):
    page = danish(officer).get(f"/distribution/{quota_year.pk}/").content.decode()
    assert "Region Nordjylland" in page and "Aalborg" in page
    assert "Resterende" in page  # remaining
    assert "dk-2024" not in page  # the table's name, not its code
    assert "<svg" in page and "<table" in page  # the chart with a table beside it
    # the chart's geometry is not localised: "12,5" in an SVG attribute draws nothing
    assert not re.search(r'(?:x|y|width|height)="-?\d+,\d', page)


def test_an_exchange_within_a_region_moves_persons_and_keeps_the_sums(danish, officer, quota_year):
    hjorring = quota_year.quotas.get(code="860")
    before = hjorring.quota
    response = danish(officer).post(
        f"/distribution/{quota_year.pk}/exchanges/",
        {
            "version": quota_year.version,
            "giver": "860",
            "receiver": "851",
            "persons": "5",
            "reason": "Aftalt i KKR",
        },
    )
    assert response.status_code == 302
    assert quota_year.quotas.get(code="860").quota == before - 5
    assert sum(r.quota for r in quota_year.quotas.all()) == 2000


@pytest.mark.parametrize(
    "giver, receiver, persons, message",
    [
        ("860", "101", "5", "inden for én region"),  # Hjørring and København
        ("860", "860", "5", "sig selv"),
        ("860", "851", "100000", "under"),
        ("860", "851", "-3", "større end eller lig 1"),
        ("999", "851", "3", "gyldig valgmulighed"),
        ("860", "851", "1e400", "heltal"),
    ],
)
def test_a_bad_exchange_is_refused_in_danish_and_changes_nothing(
    danish, officer, quota_year, giver, receiver, persons, message
):
    before = list(MunicipalQuota.objects.values_list("code", "exchanged"))
    response = danish(officer).post(
        f"/distribution/{quota_year.pk}/exchanges/",
        {
            "version": quota_year.version,
            "giver": giver,
            "receiver": receiver,
            "persons": persons,
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(MunicipalQuota.objects.values_list("code", "exchanged")) == before
    assert not QuotaExchange.objects.exists()


def test_a_stale_form_does_not_change_the_quotas(officer, quota_year):
    with pytest.raises(Exception, match="changed"):
        services.add_exchange(
            user=officer,
            quota_year=quota_year,
            giver="860",
            receiver="851",
            persons=1,
            reason="x",
            version=quota_year.version + 1,
        )


def test_a_revision_needs_the_estimate_to_move_enough_and_keeps_what_was_received(
    officer, quota_year, granted_to, muni_a
):
    granted_to(muni_a, 3)
    with pytest.raises(Exception, match="40"):
        services.revise_year(
            user=officer, quota_year=quota_year, national_number=2500, version=quota_year.version
        )
    revised = services.revise_year(
        user=officer, quota_year=quota_year, national_number=3, version=quota_year.version
    )
    assert revised.national_number == 3 and revised.announced_number == 2000
    rows = {r.code: r.quota for r in revised.quotas.all()}
    assert sum(rows.values()) == 3 and rows["851"] == 3  # Aalborg keeps its three


def test_a_revision_below_what_was_assigned_is_refused(officer, quota_year, granted_to, muni_a):
    granted_to(muni_a, 2)
    with pytest.raises(Exception, match="2"):
        services.revise_year(
            user=officer, quota_year=quota_year, national_number=1, version=quota_year.version
        )
    assert QuotaYear.objects.get().national_number == 2000


def test_only_the_agency_sees_its_quotas_and_a_refusal_is_audited(
    client_of, officer, quota_year, alice, make_user, agency
):
    assert client_of(alice).get("/distribution/").status_code == 403
    assert client_of(alice).get(f"/distribution/{quota_year.pk}/").status_code == 404
    assert AuditEvent.objects.filter(actor_id=alice.pk, action="denied").exists()
    reader = make_user(Role.MANAGER, agency)
    page = client_of(reader).get(f"/distribution/{quota_year.pk}/").content.decode()
    assert "Aalborg" in page and "exchanges/" not in page  # read-only: no exchange form
    assert client_of(reader).get(f"/distribution/{quota_year.pk}/revise/").status_code == 404
    assert client_of(reader).get("/distribution/new/").status_code == 403


def test_the_year_form_refuses_bad_values_in_danish(danish, officer):
    response = danish(officer).post(
        "/distribution/new/",
        {"year": "20260", "table": "atlantis", "national_number": "0", "announced_on": "x"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "gyldig valgmulighed" in page and "Announce" not in page
    assert not QuotaYear.objects.exists()


def test_the_csv_has_every_municipality(client_of, officer, quota_year):
    response = client_of(officer).get(f"/distribution/{quota_year.pk}/quotas.csv")
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 99
