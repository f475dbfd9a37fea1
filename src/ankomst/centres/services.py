"""Check-in, transfer, check-out, closures and case phases.

Every write locks the beds it touches (``select_for_update``, in id order so two
staff never deadlock) and re-checks them inside the transaction; the database
constraints are the last line: a parallel booking that slips through fails on
the unique index or the exclusion constraint and is reported, not half-written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ankomst import limits
from ankomst.accounts.permissions import require_perm
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.people.models import Household, IdentifierKind, Person, PersonIdentifier
from ankomst.people.names import search_text
from ankomst.people.services import next_household_reference, own_household
from ankomst.people.validators import normalise_identifier
from ankomst.reception.calendar import handover_date as handover_rule

from . import allocation, imports
from .models import Bed, CasePhase, CheckOutReason, Closure, Phase, Stay
from .reasons import describe
from .selectors import room_states


@dataclass(frozen=True)
class Placement:
    person: Person
    bed: Bed


def _as_arrival(person: Person, on: dt.date) -> allocation.Arrival:
    return allocation.Arrival(
        person.pk, person.age(on), person.sex, person.needs_accessible_housing
    )


def household_for_rules(persons: list[Person], on: dt.date) -> allocation.Household:
    key = persons[0].household_id or f"p{persons[0].pk}"
    return allocation.Household(key, tuple(_as_arrival(p, on) for p in persons))


def _lock_beds(bed_ids) -> dict[int, Bed]:
    beds = (
        Bed.objects.select_for_update()
        .filter(pk__in=sorted(set(bed_ids)))
        .select_related("room__building__centre")
        .order_by("pk")
    )
    return {b.pk: b for b in beds}


def _rule_check(persons: list[Person], beds: list[Bed], at: dt.datetime) -> list[str]:
    """Rule violations of placing ``persons`` in ``beds``, as translated sentences."""
    rooms_needed = {b.room_id for b in beds}
    centre_ids = {b.room.building.centre_id for b in beds}
    states = room_states(centre_ids, at, room_ids=rooms_needed)
    room_objs = {b.room_id: b.room for b in beds}
    rooms = []
    for room_id in rooms_needed:
        state = states.get(room_id)
        if state is None:  # every bed of the room is taken; the booking check reports that
            room = room_objs[room_id]
            state = allocation.RoomState(
                room_id,
                room.building_id,
                room.building.centre_id,
                room.building.centre.centre_type,
                room.kind,
                room.accessible,
                room.floor,
                room.position,
            )
        rooms.append(state)
    household = household_for_rules(persons, timezone.localtime(at).date())
    problems = allocation.room_violations(household, rooms, 0)
    return [describe(p) for p in problems]


def _check_moment(at: dt.datetime) -> None:
    """A check-in, transfer or check-out has happened: not in the future, not implausibly old."""
    try:
        limits.validate_past_moment(at)
    except ValidationError as exc:
        raise ValidationError({"at": exc.messages}) from None


def _holding(persons, at: dt.datetime, moving: set[int]):
    """Stays of ``persons`` that are open or end after ``at``: a new stay from ``at`` would overlap.

    This is the invariant of the exclusion constraint (PostgreSQL) checked on every backend,
    so SQLite refuses an overlap too and PostgreSQL gives this message instead of a race's.
    """
    return (
        Stay.objects.filter(person__in=persons)
        .filter(Q(end__isnull=True) | Q(end__gt=at))
        .exclude(person_id__in=moving, end__isnull=True)
        .select_related("person")
    )


def _split_violations(placements: list[Placement]) -> list[str]:
    """A transfer that leaves part of a household in a room away from the others breaks the
    family rule, as a check-in into such rooms would; it then needs an override reason."""
    moving = {p.person.pk: p.bed.room for p in placements}
    households = {p.person.household_id for p in placements if p.person.household_id}
    problems = []
    for household_id in sorted(households):
        stays = Stay.objects.filter(
            person__household_id=household_id, end__isnull=True
        ).select_related("bed__room__building")
        rooms = {}
        for stay in stays:
            room = moving.get(stay.person_id) or stay.bed.room
            rooms[room.pk] = room
        if len(rooms) < 2:
            continue
        states = [
            allocation.RoomState(
                r.pk,
                r.building_id,
                r.building.centre_id,
                "",
                r.kind,
                r.accessible,
                r.floor,
                r.position,
            )
            for r in rooms.values()
        ]
        if not allocation.rooms_adjacent(states):
            problems.append(describe(allocation.Reason("family_split_across_rooms")))
    return problems


def _booking_errors(placements: list[Placement], at: dt.datetime, moving: set[int]) -> list[str]:
    errors = []
    bed_ids = [p.bed.pk for p in placements]
    if len(set(bed_ids)) != len(bed_ids):
        errors.append(_("Two persons cannot share one bed."))
    taken = Stay.objects.filter(bed_id__in=bed_ids).filter(end__isnull=True) | Stay.objects.filter(
        bed_id__in=bed_ids, end__gt=at
    )
    for stay in taken.exclude(person_id__in=moving).select_related("bed"):
        errors.append(_("Bed %(bed)s is already occupied.") % {"bed": stay.bed})
    closed = Closure.objects.filter(
        bed_id__in=bed_ids, start__lte=timezone.localtime(at).date()
    ).exclude(end__lt=timezone.localtime(at).date())
    for closure in closed.select_related("bed"):
        errors.append(
            _("Bed %(bed)s is closed: %(reason)s.") % {"bed": closure.bed, "reason": closure.reason}
        )
    return errors


def _create_stays(
    user,
    placements: list[Placement],
    at: dt.datetime,
    override_reason: str,
    previous: dict[int, Stay] | None = None,
) -> list[Stay]:
    stays = []
    for p in placements:
        stays.append(
            Stay.objects.create(
                person=p.person,
                bed=p.bed,
                organisation_id=p.bed.room.building.centre.organisation_id,
                start=at,
                previous=(previous or {}).get(p.person.pk),
                override_reason=override_reason,
                created_by=user,
            )
        )
    return stays


def _integrity_message(exc: IntegrityError) -> ValidationError:
    return ValidationError(
        _(
            "Another booking of the same bed or person was saved at the same moment. "
            "Nothing was saved; look at the beds again and retry."
        )
    )


@transaction.atomic
def check_in(
    *,
    user,
    placements: list[Placement],
    at: dt.datetime | None = None,
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> list[Stay]:
    """Check persons (usually a household) into beds, all or nothing."""
    if not placements:
        raise ValidationError(_("Choose at least one person and bed."))
    at = at or timezone.now()
    _check_moment(at)
    beds = _lock_beds([p.bed.pk for p in placements])
    placements = [Placement(p.person, beds[p.bed.pk]) for p in placements]
    for p in placements:
        require_perm(user, Perm.MANAGE_BEDS, p.bed.room.building.centre.organisation_id)
        if p.person.organisation_id != p.bed.room.building.centre.organisation_id:
            raise ValidationError(
                _("%(name)s belongs to another organisation than the centre.") % {"name": p.person}
            )
    persons = [p.person for p in placements]
    errors = [
        _("%(name)s already has a bed; use a transfer.") % {"name": s.person}
        if s.end is None
        else _("%(name)s already has a bed until %(end)s.")
        % {"name": s.person, "end": date_format(timezone.localtime(s.end), "SHORT_DATETIME_FORMAT")}
        for s in _holding(persons, at, moving=set())
    ]
    errors += _booking_errors(placements, at, moving=set())
    if errors:
        raise ValidationError(errors)
    violations = _rule_check(persons, [p.bed for p in placements], at)
    if violations and not override_reason.strip():
        raise ValidationError(violations + [_("Give a reason to override the allocation rules.")])
    try:
        with transaction.atomic():
            stays = _create_stays(user, placements, at, override_reason.strip())
    except IntegrityError as exc:
        raise _integrity_message(exc) from exc
    for stay in stays:
        audit_record(
            user=user,
            action=Action.CREATE,
            obj=stay,
            person_id=stay.person_id,
            summary=f"Checked in to {stay.bed}"
            + (" (rules overridden)" if override_reason else ""),
            changes={"override": violations} if override_reason else None,
            purpose=override_reason,
            request=request,
        )
    return stays


@transaction.atomic
def transfer(
    *,
    user,
    placements: list[Placement],
    at: dt.datetime | None = None,
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> list[Stay]:
    """Move persons to other beds (same or another centre of the operator) as one action.

    The old stay ends and the new one starts at the same moment and points back
    to it, so the history reads as one continuous stay.
    """
    at = at or timezone.now()
    _check_moment(at)
    persons = [p.person for p in placements]
    current = {
        s.person_id: s
        for s in Stay.objects.select_for_update().filter(person__in=persons, end__isnull=True)
    }
    missing = [p.person for p in placements if p.person.pk not in current]
    if missing:
        raise ValidationError(
            [
                _("%(name)s has no bed to transfer from; check in instead.") % {"name": m}
                for m in missing
            ]
        )
    beds = _lock_beds([p.bed.pk for p in placements] + [s.bed_id for s in current.values()])
    placements = [Placement(p.person, beds[p.bed.pk]) for p in placements]
    for p in placements:
        old_org = beds[current[p.person.pk].bed_id].room.building.centre.organisation_id
        new_org = p.bed.room.building.centre.organisation_id
        require_perm(user, Perm.MANAGE_BEDS, old_org)
        if old_org != new_org:
            raise ValidationError(
                _("A transfer to another operator is a check-out with that reason.")
            )
        if current[p.person.pk].bed_id == p.bed.pk:
            raise ValidationError(_("%(name)s is already in that bed.") % {"name": p.person})
        if at <= current[p.person.pk].start:
            raise ValidationError(_("A transfer must be later than the start of the current stay."))
    moving = {p.person.pk for p in placements}
    errors = [
        _("%(name)s already has a bed until %(end)s.")
        % {"name": s.person, "end": date_format(timezone.localtime(s.end), "SHORT_DATETIME_FORMAT")}
        for s in _holding(persons, at, moving)
    ]
    errors += _booking_errors(placements, at, moving=moving)
    if errors:
        raise ValidationError(errors)
    violations = _rule_check(persons, [p.bed for p in placements], at)
    violations += [v for v in _split_violations(placements) if v not in violations]
    if violations and not override_reason.strip():
        raise ValidationError(violations + [_("Give a reason to override the allocation rules.")])
    try:
        with transaction.atomic():
            for stay in current.values():
                stay.end = at
                stay.is_transfer_out = True
                stay.save(update_fields=["end", "is_transfer_out"])
            stays = _create_stays(user, placements, at, override_reason.strip(), previous=current)
    except IntegrityError as exc:
        raise _integrity_message(exc) from exc
    for stay in stays:
        audit_record(
            user=user,
            action=Action.CHANGE,
            obj=stay,
            person_id=stay.person_id,
            summary=f"Transferred from {current[stay.person_id].bed} to {stay.bed}"
            + (" (rules overridden)" if violations and override_reason else ""),
            changes={"override": violations} if violations and override_reason else None,
            purpose=override_reason,
            request=request,
        )
    return stays


@transaction.atomic
def check_out(
    *,
    user,
    person: Person,
    reason: str,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Stay:
    at = at or timezone.now()
    _check_moment(at)
    if reason not in CheckOutReason.values:
        raise ValidationError(_("Choose a check-out reason."))
    stay = Stay.objects.select_for_update().filter(person=person, end__isnull=True).first()
    if stay is None:
        raise ValidationError(_("%(name)s has no bed to check out of.") % {"name": person})
    require_perm(user, Perm.MANAGE_BEDS, stay.organisation_id)
    if at <= stay.start:
        raise ValidationError(_("The check-out must be later than the check-in."))
    stay.end, stay.end_reason = at, reason
    stay.save(update_fields=["end", "end_reason"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=stay,
        person_id=person.pk,
        summary=f"Checked out: {CheckOutReason(reason).label}",
        request=request,
    )
    return stay


@transaction.atomic
def beds_close(
    *, user, beds: list[Bed], start: dt.date, end: dt.date | None, reason: str
) -> list[Closure]:
    errors: dict[str, list[str]] = {}
    limits.collect(errors, "start", limits.validate_record_date, start)
    limits.collect(errors, "end", limits.validate_record_date, end)
    if not reason.strip():
        errors.setdefault("reason", []).append(_("Give the reason for closing."))
    if end is not None and end < start:
        errors.setdefault("end", []).append(_("The end date must not be before the start date."))
    if errors:
        raise ValidationError(errors)
    closures = []
    for bed in (
        Bed.objects.select_for_update()
        .filter(pk__in=[b.pk for b in beds])
        .select_related("room__building__centre")
    ):
        require_perm(user, Perm.MANAGE_BEDS, bed.room.building.centre.organisation_id)
        closures.append(
            Closure.objects.create(
                bed=bed, start=start, end=end, reason=reason.strip(), created_by=user
            )
        )
    return closures


@transaction.atomic
def case_phase_set(
    *,
    user,
    person: Person,
    phase: str,
    start: dt.date,
    municipality=None,
    handover_date: dt.date | None = None,
    cooperating_on_departure: bool = True,
    note: str = "",
    request: HttpRequest | None = None,
) -> CasePhase:
    require_perm(user, Perm.EDIT_PERSON, person.organisation_id)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    errors = []
    for value in (start, handover_date):
        try:
            limits.validate_record_date(value)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if phase not in Phase.values:
        errors.append(_("Choose a phase."))
    if phase == Phase.GRANTED and municipality is None:
        # granted, waiting for the agency's assignment (its weekly distribution)
        if handover_date is not None:
            errors.append(
                _(
                    "A handover date needs the receiving municipality; leave it empty until the "
                    "agency has assigned one."
                )
            )
    elif phase == Phase.GRANTED:
        # The agency's assignment decision starts the phase; the municipality takes over by
        # the rule's date, or earlier by agreement, never later.
        rule_date = handover_rule(start)
        if handover_date is None:
            handover_date = rule_date
        elif handover_date > rule_date:
            errors.append(
                _("The municipality takes over on %(date)s at the latest (the rule's date).")
                % {"date": date_format(rule_date, "SHORT_DATE_FORMAT")}
            )
        elif handover_date < start:
            errors.append(_("The handover cannot be before the assignment decision."))
    else:
        municipality, handover_date = None, None
    last = CasePhase.objects.filter(person=person).order_by("-start", "-id").first()
    if last and start < last.start:
        errors.append(
            _("The new phase cannot start before the current one (%(date)s).")
            % {"date": last.start}
        )
    if start > timezone.localdate() + dt.timedelta(days=1):
        errors.append(_("A phase cannot start in the future."))
    if errors:
        raise ValidationError(errors)
    if phase == Phase.GRANTED and municipality is None:
        own_household(person)  # the agency assigns households
    created = CasePhase.objects.create(
        person=person,
        organisation_id=person.organisation_id,
        phase=phase,
        start=start,
        municipality=municipality,
        municipality_code=municipality.municipality_code if municipality else "",
        municipality_name=municipality.name[:100] if municipality else "",
        handover_date=handover_date,
        cooperating_on_departure=cooperating_on_departure,
        note=note,
        created_by=user,
    )
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=person,
        summary=f"Case phase: {Phase(phase).label}",
        changes={
            "phase": [last.phase if last else None, phase],
            "start": [None, start.isoformat()],
        },
        request=request,
    )
    return created


@transaction.atomic
def bus_arrival(
    *,
    user,
    organisation,
    report,
    beds_by_line: dict[int, int],
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> list[Stay]:
    """Register a group of arrivals and check them into the reviewed beds: all or nothing.

    ``beds_by_line`` is what the review screen showed. If any bed was taken in
    the meantime the whole arrival is refused, so staff review again rather
    than find half a bus registered.
    """
    require_perm(user, Perm.MANAGE_BEDS, organisation.pk)
    at = at or timezone.now()
    missing = [row.line for row in report.rows if row.line not in beds_by_line]
    if missing:
        raise ValidationError(
            _("Every arriving person needs a bed before saving (lines %(lines)s).")
            % {"lines": ", ".join(map(str, missing))}
        )
    beds = {
        b.pk: b
        for b in Bed.objects.filter(
            pk__in=beds_by_line.values(), room__building__centre__organisation=organisation
        )
    }
    if len(beds) != len(set(beds_by_line.values())):
        raise ValidationError(_("A reviewed bed no longer exists at this operator."))
    persons = create_people(user=user, organisation=organisation, report=report, request=request)
    stays = []
    for rows in report.households.values():
        stays += check_in(
            user=user,
            placements=[Placement(persons[r.line], beds[beds_by_line[r.line]]) for r in rows],
            at=at,
            request=request,
        )
    return stays


# Imports ------------------------------------------------------------------------------------


@transaction.atomic
def create_people(*, user, organisation, report: imports.Report, request=None) -> dict[int, Person]:
    """Households and persons of a checked report, in bulk; returns persons by line number."""
    if not report.ok:
        raise ValidationError(_("The file has errors; nothing was imported."))
    households: dict[str, Household] = {}
    start_number = int(next_household_reference(organisation)[2:])
    for offset, ref in enumerate(report.households):
        households[ref] = Household(
            organisation=organisation,
            reference=f"H-{start_number + offset:05d}",
            notes=_("Imported as %(ref)s") % {"ref": ref},
        )
    Household.objects.bulk_create(households.values())
    persons = []
    for row in report.rows:
        person = Person(
            organisation=organisation,
            household=households[row.household],
            relation=row.relation,
            name_document=row.name_document,
            name_latin=row.name_latin,
            date_of_birth=row.date_of_birth,
            date_of_birth_estimated=row.estimated,
            sex=row.sex,
            nationality=row.nationality,
            needs_accessible_housing=row.needs_accessible,
        )
        person.search_names, person.search_keys = search_text(row.name_latin, row.name_document)
        persons.append(person)
    Person.objects.bulk_create(persons, batch_size=1000)
    PersonIdentifier.objects.bulk_create(
        [
            PersonIdentifier(
                person=p,
                organisation=organisation,
                kind=IdentifierKind.ASYLUM_CASE,
                value=r.asylum_case,
                normalised=normalise_identifier(r.asylum_case),
            )
            for p, r in zip(persons, report.rows, strict=True)
        ],
        batch_size=1000,
    )
    audit_record(
        user=user,
        action=Action.CREATE,
        organisation_id=organisation.pk,
        object_type="people.person",
        summary=f"Imported {len(persons)} persons in {len(households)} households",
        request=request,
    )
    return {r.line: p for r, p in zip(report.rows, persons, strict=True)}


@transaction.atomic
def import_population(*, user, organisation, report: imports.Report, request=None) -> int:
    """Persons, households and current beds; all or nothing."""
    persons = create_people(user=user, organisation=organisation, report=report, request=request)
    by_moment: dict = {}
    for row in report.rows:
        by_moment.setdefault((row.household, row.since), []).append(
            Placement(persons[row.line], row.bed)
        )
    for (_ref, since), placements in by_moment.items():
        check_in(
            user=user,
            placements=placements,
            at=since,
            override_reason=_("Imported existing population"),
            request=request,
        )
    return len(persons)
