"""A year's national number and the quotas it gives each municipality.

The quotas are computed by ``ankomst.placement.national.quotas`` from a shipped table; the
rows keep every stage (share, computed, provisional, quota) so that the page can show how a
number came about, and agreed exchanges within a region are kept as records of their own.
Quotas are public figures (the agency publishes them), not personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ankomst import limits

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
