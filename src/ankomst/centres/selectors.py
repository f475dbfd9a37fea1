"""Reads of the estate, stays and phases, scoped to the user's organisations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from ankomst.accounts.fields import PersonField, organisation_ids_seeing
from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.roles import Perm
from ankomst.people.selectors import persons_visible_to

from . import allocation
from .models import Bed, CasePhase, Centre, CentreType, Closure, Phase, Room, RoomKind, Stay

KINDS = ("family", "single_male", "single_female", "minor", "accessible")


def centres_visible_to(user, perm: Perm = Perm.VIEW_CAPACITY) -> QuerySet[Centre]:
    return Centre.objects.filter(organisation_id__in=user.organisation_ids(perm))


def centre_get(user, pk: int, perm: Perm = Perm.VIEW_CAPACITY) -> Centre:
    centre = centres_visible_to(user, perm).select_related("organisation").filter(pk=pk).first()
    if centre is None:
        raise Http404
    return centre


def is_national(user) -> bool:
    return Organisation.objects.filter(
        pk__in=user.organisation_ids(Perm.VIEW_CAPACITY), kind=OrganisationKind.NATIONAL_AGENCY
    ).exists()


def open_stays_at(moment: dt.datetime) -> Q:
    return Q(start__lte=moment) & (Q(end__isnull=True) | Q(end__gt=moment))


def current_stay(person) -> Stay | None:
    return (
        Stay.objects.filter(person=person, end__isnull=True)
        .select_related("bed__room__building__centre")
        .first()
    )


def stay_history(person) -> QuerySet[Stay]:
    return (
        Stay.objects.filter(person=person)
        .select_related("bed__room__building__centre", "created_by")
        .order_by("-start", "-id")
    )


def current_phase(person) -> CasePhase | None:
    return CasePhase.objects.filter(person=person).order_by("-start", "-id").first()


def first_phase_dates(person_ids) -> dict[int, dt.date]:
    """The start of each person's first case phase: the day the asylum case began."""
    return dict(
        CasePhase.objects.filter(person_id__in=person_ids)
        .values("person_id")
        .annotate(first=Min("start"))
        .values_list("person_id", "first")
    )


def phase_history(person) -> QuerySet[CasePhase]:
    return (
        CasePhase.objects.filter(person=person)
        .select_related("municipality")
        .order_by("-start", "-id")
    )


def bed_kind(centre_type: str, room_kind: str) -> str:
    if centre_type == CentreType.CHILDREN:
        return "minor"
    return {
        RoomKind.FAMILY: "family",
        RoomKind.DORM_MALE: "single_male",
        RoomKind.DORM_FEMALE: "single_female",
        RoomKind.SINGLE: "single_male",
    }[room_kind]


def _closed_at(day: dt.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


@dataclass
class Counts:
    places: int = 0
    occupied: int = 0
    closed: int = 0
    by_kind: dict = field(
        default_factory=lambda: {k: {"places": 0, "occupied": 0, "free": 0} for k in KINDS}
    )

    @property
    def free(self) -> int:
        return self.places - self.occupied - self.closed

    @property
    def occupancy_percent(self) -> int:
        usable = self.places - self.closed
        return round(100 * self.occupied / usable) if usable else 0

    def add_bed(
        self, kind: str, accessible: bool, occupied: bool, closed: bool, n: int = 1
    ) -> None:
        self.places += n
        self.occupied += n * occupied
        self.closed += n * (closed and not occupied)
        for k in (kind, "accessible") if accessible else (kind,):
            row = self.by_kind[k]
            row["places"] += n
            row["occupied"] += n * occupied
            row["free"] += n * (not occupied and not closed)

    def merge(self, other: Counts) -> None:
        self.places += other.places
        self.occupied += other.occupied
        self.closed += other.closed
        for k in KINDS:
            for col in ("places", "occupied", "free"):
                self.by_kind[k][col] += other.by_kind[k][col]


def bed_rows(centre_ids, moment: dt.datetime, room_ids=None):
    """Every bed of the centres with its room data and whether it is occupied or closed at ``moment``."""
    day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    beds = Bed.objects.filter(room__building__centre_id__in=centre_ids)
    if room_ids is not None:
        beds = beds.filter(room_id__in=room_ids)
    return (
        beds.annotate(
            occupied=Exists(Stay.objects.filter(open_stays_at(moment), bed=OuterRef("pk"))),
            closed=Exists(Closure.objects.filter(_closed_at(day), bed=OuterRef("pk"))),
        )
        .values(
            "id",
            "room_id",
            "room__number",
            "room__kind",
            "room__accessible",
            "room__floor",
            "room__position",
            "room__building_id",
            "room__building__name",
            "room__building__centre_id",
            "room__building__centre__centre_type",
            "room__building__centre__organisation_id",
            "occupied",
            "closed",
        )
        .order_by(
            "room__building__centre_id",
            "room__building__name",
            "room__floor",
            "room__position",
            "id",
        )
    )


def occupancy(centres: QuerySet[Centre] | list[Centre], moment: dt.datetime | None = None) -> dict:
    """Counts per centre, building and room at ``moment`` (default now), and in total."""
    moment = moment or timezone.now()
    centres = list(centres)
    per_centre = {c.pk: Counts() for c in centres}
    per_building: dict = defaultdict(Counts)
    per_room: dict = defaultdict(Counts)
    total = Counts()
    for row in bed_rows([c.pk for c in centres], moment):
        kind = bed_kind(row["room__building__centre__centre_type"], row["room__kind"])
        args = (kind, row["room__accessible"], row["occupied"], row["closed"])
        per_centre[row["room__building__centre_id"]].add_bed(*args)
        per_building[row["room__building_id"]].add_bed(*args)
        per_room[row["room_id"]].add_bed(*args)
    for counts in per_centre.values():
        total.merge(counts)
    return {"centres": per_centre, "buildings": per_building, "rooms": per_room, "total": total}


def national_overview(moment: dt.datetime | None = None) -> list[tuple[Organisation, Counts]]:
    """Places, occupied and free by kind for every operator: aggregate figures, no persons.

    One grouped query over beds, so the page stays fast with tens of thousands of places.
    """
    moment = moment or timezone.now()
    day = timezone.localtime(moment).date()
    rows = (
        Bed.objects.annotate(
            occupied=Exists(Stay.objects.filter(open_stays_at(moment), bed=OuterRef("pk"))),
            closed=Exists(Closure.objects.filter(_closed_at(day), bed=OuterRef("pk"))),
        )
        .values(
            "room__building__centre__organisation_id",
            "room__building__centre__centre_type",
            "room__kind",
            "room__accessible",
            "occupied",
            "closed",
        )
        .annotate(n=Count("id"))
    )
    per_org: dict[int, Counts] = defaultdict(Counts)
    for row in rows:
        counts = per_org[row["room__building__centre__organisation_id"]]
        kind = bed_kind(row["room__building__centre__centre_type"], row["room__kind"])
        counts.add_bed(kind, row["room__accessible"], row["occupied"], row["closed"], n=row["n"])
    organisations = Organisation.objects.in_bulk(per_org.keys())
    return sorted(((organisations[k], v) for k, v in per_org.items()), key=lambda p: p[0].name)


def monthly_occupancy(
    centres, months: int = 12, today: dt.date | None = None
) -> list[tuple[dt.date, int, int]]:
    """(first day of month, occupied beds, places) for the last ``months`` months, oldest first."""
    today = today or timezone.localdate()
    centre_ids = [c.pk for c in centres]
    places = Bed.objects.filter(room__building__centre_id__in=centre_ids).count()
    series = []
    year, month = today.year, today.month
    points = []
    for _ in range(months):
        points.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    points.reverse()
    points[-1] = today
    tz = timezone.get_current_timezone()
    for day in points:
        moment = dt.datetime.combine(day, dt.time(12), tzinfo=tz)
        occupied = Stay.objects.filter(
            open_stays_at(moment), bed__room__building__centre_id__in=centre_ids
        ).count()
        series.append((day, occupied, places))
    return series


def room_states(centre_ids, moment: dt.datetime | None = None, room_ids=None) -> dict:
    """The allocation routine's view of the rooms: free beds and current occupants."""
    moment = moment or timezone.now()
    free_beds = []
    for row in bed_rows(centre_ids, moment, room_ids):
        if row["occupied"] or row["closed"]:
            continue
        free_beds.append(
            allocation.BedInfo(
                bed_id=row["id"],
                room_id=row["room_id"],
                building_id=row["room__building_id"],
                centre_id=row["room__building__centre_id"],
                centre_type=row["room__building__centre__centre_type"],
                room_kind=row["room__kind"],
                accessible=row["room__accessible"],
                floor=row["room__floor"],
                position=row["room__position"],
            )
        )
    occupants = Stay.objects.filter(
        open_stays_at(moment), bed__room__building__centre_id__in=centre_ids
    )
    if room_ids is not None:
        occupants = occupants.filter(bed__room_id__in=room_ids)
    occupants = occupants.values_list("bed__room_id", "person__sex", "person__household_id")
    rooms = allocation.build_rooms(
        free_beds, ((r, s, h if h is not None else f"p{r}") for r, s, h in occupants)
    )
    # Rooms with no free bed still matter for the rules only through their occupants; the
    # routine never places anyone there, so they are left out.
    return rooms


def operator_centres(organisation_id: int) -> QuerySet[Centre]:
    """The centres of one operator (callers have checked the user's right in it)."""
    return Centre.objects.filter(organisation_id=organisation_id)


def operator_centre_ids(organisation_id: int) -> list[int]:
    return list(operator_centres(organisation_id).values_list("pk", flat=True))


def household_members(person) -> list:
    """The person's household by age, oldest first; a person without a household alone."""
    if person.household_id:
        return list(person.household.members.order_by("date_of_birth", "id"))
    return [person]


def members_with_stay(persons, *, with_stay: bool) -> list:
    """Those of ``persons`` who have (``with_stay``) or have not an open stay, in one query."""
    housed = set(
        Stay.objects.filter(person__in=persons, end__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    return [p for p in persons if (p.pk in housed) == with_stay]


def free_beds(centre_ids, moment: dt.datetime | None = None) -> list[Bed]:
    """Beds of the centres with nobody in them at ``moment`` (default now), in floor-plan order."""
    moment = moment or timezone.now()
    return list(
        Bed.objects.filter(room__building__centre_id__in=centre_ids)
        .exclude(Exists(Stay.objects.filter(open_stays_at(moment), bed=OuterRef("pk"))))
        .select_related("room__building__centre")
        .order_by(
            "room__building__centre__name",
            "room__building__name",
            "room__floor",
            "room__position",
            "label",
        )
    )


def beds_in_centres(bed_ids, centre_ids) -> dict[int, Bed]:
    """The beds of ``bed_ids`` that belong to the centres, by id."""
    return {
        b.pk: b
        for b in Bed.objects.filter(
            pk__in=list(bed_ids), room__building__centre_id__in=centre_ids
        ).select_related("room__building__centre")
    }


def room_get(user, room_id: int, perm: Perm = Perm.MANAGE_BEDS) -> Room:
    """A room of a centre where the user holds ``perm``, or 404."""
    room = (
        Room.objects.select_related("building__centre")
        .filter(pk=room_id, building__centre__organisation_id__in=user.organisation_ids(perm))
        .first()
    )
    if room is None:
        raise Http404
    return room


def import_organisation(user, perm: Perm = Perm.MANAGE_BEDS) -> Organisation | None:
    """The operator whose population the user may import (the first with centres)."""
    return (
        Organisation.objects.filter(pk__in=user.organisation_ids(perm), centres__isnull=False)
        .distinct()
        .order_by("name", "pk")
        .first()
    )


@dataclass
class FloorRoom:
    id: int
    number: str
    kind: str
    kind_label: str
    accessible: bool
    beds: list = field(default_factory=list)


@dataclass
class FloorBuilding:
    id: int
    name: str
    counts: Counts = field(default_factory=Counts)
    floors: dict = field(default_factory=dict)


def floor_plan(centre: Centre, moment: dt.datetime, *, with_people: bool) -> dict:
    """Buildings, floors, rooms and beds of a centre at ``moment``, in two queries.

    Each bed is a small tuple (label, state, person id, person name) so the page for a
    600-place centre renders quickly; names only when ``with_people``.
    """
    occupants: dict[int, tuple[int, str]] = {}
    if with_people:
        occupants = {
            bed_id: (person_id, name)
            for bed_id, person_id, name in Stay.objects.filter(
                open_stays_at(moment), bed__room__building__centre=centre
            ).values_list("bed_id", "person_id", "person__name_latin")
        }
    kinds = dict(RoomKind.choices)
    buildings: dict[int, FloorBuilding] = {}
    rooms: dict[int, FloorRoom] = {}
    total = Counts()
    for row in bed_rows([centre.pk], moment).values(
        "id",
        "label",
        "room_id",
        "room__number",
        "room__kind",
        "room__accessible",
        "room__floor",
        "room__building_id",
        "room__building__name",
        "occupied",
        "closed",
    ):
        building = buildings.get(row["room__building_id"])
        if building is None:
            building = buildings[row["room__building_id"]] = FloorBuilding(
                row["room__building_id"], row["room__building__name"]
            )
        room = rooms.get(row["room_id"])
        if room is None:
            room = rooms[row["room_id"]] = FloorRoom(
                row["room_id"],
                row["room__number"],
                row["room__kind"],
                kinds.get(row["room__kind"], row["room__kind"]),
                row["room__accessible"],
            )
            building.floors.setdefault(row["room__floor"], []).append(room)
        state = "occupied" if row["occupied"] else "closed" if row["closed"] else "free"
        person_id, name = occupants.get(row["id"], (None, ""))
        room.beds.append((row["label"], state, person_id, name))
        kind = bed_kind(centre.centre_type, row["room__kind"])
        args = (kind, row["room__accessible"], row["occupied"], row["closed"])
        building.counts.add_bed(*args)
        total.add_bed(*args)
    return {"buildings": list(buildings.values()), "counts": total, "occupants": len(occupants)}


def latest_phases(user, phase: str | None = None) -> QuerySet[CasePhase]:
    """Every visible person's current phase, longest in it first; ``phase`` filters by it.

    One query with a subquery for the latest step per person, so the list can be paginated.
    """
    latest_id = (
        CasePhase.objects.filter(person=OuterRef("person"))
        .order_by("-start", "-id")
        .values("id")[:1]
    )
    # Case phases belong to the stays part of a record (the role × field table).
    persons = persons_visible_to(user).filter(
        organisation_id__in=organisation_ids_seeing(user, PersonField.STAYS)
    )
    phases = CasePhase.objects.filter(person__in=persons.values("pk"), id=Subquery(latest_id))
    if phase:
        phases = phases.filter(phase=phase)
    return phases.select_related("person", "municipality").order_by(
        "start", "person__name_latin", "id"
    )


def phase_summary(user) -> list[dict]:
    """Per phase: how many persons are in it now and since when the longest has waited."""
    today = timezone.localdate()
    labels = dict(Phase.choices)
    rows = (
        latest_phases(user)
        .order_by()
        .values("phase")
        .annotate(n=Count("id"), earliest=Min("start"))
        .order_by("phase")
    )
    return [
        {
            "phase": r["phase"],
            "label": labels.get(r["phase"], r["phase"]),
            "n": r["n"],
            "days": (today - r["earliest"]).days,
        }
        for r in sorted(
            rows, key=lambda r: list(labels).index(r["phase"]) if r["phase"] in labels else 99
        )
    ]
