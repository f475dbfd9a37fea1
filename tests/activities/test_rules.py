"""The pure rules: when activation applies, and when a missing contract is a breach."""

import datetime as dt

import pytest

from ankomst.activities.rules import activation_required, adult_born_on_or_before, contract_due


@pytest.mark.parametrize(
    "age, centre_type, days, required",
    [
        (17, None, 400, False),  # a child: school, not activation
        (6, "residence", 10, False),
        (18, None, 0, True),  # centre type not known yet: only age decides
        (18, "reception", 0, False),  # first three months in a reception centre
        (30, "reception", 89, False),
        (30, "reception", 90, True),  # the fourth month starts on day 90
        (30, "reception", 200, True),
        (30, "residence", 0, True),  # no grace period outside reception
        (45, "departure", 5, True),
        (None, "residence", 5, True),  # unknown age: treated as an adult
    ],
)
def test_it_tells_whether_activation_applies(age, centre_type, days, required):
    result, reason = activation_required(age, centre_type, days)
    assert result is required
    assert reason


def test_it_explains_the_reception_grace_period():
    assert "three months" in activation_required(25, "reception", 10)[1]


APPLIED = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    "today, breach, days",
    [
        (APPLIED, False, 0),
        (APPLIED + dt.timedelta(days=6), False, 6),
        (APPLIED + dt.timedelta(days=7), False, 7),  # the deadline day itself is still in time
        (APPLIED + dt.timedelta(days=8), True, 8),
        (APPLIED + dt.timedelta(days=40), True, 40),
    ],
)
def test_it_marks_a_missing_contract_as_a_breach_after_seven_days(today, breach, days):
    due = contract_due(APPLIED, today)
    assert due.deadline == dt.date(2026, 3, 9)
    assert due.breach is breach
    assert due.days_since_application == days


@pytest.mark.parametrize(
    "today, cutoff",
    [
        (dt.date(2026, 5, 17), dt.date(2008, 5, 17)),
        (dt.date(2028, 2, 29), dt.date(2010, 2, 28)),  # leap day: the 18th birthday was 28 February
    ],
)
def test_it_finds_the_latest_birth_date_of_an_adult(today, cutoff):
    assert adult_born_on_or_before(today) == cutoff
