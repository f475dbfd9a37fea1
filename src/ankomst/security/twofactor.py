"""Two-factor authentication: a TOTP app and recovery codes (django-otp devices).

Who must use it: administrators and the roles that read GDPR Art. 9 data, when
``REQUIRE_2FA`` is on. Everyone else may set it up. Setting it up, renewing the recovery
codes and removing it are audited.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ankomst.accounts.roles import Perm, Role, role_grants
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator app"
RECOVERY_NAME = "recovery codes"


def role_requires_2fa(role: str) -> bool:
    return role == Role.ADMINISTRATOR or role_grants(role, Perm.VIEW_SENSITIVE)


def is_required(user) -> bool:
    return settings.REQUIRE_2FA and any(role_requires_2fa(role) for role in user.roles)


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def must_wait(user, device: TOTPDevice | None = None) -> bool:
    """After a wrong code, django-otp makes the next try wait (1 s, 2 s, 4 s, ...)."""
    devices = [device] if device is not None else TOTPDevice.objects.devices_for_user(user)
    return any(not d.verify_is_allowed()[0] for d in devices)


def totp_pending(user) -> TOTPDevice:
    """The not yet confirmed TOTP device of a setup under way, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// address as an inline SVG QR code (no image request, no CDN)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, omitsize=True)
    # segno writes only its own markup: the otpauth address is encoded in the squares.
    return mark_safe(svg)  # noqa: S308


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for an app that cannot scan the code."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _audit(user, action: Action, summary: str, request: HttpRequest | None) -> None:
    organisation = user.primary_organisation
    audit_record(
        user=user,
        action=action,
        object_type="accounts.user",
        object_id=user.pk,
        organisation_id=organisation.pk if organisation else None,
        summary=summary,
        request=request,
    )


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_enable(*, user, device: TOTPDevice, token: str, request=None) -> list[str] | None:
    """Confirms the pending TOTP device with a code from the app; returns the new recovery
    codes, or None when the code is wrong (nothing changes then)."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    _audit(user, Action.CREATE, "Set up two-factor authentication", request)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user, request=None) -> list[str]:
    codes = _new_recovery_codes(user)
    _audit(user, Action.CHANGE, "Renewed the two-factor recovery codes", request)
    return codes


@transaction.atomic
def two_factor_disable(*, user, request=None) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(user, Action.CHANGE, "Removed two-factor authentication", request)
