"""Refusing access, and logging the refusal, in one place for every app.

``refuse`` writes the refusal to the audit log and returns the exception to raise. The
event survives the rollback of the transaction it was refused in (``audit.durable``)
and is recorded under the organisation that owns the record, when there is one, so that
its administrators see the attempt; the user's own organisation is recorded beside it,
so that theirs see it too.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest

from ankomst.audit.services import audit_refusal

from .roles import Perm


def _actor_organisation_id(user, target_organisation_id: int | None) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    own = user.organisation_ids()
    if target_organisation_id in own:
        return target_organisation_id
    primary = user.primary_organisation
    return primary.pk if primary else None


def _owner_of(model: type[models.Model], pk, organisation_field: str) -> int | None:
    # The owner of a record the user may not see; it is never shown to that user.
    try:
        return model._base_manager.filter(pk=pk).values_list(organisation_field, flat=True).first()
    except (ValueError, TypeError, ValidationError):
        return None


def refuse(
    user,
    *,
    request: HttpRequest | None = None,
    perm: Perm | str | None = None,
    record: models.Model | None = None,
    model: type[models.Model] | None = None,
    pk=None,
    organisation_field: str = "organisation_id",
    organisation_id: int | None = None,
    person_id: int | None = None,
    summary: str = "",
    not_found: bool = False,
) -> PermissionDenied | Http404:
    """Audit a refusal and return the exception to raise: ``raise refuse(...)``.

    Name the record as ``record`` or as ``model`` and ``pk`` (a record outside the user's
    reach); its organisation is looked up through ``organisation_field``. ``not_found``
    returns a 404 rather than a 403, where the existence of the record is itself personal.
    """
    object_type, object_id = "", ""
    if record is not None:
        object_type, object_id = record._meta.label_lower, record.pk
        if organisation_id is None:
            organisation_id = _organisation_of(record, organisation_field)
        if person_id is None and object_type == "people.person":
            person_id = record.pk
    elif model is not None:
        object_type, object_id = model._meta.label_lower, pk
        if organisation_id is None and pk not in (None, ""):
            organisation_id = _owner_of(model, pk, organisation_field)
        if person_id is None and object_type == "people.person" and str(pk).isdigit():
            person_id = int(pk) if organisation_id is not None else None
    if not summary:
        if perm and object_type:
            summary = f"Missing permission {perm} for {object_type} {object_id}"
        elif perm:
            summary = f"Missing permission {perm}"
        else:
            summary = f"{object_type} {object_id} is outside the user's reach"
        if request is not None and not object_type:
            summary += f" ({request.method} {request.path})"
    audit_refusal(
        user=user,
        organisation_id=organisation_id,
        actor_organisation_id=_actor_organisation_id(user, organisation_id),
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        summary=summary,
        request=request,
    )
    return Http404() if not_found else PermissionDenied()


def _organisation_of(record: models.Model, organisation_field: str) -> int | None:
    if "__" not in organisation_field:
        return getattr(record, organisation_field, None)
    value = record
    for part in organisation_field.removesuffix("_id").split("__"):
        value = getattr(value, part, None)
        if value is None:
            return getattr(record, "organisation_id", None)
    return value.pk if isinstance(value, models.Model) else value


def require_perm(
    user,
    perm: Perm,
    organisation_id: int,
    *,
    request: HttpRequest | None = None,
    record: models.Model | None = None,
    also: Perm | None = None,
) -> None:
    """For services: ``perm`` (and ``also``) in the organisation owning the record, or refused."""
    allowed = user.has_perm_in(perm, organisation_id)
    if also is not None:
        allowed = allowed and user.has_perm_in(also, organisation_id)
    if not allowed:
        raise refuse(
            user,
            request=request,
            perm=f"{perm} and {also}" if also else perm,
            record=record,
            organisation_id=organisation_id,
        )


def require_perm_anywhere(request: HttpRequest, perm: Perm) -> None:
    """For views that list or create: ``perm`` in at least one organisation, or refused."""
    if not request.user.has_perm_anywhere(perm):
        raise refuse(request.user, request=request, perm=perm)
