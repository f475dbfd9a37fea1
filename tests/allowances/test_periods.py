"""A run pays the scheme's period: 14 days in Denmark, a calendar month (or half) in Sweden."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ankomst.accounts.roles import Role
from ankomst.allowances import services
from ankomst.allowances.models import PaymentRun, Scheme


def prepare(user, organisation, start, end=None, cutoff=None):
    return services.run_prepare(
        user=user,
        organisation=organisation,
        scheme=Scheme.ALLOWANCE,
        period_start=start,
        period_end=end,
        cutoff=cutoff or start - dt.timedelta(days=3),
    )


def test_a_287_day_period_is_refused_from_the_form(client_of, caseworker, dk_operator, single):
    response = client_of(caseworker).post(
        "/payments/new/",
        {
            "organisation": dk_operator.pk,
            "scheme": "allowance",
            "period_start": "2024-03-04",
            "period_end": "2024-12-15",
            "cutoff": "2024-03-01",
        },
    )
    assert response.status_code == 200
    assert "A payment period is 14 days" in response.content.decode()
    assert not PaymentRun.objects.exists()


def test_denmark_pays_14_days(caseworker, dk_operator, single):
    run = prepare(caseworker, dk_operator, dt.date(2024, 3, 4))
    assert run.period_end == dt.date(2024, 3, 17)
    with pytest.raises(ValidationError, match="A payment period is 14 days"):
        prepare(caseworker, dk_operator, dt.date(2024, 3, 18), dt.date(2024, 3, 20))
    assert PaymentRun.objects.count() == 1


def test_only_the_first_run_may_be_shorter_to_join_the_rhythm(caseworker, dk_operator, single):
    first = prepare(caseworker, dk_operator, dt.date(2024, 3, 8), dt.date(2024, 3, 17))
    assert first.period_end == dt.date(2024, 3, 17)
    with pytest.raises(ValidationError, match="A payment period is 14 days"):
        prepare(caseworker, dk_operator, dt.date(2024, 3, 18), dt.date(2024, 3, 25))
    with pytest.raises(ValidationError, match="A payment period is 14 days"):
        # Longer is never allowed, not even the first time.
        services.run_prepare(
            user=caseworker,
            organisation=dk_operator,
            scheme=Scheme.POCKET_MONEY,
            period_start=dt.date(2024, 3, 4),
            period_end=dt.date(2024, 3, 31),
            cutoff=dt.date(2024, 3, 1),
        )


def test_sweden_pays_a_calendar_month_or_half_of_one(make_user, dk_operator, single):
    dk_operator.country = "SE"
    dk_operator.save()
    worker = make_user(Role.CASEWORKER, dk_operator)
    with pytest.raises(ValidationError, match="In Sweden a payment period is a calendar month"):
        prepare(worker, dk_operator, dt.date(2024, 4, 1), dt.date(2024, 4, 14))
    april = prepare(worker, dk_operator, dt.date(2024, 4, 1))
    assert april.period_end == dt.date(2024, 4, 30)
    first_half = prepare(worker, dk_operator, dt.date(2024, 5, 1), dt.date(2024, 5, 15))
    second_half = prepare(worker, dk_operator, dt.date(2024, 5, 16))
    assert (first_half.period_end, second_half.period_end) == (
        dt.date(2024, 5, 15),
        dt.date(2024, 5, 31),
    )
    with pytest.raises(ValidationError, match="In Sweden"):
        prepare(worker, dk_operator, dt.date(2024, 6, 1), dt.date(2024, 7, 31))


@pytest.mark.parametrize(
    "start, cutoff, message",
    [
        (dt.date(1999, 1, 4), dt.date(1999, 1, 1), "is not plausible"),
        (dt.date(2024, 3, 4), dt.date(2024, 2, 1), "at most 14 days before"),
        (dt.date(2024, 3, 4), dt.date(2024, 3, 5), "on or before the first day"),
    ],
)
def test_implausible_dates_are_refused(caseworker, dk_operator, single, start, cutoff, message):
    with pytest.raises(ValidationError, match=message):
        prepare(caseworker, dk_operator, start, cutoff=cutoff)
    assert not PaymentRun.objects.exists()


def test_a_run_cannot_start_far_ahead(caseworker, dk_operator, single):
    start = timezone.localdate() + dt.timedelta(days=90)
    with pytest.raises(ValidationError, match="at most 62 days ahead"):
        prepare(caseworker, dk_operator, start)


def test_the_prepare_form_suggests_a_swedish_month(client_of, make_user, dk_operator):
    dk_operator.country = "SE"
    dk_operator.save()
    worker = make_user(Role.CASEWORKER, dk_operator)
    page = client_of(worker).get("/payments/new/").content.decode()
    first = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert f'name="period_start" value="{first:%Y-%m-%d}"' in page
