"""Teaching, activation and leisure in a centre: activities, their sessions,
who is enrolled, who attended, and the residence contract of every adult."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ankomst import limits


class ActivityKind(models.TextChoices):
    DANISH = "danish", _("Danish teaching")
    ENGLISH = "english", _("English teaching")
    SCHOOL = "school", _("School for children 6–16")
    ASYLUM_COURSE = "asylum_course", _("Asylum course")
    INTERNAL_TASKS = "internal_tasks", _("Internal tasks in the centre")
    INTERNSHIP = "internship", _("External internship")
    LEISURE = "leisure", _("Leisure")
    HEALTH_INFORMATION = "health_information", _("Health information")


class Activity(models.Model):
    """A course, a task team or a recurring leisure offer, run by an operator."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(
        _("usual place"),
        max_length=200,
        blank=True,
        help_text=_("Proposed for new sessions, e.g. “Ranum, classroom 2”."),
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("usual teacher"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            # Staff pick activities by name; two with one name in an operator would be mixed up.
            models.UniqueConstraint(
                fields=["organisation", "name"], name="activity_name_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One meeting of an activity: a date, a time, a place and a teacher."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    date = models.DateField(_("date"), validators=[limits.validate_record_date])
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sessions_taught",
        verbose_name=_("teacher"),
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            # A teacher's day and the week's schedule are read by date.
            models.Index(fields=["teacher", "date"], name="session_teacher_date"),
            models.Index(fields=["date", "starts_at"], name="session_date_start"),
        ]
        constraints = [
            # A session never ends before it starts: attended hours would turn negative.
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.date:%Y-%m-%d} {self.starts_at:%H:%M}"

    @property
    def hours(self) -> Decimal:
        start = dt.datetime.combine(self.date, self.starts_at)
        end = dt.datetime.combine(self.date, self.ends_at)
        return (Decimal((end - start).total_seconds()) / 3600).quantize(Decimal("0.01"))


class Enrolment(models.Model):
    """A resident taking part in an activity from a date, until ``ended_on`` if set."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("person"),
    )
    enrolled_on = models.DateField(_("enrolled from"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__name_latin", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # One row per person and activity; leaving and coming back reuses it.
            models.UniqueConstraint(
                fields=["activity", "person"], name="enrolment_once_per_activity"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("enrolled_on")),
                name="enrolment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.activity}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("person"),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        indexes = [
            # The allowance reads absences per person over a period.
            models.Index(fields=["person", "status"], name="attendance_person_status"),
        ]
        constraints = [
            # One mark per person and session: two taps at once must update, never duplicate,
            # or an absence would be counted twice against the allowance.
            models.UniqueConstraint(
                fields=["session", "person"], name="attendance_once_per_session"
            ),
            # An excuse without a reason cannot be checked afterwards.
            models.CheckConstraint(
                condition=~Q(status="excused") | ~Q(reason=""), name="attendance_excuse_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.status} {self.session}"


class ContractStatus(models.TextChoices):
    SIGNED = "signed", _("Signed and kept")
    BROKEN = "broken", _("Broken")
    NOT_REQUIRED = "not_required", _("Not required")


class ResidenceContract(models.Model):
    """The residence contract (Udlændingeloven § 42 c) of one adult resident."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="residence_contracts",
        verbose_name=_("organisation"),
    )
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="residence_contract",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=16, choices=ContractStatus.choices)
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, validators=[limits.validate_past_date]
    )
    hours_per_week = models.DecimalField(
        _("agreed hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    covers = models.TextField(_("tasks, teaching and activation covered"), blank=True)
    sanctions = models.TextField(
        _("sanctions stated"),
        blank=True,
        help_text=_("What happens when the contract is not kept, as told to the resident."),
    )
    not_required_reason = models.CharField(
        _("why no contract is required"), max_length=300, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("residence contract")
        verbose_name_plural = _("residence contracts")
        constraints = [
            # A signed (or later broken) contract has a date, hours and content; without them
            # the breach rule and the allowance cannot rely on it.
            models.CheckConstraint(
                condition=Q(status="not_required")
                | (Q(signed_on__isnull=False) & Q(hours_per_week__isnull=False) & ~Q(covers="")),
                name="contract_signed_is_complete",
            ),
            # "Not required" must say why, e.g. a refused person in a departure centre.
            models.CheckConstraint(
                condition=~Q(status="not_required") | ~Q(not_required_reason=""),
                name="contract_exemption_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Residence contract of {self.person}"
