"""Input files are checked on load: a bad file names the record and field, and gives no result."""

import copy
import json

import pytest

from ankomst.placement import InstanceError, instance_from_dict
from ankomst.placement.cli import main
from ankomst.placement.generate import housing_instance

EXAMPLE = housing_instance(30, 45, seed=3)


def problems_of(data) -> list[str]:
    with pytest.raises(InstanceError) as info:
        instance_from_dict(data)
    return info.value.problems


def test_it_loads_the_generated_example():
    instance = instance_from_dict(EXAMPLE)
    assert len(instance.households) == 30 and len(instance.units) == 45
    assert instance.rules.temporary_payment_caps["single"] == 2546  # 2024 rate, from the rules data


def test_it_names_record_and_field_of_a_bad_value():
    data = copy.deepcopy(EXAMPLE)
    data["households"][3]["persons"] = 0
    (problem,) = problems_of(data)
    assert problem.startswith('households[3] (id "H00004"), field "persons"')


def test_it_names_a_missing_field():
    data = copy.deepcopy(EXAMPLE)
    del data["units"][5]["rent"]
    (problem,) = problems_of(data)
    assert 'units[5] (id "U00006")' in problem and "'rent' is a required property" in problem


def test_it_checks_rules_between_records():
    data = copy.deepcopy(EXAMPLE)
    data["units"][0]["area"] = "atlantis"
    data["households"][1]["persons"] += 1
    data["households"][2]["id"] = data["households"][0]["id"]
    problems = problems_of(data)
    assert any(
        'units[0] (id "U00001"), field "area": unknown area "atlantis"' in p for p in problems
    )
    assert any("households[1]" in p and 'field "persons"' in p for p in problems)
    assert any("households[2]" in p and "duplicate id" in p for p in problems)


def test_it_overrides_rules_partially():
    data = copy.deepcopy(EXAMPLE)
    data["rules"] = {"no_family_alone": {"mode": "soft"}, "weights": {"unplaced": 500}}
    rules = instance_from_dict(data).rules
    assert rules.family_alone_mode == "soft" and rules.family_alone_match == "nationality"
    assert rules.weights.unplaced == 500 and rules.weights.temporary == 20


def test_it_writes_no_result_for_a_bad_file(tmp_path, capsys):
    data = copy.deepcopy(EXAMPLE)
    data["units"][2]["kind"] = "castle"
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(data))
    assert main(["housing", str(src), "--out", str(out)]) == 2
    assert not out.exists()
    assert 'units[2] (id "U00003"), field "kind"' in capsys.readouterr().err
