"""The engine's input from the municipality's records: who waits, what is free, where.

Households are keyed ``N<need id>`` and units ``U<unit id>`` in the input; nothing else of a
person leaves the database: the engine sees sizes, ages, a nationality code, language codes,
the rent budget and the needs. What the department already did this year counts: households
placed (moved in or offered) this year count towards each area's ceiling and spread, and live
there as countrymen of those who come after them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from ankomst.people.ages import ADULT_AGE
from ankomst.people.models import Person, age_on

from . import rules
from .models import (
    OPEN_OFFER,
    PERMANENT_KINDS,
    Area,
    AreaRuleKind,
    HousingNeed,
    HousingUnit,
    NeedStatus,
    Offer,
    Proposal,
    ProposalStatus,
    Tenancy,
    UnitStatus,
)

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
STATELESS = "XXX"
SEX = {"F": "female", "M": "male"}


def need_key(pk: int) -> str:
    return f"N{pk}"


def unit_key(pk: int) -> str:
    return f"U{pk}"


def key_pk(key: str) -> int:
    return int(key[1:])


@dataclass
class Built:
    data: dict  # the engine's input
    kept: dict[int, int]  # need id -> unit id of an accepted proposal kept fixed


def waiting_needs(organisation_id: int):
    """Households a run places: waiting, or in temporary housing, without an offer under way."""
    return (
        HousingNeed.objects.filter(
            organisation_id=organisation_id,
            status__in=[NeedStatus.WAITING, NeedStatus.TEMPORARY],
            arrival__status__in=["announced", "received"],
        )
        .exclude(offers__status__in=OPEN_OFFER)
        .select_related("arrival")
        .prefetch_related("area_rules")
        .order_by("move_in_by", "id")
    )


def free_units(organisation_id: int) -> list[HousingUnit]:
    """Units a run may propose: available, nobody living there or offered it; a shared room
    while it has a free bed."""
    units = (
        HousingUnit.objects.filter(organisation_id=organisation_id, status=UnitStatus.AVAILABLE)
        .select_related("area")
        .annotate(
            tenants=Count(
                "tenancies", filter=Q(tenancies__moved_out_on__isnull=True), distinct=True
            ),
            offered=Count("offers", filter=Q(offers__status__in=OPEN_OFFER), distinct=True),
        )
        .order_by("id")
    )
    return [u for u in units if free_beds(u) > 0]


def free_beds(unit: HousingUnit) -> int:
    """Of a unit annotated by ``free_units``: the beds of a shared room left, 1 for a free home."""
    taken = unit.tenants + unit.offered
    if unit.is_shared:
        return max(unit.max_persons - taken, 0)
    return 0 if taken else 1


def _members(needs: list[HousingNeed]) -> dict[int, list[Person]]:
    by_household: dict[int, list[Person]] = defaultdict(list)
    households = [n.arrival.household_id for n in needs]
    for person in (
        Person.objects.filter(household_id__in=households)
        .prefetch_related("languages__language")
        .order_by("date_of_birth", "id")
    ):
        by_household[person.household_id].append(person)
    return by_household


def _languages(members: list[Person]) -> list[str]:
    tags = []
    for person in members:
        for spoken in person.languages.all():
            tag = spoken.language.code
            if LANGUAGE_TAG.match(tag) and tag not in tags and not tag.startswith("da"):
                tags.append(tag)
    return tags or ["und"]


def household_record(need: HousingNeed, members: list[Person], non_permanent: list[str]) -> dict:
    on = max(need.move_in_by, timezone.localdate())
    c = rules.composition([m.date_of_birth for m in members], on)
    adults = [m for m in members if (age_on(m.date_of_birth, on) or ADULT_AGE) >= ADULT_AGE]
    head = adults[0] if adults else members[0]
    nationality = str(head.nationality) if head.nationality else STATELESS
    record = {
        "id": need_key(need.pk),
        "persons": c.persons,
        "adults": c.adults,
        "child_ages": list(c.child_ages),
        "nationality": nationality if re.fullmatch(r"[A-Z]{2,3}", nationality) else STATELESS,
        "languages": _languages(members),
        "rent_budget": float(need.rent_budget),
        "needs": {
            "accessible": need.arrival.needs_accessible_housing,
            "ground_floor": need.needs_ground_floor,
            "treatment": need.needs_treatment,
        },
        "vulnerable": need.vulnerable,
        "arrival": need.arrival.handover_date.isoformat(),
        "move_in_by": need.move_in_by.isoformat(),
    }
    if c.adults == 1 and not c.child_ages:
        record["sex"] = SEX.get(head.sex, "other")
        record["age"] = min(max(age_on(head.date_of_birth, on) or ADULT_AGE, 0), 120)
    fixed = [r for r in need.area_rules.all() if r.kind == AreaRuleKind.FIXED]
    forbidden = [r.area.code for r in need.area_rules.all() if r.kind == AreaRuleKind.FORBIDDEN]
    if fixed:
        record["fixed"] = {"area": fixed[0].area.code}
    if forbidden or (need.status == NeedStatus.TEMPORARY and non_permanent):
        record["forbidden"] = {}
        if forbidden:
            record["forbidden"]["areas"] = forbidden
        if need.status == NeedStatus.TEMPORARY and non_permanent:
            # in temporary housing already: it waits for a permanent home only
            record["forbidden"]["units"] = non_permanent
    return record


def unit_record(unit: HousingUnit, occupant_sex: str | None) -> dict:
    record = {
        "id": unit_key(unit.pk),
        "area": unit.area.code,
        "kind": unit.kind,
        "rooms": unit.rooms,
        "max_persons": free_beds(unit) if unit.is_shared else unit.max_persons,
        "rent": float(unit.rent),
        "accessible": unit.accessible,
        "floor": unit.floor,
        "disadvantaged": unit.disadvantaged,
        "distances_km": {
            "school": float(unit.school_km),
            "daycare": float(unit.daycare_km),
            "transport": float(unit.transport_km),
            "shops": float(unit.shops_km),
        },
    }
    if unit.treatment_km is not None:
        record["distances_km"]["treatment"] = float(unit.treatment_km)
    if unit.available_from and unit.available_from > timezone.localdate():
        record["available_from"] = unit.available_from.isoformat()
    if unit.is_shared:
        shared = {}
        sex = unit.room_sex or occupant_sex
        if sex:
            shared["sex"] = sex
        if unit.age_min is not None:
            shared["age_min"] = unit.age_min
        if unit.age_max is not None:
            shared["age_max"] = unit.age_max
        if shared:
            record["shared"] = shared
    return record


def _occupant_sexes(unit_ids: list[int]) -> dict[int, str]:
    """The sex of the singles living in (or offered) each shared room."""
    out: dict[int, str] = {}
    rows = Tenancy.objects.filter(unit_id__in=unit_ids, moved_out_on__isnull=True).values_list(
        "unit_id", "need__arrival__household_id"
    )
    offers = Offer.objects.filter(unit_id__in=unit_ids, status__in=OPEN_OFFER).values_list(
        "unit_id", "need__arrival__household_id"
    )
    pairs = list(rows) + list(offers)
    sexes = dict(
        Person.objects.filter(household_id__in=[h for _, h in pairs]).values_list(
            "household_id", "sex"
        )
    )
    for unit_id, household_id in pairs:
        sex = SEX.get(sexes.get(household_id, ""))
        if sex:
            out[unit_id] = sex
    return out


def history(organisation_id: int, year: int) -> tuple[Counter, dict[int, Counter]]:
    """Households placed this year per area (moved in or offered), and their nationalities."""
    placed: Counter = Counter()
    nationalities: dict[int, Counter] = defaultdict(Counter)
    start = dt.date(year, 1, 1)
    moved = Tenancy.objects.filter(
        organisation_id=organisation_id, moved_in_on__gte=start
    ).values_list("unit__area_id", "need__arrival__household_id")
    offered = Offer.objects.filter(
        organisation_id=organisation_id, status__in=OPEN_OFFER
    ).values_list("unit__area_id", "need__arrival__household_id")
    pairs = list(moved) + list(offered)
    heads = {}
    for household_id, nationality in (
        Person.objects.filter(household_id__in={h for _, h in pairs})
        .order_by("date_of_birth")
        .values_list("household_id", "nationality")
    ):
        heads.setdefault(household_id, nationality or STATELESS)
    for area_id, household_id in pairs:
        placed[area_id] += 1
        nationalities[area_id][heads.get(household_id, STATELESS)] += 1
    return placed, nationalities


def kept_proposals(organisation_id: int, need_ids: set[int]) -> dict[int, int]:
    """Accepted proposals not yet offered: a re-run keeps them fixed (the latest decision wins)."""
    kept: dict[int, int] = {}
    for need_id, unit_id in (
        Proposal.objects.filter(
            organisation_id=organisation_id,
            status=ProposalStatus.ACCEPTED,
            need_id__in=need_ids,
            unit__isnull=False,
        )
        .order_by("decided_at", "id")
        .values_list("need_id", "unit_id")
    ):
        kept[need_id] = unit_id
    return kept


def build(organisation_id: int, *, name: str = "") -> Built:
    today = timezone.localdate()
    needs = list(waiting_needs(organisation_id))
    units = free_units(organisation_id)
    unit_ids = {u.pk for u in units}
    kept = {
        n: u
        for n, u in kept_proposals(organisation_id, {n.pk for n in needs}).items()
        if u in unit_ids
    }
    members = _members(needs)
    non_permanent = [unit_key(u.pk) for u in units if u.kind not in PERMANENT_KINDS]
    households = []
    for need in needs:
        people = members.get(need.arrival.household_id)
        if not people:
            continue
        record = household_record(need, people, non_permanent)
        if need.pk in kept:
            record["fixed"] = {"unit": unit_key(kept[need.pk])}
            record.pop("forbidden", None)
        households.append(record)
    sexes = _occupant_sexes([u.pk for u in units if u.is_shared])
    placed, nationalities = history(organisation_id, today.year)
    areas = []
    for area in Area.objects.filter(organisation_id=organisation_id).order_by("id"):
        countrymen = Counter({k: int(v) for k, v in (area.countrymen or {}).items()})
        countrymen.update(nationalities.get(area.pk, Counter()))
        record = {
            "id": area.code,
            "name": area.name,
            "kind": area.kind,
            "population": area.population,
            "countrymen": {
                k: v for k, v in sorted(countrymen.items()) if re.fullmatch(r"[A-Z]{2,3}", k)
            },
            "placed": placed.get(area.pk, 0),
        }
        if area.ceiling is not None:
            record["ceiling"] = area.ceiling
        areas.append(record)
    c_year = rules.temporary_cap(rules.Composition(1, ()), today).year
    caps = {k: float(v) for k, v in rules.temporary_caps_table()[c_year].items()}
    data = {
        "name": name,
        "households": households,
        "units": [unit_record(u, sexes.get(u.pk)) for u in units],
        "areas": areas,
        "rules": {"year": c_year, "temporary_payment_caps": caps},
    }
    return Built(data, kept)
