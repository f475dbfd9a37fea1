"""The reception strategy's goals as figures, per month and per arrival cohort.

Every share is computed over persons; a share over fewer than ``MIN_GROUP`` persons is not
shown (``None``), so that no figure can point to an individual refugee.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone

from ankomst.accounts.models import OrganisationKind
from ankomst.accounts.roles import Perm, role_grants
from ankomst.people.ages import ADULT_AGE
from ankomst.people.models import Person

from . import calendar
from .models import (
    IN_EDUCATION_OR_WORK,
    Arrival,
    ArrivalStatus,
    ChildStart,
    HandOff,
    HomeKind,
    HouseholdType,
    PlanStatus,
    Task,
    TaskStatus,
)
from .selectors import CHILD_START_DAYS, DEPARTMENTS, INTEGRATION_MONTHS, handoff_overdue

MIN_GROUP = 5
# The goals page keeps its figures this long, so that the charts it embeds (fetched as
# separate images) draw the numbers of the tables beside them without computing them again.
SHARED_SECONDS = 120
MONTH_MARKS = (3, 6, 12, 18, 24, 30, 36)
TREND_MONTHS = 24


@dataclass
class Share:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """The share in per cent, or None when the group is too small to show."""
        if self.denominator < MIN_GROUP:
            return None
        return round(100 * self.numerator / self.denominator, 1)


@dataclass
class Figures:
    cohorts: list[str] = field(default_factory=list)
    # cohort -> month mark -> share of adults in education or work
    adults_by_months: dict[str, dict[int, Share]] = field(default_factory=dict)
    # (month end, share of adults within their integration period in education or work)
    trend: list[tuple[dt.date, Share]] = field(default_factory=list)
    children_within_30: dict[str, Share] = field(default_factory=dict)
    families_permanent: dict[str, Share] = field(default_factory=dict)
    temporary_days: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    overdue_by_department: dict[str, int] = field(default_factory=dict)
    handoffs_unacknowledged: int = 0


def cohort_of(day: dt.date) -> str:
    return f"{day.year} H{1 if day.month <= 6 else 2}"


def month_end(day: dt.date) -> dt.date:
    return calendar.end_of_first_full_month(day.replace(day=1) - dt.timedelta(days=1))


EPOCH = dt.date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()


def _days(dates: list[dt.date]) -> np.ndarray:
    """Dates as an array of days (NumPy converts date objects one by one, slowly)."""
    ordinals = np.fromiter((d.toordinal() for d in dates), dtype=np.int64, count=len(dates))
    return (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")


CHILD_WINDOW = np.timedelta64(CHILD_START_DAYS, "D")


def _cohort_key(cohort: str) -> int:
    """ "2025 H2" as a number that sorts like the cohorts: year × 2 + (second half)."""
    return int(cohort[:4]) * 2 + (cohort.endswith("2"))


def _ages(birth: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Whole years from ``birth`` to ``on`` (arrays of days), as ``age_on``."""

    def parts(days):
        months = days.astype("datetime64[M]")
        year = days.astype("datetime64[Y]").astype(np.int64)
        return year, months.astype(np.int64) % 12, (days - months).astype(np.int64)

    by, bm, bd = parts(birth)
    oy, om, od = parts(on)
    return oy - by - ((om * 32 + od) < (bm * 32 + bd))


class _Adults:
    """The adults received, as arrays, with their plans' statuses as one sorted key array.

    A status is keyed ``adult * _KEY + day``; the status an adult had on a day is the last key
    at or before theirs, found for all adults at once with ``searchsorted``.
    """

    _KEY = 1 << 22  # above every date's ordinal (year 9999 is 3,652,059)

    def __init__(self, handover: list[int], cohort: list[int], index: dict[int, int], statuses):
        self.handover = np.array(handover, dtype=np.int64)
        self.cohort = np.array(cohort, dtype=np.int64)
        mine = [(index[p], start, status, pk) for p, start, status, pk in statuses if p in index]
        keys_array = np.array(
            [i * self._KEY + start.toordinal() for i, start, _s, _pk in mine], dtype=np.int64
        )
        working = [status in IN_EDUCATION_OR_WORK for _i, _d, status, _pk in mine]
        # Of two statuses on one day, the one recorded later is the current one.
        order = np.lexsort((np.array([pk for *_r, pk in mine], dtype=np.int64), keys_array))
        self.keys = keys_array[order]
        self.working = np.array(working, dtype=bool)[order]
        self._days, self._inverse = np.unique(self.handover, return_inverse=True)

    def months_after(self, months: int) -> np.ndarray:
        """Each adult's handover date ``months`` later, as ordinals."""
        later = [
            calendar.add_months(dt.date.fromordinal(int(d)), months).toordinal() for d in self._days
        ]
        return np.array(later, dtype=np.int64)[self._inverse]

    def in_education_or_work(self, which: np.ndarray, days: np.ndarray) -> np.ndarray:
        """For the adults selected by the mask ``which``: in education or work on ``days``."""
        result = np.zeros(len(which), dtype=bool)
        if not len(self.keys):
            return result
        chosen = np.flatnonzero(which)
        wanted = chosen * self._KEY + days[chosen]
        at = np.searchsorted(self.keys, wanted, side="right") - 1
        found = at >= 0
        at = np.where(found, at, 0)
        own = found & (self.keys[at] // self._KEY == chosen)
        result[chosen] = own & self.working[at]
        return result


def goal_organisation_ids(user) -> set[int]:
    """The municipalities whose goals the user reads: figures are aggregates, so a manager,
    who opens no arrival, reads them as the caseworkers do (VIEW_FIGURES)."""
    return {
        m.organisation_id
        for m in user.active_memberships
        if role_grants(m.role, Perm.VIEW_FIGURES)
        and m.organisation.kind == OrganisationKind.MUNICIPALITY
    }


def goals(user, today: dt.date | None = None, *, orgs: set[int] | None = None) -> Figures:
    """The figures over ``orgs``, the user's ``goal_organisation_ids`` (given by a caller
    that has just looked them up to let the user in)."""
    today = today or timezone.localdate()
    orgs = goal_organisation_ids(user) if orgs is None else orgs
    arrivals: QuerySet[Arrival] = Arrival.objects.filter(organisation_id__in=orgs).exclude(
        status=ArrivalStatus.CANCELLED
    )
    rows = {
        a["pk"]: a
        for a in arrivals.values(
            "pk",
            "handover_date",
            "household_type",
            "first_home",
            "permanent_home_from",
            "household_id",
        )
    }
    by_household = {a["household_id"]: a for a in rows.values()}
    people = list(
        Person.objects.filter(household_id__in=arrivals.values("household_id"))
        .order_by()
        .values_list("pk", "household_id", "date_of_birth")
    )
    statuses = (
        PlanStatus.objects.filter(plan__organisation_id__in=orgs)
        .order_by()
        .values_list("plan__person_id", "start", "status", "id")
    )
    started = dict(
        ChildStart.objects.filter(organisation_id__in=orgs, started_on__isnull=False).values_list(
            "person_id", "started_on"
        )
    )

    fig = Figures()
    cohorts = sorted(
        {cohort_of(a["handover_date"]) for a in rows.values() if a["handover_date"] <= today}
    )
    fig.cohorts = cohorts
    adults_marks = {c: {m: Share(0, 0) for m in MONTH_MARKS} for c in cohorts}
    children = {c: Share(0, 0) for c in cohorts}
    month_ends = []
    end = month_end(today.replace(day=1) - dt.timedelta(days=1))
    for _i in range(TREND_MONTHS):
        month_ends.append(end)
        end = end.replace(day=1) - dt.timedelta(days=1)
    month_ends.reverse()
    trend = {e: Share(0, 0) for e in month_ends}

    # Every person received so far, as arrays: handover day, age on it, cohort.
    handover_of = {h: a["handover_date"] for h, a in by_household.items()}
    received = [(p, handover_of[h], b) for p, h, b in people if handover_of[h] <= today]
    ids = np.array([p for p, _h, _b in received], dtype=np.int64)
    handover = _days([h for _p, h, _b in received])
    known = np.array([b is not None for _p, _h, b in received], dtype=bool)
    birth = _days([b or EPOCH for _p, _h, b in received])
    age = _ages(birth, handover)
    keys = np.array([_cohort_key(c) for c in cohorts], dtype=np.int64)
    years = handover.astype("datetime64[Y]").astype(np.int64) + 1970
    months = handover.astype("datetime64[M]").astype(np.int64) % 12 + 1
    cohort = np.searchsorted(keys, years * 2 + (months > 6))

    # A child born after the handover was not there to be started within 30 days of it.
    child = known & (age >= 0) & (age < 17) & (handover <= np.datetime64(today) - CHILD_WINDOW)
    start_ids = np.array(sorted(started), dtype=np.int64)
    start_days = _days([started[i] for i in start_ids.tolist()])
    at = np.searchsorted(start_ids, ids[child])
    has_start = at < len(start_ids)
    at = np.where(has_start, at, 0)
    in_time = np.zeros(len(at), dtype=bool)
    if len(start_ids):
        has_start &= start_ids[at] == ids[child]
        in_time = has_start & (start_days[at] <= handover[child] + CHILD_WINDOW)
    denominators = np.bincount(cohort[child], minlength=len(cohorts))
    numerators = np.bincount(cohort[child][in_time], minlength=len(cohorts))
    for c, name in enumerate(cohorts):
        children[name] = Share(int(numerators[c]), int(denominators[c]))

    adult = ~known | (age >= ADULT_AGE)
    adult_ids = ids[adult].tolist()
    adults = _Adults(
        (handover[adult].astype(np.int64) + _EPOCH_ORDINAL).tolist(),
        cohort[adult].tolist(),
        dict(zip(adult_ids, range(len(adult_ids)), strict=True)),
        statuses,
    )
    for mark in MONTH_MARKS:
        when = adults.months_after(mark)
        reached = when <= today.toordinal()
        working = adults.in_education_or_work(reached, when)
        denominators = np.bincount(adults.cohort[reached], minlength=len(cohorts))
        numerators = np.bincount(adults.cohort[working], minlength=len(cohorts))
        for c, cohort in enumerate(cohorts):
            adults_marks[cohort][mark] = Share(int(numerators[c]), int(denominators[c]))
    period_end = adults.months_after(INTEGRATION_MONTHS)
    for e in month_ends:
        day = e.toordinal()
        within = (adults.handover <= day) & (day < period_end)
        working = adults.in_education_or_work(within, np.full(len(within), day))
        trend[e] = Share(int(working.sum()), int(within.sum()))

    fig.adults_by_months = adults_marks
    fig.trend = list(trend.items())
    fig.children_within_30 = children

    families: dict[str, Share] = {c: Share(0, 0) for c in cohorts}
    temporary: dict[str, list[int]] = {c: [] for c in cohorts}
    still_temporary: dict[str, int] = {c: 0 for c in cohorts}
    sizes = defaultdict(int)
    for _pk, household_id, _birth in people:
        sizes[household_id] += 1
    for a in rows.values():
        if a["handover_date"] > today or not a["first_home"]:
            continue
        cohort = cohort_of(a["handover_date"])
        if a["household_type"] == HouseholdType.FAMILY:
            # Counted in persons: a family share is a share of the persons in families.
            families[cohort].denominator += sizes[a["household_id"]]
            if a["first_home"] == HomeKind.PERMANENT:
                families[cohort].numerator += sizes[a["household_id"]]
        if a["first_home"] == HomeKind.TEMPORARY:
            if a["permanent_home_from"]:
                temporary[cohort].append((a["permanent_home_from"] - a["handover_date"]).days)
            else:
                still_temporary[cohort] += 1
    fig.families_permanent = families
    fig.temporary_days = {
        c: (
            len(days) + still_temporary[c],
            round(statistics.median(days)) if len(days) >= MIN_GROUP else None,
        )
        for c, days in temporary.items()
    }

    overdue = dict.fromkeys(DEPARTMENTS, 0)
    for department, count in (
        Task.objects.filter(organisation_id__in=orgs, status=TaskStatus.OPEN, due_on__lt=today)
        .values("department")
        .annotate(n=Count("id"))
        .values_list("department", "n")
    ):
        overdue[department] = count
    fig.overdue_by_department = overdue
    fig.handoffs_unacknowledged = sum(
        handoff_overdue(h, today)
        for h in HandOff.objects.filter(organisation_id__in=orgs, acknowledged_at__isnull=True)
    )
    return fig


def _shared_key(orgs: set[int], today: dt.date) -> str:
    return f"reception:goals:{today:%Y-%m-%d}:{','.join(str(o) for o in sorted(orgs))}"


def goals_for_page(user, orgs: set[int]) -> Figures:
    """Fresh figures for the goals page, kept briefly for the charts beside its tables."""
    today = timezone.localdate()
    fig = goals(user, today, orgs=orgs)
    cache.set(_shared_key(orgs, today), fig, SHARED_SECONDS)
    return fig


def goals_for_chart(user, orgs: set[int]) -> Figures:
    """The figures the page just showed (the same organisations, the same day), or fresh ones."""
    fig = cache.get(_shared_key(orgs, timezone.localdate()))
    return fig if fig is not None else goals_for_page(user, orgs)
