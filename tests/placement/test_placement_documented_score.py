"""The objective as docs/placement.md ("Scoring, exactly") states it, written again from the
text in plain Python over the input records, equals the engine's ``evaluate`` on every
instance family: for the engine's placement and for placements that break rules."""

import math
import random

import numpy as np
import pytest

from ankomst.placement import instance_from_dict
from ankomst.placement.baselines import greedy_best_score
from ankomst.placement.engine import solve
from ankomst.placement.evaluate import evaluate
from ankomst.placement.generate import FAMILIES, housing_instance


def documented_objective(instance, unit_of) -> float:
    r, w = instance.rules, instance.rules.weights
    areas = {a.id: a for a in instance.areas}

    def cap(h) -> float:
        caps, children = r.temporary_payment_caps, len(h.child_ages)
        if children >= 4:
            return caps["children_4_plus"]
        if children >= 1:
            return caps["children_1_3"]
        return caps["couple"] if h.adults >= 2 else caps["single"]

    def cost(h, u) -> float:
        total = 0.0
        if u.kind not in r.permanent_kinds:
            total += w.temporary + (w.temporary_with_children if h.child_ages else 0.0)
        if any(r.school_ages[0] <= c <= r.school_ages[1] for c in h.child_ages):
            total += w.school_km * u.distances.school
        if any(r.daycare_ages[0] <= c <= r.daycare_ages[1] for c in h.child_ages):
            total += w.daycare_km * u.distances.daycare
        total += w.transport_km_per_adult * h.adults * u.distances.transport
        total += w.shops_km * u.distances.shops
        paid = u.rent if u.kind in r.permanent_kinds else min(u.rent, cap(h))
        if paid > 0:
            total += w.rent_share * paid / max(h.rent_budget, 1.0)
        if u.kind != "shared_room":
            total += w.spare_bed * max(u.max_persons - h.persons, 0)
        return total

    objective, new = 0.0, {a.id: 0 for a in instance.areas}
    placed = []
    for h, j in zip(instance.households, unit_of, strict=True):
        if j < 0:
            objective += w.unplaced
            continue
        u = instance.units[j]
        objective += cost(h, u)
        new[u.area] += 1
        placed.append((h, u.area))
    population = sum(a.population for a in instance.areas)
    n, placed_before = len(instance.households), sum(a.placed for a in instance.areas)
    for a in instance.areas:
        share = a.population / population  # the generated instances have inhabitants
        target = max(
            math.ceil(share * (n + placed_before) * (1 + r.spread_tolerance) - 1e-9) - a.placed, 0
        )
        objective += w.spread_excess * max(new[a.id] - target, 0)
    if r.family_alone_mode == "soft":
        for h, area in placed:
            key = h.nationality if r.family_alone_match == "nationality" else h.languages[0]
            same = sum(
                1
                for other, where in placed
                if where == area
                and (
                    other.nationality
                    if r.family_alone_match == "nationality"
                    else other.languages[0]
                )
                == key
            )
            free = areas[area].countrymen.get(h.nationality, 0) == 0
            if r.family_alone_match == "language":
                free = free and all(areas[area].speakers.get(x, 0) == 0 for x in h.languages)
            objective += w.family_alone * (free and same == 1)
    return objective


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("mode", ["hard", "soft"])
def test_the_documented_objective_is_the_engines(family, mode):
    data = housing_instance(60, 90, seed=7, family=family)
    data["rules"] = {"no_family_alone": {"mode": mode}}
    instance = instance_from_dict(data)
    engine = solve(instance, time_limit=10, gap=0.001).unit_of
    greedy = greedy_best_score(instance).unit_of  # breaks rules: alone, ceilings
    rng = random.Random(3)
    wild = [rng.randrange(-1, len(instance.units)) for _ in instance.households]  # anything
    for unit_of in (engine, greedy, wild):
        assert documented_objective(instance, list(unit_of)) == pytest.approx(
            evaluate(instance, np.array(unit_of)).objective, rel=1e-12, abs=1e-9
        )
