"""Accessible rooms are kept for those who need them while plain rooms are free."""

from ankomst.centres.allocation import allocate, build_rooms
from tests.centres.test_allocation import beds, family, rooms_of, single


def test_a_family_without_a_mobility_need_gets_a_plain_room_while_one_is_free():
    rooms = build_rooms(
        beds(
            ("accessible", "family", 4, True, 0, 1, "residence"),
            ("plain", "family", 4, False, 0, 3, "residence"),
        )
    )
    [s] = allocate([family("h", 40, 38, 10)], rooms)
    assert rooms_of(s) == {"plain"}


def test_a_family_without_a_mobility_need_takes_an_accessible_room_when_nothing_else_fits():
    rooms = build_rooms(
        beds(
            ("accessible", "family", 4, True, 0, 1, "residence"),
            ("small", "family", 2, False, 0, 3, "residence"),
        )
    )
    [s] = allocate([family("h", 40, 38, 10)], rooms)
    assert rooms_of(s) == {"accessible"}


def test_a_single_man_gets_the_plain_dormitory_before_the_accessible_one():
    rooms = build_rooms(
        beds(
            ("dorm-accessible", "dorm_male", 3, True, 0, 1, "residence"),
            ("dorm-plain", "dorm_male", 3, False, 1, 1, "residence"),
        )
    )
    [s] = allocate([single("s", 30, "M")], rooms)
    assert rooms_of(s) == {"dorm-plain"}


def test_a_family_in_adjacent_rooms_spares_an_accessible_room_when_it_can():
    rooms = build_rooms(
        beds(
            ("a1", "family", 2, True, 0, 1, "residence"),
            ("a2", "family", 2, False, 0, 2, "residence"),
            ("a3", "family", 2, False, 0, 3, "residence"),
        )
    )
    [s] = allocate([family("h", 40, 38, 10, 8)], rooms)
    assert rooms_of(s) == {"a2", "a3"}


def test_a_family_with_a_mobility_need_still_gets_the_accessible_room():
    rooms = build_rooms(
        beds(
            ("accessible", "family", 4, True, 0, 1, "residence"),
            ("plain", "family", 4, False, 0, 3, "residence"),
        )
    )
    [s] = allocate([family("h", 70, 40, 12, needs_accessible=True)], rooms)
    assert rooms_of(s) == {"accessible"}
