"""The batch assignment keeps every hard rule, finds the optimum where it can be enumerated,
proves a valid bound, and explains each household."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ankomst.placement.national.assign import assign, solve
from ankomst.placement.national.baselines import full_mip
from ankomst.placement.national.data import instance_from_dict
from ankomst.placement.national.generate import national_instance
from ankomst.placement.national.problem import RESOURCES, build_problem, evaluate
from ankomst.placement.national.scores import Scores, scores_of

CODES = {
    "assigned.best",
    "assigned.family_tie",
    "assigned.not_best",
    "unassigned.no_municipality",
    "unassigned.family_tie_full",
    "unassigned.no_room",
}


@pytest.fixture(scope="module")
def year():
    return instance_from_dict(national_instance(1200, seed=4, family="tight"))


@pytest.fixture(scope="module")
def result(year):
    return assign(year, time_limit=3.0, gap=1e-2)


def loads(instance, municipality_of):
    """Persons, adults, treatment, large families and minors per municipality, by hand."""
    big = instance.rules.large_family_persons
    out = {name: np.zeros(len(instance.municipalities)) for name in RESOURCES[:5]}
    for h, j in zip(instance.households, municipality_of, strict=True):
        if j < 0:
            continue
        out["quota"][j] += h.persons
        out["language_school"][j] += h.adults
        out["treatment"][j] += h.treatment
        out["large_family"][j] += h.persons >= big
        out["unaccompanied_minor"][j] += h.persons if h.unaccompanied_minor else 0
    return out


def test_it_keeps_every_quota_capacity_and_tie(year, result):
    index = year.municipality_index()
    municipality_of = np.array(
        [-1 if a.municipality is None else index[a.municipality] for a in result.assignments]
    )
    assert len(result.assignments) == len(year.households)  # one line per household
    assert [a.household for a in result.assignments] == [h.id for h in year.households]
    used = loads(year, municipality_of)
    for j, m in enumerate(year.municipalities):
        assert used["quota"][j] <= m.quota
        for name, limit in m.capacities.items():
            assert used[name][j] <= limit, (m.id, name)
    for h, j in zip(year.households, municipality_of, strict=True):
        if h.family_tie is not None and j >= 0:
            assert year.municipalities[j].id == h.family_tie
    assert result.violations == []


def test_it_reports_objective_bound_and_gap(result):
    assert result.bound >= result.objective - 1e-6
    assert result.gap == pytest.approx((result.bound - result.objective) / abs(result.objective))
    f = result.figures
    assert result.objective == pytest.approx(f.score + f.bonus - 100 * f.unassigned_persons)
    assert result.status in ("optimal", "gap_reached", "gap_not_reached", "time_limit")


def test_every_household_is_explained(year, result):
    for a in result.assignments:
        assert a.reason is not None and a.reason.code in CODES and a.reason.text
        assert a.letter.startswith(f"Household {a.household} ")
        if a.status == "assigned":
            assert a.name in a.letter and a.score is not None and a.bonus is not None
        assert (a.margin is None) == (a.next_best is None)  # None: no other municipality can
        if a.margin is not None and a.reason.code != "assigned.family_tie":
            assert (a.margin < 0) == (a.reason.code == "assigned.not_best")
        for note in a.binding:
            assert note.code.startswith("binding.")
            assert {"municipality", "price", "unit", "household_price"} <= set(note.params)
    assert "synthetic" in result.score_source
    codes = {a.reason.code for a in result.assignments}
    assert {"assigned.best", "assigned.not_best", "assigned.family_tie"} <= codes


def test_a_not_best_reason_names_the_full_municipality(result):
    a = next(a for a in result.assignments if a.reason.code == "assigned.not_best")
    first = a.reason.params["better"][0]
    assert first["code"] in ("better.full", "better.priced", "better.total")
    assert first["municipality"] != a.municipality
    assert result.explain(a.household).startswith(a.letter)


def test_it_matches_the_full_mip(year):
    problem = build_problem(year, scores_of(year))
    ours = solve(problem, time_limit=2.0, gap=5e-3)
    full = full_mip(problem, time_limit=2.0, gap=1e-4)
    best_known = max(ours.objective, evaluate(problem, full.municipality_of).objective)
    assert ours.bound >= best_known - 1e-6  # the certified bound is valid
    assert ours.objective >= best_known * (1 - 5e-3)


def test_the_time_limit_holds_and_the_result_is_valid():
    instance = instance_from_dict(national_instance(4000, seed=1, family="concentrated"))
    result = assign(instance, time_limit=0.5, gap=1e-6)
    assert result.time_s < 2.5  # explanations after the solver's limit
    assert result.violations == []


def test_households_that_fit_nowhere_are_unassigned_and_reported():
    data = national_instance(600, seed=2)
    for m in data["municipalities"]:
        m["quota"] = m["quota"] // 2  # half the room
    instance = instance_from_dict(data)
    result = assign(instance, time_limit=5.0, gap=1e-2)
    f = result.figures
    assert f.unassigned > 0 and f.unassigned_persons >= f.persons / 2 - 10
    assert result.violations == []
    left = [a for a in result.assignments if a.status == "unassigned"]
    assert {a.reason.code for a in left} <= {
        "unassigned.no_room",
        "unassigned.family_tie_full",
        "unassigned.no_municipality",
    }
    assert any(a.reason.code == "unassigned.no_room" for a in left)


# -- the optimum of small random instances, by enumeration ------------------------------


@st.composite
def tiny(draw):
    m = draw(st.integers(1, 3))
    n = draw(st.integers(1, 5))
    municipalities = []
    for j in range(m):
        caps = {}
        for name, top in (("language_school", 6), ("treatment", 2), ("large_family", 1)):
            if draw(st.booleans()):
                caps[name] = draw(st.integers(0, top))
        municipalities.append({"id": f"m{j}", "quota": draw(st.integers(0, 9)), "capacities": caps})
    households = []
    for i in range(n):
        adults = draw(st.integers(1, 2))
        children = draw(st.integers(0, 5))
        h = {
            "id": f"h{i}",
            "persons": adults + children,
            "adults": adults,
            "children": children,
            "nationality": "SY",
            "language": "ar",
            "education": "primary",
        }
        if draw(st.booleans()):
            h["needs"] = {"treatment": True}
        if draw(st.integers(0, 4)) == 0:
            h["family_tie"] = f"m{draw(st.integers(0, m - 1))}"
        households.append(h)
    score = np.array(
        draw(st.lists(st.sampled_from([0.1, 0.3, 0.35, 0.6, 0.9]), min_size=n * m, max_size=n * m))
    ).reshape(n, m)
    data = {"households": households, "municipalities": municipalities}
    return instance_from_dict(data), score


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny())
def test_it_finds_the_enumerated_optimum_and_a_valid_bound(case):
    instance, score = case
    problem = build_problem(instance, Scores(score, np.zeros_like(score), "test"))
    best = max(
        evaluate(problem, np.array(choice)).objective
        for choice in itertools.product(range(-1, problem.m), repeat=problem.n)
        if evaluate(problem, np.array(choice)).violations == []
    )
    sol = solve(problem, time_limit=10.0, gap=0.0)
    assert evaluate(problem, sol.municipality_of).violations == []
    assert sol.objective == pytest.approx(best, abs=1e-6)
    assert sol.bound >= best - 1e-6
