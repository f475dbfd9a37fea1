"""Sign-ins, sign-outs, failed sign-ins and lock-outs go into the audit log.

Each is recorded under the user's organisations (the first one), so that its
administrators see who signed in and which accounts are being guessed at.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ankomst.audit.models import Action
from ankomst.audit.services import audit_record

from .models import User


def _organisation_id(user) -> int | None:
    if user is None:
        return None
    membership = user.memberships.filter(active=True).order_by("pk").first()
    return membership.organisation_id if membership else None


def _account(username: str) -> User | None:
    return User.objects.filter(username=username).first() if username else None


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    audit_record(
        user=user,
        action=Action.LOGIN,
        obj=user,
        organisation_id=_organisation_id(user),
        summary="Signed in",
        request=request,
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is None:
        return
    audit_record(
        user=user,
        action=Action.LOGOUT,
        obj=user,
        organisation_id=_organisation_id(user),
        summary="Signed out",
        request=request,
    )


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    account = _account(username)
    audit_record(
        user=None,
        action=Action.LOGIN_FAILED,
        obj=account,
        organisation_id=_organisation_id(account),
        # An unknown name is not written down: it may be a password typed in the wrong field.
        summary=f"Failed sign-in as {username!r}" if account else "Failed sign-in, unknown user",
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def audit_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    account = _account(username or "")
    audit_record(
        user=None,
        action=Action.LOCKED_OUT,
        obj=account,
        organisation_id=_organisation_id(account),
        summary=f"Locked out after failed sign-ins as {username!r}"
        if account
        else "Locked out after failed sign-ins, unknown user",
        request=request,
    )
