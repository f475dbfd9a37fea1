"""Checking a permission, and logging the refusal, in one place for every app."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ankomst.audit.models import Action
from ankomst.audit.services import audit_record

from .roles import Perm


def require_perm(
    user, perm: Perm, organisation_id: int, *, request: HttpRequest | None = None
) -> None:
    """For services: ``perm`` in the organisation that owns the record, or PermissionDenied (audited)."""
    if not user.has_perm_in(perm, organisation_id):
        audit_record(
            user=user,
            action=Action.DENIED,
            organisation_id=organisation_id,
            summary=f"Missing permission {perm}",
            request=request,
        )
        raise PermissionDenied


def require_perm_anywhere(request: HttpRequest, perm: Perm) -> None:
    """For views that list or create: ``perm`` in at least one organisation, or PermissionDenied (audited)."""
    if not request.user.has_perm_anywhere(perm):
        audit_record(
            user=request.user,
            action=Action.DENIED,
            summary=f"Missing permission {perm}",
            object_type=request.path[:64],
            request=request,
        )
        raise PermissionDenied
