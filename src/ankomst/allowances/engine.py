"""The allowance engine: pure functions from plain data to explained payments.

The engine knows no rates and no country. It works out the facts about each person
on the cut-off date (age, adult or child, single or couple, phase, contract, food-money
scheme, rank among the children) and lets the rate table (``rates.py``) decide, per
component, whether it is paid, at which rate, and what a deduction may cut.

Money is ``Decimal``; each line is rounded half up to øre. Status is read on the
cut-off date only: a decision, a contract or a birthday after the cut-off date does
not change this period, and nothing is corrected backwards (Udlændingeloven § 42 b).

Some facts are the household's, not the person's: the catering of the centre, the
food-money scheme (when one member is in it, the household is: a child not flagged
while the parents are in the scheme is paid no cash at a canteen centre), and, for a
child without a case phase of their own, the phase of the parents' case (children
are part of their parents' case).
No Django import: payment runs in ``allowances`` call this with plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, Literal

from ankomst.allowances.rates import Component, NotPaid, Rate, RateTable
from ankomst.people.ages import ADULT_AGE

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class AllowanceInputError(ValueError):
    """The input to the engine is inconsistent (not the rates: see RateTableError)."""


class Catering(StrEnum):
    CANTEEN = "canteen"  # free meals; Sweden: "food provided"
    SELF_CATERING = "self_catering"  # Sweden: "own household"


class Phase(StrEnum):
    BEFORE_DECISION = "before_decision"
    AFTER_DECISION = "after_decision"  # decided that the case is processed in Denmark


_BEFORE, _AFTER = Phase.BEFORE_DECISION.value, Phase.AFTER_DECISION.value

# --- input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A payment period; ``cutoff`` is the day whose status decides the whole period."""

    start: date
    end: date
    cutoff: date
    # The days of a period that another operator's run does not cover (a resident who moved
    # between operators with different payment days): paid per day, while what is given once
    # per period (a child package) came with the other run.
    remainder: bool = False

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise AllowanceInputError(f"period ends ({self.end}) before it starts ({self.start})")
        # Allowances are paid in advance, so the status is read before the period begins.
        if self.cutoff > self.start:
            raise AllowanceInputError(
                f"cut-off date {self.cutoff} is after the period start {self.start}"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class PersonStatus:
    """A resident as registered; dates are compared with the cut-off date.

    ``decision_date``: the decision that the case is processed in Denmark (DK phase).
    ``food_money_since``: refused and registered as not cooperating on departure.
    ``contract_signed_on``: the residence contract (§ 42 c), while it is kept.
    ``unexcused_absence_days``: absence without reason counted for this payment (from
    attendance up to the cut-off date); in Sweden, days an activity was refused.
    ``has_case_phase``: False when no case phase is registered for the person; a child
    (under 18, or an adult who lives with their parents) then follows the parents' phase.
    """

    person_id: str
    date_of_birth: date
    decision_date: date | None = None
    food_money_since: date | None = None
    contract_signed_on: date | None = None
    partner_id: str | None = None  # spouse or cohabitant living in the same household
    unaccompanied_minor: bool = False
    lives_with_parents: bool = False  # Sweden: adults 18-20 get the couple rate
    unexcused_absence_days: int = 0
    has_case_phase: bool = True

    def __post_init__(self) -> None:
        if self.unexcused_absence_days < 0:
            raise AllowanceInputError(f"{self.person_id}: unexcused_absence_days is negative")


@dataclass(frozen=True)
class HouseholdInput:
    household_id: str
    country: str  # "DK", "SE"
    catering: Catering
    members: tuple[PersonStatus, ...]


# --- output --------------------------------------------------------------------------------

LineStatus = Literal["paid", "reduced", "withheld", "not_paid"]


@dataclass(frozen=True)
class PaymentLine:
    person_id: str | None  # None for a household-level line
    rule: str  # component code, e.g. "dk.child_supplement"
    status: LineStatus
    kind: Literal["cash", "in_kind"]
    rate: Decimal  # per unit, after any child-tier factor
    unit: Literal["day", "period"]
    units: int
    gross: Decimal
    deduction: Decimal
    amount: Decimal
    confirmed: bool  # False when the rate or deduction rule used is not confirmed
    explanation: str  # English, for the audit trail; pages show ``explain.explain_line``
    params: Mapping[str, Any] = field(default_factory=dict)

    def for_person(self, person_id: str) -> PaymentLine:
        """The same line for another person with the same facts (``params`` is shared and
        never changed). Copies the fields directly: a run hands out tens of thousands."""
        line = object.__new__(PaymentLine)
        line.__dict__.update(self.__dict__)
        line.__dict__["person_id"] = person_id
        return line

    def as_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "rule": self.rule,
            "status": self.status,
            "kind": self.kind,
            "rate": str(self.rate),
            "unit": self.unit,
            "units": self.units,
            "gross": str(self.gross),
            "deduction": str(self.deduction),
            "amount": str(self.amount),
            "confirmed": self.confirmed,
            "explanation": self.explanation,
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class Payment:
    household_id: str
    scheme: Literal["allowance", "pocket_money"]
    country: str
    currency: str
    period: Period
    rates_year: int
    rates_digest: str
    lines: tuple[PaymentLine, ...]

    @property
    def total_cash(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == "cash"), ZERO)

    @property
    def total_in_kind(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == "in_kind"), ZERO)

    @property
    def empty(self) -> bool:
        """Nobody to pay (a household without members): reported, never a confirmed zero."""
        return not self.lines

    @property
    def confirmed(self) -> bool:
        if self.empty:
            return False
        return all(line.confirmed for line in self.lines if line.amount or line.deduction)

    def lines_for(self, person_id: str) -> tuple[PaymentLine, ...]:
        return tuple(line for line in self.lines if line.person_id == person_id)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; what a payment run stores next to its totals."""
        return {
            "household_id": self.household_id,
            "scheme": self.scheme,
            "country": self.country,
            "currency": self.currency,
            "period": {
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "cutoff": self.period.cutoff.isoformat(),
            },
            "rates_year": self.rates_year,
            "rates_digest": self.rates_digest,
            "total_cash": str(self.total_cash),
            "total_in_kind": str(self.total_in_kind),
            "confirmed": self.confirmed,
            "empty": self.empty,
            "lines": [line.as_dict() for line in self.lines],
        }


# --- entry points --------------------------------------------------------------------------


def compute_period(
    household: HouseholdInput,
    period: Period,
    rates: RateTable,
    *,
    _memo: dict[tuple, PaymentLine] | None = None,
) -> Payment:
    """The payment of one household for one period, every line explained.

    A household without members gives a payment without lines, which is not confirmed
    (``Payment.empty``): nobody is paid, and a caller reports it rather than pay a zero.
    """
    _check_table(household.country, period, rates)
    memo = {} if _memo is None else _memo
    people = _facts_for_household(household, period, rates)
    lines: list[PaymentLine] = []
    for facts in people:
        signature = tuple(map(facts.get, _LINE_FACTS))
        person_id = facts["person_id"]
        for component in rates.components:
            if component.applies_to != facts["class"]:
                continue
            # Equal facts give equal lines: worked out once per run (the memo lives for one
            # period and one table), then given to each person with their own id.
            key = (component.code, signature)
            try:
                known = memo[key]
            except KeyError:
                known = memo[key] = _line(component, facts, period, rates)
            if known is not None:
                lines.append(known if known.person_id == person_id else known.for_person(person_id))
    return Payment(
        household_id=household.household_id,
        scheme="allowance",
        country=rates.country,
        currency=rates.currency,
        period=period,
        rates_year=rates.year,
        rates_digest=rates.digest,
        lines=tuple(lines),
    )


def compute_run(
    households: Iterable[HouseholdInput], period: Period, rates: RateTable
) -> list[Payment]:
    """All households of a run, ordered by household id; the same input gives the same output."""
    ordered = sorted(households, key=lambda h: h.household_id)
    seen_households: set[str] = set()
    seen_people: dict[str, str] = {}
    for household in ordered:
        if household.household_id in seen_households:
            raise AllowanceInputError(
                f"household {household.household_id} appears twice in the run"
            )
        seen_households.add(household.household_id)
        for person in household.members:
            if person.person_id in seen_people:
                raise AllowanceInputError(
                    f"person {person.person_id} is in households {seen_people[person.person_id]} "
                    f"and {household.household_id}"
                )
            seen_people[person.person_id] = household.household_id
    # Thousands of residents share the same facts (age, phase, contract, ...): each distinct
    # set of facts is worked out and explained once per run, then given to each person.
    memo: dict[tuple, PaymentLine] = {}
    return [compute_period(h, period, rates, _memo=memo) for h in ordered]


def pocket_money(minor: PersonStatus, period: Period, rates: RateTable) -> Payment:
    """Pocket money of an unaccompanied minor at a children's centre (operator practice)."""
    if rates.pocket_money is None:
        raise AllowanceInputError(
            f"the {rates.country} {rates.year} table has no pocket-money scheme"
        )
    if not minor.unaccompanied_minor:
        raise AllowanceInputError(
            f"{minor.person_id}: pocket money is for unaccompanied minors only"
        )
    _check_table(rates.country, period, rates)
    facts = _person_facts(minor, period, household_type="single", catering=None)
    facts["class"] = "unaccompanied_minor"
    line = _line(rates.pocket_money, facts, period, rates)
    return Payment(
        household_id=minor.person_id,
        scheme="pocket_money",
        country=rates.country,
        currency=rates.currency,
        period=period,
        rates_year=rates.year,
        rates_digest=rates.digest,
        lines=(line,) if line else (),
    )


def pocket_money_run(
    minors: Iterable[PersonStatus], period: Period, rates: RateTable
) -> list[Payment]:
    ordered = sorted(minors, key=lambda m: m.person_id)
    ids = [m.person_id for m in ordered]
    if len(set(ids)) != len(ids):
        raise AllowanceInputError("a minor appears twice in the pocket-money run")
    return [pocket_money(m, period, rates) for m in ordered]


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years; someone born on 29 February turns a year older on 1 March."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- facts ---------------------------------------------------------------------------------


def _check_table(country: str, period: Period, rates: RateTable) -> None:
    if country.upper() != rates.country:
        raise AllowanceInputError(
            f"a {country} household cannot be paid from the {rates.country} table"
        )
    if period.start.year != rates.year:
        raise AllowanceInputError(
            f"a period starting {period.start} needs the {period.start.year} table, not {rates.year}"
        )


def _on_or_before(day: date | None, cutoff: date) -> bool:
    return day is not None and day <= cutoff


def _person_facts(
    person: PersonStatus, period: Period, *, household_type: str, catering: str | None
) -> dict[str, Any]:
    cutoff = period.cutoff
    age = age_on(person.date_of_birth, cutoff)
    if age < 0:
        raise AllowanceInputError(f"{person.person_id}: born after the cut-off date {cutoff}")
    decided = _on_or_before(person.decision_date, cutoff)
    food_money = _on_or_before(person.food_money_since, cutoff)
    return {
        "person_id": person.person_id,
        "date_of_birth": person.date_of_birth,
        "age": age,
        "household_type": household_type,
        "catering": catering,
        "phase": _AFTER if decided else _BEFORE,
        # whose case decides the phase: the person's own, or (a child) the parents'
        "phase_from": "own",
        "decision_date": person.decision_date.isoformat() if decided else None,
        "contract": _on_or_before(person.contract_signed_on, cutoff),
        "food_money": food_money,
        "food_money_from": "own" if food_money else None,
        "unaccompanied_minor": person.unaccompanied_minor,
        "lives_with_parents": person.lives_with_parents,
        "absence_days": person.unexcused_absence_days,
    }


def _facts_for_household(
    household: HouseholdInput, period: Period, rates: RateTable
) -> list[dict[str, Any]]:
    """Facts per member, adults first (by id), then children by rank."""
    by_id: dict[str, PersonStatus] = {}
    for person in household.members:
        if person.person_id in by_id:
            raise AllowanceInputError(
                f"household {household.household_id}: {person.person_id} listed twice"
            )
        by_id[person.person_id] = person

    adults: list[dict[str, Any]] = []
    children: list[dict[str, Any]] = []
    catering = household.catering.value
    for person in household.members:
        household_type = "single"
        if person.partner_id is not None:
            partner = by_id.get(person.partner_id)
            if partner is None:
                raise AllowanceInputError(
                    f"{person.person_id}: partner {person.partner_id} is not in household "
                    f"{household.household_id}; leave partner_id empty if they do not live here"
                )
            if partner.partner_id != person.person_id:
                raise AllowanceInputError(
                    f"{person.person_id} and {partner.person_id}: partners must name each other"
                )
            household_type = "couple"
        facts = _person_facts(person, period, household_type=household_type, catering=catering)
        is_adult = facts["age"] >= ADULT_AGE or person.unaccompanied_minor
        facts["class"] = "adult" if is_adult else "child"
        facts["is_parent"] = is_adult and not (
            person.lives_with_parents or person.unaccompanied_minor
        )
        facts["follows_parents"] = not person.has_case_phase and (
            not is_adult or person.lives_with_parents
        )
        (adults if is_adult else children).append(facts)

    members = adults + children
    # The food-money scheme is the household's: one member in it puts the household in it.
    if any(f["food_money"] for f in members):
        for f in members:
            if not f["food_money"]:
                f["food_money"] = True
                f["food_money_from"] = "household"
    # A child without a case phase of their own follows the parents' case: after the
    # decision that the parents' case is processed in Denmark, the children's is too.
    parents = [f for f in adults if f["is_parent"]]
    if parents:
        decisions = sorted(f["decision_date"] for f in parents if f["decision_date"])
        for f in members:
            if f["follows_parents"]:
                f["phase_from"] = "parents"
                f["decision_date"] = decisions[0] if decisions else None
                f["phase"] = _AFTER if decisions else _BEFORE

    adults.sort(key=lambda f: f["person_id"])
    # Rank the children for the tiers (full, reduced, halved); twins by id so the order is stable.
    children.sort(
        key=lambda f: (f["date_of_birth"], f["person_id"]),
        reverse=rates.child_order == "youngest_first",
    )
    for rank, facts in enumerate(children, start=1):
        facts["child_rank"] = rank
        facts["children"] = len(children)
    return adults + children


def _matches(when: tuple[tuple[str, Any], ...], facts: Mapping[str, Any]) -> bool:
    for key, value in when:
        if key == "age_min":
            if facts["age"] < value:
                return False
        elif key == "age_max":
            if facts["age"] > value:
                return False
        elif facts.get(key) != value:
            return False
    return True


# --- one line ------------------------------------------------------------------------------

# The facts a line depends on; persons with equal facts get equal lines (but their own id).
_LINE_FACTS = (
    "age",
    "household_type",
    "catering",
    "phase",
    "phase_from",
    "decision_date",
    "contract",
    "food_money",
    "food_money_from",
    "unaccompanied_minor",
    "lives_with_parents",
    "absence_days",
    "child_rank",
    "children",
)


def _line(
    component: Component, facts: dict[str, Any], period: Period, rates: RateTable
) -> PaymentLine | None:
    facts = dict(facts)
    currency = rates.currency
    factor = Decimal(1)
    tier_label = None
    if component.child_tiers:
        tier = component.tier_for_rank(facts["child_rank"])
        facts["child_tier"] = tier.name
        factor = tier.factor
        tier_label = tier.label

    units = period.days if component.unit == "day" else 1
    params: dict[str, Any] = {
        "component": component.code,
        "name": component.name,
        "currency": currency,
        "age": facts["age"],
        "household_type": facts["household_type"],
        "catering": facts["catering"],
        "phase": facts["phase"],
        "phase_from": facts["phase_from"],
        "decision_date": facts["decision_date"],
        "food_money": facts["food_money"],
        "food_money_from": facts["food_money_from"],
        "unit": component.unit,
        "units": units,
        "from": period.start.isoformat(),
        "until": period.end.isoformat(),
        "cutoff": period.cutoff.isoformat(),
        "remainder": period.remainder,
    }
    if "child_rank" in facts:
        params.update(
            child_rank=facts["child_rank"],
            children=facts["children"],
            child_order=rates.child_order,
            child_order_source=rates.child_order_source,
        )
    if tier_label is not None:
        params.update(
            child_tier=facts["child_tier"], child_tier_label=tier_label, factor=str(factor)
        )

    for rule in component.not_paid:
        if _matches(rule.when, facts):
            return _not_paid_line(component, facts, rule, units, params, period)

    rate = next((r for r in component.rates if _matches(r.when, facts)), None)
    if rate is None:
        return None  # the component does not concern this person (e.g. child package outside food money)
    if component.unit == "period" and period.remainder:
        return _not_paid_line(component, facts, REMAINDER, units, params, period)
    return _paid_line(component, facts, rate, factor, units, period, rates, params)


REMAINDER = NotPaid(
    when=(),
    code="period_paid_elsewhere",
    reason="given once per period, and the other operator's run for these days gave it",
)


def _status_text(facts: Mapping[str, Any], period: Period) -> str:
    """What the cut-off date decided, in a sentence: the day, the phase and whose case it is."""
    text = f"Status on the cut-off date {period.cutoff.isoformat()}"
    if facts.get("phase_from") == "parents":
        if facts.get("decision_date"):
            text += f": the parents' case was decided on {facts['decision_date']} (no own phase)"
        else:
            text += ": the parents' case is before the decision (no own phase)"
    elif facts.get("decision_date"):
        text += f": decided on {facts['decision_date']}"
    if facts.get("food_money_from") == "household":
        text += "; the household is in the food-money scheme"
    return text + "."


def _not_paid_line(
    component: Component,
    facts: Mapping[str, Any],
    rule: NotPaid,
    units: int,
    params: dict[str, Any],
    period: Period,
) -> PaymentLine:
    params.update(reason_code=rule.code, reason=rule.reason)
    return PaymentLine(
        person_id=facts["person_id"],
        rule=component.code,
        status="not_paid",
        kind=component.kind,
        rate=ZERO,
        unit=component.unit,
        units=units,
        gross=ZERO,
        deduction=ZERO,
        amount=ZERO,
        confirmed=True,
        explanation=f"{component.name}: not paid — {rule.reason}. {_status_text(facts, period)}",
        params=params,
    )


def _days(count: Decimal | int) -> str:
    return f"{_num(Decimal(count))} {'day' if count == 1 else 'days'}"


def _paid_line(
    component: Component,
    facts: Mapping[str, Any],
    rate: Rate,
    factor: Decimal,
    units: int,
    period: Period,
    rates: RateTable,
    params: dict[str, Any],
) -> PaymentLine:
    currency = rates.currency
    unit_rate = rate.amount * factor
    gross = money(unit_rate * units)
    per = "day" if component.unit == "day" else "period"
    rate_text = f"{_fmt(rate.amount)} {currency}/{per}"
    if factor != 1:
        rate_text = f"{rate_text} × {_num(factor)} ({params['child_tier_label']}) = {_fmt(unit_rate)} {currency}/{per}"
    head = f"{component.name}, {rate.label}"
    if "child_rank" in facts:
        order = "oldest first" if rates.child_order == "oldest_first" else "youngest first"
        if rates.child_order_source:
            order += f": {rates.child_order_source}"
        head += f" (child {facts['child_rank']} of {facts['children']}, ranked {order})"
    if component.unit == "day":
        text = f"{head}: {rate_text} × {_days(units)} = {_fmt(gross)} {currency}."
    else:
        text = f"{head}: {rate_text} = {_fmt(gross)} {currency}."
    text += " " + _status_text(facts, period)
    params.update(
        rate=str(unit_rate),
        base_rate=str(rate.amount),
        rate_label=rate.label,
        conditions=dict(rate.when),
        rate_confirmed=rate.confirmed,
        gross=str(gross),
    )

    deduction = ZERO
    status: LineStatus = "paid"
    confirmed = rate.confirmed
    rule = component.deduction
    absence = facts["absence_days"]
    if rule is not None and absence > 0:
        deductible = (rate.amount - rate.protected) * factor
        limit = _withhold_limit(rule.withhold_above_days, rule.period_days, units)
        withheld = limit is not None and absence > limit
        deducted_days = (
            Decimal(units)
            if withheld
            else min(Decimal(units), absence * rule.days_deducted_per_absence_day)
        )
        deduction = money(deductible * deducted_days)
        confirmed = confirmed and rule.confirmed
        status = (
            "withheld" if withheld and deduction == gross else "reduced" if deduction else "paid"
        )
        params.update(
            deduction_rule=rule.code,
            deduction_confirmed=rule.confirmed,
            absence_days=absence,
            deducted_days=str(deducted_days),
            days_deducted_per_absence_day=str(rule.days_deducted_per_absence_day),
            deductible_per_day=str(deductible),
            protected_per_day=str(rate.protected * factor),
            withheld=withheld,
            withhold_above_days=None if limit is None else _num(limit),
            withhold_above_days_in_full_period=rule.withhold_above_days,
            full_period_days=rule.period_days,
        )
        if withheld:
            text += (
                f" Withheld: {_days(absence)} of unexcused absence exceed the limit of "
                f"{_num(limit)}{_prorated(rule, limit)} (rule {rule.code})"
            )
        else:
            text += (
                f" Reduced: {_days(absence)} of unexcused absence × "
                f"{_days(rule.days_deducted_per_absence_day)} each (rule {rule.code})"
            )
        text += f": − {_fmt(deductible)} {currency}/day × {_days(deducted_days)} = − {_fmt(deduction)} {currency}."
        if rate.protected:
            text += f" The food part, {_fmt(rate.protected * factor)} {currency}/day, is never cut."
        if not rule.confirmed:
            text += " Deduction tariff unconfirmed."
    if not rate.confirmed:
        text += f" Rate unconfirmed: {rate.note}"

    amount = gross - deduction
    params.update(deduction=str(deduction), amount=str(amount))
    return PaymentLine(
        person_id=facts["person_id"],
        rule=component.code,
        status=status,
        kind=component.kind,
        rate=unit_rate,
        unit=component.unit,
        units=units,
        gross=gross,
        deduction=deduction,
        amount=amount,
        confirmed=confirmed,
        explanation=text,
        params=params,
    )


def _withhold_limit(above_days: int | None, period_days: int | None, days: int) -> Decimal | None:
    """The absence limit for a period of ``days``: the table's limit is for a full period of
    ``period_days``; a shortened period (the remainder after another operator's run) has the
    limit in proportion, so that 4 of 7 days absent withholds as 8 of 14 do."""
    if above_days is None:
        return None
    if period_days is None or days >= period_days:
        return Decimal(above_days)
    return Decimal(above_days) * days / period_days


def _prorated(rule, limit: Decimal | None) -> str:
    if limit is None or rule.period_days is None or limit == rule.withhold_above_days:
        return ""
    return f" ({rule.withhold_above_days} in a full period of {rule.period_days} days, pro-rated)"


def _fmt(value: Decimal) -> str:
    """An amount: to øre ("24.00"), or every decimal when a factor left more ("29.205")."""
    text = f"{value.normalize():f}"
    return text if len(text.partition(".")[2]) > 2 else f"{value:.2f}"


def _num(value: Decimal) -> str:
    """A count or factor as written: 3, 0.5."""
    return f"{value.normalize():f}"
