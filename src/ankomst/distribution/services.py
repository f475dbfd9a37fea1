"""Writes of the national agency's quotas: announce a year, agree exchanges, revise.

The arithmetic is the pure ``ankomst.placement.national.quotas``; here it is checked,
stored and audited, with every refusal in the user's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ankomst import runs
from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.permissions import refuse, require_perm
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record, audit_records, diff_changes
from ankomst.centres.models import CasePhase, Phase
from ankomst.people.models import Household, Person
from ankomst.people.services import own_household
from ankomst.placement.national import quotas as rule
from ankomst.reception.calendar import handover_date as handover_rule
from ankomst.reception.services import StaleError
from ankomst.runs import RunStatus

from . import batch, selectors
from .models import (
    MAX_NATIONAL_NUMBER,
    DistributionLine,
    DistributionRun,
    Education,
    HouseholdFacts,
    LineStatus,
    MunicipalQuota,
    QuotaExchange,
    QuotaYear,
)

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


# --- the weekly batch ---------------------------------------------------------------------

MAX_TIME_LIMIT = 600


def _require_run(user, run: DistributionRun, request) -> None:
    _require_agency(user, run.organisation, request)


def record_facts(
    *,
    user,
    agency: Organisation,
    household: Household,
    education: str,
    treatment: bool,
    family_tie: str,
    family_tie_note: str,
    version: int | None,
    request: HttpRequest | None = None,
) -> HouseholdFacts:
    """The agency's facts of a waiting household: schooling, a treatment need, a family tie."""
    _require_agency(user, agency, request)
    family_tie, family_tie_note = family_tie.strip(), family_tie_note.strip()
    if education not in Education.values:
        raise ValidationError({"education": _("Choose one of the levels offered.")})
    codes = set(MunicipalQuota.objects.values_list("code", flat=True).distinct())
    if family_tie and family_tie not in codes:
        raise ValidationError({"family_tie": _("Choose a municipality of the quota table.")})
    if family_tie and not family_tie_note:
        raise ValidationError({"family_tie_note": _("Say who of the close family lives there.")})
    with transaction.atomic():
        facts = HouseholdFacts.objects.select_for_update().filter(household=household).first()
        if facts is not None and version is not None and facts.version != version:
            raise StaleError(
                _("The facts were changed by someone else meanwhile; look at them again."),
                code="stale",
            )
        before = (
            {}
            if facts is None
            else {
                "education": facts.education,
                "treatment": facts.treatment,
                "family_tie": facts.family_tie,
            }
        )
        if facts is None:
            facts = HouseholdFacts(household=household, updated_by=user, version=0)
        facts.education, facts.treatment = education, treatment
        facts.family_tie, facts.family_tie_note = family_tie, family_tie_note[:300]
        facts.updated_by = user
        facts.version += 1
        facts.save()
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=household,
        summary="Assignment facts recorded",
        changes=diff_changes(
            before,
            {"education": education, "treatment": treatment, "family_tie": family_tie},
        ),
        request=request,
    )
    return facts


def start_run(
    *, user, quota_year: QuotaYear, time_limit: int = 60, request: HttpRequest | None = None
) -> DistributionRun:
    """Queue the week's run; a worker solves it, never the request. One at a time per
    agency (a constraint: two officers pressing the button together cannot start two)."""
    organisation = quota_year.organisation
    _require_agency(user, organisation, request)
    if not 5 <= time_limit <= MAX_TIME_LIMIT:
        raise ValidationError({"time_limit": _("Give between 5 and 600 seconds.")})
    with transaction.atomic():
        lone = [
            phase.person
            for phase in selectors.waiting_phases()
            .filter(person__household__isnull=True)
            .select_related("person")
        ]
        if not lone and not selectors.waiting_phases().exists():
            raise ValidationError(_("No household is waiting for a municipality."))
        for person in lone:  # the household is what is assigned and handed over
            own_household(person)
        run = DistributionRun(
            organisation=organisation, quota_year=quota_year, created_by=user, time_limit=time_limit
        )
        try:
            with transaction.atomic():
                run.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("A run of the agency is already under way: wait for it or cancel it."),
                code="busy",
            ) from exc
        audit_record(
            user=user,
            action=Action.CREATE,
            obj=run,
            summary="Distribution run queued",
            request=request,
        )
        from .tasks import enqueue

        transaction.on_commit(lambda: enqueue(run.pk))
    return run


@transaction.atomic
def cancel_run(*, user, run: DistributionRun, request=None) -> DistributionRun:
    _require_run(user, run, request)
    run = runs.cancel(run)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=run,
        summary="Distribution run cancelled",
        request=request,
    )
    return run


def _open_run(run: DistributionRun) -> DistributionRun:
    locked = DistributionRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != RunStatus.DONE:
        raise ValidationError(_("The run is not finished."))
    if locked.confirmed_at is not None:
        raise ValidationError(_("The run is confirmed already; start a new one."))
    return locked


def override_line(
    *,
    user,
    line: DistributionLine,
    code: str,
    reason: str,
    version: int,
    request: HttpRequest | None = None,
) -> DistributionLine:
    """The agency assigns the household elsewhere than proposed (or leaves it for a later
    week: no code), with its reason, for the decision letter and the audit."""
    _require_run(user, line.run, request)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the household goes elsewhere.")})
    with transaction.atomic():
        run = _open_run(line.run)
        locked = DistributionLine.objects.select_for_update().get(pk=line.pk, run=run)
        if locked.version != version:
            raise StaleError(
                _("Someone else decided on this household in the meantime; look again."),
                code="stale",
            )
        if code and not run.quota_year.quotas.filter(code=code).exists():
            raise ValidationError({"code": _("Choose a municipality of the quota table.")})
        before = locked.code
        locked.code = code
        locked.override_reason = reason[:300] if code != locked.engine_code else ""
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.version += 1
        locked.save()
        run.version += 1
        run.save(update_fields=["version"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked.household,
        summary=f"Distribution proposal overridden (run {run.pk})",
        changes={"municipality": [before or None, code or None]},
        request=request,
    )
    return locked


@dataclass
class Confirmed:
    households: int
    persons: int
    skipped: int


def confirm_run(
    *, user, run: DistributionRun, version: int, request: HttpRequest | None = None
) -> Confirmed:
    """The agency's decision for the batch: each household's members get a granted phase
    naming the municipality (which announces the arrival there, with its handover date);
    households whose case changed since the run are left for the next one. No municipality
    is given more than its quota: agree an exchange first."""
    _require_run(user, run, request)
    today = timezone.localdate()
    with transaction.atomic():
        run = _open_run(run)
        if run.version != version:
            raise StaleError(
                _("The proposals were changed by someone else meanwhile; look at them again."),
                code="stale",
            )
        lines = list(run.lines.select_for_update().filter(status=LineStatus.PROPOSED))
        quota_rows = {q.code: q for q in run.quota_year.quotas.all()}
        left = batch.remaining(run.quota_year)
        members = [pk for line in lines for pk in line.members]
        # the persons locked first: a phase set at the centre meanwhile waits for us
        list(Person.objects.select_for_update().filter(pk__in=members).values_list("pk"))
        current = {
            phase.person_id: phase
            for phase in selectors.waiting_phases()
            .filter(person_id__in=members)
            .select_related("person")
        }
        taking: dict[str, int] = {}
        for line in lines:
            if line.code and all(pk in current for pk in line.members):
                taking[line.code] = taking.get(line.code, 0) + len(line.members)
        over = [
            quota_rows[code].name for code, n in sorted(taking.items()) if n > left.get(code, 0)
        ]
        if over:
            raise ValidationError(
                _(
                    "%(names)s would receive more than what is left of the quota; assign "
                    "households elsewhere or agree an exchange first."
                )
                % {"names": ", ".join(over)}
            )
        organisations = {
            o.municipality_code: o
            for o in Organisation.objects.filter(
                kind=OrganisationKind.MUNICIPALITY, municipality_code__in=list(taking)
            )
        }
        done = Confirmed(0, 0, 0)
        events = []
        for line in lines:
            if not line.code:
                continue  # left for a later week
            if not all(pk in current for pk in line.members):
                line.status = LineStatus.SKIPPED
                line.save(update_fields=["status"])
                done.skipped += 1
                continue
            row, org = quota_rows[line.code], organisations.get(line.code)
            for pk in line.members:
                person = current[pk].person
                CasePhase(
                    person=person,
                    organisation_id=person.organisation_id,
                    phase=Phase.GRANTED,
                    start=today,
                    municipality=org,
                    municipality_code=row.code,
                    municipality_name=row.name,
                    # a municipality on Ankomst gets it from the announcement of the arrival
                    handover_date=None if org else handover_rule(today),
                    note=_("Assigned by %(agency)s") % {"agency": run.organisation.name},
                    created_by=user,
                ).save()
            line.status = LineStatus.CONFIRMED
            line.save(update_fields=["status"])
            done.households += 1
            done.persons += len(line.members)
            events.append(
                {
                    "user": user,
                    "action": Action.CHANGE,
                    "obj": line.household,
                    "summary": f"Assigned to municipality {row.code} (distribution run {run.pk})",
                    "request": request,
                }
            )
        run.confirmed_at, run.confirmed_by = timezone.now(), user
        run.version += 1
        run.save(update_fields=["confirmed_at", "confirmed_by", "version"])
        if events:
            audit_records(events)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=run,
        summary=f"Distribution run confirmed: {done.households} households, {done.persons} persons",
        request=request,
    )
    return done
