"""Rate tables as data: one JSON file per country and year in ``data/rates/``.

A table lists *components* (basic allowance, child supplement, ...). Each component
has ordered ``not_paid`` rules (first match: a zero line with the reason) and ordered
``rates`` (first match: the rate that applies). Both match on a ``when`` object of
conditions on the facts the engine knows about a person on the cut-off date, so the
Danish and the Swedish rules are the same engine with different data.

Every rate and deduction rule says whether it is confirmed by a source; unconfirmed
values carry a note so the UI can say so and an administrator can correct them.
The structure of a file is a JSON Schema (``data/rate-table.schema.json``); what a
schema cannot say (a tier named by a rate exists, tiers follow on without gaps, ...)
is checked here after it. No Django import: the engine and its tables must run
without a database.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

RATES_DIR = Path(__file__).parent / "data" / "rates"
SCHEMA_PATH = Path(__file__).parent / "data" / "rate-table.schema.json"

AppliesTo = Literal["adult", "child", "unaccompanied_minor"]
Unit = Literal["day", "period"]
Kind = Literal["cash", "in_kind"]
ChildOrder = Literal["oldest_first", "youngest_first"]
ConditionValue = int | str | bool
# The conditions a ``when`` object may test, and their values: see the schema's "when".

_FILE_NAME = re.compile(r"^(?P<country>[a-z]{2})-(?P<year>\d{4})\.json$")


class RateTableError(ValueError):
    """A rate file is invalid. The message names the file and the field."""


class MissingRateTable(RateTableError):
    """No rate table for a country and year: an administrator has to add the year's rates."""

    def __init__(self, country: str, year: int) -> None:
        self.country = country.upper()
        self.year = year
        super().__init__(f"no rate table for {self.country} {year}")


@dataclass(frozen=True)
class Rate:
    when: tuple[tuple[str, ConditionValue], ...]
    amount: Decimal
    # Part of the daily amount that a deduction never touches (the Swedish food part).
    protected: Decimal
    label: str
    confirmed: bool
    source: str | None
    note: str | None


@dataclass(frozen=True)
class NotPaid:
    when: tuple[tuple[str, ConditionValue], ...]
    code: str
    reason: str


@dataclass(frozen=True)
class ChildTier:
    name: str
    from_rank: int
    to_rank: int | None
    factor: Decimal
    label: str


@dataclass(frozen=True)
class DeductionRule:
    code: str
    description: str
    # Each unexcused absence day removes this many days of the deductible rate.
    days_deducted_per_absence_day: Decimal
    # More unexcused absence days than this withholds the whole deductible part.
    withhold_above_days: int | None
    confirmed: bool
    source: str | None
    note: str | None
    # The length of the period ``withhold_above_days`` is set for; a shorter period has
    # the limit in proportion (None: the limit is the same for any length).
    period_days: int | None = None


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    applies_to: AppliesTo
    unit: Unit
    kind: Kind
    deduction: DeductionRule | None
    child_tiers: tuple[ChildTier, ...]
    not_paid: tuple[NotPaid, ...]
    rates: tuple[Rate, ...]

    def tier_for_rank(self, rank: int) -> ChildTier:
        for tier in self.child_tiers:
            if rank >= tier.from_rank and (tier.to_rank is None or rank <= tier.to_rank):
                return tier
        raise LookupError(f"{self.code}: no child tier covers rank {rank}")  # validated on load


@dataclass(frozen=True)
class RateTable:
    country: str
    year: int
    currency: str
    child_order: ChildOrder
    # Which child counts as the first for the tiers, why (``child_order_rule``), and the
    # short citation of that convention that every child's line carries.
    child_order_rule: str | None
    child_order_source: str | None
    components: tuple[Component, ...]
    pocket_money: Component | None
    source_name: str
    # sha256 of the canonical JSON; a payment records it so one can tell which table made it.
    digest: str

    def unconfirmed(self) -> list[dict[str, str | None]]:
        """Every value no source confirms, for the UI to flag (``explain.unconfirmed_item``
        names an entry in the reader's language)."""
        items: list[dict[str, str | None]] = []
        comps = self.components + ((self.pocket_money,) if self.pocket_money else ())
        seen_rules: set[str] = set()
        for comp in comps:
            for rate in comp.rates:
                if not rate.confirmed:
                    items.append(
                        {
                            "kind": "rate",
                            "component": comp.code,
                            "code": rate.label,
                            "item": rate.label,
                            "amount": str(rate.amount),
                            "note": rate.note,
                        }
                    )
            rule = comp.deduction
            if rule and not rule.confirmed and rule.code not in seen_rules:
                seen_rules.add(rule.code)
                items.append(
                    {
                        "kind": "deduction",
                        "component": comp.code,
                        "code": rule.code,
                        "item": f"deduction rule {rule.code}",
                        "amount": None,
                        "note": rule.note,
                    }
                )
        return items


# --- loading ---------------------------------------------------------------------------


def rates_path(country: str, year: int, directory: Path | None = None) -> Path:
    return (directory or RATES_DIR) / f"{country.lower()}-{year}.json"


def available_rate_tables(directory: Path | None = None) -> list[tuple[str, int]]:
    """(country, year) of every rate file, sorted."""
    found = []
    for path in (directory or RATES_DIR).glob("*.json"):
        m = _FILE_NAME.match(path.name)
        if m:
            found.append((m["country"].upper(), int(m["year"])))
    return sorted(found)


def load_rates(country: str, year: int, *, directory: Path | None = None) -> RateTable:
    """Load and validate the table for ``country`` ("DK", "SE") and ``year``.

    A table is read once and kept until its file changes (every run page reads one).
    """
    path = rates_path(country, year, directory)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise MissingRateTable(country, year) from None
    table = _load_file(path, stat.st_mtime_ns, stat.st_size)
    if (table.country, table.year) != (country.upper(), year):
        raise RateTableError(
            f"{path.name}: country/year: the file says {table.country} {table.year}, "
            f"its name says {country.upper()} {year}"
        )
    return table


@lru_cache(maxsize=64)
def _load_file(path: Path, _mtime_ns: int, _size: int) -> RateTable:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RateTableError(f"{path.name}: the file disappeared while it was read") from None
    try:
        # parse_float=Decimal: amounts written as JSON numbers stay exact (and are refused).
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise RateTableError(f"{path.name}: not valid JSON: {exc}") from None
    return parse_rates(data, source_name=path.name)


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def parse_rates(data: Any, *, source_name: str = "<rates>") -> RateTable:
    """Validate a decoded rate file and build the table; errors name the field."""
    errors = list(_validator().iter_errors(data))
    if errors:
        # The most specific place first; among equals, the first rule broken.
        error = max(errors, key=lambda e: len(e.absolute_path))
        raise RateTableError(f"{source_name}: {_schema_message(error)}")
    return _Builder(source_name).table(data)


_TYPE_NAMES = {
    "string": "a non-empty string",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


def _field_path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _schema_message(error: SchemaError) -> str:
    """``path: message`` for the first rule a file breaks, in the words of the old parser."""
    path = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    if error.validator == "required":
        missing = next(k for k in error.validator_value if k not in instance)
        return f"{_field_path([*path, missing])}: {schema.get('x-required', 'required field is missing')}"
    if error.validator == "additionalProperties":
        known = set(schema.get("properties", {}))
        unknown = sorted(k for k in instance if k not in known)[0]
        return f"{_field_path([*path, unknown])}: {schema.get('x-unknown', 'unknown field')}"
    where = _field_path(path) or "(file)"
    if "x-message" in schema:
        message = schema["x-message"]
    elif error.validator == "enum":
        message = f"expected one of {', '.join(map(str, error.validator_value))}"
    elif error.validator == "const":
        message = f"expected {error.validator_value}"
    elif error.validator == "type":
        message = f"expected {_TYPE_NAMES.get(error.validator_value, error.validator_value)}"
    elif error.validator == "minimum":
        message = f"expected a whole number >= {error.validator_value}"
    else:
        message = error.message
    return f"{where}: {message}, got {instance!r}"


class _Builder:
    """From a file the schema accepted to the table, with the checks across fields."""

    def __init__(self, source_name: str) -> None:
        self.source = source_name

    def fail(self, path: str, message: str) -> RateTableError:
        return RateTableError(f"{self.source}: {path}: {message}")

    def table(self, data: Mapping[str, Any]) -> RateTable:
        rules = {
            code: self.deduction_rule(code, raw)
            for code, raw in data.get("deduction_rules", {}).items()
        }
        components = tuple(
            self.component(raw, f"components[{i}]", rules)
            for i, raw in enumerate(data["components"])
        )
        codes = [c.code for c in components]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                raise self.fail(f"components[{i}].code", f"duplicate component code {code!r}")
        pocket = None
        if "pocket_money" in data:
            pocket = self.component(data["pocket_money"], "pocket_money", rules)
        canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
        return RateTable(
            country=data["country"],
            year=data["year"],
            currency=data["currency"],
            child_order=data.get("child_order", "oldest_first"),
            child_order_rule=data.get("child_order_rule"),
            child_order_source=data.get("child_order_source"),
            components=components,
            pocket_money=pocket,
            source_name=self.source,
            digest=hashlib.sha256(canonical.encode()).hexdigest(),
        )

    def deduction_rule(self, code: str, raw: Mapping[str, Any]) -> DeductionRule:
        return DeductionRule(
            code=code,
            description=raw["description"],
            days_deducted_per_absence_day=Decimal(raw["days_deducted_per_absence_day"]),
            withhold_above_days=raw["withhold_above_days"],
            confirmed=raw["confirmed"],
            source=raw.get("source"),
            note=raw.get("note"),
            period_days=raw.get("period_days"),
        )

    def component(
        self, raw: Mapping[str, Any], path: str, rules: Mapping[str, DeductionRule]
    ) -> Component:
        unit = raw["unit"]
        deduction = None
        if raw.get("deduction") is not None:
            code = raw["deduction"]
            if code not in rules:
                raise self.fail(
                    f"{path}.deduction", f"no deduction rule {code!r} in deduction_rules"
                )
            if unit != "day":
                raise self.fail(f"{path}.deduction", "deductions apply to daily components only")
            deduction = rules[code]
        tiers = self.child_tiers(raw.get("child_tiers", []), f"{path}.child_tiers")
        if tiers and raw["applies_to"] != "child":
            raise self.fail(
                f"{path}.child_tiers", "child tiers only apply to components for children"
            )
        tier_names = {t.name for t in tiers}
        not_paid = tuple(
            NotPaid(
                when=self.when(np["when"], f"{path}.not_paid[{i}].when", tier_names),
                code=np["code"],
                reason=np["reason"],
            )
            for i, np in enumerate(raw.get("not_paid", []))
        )
        rates = []
        for i, r in enumerate(raw["rates"]):
            amount = Decimal(r["amount"])
            protected = Decimal(r.get("protected", "0"))
            if protected > amount:
                raise self.fail(
                    f"{path}.rates[{i}].protected",
                    f"the protected part {protected} exceeds the amount {amount}",
                )
            rates.append(
                Rate(
                    when=self.when(r["when"], f"{path}.rates[{i}].when", tier_names),
                    amount=amount,
                    protected=protected,
                    label=r["label"],
                    confirmed=r["confirmed"],
                    source=r.get("source"),
                    note=r.get("note"),
                )
            )
        return Component(
            code=raw["code"],
            name=raw["name"],
            applies_to=raw["applies_to"],
            unit=unit,
            kind=raw["kind"],
            deduction=deduction,
            child_tiers=tiers,
            not_paid=not_paid,
            rates=tuple(rates),
        )

    def child_tiers(self, raw: list[Mapping[str, Any]], path: str) -> tuple[ChildTier, ...]:
        tiers = []
        expected_from = 1
        for i, t in enumerate(raw):
            p = f"{path}[{i}]"
            from_rank, to_rank = t["from_rank"], t["to_rank"]
            if from_rank != expected_from:
                raise self.fail(
                    f"{p}.from_rank", f"tiers must follow on without gaps: expected {expected_from}"
                )
            if to_rank is not None and to_rank < from_rank:
                raise self.fail(f"{p}.to_rank", f"expected a rank >= {from_rank}, got {to_rank}")
            if to_rank is None and i != len(raw) - 1:
                raise self.fail(f"{p}.to_rank", "only the last tier may be open-ended")
            tiers.append(
                ChildTier(
                    name=t["tier"],
                    from_rank=from_rank,
                    to_rank=to_rank,
                    factor=Decimal(t.get("factor", "1")),
                    label=t["label"],
                )
            )
            expected_from = (to_rank or 0) + 1
        if tiers and tiers[-1].to_rank is not None:
            raise self.fail(
                f"{path}[{len(tiers) - 1}].to_rank", "the last tier must be open-ended (null)"
            )
        return tuple(tiers)

    def when(
        self, raw: Mapping[str, Any], path: str, tier_names: set[str]
    ) -> tuple[tuple[str, ConditionValue], ...]:
        tier = raw.get("child_tier")
        if tier is not None and tier not in tier_names:
            raise self.fail(f"{path}.child_tier", f"no child tier {tier!r} in this component")
        return tuple(sorted(raw.items()))
