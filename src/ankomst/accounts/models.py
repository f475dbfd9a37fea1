from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .roles import Perm, Role, role_grants


class OrganisationKind(models.TextChoices):
    NATIONAL_AGENCY = "national_agency", _("National agency")
    CENTRE_OPERATOR = "centre_operator", _("Centre operator")
    MUNICIPALITY = "municipality", _("Municipality")
    VOLUNTEER_ORGANISATION = "volunteer_organisation", _("Volunteer organisation")


class Country(models.TextChoices):
    DENMARK = "DK", _("Denmark")
    SWEDEN = "SE", _("Sweden")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.DENMARK
    )
    # A municipality's official code (Denmark: Danmarks Statistik's, e.g. 851 Aalborg): it ties
    # the organisation to its row in the quota tables.
    municipality_code = models.CharField(_("municipality code"), max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    CENTRE = "centre", _("Centre")
    CITIZEN_SERVICE = "citizen_service", _("Citizen service")
    HOUSING = "housing", _("Housing")
    JOB_CENTRE = "job_centre", _("Job centre")
    DAYCARE_SCHOOLS = "daycare_schools", _("Day care and schools")
    FAMILY_SECTION = "family_section", _("Family section")
    OTHER = "other", _("Other unit")


class Unit(models.Model):
    """A sub-unit of an organisation: an operator's centre, a municipality's department."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=200)
    places = models.PositiveIntegerField(
        _("contracted places"),
        null=True,
        blank=True,
        help_text=_("For a centre: the number of places in the operator contract."),
    )

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            # One name per unit within an organisation keeps lists and imports unambiguous.
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unit_name_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class User(AbstractUser):
    """A person who works with Ankomst. Rights come only through memberships."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def active_memberships(self) -> list["Membership"]:
        return list(self.memberships.select_related("organisation", "unit").filter(active=True))

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships}

    def organisation_ids(self, perm: Perm | None = None) -> set[int]:
        """The organisations in which this user holds ``perm`` (any role if None)."""
        return {
            m.organisation_id
            for m in self.active_memberships
            if perm is None or role_grants(m.role, perm)
        }

    def has_perm_anywhere(self, perm: Perm) -> bool:
        return bool(self.organisation_ids(perm))

    def has_perm_in(self, perm: Perm, organisation_id: int) -> bool:
        return organisation_id in self.organisation_ids(perm)

    @property
    def primary_organisation(self) -> Organisation | None:
        memberships = self.active_memberships
        return memberships[0].organisation if memberships else None


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # A role is held once per organisation; a second row would only confuse revocation.
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            # A membership's unit must be a unit of the same organisation; checked in clean(),
            # by the form and by the service, as SQL cannot compare across the foreign key.
            models.CheckConstraint(condition=~Q(role=""), name="membership_role_set"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} @ {self.organisation}"

    def clean(self) -> None:
        super().clean()
        if (
            self.unit_id is not None
            and self.organisation_id is not None
            and self.unit.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"unit": _("The unit must be one of the organisation's own units.")},
                code="unit_of_other_organisation",
            )
