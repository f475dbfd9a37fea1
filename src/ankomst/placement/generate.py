"""Synthetic housing placement instances, shaped like Aalborg, in several families.

Pure Python, no Django: used by ``ankomst place example``, the tests,
``bench/placement_housing.py`` and the demo. How an instance of the first family
("aalborg") is made (docs/placement.md has the long form):

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

The other families (``FAMILIES``) start from the same instance and take away what
our first generator smooths and real municipalities do not:

* ``unique``: every unit has its own rent to the krone and its own distances, so
  no two units are alike and counting identical units buys nothing;
* ``concentrated``: nationalities live in few areas, most towns have no countrymen
  of most groups, and a fifth of the arrivals belong to small groups, so "no family
  alone" binds hard;
* ``tight``: rent budgets sit close to the rents of the flats a household needs,
  and the ceilings are tight (1.1 times the share of inhabitants in the four
  most populous districts, 1.4 elsewhere);
* ``mixed``: all three at once.

Every number below is a synthetic assumption chosen to look plausible; names of
places are used for orientation only, and the disadvantaged flags are invented.
"""

from __future__ import annotations

import datetime as dt
import math
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


# small groups of the "concentrated" family: (nationality, languages)
SMALL_GROUPS = [
    ("CD", ["fr", "ln"]),
    ("MM", ["my"]),
    ("VE", ["es"]),
    ("ET", ["am"]),
    ("YE", ["ar"]),
    ("LY", ["ar"]),
    ("PK", ["ur"]),
    ("CU", ["es"]),
    ("BI", ["rn", "fr"]),
    ("NP", ["ne"]),
]

NATIONALITY_NAMES = {
    "UA": "Ukraine", "SY": "Syria", "AF": "Afghanistan", "ER": "Eritrea", "SO": "Somalia",
    "IR": "Iran", "IQ": "Iraq", "TR": "Türkiye", "SD": "Sudan", "RU": "Russia",
    "XXX": "stateless", "CD": "DR Congo", "MM": "Myanmar", "VE": "Venezuela", "ET": "Ethiopia",
    "YE": "Yemen", "LY": "Libya", "PK": "Pakistan", "CU": "Cuba", "BI": "Burundi", "NP": "Nepal",
}  # fmt: skip
LANGUAGE_NAMES = {
    "uk": "Ukrainian", "ru": "Russian", "ar": "Arabic", "kmr": "Kurmanji", "prs": "Dari",
    "ps": "Pashto", "ti": "Tigrinya", "so": "Somali", "fa": "Persian", "ckb": "Sorani",
    "tr": "Turkish", "fr": "French", "ln": "Lingala", "my": "Burmese", "es": "Spanish",
    "am": "Amharic", "ur": "Urdu", "rn": "Kirundi", "ne": "Nepali",
}  # fmt: skip

# which changes each family makes to the first generator's instance
FAMILIES: dict[str, tuple[str, ...]] = {
    "aalborg": (),
    "unique": ("unique",),
    "concentrated": ("concentrated",),
    "tight": ("tight",),
    "mixed": ("unique", "concentrated", "tight"),
}


def _make_unique(rng: random.Random, units: list[dict[str, Any]]) -> None:
    """Every unit its own rent (to the krone) and its own distances (to 10 m)."""
    for u in units:
        u["rent"] = int(round(u["rent"] * rng.uniform(0.9, 1.1)))
        u["distances_km"] = {
            key: round(max(0.01, km * rng.uniform(0.6, 1.4)), 2)
            for key, km in u["distances_km"].items()
        }


def _concentrate(
    rng: random.Random, areas: list[dict[str, Any]], households: list[dict[str, Any]]
) -> None:
    """Countrymen in few areas, towns mostly without; a fifth of arrivals in small groups."""
    keep_fixed = {
        (h["nationality"], h["fixed"]["area"]) for h in households if "area" in h.get("fixed", {})
    }
    for a in areas:
        town = a["kind"] == "town"
        countrymen = {
            nat: n
            for nat, n in a["countrymen"].items()
            if (nat, a["id"]) in keep_fixed or rng.random() < (0.08 if town else 0.4)
        }
        a["countrymen"] = countrymen
        speakers: dict[str, int] = {}
        for nat, count in countrymen.items():
            lang = NATIONALITIES[nat][1][0] if nat in NATIONALITIES else "ar"
            speakers[lang] = speakers.get(lang, 0) + count
        a["speakers"] = dict(sorted(speakers.items()))
    districts = [a for a in areas if a["kind"] == "district"]
    for nat, _ in SMALL_GROUPS:  # each small group has countrymen in one or two districts
        for a in rng.sample(districts, k=rng.randint(1, 2)):
            a["countrymen"][nat] = rng.randint(1, 6)
            a["countrymen"] = dict(sorted(a["countrymen"].items()))
    for h in households:
        if "fixed" not in h and rng.random() < 0.2:
            nat, langs = rng.choice(SMALL_GROUPS)
            h["nationality"], h["languages"] = nat, list(langs)


def _tighten(
    rng: random.Random,
    areas: list[dict[str, Any]],
    units: list[dict[str, Any]],
    households: list[dict[str, Any]],
) -> None:
    """Budgets close to the rent of the flats a household needs; tight ceilings."""
    rents: dict[int, list[float]] = {}
    for u in units:
        if u["kind"] == "permanent":
            rents.setdefault(u["max_persons"], []).append(u["rent"])
    sizes = sorted(rents)
    for h in households:
        fitting = sorted(
            r for size in [s for s in sizes if s >= h["persons"]][:2] for r in rents[size]
        )
        if fitting:  # between the 40th and the 80th percentile of those rents, plus 0-6 %
            rent = fitting[int(len(fitting) * rng.uniform(0.4, 0.8))]
            h["rent_budget"] = int(round(rent * rng.uniform(1.0, 1.06)))
    n = len(households)
    total = sum(a["population"] for a in areas) or 1
    popular = sorted(areas, key=lambda a: -a["population"])[:4]
    for a in areas:
        factor = 1.1 if a in popular else 1.4
        a["ceiling"] = max(1, math.ceil(n * a["population"] / total * factor))


def housing_instance(
    households: int = 200, units: int = 300, seed: int = 1, family: str = "aalborg"
) -> dict[str, Any]:
    """A placement input (a dict ready for ``json.dump``) of the given size and family."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; one of {', '.join(FAMILIES)}")
    rng = random.Random(seed)
    areas = _areas(rng, households)
    unit_list = _units(rng, units)
    household_list = _households(rng, households, areas, unit_list)
    changes = FAMILIES[family]
    tweak = random.Random(f"{family}-{seed}")
    if "unique" in changes:
        _make_unique(tweak, unit_list)
    if "concentrated" in changes:
        _concentrate(tweak, areas, household_list)
    if "tight" in changes:
        _tighten(tweak, areas, unit_list, household_list)
    label = "Aalborg-like municipality" + ("" if family == "aalborg" else f" ({family})")
    return {
        "name": f"{label}, {households} households, {units} units, seed {seed}",
        "households": household_list,
        "units": unit_list,
        "areas": areas,
        "rules": {},
        "names": {"nationalities": NATIONALITY_NAMES, "languages": LANGUAGE_NAMES},
    }
