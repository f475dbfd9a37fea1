"""Worked households: whose phase, whose food-money scheme, the cut-off date on every line.

Amounts by hand from the Danish 2024 table (dk-2024.json) and Udlændingeloven §§ 42 a-42 e:
basic allowance 58.41 single / 46.24 per adult in a couple; child supplement 63.06 before /
85.57 after the decision that the case is processed in Denmark (3rd and 4th child 31.53 /
42.79); contract supplement 9.02 / 31.54; child package 177.63 per child per 14 days in the
food-money scheme. One 14-day period, 4-17 March 2024; the status on 28 February decides.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ankomst.allowances import services
from ankomst.allowances.engine import (
    Catering,
    HouseholdInput,
    Period,
    PersonStatus,
    compute_period,
    compute_run,
)
from ankomst.allowances.models import PaymentRun, Scheme
from ankomst.allowances.rates import load_rates
from ankomst.centres.models import Catering as CentreCatering
from ankomst.centres.models import Phase
from ankomst.people.models import Household, Relation

CUTOFF = date(2024, 2, 28)
PERIOD = Period(start=date(2024, 3, 4), end=date(2024, 3, 17), cutoff=CUTOFF)
DECIDED = date(2024, 1, 10)
REFUSED = date(2024, 2, 1)


@pytest.fixture(scope="module")
def dk():
    return load_rates("DK", 2024)


@pytest.fixture(scope="module")
def se():
    return load_rates("SE", 2024)


def couple(**kw):
    return [
        PersonStatus("mother", date(1988, 6, 1), partner_id="father", **kw),
        PersonStatus("father", date(1985, 2, 1), partner_id="mother", **kw),
    ]


def kids(*born, **kw):
    return [
        PersonStatus(f"child{i}", b, lives_with_parents=True, **kw)
        for i, b in enumerate(born, start=1)
    ]


def household(members, catering=Catering.SELF_CATERING, country="DK"):
    return HouseholdInput("h1", country, catering, tuple(members))


def amounts(payment):
    return {(line.person_id, line.rule): line.amount for line in payment.lines}


# --- whose phase -------------------------------------------------------------------------------


def test_children_without_a_phase_of_their_own_follow_the_parents_decision(dk):
    members = couple(decision_date=DECIDED) + kids(
        date(2015, 4, 1), date(2019, 9, 1), has_case_phase=False
    )
    pay = compute_period(household(members), PERIOD, dk)

    assert amounts(pay) == {
        ("father", "dk.basic_allowance"): D("647.36"),  # 46.24 x 14, couple rate
        ("father", "dk.contract_supplement"): D("0"),  # no contract
        ("mother", "dk.basic_allowance"): D("647.36"),
        ("mother", "dk.contract_supplement"): D("0"),
        ("child1", "dk.child_supplement"): D("1197.98"),  # 85.57 x 14: after the decision
        ("child2", "dk.child_supplement"): D("1197.98"),
    }
    assert pay.total_cash == D("3690.68")
    child = pay.lines_for("child1")[0]
    assert child.params["phase"] == "after_decision"
    assert child.params["phase_from"] == "parents"
    assert "the parents' case was decided on 2024-01-10" in child.explanation


def test_children_of_parents_before_the_decision_are_paid_the_before_rate(dk):
    members = couple() + kids(date(2015, 4, 1), has_case_phase=False)
    pay = compute_period(household(members), PERIOD, dk)
    assert amounts(pay)[("child1", "dk.child_supplement")] == D("882.84")  # 63.06 x 14


def test_a_child_with_a_phase_of_their_own_keeps_it(dk):
    members = couple(decision_date=DECIDED) + kids(date(2015, 4, 1), has_case_phase=True)
    pay = compute_period(household(members), PERIOD, dk)
    assert amounts(pay)[("child1", "dk.child_supplement")] == D("882.84")
    assert pay.lines_for("child1")[0].params["phase_from"] == "own"


def test_an_adult_without_a_phase_does_not_follow_anyone(dk):
    pay = compute_period(
        household([PersonStatus("a", date(1990, 1, 1), has_case_phase=False)]), PERIOD, dk
    )
    assert amounts(pay)[("a", "dk.basic_allowance")] == D("817.74")  # 58.41 x 14
    assert pay.lines[0].params["phase"] == "before_decision"


# --- the food-money scheme is the household's ----------------------------------------------------


def test_food_money_parents_at_a_canteen_centre_mean_no_cash_for_their_children(dk):
    """The children are not flagged themselves; the parents are refused and not cooperating."""
    members = couple(decision_date=DECIDED, food_money_since=REFUSED) + kids(
        date(2015, 4, 1), date(2019, 9, 1), has_case_phase=False
    )
    pay = compute_period(household(members, catering=Catering.CANTEEN), PERIOD, dk)

    assert pay.total_cash == 0
    assert pay.total_in_kind == D("355.26")  # 2 x 177.63, one package per child
    supplement = next(
        line
        for line in pay.lines
        if (line.person_id, line.rule) == ("child1", "dk.child_supplement")
    )
    assert supplement.status == "not_paid"
    assert supplement.params["reason_code"] == "food_money_canteen"
    assert supplement.params["food_money_from"] == "household"
    assert "the household is in the food-money scheme" in supplement.explanation


def test_food_money_parents_at_a_self_catering_centre(dk):
    members = couple(decision_date=DECIDED, food_money_since=REFUSED) + kids(
        date(2015, 4, 1), date(2019, 9, 1), has_case_phase=False
    )
    pay = compute_period(household(members), PERIOD, dk)

    assert amounts(pay) == {
        ("father", "dk.basic_allowance"): D("647.36"),
        ("father", "dk.contract_supplement"): D("0"),  # never in the scheme
        ("mother", "dk.basic_allowance"): D("647.36"),
        ("mother", "dk.contract_supplement"): D("0"),
        ("child1", "dk.child_supplement"): D("1197.98"),
        ("child1", "dk.child_package"): D("177.63"),
        ("child2", "dk.child_supplement"): D("1197.98"),
        ("child2", "dk.child_package"): D("177.63"),
    }
    assert pay.total_cash == D("3690.68")
    assert pay.total_in_kind == D("355.26")


def test_a_household_is_in_the_scheme_when_one_parent_is(dk):
    members = [
        PersonStatus("mother", date(1988, 6, 1), partner_id="father", food_money_since=REFUSED),
        PersonStatus("father", date(1985, 2, 1), partner_id="mother"),
    ]
    pay = compute_period(household(members, catering=Catering.CANTEEN), PERIOD, dk)
    reasons = {(ln.person_id, ln.rule): ln.params["reason_code"] for ln in pay.lines}
    assert reasons[("father", "dk.basic_allowance")] == "food_money_canteen"
    assert reasons[("father", "dk.contract_supplement")] == "food_money"


# --- what decided the line ---------------------------------------------------------------------


def test_every_line_names_the_cutoff_date(dk, se):
    for rates, country in ((dk, "DK"), (se, "SE")):
        members = couple(decision_date=DECIDED) + kids(date(2015, 4, 1), date(2019, 9, 1))
        for line in compute_period(household(members, country=country), PERIOD, rates).lines:
            assert "cut-off date 2024-02-28" in line.explanation, line.explanation
            assert line.params["cutoff"] == "2024-02-28"


def test_the_danish_tiers_rank_the_children_oldest_first(dk):
    born = [date(2008, 1, 1), date(2010, 1, 1), date(2012, 1, 1), date(2014, 1, 1)]
    members = couple(decision_date=DECIDED) + kids(*reversed(born), has_case_phase=False)
    pay = compute_period(household(members), PERIOD, dk)
    youngest = pay.lines_for("child1")[0]  # born 2014: the 4th oldest, reduced
    assert youngest.amount == D("599.06")  # 42.79 x 14
    assert youngest.params["child_rank"] == 4
    assert youngest.params["child_order"] == "oldest_first"
    assert "child 4 of 4, ranked oldest first" in youngest.explanation
    assert "oldest" in dk.child_order_rule
    assert "nyidanmark.dk" in youngest.params["child_order_source"]
    assert "nyidanmark.dk names no order" in youngest.explanation


def test_the_swedish_halving_goes_to_the_youngest_from_the_third(se):
    """Own household: 12, 8 and 2 years old. Two oldest full, the youngest halved."""
    members = couple() + kids(date(2011, 6, 1), date(2015, 6, 1), date(2021, 6, 1))
    pay = compute_period(household(members, country="SE"), PERIOD, se)

    assert {ln.person_id: ln.amount for ln in pay.lines} == {
        "father": D("854.00"),  # 61 x 14
        "mother": D("854.00"),
        "child1": D("700.00"),  # 50 x 14, 11-17, 1st
        "child2": D("602.00"),  # 43 x 14, 4-10, 2nd
        "child3": D("259.00"),  # 37 x 0.5 x 14, 0-3, 3rd: halved
    }
    halved = pay.lines_for("child3")[0]
    assert "child 3 of 3, ranked oldest first" in halved.explanation
    assert "SFS 1988:156" in halved.params["child_order_source"]
    assert "ranked oldest first: SFS 1988:156 3 § as amended by SFS 1993:1683" in halved.explanation
    assert "two oldest children" in se.child_order_rule


def test_a_one_day_line_says_one_day(dk):
    one_day = Period(date(2024, 3, 4), date(2024, 3, 4), CUTOFF)
    line = compute_period(household([PersonStatus("a", date(1990, 1, 1))]), one_day, dk).lines[0]
    assert "× 1 day =" in line.explanation and "1 days" not in line.explanation


# --- empty households, shortened periods ---------------------------------------------------------


def test_an_empty_household_is_not_a_confirmed_zero(dk):
    pay = compute_period(household([]), PERIOD, dk)
    assert pay.empty and not pay.confirmed
    assert pay.total_cash == 0 and pay.lines == ()
    assert compute_run([household([])], PERIOD, dk)[0].empty


REMAINDER = Period(date(2024, 3, 18), date(2024, 3, 24), CUTOFF, remainder=True)  # 7 days


@pytest.mark.parametrize(
    ("period", "absent", "amount", "status"),
    [
        (PERIOD, 4, D("315.40"), "reduced"),  # 31.54 x (14 - 4); limit 7 of 14 days
        (PERIOD, 8, D("0"), "withheld"),
        (REMAINDER, 3, D("126.16"), "reduced"),  # 31.54 x (7 - 3); limit 3.5 of 7 days
        (REMAINDER, 4, D("0"), "withheld"),  # 4 of 7 days is more than 7 of 14
    ],
)
def test_the_absence_limit_is_pro_rated_in_a_shortened_period(dk, period, absent, amount, status):
    person = PersonStatus(
        "a",
        date(1990, 1, 1),
        decision_date=DECIDED,
        contract_signed_on=date(2023, 12, 1),
        unexcused_absence_days=absent,
    )
    contract = compute_period(household([person]), period, dk).lines[1]
    assert (contract.rule, contract.amount, contract.status) == (
        "dk.contract_supplement",
        amount,
        status,
    )
    limit = "3.5" if period is REMAINDER else "7"
    assert contract.params["withhold_above_days"] == limit
    if period is REMAINDER and status == "withheld":
        assert "limit of 3.5 (7 in a full period of 14 days, pro-rated)" in contract.explanation


# --- from the database ---------------------------------------------------------------------------


def prepare(user, organisation):
    return services.run_prepare(
        user=user,
        organisation=organisation,
        scheme=Scheme.ALLOWANCE,
        period_start=date(2024, 3, 4),
        cutoff=date(2024, 3, 1),
    )


def by_rule(run, person):
    return {line.rule: line.amount for line in run.lines.filter(person=person)}


def test_a_run_pays_children_without_a_phase_as_their_parents(
    caseworker, dk_operator, family, phase
):
    _, m = family
    for parent in (m["head"], m["spouse"]):
        phase(parent, Phase.AFTER_DECISION, DECIDED)
    run = prepare(caseworker, dk_operator)
    assert by_rule(run, m["child1"]) == {"dk.child_supplement": D("1197.98")}
    assert by_rule(run, m["child2"]) == {"dk.child_supplement": D("1197.98")}


def test_a_granted_case_was_processed_in_denmark(caseworker, dk_operator, family, phase):
    """Registered, then granted: no separate decision step, yet after-decision rates."""
    _, m = family
    for parent in (m["head"], m["spouse"]):
        phase(parent, Phase.REGISTERED, date(2023, 11, 1))
        phase(parent, Phase.GRANTED, REFUSED)
    run = prepare(caseworker, dk_operator)
    assert by_rule(run, m["child1"]) == {"dk.child_supplement": D("1197.98")}
    line = run.lines.get(person=m["head"], rule="dk.basic_allowance")
    assert line.params["phase"] == "after_decision"


def test_a_run_gives_no_cash_to_a_food_money_family_at_a_canteen_centre(
    caseworker, dk_operator, make_person, check_in, phase
):
    """The parents' case was processed in Denmark, then finally refused, and they do not
    cooperate on departure; the children have no phase of their own."""
    household = Household.objects.create(organisation=dk_operator, reference="F-2")
    parents = [
        make_person(dk_operator, "Parent One", household=household, relation=Relation.HEAD),
        make_person(dk_operator, "Parent Two", household=household, relation=Relation.SPOUSE),
    ]
    children = [
        make_person(dk_operator, name, household=household, relation=Relation.CHILD, born=born)
        for name, born in (("Child One", date(2015, 4, 1)), ("Child Two", date(2019, 9, 1)))
    ]
    for person in parents + children:
        check_in(person, catering=CentreCatering.CANTEEN)
    for parent in parents:
        phase(parent, Phase.AFTER_DECISION, DECIDED)
        phase(parent, Phase.FINALLY_REFUSED, REFUSED, cooperating=False)

    run = prepare(caseworker, dk_operator)

    assert run.total_cash == 0 and run.total_in_kind == D("355.26")
    assert by_rule(run, children[0]) == {
        "dk.child_supplement": 0,
        "dk.child_package": D("177.63"),
    }


def test_a_period_without_residents_is_reported_not_paid(caseworker, dk_operator):
    with translation.override("en"), pytest.raises(ValidationError, match="nobody") as refused:
        prepare(caseworker, dk_operator)
    assert refused.value.code == "nobody"
    assert not PaymentRun.objects.exists()
