"""Reads of the estate, stays and phases, scoped to the user's organisations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.roles import Perm

from . import allocation
from .models import Bed, CasePhase, Centre, CentreType, Closure, Room, RoomKind, Stay

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


def waiting_by_phase(user) -> list[dict]:
    """Residents with their current phase and how long they have been in it, longest first."""
    from ankomst.accounts.fields import PersonField, organisation_ids_seeing
    from ankomst.people.selectors import persons_visible_to

    # Case phases belong to the stays part of a record (the role × field table).
    persons = (
        persons_visible_to(user)
        .filter(organisation_id__in=organisation_ids_seeing(user, PersonField.STAYS))
        .filter(case_phases__isnull=False)
        .distinct()
    )
    latest = {}
    for phase in (
        CasePhase.objects.filter(person__in=persons)
        .select_related("person", "municipality")
        .order_by("person_id", "-start", "-id")
    ):
        latest.setdefault(phase.person_id, phase)
    today = timezone.localdate()
    rows = [
        {"phase": p, "person": p.person, "days": (today - p.start).days} for p in latest.values()
    ]
    rows.sort(key=lambda r: -r["days"])
    return rows


def free_beds_for(user, centre: Centre) -> QuerySet[Room]:
    return Room.objects.filter(building__centre=centre).prefetch_related("beds")
