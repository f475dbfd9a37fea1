"""Input files and score files are checked on load: a bad one names the record and field
(or the line and column), and gives no result."""

import copy
import json

import jsonschema
import numpy as np
import pytest

from ankomst.placement.national.data import (
    NationalInputError,
    input_schema,
    instance_from_dict,
    instance_to_dict,
    load_instance,
)
from ankomst.placement.national.generate import FAMILIES, national_instance
from ankomst.placement.national.scores import file_scores, scores_of, synthetic_scores

EXAMPLE = national_instance(300, seed=3)


def problems_of(data) -> list[str]:
    with pytest.raises(NationalInputError) as info:
        instance_from_dict(data)
    return info.value.problems


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(input_schema())


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_generates_a_valid_deterministic_year(family):
    data = national_instance(300, seed=2, family=family)
    instance = instance_from_dict(data)
    assert len(instance.municipalities) == 98
    assert sum(h.persons for h in instance.households) >= 300
    assert all(1 <= h.arrival_week <= 52 for h in instance.households)
    assert national_instance(300, seed=2, family=family) == data
    assert national_instance(300, seed=3, family=family) != data


def test_the_municipalities_are_the_danish_ones_with_their_quotas():
    names = {m["name"] for m in EXAMPLE["municipalities"]}
    assert {"København", "Aarhus", "Læsø"} <= names
    national = sum(m["quota"] for m in EXAMPLE["municipalities"])
    assert national >= sum(h["persons"] for h in EXAMPLE["households"])


def test_it_names_record_and_field_of_a_bad_value():
    data = copy.deepcopy(EXAMPLE)
    data["households"][3]["persons"] = 0
    data["municipalities"][2]["capacities"]["treatment"] = -1
    problems = problems_of(data)
    assert any(p.startswith('households[3] (id "H00004"), field "persons"') for p in problems)
    assert any(
        p.startswith('municipalities[2] (id "151"), field "capacities.treatment"') for p in problems
    )


def test_it_checks_rules_between_records():
    data = copy.deepcopy(EXAMPLE)
    data["households"][0]["family_tie"] = "atlantis"
    data["households"][1]["persons"] += 1
    data["households"][2]["id"] = data["households"][0]["id"]
    adult = next(i for i, h in enumerate(data["households"]) if h["adults"] > 0)
    data["households"][adult]["needs"] = {"unaccompanied_minor": True}
    problems = problems_of(data)
    assert any('field "family_tie": unknown municipality "atlantis"' in p for p in problems)
    assert any("households[1]" in p and 'field "persons"' in p for p in problems)
    assert any("households[2]" in p and "duplicate id" in p for p in problems)
    assert any(f"households[{adult}]" in p and "unaccompanied" in p for p in problems)


def test_an_instance_round_trips_through_its_file(tmp_path):
    instance = instance_from_dict(EXAMPLE)
    again = instance_from_dict(instance_to_dict(instance))
    assert again.households == instance.households
    assert again.municipalities == instance.municipalities
    assert again.rules == instance.rules


def write_scores_csv(path, instance, matrix):
    lines = ["household," + ",".join(m.id for m in instance.municipalities)]
    for h, row in zip(instance.households, matrix, strict=True):
        lines.append(h.id + "," + ",".join(f"{v:.6f}" for v in row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_scores_come_from_a_csv_or_npy_file(tmp_path):
    instance = instance_from_dict(EXAMPLE)
    matrix = np.round(synthetic_scores(instance), 6)
    write_scores_csv(tmp_path / "scores.csv", instance, matrix)
    np.save(tmp_path / "scores.npy", matrix)
    for name in ("scores.csv", "scores.npy"):
        data = dict(EXAMPLE, scores={"source": "file", "path": name})
        (tmp_path / "input.json").write_text(json.dumps(data), encoding="utf-8")
        loaded = load_instance(tmp_path / "input.json")
        scores = scores_of(loaded)
        assert scores.score == pytest.approx(matrix, abs=1e-6)
        assert scores.source == f"file {name}"


def test_a_bad_score_file_names_line_and_column(tmp_path):
    instance = instance_from_dict(EXAMPLE)
    matrix = synthetic_scores(instance)
    path = tmp_path / "scores.csv"
    write_scores_csv(path, instance, matrix)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(",101,", ",999,")
    lines[2] = lines[2].replace(lines[2].split(",")[3], "many", 1)
    del lines[5]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(NationalInputError) as info:
        file_scores(instance, path)
    problems = info.value.problems
    assert any('unknown municipality "999"' in p for p in problems)
    assert any('no column for municipality "101"' in p for p in problems)
    assert any("line 3" in p and '"many" is not a number' in p for p in problems)
    assert any(f'no row for household "{instance.households[4].id}"' in p for p in problems)


def test_a_score_outside_zero_one_is_refused(tmp_path):
    instance = instance_from_dict(EXAMPLE)
    matrix = synthetic_scores(instance)
    matrix[4, 7] = 1.5
    np.save(tmp_path / "s.npy", matrix)
    with pytest.raises(NationalInputError, match=instance.households[4].id):
        file_scores(instance, tmp_path / "s.npy")
    np.save(tmp_path / "t.npy", matrix[:, :5])
    with pytest.raises(NationalInputError, match="shape"):
        file_scores(instance, tmp_path / "t.npy")
