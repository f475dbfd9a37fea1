"""Writes of concerns and follow-ups: permission in the concern's organisation, one
transaction, an audit event that is marked sensitive for health and self-harm."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ankomst import limits
from ankomst.accounts.models import Organisation, User
from ankomst.accounts.permissions import require_perm
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record, diff_changes
from ankomst.people.models import Person
from ankomst.records import update_record

from .models import SENSITIVE_CATEGORIES, Concern, ConcernCategory, FollowUp, FollowUpKind, Severity
from .selectors import owners_for


def _require(user, perm: Perm, organisation_id: int, *, sensitive: bool = False) -> None:
    require_perm(user, perm, organisation_id, also=Perm.VIEW_SENSITIVE if sensitive else None)


def _audit(
    concern: Concern,
    *,
    user,
    action: Action,
    summary: str,
    changes=None,
    request: HttpRequest | None = None,
) -> None:
    # The free texts of a concern are not copied into the log, only the fact that they changed;
    # health and self-harm concerns (Art. 9) are labelled as such.
    if changes:
        changes = {
            field: ["***", "***"] if field in ("description", "outcome") else value
            for field, value in changes.items()
        }
    if concern.is_sensitive:
        summary = f"Art. 9: {summary}"
    audit_record(
        user=user,
        action=action,
        obj=concern,
        person_id=concern.person_id,
        summary=summary,
        changes=changes,
        request=request,
    )


def _lock(concern: Concern) -> Concern:
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    if not locked.is_open:
        raise ValidationError(_("The concern is closed."))
    return locked


@transaction.atomic
def concern_create(
    *,
    user,
    organisation: Organisation,
    category: str,
    severity: str,
    description: str,
    person: Person | None = None,
    request: HttpRequest | None = None,
) -> Concern:
    _require(
        user, Perm.MANAGE_CONCERNS, organisation.pk, sensitive=category in SENSITIVE_CATEGORIES
    )
    if person is not None and person.organisation_id != organisation.pk:
        raise ValidationError({"person": _("The resident belongs to another organisation.")})
    if category not in ConcernCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose the severity.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened or was observed.")})
    concern = Concern.objects.create(
        organisation=organisation,
        person=person,
        category=category,
        severity=severity,
        description=description.strip(),
        reported_by=user,
    )
    _audit(
        concern,
        user=user,
        action=Action.CREATE,
        summary=f"Registered concern ({category}, {severity})",
        changes=diff_changes(
            {},
            {
                "category": category,
                "severity": severity,
                "description": concern.description,
                "person": person and person.pk,
            },
        ),
        request=request,
    )
    return concern


@transaction.atomic
def concern_update(
    *,
    user,
    concern: Concern,
    category: str,
    severity: str,
    description: str,
    request: HttpRequest | None = None,
) -> Concern:
    sensitive = category in SENSITIVE_CATEGORIES or concern.is_sensitive
    _require(user, Perm.MANAGE_CONCERNS, concern.organisation_id, sensitive=sensitive)
    locked = _lock(concern)
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened or was observed.")})
    changes = update_record(
        locked,
        {"category": category, "severity": severity, "description": description.strip()},
        clean_exclude=["person", "reported_by", "closed_by", "organisation"],
    )
    if changes:
        _audit(
            locked,
            user=user,
            action=Action.CHANGE,
            summary="Changed concern",
            changes=changes,
            request=request,
        )
    return locked


def _check_owner(owner: User, organisation_id: int) -> None:
    if not owners_for(organisation_id).filter(pk=owner.pk).exists():
        raise ValidationError(
            {"owner": _("Choose a colleague of the organisation who works with concerns.")}
        )


@transaction.atomic
def follow_up_add(
    *,
    user,
    concern: Concern,
    description: str,
    owner: User,
    due_on: dt.date,
    request: HttpRequest | None = None,
) -> FollowUp:
    _require(user, Perm.MANAGE_CONCERNS, concern.organisation_id, sensitive=concern.is_sensitive)
    locked = _lock(concern)
    _check_owner(owner, locked.organisation_id)
    errors: dict[str, list[str]] = {}
    limits.collect(errors, "due_on", limits.validate_record_date, due_on)
    if not description.strip():
        errors["description"] = [_("Say what is to be done.")]
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(
        concern=locked,
        kind=FollowUpKind.ACTION,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        created_by=user,
    )
    _audit(
        locked,
        user=user,
        action=Action.CHANGE,
        summary=f"Added follow-up for {owner.get_username()} due {due_on:%Y-%m-%d}",
        request=request,
    )
    return follow_up


@transaction.atomic
def police_report_add(
    *,
    user,
    concern: Concern,
    reported_on: dt.date,
    reference: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> FollowUp:
    """Record that the concern was reported to the police liaison (done at once)."""
    _require(user, Perm.MANAGE_CONCERNS, concern.organisation_id, sensitive=concern.is_sensitive)
    locked = _lock(concern)
    errors = {}
    if not reference.strip():
        errors["reference"] = _("Give the police reference number.")
    if reported_on > timezone.localdate():
        errors["reported_on"] = _("The report date cannot be in the future.")
    else:
        limits.collect(errors, "reported_on", limits.validate_past_date, reported_on)
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(
        concern=locked,
        kind=FollowUpKind.POLICE,
        description=note.strip() or _("Reported to the police liaison"),
        owner=user,
        due_on=reported_on,
        done_at=timezone.now(),
        police_reported_on=reported_on,
        police_reference=reference.strip(),
        created_by=user,
    )
    _audit(
        locked,
        user=user,
        action=Action.CHANGE,
        summary=f"Reported to the police liaison on {reported_on:%Y-%m-%d}, reference {reference.strip()}",
        request=request,
    )
    return follow_up


@transaction.atomic
def follow_up_done(*, user, follow_up: FollowUp, request: HttpRequest | None = None) -> FollowUp:
    concern = follow_up.concern
    _require(user, Perm.MANAGE_CONCERNS, concern.organisation_id, sensitive=concern.is_sensitive)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.done_at is None:
        locked.done_at = timezone.now()
        locked.save(update_fields=["done_at"])
        _audit(
            concern,
            user=user,
            action=Action.CHANGE,
            summary=f"Follow-up {locked.pk} done",
            request=request,
        )
    return locked


@transaction.atomic
def concern_close(
    *, user, concern: Concern, outcome: str, request: HttpRequest | None = None
) -> Concern:
    _require(user, Perm.MANAGE_CONCERNS, concern.organisation_id, sensitive=concern.is_sensitive)
    locked = _lock(concern)
    if not outcome.strip():
        raise ValidationError({"outcome": _("Describe the outcome before closing the concern.")})
    locked.outcome, locked.closed_at, locked.closed_by = outcome.strip(), timezone.now(), user
    locked.save(update_fields=["outcome", "closed_at", "closed_by"])
    _audit(
        locked,
        user=user,
        action=Action.CHANGE,
        summary="Closed concern",
        changes=diff_changes({"outcome": ""}, {"outcome": locked.outcome}),
        request=request,
    )
    return locked
