"""The reception strategy's goals as figures, per month and per arrival cohort.

Every share is computed over persons; a share over fewer than ``MIN_GROUP`` persons is not
shown (``None``), so that no figure can point to an individual refugee.
"""

from __future__ import annotations

import datetime as dt
import statistics
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from ankomst.accounts.roles import Perm
from ankomst.people.models import Person, age_on

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


def _status_at(history: list[tuple[dt.date, str]], day: dt.date) -> str | None:
    starts = [s for s, _st in history]
    i = bisect_right(starts, day)
    return history[i - 1][1] if i else None


def goals(user, today: dt.date | None = None) -> Figures:
    today = today or timezone.localdate()
    orgs = user.organisation_ids(Perm.VIEW_RECEPTION)
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
    people = Person.objects.filter(household_id__in=list(by_household)).values_list(
        "pk", "household_id", "date_of_birth"
    )
    history: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for person_id, start, status in (
        PlanStatus.objects.filter(plan__organisation_id__in=orgs)
        .order_by("plan__person_id", "start", "id")
        .values_list("plan__person_id", "start", "status")
    ):
        history[person_id].append((start, status))
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

    for person_id, household_id, birth in people:
        arrival = by_household[household_id]
        handover = arrival["handover_date"]
        if handover > today:
            continue
        cohort = cohort_of(handover)
        age = age_on(birth, handover)
        if age is None or age >= 18:
            steps = history.get(person_id, [])
            for mark in MONTH_MARKS:
                when = calendar.add_months(handover, mark)
                if when > today:
                    break
                share = adults_marks[cohort][mark]
                share.denominator += 1
                if _status_at(steps, when) in IN_EDUCATION_OR_WORK:
                    share.numerator += 1
            period_end = calendar.add_months(handover, INTEGRATION_MONTHS)
            for e in month_ends:
                if handover <= e < period_end:
                    trend[e].denominator += 1
                    if _status_at(steps, e) in IN_EDUCATION_OR_WORK:
                        trend[e].numerator += 1
        elif age < 17 and handover <= today - dt.timedelta(days=CHILD_START_DAYS):
            share = children[cohort]
            share.denominator += 1
            start = started.get(person_id)
            if start is not None and start <= handover + dt.timedelta(days=CHILD_START_DAYS):
                share.numerator += 1

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
    for department in Task.objects.filter(
        organisation_id__in=orgs, status=TaskStatus.OPEN, due_on__lt=today
    ).values_list("department", flat=True):
        overdue[department] = overdue.get(department, 0) + 1
    fig.overdue_by_department = overdue
    fig.handoffs_unacknowledged = sum(
        handoff_overdue(h, today)
        for h in HandOff.objects.filter(organisation_id__in=orgs, acknowledged_at__isnull=True)
    )
    return fig
