"""Input of the national assignment: households, municipalities, rules and the score source.

A file is checked twice on load, as the housing input is: against the JSON Schema
(``schema/national-input.schema.json``: types, ranges, names of fields) and against the
rules between records (unique ids, known municipalities, persons adding up). Every problem
becomes one message naming the record and the field; any problem means no instance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from ..data import InstanceError, where

EDUCATION = ("none", "primary", "secondary", "tertiary")
CAPACITIES = ("language_school", "treatment", "large_family", "unaccompanied_minor")


class NationalInputError(InstanceError):
    """The input is invalid; ``problems`` holds one message per record and field (as for the
    housing engine's input)."""


@dataclass(frozen=True)
class Household:
    id: str
    persons: int
    adults: int
    children: int
    nationality: str
    language: str
    education: int  # index into EDUCATION
    treatment: bool = False
    unaccompanied_minor: bool = False
    family_tie: str | None = None  # municipality id it must go to
    arrival_week: int | None = None


@dataclass(frozen=True)
class Municipality:
    id: str
    quota: int  # persons it can still receive
    name: str = ""
    population: int = 0
    capacities: dict[str, int] = field(default_factory=dict)  # absent: no limit
    labour_market: float = 0.0
    low_skill_jobs: float = 0.25
    countrymen: dict[str, int] = field(default_factory=dict)
    speakers: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Rules:
    large_family_persons: int = 6
    network_bonus: float = 0.02
    unassigned_penalty: float = 100.0  # per person


@dataclass(frozen=True)
class ScoreSource:
    source: str = "synthetic"  # synthetic | file
    path: Path | None = None  # resolved against the input file's folder


@dataclass(frozen=True)
class NationalInstance:
    households: tuple[Household, ...]
    municipalities: tuple[Municipality, ...]
    rules: Rules = Rules()
    scores: ScoreSource = ScoreSource()
    name: str = ""
    year: int | None = None
    nationality_names: dict[str, str] = field(default_factory=dict)
    language_names: dict[str, str] = field(default_factory=dict)

    def nationality_name(self, code: str) -> str:
        return self.nationality_names.get(code, code)

    def municipality_index(self) -> dict[str, int]:
        return {m.id: j for j, m in enumerate(self.municipalities)}

    def with_households(self, households: tuple[Household, ...]) -> NationalInstance:
        return replace(self, households=households)

    def with_quotas(self, quota: dict[str, int], capacities: dict[str, dict[str, int]]):
        """The same instance with other remaining quotas and capacities (weekly batches)."""
        munis = tuple(
            replace(m, quota=int(quota[m.id]), capacities=dict(capacities.get(m.id, m.capacities)))
            for m in self.municipalities
        )
        return replace(self, municipalities=munis)


def input_schema() -> dict[str, Any]:
    text = (
        resources.files("ankomst.placement")
        .joinpath("schema/national-input.schema.json")
        .read_text()
    )
    return json.loads(text)


# a record of the input is a household or a municipality, named by its id
_where = partial(where, records=("households", "municipalities"))


def validate(data: Any) -> list[str]:
    """All problems in a parsed input file, schema first, then the rules between records."""
    validator = jsonschema.Draft202012Validator(input_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    problems = [f"{_where(data, list(e.absolute_path))}: {e.message}" for e in errors]
    return problems or _cross_check(data)


def _cross_check(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for kind in ("households", "municipalities"):
        seen: set[str] = set()
        for i, rec in enumerate(data[kind]):
            if rec["id"] in seen:
                problems.append(f"{_where(data, [kind, i, 'id'])}: duplicate id")
            seen.add(rec["id"])
        ids[kind] = seen
    for i, h in enumerate(data["households"]):
        if h["persons"] != h["adults"] + h["children"]:
            problems.append(
                f"{_where(data, ['households', i, 'persons'])}: {h['persons']} is not "
                f"adults ({h['adults']}) + children ({h['children']})"
            )
        minor = h.get("needs", {}).get("unaccompanied_minor", False)
        if minor and h["adults"]:
            problems.append(
                f"{_where(data, ['households', i, 'needs.unaccompanied_minor'])}: "
                f"an unaccompanied minor's household has no adults ({h['adults']} given)"
            )
        if not minor and h["adults"] == 0:
            problems.append(
                f"{_where(data, ['households', i, 'adults'])}: a household without adults "
                "must be flagged needs.unaccompanied_minor"
            )
        tie = h.get("family_tie")
        if tie is not None and tie not in ids["municipalities"]:
            problems.append(
                f'{_where(data, ["households", i, "family_tie"])}: unknown municipality "{tie}"'
            )
    return problems


def instance_from_dict(data: Any, base_dir: str | Path | None = None) -> NationalInstance:
    """The instance of a parsed input file; ``base_dir`` resolves a score file's path."""
    problems = validate(data)
    if problems:
        raise NationalInputError(problems)
    households = tuple(
        Household(
            id=h["id"],
            persons=h["persons"],
            adults=h["adults"],
            children=h["children"],
            nationality=h["nationality"],
            language=h["language"],
            education=EDUCATION.index(h["education"]),
            treatment=h.get("needs", {}).get("treatment", False),
            unaccompanied_minor=h.get("needs", {}).get("unaccompanied_minor", False),
            family_tie=h.get("family_tie"),
            arrival_week=h.get("arrival_week"),
        )
        for h in data["households"]
    )
    municipalities = tuple(
        Municipality(
            id=m["id"],
            quota=m["quota"],
            name=m.get("name", ""),
            population=m.get("population", 0),
            capacities=dict(m.get("capacities", {})),
            labour_market=float(m.get("labour_market", 0.0)),
            low_skill_jobs=float(m.get("low_skill_jobs", 0.25)),
            countrymen=dict(m.get("countrymen", {})),
            speakers=dict(m.get("speakers", {})),
        )
        for m in data["municipalities"]
    )
    scores = data.get("scores", {"source": "synthetic"})
    path = None
    if scores["source"] == "file":
        path = Path(scores["path"])
        if not path.is_absolute() and base_dir is not None:
            path = Path(base_dir) / path
    names = data.get("names", {})
    return NationalInstance(
        households=households,
        municipalities=municipalities,
        rules=Rules(**data.get("rules", {})),
        scores=ScoreSource(scores["source"], path),
        name=data.get("name", ""),
        year=data.get("year"),
        nationality_names=dict(names.get("nationalities", {})),
        language_names=dict(names.get("languages", {})),
    )


def load_instance(path: str | Path) -> NationalInstance:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise NationalInputError([f"the file: not valid JSON ({exc})"]) from exc
    return instance_from_dict(data, base_dir=Path(path).parent)


def instance_to_dict(instance: NationalInstance) -> dict[str, Any]:
    """The input file of an instance (the inverse of ``instance_from_dict``)."""

    def household(h: Household) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": h.id,
            "persons": h.persons,
            "adults": h.adults,
            "children": h.children,
            "nationality": h.nationality,
            "language": h.language,
            "education": EDUCATION[h.education],
        }
        needs = {"treatment": h.treatment, "unaccompanied_minor": h.unaccompanied_minor}
        if any(needs.values()):
            out["needs"] = {k: v for k, v in needs.items() if v}
        if h.family_tie is not None:
            out["family_tie"] = h.family_tie
        if h.arrival_week is not None:
            out["arrival_week"] = h.arrival_week
        return out

    def municipality(m: Municipality) -> dict[str, Any]:
        return {
            "id": m.id,
            "name": m.label,
            "population": m.population,
            "quota": m.quota,
            "capacities": dict(m.capacities),
            "labour_market": m.labour_market,
            "low_skill_jobs": m.low_skill_jobs,
            "countrymen": dict(m.countrymen),
            "speakers": dict(m.speakers),
        }

    r = instance.rules
    out: dict[str, Any] = {"name": instance.name}
    if instance.year is not None:
        out["year"] = instance.year
    out["rules"] = {
        "large_family_persons": r.large_family_persons,
        "network_bonus": r.network_bonus,
        "unassigned_penalty": r.unassigned_penalty,
    }
    out["scores"] = (
        {"source": "synthetic"}
        if instance.scores.source == "synthetic"
        else {"source": "file", "path": str(instance.scores.path)}
    )
    out["names"] = {
        "nationalities": dict(instance.nationality_names),
        "languages": dict(instance.language_names),
    }
    out["households"] = [household(h) for h in instance.households]
    out["municipalities"] = [municipality(m) for m in instance.municipalities]
    return out
