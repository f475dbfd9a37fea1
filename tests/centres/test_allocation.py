"""Every allocation rule, on plain data."""

from ankomst.centres.allocation import (
    Arrival,
    BedInfo,
    Household,
    allocate,
    build_rooms,
    room_violations,
)


def beds(*rooms):
    """rooms: (room_id, kind, n_beds, accessible, floor, position, centre_type)"""
    out = []
    for room_id, kind, n, accessible, floor, position, centre_type in rooms:
        for i in range(n):
            out.append(
                BedInfo(
                    f"{room_id}-{i}",
                    room_id,
                    "B",
                    "C" if centre_type != "children" else "K",
                    centre_type,
                    kind,
                    accessible,
                    floor,
                    position,
                )
            )
    return out


def family(key, *ages, needs_accessible=False):
    return Household(
        key,
        tuple(
            Arrival(f"{key}{i}", age, "F" if i % 2 else "M", needs_accessible and i == 0)
            for i, age in enumerate(ages)
        ),
    )


def single(key, age, sex, accessible=False):
    return Household(key, (Arrival(key, age, sex, accessible),))


def rooms_of(suggestion):
    return {bed.rsplit("-", 1)[0] for bed in suggestion.beds.values()}


def test_a_family_gets_one_room_with_enough_beds():
    rooms = build_rooms(
        beds(
            ("r1", "family", 2, False, 0, 1, "residence"),
            ("r2", "family", 4, False, 0, 2, "residence"),
        )
    )
    [s] = allocate([family("h", 40, 38, 10, 8)], rooms)
    assert s.placed and rooms_of(s) == {"r2"}
    assert "family_one_room" in [r.code for r in s.reasons]


def test_a_family_takes_the_smallest_room_that_fits():
    rooms = build_rooms(
        beds(
            ("big", "family", 6, False, 0, 1, "residence"),
            ("small", "family", 3, False, 0, 2, "residence"),
        )
    )
    [s] = allocate([family("h", 30, 5, 2)], rooms)
    assert rooms_of(s) == {"small"}


def test_a_large_family_gets_adjacent_rooms_not_scattered_ones():
    rooms = build_rooms(
        beds(
            ("r1", "family", 3, False, 0, 1, "residence"),
            ("r5", "family", 3, False, 0, 5, "residence"),
            ("r6", "family", 3, False, 0, 6, "residence"),
            ("r9", "family", 3, False, 1, 7, "residence"),
        )
    )
    [s] = allocate([family("h", 40, 38, 12, 10, 8)], rooms)
    assert s.placed and rooms_of(s) == {"r5", "r6"}
    assert "family_adjacent_rooms" in [r.code for r in s.reasons]


def test_a_family_never_shares_a_room_with_another_household():
    rooms = build_rooms(
        beds(("r1", "family", 6, False, 0, 1, "residence")), occupants=[("r1", "F", "other")]
    )
    [s] = allocate([family("h", 30, 3)], rooms)
    assert not s.placed and s.unplaced_reason.code == "no_family_room"


def test_a_family_is_not_put_in_a_dormitory():
    rooms = build_rooms(beds(("d", "dorm_male", 6, False, 0, 1, "residence")))
    [s] = allocate([family("h", 30, 28)], rooms)
    assert not s.placed


def test_single_adults_go_to_a_dormitory_of_their_sex():
    rooms = build_rooms(
        beds(
            ("men", "dorm_male", 2, False, 0, 1, "residence"),
            ("women", "dorm_female", 2, False, 0, 2, "residence"),
        )
    )
    man, woman = allocate([single("m", 25, "M"), single("w", 31, "F")], rooms)
    assert rooms_of(man) == {"men"} and rooms_of(woman) == {"women"}


def test_a_single_adult_takes_a_single_room_when_the_dormitory_is_full():
    rooms = build_rooms(
        beds(
            ("women", "dorm_female", 1, False, 0, 1, "residence"),
            ("s", "single", 1, False, 0, 2, "residence"),
        ),
        occupants=[],
    )
    first, second = allocate([single("w1", 31, "F"), single("w2", 44, "F")], rooms)
    assert rooms_of(first) == {"women"} and rooms_of(second) == {"s"}


def test_single_adults_never_go_to_a_family_room_or_the_other_sexs_dormitory():
    rooms = build_rooms(
        beds(
            ("f", "family", 4, False, 0, 1, "residence"),
            ("women", "dorm_female", 4, False, 0, 2, "residence"),
        )
    )
    [s] = allocate([single("m", 25, "M")], rooms)
    assert not s.placed and s.unplaced_reason.code == "no_room_for_single"


def test_unaccompanied_minors_go_only_to_a_childrens_centre():
    rooms = build_rooms(
        beds(
            ("adult", "dorm_male", 4, False, 0, 1, "residence"),
            ("kids", "dorm_male", 4, False, 0, 1, "children"),
        )
    )
    [s] = allocate([single("boy", 16, "M")], rooms)
    assert rooms_of(s) == {"kids"}
    assert "minor_to_children_centre" in [r.code for r in s.reasons]
    rooms = build_rooms(beds(("adult", "dorm_male", 4, False, 0, 1, "residence")))
    [s] = allocate([single("boy", 16, "M")], rooms)
    assert not s.placed


def test_adults_never_go_to_a_childrens_centre():
    rooms = build_rooms(beds(("kids", "dorm_male", 4, False, 0, 1, "children")))
    [s] = allocate([single("man", 19, "M")], rooms)
    assert not s.placed


def test_reduced_mobility_needs_an_accessible_room_for_the_whole_family():
    rooms = build_rooms(
        beds(
            ("r1", "family", 4, False, 0, 1, "residence"),
            ("r2", "family", 4, True, 0, 2, "residence"),
        )
    )
    [s] = allocate([family("h", 70, 40, 12, needs_accessible=True)], rooms)
    assert rooms_of(s) == {"r2"}
    assert "accessible_room" in [r.code for r in s.reasons]


def test_never_more_persons_than_beds():
    rooms = build_rooms(beds(("r1", "family", 3, False, 0, 1, "residence")))
    results = allocate([family("a", 30, 5), family("b", 40, 10)], rooms)
    placed = [s for s in results if s.placed]
    assert len(placed) == 1
    assert sum(len(s.beds) for s in results) <= 3


def test_larger_households_are_placed_first_and_results_keep_input_order():
    rooms = build_rooms(
        beds(
            ("r1", "family", 4, False, 0, 1, "residence"),
            ("r2", "family", 2, False, 0, 2, "residence"),
        )
    )
    small, large = allocate([family("small", 30, 3), family("large", 40, 38, 6, 4)], rooms)
    assert rooms_of(large) == {"r1"} and rooms_of(small) == {"r2"}


def test_violations_explain_a_manual_choice():
    rooms = build_rooms(beds(("women", "dorm_female", 3, False, 0, 1, "residence")))
    problems = room_violations(single("m", 30, "M"), [rooms["women"]], 1)
    assert [p.code for p in problems] == ["dormitory_of_other_sex"]
    assert room_violations(single("w", 30, "F"), [rooms["women"]], 1) == []


def test_it_is_deterministic():
    layout = beds(
        *[
            (f"r{i}", "family", 2 + i % 4, i % 5 == 0, i // 10, i % 10, "residence")
            for i in range(40)
        ]
    )
    households = [family(f"h{i}", *([35] + [5] * (i % 5))) for i in range(30)]
    first = allocate(households, build_rooms(layout))
    second = allocate(households, build_rooms(layout))
    assert [s.beds for s in first] == [s.beds for s in second]
