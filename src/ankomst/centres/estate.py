"""Building an estate (buildings, rooms, beds) from a compact layout, in bulk.

Used by the demo, the tests and the benchmarks; staff edit single rooms in the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Bed, Building, Centre, Room


@dataclass(frozen=True)
class RoomSpec:
    kind: str
    beds: int
    count: int
    accessible: bool = False


@dataclass(frozen=True)
class BuildingSpec:
    name: str
    floors: int
    # The rooms of one floor, repeated on every floor, in corridor order.
    rooms_per_floor: tuple[RoomSpec, ...]
    # Accessible rooms only on the ground floor unless the building has a lift.
    lift: bool = False


def build_estate(centre: Centre, layout: list[BuildingSpec]) -> int:
    """Create the buildings, rooms and beds of ``layout``; returns the number of beds."""
    buildings = Building.objects.bulk_create(
        [Building(centre=centre, name=spec.name) for spec in layout]
    )
    rooms: list[Room] = []
    beds_per_room: list[int] = []
    for building, spec in zip(buildings, layout, strict=True):
        for floor in range(spec.floors):
            position = 0
            for room_spec in spec.rooms_per_floor:
                for _ in range(room_spec.count):
                    position += 1
                    rooms.append(
                        Room(
                            building=building,
                            number=f"{building.name[:1]}{floor}{position:02d}",
                            kind=room_spec.kind,
                            floor=floor,
                            position=position,
                            accessible=room_spec.accessible and (floor == 0 or spec.lift),
                        )
                    )
                    beds_per_room.append(room_spec.beds)
    rooms = Room.objects.bulk_create(rooms, batch_size=1000)
    beds = [
        Bed(room=room, label=chr(ord("A") + i))
        for room, n in zip(rooms, beds_per_room, strict=True)
        for i in range(n)
    ]
    Bed.objects.bulk_create(beds, batch_size=2000)
    return len(beds)


def layout_places(layout: list[BuildingSpec]) -> int:
    return sum(spec.floors * sum(r.beds * r.count for r in spec.rooms_per_floor) for spec in layout)
