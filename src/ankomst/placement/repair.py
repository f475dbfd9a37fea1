"""The last pass before a result is returned: unit by unit, on the records themselves.

Whatever the solver returned (an optimal MIP solution, a dive cut short by the time
limit, a greedy placement when nothing else was found), two steps run on the
per-unit assignment before it leaves the engine:

1. ``drop_alone``: when "no family alone" is hard, a household that would be alone
   is taken out again (never needed after a MIP or a dive, whose solutions keep the
   rule; it makes a greedy fallback keep it too).
2. ``insert_unplaced``: every unplaced household that fits a free unit (or a free bed
   in a shared room of its sex) within its area's ceiling, without being alone there
   when the rule is hard, and whose score there is lower than leaving it unplaced, is
   placed in the best such unit; then households of one group that would each be
   alone are placed two at a time in an area without countrymen.

``free_options`` tells, for one unplaced household, what every free unit would break:
the explanation uses it, and the tests check it by trying every free unit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .data import Instance
from .scoring import HouseholdTable, UnitTable, pair_block, spread_targets


@dataclass
class Occupancy:
    """Who is where: free units, free beds and the sex of shared rooms, counts per area and group."""

    unit_of: np.ndarray
    used: np.ndarray  # households (non-shared) or persons (shared) per unit
    room_sex: np.ndarray  # sex code of a shared room's occupants, 0 when empty
    per_area: np.ndarray
    ceiling: np.ndarray
    target: np.ndarray
    group_count: np.ndarray  # [groups, areas]
    group_member: np.ndarray  # [groups, areas] one household of the group there, -1 none

    @classmethod
    def of(cls, instance: Instance, unit_of: np.ndarray, ht: HouseholdTable, ut: UnitTable):
        n_units, n_areas = len(ut), len(instance.areas)
        used = np.zeros(n_units, dtype=np.int64)
        room_sex = np.zeros(n_units, dtype=np.int64)
        per_area = np.zeros(n_areas, dtype=np.int64)
        n_groups = int(ht.group.max()) + 1 if len(ht) else 1
        group_count = np.zeros((n_groups, n_areas), dtype=np.int64)
        group_member = np.full((n_groups, n_areas), -1, dtype=np.int64)
        occupancy = cls(
            unit_of.copy(),
            used,
            room_sex,
            per_area,
            np.array(
                [np.inf if a.ceiling is None else a.ceiling for a in instance.areas], dtype=float
            ),
            spread_targets(instance, len(unit_of)) if n_areas else np.zeros(0),
            group_count,
            group_member,
        )
        for i in np.flatnonzero(unit_of >= 0):
            occupancy.put(int(i), int(unit_of[i]), ht, ut)
        return occupancy

    def put(self, i: int, u: int, ht: HouseholdTable, ut: UnitTable) -> None:
        self.unit_of[i] = u
        self.used[u] += int(ht.persons[i]) if ut.shared[u] else 1
        if ut.shared[u]:
            self.room_sex[u] = ht.sex[i]
        a = int(ut.area[u])
        self.per_area[a] += 1
        g = int(ht.group[i])
        self.group_count[g, a] += 1
        self.group_member[g, a] = i

    def take_out(self, i: int, ht: HouseholdTable, ut: UnitTable) -> None:
        u = int(self.unit_of[i])
        self.unit_of[i] = -1
        self.used[u] -= int(ht.persons[i]) if ut.shared[u] else 1
        if ut.shared[u] and self.used[u] == 0:
            self.room_sex[u] = 0
        a = int(ut.area[u])
        self.per_area[a] -= 1
        g = int(ht.group[i])
        self.group_count[g, a] -= 1
        if self.group_member[g, a] == i:
            others = np.flatnonzero(
                (self.unit_of >= 0) & (ht.group == g) & (ut.area[np.maximum(self.unit_of, 0)] == a)
            )
            self.group_member[g, a] = int(others[0]) if len(others) else -1

    def free_for(self, i: int, ht: HouseholdTable, ut: UnitTable) -> np.ndarray:
        """Units with room for household ``i``: empty, or a shared room of its sex with free beds."""
        empty = self.used == 0
        beds = (self.used + int(ht.persons[i]) <= ut.beds) & (
            (self.room_sex == 0) | (self.room_sex == ht.sex[i])
        )
        return np.where(ut.shared, beds, empty)


def _alone_delta(occ: Occupancy, i: int, areas: np.ndarray, ht: HouseholdTable) -> np.ndarray:
    """Change in the number of households alone if ``i`` moves into each of ``areas``."""
    g = int(ht.group[i])
    count = occ.group_count[g, areas]
    member = occ.group_member[g, areas]
    joined = ht.free[np.maximum(member, 0), areas] & (count == 1)
    return np.where(count == 0, ht.free[i, areas].astype(float), -joined.astype(float))


@dataclass
class Options:
    """What each free unit would break or cost for one unplaced household (``free_options``)."""

    allowed: int  # units that meet its unit rules (size, rent, needs, ...), free or not
    free: np.ndarray  # unit indices that meet them and have room now
    ceiling: np.ndarray  # of ``free``: the area has reached its ceiling
    alone: np.ndarray  # of ``free``: it would be alone there (the rule is hard)
    delta: np.ndarray  # of ``free``: change of the objective if placed there


def free_options(
    instance: Instance,
    occ: Occupancy,
    i: int,
    ht: HouseholdTable,
    ut: UnitTable,
    allowed_row: np.ndarray | None = None,
    cost_row: np.ndarray | None = None,
) -> Options:
    rules, w = instance.rules, instance.rules.weights
    if allowed_row is None or cost_row is None:
        allowed, cost = pair_block(ht.take(np.array([i])), ut, rules)
        allowed_row, cost_row = allowed[0], cost[0]
    free = np.flatnonzero(allowed_row & occ.free_for(i, ht, ut))
    areas = ut.area[free]
    ceiling = occ.per_area[areas] + 1 > occ.ceiling[areas]
    alone_delta = _alone_delta(occ, i, areas, ht)
    hard = rules.family_alone_mode == "hard"
    alone = (alone_delta > 0) if hard else np.zeros(len(free), dtype=bool)
    delta = cost_row[free] - w.unplaced
    delta = delta + w.spread_excess * (occ.per_area[areas] + 1 > occ.target[areas])
    if rules.family_alone_mode == "soft":
        delta = delta + w.family_alone * alone_delta
    return Options(int(allowed_row.sum()), free, ceiling, alone, delta)


def drop_alone(
    instance: Instance, unit_of: np.ndarray, ht: HouseholdTable, ut: UnitTable
) -> np.ndarray:
    """Take out households alone in their area when the rule is hard (until nobody is)."""
    if instance.rules.family_alone_mode != "hard":
        return unit_of
    unit_of = unit_of.copy()
    while True:
        placed = np.flatnonzero(unit_of >= 0)
        area = ut.area[unit_of[placed]]
        keys = ht.group[placed] * max(len(instance.areas), 1) + area
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        alone = placed[(counts[inverse] == 1) & ht.free[placed, area]]
        if len(alone) == 0:
            return unit_of
        unit_of[alone] = -1


def insert_unplaced(
    instance: Instance,
    unit_of: np.ndarray,
    ht: HouseholdTable,
    ut: UnitTable,
    deadline: float = float("inf"),
) -> np.ndarray:
    """Place every unplaced household that fits a free unit and lowers the objective there."""
    unplaced = np.flatnonzero(unit_of < 0)
    if len(unplaced) == 0 or len(ut) == 0:
        return unit_of
    occ = Occupancy.of(instance, unit_of, ht, ut)
    allowed, cost = pair_block(ht.take(unplaced), ut, instance.rules)
    row = {int(i): r for r, i in enumerate(unplaced)}
    waiting = [int(i) for i in unplaced if allowed[row[int(i)]].any()]
    changed, first = True, True
    # the first round runs whatever the time: a result places whom it can
    while changed and waiting and (first or time.perf_counter() < deadline):
        changed, first = False, False
        # the household with the fewest free options first, so that it is not crowded out
        scored = []
        for i in waiting:
            opt = free_options(instance, occ, i, ht, ut, allowed[row[i]], cost[row[i]])
            ok = ~opt.ceiling & ~opt.alone & (opt.delta < -1e-9)
            if ok.any():
                scored.append((int(ok.sum()), i, opt, ok))
        scored.sort(key=lambda t: (t[0], t[1]))
        for _, i, _, _ in scored:
            opt = free_options(instance, occ, i, ht, ut, allowed[row[i]], cost[row[i]])
            ok = ~opt.ceiling & ~opt.alone & (opt.delta < -1e-9)
            if not ok.any():
                continue
            best = int(np.argmin(np.where(ok, opt.delta, np.inf)))
            occ.put(i, int(opt.free[best]), ht, ut)
            waiting.remove(i)
            changed = True
        if not changed and instance.rules.family_alone_mode == "hard":
            changed = _insert_pairs(instance, occ, waiting, ht, ut, allowed, cost, row)
    return occ.unit_of


def _insert_pairs(instance, occ, waiting, ht, ut, allowed, cost, row) -> bool:
    """Two households of one group, each alone on its own, into one area: the best such pair."""
    w = instance.rules.weights
    by_group: dict[int, list[int]] = {}
    for i in waiting:
        by_group.setdefault(int(ht.group[i]), []).append(i)
    best = None
    for members in by_group.values():
        if len(members) < 2:
            continue
        options = {
            i: free_options(instance, occ, i, ht, ut, allowed[row[i]], cost[row[i]])
            for i in members
        }
        for a in range(len(instance.areas)):
            if occ.per_area[a] + 2 > occ.ceiling[a]:
                continue
            picks = []
            for i, opt in options.items():
                here = np.flatnonzero((ut.area[opt.free] == a) & opt.alone)
                if len(here):
                    order = here[np.argsort(opt.delta[here], kind="stable")[:2]]
                    picks.append((float(opt.delta[order[0]]), i, opt.free[order]))
            if len(picks) < 2:
                continue
            picks.sort(key=lambda t: (t[0], t[1]))
            (d1, i1, u1), (_, i2, u2) = picks[0], picks[1]
            first = int(u1[0])
            second = [int(u) for u in u2 if int(u) != first or ut.shared[first]]
            if not second:
                continue
            opt2 = options[i2]
            d2 = float(opt2.delta[np.flatnonzero(opt2.free == second[0])[0]])
            spread = w.spread_excess * (occ.per_area[a] + 2 > occ.target[a])
            total = d1 + d2 + spread
            if total < -1e-9 and (best is None or total < best[0]):
                best = (total, i1, first, i2, second[0])
    if best is None:
        return False
    _, i1, u1, i2, u2 = best
    occ.put(i1, u1, ht, ut)
    if not occ.free_for(i2, ht, ut)[u2]:
        occ.take_out(i1, ht, ut)
        return False
    occ.put(i2, u2, ht, ut)
    waiting.remove(i1), waiting.remove(i2)
    return True


def join_moves(
    instance: Instance,
    unit_of: np.ndarray,
    ht: HouseholdTable,
    ut: UnitTable,
    deadline: float = float("inf"),
) -> np.ndarray:
    """One move each: an unplaced household that would be alone in a free unit gets company
    by moving one placed household of its group to another free unit in that area, when
    that lowers the objective and leaves nobody alone behind ("no family alone" hard)."""
    rules, w = instance.rules, instance.rules.weights
    if rules.family_alone_mode != "hard" or len(ut) == 0:
        return unit_of
    occ = Occupancy.of(instance, unit_of, ht, ut)

    def spread(a: int, change: int) -> float:
        before = max(occ.per_area[a] - occ.target[a], 0)
        return w.spread_excess * (max(occ.per_area[a] + change - occ.target[a], 0) - before)

    rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def row(i: int) -> tuple[np.ndarray, np.ndarray]:
        if i not in rows:
            allowed, cost = pair_block(ht.take(np.array([i])), ut, rules)
            rows[i] = allowed[0], cost[0]
        return rows[i]

    for i in np.flatnonzero(occ.unit_of < 0).tolist():
        if time.perf_counter() > deadline:
            break
        opt = free_options(instance, occ, i, ht, ut, *row(i))
        only_alone = ~opt.ceiling & opt.alone & ~ut.shared[opt.free]
        if not only_alone.any():
            continue
        g = int(ht.group[i])
        members = np.flatnonzero((occ.unit_of >= 0) & (ht.group == g))
        best = None
        for a in np.unique(ut.area[opt.free[only_alone]]).tolist():
            if occ.per_area[a] + 2 > occ.ceiling[a]:
                continue
            here = only_alone & (ut.area[opt.free] == a)
            n = int(np.argmin(np.where(here, opt.delta, np.inf)))
            u_i = int(opt.free[n])
            cost_i = float(row(i)[1][u_i])
            for j in members.tolist():
                old = int(occ.unit_of[j])
                b = int(ut.area[old])
                if b == a or ut.shared[old]:
                    continue
                left = occ.group_count[g, b] - 1
                if left == 1:  # the one left behind must not be alone
                    others = np.flatnonzero(
                        (occ.unit_of >= 0)
                        & (ht.group == g)
                        & (ut.area[np.maximum(occ.unit_of, 0)] == b)
                    )
                    other = int(others[others != j][0])
                    if ht.free[other, b]:
                        continue
                allowed_j, cost_j = row(j)
                room = allowed_j & (occ.used == 0) & (ut.area == a) & ~ut.shared
                room[u_i] = False
                if not room.any():
                    continue
                u_j = int(np.argmin(np.where(room, cost_j, np.inf)))
                total = (
                    cost_i
                    - w.unplaced
                    + float(cost_j[u_j] - cost_j[old])
                    + spread(a, 2)
                    + spread(b, -1)
                )
                if total < -1e-9 and (best is None or total < best[0]):
                    best = (total, u_i, j, u_j)
        if best is not None:
            _, u_i, j, u_j = best
            occ.take_out(j, ht, ut)
            occ.put(j, u_j, ht, ut)
            occ.put(i, u_i, ht, ut)
    return occ.unit_of
