"""Writes of the municipal reception: arrivals, their checklist, hand-offs, plans, children."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ankomst import limits
from ankomst.accounts.models import Organisation, OrganisationKind, UnitKind
from ankomst.accounts.permissions import require_perm
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record, audit_records
from ankomst.centres.models import CasePhase, CheckOutReason
from ankomst.centres.selectors import current_phase
from ankomst.centres.services import check_out, create_people
from ankomst.people.ages import ADULT_AGE
from ankomst.people.models import Household, Person, PersonIdentifier, PersonLanguage, age_on
from ankomst.people.services import own_household
from ankomst.records import insert_new

from . import calendar, checklist
from .models import (
    Arrival,
    ArrivalStatus,
    ChecklistItem,
    ChildOffer,
    ChildStart,
    EventKind,
    FamilyFollowUp,
    HandOff,
    HomeKind,
    IntegrationPlan,
    Origin,
    PlanStatus,
    ReceptionEvent,
    Task,
    TaskStatus,
)

# Languages a caseworker in Denmark can speak with a household without an interpreter.
NO_INTERPRETER_LANGUAGES = frozenset({"da", "en", "sv", "nb", "no"})
NO_INTERPRETER_LEVELS = frozenset({"native", "fluent", "good"})


class StaleError(ValidationError):
    """The record changed since the form was shown."""


def _event_row(
    arrival: Arrival, kind: str, user, text: str = "", at: dt.datetime | None = None, code: str = ""
) -> ReceptionEvent:
    return ReceptionEvent(
        code=code,
        organisation_id=arrival.organisation_id,
        arrival=arrival,
        kind=kind,
        at=at or timezone.now(),
        by=user if getattr(user, "is_authenticated", False) else None,
        text=text[:500],
    )


def _event(
    arrival: Arrival, kind: str, user, text: str = "", at: dt.datetime | None = None, code: str = ""
):
    _event_row(arrival, kind, user, text, at, code).save()


# --- The checklist templates ---------------------------------------------------------------


def ensure_checklist(organisation: Organisation) -> None:
    """Give a municipality its own copy of the default checklist (once, in its language)."""
    if ChecklistItem.objects.filter(organisation=organisation).exists():
        return
    items = []
    with override(organisation_language(organisation)):
        for line in checklist.DEFAULT_LINES:
            for household_type in line.household_types:
                items.append(
                    ChecklistItem(
                        organisation=organisation,
                        household_type=household_type,
                        code=line.code,
                        title=_(line.title),
                        department=line.department,
                        scope=line.scope,
                        months_from_handover=line.months,
                        days_from_handover=line.days,
                    )
                )
    ChecklistItem.objects.bulk_create(items, ignore_conflicts=True)


def organisation_language(organisation: Organisation) -> str:
    return "sv" if getattr(organisation, "country", "DK") == "SE" else "da"


def update_checklist_item(*, user, item: ChecklistItem, data: dict, request=None) -> ChecklistItem:
    require_perm(user, Perm.MANAGE_RECEPTION, item.organisation_id, request=request)
    before = {k: getattr(item, k) for k in data}
    for key, value in data.items():
        setattr(item, key, value)
    item.full_clean()
    item.save()
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=item,
        summary="Checklist item changed",
        changes={k: [str(before[k]), str(v)] for k, v in data.items() if before[k] != v},
        request=request,
    )
    return item


# --- Arrivals ----------------------------------------------------------------------------


def _needs_interpreter(persons: list[Person]) -> str:
    """The household's main language when nobody speaks one the municipality speaks, else ''."""
    spoken = [
        (pl.language.code.split("-")[0], pl.level) for p in persons for pl in p.languages.all()
    ]
    if any(
        code in NO_INTERPRETER_LANGUAGES and level in NO_INTERPRETER_LEVELS
        for code, level in spoken
    ):
        return ""
    native = [code for code, level in spoken if level == "native"] or [c for c, _l in spoken]
    return native[0] if native else "und"


def _copy_household(source: Household, municipality: Organisation) -> Household:
    reference = source.reference
    suffix = 1
    while Household.objects.filter(organisation=municipality, reference=reference).exists():
        suffix += 1
        reference = f"{source.reference}-{suffix}"
    household = Household.objects.create(organisation=municipality, reference=reference)
    for member in source.members.prefetch_related("identifiers", "languages"):
        person = Person(
            organisation=municipality,
            household=household,
            relation=member.relation,
            name_document=member.name_document,
            name_latin=member.name_latin,
            date_of_birth=member.date_of_birth,
            date_of_birth_estimated=member.date_of_birth_estimated,
            sex=member.sex,
            nationality=member.nationality,
            phone=member.phone,
            needs_accessible_housing=member.needs_accessible_housing,
        )
        person.save()
        for ident in member.identifiers.all():
            PersonIdentifier.objects.create(
                person=person, organisation=municipality, kind=ident.kind, value=ident.value
            )
        PersonLanguage.objects.bulk_create(
            PersonLanguage(person=person, language_id=pl.language_id, level=pl.level)
            for pl in member.languages.all()
        )
    return household


@dataclass
class NewArrival:
    """One household to receive: what the form, the import or the centre's phase brings."""

    household: Household
    decision_date: dt.date
    handover_date: dt.date | None = None
    source_household: Household | None = None
    agreed_by: str = ""


def _create_arrival(
    *, user, municipality: Organisation, origin: str, new: NewArrival, request=None
):
    return _create_arrivals(
        user=user, municipality=municipality, origin=origin, new=[new], request=request
    )[0]


def _create_arrivals(
    *,
    user,
    municipality: Organisation,
    origin: str,
    new: list[NewArrival],
    request: HttpRequest | None = None,
) -> list[Arrival]:
    """Arrivals with their checklist tasks, timeline and audit, written in a few statements."""
    members_of: dict[int, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(
        household_id__in=[n.household.pk for n in new]
    ).prefetch_related("languages__language"):
        members_of[person.household_id].append(person)
    arrivals = []
    for n in new:
        members = members_of[n.household.pk]
        if not members:
            raise ValidationError(_("The household has no members; add them before the arrival."))
        limits.validate_record_date(n.decision_date)
        rule_date = calendar.handover_date(n.decision_date)
        handover = n.handover_date or rule_date
        limits.validate_record_date(handover)
        if handover < n.decision_date:
            raise ValidationError(
                {"handover_date": _("The handover cannot be before the assignment decision.")}
            )
        ages = [age_on(m.date_of_birth, handover) for m in members]
        arrivals.append(
            Arrival(
                organisation=municipality,
                household=n.household,
                household_type=checklist.household_type(ages),
                origin=origin,
                source_household=n.source_household,
                source_organisation_id=n.source_household.organisation_id
                if n.source_household
                else None,
                decision_date=n.decision_date,
                rule_handover_date=rule_date,
                handover_date=handover,
                agreed_by=n.agreed_by,
                persons=len(members),
                needs_accessible_housing=any(m.needs_accessible_housing for m in members),
                interpreter_language=_needs_interpreter(members),
                created_by=user,
            )
        )
    Arrival.objects.bulk_create(arrivals, batch_size=500)
    generate_tasks_many(arrivals, members_of)
    now = timezone.now()
    ReceptionEvent.objects.bulk_create(
        [_event_row(a, EventKind.ANNOUNCED, user, at=now, code=origin) for a in arrivals],
        batch_size=500,
    )
    audit_records(
        [
            dict(
                user=user,
                action=Action.CREATE,
                obj=a,
                summary=f"Arrival announced, handover {a.handover_date:%Y-%m-%d}",
                request=request,
            )
            for a in arrivals
        ]
    )
    return arrivals


def generate_tasks(arrival: Arrival, members: list[Person] | None = None) -> int:
    """The arrival's checklist tasks from its municipality's template (missing ones only)."""
    members = members if members is not None else list(arrival.household.members.all())
    return generate_tasks_many([arrival], {arrival.household_id: members})


def generate_tasks_many(arrivals: list[Arrival], members_of: dict[int, list[Person]]) -> int:
    """Checklist tasks of many arrivals (missing ones only), in one insert."""
    items_of: dict[tuple[int, str], list[ChecklistItem]] = defaultdict(list)
    for organisation in {a.organisation_id: a.organisation for a in arrivals}.values():
        ensure_checklist(organisation)
        for item in ChecklistItem.objects.filter(organisation=organisation, active=True):
            items_of[organisation.pk, item.household_type].append(item)
    tasks = []
    for arrival in arrivals:
        members = members_of.get(arrival.household_id, [])
        ages = [(p, age_on(p.date_of_birth, arrival.handover_date)) for p in members]
        for item in items_of[arrival.organisation_id, arrival.household_type]:
            if item.code == "interpreter" and not arrival.interpreter_language:
                continue
            base = dict(
                organisation_id=arrival.organisation_id,
                arrival_id=arrival.pk,
                code=item.code,
                title=item.title,
                department=item.department,
                months_from_handover=item.months_from_handover,
                days_from_handover=item.days_from_handover,
                due_on=checklist.due_on(
                    arrival.handover_date, item.months_from_handover, item.days_from_handover
                ),
            )
            if item.scope == "household":
                tasks.append(dict(base, person_id=None))
            else:
                tasks.extend(
                    dict(base, person_id=person.pk)
                    for person, age in ages
                    if checklist.member_matches(item.scope, age)
                )
    # An arrival's tasks are many (17 for a family of four); a plain insert keeps an import
    # of hundreds of households fast. The unique constraints skip tasks it already has.
    return insert_new(Task, tasks)


@transaction.atomic
def announce_from_phase(phase) -> Arrival | None:
    """A granted case phase naming a municipality announces the household's arrival there.

    Idempotent: a second member's phase, or the same phase saved again, finds the arrival.
    A later decision date re-dates the handover and the open tasks.
    """
    if phase.phase != "granted" or phase.municipality_id is None:
        return None
    source = own_household(phase.person)
    municipality = Organisation.objects.get(pk=phase.municipality_id)
    if municipality.kind != OrganisationKind.MUNICIPALITY:
        return None
    existing = (
        Arrival.objects.select_for_update()
        .filter(source_household=source, organisation=municipality)
        .exclude(status=ArrivalStatus.CANCELLED)
        .first()
    )
    if existing is not None:
        if existing.decision_date != phase.start and existing.status == ArrivalStatus.ANNOUNCED:
            rule_date = calendar.handover_date(phase.start)
            existing.decision_date, existing.rule_handover_date = phase.start, rule_date
            handover = phase.handover_date or rule_date
            _redate(existing, min(handover, rule_date), phase.created_by)
        return existing
    household = _copy_household(source, municipality)
    rule_date = calendar.handover_date(phase.start)
    # A date set at the centre counts when it is earlier than the rule's (agreed with the
    # centre); never later: the municipality is responsible from the rule's date.
    earlier = (
        phase.handover_date if phase.handover_date and phase.handover_date < rule_date else None
    )
    arrival = _create_arrival(
        user=phase.created_by,
        municipality=municipality,
        origin=Origin.ASSIGNMENT,
        new=NewArrival(
            household,
            phase.start,
            earlier,
            source_household=source,
            agreed_by=str(source.organisation)[:200] if earlier else "",
        ),
    )
    audit_record(
        user=phase.created_by,
        action=Action.EXPORT,
        organisation_id=source.organisation_id,
        object_type="people.household",
        object_id=source.pk,
        summary=f"Household handed over to {municipality.name}",
    )
    return arrival


def create_arrival(
    *,
    user,
    household: Household,
    decision_date: dt.date,
    handover_date: dt.date | None,
    request=None,
) -> Arrival:
    """An arrival entered by hand for one of the municipality's own households."""
    require_perm(user, Perm.MANAGE_RECEPTION, household.organisation_id, request=request)
    if Arrival.objects.filter(household=household).exists():
        raise ValidationError({"household": _("This household already has an arrival.")})
    with transaction.atomic():
        try:
            return _create_arrival(
                user=user,
                municipality=household.organisation,
                origin=Origin.MANUAL,
                new=NewArrival(household, decision_date, handover_date),
                request=request,
            )
        except IntegrityError as exc:
            raise ValidationError(
                {"household": _("This household already has an arrival.")}
            ) from exc


def _redate(arrival: Arrival, handover: dt.date, user) -> int:
    old = arrival.handover_date
    arrival.handover_date = handover
    arrival.save(update_fields=["decision_date", "rule_handover_date", "handover_date"])
    moved = 0
    for task in Task.objects.select_for_update().filter(arrival=arrival, status=TaskStatus.OPEN):
        task.due_on = checklist.due_on(handover, task.months_from_handover, task.days_from_handover)
        task.version += 1
        task.save(update_fields=["due_on", "version"])
        moved += 1
    if old != handover:
        _event(arrival, EventKind.HANDOVER_MOVED, user, f"{old:%Y-%m-%d} → {handover:%Y-%m-%d}")
    return moved


@transaction.atomic
def move_handover(
    *, user, arrival: Arrival, handover_date: dt.date, agreed_by: str, request=None
) -> Arrival:
    """Hand over earlier than the rule's date, by agreement with the centre (recorded)."""
    require_perm(user, Perm.MANAGE_RECEPTION, arrival.organisation_id, request=request)
    arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
    if arrival.status != ArrivalStatus.ANNOUNCED:
        raise ValidationError(_("The household has been received; its handover date is final."))
    limits.validate_record_date(handover_date)
    if handover_date < arrival.decision_date:
        raise ValidationError(
            {"handover_date": _("The handover cannot be before the assignment decision.")}
        )
    if handover_date > arrival.rule_handover_date:
        raise ValidationError(
            {
                "handover_date": _("The handover cannot be later than the rule's date, %(date)s.")
                % {"date": arrival.rule_handover_date.strftime("%d.%m.%Y")}
            }
        )
    agreed_by = agreed_by.strip()
    if handover_date < arrival.rule_handover_date and not agreed_by:
        raise ValidationError(
            {"agreed_by": _("Say who at the centre agreed to the earlier handover.")}
        )
    before = arrival.handover_date
    arrival.agreed_by = agreed_by if handover_date < arrival.rule_handover_date else ""
    arrival.agreed_recorded_by = user
    arrival.save(update_fields=["agreed_by", "agreed_recorded_by"])
    _redate(arrival, handover_date, user)
    if arrival.source_household_id:
        # The centre sees the same date, and its payment runs stop there.
        CasePhase.objects.filter(
            person__household_id=arrival.source_household_id,
            phase="granted",
            municipality=arrival.organisation,
        ).update(handover_date=handover_date)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=arrival,
        summary="Handover date moved",
        changes={"handover_date": [str(before), str(handover_date)], "agreed_by": ["", agreed_by]},
        request=request,
    )
    return arrival


@transaction.atomic
def record_home(
    *, user, arrival: Arrival, first_home: str, permanent_from: dt.date | None, request=None
) -> Arrival:
    require_perm(user, Perm.MANAGE_RECEPTION, arrival.organisation_id, request=request)
    arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
    if first_home not in HomeKind.values or not first_home:
        raise ValidationError({"first_home": _("Choose the kind of the first home.")})
    limits.validate_record_date(permanent_from)
    if first_home == HomeKind.PERMANENT and permanent_from is None:
        permanent_from = arrival.handover_date
    if permanent_from and permanent_from < arrival.handover_date - dt.timedelta(days=31):
        raise ValidationError(
            {"permanent_from": _("The permanent home cannot start long before the handover.")}
        )
    arrival.first_home, arrival.permanent_home_from = first_home, permanent_from
    arrival.save(update_fields=["first_home", "permanent_home_from"])
    _event(arrival, EventKind.HOME, user, code=first_home)
    audit_record(
        user=user, action=Action.CHANGE, obj=arrival, summary="Housing recorded", request=request
    )
    return arrival


# --- Tasks and hand-offs -----------------------------------------------------------------


def _locked_task(task_pk: int, version: int) -> Task:
    task = Task.objects.select_for_update().select_related("arrival").get(pk=task_pk)
    if task.version != version:
        raise StaleError(
            _("Someone else changed this task in the meantime; it is shown as it is now.")
        )
    return task


@transaction.atomic
def complete_task(
    *,
    user,
    task: Task,
    version: int,
    done_on: dt.date | None = None,
    note: str = "",
    not_needed: bool = False,
    request=None,
) -> Task:
    require_perm(user, Perm.MANAGE_RECEPTION, task.organisation_id, request=request)
    task = _locked_task(task.pk, version)
    if task.status != TaskStatus.OPEN:
        raise StaleError(_("This task was already closed by someone else."))
    done_on = done_on or timezone.localdate()
    limits.validate_past_date(done_on)
    task.status = TaskStatus.NOT_NEEDED if not_needed else TaskStatus.DONE
    task.done_on, task.done_by, task.note = done_on, user, note[:500]
    task.version += 1
    task.save(update_fields=["status", "done_on", "done_by", "note", "version"])
    kind = EventKind.TASK_NOT_NEEDED if not_needed else EventKind.TASK_DONE
    _event(task.arrival, kind, user, task.title)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=task,
        person_id=task.person_id,
        summary=f"Task {task.code}: {task.status}",
        request=request,
    )
    return task


@transaction.atomic
def reopen_task(*, user, task: Task, version: int, request=None) -> Task:
    require_perm(user, Perm.MANAGE_RECEPTION, task.organisation_id, request=request)
    task = _locked_task(task.pk, version)
    task.status, task.done_on, task.done_by = TaskStatus.OPEN, None, None
    task.version += 1
    task.save(update_fields=["status", "done_on", "done_by", "version"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=task,
        summary=f"Task {task.code} reopened",
        request=request,
    )
    return task


@transaction.atomic
def hand_off(
    *, user, task: Task, version: int, to_department: str, note: str, request=None
) -> HandOff:
    require_perm(user, Perm.MANAGE_RECEPTION, task.organisation_id, request=request)
    task = _locked_task(task.pk, version)
    if to_department not in UnitKind.values or to_department == UnitKind.CENTRE:
        raise ValidationError({"to_department": _("Choose a department.")})
    if to_department == task.department:
        raise ValidationError({"to_department": _("The task is already with that department.")})
    if task.status != TaskStatus.OPEN:
        raise StaleError(_("This task was already closed by someone else."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what the other department needs to know.")})
    handoff = HandOff.objects.create(
        task=task,
        organisation_id=task.organisation_id,
        from_department=task.department,
        to_department=to_department,
        note=note[:500],
        by=user,
        at=timezone.now(),
    )
    task.department = to_department
    task.version += 1
    task.save(update_fields=["department", "version"])
    _event(task.arrival, EventKind.HANDED_OFF, user, task.title, code=to_department)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=task,
        summary="Task handed off",
        changes={"department": [handoff.from_department, to_department]},
        request=request,
    )
    return handoff


@transaction.atomic
def acknowledge(*, user, handoff: HandOff, request=None) -> HandOff:
    require_perm(user, Perm.MANAGE_RECEPTION, handoff.organisation_id, request=request)
    handoff = HandOff.objects.select_for_update().select_related("task__arrival").get(pk=handoff.pk)
    if handoff.acknowledged_at is not None:
        raise StaleError(_("This hand-off was already acknowledged."))
    handoff.acknowledged_at, handoff.acknowledged_by = timezone.now(), user
    handoff.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _event(handoff.task.arrival, EventKind.ACKNOWLEDGED, user, handoff.task.title)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=handoff.task,
        summary="Hand-off acknowledged",
        request=request,
    )
    return handoff


# --- Integration plans and children ------------------------------------------------------


def plan_for(person: Person) -> IntegrationPlan:
    """The adult's integration plan, made on first use."""
    arrival = Arrival.objects.filter(household_id=person.household_id).first()
    if arrival is None:
        raise ValidationError(_("%(name)s has no arrival in this municipality.") % {"name": person})
    plan, _created = IntegrationPlan.objects.get_or_create(
        person=person, defaults={"organisation_id": person.organisation_id, "arrival": arrival}
    )
    return plan


PLAN_FIELDS = (
    "programme",
    "contract_signed_on",
    "language_module",
    "education",
    "work_experience",
    "interests",
)


@transaction.atomic
def update_plan(
    *, user, plan: IntegrationPlan, version: int, data: dict, request=None
) -> IntegrationPlan:
    require_perm(user, Perm.MANAGE_RECEPTION, plan.organisation_id, request=request)
    plan = IntegrationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.version != version:
        raise StaleError(
            _("Someone else changed this plan in the meantime; it is shown as it is now.")
        )
    limits.validate_past_date(data.get("contract_signed_on"))
    before = {f: getattr(plan, f) for f in PLAN_FIELDS}
    for field in PLAN_FIELDS:
        if field in data:
            setattr(plan, field, data[field])
    plan.version += 1
    plan.full_clean()
    plan.save()
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=plan,
        person_id=plan.person_id,
        summary="Integration plan changed",
        changes={
            f: [str(before[f]), str(getattr(plan, f))]
            for f in PLAN_FIELDS
            if before[f] != getattr(plan, f)
        },
        request=request,
    )
    return plan


@transaction.atomic
def add_plan_status(
    *, user, plan: IntegrationPlan, status: str, start: dt.date, note: str = "", request=None
) -> PlanStatus:
    require_perm(user, Perm.MANAGE_RECEPTION, plan.organisation_id, request=request)
    limits.validate_past_date(start)
    arrival = plan.arrival
    if start < arrival.handover_date - dt.timedelta(days=31):
        raise ValidationError({"start": _("The status cannot start long before the handover.")})
    entry = PlanStatus(plan=plan, status=status, start=start, note=note[:300], created_by=user)
    entry.full_clean()
    entry.save()
    _event(arrival, EventKind.PLAN_STATUS, user, plan.person.name_latin, code=status)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=plan,
        person_id=plan.person_id,
        summary=f"Plan status {status} from {start:%Y-%m-%d}",
        request=request,
    )
    return entry


@transaction.atomic
def record_child_start(
    *, user, person: Person, offer: str, place: str, started_on: dt.date | None, request=None
) -> ChildStart:
    require_perm(user, Perm.MANAGE_RECEPTION, person.organisation_id, request=request)
    arrival = Arrival.objects.filter(household_id=person.household_id).first()
    if arrival is None:
        raise ValidationError(_("%(name)s has no arrival in this municipality.") % {"name": person})
    age = age_on(person.date_of_birth, arrival.handover_date)
    if age is not None and age >= ADULT_AGE:
        raise ValidationError(_("Day care and school are for children."))
    if offer not in ChildOffer.values:
        raise ValidationError({"offer": _("Choose day care, school or reception class.")})
    limits.validate_past_date(started_on)
    if started_on and started_on < arrival.handover_date - dt.timedelta(days=31):
        raise ValidationError({"started_on": _("The start cannot be long before the handover.")})
    start, created = ChildStart.objects.select_for_update().get_or_create(
        person=person,
        defaults={"organisation_id": person.organisation_id, "arrival": arrival, "offer": offer},
    )
    start.offer, start.place, start.started_on = offer, place[:200], started_on
    # A reception class lasts at most 2 years (folkeskoleloven § 5, stk. 5).
    start.reception_class_until = (
        calendar.add_months(started_on, 24)
        if offer == ChildOffer.RECEPTION_CLASS and started_on
        else None
    )
    start.version += 1
    start.save()
    if started_on:
        _event(arrival, EventKind.CHILD_STARTED, user, person.name_latin, code=offer)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=start,
        person_id=person.pk,
        summary=f"Child's start: {offer}",
        request=request,
    )
    return start


@transaction.atomic
def add_follow_up(
    *, user, arrival: Arrival, kind: str, on: dt.date, note: str = "", request=None
) -> FamilyFollowUp:
    require_perm(user, Perm.MANAGE_RECEPTION, arrival.organisation_id, request=request)
    limits.validate_record_date(on)
    follow_up = FamilyFollowUp(
        organisation_id=arrival.organisation_id,
        arrival=arrival,
        kind=kind,
        on=on,
        note=note[:300],
        created_by=user,
    )
    follow_up.full_clean()
    follow_up.save()
    _event(arrival, EventKind.FOLLOW_UP, user, code=kind)
    audit_record(
        user=user, action=Action.CREATE, obj=follow_up, summary=f"Follow-up {kind}", request=request
    )
    return follow_up


# --- The centre's side: the stay ends at the handover ------------------------------------


@transaction.atomic
def confirm_departure(*, user, person: Person, request=None):
    """End the resident's stay on the handover date, with the reason 'moved to a municipality'."""
    phase = current_phase(person)
    if phase is None or phase.phase != "granted" or phase.handover_date is None:
        raise ValidationError(_("%(name)s has no handover date.") % {"name": person})
    handover = arrival_handover_for(person) or phase.handover_date
    if handover > timezone.localdate():
        raise ValidationError(_("The handover date has not come yet."))
    at = timezone.make_aware(dt.datetime.combine(handover, dt.time(12, 0)))
    return check_out(
        user=user, person=person, reason=CheckOutReason.MUNICIPALITY, at=at, request=request
    )


def arrival_handover_for(person: Person) -> dt.date | None:
    """The municipality's handover date for a centre resident (it may be earlier by agreement)."""
    if person.household_id is None:
        return None
    arrival = (
        Arrival.objects.filter(source_household_id=person.household_id)
        .exclude(status=ArrivalStatus.CANCELLED)
        .only("handover_date")
        .first()
    )
    return arrival.handover_date if arrival else None


@transaction.atomic
def import_arrivals(*, user, organisation: Organisation, report, request=None) -> list[Arrival]:
    """Households, persons and arrivals of a checked CSV report; all or nothing."""
    require_perm(user, Perm.MANAGE_RECEPTION, organisation.pk, request=request)
    if not report.ok:
        raise ValidationError(_("The file has errors; nothing was imported."))
    persons = create_people(
        user=user, organisation=organisation, report=report.people, request=request
    )
    households: dict[str, Household] = {}
    for row in report.people.rows:
        households.setdefault(row.household, persons[row.line].household)
    return _create_arrivals(
        user=user,
        municipality=organisation,
        origin=Origin.IMPORT,
        new=[
            NewArrival(household, report.dates[ref].decision, report.dates[ref].handover)
            for ref, household in households.items()
        ],
        request=request,
    )
