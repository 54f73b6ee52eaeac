"""A measure whose source states no threshold is never called on a guessed majority: Florida's
2024 Amendment 3 had 55.9% yes and failed (it needed 60%); California's special taxes need
two-thirds. Such a measure holds a majority and two-thirds as its thresholds and is settled only
where both agree (``rules/california.py``, ``unstated_measure_rule``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.desk import Desk
from racedesk.engine.backtest import run_backtest
from racedesk.engine.params import default_params
from racedesk.publish.web.app import create_app
from racedesk.sources.loader import load_canvasses
from racedesk.store import open_store

ELECTION = "openelections:2024-11-05-fl-general"

#: Made-up statewide counts at telling shares: 46.9% yes (fails at every threshold), 55.9% (the
#: share of Florida's Amendment 3, which failed at 60%), 57.2%, 66.4% (each passing at a majority,
#: failing at 60% or two-thirds) and 71.3% (passing at every one).
FLORIDA = """county,office,district,party,candidate,votes
Statewide,Amendment 2,,,Yes,469000
Statewide,Amendment 2,,,No,531000
Statewide,Amendment 3,,,Yes,559000
Statewide,Amendment 3,,,No,441000
Statewide,Amendment 4,,,Yes,572000
Statewide,Amendment 4,,,No,428000
Statewide,Amendment 5,,,Yes,664000
Statewide,Amendment 5,,,No,336000
Statewide,Amendment 6,,,Yes,713000
Statewide,Amendment 6,,,No,287000
"""


@pytest.fixture
def florida(tmp_path: Path) -> Path:
    path = tmp_path / "20241105__fl__general__county.csv"
    path.write_text(FLORIDA, encoding="utf-8")
    return path


def test_a_yes_no_contest_of_unstated_threshold_is_settled_only_where_all_agree(
    florida: Path,
) -> None:
    (canvass,) = load_canvasses(str(florida))
    election = canvass.election
    assert {c.kind for c in election.contests} == {"measure"}
    assert not any(c.portion for c in election.contests)  # "Statewide" rows are no county's
    assert {(c.rule.threshold, c.rule.alt_threshold) for c in election.contests} == {("2/3", "1/2")}
    report = run_backtest(election, canvass.releases, [], default_params())
    outcome = {c.title: c.final_status for c in report.contests}
    # 55.9%, 57.2% and 66.4% yes pass at a majority and fail at 60% or two-thirds: not settled
    assert outcome == {
        "Amendment 2": "failed",
        "Amendment 3": "too close",
        "Amendment 4": "too close",
        "Amendment 5": "too close",
        "Amendment 6": "passed",
    }
    called = {c.title: c.call.status for c in report.contests if c.call is not None}
    assert called == {"Amendment 2": "failed", "Amendment 6": "passed"}
    assert report.summary.wrong_calls == 0


def test_the_desk_says_what_the_outcome_turns_on(florida: Path, tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite"
    runner = CliRunner()
    stored = runner.invoke(app, ["ingest", str(florida), "--db", str(db), "-q"])
    assert stored.exit_code == 0, stored.output
    shown = runner.invoke(app, ["status", "--db", str(db), "--contest", "amendment-3"])
    text = " ".join(shown.output.split())
    assert "threshold not stated by the source (a majority, 55%, 60% or two-thirds)" in text
    assert (
        "Yes has 55.9%: passing at a majority, failing at 2/3; the source does not state which "
        "threshold holds (a contest-rules file can). Yes is projected at 55.9%. Not called."
    ) in text
    assert "needs" not in text  # nothing is left to need
    # the chance at two-thirds, and at a majority in brackets, as the caption says
    assert "│ Yes │ 559,000 │ 55.90% │ 55.9% │ 0% (100%) │" in text
    assert "│ No │ 441,000 │ 44.10% │ 44.1% │ 100% (0%) │" in text
    assert (
        "Yes's chance to pass at 2/3 (a majority if the threshold, which the source does not "
        "state, is a majority)"
    ) in text
    passed = runner.invoke(app, ["status", "--db", str(db), "--contest", "amendment-6"])
    assert "it has clinched passage at 67% whatever the votes left do" in " ".join(
        passed.output.split()
    )
    # the page shows the same, with the projected outcomes split three ways
    client = TestClient(create_app(Desk(open_store(f"sqlite:///{db}")), token=None))
    page = client.get(f"/elections/{ELECTION}/contests/amendment-3").text
    assert ">0% (100%)</td>" in page and ">100% (0%)</td>" in page
    assert "Yes&#39;s chance to pass at 2/3 (a majority if the threshold" in page
    assert "passes with a majority, fails at 2/3: <strong>100%</strong>" in page
    doc = client.get(f"/api/elections/{ELECTION}/contests/amendment-3").json()["contest"]
    assert [(c["projection"]["probability"], c["projection"]["probability_alt"])
            for c in doc["choices"]] == [(0.0, 1.0), (1.0, 0.0)]  # fmt: skip
