"""A household is unplaced only for a true reason, checked by trying every free unit."""

import time

import numpy as np
import pytest

from ankomst.placement import instance_from_dict, place
from ankomst.placement.evaluate import evaluate, unit_index
from ankomst.placement.generate import housing_instance
from ankomst.placement.repair import insert_unplaced
from ankomst.placement.scoring import household_table, unit_table


def free_units(instance, unit_of):
    """Units with room left: empty ones and shared rooms with a free bed."""
    taken = np.bincount(unit_of[unit_of >= 0], minlength=len(instance.units))
    return [
        u
        for u, unit in enumerate(instance.units)
        if taken[u] == 0 or (unit.kind == "shared_room" and taken[u] < unit.max_persons)
    ]


def assert_no_free_unit_takes_an_unplaced_household(instance, unit_of):
    base = evaluate(instance, unit_of)
    assert base.violations == []
    for i in np.flatnonzero(unit_of < 0):
        for u in free_units(instance, unit_of):
            trial = unit_of.copy()
            trial[i] = u
            ev = evaluate(instance, trial)
            assert ev.violations or ev.objective >= base.objective - 1e-6, (
                f"{instance.households[i].id} fits free unit {instance.units[u].id}"
            )


@pytest.mark.parametrize("family", ["tight", "concentrated", "mixed"])
def test_no_unplaced_household_fits_a_free_unit(family):
    instance = instance_from_dict(housing_instance(60, 90, seed=3, family=family))
    result = place(instance, time_limit=20, gap=0.001)
    unit_of = unit_index(instance, {p.household: p.unit for p in result.placements})
    assert_no_free_unit_takes_an_unplaced_household(instance, unit_of)


def test_the_repair_pass_alone_places_everybody_it_can_from_nothing():
    instance = instance_from_dict(housing_instance(60, 90, seed=2, family="concentrated"))
    ht, ut = household_table(instance), unit_table(instance)
    unit_of = insert_unplaced(instance, np.full(60, -1), ht, ut)
    assert (unit_of >= 0).sum() >= 30  # the engine places 37 of them
    assert_no_free_unit_takes_an_unplaced_household(instance, unit_of)


def test_the_reason_of_an_unplaced_household_says_what_every_free_unit_breaks():
    instance = instance_from_dict(housing_instance(60, 90, seed=3, family="tight"))
    result = place(instance, time_limit=20, gap=0.001)
    unit_of = unit_index(instance, {p.household: p.unit for p in result.placements})
    unplaced = [p for p in result.placements if p.status == "unplaced"]
    assert unplaced, "the tight family leaves somebody unplaced"
    codes = {p.reason.code for p in unplaced}
    assert codes <= {"unplaced.no_unit", "unplaced.all_taken", "unplaced.free_units_blocked"}
    ht, ut = household_table(instance), unit_table(instance)
    from ankomst.placement.scoring import pair_block

    allowed, _ = pair_block(ht, ut, instance.rules)
    free = set(free_units(instance, unit_of))
    index = {h.id: i for i, h in enumerate(instance.households)}
    for p in unplaced:
        i = index[p.household]
        fitting = set(np.flatnonzero(allowed[i]).tolist())
        if p.reason.code == "unplaced.no_unit":
            assert not fitting
        elif p.reason.code == "unplaced.all_taken":
            assert fitting and not fitting & free
        else:
            params = p.reason.params
            assert params["free"] == len(fitting & free) > 0
            assert params["ceiling"] + params["alone"] + params["costly"] >= params["free"]
            assert "free" in p.reason.text


def test_names_not_codes_in_the_words():
    instance = instance_from_dict(housing_instance(60, 90, seed=3, family="concentrated"))
    result = place(instance, time_limit=20, gap=0.001)
    notes = [n for p in result.placements for n in p.binding if n.code == "company.placed"]
    assert notes
    for note in notes:
        area = next(a for a in instance.areas if a.id == note.params["area"])
        assert area.name in note.text
        assert instance.nationality_name(note.params["group"]) in note.text
        assert f" {note.params['group']} " not in note.text


def test_a_short_time_limit_still_gives_a_placement_that_keeps_every_rule():
    instance = instance_from_dict(housing_instance(400, 600, seed=1, family="mixed"))
    started = time.perf_counter()
    result = place(instance, time_limit=0.5, gap=0.0)
    assert time.perf_counter() - started < 0.5 + 3.0
    assert result.violations == []
    assert 0 <= result.bound <= result.objective + 1e-6
    unit_of = unit_index(instance, {p.household: p.unit for p in result.placements})
    assert evaluate(instance, unit_of).objective == pytest.approx(result.objective)
