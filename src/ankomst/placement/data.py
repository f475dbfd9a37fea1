"""Input of the housing placement: households, units, areas and rules.

A file is checked twice on load: against the JSON Schema (types, ranges, names of
fields) and against the rules between records (unique ids, known areas, persons
adding up). Every problem becomes one message naming the record and the field;
any problem means no instance, hence no result.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

KINDS = ("permanent", "temporary", "shared_room", "modular", "private_rental")
SHARED = "shared_room"


class InstanceError(ValueError):
    """The input is invalid; ``problems`` holds one message per record and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the input:\n  {shown}{more}")


@dataclass(frozen=True)
class Household:
    id: str
    persons: int
    adults: int
    child_ages: tuple[int, ...]
    nationality: str
    languages: tuple[str, ...]
    rent_budget: float
    needs_accessible: bool = False
    needs_ground_floor: bool = False
    needs_treatment: bool = False
    sex: str | None = None
    age: int | None = None
    vulnerable: bool = False
    fixed_unit: str | None = None
    fixed_area: str | None = None
    forbidden_units: tuple[str, ...] = ()
    forbidden_areas: tuple[str, ...] = ()
    arrival: str | None = None
    move_in_by: str | None = None  # ISO date: a unit free only later is not offered

    @property
    def is_single(self) -> bool:
        return self.adults == 1 and not self.child_ages


@dataclass(frozen=True)
class Distances:
    school: float
    daycare: float
    transport: float
    shops: float
    treatment: float | None = None


@dataclass(frozen=True)
class Unit:
    id: str
    area: str
    kind: str
    rooms: int
    max_persons: int
    rent: float
    distances: Distances
    accessible: bool = False
    floor: int = 0
    disadvantaged: bool = False
    available_from: str | None = None  # ISO date; None: free now
    room_sex: str | None = None  # a shared room kept for one sex
    age_min: int | None = None  # a shared room's age band
    age_max: int | None = None


@dataclass(frozen=True)
class Area:
    id: str
    kind: str
    name: str = ""
    population: int = 0
    countrymen: dict[str, int] = field(default_factory=dict)
    speakers: dict[str, int] = field(default_factory=dict)
    ceiling: int | None = None  # most new households still to place here (``placed`` deducted)
    placed: int = 0  # households placed here earlier this year


@dataclass(frozen=True)
class Weights:
    unplaced: float
    family_alone: float
    temporary: float
    temporary_with_children: float
    school_km: float
    daycare_km: float
    transport_km_per_adult: float
    shops_km: float
    rent_share: float
    spare_bed: float
    spread_excess: float


@dataclass(frozen=True)
class Rules:
    year: int
    temporary_payment_caps: dict[str, float]
    permanent_kinds: tuple[str, ...]
    max_persons_per_room: float
    treatment_max_km: float
    shared_room_min_age: int
    school_ages: tuple[int, int]
    daycare_ages: tuple[int, int]
    family_alone_mode: str  # hard | soft | off
    family_alone_match: str  # nationality | language
    spread_tolerance: float
    weights: Weights


@dataclass(frozen=True)
class Instance:
    households: tuple[Household, ...]
    units: tuple[Unit, ...]
    areas: tuple[Area, ...]
    rules: Rules
    name: str = ""
    nationality_names: dict[str, str] = field(default_factory=dict)
    language_names: dict[str, str] = field(default_factory=dict)

    def nationality_name(self, code: str) -> str:
        return self.nationality_names.get(code, code)

    def language_name(self, tag: str) -> str:
        return self.language_names.get(tag, tag)

    def area_name(self, index: int) -> str:
        area = self.areas[index]
        return area.name or area.id


def default_rules_data() -> dict[str, Any]:
    text = resources.files("ankomst.placement").joinpath("data/housing-rules-2024.json").read_text()
    return json.loads(text)


def input_schema() -> dict[str, Any]:
    text = (
        resources.files("ankomst.placement")
        .joinpath("schema/housing-input.schema.json")
        .read_text()
    )
    return json.loads(text)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def where(
    data: Any, path: list[Any], records: tuple[str, ...] = ("households", "units", "areas")
) -> str:
    """'households[3] (id "H-4"), field "needs.accessible"' from a JSON path; ``records`` are
    the top-level lists whose items are named by their id."""
    if not path:
        return "the file"
    if (
        path[0] in records
        and len(path) >= 2
        and isinstance(path[1], int)
        and isinstance(data, dict)
    ):
        record = data[path[0]][path[1]]
        rid = record.get("id") if isinstance(record, dict) else None
        label = f"{path[0]}[{path[1]}]" + (f' (id "{rid}")' if rid is not None else "")
        rest = ".".join(str(p) for p in path[2:])
        return f'{label}, field "{rest}"' if rest else label
    return 'field "' + ".".join(str(p) for p in path) + '"'


def validate(data: Any) -> list[str]:
    """All problems in a parsed input file, schema first, then cross-record rules."""
    validator = jsonschema.Draft202012Validator(
        input_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    problems = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(err.absolute_path)
        if err.validator == "required" or err.validator == "additionalProperties":
            problems.append(f"{where(data, path)}: {err.message}")
        else:
            problems.append(f"{where(data, path)}: {err.message}")
    if problems:
        return problems
    return _cross_check(data)


def _cross_check(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for kind in ("households", "units", "areas"):
        seen: set[str] = set()
        for i, rec in enumerate(data[kind]):
            if rec["id"] in seen:
                problems.append(f"{where(data, [kind, i, 'id'])}: duplicate id")
            seen.add(rec["id"])
        ids[kind] = seen
    for i, u in enumerate(data["units"]):
        if u["area"] not in ids["areas"]:
            problems.append(f'{where(data, ["units", i, "area"])}: unknown area "{u["area"]}"')
        if u["kind"] == SHARED and u["max_persons"] < 1:
            problems.append(f"{where(data, ['units', i, 'max_persons'])}: a shared room needs beds")
    for i, h in enumerate(data["households"]):
        if h["persons"] != h["adults"] + len(h["child_ages"]):
            problems.append(
                f"{where(data, ['households', i, 'persons'])}: {h['persons']} is not "
                f"adults ({h['adults']}) + children ({len(h['child_ages'])})"
            )
        if h["adults"] == 1 and not h["child_ages"]:
            for key in ("sex", "age"):
                if key not in h:
                    problems.append(f"{where(data, ['households', i, key])}: required for a single")
        fixed = h.get("fixed", {})
        if "unit" in fixed and fixed["unit"] not in ids["units"]:
            problems.append(
                f'{where(data, ["households", i, "fixed.unit"])}: unknown unit "{fixed["unit"]}"'
            )
        if "area" in fixed and fixed["area"] not in ids["areas"]:
            problems.append(
                f'{where(data, ["households", i, "fixed.area"])}: unknown area "{fixed["area"]}"'
            )
        forbidden = h.get("forbidden", {})
        for uid in forbidden.get("units", []):
            if uid not in ids["units"]:
                problems.append(
                    f'{where(data, ["households", i, "forbidden.units"])}: unknown unit "{uid}"'
                )
        for aid in forbidden.get("areas", []):
            if aid not in ids["areas"]:
                problems.append(
                    f'{where(data, ["households", i, "forbidden.areas"])}: unknown area "{aid}"'
                )
    return problems


def _rules(raw: dict[str, Any]) -> Rules:
    r = _merge(default_rules_data(), raw)
    caps = {k: float(v) for k, v in r["temporary_payment_caps"].items() if not k.startswith("_")}
    return Rules(
        year=int(r["year"]),
        temporary_payment_caps=caps,
        permanent_kinds=tuple(r["permanent_kinds"]),
        max_persons_per_room=float(r["max_persons_per_room"]),
        treatment_max_km=float(r["treatment_max_km"]),
        shared_room_min_age=int(r["shared_room_min_age"]),
        school_ages=tuple(r["school_ages"]),  # type: ignore[arg-type]
        daycare_ages=tuple(r["daycare_ages"]),  # type: ignore[arg-type]
        family_alone_mode=r["no_family_alone"]["mode"],
        family_alone_match=r["no_family_alone"]["match"],
        spread_tolerance=float(r["spread"]["tolerance"]),
        weights=Weights(**{k: float(v) for k, v in r["weights"].items()}),
    )


def rules_from(raw: dict[str, Any] | None = None) -> Rules:
    """The rules: the defaults of the year with ``raw`` laid over them."""
    return _rules(raw or {})


def instance_from_dict(data: Any) -> Instance:
    problems = validate(data)
    if problems:
        raise InstanceError(problems)
    households = tuple(
        Household(
            id=h["id"],
            persons=h["persons"],
            adults=h["adults"],
            child_ages=tuple(h["child_ages"]),
            nationality=h["nationality"],
            languages=tuple(h["languages"]),
            rent_budget=float(h["rent_budget"]),
            needs_accessible=h.get("needs", {}).get("accessible", False),
            needs_ground_floor=h.get("needs", {}).get("ground_floor", False),
            needs_treatment=h.get("needs", {}).get("treatment", False),
            sex=h.get("sex"),
            age=h.get("age"),
            vulnerable=h.get("vulnerable", False),
            fixed_unit=h.get("fixed", {}).get("unit"),
            fixed_area=h.get("fixed", {}).get("area"),
            forbidden_units=tuple(h.get("forbidden", {}).get("units", ())),
            forbidden_areas=tuple(h.get("forbidden", {}).get("areas", ())),
            arrival=h.get("arrival"),
            move_in_by=h.get("move_in_by"),
        )
        for h in data["households"]
    )
    units = tuple(
        Unit(
            id=u["id"],
            area=u["area"],
            kind=u["kind"],
            rooms=u["rooms"],
            max_persons=u["max_persons"],
            rent=float(u["rent"]),
            distances=Distances(**{k: float(v) for k, v in u["distances_km"].items()}),
            accessible=u.get("accessible", False),
            floor=u.get("floor", 0),
            disadvantaged=u.get("disadvantaged", False),
            available_from=u.get("available_from"),
            room_sex=u.get("shared", {}).get("sex"),
            age_min=u.get("shared", {}).get("age_min"),
            age_max=u.get("shared", {}).get("age_max"),
        )
        for u in data["units"]
    )
    areas = tuple(
        Area(
            id=a["id"],
            kind=a["kind"],
            name=a.get("name", a["id"]),
            population=a.get("population", 0),
            countrymen=dict(a.get("countrymen", {})),
            speakers=dict(a.get("speakers", {})),
            ceiling=_remaining(a.get("ceiling"), a.get("placed", 0)),
            placed=a.get("placed", 0),
        )
        for a in data["areas"]
    )
    names = data.get("names", {})
    return Instance(
        households,
        units,
        areas,
        _rules(data.get("rules", {})),
        data.get("name", ""),
        dict(names.get("nationalities", {})),
        dict(names.get("languages", {})),
    )


def _remaining(ceiling: int | None, placed: int) -> int | None:
    """The ceiling left for this run: households placed earlier this year count towards it."""
    return None if ceiling is None else max(ceiling - placed, 0)


def load_instance(path: str | Path) -> Instance:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InstanceError([f"the file: not valid JSON ({exc})"]) from exc
    return instance_from_dict(data)
