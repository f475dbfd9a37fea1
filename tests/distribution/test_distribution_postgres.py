"""The agency's staff act at the same moment: two exchanges from one form, one of them
recorded; two announcements of one year, one of them saved."""

import datetime as dt

import pytest
from django.db import connection

from ankomst.distribution import services
from ankomst.distribution.models import MunicipalQuota, QuotaExchange, QuotaYear
from tests.housing.test_housing_postgres import _parallel

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel connections need PostgreSQL; SQLite serialises writers by design",
)


def _announce(officer, agency, number: int):
    return services.announce_year(
        user=officer,
        organisation=agency,
        year=2026,
        table="dk-2024",
        national_number=number,
        reunified_nationally=None,
        announced_on=dt.date(2026, 4, 30),
    )


@postgres_only
def test_six_exchanges_from_one_version_of_the_page_record_one(transactional_db, officer, agency):
    year = _announce(officer, agency, 2000)
    before = year.quotas.get(code="860").quota
    outcomes = _parallel(
        [
            lambda: services.add_exchange(
                user=officer,
                quota_year=year,
                giver="860",
                receiver="851",
                persons=3,
                reason="Aftalt",
                version=year.version,
            )
            for _ in range(6)
        ]
    )
    assert sorted(outcomes) == ["ok"] + ["refused"] * 5
    assert QuotaExchange.objects.count() == 1
    assert MunicipalQuota.objects.get(quota_year=year, code="860").quota == before - 3
    assert sum(q.quota for q in MunicipalQuota.objects.filter(quota_year=year)) == 2000


@postgres_only
def test_a_year_announced_twice_at_once_is_saved_once(transactional_db, officer, agency):
    outcomes = _parallel([lambda n=n: _announce(officer, agency, n) for n in (2000, 3000, 4000)])
    assert sorted(outcomes) == ["ok", "refused", "refused"]
    year = QuotaYear.objects.get()
    assert MunicipalQuota.objects.filter(quota_year=year).count() == 98
    assert sum(q.quota for q in year.quotas.all()) == year.national_number
