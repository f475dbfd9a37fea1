"""Working days and the handover rule (integrationsloven).

The municipality is responsible for a refugee from the end of the first full calendar month
after the national agency's assignment decision, moved to the next working day when that day
is a weekend day or a public holiday. Public offices also close on Constitution Day, Christmas
Eve and New Year's Eve, which the ``holidays`` library keeps in its optional category.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache, lru_cache

import holidays

# Days that are not working days in a Danish public office besides the public holidays.
OFFICE_CLOSED_OPTIONAL = frozenset({"Constitution Day", "Christmas Eve", "New Year's Eve"})


@cache
def _closed_days(country: str, year: int) -> frozenset[dt.date]:
    public = holidays.country_holidays(country, years=year, language="en_US")
    days = set(public)
    if country == "DK":
        optional = holidays.country_holidays(
            country, years=year, categories=("optional",), language="en_US"
        )
        days |= {d for d, name in optional.items() if name in OFFICE_CLOSED_OPTIONAL}
    return frozenset(days)


def is_working_day(day: dt.date, country: str = "DK") -> bool:
    return day.weekday() < 5 and day not in _closed_days(country, day.year)


def next_working_day(day: dt.date, country: str = "DK") -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, country):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int, country: str = "DK") -> dt.date:
    """The working day ``count`` working days after ``day``."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, country):
            count -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, country: str = "DK") -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, country):
            days += 1
    return days


def end_of_first_full_month(decision: dt.date) -> dt.date:
    """The last day of the first calendar month that begins after the decision day."""
    year, month = (
        (decision.year + 1, 1) if decision.month == 12 else (decision.year, decision.month + 1)
    )
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def handover_date(decision: dt.date, country: str = "DK") -> dt.date:
    """The day the municipality takes over, by the rule (before any agreement to move it earlier)."""
    return next_working_day(end_of_first_full_month(decision), country)


@lru_cache(maxsize=65536)
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clipped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
