"""Calibration and leave-one-out backtests over many canvasses, in parallel: on local processes
and on a Dask ``LocalCluster``, each identical to the serial run (the calls-as-early-as-AP issue,
item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.desk.crossval import (
    CanvassSpec,
    calibrate_many,
    leave_one_out,
    parse_spec,
    reports_of,
)
from racedesk.desk.parallel import SERIAL, run_all
from racedesk.engine.calibrate import calibrate
from racedesk.engine.crossval import encode
from racedesk.errors import InputError
from racedesk.sources.loader import load_canvasses

SCENARIO = "scenario:la-da-2020"


@pytest.fixture(scope="module")
def specs(shared_data: Path) -> list[CanvassSpec]:
    sd = shared_data / "sandiego" / "2025-04-08-bos1-special-primary"
    if not sd.is_dir():
        pytest.skip(f"San Diego's 2025 canvass not found at {sd}")
    return [CanvassSpec(SCENARIO), CanvassSpec(str(sd), str(sd / "metadata.json"))]


@pytest.fixture(scope="module")
def serial(specs: list[CanvassSpec]) -> bytes:
    return encode(leave_one_out(specs, scheduler=SERIAL))


def test_each_fold_leaves_its_canvass_out(serial: bytes) -> None:
    doc = json.loads(serial)
    assert doc["schema"] == "racedesk.crossval/1"
    folds = {f["canvass"]: f for f in doc["folds"]}
    assert set(folds) == {
        "scenario:la-da-2020-primary",
        "scenario:la-da-2020-general",
        "sandiego:2025-04-08",
    }
    for name, fold in folds.items():
        assert name not in fold["trained_on"] and len(fold["trained_on"]) == 2
    assert folds["sandiego:2025-04-08"]["outstanding_reports"] == 5
    for fold in folds.values():
        low, high = fold["coverage_90_release_low"], fold["coverage_90_release_high"]
        assert low <= fold["coverage_90"] <= high
    assert doc["summary"]["folds"] == 3
    assert doc["summary"]["wrong_calls"] == sum(f["wrong_calls"] for f in doc["folds"]) == 0


def test_local_processes_give_what_the_serial_run_gives(
    specs: list[CanvassSpec], serial: bytes
) -> None:
    assert encode(leave_one_out(specs, workers=2)) == serial


def test_a_dask_cluster_gives_what_the_serial_run_gives(
    specs: list[CanvassSpec], serial: bytes
) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        assert encode(leave_one_out(specs, scheduler=cluster.scheduler_address)) == serial


def test_parallel_calibration_is_the_serial_calibration(specs: list[CanvassSpec]) -> None:
    canvasses = [c for s in specs[:1] for c in load_canvasses(s.source)]
    alone = calibrate([(c.election, c.releases, c.reports) for c in canvasses])
    assert calibrate_many(specs[:1], workers=2) == alone


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        run_all(str, ["a", "b"], scheduler="tcp://127.0.0.1:9")


def test_a_spec_names_its_own_reports() -> None:
    assert parse_spec("lavote/4324=reports.csv") == CanvassSpec("lavote/4324", "reports.csv")
    with pytest.raises(InputError, match="not SOURCE or SOURCE=REPORTS"):
        parse_spec("lavote/4324=")


def test_the_command_prints_each_fold_and_writes_the_report(
    specs: list[CanvassSpec], serial: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "cv.json"
    args = [s.source + (f"={s.reports}" if s.reports else "") for s in specs]
    result = CliRunner().invoke(
        app, ["crossval", *args, "--scheduler", SERIAL, "--report-json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "sandiego:2025-04-08 (calibrated on scenario:la-da-2020-primary," in result.output
    assert "Out of sample, 3 canvasses: 0 wrong calls" in " ".join(result.output.split())
    assert msgspec.json.decode(out.read_bytes()) == json.loads(serial)


def test_reports_of_another_jurisdiction_are_refused(shared_data: Path) -> None:
    """LA County's reports of Mar 5, 2024 are not the state's primary's ballots left (given
    to it, they made 6 wrong calls): backtest and crossval refuse them, naming both, exit 2;
    San Diego's own metadata is taken by San Diego's feed and refused by LA's."""
    state = shared_data / "ca-sos" / "2024-primary"
    la = shared_data / "lavote" / "outstanding-reports.csv"
    sd = shared_data / "sandiego" / "2025-04-08-bos1-special-primary"
    for needed in (state, la, sd):
        if not needed.exists():
            pytest.skip(f"shared data not found at {needed}")
    said = (
        f"{la}: the reports are a county registrar's estimates (county-wide), not of "
        "California: election ca-sos:2024-03-05 (California) cannot take them as its ballots left"
    )
    runner = CliRunner()
    for args in (
        ["backtest", str(state), "--outstanding", str(la)],
        ["crossval", f"{state}={la}", SCENARIO, "--scheduler", SERIAL],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert said in " ".join(result.output.split())
    canvass = load_canvasses(str(sd))[0]
    assert reports_of(canvass, sd / "metadata.json")  # its own reports
    lavote = shared_data / "lavote" / "4316-2024-primary"
    if lavote.is_dir():
        with pytest.raises(InputError, match=r"San Diego County's estimates .* not of Los Angeles"):
            reports_of(load_canvasses(str(lavote))[0], sd / "metadata.json")
