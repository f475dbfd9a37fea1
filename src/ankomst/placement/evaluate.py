"""Score any assignment of households to units: objective, hard-rule violations, run figures.

The engine, the baselines and the tests all go through ``evaluate``, so the
objective of the engine and of a baseline are the same function of the same
assignment, and a violation is counted the same way for all of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .data import Instance
from .scoring import (
    HouseholdTable,
    UnitTable,
    _rule_masks,
    household_table,
    pair_block,
    raw_cost,
    spread_targets,
    unit_table,
)


@dataclass
class Figures:
    households: int
    placed_permanent: int
    placed_temporary: int
    unplaced: int
    families_alone: int
    families_with_children: int
    families_with_children_permanent_share: float
    largest_area: str | None
    largest_area_share: float
    spread_excess: int
    average_km: dict[str, float] = field(default_factory=dict)


@dataclass
class Evaluation:
    objective: float
    cost: np.ndarray  # per household; nan when unplaced
    alone: np.ndarray  # per household: placed without anyone of its group in its area
    violations: list[str]
    figures: Figures


def unit_index(instance: Instance, assignment: dict[str, str | None]) -> np.ndarray:
    """Household order → unit index (-1 unplaced) from {household id: unit id or None}."""
    col = {u.id: i for i, u in enumerate(instance.units)}
    return np.array(
        [col.get(assignment.get(h.id) or "", -1) for h in instance.households], dtype=np.int64
    )


def evaluate(
    instance: Instance,
    unit_of: np.ndarray,
    ht: HouseholdTable | None = None,
    ut: UnitTable | None = None,
) -> Evaluation:
    rules = instance.rules
    w = rules.weights
    ht = ht or household_table(instance)
    ut = ut or unit_table(instance)
    n = len(instance.households)
    placed = np.flatnonzero(unit_of >= 0)
    units = unit_of[placed]
    violations: list[str] = []

    cost = np.full(n, np.nan)
    hp, up = ht.take(placed), ut.take(units)
    allowed, pair_cost = pair_block(hp, up, rules, outer=False)
    cost[placed] = np.where(allowed, pair_cost, np.nan)
    if not allowed.all():
        masks = _rule_masks(hp, up, rules, outer=False)
        payable = masks.pop("_payable")
        for r in np.flatnonzero(~allowed):
            broken = [name for name, m in masks.items() if not m[r]]
            h, u = instance.households[placed[r]], instance.units[units[r]]
            violations.append(f"household {h.id} in unit {u.id}: {', '.join(broken)}")
        # a pair that breaks a rule still costs what it would; the violation is reported above
        cost[placed] = raw_cost(hp, up, rules, payable, outer=False)

    # one household per unit, unless a shared room: then beds and one sex per room
    for u_idx, count in Counter(units.tolist()).items():
        unit = instance.units[u_idx]
        if unit.kind != "shared_room" and count > 1:
            violations.append(f"unit {unit.id}: {count} households")
    shared_use: dict[int, list[int]] = {}
    for r, u_idx in zip(placed.tolist(), units.tolist(), strict=True):
        if instance.units[u_idx].kind == "shared_room":
            shared_use.setdefault(u_idx, []).append(r)
    for u_idx, rows in shared_use.items():
        unit = instance.units[u_idx]
        persons = sum(instance.households[r].persons for r in rows)
        if persons > unit.max_persons:
            violations.append(f"unit {unit.id}: {persons} persons in {unit.max_persons} beds")
        if len({instance.households[r].sex for r in rows}) > 1:
            violations.append(f"unit {unit.id}: shared room with both sexes")

    n_areas = len(instance.areas)
    area_of = ut.area[units]
    per_area = np.bincount(area_of, minlength=n_areas)
    for a, area in enumerate(instance.areas):
        if area.ceiling is not None and per_area[a] > area.ceiling:
            violations.append(
                f"area {area.id}: {per_area[a]} new households, ceiling {area.ceiling}"
            )
    excess = np.maximum(per_area - spread_targets(instance, n), 0)

    group_count = Counter(zip(ht.group[placed].tolist(), area_of.tolist(), strict=True))
    alone = np.zeros(n, dtype=bool)
    for r, a in zip(placed.tolist(), area_of.tolist(), strict=True):
        if ht.free[r, a] and group_count[(int(ht.group[r]), a)] == 1:
            alone[r] = True
    if rules.family_alone_mode == "hard":
        for r in np.flatnonzero(alone):
            h = instance.households[r]
            violations.append(
                f"household {h.id}: alone in area {instance.areas[ut.area[unit_of[r]]].id}"
            )

    objective = float(np.nansum(cost[placed])) + w.unplaced * (n - len(placed))
    objective += w.spread_excess * float(excess.sum())
    if rules.family_alone_mode == "soft":
        objective += w.family_alone * int(alone.sum())
    return Evaluation(
        objective,
        cost,
        alone,
        violations,
        _figures(instance, ht, ut, unit_of, per_area, alone, excess),
    )


def _figures(instance, ht, ut, unit_of, per_area, alone, excess) -> Figures:
    placed = unit_of >= 0
    units = unit_of[placed]
    permanent = ut.permanent[units]
    fam = ht.children
    fam_placed_perm = int((ut.permanent[unit_of[placed & fam]]).sum())
    total_placed = int(placed.sum())
    largest = int(np.argmax(per_area)) if total_placed else None

    def avg(mask: np.ndarray, values: np.ndarray) -> float:
        sel = mask[placed]
        return round(float(values[units][sel].mean()), 3) if sel.any() else 0.0

    return Figures(
        households=len(unit_of),
        placed_permanent=int(permanent.sum()),
        placed_temporary=int((~permanent).sum()),
        unplaced=int((~placed).sum()),
        families_alone=int(alone.sum()),
        families_with_children=int(fam.sum()),
        families_with_children_permanent_share=round(fam_placed_perm / fam.sum(), 4)
        if fam.any()
        else 1.0,
        largest_area=instance.areas[largest].id if largest is not None else None,
        largest_area_share=round(float(per_area.max() / total_placed), 4) if total_placed else 0.0,
        spread_excess=int(excess.sum()),
        average_km={
            "school_families": avg(ht.school, ut.school),
            "daycare_families": avg(ht.daycare, ut.daycare),
            "transport": avg(np.ones(len(unit_of), dtype=bool), ut.transport),
            "shops": avg(np.ones(len(unit_of), dtype=bool), ut.shops),
        },
    )
