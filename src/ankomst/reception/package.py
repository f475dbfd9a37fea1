"""The centre's hand-over package, read by the receiving municipality through the arrival.

It is read from the operator's own records (never copied wholesale), and every read is
audited in both organisations: the municipality that read it and the operator whose records
were read. Health needs (Art. 9) are shown only with VIEW_SENSITIVE in the municipality; open
concerns are flagged by count, never by content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from ankomst.accounts.roles import Perm
from ankomst.activities.models import Attendance, ResidenceContract
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.casework.models import Concern
from ankomst.people.models import SensitiveData

from .models import Arrival

ATTENDANCE_WINDOW = dt.timedelta(days=90)


@dataclass
class MemberPackage:
    person: object
    languages: list
    contract: ResidenceContract | None
    present: int = 0
    absent: int = 0
    excused: int = 0
    health_notes: str | None = None  # None: not shown (no permission or nothing recorded)
    open_concerns: int = 0


@dataclass
class Package:
    arrival: Arrival
    members: list[MemberPackage] = field(default_factory=list)
    sensitive_shown: bool = False


def handover_package(user, arrival: Arrival, *, request=None) -> Package:
    package = Package(arrival=arrival)
    source = arrival.source_household
    if source is None:
        return package
    show_sensitive = user.has_perm_in(Perm.VIEW_SENSITIVE, arrival.organisation_id)
    people = list(source.members.prefetch_related("languages__language").order_by("pk"))
    ids = [p.pk for p in people]
    since = timezone.now() - ATTENDANCE_WINDOW
    attendance = {
        row["person_id"]: row
        for row in Attendance.objects.filter(person_id__in=ids, session__date__gte=since.date())
        .values("person_id")
        .annotate(
            present=Count("id", filter=Q(status="present")),
            absent=Count("id", filter=Q(status="absent")),
            excused=Count("id", filter=Q(status="excused")),
        )
    }
    contracts = {c.person_id: c for c in ResidenceContract.objects.filter(person_id__in=ids)}
    concerns = dict(
        Concern.objects.filter(person_id__in=ids, closed_at__isnull=True)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    health = (
        dict(
            SensitiveData.objects.filter(person_id__in=ids).values_list("person_id", "health_notes")
        )
        if show_sensitive
        else {}
    )
    for person in people:
        row = attendance.get(person.pk, {})
        package.members.append(
            MemberPackage(
                person=person,
                languages=list(person.languages.all()),
                contract=contracts.get(person.pk),
                present=row.get("present", 0),
                absent=row.get("absent", 0),
                excused=row.get("excused", 0),
                health_notes=health.get(person.pk) or None,
                open_concerns=concerns.get(person.pk, 0),
            )
        )
    package.sensitive_shown = show_sensitive
    action = Action.VIEW_SENSITIVE if show_sensitive else Action.VIEW
    for organisation_id in (arrival.organisation_id, source.organisation_id):
        audit_record(
            user=user,
            action=action,
            organisation_id=organisation_id,
            object_type="people.household",
            object_id=source.pk,
            summary=f"Hand-over package read for the arrival in {arrival.organisation.name}",
            request=request,
        )
    return package
