"""Random small instances: every result keeps every hard rule, and the engine's
objective equals the brute-force optimum where all assignments can be enumerated."""

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ankomst.placement import instance_from_dict
from ankomst.placement.engine import solve
from ankomst.placement.evaluate import evaluate

NATIONALITIES = ["SY", "AF", "UA"]


@st.composite
def instances(draw, max_households=4, max_units=4):
    n_areas = draw(st.integers(1, 3))
    areas = []
    for a in range(n_areas):
        areas.append(
            {
                "id": f"a{a}",
                "kind": draw(st.sampled_from(["district", "town"])),
                "population": draw(st.integers(0, 5000)),
                "countrymen": {n: 1 for n in NATIONALITIES if draw(st.booleans())},
                "ceiling": draw(st.one_of(st.none(), st.integers(0, 3))),
            }
        )
    units = []
    for u in range(draw(st.integers(1, max_units))):
        kind = draw(
            st.sampled_from(["permanent", "permanent", "temporary", "modular", "shared_room"])
        )
        rooms = draw(st.integers(1, 3))
        units.append(
            {
                "id": f"u{u}",
                "area": f"a{draw(st.integers(0, n_areas - 1))}",
                "kind": kind,
                "rooms": rooms,
                "max_persons": draw(st.integers(1, 2))
                if kind == "shared_room"
                else draw(st.integers(1, 2 * rooms)),
                "rent": draw(st.sampled_from([2000, 3500, 4500, 6000])),
                "accessible": draw(st.booleans()),
                "floor": draw(st.integers(0, 2)),
                "disadvantaged": draw(st.booleans()) and draw(st.booleans()),
                "distances_km": {
                    k: draw(st.sampled_from([0.2, 1.0, 3.0]))
                    for k in ("school", "daycare", "transport", "shops", "treatment")
                },
            }
        )
    households = []
    for i in range(draw(st.integers(1, max_households))):
        adults = draw(st.integers(1, 2))
        children = draw(st.lists(st.integers(0, 17), max_size=2))
        h = {
            "id": f"h{i}",
            "persons": adults + len(children),
            "adults": adults,
            "child_ages": children,
            "nationality": draw(st.sampled_from(NATIONALITIES)),
            "languages": ["ar"],
            "rent_budget": draw(st.sampled_from([3000, 4500, 7000])),
            "needs": {
                "accessible": draw(st.booleans()) and draw(st.booleans()),
                "treatment": draw(st.booleans()) and draw(st.booleans()),
            },
        }
        if adults == 1 and not children:
            h["sex"] = draw(st.sampled_from(["female", "male"]))
            h["age"] = draw(st.integers(16, 60))
        r = draw(st.integers(0, 9))
        if r == 0:
            h["fixed"] = {"area": f"a{draw(st.integers(0, n_areas - 1))}"}
        elif r == 1:
            h["forbidden"] = {"units": [f"u{draw(st.integers(0, len(units) - 1))}"]}
        households.append(h)
    rules = {
        "no_family_alone": {"mode": draw(st.sampled_from(["hard", "soft", "off"]))},
        "spread": {"tolerance": draw(st.sampled_from([0.0, 0.5]))},
        "weights": {"unplaced": 100.0, "family_alone": 30.0},
    }
    return instance_from_dict(
        {"households": households, "units": units, "areas": areas, "rules": rules}
    )


def brute_force(instance) -> float:
    best = np.inf
    choices = range(-1, len(instance.units))
    for combo in itertools.product(choices, repeat=len(instance.households)):
        ev = evaluate(instance, np.array(combo, dtype=np.int64))
        if not ev.violations:
            best = min(best, ev.objective)
    return best


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances(max_households=10, max_units=10))
def test_every_result_keeps_every_hard_rule(instance):
    solution = solve(instance, time_limit=20, gap=0.0)
    ev = evaluate(instance, solution.unit_of)
    assert ev.violations == []
    assert solution.bound <= ev.objective + 1e-6
    assert ev.objective == __import__("pytest").approx(solution.objective, abs=1e-6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_households=3, max_units=4))
def test_the_objective_equals_the_brute_force_optimum(instance):
    solution = solve(instance, time_limit=20, gap=0.0)
    ev = evaluate(instance, solution.unit_of)
    assert ev.objective == __import__("pytest").approx(brute_force(instance), abs=1e-6)
    assert solution.status == "optimal"
