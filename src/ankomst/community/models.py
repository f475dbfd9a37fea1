"""Community: volunteers and their organisations' partners, households waiting for a contact
person or network family and their matches, associations' offers and who was bridged to them,
childcare shifts beside the language classes, and events.

Personal data of residents stays with the organisation that holds it (a municipality, an
operator). A volunteer organisation sees a household only through a ``Referral``: what the
household agreed to share, recorded with its consent, and nothing of the register.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ankomst import limits
from ankomst.money import currency_for_country


class Interest(models.TextChoices):
    SPORT = "sport", _("Sport and exercise")
    COOKING = "cooking", _("Cooking and food")
    MUSIC = "music", _("Music")
    CRAFTS = "crafts", _("Crafts and repairs")
    NATURE = "nature", _("Nature and walks")
    CHILDREN = "children", _("Children's play")
    READING = "reading", _("Books and reading")
    TECHNOLOGY = "technology", _("Computers and technology")
    CULTURE = "culture", _("Culture and museums")
    GARDENING = "gardening", _("Gardening")
    LANGUAGE = "language", _("Practising the language")
    JOBS = "jobs", _("Jobs and education")


class MatchKind(models.TextChoices):
    CONTACT_PERSON = "contact_person", _("Contact person")
    NETWORK_FAMILY = "network_family", _("Network family")


class VolunteerHousehold(models.TextChoices):
    SINGLE = "single", _("Lives alone")
    COUPLE = "couple", _("Couple")
    FAMILY = "family", _("Family with children")


class HouseholdWish(models.TextChoices):
    ANY = "", _("No preference")
    FAMILY = "family", _("A family with children")
    ADULTS = "adults", _("Adults without children")


class SexWish(models.TextChoices):
    ANY = "", _("No wish")
    FEMALE = "F", _("A woman")
    MALE = "M", _("A man")


class Partnership(models.Model):
    """A volunteer organisation works with a municipality or an operator: it receives the
    households they refer, and looks after children during their language classes."""

    volunteer_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=_("volunteer organisation"),
    )
    partner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="volunteer_partnerships",
        verbose_name=_("partner"),
    )
    since = models.DateField(_("since"))

    class Meta:
        ordering = ["volunteer_organisation__name", "partner__name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer_organisation", "partner"], name="partnership_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_organisation} – {self.partner}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Volunteer(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("organisation"),
    )
    # Their own login (a user with the volunteer role in the organisation), if they have one.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    sex = models.CharField(
        _("sex"), max_length=1, choices=SexWish.choices[1:] + [("X", _("Other"))]
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    place = models.CharField(_("lives in"), max_length=100, help_text=_("Town or district."))
    # {language code: level} with the levels of people.LanguageLevel.
    languages = models.JSONField(_("languages"), default=dict, blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    availability = models.CharField(
        _("availability"), max_length=200, blank=True, help_text=_("E.g. “weekday mornings”.")
    )
    contact_person = models.BooleanField(_("can be a contact person"), default=False)
    network_family = models.BooleanField(_("can be a network family"), default=False)
    household = models.CharField(
        _("own household"),
        max_length=8,
        choices=VolunteerHousehold.choices,
        default=VolunteerHousehold.SINGLE,
    )
    prefers = models.CharField(
        _("would rather meet"), max_length=8, choices=HouseholdWish.choices, blank=True, default=""
    )
    max_matches = models.PositiveSmallIntegerField(
        _("households at most"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    earlier_arrival = models.BooleanField(
        _("came as a refugee"),
        default=False,
        help_text=_("An earlier arrival who helps new ones: a resource person."),
    )
    certificate_date = models.DateField(
        _("child-protection certificate issued"),
        null=True,
        blank=True,
        validators=[limits.validate_record_date],
    )
    # The certificate whose running out the volunteer and coordinator were reminded of.
    certificate_reminded_for = models.DateField(null=True, blank=True, editable=False)
    joined_on = models.DateField(_("joined"), validators=[limits.validate_record_date])
    active = models.BooleanField(_("active"), default=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        indexes = [models.Index(fields=["organisation", "active"], name="volunteer_org_active")]

    def __str__(self) -> str:
        return self.name


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a match")
    MATCHED = "matched", _("Matched")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Referral(models.Model):
    """A household that asked for a contact person or a network family, with its consent.

    Holds only what the household agreed that the volunteers may know; the household's
    record stays with the referring organisation.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("referred by"),
    )
    volunteer_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("volunteer organisation"),
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    kind = models.CharField(_("asks for"), max_length=16, choices=MatchKind.choices)
    consent_on = models.DateField(_("consent given on"), validators=[limits.validate_record_date])
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    contact_name = models.CharField(
        _("name to use"), max_length=100, help_text=_("How the volunteer may address them.")
    )
    adults = models.PositiveSmallIntegerField(_("adults"))
    children_ages = models.JSONField(_("children's ages"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=dict, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    place = models.CharField(_("lives in"), max_length=100)
    wishes = models.CharField(_("wishes"), max_length=500, blank=True)
    volunteer_sex = models.CharField(
        _("volunteer wished"), max_length=1, choices=SexWish.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.WAITING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["volunteer_organisation", "status"], name="referral_org_status")
        ]
        constraints = [
            # A household asks once at a time for each kind; a second row would be matched twice.
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=~Q(status="withdrawn"),
                name="referral_open_once",
            ),
            models.CheckConstraint(condition=Q(adults__gte=1), name="referral_has_adult"),
        ]

    def __str__(self) -> str:
        return self.contact_name

    @property
    def persons(self) -> int:
        return self.adults + len(self.children_ages or [])


class MatchStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Completed as agreed")
    MOVED = "moved", _("The household moved")
    NO_CONTACT = "no_contact", _("Lost contact")
    VOLUNTEER_STOPPED = "volunteer_stopped", _("The volunteer stopped")
    HOUSEHOLD_DECLINED = "household_declined", _("The household did not want to go on")
    OTHER = "other", _("Other reason")


class Match(models.Model):
    """A volunteer and a household, confirmed by the coordinator."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="matches",
        verbose_name=_("volunteer organisation"),
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="matches", verbose_name=_("household")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="matches", verbose_name=_("volunteer")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=MatchStatus.choices, default=MatchStatus.ACTIVE
    )
    started_on = models.DateField(_("started"), validators=[limits.validate_record_date])
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("note"), max_length=300, blank=True)
    score = models.FloatField(_("score"), default=0)
    explanation = models.JSONField(default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            # A household has one contact person or family at a time.
            models.UniqueConstraint(
                fields=["referral"], condition=~Q(status="ended"), name="match_one_open"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="match_ends_after_start",
                violation_error_message=_("A match cannot end before it started."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} – {self.referral}"


class Meeting(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"), validators=[limits.validate_record_date])
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(24)],
    )
    note = models.CharField(_("what you did"), max_length=300, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="meeting_hours_plausible",
                violation_error_message=_("Half an hour to 24 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} ({self.hours} h)"


class OfferKind(models.TextChoices):
    SPORT = "sport", _("Sport")
    CULTURE = "culture", _("Culture")
    LIBRARY = "library", _("Library")
    LANGUAGE_CAFE = "language_cafe", _("Language café")
    PARENTS = "parents", _("Parents' network")
    OTHER = "other", _("Other")


class Association(models.Model):
    """A club or association whose offers the volunteer organisation keeps in its catalogue."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="associations",
        verbose_name=_("kept by"),
    )
    name = models.CharField(_("name"), max_length=200)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="association_once",
                violation_error_message=_(
                    "An association of this name is in the catalogue already."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OfferSex(models.TextChoices):
    ANY = "", _("Everyone")
    FEMALE = "F", _("Girls and women")
    MALE = "M", _("Boys and men")


class Offer(models.Model):
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="offers", verbose_name=_("association")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    age_min = models.PositiveSmallIntegerField(
        _("from age"), default=0, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("to age"), default=120, validators=[MaxValueValidator(120)]
    )
    sex = models.CharField(_("for"), max_length=1, choices=OfferSex.choices, blank=True, default="")
    place = models.CharField(_("place"), max_length=200)
    cost = models.DecimalField(
        _("cost per month"),
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100000)],
    )
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("E.g. “Danish, English”.")
    )
    when = models.CharField(_("when"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_max__gte=F("age_min")),
                name="offer_age_range",
                violation_error_message=_("The upper age is below the lower one."),
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="offer_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def currency(self) -> str:
        return currency_for_country(self.association.organisation.country)


class Bridge(models.Model):
    """A person bridged to an offer, with their consent, and followed up after 1, 3, 6 months."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="bridges",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="bridges", verbose_name=_("person")
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="bridges", verbose_name=_("offer")
    )
    started_on = models.DateField(_("started"), validators=[limits.validate_record_date])
    consent_on = models.DateField(_("consent given on"), validators=[limits.validate_record_date])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = _("bridge to an offer")
        verbose_name_plural = _("bridges to offers")
        constraints = [
            models.UniqueConstraint(fields=["person", "offer"], name="bridge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.offer}"


class BridgeCheck(models.Model):
    """Does the person still take part, ``month`` months after the start?"""

    bridge = models.ForeignKey(Bridge, on_delete=models.CASCADE, related_name="checks")
    month = models.PositiveSmallIntegerField(_("after months"))
    taking_part = models.BooleanField(_("still taking part"))
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["bridge", "month"]
        verbose_name = _("follow-up of a bridge")
        verbose_name_plural = _("follow-ups of bridges")
        constraints = [
            models.UniqueConstraint(fields=["bridge", "month"], name="bridge_check_once"),
            models.CheckConstraint(condition=Q(month__in=[1, 3, 6]), name="bridge_check_month"),
        ]

    def __str__(self) -> str:
        return f"{self.bridge_id} after {self.month} months"


class ShiftKind(models.TextChoices):
    CHILDCARE = "childcare", _("Childcare during a language class")
    EVENT = "event", _("Helping at an event")
    OTHER = "other", _("Other shift")


class ShiftTemplate(models.Model):
    """How childcare beside a class is staffed: how many children per volunteer, and when."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="shift_templates"
    )
    name = models.CharField(_("name"), max_length=100)
    children_per_volunteer = models.PositiveSmallIntegerField(
        _("children per volunteer"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    min_volunteers = models.PositiveSmallIntegerField(
        _("volunteers at least"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    child_age_below = models.PositiveSmallIntegerField(
        _("children younger than"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(18)],
        help_text=_("Older children are at school during the class."),
    )
    minutes_before = models.PositiveSmallIntegerField(
        _("minutes before the class"), default=15, validators=[MaxValueValidator(120)]
    )
    minutes_after = models.PositiveSmallIntegerField(
        _("minutes after the class"), default=15, validators=[MaxValueValidator(120)]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("shift template")
        verbose_name_plural = _("shift templates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="shift_template_once",
                violation_error_message=_("A template of this name exists already."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction of new arrivals")
    LANGUAGE_CAFE = "language_cafe", _("Language café")
    SOCIAL_EVENING = "social_evening", _("Social evening")
    OTHER = "other", _("Other event")


class Event(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="community_events",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), validators=[limits.validate_record_date])
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=30, validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    helpers = models.PositiveSmallIntegerField(
        _("volunteers needed"), default=0, validators=[MaxValueValidator(100)]
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgeBand(models.TextChoices):
    CHILD = "0-14", _("0–14 years")
    YOUTH = "15-24", _("15–24 years")
    ADULT = "25-49", _("25–49 years")
    OLDER = "50+", _("50 years or more")


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    if age < 15:
        return AgeBand.CHILD
    if age < 25:
        return AgeBand.YOUTH
    if age < 50:
        return AgeBand.ADULT
    return AgeBand.OLDER


class Participant(models.Model):
    """Someone signed up for an event: a first name, sex and age band, for the figures."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("first name"), max_length=100)
    sex = models.CharField(
        _("sex"), max_length=1, choices=SexWish.choices[1:] + [("X", _("Other"))]
    )
    age_band = models.CharField(_("age"), max_length=5, choices=AgeBand.choices)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="shifts",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ShiftKind.choices)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    needed = models.PositiveSmallIntegerField(
        _("volunteers needed"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    children = models.PositiveSmallIntegerField(_("children expected"), default=0)
    # Any shift with children needs a valid child-protection certificate.
    with_children = models.BooleanField(_("with children"), default=False)
    # The class session it looks after the children of, or the event it helps at.
    session = models.ForeignKey(
        "activities.Session", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="shifts"
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        indexes = [
            models.Index(fields=["organisation", "starts_at"], name="shift_org_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="shift_ends_after_start",
                violation_error_message=_("The shift must end after it starts."),
            ),
            models.CheckConstraint(condition=Q(needed__gte=1), name="shift_needs_someone"),
            # One childcare shift per class session and organisation: generating again updates it.
            models.UniqueConstraint(
                fields=["organisation", "session"],
                condition=Q(session__isnull=False),
                name="shift_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered: waiting for an answer")
    CANCELLED = "cancelled", _("Cancelled")


class Signup(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    status = models.CharField(_("status"), max_length=10, choices=SignupStatus.choices)
    cover_wanted = models.BooleanField(_("cover wanted"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        indexes = [models.Index(fields=["volunteer", "status"], name="signup_volunteer_status")]
        constraints = [
            # Once per shift: a cancelled sign-up may be followed by a new one.
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=~Q(status="cancelled"),
                name="signup_once_per_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} on {self.shift} ({self.status})"
