"""The housing department's changes: stock, waiting households, runs, decisions, offers and
move-ins. Each checks the permission in the record's municipality, locks what it changes,
refuses a stale form, and audits what it did."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ankomst import limits, runs
from ankomst.accounts.permissions import require_perm
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record, audit_records
from ankomst.people.models import Person
from ankomst.reception import services as reception
from ankomst.reception.models import Arrival, ArrivalStatus, HomeKind, Task, TaskStatus
from ankomst.reception.services import StaleError
from ankomst.records import update_record
from ankomst.runs import RunStatus

from . import rules
from .models import (
    OPEN_OFFER,
    Area,
    AreaRule,
    AreaRuleKind,
    HousingNeed,
    HousingUnit,
    NeedStatus,
    Offer,
    OfferStatus,
    PlacementRun,
    Proposal,
    ProposalStatus,
    Tenancy,
    UnitStatus,
)

# How long a household has to answer an offer, by default.
REPLY_DAYS = 7
# The window a household can move in, from its handover, by default.
MOVE_IN_DAYS = 14
# The longest a caseworker may give a run; the default is a minute.
MAX_TIME_LIMIT = 600
HOUSING_TASK = "housing_ready"


def _locked(model, pk: int, version: int | None):
    record = model.objects.select_for_update().get(pk=pk)
    if version is not None and record.version != version:
        raise StaleError(_("Someone else changed this in the meantime; it is shown as it is now."))
    return record


def _bump(record, changes: dict) -> None:
    if changes:
        record.version += 1
        record.save(update_fields=["version"])


# --- Waiting households ------------------------------------------------------------------


def _composition(members: list[Person], on: dt.date) -> rules.Composition:
    return rules.composition([m.date_of_birth for m in members], on)


def open_needs(organisation_id: int, *, user=None, request: HttpRequest | None = None) -> int:
    """A housing need for every arrival of the municipality not yet in a permanent home.

    Arrivals come from the national agency, by hand or from an import, some in bulk; the
    housing department's list picks them up here, each with its budget computed once.
    """
    arrivals = list(
        Arrival.objects.filter(
            organisation_id=organisation_id,
            status__in=[ArrivalStatus.ANNOUNCED, ArrivalStatus.RECEIVED],
            housing_need__isnull=True,
            permanent_home_from__isnull=True,
        ).only("pk", "household_id", "handover_date", "first_home", "organisation_id")
    )
    if not arrivals:
        return 0
    members: dict[int, list[Person]] = {}
    for person in Person.objects.filter(household_id__in=[a.household_id for a in arrivals]):
        members.setdefault(person.household_id, []).append(person)
    today = timezone.localdate()
    needs = []
    for arrival in arrivals:
        people = members.get(arrival.household_id)
        if not people:
            continue
        start = max(arrival.handover_date - dt.timedelta(days=MOVE_IN_DAYS), today)
        by = max(arrival.handover_date, start)
        needs.append(
            HousingNeed(
                organisation_id=organisation_id,
                arrival=arrival,
                rent_budget=rules.rent_budget(_composition(people, by)),
                move_in_from=start,
                move_in_by=by,
                status=NeedStatus.TEMPORARY
                if arrival.first_home == HomeKind.TEMPORARY
                else NeedStatus.WAITING,
            )
        )
    HousingNeed.objects.bulk_create(needs, batch_size=500, ignore_conflicts=True)
    audit_records(
        [
            dict(
                user=user,
                action=Action.CREATE,
                object_type="housing.housingneed",
                object_id=n.arrival_id,
                organisation_id=organisation_id,
                summary="Housing need opened from the arrival",
                request=request,
            )
            for n in needs
        ]
    )
    return len(needs)


NEED_FIELDS = (
    "rent_budget",
    "needs_ground_floor",
    "needs_treatment",
    "vulnerable",
    "move_in_from",
    "move_in_by",
)


@transaction.atomic
def update_need(
    *, user, need: HousingNeed, data: dict, version: int, request: HttpRequest | None = None
) -> HousingNeed:
    require_perm(user, Perm.MANAGE_HOUSING, need.organisation_id, request=request)
    need = _locked(HousingNeed, need.pk, version)
    fields = {k: data[k] for k in NEED_FIELDS if k in data}
    if "rent_budget" in fields and fields["rent_budget"] != need.rent_budget:
        try:
            limits.validate_amount(fields["rent_budget"], allow_negative=False)
        except ValidationError as exc:
            raise ValidationError({"rent_budget": exc.messages}) from exc
        fields["budget_set_by_hand"] = True

    def check(n: HousingNeed) -> None:
        errors = {}
        limits.collect(errors, "move_in_from", limits.validate_record_date, n.move_in_from)
        limits.collect(errors, "move_in_by", limits.validate_record_date, n.move_in_by)
        if not errors and n.move_in_by < n.move_in_from:
            errors["move_in_by"] = _("The last day cannot be before the first.")
        if errors:
            raise ValidationError(errors)

    changes = update_record(need, fields, check=check)
    _bump(need, changes)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=need,
        changes=changes,
        summary="Housing need changed",
        request=request,
    )
    return need


@transaction.atomic
def add_area_rule(
    *, user, need: HousingNeed, area: Area, kind: str, reason: str, request=None
) -> AreaRule:
    require_perm(user, Perm.MANAGE_HOUSING, need.organisation_id, request=request)
    need = _locked(HousingNeed, need.pk, None)
    if area.organisation_id != need.organisation_id:
        raise ValidationError({"area": _("Choose an area of the municipality.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if kind not in AreaRuleKind.values:
        raise ValidationError({"kind": _("Choose the rule.")})
    rule = AreaRule(
        organisation_id=need.organisation_id,
        need=need,
        area=area,
        kind=kind,
        reason=reason[:300],
        created_by=user,
    )
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("The household already has a rule for this area, or already a fixed area.")
        ) from exc
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=rule,
        summary=f"Area rule: {kind} {area.code}",
        request=request,
    )
    return rule


@transaction.atomic
def remove_area_rule(*, user, rule: AreaRule, request=None) -> None:
    require_perm(user, Perm.MANAGE_HOUSING, rule.organisation_id, request=request)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=rule,
        summary=f"Area rule removed: {rule.kind} {rule.area.code}",
        request=request,
    )
    rule.delete()


# --- Stock -------------------------------------------------------------------------------

UNIT_FIELDS = (
    "reference",
    "address",
    "area",
    "kind",
    "rooms",
    "max_persons",
    "rent",
    "accessible",
    "floor",
    "disadvantaged",
    "school_km",
    "daycare_km",
    "transport_km",
    "shops_km",
    "treatment_km",
    "available_from",
    "landlord_kind",
    "landlord",
    "room_sex",
    "age_min",
    "age_max",
    "latitude",
    "longitude",
)


def check_unit(unit: HousingUnit) -> None:
    """The rules between a unit's fields, for the form and the import alike."""
    errors = {}
    if unit.area_id and unit.area.organisation_id != unit.organisation_id:
        errors["area"] = _("Choose an area of the municipality.")
    if not unit.is_shared and (
        unit.room_sex or unit.age_min is not None or unit.age_max is not None
    ):
        errors["room_sex"] = _("Only a shared room is kept for one sex or an age band.")
    if unit.age_min is not None and unit.age_max is not None and unit.age_min > unit.age_max:
        errors["age_max"] = _("The oldest age cannot be below the youngest.")
    if unit.available_from is not None:
        limits.collect(errors, "available_from", limits.validate_record_date, unit.available_from)
    if unit.rent is not None:
        limits.collect(
            errors, "rent", lambda v: limits.validate_amount(v, allow_negative=False), unit.rent
        )
    if (unit.latitude is None) != (unit.longitude is None):
        errors["longitude"] = _("Give both the latitude and the longitude, or neither.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_unit(*, user, organisation, data: dict, request=None) -> HousingUnit:
    require_perm(user, Perm.MANAGE_HOUSING, organisation.pk, request=request)
    unit = HousingUnit(organisation=organisation, **{k: data[k] for k in UNIT_FIELDS if k in data})
    check_unit(unit)
    unit.full_clean()
    unit.save()
    audit_record(
        user=user, action=Action.CREATE, obj=unit, summary="Housing unit added", request=request
    )
    return unit


@transaction.atomic
def update_unit(*, user, unit: HousingUnit, data: dict, version: int, request=None) -> HousingUnit:
    require_perm(user, Perm.MANAGE_HOUSING, unit.organisation_id, request=request)
    unit = _locked(HousingUnit, unit.pk, version)
    changes = update_record(unit, {k: data[k] for k in UNIT_FIELDS if k in data}, check=check_unit)
    _bump(unit, changes)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=unit,
        changes=changes,
        summary="Housing unit changed",
        request=request,
    )
    return unit


@transaction.atomic
def set_unit_status(
    *, user, unit: HousingUnit, status: str, version: int, request=None
) -> HousingUnit:
    """Withdraw a unit from the stock, or bring it back; let is the move-in's to set."""
    require_perm(user, Perm.MANAGE_HOUSING, unit.organisation_id, request=request)
    unit = _locked(HousingUnit, unit.pk, version)
    if status not in (UnitStatus.AVAILABLE, UnitStatus.WITHDRAWN) or unit.status == UnitStatus.LET:
        raise ValidationError(_("A let unit leaves the stock and comes back through its tenancy."))
    if status == UnitStatus.WITHDRAWN and unit.offers.filter(status__in=OPEN_OFFER).exists():
        raise ValidationError(_("The unit is offered to a household: withdraw the offer first."))
    changes = update_record(unit, {"status": status})
    _bump(unit, changes)
    audit_record(user=user, action=Action.CHANGE, obj=unit, changes=changes, request=request)
    return unit


@transaction.atomic
def import_units(*, user, organisation, units: list[HousingUnit], request=None) -> int:
    """Units checked by a dry run (``imports.read_units``), written at once or not at all."""
    require_perm(user, Perm.MANAGE_HOUSING, organisation.pk, request=request)
    try:
        with transaction.atomic():
            created = HousingUnit.objects.bulk_create(units, batch_size=500)
    except IntegrityError as exc:
        raise ValidationError(
            _("A reference in the file is already in the stock; nothing was imported.")
        ) from exc
    audit_records(
        [
            dict(
                user=user,
                action=Action.CREATE,
                obj=u,
                summary="Housing unit imported",
                request=request,
            )
            for u in created
        ]
    )
    return len(created)


AREA_FIELDS = ("name", "population", "ceiling", "countrymen")


@transaction.atomic
def create_area(*, user, organisation, data: dict, request=None) -> Area:
    require_perm(user, Perm.MANAGE_HOUSING, organisation.pk, request=request)
    fields = ("code", "kind", *AREA_FIELDS)
    area = Area(organisation=organisation, **{k: data[k] for k in fields if k in data})
    area.full_clean()
    try:
        with transaction.atomic():
            area.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"code": _("The municipality already has an area of this code.")}
        ) from exc
    audit_record(
        user=user, action=Action.CREATE, obj=area, summary="Housing area added", request=request
    )
    return area


@transaction.atomic
def update_area(*, user, area: Area, data: dict, version: int, request=None) -> Area:
    require_perm(user, Perm.MANAGE_HOUSING, area.organisation_id, request=request)
    area = _locked(Area, area.pk, version)
    changes = update_record(area, {k: data[k] for k in AREA_FIELDS if k in data})
    _bump(area, changes)
    audit_record(user=user, action=Action.CHANGE, obj=area, changes=changes, request=request)
    return area


# --- Runs --------------------------------------------------------------------------------


@transaction.atomic
def start_run(*, user, organisation, time_limit: int = 60, request=None) -> PlacementRun:
    """Queue a placement run; it is solved by a worker, never in the request.

    One run at a time per municipality: a second is refused (a constraint, so that two
    caseworkers pressing the button together cannot both start one).
    """
    require_perm(user, Perm.MANAGE_HOUSING, organisation.pk, request=request)
    if not 5 <= time_limit <= MAX_TIME_LIMIT:
        raise ValidationError({"time_limit": _("Give between 5 and 600 seconds.")})
    if not Area.objects.filter(organisation=organisation).exists():
        raise ValidationError(_("Enter the municipality's areas before a run."))
    open_needs(organisation.pk, user=user, request=request)
    run = PlacementRun(organisation=organisation, created_by=user, time_limit=time_limit)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("A run of the municipality is already under way: wait for it or cancel it."),
            code="busy",
        ) from exc
    audit_record(
        user=user, action=Action.CREATE, obj=run, summary="Placement run queued", request=request
    )
    from .tasks import enqueue

    transaction.on_commit(lambda: enqueue(run.pk))
    return run


@transaction.atomic
def cancel_run(*, user, run: PlacementRun, request=None) -> PlacementRun:
    require_perm(user, Perm.MANAGE_HOUSING, run.organisation_id, request=request)
    run = runs.cancel(run)
    audit_record(
        user=user, action=Action.CHANGE, obj=run, summary="Placement run cancelled", request=request
    )
    return run


def _decided(proposal: Proposal, user, status: str, reason: str) -> None:
    proposal.status = status
    proposal.decided_by, proposal.decided_at = user, timezone.now()
    proposal.decision_reason = reason[:300]
    proposal.version += 1


def _open_proposal(proposal: Proposal, version: int | None) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update().select_related("run", "need").get(pk=proposal.pk)
    )
    if version is not None and proposal.version != version:
        raise StaleError(_("Someone else decided on this proposal in the meantime."))
    if proposal.run.status != RunStatus.DONE:
        raise ValidationError(_("The run is not finished."))
    if proposal.need.offers.filter(status__in=OPEN_OFFER).exists():
        raise ValidationError(_("The household already has an offer under way."))
    if proposal.need.status not in (NeedStatus.WAITING, NeedStatus.TEMPORARY):
        raise ValidationError(_("The household is no longer waiting for a home."))
    return proposal


def _unit_taken(unit: HousingUnit, proposal: Proposal) -> bool:
    """Another household has the unit accepted or offered (a shared room: all its beds)."""
    accepted = (
        Proposal.objects.filter(run=proposal.run, unit=unit, status=ProposalStatus.ACCEPTED)
        .exclude(pk=proposal.pk)
        .count()
    )
    return _beds_taken(unit) + accepted >= _beds(unit)


def _beds(unit: HousingUnit) -> int:
    return unit.max_persons if unit.is_shared else 1


def _beds_taken(unit: HousingUnit) -> int:
    """Households living in the unit or offered it."""
    offered = unit.offers.filter(status__in=OPEN_OFFER).count()
    return offered + unit.tenancies.filter(moved_out_on__isnull=True).count()


@transaction.atomic
def decide(
    *,
    user,
    proposal: Proposal,
    action: str,
    version: int,
    reason: str = "",
    unit: HousingUnit | None = None,
    request=None,
) -> Proposal:
    """Accept, reject or override a proposal. A rejection and an override need a reason; an
    override names the unit instead, which must be free and of the municipality."""
    require_perm(user, Perm.MANAGE_HOUSING, proposal.organisation_id, request=request)
    proposal = _open_proposal(proposal, version)
    reason = reason.strip()
    if action == "accept":
        if proposal.unit_id is None:
            raise ValidationError(_("Nothing to accept: the household is unplaced."))
        target = HousingUnit.objects.select_for_update().get(pk=proposal.unit_id)
        if target.status != UnitStatus.AVAILABLE or _unit_taken(target, proposal):
            raise ValidationError(_("The unit is no longer free."))
        _decided(proposal, user, ProposalStatus.ACCEPTED, reason)
    elif action == "reject":
        if not reason:
            raise ValidationError({"reason": _("Give the reason.")})
        _decided(proposal, user, ProposalStatus.REJECTED, reason)
    elif action == "override":
        if not reason:
            raise ValidationError({"reason": _("Give the reason.")})
        if unit is None or unit.organisation_id != proposal.organisation_id:
            raise ValidationError({"unit": _("Choose a unit of the municipality.")})
        target = HousingUnit.objects.select_for_update().get(pk=unit.pk)
        if target.status != UnitStatus.AVAILABLE or _unit_taken(target, proposal):
            raise ValidationError({"unit": _("The unit is no longer free.")})
        persons = proposal.need.arrival.persons
        if not target.is_shared and persons > target.max_persons:
            raise ValidationError({"unit": _("The unit is too small for the household.")})
        if target.is_shared and persons > 1:
            raise ValidationError({"unit": _("A shared room is for one person.")})
        proposal.unit = target
        _decided(proposal, user, ProposalStatus.ACCEPTED, reason)
    else:
        raise ValidationError(_("Choose what to do."))
    proposal.save()
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=proposal,
        summary=f"Placement proposal {action}",
        changes={"unit": [proposal.engine_unit_id, proposal.unit_id]}
        if action == "override"
        else None,
        request=request,
    )
    return proposal


@transaction.atomic
def accept_all(*, user, run: PlacementRun, request=None) -> tuple[int, int]:
    """Accept every proposal still open that places a household (the unplaced stay open);
    returns how many were accepted and how many stay open because their unit went to another
    household meanwhile (an override) or is offered already."""
    require_perm(user, Perm.MANAGE_HOUSING, run.organisation_id, request=request)
    run = PlacementRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DONE:
        raise ValidationError(_("The run is not finished."))
    accepted = skipped = 0
    for proposal in run.proposals.filter(status=ProposalStatus.PROPOSED, unit__isnull=False):
        try:
            with transaction.atomic():
                decide(
                    user=user,
                    proposal=proposal,
                    action="accept",
                    version=proposal.version,
                    request=request,
                )
            accepted += 1
        except ValidationError:
            skipped += 1  # taken meanwhile or under offer: it stays open for a decision
    return accepted, skipped


# --- Offers and move-in ------------------------------------------------------------------


@transaction.atomic
def make_offer(*, user, proposal: Proposal, reply_by: dt.date | None = None, request=None) -> Offer:
    require_perm(user, Perm.MANAGE_HOUSING, proposal.organisation_id, request=request)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("need").get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.ACCEPTED or proposal.unit is None:
        raise ValidationError(_("Accept the proposal before the offer."))
    if proposal.need.status not in (NeedStatus.WAITING, NeedStatus.TEMPORARY):
        raise ValidationError(_("The household is no longer waiting for a home."))
    today = timezone.localdate()
    reply_by = reply_by or today + dt.timedelta(days=REPLY_DAYS)
    limits.validate_record_date(reply_by)
    if reply_by < today:
        raise ValidationError({"reply_by": _("The reply date cannot be in the past.")})
    unit = HousingUnit.objects.select_for_update().get(pk=proposal.unit_id)
    if unit.status != UnitStatus.AVAILABLE or _beds_taken(unit) >= _beds(unit):
        raise ValidationError(_("The unit is no longer free."))
    offer = Offer(
        organisation_id=proposal.organisation_id,
        need=proposal.need,
        unit=unit,
        proposal=proposal,
        offered_on=today,
        reply_by=reply_by,
        created_by=user,
    )
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError as exc:
        raise ValidationError(_("The household already has an offer under way.")) from exc
    audit_record(
        user=user, action=Action.CREATE, obj=offer, summary="Housing offer made", request=request
    )
    return offer


@transaction.atomic
def reply_offer(
    *,
    user,
    offer: Offer,
    accepted: bool,
    version: int,
    reason: str = "",
    replied_on: dt.date | None = None,
    request=None,
) -> Offer:
    require_perm(user, Perm.MANAGE_HOUSING, offer.organisation_id, request=request)
    offer = _locked(Offer, offer.pk, version)
    if offer.status != OfferStatus.OPEN:
        raise ValidationError(_("The offer has already been answered."))
    replied_on = replied_on or timezone.localdate()
    limits.validate_past_date(replied_on)
    if replied_on < offer.offered_on:
        raise ValidationError({"replied_on": _("The reply cannot be before the offer.")})
    reason = reason.strip()
    if not accepted and not reason:
        raise ValidationError({"decline_reason": _("Give the household's reason.")})
    offer.status = OfferStatus.ACCEPTED if accepted else OfferStatus.DECLINED
    offer.replied_on, offer.decline_reason = replied_on, reason[:300]
    offer.version += 1
    offer.save()
    if not accepted and offer.proposal_id:
        # the household waits again; the next run finds it a unit anew
        Proposal.objects.filter(pk=offer.proposal_id).update(status=ProposalStatus.REJECTED)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=offer,
        summary="Housing offer accepted" if accepted else "Housing offer declined",
        request=request,
    )
    return offer


@transaction.atomic
def withdraw_offer(*, user, offer: Offer, version: int, reason: str, request=None) -> Offer:
    require_perm(user, Perm.MANAGE_HOUSING, offer.organisation_id, request=request)
    offer = _locked(Offer, offer.pk, version)
    if offer.status not in OPEN_OFFER:
        raise ValidationError(_("The offer has already ended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    offer.status, offer.decline_reason = OfferStatus.WITHDRAWN, reason.strip()[:300]
    offer.version += 1
    offer.save()
    if offer.proposal_id:
        Proposal.objects.filter(pk=offer.proposal_id).update(status=ProposalStatus.REJECTED)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=offer,
        summary="Housing offer withdrawn",
        request=request,
    )
    return offer


def monthly_payment(unit: HousingUnit, members: list[Person], on: dt.date) -> Decimal:
    """What the household pays a month: the rent, capped by the year's table in temporary housing."""
    rent = Decimal(unit.rent)
    if unit.is_permanent:
        return rent
    cap = rules.temporary_cap(_composition(members, on), on)
    return min(rent, cap.amount)


@transaction.atomic
def move_in(*, user, offer: Offer, moved_in_on: dt.date, version: int, request=None) -> Tenancy:
    """The household moves in: its earlier temporary home ends, the unit leaves the stock,
    the arrival's home is recorded and its checklist task "housing ready" closes. A move into
    temporary housing keeps the household on the waiting list for a permanent home."""
    require_perm(user, Perm.MANAGE_HOUSING, offer.organisation_id, request=request)
    offer = _locked(Offer, offer.pk, version)
    if offer.status != OfferStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted offer leads to a move-in."))
    limits.validate_past_date(moved_in_on)
    if moved_in_on < offer.offered_on:
        raise ValidationError({"moved_in_on": _("The move-in cannot be before the offer.")})
    need = HousingNeed.objects.select_for_update().select_related("arrival").get(pk=offer.need_id)
    unit = HousingUnit.objects.select_for_update().get(pk=offer.unit_id)
    members = list(Person.objects.filter(household_id=need.arrival.household_id))
    previous = (
        Tenancy.objects.select_for_update().filter(need=need, moved_out_on__isnull=True).first()
    )
    if previous is not None:
        if moved_in_on < previous.moved_in_on:
            raise ValidationError({"moved_in_on": _("The move-in cannot be before the last one.")})
        previous.moved_out_on = moved_in_on
        previous.save(update_fields=["moved_out_on"])
        _release(previous.unit_id)
    tenancy = Tenancy.objects.create(
        organisation_id=offer.organisation_id,
        need=need,
        unit=unit,
        offer=offer,
        temporary=not unit.is_permanent,
        moved_in_on=moved_in_on,
        monthly_payment=monthly_payment(unit, members, moved_in_on),
        created_by=user,
    )
    living = unit.tenancies.filter(moved_out_on__isnull=True).count()
    if not unit.is_shared or living >= unit.max_persons:
        unit.status = UnitStatus.LET
        unit.version += 1
        unit.save(update_fields=["status", "version"])
    offer.status, offer.move_in_on = OfferStatus.MOVED_IN, moved_in_on
    offer.version += 1
    offer.save(update_fields=["status", "move_in_on", "version"])
    need.status = NeedStatus.HOUSED if unit.is_permanent else NeedStatus.TEMPORARY
    need.version += 1
    need.save(update_fields=["status", "version"])
    _record_home(user, need.arrival, unit, moved_in_on, request)
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=tenancy,
        summary="Moved in" + (" (temporary)" if tenancy.temporary else ""),
        request=request,
    )
    return tenancy


def _release(unit_id: int) -> None:
    """A tenancy ended: its unit returns to the stock."""
    HousingUnit.objects.filter(pk=unit_id, status=UnitStatus.LET).update(
        status=UnitStatus.AVAILABLE
    )


def _record_home(user, arrival: Arrival, unit: HousingUnit, on: dt.date, request) -> None:
    """The reception's side of a move-in: the first home and its checklist task."""
    first = arrival.first_home or (HomeKind.PERMANENT if unit.is_permanent else HomeKind.TEMPORARY)
    permanent_from = arrival.permanent_home_from or (on if unit.is_permanent else None)
    if first != arrival.first_home or permanent_from != arrival.permanent_home_from:
        reception.record_home(
            user=user,
            arrival=arrival,
            first_home=first,
            permanent_from=permanent_from,
            request=request,
        )
    task = Task.objects.filter(arrival=arrival, code=HOUSING_TASK, status=TaskStatus.OPEN).first()
    if task is not None:
        reception.complete_task(
            user=user,
            task=task,
            version=task.version,
            done_on=min(on, timezone.localdate()),
            note=_("Moved in: %(unit)s") % {"unit": unit.address},
            request=request,
        )


def temporary_days(tenancy: Tenancy, on: dt.date | None = None) -> int:
    """Days of a stay so far (or in all, once it ended)."""
    end = tenancy.moved_out_on or on or timezone.localdate()
    return max((end - tenancy.moved_in_on).days, 0)
