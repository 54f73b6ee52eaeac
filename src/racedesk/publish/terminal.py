"""What the CLI prints: tables and sentences in plain words, from the same documents as the API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from racedesk.model import Election
from racedesk.model.answers import Snapshot
from racedesk.publish.documents import ContestSummary, StateDoc
from racedesk.publish.numbers import count, count_interval, pct
from racedesk.publish.words import by_type_words
from racedesk.rules.names import short_name
from racedesk.sources.hidden_text import visible


def local_time(value: datetime | str | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%b %d %H:%M").replace(" 0", " ")


def contest_table(title: str, rows: Sequence[StateDoc]) -> Table:
    """A contest release by release: time, votes counted, votes left, shares, outcome and call.

    ``rows`` are ``racedesk.state/1`` documents (see :func:`racedesk.publish.documents.contest_view`).
    """
    table = Table(
        title=escape(visible(title)), title_justify="left", show_lines=False, expand=False
    )
    table.add_column("release", no_wrap=True)
    table.add_column("votes counted", justify="right")
    table.add_column("votes left", justify="right")
    ranked = sorted(rows[-1].contest.choices, key=lambda c: -c.votes)[:4] if rows else []
    for choice in ranked:
        table.add_column(escape(visible(short_name(choice.name))), justify="right")
    table.add_column("standing and call")
    for view in rows:
        c = view.contest
        shares = {ch.id: ch.share for ch in c.choices}
        left = c.votes_left.votes if c.votes_left else None
        status = c.call.status if c.call else "too early"
        again = view.release.revised_at
        table.add_row(
            f"{local_time(again)} estimate" if again else local_time(view.release.feed_time),
            count(c.total_votes),
            count_interval(left),
            *[pct(shares.get(ch.id)) for ch in ranked],
            f"{c.outcome} · {status}"
            + ("" if view.release.usable else " · release not used (see problems)"),
        )
    return table


def status_table(
    election: Election, snapshot: Snapshot, summaries: Sequence[ContestSummary]
) -> Table:
    """Every contest in a line after one release: leaders, the first one's share, votes counted
    and the call."""
    table = Table(
        title=f"{escape(visible(election.title))} · after the release of {local_time(snapshot.feed_time)}",
        title_justify="left",
    )
    table.add_column("contest")
    table.add_column("leading", overflow="fold")
    table.add_column("share", justify="right")
    table.add_column("votes", justify="right")
    table.add_column("status")
    left = snapshot.ballots_left
    if left.ballots is not None:
        words = by_type_words(left.by_type)
        table.caption = f"ballots left {count_interval(left.ballots)} ({left.source})" + (
            f"; {escape(words)}" if words else ""
        )
        table.caption_justify = "left"
    for v in summaries:
        top = v.leaders[0] if v.leaders else ""
        table.add_row(
            f"{escape(visible(v.title))} [dim]({escape(v.id)})[/dim]",
            escape(visible(", ".join(v.leaders))),
            pct(v.shares.get(top)) if top else "–",
            count(v.total_votes),
            v.status + (f": {escape(visible(', '.join(v.called_for)))}" if v.called_for else ""),
        )
    return table


def console(json_mode: bool = False) -> Console:
    return Console(stderr=json_mode, highlight=False)


def progress(quiet: bool = False) -> Progress:
    """A bar for a long command (``export-site``, ``ingest``, ``backtest``), on standard error
    so that standard output stays the command's answer; it draws only on a terminal, never with
    ``--quiet``, and is cleared when done."""
    err = Console(stderr=True, highlight=False)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
