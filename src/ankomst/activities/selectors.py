"""Reads of activities, class lists, attendance and contracts, scoped by organisation.

A user with ``VIEW_ALL_ACTIVITIES`` in an organisation sees all its sessions; a
user with only ``VIEW_ACTIVITIES`` there (a teacher) sees the sessions they teach.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone

from ankomst.accounts.models import Organisation, OrganisationKind, User
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.centres.models import CasePhase, Phase, Stay
from ankomst.centres.selectors import first_phase_dates
from ankomst.people.models import Person

from . import rules
from .models import Activity, Attendance, AttendanceStatus, Enrolment, ResidenceContract, Session

# Activities and sessions --------------------------------------------------------------------


def activities_visible_to(user, perm: Perm = Perm.VIEW_ALL_ACTIVITIES) -> QuerySet[Activity]:
    return Activity.objects.filter(organisation_id__in=user.organisation_ids(perm))


def sessions_visible_to(user) -> QuerySet[Session]:
    """All sessions of the organisations where the user sees everything, plus those they teach."""
    every = user.organisation_ids(Perm.VIEW_ALL_ACTIVITIES)
    own = user.organisation_ids(Perm.VIEW_ACTIVITIES)
    return Session.objects.filter(
        Q(activity__organisation_id__in=every) | Q(activity__organisation_id__in=own, teacher=user)
    )


def activity_get(
    user, pk: int, *, perm: Perm = Perm.VIEW_ALL_ACTIVITIES, request: HttpRequest | None = None
) -> Activity:
    activity = (
        activities_visible_to(user, perm)
        .select_related("organisation", "teacher")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise refuse(user, request=request, model=Activity, pk=pk, not_found=True)
    return activity


def session_get(user, pk: int, *, request: HttpRequest | None = None) -> Session:
    session = (
        sessions_visible_to(user)
        .select_related("activity__organisation", "teacher")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise refuse(
            user,
            request=request,
            model=Session,
            pk=pk,
            organisation_field="activity__organisation_id",
            not_found=True,
        )
    return session


def sessions_between(user, start: dt.date, end: dt.date) -> QuerySet[Session]:
    return (
        sessions_visible_to(user)
        .filter(date__gte=start, date__lte=end)
        .select_related("activity", "teacher")
        .annotate(marked=Count("attendances"))
        .order_by("date", "starts_at", "activity__name")
    )


def enrolled_persons(activity: Activity, on: dt.date) -> QuerySet[Person]:
    """The persons enrolled in ``activity`` on the day ``on``, by name."""
    return (
        Person.objects.filter(
            enrolments__activity=activity,
            enrolments__enrolled_on__lte=on,
        )
        .filter(Q(enrolments__ended_on__isnull=True) | Q(enrolments__ended_on__gte=on))
        .distinct()
    )


def enrolments_of(activity: Activity) -> QuerySet[Enrolment]:
    return activity.enrolments.select_related("person").order_by("person__name_latin", "id")


@dataclass
class ClassListRow:
    person: Person
    attendance: Attendance | None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""


def class_list(user, session: Session, *, request: HttpRequest | None = None) -> list[ClassListRow]:
    """The learners of a session with their marks: those enrolled that day and anyone already marked.

    Opening a class list shows names of residents, so it is audited once per opening.
    """
    marks = {a.person_id: a for a in session.attendances.all()}
    persons = list(
        Person.objects.filter(
            Q(pk__in=enrolled_persons(session.activity, session.date).values("pk"))
            | Q(pk__in=marks.keys())
        ).order_by("name_latin", "id")
    )
    audit_record(
        user=user,
        action=Action.VIEW,
        obj=session,
        organisation_id=session.activity.organisation_id,
        summary=f"Viewed the class list of {session} ({len(persons)} persons)",
        request=request,
    )
    return [ClassListRow(person=p, attendance=marks.get(p.pk)) for p in persons]


def class_list_size(session: Session) -> int:
    return Person.objects.filter(
        Q(pk__in=enrolled_persons(session.activity, session.date).values("pk"))
        | Q(pk__in=session.attendances.values("person_id"))
    ).count()


def attendance_counts(session: Session, total: int) -> dict[str, int]:
    counts = dict(session.attendances.values_list("status").order_by().annotate(n=Count("id")))
    result = {status: counts.get(status, 0) for status in AttendanceStatus.values}
    result["unmarked"] = total - sum(result.values())
    return result


def teachers_of(organisation_id: int) -> QuerySet[User]:
    """Users who may be named teacher of a session: active members of the organisation."""
    return (
        User.objects.filter(
            memberships__organisation_id=organisation_id, memberships__active=True, is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# For the allowance side ---------------------------------------------------------------------


def unexcused_absence_days(
    person_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, int]:
    """Days in ``start``–``end`` (inclusive) on which each person missed a session without excuse.

    Counted in days, not sessions, as the allowance is reduced per day of absence:
    missing both the morning and the afternoon class is one absence day. Cancelled
    sessions never count. Persons without absences are in the result with 0.

    Not scoped to a user: the allowance run calls it for persons it has already
    selected through its own scoped selector. ``person_ids`` may be a queryset of ids,
    which is then read as a subquery (and only persons with absences are in the result).
    """
    if isinstance(person_ids, QuerySet):
        ids, result = person_ids, {}
    else:
        ids = list(person_ids)
        result = dict.fromkeys(ids, 0)
    rows = (
        Attendance.objects.filter(
            person_id__in=ids,
            status=AttendanceStatus.ABSENT,
            session__date__gte=start,
            session__date__lte=end,
            session__cancelled=False,
        )
        .values("person_id")
        .annotate(days=Count("session__date", distinct=True))
    )
    for row in rows:
        result[row["person_id"]] = row["days"]
    return result


def attended_hours(person_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """Hours of sessions each person was marked present at in ``start``–``end`` (inclusive)."""
    ids = list(person_ids)
    result: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for person_id in ids:
        result[person_id] = Decimal("0.00")
    marks = Attendance.objects.filter(
        person_id__in=ids,
        status=AttendanceStatus.PRESENT,
        session__date__gte=start,
        session__date__lte=end,
        session__cancelled=False,
    ).select_related("session")
    for mark in marks:
        result[mark.person_id] += mark.session.hours
    return dict(result)


# Residence contracts ------------------------------------------------------------------------


def asylum_application_date(person: Person) -> dt.date:
    """The date a person applied for asylum, from which the contract deadline runs.

    The start of the person's first case phase (registration); for persons
    without any case phase, the day they were registered in Ankomst.
    """
    return asylum_application_dates([person])[person.pk]


def asylum_application_dates(persons: Iterable[Person]) -> dict[int, dt.date]:
    """``asylum_application_date`` for many persons at once (see there)."""
    persons = list(persons)
    first = first_phase_dates([p.pk for p in persons])
    return {p.pk: first.get(p.pk) or timezone.localdate(p.created_at) for p in persons}


def contracts_visible_to(user) -> QuerySet[ResidenceContract]:
    return ResidenceContract.objects.filter(
        organisation_id__in=user.organisation_ids(Perm.VIEW_ALL_ACTIVITIES)
    )


@dataclass
class MissingContract:
    person: Person
    age: int
    due: rules.ContractDue
    activation: tuple[bool, str]


def adults_without_contract(user, today: dt.date | None = None) -> list[MissingContract]:
    """Adult residents of the user's centre operators without a residence contract, breaches first.

    Only persons living at a centre now; contracts are a duty of the centre
    operator, and not for finally refused persons (Udlændingeloven § 42 c;
    nyidanmark.dk). Persons without a date of birth cannot be judged adult and are
    left out.
    """
    today = today or timezone.localdate()
    organisation_ids = user.organisation_ids(Perm.VIEW_ALL_ACTIVITIES)
    latest_phase = (
        CasePhase.objects.filter(person=OuterRef("pk"))
        .order_by("-start", "-id")
        .values("phase")[:1]
    )
    current_centre = Stay.objects.filter(person=OuterRef("pk"), end__isnull=True).values(
        "bed__room__building__centre__centre_type"
    )[:1]
    persons = list(
        Person.objects.filter(
            organisation_id__in=organisation_ids,
            organisation__kind=OrganisationKind.CENTRE_OPERATOR,
            date_of_birth__lte=rules.adult_born_on_or_before(today),
            residence_contract__isnull=True,
            stays__end__isnull=True,
        )
        .annotate(phase=Subquery(latest_phase), centre_type=Subquery(current_centre))
        .exclude(phase=Phase.FINALLY_REFUSED)
        .select_related("household")
        .distinct()
    )
    applied = asylum_application_dates(persons)
    rows = []
    for p in persons:
        due = rules.contract_due(applied[p.pk], today)
        age = p.age(today)
        rows.append(
            MissingContract(
                person=p,
                age=age,
                due=due,
                activation=rules.activation_required(
                    age, p.centre_type, due.days_since_application
                ),
            )
        )
    rows.sort(
        key=lambda r: (
            not r.due.breach,
            -r.due.days_since_application,
            r.person.name_latin,
            r.person.pk,
        )
    )
    return rows


def contract_for(person: Person) -> ResidenceContract | None:
    return ResidenceContract.objects.filter(person=person).first()


def contract_counts(user) -> dict[str, int]:
    """Contracts per status in the user's organisations (aggregates, not audited)."""
    return dict(contracts_visible_to(user).values_list("status").order_by().annotate(n=Count("id")))


def persons_for_enrolment(user, activity: Activity) -> QuerySet[Person]:
    """Residents who may be enrolled in ``activity``: those of its organisation only."""
    return Person.objects.filter(organisation_id=activity.organisation_id).filter(
        organisation_id__in=user.organisation_ids(Perm.MANAGE_ACTIVITIES)
    )


def current_centre_type(person: Person) -> str | None:
    """The type of the centre where the person has a bed now (None without one)."""
    return (
        Stay.objects.filter(person=person, end__isnull=True)
        .values_list("bed__room__building__centre__centre_type", flat=True)
        .first()
    )


def teachers_in(organisations: QuerySet[Organisation]) -> QuerySet[User]:
    """Active members of the organisations, the choices for an activity's usual teacher."""
    return (
        User.objects.filter(
            memberships__organisation__in=organisations, memberships__active=True, is_active=True
        )
        .distinct()
        .order_by("first_name", "username")
    )


def enrolment_get(user, pk: int) -> Enrolment:
    """An enrolment in an activity the user manages, or 404."""
    enrolment = (
        Enrolment.objects.select_related("activity", "person")
        .filter(pk=pk, activity__in=activities_visible_to(user, Perm.MANAGE_ACTIVITIES))
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def learner_get(session: Session, person_id: int) -> Person:
    """A resident of the session's organisation, or 404.

    ``session`` was fetched through ``session_get``, which scopes it to the user; whether
    the person is on the class list is the service's check.
    """
    person = Person.objects.filter(
        organisation_id=session.activity.organisation_id, pk=person_id
    ).first()
    if person is None:
        raise Http404
    return person


def person_for_enrolment(user, activity: Activity, person_id: int) -> Person:
    """One of ``persons_for_enrolment``, or 404."""
    person = persons_for_enrolment(user, activity).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def upcoming_sessions(activity: Activity, today: dt.date):
    return activity.sessions.filter(date__gte=today).select_related("teacher")[:20]


def recent_sessions(activity: Activity, today: dt.date):
    return activity.sessions.filter(date__lt=today).select_related("teacher").order_by("-date")[:10]
