"""The engine on every instance family: the optimum of an independent plain MIP, and the
worst-case gap at 200 x 300 within 10 s."""

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ankomst.placement import instance_from_dict
from ankomst.placement.baselines import plain_mip
from ankomst.placement.engine import solve
from ankomst.placement.evaluate import evaluate
from ankomst.placement.generate import FAMILIES, housing_instance


# The examples are drawn the same way on every run (derandomize), so that the suite does not
# pass or fail by the draw; the example below was found by a random draw: HiGHS's presolve
# called the engine's MIP infeasible there, and the engine reported "optimal" at 7,169.03
# where the plain MIP proves 7,166.32.
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    family=st.sampled_from(sorted(FAMILIES)),
    households=st.integers(4, 24),
    seed=st.integers(1, 10_000),
    mode=st.sampled_from(["hard", "hard", "soft"]),
)
@example(family="mixed", households=13, seed=3404, mode="hard")
def test_the_objective_equals_the_plain_mip_optimum(family, households, seed, mode):
    data = housing_instance(households, int(households * 1.5), seed=seed, family=family)
    data["rules"] = {"no_family_alone": {"mode": mode}}
    instance = instance_from_dict(data)
    solution = solve(instance, time_limit=30, gap=0.0)
    ev = evaluate(instance, solution.unit_of)
    assert ev.violations == []
    reference = plain_mip(instance, time_limit=60, gap=0.0)
    assert reference.note == "Optimal"
    optimum = evaluate(instance, reference.unit_of)
    assert optimum.violations == []
    assert ev.objective == pytest.approx(optimum.objective, abs=1e-6)
    assert solution.bound <= optimum.objective + 1e-6


WORST_GAP, LIMIT = 0.001, 10.0


def test_the_worst_gap_at_200_x_300_over_the_families_is_within_target():
    gaps = {}
    for family in FAMILIES:
        for seed in (1, 2):
            instance = instance_from_dict(housing_instance(200, 300, seed=seed, family=family))
            solution = solve(instance, time_limit=LIMIT, gap=WORST_GAP)
            ev = evaluate(instance, solution.unit_of)
            assert ev.violations == []
            assert 0 <= solution.bound <= ev.objective + 1e-6
            gaps[(family, seed)] = (ev.objective - solution.bound) / ev.objective
    worst = max(gaps, key=gaps.get)
    assert gaps[worst] <= WORST_GAP, f"worst gap {gaps[worst]:.4%} on {worst}"
    assert np.isfinite(list(gaps.values())).all()
