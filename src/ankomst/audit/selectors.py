from django.db.models import Q, QuerySet
from django.http import HttpRequest

from ankomst.accounts.models import User
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.people.models import Person

from .models import AuditEvent


def audit_events_for(
    user,
    *,
    person_ids: list[int] | None = None,
    actor_id: int | None = None,
    action: str = "",
    request: HttpRequest | None = None,
) -> QuerySet[AuditEvent]:
    """Events an administrator may read: on records of the organisations they administer,
    and the attempts of those organisations' users on records elsewhere."""
    org_ids = user.organisation_ids(Perm.VIEW_AUDIT)
    if not org_ids:
        raise refuse(user, request=request, perm=Perm.VIEW_AUDIT)
    events = AuditEvent.objects.filter(
        Q(organisation_id__in=org_ids) | Q(actor_organisation_id__in=org_ids)
    )
    if person_ids is not None:
        events = events.filter(person_id__in=person_ids, organisation_id__in=org_ids)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action=action)
    return events


def audited_person(org_ids: set[int], person_id: int) -> list[Person]:
    """The person a filter of the audit log names, if the administrator's organisations hold
    them (an empty list otherwise: the id says nothing about anybody elsewhere)."""
    return list(Person.objects.filter(pk=person_id, organisation_id__in=org_ids))


def audited_users(org_ids: set[int]) -> QuerySet[User]:
    """The users whose actions the administrator may filter by: their organisations'."""
    return (
        User.objects.filter(memberships__organisation_id__in=org_ids)
        .distinct()
        .order_by("username")
    )
