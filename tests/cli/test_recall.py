"""``racedesk recall project``, run as a user runs it, on Gascón 2022's published sample."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from racedesk.cli import app

runner = CliRunner()
GASCON_2022 = ("--raw", "715833", "--sample", "35793", "--valid", "27983", "--required", "566857")


def test_recall_project_json_is_the_petition_document() -> None:
    result = runner.invoke(
        app, ["recall", "project", *GASCON_2022, "--duplicates", "109", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "racedesk.petition/1"
    assert (doc["kind"], doc["duplicates"], doc["duplicates_published"]) == (
        "local-recall",
        109,
        True,
    )
    assert doc["steps"] == {
        "validity": 0.7818,
        "uncorrected": 559_639,
        "signature_value": 19.9992,
        "duplicate_weight": 379.96880064,
        "estimated_duplicates": 41_417,
        "projected_valid": 518_222,
    }
    assert doc["decision"]["outcome"] == "full count"
    assert doc["decision"]["law"] == "EC §11225(d)"
    interval = doc["interval"]
    assert (interval["low"], interval["mid"], interval["high"]) == (509_893, 518_222, 526_551)
    assert doc["probability_sufficient"] < 1e-6
    assert doc["scenarios"] == []
    assert "make 87% of the uncertainty" in doc["notes"][0]


def test_recall_project_without_duplicates_says_they_are_missing() -> None:
    result = runner.invoke(app, ["recall", "project", *GASCON_2022, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["duplicates"] is None and not doc["duplicates_published"]
    assert doc["steps"]["projected_valid"] == 559_639
    assert round(doc["decision"]["share_of_required"] * 100, 2) == 98.73
    assert doc["notes"][0].startswith("The registrar has not published the duplicates")
    assert doc["duplicates_to_change"] == [{"outcome": "insufficient", "duplicates": 131}]
    assert [s["rate"] for s in doc["scenarios"]] == [0.0, 0.02, 0.04, 0.06, 0.08]
    assert doc["scenarios"][-1]["outcome"] == "insufficient"


def test_recall_project_prints_the_steps_and_the_decision() -> None:
    result = runner.invoke(
        app, ["recall", "project", *GASCON_2022, "--duplicates", "0"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "559,639" in out and "98.73%" in out
    assert "full count (EC §11225(d))" in out


def test_recall_project_reports_an_impossible_sample_in_one_line() -> None:
    result = runner.invoke(
        app,
        ["recall", "project", "--raw", "10", "--sample", "20", "--valid", "5", "--required", "5"],
    )
    assert result.exit_code == 2
    assert "the sample (20) is larger than the raw count (10)" in result.output
    result = runner.invoke(app, ["recall", "project", *GASCON_2022, "--kind", "referendum"])
    assert result.exit_code == 2
    assert "unknown petition kind 'referendum'" in result.output
