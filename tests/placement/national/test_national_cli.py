"""``ankomst place national``, ``national-example`` and ``simulate-year`` end to end."""

import json

from ankomst.placement.cli import main


def test_example_then_assignment_round_trip(tmp_path, capsys):
    example = tmp_path / "input.json"
    out = tmp_path / "result.json"
    assert main(["national-example", "--out", str(example), "--persons", "600"]) == 0
    code = main(["national", str(example), "--out", str(out), "--time-limit", "3", "--gap", "0.05"])
    assert code == 0
    captured = capsys.readouterr()
    assert "households" in captured.out and "assigned" in captured.out
    assert "pricing round" in captured.err  # progress on stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    data = json.loads(example.read_text(encoding="utf-8"))
    assert len(result["assignments"]) == len(data["households"])
    first = result["assignments"][0]
    assert first["letter"].startswith(f"Household {first['household']} ")
    assert first["reason"]["code"] and isinstance(first["reason"]["params"], dict)
    assert result["bound"] >= result["objective"]
    assert len(result["intake"]) == 98 and result["violations"] == []


def test_bad_input_exits_2_naming_record_and_field(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "households": [
                    {
                        "id": "H1",
                        "persons": 3,
                        "adults": 1,
                        "children": 1,
                        "nationality": "SY",
                        "language": "ar",
                        "education": "some",
                        "family_tie": "nowhere",
                    }
                ],
                "municipalities": [{"id": "101", "quota": 10}],
            }
        ),
        encoding="utf-8",
    )
    assert main(["national", str(bad)]) == 2
    err = capsys.readouterr().err
    assert 'households[0] (id "H1"), field "education"' in err
    assert "Traceback" not in err
    bad.write_text("{not json", encoding="utf-8")
    assert main(["national", str(bad)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["national", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_bad_score_file_exits_2(tmp_path, capsys):
    example = tmp_path / "input.json"
    main(["national-example", "--out", str(example), "--persons", "200"])
    data = json.loads(example.read_text(encoding="utf-8"))
    data["scores"] = {"source": "file", "path": "scores.csv"}
    example.write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "scores.csv").write_text("household,101\nH00001,0.5\n", encoding="utf-8")
    assert main(["national", str(example)]) == 2
    err = capsys.readouterr().err
    assert "no column for municipality" in err and "Traceback" not in err


def test_simulate_year_compares_with_hindsight_and_greedy(tmp_path, capsys):
    out = tmp_path / "year.json"
    code = main(
        ["simulate-year", "--persons", "250", "--seed", "3", "--balancing", "--out", str(out)]
    )
    assert code == 0
    table = capsys.readouterr().out
    for run in ("hindsight", "dynamic", "dynamic balanced", "greedy"):
        assert run in table
    year = json.loads(out.read_text(encoding="utf-8"))
    assert set(year["runs"]) == {"dynamic", "dynamic balanced", "greedy"}
    assert year["main_run"] == "dynamic balanced"
    assert len(year["runs"]["dynamic"]["weeks"]) == 52
    assert len(year["assignments"]) == len(year["explanations"])
    assert 0 < year["runs"]["greedy"]["of_hindsight"] <= 1.0001
