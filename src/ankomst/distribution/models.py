"""A year's national number and the quotas it gives each municipality.

The quotas are computed by ``ankomst.placement.national.quotas`` from a shipped table; the
rows keep every stage (share, computed, provisional, quota) so that the page can show how a
number came about, and agreed exchanges within a region are kept as records of their own.
Quotas are public figures (the agency publishes them), not personal data.

A distribution run is the week's batch: the households granted a permit and waiting for a
municipality, assigned by ``ankomst.placement.national`` within what is left of the quotas,
overridden where the agency decides otherwise (with its reason), then confirmed: each
member's case gets the municipality, which announces the arrival there.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ankomst import limits
from ankomst.runs import SolverRun

MAX_NATIONAL_NUMBER = 200_000


class QuotaYear(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    table = models.CharField(_("figures"), max_length=40)
    national_number = models.PositiveIntegerField(
        _("national number"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NATIONAL_NUMBER)],
    )
    # as announced first; a revision keeps it here and sets national_number anew
    announced_number = models.PositiveIntegerField(_("national number as announced"))
    reunified_nationally = models.PositiveIntegerField(
        _("family members reunified nationally"),
        validators=[MaxValueValidator(MAX_NATIONAL_NUMBER)],
    )
    announced_on = models.DateField(_("announced on"), validators=[limits.validate_record_date])
    revised_on = models.DateField(_("revised on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("quota year")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="quotayear_one_per_year")
        ]

    def __str__(self) -> str:
        return str(self.year)


class MunicipalQuota(models.Model):
    quota_year = models.ForeignKey(QuotaYear, on_delete=models.CASCADE, related_name="quotas")
    code = models.CharField(max_length=8)
    name = models.CharField(max_length=100)
    region_code = models.CharField(max_length=8)
    region = models.CharField(max_length=100)
    population = models.PositiveIntegerField()
    share = models.DecimalField(max_digits=12, decimal_places=9)
    computed = models.DecimalField(max_digits=12, decimal_places=3)
    provisional = models.DecimalField(max_digits=12, decimal_places=3)
    rule_quota = models.PositiveIntegerField()  # the rule's whole number (after a revision)
    exchanged = models.IntegerField(default=0)  # net persons from agreed exchanges
    held = models.BooleanField(default=False)  # a revision kept it at what it had received

    class Meta:
        ordering = ["quota_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["quota_year", "code"], name="municipalquota_code"),
            models.CheckConstraint(
                condition=models.Q(rule_quota__gte=0), name="municipalquota_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.quota_year}"

    @property
    def quota(self) -> int:
        return self.rule_quota + self.exchanged


class QuotaExchange(models.Model):
    """Persons of one municipality's quota taken over by another of its region, as agreed."""

    quota_year = models.ForeignKey(QuotaYear, on_delete=models.CASCADE, related_name="exchanges")
    giver = models.CharField(_("from"), max_length=8)
    receiver = models.CharField(_("to"), max_length=8)
    persons = models.PositiveIntegerField(
        _("persons"), validators=[MinValueValidator(1), MaxValueValidator(MAX_NATIONAL_NUMBER)]
    )
    reason = models.CharField(_("agreement"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.persons} {self.giver} -> {self.receiver}"


class Education(models.TextChoices):
    UNKNOWN = "unknown", _("Not known")
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    SECONDARY = "secondary", _("Upper secondary or vocational")
    TERTIARY = "tertiary", _("Higher education")


class HouseholdFacts(models.Model):
    """What the agency weighs in the assignment that the centre's records do not hold: the
    adults' highest schooling, a need for a treatment facility (yes or no: never the
    diagnosis) and close family in a municipality (integrationsloven § 10: family ties)."""

    household = models.OneToOneField(
        "people.Household", on_delete=models.CASCADE, related_name="distribution_facts"
    )
    education = models.CharField(
        _("highest schooling of the adults"),
        max_length=10,
        choices=Education.choices,
        default=Education.UNKNOWN,
    )
    treatment = models.BooleanField(_("needs a treatment facility"), default=False)
    family_tie = models.CharField(_("close family in"), max_length=8, blank=True)
    family_tie_note = models.CharField(_("family tie"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("household's assignment facts")

    def __str__(self) -> str:
        return f"facts of {self.household_id}"


class DistributionRun(SolverRun):
    """A weekly batch: the granted households waiting for a municipality, the engine's
    proposal for each, the agency's overrides, and its confirmation."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="distribution_runs"
    )
    quota_year = models.ForeignKey(QuotaYear, on_delete=models.PROTECT, related_name="runs")
    households = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    score_source = models.CharField(max_length=40, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("distribution run")
        constraints = [
            # one run at a time per agency: a second is refused with a message
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=["queued", "running"]),
                name="distribution_one_active_run",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class LineStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    SKIPPED = "skipped", _("Not confirmed: changed since the run")


class DistributionLine(models.Model):
    """One household of a run: what the engine saw, what it proposed and why, and what the
    agency decided. Codes and parameters are kept; the words are made at display."""

    run = models.ForeignKey(DistributionRun, on_delete=models.CASCADE, related_name="lines")
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="distribution_lines"
    )
    members = models.JSONField(default=list)  # the persons waiting, as the run found them
    persons = models.PositiveSmallIntegerField()
    adults = models.PositiveSmallIntegerField()
    children = models.PositiveSmallIntegerField()
    nationality = models.CharField(max_length=3, blank=True)
    language = models.CharField(max_length=16, blank=True)
    education = models.CharField(max_length=10, choices=Education.choices)
    treatment = models.BooleanField(default=False)
    unaccompanied_minor = models.BooleanField(default=False)
    family_tie = models.CharField(max_length=8, blank=True)
    engine_code = models.CharField(max_length=8, blank=True)  # blank: no municipality could
    code = models.CharField(_("municipality"), max_length=8, blank=True)
    score = models.FloatField(null=True, blank=True)
    bonus = models.FloatField(null=True, blank=True)
    margin = models.FloatField(null=True, blank=True)
    next_code = models.CharField(max_length=8, blank=True)
    next_score = models.FloatField(null=True, blank=True)
    reason = models.JSONField(null=True, blank=True)
    binding = models.JSONField(default=list, blank=True)
    override_reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=LineStatus.choices, default="proposed")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["run", "id"]
        verbose_name = _("distribution proposal")
        constraints = [
            models.UniqueConstraint(fields=["run", "household"], name="distribution_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} -> {self.code or '-'}"

    @property
    def overridden(self) -> bool:
        return self.code != self.engine_code
