"""Backtests on real canvasses (engine/backtest.py): the done-when figures of issue 3.

Calibrated on the LA County 2024 primary and scored on the 2024 general, and the other way round,
never tuned on the canvass scored: zero wrong calls, 90% intervals holding the final shares in
85–95% of (contest, release) pairs, and the 2024 District Attorney general (contest 9547) called
for Hochman no later than the first release after AP's call (1:06 am Nov 6, 2024: the 1:12:05 am
release). Without any outstanding report the backtests still make zero wrong calls. The figures
quoted in docs/method.md and docs/backtest.md are checked against these runs.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec
import pytest

from racedesk.engine import backtest
from racedesk.engine.backtest import BacktestReport, run_backtest
from racedesk.engine.calibrate import canvass_rows, fit
from racedesk.engine.params import ModelParams, default_params
from racedesk.engine.replay import replay
from racedesk.model import Election, OutstandingReport, Release
from racedesk.settings import REPO_ROOT
from racedesk.sources import lavote
from racedesk.sources.outstanding import load_reports

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
LA = ZoneInfo("America/Los_Angeles")
AP_DA_CALL = datetime(2024, 11, 6, 1, 6, tzinfo=LA)

Canvass = tuple[Election, list[Release], list[OutstandingReport]]


def _canvass(folder: Path, shared: Path) -> Canvass:
    election, files = lavote.load_folder(folder)
    releases = [lavote.read_release(data, election, where=str(path)) for path, data in files]
    reports = load_reports(shared / "lavote" / "outstanding-reports.csv", election.date)
    return election, releases, reports


@pytest.fixture(scope="session")
def general(general_2024: Path, shared_data: Path) -> Canvass:
    return _canvass(general_2024, shared_data)


@pytest.fixture(scope="session")
def primary(primary_2024: Path, shared_data: Path) -> Canvass:
    return _canvass(primary_2024, shared_data)


@pytest.fixture(scope="session")
def trained(general: Canvass, primary: Canvass) -> dict[str, ModelParams]:
    """Parameters calibrated on each canvass alone, and on both (the shipped file's)."""
    base = default_params()
    rows = {c[0].id: canvass_rows(*c, base) for c in (primary, general)}
    p, g = primary[0].id, general[0].id
    return {
        p: fit(rows[p], (p,), base),
        g: fit(rows[g], (g,), base),
        "both": fit([*rows[p], *rows[g]], (p, g), base),
    }


@pytest.fixture(scope="session")
def scored(
    general: Canvass, primary: Canvass, trained: dict[str, ModelParams]
) -> dict[str, BacktestReport]:
    """Each canvass scored with the parameters learned on the other, with and without reports."""
    out: dict[str, BacktestReport] = {}
    for test, train in ((general, primary), (primary, general)):
        election, releases, reports = test
        params = trained[train[0].id]
        out[election.id] = run_backtest(election, releases, reports, params)
        out[election.id + " no reports"] = run_backtest(election, releases, [], params)
    return out


@pytest.mark.parametrize("election_id", ["lavote:4324", "lavote:4316"])
def test_cross_validated_backtest_makes_no_wrong_call_and_is_calibrated(
    scored: dict[str, BacktestReport], election_id: str
) -> None:
    report = scored[election_id]
    s = report.summary
    wrong = [c for c in report.contests if c.wrong_call_events]
    assert s.wrong_calls == 0, wrong
    assert 0.85 <= (s.coverage_90 or 0) <= 0.95
    # the count settles most contests it sees whole by the end; its portions are never called
    assert s.called > 0.8 * (s.contests - s.portions)
    assert s.portions == {"lavote:4324": 38, "lavote:4316": 27}[election_id]
    assert report.releases == {"lavote:4324": 32, "lavote:4316": 29}[election_id]
    assert s.contests == {"lavote:4324": 373, "lavote:4316": 175}[election_id]


@pytest.mark.parametrize("election_id", ["lavote:4324", "lavote:4316"])
def test_no_wrong_call_without_outstanding_reports(
    scored: dict[str, BacktestReport], election_id: str
) -> None:
    report = scored[election_id + " no reports"]
    assert report.outstanding_reports == 0
    assert report.summary.wrong_calls == 0, [c for c in report.contests if c.wrong_call_events]
    assert report.summary.called > 0


def test_2024_da_general_called_for_hochman_by_the_first_release_after_ap(
    scored: dict[str, BacktestReport],
) -> None:
    da = next(c for c in scored["lavote:4324"].contests if c.id == "9547")
    assert da.final_winners == ["NATHAN HOCHMAN"]
    assert da.call is not None and da.correct is True
    assert da.call.status == "called" and da.call.choices == ["NATHAN HOCHMAN"]
    first_after = datetime(2024, 11, 6, 1, 12, 5, tzinfo=LA)
    assert datetime.fromisoformat(da.call.release_time) <= first_after
    assert first_after > AP_DA_CALL


def test_2024_da_primary_runoff(scored: dict[str, BacktestReport]) -> None:
    da = next(c for c in scored["lavote:4316"].contests if c.id == "9054")
    assert da.final_status == "runoff"
    assert da.final_winners == ["GEORGE GASCÓN", "NATHAN HOCHMAN"]
    assert da.call is not None and da.call.status == "runoff" and da.correct is True


def test_report_encodes_to_the_documented_schema(scored: dict[str, BacktestReport]) -> None:
    doc = msgspec.json.decode(backtest.encode(scored["lavote:4324"]))
    assert doc["schema"] == "racedesk.backtest/1"
    assert set(doc) >= {"schema", "election", "releases", "summary", "contests"}
    assert set(doc["summary"]) >= {"contests", "called", "wrong_calls", "coverage_90"}
    row = next(c for c in doc["contests"] if c["id"] == "9547")
    assert set(row) >= {"id", "title", "rule", "final_winners", "call", "correct"}
    assert set(row["call"]) >= {"status", "choices", "release_time", "release_index"}
    assert isinstance(doc["releases"], int)


def test_replaying_the_same_releases_gives_the_same_ledger(
    general: Canvass, trained: dict[str, ModelParams]
) -> None:
    election, releases, reports = general
    params = trained["both"]
    first = [e for s in replay(election, releases[:14], reports, params) for e in s.new_events]
    again = [e for s in replay(election, releases[:14], reports, params) for e in s.new_events]
    assert first and first == again
    assert all(e.model_version == params.version for e in first)
    assert [e.event_id for e in first] == list(range(1, len(first) + 1))


def test_shipped_parameters_are_those_calibration_learns(trained: dict[str, ModelParams]) -> None:
    from racedesk.data import load_params
    from racedesk.engine.calibrate import LEARNED

    shipped = load_params()
    both = trained["both"]
    assert shipped.calibrated_on == both.calibrated_on
    for name in LEARNED:
        got, want = getattr(shipped, name), getattr(both, name)
        if name in ("late_cap", "late_cap_minor"):  # a row per stage of the count
            got, want = [c for row in got for c in row], [c for row in want for c in row]
        assert got == pytest.approx(want, rel=0.02, abs=0.005), name


def _figures(scored: dict[str, BacktestReport], trained: dict[str, ModelParams]) -> str:
    """The calibration table of docs/method.md, from the runs of this module."""
    lines = [
        "| trained on | scored on | contests | called | wrong calls | 90% coverage | DA call |",
        "|---|---|---|---|---|---|---|",
    ]
    for test_id, train_id, da_id in (
        ("lavote:4324", "lavote:4316", "9547"),
        ("lavote:4316", "lavote:4324", "9054"),
    ):
        for key, label in ((test_id, ""), (test_id + " no reports", " (no reports)")):
            s = scored[key].summary
            da = next(c for c in scored[key].contests if c.id == da_id)
            when = (
                "–"
                if da.call is None
                else f"{da.call.status}, release {da.call.release_index} ({da.call.release_time[:16]})"
            )
            lines.append(
                f"| {train_id} | {test_id}{label} | {s.contests} | {s.called} | {s.wrong_calls} "
                f"| {100 * (s.coverage_90 or 0):.1f}% | {when} |"
            )
    return "\n".join(lines)


def test_docs_quote_the_code_s_own_figures(
    scored: dict[str, BacktestReport], trained: dict[str, ModelParams]
) -> None:
    method = (REPO_ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    table = _figures(scored, trained)
    quoted = {
        line.split("|")[2].strip(): line
        for line in method.splitlines()
        if line.startswith("| lavote:")
    }
    for line in table.splitlines()[2:]:
        key = line.split("|")[2].strip()
        assert key in quoted, f"docs/method.md should hold this table (regenerate it):\n{table}"
        got, want = quoted[key].split("|"), line.split("|")
        # every cell as computed; coverage to within 0.2 points (floating-point sums may differ
        # in the last digit from one machine to another)
        assert [c for i, c in enumerate(got) if i != 6] == [
            c for i, c in enumerate(want) if i != 6
        ], table
        assert float(got[6].strip(" %")) == pytest.approx(float(want[6].strip(" %")), abs=0.2), (
            table
        )
    both = trained["both"]
    for name, value in (
        ("late_design_effect", both.late_design_effect),
        ("sampling_spread", both.sampling_spread),
    ):
        quoted = re.search(rf"`{name}` = ([0-9]+(?:\.[0-9]+)?)", method)
        assert quoted is not None, name
        assert float(quoted.group(1)) == pytest.approx(value, rel=0.02, abs=0.005), name
    for name, stages in (
        ("late_shift_max", both.late_shift_max),
        ("late_shift_max_minor", both.late_shift_max_minor),
    ):
        row = re.search(rf"^\| `{name}` \|(.*)\|$", method, re.MULTILINE)
        assert row is not None, name
        cells = [float(c) for c in row.group(1).split("|")]
        assert cells == pytest.approx(list(stages), rel=0.02, abs=0.005), name
    stages_said = ("under 50%", "50–70%", "70–85%", "85–95%", "95% or more")
    for said, caps in zip(stages_said, both.late_cap, strict=True):
        row = re.search(rf"^\| `late_cap` {said} \|(.*)\|$", method, re.MULTILINE)
        assert row is not None, said
        cells = [float(c) for c in row.group(1).split("|")]
        assert cells == pytest.approx(list(caps), rel=0.02, abs=0.005), said
