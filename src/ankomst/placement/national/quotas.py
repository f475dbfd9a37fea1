"""Statutory quotas: how many refugees each municipality (Land, county) is to receive in a year.

Every rule here turns a national number into whole-person quotas in the same three steps:

1. an exact *target* per area, a fraction of a person (``fractions.Fraction``): the rule's
   arithmetic (shares, computed and provisional numbers, negatives set to zero and the
   difference spread), kept per area so that a page can show how each number came about;
2. whole persons by the largest-remainder (Hamilton) method, so that the quotas add up to the
   national number exactly; ties in the remainder go to the lower code;
3. optionally, agreed exchanges between municipalities of one region on top.

The rules (sources in ``docs/placement-national.md``):

- ``danish``: boligplaceringsbekendtgørelsen (no. 550 of 2022) § 4, integrationsloven §§ 6–8;
- ``population``: a plain population key, optionally in blocks (Ukrainians under the special act);
- ``koenigstein``: a weighted key from the table's weights (Germany: 2/3 tax revenue,
  1/3 population);
- ``swedish``: bosättningslagen (2016:38): county figures first, then municipal figures within
  each county, each by a weighted key whose weights are data in the table.

Arithmetic is exact (fractions, not floats) so that the sums are exact and a tie in the
remainders is a real tie, not floating-point noise. Tables are data files under
``ankomst/placement/data/quotas/``, loaded and validated by ``load_table``.

Plain Python: no Django import, like the rest of ``ankomst.placement``.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from importlib import resources
from pathlib import Path

KEYS = ("danish", "population", "koenigstein", "swedish")
TABLE_KINDS = ("danish", "weighted", "swedish")
_DEFAULT_KEY = {"danish": "danish", "weighted": "koenigstein", "swedish": "swedish"}


class QuotaError(ValueError):
    """Quotas cannot be computed from these inputs; the message says why in plain words."""


class TableError(QuotaError):
    """A quota table is not valid: every problem names the file, the line and the field."""

    def __init__(self, source: str, problems: Sequence[str]):
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


class ExchangeError(QuotaError):
    """An agreed exchange is refused (across regions, or it would leave a quota negative)."""


class RevisionError(QuotaError):
    """A revision of the national number cannot keep what was already assigned."""


# ---------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class Region:
    """A region (Danish region, Swedish county) whose quota is the sum of its areas' quotas."""

    code: str
    name: str
    figures: Mapping[str, Fraction] = field(default_factory=dict)

    def figure(self, column: str) -> Fraction:
        return self.figures[column]


@dataclass(frozen=True)
class Area:
    """One area that receives a quota: a municipality, a German Land, a Swedish municipality.

    ``region`` is the code of its region, or ``""`` in a table without regions (the Länder).
    ``figures`` holds every other numeric column of the table by its header, e.g.
    ``non_western`` and ``reunified`` for Denmark.
    """

    code: str
    name: str
    region: str
    population: int
    figures: Mapping[str, Fraction] = field(default_factory=dict)

    def figure(self, column: str) -> Fraction:
        if column == "population":
            return Fraction(self.population)
        return self.figures[column]


@dataclass(frozen=True)
class QuotaTable:
    """The figures a rule works on: areas, their regions, and the weights of a weighted key.

    ``kind`` says which rule the table was made for (``danish``, ``weighted``, ``swedish``);
    every table also works with the plain ``population`` key. ``weights`` are the area-level
    weights of a weighted key (column → weight), ``region_weights`` the county-level weights
    of the Swedish key.
    """

    name: str
    kind: str
    areas: tuple[Area, ...]
    regions: tuple[Region, ...] = ()
    weights: Mapping[str, Fraction] = field(default_factory=dict)
    region_weights: Mapping[str, Fraction] = field(default_factory=dict)
    title: str = ""

    @property
    def default_key(self) -> str:
        return _DEFAULT_KEY.get(self.kind, "population")

    def area(self, code: str) -> Area:
        for area in self.areas:
            if area.code == code:
                return area
        raise QuotaError(f"{self.name} has no area with code {code!r}")

    def region_name(self, code: str) -> str:
        for region in self.regions:
            if region.code == code:
                return region.name
        return code


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class QuotaRow:
    """How one area's quota came about, stage by stage (exact fractions of a person).

    - ``share``: its share under the key (Danish: population share − (non-Western share −
      population share); may be negative). For the Swedish key: its share of its county.
    - ``computed``: share × the number the share applies to (Danish: national number +
      family members reunified nationally; Swedish: the county figure).
    - ``provisional``: computed − family members reunified who arrived here (Danish); else
      equal to ``computed``.
    - ``redistributed``: after negatives were set to 0 and the difference to the national
      number was spread over the positive ones in proportion.
    - ``target``: the exact number that was rounded; equal to ``redistributed`` except in a
      revision, where an area is held at what it has already received.
    - ``rounded``: whole persons by largest remainder; ``by_remainder`` says it got one of the
      persons left over after every area's whole part.
    - ``assigned``/``held``: in a revision, what it had already received and whether it was
      held at that figure.
    - ``exchanged``: net persons from agreed exchanges (negative: given to others).
    - ``inputs``: the figures the key used (shares of each column, reunified arrived, ...).
    """

    code: str
    name: str
    region: str
    share: Fraction
    computed: Fraction
    provisional: Fraction
    redistributed: Fraction
    target: Fraction
    rounded: int
    by_remainder: bool
    inputs: Mapping[str, Fraction] = field(default_factory=dict)
    assigned: int = 0
    held: bool = False
    exchanged: int = 0

    @property
    def quota(self) -> int:
        """The quota: the rule's whole number plus any agreed exchanges."""
        return self.rounded + self.exchanged


@dataclass(frozen=True)
class RegionQuota:
    """A region's quota: the sum of its areas' quotas.

    ``share`` is the sum of its areas' shares (Danish) or the county's share under the
    county weights (Swedish); ``target`` the exact figure before rounding.
    """

    code: str
    name: str
    share: Fraction
    target: Fraction
    quota: int
    areas: int


@dataclass(frozen=True)
class QuotaResult:
    """Quotas for every area and region, with the intermediate figures and notes on the way.

    ``national_number`` is the number distributed (the quotas always add up to it);
    ``base`` the number the shares were applied to (Danish: national number + reunified
    nationally). ``notes`` say in words what happened beyond the plain arithmetic
    (negatives set to zero, ties, exchanges, areas held in a revision).
    """

    key: str
    table: str
    national_number: int
    base: int
    rows: tuple[QuotaRow, ...]
    regions: tuple[RegionQuota, ...]
    notes: tuple[str, ...] = ()
    reunified_nationally: int = 0
    block_size: int | None = None
    blocks: tuple[Mapping[str, int], ...] = ()

    @property
    def total(self) -> int:
        return sum(row.quota for row in self.rows)

    def row(self, code: str) -> QuotaRow:
        for row in self.rows:
            if row.code == code:
                return row
        raise QuotaError(f"no quota for code {code!r} in {self.table}")

    def quota(self, code: str) -> int:
        return self.row(code).quota

    def quotas(self) -> dict[str, int]:
        return {row.code: row.quota for row in self.rows}

    def region_quotas(self) -> dict[str, int]:
        return {region.code: region.quota for region in self.regions}

    def explain(self, code: str) -> str:
        """One area's way to its quota in a sentence or two, for a page or the CLI."""
        row = self.row(code)
        parts = [f"{row.name} ({row.code}): share {_pct(row.share)}"]
        if self.key == "danish":
            parts.append(
                f"computed {_num(row.computed)} (share × {self.base:,}), provisional "
                f"{_num(row.provisional)} (less {_num(row.inputs.get('reunified', 0), 0)} "
                "reunified arrived here)"
            )
        else:
            parts.append(f"computed {_num(row.computed)}")
        if row.provisional <= 0:
            parts.append("negative or zero, so set to 0")
        parts.append(f"after redistribution {_num(row.redistributed)}")
        if row.held:
            parts.append(f"held at the {row.assigned} persons already received")
        elif row.target != row.redistributed:
            parts.append(f"revised target {_num(row.target)}")
        rounding = "one more for the largest remainders" if row.by_remainder else "whole part"
        parts.append(f"rounded {row.rounded} ({rounding})")
        if row.exchanged:
            parts.append(f"agreed exchanges {row.exchanged:+d}")
        parts.append(f"quota {row.quota}")
        return "; ".join(parts) + "."

    def as_dict(self) -> dict:
        """Plain JSON-ready data (fractions as floats) for a file, an API or a page."""
        return {
            "table": self.table,
            "key": self.key,
            "national_number": self.national_number,
            "base": self.base,
            "reunified_nationally": self.reunified_nationally,
            "block_size": self.block_size,
            "areas": [
                {
                    "code": row.code,
                    "name": row.name,
                    "region": row.region,
                    "share": float(row.share),
                    "computed": float(row.computed),
                    "provisional": float(row.provisional),
                    "redistributed": float(row.redistributed),
                    "target": float(row.target),
                    "rounded": row.rounded,
                    "by_remainder": row.by_remainder,
                    "assigned": row.assigned,
                    "held": row.held,
                    "exchanged": row.exchanged,
                    "quota": row.quota,
                    "inputs": {name: float(value) for name, value in row.inputs.items()},
                }
                for row in self.rows
            ],
            "regions": [
                {
                    "code": region.code,
                    "name": region.name,
                    "share": float(region.share),
                    "target": float(region.target),
                    "quota": region.quota,
                    "areas": region.areas,
                }
                for region in self.regions
            ],
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------------------------------------
# The shared steps: spreading a difference, rounding to whole persons


def code_order(code: str) -> tuple:
    """Sort key for codes: numerically when all digits ("99" before "101"), else as text."""
    return (0, int(code), code) if code.isdigit() else (1, 0, code)


def largest_remainder(targets: Mapping[str, Fraction], total: int) -> tuple[dict[str, int], set]:
    """Whole persons by the largest-remainder (Hamilton) method.

    Each area gets the whole part of its target; the persons left over go one each to the
    areas with the largest remainders, ties to the lower code. ``targets`` must be
    non-negative and add up to ``total`` exactly. Returns the whole numbers and the codes that
    got one of the left-over persons.
    """
    if any(value < 0 for value in targets.values()):
        raise QuotaError("largest remainder needs non-negative targets")
    if sum(targets.values(), Fraction(0)) != total:
        raise QuotaError(f"the targets add up to {_num(sum(targets.values()))}, not {total}")
    whole = {code: math.floor(value) for code, value in targets.items()}
    left = total - sum(whole.values())
    ranked = sorted(targets, key=lambda code: (-(targets[code] - whole[code]), code_order(code)))
    extra = set(ranked[:left])
    for code in extra:
        whole[code] += 1
    return whole, extra


def apportion(weights: Mapping[str, Fraction], total: int) -> dict[str, int]:
    """``total`` whole persons in proportion to non-negative ``weights`` (largest remainder)."""
    weight_sum = sum(weights.values(), Fraction(0))
    if total == 0:
        return {code: 0 for code in weights}
    if weight_sum <= 0:
        raise QuotaError(f"nothing to divide {total} persons by: every weight is zero")
    return largest_remainder({c: total * w / weight_sum for c, w in weights.items()}, total)[0]


def spread(values: Mapping[str, Fraction], total: int) -> dict[str, Fraction]:
    """Negatives become 0; the difference to ``total`` is spread over the positive values.

    The difference (the sum of the positive values minus ``total``) is spread in proportion
    to the positive values themselves, so each positive value is scaled by the same factor
    and stays positive: one pass is enough, nothing can turn negative and need another.
    (Boligplaceringsbekendtgørelsen § 4 stk. 5 spreads the difference "forholdsmæssigt" over
    the municipalities with a positive provisional number; we read that as in proportion to
    those provisional numbers.)
    """
    if total == 0:
        return {code: Fraction(0) for code in values}
    positive = {code: value for code, value in values.items() if value > 0}
    positive_sum = sum(positive.values(), Fraction(0))
    if positive_sum <= 0:
        raise QuotaError(
            f"no area has a positive provisional number, so the national number {total} "
            "cannot be distributed by this rule"
        )
    return {
        code: (positive[code] * total / positive_sum if code in positive else Fraction(0))
        for code in values
    }


@dataclass(frozen=True)
class _Stage:
    """The exact figures of one area before rounding, as a rule computed them."""

    share: Fraction
    computed: Fraction
    provisional: Fraction
    redistributed: Fraction
    inputs: Mapping[str, Fraction] = field(default_factory=dict)


def _rows(
    table: QuotaTable, stages: Mapping[str, _Stage], rounded: Mapping[str, int], extra: set
) -> tuple[QuotaRow, ...]:
    return tuple(
        QuotaRow(
            code=area.code,
            name=area.name,
            region=area.region,
            share=stages[area.code].share,
            computed=stages[area.code].computed,
            provisional=stages[area.code].provisional,
            redistributed=stages[area.code].redistributed,
            target=stages[area.code].redistributed,
            rounded=rounded[area.code],
            by_remainder=area.code in extra,
            inputs=stages[area.code].inputs,
        )
        for area in table.areas
    )


def _regions(
    table: QuotaTable,
    rows: Sequence[QuotaRow],
    county: Mapping[str, tuple[Fraction, Fraction]] | None = None,
) -> tuple[RegionQuota, ...]:
    """Each region's quota as the sum of its areas' quotas (and, for counties, their key)."""
    result = []
    for region in table.regions:
        members = [row for row in rows if row.region == region.code]
        if county is not None:
            share, target = county[region.code]
        else:
            share = sum((row.share for row in members), Fraction(0))
            target = sum((row.target for row in members), Fraction(0))
        result.append(
            RegionQuota(
                code=region.code,
                name=region.name,
                share=share,
                target=target,
                quota=sum(row.quota for row in members),
                areas=len(members),
            )
        )
    return tuple(result)


def _tie_notes(table: QuotaTable, targets: Mapping[str, Fraction], extra: set) -> list[str]:
    """Say where a tie in the remainders was broken by code (a reader would wonder)."""
    notes = []
    whole = {code: math.floor(value) for code, value in targets.items()}
    remainders = {code: targets[code] - whole[code] for code in targets}
    cut = [remainders[code] for code in extra]
    if not cut:
        return notes
    lowest_in = min(cut)
    tied = [code for code, r in remainders.items() if r == lowest_in and r > 0]
    left_out = [code for code in tied if code not in extra]
    if left_out:
        names = {area.code: f"{area.name} ({area.code})" for area in table.areas}
        got = sorted((c for c in tied if c in extra), key=code_order)
        notes.append(
            f"Tie in the remainders ({_num(lowest_in, 4)}): "
            + ", ".join(names[c] for c in got)
            + " got the last person(s) by the lower code before "
            + ", ".join(names[c] for c in sorted(left_out, key=code_order))
            + "."
        )
    return notes


def _check_number(value: object, what: str = "the national number") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise QuotaError(f"{what} must be a whole number of persons, not {value!r}")
    if value < 0:
        raise QuotaError(f"{what} cannot be negative ({value})")
    return value


def _label(area: Area) -> str:
    return f"{area.name} ({area.code})"


# ---------------------------------------------------------------------------------------------
# The rules


def danish_quotas(
    table: QuotaTable, national_number: int, *, reunified_nationally: int | None = None
) -> QuotaResult:
    """Municipal and regional quotas by boligplaceringsbekendtgørelsen (no. 550 of 2022) § 4.

    For each municipality:

    - share = population share − (share of immigrants and descendants from non-Western
      countries − population share), i.e. 2 × population share − non-Western share;
    - computed = share × (national number + family members reunified with refugees
      nationally in the previous year; ``reunified_nationally``, by default the sum of the
      table's ``reunified`` column);
    - provisional = computed − family members reunified who arrived in that municipality;
    - negatives become 0 and the difference to the national number is spread over the
      positive ones in proportion (``spread``);
    - whole persons by largest remainder; a region's quota is the sum of its municipalities'.
    """
    _check_number(national_number)
    if table.kind != "danish":
        raise QuotaError(f"the Danish key needs a Danish table; {table.name} is {table.kind}")
    areas = table.areas
    population = sum(area.population for area in areas)
    non_western = sum((area.figure("non_western") for area in areas), Fraction(0))
    if population <= 0 or non_western <= 0:
        raise QuotaError(
            f"{table.name}: the Danish key needs a positive total population and a positive "
            "total of immigrants and descendants from non-Western countries"
        )
    reunified_here = {area.code: area.figure("reunified") for area in areas}
    if reunified_nationally is None:
        reunified = sum(reunified_here.values(), Fraction(0))
        if reunified.denominator != 1:
            raise QuotaError(f"{table.name}: the reunified column must hold whole persons")
        reunified_nationally = int(reunified)
    _check_number(reunified_nationally, "the number of family members reunified nationally")
    base = national_number + reunified_nationally
    stages: dict[str, _Stage] = {}
    provisional: dict[str, Fraction] = {}
    for area in areas:
        population_share = Fraction(area.population, population)
        non_western_share = area.figure("non_western") / non_western
        share = population_share - (non_western_share - population_share)
        computed = share * base
        provisional[area.code] = computed - reunified_here[area.code]
        stages[area.code] = _Stage(
            share,
            computed,
            provisional[area.code],
            Fraction(0),
            {
                "population_share": population_share,
                "non_western_share": non_western_share,
                "reunified": reunified_here[area.code],
            },
        )
    redistributed = spread(provisional, national_number)
    stages = {
        code: replace(stage, redistributed=redistributed[code]) for code, stage in stages.items()
    }
    rounded, extra = largest_remainder(redistributed, national_number)
    notes = []
    zeroed = [area for area in areas if provisional[area.code] <= 0]
    if zeroed and national_number:
        positive_sum = sum((v for v in provisional.values() if v > 0), Fraction(0))
        notes.append(
            "Set to 0 (provisional number not positive): "
            + ", ".join(f"{_label(a)} {_num(provisional[a.code])}" for a in zeroed)
            + f". The positive provisional numbers add up to {_num(positive_sum)}; the "
            f"difference of {_num(positive_sum - national_number)} to the national number "
            "was spread over them in proportion."
        )
    if reunified_nationally != sum(reunified_here.values()):
        notes.append(
            f"Reunified nationally ({reunified_nationally}) differs from the sum of the "
            f"table's reunified column ({_num(sum(reunified_here.values()), 0)})."
        )
    notes += _tie_notes(table, redistributed, extra)
    rows = _rows(table, stages, rounded, extra)
    return QuotaResult(
        key="danish",
        table=table.name,
        national_number=national_number,
        base=base,
        rows=rows,
        regions=_regions(table, rows),
        notes=tuple(notes),
        reunified_nationally=reunified_nationally,
    )


def population_quotas(
    table: QuotaTable, national_number: int, *, block_size: int | None = None
) -> QuotaResult:
    """Quotas by population share alone, optionally block by block.

    Without ``block_size`` the whole number is divided at once. With it (Ukrainians under the
    Danish special act: blocks of 10,000) the number is cut into blocks of ``block_size``
    (the last one smaller), each block is divided by population share with its own largest
    remainder, and an area's quota is the sum over the blocks — what it would have received
    as the blocks were announced one after another. That sum can differ by a person or two
    from dividing the whole number at once.
    """
    _check_number(national_number)
    if block_size is not None and (
        isinstance(block_size, bool) or not isinstance(block_size, int) or block_size <= 0
    ):
        raise QuotaError(f"the block size must be a positive whole number, not {block_size!r}")
    population = sum(area.population for area in table.areas)
    if population <= 0:
        raise QuotaError(f"{table.name}: the population key needs a positive total population")
    shares = {area.code: Fraction(area.population, population) for area in table.areas}
    if block_size is None:
        blocks = (apportion(shares, national_number),)
        rounded = blocks[0]
    else:
        # Every full block divides alike: divide one and count it ``full`` times.
        full, rest = divmod(national_number, block_size)
        whole_block = apportion(shares, block_size) if full else {}
        last_block = apportion(shares, rest) if rest else {}
        blocks = (whole_block,) * full + ((last_block,) if rest else ())
        rounded = {
            code: full * whole_block.get(code, 0) + last_block.get(code, 0) for code in shares
        }
    exact = {code: share * national_number for code, share in shares.items()}
    extra = {code for code in shares if rounded[code] > math.floor(exact[code])}
    stages = {
        code: _Stage(share, exact[code], exact[code], exact[code], {"population_share": share})
        for code, share in shares.items()
    }
    if block_size is None:
        notes = _tie_notes(table, exact, extra)
    else:
        notes = [
            f"Divided in {len(blocks)} block(s) of at most {block_size:,}, each by largest "
            "remainder."
        ]
    rows = _rows(table, stages, rounded, extra)
    return QuotaResult(
        key="population",
        table=table.name,
        national_number=national_number,
        base=national_number,
        rows=rows,
        regions=_regions(table, rows),
        notes=tuple(notes),
        block_size=block_size,
        blocks=blocks if block_size is not None else (),
    )


def _weighted_shares(
    items: Sequence[Area] | Sequence[Region], weights: Mapping[str, Fraction], where: str
) -> tuple[dict[str, Fraction], dict[str, dict[str, Fraction]]]:
    """Each item's share = Σ weight × (its figure / the column's total), over Σ weights.

    A negative weight (e.g. for earlier reception) lowers the share and can make it
    negative; the caller sets negatives to zero with ``spread``.
    """
    if not weights:
        raise QuotaError(f"{where}: no weights for a weighted key")
    weight_sum = sum(weights.values(), Fraction(0))
    if weight_sum <= 0:
        raise QuotaError(f"{where}: the weights must add up to more than zero")
    totals = {}
    for column in weights:
        totals[column] = sum((item.figure(column) for item in items), Fraction(0))
        if totals[column] <= 0:
            raise QuotaError(f"{where}: the column {column!r} adds up to zero")
    shares, inputs = {}, {}
    for item in items:
        column_shares = {f"{c}_share": item.figure(c) / totals[c] for c in weights}
        shares[item.code] = (
            sum((weights[c] * column_shares[f"{c}_share"] for c in weights), Fraction(0))
            / weight_sum
        )
        inputs[item.code] = column_shares
    return shares, inputs


def weighted_quotas(
    table: QuotaTable,
    national_number: int,
    *,
    weights: Mapping[str, Fraction] | None = None,
    key: str = "koenigstein",
) -> QuotaResult:
    """Quotas by a weighted key over the table's columns (by default the table's weights).

    Germany's Königstein key: share = 2/3 × share of tax revenue + 1/3 × share of population,
    from the table ``de-2024``. Negative shares (only possible with a negative weight) become
    0 and the rest is spread in proportion; whole persons by largest remainder.
    """
    _check_number(national_number)
    weights = dict(table.weights if weights is None else weights)
    shares, inputs = _weighted_shares(table.areas, weights, table.name)
    computed = {code: share * national_number for code, share in shares.items()}
    redistributed = spread(computed, national_number)
    rounded, extra = largest_remainder(redistributed, national_number)
    stages = {
        code: _Stage(
            shares[code], computed[code], computed[code], redistributed[code], inputs[code]
        )
        for code in shares
    }
    rows = _rows(table, stages, rounded, extra)
    weights_text = ", ".join(f"{c} {w}" for c, w in weights.items())
    return QuotaResult(
        key=key,
        table=table.name,
        national_number=national_number,
        base=national_number,
        rows=rows,
        regions=_regions(table, rows),
        notes=(f"Weights: {weights_text}.", *_tie_notes(table, redistributed, extra)),
    )


def swedish_quotas(table: QuotaTable, national_number: int) -> QuotaResult:
    """County figures (länstal), then municipal figures (kommuntal) within each county.

    Bosättningslagen (2016:38): the government sets the county figures and each county
    administrative board divides its county's figure among its municipalities. Both levels
    here use a weighted key whose weights are data in the table (``region_weights`` for the
    counties, ``weights`` for the municipalities); both round by largest remainder, so the
    counties add up to the national number and each county's municipalities to its figure.
    A row's ``share`` is its share of its county; the county's own share is in ``regions``.
    """
    _check_number(national_number)
    if table.kind != "swedish" or not table.regions:
        raise QuotaError(f"the Swedish key needs a Swedish table; {table.name} is {table.kind}")
    county_shares, _ = _weighted_shares(
        table.regions, table.region_weights, f"{table.name} counties"
    )
    county_computed = {code: s * national_number for code, s in county_shares.items()}
    county_target = spread(county_computed, national_number)
    county_figure, county_extra = largest_remainder(county_target, national_number)
    stages: dict[str, _Stage] = {}
    rounded: dict[str, int] = {}
    extra: set = set()
    for county in table.regions:
        members = [area for area in table.areas if area.region == county.code]
        figure = county_figure[county.code]
        if not members:
            if figure:
                raise QuotaError(
                    f"{county.name} ({county.code}) has no municipalities to "
                    f"receive its figure of {figure}"
                )
            continue
        shares, inputs = _weighted_shares(members, table.weights, f"{table.name}, {county.name}")
        computed = {code: share * figure for code, share in shares.items()}
        redistributed = spread(computed, figure)
        whole, got = largest_remainder(redistributed, figure)
        rounded.update(whole)
        extra |= got
        for code in shares:
            stages[code] = _Stage(
                shares[code],
                computed[code],
                computed[code],
                redistributed[code],
                {**inputs[code], "county_figure": Fraction(figure)},
            )
    rows = _rows(table, stages, rounded, extra)
    regions = _regions(
        table, rows, {c.code: (county_shares[c.code], county_target[c.code]) for c in table.regions}
    )
    notes = [
        "County weights: "
        + ", ".join(f"{c} {w}" for c, w in table.region_weights.items())
        + "; municipal weights: "
        + ", ".join(f"{c} {w}" for c, w in table.weights.items())
        + ".",
    ]
    return QuotaResult(
        key="swedish",
        table=table.name,
        national_number=national_number,
        base=national_number,
        rows=rows,
        regions=regions,
        notes=tuple(notes),
    )


def compute_quotas(
    table: QuotaTable,
    national_number: int,
    *,
    key: str | None = None,
    reunified_nationally: int | None = None,
    block_size: int | None = None,
) -> QuotaResult:
    """Quotas by ``key`` (by default the table's own: danish, koenigstein or swedish).

    Refuses options that do not apply to the key (the reunified number outside the Danish
    key, a block size outside the population key) rather than ignoring them.
    """
    key = key or table.default_key
    if key not in KEYS:
        raise QuotaError(f"unknown key {key!r}; choose one of {', '.join(KEYS)}")
    if reunified_nationally is not None and key != "danish":
        raise QuotaError("the number of family members reunified applies to the Danish key only")
    if block_size is not None and key != "population":
        raise QuotaError("a block size applies to the population key only")
    if key == "danish":
        return danish_quotas(table, national_number, reunified_nationally=reunified_nationally)
    if key == "population":
        return population_quotas(table, national_number, block_size=block_size)
    if key == "koenigstein":
        if not table.weights:
            raise QuotaError(f"{table.name} has no weights for a weighted (Königstein) key")
        return weighted_quotas(table, national_number)
    return swedish_quotas(table, national_number)


# ---------------------------------------------------------------------------------------------
# Agreed exchanges


@dataclass(frozen=True)
class Exchange:
    """``persons`` of ``giver``'s quota taken over by ``receiver`` (same region), as agreed."""

    giver: str
    receiver: str
    persons: int


def apply_exchanges(
    result: QuotaResult, exchanges: Iterable[Exchange | tuple[str, str, int]]
) -> QuotaResult:
    """The quotas with agreed exchanges between municipalities of one region on top.

    Municipalities of a region may agree to move persons of their quotas between them
    (boligplaceringsbekendtgørelsen § 5: the region's municipalities agree by 10 September).
    Refused with an ``ExchangeError`` naming the municipality: an unknown code, an exchange
    with itself or of no persons, one across regions (or in a table without regions), and
    any set of exchanges that would leave a quota negative (or, after a revision, below what a
    municipality has already received). Each region's sum and the national sum do not change,
    since every person taken from one municipality is given to another of the same region.
    """
    rows = {row.code: row for row in result.rows}
    delta = {code: 0 for code in rows}
    moves: dict[str, list[str]] = {code: [] for code in rows}
    notes = []

    region_names = {region.code: region.name for region in result.regions}

    def label(code: str) -> str:
        return f"{rows[code].name} ({code})"

    for item in exchanges:
        try:
            exchange = item if isinstance(item, Exchange) else Exchange(*item)
        except TypeError:
            raise ExchangeError(f"an exchange is (from, to, persons), not {item!r}") from None
        giver, receiver, persons = exchange.giver, exchange.receiver, exchange.persons
        for code in (giver, receiver):
            if code not in rows:
                raise ExchangeError(
                    f"exchange {giver} → {receiver}: no municipality with "
                    f"code {code!r} in {result.table}"
                )
        if isinstance(persons, bool) or not isinstance(persons, int) or persons <= 0:
            raise ExchangeError(
                f"exchange {label(giver)} → {label(receiver)}: the number of "
                f"persons must be a positive whole number, not {persons!r}"
            )
        if giver == receiver:
            raise ExchangeError(f"exchange of {persons} from {label(giver)} to itself")
        from_region, to_region = rows[giver].region, rows[receiver].region
        if not from_region or from_region != to_region:
            raise ExchangeError(
                f"exchange of {persons} from {label(giver)} to {label(receiver)} refused: "
                f"exchanges are agreed within one region, and {label(giver)} is in "
                f"{region_names.get(from_region, from_region) or 'no region'} while "
                f"{label(receiver)} is in {region_names.get(to_region, to_region) or 'no region'}"
            )
        delta[giver] -= persons
        delta[receiver] += persons
        moves[giver].append(f"gives {persons} to {label(receiver)}")
        moves[receiver].append(f"takes {persons} from {label(giver)}")
        notes.append(f"Agreed exchange: {persons} from {label(giver)} to {label(receiver)}.")
    for code in sorted(rows, key=code_order):
        row = rows[code]
        after = row.quota + delta[code]
        floor = row.assigned
        if after < floor:
            reason = (
                "negative" if floor == 0 else f"below the {floor} persons it has already received"
            )
            raise ExchangeError(
                f"the exchanges would leave {label(code)} with a quota of {after}, {reason}: "
                f"its quota is {row.quota} and it " + ", ".join(moves[code])
            )
    new_rows = tuple(replace(row, exchanged=row.exchanged + delta[row.code]) for row in result.rows)
    regions = tuple(
        replace(region, quota=sum(r.quota for r in new_rows if r.region == region.code))
        for region in result.regions
    )
    return replace(result, rows=new_rows, regions=regions, notes=result.notes + tuple(notes))


# ---------------------------------------------------------------------------------------------
# Revision of the national number


def revision_due(announced: int, estimate: int) -> bool:
    """Whether a new estimate moves far enough from the announced national number to revise it.

    Integrationsloven § 6: the national number is revised when the estimate moves by more
    than 40 % from a national number of up to 8,000, or by more than 25 % from one above
    8,000 (either way, up or down). Exact integer arithmetic, so exactly 40 % is not "more".
    """
    _check_number(announced, "the announced national number")
    _check_number(estimate, "the estimate")
    limit_percent = 40 if announced <= 8000 else 25
    return abs(estimate - announced) * 100 > limit_percent * announced


def revise(
    table: QuotaTable,
    new_national_number: int,
    assigned: Mapping[str, int],
    *,
    key: str | None = None,
    reunified_nationally: int | None = None,
) -> QuotaResult:
    """Quotas for a revised national number that keep what was already assigned.

    The rule is applied to the new number (``compute_quotas``); a municipality whose exact
    figure falls below what it has already received is held at that; the rest of the new
    number is spread over the others in proportion to their figures under the rule, and again
    until no one left falls below what it has received; whole persons by largest remainder
    among those not held. So no revised quota is below what was assigned and the quotas add
    up to the new number exactly. (For the Swedish key the two levels are not redone: the
    municipal figures under the new number are the weights.) A new number below what has
    already been assigned in total is refused with a ``RevisionError``.
    """
    _check_number(new_national_number, "the new national number")
    base = compute_quotas(
        table, new_national_number, key=key, reunified_nationally=reunified_nationally
    )
    rows = {row.code: row for row in base.rows}
    for code, persons in assigned.items():
        if code not in rows:
            raise RevisionError(f"assigned persons for an unknown code {code!r} in {table.name}")
        _check_number(persons, f"the persons assigned to {rows[code].name} ({code})")
    already = {code: assigned.get(code, 0) for code in rows}
    total_assigned = sum(already.values())
    if new_national_number < total_assigned:
        raise RevisionError(
            f"the new national number {new_national_number:,} is below the "
            f"{total_assigned:,} persons already assigned; it cannot keep what was assigned"
        )
    weights = {code: row.redistributed for code, row in rows.items()}
    held: set[str] = set()
    free = set(rows)
    while True:
        remaining = new_national_number - sum(already[c] for c in held)
        weight_sum = sum((weights[c] for c in free), Fraction(0))
        if remaining == 0 or weight_sum == 0:
            targets = {c: Fraction(0) for c in free}
        else:
            targets = {c: remaining * weights[c] / weight_sum for c in free}
        below = {c for c in free if targets[c] < already[c]}
        if not below:
            break
        held |= below
        free -= below
    whole, extra = largest_remainder(targets, remaining) if free else ({}, set())
    new_rows = []
    for area in table.areas:
        row = rows[area.code]
        if area.code in held:
            new_rows.append(
                replace(
                    row,
                    target=Fraction(already[area.code]),
                    rounded=already[area.code],
                    by_remainder=False,
                    assigned=already[area.code],
                    held=True,
                )
            )
        else:
            new_rows.append(
                replace(
                    row,
                    target=targets[area.code],
                    rounded=whole[area.code],
                    by_remainder=area.code in extra,
                    assigned=already[area.code],
                    held=False,
                )
            )
    # The rule's own tie note spoke of its rounding; the revised rounding has its own.
    notes = [note for note in base.notes if not note.startswith("Tie in the remainders")]
    notes += _tie_notes(table, targets, extra) if free else []
    if held:
        notes.append(
            "Held at what they have already received: "
            + ", ".join(
                f"{_label(table.area(c))} {already[c]} (the rule gives {_num(weights[c])})"
                for c in sorted(held, key=code_order)
            )
            + f"; the other {new_national_number - sum(already[c] for c in held):,} were "
            "spread over the rest in proportion to their figures under the rule."
        )
    result = replace(base, rows=tuple(new_rows), notes=tuple(notes))
    return replace(
        result,
        regions=tuple(
            replace(
                region,
                target=sum((r.target for r in new_rows if r.region == region.code), Fraction(0)),
                quota=sum(r.quota for r in new_rows if r.region == region.code),
            )
            for region in result.regions
        ),
    )


# ---------------------------------------------------------------------------------------------
# Loading tables


def shipped_tables_dir() -> Path:
    """The folder of the tables shipped with Ankomst (``placement/data/quotas``)."""
    return Path(str(resources.files("ankomst.placement").joinpath("data", "quotas")))


def shipped_tables() -> tuple[str, ...]:
    """The names of the shipped tables, e.g. ``dk-2024``."""
    return tuple(sorted(path.stem for path in shipped_tables_dir().glob("*.json")))


def load_table(name_or_path: str | Path) -> QuotaTable:
    """A table by the name of a shipped one (``dk-2024``) or by the path of its JSON manifest.

    The manifest names the kind, the CSV files and the weights, e.g.::

        {"kind": "danish", "title": "...", "regions": "dk-2024-regions.csv",
         "areas": "dk-2024-municipalities.csv"}

    Raises ``TableError`` naming the file, line and field of every problem.
    """
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        shipped = shipped_tables_dir() / f"{path.name}.json"
        if not shipped.exists():
            raise TableError(
                str(name_or_path),
                [
                    f"no such file, and no shipped table of that name "
                    f"(shipped: {', '.join(shipped_tables())})"
                ],
            )
        path = shipped
    manifest = _read_manifest(path)
    loader = {
        "danish": load_danish_table,
        "weighted": load_weighted_table,
        "swedish": load_swedish_table,
    }[manifest["kind"]]
    return loader(path)


def load_danish_table(path: str | Path) -> QuotaTable:
    """A Danish table: regions (code, name) and municipalities (code, name, region,
    population, non_western, reunified), every figure a non-negative whole number."""
    path = Path(path)
    manifest = _read_manifest(path, expect="danish")
    regions = _read_regions(path, manifest, ())
    areas = _read_areas(path, manifest, ("non_western", "reunified"), regions, whole=True)
    return QuotaTable(
        name=path.stem, kind="danish", areas=areas, regions=regions, title=manifest.get("title", "")
    )


def load_weighted_table(path: str | Path) -> QuotaTable:
    """A table for a weighted key such as Königstein: areas (code, name, population and the
    weighted columns; region optional) and the weights (column → fraction) in the manifest."""
    path = Path(path)
    manifest = _read_manifest(path, expect="weighted")
    weights = _weights(path, manifest, "weights")
    regions = _read_regions(path, manifest, ()) if "regions" in manifest else ()
    columns = tuple(c for c in weights if c != "population")
    areas = _read_areas(path, manifest, columns, regions, whole=False)
    return QuotaTable(
        name=path.stem,
        kind="weighted",
        areas=areas,
        regions=regions,
        weights=weights,
        title=manifest.get("title", ""),
    )


def load_swedish_table(path: str | Path) -> QuotaTable:
    """A Swedish table: counties with the county-level columns, municipalities with the
    municipal ones, and the weights of both levels in the manifest."""
    path = Path(path)
    manifest = _read_manifest(path, expect="swedish")
    region_weights = _weights(path, manifest, "region_weights")
    weights = _weights(path, manifest, "weights")
    regions = _read_regions(path, manifest, tuple(c for c in region_weights))
    areas = _read_areas(
        path, manifest, tuple(c for c in weights if c != "population"), regions, whole=False
    )
    return QuotaTable(
        name=path.stem,
        kind="swedish",
        areas=areas,
        regions=regions,
        weights=weights,
        region_weights=region_weights,
        title=manifest.get("title", ""),
    )


def _read_manifest(path: Path, expect: str | None = None) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TableError(str(path), [f"cannot read it: {exc.strerror or exc}"]) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        hint = (
            " (a table is named by its JSON manifest, not by a CSV file)"
            if (path.suffix.lower() == ".csv")
            else ""
        )
        raise TableError(str(path), [f"not valid JSON{hint}: {exc}"]) from exc
    if not isinstance(data, dict):
        raise TableError(str(path), ["the manifest must be a JSON object"])
    kind = data.get("kind")
    if kind not in TABLE_KINDS:
        raise TableError(str(path), [f"kind: {kind!r} is not one of {', '.join(TABLE_KINDS)}"])
    if expect is not None and kind != expect:
        raise TableError(str(path), [f"kind: {kind!r}, but a {expect} table was expected"])
    for name in ("areas",) + (("regions",) if kind in ("danish", "swedish") else ()):
        if not isinstance(data.get(name), str):
            raise TableError(str(path), [f"{name}: the name of a CSV file is required"])
    return data


def _weights(path: Path, manifest: dict, name: str) -> dict[str, Fraction]:
    raw = manifest.get(name)
    if not isinstance(raw, dict) or not raw:
        raise TableError(str(path), [f"{name}: an object of column → weight is required"])
    weights, problems = {}, []
    for column, value in raw.items():
        try:
            weights[column] = Fraction(str(value))
        except (ValueError, ZeroDivisionError):
            problems.append(f"{name}.{column}: {value!r} is not a number or fraction like 2/3")
    if not problems and sum(weights.values()) <= 0:
        problems.append(f"{name}: the weights must add up to more than zero")
    if problems:
        raise TableError(str(path), problems)
    return weights


def _read_csv(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with a header (comma or semicolon), with their line numbers."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise TableError(str(path), [f"cannot read it: {exc.strerror or exc}"]) from exc
    except UnicodeDecodeError as exc:
        raise TableError(str(path), [f"not UTF-8 text: {exc}"]) from exc
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise TableError(str(path), ["the file is empty; a header line is required"])
    delimiter = ";" if ";" in lines[0] and "," not in lines[0] else ","
    try:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        header = [h.strip() for h in next(reader)]
        missing = [column for column in required if column not in header]
        if missing:
            raise TableError(
                str(path),
                [
                    f"line 1 (header): missing column(s) {', '.join(missing)}; "
                    f"the header is {','.join(header)}"
                ],
            )
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise TableError(
                    str(path),
                    [f"line {number}: {len(cells)} fields where the header has {len(header)}"],
                )
            rows.append((number, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    except csv.Error as exc:
        raise TableError(str(path), [f"not valid CSV: {exc}"]) from exc
    if not rows:
        raise TableError(str(path), ["no rows below the header"])
    return rows


def _number(value: str, whole: bool) -> Fraction:
    """A non-negative figure from a cell; raises ValueError with the reason."""
    try:
        number = Fraction(value.replace("_", ""))
    except (ValueError, ZeroDivisionError):
        raise ValueError("is not a number") from None
    if number < 0:
        raise ValueError("is negative")
    if whole and number.denominator != 1:
        raise ValueError("is not a whole number")
    return number


def _named_rows(rows, problems: list[str]):
    """(cells, where) of every row whose code is given and seen once; an empty or repeated
    code drops the row, an empty name is noted, each as a problem naming the line."""
    seen: dict[str, int] = {}
    for line, cells in rows:
        code = cells["code"]
        where = f"line {line} (code {code or '?'})"
        if not code:
            problems.append(f"line {line}, code: empty")
            continue
        if code in seen:
            problems.append(f"{where}, code: appears twice (first on line {seen[code]})")
            continue
        seen[code] = line
        if not cells["name"]:
            problems.append(f"{where}, name: empty")
        yield cells, where


def _figures(
    cells: dict[str, str], columns: Sequence[str], whole: bool, where: str, problems: list[str]
) -> dict[str, Fraction]:
    """The row's numeric ``columns``; a bad value is a problem naming the line and column."""
    figures = {}
    for column in columns:
        try:
            figures[column] = _number(cells[column], whole=whole)
        except ValueError as exc:
            problems.append(f"{where}, {column}: {cells[column]!r} {exc}")
    return figures


def _read_regions(path: Path, manifest: dict, columns: Sequence[str]) -> tuple[Region, ...]:
    file = path.parent / manifest["regions"]
    rows = _read_csv(file, ("code", "name", *columns))
    regions, problems = [], []
    for cells, where in _named_rows(rows, problems):
        figures = _figures(cells, columns, False, where, problems)
        regions.append(Region(code=cells["code"], name=cells["name"], figures=figures))
    if problems:
        raise TableError(str(file), problems)
    return tuple(regions)


def _read_areas(
    path: Path, manifest: dict, columns: Sequence[str], regions: Sequence[Region], whole: bool
) -> tuple[Area, ...]:
    file = path.parent / manifest["areas"]
    needs_region = bool(regions) or "regions" in manifest
    required = ("code", "name", *(("region",) if needs_region else ()), "population", *columns)
    rows = _read_csv(file, required)
    region_codes = {region.code for region in regions}
    areas, problems = [], []
    for cells, where in _named_rows(rows, problems):
        region = cells.get("region", "") if needs_region else ""
        if needs_region and region not in region_codes:
            problems.append(
                f"{where}, region: {region!r} is not one of the regions in {manifest['regions']}"
            )
        try:
            population = _number(cells["population"], whole=True)
        except ValueError as exc:
            problems.append(f"{where}, population: {cells['population']!r} {exc}")
            population = Fraction(0)
        figures = _figures(cells, columns, whole, where, problems)
        areas.append(
            Area(
                code=cells["code"],
                name=cells["name"],
                region=region,
                population=int(population),
                figures=figures,
            )
        )
    if problems:
        raise TableError(str(file), problems)
    return tuple(areas)


# ---------------------------------------------------------------------------------------------
# Formatting for notes


def _num(value: Fraction | int, digits: int = 2) -> str:
    return f"{float(value):,.{digits}f}"


def _pct(value: Fraction) -> str:
    return f"{float(value) * 100:.3f} %"
