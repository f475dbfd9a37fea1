"""What the allowance side reads: unexcused absence days and attended hours."""

import datetime as dt
from decimal import Decimal

from ankomst.activities.models import Attendance, Session
from ankomst.activities.selectors import attended_hours, unexcused_absence_days


def _session(activity, teacher, day, start=9, end=11, cancelled=False):
    return Session.objects.create(
        activity=activity,
        date=day,
        starts_at=dt.time(start),
        ends_at=dt.time(end),
        place="Room",
        teacher=teacher,
        cancelled=cancelled,
    )


def test_it_counts_days_with_an_unexcused_absence(danish, teacher, learners):
    ali, bea, cem = learners
    monday = dt.date(2026, 3, 2)
    morning = _session(danish, teacher, monday, 9, 11)
    afternoon = _session(danish, teacher, monday, 13, 15)
    tuesday = _session(danish, teacher, monday + dt.timedelta(days=1))
    cancelled = _session(danish, teacher, monday + dt.timedelta(days=2), cancelled=True)
    outside = _session(danish, teacher, monday + dt.timedelta(days=10))
    for session, person, status, reason in [
        (morning, ali, "absent", ""),
        (afternoon, ali, "absent", ""),  # one day, two sessions
        (tuesday, ali, "absent", ""),
        (cancelled, ali, "absent", ""),
        (outside, ali, "absent", ""),
        (morning, bea, "excused", "Interview at the immigration service"),
        (tuesday, bea, "present", ""),
    ]:
        Attendance.objects.create(session=session, person=person, status=status, reason=reason)
    result = unexcused_absence_days([ali.pk, bea.pk, cem.pk], monday, monday + dt.timedelta(days=6))
    assert result == {ali.pk: 2, bea.pk: 0, cem.pk: 0}


def test_it_sums_the_hours_attended(danish, teacher, learners):
    ali, bea, _cem = learners
    day = dt.date(2026, 3, 2)
    long = Session.objects.create(
        activity=danish,
        date=day,
        starts_at=dt.time(9),
        ends_at=dt.time(11, 30),
        place="Room",
        teacher=teacher,
    )
    short = _session(danish, teacher, day + dt.timedelta(days=1), 13, 14)
    Attendance.objects.create(session=long, person=ali, status="present")
    Attendance.objects.create(session=short, person=ali, status="present")
    Attendance.objects.create(session=short, person=bea, status="absent")
    result = attended_hours([ali.pk, bea.pk], day, day + dt.timedelta(days=6))
    assert result == {ali.pk: Decimal("3.50"), bea.pk: Decimal("0.00")}
