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
from racedesk.publish.contest_part import (
    choice_name,
    choice_names,
    choice_rows,
    named_left,
    standing_words,
)
from racedesk.publish.documents import ContestSummary, StateDoc
from racedesk.publish.numbers import (
    count,
    count_interval,
    expected_counted,
    margin,
    pct,
)
from racedesk.publish.words import by_type_words
from racedesk.rules.names import short_name
from racedesk.sources.hidden_text import visible


def local_time(value: datetime | str | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%b %d %H:%M").replace(" 0", " ")


#: Columns of the release-by-release table apart from the choices', at their narrowest
#: (release, votes counted, votes left, standing and call, with the borders), and each choice's.
_HISTORY_FIXED, _HISTORY_CHOICE = 56, 9


def contest_table(title: str, rows: Sequence[StateDoc], width: int | None = None) -> Table:
    """A contest release by release: time, votes counted, votes left, shares, outcome and call.

    ``rows`` are ``racedesk.state/1`` documents (see :func:`racedesk.publish.documents.contest_view`).
    The shares of the four most voted choices are shown, or as many as fit in ``width``
    columns (at least one), so that no figure is cut on a narrow terminal.
    """
    most = 4 if width is None else max(1, min(4, (width - _HISTORY_FIXED) // _HISTORY_CHOICE))
    table = Table(
        title=escape(visible(title)), title_justify="left", show_lines=False, expand=False
    )
    table.add_column("release", no_wrap=True)
    table.add_column("votes counted", justify="right", overflow="fold")
    table.add_column("votes left", justify="right", overflow="fold")
    ranked = sorted(rows[-1].contest.choices, key=lambda c: -c.votes)[:most] if rows else []
    for choice in ranked:
        table.add_column(escape(visible(short_name(choice.name))), justify="right", overflow="fold")
    table.add_column("standing and call", overflow="fold")
    for view in rows:
        c = view.contest
        shares = {ch.id: ch.share for ch in c.choices}
        left = c.votes_left.votes if c.votes_left else None
        status = c.call.status if c.call else "too early"
        again = view.release.revised_at
        table.add_row(
            f"{local_time(again)} estimate" if again else local_time(view.release.feed_time),
            count(c.total_votes),
            count_interval(left).replace(" (", "\n(", 1),
            *[pct(shares.get(ch.id)) for ch in ranked],
            f"{c.outcome} · {status}"
            + ("" if view.release.usable else " · release not used (see problems)"),
        )
    return table


def contest_results(view: StateDoc) -> Table:
    """A contest after one release as its page shows it: one row per choice, most votes first
    (votes, share, projected final share with its interval, the chance of the outcome it seeks,
    its standing in words); the caption gives the margin, how much of the expected vote is
    counted and the votes left with their source, why the sentence's votes left differ
    where write-ins make them (:func:`~racedesk.publish.contest_part.named_left`), and what a
    chance in brackets is (a measure's chance at its conditional threshold)."""
    c = view.contest
    names = choice_names(c)
    table = Table(
        title=f"{escape(visible(c.title))} ({escape(c.id)}) · {escape(visible(c.rule.text))}",
        title_justify="left",
    )
    table.add_column("choice", overflow="fold")
    table.add_column("votes", justify="right", overflow="fold")
    table.add_column("share", justify="right", overflow="fold")
    table.add_column("projected", justify="right", overflow="fold")
    table.add_column("chance", justify="right", overflow="fold")
    table.add_column("standing", overflow="fold")
    rows = choice_rows(c)
    for row in rows:
        table.add_row(
            escape(visible(row["name"])),
            row["votes"],
            row["share"] if c.total_votes else "–",
            row["proj"],
            row["chance"],
            escape(visible(standing_words(row["standing"]))),
        )
    left = c.votes_left.votes if c.votes_left else None
    said = [
        margin(
            {ch.name: ch.votes for ch in c.choices}, {ch.name: names[ch.id] for ch in c.choices}
        ),
        expected_counted(c.total_votes, left),
        f"votes left {count_interval(left)}"
        + (f" ({c.votes_left.source})" if c.votes_left else ""),
    ]
    released = view.release.revised_at or view.release.feed_time
    table.caption = escape(
        " · ".join(p for p in said if p)
        + f" · after the release of {local_time(released)}"
        + (f". {named}" if (named := named_left(view, "below")) else "")
        + "".join(
            f". {visible(row['name'])}'s {row['goal']}"
            for row in rows
            if "(" in row["chance"] and "(" in row["goal"]
        )
    )
    table.caption_justify = "left"
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
    table.add_column("contest", overflow="fold")
    table.add_column("leading", overflow="fold")
    table.add_column("share", justify="right", overflow="fold")
    table.add_column("votes", justify="right", overflow="fold")
    table.add_column("status", overflow="fold")
    left = snapshot.ballots_left
    if left.ballots is not None:
        words = by_type_words(left.by_type)
        table.caption = f"ballots left {count_interval(left.ballots)} ({left.source})" + (
            f"; {escape(words)}" if words else ""
        )
        table.caption_justify = "left"
    for v in summaries:
        top = v.leaders[0] if v.leaders else ""
        called = ", ".join(choice_name(n, v.kind) for n in v.called_for)
        table.add_row(
            f"{escape(visible(v.title))} [dim]({escape(v.id)})[/dim]",
            escape(visible(", ".join(choice_name(n, v.kind) for n in v.leaders))),
            pct(v.shares.get(top)) if top else "–",
            count(v.total_votes),
            v.status + (f": {escape(visible(called))}" if called else ""),
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
