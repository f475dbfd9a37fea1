"""Why each household goes where it goes: reasons as codes with parameters, and the words.

The agency must state its reasons in the decision letter. Every reason is a ``Note``: a
``code`` and its ``params`` (for a Django page to translate, as the housing result does)
and the English ``text``. Per household the explanation holds

* the municipality, its predicted score and network bonus;
* the score margin against the next best municipality the rules allow (negative when a
  better one could not be had);
* the main ``reason``: the best municipality for it (``assigned.best``), a family tie
  (``assigned.family_tie``), or better ones that were full or dearer at their prices
  (``assigned.not_best``); for an unassigned household why nothing could take it;
* ``binding``: the quotas and capacities that decided, each with its dual price (what one
  more unit of it would have added to the total score), at its own municipality and at the
  better ones;
* ``letter``: the printable paragraph for the decision letter.

Codes: ``assigned.best``, ``assigned.family_tie``, ``assigned.not_best``,
``better.full``, ``better.priced``, ``better.total``, ``binding.<resource>``,
``unassigned.no_municipality``, ``unassigned.family_tie_full``, ``unassigned.no_room``.
Resources: quota, language_school, treatment, large_family, unaccompanied_minor, balance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..result import Note
from .data import EDUCATION, Household, NationalInstance
from .problem import RESOURCES, TOL, UNIT, Problem
from .scores import Scores

WORDS = {
    "quota": "quota",
    "language_school": "language-school places",
    "treatment": "treatment places",
    "large_family": "large-family homes",
    "unaccompanied_minor": "places for unaccompanied minors",
    "balance": "share of this period's arrivals",
}
SINGULAR = {"persons": "person", "adults": "adult", "households": "household"}
BETTER_SHOWN = 3  # better municipalities named in a letter
BINDING_SHOWN = 6  # priced quotas and capacities listed per household, dearest first


@dataclass
class Alternative:
    municipality: str
    name: str
    score: float
    bonus: float

    @property
    def value(self) -> float:
        return self.score + self.bonus


@dataclass
class HouseholdAssignment:
    household: str
    persons: int
    status: str  # assigned | unassigned
    municipality: str | None = None
    name: str | None = None
    score: float | None = None  # predicted integration score there
    bonus: float | None = None  # co-national network bonus there
    margin: float | None = None  # value minus that of the next best municipality allowed
    next_best: Alternative | None = None
    reason: Note | None = None
    binding: list[Note] = field(default_factory=list)
    letter: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data (built by hand: ``dataclasses.asdict`` takes seconds for 10,000)."""
        return {
            "household": self.household,
            "persons": self.persons,
            "status": self.status,
            "municipality": self.municipality,
            "name": self.name,
            "score": self.score,
            "bonus": self.bonus,
            "margin": self.margin,
            "next_best": None if self.next_best is None else vars(self.next_best).copy(),
            "reason": None if self.reason is None else vars(self.reason).copy(),
            "binding": [vars(note).copy() for note in self.binding],
            "letter": self.letter,
        }


@dataclass
class Context:
    """What every explanation of one result looks at."""

    instance: NationalInstance
    problem: Problem
    scores: Scores
    municipality_of: np.ndarray
    prices: np.ndarray  # [R, m]
    load: np.ndarray  # [R, m] what the assigned households take
    room: np.ndarray  # [R, m] hard bounds minus load (inf where none)

    def label(self, j: int) -> str:
        return self.instance.municipalities[j].label

    def price_of(self, i: int) -> np.ndarray:
        """[m] the prices of what household ``i`` would take in each municipality."""
        return self.problem.use[i] @ self.prices


def context(instance, problem, scores, municipality_of, prices, load) -> Context:
    hard = ~np.isfinite(problem.soft)
    room = np.where(hard[:, None], problem.upper - load, np.inf)
    return Context(instance, problem, scores, municipality_of, prices, load, room)


def explain_all(ctx: Context) -> list[HouseholdAssignment]:
    return [explain_household(ctx, i) for i in range(ctx.problem.n)]


def explain_household(ctx: Context, i: int) -> HouseholdAssignment:
    hh = ctx.instance.households[i]
    j = int(ctx.municipality_of[i])
    if j < 0:
        reason = _why_unassigned(ctx, i)
        out = HouseholdAssignment(hh.id, hh.persons, "unassigned", reason=reason)
        out.letter = f"{_who(hh)} could not be assigned this time. {reason.text}"
        return out
    value = ctx.problem.value[i]
    allowed = ctx.problem.allowed[i].copy()
    others = allowed.copy()
    others[j] = False
    nxt = int(np.argmax(np.where(others, value, -np.inf))) if others.any() else -1
    out = HouseholdAssignment(
        hh.id,
        hh.persons,
        "assigned",
        ctx.instance.municipalities[j].id,
        ctx.label(j),
        round(float(ctx.scores.score[i, j]), 6),
        round(float(ctx.scores.bonus[i, j]), 6),
    )
    if nxt >= 0:
        out.next_best = _alternative(ctx, i, nxt)
        out.margin = round(float(value[j] - value[nxt]), 6)
    better = np.flatnonzero(allowed & (value > value[j] + 1e-9))
    better = better[np.argsort(-value[better], kind="stable")]
    if hh.family_tie is not None:
        out.reason = Note(
            "assigned.family_tie",
            {"municipality": ctx.instance.municipalities[j].id},
            f"The household has close family in {ctx.label(j)} and is assigned there (family tie).",
        )
    elif len(better) == 0:
        out.reason = _best(ctx, i, j, nxt)
    else:
        out.reason = _not_best(ctx, i, j, better[:BETTER_SHOWN], len(better))
    out.binding = _binding(ctx, i, [j, *better[:BETTER_SHOWN].tolist()])
    out.letter = _letter(ctx, hh, out, j)
    return out


def _alternative(ctx: Context, i: int, j: int) -> Alternative:
    m = ctx.instance.municipalities[j]
    return Alternative(
        m.id,
        m.label,
        round(float(ctx.scores.score[i, j]), 6),
        round(float(ctx.scores.bonus[i, j]), 6),
    )


def _best(ctx: Context, i: int, j: int, nxt: int) -> Note:
    score = float(ctx.scores.score[i, j])
    params: dict[str, Any] = {
        "municipality": ctx.instance.municipalities[j].id,
        "score": round(score, 6),
        "bonus": round(float(ctx.scores.bonus[i, j]), 6),
    }
    text = (
        f"Among the municipalities that can receive it, {ctx.label(j)} gives the household the "
        f"highest predicted chance that an adult is in work within two years: {score:.3f}"
    )
    if nxt >= 0:
        margin = float(ctx.problem.value[i, j] - ctx.problem.value[i, nxt])
        params.update(
            next_best=ctx.instance.municipalities[nxt].id,
            next_score=round(float(ctx.scores.score[i, nxt]), 6),
            margin=round(margin, 6),
        )
        text += (
            f"; the next best, {ctx.label(nxt)}, gives {ctx.scores.score[i, nxt]:.3f} "
            f"({margin:.3f} less with the network bonus)"
        )
    return Note("assigned.best", params, text + ".")


def _not_best(ctx: Context, i: int, j: int, better: np.ndarray, count: int) -> Note:
    """Why the higher-scoring municipalities did not get the household."""
    use = ctx.problem.use[i]
    price = ctx.price_of(i)
    gain_here = float(ctx.problem.value[i, j] - price[j])
    parts, items = [], []
    for b in better.tolist():
        full = [
            RESOURCES[r]
            for r in range(len(RESOURCES))
            if use[r] > 0 and use[r] > ctx.room[r, b] + TOL
        ]
        item: dict[str, Any] = {
            "municipality": ctx.instance.municipalities[b].id,
            "score": round(float(ctx.scores.score[i, b]), 6),
            "price": round(float(price[b]), 6),
        }
        name = f"{ctx.label(b)} ({ctx.scores.score[i, b]:.3f})"
        if full:
            item["code"], item["full"] = "better.full", full
            words = _and([WORDS[r] for r in full])
            parts.append(f"{name} had no {words} left for it")
        elif float(ctx.problem.value[i, b] - price[b]) < gain_here - 1e-9:
            item["code"] = "better.priced"
            parts.append(
                f"{name} was worth more to other households: the places it would have taken "
                f"there are priced at {price[b]:.3f} in score"
            )
        else:
            item["code"] = "better.total"
            parts.append(
                f"{name} could only have taken it by moving households whose loss would have "
                "been larger"
            )
        items.append(item)
    shown = f"; the best {len(better)}" if count > len(better) else ""
    text = (
        f"{count} municipalit{'y gives' if count == 1 else 'ies give'} a higher "
        f"predicted score{shown}: " + "; ".join(parts) + ". "
        "Their places went to households for whom they made a larger difference to the chance "
        "of work."
    )
    return Note(
        "assigned.not_best",
        {"municipality": ctx.instance.municipalities[j].id, "count": count, "better": items},
        text,
    )


def _binding(ctx: Context, i: int, municipalities: list[int]) -> list[Note]:
    """The priced rows the household would use at these municipalities, dearest first."""
    use = ctx.problem.use[i]
    notes = []
    for j in municipalities:
        for r in range(len(RESOURCES)):
            lam = float(ctx.prices[r, j])
            if use[r] <= 0 or abs(lam) <= 1e-9:
                continue
            resource = RESOURCES[r]
            limit = ctx.problem.upper[r, j] if lam > 0 else ctx.problem.lower[r, j]
            unit = UNIT[r]
            params = {
                "municipality": ctx.instance.municipalities[j].id,
                "resource": resource,
                "price": round(lam, 6),
                "unit": unit,
                "household_price": round(lam * float(use[r]), 6),
                "used": round(float(ctx.load[r, j]), 6),
                "limit": None if not np.isfinite(limit) else round(float(limit), 6),
            }
            used = (
                f"{ctx.load[r, j]:,.0f} of {limit:,.0f} {unit} used" if np.isfinite(limit) else ""
            )
            notes.append(
                Note(
                    f"binding.{resource}",
                    params,
                    f"{ctx.label(j)}, {WORDS[resource]}: {used}; price {lam:.4f} per "
                    f"{SINGULAR[unit]} ({lam * use[r]:.3f} for this household)",
                )
            )
    notes.sort(key=lambda n: -abs(n.params["household_price"]))
    return notes[:BINDING_SHOWN]


def _why_unassigned(ctx: Context, i: int) -> Note:
    hh = ctx.instance.households[i]
    allowed = ctx.problem.allowed[i]
    use = ctx.problem.use[i]
    if not allowed.any():
        needs = [
            RESOURCES[r]
            for r in range(1, len(RESOURCES))
            if use[r] > 0 and np.all(use[r] > ctx.problem.upper[r] + TOL)
        ]
        words = " or ".join(WORDS[r] for r in needs)
        return Note(
            "unassigned.no_municipality",
            {"needs": needs, "family_tie": hh.family_tie},
            "No municipality can take it at all this year"
            + (f": none has {words} enough for it" if needs else "")
            + ".",
        )
    if hh.family_tie is not None:
        j = int(np.flatnonzero(allowed)[0])
        full = [RESOURCES[r] for r in range(len(RESOURCES)) if use[r] > ctx.room[r, j] + TOL]
        return Note(
            "unassigned.family_tie_full",
            {"municipality": hh.family_tie, "full": full},
            f"It has close family in {ctx.label(j)}, which has no "
            + _and([WORDS[r] for r in full])
            + " left for it: the agency has to agree more room with the municipality.",
        )
    fits = np.all(use[:, None] <= ctx.room + TOL, axis=0) & allowed
    return Note(
        "unassigned.no_room",
        {"allowed": int(allowed.sum()), "with_room": int(fits.sum())},
        f"{int(allowed.sum())} municipalities could receive a household like it, but none "
        "had room left in its quota and capacities for it.",
    )


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _who(hh: Household) -> str:
    needs = ", needs treatment" if hh.treatment else ""
    if hh.unaccompanied_minor:
        return f"Household {hh.id} (unaccompanied minor{'s' if hh.persons > 1 else ''}{needs})"
    kids = f", {hh.children} child{'ren' if hh.children != 1 else ''}" if hh.children else ""
    adults = f"{hh.adults} adult{'s' if hh.adults != 1 else ''}"
    persons = f"{hh.persons} person{'s' if hh.persons != 1 else ''}"
    return f"Household {hh.id} ({persons}: {adults}{kids}{needs})"


def _letter(ctx: Context, hh: Household, a: HouseholdAssignment, j: int) -> str:
    countrymen = ctx.instance.municipalities[j].countrymen.get(hh.nationality, 0)
    lines = [
        f"{_who(hh)} is assigned to {a.name}.",
        a.reason.text if a.reason else "",
        f"Predicted chance of work there: {a.score:.3f}; co-national network bonus "
        f"{a.bonus:.3f} ({countrymen:,} residents from "
        f"{ctx.instance.nationality_name(hh.nationality)}).",
    ]
    if "synthetic" in ctx.scores.source:
        lines.append(
            "The scores come from a synthetic model (not estimated from data); education "
            f"considered: {EDUCATION[hh.education]}."
        )
    return " ".join(line for line in lines if line)
