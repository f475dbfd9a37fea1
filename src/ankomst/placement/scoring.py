"""The hard rules and the score of one household in one unit, as NumPy arrays.

Everything the engine, the baselines, the checker and the explanation know about
a household × unit pair is computed here, block by block: ``pair_block`` returns
which pairs are allowed and what they cost, ``exclusions`` which rule excluded
which pair. Tables of households and units can be whole instances or classes of
identical records (see ``classes.py``); the code does not care.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .data import SHARED, Instance, Rules

SEX = {"male": 1, "female": 2}
# (rule name, human wording of an excluded pair) in the order the explanation lists them
RULES = (
    ("disadvantaged", "lie in a designated disadvantaged area"),
    ("size", "are too small (persons or rooms)"),
    ("shared_room", "are shared rooms, for eligible singles only"),
    ("room_band", "are shared rooms kept for another sex or age"),
    ("available", "are not free by the latest move-in date"),
    ("rent", "cost more than the household can pay"),
    ("accessible", "are not step-free"),
    ("ground_floor", "are neither on the ground floor nor step-free"),
    ("treatment", "are too far from a treatment facility"),
    ("fixed", "are not the fixed unit or area"),
    ("forbidden", "are forbidden for the household"),
)


@dataclass
class HouseholdTable:
    persons: np.ndarray
    adults: np.ndarray
    school: np.ndarray  # has children of school age
    daycare: np.ndarray  # has children of day-care age
    children: np.ndarray  # has children
    budget: np.ndarray
    cap: np.ndarray  # most it pays for temporary housing
    needs_accessible: np.ndarray
    needs_ground: np.ndarray
    needs_treatment: np.ndarray
    shared_ok: np.ndarray
    sex: np.ndarray  # 0 none/other, 1 male, 2 female
    age: np.ndarray  # of a single, -1 when not known or not a single
    move_by: np.ndarray  # latest move-in day (proleptic ordinal), inf when none
    group: np.ndarray  # nationality or language code for "no family alone"
    fixed_unit: list[str | None]
    fixed_area: np.ndarray  # area index or -1
    forbidden_units: list[tuple[str, ...]]
    forbidden_areas: list[tuple[int, ...]]
    free: np.ndarray  # [n, areas] no countrymen of the household live in the area yet

    def __len__(self) -> int:
        return len(self.persons)

    def take(self, idx: np.ndarray) -> HouseholdTable:
        out = {}
        for name, value in self.__dict__.items():
            out[name] = value[idx] if isinstance(value, np.ndarray) else [value[i] for i in idx]
        return HouseholdTable(**out)


@dataclass
class UnitTable:
    ids: list[str]
    area: np.ndarray
    permanent: np.ndarray
    shared: np.ndarray
    rooms: np.ndarray
    beds: np.ndarray  # max persons
    rent: np.ndarray
    accessible: np.ndarray
    ground: np.ndarray
    disadvantaged: np.ndarray
    school: np.ndarray
    daycare: np.ndarray
    transport: np.ndarray
    shops: np.ndarray
    treatment: np.ndarray  # nan when unknown
    available: np.ndarray  # first free day (proleptic ordinal), -inf when free now
    room_sex: np.ndarray  # a shared room kept for one sex: 1 male, 2 female, 0 either
    age_min: np.ndarray  # a shared room's age band (0-200 when none)
    age_max: np.ndarray
    column: dict[str, int] = field(default_factory=dict)  # unit id -> column, for fixed/forbidden

    def __len__(self) -> int:
        return len(self.area)

    def take(self, idx: np.ndarray) -> UnitTable:
        out = {}
        for name, value in self.__dict__.items():
            if name == "column":
                continue
            out[name] = value[idx] if isinstance(value, np.ndarray) else [value[i] for i in idx]
        table = UnitTable(**out)
        table.column = {uid: c for c, uid in enumerate(table.ids)}
        return table


def _day(iso: str | None, none: float) -> float:
    """An ISO date as a day number, for comparing move-in windows with availability."""
    return float(dt.date.fromisoformat(iso).toordinal()) if iso else none


def temporary_cap(rules: Rules, adults: int, children: int) -> float:
    caps = rules.temporary_payment_caps
    if children >= 4:
        return caps["children_4_plus"]
    if children >= 1:
        return caps["children_1_3"]
    return caps["couple"] if adults >= 2 else caps["single"]


def group_keys(instance: Instance) -> list[str]:
    if instance.rules.family_alone_match == "language":
        return [h.languages[0] for h in instance.households]
    return [h.nationality for h in instance.households]


def household_table(instance: Instance) -> HouseholdTable:
    rules = instance.rules
    hh = instance.households
    area_index = {a.id: i for i, a in enumerate(instance.areas)}
    s_lo, s_hi = rules.school_ages
    d_lo, d_hi = rules.daycare_ages
    keys = group_keys(instance)
    codes = {k: i for i, k in enumerate(sorted(set(keys)))}
    free = np.ones((len(hh), len(instance.areas)), dtype=bool)
    for a, area in enumerate(instance.areas):
        for i, h in enumerate(hh):
            anchored = area.countrymen.get(h.nationality, 0) > 0
            if rules.family_alone_match == "language":
                anchored = anchored or any(area.speakers.get(lang, 0) > 0 for lang in h.languages)
            free[i, a] = not anchored
    return HouseholdTable(
        persons=np.array([h.persons for h in hh], dtype=np.int64),
        adults=np.array([h.adults for h in hh], dtype=np.int64),
        school=np.array([any(s_lo <= c <= s_hi for c in h.child_ages) for h in hh], dtype=bool),
        daycare=np.array([any(d_lo <= c <= d_hi for c in h.child_ages) for h in hh], dtype=bool),
        children=np.array([bool(h.child_ages) for h in hh], dtype=bool),
        budget=np.array([h.rent_budget for h in hh], dtype=float),
        cap=np.array([temporary_cap(rules, h.adults, len(h.child_ages)) for h in hh], dtype=float),
        needs_accessible=np.array([h.needs_accessible for h in hh], dtype=bool),
        needs_ground=np.array([h.needs_ground_floor for h in hh], dtype=bool),
        needs_treatment=np.array([h.needs_treatment for h in hh], dtype=bool),
        shared_ok=np.array(
            [
                h.is_single
                and not h.vulnerable
                and h.sex in SEX
                and (h.age or 0) >= rules.shared_room_min_age
                for h in hh
            ],
            dtype=bool,
        ),
        sex=np.array([SEX.get(h.sex or "", 0) if h.is_single else 0 for h in hh], dtype=np.int64),
        age=np.array(
            [h.age if h.is_single and h.age is not None else -1 for h in hh], dtype=np.int64
        ),
        move_by=np.array([_day(h.move_in_by, np.inf) for h in hh], dtype=float),
        group=np.array([codes[k] for k in keys], dtype=np.int64),
        fixed_unit=[h.fixed_unit for h in hh],
        fixed_area=np.array(
            [area_index[h.fixed_area] if h.fixed_area else -1 for h in hh], dtype=np.int64
        ),
        forbidden_units=[tuple(sorted(set(h.forbidden_units))) for h in hh],
        forbidden_areas=[tuple(sorted({area_index[a] for a in h.forbidden_areas})) for h in hh],
        free=free,
    )


def unit_table(instance: Instance) -> UnitTable:
    units = instance.units
    area_index = {a.id: i for i, a in enumerate(instance.areas)}
    permanent = set(instance.rules.permanent_kinds)
    table = UnitTable(
        ids=[u.id for u in units],
        area=np.array([area_index[u.area] for u in units], dtype=np.int64),
        permanent=np.array([u.kind in permanent for u in units], dtype=bool),
        shared=np.array([u.kind == SHARED for u in units], dtype=bool),
        rooms=np.array([u.rooms for u in units], dtype=np.int64),
        beds=np.array([u.max_persons for u in units], dtype=np.int64),
        rent=np.array([u.rent for u in units], dtype=float),
        accessible=np.array([u.accessible for u in units], dtype=bool),
        ground=np.array([u.floor == 0 for u in units], dtype=bool),
        disadvantaged=np.array([u.disadvantaged for u in units], dtype=bool),
        school=np.array([u.distances.school for u in units], dtype=float),
        daycare=np.array([u.distances.daycare for u in units], dtype=float),
        transport=np.array([u.distances.transport for u in units], dtype=float),
        shops=np.array([u.distances.shops for u in units], dtype=float),
        treatment=np.array(
            [np.nan if u.distances.treatment is None else u.distances.treatment for u in units],
            dtype=float,
        ),
        available=np.array([_day(u.available_from, -np.inf) for u in units], dtype=float),
        room_sex=np.array([SEX.get(u.room_sex or "", 0) for u in units], dtype=np.int64),
        age_min=np.array(
            [u.age_min if u.age_min is not None else 0 for u in units], dtype=np.int64
        ),
        age_max=np.array(
            [u.age_max if u.age_max is not None else 200 for u in units], dtype=np.int64
        ),
    )
    table.column = {uid: c for c, uid in enumerate(table.ids)}
    return table


def _rule_masks(
    h: HouseholdTable, u: UnitTable, rules: Rules, outer: bool = True
) -> dict[str, np.ndarray]:
    """For each hard rule, the pairs it allows: [households, units] if ``outer``, else row r with unit r."""
    H = (lambda a: a[:, None]) if outer else (lambda a: a)  # noqa: E731
    U = (lambda a: a[None, :]) if outer else (lambda a: a)  # noqa: E731
    payable = np.where(U(u.permanent), U(u.rent), np.minimum(U(u.rent), H(h.cap)))
    fits = (H(h.persons) <= U(u.beds)) & (H(h.persons) <= rules.max_persons_per_room * U(u.rooms))
    with np.errstate(invalid="ignore"):
        near = u.treatment <= rules.treatment_max_km
    masks = {
        "disadvantaged": np.broadcast_to(U(~u.disadvantaged), payable.shape),
        "size": np.where(U(u.shared), True, fits),
        "shared_room": np.where(U(u.shared), H(h.shared_ok), True),
        # a shared room kept for one sex or age band; who may not share at all is the rule above's
        "room_band": np.where(
            U(u.shared) & H(h.shared_ok),
            ((U(u.room_sex) == 0) | (U(u.room_sex) == H(h.sex)))
            & (H(h.age) >= U(u.age_min))
            & (H(h.age) <= U(u.age_max)),
            True,
        ),
        "available": U(u.available) <= H(h.move_by),
        "rent": payable <= H(h.budget) + 1e-9,
        "accessible": ~H(h.needs_accessible) | U(u.accessible),
        "ground_floor": ~H(h.needs_ground) | U(u.ground | u.accessible),
        "treatment": ~H(h.needs_treatment) | U(near),
    }
    fixed = np.ones(payable.shape, dtype=bool)
    forbidden = np.ones(payable.shape, dtype=bool)
    special = [
        r
        for r in range(len(h))
        if h.fixed_unit[r] is not None
        or h.fixed_area[r] >= 0
        or h.forbidden_units[r]
        or h.forbidden_areas[r]
    ]
    for r in special:
        ok = np.ones(len(u), dtype=bool) if outer else np.ones(1, dtype=bool)
        not_bad = ok.copy()
        uid_of = u.ids if outer else [u.ids[r]]
        area_of = u.area if outer else u.area[r : r + 1]
        if h.fixed_unit[r] is not None:
            ok &= np.array([uid == h.fixed_unit[r] for uid in uid_of], dtype=bool)
        if h.fixed_area[r] >= 0:
            ok &= area_of == h.fixed_area[r]
        if h.forbidden_units[r]:
            banned = set(h.forbidden_units[r])
            not_bad &= np.array([uid not in banned for uid in uid_of], dtype=bool)
        for a in h.forbidden_areas[r]:
            not_bad &= area_of != a
        fixed[r] = ok if outer else ok[0]
        forbidden[r] = not_bad if outer else not_bad[0]
    masks["fixed"] = fixed
    masks["forbidden"] = forbidden
    masks["_payable"] = payable
    return masks


def pair_block(
    h: HouseholdTable, u: UnitTable, rules: Rules, outer: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """(allowed, cost) for every household in ``h`` × unit in ``u``; cost is inf where not allowed.

    With ``outer=False`` the tables are aligned and row r is paired with unit r only.
    """
    masks = _rule_masks(h, u, rules, outer)
    payable = masks.pop("_payable")
    allowed = np.logical_and.reduce(list(masks.values()))
    return allowed, np.where(allowed, raw_cost(h, u, rules, payable, outer), np.inf)


def raw_cost(
    h: HouseholdTable, u: UnitTable, rules: Rules, payable: np.ndarray, outer: bool = True
) -> np.ndarray:
    """What a placement should keep small (docs/placement.md), whether or not the pair is allowed.

    Temporary housing, above all for families with children; distances to school
    and day care for families with such children, to transport per adult, to
    shops; the share of the household's rent budget the rent takes; spare beds.
    """
    w = rules.weights
    H = (lambda a: a[:, None].astype(float)) if outer else (lambda a: a.astype(float))  # noqa: E731
    U = (lambda a: a[None, :]) if outer else (lambda a: a)  # noqa: E731
    temporary = U(~u.permanent) * (w.temporary + w.temporary_with_children * H(h.children))
    with np.errstate(divide="ignore", invalid="ignore"):
        rent_share = np.where(payable > 0, payable / np.maximum(H(h.budget), 1.0), 0.0)
    spare = np.where(U(u.shared), 0.0, np.maximum(U(u.beds) - H(h.persons), 0.0))
    return (
        temporary
        + w.school_km * H(h.school) * U(u.school)
        + w.daycare_km * H(h.daycare) * U(u.daycare)
        + w.transport_km_per_adult * H(h.adults) * U(u.transport)
        + w.shops_km * U(u.shops)
        + w.rent_share * rent_share
        + w.spare_bed * spare
    )


def exclusions(
    h: HouseholdTable, u: UnitTable, rules: Rules, weight: np.ndarray
) -> dict[str, np.ndarray]:
    """For each hard rule, how many units (``weight`` per column) it alone or with others excludes, per household."""
    masks = _rule_masks(h, u, rules)
    masks.pop("_payable")
    return {name: ((~mask) * weight[None, :]).sum(axis=1) for name, mask in masks.items()}


def spread_targets(instance: Instance, households: int) -> np.ndarray:
    """Most new households an area takes before the spread penalty starts: its share of
    inhabitants of this year's households, those placed earlier in the year (``placed``) included."""
    pop = np.array([a.population for a in instance.areas], dtype=float)
    if pop.sum() <= 0:
        pop = np.bincount(
            [{a.id: i for i, a in enumerate(instance.areas)}[u.area] for u in instance.units],
            minlength=len(instance.areas),
        ).astype(float)
    if pop.sum() <= 0:
        pop = np.ones(len(instance.areas))
    share = pop / pop.sum()
    placed = np.array([a.placed for a in instance.areas], dtype=float)
    total = households + placed.sum()
    target = np.ceil(share * total * (1.0 + instance.rules.spread_tolerance) - 1e-9)
    return np.maximum(target - placed, 0.0)
