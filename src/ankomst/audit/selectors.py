from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from ankomst.accounts.roles import Perm

from .models import AuditEvent


def audit_events_for(
    user, *, person_id: int | None = None, actor_id: int | None = None, action: str = ""
) -> QuerySet[AuditEvent]:
    """Events an administrator may read: those of the organisations they administer."""
    org_ids = user.organisation_ids(Perm.VIEW_AUDIT)
    if not org_ids:
        raise PermissionDenied
    events = AuditEvent.objects.filter(organisation_id__in=org_ids)
    if person_id is not None:
        events = events.filter(person_id=person_id)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action=action)
    return events
