"""Reads of the municipal reception, each scoped to the user's organisations."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from ankomst.accounts.models import Organisation, OrganisationKind, UnitKind
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.centres.models import CasePhase, Stay
from ankomst.limits import MAX_ID
from ankomst.people.ages import ADULT_AGE
from ankomst.people.models import Household, Person, age_on

from . import calendar
from .models import (
    IN_EDUCATION_OR_WORK,
    ON_THE_WAY,
    Arrival,
    ArrivalStatus,
    ChecklistItem,
    ChildStart,
    HandOff,
    IntegrationPlan,
    ReceptionEvent,
    Task,
    TaskStatus,
)

# The integration period the strategy's goal counts in.
INTEGRATION_MONTHS = 36
# A hand-off not acknowledged within this many working days stands out.
HANDOFF_ACK_WORKING_DAYS = 2
# A child not started this many days after the handover is listed.
CHILD_START_DAYS = 30
DEPARTMENTS = [k for k in UnitKind.values if k not in (UnitKind.CENTRE, UnitKind.OTHER)]


def households_without_arrival(user) -> QuerySet[Household]:
    """The households a caseworker may enter an arrival for: theirs, with none yet."""
    return Household.objects.filter(
        organisation_id__in=user.organisation_ids(Perm.MANAGE_RECEPTION), arrival__isnull=True
    ).order_by("reference")


def arrivals_visible_to(user, perm: Perm = Perm.VIEW_RECEPTION) -> QuerySet[Arrival]:
    return Arrival.objects.filter(organisation_id__in=user.organisation_ids(perm))


_MODELS = {
    "reception.arrival": Arrival,
    "reception.task": Task,
    "reception.handoff": HandOff,
    "people.person": Person,
}


def _in_range(pk: int) -> int:
    """An id the database can hold; a larger one names nothing (0)."""
    return pk if 0 < pk <= MAX_ID else 0


def _refuse(user, request, object_type: str, object_id) -> Http404:
    return refuse(user, request=request, model=_MODELS[object_type], pk=object_id, not_found=True)


def arrival_get(user, pk: int, *, perm: Perm = Perm.VIEW_RECEPTION, request=None) -> Arrival:
    arrival = (
        arrivals_visible_to(user, perm)
        .select_related("household", "organisation", "source_organisation")
        .filter(pk=_in_range(pk))
        .first()
    )
    if arrival is None:
        raise _refuse(user, request, "reception.arrival", pk)
    audit_record(
        user=user, action=Action.VIEW, obj=arrival, summary="Arrival viewed", request=request
    )
    return arrival


def arrival_list(user, *, show: str = "upcoming", query: str = "") -> QuerySet[Arrival]:
    today = timezone.localdate()
    qs = (
        arrivals_visible_to(user)
        .select_related("household")
        .annotate(
            open_tasks=Count("tasks", filter=Q(tasks__status=TaskStatus.OPEN)),
            overdue_tasks=Count(
                "tasks", filter=Q(tasks__status=TaskStatus.OPEN, tasks__due_on__lt=today)
            ),
        )
        .order_by("handover_date", "id")
    )
    if show == "upcoming":
        qs = qs.filter(status=ArrivalStatus.ANNOUNCED)
    elif show == "received":
        qs = qs.filter(status=ArrivalStatus.RECEIVED).order_by("-handover_date", "-id")
    elif show == "overdue":
        qs = qs.filter(status=ArrivalStatus.ANNOUNCED, handover_date__lt=today)
    if query:
        qs = qs.filter(household__reference__icontains=query)
    return qs


def members(arrival: Arrival) -> list[Person]:
    return list(
        arrival.household.members.prefetch_related("languages__language").order_by(
            "date_of_birth", "pk"
        )
    )


def timeline(arrival: Arrival) -> QuerySet[ReceptionEvent]:
    return arrival.events.select_related("by")


def tasks_of(arrival: Arrival) -> QuerySet[Task]:
    return arrival.tasks.select_related("person").prefetch_related(
        Prefetch("handoffs", queryset=HandOff.objects.select_related("by", "acknowledged_by"))
    )


def task_get(user, pk: int, *, request=None) -> Task:
    task = (
        Task.objects.filter(
            organisation_id__in=user.organisation_ids(Perm.VIEW_RECEPTION), pk=_in_range(pk)
        )
        .select_related("arrival__household", "person")
        .first()
    )
    if task is None:
        raise _refuse(user, request, "reception.task", pk)
    return task


def handoff_get(user, pk: int, *, request=None) -> HandOff:
    handoff = (
        HandOff.objects.filter(
            organisation_id__in=user.organisation_ids(Perm.VIEW_RECEPTION), pk=_in_range(pk)
        )
        .select_related("task__arrival")
        .first()
    )
    if handoff is None:
        raise _refuse(user, request, "reception.handoff", pk)
    return handoff


def import_organisation(user):
    """The municipality whose arrivals the user may import (the first one)."""
    return (
        Organisation.objects.filter(
            pk__in=user.organisation_ids(Perm.MANAGE_RECEPTION),
            kind=OrganisationKind.MUNICIPALITY,
        )
        .order_by("name", "pk")
        .first()
    )


def user_department(user) -> str:
    for m in user.active_memberships:
        if m.unit is not None and m.unit.kind in DEPARTMENTS:
            return m.unit.kind
    return UnitKind.CITIZEN_SERVICE


def queue(user, department: str, show: str = "due") -> QuerySet[Task]:
    """A department's tasks: due (open, by due date), overdue, or done (newest first)."""
    today = timezone.localdate()
    qs = (
        Task.objects.filter(
            organisation_id__in=user.organisation_ids(Perm.VIEW_RECEPTION), department=department
        )
        .select_related("arrival__household", "person")
        .annotate(
            unacknowledged=Exists(
                HandOff.objects.filter(task=OuterRef("pk"), acknowledged_at__isnull=True)
            )
        )
    )
    if show == "overdue":
        return qs.filter(status=TaskStatus.OPEN, due_on__lt=today)
    if show == "done":
        return qs.exclude(status=TaskStatus.OPEN).order_by("-done_on", "-id")
    return qs.filter(status=TaskStatus.OPEN)


def queue_counts(user) -> dict[str, dict[str, int]]:
    today = timezone.localdate()
    rows = (
        Task.objects.filter(
            organisation_id__in=user.organisation_ids(Perm.VIEW_RECEPTION),
            status=TaskStatus.OPEN,
        )
        .values("department")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    )
    counts = {d: {"open": 0, "overdue": 0} for d in DEPARTMENTS}
    for row in rows:
        counts.setdefault(row["department"], {"open": 0, "overdue": 0}).update(
            open=row["open"], overdue=row["overdue"]
        )
    return counts


def handoff_overdue(handoff: HandOff, today: dt.date | None = None) -> bool:
    if handoff.acknowledged_at is not None:
        return False
    today = today or timezone.localdate()
    sent = timezone.localtime(handoff.at).date()
    return calendar.working_days_between(sent, today) > HANDOFF_ACK_WORKING_DAYS


def handoffs_waiting(user, department: str) -> list[HandOff]:
    """Hand-offs to the department not yet acknowledged, the overdue ones flagged."""
    items = list(
        HandOff.objects.filter(
            organisation_id__in=user.organisation_ids(Perm.VIEW_RECEPTION),
            to_department=department,
            acknowledged_at__isnull=True,
        ).select_related("task__arrival__household", "by")
    )
    today = timezone.localdate()
    for item in items:
        item.overdue = handoff_overdue(item, today)
    return items


def checklist_items(user) -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.filter(
        organisation_id__in=user.organisation_ids(Perm.VIEW_RECEPTION)
    )


# --- Plans ----------------------------------------------------------------------------------


def plan_of(person: Person) -> IntegrationPlan | None:
    return IntegrationPlan.objects.filter(person=person).first()


def current_status(plan: IntegrationPlan, on: dt.date | None = None):
    on = on or timezone.localdate()
    if plan.pk is None:
        return None
    statuses = [s for s in plan.statuses.all() if s.start <= on]
    return statuses[-1] if statuses else None


def goal_state(plan: IntegrationPlan, handover: dt.date, on: dt.date | None = None) -> dict:
    """Months left of the integration period and whether the adult is on track for the goal."""
    on = on or timezone.localdate()
    end = calendar.add_months(handover, INTEGRATION_MONTHS)
    months_left = max(0, (end.year - on.year) * 12 + end.month - on.month)
    status = current_status(plan, on)
    reached = status is not None and status.status in IN_EDUCATION_OR_WORK
    on_way = status is not None and status.status in ON_THE_WAY
    # On track: reached; on the way to it; or still learning Danish in the first 18 months.
    months_in = INTEGRATION_MONTHS - months_left
    on_track = (
        reached
        or on_way
        or (status is not None and status.status == "language_school" and months_in <= 18)
    )
    return {
        "end": end,
        "months_left": months_left,
        "status": status,
        "reached": reached,
        "on_track": on_track,
    }


def adults_with_plans(arrival: Arrival, people: list[Person]) -> list[dict]:
    plans = {
        p.person_id: p
        for p in IntegrationPlan.objects.filter(arrival=arrival).prefetch_related("statuses")
    }
    rows = []
    for person in people:
        age = age_on(person.date_of_birth, arrival.handover_date)
        if age is not None and age < ADULT_AGE:
            continue
        plan = plans.get(person.pk)
        rows.append(
            {
                "person": person,
                "plan": plan,
                "goal": goal_state(plan, arrival.handover_date) if plan else None,
            }
        )
    return rows


def children_of(arrival: Arrival, people: list[Person]) -> list[dict]:
    starts = {c.person_id: c for c in ChildStart.objects.filter(arrival=arrival)}
    rows = []
    for person in people:
        age = age_on(person.date_of_birth, arrival.handover_date)
        if age is None or age >= ADULT_AGE:
            continue
        rows.append({"person": person, "age": age, "start": starts.get(person.pk)})
    return rows


def children_not_started(user, days: int = CHILD_START_DAYS) -> list[dict]:
    """Children under 17 not started in day care or school ``days`` after their handover."""
    today = timezone.localdate()
    arrivals = (
        arrivals_visible_to(user)
        .filter(handover_date__lte=today - dt.timedelta(days=days))
        .exclude(status=ArrivalStatus.CANCELLED)
    )
    started = ChildStart.objects.filter(person=OuterRef("pk"), started_on__isnull=False)
    people = (
        Person.objects.filter(household__arrival__in=arrivals)
        .annotate(started=Exists(started))
        .filter(started=False)
        .select_related("household__arrival")
        .order_by("household__arrival__handover_date", "pk")
    )
    rows = []
    for person in people:
        arrival = person.household.arrival
        age = age_on(person.date_of_birth, arrival.handover_date)
        # 17-year-olds are past school age; they are the job centre's (youth education).
        if age is None or age >= 17:
            continue
        rows.append(
            {
                "person": person,
                "age": age,
                "arrival": arrival,
                "days": (today - arrival.handover_date).days,
            }
        )
    return rows


def person_in_arrivals(user, pk: int, *, request=None) -> Person:
    person = (
        Person.objects.filter(
            organisation_id__in=user.organisation_ids(Perm.VIEW_RECEPTION),
            household__arrival__isnull=False,
            pk=_in_range(pk),
        )
        .select_related("household__arrival")
        .first()
    )
    if person is None:
        raise _refuse(user, request, "people.person", pk)
    audit_record(
        user=user,
        action=Action.VIEW,
        obj=person,
        summary="Reception record viewed",
        request=request,
    )
    return person


# --- The operator's side: residents leaving for a municipality -------------------------

DEPARTURE_LOOKAHEAD = dt.timedelta(days=31)


def departures_due(user) -> list[dict]:
    """Residents with an open stay whose current phase is granted, handover within a month."""
    orgs = user.organisation_ids(Perm.MANAGE_BEDS)
    today = timezone.localdate()
    latest = CasePhase.objects.filter(person=OuterRef("person")).order_by("-start", "-id")
    stays = (
        Stay.objects.filter(organisation_id__in=orgs, end__isnull=True)
        .annotate(
            phase=Subquery(latest.values("phase")[:1]), phase_id=Subquery(latest.values("pk")[:1])
        )
        .filter(phase="granted")
        .select_related("person__household", "bed__room__building__centre")
    )
    stays = list(stays)
    phases = {
        p.pk: p
        for p in CasePhase.objects.filter(pk__in=[s.phase_id for s in stays]).select_related(
            "municipality"
        )
    }
    arrivals = {
        a.source_household_id: a
        for a in Arrival.objects.filter(
            source_household_id__in=[s.person.household_id for s in stays if s.person.household_id]
        ).exclude(status=ArrivalStatus.CANCELLED)
    }
    rows = []
    for stay in stays:
        phase = phases[stay.phase_id]
        arrival = arrivals.get(stay.person.household_id)
        handover = arrival.handover_date if arrival else phase.handover_date
        if handover is None or handover > today + DEPARTURE_LOOKAHEAD:
            continue
        rows.append(
            {
                "person": stay.person,
                "stay": stay,
                "municipality": phase.receiving,
                "handover": handover,
                "due": handover <= today,
                "agreed_earlier": bool(arrival and arrival.agreed_by),
            }
        )
    rows.sort(key=lambda r: (r["handover"], r["person"].name_latin))
    return rows


def departure_person(user, pk: int, *, request=None) -> Person:
    stay = (
        Stay.objects.filter(
            organisation_id__in=user.organisation_ids(Perm.MANAGE_BEDS),
            end__isnull=True,
            person_id=_in_range(pk),
        )
        .select_related("person")
        .first()
    )
    if stay is None:
        raise _refuse(user, request, "people.person", pk)
    return stay.person
