"""Edge cases give a result, never a traceback: nothing to place, nowhere to place it."""

import pytest

from ankomst.placement import instance_from_dict, place
from ankomst.placement.generate import housing_instance


def instance_with(households: int, units: int, **changes):
    data = housing_instance(20, 30, seed=4)
    data["households"] = data["households"][:households]
    data["units"] = data["units"][:units]
    for h in data["households"]:  # no fixed or forbidden unit that is no longer there
        h.pop("fixed", None), h.pop("forbidden", None)
    data.update(changes)
    return instance_from_dict(data)


def test_households_and_no_units_are_all_unplaced_with_their_reason():
    result = place(instance_with(20, 0), time_limit=5)
    assert result.violations == []
    assert [p.status for p in result.placements] == ["unplaced"] * 20
    assert all(p.reason.code == "unplaced.no_unit" for p in result.placements)
    assert all("no unit" in p.reason.text.lower() for p in result.placements)
    assert result.objective == pytest.approx(20 * 1000.0)
    assert result.bound == pytest.approx(result.objective)
    assert result.status == "optimal"


def test_units_and_no_households_is_an_empty_placement():
    result = place(instance_with(0, 30), time_limit=5)
    assert result.placements == [] and result.objective == 0.0
    assert result.status == "optimal" and result.gap == 0.0


def test_nothing_at_all_is_an_empty_placement():
    result = place(instance_with(0, 0), time_limit=5)
    assert result.placements == [] and result.status == "optimal"


def test_households_that_no_unit_fits_are_unplaced_with_the_rule_that_excluded_them():
    data_instance = instance_with(5, 30)
    import dataclasses

    poor = tuple(dataclasses.replace(h, rent_budget=1.0) for h in data_instance.households)
    result = place(dataclasses.replace(data_instance, households=poor), time_limit=5)
    assert [p.status for p in result.placements] == ["unplaced"] * 5
    assert all("cost more than the household can pay" in p.reason.text for p in result.placements)
    assert result.status == "optimal"
