"""Reads of concerns, scoped by organisation and, for Art. 9 categories, by ``VIEW_SENSITIVE``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest
from django.utils import timezone

from ankomst.accounts.models import User
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import ROLE_PERMISSIONS, Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.people.models import IdentifierKind, Person, PersonIdentifier

from .models import SENSITIVE_CATEGORIES, SEVERITY_RANK, Concern, FollowUp


def concerns_visible_to(user, perm: Perm = Perm.VIEW_CONCERNS) -> QuerySet[Concern]:
    """Concerns of the user's organisations; health and self-harm only where Art. 9 may be read."""
    organisation_ids = user.organisation_ids(perm)
    sensitive_ids = organisation_ids & user.organisation_ids(Perm.VIEW_SENSITIVE)
    return Concern.objects.filter(organisation_id__in=organisation_ids).filter(
        ~Q(category__in=SENSITIVE_CATEGORIES) | Q(organisation_id__in=sensitive_ids)
    )


def _with_overdue(concerns: QuerySet[Concern], today: dt.date) -> QuerySet[Concern]:
    open_follow_ups = Q(follow_ups__done_at__isnull=True)
    return concerns.annotate(
        overdue=Count(
            "follow_ups", filter=open_follow_ups & Q(follow_ups__due_on__lt=today), distinct=True
        ),
        open_follow_ups=Count("follow_ups", filter=open_follow_ups, distinct=True),
        next_due=Min("follow_ups__due_on", filter=open_follow_ups),
        severity_rank=Case(
            *[When(severity=s, then=Value(r)) for s, r in SEVERITY_RANK.items()],
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def concern_list(
    user, *, closed: bool = False, today: dt.date | None = None, request: HttpRequest | None = None
) -> list[Concern]:
    """Open (or closed) concerns; those with overdue follow-ups first, then by severity.

    The list names residents and categories, so showing it is audited.
    """
    today = today or timezone.localdate()
    concerns = _with_overdue(concerns_visible_to(user), today).filter(closed_at__isnull=not closed)
    if closed:
        concerns = concerns.order_by("-closed_at", "-id")
    else:
        concerns = concerns.order_by(
            Case(When(overdue__gt=0, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "-severity_rank",
            "next_due",
            "-created_at",
            "-id",
        )
    rows = list(concerns.select_related("person", "reported_by"))
    if rows:
        sensitive = any(c.is_sensitive for c in rows)
        audit_record(
            user=user,
            action=Action.VIEW_SENSITIVE if sensitive else Action.VIEW,
            object_type="casework.concern",
            organisation_id=user.primary_organisation.pk if user.primary_organisation else None,
            summary=f"Viewed the list of {'closed' if closed else 'open'} concerns ({len(rows)})",
            request=request,
        )
    return rows


def concern_get(
    user,
    pk: int,
    *,
    perm: Perm = Perm.VIEW_CONCERNS,
    request: HttpRequest | None = None,
    audit: bool = True,
    today: dt.date | None = None,
) -> Concern:
    """One concern, audited (as sensitive for health and self-harm); 404 outside the user's reach."""
    concern = (
        _with_overdue(concerns_visible_to(user, perm), today or timezone.localdate())
        .select_related("person", "organisation", "reported_by", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if concern is None:
        raise refuse(user, request=request, model=Concern, pk=pk, not_found=True)
    if audit:
        concern_audit_view(user, concern, request=request)
    return concern


def concern_audit_view(
    user, concern: Concern, *, request: HttpRequest | None = None, summary: str = ""
) -> None:
    """Audit a page that shows the concern (as sensitive for health and self-harm)."""
    audit_record(
        user=user,
        action=Action.VIEW_SENSITIVE if concern.is_sensitive else Action.VIEW,
        obj=concern,
        person_id=concern.person_id,
        summary=summary or f"Viewed concern ({concern.category})",
        request=request,
    )


def follow_ups_of(concern: Concern):
    return concern.follow_ups.select_related("owner").order_by("done_at", "due_on", "id")


def owners_for(organisation_id: int) -> QuerySet[User]:
    """Who may own a follow-up: active users holding concern rights in the organisation."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.VIEW_CONCERNS in perms]
    return (
        User.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__active=True,
            memberships__role__in=roles,
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def follow_up_of(concern: Concern, pk: int) -> FollowUp:
    """A follow-up of this concern, or 404 (the concern was fetched through ``concern_get``)."""
    follow_up = concern.follow_ups.filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    return follow_up


def asylum_case_of(person: Person) -> PersonIdentifier | None:
    """The case number that names the resident in the concern form."""
    return person.identifiers.filter(kind=IdentifierKind.ASYLUM_CASE).first()
