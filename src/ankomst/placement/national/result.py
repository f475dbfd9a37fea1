"""The result of a national assignment: a municipality per household with its reasons, the
objective with its certified bound and gap, each municipality's intake against its quota and
capacities with their prices, and the solver's figures."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..result import plain
from .data import NationalInstance
from .explain import HouseholdAssignment, context, explain_all
from .problem import QUOTA, RESOURCES, Evaluation, Problem
from .scores import Scores


@dataclass
class MunicipalityIntake:
    municipality: str
    name: str
    quota: int  # persons it could still receive before this batch
    persons: int  # persons assigned now
    households: int
    capacities: dict[str, dict[str, float]]  # resource -> used, limit
    prices: dict[str, float]  # resource -> dual price per unit, where it binds

    @property
    def left(self) -> int:
        return self.quota - self.persons


@dataclass
class Figures:
    households: int
    persons: int
    assigned: int
    unassigned: int
    unassigned_persons: int
    score: float  # sum of the predicted integration scores of the assigned households
    bonus: float  # sum of their network bonuses
    mean_score: float  # per assigned household


@dataclass
class AssignmentResult:
    name: str
    status: str  # optimal | gap_reached | gap_not_reached | time_limit
    method: str
    objective: float  # score + bonus - penalties for unassigned persons
    bound: float  # certified upper bound of the objective
    gap: float
    time_s: float
    parameters: dict[str, Any]
    score_source: str
    figures: Figures
    assignments: list[HouseholdAssignment]
    intake: list[MunicipalityIntake]
    violations: list[str]
    model: dict[str, Any]

    def assignment(self, household_id: str) -> HouseholdAssignment:
        return next(a for a in self.assignments if a.household == household_id)

    def explain(self, household_id: str) -> str:
        """The decision letter's paragraph and the quotas and capacities that decided."""
        a = self.assignment(household_id)
        lines = [a.letter]
        if a.margin is not None and a.next_best is not None:
            lines.append(f"  margin against the next best ({a.next_best.name}): {a.margin:+.3f}")
        lines += [f"  - {note}" for note in a.binding]
        return "\n".join(lines)

    def summary(self) -> str:
        f = self.figures
        return (
            f"{self.status}: objective {self.objective:,.3f} (score {f.score:,.3f} + network "
            f"bonus {f.bonus:,.3f}), bound {self.bound:,.3f}, gap {self.gap:.4%}, "
            f"{self.time_s:.1f} s ({self.method}). {f.households:,} households "
            f"({f.persons:,} persons): {f.assigned:,} assigned, {f.unassigned:,} unassigned "
            f"({f.unassigned_persons:,} persons); mean score {f.mean_score:.3f}."
        )

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in vars(self).items() if k not in ("assignments", "intake")}
        out["figures"] = asdict(self.figures)
        out["intake"] = [asdict(m) for m in self.intake]
        out = plain(out)
        out["assignments"] = [a.to_dict() for a in self.assignments]
        return out

    def write(self, path: str | Path) -> None:
        Path(path).write_text(
            json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def figures(instance: NationalInstance, scores: Scores, municipality_of: np.ndarray) -> Figures:
    a = municipality_of >= 0
    rows = np.flatnonzero(a)
    persons = np.array([h.persons for h in instance.households], dtype=np.int64)
    score = float(scores.score[rows, municipality_of[rows]].sum())
    return Figures(
        households=len(persons),
        persons=int(persons.sum()),
        assigned=int(a.sum()),
        unassigned=int((~a).sum()),
        unassigned_persons=int(persons[~a].sum()),
        score=score,
        bonus=float(scores.bonus[rows, municipality_of[rows]].sum()),
        mean_score=score / max(int(a.sum()), 1),
    )


def intake(
    instance: NationalInstance, problem: Problem, ev: Evaluation, prices: np.ndarray, counts
) -> list[MunicipalityIntake]:
    out = []
    for j, m in enumerate(instance.municipalities):
        caps = {
            RESOURCES[r]: {"used": float(ev.load[r, j]), "limit": float(problem.upper[r, j])}
            for r in range(1, len(RESOURCES))
            if np.isfinite(problem.upper[r, j])
        }
        out.append(
            MunicipalityIntake(
                m.id,
                m.label,
                m.quota,
                int(round(ev.load[QUOTA, j])),
                int(counts[j]),
                caps,
                {RESOURCES[r]: float(prices[r, j]) for r in range(len(RESOURCES)) if prices[r, j]},
            )
        )
    return out


def build_result(
    instance: NationalInstance,
    scores: Scores,
    problem: Problem,
    solution,
    ev: Evaluation,
    time_s: float,
    parameters: dict[str, Any],
) -> AssignmentResult:
    """The result of a solution (``assign.Solution``), explanations included."""
    ctx = context(instance, problem, scores, solution.municipality_of, solution.prices, ev.load)
    a = solution.municipality_of >= 0
    counts = np.bincount(solution.municipality_of[a], minlength=problem.m)
    model = asdict(solution.stats)
    return AssignmentResult(
        name=instance.name,
        status=solution.status,
        method=solution.stats.method,
        objective=ev.objective,
        bound=solution.bound,
        gap=solution.gap,
        time_s=round(time_s, 3),
        parameters=parameters,
        score_source=scores.source,
        figures=figures(instance, scores, solution.municipality_of),
        assignments=explain_all(ctx),
        intake=intake(instance, problem, ev, solution.prices, counts),
        violations=ev.violations,
        model=model,
    )
