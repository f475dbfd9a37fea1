"""The engine on a realistic instance: no broken rule, a proven gap, explanations, determinism."""

import json

import pytest

from ankomst.placement import engine, instance_from_dict, place
from ankomst.placement.cli import main
from ankomst.placement.evaluate import evaluate, unit_index
from ankomst.placement.generate import housing_instance


@pytest.fixture(scope="module")
def instance():
    return instance_from_dict(housing_instance(200, 300, seed=1))


@pytest.fixture(scope="module")
def result(instance):
    return place(instance, time_limit=30, gap=0.001)


def test_it_breaks_no_hard_rule_and_proves_the_gap(instance, result):
    assert result.violations == []
    assert result.status in ("optimal", "gap_reached")
    assert result.bound <= result.objective + 1e-6
    assert result.gap <= 0.001
    again = evaluate(
        instance, unit_index(instance, {p.household: p.unit for p in result.placements})
    )
    assert again.objective == pytest.approx(result.objective)


def test_the_lp_dive_reaches_the_gap_target_without_a_mip(result):
    assert result.method == "lp dive"


@pytest.mark.parametrize(
    "small_model, target, method",
    [(20_000, 0.0, "mip"), (0, 0.00001, "mip around the LP solution")],
)
def test_a_tighter_gap_than_the_dive_reached_goes_on_to_the_mip(
    instance, result, monkeypatch, small_model, target, method
):
    # a model this small goes straight to MIP B; with the threshold at 0 MIP A runs first
    # (the dive reaches 0.003 %, MIP A 0.0004 %, and only MIP B proves the optimum)
    monkeypatch.setattr(engine, "SMALL_MODEL", small_model)
    tight = place(instance, time_limit=30, gap=target)
    assert tight.method == method
    assert tight.violations == []
    assert tight.gap <= target + 1e-9
    assert tight.objective <= result.objective + 1e-6


def test_it_is_deterministic(instance, result):
    other = place(instance, time_limit=30, gap=0.001, seed=0)
    assert [p.unit for p in other.placements] == [p.unit for p in result.placements]


def test_it_explains_every_household(result):
    assert len(result.placements) == 200
    for p in result.placements:
        if p.status == "unplaced":
            assert p.reason
        else:
            assert p.cost is not None and p.best_alternative is not None
            assert p.regret >= -1e-9
            assert p.regret < 1e-9 or p.reason
            assert any(b.code.startswith("company.") for b in p.binding)
            assert any(b.text.startswith("no family alone") for b in p.binding)
    placed = next(p for p in result.placements if p.status == "placed")
    assert placed.household in result.explain(placed.household)


def test_it_reports_the_run_figures(result):
    f = result.figures
    assert f.placed_permanent + f.placed_temporary + f.unplaced == 200
    assert f.families_alone == 0  # the rule is hard by default
    assert 0 < f.largest_area_share < 0.5
    assert set(f.average_km) == {"school_families", "daycare_families", "transport", "shops"}


def test_it_is_never_in_a_disadvantaged_area_and_fits(instance, result):
    units = {u.id: u for u in instance.units}
    households = {h.id: h for h in instance.households}
    for p in result.placements:
        if p.unit:
            u, h = units[p.unit], households[p.household]
            assert not u.disadvantaged
            assert u.kind == "shared_room" or h.persons <= u.max_persons


def test_the_cli_writes_an_example_and_places_it(tmp_path, capsys):
    example, out = tmp_path / "example.json", tmp_path / "result.json"
    assert main(["example", "--out", str(example), "--households", "40", "--units", "60"]) == 0
    assert main(["housing", str(example), "--out", str(out), "--time-limit", "20"]) == 0
    data = json.loads(out.read_text())
    assert len(data["placements"]) == 40
    assert {"objective", "bound", "gap", "figures", "status"} <= set(data)
    assert "pricing round" in capsys.readouterr().err  # the progress display


def test_it_takes_the_exact_lp_path_when_only_unit_capacities_apply():
    data = housing_instance(80, 120, seed=5)
    data["rules"] = {"no_family_alone": {"mode": "off"}, "weights": {"spread_excess": 0}}
    for area in data["areas"]:
        area["ceiling"] = None
    for unit in data["units"]:
        if unit["kind"] == "shared_room":
            unit["kind"] = "temporary"
    result = place(instance_from_dict(data), time_limit=20, gap=0.0)
    assert (
        result.method == "lp (integral vertex)"
    )  # a transportation problem: the LP vertex is integral
    assert result.status == "optimal" and result.violations == []


def test_it_counts_families_alone_when_the_rule_is_soft():
    data = housing_instance(120, 180, seed=2)
    data["rules"] = {"no_family_alone": {"mode": "soft"}, "weights": {"family_alone": 1.0}}
    instance = instance_from_dict(data)
    result = place(instance, time_limit=20, gap=0.001)
    assert result.violations == []  # alone is no violation when the rule is soft
    assert result.figures.families_alone == sum(p.alone for p in result.placements)


def test_the_result_matches_its_schema(result):
    from importlib import resources

    import jsonschema

    schema = json.loads(
        resources.files("ankomst.placement")
        .joinpath("schema/housing-result.schema.json")
        .read_text()
    )
    jsonschema.validate(json.loads(json.dumps(result.to_dict())), schema)
