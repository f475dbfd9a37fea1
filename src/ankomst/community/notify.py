"""E-mails to volunteers and coordinators, sent once the transaction that caused them commits.

Through Django's e-mail backend (the console under ``make run``; SMTP in production, see the
README). Written in the configured interface language; an address missing means no e-mail.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from ankomst.accounts.models import User
from ankomst.accounts.roles import Role


def _coordinators(organisation_id: int) -> list[str]:
    return [
        email
        for email in User.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__role=Role.VOLUNTEER_COORDINATOR,
            memberships__active=True,
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    ]


def _send(recipients: list[str], subject, body) -> None:
    """Queue an e-mail after commit; ``subject`` and ``body`` are callables run in the language."""
    recipients = [r for r in recipients if r]
    if not recipients:
        return

    def deliver():
        with override(settings.LANGUAGE_CODE):
            send_mail(
                f"Ankomst: {subject()}",
                body(),
                settings.DEFAULT_FROM_EMAIL,
                recipients,
                fail_silently=True,
            )

    transaction.on_commit(deliver)


def _when(shift) -> str:
    return date_format(timezone.localtime(shift.starts_at), "SHORT_DATETIME_FORMAT")


def place_offered(signup) -> None:
    shift = signup.shift
    _send(
        [signup.volunteer.email],
        lambda: _("a place on a shift is free for you"),
        lambda: (
            _(
                "A place on “%(shift)s” (%(when)s, %(place)s) has become free, and you are next on "
                "the waiting list. Accept or decline it under “My shifts”."
            )
            % {"shift": shift.title, "when": _when(shift), "place": shift.place}
        ),
    )


def signup_cancelled(signup, offered) -> None:
    shift = signup.shift
    _send(
        _coordinators(shift.organisation_id),
        lambda: _("%(name)s cancelled a shift") % {"name": signup.volunteer.name},
        lambda: (
            _("%(name)s cancelled “%(shift)s” (%(when)s).")
            % {"name": signup.volunteer.name, "shift": shift.title, "when": _when(shift)}
            + " "
            + (
                _("The place was offered to %(next)s.") % {"next": offered.volunteer.name}
                if offered
                else _("Nobody is on the waiting list.")
            )
        ),
    )


def cover_wanted(signup) -> None:
    shift = signup.shift
    _send(
        _coordinators(shift.organisation_id),
        lambda: _("cover wanted for a shift"),
        lambda: (
            _("%(name)s asks for someone to take over “%(shift)s” (%(when)s).")
            % {"name": signup.volunteer.name, "shift": shift.title, "when": _when(shift)}
        ),
    )


def covered(old, new) -> None:
    shift = new.shift
    _send(
        [old.volunteer.email, *_coordinators(shift.organisation_id)],
        lambda: _("a shift was covered"),
        lambda: (
            _("%(new)s takes over from %(old)s on “%(shift)s” (%(when)s).")
            % {
                "new": new.volunteer.name,
                "old": old.volunteer.name,
                "shift": shift.title,
                "when": _when(shift),
            }
        ),
    )


def shift_cancelled(shift) -> None:
    emails = [
        s.volunteer.email
        for s in shift.signups.select_related("volunteer").exclude(status="cancelled")
    ]
    _send(
        emails,
        lambda: _("a shift is cancelled"),
        lambda: (
            _("“%(shift)s” (%(when)s) is cancelled: the class does not take place.")
            % {"shift": shift.title, "when": _when(shift)}
        ),
    )


def referral_received(referral) -> None:
    _send(
        _coordinators(referral.volunteer_organisation_id),
        lambda: _("a household waits for a match"),
        lambda: (
            _("A household asks for a %(kind)s. It is on the waiting list for matching.")
            % {"kind": referral.get_kind_display().lower()}
        ),
    )


def match_confirmed(match) -> None:
    _send(
        [match.volunteer.email],
        lambda: _("you have been matched with a household"),
        lambda: (
            _("You have been matched with %(name)s. See “My matches” for how to get in touch.")
            % {"name": match.referral.contact_name}
        ),
    )


def certificate_runs_out(volunteer, until) -> None:
    when = date_format(until, "SHORT_DATE_FORMAT")
    _send(
        [volunteer.email, *_coordinators(volunteer.organisation_id)],
        lambda: _("a child-protection certificate runs out"),
        lambda: (
            _(
                "The child-protection certificate of %(name)s is valid until %(date)s. After that "
                "day no shift with children can be taken until a new one is recorded."
            )
            % {"name": volunteer.name, "date": when}
        ),
    )
