"""The out-of-sample figures of ``docs/method.md`` ("Leaving one canvass out"), from the code's
own run: the five canvasses that replay in well under a minute (both LA 2024 canvasses with
LA's reports, San Diego's 2025 special primary with its tracker's metadata, the 2020 scenario's
primary and general), each left out in turn, with and without outstanding reports. The state's
2024 primary (246 MB, about ten minutes) is left to ``racedesk crossval``; docs/backtest.md
gives the six-canvass figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from racedesk.desk.crossval import CanvassSpec, leave_one_out
from racedesk.engine.crossval import CrossValReport
from racedesk.settings import REPO_ROOT

pytestmark = pytest.mark.slow


def _specs(shared_data: Path, without_reports: bool) -> list[CanvassSpec]:
    la = shared_data / "lavote"
    reports = la / "outstanding-reports.csv"
    sd = shared_data / "sandiego" / "2025-04-08-bos1-special-primary"
    for needed in (la / "4316-2024-primary", la / "4324-2024-general", reports, sd):
        if not needed.exists():
            pytest.skip(f"shared data not found at {needed}")
    return [
        CanvassSpec(str(la / "4316-2024-primary"), str(reports), without_reports),
        CanvassSpec(str(la / "4324-2024-general"), str(reports), without_reports),
        CanvassSpec(str(sd), str(sd / "metadata.json"), without_reports),
        CanvassSpec("scenario:la-da-2020", None, without_reports),
    ]


@pytest.fixture(scope="module")
def folds(shared_data: Path) -> dict[str, CrossValReport]:
    refs = shared_data / "news" / "la-race-calls-2024.csv"
    if not refs.is_file():
        pytest.skip(f"reference calls not found at {refs}")
    return {
        label: leave_one_out(_specs(shared_data, without), str(refs), workers=2)
        for label, without in (("reports", False), ("no reports", True))
    }


def table(folds: dict[str, CrossValReport]) -> str:
    """The table of docs/method.md, from the runs of this module."""
    lines = [
        "| left out | reports | contests | called | wrong calls | 90% coverage | pairs "
        "| called by the end of election night |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, report in folds.items():
        for f in report.folds:
            lines.append(
                f"| {f.canvass} | {'yes' if label == 'reports' else 'no'} | {f.contests} "
                f"| {f.called} | {f.wrong_calls} | {100 * (f.coverage_90 or 0):.1f}% "
                f"| {f.pairs:,} | {100 * f.called_election_night:.1f}% |"
            )
    return "\n".join(lines)


def test_no_fold_makes_a_wrong_call(folds: dict[str, CrossValReport]) -> None:
    for report in folds.values():
        assert report.summary.folds == 5
        assert [(f.wrong_calls, f.wrong_call_events) for f in report.folds] == [(0, 0)] * 5


def test_docs_quote_the_folds_figures(folds: dict[str, CrossValReport]) -> None:
    method = (REPO_ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    want = table(folds)
    for line in want.splitlines()[2:]:
        assert line in method, f"docs/method.md should hold this table (regenerate it):\n{want}"
    for label, report in folds.items():
        s = report.summary
        said = f"{s.references_as_early} of {s.references_scored} reference contests"
        words = "with reports" if label == "reports" else "without reports"
        quoted = re.search(rf"{words}: ([0-9]+ of [0-9]+ reference contests)", method)
        assert quoted is not None and quoted.group(1) == said, (label, said)


def test_docs_quote_each_la_folds_coverage_by_release(folds: dict[str, CrossValReport]) -> None:
    """A fold's coverage is the mean over its releases; ``docs/method.md`` ("Known limits")
    gives how far single releases stray from it in each LA fold, with and without reports."""
    method = " ".join((REPO_ROOT / "docs" / "method.md").read_text(encoding="utf-8").split())
    for report in folds.values():
        for f in report.folds:
            low, high = f.coverage_90_release_low, f.coverage_90_release_high
            assert low is not None and high is not None and f.coverage_90 is not None
            assert low <= f.coverage_90 <= high
            if f.canvass.startswith("lavote:"):
                said = f"{100 * low:.1f}% to {100 * high:.1f}%"
                assert said in method, (f.canvass, said)
