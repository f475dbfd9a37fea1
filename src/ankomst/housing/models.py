"""The housing department's stock, its waiting households, placement runs, offers and tenancies.

Everything belongs to one municipality (``organisation``). A waiting household is an arrival's
housing need; a placement run asks the engine (``ankomst.placement``) for a proposal per
household, in the task queue; a caseworker decides on each proposal, makes an offer, and the
move-in ends the wait (or, in temporary housing, only pauses it: the household keeps waiting
for a permanent home).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankomst.runs import SolverRun


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("District")
    TOWN = "town", _("Town")


class Area(models.Model):
    """A district or town: its inhabitants, its countrymen by nationality and its ceiling."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="housing_areas"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=AreaKind.choices)
    population = models.PositiveIntegerField(_("inhabitants"), default=0)
    ceiling = models.PositiveIntegerField(
        _("most new households this year"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no ceiling."),
    )
    # households already living there, by nationality (ISO code): "no family alone" reads it
    countrymen = models.JSONField(_("countrymen"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("housing area")
        verbose_name_plural = _("housing areas")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="housing_area_code"),
        ]

    def __str__(self) -> str:
        return self.name


class HousingKind(models.TextChoices):
    PERMANENT = "permanent", _("Permanent home")
    TEMPORARY = "temporary", _("Temporary or transitional housing")
    SHARED_ROOM = "shared_room", _("Shared room")
    MODULAR = "modular", _("Modular housing")
    PRIVATE_RENTAL = "private_rental", _("Private rental")


# The kinds that are a permanent home (the engine's ``permanent_kinds``).
PERMANENT_KINDS = (HousingKind.PERMANENT, HousingKind.PRIVATE_RENTAL)


class LandlordKind(models.TextChoices):
    HOUSING_ASSOCIATION = "association", _("Housing association")
    PRIVATE = "private", _("Private landlord")
    MUNICIPALITY = "municipality", _("The municipality")


class UnitStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LET = "let", _("Let")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# distances the engine accepts (its input schema)
KM = [MinValueValidator(0), MaxValueValidator(500)]


class RoomSex(models.TextChoices):
    EITHER = "", _("Either")
    FEMALE = "female", _("Women")
    MALE = "male", _("Men")


class HousingUnit(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="housing_units"
    )
    reference = models.CharField(_("reference"), max_length=40)
    address = models.CharField(_("address"), max_length=200)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="units", verbose_name=_("area")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=HousingKind.choices)
    rooms = models.PositiveSmallIntegerField(
        _("rooms"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    max_persons = models.PositiveSmallIntegerField(
        _("most persons"),
        help_text=_("For a shared room: its beds."),
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    rent = models.DecimalField(
        _("monthly rent"),
        max_digits=9,
        decimal_places=2,
        help_text=_("For a shared room: per bed."),
    )
    accessible = models.BooleanField(_("step-free"), default=False)
    floor = models.SmallIntegerField(
        _("floor"),
        default=0,
        help_text=_("0 is the ground floor."),
        validators=[MinValueValidator(-1), MaxValueValidator(40)],
    )
    disadvantaged = models.BooleanField(_("in a designated disadvantaged area"), default=False)
    school_km = models.DecimalField(
        _("to school (km)"), max_digits=5, decimal_places=1, validators=KM
    )
    daycare_km = models.DecimalField(
        _("to day care (km)"), max_digits=5, decimal_places=1, validators=KM
    )
    transport_km = models.DecimalField(
        _("to public transport (km)"), max_digits=5, decimal_places=1, validators=KM
    )
    shops_km = models.DecimalField(
        _("to shops (km)"), max_digits=5, decimal_places=1, validators=KM
    )
    treatment_km = models.DecimalField(
        _("to a treatment facility (km)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=KM,
    )
    available_from = models.DateField(
        _("available from"), null=True, blank=True, help_text=_("Leave empty if free now.")
    )
    landlord_kind = models.CharField(_("landlord"), max_length=16, choices=LandlordKind.choices)
    landlord = models.CharField(_("landlord's name"), max_length=120, blank=True)
    room_sex = models.CharField(
        _("shared room kept for"), max_length=8, choices=RoomSex.choices, blank=True
    )
    age_min = models.PositiveSmallIntegerField(
        _("youngest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("oldest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=UnitStatus.choices, default=UnitStatus.AVAILABLE
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area__name", "reference"]
        verbose_name = _("housing unit")
        verbose_name_plural = _("housing units")
        indexes = [models.Index(fields=["organisation", "status"], name="housing_unit_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="housing_unit_reference"
            ),
            models.CheckConstraint(condition=Q(rooms__gte=1), name="housing_unit_rooms"),
            models.CheckConstraint(condition=Q(max_persons__gte=1), name="housing_unit_persons"),
            models.CheckConstraint(condition=Q(rent__gte=0), name="housing_unit_rent"),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=F("age_max")),
                name="housing_unit_age_band",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}, {self.address}"

    @property
    def is_permanent(self) -> bool:
        return self.kind in PERMANENT_KINDS

    @property
    def is_shared(self) -> bool:
        return self.kind == HousingKind.SHARED_ROOM


class NeedStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    TEMPORARY = "temporary", _("In temporary housing, waiting for a home")
    HOUSED = "housed", _("In a permanent home")
    CLOSED = "closed", pgettext_lazy("housing need", "Closed")


class HousingNeed(models.Model):
    """What the housing department needs to know of a waiting household, from its arrival."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="housing_needs"
    )
    arrival = models.OneToOneField(
        "reception.Arrival", on_delete=models.CASCADE, related_name="housing_need"
    )
    rent_budget = models.DecimalField(
        _("monthly rent budget"),
        max_digits=9,
        decimal_places=2,
        help_text=_("Computed from the expected income; change it where you know better."),
    )
    budget_set_by_hand = models.BooleanField(_("budget set by hand"), default=False)
    needs_ground_floor = models.BooleanField(_("needs the ground floor or a lift"), default=False)
    needs_treatment = models.BooleanField(_("must live near a treatment facility"), default=False)
    vulnerable = models.BooleanField(_("vulnerable: never a shared room"), default=False)
    move_in_from = models.DateField(_("can move in from"))
    move_in_by = models.DateField(_("must move in by"))
    status = models.CharField(
        _("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.WAITING
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["move_in_by", "id"]
        verbose_name = _("housing need")
        verbose_name_plural = _("housing needs")
        indexes = [models.Index(fields=["organisation", "status"], name="housing_need_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(move_in_from__lte=F("move_in_by")), name="housing_need_window"
            ),
            models.CheckConstraint(condition=Q(rent_budget__gte=0), name="housing_need_budget"),
        ]

    def __str__(self) -> str:
        return str(self.arrival.household)


class AreaRuleKind(models.TextChoices):
    FIXED = "fixed", _("Must live in")
    FORBIDDEN = "forbidden", _("Must not live in")


class AreaRule(models.Model):
    """A caseworker's fixed or forbidden area for a household, always with a reason."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    need = models.ForeignKey(HousingNeed, on_delete=models.CASCADE, related_name="area_rules")
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="+", verbose_name=_("area")
    )
    kind = models.CharField(_("rule"), max_length=10, choices=AreaRuleKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "area__name"]
        verbose_name = _("area rule")
        verbose_name_plural = _("area rules")
        constraints = [
            models.UniqueConstraint(fields=["need", "area"], name="housing_area_rule_once"),
            models.UniqueConstraint(
                fields=["need"], condition=Q(kind="fixed"), name="housing_one_fixed_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.area}"


class PlacementRun(SolverRun):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="placement_runs"
    )
    households = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)  # accepted proposals kept fixed

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("placement run")
        verbose_name_plural = _("placement runs")
        constraints = [
            # one run at a time per municipality: a second is refused with a message
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["queued", "running"]),
                name="housing_one_active_run",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Proposal(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(PlacementRun, on_delete=models.CASCADE, related_name="proposals")
    need = models.ForeignKey(HousingNeed, on_delete=models.CASCADE, related_name="proposals")
    unit = models.ForeignKey(
        HousingUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    engine_unit = models.ForeignKey(
        HousingUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cost = models.FloatField(null=True, blank=True)
    best_unit = models.ForeignKey(
        HousingUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    best_cost = models.FloatField(null=True, blank=True)
    alone = models.BooleanField(default=False)
    # the engine's reasons as codes and parameters, worded in the reader's language
    binding = models.JSONField(default=list, blank=True)
    reason = models.JSONField(null=True, blank=True)
    kept = models.BooleanField(default=False)  # accepted in an earlier run, kept fixed
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["run", "id"]
        verbose_name = _("placement proposal")
        verbose_name_plural = _("placement proposals")
        constraints = [
            models.UniqueConstraint(fields=["run", "need"], name="housing_proposal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.need} → {self.unit or '-'}"

    @property
    def overridden(self) -> bool:
        return self.unit_id != self.engine_unit_id


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the reply")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MOVED_IN = "moved_in", _("Moved in")


OPEN_OFFER = ("open", "accepted")


class Offer(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="housing_offers"
    )
    need = models.ForeignKey(HousingNeed, on_delete=models.CASCADE, related_name="offers")
    unit = models.ForeignKey(
        HousingUnit, on_delete=models.PROTECT, related_name="offers", verbose_name=_("unit")
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
    )
    offered_on = models.DateField(_("offered on"))
    reply_by = models.DateField(_("reply by"))
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    move_in_on = models.DateField(_("move-in date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-offered_on", "-id"]
        verbose_name = _("housing offer")
        verbose_name_plural = _("housing offers")
        constraints = [
            models.UniqueConstraint(
                fields=["need"], condition=Q(status__in=OPEN_OFFER), name="housing_one_open_offer"
            ),
            models.CheckConstraint(
                condition=Q(reply_by__gte=F("offered_on")), name="housing_offer_reply_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.need}"


class Tenancy(models.Model):
    """A household living in a unit, from the move-in to the move-out."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="housing_tenancies"
    )
    need = models.ForeignKey(HousingNeed, on_delete=models.CASCADE, related_name="tenancies")
    unit = models.ForeignKey(HousingUnit, on_delete=models.PROTECT, related_name="tenancies")
    offer = models.OneToOneField(
        Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="tenancy"
    )
    temporary = models.BooleanField(_("temporary"))
    moved_in_on = models.DateField(_("moved in on"))
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    monthly_payment = models.DecimalField(
        _("the household pays a month"), max_digits=9, decimal_places=2
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-moved_in_on", "-id"]
        verbose_name = _("tenancy")
        verbose_name_plural = _("tenancies")
        constraints = [
            models.UniqueConstraint(
                fields=["need"], condition=Q(moved_out_on__isnull=True), name="housing_one_home"
            ),
            models.CheckConstraint(
                condition=Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=F("moved_in_on")),
                name="housing_tenancy_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need} in {self.unit}"
