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

import calendar
import datetime as dt
import logging
import zlib
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ankomst.accounts.models import Country, Organisation
from ankomst.accounts.permissions import refuse, require_perm
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.limits import (
    MAX_POCKET_MONEY,
    MAX_RUN_TOTAL,
    PAYMENT_LEAD,
    validate_amount,
    validate_past_date,
    validate_record_date,
)
from ankomst.money import currency_for_country, format_money
from ankomst.people.models import Person

from .checks import run_problems
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
from .rates import RateTable, RateTableError, load_rates, rates_path
from .validators import compact

# Denmark pays every 14 days, in advance (Udlændingeloven § 42 b).
PERIOD_DAYS = 14
# Default distance of the cut-off date before the period start (paid in advance).
CUTOFF_DAYS_BEFORE = 3
# The cut-off date is "just before payment": never more than one Danish period before the start.
CUTOFF_MAX_DAYS_BEFORE = PERIOD_DAYS

logger = logging.getLogger(__name__)


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
    return rates_or_error(organisation.country, period_start.year)


def rates_or_error(country: str, year: int) -> RateTable:
    """The table of ``country`` and ``year``, or a ValidationError that says which is missing
    in the user's language (the file's path and the parser's details stay in the server log)."""
    params = {"country": country_name(country), "year": year}
    if not rates_path(country, year).exists():
        raise ValidationError(
            _(
                "There are no rates for %(country)s in %(year)s yet, so nothing can be paid "
                "for this period. An administrator must add the rate table of that year."
            )
            % params,
            code="no_rates",
        )
    try:
        return load_rates(country, year)
    except RateTableError as exc:
        logger.error("Rate table %s %s is invalid: %s", country, year, exc)
        raise ValidationError(
            _(
                "The rate table for %(country)s in %(year)s is not valid, so nothing can be "
                "paid for this period. An administrator must correct it."
            )
            % params,
            code="bad_rates",
        ) from None


def country_name(code: str) -> str:
    """The country's name in the user's language ("Danmark", "Sverige")."""
    try:
        return str(Country(code.upper()).label)
    except ValueError:
        return code.upper()


# --- periods ----------------------------------------------------------------------------------


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def scheme_period(country: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """The regular period that begins on ``start``: 14 days in Denmark; in Sweden the calendar
    month (paid in advance once a month, Migrationsverket), from the 16th its second half."""
    if country.upper() == "SE":
        if start.day == 1 or start.day >= 16:
            return start, _month_end(start)
        return start, start.replace(day=15)
    return start, start + dt.timedelta(days=PERIOD_DAYS - 1)


def check_period(
    *, country: str, period_start: dt.date, period_end: dt.date, cutoff: dt.date, first: bool
) -> None:
    """Refuse a period the scheme does not pay, with a message that says what it pays.

    Denmark: 14 days. Sweden: a calendar month, or a half of one (1st-15th, 16th-end) where
    the reception unit splits the payment in two (Migrationsverket pays on the 11th and 26th).
    The operator's first run of a scheme may be shorter, to join that grid: it ends where a
    regular period ends. Dates lie in the plausible range (ankomst.limits), the cut-off date
    just before the start.
    """
    for value in (period_start, period_end, cutoff):
        validate_record_date(value)
    latest_start = timezone.localdate() + PAYMENT_LEAD
    if period_start > latest_start:
        raise ValidationError(
            _("A payment run can start at most %(days)s days ahead, by %(date)s.")
            % {"days": PAYMENT_LEAD.days, "date": _d(latest_start)},
            code="too_far_ahead",
        )
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."), code="period_order")
    if cutoff > period_start:
        raise ValidationError(
            _(
                "The cut-off date must be on or before the first day of the period (paid in advance)."
            ),
            code="cutoff_after_start",
        )
    if cutoff < period_start - dt.timedelta(days=CUTOFF_MAX_DAYS_BEFORE):
        raise ValidationError(
            _("The cut-off date may lie at most %(days)s days before the period starts.")
            % {"days": CUTOFF_MAX_DAYS_BEFORE},
            code="cutoff_too_early",
        )
    if country.upper() == "SE":
        halves = {(1, _month_end(period_start).day), (1, 15), (16, _month_end(period_start).day)}
        same_month = (period_start.year, period_start.month) == (period_end.year, period_end.month)
        regular = same_month and (period_start.day, period_end.day) in halves
        joins_grid = same_month and period_end.day in (15, _month_end(period_start).day)
        if regular or (first and joins_grid):
            return
        raise ValidationError(
            _(
                "In Sweden a payment period is a calendar month, or half of one (the 1st to "
                "the 15th, the 16th to the end) when the payment is split; %(start)s – %(end)s "
                "is not."
            )
            % {"start": _d(period_start), "end": _d(period_end)},
            code="period_length",
        )
    days = (period_end - period_start).days + 1
    if days == PERIOD_DAYS or (first and days < PERIOD_DAYS):
        return
    raise ValidationError(
        _(
            "A payment period is %(days)s days; %(start)s – %(end)s has %(actual)s. Only an "
            "operator's first run may be shorter, to join the 14-day rhythm."
        )
        % {
            "days": PERIOD_DAYS,
            "start": _d(period_start),
            "end": _d(period_end),
            "actual": days,
        },
        code="period_length",
    )


def _d(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


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
    period_end = period_end or scheme_period(organisation.country, period_start)[1]
    cutoff = cutoff or period_start - dt.timedelta(days=CUTOFF_DAYS_BEFORE)
    check_period(
        country=organisation.country,
        period_start=period_start,
        period_end=period_end,
        cutoff=cutoff,
        first=not PaymentRun.objects.active()
        .filter(organisation=organisation, scheme=scheme)
        .exists(),
    )
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


class RunChanged(ValidationError):
    """The run is no longer the one the page showed (a correction, another's approval)."""


def _changed_message(action: str) -> str:
    if action == "approve":
        return _(
            "The run changed after you opened it (it now pays %(total)s in cash), so it was "
            "not approved. Review it again."
        )
    if action == "cancel":
        return _(
            "The run changed after you opened it (it now pays %(total)s in cash), so it was "
            "not cancelled. Review it again."
        )
    if action == "lock":
        return _(
            "The run changed after you opened it (it now pays %(total)s in cash), so it was "
            "not locked. Review it again."
        )
    return _(
        "The run changed after you opened it (it now pays %(total)s in cash), so it was "
        "not exported. Review it again."
    )


def _check_seen(run: PaymentRun, seen_version: int | None, action: str) -> None:
    """Refuse when the run changed since the page was shown; ``seen_version`` None skips this
    (callers without a page: the demo, the command line)."""
    if seen_version is None or seen_version == run.version:
        return
    raise RunChanged(
        _changed_message(action) % {"total": format_money(run.total_cash, run.currency)},
        code="run_changed",
    )


class RunNotPayable(ValidationError):
    """The run's lines are implausible or do not add up to its totals."""


def _check_payable(run: PaymentRun) -> None:
    problems = run_problems(run)
    if problems:
        raise RunNotPayable(" ".join(problems), code="not_payable")


@contextmanager
def _refusal_audited(*, user, run: PaymentRun, request, what: str):
    """Record a refused approval, lock, export or cancel after its transaction rolled back,
    so that the refusal itself stays in the log."""
    try:
        yield
    except (RunChanged, RunNotPayable) as exc:
        version = PaymentRun.objects.filter(pk=run.pk).values_list("version", flat=True).first()
        refuse(
            user,
            request=request,
            record=run,
            summary=f"{what} of {run} refused ({exc.code}); the run is now version {version}",
        )
        raise


def _bump(run: PaymentRun, *fields: str) -> None:
    run.version += 1
    run.save(update_fields=[*fields, "version"])


def run_approve(
    *,
    user,
    run: PaymentRun,
    seen_version: int | None = None,
    request: HttpRequest | None = None,
) -> PaymentRun:
    """Approve the draft as it was shown (``seen_version``); never by whoever prepared or corrected it."""
    with (
        _refusal_audited(user=user, run=run, request=request, what="Approval"),
        transaction.atomic(),
    ):
        run = _locked_run(run)
        require_perm(user, Perm.APPROVE_PAYMENTS, run.organisation_id, request=request, record=run)
        if run.status != RunStatus.DRAFT:
            raise ValidationError(
                _("Only a draft run can be approved; this run is %(status)s.")
                % {"status": run.get_status_display()},
                code="not_draft",
            )
        _check_seen(run, seen_version, "approve")
        own_work = run.prepared_by_id == user.pk or run.lines.filter(created_by=user).exists()
        if not own_work:
            _check_payable(run)
            run.status = RunStatus.APPROVED
            run.approved_by = user
            run.approved_at = timezone.now()
            _bump(run, "status", "approved_by", "approved_at")
            audit_record(
                user=user,
                action=Action.CHANGE,
                obj=run,
                request=request,
                summary=f"Approved {run} (version {run.version - 1}, "
                f"{run.total_cash} {run.currency} in cash)",
            )
    if own_work:
        refuse(
            user,
            request=request,
            record=run,
            summary=f"Four eyes: tried to approve {run} they prepared or corrected",
        )
        raise FourEyesViolation(
            _(
                "A run must be approved by someone other than the person who "
                "prepared or corrected it."
            )
        )
    return run


def may_approve(user, run: PaymentRun) -> bool:
    """Whether ``user`` may approve ``run`` now, by the same rules as ``run_approve``: a draft,
    the approver's permission, and not their own work (four eyes)."""
    return (
        run.status == RunStatus.DRAFT
        and user.has_perm_in(Perm.APPROVE_PAYMENTS, run.organisation_id)
        and run.prepared_by_id != user.pk
        and not run.lines.filter(created_by=user).exists()
    )


def run_lock(
    *,
    user,
    run: PaymentRun,
    seen_version: int | None = None,
    request: HttpRequest | None = None,
) -> PaymentRun:
    """Make the run final. Pocket money lands in each minor's ledger at this moment."""
    with _refusal_audited(user=user, run=run, request=request, what="Lock"), transaction.atomic():
        run = _locked_run(run)
        require_perm(user, Perm.APPROVE_PAYMENTS, run.organisation_id, request=request, record=run)
        if run.status != RunStatus.APPROVED:
            raise ValidationError(
                _("Only an approved run can be locked; this run is %(status)s.")
                % {"status": run.get_status_display()},
                code="not_approved",
            )
        _check_seen(run, seen_version, "lock")
        _check_payable(run)
        run.status = RunStatus.LOCKED
        run.locked_at = timezone.now()
        _bump(run, "status", "locked_at")
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


def run_cancel(
    *,
    user,
    run: PaymentRun,
    seen_version: int | None = None,
    request: HttpRequest | None = None,
) -> PaymentRun:
    """Withdraw a run that was not paid (draft or approved); its lines stay as history."""
    with (
        _refusal_audited(user=user, run=run, request=request, what="Cancellation"),
        transaction.atomic(),
    ):
        run = _locked_run(run)
        if not (
            user.has_perm_in(Perm.PREPARE_PAYMENTS, run.organisation_id)
            or user.has_perm_in(Perm.APPROVE_PAYMENTS, run.organisation_id)
        ):
            require_perm(
                user, Perm.PREPARE_PAYMENTS, run.organisation_id, request=request, record=run
            )
        if run.status not in (RunStatus.DRAFT, RunStatus.APPROVED):
            raise ValidationError(
                _(
                    "A locked or exported run cannot be cancelled; correct it in "
                    "the next run instead."
                ),
                code="final",
            )
        _check_seen(run, seen_version, "cancel")
        run.status = RunStatus.CANCELLED
        run.cancelled_at = timezone.now()
        _bump(run, "status", "cancelled_at")
        audit_record(
            user=user, action=Action.CHANGE, obj=run, request=request, summary=f"Cancelled {run}"
        )
    return run


def run_mark_exported(
    *,
    user,
    run: PaymentRun,
    what: str,
    seen_version: int | None = None,
    request: HttpRequest | None = None,
) -> PaymentRun:
    """Record an export (audited every time); the first one moves the run to "exported".

    The move to "exported" leaves the version as it is: the lines are final once locked, and
    a second export from the same page (the other file) is the same run."""
    with _refusal_audited(user=user, run=run, request=request, what="Export"), transaction.atomic():
        run = _locked_run(run)
        require_perm(user, Perm.APPROVE_PAYMENTS, run.organisation_id, request=request, record=run)
        if not run.is_final:
            raise ValidationError(_("Lock the run before exporting it."), code="not_locked")
        _check_seen(run, seen_version, "export")
        _check_payable(run)
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
    amount = _amount(amount)
    # The correct amount of a line: never negative (a recovery is a negative difference).
    validate_amount(amount, allow_negative=False)
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
        delta = amount - current
        if delta == 0:
            raise ValidationError(
                _("The amount is already %(amount)s.")
                % {"amount": format_money(current, target.currency)},
                code="no_change",
            )
        validate_amount(delta)
        total = target.total_cash if original.kind == "cash" else target.total_in_kind
        validate_amount(total + delta, maximum=MAX_RUN_TOTAL)
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
        _bump(target, "total_cash", "total_in_kind")
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


def _amount(value) -> Decimal:
    """``value`` as an amount in kroner and øre, or a ValidationError (never an exception)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
        if not amount.is_finite():
            raise InvalidOperation
        if abs(amount) >= 10**15:  # refused as too large by validate_amount, not rounded
            return amount
        return amount.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("Enter an amount."), code="invalid") from None


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
    amount = _amount(amount)
    validate_amount(amount, maximum=MAX_POCKET_MONEY)
    if amount == 0:
        raise ValidationError(_("Enter an amount other than zero."), code="zero")
    on = on or timezone.localdate()
    validate_past_date(on)
    with transaction.atomic():
        # One entry at a time per minor, so that two entries cannot both spend the same balance.
        Person.objects.select_for_update().filter(pk=person.pk).get()
        balance = PocketMoneyEntry.objects.filter(person=person).aggregate(s=Sum("amount"))[
            "s"
        ] or Decimal("0.00")
        if balance + amount < 0:
            raise ValidationError(
                _("The balance is %(balance)s; more than that cannot be spent or handed back.")
                % {
                    "balance": format_money(
                        balance, currency_for_country(person.organisation.country)
                    )
                },
                code="overdrawn",
            )
        entry = PocketMoneyEntry(
            person=person,
            organisation_id=person.organisation_id,
            on=on,
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
    on = on or timezone.localdate()
    validate_past_date(on)
    with transaction.atomic():
        note = MoneyNote.objects.create(
            person=person,
            organisation_id=person.organisation_id,
            on=on,
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
