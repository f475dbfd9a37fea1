"""A realistic synthetic housing placement instance, shaped like Aalborg.

Pure Python, no Django: used by ``ankomst place example``, the tests and
``bench/placement_housing.py``. How an instance is made (docs/placement.md has
the long form):

* Areas: the districts of the city and the towns around it, with inhabitants
  roughly as in Aalborg municipality. Existing refugee households by nationality
  ("countrymen") are common in the city districts and sparse in the towns, where
  some nationalities have nobody yet: that is where "no family alone" bites.
  Each area gets a ceiling on new households of about 1.5 times its share of the
  population (1.2 in the towns), so the ceilings bind in the districts that offer
  many vacant homes.
* Units come as offers from estates: a social-housing estate offers a few
  vacant flats of one to three flat types; flats of one type in one estate share
  rent and distances and differ only by floor and step-free access, as in real
  estates. Most permanent homes are in the city, rents are lower in the towns,
  some estates in the city lie in a designated disadvantaged area. Temporary
  housing (former care homes), modular pavilion villages and a reception
  facility with shared rooms for singles come in larger blocks of identical
  units.
* Households: the nationality mix of recent years in Denmark (Ukraine, Syria,
  Afghanistan, Eritrea, ...), compositions typical of each (Ukrainian mothers
  with children, Afghan and Syrian single men, large families), the amount
  available for rent from the household's composition (benefit levels) with some
  spread, a few needs (step-free, ground floor, near the treatment centre), a few
  fixed areas (family reunification next to relatives) and forbidden areas.

Every number below is a synthetic assumption chosen to look plausible; names of
places are used for orientation only, and the disadvantaged flags are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

# (name, kind, inhabitants, km to the treatment centre)
AREAS: list[tuple[str, str, int, float]] = [
    ("Aalborg Centrum", "district", 24000, 0.8),
    ("Vestbyen", "district", 16000, 1.5),
    ("Østbyen", "district", 12000, 1.8),
    ("Hasseris", "district", 14000, 3.0),
    ("Vejgaard", "district", 16000, 2.5),
    ("Aalborg Øst", "district", 20000, 4.5),
    ("Gug", "district", 9000, 4.0),
    ("Skalborg", "district", 8000, 5.0),
    ("Nørresundby", "district", 22000, 3.0),
    ("Lindholm", "district", 7000, 4.5),
    ("Aalborg SØ", "district", 10000, 4.0),
    ("Svenstrup", "town", 7000, 11.0),
    ("Nibe", "town", 5200, 20.0),
    ("Vodskov", "town", 4000, 12.0),
    ("Storvorde", "town", 3500, 15.0),
    ("Hals", "town", 2600, 27.0),
    ("Klarup", "town", 4000, 9.0),
    ("Vadum", "town", 2700, 12.0),
    ("Sulsted", "town", 1300, 16.0),
    ("Frejlev", "town", 2200, 12.0),
    ("Gistrup", "town", 4500, 9.0),
    ("Vestbjerg", "town", 2600, 10.0),
    ("Kongerslev", "town", 1500, 22.0),
]

# nationality: (share of arrivals, languages, share of city districts with countrymen, of towns)
NATIONALITIES: dict[str, tuple[float, list[str], float, float]] = {
    "UA": (0.38, ["uk", "ru"], 0.95, 0.6),
    "SY": (0.16, ["ar", "kmr"], 0.85, 0.3),
    "AF": (0.12, ["prs", "ps"], 0.75, 0.2),
    "ER": (0.10, ["ti"], 0.65, 0.15),
    "SO": (0.05, ["so"], 0.55, 0.05),
    "IR": (0.05, ["fa"], 0.6, 0.1),
    "IQ": (0.04, ["ar", "ckb"], 0.6, 0.1),
    "TR": (0.03, ["tr", "kmr"], 0.45, 0.05),
    "SD": (0.03, ["ar"], 0.3, 0.0),
    "RU": (0.02, ["ru"], 0.4, 0.05),
    "XXX": (0.02, ["ar"], 0.25, 0.0),  # stateless (e.g. Palestinians from Syria)
}

# composition weights per nationality: single_m, single_f, couple, single_parent, family, large_family
COMPOSITION: dict[str, tuple[float, ...]] = {
    "UA": (0.05, 0.15, 0.10, 0.40, 0.25, 0.05),
    "SY": (0.35, 0.05, 0.10, 0.05, 0.30, 0.15),
    "AF": (0.45, 0.05, 0.05, 0.05, 0.25, 0.15),
    "ER": (0.40, 0.20, 0.05, 0.20, 0.12, 0.03),
}
DEFAULT_COMPOSITION = (0.35, 0.10, 0.10, 0.10, 0.25, 0.10)

# rooms: (max persons, monthly rent in a city estate, DKK)
FLAT_TYPES = {1: (2, 3800), 2: (3, 5200), 3: (5, 6500), 4: (7, 7800), 5: (9, 9000)}
# monthly amount available for rent by composition: base, per child (synthetic benefit levels)
BUDGET = {
    "single": (4300, 0),
    "couple": (6000, 0),
    "single_parent": (5200, 600),
    "family": (6800, 500),
}

DISADVANTAGED_DISTRICTS = {"Aalborg Øst": 0.35, "Nørresundby": 0.15, "Vestbyen": 0.10}


def _slug(name: str) -> str:
    table = str.maketrans({"Ø": "O", "ø": "o", "Å": "A", "å": "a", "Æ": "AE", "æ": "ae", " ": "-"})
    return name.translate(table).lower()


def _weighted(rng: random.Random, items: list[Any], weights: list[float]) -> Any:
    return rng.choices(items, weights=weights, k=1)[0]


def _areas(rng: random.Random, n_households: int) -> list[dict[str, Any]]:
    total = sum(a[2] for a in AREAS)
    scale = max(1.0, n_households / 200)
    out = []
    for name, kind, population, _ in AREAS:
        countrymen = {}
        for nat, (_, _, p_district, p_town) in NATIONALITIES.items():
            if rng.random() < (p_district if kind == "district" else p_town):
                high = 60 if kind == "district" else 8
                countrymen[nat] = max(1, int(rng.randint(1, high) * population / 15000 * scale))
        speakers: dict[str, int] = {}
        for nat, count in countrymen.items():
            lang = NATIONALITIES[nat][1][0]
            speakers[lang] = speakers.get(lang, 0) + count
        share = population / total
        factor = 1.5 if kind == "district" else 1.2
        out.append(
            {
                "id": _slug(name),
                "name": name,
                "kind": kind,
                "population": population,
                "countrymen": dict(sorted(countrymen.items())),
                "speakers": dict(sorted(speakers.items())),
                "ceiling": int(n_households * share * factor) + 2,
            }
        )
    return out


def _estate(rng: random.Random, area: tuple[str, str, int, float]) -> dict[str, Any]:
    name, kind, _, treatment = area
    town = kind == "town"

    def km(low: float, high: float) -> float:
        return round(rng.uniform(low, high), 1)

    return {
        "area": _slug(name),
        "town": town,
        "distances_km": {
            "school": km(0.5, 4.0) if town else km(0.2, 1.8),
            "daycare": km(0.3, 3.0) if town else km(0.1, 1.2),
            "transport": km(0.2, 2.5) if town else km(0.05, 0.7),
            "shops": km(0.2, 4.0) if town else km(0.1, 1.2),
            "treatment": round(max(0.2, treatment + rng.uniform(-0.5, 1.0)), 1),
        },
        "disadvantaged": (not town) and rng.random() < DISADVANTAGED_DISTRICTS.get(name, 0.0),
        "rent_factor": rng.uniform(0.85, 1.2) * (0.8 if town else 1.0),
        "floors": rng.randint(1, 2) if town else rng.randint(1, 5),
        "step_free": rng.random() < 0.25,
        "lift": rng.random() < 0.15,
    }


def _units(rng: random.Random, n_units: int) -> list[dict[str, Any]]:
    weights = [pop * (1.0 if kind == "district" else 0.45) for _, kind, pop, _ in AREAS]
    n_shared = round(n_units * 0.08)
    n_modular = round(n_units * 0.08)
    n_temporary = round(n_units * 0.12)
    n_permanent = n_units - n_shared - n_modular - n_temporary
    units: list[dict[str, Any]] = []

    def add(
        estate: dict[str, Any], kind: str, rooms: int, max_persons: int, rent: float, count: int
    ) -> None:
        for _ in range(count):
            floor = rng.randrange(estate["floors"])
            units.append(
                {
                    "id": f"U{len(units) + 1:05d}",
                    "area": estate["area"],
                    "kind": kind,
                    "rooms": rooms,
                    "max_persons": max_persons,
                    "rent": rent,
                    "accessible": estate["lift"] or (estate["step_free"] and floor == 0),
                    "floor": floor,
                    "disadvantaged": estate["disadvantaged"],
                    "distances_km": estate["distances_km"],
                }
            )

    # permanent homes: offers of 1-8 vacant flats of 1-3 types per estate
    made = 0
    while made < n_permanent:
        estate = _estate(rng, _weighted(rng, AREAS, weights))
        for rooms in rng.sample([1, 1, 2, 2, 3, 3, 4, 5], k=rng.randint(1, 3)):
            if made >= n_permanent:
                break
            count = min(n_permanent - made, rng.randint(1, 4 if estate["town"] else 8))
            max_persons, base = FLAT_TYPES[rooms]
            rent = round(base * estate["rent_factor"] / 25) * 25
            add(estate, "permanent", rooms, max_persons, rent, count)
            made += count

    # temporary homes, pavilion villages, shared rooms: blocks of identical units
    blocks = [
        ("temporary", n_temporary, (5, 30)),
        ("modular", n_modular, (10, 40)),
        ("shared_room", n_shared, (10, 50)),
    ]
    for kind, total, (low, high) in blocks:
        made = 0
        while made < total:
            estate = _estate(rng, _weighted(rng, AREAS, weights))
            estate["disadvantaged"] = (
                False  # the municipality does not site temporary housing there
            )
            estate["floors"] = 1 if kind == "modular" else estate["floors"]
            count = min(total - made, rng.randint(low, high))
            if kind == "temporary":
                rooms = rng.choice([1, 1, 2])
                add(estate, kind, rooms, 2 * rooms, round(rng.uniform(3000, 5500) / 50) * 50, count)
            elif kind == "modular":
                rooms = rng.choice([2, 3])
                add(estate, kind, rooms, 2 * rooms, round(rng.uniform(4500, 6500) / 50) * 50, count)
            else:
                beds = rng.choice([2, 2, 3, 4])
                add(estate, kind, 1, beds, round(rng.uniform(1800, 2400) / 50) * 50, count)
            made += count
    return units


def _households(
    rng: random.Random, n: int, areas: list[dict[str, Any]], units: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    nats = list(NATIONALITIES)
    shares = [NATIONALITIES[k][0] for k in nats]
    kinds = ["single_m", "single_f", "couple", "single_parent", "family", "large_family"]
    start = dt.date(2024, 1, 2)
    area_ids = [a["id"] for a in areas]
    fixed_units: set[str] = set()
    out = []
    for i in range(n):
        nat = _weighted(rng, nats, shares)
        kind = _weighted(rng, kinds, list(COMPOSITION.get(nat, DEFAULT_COMPOSITION)))
        adults, children = 1, 0
        if kind == "couple":
            adults = 2
        elif kind == "single_parent":
            children = rng.choice([1, 1, 2, 2, 3])
        elif kind == "family":
            adults, children = (3 if rng.random() < 0.05 else 2), rng.choice([1, 2, 2, 3, 3])
        elif kind == "large_family":
            adults, children = 2, rng.choice([4, 4, 5, 6])
        budget_kind = (
            "single"
            if kind.startswith("single_") and not children
            else (
                "couple"
                if kind == "couple"
                else ("single_parent" if kind == "single_parent" else "family")
            )
        )
        base, per_child = BUDGET[budget_kind]
        budget = base + per_child * children + rng.choice([-600, -300, 0, 0, 0, 300, 600, 900])
        h: dict[str, Any] = {
            "id": f"H{i + 1:05d}",
            "persons": adults + children,
            "adults": adults,
            "child_ages": sorted((rng.randint(0, 17) for _ in range(children)), reverse=True),
            "nationality": nat,
            "languages": list(NATIONALITIES[nat][1]),
            "rent_budget": budget,
            "arrival": (start + dt.timedelta(days=int(i * 360 / max(n, 1)))).isoformat(),
        }
        if adults == 1 and not children:
            h["sex"] = "male" if kind == "single_m" else "female"
            h["age"] = rng.randint(18, 62)
            if rng.random() < 0.10:
                h["vulnerable"] = True
        r = rng.random()
        if r < 0.02:
            h["needs"] = {"accessible": True}
        elif r < 0.05:
            h["needs"] = {"ground_floor": True}
        elif r < 0.10:
            h["needs"] = {"treatment": True}
        r = rng.random()
        if r < 0.01:  # family reunification: next to relatives, so where countrymen live
            near = [a["id"] for a in areas if nat in a["countrymen"]]
            if near:
                h["fixed"] = {"area": rng.choice(near)}
        elif r < 0.013:  # a specific home offered with the arrival
            fitting = [
                u
                for u in units
                if u["kind"] == "permanent"
                and not u["disadvantaged"]
                and u["max_persons"] >= h["persons"]
                and 2 * u["rooms"] >= h["persons"]
                and u["rent"] <= budget
                and u["id"] not in fixed_units
            ]
            if fitting:
                unit = rng.choice(fitting)
                fixed_units.add(unit["id"])
                h["fixed"] = {"unit": unit["id"]}
        elif r < 0.03:
            h["forbidden"] = {"areas": rng.sample(area_ids, k=rng.randint(1, 2))}
        elif r < 0.035:
            h["forbidden"] = {"units": [rng.choice(units)["id"] for _ in range(3)]}
        out.append(h)
    return out


def housing_instance(households: int = 200, units: int = 300, seed: int = 1) -> dict[str, Any]:
    """A placement input (a dict ready for ``json.dump``) of the given size."""
    rng = random.Random(seed)
    areas = _areas(rng, households)
    unit_list = _units(rng, units)
    return {
        "name": f"Aalborg-like municipality, {households} households, {units} units, seed {seed}",
        "households": _households(rng, households, areas, unit_list),
        "units": unit_list,
        "areas": areas,
        "rules": {},
    }
