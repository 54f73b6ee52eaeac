"""Writing a backtest report (publish/backtest_report.py): JSON, Markdown and the SVG plot."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import msgspec

from racedesk.data import load_params
from racedesk.engine.backtest import (
    BacktestCall,
    BacktestContest,
    BacktestElection,
    BacktestRelease,
    BacktestReport,
    BacktestSummary,
    run_backtest,
)
from racedesk.publish.backtest_report import markdown, plot_svg, write_report
from racedesk.sources.loader import load_canvasses

SVG = "{http://www.w3.org/2000/svg}"


def small_report() -> BacktestReport:
    timeline = [
        BacktestRelease(
            index=i,
            time=f"2024-11-0{5 + i}T20:00:00-08:00",
            usable=True,
            election_night=i < 2,
            called=c,
            called_share=c / 2,
            coverage_90=cov,
            pairs=2,
        )
        for i, (c, cov) in enumerate([(0, 0.5), (1, 1.0), (2, None)])
    ]
    contests = [
        BacktestContest(
            id="1",
            title="MAYOR | CITY",
            rule="plurality",
            final_winners=["ADA"],
            final_status="called",
            call=BacktestCall(
                status="called", choices=["ADA"], release_time=timeline[1].time, release_index=1
            ),
            correct=True,
            call_events=1,
        ),
        BacktestContest(
            id="2",
            title="MEASURE A",
            rule="measure",
            final_winners=["NO"],
            call=None,
            correct=None,
            final_status="failed",
        ),
    ]
    return BacktestReport(
        election=BacktestElection(
            id="t:1", title="Test <General>", date="2024-11-05", kind="general", source="t"
        ),
        releases=3,
        summary=BacktestSummary(
            contests=2,
            called=2,
            wrong_calls=0,
            coverage_90=0.75,
            pairs=4,
            called_election_night=0.5,
            called_by_release=[0, 0.5, 1.0],
            median_call_release=1.5,
        ),
        contests=contests,
        model_version="m-1",
        timeline=timeline,
    )


def test_write_report_writes_json_markdown_and_plot(tmp_path: Path) -> None:
    report = small_report()
    plot = write_report(report, tmp_path / "out" / "bt.json", tmp_path / "out" / "bt.md")
    assert plot == tmp_path / "out" / "bt.svg"
    doc = msgspec.json.decode((tmp_path / "out" / "bt.json").read_bytes())
    assert doc["schema"] == "racedesk.backtest/1" and doc["summary"]["coverage_90"] == 0.75
    md = (tmp_path / "out" / "bt.md").read_text()
    assert "![contests called and 90% coverage by release](bt.svg)" in md
    assert "| wrong calls | 0 |" in md
    assert "| coverage of the 90% intervals (4 contest-release pairs) | 75.0% |" in md
    assert (
        "| 1 MAYOR / CITY | plurality | called: ADA | called: ADA | 1 (2024-11-06T20:00:00-08:00) | yes |"
        in md
    )
    assert "| 2 MEASURE A | measure | failed: NO | – | – | – |" in md


def test_plot_is_an_svg_with_one_point_per_release(tmp_path: Path) -> None:
    svg = ET.fromstring(plot_svg(small_report()))
    assert svg.tag == f"{SVG}svg"
    called, coverage = svg.findall(f"{SVG}polyline")
    assert len(called.attrib["points"].split()) == 3
    assert len(coverage.attrib["points"].split()) == 2  # the last release has no coverage
    assert "Test &lt;General&gt;" in plot_svg(small_report())  # the title is escaped


def test_either_file_may_be_skipped(tmp_path: Path) -> None:
    assert write_report(small_report(), tmp_path / "only.json", None) is None
    assert (tmp_path / "only.json").exists() and not list(tmp_path.glob("*.md"))
    write_report(small_report(), None, tmp_path / "only.md")
    assert (tmp_path / "only.md").exists() and (tmp_path / "only.svg").exists()


def test_report_of_the_bundled_2020_scenario(tmp_path: Path) -> None:
    params = load_params()
    for canvass in load_canvasses("scenario:la-da-2020"):
        report = run_backtest(canvass.election, canvass.releases, canvass.reports, params)
        text = markdown(report, "plot.svg")
        assert f"{report.releases} releases" in text
        assert report.summary.wrong_calls == 0
        da = report.contests[0]
        assert da.call is not None and da.correct is True
        assert f"| {da.id} " in text
