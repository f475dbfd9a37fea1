"""Concerns about residents or situations in a centre, and their follow-up.

A concern is personal data of the resident it names; those about health or
self-harm are GDPR Art. 9 data and are read only with ``VIEW_SENSITIVE`` too.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ankomst import limits


class ConcernCategory(models.TextChoices):
    CONFLICT = "conflict", _("Conflict")
    VIOLENCE = "violence", _("Violence")
    SELF_HARM = "self_harm", _("Risk of self-harm")
    RADICALISATION = "radicalisation", _("Radicalisation")
    SUSPECTED_CRIME = "suspected_crime", _("Suspected crime")
    HEALTH = "health", _("Health")


# Categories that reveal health (GDPR Art. 9): separate permission, audited as sensitive.
SENSITIVE_CATEGORIES = frozenset({ConcernCategory.SELF_HARM, ConcernCategory.HEALTH})


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}


class Concern(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="concerns",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("resident"),
        help_text=_("Leave empty when the concern is about a situation, not one person."),
    )
    category = models.CharField(_("category"), max_length=20, choices=ConcernCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("what happened or was observed"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        indexes = [
            # The list shows the open concerns of an organisation.
            models.Index(fields=["organisation", "closed_at"], name="concern_org_open"),
        ]
        constraints = [
            # A closed concern always says how it ended; an open one has no outcome yet.
            models.CheckConstraint(
                condition=(Q(closed_at__isnull=True) & Q(outcome=""))
                | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="concern_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_sensitive(self) -> bool:
        return self.category in SENSITIVE_CATEGORIES


class FollowUpKind(models.TextChoices):
    ACTION = "action", _("Follow-up action")
    POLICE = "police", _("Reported to the police liaison")


class FollowUp(models.Model):
    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("concern")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=FollowUpKind.choices, default=FollowUpKind.ACTION
    )
    description = models.TextField(_("what is to be done"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), validators=[limits.validate_record_date])
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    police_reported_on = models.DateField(
        _("reported to the police on"),
        null=True,
        blank=True,
        validators=[limits.validate_past_date],
    )
    police_reference = models.CharField(_("police reference"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            # Overdue follow-ups are found by due date among those not done.
            models.Index(fields=["due_on", "done_at"], name="followup_due_open"),
        ]
        constraints = [
            # A report to the police liaison is only traceable with its date and reference.
            models.CheckConstraint(
                condition=~Q(kind="police")
                | (Q(police_reported_on__isnull=False) & ~Q(police_reference="")),
                name="followup_police_has_date_and_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on:%Y-%m-%d})"
