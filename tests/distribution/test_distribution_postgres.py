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


def _batch(officer, agency, grant):
    from django.utils import timezone

    from ankomst.distribution import tasks
    from ankomst.runs import RunStatus

    year = services.announce_year(
        user=officer,
        organisation=agency,
        year=timezone.localdate().year,
        table="dk-2024",
        national_number=2000,
        reunified_nationally=None,
        announced_on=timezone.localdate(),
    )
    households = [grant(2, 1), grant(1, 0), grant(1, 2)]
    run = services.start_run(user=officer, quota_year=year, time_limit=20)
    assert tasks.solve_run(run.pk) == RunStatus.DONE
    run.refresh_from_db()
    return run, households


@postgres_only
def test_a_batch_confirmed_twice_at_once_assigns_each_household_once(
    transactional_db, officer, agency, grant, make_user
):
    from ankomst.accounts.roles import Role
    from ankomst.centres.models import CasePhase

    run, households = _batch(officer, agency, grant)
    second = make_user(Role.CASEWORKER, agency)
    outcomes = _parallel(
        [
            lambda u=u: services.confirm_run(user=u, run=run, version=run.version)
            for u in (officer, second, officer)
        ]
    )
    assert sorted(outcomes) == ["ok", "refused", "refused"]
    for household in households:
        members = household.members.count()
        assigned = CasePhase.objects.filter(person__household=household).exclude(
            municipality_code=""
        )
        assert assigned.count() == members  # one assignment per member, not two


@postgres_only
def test_an_override_and_the_confirmation_at_once_never_confirm_a_stale_page(
    transactional_db, officer, agency, grant
):
    from ankomst.centres.models import CasePhase

    run, _households = _batch(officer, agency, grant)
    line = run.lines.order_by("id").first()
    outcomes = _parallel(
        [
            lambda: services.override_line(
                user=officer, line=line, code="", reason="Later", version=line.version
            ),
            lambda: services.confirm_run(user=officer, run=run, version=run.version),
        ]
    )
    assert sorted(outcomes) == ["ok", "refused"]
    line.refresh_from_db()
    confirmed = CasePhase.objects.filter(person_id__in=line.members).exclude(municipality_code="")
    # either the override won (nothing confirmed) or the confirmation won (override refused)
    if line.code == "":
        assert not CasePhase.objects.exclude(municipality_code="").exists()
    else:
        assert confirmed.count() == len(line.members)
