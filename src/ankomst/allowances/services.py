"""Writes of payment runs: prepare, approve, lock, cancel, correct; pocket money; accounts.

Paying nothing twice rests on four things: the operator's row is locked
(``select_for_update``) while a run is prepared, so two prepares for one operator
run one after the other; inside that lock a run overlapping the period is
refused; a unique constraint keeps one live run per operator, scheme and
period start even if the lock were bypassed; and a resident whose asylum case is
already in another operator's live run for an overlapping period (a transfer
between operators whose periods or cut-off dates differ) is paid only for the days
at the start or end of the period that the other run does not cover (or left out),
under a lock per country and scheme so that two operators preparing at once see
each other. Four eyes: the service refuses an approval by the preparer (or by anyone
who wrote a line of the run), and a check constraint refuses it in the database too.
"""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ankomst.accounts.models import Organisation
from ankomst.accounts.permissions import require_perm
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.people.models import Person

from .collect import collect
from .engine import AllowanceInputError, Payment, Period, compute_run, pocket_money_run
from .models import (
    EntryKind,
    MoneyNote,
    PayeeAccount,
    PaymentLine,
    PaymentRun,
    PocketMoneyEntry,
    RunStatus,
    Scheme,
)
from .rates import RateTable, RateTableError, load_rates
from .validators import compact

PERIOD_DAYS = 14
# Default distance of the cut-off date before the period start (paid in advance).
CUTOFF_DAYS_BEFORE = 3


class RunConflict(ValidationError):
    """A live run already covers (part of) the period; ``run`` is that run."""

    def __init__(self, run: PaymentRun):
        self.run = run
        super().__init__(
            _(
                "A payment run for %(period)s already exists (status: %(status)s); nothing was prepared."
            )
            % {
                "period": f"{run.period_start:%Y-%m-%d}–{run.period_end:%Y-%m-%d}",
                "status": run.get_status_display(),
            },
            code="run_exists",
        )


class FourEyesViolation(PermissionDenied):
    """The approver prepared the run or wrote one of its lines."""


def rates_for(organisation: Organisation, period_start: dt.date) -> RateTable:
    """The operator's country's table for the year the period starts in."""
    try:
        return load_rates(organisation.country, period_start.year)
    except RateTableError as exc:
        raise ValidationError(str(exc), code="no_rates") from None


# --- prepare ----------------------------------------------------------------------------------


def run_prepare(
    *,
    user,
    organisation: Organisation,
    scheme: str,
    period_start: dt.date,
    period_end: dt.date | None = None,
    cutoff: dt.date | None = None,
    request: HttpRequest | None = None,
) -> PaymentRun:
    """Compute and store the run of ``scheme`` for the period, as a draft."""
    require_perm(user, Perm.PREPARE_PAYMENTS, organisation.pk, request=request)
    period_end = period_end or period_start + dt.timedelta(days=PERIOD_DAYS - 1)
    cutoff = cutoff or period_start - dt.timedelta(days=CUTOFF_DAYS_BEFORE)
    try:
        period = Period(period_start, period_end, cutoff)
    except AllowanceInputError as exc:
        raise ValidationError(str(exc), code="period") from None
    rates = rates_for(organisation, period_start)
    if scheme == Scheme.POCKET_MONEY and rates.pocket_money is None:
        raise ValidationError(
            _("The %(country)s %(year)s rate table has no pocket-money scheme.")
            % {"country": rates.country, "year": rates.year},
            code="no_pocket_money",
        )

    with transaction.atomic():
        # One prepare per operator at a time: the second waits here, then sees the first's run.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).get()
        # And one per country and scheme, so that a person who moved between two operators
        # is seen in the other's run (collect pays only the days it leaves) even when both
        # prepare at once.
        _national_prepare_lock(rates.country, scheme)
        clash = (
            PaymentRun.objects.active()
            .filter(
                organisation=organisation,
                scheme=scheme,
                period_start__lte=period_end,
                period_end__gte=period_start,
            )
            .order_by("period_start")
            .first()
        )
        if clash is not None:
            raise RunConflict(clash)

        data = collect(
            organisation,
            country=rates.country,
            cutoff=cutoff,
            period_start=period_start,
            period_end=period_end,
            scheme=scheme,
        )
        try:
            if scheme == Scheme.POCKET_MONEY:
                payments = pocket_money_run(data.minors, period, rates)
            else:
                payments = compute_run(data.households, period, rates)
                for (first, last), households in data.remainders.items():
                    payments += compute_run(
                        households, Period(first, last, cutoff, remainder=True), rates
                    )
        except AllowanceInputError as exc:
            raise ValidationError(str(exc), code="engine") from None
        if not data.skipped and not any(payment.lines for payment in payments):
            # Nobody to pay is reported, never stored as a run that pays a confirmed zero.
            # (Residents left out, e.g. paid by another operator, are kept with their reasons.)
            raise ValidationError(
                _(
                    "There is nobody to pay: no resident of the operator (for pocket money: no "
                    "unaccompanied minor) could be paid on the cut-off date %(cutoff)s. "
                    "No run was prepared."
                )
                % {"cutoff": date_format(cutoff, "SHORT_DATE_FORMAT")},
                code="nobody",
            )

        run = PaymentRun(
            organisation=organisation,
            scheme=scheme,
            period_start=period_start,
            period_end=period_end,
            cutoff=cutoff,
            country=rates.country,
            currency=rates.currency,
            rates_year=rates.year,
            rates_digest=rates.digest,
            prepared_by=user,
            skipped=data.skipped,
            residents=data.residents,
        )
        try:
            with transaction.atomic():
                run.save()
        except IntegrityError:
            # Only reachable if the row lock was bypassed (e.g. a different connection pool).
            raise RunConflict(
                PaymentRun.objects.active().get(
                    organisation=organisation, scheme=scheme, period_start=period_start
                )
            ) from None

        count = _insert_lines(_line_rows(run, payments, data, user))
        run.total_cash = sum((p.total_cash for p in payments), Decimal("0.00"))
        run.total_in_kind = sum((p.total_in_kind for p in payments), Decimal("0.00"))
        run.households = len({key for key, _line in _keyed_lines(run, payments, data)})
        run.save(update_fields=["total_cash", "total_in_kind", "households"])
        audit_record(
            user=user,
            action=Action.CREATE,
            obj=run,
            request=request,
            summary=f"Prepared {run} ({count} lines, {run.total_cash} {run.currency})",
        )
    return run


def _national_prepare_lock(country: str, scheme: str) -> None:
    """A transaction-scoped PostgreSQL advisory lock per country and scheme. SQLite needs none:
    its IMMEDIATE transactions let one writer in at a time."""
    if connection.vendor != "postgresql":
        return
    key = zlib.crc32(f"ankomst.payment_prepare:{country}:{scheme}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _keyed_lines(run: PaymentRun, payments: list[Payment], data):
    """(household key, engine line) for every line; pocket money is grouped by the minor's household."""
    for payment in payments:
        if run.scheme == Scheme.POCKET_MONEY:
            key = data.minor_household[payment.household_id]
        else:
            key = payment.household_id
        for line in payment.lines:
            yield key, line


LINE_COLUMNS = (
    "run_id",
    "household_id",
    "household_key",
    "person_id",
    "rule",
    "status",
    "kind",
    "rate",
    "unit",
    "units",
    "gross",
    "deduction",
    "amount",
    "confirmed",
    "explanation",
    "params",
    "correction_of_id",
    "created_by_id",
    "created_at",
)


def _json_default(value):
    """What orjson does not encode itself, as Django's JSON encoder writes it (Decimal as text)."""
    return DjangoJSONEncoder().default(value)


def _params_json(params) -> str:
    """A line's parameters as JSON; orjson, as a run encodes tens of thousands of them."""
    return orjson.dumps(params, default=_json_default, option=orjson.OPT_NON_STR_KEYS).decode()


def _line_rows(run: PaymentRun, payments: list[Payment], data, user):
    ops = connection.ops
    created_at = ops.adapt_datetimefield_value(timezone.now())
    # The engine hands the same explanation and parameters to every person with the same
    # facts; each distinct parameters object is encoded once (the payments keep it alive).
    encoded: dict[int, str] = {}
    for key, line in _keyed_lines(run, payments, data):
        params = line.params
        try:
            params_json = encoded[id(params)]
        except KeyError:
            params_json = encoded[id(params)] = _params_json(dict(params))
        yield (
            run.pk,
            data.household_pk[key],
            key,
            int(line.person_id) if line.person_id else None,
            line.rule,
            line.status,
            line.kind,
            line.rate,
            line.unit,
            line.units,
            line.gross,
            line.deduction,
            line.amount,
            line.confirmed,
            line.explanation,
            params_json,
            None,
            user.pk,
            created_at,
        )


def _insert_lines(rows) -> int:
    """Insert a new draft run's lines in one statement stream: COPY on PostgreSQL, executemany
    elsewhere. Tens of thousands of lines, each with its explanation and parameters, would spend
    most of a run in the ORM's per-field preparation (and SQLite's 999-parameter batches);
    the rows here are exactly what ``bulk_create`` would write, and lines are never updated
    afterwards (model, queryset and trigger)."""
    table = connection.ops.quote_name(PaymentLine._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in LINE_COLUMNS)
    rows = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            params = ", ".join(["%s"] * len(LINE_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({params})", rows)
    return len(rows)


# --- approve, lock, cancel --------------------------------------------------------------------


def _locked_run(run: PaymentRun) -> PaymentRun:
    return PaymentRun.objects.select_for_update().get(pk=run.pk)


def run_approve(*, user, run: PaymentRun, request: HttpRequest | None = None) -> PaymentRun:
    with transaction.atomic():
        run = _locked_run(run)
        require_perm(user, Perm.APPROVE_PAYMENTS, run.organisation_id, request=request)
        if run.status != RunStatus.DRAFT:
            raise ValidationError(
                _("Only a draft run can be approved; this run is %(status)s.")
                % {"status": run.get_status_display()},
                code="not_draft",
            )
        own_work = run.prepared_by_id == user.pk or run.lines.filter(created_by=user).exists()
        if not own_work:
            run.status = RunStatus.APPROVED
            run.approved_by = user
            run.approved_at = timezone.now()
            run.save(update_fields=["status", "approved_by", "approved_at"])
            audit_record(
                user=user, action=Action.CHANGE, obj=run, request=request, summary=f"Approved {run}"
            )
    if own_work:
        # Recorded outside the transaction above, so the refusal itself stays in the log.
        audit_record(
            user=user,
            action=Action.DENIED,
            obj=run,
            request=request,
            summary=f"Four eyes: tried to approve {run} they prepared or corrected",
        )
        raise FourEyesViolation(
            _(
                "A run must be approved by someone other than the person who "
                "prepared or corrected it."
            )
        )
    return run


def run_lock(*, user, run: PaymentRun, request: HttpRequest | None = None) -> PaymentRun:
    """Make the run final. Pocket money lands in each minor's ledger at this moment."""
    with transaction.atomic():
        run = _locked_run(run)
        require_perm(user, Perm.APPROVE_PAYMENTS, run.organisation_id, request=request)
        if run.status != RunStatus.APPROVED:
            raise ValidationError(
                _("Only an approved run can be locked; this run is %(status)s.")
                % {"status": run.get_status_display()},
                code="not_approved",
            )
        run.status = RunStatus.LOCKED
        run.locked_at = timezone.now()
        run.save(update_fields=["status", "locked_at"])
        if run.scheme == Scheme.POCKET_MONEY:
            PocketMoneyEntry.objects.bulk_create(
                PocketMoneyEntry(
                    person_id=line.person_id,
                    organisation_id=run.organisation_id,
                    on=run.period_start,
                    kind=EntryKind.PAYOUT,
                    amount=line.amount,
                    reason=f"Pocket money {run.period_start:%Y-%m-%d}–{run.period_end:%Y-%m-%d}",
                    line=line,
                    created_by=user,
                )
                for line in run.lines.filter(kind="cash", person__isnull=False).exclude(amount=0)
            )
        audit_record(
            user=user, action=Action.CHANGE, obj=run, request=request, summary=f"Locked {run}"
        )
    return run


def run_cancel(*, user, run: PaymentRun, request: HttpRequest | None = None) -> PaymentRun:
    """Withdraw a run that was not paid (draft or approved); its lines stay as history."""
    with transaction.atomic():
        run = _locked_run(run)
        if not (
            user.has_perm_in(Perm.PREPARE_PAYMENTS, run.organisation_id)
            or user.has_perm_in(Perm.APPROVE_PAYMENTS, run.organisation_id)
        ):
            require_perm(user, Perm.PREPARE_PAYMENTS, run.organisation_id, request=request)
        if run.status not in (RunStatus.DRAFT, RunStatus.APPROVED):
            raise ValidationError(
                _(
                    "A locked or exported run cannot be cancelled; correct it in "
                    "the next run instead."
                ),
                code="final",
            )
        run.status = RunStatus.CANCELLED
        run.cancelled_at = timezone.now()
        run.save(update_fields=["status", "cancelled_at"])
        audit_record(
            user=user, action=Action.CHANGE, obj=run, request=request, summary=f"Cancelled {run}"
        )
    return run


def run_mark_exported(
    *, user, run: PaymentRun, what: str, request: HttpRequest | None = None
) -> PaymentRun:
    """Record an export (audited every time); the first one moves the run to "exported"."""
    with transaction.atomic():
        run = _locked_run(run)
        require_perm(user, Perm.APPROVE_PAYMENTS, run.organisation_id, request=request)
        if not run.is_final:
            raise ValidationError(_("Lock the run before exporting it."), code="not_locked")
        if run.status == RunStatus.LOCKED:
            run.status = RunStatus.EXPORTED
            run.exported_at = timezone.now()
            run.save(update_fields=["status", "exported_at"])
        audit_record(
            user=user,
            action=Action.EXPORT,
            obj=run,
            request=request,
            summary=f"Exported {run} as {what}",
        )
    return run


# --- corrections ------------------------------------------------------------------------------


def line_correct(
    *, user, line: PaymentLine, amount: Decimal, reason: str, request: HttpRequest | None = None
) -> PaymentLine:
    """Put a line right with a new line for the difference; the line itself never changes.

    A line of a draft run is corrected in that run; a line of an approved or paid run
    in the operator's next draft run of the same scheme (the difference is paid or
    recovered with it).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the line is corrected."), code="reason")
    original = line.correction_of or line
    source = PaymentRun.objects.get(pk=original.run_id)  # its status now, not as loaded
    require_perm(user, Perm.PREPARE_PAYMENTS, source.organisation_id, request=request)
    with transaction.atomic():
        if source.status == RunStatus.DRAFT:
            target = _locked_run(source)
        else:
            target = (
                PaymentRun.objects.select_for_update()
                .filter(
                    organisation_id=source.organisation_id,
                    scheme=source.scheme,
                    status=RunStatus.DRAFT,
                    period_start__gt=source.period_start,
                )
                .order_by("period_start")
                .first()
            )
            if target is None:
                raise ValidationError(
                    _(
                        "This run is no longer a draft. Prepare the next period's run; "
                        "the correction is paid with it."
                    ),
                    code="no_draft",
                )
        if target.status != RunStatus.DRAFT:
            raise ValidationError(_("Corrections go into a draft run."), code="not_draft")
        current = original.amount + (
            original.corrections.aggregate(s=Sum("amount"))["s"] or Decimal("0")
        )
        amount = Decimal(amount).quantize(Decimal("0.01"))
        delta = amount - current
        if delta == 0:
            raise ValidationError(
                _("The amount is already %(amount)s.") % {"amount": current}, code="no_change"
            )
        period = f"{source.period_start:%Y-%m-%d}–{source.period_end:%Y-%m-%d}"
        correction = PaymentLine(
            run=target,
            household_id=original.household_id,
            household_key=original.household_key,
            person_id=original.person_id,
            rule=original.rule,
            status="correction",
            kind=original.kind,
            rate=delta,
            unit="period",
            units=1,
            gross=delta,
            deduction=Decimal("0.00"),
            amount=delta,
            confirmed=original.confirmed,
            correction_of=original,
            created_by=user,
            explanation=(
                f"Correction of line {original.pk} ({original.rule}, period {period}): "
                f"{current} → {amount} {target.currency}, difference {delta:+} {target.currency}. "
                f"Reason: {reason}"
            ),
            params={
                "corrects": original.pk,
                "corrects_run": source.pk,
                "was": str(current),
                "now": str(amount),
                "difference": str(delta),
                "reason": reason,
                "by": user.get_username(),
            },
        )
        correction.save()
        if correction.kind == "cash":
            target.total_cash += delta
        else:
            target.total_in_kind += delta
        target.save(update_fields=["total_cash", "total_in_kind"])
        audit_record(
            user=user,
            action=Action.CHANGE,
            obj=target,
            person_id=original.person_id,
            request=request,
            summary=f"Correction of line {original.pk}: {current} → {amount}",
            purpose=reason,
        )
    return correction


# --- pocket money -----------------------------------------------------------------------------


def pocket_money_entry_add(
    *,
    user,
    person: Person,
    amount: Decimal,
    reason: str,
    on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> PocketMoneyEntry:
    require_perm(user, Perm.MANAGE_POCKET_MONEY, person.organisation_id, request=request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A manual entry needs a reason."), code="reason")
    if amount == 0:
        raise ValidationError(_("Enter an amount other than zero."), code="zero")
    with transaction.atomic():
        entry = PocketMoneyEntry(
            person=person,
            organisation_id=person.organisation_id,
            on=on or timezone.localdate(),
            kind=EntryKind.MANUAL,
            amount=amount,
            reason=reason,
            created_by=user,
        )
        entry.save()
        audit_record(
            user=user,
            action=Action.CHANGE,
            obj=person,
            request=request,
            summary=f"Pocket-money entry {amount}: {reason}"[:300],
        )
    return entry


def money_note_add(
    *,
    user,
    person: Person,
    text: str,
    on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> MoneyNote:
    require_perm(user, Perm.MANAGE_POCKET_MONEY, person.organisation_id, request=request)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The note is empty."), code="empty")
    with transaction.atomic():
        note = MoneyNote.objects.create(
            person=person,
            organisation_id=person.organisation_id,
            on=on or timezone.localdate(),
            text=text,
            created_by=user,
        )
        audit_record(
            user=user,
            action=Action.CHANGE,
            obj=person,
            request=request,
            summary="Added a note on money management",
        )
    return note


# --- accounts ---------------------------------------------------------------------------------


def payee_account_set(
    *,
    user,
    person: Person,
    bank_account: str | None,
    bic: str = "",
    request: HttpRequest | None = None,
) -> PayeeAccount:
    """Register (or clear) the account a household is paid to; audited."""
    require_perm(user, Perm.PREPARE_PAYMENTS, person.organisation_id, request=request)
    account = compact(bank_account or "") or None
    with transaction.atomic():
        payee, _created = PayeeAccount.objects.select_for_update().get_or_create(person=person)
        before = payee.bank_account
        payee.bank_account = account
        payee.bic = compact(bic)
        payee.full_clean()
        payee.save()
        audit_record(
            user=user,
            action=Action.CHANGE,
            obj=person,
            request=request,
            summary="Bank account changed" if before else "Bank account registered",
            changes={"bank_account": ["***" if before else None, "***" if account else None]},
        )
    return payee
