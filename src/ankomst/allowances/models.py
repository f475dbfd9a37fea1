"""Payment runs, their explained lines, bank accounts and the pocket-money ledger.

What was paid is never rewritten: a line is inserted once and never updated
(model, queryset and a database trigger refuse it, see migration 0002); a wrong
amount is put right by a *correction*, a new line that points to the line it
corrects. The same holds for pocket-money ledger entries.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankomst.limits import EARLIEST_RECORD, MAX_AMOUNT, MAX_POCKET_MONEY, MAX_RUN_TOTAL

from .validators import validate_account


def _within(field: str, bound: Decimal) -> Q:
    """``-bound <= field <= bound``: the same plausible range on SQLite and PostgreSQL."""
    return Q(**{f"{field}__gte": -bound, f"{field}__lte": bound})


class ImmutableError(Exception):
    """Raised on any attempt to change or remove a payment line or a ledger entry."""


class Scheme(models.TextChoices):
    ALLOWANCE = "allowance", _("Cash allowance")
    POCKET_MONEY = "pocket_money", _("Pocket money (unaccompanied minors)")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked")
    EXPORTED = "exported", _("Exported")
    CANCELLED = "cancelled", pgettext_lazy("payment run", "Cancelled")


class LineStatus(models.TextChoices):
    """What the engine (or a correction) did with a line; the page shows the label."""

    PAID = "paid", pgettext_lazy("payment line", "paid")
    REDUCED = "reduced", pgettext_lazy("payment line", "reduced")
    WITHHELD = "withheld", pgettext_lazy("payment line", "withheld")
    NOT_PAID = "not_paid", pgettext_lazy("payment line", "not paid")
    CORRECTION = "correction", pgettext_lazy("payment line", "correction")


# Statuses in which the lines of a run are final and may be paid out.
FINAL_STATUSES = (RunStatus.LOCKED, RunStatus.EXPORTED)


# Why a resident of the operator is left out of a run: the code and its parameters are
# stored with the run, the text is translated when shown.
SKIP_REASONS = {
    "no_birth_date": _("no date of birth registered"),
    "born_after_cutoff": _("born after the cut-off date"),
    "paid_elsewhere": _(
        "asylum case %(case)s is already in %(operator)s's payment run for %(period)s, "
        "which covers this whole period"
    ),
    "paid_elsewhere_gap": _(
        "asylum case %(case)s is already in %(operator)s's payment run for %(period)s, "
        "so it is not paid in this run; days of this period outside that one are paid by "
        "neither run and must be paid by hand"
    ),
    "paid_in_part": _(
        "asylum case %(case)s is in %(operator)s's payment run for %(period)s, so it is paid "
        "here for %(days)s only"
    ),
    "handed_over": _(
        "handed over to the municipality on %(date)s: the municipality pays from that day"
    ),
    "paid_until_handover": _(
        "handed over to the municipality on %(date)s, so it is paid here for %(days)s only"
    ),
}


def skip_reason(code: str, params: dict) -> str:
    """The text of a skip reason in the current language."""
    text = str(SKIP_REASONS[code])
    return text % params if params else text


class PaymentRunQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=RunStatus.CANCELLED)


class PaymentRun(models.Model):
    """One payment of one scheme for one period to every resident of an operator."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="payment_runs",
        verbose_name=_("operator"),
    )
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    cutoff = models.DateField(
        _("cut-off date"), help_text=_("The status on this day decides the whole period.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    country = models.CharField(_("country"), max_length=2)
    currency = models.CharField(_("currency"), max_length=3)
    rates_year = models.PositiveSmallIntegerField(_("rate table year"))
    rates_digest = models.CharField(_("rate table digest"), max_length=64)
    total_cash = models.DecimalField(
        _("total cash"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    total_in_kind = models.DecimalField(
        _("total in kind"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    residents = models.PositiveIntegerField(_("residents"), default=0)
    # Residents who could not be computed (no date of birth, ...), with the reason.
    skipped = models.JSONField(_("not computed"), default=list, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Goes up with every change of what the run pays (a correction) and of its status, so that
    # an approval, a lock or an export applies to the run as the page showed it, not as it
    # became in the meantime.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = PaymentRunQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "scheme", "-id"]
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        constraints = [
            # Paying nothing twice: one live run per operator, scheme and period. A second
            # prepare, even racing in another process, fails here if the lock was bypassed.
            models.UniqueConstraint(
                fields=["organisation", "scheme", "period_start"],
                condition=~Q(status="cancelled"),
                name="payrun_one_live_per_period",
            ),
            # Four eyes: whoever prepared a run can never be the one who approves it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")),
                name="payrun_four_eyes",
            ),
            # Approved, locked and exported runs name their approver.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"]) | Q(approved_by__isnull=False),
                name="payrun_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="payrun_period_order"
            ),
            # Paid in advance: the status is read on or before the first day.
            models.CheckConstraint(
                condition=Q(cutoff__lte=F("period_start")), name="payrun_cutoff_before_start"
            ),
            # Plausible dates and totals (ankomst.limits), so that no typing error is stored.
            models.CheckConstraint(
                condition=Q(cutoff__gte=EARLIEST_RECORD), name="payrun_dates_plausible"
            ),
            models.CheckConstraint(
                condition=_within("total_cash", MAX_RUN_TOTAL)
                & _within("total_in_kind", MAX_RUN_TOTAL),
                name="payrun_totals_plausible",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_scheme_display()} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"
        )

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    def skipped_reasons(self) -> list[tuple[int, str]]:
        """(person id, why not computed) in the current language."""
        return [
            (
                item["person_id"],
                skip_reason(item["code"], item["params"])
                if item.get("code") in SKIP_REASONS
                else item["reason"],
            )
            for item in self.skipped
        ]


class PaymentLineQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("payment lines cannot be changed; add a correction line")

    def delete(self):
        raise ImmutableError("payment lines cannot be deleted; add a correction line")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableError("payment lines cannot be changed; add a correction line")


class PaymentLine(models.Model):
    """One explained line of a payment: rule, rate, units, deduction and amount."""

    # Lines are read run by run (the index on run and household key below serves that), so
    # the run, household and author keys carry no index of their own: a run writes tens of
    # thousands of lines, and every index costs on each of them.
    run = models.ForeignKey(
        PaymentRun, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    household = models.ForeignKey(
        "people.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
        db_index=False,
    )
    # "h<household id>", or "p<person id>" for a person paid as their own household.
    household_key = models.CharField(_("paid household"), max_length=24)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    rule = models.CharField(_("rule"), max_length=60)
    status = models.CharField(_("status"), max_length=12, choices=LineStatus.choices)
    kind = models.CharField(_("kind"), max_length=8)
    rate = models.DecimalField(_("rate"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=8)
    units = models.IntegerField(_("units"))
    gross = models.DecimalField(_("gross"), max_digits=12, decimal_places=2)
    deduction = models.DecimalField(_("deduction"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    confirmed = models.BooleanField(_("rate confirmed"), default=True)
    explanation = models.TextField(_("explanation"))
    params = models.JSONField(_("parameters"), default=dict)
    correction_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PaymentLineQuerySet.as_manager()

    class Meta:
        ordering = ["run", "household_key", "id"]
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        indexes = [
            # The run page and the exports read a run's lines household by household.
            models.Index(fields=["run", "household_key"], name="payline_run_household"),
        ]
        constraints = [
            # Rounded to øre: SQLite compares decimal columns as floating point, where
            # 126.28 - 18.04 is 108.24000000000001; on PostgreSQL the rounding changes nothing.
            models.CheckConstraint(
                condition=Q(amount=Round(F("gross") - F("deduction"), 2)),
                name="payline_amount_is_gross_less_deduction",
            ),
            models.CheckConstraint(condition=~Q(explanation=""), name="payline_explained"),
            # Every amount of a line within the plausible range (ankomst.limits.MAX_AMOUNT): far
            # below what the columns hold, so both backends refuse the same values the same way.
            models.CheckConstraint(
                condition=_within("rate", MAX_AMOUNT)
                & _within("gross", MAX_AMOUNT)
                & _within("deduction", MAX_AMOUNT)
                & _within("amount", MAX_AMOUNT),
                name="payline_amounts_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ImmutableError("payment lines cannot be changed; add a correction line")
        # The run's status as stored now, not as this instance happened to load it.
        status = PaymentRun.objects.filter(pk=self.run_id).values_list("status", flat=True).first()
        if status != RunStatus.DRAFT:
            raise ImmutableError(f"lines are only added to a draft run; this run is {status}")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("payment lines cannot be deleted; add a correction line")


class PayeeAccount(models.Model):
    """The bank account a resident's household is paid to; without one, cash at the office."""

    person = models.OneToOneField(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="payee_account",
        verbose_name=_("person"),
    )
    bank_account = models.CharField(  # noqa: DJ001 - NULL means "no account: cash at the office"
        _("bank account"),
        max_length=40,
        null=True,
        blank=True,
        validators=[validate_account],
        help_text=_("IBAN (e.g. DK50 0040 0440 1162 43) or Danish reg. and account number."),
    )
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payee account")
        verbose_name_plural = _("payee accounts")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.bank_account or '-'}"


class OperatorAccount(models.Model):
    """The operator's own account, the debtor of the bank payment file."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="operator_account",
        verbose_name=_("operator"),
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_account])
    bic = models.CharField(_("BIC"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("operator account")
        verbose_name_plural = _("operator accounts")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.iban}"


class EntryKind(models.TextChoices):
    PAYOUT = "payout", _("Pocket money paid out")
    MANUAL = "manual", _("Manual entry")


class LedgerEntryQuerySet(PaymentLineQuerySet):
    pass


class PocketMoneyEntry(models.Model):
    """One movement in a minor's pocket-money ledger; the balance is the sum."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="pocket_money_entries",
        verbose_name=_("minor"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Negative for money spent or handed back."),
    )
    reason = models.CharField(_("reason"), max_length=300)
    # A payout comes from exactly one line of a locked pocket-money run, once.
    line = models.OneToOneField(
        PaymentLine, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entry"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["person", "on", "id"]
        verbose_name = _("pocket-money entry")
        verbose_name_plural = _("pocket-money entries")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="pocketmoney_reason_required"),
            models.CheckConstraint(
                condition=_within("amount", MAX_POCKET_MONEY) & Q(on__gte=EARLIEST_RECORD),
                name="pocketmoney_entry_plausible",
            ),
            # A payout names its run line; a manual entry never does.
            models.CheckConstraint(
                condition=(Q(kind="payout") & Q(line__isnull=False))
                | (Q(kind="manual") & Q(line__isnull=True)),
                name="pocketmoney_payout_has_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.amount} ({self.reason})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ImmutableError("ledger entries cannot be changed; add a new entry")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("ledger entries cannot be deleted; add a new entry")


class MoneyNote(models.Model):
    """Staff's dated note on a minor's money management (life-skills guidance)."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="money_notes",
        verbose_name=_("minor"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("date"))
    text = models.TextField(_("note"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-on", "-id"]
        verbose_name = _("money-management note")
        verbose_name_plural = _("money-management notes")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="moneynote_text_required")
        ]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:40]}"
