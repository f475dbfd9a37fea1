"""The two facts a payment run takes from the activities app: the residence contract
(§ 42 c) and the unexcused absence days, both as of the cut-off date.

Read through the activities app's own model and selector. While that app is not
installed (a deployment without teaching and activation) nobody has a contract and
nobody is absent, which is what the engine assumes for missing data.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone


def _installed() -> bool:
    return apps.is_installed("ankomst.activities")


def contract_signed_on(person_ids: QuerySet, cutoff: dt.date) -> dict[int, dt.date]:
    """The signing date of each contract that was kept on the cut-off date, for the persons
    whose ids the queryset yields (read as a subquery, however many they are).

    A contract recorded as broken only after the cut-off date was still kept on it,
    so it counts for this period; later changes are not corrected backwards.
    """
    if not _installed():
        return {}
    from ankomst.activities.models import ContractStatus, ResidenceContract

    # Broken by the cut-off date: recorded as broken before the next day began (local time).
    next_day = timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min))
    rows = (
        ResidenceContract.objects.filter(
            person_id__in=person_ids,
            signed_on__lte=cutoff,
            status__in=[ContractStatus.SIGNED, ContractStatus.BROKEN],
        )
        .exclude(status=ContractStatus.BROKEN, updated_at__lt=next_day)
        .values_list("person_id", "signed_on")
    )
    return dict(rows)


def absence_window(
    cutoff: dt.date, period_start: dt.date, period_end: dt.date
) -> tuple[dt.date, dt.date]:
    """The attendance counted for a payment: as many days as the period, ending on the cut-off date.

    Consecutive periods with their cut-off dates the same distance before the start
    therefore count every day of attendance exactly once.
    """
    days = (period_end - period_start).days
    return cutoff - dt.timedelta(days=days), cutoff


def unexcused_absence_days(
    person_ids: QuerySet, cutoff: dt.date, period_start: dt.date, period_end: dt.date
) -> dict[int, int]:
    """Absence days counted for the payment, for the persons whose ids the queryset yields;
    persons without any are not in the result."""
    if not _installed():
        return {}
    from ankomst.activities.selectors import unexcused_absence_days as absence_days

    start, end = absence_window(cutoff, period_start, period_end)
    return absence_days(person_ids, start, end)
