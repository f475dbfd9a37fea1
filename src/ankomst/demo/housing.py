"""The demo municipality's housing department: its areas with their countrymen and ceilings,
about 500 units from housing associations, private landlords and the municipality's own
temporary housing, the households already housed this year, and every arrival still waiting.

Stock and areas come from the placement engine's example generator
(``ankomst.placement.generate``, documented in docs/placement.md); the units are placed on
the map inside their area's polygon.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ankomst.accounts.models import Membership, Organisation, OrganisationKind, User
from ankomst.accounts.roles import Role
from ankomst.housing import rules, selectors, services
from ankomst.housing.models import (
    PERMANENT_KINDS,
    Area,
    HousingKind,
    HousingNeed,
    HousingUnit,
    LandlordKind,
    NeedStatus,
    RoomSex,
    Tenancy,
    UnitStatus,
)
from ankomst.people.models import Household, Person
from ankomst.placement.generate import housing_instance
from ankomst.reception.models import Arrival, ArrivalStatus, HomeKind

UNITS = 520
STREETS = [
    "Vestergade",
    "Østergade",
    "Søndergade",
    "Nørregade",
    "Kirkevej",
    "Skolevej",
    "Stationsvej",
    "Møllevej",
    "Bakkevej",
    "Engvej",
    "Parkvej",
    "Lindevej",
    "Birkevej",
    "Ahornvej",
    "Fjordvej",
    "Havnegade",
]
LANDLORDS = {
    LandlordKind.HOUSING_ASSOCIATION: [
        "Himmerland Boligforening",
        "Alabu Bolig",
        "Lejerbo Aalborg",
    ],
    LandlordKind.PRIVATE: ["Privat udlejer"],
    LandlordKind.MUNICIPALITY: ["Aalborg Kommune, Boliganvisningen"],
}


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    """Ray casting: is the point (lon, lat) inside the polygon's ring?"""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _point_in(
    rng: random.Random, shape: dict | None
) -> tuple[Decimal, Decimal] | tuple[None, None]:
    if shape is None:
        return None, None
    ring = shape["geometry"]["coordinates"][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    for _ in range(200):
        point = (rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys)))
        if _inside(point, ring):
            return Decimal(f"{point[1]:.5f}"), Decimal(f"{point[0]:.5f}")
    return None, None


def _landlord(rng: random.Random, kind: str) -> tuple[str, str]:
    if kind == HousingKind.PRIVATE_RENTAL:
        group = LandlordKind.PRIVATE
    elif kind == HousingKind.PERMANENT:
        group = LandlordKind.HOUSING_ASSOCIATION
    else:
        group = LandlordKind.MUNICIPALITY
    return group, rng.choice(LANDLORDS[group])


def _areas(organisation, data: dict) -> dict[str, Area]:
    """The areas of a generated instance, as the municipality's records."""
    return {
        a["id"]: Area.objects.create(
            organisation=organisation,
            code=a["id"],
            name=a["name"],
            kind=a["kind"],
            population=a["population"],
            ceiling=a["ceiling"],
            countrymen=a["countrymen"],
        )
        for a in data["areas"]
    }


def _unit(organisation, u: dict, area: Area, **fields) -> HousingUnit:
    """A unit of a generated instance as a record (not saved); ``fields`` override."""
    d = u["distances_km"]
    values = {
        "organisation": organisation,
        "reference": u["id"],
        "address": u["id"],
        "area": area,
        "kind": u["kind"],
        "rooms": u["rooms"],
        "max_persons": u["max_persons"],
        "rent": Decimal(str(u["rent"])).quantize(Decimal("0.01")),
        "accessible": u.get("accessible", False),
        "floor": u.get("floor", 0),
        "disadvantaged": u.get("disadvantaged", False),
        "school_km": Decimal(str(d["school"])),
        "daycare_km": Decimal(str(d["daycare"])),
        "transport_km": Decimal(str(d["transport"])),
        "shops_km": Decimal(str(d["shops"])),
        "treatment_km": Decimal(str(d["treatment"])) if "treatment" in d else None,
        "landlord_kind": LandlordKind.HOUSING_ASSOCIATION,
    }
    return HousingUnit(**{**values, **fields})


@transaction.atomic
def create_housing_demo(municipality: Organisation, *, seed: int = 2026) -> dict:
    if Area.objects.filter(organisation=municipality).exists():
        return {"created": False}
    rng = random.Random(seed)
    today = timezone.localdate()
    data = housing_instance(households=200, units=UNITS, seed=seed % 1000)
    areas = _areas(municipality, data)
    shapes = selectors.shapes()
    units = []
    for i, u in enumerate(data["units"]):
        kind = u["kind"]
        if kind == HousingKind.PERMANENT and rng.random() < 0.12:
            kind = HousingKind.PRIVATE_RENTAL
        landlord_kind, landlord = _landlord(rng, kind)
        lat, lon = _point_in(rng, shapes.get(u["area"]))
        unit = _unit(
            municipality,
            u,
            areas[u["area"]],
            reference=f"{'BOL' if kind in PERMANENT_KINDS else 'MID'}-{i + 1:04d}",
            address=f"{rng.choice(STREETS)} {rng.randint(1, 140)}, {areas[u['area']].name}",
            kind=kind,
            landlord_kind=landlord_kind,
            landlord=landlord,
            latitude=lat,
            longitude=lon,
        )
        if rng.random() < 0.12:
            unit.available_from = today + dt.timedelta(days=rng.randint(7, 60))
        if kind == HousingKind.SHARED_ROOM and rng.random() < 0.6:
            unit.room_sex = RoomSex.MALE if rng.random() < 0.7 else RoomSex.FEMALE
            if rng.random() < 0.5:
                unit.age_min, unit.age_max = (18, 25) if rng.random() < 0.5 else (25, None)
        units.append(unit)
    HousingUnit.objects.bulk_create(units, batch_size=500)
    housed = _housed_this_year(rng, municipality, units, today)
    opened = services.open_needs(municipality.pk)
    return {
        "created": True,
        "areas": len(areas),
        "units": len(units),
        "housed": housed,
        "waiting": opened,
    }


def _housed_this_year(rng: random.Random, municipality, units: list[HousingUnit], today) -> int:
    """Households received this year who moved straight into a permanent home (the history
    that counts towards each area's ceiling and spread), and those still in temporary housing."""
    author = (
        User.objects.filter(username="bolig").first()
        or User.objects.filter(username="caseworker").first()
    )
    start = dt.date(today.year, 1, 1)
    arrivals = list(
        Arrival.objects.filter(
            organisation=municipality,
            status=ArrivalStatus.RECEIVED,
        ).order_by("handover_date", "id")
    )
    members: dict[int, list[Person]] = {}
    for person in Person.objects.filter(household_id__in=[a.household_id for a in arrivals]):
        members.setdefault(person.household_id, []).append(person)
    free = {"permanent": [], "temporary": []}
    for unit in units:
        if not unit.is_shared and unit.available_from is None:
            free["permanent" if unit.is_permanent else "temporary"].append(unit)
    rng.shuffle(free["permanent"]), rng.shuffle(free["temporary"])
    needs, tenancies, let = [], [], []
    for arrival in arrivals:
        people = members.get(arrival.household_id, [])
        permanent = (
            arrival.first_home == HomeKind.PERMANENT
            and arrival.permanent_home_from is not None
            and arrival.permanent_home_from >= start
        )
        temporary = arrival.first_home == HomeKind.TEMPORARY and arrival.permanent_home_from is None
        if not people or not (permanent or temporary):
            continue
        pool = free["permanent" if permanent else "temporary"]
        c = rules.composition([m.date_of_birth for m in people], arrival.handover_date)
        unit = next((u for u in pool if u.max_persons >= c.persons), None)
        if unit is None:
            continue
        pool.remove(unit)
        moved = arrival.permanent_home_from if permanent else arrival.handover_date
        need = HousingNeed(
            organisation=municipality,
            arrival=arrival,
            rent_budget=rules.rent_budget(c),
            move_in_from=arrival.handover_date,
            move_in_by=arrival.handover_date,
            status=NeedStatus.HOUSED if permanent else NeedStatus.TEMPORARY,
        )
        needs.append(need)
        payment = unit.rent if permanent else min(unit.rent, rules.temporary_cap(c, moved).amount)
        tenancies.append((need, unit, moved, payment, not permanent))
        unit.status = UnitStatus.LET
        let.append(unit)
    HousingNeed.objects.bulk_create(needs, batch_size=500)
    Tenancy.objects.bulk_create(
        [
            Tenancy(
                organisation=municipality,
                need=need,
                unit=unit,
                temporary=temporary,
                moved_in_on=moved,
                monthly_payment=payment,
                created_by=author,
            )
            for need, unit, moved, payment, temporary in tenancies
        ],
        batch_size=500,
    )
    HousingUnit.objects.bulk_update(let, ["status"], batch_size=500)
    return len(tenancies)


def waiting_municipality(
    households: int, units: int, *, seed: int = 7, name: str = "", time_limit: int = 60
) -> int:
    """A municipality of ``households`` waiting households and ``units`` free units from the
    engine's example generator, with a placement run queued; returns the run's id. For the
    test that kills a worker and for the benchmark of the queue (each in a database of its own)."""

    data = housing_instance(households, units, seed=seed)
    name = name or f"Municipality of {households} × {units}, seed {seed}"
    org = Organisation.objects.create(name=name, kind=OrganisationKind.MUNICIPALITY)
    user = User.objects.create(username=f"housing-{org.pk}")
    Membership.objects.create(user=user, organisation=org, role=Role.CASEWORKER)
    areas = _areas(org, data)
    HousingUnit.objects.bulk_create([_unit(org, u, areas[u["area"]]) for u in data["units"]])
    today = timezone.localdate()
    households = Household.objects.bulk_create(
        [Household(organisation=org, reference=h["id"]) for h in data["households"]]
    )
    persons = []
    for household, h in zip(households, data["households"], strict=True):
        sex = {"male": "M", "female": "F"}.get(h.get("sex", ""), "M")
        for a in range(h["adults"]):
            age = h.get("age", 35)
            persons.append(
                Person(
                    organisation=org,
                    household=household,
                    name_latin=f"{h['id']} adult {a}",
                    name_document=f"{h['id']} adult {a}",
                    date_of_birth=today.replace(year=today.year - age) - dt.timedelta(days=40),
                    sex=sex if a == 0 else "F",
                    nationality=h["nationality"] if len(h["nationality"]) == 2 else "",
                )
            )
        for c, age in enumerate(h["child_ages"]):
            persons.append(
                Person(
                    organisation=org,
                    household=household,
                    name_latin=f"{h['id']} child {c}",
                    name_document=f"{h['id']} child {c}",
                    date_of_birth=today.replace(year=today.year - age) - dt.timedelta(days=40),
                    sex="F",
                    nationality=h["nationality"] if len(h["nationality"]) == 2 else "",
                )
            )
    Person.objects.bulk_create(persons, batch_size=1000)
    handover = today + dt.timedelta(days=10)
    Arrival.objects.bulk_create(
        [
            Arrival(
                organisation=org,
                household=household,
                household_type="family" if h["child_ages"] else "single",
                origin="import",
                decision_date=today - dt.timedelta(days=30),
                rule_handover_date=handover,
                handover_date=handover,
                persons=h["persons"],
                created_by=user,
            )
            for household, h in zip(households, data["households"], strict=True)
        ],
        batch_size=1000,
    )
    run = services.start_run(user=user, organisation=org, time_limit=time_limit)
    return run.pk
