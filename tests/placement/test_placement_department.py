"""What the housing department asks of the engine: a unit free only later is not offered to a
household that must move in before; shared rooms kept for a sex or an age band; placements
already made this year count towards the ceilings and the spread."""

import pytest

from ankomst.placement import instance_from_dict, place
from ankomst.placement.scoring import spread_targets

D = {"school": 1, "daycare": 1, "transport": 1, "shops": 1}


def _household(hid, **extra):
    base = {
        "id": hid,
        "persons": 1,
        "adults": 1,
        "child_ages": [],
        "nationality": "SY",
        "languages": ["ar"],
        "rent_budget": 5000,
        "sex": "male",
        "age": 30,
    }
    return {**base, **extra}


def _unit(uid, **extra):
    base = {"id": uid, "area": "a", "kind": "permanent", "rooms": 1, "max_persons": 2}
    return {**base, "rent": 3000, "distances_km": D, **extra}


def _place(households, units, areas=None):
    areas = areas or [{"id": "a", "kind": "district", "countrymen": {"SY": 5}, "population": 100}]
    instance = instance_from_dict({"households": households, "units": units, "areas": areas})
    result = place(instance, time_limit=10)
    assert result.violations == []
    return {p.household: p.unit for p in result.placements}, result


def test_a_unit_free_only_after_the_move_in_date_is_not_offered():
    placed, result = _place(
        [_household("H1", move_in_by="2026-12-10")],
        [_unit("later", available_from="2027-01-01", rent=1000), _unit("now", rent=4000)],
    )
    assert placed == {"H1": "now"}
    placed, _ = _place(
        [_household("H1", move_in_by="2027-02-01")],
        [_unit("later", available_from="2027-01-01", rent=1000), _unit("now", rent=4000)],
    )
    assert placed == {"H1": "later"}  # free in time, and cheaper
    note = next(p for p in result.placements if p.household == "H1").binding[0]
    assert note.code == "excluded.available" and note.params["units"] == 1


def test_shared_rooms_kept_for_a_sex_or_an_age_band():
    shared = {"kind": "shared_room", "max_persons": 2, "rent": 1500}
    placed, _ = _place(
        [
            _household("woman", sex="female", age=30, rent_budget=2000),
            _household("young", age=20, rent_budget=2000),
            _household("older", age=45, rent_budget=2000),
        ],
        [
            _unit("men-18-25", shared={"sex": "male", "age_min": 18, "age_max": 25}, **shared),
            _unit("women", shared={"sex": "female"}, **shared),
            _unit("men-25", shared={"sex": "male", "age_min": 25}, **shared),
        ],
    )
    assert placed == {"woman": "women", "young": "men-18-25", "older": "men-25"}


def test_placements_this_year_count_towards_the_ceiling_and_the_spread():
    areas = [
        {
            "id": "a",
            "kind": "district",
            "countrymen": {"SY": 5},
            "population": 100,
            "ceiling": 4,
            "placed": 4,
        },
        {"id": "b", "kind": "district", "countrymen": {"SY": 5}, "population": 100},
    ]
    placed, _ = _place(
        [_household("H1")], [_unit("in-a", rent=1000), _unit("in-b", area="b", rent=4500)], areas
    )
    assert placed == {"H1": "in-b"}  # a's ceiling of 4 is reached by this year's 4
    instance = instance_from_dict(
        {"households": [_household("H1")], "units": [_unit("u")], "areas": areas}
    )
    # of 5 households this year (4 placed, 1 new), each area's share is 2.5 (+25 %): a is past it
    assert list(spread_targets(instance, 1)) == [0.0, 4.0]


@pytest.mark.parametrize("kind", ["private_rental"])
def test_a_private_rental_is_a_permanent_home(kind):
    placed, result = _place(
        [
            {
                k: v
                for k, v in _household("F", persons=3, child_ages=[4, 7]).items()
                if k not in ("sex", "age")
            }
        ],
        [
            _unit("flat", kind=kind, rooms=2, max_persons=4),
            _unit("temp", kind="temporary", rooms=2, max_persons=4, rent=500),
        ],
    )
    assert placed == {"F": "flat"}
    assert result.figures.placed_permanent == 1
