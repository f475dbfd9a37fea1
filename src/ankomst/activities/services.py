"""Writes of activities, sessions, enrolment, attendance and residence contracts.

Each function checks the permission in the record's organisation, validates,
writes in one transaction and leaves an audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ankomst.accounts.models import Membership, Organisation, User
from ankomst.accounts.permissions import require_perm
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record, diff_changes
from ankomst.people.models import Person
from ankomst.records import update_record

from .models import (
    Activity,
    Attendance,
    AttendanceStatus,
    ContractStatus,
    Enrolment,
    ResidenceContract,
    Session,
)
from .selectors import enrolled_persons

ACTIVITY_FIELDS = ("kind", "name", "description", "place", "teacher", "active")
SESSION_FIELDS = ("date", "starts_at", "ends_at", "place", "teacher", "cancelled")
CONTRACT_FIELDS = (
    "status",
    "signed_on",
    "hours_per_week",
    "covers",
    "sanctions",
    "not_required_reason",
)


def _check_member(user: User | None, organisation_id: int, field: str) -> None:
    if user is None:
        return
    if not Membership.objects.filter(
        user=user, organisation_id=organisation_id, active=True
    ).exists():
        raise ValidationError(
            {field: _("Choose someone who works in the organisation of the activity.")}
        )


# Activities and sessions --------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *, user, organisation: Organisation, fields: dict[str, Any], request: HttpRequest | None = None
) -> Activity:
    require_perm(user, Perm.MANAGE_ACTIVITIES, organisation.pk)
    activity = Activity(organisation=organisation, **fields)
    _check_member(activity.teacher, organisation.pk, "teacher")
    activity.full_clean()
    activity.save()
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=activity,
        summary=f"Created activity {activity.name}",
        changes=diff_changes({}, model_to_dict(activity, fields=ACTIVITY_FIELDS)),
        request=request,
    )
    return activity


@transaction.atomic
def activity_update(
    *, user, activity: Activity, fields: dict[str, Any], request: HttpRequest | None = None
) -> Activity:
    require_perm(user, Perm.MANAGE_ACTIVITIES, activity.organisation_id)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    changes = update_record(
        locked,
        {name: fields[name] for name in ACTIVITY_FIELDS if name in fields},
        check=lambda a: _check_member(a.teacher, a.organisation_id, "teacher"),
    )
    if changes:
        audit_record(
            user=user,
            action=Action.CHANGE,
            obj=locked,
            summary=f"Changed activity {locked.name}",
            changes=changes,
            request=request,
        )
    return locked


@transaction.atomic
def session_create(
    *,
    user,
    activity: Activity,
    date: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    place: str = "",
    teacher: User | None = None,
    request: HttpRequest | None = None,
) -> Session:
    require_perm(user, Perm.MANAGE_ACTIVITIES, activity.organisation_id)
    teacher = teacher or activity.teacher
    if teacher is None:
        raise ValidationError({"teacher": _("Choose the teacher of the session.")})
    _check_member(teacher, activity.organisation_id, "teacher")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    session = Session(
        activity=activity,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place or activity.place,
        teacher=teacher,
    )
    session.full_clean()
    session.save()
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=session,
        organisation_id=activity.organisation_id,
        summary=f"Scheduled session {session}",
        request=request,
    )
    return session


@transaction.atomic
def session_update(
    *, user, session: Session, fields: dict[str, Any], request: HttpRequest | None = None
) -> Session:
    require_perm(user, Perm.MANAGE_ACTIVITIES, session.activity.organisation_id)
    locked = Session.objects.select_for_update().select_related("activity").get(pk=session.pk)

    def check(s: Session) -> None:
        _check_member(s.teacher, s.activity.organisation_id, "teacher")
        if s.ends_at <= s.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})

    changes = update_record(
        locked, {name: fields[name] for name in SESSION_FIELDS if name in fields}, check=check
    )
    if changes:
        audit_record(
            user=user,
            action=Action.CHANGE,
            obj=locked,
            organisation_id=locked.activity.organisation_id,
            summary=f"Changed session {locked}",
            changes=changes,
            request=request,
        )
    return locked


# Enrolment ----------------------------------------------------------------------------------


@transaction.atomic
def enrol(
    *,
    user,
    activity: Activity,
    person: Person,
    on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Enrolment:
    """Enrol ``person`` from ``on`` (today by default); re-enrolling someone who left reopens the row."""
    require_perm(user, Perm.MANAGE_ACTIVITIES, activity.organisation_id)
    if person.organisation_id != activity.organisation_id:
        raise ValidationError(
            _("Only residents of the activity's own organisation can be enrolled.")
        )
    on = on or timezone.localdate()
    enrolment, created = Enrolment.objects.select_for_update().get_or_create(
        activity=activity, person=person, defaults={"enrolled_on": on}
    )
    if not created:
        if enrolment.ended_on is None:
            raise ValidationError(_("%(name)s is already enrolled.") % {"name": person.name_latin})
        enrolment.enrolled_on, enrolment.ended_on = on, None
        enrolment.save(update_fields=["enrolled_on", "ended_on"])
    audit_record(
        user=user,
        action=Action.CREATE if created else Action.CHANGE,
        obj=enrolment,
        person_id=person.pk,
        organisation_id=activity.organisation_id,
        summary=f"Enrolled in {activity.name} from {on:%Y-%m-%d}",
        request=request,
    )
    return enrolment


@transaction.atomic
def enrolment_end(
    *, user, enrolment: Enrolment, on: dt.date | None = None, request: HttpRequest | None = None
) -> Enrolment:
    require_perm(user, Perm.MANAGE_ACTIVITIES, enrolment.activity.organisation_id)
    locked = Enrolment.objects.select_for_update().select_related("activity").get(pk=enrolment.pk)
    on = on or timezone.localdate()
    if on < locked.enrolled_on:
        raise ValidationError(_("An enrolment cannot end before it starts."))
    locked.ended_on = on
    locked.save(update_fields=["ended_on"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        person_id=locked.person_id,
        organisation_id=locked.activity.organisation_id,
        summary=f"Left {locked.activity.name} on {on:%Y-%m-%d}",
        request=request,
    )
    return locked


# Attendance ---------------------------------------------------------------------------------


@transaction.atomic
def attendance_mark(
    *,
    user,
    session: Session,
    person: Person,
    status: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Attendance:
    """Record one tap on the class list: present, absent, or excused with a reason.

    The caller has fetched ``session`` through ``session_get``, so a teacher can only
    reach their own sessions. The session row is locked and the mark written with
    ``update_or_create`` against the unique (session, person) constraint, so two
    taps at the same moment leave one mark, the later one.
    """
    organisation_id = session.activity.organisation_id
    require_perm(user, Perm.TAKE_ATTENDANCE, organisation_id)
    locked = Session.objects.select_for_update().select_related("activity").get(pk=session.pk)
    if locked.cancelled:
        raise ValidationError(_("The session is cancelled; attendance cannot be taken."))
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose present, absent or excused.")})
    reason = reason.strip()
    if status == AttendanceStatus.EXCUSED and not reason:
        raise ValidationError({"reason": _("Write the reason for the excused absence.")})
    if status == AttendanceStatus.PRESENT:
        reason = ""
    if person.organisation_id != organisation_id:
        raise ValidationError(_("The person is not on the class list of this session."))
    on_list = (
        enrolled_persons(locked.activity, locked.date).filter(pk=person.pk).exists()
        or locked.attendances.filter(person=person).exists()
    )
    if not on_list:
        raise ValidationError(_("The person is not on the class list of this session."))
    previous = locked.attendances.filter(person=person).values("status", "reason").first() or {}
    try:
        with transaction.atomic():
            mark, created = Attendance.objects.update_or_create(
                session=locked,
                person=person,
                defaults={"status": status, "reason": reason, "marked_by": user},
            )
    except IntegrityError:
        # A parallel first tap inserted the row between our read and insert: update it.
        mark = Attendance.objects.select_for_update().get(session=locked, person=person)
        mark.status, mark.reason, mark.marked_by = status, reason, user
        mark.save(update_fields=["status", "reason", "marked_by", "marked_at"])
        created = False
    changes = diff_changes(previous, {"status": status, "reason": reason})
    if changes:
        audit_record(
            user=user,
            action=Action.CREATE if created else Action.CHANGE,
            obj=mark,
            person_id=person.pk,
            organisation_id=organisation_id,
            summary=f"Marked {status} in {locked}",
            changes=changes,
            request=request,
        )
    return mark


# Residence contracts ------------------------------------------------------------------------


@transaction.atomic
def contract_save(
    *,
    user,
    person: Person,
    status: str,
    signed_on: dt.date | None = None,
    hours_per_week: Decimal | None = None,
    covers: str = "",
    sanctions: str = "",
    not_required_reason: str = "",
    request: HttpRequest | None = None,
) -> ResidenceContract:
    """Create or change the residence contract of ``person`` (one per person)."""
    require_perm(user, Perm.MANAGE_ACTIVITIES, person.organisation_id)
    errors: dict[str, str] = {}
    if status in (ContractStatus.SIGNED, ContractStatus.BROKEN):
        if signed_on is None:
            errors["signed_on"] = _("Give the date the contract was signed.")
        elif signed_on > timezone.localdate():
            errors["signed_on"] = _("The signing date cannot be in the future.")
        if hours_per_week is None:
            errors["hours_per_week"] = _("Give the hours per week agreed in the contract.")
        if not covers.strip():
            errors["covers"] = _("Describe the tasks, teaching and activation the contract covers.")
        not_required_reason = ""
    elif status == ContractStatus.NOT_REQUIRED:
        if not not_required_reason.strip():
            errors["not_required_reason"] = _(
                "Say why no contract is required, e.g. finally refused."
            )
    else:
        errors["status"] = _("Choose the status of the contract.")
    if errors:
        raise ValidationError(errors)
    contract = ResidenceContract.objects.select_for_update().filter(person=person).first()
    before = model_to_dict(contract, fields=CONTRACT_FIELDS) if contract else {}
    if contract is None:
        contract = ResidenceContract(person=person, organisation_id=person.organisation_id)
    contract.status, contract.signed_on, contract.hours_per_week = status, signed_on, hours_per_week
    contract.covers, contract.sanctions = covers.strip(), sanctions.strip()
    contract.not_required_reason = not_required_reason.strip()
    contract.updated_by = user
    contract.full_clean(exclude=["person"])
    created = contract.pk is None
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:  # a colleague recorded the contract at the same moment
        raise ValidationError(
            _("The contract was recorded by someone else meanwhile; open it again.")
        ) from exc
    changes = diff_changes(before, model_to_dict(contract, fields=CONTRACT_FIELDS))
    if changes:
        audit_record(
            user=user,
            action=Action.CREATE if created else Action.CHANGE,
            obj=contract,
            person_id=person.pk,
            summary="Recorded residence contract" if created else "Changed residence contract",
            changes=changes,
            request=request,
        )
    return contract
