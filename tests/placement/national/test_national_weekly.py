"""Week by week: the year's quotas and capacities hold, family ties are kept, prices beat
greedy, and allocation balancing keeps each municipality's intake within its band."""

import numpy as np
import pytest

from ankomst.placement.national.data import instance_from_dict
from ankomst.placement.national.generate import national_instance
from ankomst.placement.national.problem import build_problem, evaluate
from ankomst.placement.national.scores import scores_of
from ankomst.placement.national.weekly import (
    WEEKS,
    WeeklyOptions,
    month_end_weeks,
    month_of_week,
    shares,
    simulate_year,
)


@pytest.fixture(scope="module")
def year():
    return instance_from_dict(national_instance(1000, seed=5, family="uneven"))


@pytest.fixture(scope="module")
def dynamic(year):
    return simulate_year(year, WeeklyOptions(explain=True))


@pytest.fixture(scope="module")
def greedy(year):
    return simulate_year(year, WeeklyOptions(mode="greedy"))


def test_months_end_twelve_times_and_the_year_with_week_52():
    ends = month_end_weeks()
    assert len(ends) == 12 and ends[-1] == WEEKS
    assert month_of_week(1) == 1 and month_of_week(WEEKS) == 12
    assert [month_of_week(w) for w in ends] == list(range(1, 13))


@pytest.mark.parametrize("run", ["dynamic", "greedy"])
def test_the_year_keeps_quotas_capacities_and_ties(year, run, request):
    result = request.getfixturevalue(run)
    problem = build_problem(year, scores_of(year))
    assert evaluate(problem, result.municipality_of).violations == []
    index = year.municipality_index()
    for h, j in zip(year.households, result.municipality_of, strict=True):
        if h.family_tie is not None and j >= 0:
            assert j == index[h.family_tie]
    assert sum(w.households for w in result.weeks) == len(year.households)
    assert sum(w.unassigned for w in result.weeks) == result.unassigned
    assert result.value == pytest.approx(sum(w.value for w in result.weeks))


def test_households_are_assigned_in_their_own_week(year, dynamic):
    weeks = np.array([h.arrival_week for h in year.households])
    assert (dynamic.week_of == weeks).all()


def test_prices_beat_greedy(dynamic, greedy):
    assert dynamic.value > greedy.value
    assert dynamic.unassigned <= greedy.unassigned


def test_every_household_of_the_year_is_explained(year, dynamic):
    assert [a.household for a in dynamic.assignments] == [h.id for h in year.households]
    for a, j in zip(dynamic.assignments, dynamic.municipality_of, strict=True):
        assert (a.status == "assigned") == (j >= 0) and a.letter


def two_towns() -> dict:
    """Two municipalities with equal quotas, one far better for everybody; four singles a week."""
    households = [
        {
            "id": f"h{w}-{k}",
            "persons": 1,
            "adults": 1,
            "children": 0,
            "nationality": "SY",
            "language": "ar",
            "education": "secondary",
            "arrival_week": w,
        }
        for w in range(1, WEEKS + 1)
        for k in range(4)
    ]
    municipalities = [
        {"id": "strong", "quota": WEEKS * 2, "labour_market": 2.0},
        {"id": "weak", "quota": WEEKS * 2, "labour_market": -2.0},
    ]
    return {"households": households, "municipalities": municipalities}


def within_band(result, band=0.10, floor=3.0) -> bool:
    allowed = np.maximum(band * result.targets, floor)
    return bool(np.all(np.abs(result.months - result.targets) <= allowed + 1e-9))


def test_balancing_keeps_the_cumulative_intake_within_the_band():
    instance = instance_from_dict(two_towns())
    assert shares(instance) == pytest.approx([0.5, 0.5])
    greedy = simulate_year(instance, WeeklyOptions(mode="greedy"))
    assert not within_band(greedy)  # the strong town fills up in the first half of the year
    balanced = simulate_year(instance, WeeklyOptions(balancing=True))
    assert within_band(balanced)
    assert balanced.unassigned == 0
    d = balanced.deviation()
    assert d.over_band == 0 and d.max_excess == 0
    assert balanced.months[-1].tolist() == [WEEKS * 2, WEEKS * 2]


def test_balancing_costs_little_on_a_generated_year(year, dynamic):
    # a small year (20 households a week) pays more than the 12,000-person benchmark's < 1 %
    balanced = simulate_year(year, WeeklyOptions(balancing=True))
    assert balanced.value >= 0.95 * dynamic.value
    assert balanced.deviation().chosen_over_band < dynamic.deviation().chosen_over_band
