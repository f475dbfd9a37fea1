"""Organisation administrators manage their own users: accounts, memberships, passwords, locks.

Every write needs ``MANAGE_USERS`` in the organisation concerned and is audited under it.
A membership is changed only in such an organisation. What touches the whole account
(its password, its lock) is allowed only when every active membership of the user lies
in organisations the administrator manages, and never for staff or superusers: an
administrator of one municipality cannot lock out, or take over, a colleague elsewhere.
"""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from ankomst.audit.models import Action
from ankomst.audit.services import audit_record

from .models import Membership, Organisation, Unit, User
from .permissions import refuse, require_perm
from .roles import Perm, Role

# Letters and digits that cannot be mistaken for one another when read aloud or copied.
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMPORARY_PASSWORD_LENGTH = 16


def _check_unit(organisation: Organisation, unit: Unit | None) -> None:
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError(
            {"unit": _("The unit must be one of the organisation's own units.")},
            code="unit_of_other_organisation",
        )


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")}, code="role")


def _their_organisations(user: User) -> set[int]:
    active = set(user.memberships.filter(active=True).values_list("organisation_id", flat=True))
    return active or set(user.memberships.values_list("organisation_id", flat=True))


def manages_whole_user(actor, user: User) -> bool:
    """The actor manages every organisation the user works in, and the user is no superuser."""
    theirs = _their_organisations(user)
    managed = actor.organisation_ids(Perm.MANAGE_USERS)
    return not (user.is_superuser or user.is_staff) and bool(theirs) and theirs <= managed


def require_whole_user(actor, user: User, *, request: HttpRequest | None = None) -> None:
    if not manages_whole_user(actor, user):
        shared = _their_organisations(user) & actor.organisation_ids(Perm.MANAGE_USERS)
        raise refuse(
            actor,
            request=request,
            record=user,
            organisation_id=min(shared) if shared else None,
            summary=f"Tried to manage account {user.username} beyond their organisations",
        )


def _audit_membership(
    *, actor, membership: Membership, summary: str, changes=None, request=None
) -> None:
    audit_record(
        user=actor,
        action=Action.MEMBERSHIP,
        obj=membership,
        summary=summary,
        changes=changes,
        request=request,
    )


def temporary_password() -> str:
    return get_random_string(TEMPORARY_PASSWORD_LENGTH, _TEMPORARY_ALPHABET)


def user_create(
    *,
    actor,
    organisation: Organisation,
    role: str,
    unit: Unit | None = None,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    request: HttpRequest | None = None,
) -> tuple[User, str]:
    """A new account with one membership; returns it and a temporary password to hand over once."""
    require_perm(actor, Perm.MANAGE_USERS, organisation.pk, request=request)
    _check_role(role)
    _check_unit(organisation, unit)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("This username is taken; choose another.")}, code="taken"
        )
    password = temporary_password()
    with transaction.atomic():
        user = User(username=username, first_name=first_name, last_name=last_name, email=email)
        user.set_password(password)
        try:
            user.save()
        except IntegrityError:
            raise ValidationError(
                {"username": _("This username is taken; choose another.")}, code="taken"
            ) from None
        membership = Membership.objects.create(
            user=user, organisation=organisation, role=role, unit=unit
        )
        audit_record(
            user=actor,
            action=Action.USER_ACCOUNT,
            obj=user,
            organisation_id=organisation.pk,
            summary=f"Created account {user.username} with a temporary password",
            request=request,
        )
        _audit_membership(
            actor=actor,
            membership=membership,
            summary=f"Granted {role} to {user.username}",
            changes={"role": [None, role], "unit": [None, unit.name if unit else None]},
            request=request,
        )
    return user, password


def membership_add(
    *,
    actor,
    user: User,
    organisation: Organisation,
    role: str,
    unit: Unit | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    require_perm(actor, Perm.MANAGE_USERS, organisation.pk, request=request)
    _check_role(role)
    _check_unit(organisation, unit)
    if user.is_superuser or user.is_staff:
        raise refuse(actor, request=request, record=user, organisation_id=organisation.pk)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(user=user, organisation=organisation, role=role)
            .first()
        )
        if membership is not None and membership.active:
            raise ValidationError(
                {"role": _("The user already holds this role in the organisation.")},
                code="duplicate",
            )
        if membership is None:
            membership = Membership.objects.create(
                user=user, organisation=organisation, role=role, unit=unit
            )
        else:
            membership.active, membership.unit = True, unit
            membership.save(update_fields=["active", "unit"])
        _audit_membership(
            actor=actor,
            membership=membership,
            summary=f"Granted {role} to {user.username}",
            changes={"role": [None, role], "unit": [None, unit.name if unit else None]},
            request=request,
        )
    return membership


def membership_change(
    *,
    actor,
    membership: Membership,
    role: str,
    unit: Unit | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    require_perm(
        actor, Perm.MANAGE_USERS, membership.organisation_id, request=request, record=membership
    )
    _check_role(role)
    _check_unit(membership.organisation, unit)
    if membership.user_id == actor.pk:
        raise ValidationError(
            _("You cannot change your own role; ask another administrator."), code="own"
        )
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if not membership.active:
            raise ValidationError(_("This membership has ended."), code="ended")
        before = {
            "role": membership.role,
            "unit": membership.unit.name if membership.unit else None,
        }
        if (
            role != membership.role
            and Membership.objects.filter(
                user_id=membership.user_id, organisation_id=membership.organisation_id, role=role
            ).exists()
        ):
            raise ValidationError(
                {"role": _("The user already holds this role in the organisation.")},
                code="duplicate",
            )
        membership.role, membership.unit = role, unit
        membership.save(update_fields=["role", "unit"])
        after = {"role": role, "unit": unit.name if unit else None}
        _audit_membership(
            actor=actor,
            membership=membership,
            summary=f"Changed the membership of {membership.user.username}",
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
            request=request,
        )
    return membership


def membership_end(
    *, actor, membership: Membership, request: HttpRequest | None = None
) -> Membership:
    require_perm(
        actor, Perm.MANAGE_USERS, membership.organisation_id, request=request, record=membership
    )
    if membership.user_id == actor.pk:
        raise ValidationError(
            _("You cannot end your own membership; ask another administrator."), code="own"
        )
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if not membership.active:
            raise ValidationError(_("This membership has ended."), code="ended")
        membership.active = False
        membership.save(update_fields=["active"])
        _audit_membership(
            actor=actor,
            membership=membership,
            summary=f"Ended {membership.role} of {membership.user.username}",
            changes={"active": [True, False]},
            request=request,
        )
    return membership


def _organisation_of(actor, user: User) -> int | None:
    managed = actor.organisation_ids(Perm.MANAGE_USERS)
    theirs = set(user.memberships.values_list("organisation_id", flat=True))
    return min(theirs & managed) if theirs & managed else None


def password_reset(*, actor, user: User, request: HttpRequest | None = None) -> str:
    """A new temporary password for the user, returned to be shown once; the old one stops working."""
    require_whole_user(actor, user, request=request)
    if user.pk == actor.pk:
        raise ValidationError(_("Change your own password on the password page."), code="own")
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            user=actor,
            action=Action.PASSWORD_CHANGE,
            obj=user,
            organisation_id=_organisation_of(actor, user),
            summary=f"Reset the password of {user.username} to a temporary one",
            request=request,
        )
    return password


def password_set(*, actor, user: User, password: str, request: HttpRequest | None = None) -> None:
    require_whole_user(actor, user, request=request)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            user=actor,
            action=Action.PASSWORD_CHANGE,
            obj=user,
            organisation_id=_organisation_of(actor, user),
            summary=f"Set a new password for {user.username}",
            request=request,
        )


def user_set_locked(*, actor, user: User, locked: bool, request: HttpRequest | None = None) -> User:
    """Lock an account (it can no longer sign in) or unlock it, also after failed sign-ins."""
    require_whole_user(actor, user, request=request)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot lock your own account."), code="own")
    with transaction.atomic():
        before = user.is_active
        user.is_active = not locked
        user.save(update_fields=["is_active"])
        if not locked:
            axes_reset(username=user.username)
        audit_record(
            user=actor,
            action=Action.USER_ACCOUNT,
            obj=user,
            organisation_id=_organisation_of(actor, user),
            summary=f"{'Locked' if locked else 'Unlocked'} the account {user.username}",
            changes={"is_active": [before, not locked]},
            request=request,
        )
    return user


def password_changed_by_self(*, user: User, request: HttpRequest | None = None) -> None:
    membership = user.memberships.filter(active=True).order_by("pk").first()
    audit_record(
        user=user,
        action=Action.PASSWORD_CHANGE,
        obj=user,
        organisation_id=membership.organisation_id if membership else None,
        summary="Changed their own password",
        request=request,
    )
