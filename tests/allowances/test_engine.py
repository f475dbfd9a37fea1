"""Worked cases for the allowance engine, with the expected amounts as readable arithmetic.

One 14-day period, 4-17 March 2024, paid in advance; the status on the cut-off date,
28 February, decides. Danish 2015 rates are all sourced, so the couple cases use them;
2024 cases show the current table, where several values are still unconfirmed.
"""

import json
from datetime import date
from decimal import Decimal as D

import pytest

from ankomst.allowances.engine import (
    AllowanceInputError,
    Catering,
    HouseholdInput,
    Payment,
    Period,
    PersonStatus,
    age_on,
    compute_period,
    compute_run,
    pocket_money,
    pocket_money_run,
)
from ankomst.allowances.rates import load_rates, parse_rates

CUTOFF = date(2024, 2, 28)
PERIOD = Period(start=date(2024, 3, 4), end=date(2024, 3, 17), cutoff=CUTOFF)
PERIOD_2015 = Period(start=date(2015, 3, 2), end=date(2015, 3, 15), cutoff=date(2015, 2, 26))
DAYS = 14

DECIDED = date(2024, 1, 10)  # the case is processed in Denmark, decided before the cut-off
SIGNED = date(2023, 12, 1)  # residence contract signed


@pytest.fixture(scope="module")
def dk():
    return load_rates("DK", 2024)


@pytest.fixture(scope="module")
def dk2015():
    return load_rates("DK", 2015)


@pytest.fixture(scope="module")
def se():
    return load_rates("SE", 2024)


def adult(pid, born=date(1990, 5, 1), **kw):
    return PersonStatus(person_id=pid, date_of_birth=born, **kw)


def child(pid, born, **kw):
    return PersonStatus(person_id=pid, date_of_birth=born, **kw)


def household(*members, catering=Catering.SELF_CATERING, country="DK", hid="h1"):
    return HouseholdInput(
        household_id=hid, country=country, catering=catering, members=tuple(members)
    )


def amounts(payment: Payment) -> dict[tuple[str | None, str], D]:
    return {(line.person_id, line.rule): line.amount for line in payment.lines}


# --- Denmark -------------------------------------------------------------------------------


def test_it_pays_a_single_adult_basic_and_contract_supplement(dk):
    pay = compute_period(household(adult("a", contract_signed_on=SIGNED)), PERIOD, dk)

    assert amounts(pay) == {
        ("a", "dk.basic_allowance"): D("58.41") * 14,  # 817.74
        ("a", "dk.contract_supplement"): D("9.02") * 14,  # 126.28, before the decision
    }
    assert pay.total_cash == D("817.74") + D("126.28")
    assert pay.total_in_kind == 0


COUPLE_2015 = [
    # phase,      decision date,    basic/adult, contract/adult, child (1st and 2nd)
    ("before", None, D("42.79"), D("9.02"), D("63.06")),
    ("after", date(2015, 1, 5), D("42.79"), D("31.54"), D("85.57")),
]


@pytest.mark.parametrize(("phase", "decided", "basic", "contract", "child_rate"), COUPLE_2015)
def test_it_pays_a_couple_with_two_children_before_and_after_the_decision(
    dk2015, phase, decided, basic, contract, child_rate
):
    members = [
        adult(
            "mother",
            partner_id="father",
            decision_date=decided,
            contract_signed_on=date(2014, 12, 1),
        ),
        adult(
            "father",
            partner_id="mother",
            decision_date=decided,
            contract_signed_on=date(2014, 12, 1),
        ),
        child("anna", date(2008, 6, 1), decision_date=decided),
        child("ben", date(2012, 9, 1), decision_date=decided),
    ]
    pay = compute_period(household(*members), PERIOD_2015, dk2015)

    expected_total = 2 * basic * DAYS + 2 * contract * DAYS + 2 * child_rate * DAYS
    assert pay.total_cash == expected_total
    assert amounts(pay)[("anna", "dk.child_supplement")] == child_rate * DAYS
    assert amounts(pay)[("mother", "dk.basic_allowance")] == basic * DAYS  # couple rate
    assert pay.confirmed  # every 2015 value used here has a source
    assert {line.params["phase"] for line in pay.lines} == {f"{phase}_decision"}


def test_it_pays_no_basic_allowance_at_a_canteen_centre_but_the_child_supplement(dk):
    members = [
        adult("a1", partner_id="a2", decision_date=DECIDED, contract_signed_on=SIGNED),
        adult("a2", partner_id="a1", decision_date=DECIDED, contract_signed_on=SIGNED),
        child("c1", date(2015, 1, 1), decision_date=DECIDED),
    ]
    pay = compute_period(household(*members, catering=Catering.CANTEEN), PERIOD, dk)

    basic = pay.lines_for("a1")[0]
    assert (basic.rule, basic.status, basic.amount) == ("dk.basic_allowance", "not_paid", 0)
    assert basic.params["reason_code"] == "canteen_centre"
    assert "free meals" in basic.explanation
    assert pay.total_cash == 2 * D("31.54") * 14 + D("85.57") * 14


def test_it_pays_full_then_reduced_then_nothing_for_five_children(dk):
    kids = [child(f"k{i}", date(2008 + i, 1, 1), decision_date=DECIDED) for i in range(1, 6)]
    pay = compute_period(household(adult("p", decision_date=DECIDED), *kids), PERIOD, dk)

    supplement = {line.person_id: line for line in pay.lines if line.rule == "dk.child_supplement"}
    # oldest first: k1 (2009) ... k5 (2013)
    assert [supplement[f"k{i}"].params["child_rank"] for i in range(1, 6)] == [1, 2, 3, 4, 5]
    assert supplement["k1"].amount == supplement["k2"].amount == D("85.57") * 14
    assert (
        supplement["k3"].amount == supplement["k4"].amount == D("42.79") * 14
    )  # reduced (unconfirmed)
    assert supplement["k5"].status == "not_paid"
    assert supplement["k5"].params["reason_code"] == "fifth_child"
    assert (
        sum(line.amount for line in supplement.values()) == (2 * D("85.57") + 2 * D("42.79")) * 14
    )
    assert not supplement["k3"].confirmed


REFUSED = date(2024, 1, 20)  # refused and registered as not cooperating on departure


def test_food_money_scheme_at_a_self_catering_centre(dk):
    members = [
        adult("mum", decision_date=DECIDED, food_money_since=REFUSED, contract_signed_on=SIGNED),
        child("c1", date(2014, 3, 1), decision_date=DECIDED, food_money_since=REFUSED),
        child("c2", date(2018, 3, 1), decision_date=DECIDED, food_money_since=REFUSED),
    ]
    pay = compute_period(household(*members), PERIOD, dk)

    assert amounts(pay) == {
        ("mum", "dk.basic_allowance"): D("58.41") * 14,
        ("mum", "dk.contract_supplement"): 0,  # no contract supplement in the scheme
        ("c1", "dk.child_supplement"): D("85.57") * 14,
        ("c1", "dk.child_package"): D("177.63"),  # one package per child per 14 days
        ("c2", "dk.child_supplement"): D("85.57") * 14,
        ("c2", "dk.child_package"): D("177.63"),
    }
    assert pay.total_cash == D("58.41") * 14 + 2 * D("85.57") * 14
    assert pay.total_in_kind == 2 * D("177.63")


def test_food_money_scheme_at_a_canteen_centre_pays_no_cash(dk):
    members = [
        adult("mum", decision_date=DECIDED, food_money_since=REFUSED, contract_signed_on=SIGNED),
        child("c1", date(2014, 3, 1), decision_date=DECIDED, food_money_since=REFUSED),
    ]
    pay = compute_period(household(*members, catering=Catering.CANTEEN), PERIOD, dk)

    assert pay.total_cash == 0
    assert pay.total_in_kind == D("177.63")
    reasons = {(line.person_id, line.rule): line.params.get("reason_code") for line in pay.lines}
    assert reasons[("mum", "dk.basic_allowance")] == "food_money_canteen"
    assert reasons[("c1", "dk.child_supplement")] == "food_money_canteen"


def test_a_status_change_after_the_cutoff_counts_only_from_the_next_period(dk):
    decision = date(2024, 3, 1)  # after the cut-off of the first period, before it starts
    people = household(
        adult("a", decision_date=decision, contract_signed_on=SIGNED),
        child("c", date(2006, 3, 10), decision_date=decision),  # turns 18 on 10 March
    )
    first = PERIOD
    second = Period(start=date(2024, 3, 18), end=date(2024, 3, 31), cutoff=date(2024, 3, 13))

    pay1 = compute_period(people, first, dk)
    pay2 = compute_period(people, second, dk)

    assert (
        amounts(pay1)[("a", "dk.contract_supplement")] == D("9.02") * 14
    )  # still before the decision
    assert (
        amounts(pay1)[("c", "dk.child_supplement")] == D("63.06") * 14
    )  # still 17 on the cut-off date
    assert amounts(pay2)[("a", "dk.contract_supplement")] == D("31.54") * 14
    assert ("c", "dk.child_supplement") not in amounts(pay2)  # 18 on the cut-off date: an adult now
    assert amounts(pay2)[("c", "dk.basic_allowance")] == D("58.41") * 14
    # Nothing is corrected backwards: running the first period again gives the same payment.
    assert compute_period(people, first, dk) == pay1


def test_a_contract_signed_after_the_cutoff_is_not_paid_this_period(dk):
    pay = compute_period(household(adult("a", contract_signed_on=date(2024, 3, 1))), PERIOD, dk)
    line = pay.lines_for("a")[1]
    assert (line.rule, line.status, line.params["reason_code"]) == (
        "dk.contract_supplement",
        "not_paid",
        "no_contract",
    )


ABSENCE = [
    # unexcused days, contract supplement after the decision (rule: 1 day's rate per day, withheld above 7)
    (0, D("31.54") * 14, "paid"),
    (1, D("31.54") * (14 - 1), "reduced"),
    (3, D("31.54") * (14 - 3), "reduced"),
    (7, D("31.54") * (14 - 7), "reduced"),
    (8, D("0"), "withheld"),
    (30, D("0"), "withheld"),
]


@pytest.mark.parametrize(("absent", "expected", "status"), ABSENCE)
def test_absence_reduces_or_withholds_the_contract_supplement_but_never_the_basic(
    dk, absent, expected, status
):
    person = adult(
        "a", decision_date=DECIDED, contract_signed_on=SIGNED, unexcused_absence_days=absent
    )
    pay = compute_period(household(person), PERIOD, dk)
    basic, contract = pay.lines

    assert basic.amount == D("58.41") * 14  # never cut for absence in Denmark
    assert (contract.amount, contract.status) == (expected, status)
    assert contract.gross == D("31.54") * 14
    assert contract.deduction == contract.gross - expected
    if absent:
        assert contract.params["deduction_rule"] == "contract_absence"
        assert contract.params["absence_days"] == absent
        assert not contract.confirmed  # the tariff is unconfirmed


def test_an_unaccompanied_minor_gets_the_single_rate_and_no_contract_supplement(dk):
    minor = PersonStatus("m", date(2008, 1, 1), unaccompanied_minor=True, contract_signed_on=SIGNED)
    pay = compute_period(household(minor), PERIOD, dk)
    assert amounts(pay) == {
        ("m", "dk.basic_allowance"): D("58.41") * 14,
        ("m", "dk.contract_supplement"): 0,
    }
    assert pay.lines[1].params["reason_code"] == "under_18"


# --- pocket money ----------------------------------------------------------------------------

POCKET = [
    (date(2013, 6, 1), D("150.00"), "paid"),  # 10 on the cut-off date
    (date(2010, 2, 28), D("250.00"), "paid"),  # 14 exactly on the cut-off date
    (date(2008, 2, 29), D("250.00"), "paid"),  # 15: a leap-day birthday counts from 1 March
    (date(2007, 1, 1), D("350.00"), "paid"),  # 17
    (date(2006, 2, 28), D("0"), "not_paid"),  # 18 on the cut-off date
]


@pytest.mark.parametrize(("born", "expected", "status"), POCKET)
def test_pocket_money_by_age_band(dk, born, expected, status):
    minor = PersonStatus("m", born, unaccompanied_minor=True)
    (line,) = pocket_money(minor, PERIOD, dk).lines
    assert (line.amount, line.status) == (expected, status)
    assert line.rule == "dk.pocket_money"
    if status == "paid":
        assert not line.confirmed  # operator practice, no public amount


def test_pocket_money_is_only_for_unaccompanied_minors(dk, se):
    with pytest.raises(AllowanceInputError, match="unaccompanied"):
        pocket_money(PersonStatus("x", date(2010, 1, 1)), PERIOD, dk)
    with pytest.raises(AllowanceInputError, match="no pocket-money"):
        pocket_money(PersonStatus("x", date(2010, 1, 1), unaccompanied_minor=True), PERIOD, se)


def test_pocket_money_run_is_ordered_by_person():
    dk = load_rates("DK", 2024)
    minors = [
        PersonStatus(p, date(2010, 1, 1), unaccompanied_minor=True) for p in ("m3", "m1", "m2")
    ]
    assert [p.household_id for p in pocket_money_run(minors, PERIOD, dk)] == ["m1", "m2", "m3"]


# --- Sweden ------------------------------------------------------------------------------------

SWEDEN = [
    # who,                                         catering,       expected per person for 14 days
    ("single adult, food provided", Catering.CANTEEN, {"a": D(24) * 14}),
    ("single adult, own household", Catering.SELF_CATERING, {"a": D(71) * 14}),
    ("couple, food provided", Catering.CANTEEN, {"a": D(19) * 14, "b": D(19) * 14}),
    ("couple, own household", Catering.SELF_CATERING, {"a": D(61) * 14, "b": D(61) * 14}),
]


@pytest.mark.parametrize(("who", "catering", "expected"), SWEDEN)
def test_swedish_daily_allowance_for_adults(se, who, catering, expected):
    if len(expected) == 1:
        members = [adult("a")]
    else:
        members = [adult("a", partner_id="b"), adult("b", partner_id="a")]
    pay = compute_period(household(*members, catering=catering, country="SE"), PERIOD, se)
    assert {line.person_id: line.amount for line in pay.lines} == expected
    assert pay.currency == "SEK"


def test_swedish_children_by_age_halved_from_the_third(se):
    members = [
        adult("mor", partner_id="far"),
        adult("far", partner_id="mor"),
        adult("stor", born=date(2005, 1, 1), lives_with_parents=True),  # 19: couple rate
        child("c11", date(2012, 1, 1)),  # 12 -> 11-17 band, 1st child
        child("c4", date(2019, 6, 1)),  # 4 -> 4-10 band, 2nd child
        child("c3", date(2020, 6, 1)),  # 3 -> 0-3 band, 3rd child: halved
        child("c1", date(2023, 1, 1)),  # 1 -> 0-3 band, 4th child: halved
    ]
    pay = compute_period(household(*members, country="SE"), PERIOD, se)
    got = {line.person_id: line.amount for line in pay.lines}

    assert got == {
        "far": D(61) * 14,
        "mor": D(61) * 14,
        "stor": D(61) * 14,
        "c11": D(50) * 14,
        "c4": D(43) * 14,
        "c3": D(37) / 2 * 14,  # 18.50 x 14 = 259.00
        "c1": D(37) / 2 * 14,
    }
    assert "× 0.5" in pay.lines_for("c3")[0].explanation


def test_swedish_children_with_food_provided(se):
    members = [adult("a")] + [child(f"c{i}", date(2010 + i, 1, 1)) for i in range(3)]
    pay = compute_period(household(*members, catering=Catering.CANTEEN, country="SE"), PERIOD, se)
    assert pay.total_cash == D(24) * 14 + 2 * D(12) * 14 + D(6) * 14


@pytest.mark.parametrize(
    ("catering", "refused", "expected"),
    [
        (Catering.SELF_CATERING, 0, D(71) * 14),
        (Catering.SELF_CATERING, 3, D(71) * 14 - D(71 - 47) * 3),  # the food part, 47/day, is kept
        (Catering.SELF_CATERING, 30, D(47) * 14),  # at most every day's non-food part
        (Catering.CANTEEN, 3, D(24) * 14 - D(24) * 3),
    ],
)
def test_swedish_reduction_for_refused_activities_never_cuts_the_food_part(
    se, catering, refused, expected
):
    pay = compute_period(
        household(adult("a", unexcused_absence_days=refused), catering=catering, country="SE"),
        PERIOD,
        se,
    )
    assert pay.total_cash == expected


def test_swedish_children_are_not_cut_for_a_parents_refusal(se):
    members = [
        adult("a", unexcused_absence_days=5),
        child("c", date(2015, 1, 1), unexcused_absence_days=5),
    ]
    pay = compute_period(household(*members, country="SE"), PERIOD, se)
    assert pay.lines_for("c")[0].amount == D(43) * 14


# --- explanations, rounding, runs ----------------------------------------------------------


def test_every_line_explains_itself_in_text_and_parameters(dk):
    person = adult("a", decision_date=DECIDED, contract_signed_on=SIGNED, unexcused_absence_days=2)
    contract = compute_period(household(person), PERIOD, dk).lines[1]

    assert contract.explanation.startswith("Contract supplement, after the decision")
    assert "31.54 DKK/day × 14 days = 441.56 DKK" in contract.explanation
    assert "− 31.54 DKK/day × 2 days = − 63.08 DKK" in contract.explanation
    assert "unconfirmed" in contract.explanation
    p = contract.params
    assert (p["rate"], p["units"], p["gross"], p["deduction"], p["amount"]) == (
        "31.54",
        14,
        "441.56",
        "63.08",
        "378.48",
    )
    assert p["conditions"] == {"phase": "after_decision"}
    assert p["rate_confirmed"] is False
    assert "Rate unconfirmed: 2024 rate not found" in contract.explanation  # the note, for audit


def test_a_payment_serialises_to_json(dk):
    pay = compute_period(household(adult("a", contract_signed_on=SIGNED)), PERIOD, dk)
    data = json.loads(json.dumps(pay.as_dict()))
    assert data["total_cash"] == "944.02"
    assert data["rates_digest"] == dk.digest
    assert data["lines"][0]["params"]["rate_label"] == "single rate (also unaccompanied minors)"


def tiny_table(rate="0.05", factor="0.5"):
    return parse_rates(
        {
            "country": "DK",
            "year": 2024,
            "currency": "DKK",
            "components": [
                {
                    "code": "t.child",
                    "name": "Test",
                    "applies_to": "child",
                    "unit": "day",
                    "kind": "cash",
                    "child_tiers": [
                        {
                            "tier": "all",
                            "from_rank": 1,
                            "to_rank": None,
                            "factor": factor,
                            "label": "all",
                        }
                    ],
                    "rates": [
                        {
                            "when": {},
                            "amount": rate,
                            "label": "t",
                            "confirmed": True,
                            "source": "test",
                        }
                    ],
                }
            ],
        }
    )


def test_each_line_is_rounded_half_up_to_ore():
    one_day = Period(date(2024, 1, 2), date(2024, 1, 2), date(2024, 1, 1))
    pay = compute_period(household(child("c", date(2020, 1, 1))), one_day, tiny_table())
    # 0.05 x 0.5 x 1 day = 0.025 -> 0.03 (half up; banker's rounding would give 0.02)
    assert pay.lines[0].amount == D("0.03")


def test_a_run_is_ordered_and_repeatable(dk):
    households = [
        household(adult(f"{hid}-a", contract_signed_on=SIGNED), hid=hid)
        for hid in ("h3", "h1", "h2")
    ]
    run = compute_run(households, PERIOD, dk)
    assert [p.household_id for p in run] == ["h1", "h2", "h3"]
    assert compute_run(reversed(households), PERIOD, dk) == run


def test_a_run_rejects_a_person_in_two_households(dk):
    with pytest.raises(AllowanceInputError, match="in households h1 and h2"):
        compute_run([household(adult("a"), hid="h1"), household(adult("a"), hid="h2")], PERIOD, dk)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda dk: compute_period(household(adult("a", partner_id="b")), PERIOD, dk),
            "not in household",
        ),
        (
            lambda dk: compute_period(household(adult("a"), country="SE"), PERIOD, dk),
            "SE household",
        ),
        (
            lambda dk: compute_period(
                household(adult("a")),
                Period(date(2025, 1, 6), date(2025, 1, 19), date(2025, 1, 2)),
                dk,
            ),
            "needs the 2025 table",
        ),
        (
            lambda dk: Period(date(2024, 3, 4), date(2024, 3, 17), date(2024, 3, 5)),
            "after the period start",
        ),
        (lambda dk: PersonStatus("a", date(1990, 1, 1), unexcused_absence_days=-1), "negative"),
    ],
)
def test_inconsistent_input_fails_loudly(dk, make, message):
    with pytest.raises(AllowanceInputError, match=message):
        make(dk)


def test_age_on_the_cutoff_date():
    assert age_on(date(2006, 3, 10), date(2024, 3, 9)) == 17
    assert age_on(date(2006, 3, 10), date(2024, 3, 10)) == 18
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_the_remainder_of_a_period_pays_its_days_but_no_second_package(dk):
    """A family that moved from another operator, whose run paid 4-17 March: here 18-24 March."""
    members = [
        adult("mum", decision_date=DECIDED, food_money_since=REFUSED, contract_signed_on=SIGNED),
        child("c1", date(2014, 3, 1), decision_date=DECIDED, food_money_since=REFUSED),
    ]
    remainder = Period(
        start=date(2024, 3, 18), end=date(2024, 3, 24), cutoff=CUTOFF, remainder=True
    )
    pay = compute_period(household(*members), remainder, dk)

    assert amounts(pay) == {
        ("mum", "dk.basic_allowance"): D("58.41") * 7,
        ("mum", "dk.contract_supplement"): 0,
        ("c1", "dk.child_supplement"): D("85.57") * 7,
        ("c1", "dk.child_package"): 0,  # one package per 14 days: it came with the other run
    }
    package = next(line for line in pay.lines if line.rule == "dk.child_package")
    assert package.params["reason_code"] == "period_paid_elsewhere"
