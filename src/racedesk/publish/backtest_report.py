"""Writing a backtest: the ``racedesk.backtest/1`` JSON and a Markdown report with a plot.

The plot (an SVG file beside the Markdown, drawn here without a plotting library) shows over the
canvass, release by release, the share of contests called and the coverage of that release's
90% intervals, with the 85–95% band the intervals are meant to fall in.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from racedesk.engine.backtest import BacktestReport, encode

WIDTH = 720
HEIGHT = 320
MARGIN_LEFT = 56
MARGIN_RIGHT = 16
MARGIN_TOP = 28
MARGIN_BOTTOM = 44


def _pct(x: float | None, places: int = 1) -> str:
    return "–" if x is None else f"{100 * x:.{places}f}%"


def plot_svg(report: BacktestReport) -> str:
    """An SVG line chart of contests called and 90% coverage per release (0–100%)."""
    timeline = report.timeline
    n = max(1, report.releases - 1)
    inner_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    inner_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def x(i: int) -> float:
        return MARGIN_LEFT + inner_w * i / n

    def y(v: float) -> float:
        return MARGIN_TOP + inner_h * (1 - v)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(report.election.title)}: calls and 90% coverage by release</title>",
        f'<rect x="{MARGIN_LEFT}" y="{y(0.95):.1f}" width="{inner_w}" height="{y(0.85) - y(0.95):.1f}" '
        'fill="#e6f2e6"/>',
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{int(tick * 100)}%</text>'
        )
    night = [e.index for e in timeline if e.election_night]
    if night:
        edge = x(max(night))
        parts.append(
            f'<line x1="{edge:.1f}" x2="{edge:.1f}" y1="{MARGIN_TOP}" y2="{HEIGHT - MARGIN_BOTTOM}" '
            'stroke="#999" stroke-dasharray="4 3"/>'
            f'<text x="{edge + 4:.1f}" y="{MARGIN_TOP + 10}">end of election night</text>'
        )
    called = " ".join(f"{x(e.index):.1f},{y(e.called_share):.1f}" for e in timeline)
    parts.append(f'<polyline points="{called}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    covered = [e for e in timeline if e.coverage_90 is not None]
    if covered:
        points = " ".join(f"{x(e.index):.1f},{y(e.coverage_90 or 0.0):.1f}" for e in covered)
        parts.append(f'<polyline points="{points}" fill="none" stroke="#c0392b" stroke-width="2"/>')
    for label, colour, offset in (
        ("contests called", "#1f5fa8", 0),
        ("90% interval coverage", "#c0392b", 150),
    ):
        lx = MARGIN_LEFT + offset
        parts.append(
            f'<line x1="{lx}" x2="{lx + 18}" y1="{HEIGHT - 12}" y2="{HEIGHT - 12}" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{lx + 22}" y="{HEIGHT - 8}">{label}</text>'
        )
    parts.append(
        f'<text x="{WIDTH - MARGIN_RIGHT}" y="{HEIGHT - 8}" text-anchor="end">release (0–{report.releases - 1}); '
        "band: 85–95%</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _reference_lines(report: BacktestReport) -> list[str]:
    """The called-by-day table and, when the backtest had reference calls, their table."""
    lines = [
        "",
        "## Contests called by day",
        "",
        "| by the end of | contests called |",
        "|---|---|",
    ]
    lines += [f"| {day} | {_pct(share)} |" for day, share in report.summary.called_by_day.items()]
    if not report.references:
        return lines
    lines += [
        "",
        "## Reference calls",
        "",
        "The desk's first call of each contest that someone outside called (AP, a concession), "
        "against the release it had to call by to be as early (`docs/backtest.md`).",
        "",
        "| contest | reference | due by release | racedesk's call | lead (releases, hours) | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for r in report.references:
        due = "–" if r.deadline_index is None else f"{r.deadline_index} ({r.deadline_time})"
        call = "–" if r.call_index is None else f"{r.call_index} ({r.call_time})"
        if r.call_release_time is not None:
            call += ", on the registrar's estimate"
        lead = "–" if r.lead_releases is None else f"{r.lead_releases:+d}, {r.lead_hours:+.1f} h"
        said = f"{r.caller}: {r.reference}".strip(": ").replace("|", "/")
        lines.append(
            f"| {r.contest_id} {r.contest.replace('|', '/')} | {said} | {due} | {call} | {lead} "
            f"| {r.verdict} |"
        )
    return lines


def markdown(report: BacktestReport, plot_name: str) -> str:
    """The Markdown report: summary, plot, timeline, wrong calls and every contest's call."""
    s = report.summary
    lines = [
        f"# Backtest: {report.election.title}",
        "",
        f"`{report.election.id}`, {report.releases} releases, model `{report.model_version}`, "
        f"seed {report.seed}, {report.outstanding_reports} outstanding report(s) known over the canvass.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| contests | {s.contests} |",
        f"| contests called | {s.called} |",
        f"| wrong calls | {s.wrong_calls} |",
        f"| rescinded calls | {s.rescinds} |",
        f"| coverage of the 90% intervals ({s.pairs} contest-release pairs) | {_pct(s.coverage_90)} |",
        f"| coverage on election night / after | {_pct(s.coverage_90_election_night)} / {_pct(s.coverage_90_after)} |",
        f"| contests called by the end of election night | {_pct(s.called_election_night)} |",
        f"| median release of the first call | {s.median_call_release if s.median_call_release is not None else '–'} |",
        "",
        f"![contests called and 90% coverage by release]({plot_name})",
        "",
        "## Release by release",
        "",
        "| release | time | usable | contests called | 90% coverage | pairs |",
        "|---|---|---|---|---|---|",
    ]
    for e in report.timeline:
        which = f"{e.index}, again: {e.estimate}" if e.estimate else f"{e.index}"
        lines.append(
            f"| {which} | {e.time} | {'yes' if e.usable else 'no'} | {e.called} ({_pct(e.called_share)}) "
            f"| {_pct(e.coverage_90)} | {e.pairs} |"
        )
    lines += _reference_lines(report)
    wrong = [c for c in report.contests if c.wrong_call_events]
    lines += ["", "## Wrong calls", ""]
    if not wrong:
        lines.append("None.")
    for c in wrong:
        lines.append(f"- {c.id} {c.title}: final {', '.join(c.final_winners)}; first call {c.call}")
    kinds = Counter(c.rule for c in report.contests)
    called_kinds = Counter(c.rule for c in report.contests if c.call is not None)
    lines += ["", "## By rule", "", "| rule | contests | called |", "|---|---|---|"]
    for kind, total in sorted(kinds.items()):
        lines.append(f"| {kind} | {total} | {called_kinds.get(kind, 0)} |")
    lines += [
        "",
        "## Every contest",
        "",
        "| contest | rule | final | first call | release | right |",
        "|---|---|---|---|---|---|",
    ]
    for c in report.contests:
        call = "–" if c.call is None else f"{c.call.status}: {', '.join(c.call.choices)}"
        when = "–" if c.call is None else f"{c.call.release_index} ({c.call.release_time})"
        right = "–" if c.correct is None else ("yes" if c.correct else "**no**")
        final = (
            f"{c.final_status}: {', '.join(c.final_winners)}" if c.final_winners else c.final_status
        )
        title = c.title.replace("|", "/")
        lines.append(f"| {c.id} {title} | {c.rule} | {final} | {call} | {when} | {right} |")
    return "\n".join(lines) + "\n"


def write_report(
    report: BacktestReport, json_path: Path | str | None, markdown_path: Path | str | None
) -> Path | None:
    """Write the JSON report and/or the Markdown report with its SVG plot (beside the Markdown,
    same name with ``.svg``); either path may be None to skip it. Returns the plot's path."""
    if json_path is not None:
        target = Path(json_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(encode(report) + b"\n")
    if markdown_path is None:
        return None
    md = Path(markdown_path)
    md.parent.mkdir(parents=True, exist_ok=True)
    plot_path = md.with_suffix(".svg")
    plot_path.write_text(plot_svg(report), encoding="utf-8")
    md.write_text(markdown(report, plot_path.name), encoding="utf-8")
    return plot_path


__all__ = ["markdown", "plot_svg", "write_report"]
