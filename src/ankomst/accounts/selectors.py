"""Reads of user accounts for their organisations' administrators, scoped and audited."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from ankomst.audit.models import Action
from ankomst.audit.services import audit_record

from .models import Membership, Organisation, Unit, User
from .permissions import refuse
from .roles import Perm


def organisations_with(user, perm: Perm) -> QuerySet[Organisation]:
    """The organisations in which ``user`` holds ``perm``: the choices of a form, say."""
    return Organisation.objects.filter(pk__in=user.organisation_ids(perm))


def managed_units(actor) -> QuerySet[Unit]:
    return Unit.objects.filter(
        organisation_id__in=actor.organisation_ids(Perm.MANAGE_USERS)
    ).select_related("organisation")


def users_managed_by(actor) -> QuerySet[User]:
    """Users with a membership, current or ended, in an organisation the actor manages."""
    managed = actor.organisation_ids(Perm.MANAGE_USERS)
    return (
        User.objects.filter(memberships__organisation_id__in=managed)
        .distinct()
        .order_by("username")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(organisation_id__in=managed).select_related(
                    "organisation", "unit"
                ),
                to_attr="managed_memberships",
            )
        )
    )


def user_get(actor, pk: int, *, request: HttpRequest | None = None) -> User:
    """A user the actor manages, audited; a 404 (and a refusal in the log) otherwise."""
    user = users_managed_by(actor).filter(pk=pk).first()
    if user is None:
        raise refuse(
            actor,
            request=request,
            model=User,
            pk=pk,
            organisation_field="memberships__organisation_id",
            not_found=True,
        )
    audit_record(
        user=actor,
        action=Action.VIEW,
        obj=user,
        organisation_id=min(m.organisation_id for m in user.managed_memberships),
        summary=f"Viewed the account {user.username}",
        request=request,
    )
    return user


def membership_get(actor, pk: int, *, request: HttpRequest | None = None) -> Membership:
    membership = (
        Membership.objects.filter(
            pk=pk, organisation_id__in=actor.organisation_ids(Perm.MANAGE_USERS)
        )
        .select_related("user", "organisation", "unit")
        .first()
    )
    if membership is None:
        raise refuse(actor, request=request, model=Membership, pk=pk, not_found=True)
    return membership


def locked_out_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts are locked out by failed sign-ins right now (django-axes)."""
    attempts = AccessAttempt.objects.filter(
        username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    cooloff = settings.AXES_COOLOFF_TIME
    if cooloff:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - dt.timedelta(hours=cooloff))
    return set(attempts.values_list("username", flat=True))
