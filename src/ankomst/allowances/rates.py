"""Rate tables as data: one JSON file per country and year in ``data/rates/``.

A table lists *components* (basic allowance, child supplement, ...). Each component
has ordered ``not_paid`` rules (first match: a zero line with the reason) and ordered
``rates`` (first match: the rate that applies). Both match on a ``when`` object of
conditions on the facts the engine knows about a person on the cut-off date, so the
Danish and the Swedish rules are the same engine with different data.

Every rate and deduction rule says whether it is confirmed by a source; unconfirmed
values carry a note so the UI can say so and an administrator can correct them.
No Django import here: the engine and its tables must run without a database.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

RATES_DIR = Path(__file__).parent / "data" / "rates"

AppliesTo = Literal["adult", "child", "unaccompanied_minor"]
Unit = Literal["day", "period"]
Kind = Literal["cash", "in_kind"]
ChildOrder = Literal["oldest_first", "youngest_first"]
ConditionValue = int | str | bool

# The facts a ``when`` object may test, with the values each accepts.
# age_min / age_max are inclusive bounds on the age in whole years on the cut-off date.
CONDITION_VALUES: dict[str, tuple[ConditionValue, ...] | type] = {
    "age_min": int,
    "age_max": int,
    "household_type": ("single", "couple"),
    "catering": ("canteen", "self_catering"),
    "phase": ("before_decision", "after_decision"),
    "contract": (True, False),
    "food_money": (True, False),
    "unaccompanied_minor": (True, False),
    "lives_with_parents": (True, False),
    "child_tier": str,  # checked against the component's own tiers
}

_FILE_NAME = re.compile(r"^(?P<country>[a-z]{2})-(?P<year>\d{4})\.json$")


class RateTableError(ValueError):
    """A rate file is missing or invalid. The message names the file and the field."""


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
    components: tuple[Component, ...]
    pocket_money: Component | None
    source_name: str
    # sha256 of the canonical JSON; a payment records it so one can tell which table made it.
    digest: str

    def unconfirmed(self) -> list[dict[str, str | None]]:
        """Every value no source confirms, for the UI to flag."""
        items: list[dict[str, str | None]] = []
        comps = self.components + ((self.pocket_money,) if self.pocket_money else ())
        seen_rules: set[str] = set()
        for comp in comps:
            for rate in comp.rates:
                if not rate.confirmed:
                    items.append(
                        {
                            "component": comp.code,
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
                        "component": comp.code,
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
    """Load and validate the table for ``country`` ("DK", "SE") and ``year``."""
    path = rates_path(country, year, directory)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RateTableError(
            f"no rate table for {country.upper()} {year}: {path} does not exist"
        ) from None
    try:
        # parse_float=Decimal: amounts written as JSON numbers stay exact.
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise RateTableError(f"{path.name}: not valid JSON: {exc}") from None
    table = parse_rates(data, source_name=path.name)
    if (table.country, table.year) != (country.upper(), year):
        raise RateTableError(
            f"{path.name}: country/year: the file says {table.country} {table.year}, "
            f"its name says {country.upper()} {year}"
        )
    return table


def parse_rates(data: Any, *, source_name: str = "<rates>") -> RateTable:
    """Validate a decoded rate file and build the table; errors name the field."""
    return _Parser(source_name).table(data)


class _Parser:
    def __init__(self, source_name: str) -> None:
        self.source = source_name

    def fail(self, path: str, message: str) -> RateTableError:
        return RateTableError(f"{self.source}: {path}: {message}")

    # primitive readers

    def obj(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected an object, got {type(value).__name__}")
        return value

    def keys(
        self, obj: Mapping[str, Any], path: str, required: set[str], optional: set[str]
    ) -> None:
        missing = sorted(required - obj.keys())
        if missing:
            raise self.fail(
                f"{path}.{missing[0]}" if path else missing[0], "required field is missing"
            )
        unknown = sorted(obj.keys() - required - optional)
        if unknown:
            raise self.fail(f"{path}.{unknown[0]}" if path else unknown[0], "unknown field")

    def optional_text(self, value: Any, path: str) -> str | None:
        return None if value is None else self.text(value, path)

    def optional_integer(self, value: Any, path: str, *, minimum: int = 0) -> int | None:
        return None if value is None else self.integer(value, path, minimum=minimum)

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, f"expected a non-empty string, got {value!r}")
        return value

    def integer(self, value: Any, path: str, *, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(path, f"expected a whole number >= {minimum}, got {value!r}")
        return value

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {value!r}")
        return value

    def decimal(self, value: Any, path: str, *, places: int | None = 2) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise self.fail(path, f'expected a decimal number such as "58.41", got {value!r}')
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.fail(
                path, f'expected a decimal number such as "58.41", got {value!r}'
            ) from None
        if not number.is_finite() or number < 0:
            raise self.fail(path, f"expected a finite amount >= 0, got {value!r}")
        exponent = number.as_tuple().exponent
        if places is not None and isinstance(exponent, int) and exponent < -places:
            raise self.fail(path, f"at most {places} decimals (øre), got {value!r}")
        return number

    def choice(self, value: Any, path: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise self.fail(path, f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    def provenance(self, obj: Mapping[str, Any], path: str) -> tuple[bool, str | None, str | None]:
        confirmed = self.boolean(obj.get("confirmed"), f"{path}.confirmed")
        source = self.optional_text(obj.get("source"), f"{path}.source")
        note = self.optional_text(obj.get("note"), f"{path}.note")
        if confirmed and not source:
            raise self.fail(f"{path}.source", "a confirmed value must name its source")
        if not confirmed and not note:
            raise self.fail(f"{path}.note", "an unconfirmed value must carry a note saying why")
        return confirmed, source, note

    # structure

    def table(self, data: Any) -> RateTable:
        root = self.obj(data, "(file)")
        self.keys(
            root,
            "",
            {"country", "year", "currency", "components"},
            {"child_order", "deduction_rules", "pocket_money", "description"},
        )
        country = self.text(root["country"], "country")
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise self.fail(
                "country", f"expected a two-letter upper-case country code, got {country!r}"
            )
        year = self.integer(root["year"], "year", minimum=1900)
        currency = self.text(root["currency"], "currency")
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise self.fail("currency", f"expected an ISO 4217 code such as DKK, got {currency!r}")
        child_order = self.choice(
            root.get("child_order", "oldest_first"),
            "child_order",
            ("oldest_first", "youngest_first"),
        )

        rules: dict[str, DeductionRule] = {}
        raw_rules = self.obj(root.get("deduction_rules", {}), "deduction_rules")
        for code, raw in raw_rules.items():
            rules[code] = self.deduction_rule(code, raw, f"deduction_rules.{code}")

        raw_components = root["components"]
        if not isinstance(raw_components, list) or not raw_components:
            raise self.fail("components", "expected a non-empty list")
        components = tuple(
            self.component(raw, f"components[{i}]", rules) for i, raw in enumerate(raw_components)
        )
        codes = [c.code for c in components]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                raise self.fail(f"components[{i}].code", f"duplicate component code {code!r}")
        for i, comp in enumerate(components):
            if comp.applies_to == "unaccompanied_minor":
                raise self.fail(
                    f"components[{i}].applies_to", "unaccompanied_minor belongs in pocket_money"
                )

        pocket = None
        if "pocket_money" in root:
            pocket = self.component(root["pocket_money"], "pocket_money", rules)
            if pocket.applies_to != "unaccompanied_minor":
                raise self.fail("pocket_money.applies_to", "expected unaccompanied_minor")

        canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
        return RateTable(
            country=country,
            year=year,
            currency=currency,
            child_order=child_order,  # type: ignore[arg-type]
            components=components,
            pocket_money=pocket,
            source_name=self.source,
            digest=hashlib.sha256(canonical.encode()).hexdigest(),
        )

    def deduction_rule(self, code: str, raw: Any, path: str) -> DeductionRule:
        obj = self.obj(raw, path)
        self.keys(
            obj,
            path,
            {"description", "days_deducted_per_absence_day", "withhold_above_days", "confirmed"},
            {"source", "note"},
        )
        confirmed, source, note = self.provenance(obj, path)
        return DeductionRule(
            code=code,
            description=self.text(obj["description"], f"{path}.description"),
            days_deducted_per_absence_day=self.decimal(
                obj["days_deducted_per_absence_day"],
                f"{path}.days_deducted_per_absence_day",
                places=None,
            ),
            withhold_above_days=self.optional_integer(
                obj["withhold_above_days"], f"{path}.withhold_above_days"
            ),
            confirmed=confirmed,
            source=source,
            note=note,
        )

    def component(self, raw: Any, path: str, rules: Mapping[str, DeductionRule]) -> Component:
        obj = self.obj(raw, path)
        self.keys(
            obj,
            path,
            {"code", "name", "applies_to", "unit", "kind", "rates"},
            {"deduction", "child_tiers", "not_paid", "description"},
        )
        applies_to = self.choice(
            obj["applies_to"], f"{path}.applies_to", ("adult", "child", "unaccompanied_minor")
        )
        unit = self.choice(obj["unit"], f"{path}.unit", ("day", "period"))
        deduction = None
        if obj.get("deduction") is not None:
            code = self.text(obj["deduction"], f"{path}.deduction")
            if code not in rules:
                raise self.fail(
                    f"{path}.deduction", f"no deduction rule {code!r} in deduction_rules"
                )
            if unit != "day":
                raise self.fail(f"{path}.deduction", "deductions apply to daily components only")
            deduction = rules[code]

        tiers = self.child_tiers(obj.get("child_tiers", []), f"{path}.child_tiers")
        if tiers and applies_to != "child":
            raise self.fail(
                f"{path}.child_tiers", "child tiers only apply to components for children"
            )
        tier_names = {t.name for t in tiers}

        raw_not_paid = obj.get("not_paid", [])
        if not isinstance(raw_not_paid, list):
            raise self.fail(f"{path}.not_paid", "expected a list")
        not_paid = []
        for i, raw_np in enumerate(raw_not_paid):
            p = f"{path}.not_paid[{i}]"
            np_obj = self.obj(raw_np, p)
            self.keys(np_obj, p, {"when", "code", "reason"}, set())
            not_paid.append(
                NotPaid(
                    when=self.when(np_obj["when"], f"{p}.when", tier_names),
                    code=self.text(np_obj["code"], f"{p}.code"),
                    reason=self.text(np_obj["reason"], f"{p}.reason"),
                )
            )

        raw_rates = obj["rates"]
        if not isinstance(raw_rates, list) or not raw_rates:
            raise self.fail(f"{path}.rates", "expected a non-empty list")
        rates = []
        for i, raw_rate in enumerate(raw_rates):
            p = f"{path}.rates[{i}]"
            r_obj = self.obj(raw_rate, p)
            self.keys(
                r_obj, p, {"when", "amount", "label", "confirmed"}, {"protected", "source", "note"}
            )
            confirmed, source, note = self.provenance(r_obj, p)
            amount = self.decimal(r_obj["amount"], f"{p}.amount")
            protected = self.decimal(r_obj.get("protected", "0"), f"{p}.protected")
            if protected > amount:
                raise self.fail(
                    f"{p}.protected", f"the protected part {protected} exceeds the amount {amount}"
                )
            rates.append(
                Rate(
                    when=self.when(r_obj["when"], f"{p}.when", tier_names),
                    amount=amount,
                    protected=protected,
                    label=self.text(r_obj["label"], f"{p}.label"),
                    confirmed=confirmed,
                    source=source,
                    note=note,
                )
            )
        return Component(
            code=self.text(obj["code"], f"{path}.code"),
            name=self.text(obj["name"], f"{path}.name"),
            applies_to=applies_to,  # type: ignore[arg-type]
            unit=unit,  # type: ignore[arg-type]
            kind=self.choice(obj["kind"], f"{path}.kind", ("cash", "in_kind")),  # type: ignore[arg-type]
            deduction=deduction,
            child_tiers=tiers,
            not_paid=tuple(not_paid),
            rates=tuple(rates),
        )

    def child_tiers(self, raw: Any, path: str) -> tuple[ChildTier, ...]:
        if not isinstance(raw, list):
            raise self.fail(path, "expected a list")
        tiers = []
        expected_from = 1
        for i, raw_tier in enumerate(raw):
            p = f"{path}[{i}]"
            obj = self.obj(raw_tier, p)
            self.keys(obj, p, {"tier", "from_rank", "to_rank", "label"}, {"factor"})
            from_rank = self.integer(obj["from_rank"], f"{p}.from_rank", minimum=1)
            to_rank = self.optional_integer(obj["to_rank"], f"{p}.to_rank", minimum=from_rank)
            if from_rank != expected_from:
                raise self.fail(
                    f"{p}.from_rank", f"tiers must follow on without gaps: expected {expected_from}"
                )
            if to_rank is None and i != len(raw) - 1:
                raise self.fail(f"{p}.to_rank", "only the last tier may be open-ended")
            tiers.append(
                ChildTier(
                    name=self.text(obj["tier"], f"{p}.tier"),
                    from_rank=from_rank,
                    to_rank=to_rank,
                    factor=self.decimal(obj.get("factor", "1"), f"{p}.factor", places=None),
                    label=self.text(obj["label"], f"{p}.label"),
                )
            )
            expected_from = (to_rank or 0) + 1
        if tiers and tiers[-1].to_rank is not None:
            raise self.fail(
                f"{path}[{len(tiers) - 1}].to_rank", "the last tier must be open-ended (null)"
            )
        return tuple(tiers)

    def when(
        self, raw: Any, path: str, tier_names: set[str]
    ) -> tuple[tuple[str, ConditionValue], ...]:
        obj = self.obj(raw, path)
        out: list[tuple[str, ConditionValue]] = []
        for key, value in obj.items():
            p = f"{path}.{key}"
            if key not in CONDITION_VALUES:
                raise self.fail(p, f"unknown condition; known: {', '.join(CONDITION_VALUES)}")
            allowed = CONDITION_VALUES[key]
            if allowed is int:
                self.integer(value, p)
            elif key == "child_tier":
                if value not in tier_names:
                    raise self.fail(p, f"no child tier {value!r} in this component")
            elif isinstance(allowed, tuple) and (
                value not in allowed or type(value) is not type(allowed[0])
            ):
                raise self.fail(p, f"expected one of {', '.join(map(str, allowed))}, got {value!r}")
            out.append((key, value))
        return tuple(sorted(out))
