"""The housing department's figures that are data, not code: the rent budget a household's
expected income allows, and the yearly cap on what it pays for temporary accommodation."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources

from ankomst.people.ages import ADULT_AGE
from ankomst.people.models import age_on


@cache
def _data(name: str) -> dict:
    return json.loads(resources.files("ankomst.housing").joinpath(f"data/{name}").read_text())


@dataclass(frozen=True)
class Composition:
    adults: int
    child_ages: tuple[int, ...]

    @property
    def persons(self) -> int:
        return self.adults + len(self.child_ages)


def composition(dates_of_birth, on: dt.date) -> Composition:
    """Adults and children's ages on ``on``; an unknown date of birth counts as an adult."""
    adults, children = 0, []
    for born in dates_of_birth:
        age = age_on(born, on)
        if age is None or age >= ADULT_AGE:
            adults += 1
        else:
            children.append(max(age, 0))
    if adults == 0:  # an unaccompanied minor: the engine houses them as one person
        adults, children = 1, children[1:]
    return Composition(adults, tuple(sorted(children, reverse=True)))


def rent_budget(c: Composition) -> Decimal:
    """The monthly rent the household's expected income allows (an assumed model: see the file)."""
    data = _data("rent-budget.json")
    income = data["monthly_income"]
    per_adult = income["single_adult"] if c.adults == 1 else income["adult_in_couple"]
    total = per_adult * c.adults + income["per_child"] * len(c.child_ages)
    return (Decimal(str(total)) * Decimal(str(data["rent_share"]))).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Cap:
    amount: Decimal
    year: int  # the year of the table used
    asked: int  # the year asked for; a later year than the table uses its latest figures

    @property
    def latest_known(self) -> bool:
        return self.year != self.asked


def temporary_cap(c: Composition, on: dt.date) -> Cap:
    """The most a household pays a month for temporary accommodation (integrationsloven § 12)."""
    years = {int(y): v for y, v in _data("temporary-caps.json")["years"].items()}
    known = [y for y in years if y <= on.year] or [min(years)]
    year = max(known)
    table = years[year]
    children = len(c.child_ages)
    if children >= 4:
        key = "children_4_plus"
    elif children >= 1:
        key = "children_1_3"
    else:
        key = "couple" if c.adults >= 2 else "single"
    return Cap(Decimal(str(table[key])), year, on.year)


def temporary_caps_table() -> dict[int, dict[str, Decimal]]:
    """Every year's caps, for the page that shows them."""
    years = _data("temporary-caps.json")["years"]
    return {int(y): {k: Decimal(str(v)) for k, v in t.items()} for y, t in sorted(years.items())}


def budget_table() -> dict:
    """The assumed income model behind the rent budgets, for the page that shows it."""
    data = _data("rent-budget.json")
    return {
        "share": Decimal(str(data["rent_share"])),
        "income": {k: Decimal(str(v)) for k, v in data["monthly_income"].items()},
        "source": data["_source"],
    }
