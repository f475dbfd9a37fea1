"""Arrivals in a municipality, their pre-arrival checklist, integration plans and children's start.

An arrival belongs to the receiving municipality. Its household is the municipality's own
record (people.Household of the municipality), copied from the centre's when the national
agency assigns the household; the centre's record stays the operator's, and the hand-over
package is read from it through the arrival, audited in both organisations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankomst.accounts.models import UnitKind


class Origin(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assigned by the national agency")
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported")


class ArrivalStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", pgettext_lazy("arrival", "Cancelled")


class HomeKind(models.TextChoices):
    NONE = "", _("Not yet housed")
    PERMANENT = "permanent", _("Permanent home")
    TEMPORARY = "temporary", _("Temporary housing")


class HouseholdType(models.TextChoices):
    SINGLE = "single", _("Single adult")
    COUPLE = "couple", _("Couple")
    FAMILY = "family", _("Family with children")
    MINOR = "minor", _("Unaccompanied minor")


class Arrival(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="arrivals",
        verbose_name=_("municipality"),
    )
    household = models.OneToOneField(
        "people.Household",
        on_delete=models.PROTECT,
        related_name="arrival",
        verbose_name=_("household"),
    )
    household_type = models.CharField(
        _("household type"), max_length=10, choices=HouseholdType.choices
    )
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    # The centre's household and operator, for the hand-over package (assignment only).
    source_household = models.ForeignKey(
        "people.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from operator"),
    )
    decision_date = models.DateField(_("assignment decision"))
    rule_handover_date = models.DateField(_("handover date by the rule"))
    handover_date = models.DateField(_("handover date"))
    agreed_by = models.CharField(
        _("earlier handover agreed with"),
        max_length=200,
        blank=True,
        help_text=_("Who at the centre agreed to hand over before the rule's date."),
    )
    agreed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ArrivalStatus.choices, default=ArrivalStatus.ANNOUNCED
    )
    # The housing need: the seam to the housing department's placement.
    persons = models.PositiveSmallIntegerField(_("persons"))
    needs_accessible_housing = models.BooleanField(_("needs accessible housing"), default=False)
    first_home = models.CharField(
        _("first home"), max_length=10, choices=HomeKind.choices, blank=True
    )
    permanent_home_from = models.DateField(_("in a permanent home from"), null=True, blank=True)
    interpreter_language = models.CharField(_("interpreter needed for"), max_length=16, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["handover_date", "id"]
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        indexes = [
            models.Index(fields=["organisation", "handover_date"], name="arrival_org_handover"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handover_date__lte=F("rule_handover_date"))
                | Q(origin="manual")
                | Q(origin="import"),
                name="arrival_handover_not_after_rule",
            ),
            models.CheckConstraint(condition=Q(persons__gte=1), name="arrival_has_persons"),
        ]

    def __str__(self) -> str:
        return f"{self.household} → {self.handover_date:%Y-%m-%d}"


class TaskScope(models.TextChoices):
    HOUSEHOLD = "household", _("the household")
    ADULT = "adult", _("each adult")
    CHILD_0_5 = "child_0_5", _("each child under 6")
    CHILD_6_16 = "child_6_16", _("each child 6–16")
    CHILD = "child", _("each child")


class ChecklistItem(models.Model):
    """One line of a municipality's checklist template for a household type."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="checklist_items"
    )
    household_type = models.CharField(
        _("household type"), max_length=10, choices=HouseholdType.choices
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("task"), max_length=200)
    department = models.CharField(_("department"), max_length=32, choices=UnitKind.choices)
    scope = models.CharField(_("for"), max_length=12, choices=TaskScope.choices)
    months_from_handover = models.PositiveSmallIntegerField(
        _("due, months from the handover"),
        default=0,
        help_text=_(
            "Legal deadlines counted in months, e.g. the integration contract within 1 month."
        ),
    )
    days_from_handover = models.SmallIntegerField(
        _("and days"),
        help_text=_("Negative: before the household arrives."),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["household_type", "days_from_handover", "code"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "household_type", "code"], name="checklist_item_unique"
            ),
            models.CheckConstraint(
                condition=Q(days_from_handover__gte=-120) & Q(days_from_handover__lte=365),
                name="checklist_item_due_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days_before(self) -> int:
        return -self.days_from_handover


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task", "Open")
    DONE = "done", _("Done")
    NOT_NEEDED = "not_needed", _("Not needed")


class Task(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="reception_tasks"
    )
    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="tasks")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("task"), max_length=200)
    department = models.CharField(_("department"), max_length=32, choices=UnitKind.choices)
    months_from_handover = models.PositiveSmallIntegerField(default=0)
    days_from_handover = models.SmallIntegerField()
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Bumped on every change: a form carries it, and a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(
                fields=["organisation", "department", "status", "due_on"], name="task_queue"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["arrival", "code", "person"],
                condition=Q(person__isnull=False),
                name="task_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["arrival", "code"],
                condition=Q(person__isnull=True),
                name="task_once_per_household",
            ),
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True) | ~Q(status="open"),
                name="task_open_not_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class HandOff(models.Model):
    """A task passed from one department to another, with a note the receiver acknowledges."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="handoffs")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    from_department = models.CharField(_("from"), max_length=32, choices=UnitKind.choices)
    to_department = models.CharField(_("to"), max_length=32, choices=UnitKind.choices)
    note = models.CharField(_("note"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("handed off at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_department=F("to_department")), name="handoff_to_another"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_department} → {self.to_department}: {self.task_id}"


class Programme(models.TextChoices):
    INTEGRATION = "integration", _("Integration programme")
    SELF_SUPPORT = "self_support", _("Self-support and return programme")


class PlanStatusKind(models.TextChoices):
    LANGUAGE_SCHOOL = "language_school", _("Danish language school")
    INTERNSHIP = "internship", _("Internship")
    WAGE_SUBSIDY = "wage_subsidy", _("Wage subsidy job")
    EDUCATION = "education", _("In education")
    ORDINARY_JOB = "ordinary_job", _("Ordinary job")
    SELF_SUPPORTING = "self_supporting", _("Self-supporting")
    HEALTH = "health", _("Not available for health reasons (individual plan)")


# The strategy's goal: every adult in education or work within the integration period.
IN_EDUCATION_OR_WORK = frozenset(
    {PlanStatusKind.EDUCATION, PlanStatusKind.ORDINARY_JOB, PlanStatusKind.SELF_SUPPORTING}
)
# On the way there: activities that lead to education or work.
ON_THE_WAY = frozenset({PlanStatusKind.INTERNSHIP, PlanStatusKind.WAGE_SUBSIDY})


class IntegrationPlan(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="integration_plan"
    )
    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="plans")
    programme = models.CharField(
        _("programme"), max_length=16, choices=Programme.choices, default=Programme.INTEGRATION
    )
    contract_signed_on = models.DateField(_("integration contract signed"), null=True, blank=True)
    language_module = models.PositiveSmallIntegerField(
        _("Danish language school module"), null=True, blank=True
    )
    education = models.TextField(_("education"), blank=True)
    work_experience = models.TextField(_("work experience"), blank=True)
    interests = models.TextField(_("interests and competences"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("integration plan")
        verbose_name_plural = _("integration plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(language_module__isnull=True)
                | (Q(language_module__gte=1) & Q(language_module__lte=6)),
                name="plan_language_module_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan of person {self.person_id}"


class PlanStatus(models.Model):
    """One dated step of an adult's way to education or work; the current one is the latest."""

    plan = models.ForeignKey(IntegrationPlan, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(_("status"), max_length=20, choices=PlanStatusKind.choices)
    start = models.DateField(_("from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "start", "id"]
        verbose_name = _("plan status")
        verbose_name_plural = _("plan statuses")

    def __str__(self) -> str:
        return f"{self.status} from {self.start:%Y-%m-%d}"


class ChildOffer(models.TextChoices):
    DAYCARE = "daycare", _("Day care")
    SCHOOL = "school", _("School")
    RECEPTION_CLASS = "reception_class", _("Reception class")


class ChildStart(models.Model):
    """When a child started day care or school, and the reception class with its 2-year limit."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="child_start"
    )
    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="child_starts")
    offer = models.CharField(_("offer"), max_length=20, choices=ChildOffer.choices)
    place = models.CharField(_("institution"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    reception_class_until = models.DateField(_("reception class until"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("child's start")
        verbose_name_plural = _("children's start")

    def __str__(self) -> str:
        return f"{self.offer} of person {self.person_id}"


class FollowUpKind(models.TextChoices):
    FAMILY_CONSULTANT = "family_consultant", _("Family consultant")
    PARENT_COURSE = "parent_course", _("Parent course")
    HEALTH_VISITOR = "health_visitor", _("Health visitor")
    DENTAL = "dental", _("Child dental care")


class FamilyFollowUp(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("follow-up"), max_length=20, choices=FollowUpKind.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("family follow-up")
        verbose_name_plural = _("family follow-ups")

    def __str__(self) -> str:
        return f"{self.kind} on {self.on:%Y-%m-%d}"


class EventKind(models.TextChoices):
    ANNOUNCED = "announced", _("Arrival announced")
    HANDOVER_MOVED = "handover_moved", _("Handover date moved")
    TASK_DONE = "task_done", _("Task done")
    TASK_NOT_NEEDED = "task_not_needed", _("Task marked not needed")
    HANDED_OFF = "handed_off", _("Handed off")
    ACKNOWLEDGED = "acknowledged", _("Hand-off acknowledged")
    PLAN_STATUS = "plan_status", _("Integration plan status")
    CHILD_STARTED = "child_started", _("Child started")
    FOLLOW_UP = "follow_up", _("Family follow-up")
    HOME = "home", _("Housing recorded")
    RECEIVED = "received", _("Household received")


class ReceptionEvent(models.Model):
    """The household's timeline: one row per thing that happened, in order."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Names and titles as entered; a choice (a plan status, an offer) as its code, shown in
    # the reader's language.
    text = models.CharField(_("details"), max_length=500, blank=True)
    code = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("reception event")
        verbose_name_plural = _("reception events")

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def code_label(self) -> str:
        for choices in (PlanStatusKind, ChildOffer, HomeKind, FollowUpKind, UnitKind, Origin):
            if self.code in choices.values:
                return str(choices(self.code).label)
        return ""
