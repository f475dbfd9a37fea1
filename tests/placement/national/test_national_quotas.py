"""Statutory quotas: worked examples computed by hand, properties over random tables, the
shipped tables, and ``ankomst place quotas``.

The Danish worked example (``EXAMPLE``), five municipalities in two regions:

    code  region  population  non-Western  reunified here
    1     N          400          60            4
    2     N          100          20            2
    3     S          200          10            0
    4     S          200          10            0
    5     S          100           0            0
    total           1000         100            6

Population shares .4 .1 .2 .2 .1; non-Western shares .6 .2 .1 .1 0.
Share = population share − (non-Western share − population share) = 2p − n:
    .2  0  .3  .3  .2   (they add up to 1).
National number 94, reunified nationally 6 (the column's sum): base 100.
Computed = share × 100:             20   0  30  30  20
Provisional = computed − reunified: 16  −2  30  30  20   (adds up to 94)
Municipality 2 is negative: 0. The positive ones add up to 96, 2 too many; they are scaled
by 94/96 = 47/48: 15.667  0  29.375  29.375  19.583   (adds up to 94).
Whole parts 15 0 29 29 19 = 92; 2 persons left go to the largest remainders, .667 (code 1)
and .583 (code 5): quotas 16 0 29 29 20. Region N 16, region S 78.

Revision of the same table to a national number of 46 (base 52), with 5 persons already
assigned to code 1, 20 to code 3 and 9 to code 5:
Computed 10.4 0 15.6 15.6 10.4; provisional 6.4 −2 15.6 15.6 10.4; scaled by 46/48:
    6.133  0  14.95  14.95  9.967.
Round 1: code 3 (14.95) is below its 20: held at 20; 26 left over the others, in proportion
    6.4 : 0 : 15.6 : 10.4 = 16 : 0 : 39 : 26 (of 81): code 1 5.136, code 4 12.519, code 5 8.346.
Round 2: code 5 (8.346) is below its 9: held; 17 left over codes 1 and 4 as 16 : 39 (of 55):
    code 1 4.945, code 4 12.055.
Round 3: code 1 (4.945) is below its 5: held; 12 left, all to code 4 (code 2 has weight 0).
Revised quotas 5 0 20 12 9 = 46, none below what was assigned.

A tie: three areas of equal population, codes 2, 3 and 10, share a national number of 4:
4/3 each, whole parts 1 1 1, one person left with three equal remainders of 1/3: it goes to the
lowest code compared as a number, 2 (not "10", which sorts first as text).

Blocks: three equal areas (codes 1, 2, 3), 25 persons in blocks of 10: 10 → 4 3 3,
10 → 4 3 3, 5 → 2 2 1; quotas 10 8 7. All at once it would be 9 8 8.

Königstein: X with 60 % of the tax revenue and 40 % of the population, Y the other way round:
X = 2/3 × .6 + 1/3 × .4 = 8/15 = .5333, Y = 7/15 = .4667; 100 persons: 53.33 and 46.67, so
53 and 47.

Sweden: counties K1 (population 300, employed 100) and K2 (100, 100), weights 1/2 and 1/2:
K1 = (3/4 + 1/2)/2 = 5/8, K2 = 3/8; 10 persons: 6.25 and 3.75, county figures 6 and 4.
K1's municipalities of 200 and 100 inhabitants get 4 and 2; K2's only municipality 4.
"""

import csv
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ankomst.placement.cli import main as place_main
from ankomst.placement.national.quotas import (
    Area,
    Exchange,
    ExchangeError,
    QuotaError,
    QuotaTable,
    Region,
    RevisionError,
    TableError,
    apply_exchanges,
    compute_quotas,
    danish_quotas,
    largest_remainder,
    load_table,
    population_quotas,
    revise,
    revision_due,
    shipped_tables,
    shipped_tables_dir,
    swedish_quotas,
    weighted_quotas,
)

F = Fraction


def danish_table(rows, regions=(("N", "North"), ("S", "South"))) -> QuotaTable:
    """A Danish table from (code, region, population, non_western, reunified) rows."""
    return QuotaTable(
        name="example",
        kind="danish",
        regions=tuple(Region(code, name) for code, name in regions),
        areas=tuple(
            Area(
                code=code,
                name=f"Municipality {code}",
                region=region,
                population=population,
                figures={"non_western": F(non_western), "reunified": F(reunified)},
            )
            for code, region, population, non_western, reunified in rows
        ),
    )


EXAMPLE = danish_table(
    [
        ("1", "N", 400, 60, 4),
        ("2", "N", 100, 20, 2),
        ("3", "S", 200, 10, 0),
        ("4", "S", 200, 10, 0),
        ("5", "S", 100, 0, 0),
    ]
)


def plain_table(populations: dict[str, int]) -> QuotaTable:
    return QuotaTable(
        name="plain",
        kind="weighted",
        areas=tuple(Area(code, f"Area {code}", "", p) for code, p in populations.items()),
    )


# --- worked examples -------------------------------------------------------------------------


def test_it_computes_the_danish_example_by_hand():
    result = danish_quotas(EXAMPLE, 94)
    assert result.base == 100 and result.reunified_nationally == 6
    rows = {row.code: row for row in result.rows}
    assert [rows[c].share for c in "12345"] == [F(1, 5), 0, F(3, 10), F(3, 10), F(1, 5)]
    assert [rows[c].computed for c in "12345"] == [20, 0, 30, 30, 20]
    assert [rows[c].provisional for c in "12345"] == [16, -2, 30, 30, 20]
    assert [rows[c].redistributed for c in "12345"] == [
        F(47, 3),
        0,
        F(235, 8),
        F(235, 8),
        F(235, 12),
    ]
    assert result.quotas() == {"1": 16, "2": 0, "3": 29, "4": 29, "5": 20}
    assert {c for c in rows if rows[c].by_remainder} == {"1", "5"}
    assert result.region_quotas() == {"N": 16, "S": 78}
    assert "Municipality 2 (2) -2.00" in result.notes[0]
    assert "quota 0" in result.explain("2") and "set to 0" in result.explain("2")


def test_it_gives_a_tie_in_the_remainders_to_the_lowest_code():
    result = population_quotas(plain_table({"10": 1, "2": 1, "3": 1}), 4)
    assert result.quotas() == {"10": 1, "2": 2, "3": 1}
    assert any("Tie in the remainders" in note for note in result.notes)


def test_largest_remainder_refuses_targets_that_do_not_add_up():
    with pytest.raises(QuotaError, match="add up"):
        largest_remainder({"a": F(1, 2), "b": F(1, 3)}, 1)


def test_it_divides_the_population_key_block_by_block():
    table = plain_table({"1": 1, "2": 1, "3": 1})
    blocks = population_quotas(table, 25, block_size=10)
    assert [dict(block) for block in blocks.blocks] == [
        {"1": 4, "2": 3, "3": 3},
        {"1": 4, "2": 3, "3": 3},
        {"1": 2, "2": 2, "3": 1},
    ]
    assert blocks.quotas() == {"1": 10, "2": 8, "3": 7}
    assert population_quotas(table, 25).quotas() == {"1": 9, "2": 8, "3": 8}


def test_it_computes_a_koenigstein_key_from_its_table():
    table = QuotaTable(
        name="two",
        kind="weighted",
        weights={"tax": F(2, 3), "population": F(1, 3)},
        areas=(
            Area("X", "X", "", 40, {"tax": F(60)}),
            Area("Y", "Y", "", 60, {"tax": F(40)}),
        ),
    )
    result = weighted_quotas(table, 100)
    assert result.row("X").share == F(8, 15) and result.row("Y").share == F(7, 15)
    assert result.quotas() == {"X": 53, "Y": 47}


def test_it_sets_swedish_county_figures_first_and_municipal_figures_within_them():
    table = QuotaTable(
        name="se",
        kind="swedish",
        region_weights={"population": F(1, 2), "employed": F(1, 2)},
        weights={"population": F(1)},
        regions=(
            Region("K1", "County 1", {"population": F(300), "employed": F(100)}),
            Region("K2", "County 2", {"population": F(100), "employed": F(100)}),
        ),
        areas=(
            Area("m1", "M1", "K1", 200),
            Area("m2", "M2", "K1", 100),
            Area("m3", "M3", "K2", 100),
        ),
    )
    result = swedish_quotas(table, 10)
    counties = {region.code: region for region in result.regions}
    assert counties["K1"].share == F(5, 8) and counties["K1"].target == F(25, 4)
    assert result.region_quotas() == {"K1": 6, "K2": 4}
    assert result.quotas() == {"m1": 4, "m2": 2, "m3": 4}


def test_an_agreed_exchange_within_a_region_moves_persons_and_keeps_the_sums():
    result = apply_exchanges(danish_quotas(EXAMPLE, 94), [Exchange("4", "3", 5)])
    assert result.quotas() == {"1": 16, "2": 0, "3": 34, "4": 24, "5": 20}
    assert result.row("4").rounded == 29 and result.row("4").exchanged == -5
    assert result.region_quotas() == {"N": 16, "S": 78}
    assert result.total == 94
    assert "5 from Municipality 4 (4) to Municipality 3 (3)" in result.notes[-1]


def test_an_exchange_across_regions_is_refused_naming_both():
    with pytest.raises(ExchangeError, match=r"Municipality 3 \(3\).*South.*North"):
        apply_exchanges(danish_quotas(EXAMPLE, 94), [("3", "1", 2)])


def test_an_exchange_that_leaves_a_quota_negative_is_refused_naming_the_municipality():
    with pytest.raises(ExchangeError, match=r"Municipality 2 \(2\) with a quota of -1"):
        apply_exchanges(danish_quotas(EXAMPLE, 94), [("2", "1", 1)])
    # ... but a chain that nets out is fine: 2 first receives, then passes on
    chained = apply_exchanges(danish_quotas(EXAMPLE, 94), [("1", "2", 3), ("2", "1", 1)])
    assert chained.quota("2") == 2 and chained.region_quotas()["N"] == 16


@pytest.mark.parametrize(
    "exchange, message",
    [
        (("9", "1", 1), "no municipality with code '9'"),
        (("1", "1", 1), "to itself"),
        (("1", "2", 0), "positive whole number"),
        (("1", "2"), "from, to, persons"),
    ],
)
def test_malformed_exchanges_are_refused(exchange, message):
    with pytest.raises(ExchangeError, match=message):
        apply_exchanges(danish_quotas(EXAMPLE, 94), [exchange])


def test_a_revision_keeps_what_was_already_assigned():
    result = revise(EXAMPLE, 46, {"1": 5, "3": 20, "5": 9})
    assert [result.row(c).redistributed for c in "12345"] == [
        F(46, 48) * F(32, 5),
        0,
        F(46, 48) * F(78, 5),
        F(46, 48) * F(78, 5),
        F(46, 48) * F(52, 5),
    ]
    assert result.quotas() == {"1": 5, "2": 0, "3": 20, "4": 12, "5": 9}
    assert {c for c in "12345" if result.row(c).held} == {"1", "3", "5"}
    assert result.total == 46 and result.region_quotas() == {"N": 5, "S": 41}
    assert "Held at what they have already received" in result.notes[-1]


def test_a_revision_below_what_was_assigned_in_total_is_refused():
    with pytest.raises(RevisionError, match="below the 34 persons already assigned"):
        revise(EXAMPLE, 30, {"1": 5, "3": 20, "5": 9})


def test_an_exchange_after_a_revision_cannot_go_below_what_was_received():
    revised = revise(EXAMPLE, 46, {"1": 5, "3": 20, "5": 9})
    with pytest.raises(ExchangeError, match="below the 20 persons it has already received"):
        apply_exchanges(revised, [("3", "4", 1)])


@pytest.mark.parametrize(
    "announced, estimate, due",
    [
        (1000, 1400, False),  # exactly 40 % is not more than 40 %
        (1000, 1401, True),
        (1000, 600, False),
        (1000, 599, True),
        (8000, 11200, False),  # 8,000 is still "up to 8,000": 40 %
        (8000, 11201, True),
        (8001, 10001, False),  # above 8,000: 25 % of 8,001 is 2,000.25
        (8001, 10002, True),
        (10000, 7499, True),
    ],
)
def test_revision_is_due_when_the_estimate_moves_more_than_the_threshold(announced, estimate, due):
    assert revision_due(announced, estimate) is due


def test_bad_numbers_are_refused_in_words():
    with pytest.raises(QuotaError, match="cannot be negative"):
        danish_quotas(EXAMPLE, -1)
    with pytest.raises(QuotaError, match="whole number"):
        danish_quotas(EXAMPLE, 2.5)
    with pytest.raises(QuotaError, match="Danish key only"):
        compute_quotas(EXAMPLE, 10, key="population", reunified_nationally=3)
    with pytest.raises(QuotaError, match="block size"):
        population_quotas(EXAMPLE, 10, block_size=0)
    with pytest.raises(QuotaError, match="no weights"):
        compute_quotas(EXAMPLE, 10, key="koenigstein")


def test_a_national_number_of_zero_gives_zero_everywhere():
    assert set(danish_quotas(EXAMPLE, 0).quotas().values()) == {0}


# --- properties ------------------------------------------------------------------------------


@st.composite
def danish_tables(draw):
    regions = [(f"R{i}", f"Region {i}") for i in range(draw(st.integers(1, 3)))]
    rows = []
    for i in range(draw(st.integers(1, 7))):
        population = draw(st.integers(1, 50_000))
        rows.append(
            (
                str(101 + i),
                draw(st.sampled_from(regions))[0],
                population,
                draw(st.integers(0, population)),
                draw(st.integers(0, 40)),
            )
        )
    if not any(row[3] for row in rows):
        code, region, population, _, reunified = rows[0]
        rows[0] = (code, region, population, 1, reunified)
    return danish_table(rows, regions)


def assert_sound(result, national_number):
    assert result.total == national_number
    assert all(row.quota >= 0 for row in result.rows)
    if result.regions:
        assert sum(region.quota for region in result.regions) == national_number
    for region in result.regions:
        assert region.quota == sum(r.quota for r in result.rows if r.region == region.code)
    assert sum(row.target for row in result.rows) == national_number
    for row in result.rows:  # largest remainder: never more than one person off its target
        assert abs(row.rounded - row.target) < 1


@settings(max_examples=150, deadline=None)
@given(danish_tables(), st.integers(0, 3000))
def test_danish_quotas_add_up_and_are_never_negative(table, national_number):
    result = danish_quotas(table, national_number)
    assert_sound(result, national_number)
    for row in result.rows:
        if row.provisional <= 0:
            assert row.quota == 0


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.integers(1, 999).map(str), st.integers(0, 10_000), min_size=1, max_size=8
    ).filter(lambda d: sum(d.values()) > 0),
    st.integers(0, 50_000),
    st.one_of(st.none(), st.integers(1, 20_000)),
)
def test_population_quotas_add_up_block_by_block(populations, national_number, block_size):
    result = population_quotas(plain_table(populations), national_number, block_size=block_size)
    assert result.total == national_number
    assert all(row.quota >= 0 for row in result.rows)
    for block in result.blocks:
        assert all(value >= 0 for value in block.values())
    if block_size is None:
        assert_sound(result, national_number)


@settings(max_examples=100, deadline=None)
@given(danish_tables(), st.integers(0, 2000), st.data())
def test_exchanges_keep_the_regional_and_national_sums(table, national_number, data):
    """Any exchanges: either refused for a stated reason, or every sum is unchanged."""
    result = danish_quotas(table, national_number)
    codes = [area.code for area in table.areas]
    regions = {area.code: area.region for area in table.areas}
    exchanges = data.draw(
        st.lists(
            st.tuples(st.sampled_from(codes), st.sampled_from(codes), st.integers(1, 30)),
            max_size=4,
        )
    )
    # ... and one that must be accepted: within a region, at most what the giver has
    givers = [c for c in codes if result.quota(c) > 0]
    partners = [(g, r) for g in givers for r in codes if r != g and regions[r] == regions[g]]
    if partners and data.draw(st.booleans()):
        giver, receiver = data.draw(st.sampled_from(partners))
        exchanges = [(giver, receiver, data.draw(st.integers(1, result.quota(giver))))]
    try:
        after = apply_exchanges(result, exchanges)
    except ExchangeError:
        net = {code: result.quota(code) for code in codes}
        for giver, receiver, persons in exchanges:
            net[giver] -= persons
            net[receiver] += persons
        assert (
            any(g == r or regions[g] != regions[r] for g, r, _ in exchanges)
            or min(net.values()) < 0
        )
        return
    assert after.total == national_number
    assert after.region_quotas() == result.region_quotas()
    assert all(row.quota >= 0 for row in after.rows)


@settings(max_examples=100, deadline=None)
@given(danish_tables(), st.integers(1, 3000), st.data())
def test_a_revision_never_goes_below_what_was_assigned(table, new_number, data):
    codes = [area.code for area in table.areas]
    budget = data.draw(st.integers(0, new_number))
    assigned = {}
    for code in codes:
        assigned[code] = data.draw(st.integers(0, budget))
        budget -= assigned[code]
    result = revise(table, new_number, assigned)
    assert_sound(result, new_number)
    assert all(result.quota(code) >= assigned[code] for code in codes)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)), min_size=1, max_size=6).filter(
        lambda rows: sum(r[0] for r in rows) > 0 and sum(r[1] for r in rows) > 0
    ),
    st.integers(0, 10_000),
)
def test_weighted_quotas_add_up(rows, national_number):
    table = QuotaTable(
        name="random",
        kind="weighted",
        weights={"tax": F(2, 3), "population": F(1, 3)},
        areas=tuple(
            Area(str(i), f"L{i}", "", pop, {"tax": F(tax)}) for i, (tax, pop) in enumerate(rows)
        ),
    )
    assert_sound(weighted_quotas(table, national_number), national_number)


# --- the shipped tables ----------------------------------------------------------------------


def test_the_shipped_tables_load():
    assert set(shipped_tables()) >= {"dk-2024", "de-2024", "se-2024"}
    dk = load_table("dk-2024")
    assert len(dk.areas) == 98 and len(dk.regions) == 5
    assert {a.region for a in dk.areas} == {r.code for r in dk.regions}
    names = {a.code: a.name for a in dk.areas}
    assert names["101"] == "København" and names["492"] == "Ærø" and names["169"] == "Høje-Taastrup"
    assert 5_800_000 < sum(a.population for a in dk.areas) < 6_100_000
    de = load_table("de-2024")
    assert len(de.areas) == 16 and de.weights == {
        "tax_revenue_share": F(2, 3),
        "population": F(1, 3),
    }
    se = load_table("se-2024")
    assert len(se.regions) == 21 and len(se.areas) == 290
    for county in se.regions:  # the counties' populations are the sums of their municipalities'
        members = [a.population for a in se.areas if a.region == county.code]
        assert members and county.figure("population") == sum(members)


def test_the_german_table_reproduces_the_published_koenigstein_key():
    result = compute_quotas(load_table("de-2024"), 100)
    with (shipped_tables_dir() / "de-2024-laender.csv").open(encoding="utf-8") as file:
        published = {row["code"]: F(row["published_key"]) / 100 for row in csv.DictReader(file)}
    for row in result.rows:
        assert abs(row.share - published[row.code]) < F(1, 10_000)


@pytest.mark.parametrize("table, number", [("dk-2024", 1000), ("se-2024", 4000), ("de-2024", 9999)])
def test_the_shipped_tables_give_sound_quotas(table, number):
    assert_sound(compute_quotas(load_table(table), number), number)


def write_table(folder: Path, municipalities: str, regions: str = "code,name\n1,One\n") -> Path:
    (folder / "m.csv").write_text(municipalities, encoding="utf-8")
    (folder / "r.csv").write_text(regions, encoding="utf-8")
    manifest = folder / "t.json"
    manifest.write_text(json.dumps({"kind": "danish", "regions": "r.csv", "areas": "m.csv"}))
    return manifest


HEADER = "code,name,region,population,non_western,reunified\n"


@pytest.mark.parametrize(
    "rows, message",
    [
        ("1,A,1,100,5,0\n2,B,1,-3,1,0\n", "m.csv: line 3 (code 2), population: '-3' is negative"),
        ("1,A,1,100,5,0\n2,B,9,50,1,0\n", "line 3 (code 2), region: '9' is not one of the regions"),
        ("1,A,1,100,5,0\n1,B,1,50,1,0\n", "line 3 (code 1), code: appears twice (first on line 2)"),
        ("1,A,1,100,x,0\n", "line 2 (code 1), non_western: 'x' is not a number"),
        ("1,A,1,100,5,0.5\n", "line 2 (code 1), reunified: '0.5' is not a whole number"),
        ("1,A,1,100,5\n", "line 2: 5 fields where the header has 6"),
    ],
)
def test_a_bad_row_is_named_with_its_line_and_field(tmp_path, rows, message):
    with pytest.raises(TableError) as error:
        load_table(write_table(tmp_path, HEADER + rows))
    assert message in str(error.value)


def test_a_missing_column_or_file_is_named(tmp_path):
    with pytest.raises(TableError, match="missing column.*non_western"):
        load_table(write_table(tmp_path, "code,name,region,population,reunified\n1,A,1,5,0\n"))
    with pytest.raises(TableError, match="no shipped table of that name"):
        load_table("dk-1999")
    with pytest.raises(TableError, match="cannot read"):
        load_table(tmp_path / "absent.json")


def test_a_semicolon_separated_table_loads(tmp_path):
    table = load_table(write_table(tmp_path, HEADER.replace(",", ";") + "1;A;1;100;5;0\n"))
    assert table.areas[0].population == 100


# --- the command line ------------------------------------------------------------------------


def test_the_cli_prints_the_danish_quotas(capsys, tmp_path):
    out = tmp_path / "quotas.json"
    assert place_main(["quotas", "dk-2024", "--national-number", "1000", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "København" in printed and "Region Hovedstaden" in printed and "provisional" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sum(area["quota"] for area in data["areas"]) == 1000
    assert sum(region["quota"] for region in data["regions"]) == 1000


def test_the_cli_applies_exchanges_and_writes_csv(capsys, tmp_path):
    exchanges = tmp_path / "exchanges.csv"
    exchanges.write_text("from,to,persons\n147,157,3\n", encoding="utf-8")
    out = tmp_path / "quotas.csv"
    argv = ["quotas", "dk-2024", "--national-number", "1000", "--exchanges", str(exchanges)]
    assert place_main([*argv, "--out", str(out)]) == 0
    assert "exchanged" in capsys.readouterr().out
    with out.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    areas = {row["code"]: row for row in rows if row["level"] == "area"}
    assert areas["147"]["exchanged"] == "-3" and areas["157"]["exchanged"] == "3"
    assert sum(int(row["quota"]) for row in areas.values()) == 1000


@pytest.mark.parametrize(
    "argv, message",
    [
        (["dk-2024", "--national-number", "-5"], "cannot be negative"),
        (["dk-1999", "--national-number", "5"], "no shipped table of that name"),
        (["de-2024", "--national-number", "5", "--reunified", "2"], "Danish key only"),
        (["dk-2024", "--national-number", "5", "--out", "q.txt"], "--out must end in"),
    ],
)
def test_the_cli_refuses_bad_input_with_status_2(capsys, argv, message):
    assert place_main(["quotas", *argv]) == 2
    assert message in capsys.readouterr().err


def test_the_cli_names_the_bad_row_of_a_table(capsys, tmp_path):
    manifest = write_table(tmp_path, HEADER + "1,A,1,100,5,0\n2,B,1,lots,1,0\n")
    assert place_main(["quotas", str(manifest), "--national-number", "10"]) == 2
    err = capsys.readouterr().err
    assert "is not a valid table" in err and "line 3 (code 2), population" in err


def test_the_cli_refuses_an_exchange_across_regions(capsys, tmp_path):
    exchanges = tmp_path / "x.json"
    exchanges.write_text(json.dumps([{"from": "147", "to": "751", "persons": 2}]))
    argv = ["quotas", "dk-2024", "--national-number", "100", "--exchanges", str(exchanges)]
    assert place_main(argv) == 2
    assert "Region Hovedstaden while Aarhus (751) is in Region Midtjylland" in (
        capsys.readouterr().err
    )


def test_argparse_errors_exit_2_too(capsys):
    with pytest.raises(SystemExit) as exit_:
        place_main(["quotas", "dk-2024", "--national-number", "many"])
    assert exit_.value.code == 2


def test_the_ankomst_command_runs_quotas():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ankomst.cli",
            "place",
            "quotas",
            "se-2024",
            "--national-number",
            "4000",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Stockholms län" in done.stdout and "Göteborg" in done.stdout


def test_a_reader_that_stops_early_gets_no_traceback():
    """As ``ankomst place quotas ... | head -1`` when head has gone before the table is written."""
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)  # nobody reads: every write fails with a broken pipe
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ankomst.cli",
            "place",
            "quotas",
            "dk-2024",
            "--national-number",
            "1000",
        ],
        stdout=write,
        stderr=subprocess.PIPE,
        timeout=60,
    )
    os.close(write)
    assert b"Traceback" not in proc.stderr
    assert proc.returncode == 0
