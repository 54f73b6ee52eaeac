"""``racedesk demo``: the 2020 Los Angeles District Attorney canvass, replayed as it was reported.

First in the terminal, update by update, with the registrar's estimates of ballots left: Lacey
above 50% on primary night, the runoff becoming certain, and on Nov 5, 2020 what Lacey would need
of the ballots left. Then (``--serve``) the same scenario is replayed into a fresh database at a
watchable pace while the dashboard serves it live.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from racedesk.desk import Desk, load_params
from racedesk.engine.replay import replay
from racedesk.publish import documents, terminal
from racedesk.publish.webhooks import Webhooks
from racedesk.sources.loader import Canvass, load_canvasses

SCENARIO = "scenario:la-da-2020"


def terminal_replay(canvasses: list[Canvass]) -> None:
    """Print each DA contest of the scenario release by release, with the sentence after each."""
    out = terminal.console()
    params = load_params()
    for canvass in canvasses:
        election = canvass.election
        out.rule(f"[bold]{election.title}[/bold]")
        snapshots = list(replay(election, canvass.releases, canvass.reports, params))
        for contest in election.contests:
            rows = []
            for i, snap in enumerate(snapshots):
                recent = [s.state(contest.id) for s in snapshots[max(0, i - 3) : i + 1]]
                view = documents.contest_view(election, snap, contest.id, [r for r in recent if r])
                rows.append(view)
            out.print(
                terminal.contest_table(f"{contest.title} · {contest.rule.text}", rows, out.width)
            )
            for view in rows:
                out.print(
                    f"  {terminal.local_time(view.release.feed_time)}: {view.contest.sentence}"
                )
            out.print()


def live_replay(
    canvasses: list[Canvass], *, pace: float, port: int, webhooks: Webhooks | None = None
) -> None:
    """Serve the dashboard over a fresh database and feed it the scenario, one release per
    ``pace``; ``webhooks`` hear of its calls."""
    from racedesk.desk.watch import replay_in_background
    from racedesk.publish.web.server import serve
    from racedesk.store import open_store

    folder = Path(tempfile.mkdtemp(prefix="racedesk-demo-"))
    desk = Desk(open_store(f"sqlite:///{folder / 'demo.sqlite'}"))
    if webhooks is not None:
        desk.listen(webhooks.hear)
    for canvass in canvasses:
        desk.add_election(canvass.election)
        for report in canvass.reports:
            desk.add_outstanding(canvass.election.id, report)

    releases = [release for canvass in canvasses for release in canvass.releases]
    replay_in_background(desk, "demo", releases, pace, start_after=max(pace, 1.0))
    out = terminal.console()
    out.print(
        f"[bold]Dashboard:[/bold] http://127.0.0.1:{port}/  (the scenario is replayed there, one update every "
        f"{pace:g} s; press Ctrl-C to stop)"
    )
    serve(desk, host="127.0.0.1", port=port, token=None)


def run_demo(
    *,
    serve_dashboard: bool = True,
    pace: float = 3.0,
    port: int = 8000,
    webhooks: Sequence[str] = (),
) -> None:
    """The terminal replay, then (``serve_dashboard``) the live one, whose calls are sent to
    the ``webhooks`` URLs (signed with ``RACEDESK_WEBHOOK_SECRET``, checked first)."""
    from racedesk.settings import webhook_secret

    hooks = Webhooks(webhooks, webhook_secret()) if webhooks and serve_dashboard else None
    canvasses = load_canvasses(SCENARIO)
    terminal_replay(canvasses)
    try:
        if serve_dashboard:
            live_replay(canvasses, pace=pace, port=port, webhooks=hooks)
    finally:
        if hooks is not None:
            hooks.close()
