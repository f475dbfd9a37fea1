"""The handover rule: the end of the first full month after the decision, on a working day."""

import datetime as dt

import pytest

from ankomst.reception.calendar import (
    add_working_days,
    end_of_first_full_month,
    handover_date,
    is_working_day,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        # 15 January 2026: the first full month after is February; 28 February is a Saturday.
        (D(2026, 1, 15), D(2026, 3, 2)),
        # A decision on the first of a month: that month is not "after" it; the next one is.
        (D(2026, 3, 1), D(2026, 4, 30)),
        # The last day of a month: the next month is the first full one.
        (D(2026, 3, 31), D(2026, 4, 30)),
        # Leap year: February 2028 has 29 days (a Tuesday).
        (D(2028, 1, 10), D(2028, 2, 29)),
        # December decision: January of the next year (31 January 2027 is a Sunday).
        (D(2026, 12, 3), D(2027, 2, 1)),
        # 31 May 2026 is a Sunday; 1 June a Monday.
        (D(2026, 4, 20), D(2026, 6, 1)),
    ],
)
def test_the_handover_is_the_end_of_the_first_full_month_on_a_working_day(decision, expected):
    assert handover_date(decision) == expected


def test_easter_moves_the_handover_past_the_holidays():
    # March 2024 ends on Easter weekend: Good Friday 29 March, Easter Monday 1 April.
    assert end_of_first_full_month(D(2024, 2, 10)) == D(2024, 3, 31)
    assert handover_date(D(2024, 2, 10)) == D(2024, 4, 2)


def test_christmas_and_new_year_are_not_working_days():
    for day in (D(2026, 12, 24), D(2026, 12, 25), D(2026, 12, 26), D(2026, 12, 31), D(2027, 1, 1)):
        assert not is_working_day(day)
    # November 2029 ends on a Friday, a working day.
    assert handover_date(D(2029, 10, 2)) == D(2029, 11, 30)
    # December 2027 ends on a Friday, New Year's Eve: the next working day is Monday 3 January.
    assert handover_date(D(2027, 11, 5)) == D(2028, 1, 3)


def test_constitution_day_is_not_a_working_day():
    assert not is_working_day(D(2026, 6, 5))
    # 5 June 2026 is a Friday: two working days from Thursday 4 June land on Tuesday 9 June.
    assert add_working_days(D(2026, 6, 4), 2) == D(2026, 6, 9)
    assert working_days_between(D(2026, 6, 4), D(2026, 6, 9)) == 2


def test_an_ordinary_weekday_is_a_working_day():
    assert is_working_day(D(2026, 12, 2))
    assert not is_working_day(D(2026, 12, 5))
