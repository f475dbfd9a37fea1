"""The estate of an operator (centres, buildings, rooms, beds), stays and case phases.

Invariants that protect residents are held by the database, not only by code:
a bed has at most one open stay and a person at most one open stay (partial
unique indexes, both backends), and on PostgreSQL no two stays of one bed or
one person overlap in time at all (exclusion constraints, migration 0002).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ankomst import limits


class CentreType(models.TextChoices):
    RECEPTION = "reception", _("Reception centre")
    RESIDENCE = "residence", _("Residence centre")
    CHILDREN = "children", _("Children's centre (unaccompanied minors)")
    RETURN = "return", _("Return centre")
    DEPARTURE = "departure", _("Departure centre")
    EMERGENCY = "emergency", _("Emergency centre")


class Catering(models.TextChoices):
    CANTEEN = "canteen", _("Canteen (meals provided)")
    SELF_CATERING = "self_catering", _("Self-catering")


class Centre(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="centres",
        verbose_name=_("operator"),
    )
    unit = models.OneToOneField(
        "accounts.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="centre",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=200)
    centre_type = models.CharField(_("type"), max_length=20, choices=CentreType.choices)
    catering = models.CharField(_("catering"), max_length=20, choices=Catering.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="centre_name_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["centre", "name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="building_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.centre} · {self.name}"


class RoomKind(models.TextChoices):
    FAMILY = "family", _("Family room")
    DORM_MALE = "dorm_male", _("Dormitory, men")
    DORM_FEMALE = "dorm_female", _("Dormitory, women")
    SINGLE = "single", _("Single room")


class Room(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="rooms")
    number = models.CharField(_("number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=RoomKind.choices)
    accessible = models.BooleanField(
        _("accessible"),
        default=False,
        help_text=_("Step-free access for persons with reduced mobility."),
    )
    floor = models.SmallIntegerField(_("floor"), default=0)
    # Order along the corridor: rooms next to each other on a floor have consecutive positions.
    position = models.PositiveIntegerField(_("position on the floor"), default=0)

    class Meta:
        ordering = ["building", "floor", "position", "number"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="room_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.building} · {self.number}"


class Bed(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="beds")
    label = models.CharField(_("bed"), max_length=10)

    class Meta:
        ordering = ["room", "label"]
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="bed_label_unique")]

    def __str__(self) -> str:
        return f"{self.room} / {self.label}"


class Closure(models.Model):
    """A bed out of use for a while (repair, damp, fire safety)."""

    bed = models.ForeignKey(Bed, on_delete=models.CASCADE, related_name="closures")
    start = models.DateField(_("from"), validators=[limits.validate_record_date])
    end = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Empty while not known."),
        validators=[limits.validate_record_date],
    )
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="closure_end_after_start",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="closure_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.bed} closed from {self.start}: {self.reason}"


class CheckOutReason(models.TextChoices):
    MUNICIPALITY = "municipality", _("Residence permit, moved to a municipality")
    DEPARTURE = "departure", _("Departure")
    OTHER_OPERATOR = "other_operator", _("Transfer to another operator")
    ABSCONDED = "absconded", _("Absconded")
    PRIVATE = "private", _("Private accommodation")
    HOSPITAL = "hospital", _("Hospital")
    DECEASED = "deceased", _("Deceased")


class Stay(models.Model):
    """A person in a bed from a moment until a moment (open while ``end`` is empty)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="stays")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="stays")
    # The operator responsible, copied from the centre for scoped queries.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"), null=True, blank=True)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next",
        help_text=_("The stay this one continues (transfer)."),
    )
    end_reason = models.CharField(
        _("check-out reason"), max_length=20, choices=CheckOutReason.choices, blank=True
    )
    is_transfer_out = models.BooleanField(default=False)
    override_reason = models.CharField(
        _("reason for overriding the suggestion"), max_length=300, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        indexes = [
            models.Index(fields=["bed", "start"], name="stay_bed_start"),
            models.Index(fields=["organisation", "start"], name="stay_org_start"),
        ]
        constraints = [
            # A bed holds at most one person now; a person holds at most one bed now.
            models.UniqueConstraint(
                fields=["bed"], condition=Q(end__isnull=True), name="stay_one_open_per_bed"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(end__isnull=True), name="stay_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="stay_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.bed_id} from {self.start:%Y-%m-%d}"


class Phase(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    BEFORE_DECISION = (
        "before_decision",
        _("Asylum procedure, before the decision on processing in Denmark"),
    )
    AFTER_DECISION = "after_decision", _("Asylum procedure, processed in Denmark")
    GRANTED = "granted", _("Granted, awaiting transfer to a municipality")
    REFUSED_APPEAL = "refused_appeal", _("Refused, appeal pending")
    FINALLY_REFUSED = "finally_refused", _("Finally refused, return or departure")


class CasePhase(models.Model):
    """One dated step in a person's case; the current phase is the latest step."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="case_phases"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    start = models.DateField(_("from"), validators=[limits.validate_record_date])
    municipality = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving municipality"),
    )
    # The municipality's code (its quota row) and name: also kept when the municipality is
    # not on Ankomst, so that the agency counts what each has received.
    municipality_code = models.CharField(max_length=8, blank=True)
    municipality_name = models.CharField(max_length=100, blank=True)
    handover_date = models.DateField(
        _("handover date"), null=True, blank=True, validators=[limits.validate_record_date]
    )
    cooperating_on_departure = models.BooleanField(
        _("cooperates on departure"),
        default=True,
        help_text=_("Refused residents who do not cooperate fall under the food-money scheme."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-start", "-id"]
        verbose_name = _("case phase")
        verbose_name_plural = _("case phases")
        indexes = [models.Index(fields=["person", "-start"], name="casephase_person_start")]
        constraints = [
            # Only the granted phase names a municipality and a handover date.
            models.CheckConstraint(
                condition=Q(phase="granted")
                | (
                    Q(municipality__isnull=True)
                    & Q(handover_date__isnull=True)
                    & Q(municipality_code="")
                ),
                name="casephase_municipality_only_when_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} from {self.start}"

    @property
    def receiving(self) -> str:
        """The receiving municipality's name, on Ankomst or not ('' while none is assigned)."""
        return str(self.municipality) if self.municipality_id else self.municipality_name
