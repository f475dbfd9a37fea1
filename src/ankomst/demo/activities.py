"""Demo data for daily life in a centre: a week of teaching and activation at the demo
operator, enrolments, attendance so far this week, residence contracts and a few concerns.

Call after ``create_demo`` (it needs the operator and the users ``teacher`` and ``staff``).
Deterministic for a seed and idempotent: a second call finds the activities and does nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ankomst.accounts.models import Organisation, User
from ankomst.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    ContractStatus,
    Enrolment,
    ResidenceContract,
    Session,
)
from ankomst.activities.rules import adult_born_on_or_before
from ankomst.activities.selectors import asylum_application_dates
from ankomst.casework.models import Concern, ConcernCategory, FollowUp, FollowUpKind, Severity
from ankomst.people.models import Person

from .organisations import OPERATOR

# name, kind, place, teacher username, weekdays (0 = Monday), start, end, how many to enrol, who
ACTIVITIES = [
    (
        "Dansk modul 1",
        ActivityKind.DANISH,
        "Ranum, klasselokale 2",
        "teacher",
        (0, 1, 2, 3, 4),
        (9, 0),
        (12, 0),
        30,
        "adults",
    ),
    (
        "Engelsk samtale",
        ActivityKind.ENGLISH,
        "Ranum, klasselokale 3",
        "teacher",
        (1, 3),
        (13, 0),
        (15, 0),
        18,
        "adults",
    ),
    (
        "Skole 6–16, Ranum",
        ActivityKind.SCHOOL,
        "Ranum, skolefløjen",
        "teacher",
        (0, 1, 2, 3, 4),
        (8, 30),
        (13, 30),
        40,
        "children",
    ),
    (
        "Asylkursus",
        ActivityKind.ASYLUM_COURSE,
        "Ranum, salen",
        "teacher",
        (2,),
        (10, 0),
        (12, 0),
        25,
        "adults",
    ),
    (
        "Køkken- og rengøringshold",
        ActivityKind.INTERNAL_TASKS,
        "Ranum, fælleskøkkenet",
        "staff",
        (0, 1, 2, 3, 4),
        (13, 0),
        (15, 0),
        15,
        "adults",
    ),
    (
        "Praktik i Vesthimmerlands planteskole",
        ActivityKind.INTERNSHIP,
        "Aars",
        "staff",
        (1, 3),
        (8, 0),
        (14, 0),
        4,
        "adults",
    ),
    (
        "Fodbold",
        ActivityKind.LEISURE,
        "Ranum stadion",
        "staff",
        (3,),
        (16, 0),
        (18, 0),
        20,
        "adults",
    ),
    (
        "Sundhedsinformation: det danske sundhedsvæsen",
        ActivityKind.HEALTH_INFORMATION,
        "Ranum, salen",
        "teacher",
        (4,),
        (10, 0),
        (11, 0),
        20,
        "adults",
    ),
]
EXCUSES = [
    "Syg",
    "Læge- eller hospitalsaftale",
    "Samtale i Udlændingestyrelsen",
    "Møde med advokat",
    "Barn syg",
]
CONCERNS = [
    # category, severity, description, with a person, follow-ups (description, due in days, done), police, closed
    (
        ConcernCategory.CONFLICT,
        Severity.MEDIUM,
        "Gentagne højlydte skænderier mellem to værelseskammerater om rengøring.",
        True,
        [("Tal med begge beboere med tolk", -3, False)],
        False,
        "",
    ),
    (
        ConcernCategory.VIOLENCE,
        Severity.HIGH,
        "En beboer skubbede en anden i kantinekøen; mindre skade.",
        True,
        [("Opfølgende samtale med den skadede beboer", 2, False)],
        True,
        "",
    ),
    (
        ConcernCategory.SUSPECTED_CRIME,
        Severity.MEDIUM,
        "Cykler forsvinder fra skuret om natten.",
        False,
        [("Bed driften om at sætte lås og lys op", 5, False)],
        False,
        "",
    ),
    (
        ConcernCategory.RADICALISATION,
        Severity.LOW,
        "Personalet fandt løbesedler i et fællesrum; ukendt afsender.",
        False,
        [("Rådfør med kommunens forebyggelseskontakt", -10, True)],
        False,
        "Løbesedlerne var fra en lovlig forening; ingen bekymring tilbage.",
    ),
    (
        ConcernCategory.SELF_HARM,
        Severity.CRITICAL,
        "En ung beboer sagde, at han ikke ser nogen mening med at fortsætte.",
        True,
        [("Kontakt centrets sygeplejerske og psykolog i dag", 0, False)],
        False,
        "",
    ),
]


@dataclass
class ActivitiesDemoResult:
    created: bool
    activities: int = 0
    sessions: int = 0
    enrolments: int = 0
    attendances: int = 0
    contracts: int = 0
    concerns: int = 0


@transaction.atomic
def create_activities_demo(*, seed: int = 2026) -> ActivitiesDemoResult:
    operator = Organisation.objects.filter(name=OPERATOR).first()
    users = {u.username: u for u in User.objects.filter(username__in=["teacher", "staff"])}
    if (
        operator is None
        or "teacher" not in users
        or Activity.objects.filter(organisation=operator).exists()
    ):
        return ActivitiesDemoResult(created=False)
    staff = users.get("staff", users["teacher"])
    rng = random.Random(seed)
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    adult_cutoff = adult_born_on_or_before(today)
    residents = list(
        Person.objects.filter(organisation=operator, date_of_birth__isnull=False).order_by("id")
    )
    adults = [p for p in residents if p.date_of_birth <= adult_cutoff]
    children = [p for p in residents if 6 <= (p.age(today) or 0) <= 16]

    activities, sessions, enrolments = [], [], []
    for name, kind, place, teacher_name, weekdays, start, end, size, who in ACTIVITIES:
        teacher = users.get(teacher_name, staff)
        activity = Activity(
            organisation=operator, kind=kind, name=name, place=place, teacher=teacher
        )
        activities.append(activity)
        pool = adults if who == "adults" else children
        members = rng.sample(pool, min(size, len(pool)))
        enrolments.append((activity, members))
        for weekday in weekdays:
            sessions.append(
                Session(
                    activity=activity,
                    date=monday + dt.timedelta(days=weekday),
                    starts_at=dt.time(*start),
                    ends_at=dt.time(*end),
                    place=place,
                    teacher=teacher,
                )
            )
    Activity.objects.bulk_create(activities)
    for session in sessions:
        session.activity_id = session.activity.pk
    Session.objects.bulk_create(sessions)
    enrolment_rows = [
        Enrolment(activity=activity, person=person, enrolled_on=monday - dt.timedelta(days=14))
        for activity, members in enrolments
        for person in members
    ]
    Enrolment.objects.bulk_create(enrolment_rows)

    # Attendance for the sessions already held this week; today's are left for the teacher to take.
    members_of = {activity.pk: members for activity, members in enrolments}
    marks = []
    for session in sessions:
        if session.date >= today:
            continue
        for person in members_of[session.activity_id]:
            draw = rng.random()
            if draw < 0.8:
                marks.append(
                    Attendance(
                        session=session,
                        person=person,
                        status=AttendanceStatus.PRESENT,
                        marked_by=session.teacher,
                    )
                )
            elif draw < 0.92:
                marks.append(
                    Attendance(
                        session=session,
                        person=person,
                        status=AttendanceStatus.ABSENT,
                        marked_by=session.teacher,
                    )
                )
            else:
                marks.append(
                    Attendance(
                        session=session,
                        person=person,
                        status=AttendanceStatus.EXCUSED,
                        reason=rng.choice(EXCUSES),
                        marked_by=session.teacher,
                    )
                )
    Attendance.objects.bulk_create(marks, batch_size=1000)

    contracts = _contracts(rng, operator, adults, staff, today)
    concerns = _concerns(rng, operator, adults, staff, today)
    return ActivitiesDemoResult(
        created=True,
        activities=len(activities),
        sessions=len(sessions),
        enrolments=len(enrolment_rows),
        attendances=len(marks),
        contracts=contracts,
        concerns=concerns,
    )


def _contracts(
    rng: random.Random, operator: Organisation, adults: list[Person], staff: User, today: dt.date
) -> int:
    """Contracts for most adults, signed within days of the application.

    Those who arrived in the last weeks are often still without one (some past the
    7-day deadline); of those who came earlier, a few were missed and show as breaches.
    """
    applied = asylum_application_dates(adults)
    rows = []
    for person in adults:
        registered = applied[person.pk]
        recent = (today - registered).days < 21
        # Recent arrivals: half have no contract yet; earlier ones: about one in twenty-five.
        draw = rng.random() * (1.7 if recent else 0.92)
        if draw < 0.82:
            rows.append(
                ResidenceContract(
                    organisation=operator,
                    person=person,
                    status=ContractStatus.SIGNED,
                    signed_on=min(today, registered + dt.timedelta(days=rng.randint(1, 6))),
                    hours_per_week=Decimal(rng.choice([15, 18, 20, 25, 30])),
                    covers=rng.choice(
                        [
                            "Danskundervisning 3 × 3 timer, køkkenhold",
                            "Danskundervisning, asylkursus, rengøring af fællesrum",
                            "Engelsk samtale, praktik",
                        ]
                    ),
                    sanctions="Unexcused absence reduces the cash allowance; repeated absence can end the supplement.",
                    updated_by=staff,
                )
            )
        elif draw < 0.85:
            rows.append(
                ResidenceContract(
                    organisation=operator,
                    person=person,
                    status=ContractStatus.BROKEN,
                    signed_on=min(today, registered + dt.timedelta(days=3)),
                    hours_per_week=Decimal(20),
                    covers="Danskundervisning, køkkenhold",
                    sanctions="Allowance reduced after repeated absence.",
                    updated_by=staff,
                )
            )
        elif draw < 0.88:
            rows.append(
                ResidenceContract(
                    organisation=operator,
                    person=person,
                    status=ContractStatus.NOT_REQUIRED,
                    not_required_reason="Finally refused; awaiting departure.",
                    updated_by=staff,
                )
            )
    ResidenceContract.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _concerns(
    rng: random.Random, operator: Organisation, adults: list[Person], staff: User, today: dt.date
) -> int:
    now = timezone.now()
    for category, severity, description, about_person, follow_ups, police, outcome in CONCERNS:
        person = rng.choice(adults) if about_person and adults else None
        concern = Concern.objects.create(
            organisation=operator,
            person=person,
            category=category,
            severity=severity,
            description=description,
            reported_by=staff,
            closed_at=now if outcome else None,
            closed_by=staff if outcome else None,
            outcome=outcome,
        )
        for text, due_in, done in follow_ups:
            FollowUp.objects.create(
                concern=concern,
                description=text,
                owner=staff,
                created_by=staff,
                due_on=today + dt.timedelta(days=due_in),
                done_at=now if done else None,
            )
        if police:
            FollowUp.objects.create(
                concern=concern,
                kind=FollowUpKind.POLICE,
                owner=staff,
                created_by=staff,
                description="Reported to the police liaison officer of the centre.",
                due_on=today - dt.timedelta(days=1),
                done_at=now,
                police_reported_on=today - dt.timedelta(days=1),
                police_reference=f"4100-{rng.randint(10000, 99999)}-00{rng.randint(10, 99)}-26",
            )
    return len(CONCERNS)
