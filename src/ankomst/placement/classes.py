"""Classes of interchangeable households and units.

Two units that agree in everything the rules and the score look at (area, kind
as far as permanent/shared goes, rooms, beds, rent, step-free, ground floor,
disadvantaged, the five distances) are interchangeable: the model counts how
many households of a class go to a class of units instead of choosing between
the units. Likewise for households (persons, adults, which ages of children,
budget, needs, sex for singles, group, fixed and forbidden units or areas,
where countrymen live). The aggregation is exact: every solution of the class
model deals out to a solution of the per-unit model with the same objective and
back, so the bound of the class model is a bound of the per-unit model.
A unit that some household names as fixed or forbidden keeps a class of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .scoring import HouseholdTable, UnitTable


@dataclass
class Classes:
    households: HouseholdTable  # one row per class
    household_count: np.ndarray
    household_members: list[np.ndarray]  # household indices, in input order
    household_class: np.ndarray  # household index -> class
    units: UnitTable
    unit_count: np.ndarray
    unit_members: list[np.ndarray]
    unit_class: np.ndarray


def _group(keys: list[tuple]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    first: dict[tuple, int] = {}
    inverse = np.empty(len(keys), dtype=np.int64)
    for i, key in enumerate(keys):
        inverse[i] = first.setdefault(key, len(first))
    members: list[list[int]] = [[] for _ in first]
    for i, c in enumerate(inverse.tolist()):
        members[c].append(i)
    reps = np.array([m[0] for m in members], dtype=np.int64)
    return reps, inverse, [np.array(m, dtype=np.int64) for m in members]


def build_classes(ht: HouseholdTable, ut: UnitTable) -> Classes:
    named = {uid for uid in ht.fixed_unit if uid} | {uid for f in ht.forbidden_units for uid in f}
    treatment = np.nan_to_num(ut.treatment, nan=-1.0)
    # a single's age and a household's move-in date split classes only where a unit asks
    banded = bool(((ut.age_min > 0) | (ut.age_max < 200))[ut.shared].any())
    dated = bool(np.isfinite(ut.available).any())
    unit_keys = [
        (
            int(ut.area[i]),
            bool(ut.permanent[i]),
            bool(ut.shared[i]),
            int(ut.rooms[i]),
            int(ut.beds[i]),
            float(ut.rent[i]),
            bool(ut.accessible[i]),
            bool(ut.ground[i]),
            bool(ut.disadvantaged[i]),
            float(ut.school[i]),
            float(ut.daycare[i]),
            float(ut.transport[i]),
            float(ut.shops[i]),
            float(treatment[i]),
            ut.ids[i] if ut.ids[i] in named else "",
            float(ut.available[i]),
            int(ut.room_sex[i]),
            int(ut.age_min[i]),
            int(ut.age_max[i]),
        )
        for i in range(len(ut))
    ]
    free_bytes = [row.tobytes() for row in np.packbits(ht.free, axis=1)]
    household_keys = [
        (
            int(ht.persons[i]),
            int(ht.adults[i]),
            bool(ht.school[i]),
            bool(ht.daycare[i]),
            bool(ht.children[i]),
            float(ht.budget[i]),
            float(ht.cap[i]),
            bool(ht.needs_accessible[i]),
            bool(ht.needs_ground[i]),
            bool(ht.needs_treatment[i]),
            bool(ht.shared_ok[i]),
            int(ht.sex[i]) if ht.shared_ok[i] else 0,
            int(ht.age[i]) if banded and ht.shared_ok[i] else -1,
            float(ht.move_by[i]) if dated else 0.0,
            int(ht.group[i]),
            ht.fixed_unit[i],
            int(ht.fixed_area[i]),
            ht.forbidden_units[i],
            ht.forbidden_areas[i],
            free_bytes[i],
        )
        for i in range(len(ht))
    ]
    h_reps, h_inv, h_members = _group(household_keys)
    u_reps, u_inv, u_members = _group(unit_keys)
    return Classes(
        households=ht.take(h_reps),
        household_count=np.array([len(m) for m in h_members], dtype=np.int64),
        household_members=h_members,
        household_class=h_inv,
        units=ut.take(u_reps),
        unit_count=np.array([len(m) for m in u_members], dtype=np.int64),
        unit_members=u_members,
        unit_class=u_inv,
    )
