"""The placement result: a unit (or "unplaced" and why) per household, the objective,
the bound and gap, run figures, and for every household the rules that bound it and
how its unit compares with the best one it could have had.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .data import Instance
from .engine import Progress, Solution, solve
from .evaluate import Evaluation, Figures, evaluate
from .repair import Occupancy, free_options
from .scoring import RULES, exclusions, group_keys, household_table, unit_table

WORDING = dict(RULES)


@dataclass
class Alternative:
    unit: str
    area: str
    kind: str
    cost: float


@dataclass
class Note:
    """One rule or reason: a code and its parameters (for translation and tests), and the words."""

    code: str
    params: dict[str, Any]
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Placement:
    household: str
    status: str  # placed | unplaced
    unit: str | None = None
    area: str | None = None
    kind: str | None = None
    cost: float | None = None
    best_alternative: Alternative | None = None
    regret: float | None = None  # cost minus the cost of the best alternative
    binding: list[Note] = field(default_factory=list)
    reason: Note | None = None
    alone: bool = False


@dataclass
class PlacementResult:
    name: str
    status: str
    method: str
    objective: float
    bound: float
    gap: float
    time_s: float
    parameters: dict[str, Any]
    figures: Figures
    placements: list[Placement]
    violations: list[str]
    model: dict[str, Any]

    def placement(self, household_id: str) -> Placement:
        return next(p for p in self.placements if p.household == household_id)

    def explain(self, household_id: str) -> str:
        p = self.placement(household_id)
        if p.status == "unplaced":
            lines = [f"{p.household}: unplaced. {p.reason}"]
        else:
            lines = [
                f"{p.household}: unit {p.unit} ({p.kind}) in {p.area}, score {p.cost:.2f} (lower is better)."
            ]
            if p.best_alternative and p.regret is not None and p.regret > 1e-9:
                b = p.best_alternative
                lines.append(
                    f"Best it could have had: unit {b.unit} ({b.kind}) in {b.area}, "
                    f"score {b.cost:.2f}, {p.regret:.2f} better. {p.reason or ''}".rstrip()
                )
            else:
                lines.append("This is the best unit it could have had.")
        lines += [f"  - {b}" for b in p.binding]
        return "\n".join(lines)

    def summary(self) -> str:
        f = self.figures
        return (
            f"{self.status}: objective {self.objective:,.2f}, bound {self.bound:,.2f}, gap {self.gap:.4%}, "
            f"{self.time_s:.1f} s ({self.method}). {f.households} households: {f.placed_permanent} in "
            f"permanent homes, {f.placed_temporary} in temporary ones, {f.unplaced} unplaced; "
            f"{f.families_alone} alone; largest area share {f.largest_area_share:.1%} ({f.largest_area})."
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["figures"] = asdict(self.figures)
        return plain(out)

    def write(self, path: str | Path) -> None:
        Path(path).write_text(
            json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        v = float(value)
        return None if not np.isfinite(v) else round(v, 6)
    return value


def place(
    instance: Instance,
    time_limit: float = 60.0,
    gap: float = 1e-3,
    seed: int = 0,
    progress: Callable[[Progress], None] | None = None,
) -> PlacementResult:
    """Place the households of ``instance``; the whole engine behind one call."""
    started = time.perf_counter()
    solution = solve(instance, time_limit=time_limit, gap=gap, seed=seed, progress=progress)
    ht, ut = household_table(instance), unit_table(instance)
    ev = evaluate(instance, solution.unit_of, ht, ut)
    placements = explain(instance, solution, ev, ht, ut)
    objective = ev.objective if solution.status != "no_solution" else float("nan")
    gap_value = (
        (objective - solution.bound) / max(abs(objective), 1e-9)
        if np.isfinite(objective)
        else float("nan")
    )
    model = asdict(solution.stats)
    model["solver_objective"] = solution.objective
    return PlacementResult(
        name=instance.name,
        status=solution.status,
        method=solution.stats.method,
        objective=objective,
        bound=solution.bound,
        gap=max(gap_value, 0.0) if np.isfinite(gap_value) else gap_value,
        time_s=round(time.perf_counter() - started, 3),
        parameters={"time_limit": time_limit, "gap": gap, "seed": seed},
        figures=ev.figures,
        placements=placements,
        violations=ev.violations,
        model=model,
    )


def explain(instance: Instance, solution: Solution, ev: Evaluation, ht, ut) -> list[Placement]:
    cls, C = solution.classes, solution.cost
    rules = instance.rules
    units, areas = instance.units, instance.areas
    K = len(cls.households)
    total_units = len(units)
    excluded: dict[str, np.ndarray] = {name: np.zeros(K) for name, _ in RULES}
    for lo in range(0, K, 256):
        idx = np.arange(lo, min(lo + 256, K))
        for name, counts in exclusions(
            cls.households.take(idx), cls.units, rules, cls.unit_count
        ).items():
            excluded[name][idx] = counts
    best_j = np.argmin(C, axis=1) if C.shape[1] else np.zeros(K, dtype=np.int64)

    unit_of = solution.unit_of
    placed = unit_of >= 0
    area_of_h = np.full(len(unit_of), -1, dtype=np.int64)
    area_of_h[placed] = ut.area[unit_of[placed]]
    per_area = np.bincount(area_of_h[placed], minlength=len(areas))
    used_per_class = np.bincount(cls.unit_class[unit_of[placed]], minlength=len(cls.units))
    keys = group_keys(instance)
    group_in_area: dict[tuple[str, int], int] = {}
    for i in np.flatnonzero(placed):
        group_in_area[(keys[i], area_of_h[i])] = group_in_area.get((keys[i], area_of_h[i]), 0) + 1
    targets_full = [
        a.ceiling is not None and per_area[a_i] >= a.ceiling for a_i, a in enumerate(areas)
    ]
    match = rules.family_alone_match
    occupancy = Occupancy.of(instance, unit_of, ht, ut) if not placed.all() else None

    out: list[Placement] = []
    for i, hh in enumerate(instance.households):
        k = int(cls.household_class[i])
        binding = []
        for name, _ in RULES:
            count = int(excluded[name][k])
            if count:
                binding.append(
                    Note(
                        f"excluded.{name}",
                        {"units": count, "of": total_units},
                        f"{name}: {count} of {total_units} units {WORDING[name]}",
                    )
                )
        binding.sort(key=lambda note: -note.params["units"])
        if hh.fixed_unit:
            binding.append(
                Note("fixed.unit", {"unit": hh.fixed_unit}, f"fixed: only unit {hh.fixed_unit}")
            )
        if hh.fixed_area:
            a_fixed = next(a_i for a_i, a in enumerate(areas) if a.id == hh.fixed_area)
            binding.append(
                Note(
                    "fixed.area",
                    {"area": hh.fixed_area},
                    f"fixed: only {instance.area_name(a_fixed)}",
                )
            )
        jb = int(best_j[k]) if len(cls.units) else -1
        best = None
        if jb >= 0 and np.isfinite(C[k, jb]):
            u = units[int(cls.unit_members[jb][0])]
            best = Alternative(u.id, u.area, u.kind, float(C[k, jb]))
        if not placed[i]:
            out.append(
                Placement(
                    hh.id,
                    "unplaced",
                    best_alternative=best,
                    binding=binding,
                    reason=_why_unplaced(instance, occupancy, i, ht, ut, excluded, k, keys[i]),
                )
            )
            continue
        u = units[int(unit_of[i])]
        a = int(area_of_h[i])
        area = areas[a]
        company = group_in_area.get((keys[i], a), 0) - 1
        existing = (
            area.countrymen.get(hh.nationality, 0)
            if match == "nationality"
            else max(
                [area.speakers.get(lang, 0) for lang in hh.languages]
                + [area.countrymen.get(hh.nationality, 0)]
            )
        )
        group = _group_words(instance, keys[i])
        where = instance.area_name(a)
        params = {"group": keys[i], "match": match, "area": area.id}
        if rules.family_alone_mode != "off":
            if existing:
                binding.append(
                    Note(
                        "company.existing",
                        {**params, "households": existing},
                        f"no family alone: {existing} households {group} already live in {where}",
                    )
                )
            else:
                binding.append(
                    Note(
                        "company.placed",
                        {**params, "others": company},
                        f"no family alone: nobody {group} lived in {where}; "
                        f"{company} other households {group} placed there with it",
                    )
                )
        if targets_full[a]:
            binding.append(
                Note(
                    "ceiling.reached",
                    {"area": area.id, "ceiling": area.ceiling + area.placed},
                    f"ceiling: {where} has reached its ceiling of {area.ceiling + area.placed} new households",
                )
            )
        cost = float(ev.cost[i])
        regret = cost - best.cost if best else None
        reason = None
        if best and regret is not None and regret > 1e-9:
            reason = _why_not_best(
                instance, cls, k, jb, targets_full, used_per_class, group_in_area, keys[i], solution
            )
        out.append(
            Placement(
                hh.id,
                "placed",
                u.id,
                u.area,
                u.kind,
                round(cost, 6),
                best,
                None if regret is None else round(regret, 6),
                binding,
                reason,
                bool(ev.alone[i]),
            )
        )
    return out


def _group_words(instance: Instance, key: str) -> str:
    """'from Iran' or 'speaking Tigrinya', by the names the input gives."""
    if instance.rules.family_alone_match == "language":
        return f"speaking {instance.language_name(key)}"
    return f"from {instance.nationality_name(key)}"


def _why_not_best(instance, cls, k, jb, full, used, group_in_area, key, solution) -> Note:
    a = int(cls.units.area[jb])
    area = instance.areas[a]
    where = instance.area_name(a)
    if full[a]:
        return Note(
            "best.ceiling",
            {"area": area.id, "ceiling": area.ceiling + area.placed},
            f"{where} has reached its ceiling of {area.ceiling + area.placed} new households.",
        )
    if used[jb] >= cls.unit_count[jb] * (cls.units.beds[jb] if cls.units.shared[jb] else 1):
        n = int(cls.unit_count[jb])
        price = solution.pair_price(k, jb)
        return Note(
            "best.taken",
            {"units": n, "dual_price": round(price, 6) if np.isfinite(price) else None},
            f"All {n} such unit(s) went to other households, for whom they lowered the total "
            f"score more"
            + (f" (the unit's dual price is {price:.2f})." if np.isfinite(price) else "."),
        )
    if cls.households.free[k, a] and group_in_area.get((key, a), 0) == 0:
        return Note(
            "best.alone",
            {"area": area.id, "group": key},
            f"It would have been alone in {where}: nobody {_group_words(instance, key)} lives "
            "there or was placed there.",
        )
    return Note(
        "best.total",
        {},
        "The total is lower this way: the spread over areas and the rules that tie households "
        "together cost more than it gains.",
    )


def _why_unplaced(instance, occupancy, i, ht, ut, excluded, k, key) -> Note:
    """Why household ``i`` is unplaced, found by trying every unit that is free now."""
    total = len(instance.units)
    opt = free_options(instance, occupancy, i, ht, ut) if total else None
    if opt is None or opt.allowed == 0:
        top = sorted(((int(v[k]), name) for name, v in excluded.items() if v[k]), reverse=True)[:3]
        parts = [f"{n} {WORDING[name]}" for n, name in top]
        if not total:
            return Note(
                "unplaced.no_unit",
                {"units": 0},
                "No unit meets the hard rules: there are no units.",
            )
        return Note(
            "unplaced.no_unit",
            {"units": total, "excluded": {name: n for n, name in top}},
            f"No unit meets the hard rules: of the {total} units, " + "; ".join(parts) + ".",
        )
    if len(opt.free) == 0:
        return Note(
            "unplaced.all_taken",
            {"allowed": opt.allowed},
            f"{opt.allowed} unit(s) meet its hard rules, and every one of them is taken: placing "
            "it would displace the households there, at a higher total cost.",
        )
    names = [instance.area_name(int(a)) for a in ut.area[opt.free]]
    ceiling = sorted({n for n, c in zip(names, opt.ceiling, strict=True) if c})
    alone = sorted({n for n, c in zip(names, opt.alone & ~opt.ceiling, strict=True) if c})
    costly = int((~opt.ceiling & ~opt.alone & (opt.delta >= -1e-9)).sum())
    parts = []
    if ceiling:
        parts.append(
            f"{int(opt.ceiling.sum())} are in areas that have reached their ceiling ({', '.join(ceiling)})"
        )
    if alone:
        parts.append(
            f"in {int((opt.alone & ~opt.ceiling).sum())} it would be the only household "
            f"{_group_words(instance, key)} ({', '.join(alone)}), and the rule is hard"
        )
    if costly:
        parts.append(f"in {costly} its score would cost more than leaving it unplaced")
    return Note(
        "unplaced.free_units_blocked",
        {
            "allowed": opt.allowed,
            "free": int(len(opt.free)),
            "ceiling": int(opt.ceiling.sum()),
            "ceiling_areas": ceiling,
            "alone": int((opt.alone & ~opt.ceiling).sum()),
            "alone_areas": alone,
            "costly": costly,
            "group": key,
        },
        f"{opt.allowed} unit(s) meet its hard rules and {len(opt.free)} of them are free, but "
        + "; ".join(parts)
        + ".",
    )
