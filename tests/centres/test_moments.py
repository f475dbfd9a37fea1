"""Check-in and check-out moments are plausible, and one person never holds two beds at once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ankomst.centres import services
from ankomst.centres.models import Stay
from tests.centres.conftest import bed


@pytest.fixture
def resident(make_person, operator):
    return make_person(operator, "Samer Ali")


def check_in(staff, person, centre, room, label="A", at=None):
    return services.check_in(
        user=staff, placements=[services.Placement(person, bed(centre, room, label))], at=at
    )


def test_a_check_out_in_the_future_is_refused_and_changes_nothing(
    client_of, staff, centre, resident
):
    check_in(staff, resident, centre, "A005", at=timezone.now() - dt.timedelta(days=3))
    response = client_of(staff).post(
        f"/centres/person/{resident.pk}/check-out/",
        {"reason": "departure", "at": "2099-01-01T10:00"},
        follow=True,
    )
    assert "too far ahead" in response.content.decode() or "future" in response.content.decode()
    assert Stay.objects.get(person=resident).end is None


def test_a_check_out_a_few_minutes_ahead_is_accepted_for_clocks_that_differ(
    staff, centre, resident
):
    check_in(staff, resident, centre, "A005", at=timezone.now() - dt.timedelta(days=3))
    stay = services.check_out(
        user=staff,
        person=resident,
        reason="departure",
        at=timezone.now() + dt.timedelta(minutes=5),
    )
    assert stay.end is not None


def test_a_check_out_before_the_stay_began_is_refused(staff, centre, resident):
    check_in(staff, resident, centre, "A005", at=timezone.now() - dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="later than the check-in"):
        services.check_out(
            user=staff,
            person=resident,
            reason="departure",
            at=timezone.now() - dt.timedelta(days=4),
        )


@pytest.mark.parametrize("at", ["2099-01-01T10:00", "1800-01-01T10:00", "0001-01-01T00:00"])
def test_a_check_in_at_an_implausible_moment_is_refused(staff, centre, resident, at):
    moment = timezone.make_aware(dt.datetime.fromisoformat(at)) if at[0] != "0" else None
    if moment is None:
        moment = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
    with pytest.raises(ValidationError):
        check_in(staff, resident, centre, "A005", at=moment)
    assert not Stay.objects.exists()


def test_a_stay_ending_later_still_holds_the_person(staff, centre, resident):
    """The invariant is about time ranges, not only open stays (SQLite has no exclusion)."""
    stay = check_in(staff, resident, centre, "A005", at=timezone.now() - dt.timedelta(days=3))[0]
    # A stay that ends in the future (written before this check existed) still holds its bed.
    Stay.objects.filter(pk=stay.pk).update(
        end=timezone.now() + dt.timedelta(days=30), end_reason="departure"
    )
    with pytest.raises(ValidationError, match="already has a bed"):
        check_in(staff, resident, centre, "A006")
    assert Stay.objects.filter(person=resident).count() == 1


def test_a_back_dated_check_in_into_a_stay_of_the_past_is_refused(
    staff, centre, resident, make_person, operator
):
    stay = check_in(staff, resident, centre, "A005", at=timezone.now() - dt.timedelta(days=10))[0]
    services.check_out(
        user=staff, person=resident, reason="departure", at=timezone.now() - dt.timedelta(days=2)
    )
    with pytest.raises(ValidationError, match="already has a bed"):
        check_in(staff, resident, centre, "A006", at=stay.start + dt.timedelta(days=1))


def test_a_transfer_in_the_future_is_refused(staff, centre, resident):
    check_in(staff, resident, centre, "A005", at=timezone.now() - dt.timedelta(days=3))
    with pytest.raises(ValidationError):
        services.transfer(
            user=staff,
            placements=[services.Placement(resident, bed(centre, "A006"))],
            at=timezone.now() + dt.timedelta(days=400),
        )
    assert Stay.objects.get(person=resident).end is None


def test_a_bad_check_out_time_says_what_is_wrong(client_of, staff, centre, resident):
    check_in(staff, resident, centre, "A005", at=timezone.now() - dt.timedelta(days=3))
    response = client_of(staff).post(
        f"/centres/person/{resident.pk}/check-out/",
        {"reason": "departure", "at": "yesterday at noon"},
        follow=True,
    )
    body = response.content.decode()
    assert "Choose a check-out reason" not in body
    assert "valid date" in body
    assert Stay.objects.get(person=resident).end is None


def test_a_check_out_in_the_spring_forward_gap_says_the_time_does_not_exist(
    client_of, staff, centre, resident, settings
):
    settings.TIME_ZONE = "Europe/Copenhagen"
    check_in(staff, resident, centre, "A005", at=timezone.now() - dt.timedelta(days=3))
    year = timezone.localdate().year - 1
    # The last Sunday of March, 02:30, does not exist in Copenhagen.
    day = max(dt.date(year, 3, d) for d in range(25, 32) if dt.date(year, 3, d).weekday() == 6)
    response = client_of(staff).post(
        f"/centres/person/{resident.pk}/check-out/",
        {"reason": "departure", "at": f"{day}T02:30"},
        follow=True,
    )
    body = response.content.decode()
    assert "Choose a check-out reason" not in body
    assert "may not exist" in body or "ambiguous" in body
    assert Stay.objects.get(person=resident).end is None
