"""Reads of payment runs, their households and differences, and the pocket-money ledger.

Runs are scoped to the organisations where the user holds ``VIEW_PAYMENTS``; a run
of another operator is a 404 (and a denied event in the audit log).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.people.models import (
    ADULT_AGE,
    Household,
    LanguageLevel,
    Person,
    PersonLanguage,
    Relation,
)

from .models import (
    MoneyNote,
    OperatorAccount,
    PayeeAccount,
    PaymentLine,
    PaymentRun,
    PocketMoneyEntry,
    RunStatus,
    Scheme,
)
from .rates import RateTable, RateTableError, load_rates
from .services import CUTOFF_DAYS_BEFORE, scheme_period

ZERO = Decimal("0.00")


def runs_visible_to(user, perm: Perm = Perm.VIEW_PAYMENTS) -> QuerySet[PaymentRun]:
    return PaymentRun.objects.filter(organisation_id__in=user.organisation_ids(perm))


def run_get(
    user,
    pk: int,
    *,
    perm: Perm = Perm.VIEW_PAYMENTS,
    request: HttpRequest | None = None,
    audit: bool = True,
) -> PaymentRun:
    run = (
        runs_visible_to(user, perm)
        .select_related("organisation", "prepared_by", "approved_by")
        .filter(pk=pk)
        .first()
    )
    if run is None:
        raise refuse(user, request=request, model=PaymentRun, pk=pk, not_found=True)
    if audit:
        audit_record(
            user=user, action=Action.VIEW, obj=run, request=request, summary=f"Viewed {run}"
        )
    return run


def run_line(run: PaymentRun, line_pk: int) -> PaymentLine | None:
    """One line of a run the caller has already been allowed to read."""
    return PaymentLine.objects.filter(run=run, pk=line_pk).select_related("person").first()


def operator_account(organisation_id: int) -> OperatorAccount | None:
    """The bank account the operator pays from (for the bank file)."""
    return OperatorAccount.objects.filter(organisation_id=organisation_id).first()


def run_rates(run: PaymentRun) -> RateTable | None:
    """The table the run was computed with; None if it can no longer be read (the page says so)."""
    try:
        return load_rates(run.country, run.rates_year)
    except RateTableError:
        return None


def default_period(organisation, scheme: str, today: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """The period after the operator's last live run of the scheme, else the next one to begin:
    in Denmark the next Monday's 14 days, in Sweden the next calendar month."""
    country = organisation.country if organisation is not None else "DK"
    last = (
        PaymentRun.objects.active()
        .filter(organisation=organisation, scheme=scheme)
        .order_by("-period_end")
        .first()
    )
    if last is not None:
        start = last.period_end + dt.timedelta(days=1)
    elif country == "SE":
        start = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    else:
        start = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    start, end = scheme_period(country, start)
    return start, end, start - dt.timedelta(days=CUTOFF_DAYS_BEFORE)


def previous_run(run: PaymentRun) -> PaymentRun | None:
    return (
        PaymentRun.objects.active()
        .filter(
            organisation_id=run.organisation_id,
            scheme=run.scheme,
            period_start__lt=run.period_start,
        )
        .order_by("-period_start")
        .first()
    )


# --- households of a run ----------------------------------------------------------------------


@dataclass
class RunHousehold:
    key: str
    household: Household | None
    head: Person | None
    lines: list[PaymentLine] = field(default_factory=list)
    account: str | None = None
    bic: str = ""

    @property
    def total_cash(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == "cash"), ZERO)

    @property
    def total_in_kind(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == "in_kind"), ZERO)

    @property
    def days_paid(self) -> tuple[dt.date, dt.date] | None:
        """First and last day the household's lines pay for: the run's period, or less for a
        household another operator's run paid part of it for. None for lines that do not say."""
        spans = [
            (line.params["from"], line.params["until"])
            for line in self.lines
            if "from" in line.params
        ]
        if not spans:
            return None
        return (
            dt.date.fromisoformat(min(s[0] for s in spans)),
            dt.date.fromisoformat(max(s[1] for s in spans)),
        )

    @property
    def reference(self) -> str:
        if self.household is not None:
            return self.household.reference
        return self.head.name_latin if self.head else self.key

    @property
    def paid_by_bank(self) -> bool:
        return bool(self.account)


def run_household_keys(run: PaymentRun) -> list[str]:
    return list(
        run.lines.order_by("household_key").values_list("household_key", flat=True).distinct()
    )


def run_households(run: PaymentRun, *, keys: list[str] | None = None) -> list[RunHousehold]:
    """The run's lines grouped by household, with the head and the account paid to."""
    lines = run.lines.select_related("person", "household").order_by("household_key", "id")
    if keys is not None:
        lines = lines.filter(household_key__in=keys)
    groups: dict[str, RunHousehold] = {}
    for line in lines:
        group = groups.get(line.household_key)
        if group is None:
            group = groups[line.household_key] = RunHousehold(
                line.household_key, line.household, None
            )
        group.lines.append(line)
    _attach_heads(list(groups.values()))
    return list(groups.values())


def _attach_heads(groups: list[RunHousehold]) -> None:
    """The head (else the eldest paid member) of each household, and their bank account."""
    household_ids = [g.household.pk for g in groups if g.household is not None]
    heads = {
        p.household_id: p
        for p in Person.objects.filter(
            household_id__in=household_ids, relation=Relation.HEAD
        ).order_by("id")
    }
    for g in groups:
        head = heads.get(g.household.pk) if g.household is not None else None
        if head is None:
            members = [line.person for line in g.lines if line.person is not None]
            head = (
                min(members, key=lambda p: (p.date_of_birth or dt.date.max, p.pk))
                if members
                else None
            )
        g.head = head
    accounts = {
        a.person_id: a
        for a in PayeeAccount.objects.filter(
            person_id__in=[g.head.pk for g in groups if g.head is not None],
            bank_account__isnull=False,
        )
    }
    for g in groups:
        account = accounts.get(g.head.pk) if g.head is not None else None
        if account is not None:
            g.account, g.bic = account.bank_account, account.bic


# --- differences to the previous period -------------------------------------------------------


@dataclass
class LineChange:
    person: Person | None
    rule: str
    before: Decimal | None
    after: Decimal | None


@dataclass
class HouseholdChange:
    key: str
    reference: str
    before: Decimal
    after: Decimal
    changes: list[LineChange]

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass
class Differences:
    previous: PaymentRun | None
    new: list[HouseholdChange] = field(default_factory=list)
    gone: list[HouseholdChange] = field(default_factory=list)
    changed: list[HouseholdChange] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.new or self.gone or self.changed)


def _amounts(run: PaymentRun) -> dict[str, dict[tuple[int | None, str], Decimal]]:
    """household key -> (person, rule) -> cash amount including corrections."""
    out: dict[str, dict[tuple[int | None, str], Decimal]] = defaultdict(
        lambda: defaultdict(lambda: ZERO)
    )
    rows = (
        run.lines.filter(kind="cash")
        .values("household_key", "person_id", "rule")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        # SQLite sums decimals as floating point (817.7399999999): back to øre.
        out[row["household_key"]][(row["person_id"], row["rule"])] += row["total"].quantize(
            Decimal("0.01")
        )
    return out


def run_differences(run: PaymentRun) -> Differences:
    previous = previous_run(run)
    result = Differences(previous)
    if previous is None:
        return result
    now, before = _amounts(run), _amounts(previous)
    keys = set(now) | set(before)
    person_ids = {
        pid for k in keys for (pid, _rule) in list(now.get(k, {})) + list(before.get(k, {})) if pid
    }
    persons = Person.objects.in_bulk(person_ids)
    references = dict(
        Household.objects.filter(
            pk__in=[int(k[1:]) for k in keys if k.startswith("h")]
        ).values_list("pk", "reference")
    )

    def reference(key: str) -> str:
        if key.startswith("h"):
            return references.get(int(key[1:]), key)
        person = persons.get(int(key[1:]))
        return person.name_latin if person else key

    for key in sorted(keys):
        a, b = before.get(key, {}), now.get(key, {})
        changes = [
            LineChange(
                persons.get(pid) if pid else None, rule, a.get((pid, rule)), b.get((pid, rule))
            )
            for pid, rule in sorted(set(a) | set(b), key=lambda x: (x[0] or 0, x[1]))
            if a.get((pid, rule), ZERO) != b.get((pid, rule), ZERO)
        ]
        change = HouseholdChange(
            key, reference(key), sum(a.values(), ZERO), sum(b.values(), ZERO), changes
        )
        if key not in before:
            result.new.append(change)
        elif key not in now:
            result.gone.append(change)
        elif changes:
            result.changed.append(change)
    return result


# --- pocket money -----------------------------------------------------------------------------


def _adult_born_by(today: dt.date) -> dt.date:
    """Whoever was born on or before this day is an adult today."""
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - ADULT_AGE, day=28)


def unaccompanied_minors(organisation_ids) -> QuerySet[Person]:
    """Minors of known age with no adult in their household (Household.is_unaccompanied_minor)."""
    adult = _adult_born_by(timezone.localdate())
    adults_at_home = Person.objects.filter(
        household_id=OuterRef("household_id"), date_of_birth__lte=adult
    )
    return Person.objects.filter(
        organisation_id__in=organisation_ids, date_of_birth__gt=adult
    ).filter(Q(household__isnull=True) | ~Exists(adults_at_home))


def _pocket_money_orgs(user) -> set[int]:
    return set(user.organisation_ids(Perm.VIEW_PAYMENTS)) | set(
        user.organisation_ids(Perm.MANAGE_POCKET_MONEY)
    )


def _has_ledger(organisation_ids) -> Q:
    """Persons with a pocket-money history in these organisations: an entry, or a line of a
    live pocket-money run."""
    with_lines = (
        PaymentLine.objects.filter(
            run__scheme=Scheme.POCKET_MONEY, run__organisation_id__in=organisation_ids
        )
        .exclude(run__status=RunStatus.CANCELLED)
        .values("person_id")
    )
    with_entries = PocketMoneyEntry.objects.filter(organisation_id__in=organisation_ids).values(
        "person_id"
    )
    return Q(pk__in=with_lines) | Q(pk__in=with_entries)


def minor_get(user, pk: int, *, request: HttpRequest | None = None, audit: bool = True) -> Person:
    """A minor whose pocket-money ledger the user may see (VIEW_PAYMENTS or MANAGE_POCKET_MONEY).

    Only unaccompanied minors have a ledger (and whoever has one already: a minor who turned
    18 keeps the history and its balance); for anyone else the ledger does not exist: a 404,
    and the refusal is audited."""
    orgs = _pocket_money_orgs(user)
    person = (
        Person.objects.filter(organisation_id__in=orgs, pk=pk)
        .select_related("household", "organisation")
        .first()
    )
    if person is None:
        raise refuse(user, request=request, model=Person, pk=pk, not_found=True)
    if not (
        person.is_unaccompanied_minor
        or Person.objects.filter(pk=pk).filter(_has_ledger([person.organisation_id])).exists()
    ):
        raise refuse(
            user,
            request=request,
            record=person,
            not_found=True,
            summary=f"person {pk} is not an unaccompanied minor: no pocket-money ledger",
        )
    if audit:
        audit_record(
            user=user,
            action=Action.VIEW,
            obj=person,
            request=request,
            summary="Viewed the pocket-money ledger",
        )
    return person


@dataclass
class LedgerRow:
    entry: PocketMoneyEntry
    balance: Decimal


def ledger(person: Person) -> list[LedgerRow]:
    rows, balance = [], ZERO
    for entry in PocketMoneyEntry.objects.filter(person=person).select_related(
        "line__run", "created_by"
    ):
        balance += entry.amount
        rows.append(LedgerRow(entry, balance))
    return rows


def money_notes(person: Person) -> QuerySet[MoneyNote]:
    return MoneyNote.objects.filter(person=person).select_related("created_by")


def minors_with_pocket_money(user) -> QuerySet[Person]:
    """Every unaccompanied minor in the user's organisations, and whoever has a ledger there."""
    orgs = _pocket_money_orgs(user)
    minors = unaccompanied_minors(orgs).values("pk")
    return (
        Person.objects.filter(organisation_id__in=orgs)
        .filter(Q(pk__in=minors) | _has_ledger(orgs))
        .annotate(balance=Sum("pocket_money_entries__amount"))
        .order_by("name_latin", "pk")
    )


# --- statement language -----------------------------------------------------------------------


def native_language(person: Person | None) -> str | None:
    if person is None:
        return None
    return (
        PersonLanguage.objects.filter(person=person, level=LanguageLevel.NATIVE)
        .order_by("id")
        .values_list("language__code", flat=True)
        .first()
    )
