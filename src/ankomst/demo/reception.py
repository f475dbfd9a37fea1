"""Two years of a municipality's reception for the demo: arrivals, their checklists done
mostly on time, integration plans progressing, children starting school, homes found.

The households announced by the centres' granted phases become the coming arrivals; the
municipality's own residents and some more households become the past two years' arrivals.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ankomst.accounts.models import Organisation, User
from ankomst.centres.models import CasePhase
from ankomst.people.ages import ADULT_AGE
from ankomst.people.models import Household, Person, age_on
from ankomst.reception import calendar, checklist, services
from ankomst.reception.models import (
    Arrival,
    ArrivalStatus,
    ChildOffer,
    ChildStart,
    EventKind,
    FamilyFollowUp,
    FollowUpKind,
    HandOff,
    HomeKind,
    HouseholdType,
    IntegrationPlan,
    Origin,
    PlanStatus,
    ReceptionEvent,
    Task,
    TaskStatus,
)

HISTORY_DAYS = 730


def announce_granted(municipality: Organisation) -> int:
    """The centres' granted phases naming the municipality become its coming arrivals."""
    latest: dict[int, CasePhase] = {}
    for phase in (
        CasePhase.objects.filter(phase="granted", municipality=municipality)
        .order_by("person__household_id", "start")
        .select_related("person", "created_by")
    ):
        if phase.person.household_id not in latest:
            latest[phase.person.household_id] = phase
    made = 0
    for phase in latest.values():
        rule_date = calendar.handover_date(phase.start)
        if phase.handover_date is None or phase.handover_date > rule_date:
            phase.handover_date = rule_date
            CasePhase.objects.filter(pk=phase.pk).update(handover_date=phase.handover_date)
        if services.announce_from_phase(phase) is not None:
            made += 1
    return made


def _plan_history(rng: random.Random, handover: dt.date, today: dt.date) -> list[tuple]:
    """Believable steps of an adult's way to education or work, month by month."""
    steps = [("language_school", handover + dt.timedelta(days=rng.randint(7, 25)))]
    if rng.random() < 0.05:
        return [("health", handover + dt.timedelta(days=rng.randint(20, 90)))]
    state, month = "language_school", 2
    while True:
        day = calendar.add_months(handover, month) + dt.timedelta(days=rng.randint(0, 20))
        if day > today or month > 36:
            return steps
        p = rng.random()
        if state == "language_school":
            if p < 0.08:
                state = "internship"
            elif p < 0.10:
                state = "education"
            elif p < 0.12:
                state = "ordinary_job"
        elif state == "internship":
            if p < 0.12:
                state = "ordinary_job"
            elif p < 0.20:
                state = "wage_subsidy"
        elif state == "wage_subsidy":
            if p < 0.15:
                state = "ordinary_job"
        elif state == "ordinary_job":
            if p < 0.04:
                state = "self_supporting"
        else:
            return steps
        if state != steps[-1][0]:
            steps.append((state, day))
        month += 1


def create_reception_demo(
    municipality: Organisation, households: list[Household], *, seed: int = 2026
) -> dict:
    """Received arrivals over two years for ``households`` (the municipality's own)."""
    if Arrival.objects.filter(organisation=municipality, origin=Origin.IMPORT).exists():
        return {"created": False}
    rng = random.Random(seed)
    today = timezone.localdate()
    author = User.objects.filter(username="caseworker").first()
    services.ensure_checklist(municipality)
    arrivals = []
    members_of: dict[int, list[Person]] = {}
    for household in households:
        members = list(household.members.all())
        if not members:
            continue
        members_of[household.pk] = members
        decision = today - dt.timedelta(days=rng.randint(45, HISTORY_DAYS + 45))
        handover = calendar.handover_date(decision)
        if handover > today - dt.timedelta(days=7):
            handover = today - dt.timedelta(days=rng.randint(7, 40))
            decision = handover - dt.timedelta(days=40)
        ages = [age_on(m.date_of_birth, handover) for m in members]
        kind = checklist.household_type(ages)
        family = kind == HouseholdType.FAMILY
        permanent_first = rng.random() < (0.65 if family else 0.3)
        if permanent_first:
            first, permanent_from = HomeKind.PERMANENT, handover
        else:
            first = HomeKind.TEMPORARY
            moved = handover + dt.timedelta(days=rng.randint(45, 330))
            permanent_from = moved if moved <= today else None
        arrivals.append(
            Arrival(
                organisation=municipality,
                household=household,
                household_type=kind,
                origin=Origin.IMPORT,
                decision_date=decision,
                rule_handover_date=handover,
                handover_date=handover,
                status=ArrivalStatus.RECEIVED,
                persons=len(members),
                needs_accessible_housing=any(m.needs_accessible_housing for m in members),
                first_home=first,
                permanent_home_from=permanent_from,
                created_by=author,
            )
        )
    Arrival.objects.bulk_create(arrivals, batch_size=500)
    services.generate_tasks_many(arrivals, members_of)

    # Tasks: done mostly on time; recent arrivals keep some overdue ones open.
    tasks = list(Task.objects.filter(arrival__in=arrivals).select_related("arrival"))
    done, events = [], []
    for task in tasks:
        recent = (today - task.arrival.handover_date).days < 120
        if task.due_on > today or (recent and rng.random() < 0.15):
            continue
        task.status = TaskStatus.DONE
        task.done_on = min(today, task.due_on + dt.timedelta(days=rng.randint(-12, 6)))
        task.done_by, task.version = author, 2
        done.append(task)
    Task.objects.bulk_update(done, ["status", "done_on", "done_by", "version"], batch_size=500)
    open_recent = [t for t in tasks if t.status == TaskStatus.OPEN and t.due_on <= today]
    handoffs = []
    for task in rng.sample(open_recent, min(12, len(open_recent))):
        target = "job_centre" if task.department != "job_centre" else "citizen_service"
        sent = timezone.now() - dt.timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 8))
        handoffs.append(
            HandOff(
                task=task,
                organisation=municipality,
                from_department=task.department,
                to_department=target,
                note=rng.choice(
                    [
                        "Familien spørger til arbejde; far er uddannet elektriker.",
                        "Mangler tolk ved mødet; kan I booke?",
                        "Adressen er ikke klar endnu; vi venter på boligen.",
                    ]
                ),
                by=author,
                at=sent,
                acknowledged_at=sent + dt.timedelta(days=1) if rng.random() < 0.4 else None,
                acknowledged_by=author,
            )
        )
        task.department = target
    HandOff.objects.bulk_create(handoffs)
    Task.objects.bulk_update([h.task for h in handoffs], ["department"])

    # Plans for adults, children's start, family follow-ups, and the timeline.
    plans, statuses, starts, follow_ups = [], [], [], []
    for arrival in arrivals:
        for person in members_of[arrival.household_id]:
            age = age_on(person.date_of_birth, arrival.handover_date)
            if age is None or age >= ADULT_AGE:
                if age is not None and age >= 65:
                    continue
                plan = IntegrationPlan(
                    organisation=municipality,
                    person=person,
                    arrival=arrival,
                    contract_signed_on=min(
                        today, arrival.handover_date + dt.timedelta(days=rng.randint(10, 35))
                    ),
                    language_module=rng.randint(1, 4),
                )
                plans.append((plan, _plan_history(rng, arrival.handover_date, today)))
            elif age <= 16:
                school = age >= 6
                lag = rng.choices(
                    [rng.randint(5, 30), rng.randint(31, 90), None], weights=[72, 24, 4]
                )[0]
                started = (arrival.handover_date + dt.timedelta(days=lag)) if lag else None
                if started and started > today:
                    started = None
                offer = (
                    ChildOffer.RECEPTION_CLASS
                    if school and rng.random() < 0.6
                    else ChildOffer.SCHOOL
                    if school
                    else ChildOffer.DAYCARE
                )
                starts.append(
                    ChildStart(
                        organisation=municipality,
                        person=person,
                        arrival=arrival,
                        offer=offer,
                        place=rng.choice(["Vestbjerg Skole", "Løvvangskolen", "Sønderbro Skole"])
                        if school
                        else rng.choice(["Børnehuset Solsikken", "Vuggestuen Mælkebøtten"]),
                        started_on=started,
                        reception_class_until=calendar.add_months(started, 24)
                        if started and offer == ChildOffer.RECEPTION_CLASS
                        else None,
                    )
                )
                if started:
                    events.append(
                        ReceptionEvent(
                            organisation=municipality,
                            arrival=arrival,
                            kind=EventKind.CHILD_STARTED,
                            at=timezone.make_aware(dt.datetime.combine(started, dt.time(9))),
                            by=author,
                            text=person.name_latin,
                            code=offer,
                        )
                    )
        if arrival.household_type == HouseholdType.FAMILY:
            follow_ups.append(
                FamilyFollowUp(
                    organisation=municipality,
                    arrival=arrival,
                    kind=FollowUpKind.HEALTH_VISITOR,
                    on=min(today, arrival.handover_date + dt.timedelta(days=rng.randint(7, 30))),
                    created_by=author,
                )
            )
        events.append(
            ReceptionEvent(
                organisation=municipality,
                arrival=arrival,
                kind=EventKind.RECEIVED,
                at=timezone.make_aware(dt.datetime.combine(arrival.handover_date, dt.time(10))),
                by=author,
            )
        )
    IntegrationPlan.objects.bulk_create([p for p, _s in plans], batch_size=500)
    for plan, history in plans:
        for status, start in history:
            statuses.append(PlanStatus(plan=plan, status=status, start=start, created_by=author))
            events.append(
                ReceptionEvent(
                    organisation=municipality,
                    arrival=plan.arrival,
                    kind=EventKind.PLAN_STATUS,
                    at=timezone.make_aware(dt.datetime.combine(start, dt.time(11))),
                    by=author,
                    text=plan.person.name_latin,
                    code=status,
                )
            )
    PlanStatus.objects.bulk_create(statuses, batch_size=1000)
    ChildStart.objects.bulk_create(starts, batch_size=500)
    FamilyFollowUp.objects.bulk_create(follow_ups, batch_size=500)
    ReceptionEvent.objects.bulk_create(events, batch_size=1000)
    return {
        "created": True,
        "arrivals": len(arrivals),
        "tasks": len(tasks),
        "plans": len(plans),
        "children": len(starts),
    }
