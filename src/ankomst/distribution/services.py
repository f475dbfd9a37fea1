"""Writes of the national agency's quotas: announce a year, agree exchanges, revise.

The arithmetic is the pure ``ankomst.placement.national.quotas``; here it is checked,
stored and audited, with every refusal in the user's language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.permissions import refuse, require_perm
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.placement.national import quotas as rule
from ankomst.reception.services import StaleError

from . import selectors
from .models import MAX_NATIONAL_NUMBER, MunicipalQuota, QuotaExchange, QuotaYear

# The shipped tables the agency may compute from (name → what the page calls it).
TABLES = {"dk-2024": gettext_lazy("Denmark, 98 municipalities, figures of 2024 (approximate)")}


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def _decimal(value: Fraction, places: int) -> Decimal:
    return Decimal(round(value.numerator / value.denominator, places)).quantize(
        Decimal(1).scaleb(-places)
    )


def _require_agency(user, organisation: Organisation, request) -> None:
    require_perm(user, Perm.MANAGE_QUOTAS, organisation.pk, request=request)
    if organisation.kind != OrganisationKind.NATIONAL_AGENCY:
        raise refuse(
            user, request=request, perm=Perm.MANAGE_QUOTAS, organisation_id=organisation.pk
        )


def table_reunified(table: rule.QuotaTable) -> int:
    """The family members reunified nationally last year, as the table counts them."""
    return int(sum(a.figure("reunified") for a in table.areas))


def _compute(table: rule.QuotaTable, national_number: int, reunified: int) -> rule.QuotaResult:
    try:
        return rule.danish_quotas(table, national_number, reunified_nationally=reunified)
    except rule.QuotaError as exc:  # the form's limits keep us from here; never a 500
        raise ValidationError(_("The quotas cannot be computed from these figures.")) from exc


def _rows(quota_year: QuotaYear, result: rule.QuotaResult, table: rule.QuotaTable):
    regions = {r.code: r.name for r in table.regions}
    for row in result.rows:
        yield MunicipalQuota(
            quota_year=quota_year,
            code=row.code,
            name=row.name,
            region_code=row.region,
            region=regions.get(row.region, row.region),
            population=table.area(row.code).population,
            share=_decimal(row.share, 9),
            computed=_decimal(row.computed, 3),
            provisional=_decimal(row.provisional, 3),
            rule_quota=row.rounded,
            held=row.held,
        )


def announce_year(
    *,
    user,
    organisation: Organisation,
    year: int,
    table: str,
    national_number: int,
    reunified_nationally: int | None,
    announced_on: dt.date,
    request: HttpRequest | None = None,
) -> QuotaYear:
    """The year's national number and the quotas it gives every municipality."""
    _require_agency(user, organisation, request)
    if table not in TABLES:
        raise ValidationError({"table": _("Choose one of the tables offered.")})
    if not 1 <= national_number <= MAX_NATIONAL_NUMBER:
        raise ValidationError({"national_number": _("Give a national number of at least 1.")})
    figures = rule.load_table(table)  # read once: the reunified sum, the rule, the rows
    reunified = table_reunified(figures) if reunified_nationally is None else reunified_nationally
    result = _compute(figures, national_number, reunified)
    with transaction.atomic():
        quota_year = QuotaYear(
            organisation=organisation,
            year=year,
            table=table,
            national_number=national_number,
            announced_number=national_number,
            reunified_nationally=reunified,
            announced_on=announced_on,
            created_by=user,
        )
        try:
            with transaction.atomic():
                quota_year.save()
        except IntegrityError as exc:
            raise ValidationError(
                {
                    "year": _("The quotas of %(year)s are set already; revise them instead.")
                    % {"year": year}
                }
            ) from exc
        MunicipalQuota.objects.bulk_create(_rows(quota_year, result, figures))
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=quota_year,
        summary=f"Quotas {year}: national number {national_number}",
        request=request,
    )
    return quota_year


def _locked(quota_year: QuotaYear, version: int) -> QuotaYear:
    locked = QuotaYear.objects.select_for_update().get(pk=quota_year.pk)
    if locked.version != version:
        raise StaleError(
            _("The quotas were changed by someone else meanwhile; look at them again."),
            code="stale",
        )
    return locked


def add_exchange(
    *,
    user,
    quota_year: QuotaYear,
    giver: str,
    receiver: str,
    persons: int,
    reason: str,
    version: int,
    request: HttpRequest | None = None,
) -> QuotaExchange:
    """Persons of ``giver``'s quota taken over by ``receiver``, as the region's municipalities
    agreed (boligplaceringsbekendtgørelsen § 5). Both in one region; no quota may fall below
    zero or below what the municipality has already received."""
    _require_agency(user, quota_year.organisation, request)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what was agreed, and by whom.")})
    if not 1 <= persons <= MAX_NATIONAL_NUMBER:
        raise ValidationError({"persons": _("Give at least one person.")})
    with transaction.atomic():
        locked = _locked(quota_year, version)
        rows = {
            r.code: r
            for r in MunicipalQuota.objects.select_for_update().filter(
                quota_year=locked, code__in=[giver, receiver]
            )
        }
        if giver not in rows or receiver not in rows:
            raise ValidationError(_("Choose two municipalities of the table."))
        if giver == receiver:
            raise ValidationError({"receiver": _("A municipality cannot exchange with itself.")})
        give, take = rows[giver], rows[receiver]
        if give.region_code != take.region_code:
            raise ValidationError(
                {
                    "receiver": _(
                        "Exchanges are agreed within one region: %(giver)s is in %(a)s, "
                        "%(receiver)s in %(b)s."
                    )
                    % {"giver": give.name, "a": give.region, "receiver": take.name,
                       "b": take.region}
                }
            )  # fmt: skip
        received = selectors.assigned(locked).get(giver, 0)
        if give.quota - persons < received:
            raise ValidationError(
                {
                    "persons": _(
                        "%(name)s would be left with a quota of %(left)s, below the %(received)s "
                        "persons it has already received (its quota is %(quota)s)."
                    )
                    % {"name": give.name, "left": _n(give.quota - persons),
                       "received": _n(received), "quota": _n(give.quota)}
                }
            )  # fmt: skip
        give.exchanged -= persons
        take.exchanged += persons
        MunicipalQuota.objects.bulk_update([give, take], ["exchanged"])
        exchange = QuotaExchange.objects.create(
            quota_year=locked,
            giver=giver,
            receiver=receiver,
            persons=persons,
            reason=reason[:300],
            created_by=user,
        )
        locked.version += 1
        locked.save(update_fields=["version"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        summary=f"Quota exchange: {persons} from {giver} to {receiver}",
        request=request,
    )
    return exchange


def revision_limit(national_number: int) -> int:
    """Per cent by which the estimate must move before the national number is revised."""
    return 40 if national_number <= 8000 else 25


def revise_year(
    *,
    user,
    quota_year: QuotaYear,
    national_number: int,
    version: int,
    request: HttpRequest | None = None,
) -> QuotaYear:
    """A new national number (integrationsloven § 6: when the estimate moves by more than 40 %,
    or 25 % above 8,000), with quotas that keep what every municipality has received."""
    _require_agency(user, quota_year.organisation, request)
    if not 1 <= national_number <= MAX_NATIONAL_NUMBER:
        raise ValidationError({"national_number": _("Give a national number of at least 1.")})
    with transaction.atomic():
        locked = _locked(quota_year, version)
        current = locked.national_number
        if not rule.revision_due(current, national_number):
            raise ValidationError(
                {
                    "national_number": _(
                        "The national number of %(current)s is revised only when the estimate "
                        "moves by more than %(limit)s %%; %(new)s is not that far."
                    )
                    % {"current": _n(current), "limit": revision_limit(current),
                       "new": _n(national_number)}
                }
            )  # fmt: skip
        received = selectors.assigned(locked)
        total = sum(received.values())
        if national_number < total:
            raise ValidationError(
                {
                    "national_number": _(
                        "%(total)s persons have been assigned already; the national number "
                        "cannot be lower."
                    )
                    % {"total": _n(total)}
                }
            )
        table = rule.load_table(locked.table)
        known = {a.code for a in table.areas}
        try:
            result = rule.revise(
                table,
                national_number,
                {code: n for code, n in received.items() if code in known},
                reunified_nationally=locked.reunified_nationally,
            )
        except rule.QuotaError as exc:
            raise ValidationError(_("The quotas cannot be computed from these figures.")) from exc
        rows = {
            r.code: r for r in MunicipalQuota.objects.select_for_update().filter(quota_year=locked)
        }
        for new in result.rows:
            row = rows[new.code]
            if new.rounded + row.exchanged < received.get(new.code, 0):
                raise ValidationError(
                    _(
                        "The agreed exchanges would leave %(name)s below the %(received)s persons "
                        "it has received; revise the exchanges first."
                    )
                    % {"name": row.name, "received": _n(received.get(new.code, 0))}
                )
            row.share = _decimal(new.share, 9)
            row.computed = _decimal(new.computed, 3)
            row.provisional = _decimal(new.provisional, 3)
            row.rule_quota, row.held = new.rounded, new.held
        MunicipalQuota.objects.bulk_update(
            rows.values(), ["share", "computed", "provisional", "rule_quota", "held"]
        )
        locked.national_number = national_number
        locked.revised_on = timezone.localdate()
        locked.version += 1
        locked.save(update_fields=["national_number", "revised_on", "version"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        summary=f"Quotas {locked.year} revised: national number {current} -> {national_number}",
        request=request,
    )
    return locked
