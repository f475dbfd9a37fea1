"""Rate files: every shipped table loads, and a broken file fails with the field named."""

import copy
import json

import pytest

from ankomst.allowances.rates import (
    RATES_DIR,
    RateTableError,
    available_rate_tables,
    load_rates,
    parse_rates,
)


def test_it_ships_a_table_per_country_and_year():
    assert available_rate_tables() == [
        ("DK", 2015),
        ("DK", 2024),
        ("DK", 2025),
        ("DK", 2026),
        ("SE", 2024),
        ("SE", 2025),
        ("SE", 2026),
    ]
    for country, year in available_rate_tables():
        table = load_rates(country, year)
        assert (table.country, table.year) == (country, year)
        assert len(table.digest) == 64


def test_tables_carried_forward_confirm_nothing():
    """2025 and 2026 repeat the 2024 values until an administrator sets the year's rates."""
    for country in ("DK", "SE"):
        base = load_rates(country, 2024)
        for year in (2025, 2026):
            table = load_rates(country, year)
            rates = [r for c in table.components for r in c.rates]
            assert rates and not any(r.confirmed for r in rates)
            assert [r.amount for r in rates] == [r.amount for c in base.components for r in c.rates]


def test_every_rate_names_a_source_or_says_why_not():
    for country, year in available_rate_tables():
        table = load_rates(country, year)
        comps = table.components + ((table.pocket_money,) if table.pocket_money else ())
        for comp in comps:
            for rate in comp.rates:
                assert rate.source if rate.confirmed else rate.note, (
                    country,
                    year,
                    comp.code,
                    rate.label,
                )


def test_it_lists_what_is_unconfirmed_for_the_ui():
    items = load_rates("DK", 2024).unconfirmed()
    flagged = {(i["component"], i["item"]) for i in items}
    assert (
        "dk.contract_supplement",
        "before the decision that the case is processed in Denmark",
    ) in flagged
    assert ("dk.child_supplement", "reduced, after the decision") in flagged
    assert ("dk.contract_supplement", "deduction rule contract_absence") in flagged
    assert {i["component"] for i in items} >= {"dk.pocket_money"}
    assert all(i["note"] for i in items)
    # the basic allowance and the child package have 2024 sources
    assert not any(i["component"] in ("dk.basic_allowance", "dk.child_package") for i in items)
    # Sweden: the amounts are sourced, only the size of the cut is assumed
    assert [i["item"] for i in load_rates("SE", 2024).unconfirmed()] == [
        "deduction rule refused_activity"
    ]


def test_a_missing_table_is_a_clear_error():
    with pytest.raises(RateTableError, match="no rate table for DK 1999"):
        load_rates("DK", 1999)


def test_the_file_must_match_its_name(tmp_path):
    data = json.loads((RATES_DIR / "se-2024.json").read_text())
    (tmp_path / "se-2023.json").write_text(json.dumps(data))
    with pytest.raises(RateTableError, match="country/year: the file says SE 2024"):
        load_rates("SE", 2023, directory=tmp_path)


def test_invalid_json_is_reported_with_the_file(tmp_path):
    (tmp_path / "dk-2030.json").write_text("{ not json")
    with pytest.raises(RateTableError, match="dk-2030.json: not valid JSON"):
        load_rates("DK", 2030, directory=tmp_path)


@pytest.fixture
def dk_data():
    return json.loads((RATES_DIR / "dk-2024.json").read_text())


def broken(data, edit):
    data = copy.deepcopy(data)
    edit(data)
    return data


BROKEN = [
    (lambda d: d.pop("currency"), r"currency: required field is missing"),
    (lambda d: d.update(colour="red"), r"colour: unknown field"),
    (
        lambda d: d["components"][0]["rates"][0].update(amount="58.4x"),
        r"components\[0\]\.rates\[0\]\.amount: expected a decimal",
    ),
    (
        lambda d: d["components"][0]["rates"][0].update(amount="-1"),
        r"rates\[0\]\.amount: expected a finite amount >= 0",
    ),
    (
        lambda d: d["components"][0]["rates"][0].update(amount="58.412"),
        r"rates\[0\]\.amount: at most 2 decimals",
    ),
    (
        lambda d: d["components"][0]["rates"][0].update(amount=True),
        r"rates\[0\]\.amount: expected a decimal",
    ),
    (
        lambda d: d["components"][0]["rates"][0].update(source=None),
        r"rates\[0\]\.source: a confirmed value must name its source",
    ),
    (
        lambda d: d["components"][1]["rates"][0].update(note=None),
        r"components\[1\]\.rates\[0\]\.note: an unconfirmed value must carry a note",
    ),
    (
        lambda d: d["components"][0]["rates"][0]["when"].update(colour="red"),
        r"rates\[0\]\.when\.colour: unknown condition",
    ),
    (
        lambda d: d["components"][0]["rates"][0]["when"].update(catering="kitchen"),
        r"when\.catering: expected one of canteen, self_catering",
    ),
    (
        lambda d: d["components"][0]["rates"][0]["when"].update(food_money="yes"),
        r"when\.food_money: expected true or false",
    ),
    (
        lambda d: d["components"][2]["rates"][0]["when"].update(child_tier="half"),
        r"components\[2\]\.rates\[0\]\.when\.child_tier: no child tier 'half'",
    ),
    (
        lambda d: d["components"][2]["child_tiers"][1].update(from_rank=4),
        r"child_tiers\[1\]\.from_rank: tiers must follow on",
    ),
    (
        lambda d: d["components"][2]["child_tiers"][2].update(to_rank=9),
        r"child_tiers\[2\]\.to_rank: the last tier must be open-ended",
    ),
    (
        lambda d: d["components"][0].update(applies_to="everyone"),
        r"components\[0\]\.applies_to: expected one of adult, child",
    ),
    (
        lambda d: d["components"][1].update(deduction="gone"),
        r"components\[1\]\.deduction: no deduction rule 'gone'",
    ),
    (
        lambda d: d["components"][3].update(deduction="contract_absence"),
        r"components\[3\]\.deduction: deductions apply to daily components only",
    ),
    (
        lambda d: d["components"][1].update(code="dk.basic_allowance"),
        r"components\[1\]\.code: duplicate component code",
    ),
    (
        lambda d: d["deduction_rules"]["contract_absence"].update(withhold_above_days=-1),
        r"deduction_rules\.contract_absence\.withhold_above_days: expected a whole number",
    ),
    (
        lambda d: d["pocket_money"].update(applies_to="child"),
        r"pocket_money\.applies_to: expected unaccompanied_minor",
    ),
    (lambda d: d.update(components=[]), r"components: expected a non-empty list"),
]


@pytest.mark.parametrize(("edit", "message"), BROKEN)
def test_a_broken_file_names_the_field(dk_data, edit, message):
    with pytest.raises(RateTableError, match=r"^dk-2024\.json: (\S*\.)?" + message):
        parse_rates(broken(dk_data, edit), source_name="dk-2024.json")


def test_the_protected_part_cannot_exceed_the_amount():
    data = json.loads((RATES_DIR / "se-2024.json").read_text())
    data["components"][0]["rates"][1]["protected"] = "99"
    with pytest.raises(
        RateTableError, match=r"rates\[1\]\.protected: the protected part 99 exceeds the amount 61"
    ):
        parse_rates(data, source_name="se-2024.json")
