"""Synthetic national instances: 98 Danish-like municipalities and a year of arriving households.

Pure Python and NumPy, deterministic by seed; used by ``ankomst place national-example``,
``simulate-year``, the tests and ``bench/placement_national.py``. Every number is a
synthetic assumption chosen to look plausible, not a statistic.

* Municipalities: the 98 real names, codes, populations and residents of non-Western
  background of the quota table shipped with ``ankomst.placement.national.quotas``
  (``dk-2024``); should that table be missing, 98 invented Danish-like names with a
  Zipf-shaped population (650,000 down to about 2,000).
  Each gets a standardised labour-market strength (larger towns and the capital region
  stronger, with noise), a share of jobs open without qualifications (higher where the
  labour market is weaker), residents by nationality (refugee-background groups live
  mostly in the larger towns) and by language, and what is left of four capacities for the
  year: language-school places, treatment places, large-family homes and places for
  unaccompanied minors, sized from its expected intake with some slack (not every
  municipality has a treatment facility or a children's home).
* Quotas: the national number (the persons expected, plus headroom) split by
  ``quotas.danish_quotas`` (boligplaceringsbekendtgørelsen § 4) on that table.
* Households: the nationality mix of recent Danish years, compositions typical of each
  (single men, Ukrainian mothers with children, large families, unaccompanied minors),
  education levels by nationality, a few needing treatment, a few with a family tie to a
  municipality where their countrymen live, and an arrival week.

Families (``FAMILIES``) vary what makes the problem hard:

* ``baseline``: the mix above, capacities with 15 % slack, 3 % headroom in the quotas,
  arrivals spread evenly over the weeks;
* ``concentrated``: two nationalities make three quarters of the arrivals and their
  countrymen live in few municipalities;
* ``tight``: capacities with 2-5 % slack, fewer facilities, 1 % headroom in the quotas;
* ``uneven``: a surge of one nationality in late summer on top of a seasonal wave, so
  some weeks bring four times as many households as others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

FAMILIES = ("baseline", "concentrated", "tight", "uneven")
WEEKS = 52
REGIONS = ("Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland")
REGION_LABOUR = (0.45, -0.15, -0.05, 0.15, -0.25)

# code, language, share of arrivals, composition profile, education shares (none..tertiary),
# residents of the group in Denmark (for the networks)
NATIONALITIES: tuple[tuple[str, str, float, str, tuple[float, ...], int], ...] = (
    ("SY", "ar", 0.20, "families", (0.25, 0.35, 0.25, 0.15), 45000),
    ("UA", "uk", 0.18, "mothers", (0.02, 0.13, 0.40, 0.45), 40000),
    ("AF", "prs", 0.14, "singles_large", (0.40, 0.35, 0.17, 0.08), 20000),
    ("ER", "ti", 0.12, "singles", (0.35, 0.40, 0.20, 0.05), 12000),
    ("IR", "fa", 0.07, "singles", (0.05, 0.20, 0.40, 0.35), 20000),
    ("SO", "so", 0.06, "families", (0.45, 0.35, 0.15, 0.05), 20000),
    ("IQ", "ckb", 0.05, "families", (0.25, 0.35, 0.25, 0.15), 30000),
    ("SD", "ar", 0.04, "singles", (0.30, 0.35, 0.25, 0.10), 3000),
    ("XXX", "ar", 0.04, "families", (0.20, 0.40, 0.25, 0.15), 10000),
    ("RU", "ru", 0.04, "singles", (0.02, 0.15, 0.43, 0.40), 8000),
    ("TR", "tr", 0.03, "singles", (0.10, 0.30, 0.35, 0.25), 30000),
    ("MM", "my", 0.03, "families", (0.40, 0.35, 0.20, 0.05), 1500),
)
NATIONALITY_NAMES = {
    "SY": "Syria",
    "UA": "Ukraine",
    "AF": "Afghanistan",
    "ER": "Eritrea",
    "IR": "Iran",
    "SO": "Somalia",
    "IQ": "Iraq",
    "SD": "Sudan",
    "XXX": "stateless",
    "RU": "Russia",
    "TR": "Türkiye",
    "MM": "Myanmar",
}
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "uk": "Ukrainian",
    "prs": "Dari",
    "ti": "Tigrinya",
    "fa": "Farsi",
    "so": "Somali",
    "ckb": "Kurdish Sorani",
    "ru": "Russian",
    "tr": "Turkish",
    "my": "Burmese",
}
# composition: (single adult, couple, couple with children, single parent, unaccompanied minor)
PROFILES = {
    "families": (0.30, 0.10, 0.45, 0.10, 0.05),
    "mothers": (0.25, 0.10, 0.18, 0.45, 0.02),
    "singles": (0.60, 0.10, 0.20, 0.05, 0.05),
    "singles_large": (0.45, 0.05, 0.35, 0.05, 0.10),
}
CHILDREN = {  # children of a family with children: (smallest, largest, mean excess over smallest)
    "families": (1, 7, 1.6),
    "mothers": (1, 4, 0.6),
    "singles": (1, 5, 1.0),
    "singles_large": (2, 8, 2.0),
}
PREFIXES = (
    "Ny", "Vest", "Øster", "Sønder", "Nør", "Hol", "Ris", "Lund", "Skov", "Bjerg",
    "Høj", "Sand", "Mølle", "Bro", "Kirke", "Strand", "Fjord", "Dal", "Hede", "Eng",
)  # fmt: skip
SUFFIXES = ("by", "borg", "rup", "sted", "havn", "lev", "holm", "ing", "bæk", "løse")


@dataclass(frozen=True)
class Family:
    """What a family of instances changes: capacities' slack and how many municipalities
    have a facility, headroom of the quotas, concentration of nationalities and networks,
    and how uneven the weeks are."""

    capacity_slack: tuple[float, float] = (1.10, 1.20)
    facility_share: float = 1.0
    quota_headroom: float = 0.03
    concentration: float = 0.0  # 0: the mix above; 1: two groups make three quarters
    network_spread: float = 0.5  # lognormal sigma of where countrymen live
    network_exponent: float = 1.25  # countrymen grow with population to this power
    surge: float = 0.0  # extra weekly arrivals at the peak, times the average week


SPECS = {
    "baseline": Family(),
    "concentrated": Family(concentration=1.0, network_spread=1.1, network_exponent=1.6),
    "tight": Family(capacity_slack=(1.02, 1.05), facility_share=0.7, quota_headroom=0.01),
    "uneven": Family(surge=3.0),
}


@dataclass(frozen=True)
class Place:
    """A municipality of the generated country (before features)."""

    code: str
    name: str
    population: int
    region: str  # one of REGIONS
    non_western: int  # residents of non-Western background (drives where networks are)


def municipality_table() -> tuple[list[Place], object | None]:
    """The 98 municipalities and the quota table they come from: the shipped Danish table
    (``quotas.load_table("dk-2024")``, real names, populations and non-Western residents),
    or invented Danish-like ones when the quota module or its table is missing (None)."""
    table = _danish_table()
    if table is not None:
        places = [
            Place(
                a.code,
                a.name,
                a.population,
                _region_word(table.region_name(a.region)),
                int(a.figure("non_western")),
            )
            for a in table.areas
        ]
        return places, table
    rng = np.random.default_rng(0)  # the same invented country for every seed
    names = [p + s.lower() if p[-1] in "aeiouyæøå" else p + s for p in PREFIXES for s in SUFFIXES]
    names = [names[k] for k in rng.permutation(len(names))[:98]]
    places = []
    for rank, name in enumerate(names, start=1):
        population = int(round(650_000 / rank**1.05 * rng.uniform(0.9, 1.1) + 1_800))
        region = REGIONS[int(rng.integers(len(REGIONS)))] if rank > 1 else REGIONS[0]
        share = 0.06 + 0.08 * (population > 100_000) + rng.uniform(0, 0.04)
        places.append(Place(f"K{rank:03d}", name, population, region, int(population * share)))
    return places, None


def _danish_table():
    try:
        from .quotas import QuotaError, load_table
    except ImportError:  # pragma: no cover - the module is part of the package
        return None
    try:
        return load_table("dk-2024")
    except (QuotaError, OSError):
        return None


def _region_word(name: str) -> str:
    """'Region Hovedstaden' -> 'Hovedstaden' (one of REGIONS)."""
    return name.removeprefix("Region ").strip()


def _apportion(weights: np.ndarray, total: int) -> np.ndarray:
    """Largest remainders: integers proportional to ``weights`` that add up to ``total``."""
    exact = weights / weights.sum() * total
    out = np.floor(exact).astype(np.int64)
    rest = total - int(out.sum())
    out[np.argsort(-(exact - out), kind="stable")[:rest]] += 1
    return out


def _quotas(national: int, places: list[Place], table) -> np.ndarray:
    """The Danish key (population share minus the excess of the non-Western share) by
    ``quotas.danish_quotas`` on the shipped table, or the same key by largest remainders
    on the invented table."""
    if table is not None:
        from .quotas import danish_quotas

        quotas = danish_quotas(table, national).quotas()
        return np.array([quotas[p.code] for p in places], dtype=np.int64)
    population = np.array([p.population for p in places], dtype=float)
    non_western = np.array([p.non_western for p in places], dtype=float)
    pop = population / population.sum()
    share = np.maximum(pop - (non_western / non_western.sum() - pop), 0.0)
    return _apportion(share, national)


def _nationality_shares(family: Family) -> np.ndarray:
    shares = np.array([n[2] for n in NATIONALITIES])
    if family.concentration:
        focus = np.zeros_like(shares)
        focus[[0, 2]] = (0.45, 0.30)  # Syria and Afghanistan, as in 2015-16
        rest = shares.copy()
        rest[[0, 2]] = 0
        focus += 0.25 * rest / rest.sum()
        shares = (1 - family.concentration) * shares + family.concentration * focus
    return shares / shares.sum()


def _household(rng: np.random.Generator, nat: int) -> dict[str, Any]:
    code, language, _, profile, education, _ = NATIONALITIES[nat]
    kind = int(rng.choice(5, p=PROFILES[profile]))
    lo, hi, excess = CHILDREN[profile]
    children = 0
    if kind in (2, 3):
        children = int(min(hi, lo + rng.poisson(excess)))
    adults = {0: 1, 1: 2, 2: 2, 3: 1, 4: 0}[kind]
    if kind == 4:
        children = 1 if rng.random() < 0.9 else 2  # siblings now and then
    h: dict[str, Any] = {
        "persons": adults + children,
        "adults": adults,
        "children": children,
        "nationality": code,
        "language": language,
        "education": ("none", "primary", "secondary", "tertiary")[int(rng.choice(4, p=education))],
    }
    needs = {}
    if rng.random() < (0.07 if code in ("SY", "ER", "AF") else 0.04) and kind != 4:
        needs["treatment"] = True
    if kind == 4:
        needs["unaccompanied_minor"] = True
    if needs:
        h["needs"] = needs
    return h


def _week_weights(family: Family, rng: np.random.Generator) -> np.ndarray:
    w = np.arange(1, WEEKS + 1)
    base = 1.0 + 0.25 * np.sin(2 * math.pi * (w - 10) / WEEKS) + rng.normal(0, 0.08, WEEKS)
    base = np.maximum(base, 0.2)
    return base / base.sum()


def _surge_weights() -> np.ndarray:
    w = np.arange(1, WEEKS + 1)
    surge = np.exp(-(((w - 33) / 4.0) ** 2))
    return surge / surge.sum()


def national_instance(
    persons: int = 12_000, seed: int = 1, family: str = "baseline", name: str | None = None
) -> dict[str, Any]:
    """A year's input: about ``persons`` persons in households with arrival weeks, and the 98
    municipalities with their year's quotas and capacities (a JSON-ready dict)."""
    if family not in SPECS:
        raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")
    spec = SPECS[family]
    rng = np.random.default_rng([seed, FAMILIES.index(family)])
    places, table = municipality_table()
    munis = _municipality_features(places, spec, rng)
    households = _households(persons, spec, rng)
    national = int(math.ceil(sum(h["persons"] for h in households) / (1 - spec.quota_headroom)))
    quotas = _quotas(national, places, table)
    for m, q in zip(munis, quotas, strict=True):
        m["quota"] = int(q)
    _capacities(munis, households, quotas, spec, rng)
    _ties(households, munis, rng)
    return {
        "name": name or f"{family} year, {persons:,} persons, seed {seed}",
        "year": 2025,
        "rules": {"large_family_persons": 6, "network_bonus": 0.02, "unassigned_penalty": 100},
        "scores": {"source": "synthetic"},
        "names": {"nationalities": NATIONALITY_NAMES, "languages": LANGUAGE_NAMES},
        "households": households,
        "municipalities": munis,
    }


def synthetic_municipalities(seed: int = 1) -> dict[str, dict[str, Any]]:
    """The 98 municipalities' synthetic features (labour market, jobs open without
    qualifications, residents by nationality and by language) by code, as the baseline
    family draws them: what the agency's pages score with until real figures are loaded."""
    places, _table = municipality_table()
    rng = np.random.default_rng([seed, FAMILIES.index("baseline")])
    return {m["id"]: m for m in _municipality_features(places, SPECS["baseline"], rng)}


def _municipality_features(places: list[Place], spec: Family, rng) -> list[dict]:
    population = np.array([p.population for p in places], dtype=float)
    non_western = np.array([p.non_western for p in places], dtype=float)
    region_effect = np.array(
        [REGION_LABOUR[REGIONS.index(p.region)] if p.region in REGIONS else 0.0 for p in places]
    )
    lab = 0.45 * np.log(population / np.median(population)) + region_effect
    lab = lab + rng.normal(0, 0.45, len(places))
    lab = (lab - lab.mean()) / lab.std()
    low = np.clip(0.25 - 0.04 * lab + rng.normal(0, 0.04, len(places)), 0.08, 0.45)
    out = [
        {
            "id": p.code,
            "name": p.name,
            "population": p.population,
            "labour_market": round(float(lab_j), 4),
            "low_skill_jobs": round(float(low_j), 4),
            "countrymen": {},
            "speakers": {},
        }
        for p, lab_j, low_j in zip(places, lab, low, strict=True)
    ]
    # refugee-background groups live where non-Western residents live, more or less bunched
    where = np.maximum(non_western, 1.0) ** (spec.network_exponent / 1.25)
    for code, language, _, _, _, residents in NATIONALITIES:
        spread = where * rng.lognormal(0.0, spec.network_spread, len(places))
        counts = _apportion(spread, residents)
        # a group absent from a small municipality is common
        counts[rng.random(len(places)) < 0.15 * (population < 30_000)] = 0
        for m, c in zip(out, counts, strict=True):
            if c:
                m["countrymen"][code] = int(c)
                m["speakers"][language] = m["speakers"].get(language, 0) + int(c)
    return out


def _households(persons: int, spec: Family, rng: np.random.Generator) -> list[dict[str, Any]]:
    shares = _nationality_shares(spec)
    out: list[dict[str, Any]] = []
    total = 0
    while total < persons:
        h = _household(rng, int(rng.choice(len(NATIONALITIES), p=shares)))
        if total + h["persons"] > persons + 2:
            continue  # the last household fills the target (within two persons)
        out.append(h)
        total += h["persons"]
    weeks = _week_weights(spec, rng)
    if spec.surge:
        # the surge: one group (Ukraine) arrives mostly in a few weeks
        surge = _surge_weights()
        surge_nat = "UA"
        for h in out:
            in_surge = h["nationality"] == surge_nat and rng.random() < 0.85
            p = surge if in_surge else weeks
            h["arrival_week"] = int(rng.choice(WEEKS, p=p)) + 1
    else:
        arrival = rng.choice(WEEKS, size=len(out), p=weeks) + 1
        for h, w in zip(out, arrival, strict=True):
            h["arrival_week"] = int(w)
    out.sort(key=lambda h: h["arrival_week"])
    for k, h in enumerate(out, start=1):
        h["id"] = f"H{k:05d}"
    return [{"id": h.pop("id"), **h} for h in out]


def _capacities(munis, households, quotas: np.ndarray, spec: Family, rng) -> None:
    """What is left of each capacity this year, sized from the expected intake with slack."""
    share = quotas / max(quotas.sum(), 1)
    big = 6
    need = {
        "language_school": sum(h["adults"] for h in households),
        "treatment": sum(1 for h in households if h.get("needs", {}).get("treatment")),
        "large_family": sum(1 for h in households if h["persons"] >= big),
        "unaccompanied_minor": sum(
            h["persons"] for h in households if h.get("needs", {}).get("unaccompanied_minor")
        ),
    }
    pop = np.array([m["population"] for m in munis], dtype=float)
    rank = np.argsort(np.argsort(-pop)) / len(munis)  # 0 for the largest
    has = {
        "language_school": np.ones(len(munis), dtype=bool),
        "treatment": rng.random(len(munis)) < spec.facility_share * (0.95 - 0.6 * rank),
        "large_family": rng.random(len(munis)) < 0.9,
        "unaccompanied_minor": rng.random(len(munis)) < spec.facility_share * (0.9 - 0.5 * rank),
    }
    for kind, total in need.items():
        weights = np.where(has[kind], share, 0.0)
        weights = weights * rng.uniform(0.8, 1.2, len(munis))
        slack = rng.uniform(*spec.capacity_slack)
        places = np.ceil(weights / max(weights.sum(), 1e-12) * total * slack).astype(int)
        for m, c in zip(munis, places, strict=True):
            m.setdefault("capacities", {})[kind] = int(c)


def _ties(households, munis, rng) -> None:
    """About 8 % of households (not minors) must go where close family lives: a municipality
    with countrymen, chosen by their number, that has room for the household's needs. Ties
    take at most half of a municipality's quota and of each capacity, as in real years."""
    left = [
        {"quota": m["quota"] / 2, **{k: v / 2 for k, v in m["capacities"].items()}} for m in munis
    ]
    for h in households:
        if h.get("needs", {}).get("unaccompanied_minor") or rng.random() >= 0.08:
            continue
        needs = h.get("needs", {})
        use = {
            "quota": h["persons"],
            "language_school": h["adults"],
            "treatment": 1 if needs.get("treatment") else 0,
            "large_family": 1 if h["persons"] >= 6 else 0,
        }
        weights = np.array([m["countrymen"].get(h["nationality"], 0) for m in munis], float)
        for j, room in enumerate(left):
            if any(u > room[k] for k, u in use.items() if u):
                weights[j] = 0
        if weights.sum() > 0:
            j = int(rng.choice(len(munis), p=weights / weights.sum()))
            h["family_tie"] = munis[j]["id"]
            for k, u in use.items():
                left[j][k] -= u


def batch_instance(
    persons: int = 12_000, seed: int = 1, family: str = "baseline"
) -> dict[str, Any]:
    """One batch for ``ankomst place national``: the year's households all at once."""
    data = national_instance(persons, seed, family)
    data["name"] = f"{family} batch, {persons:,} persons, seed {seed}"
    return data
