"""Bed allocation: suggest beds for arriving households, and explain why.

Pure Python over plain data (no Django), so that the routine can be tested rule
by rule and benchmarked on a full estate. The rules:

- a family (a household of two or more) is kept in one room, or in adjacent
  rooms (same building and floor, consecutive positions) when no room is large
  enough; a family never shares a room with another household;
- single adults go to a dormitory of their sex or to a single room;
- unaccompanied minors go only to a children's centre, and adults never do;
- persons with reduced mobility go to accessible rooms (the whole family);
- never more persons than beds;
- a household without a mobility need is put in a plain room while one is free, so that
  accessible rooms stay for those who need them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ankomst.people.ages import ADULT_AGE

CHILDREN_CENTRE = "children"
FAMILY_ROOM, DORM_MALE, DORM_FEMALE, SINGLE_ROOM = "family", "dorm_male", "dorm_female", "single"


@dataclass(frozen=True)
class Arrival:
    person_id: int | str
    age: int | None
    sex: str  # "F", "M" or "X"
    needs_accessible: bool = False


@dataclass(frozen=True)
class Household:
    key: int | str
    members: tuple[Arrival, ...]

    @property
    def is_unaccompanied_minor(self) -> bool:
        ages = [m.age for m in self.members if m.age is not None]
        return bool(ages) and all(a < ADULT_AGE for a in ages)

    @property
    def needs_accessible(self) -> bool:
        return any(m.needs_accessible for m in self.members)


@dataclass(frozen=True)
class BedInfo:
    bed_id: int | str
    room_id: int | str
    building_id: int | str
    centre_id: int | str
    centre_type: str
    room_kind: str
    accessible: bool
    floor: int
    position: int


@dataclass
class RoomState:
    """What the rules need to know about a room: its free beds and who is already in it."""

    room_id: int | str
    building_id: int | str
    centre_id: int | str
    centre_type: str
    kind: str
    accessible: bool
    floor: int
    position: int
    free_beds: list[int | str] = field(default_factory=list)
    occupants: int = 0
    occupant_sexes: set[str] = field(default_factory=set)
    occupant_households: set = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return self.occupants == 0


@dataclass(frozen=True)
class Reason:
    """A rule that decided a suggestion; ``code`` is translated by the app."""

    code: str
    params: tuple[tuple[str, object], ...] = ()

    def param(self, name: str):
        return dict(self.params).get(name)


@dataclass
class Suggestion:
    household: Household
    beds: dict[int | str, int | str]  # person_id -> bed_id
    reasons: list[Reason]
    unplaced_reason: Reason | None = None

    @property
    def placed(self) -> bool:
        return self.unplaced_reason is None


def build_rooms(
    beds: Iterable[BedInfo], occupants: Iterable[tuple[int | str, str, object]] = ()
) -> dict:
    """Room states from free beds and current occupants ``(room_id, sex, household_key)``."""
    rooms: dict[int | str, RoomState] = {}
    for bed in beds:
        room = rooms.get(bed.room_id)
        if room is None:
            room = rooms[bed.room_id] = RoomState(
                bed.room_id,
                bed.building_id,
                bed.centre_id,
                bed.centre_type,
                bed.room_kind,
                bed.accessible,
                bed.floor,
                bed.position,
            )
        room.free_beds.append(bed.bed_id)
    for room_id, sex, household_key in occupants:
        room = rooms.get(room_id)
        if room is not None:
            room.occupants += 1
            room.occupant_sexes.add(sex)
            room.occupant_households.add(household_key)
    return rooms


def _centre_ok(household: Household, room: RoomState) -> bool:
    return (room.centre_type == CHILDREN_CENTRE) == household.is_unaccompanied_minor


def room_violations(
    household: Household, rooms: Sequence[RoomState], beds_used: int
) -> list[Reason]:
    """The rules a placement of ``household`` in ``rooms`` breaks (empty when it is allowed)."""
    problems: list[Reason] = []
    free = sum(len(r.free_beds) for r in rooms)
    if beds_used > free:
        problems.append(Reason("too_few_beds", (("needed", beds_used), ("free", free))))
    for room in rooms:
        if not _centre_ok(household, room):
            problems.append(
                Reason(
                    "minor_needs_children_centre"
                    if household.is_unaccompanied_minor
                    else "adults_not_in_children_centre"
                )
            )
        if household.needs_accessible and not room.accessible:
            problems.append(Reason("needs_accessible_room"))
        if len(household.members) > 1:
            if room.occupants and not room.occupant_households <= {household.key}:
                problems.append(Reason("family_room_shared"))
            if room.kind in (DORM_MALE, DORM_FEMALE) and not household.is_unaccompanied_minor:
                problems.append(Reason("family_not_in_dormitory"))
        else:
            member = household.members[0]
            if room.kind == FAMILY_ROOM:
                problems.append(Reason("single_not_in_family_room"))
            elif (
                room.kind == DORM_MALE
                and member.sex != "M"
                or room.kind == DORM_FEMALE
                and member.sex != "F"
            ):
                problems.append(Reason("dormitory_of_other_sex"))
            elif room.kind == SINGLE_ROOM and room.occupants:
                problems.append(Reason("single_room_taken"))
    if len(rooms) > 1 and not _adjacent(rooms):
        problems.append(Reason("family_split_across_rooms"))
    return list(dict.fromkeys(problems))


def rooms_adjacent(rooms: Sequence[RoomState]) -> bool:
    """Whether the rooms lie next to each other on one floor of one building."""
    return _adjacent(rooms)


def _adjacent(rooms: Sequence[RoomState]) -> bool:
    first = rooms[0]
    if any(r.building_id != first.building_id or r.floor != first.floor for r in rooms):
        return False
    positions = sorted(r.position for r in rooms)
    return all(b - a == 1 for a, b in pairwise(positions))


def allocate(households: Sequence[Household], rooms: dict, *, centre_id=None) -> list[Suggestion]:
    """Suggest beds for every household; mutates ``rooms`` as beds are taken.

    Larger households go first (they are hardest to fit); within a size the
    given order is kept, so the result is deterministic. ``centre_id`` limits
    the search to one centre.
    """
    candidates = [r for r in rooms.values() if centre_id is None or r.centre_id == centre_id]
    # Index rooms by what the rules look at, so a household scans only rooms it may use.
    by_group: dict[tuple, list[RoomState]] = defaultdict(list)
    for room in sorted(candidates, key=lambda r: (r.centre_id, r.building_id, r.floor, r.position)):
        by_group[(room.centre_type == CHILDREN_CENTRE, room.kind)].append(room)

    order = sorted(range(len(households)), key=lambda i: -len(households[i].members))
    results: dict[int, Suggestion] = {}
    for i in order:
        results[i] = _allocate_one(households[i], by_group)
    return [results[i] for i in range(len(households))]


def _allocate_one(household: Household, by_group: dict) -> Suggestion:
    size = len(household.members)
    minor = household.is_unaccompanied_minor
    reasons: list[Reason] = []
    if minor:
        reasons.append(Reason("minor_to_children_centre"))
    if household.needs_accessible:
        reasons.append(Reason("accessible_room"))

    def usable(room: RoomState) -> bool:
        return (not household.needs_accessible or room.accessible) and bool(room.free_beds)

    if size == 1:
        member = household.members[0]
        kinds = [DORM_MALE] if member.sex == "M" else [DORM_FEMALE] if member.sex == "F" else []
        kinds.append(SINGLE_ROOM)
        for kind in kinds:
            for room in _plain_first(household, by_group.get((minor, kind), ())):
                if usable(room) and not room_violations(household, [room], 1):
                    bed = room.free_beds.pop(0)
                    room.occupants += 1
                    room.occupant_sexes.add(member.sex)
                    room.occupant_households.add(household.key)
                    reasons.append(
                        Reason(
                            "single_in_dormitory" if kind != SINGLE_ROOM else "single_room",
                            (("sex", member.sex),),
                        )
                    )
                    return Suggestion(household, {member.person_id: bed}, reasons)
        return Suggestion(
            household, {}, reasons, Reason("no_room_for_single", (("sex", member.sex),))
        )

    family_rooms = [r for r in by_group.get((minor, FAMILY_ROOM), ()) if usable(r) and r.empty]
    if minor:
        # Unaccompanied siblings: a family room at the children's centre, else a dormitory of their sex.
        family_rooms += [
            r
            for kind in (DORM_MALE, DORM_FEMALE, SINGLE_ROOM)
            for r in by_group.get((True, kind), ())
            if usable(r) and r.empty
        ]
    # Best fit: the smallest empty room that holds the whole family.
    fitting = [r for r in family_rooms if len(r.free_beds) >= size]
    if fitting:
        spare = not household.needs_accessible
        room = min(
            fitting,
            key=lambda r: (
                spare and r.accessible,
                len(r.free_beds),
                r.centre_id,
                r.building_id,
                r.floor,
                r.position,
            ),
        )
        return _take(
            household,
            [room],
            reasons + [Reason("family_one_room", (("beds", len(room.free_beds)),))],
        )
    # Otherwise adjacent empty rooms on one floor, fewest rooms first.
    runs = _adjacent_runs(family_rooms, size, spare_accessible=not household.needs_accessible)
    if runs:
        return _take(
            household, runs, reasons + [Reason("family_adjacent_rooms", (("rooms", len(runs)),))]
        )
    return Suggestion(household, {}, reasons, Reason("no_family_room", (("size", size),)))


def _plain_first(household: Household, rooms) -> list[RoomState]:
    """Rooms in their order, but plain before accessible for a household without that need."""
    if household.needs_accessible:
        return list(rooms)
    return sorted(rooms, key=lambda r: r.accessible)  # stable: keeps the corridor order


def _adjacent_runs(
    rooms: list[RoomState], size: int, *, spare_accessible: bool = False
) -> list[RoomState]:
    by_floor: dict[tuple, list[RoomState]] = defaultdict(list)
    for room in rooms:
        by_floor[(room.centre_id, room.building_id, room.floor)].append(room)
    best: list[RoomState] = []
    best_cost = (0, 0)
    for floor_rooms in by_floor.values():
        floor_rooms.sort(key=lambda r: r.position)
        for start in range(len(floor_rooms)):
            run = [floor_rooms[start]]
            beds = len(floor_rooms[start].free_beds)
            for nxt in floor_rooms[start + 1 :]:
                if nxt.position != run[-1].position + 1 or beds >= size:
                    break
                run.append(nxt)
                beds += len(nxt.free_beds)
            if beds >= size and (not best or _run_cost(run, spare_accessible) < best_cost):
                best, best_cost = run, _run_cost(run, spare_accessible)
    return best


def _run_cost(run: list[RoomState], spare_accessible: bool) -> tuple[int, int]:
    """Fewest rooms first; among those, fewest accessible rooms when they are to be spared."""
    return (len(run), sum(r.accessible for r in run) if spare_accessible else 0)


def _take(household: Household, rooms: list[RoomState], reasons: list[Reason]) -> Suggestion:
    beds: dict = {}
    # Adults first, so that children are placed with a parent when rooms are split.
    members = sorted(household.members, key=lambda m: -(m.age or 0))
    queue = [(room, bed) for room in rooms for bed in list(room.free_beds)]
    for member, (room, bed) in zip(members, queue, strict=False):  # queue may hold more beds
        beds[member.person_id] = bed
        room.free_beds.remove(bed)
        room.occupants += 1
        room.occupant_sexes.add(member.sex)
        room.occupant_households.add(household.key)
    return Suggestion(household, beds, reasons)
