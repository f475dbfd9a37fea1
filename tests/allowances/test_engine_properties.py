"""Properties of the engine over generated households, in both countries.

- an amount is never negative, and a deduction never exceeds its line;
- an amount never rises when attendance falls (more unexcused absence);
- a run is idempotent and independent of input order;
- what happens after the cut-off date does not change the period.
"""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ankomst.allowances.engine import (
    Catering,
    HouseholdInput,
    Period,
    PersonStatus,
    compute_period,
    compute_run,
    pocket_money,
)
from ankomst.allowances.rates import load_rates

TABLES = {"DK": load_rates("DK", 2024), "SE": load_rates("SE", 2024)}
PERIOD = Period(start=date(2024, 3, 4), end=date(2024, 3, 17), cutoff=date(2024, 2, 28))

# Per test, not a global profile: other test folders keep their own settings.
engine_settings = settings(max_examples=150, deadline=None)

# None, on or before the cut-off date (counts), or after it (does not count yet)
status_dates = st.one_of(
    st.none(),
    st.dates(date(2023, 1, 1), PERIOD.cutoff),
    st.dates(PERIOD.cutoff + timedelta(days=1), date(2024, 6, 30)),
)
absence = st.integers(min_value=0, max_value=20)


@st.composite
def people(draw, prefix: str, born_from: date, born_to: date, count: int) -> list[PersonStatus]:
    out = []
    for i in range(count):
        out.append(
            PersonStatus(
                person_id=f"{prefix}{i}",
                date_of_birth=draw(st.dates(born_from, born_to)),
                decision_date=draw(status_dates),
                food_money_since=draw(status_dates),
                contract_signed_on=draw(status_dates),
                lives_with_parents=draw(st.booleans()),
                unexcused_absence_days=draw(absence),
            )
        )
    return out


@st.composite
def households(draw, hid: str = "h") -> HouseholdInput:
    country = draw(st.sampled_from(sorted(TABLES)))
    n_adults = draw(st.integers(0, 3))
    adults = draw(people(f"{hid}-a", date(1950, 1, 1), date(2006, 2, 28), n_adults))
    if n_adults >= 2 and draw(st.booleans()):
        adults[0] = dataclasses.replace(adults[0], partner_id=adults[1].person_id)
        adults[1] = dataclasses.replace(adults[1], partner_id=adults[0].person_id)
    # children may turn 18 around the cut-off date
    children = draw(
        people(f"{hid}-c", date(2005, 6, 1), date(2024, 2, 28), draw(st.integers(0, 7)))
    )
    if not adults and not children:
        adults = [
            PersonStatus(
                f"{hid}-m",
                draw(st.dates(date(2007, 1, 1), date(2010, 1, 1))),
                unaccompanied_minor=True,
            )
        ]
    return HouseholdInput(
        household_id=hid,
        country=country,
        catering=draw(st.sampled_from(list(Catering))),
        members=tuple(adults + children),
    )


def pay(household: HouseholdInput):
    return compute_period(household, PERIOD, TABLES[household.country])


@engine_settings
@given(households())
def test_no_amount_is_ever_negative(household):
    payment = pay(household)
    for line in payment.lines:
        assert line.gross >= 0
        assert 0 <= line.deduction <= line.gross
        assert line.amount == line.gross - line.deduction >= 0
        assert line.amount == line.amount.quantize(Decimal("0.01"))
        assert line.explanation
    assert payment.total_cash >= 0
    assert payment.total_in_kind >= 0


@engine_settings
@given(households(), st.data())
def test_less_attendance_never_pays_more(household, data):
    """Walk one member's unexcused absence from 0 to 20 days: no line may ever rise."""
    i = data.draw(st.integers(0, len(household.members) - 1), label="member")
    previous = None
    for days in range(21):
        members = list(household.members)
        members[i] = dataclasses.replace(members[i], unexcused_absence_days=days)
        current = pay(dataclasses.replace(household, members=tuple(members)))
        if previous is not None:
            assert current.total_cash <= previous.total_cash
            assert current.total_in_kind == previous.total_in_kind
            assert [(ln.person_id, ln.rule) for ln in current.lines] == [
                (ln.person_id, ln.rule) for ln in previous.lines
            ]
            for old, new in zip(previous.lines, current.lines, strict=True):
                assert new.amount <= old.amount
                assert new.gross == old.gross
        previous = current


@engine_settings
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=6, unique=True), st.data())
def test_a_run_is_idempotent_and_order_free(ids, data):
    run_input = [data.draw(households(hid=f"h{n}")) for n in ids]
    for country in TABLES:
        same_country = [h for h in run_input if h.country == country]
        first = compute_run(same_country, PERIOD, TABLES[country])
        assert compute_run(same_country, PERIOD, TABLES[country]) == first
        assert compute_run(list(reversed(same_country)), PERIOD, TABLES[country]) == first
        assert [p.as_dict() for p in first] == [
            p.as_dict() for p in compute_run(same_country, PERIOD, TABLES[country])
        ]
        assert [p.household_id for p in first] == sorted(h.household_id for h in same_country)


def _shift_after_cutoff(value: date | None, days: int) -> date | None:
    if value is None or value <= PERIOD.cutoff:
        return value
    return value + timedelta(days=days)


@engine_settings
@given(households(), st.integers(1, 400))
def test_changes_after_the_cutoff_do_not_change_the_period(household, days):
    moved = tuple(
        dataclasses.replace(
            p,
            decision_date=_shift_after_cutoff(p.decision_date, days),
            food_money_since=_shift_after_cutoff(p.food_money_since, days),
            contract_signed_on=_shift_after_cutoff(p.contract_signed_on, days),
        )
        for p in household.members
    )
    assert pay(dataclasses.replace(household, members=moved)) == pay(household)


@engine_settings
@given(st.dates(date(2000, 1, 1), date(2024, 2, 28)))
def test_pocket_money_is_never_negative(born):
    minor = PersonStatus("m", born, unaccompanied_minor=True)
    for line in pocket_money(minor, PERIOD, TABLES["DK"]).lines:
        assert line.amount >= 0
