"""The append-only, hash-chained audit log.

Events are only ever inserted. The model refuses updates and deletes, its
queryset refuses bulk updates and deletes, and the database itself refuses
UPDATE (both backends), DELETE and TRUNCATE (PostgreSQL) and an event older than
the one before it (both backends) with triggers, see migrations 0002 and 0003.
Each event carries a keyed hash over its content and the previous event's hash
(``ankomst.audit.chain``), so that a removed, inserted or altered row is detected
by ``ankomst audit verify`` even where the triggers were bypassed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    SEARCH = "search", _("Searched")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    DENIED = "denied", _("Access denied")
    VIEW_SENSITIVE = "view_sensitive", _("Viewed sensitive data")
    LOGIN = "login", pgettext_lazy("audit action", "Signed in")
    LOGOUT = "logout", pgettext_lazy("audit action", "Signed out")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed sign-in")
    LOCKED_OUT = "locked_out", pgettext_lazy("audit action", "Locked out")
    PASSWORD_CHANGE = "password_change", pgettext_lazy("audit action", "Password changed")
    MEMBERSHIP = "membership", pgettext_lazy("audit action", "Membership changed")
    USER_ACCOUNT = "user_account", pgettext_lazy("audit action", "User account changed")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit events cannot be changed")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # No database foreign keys: an event must outlive the user, organisation or
    # person it names, and a cascade would be an UPDATE or DELETE of the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # The organisation of the user who acted, when it is not the record's: a refused attempt
    # on another organisation's record shows on both organisations' audit pages.
    actor_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user's organisation"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=64, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    person_id = models.BigIntegerField(_("person"), null=True, blank=True, db_index=True)
    summary = models.CharField(_("what"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The chain: the hash of the event before this one, and this event's own hash.
    # Empty only on events recorded before the chain was introduced.
    prev_hash = models.CharField(
        pgettext_lazy("audit", "previous hash"), max_length=64, blank=True, editable=False
    )
    hash = models.CharField(
        pgettext_lazy("audit", "hash"), max_length=64, blank=True, editable=False
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # The administrator's page filters by user and by person, newest first.
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["person_id", "-at"], name="audit_person_at"),
            models.Index(fields=["actor_organisation", "-at"], name="audit_actor_org_at"),
        ]
        constraints = [
            # Two events naming the same predecessor would fork the chain; writers are
            # serialised (``chain.lock``) and this index makes a fork impossible regardless.
            models.UniqueConstraint(
                fields=["prev_hash"], condition=~Q(prev_hash=""), name="audit_chain_no_fork"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("audit events cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")
