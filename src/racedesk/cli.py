"""racedesk's commands, one per task of a desk, thin over ``racedesk.desk`` and the engine.

Every command that reads outside data goes through ``racedesk.sources``; every command that
answers goes through ``racedesk.publish.documents`` (``--json``) or ``racedesk.publish.terminal`` (tables).
Every command is registered with :func:`command`, the one error boundary: a racedesk error is
printed as one line (where, what was wrong, what to do) and the command exits with status 2.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

import msgspec
import typer
from sqlalchemy.engine import make_url

from racedesk.desk import Admission, Desk, IngestResult, load_params, open_desk
from racedesk.engine.replay import replay as replay_canvass
from racedesk.errors import RacedeskError, StoreError
from racedesk.model import Contest, Election, OutstandingReport
from racedesk.model.answers import Snapshot
from racedesk.model.editorial import EditorialAct, EditorialActKind
from racedesk.publish import documents, numbers, search, terminal, words
from racedesk.publish.editorial_document import ActRow, editorial_view
from racedesk.publish.published import public_snapshot
from racedesk.settings import database_url
from racedesk.sources.base import Parsed
from racedesk.sources.hidden_text import hidden_in
from racedesk.sources.loader import Canvass, load_canvasses

if TYPE_CHECKING:
    from racedesk.desk.crossval import CanvassSpec
    from racedesk.store import Store

app = typer.Typer(
    help="racedesk: a decision desk in a box. Reads an election's results release by release, "
    "keeps every release, knows each contest's rule, projects and calls races.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a URL, or the path of a SQLite file "
        "(default: RACEDESK_DB or sqlite:///var/racedesk.sqlite).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the versioned JSON document instead of tables.")
]
OutstandingOption = Annotated[
    Path | None,
    typer.Option("--outstanding", help="The registrar's estimates of ballots left (CSV or JSON)."),
]
ParamsOption = Annotated[
    Path | None, typer.Option("--params", help="Model parameter file (default: the one shipped).")
]
FormatOption = Annotated[
    str | None, typer.Option("--format", help="Source format when it cannot be told from the file.")
]
ElectionOption = Annotated[
    str | None, typer.Option("--election", help="Election id (default: the only or latest one).")
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar (it shows only on a terminal).")
]
WebhookOption = Annotated[
    list[str] | None,
    typer.Option(
        "--webhook",
        help="POST the desk's notices (calls, rescinds, held and flagged releases) to this URL, "
        "signed with RACEDESK_WEBHOOK_SECRET; repeat for more (default: RACEDESK_WEBHOOKS).",
    ),
]


P = ParamSpec("P")
R = TypeVar("R")


def _fail(exc: RacedeskError) -> NoReturn:
    typer.secho(f"racedesk: {exc.message}", fg="red", err=True)
    raise typer.Exit(2)


def _reported(run: Callable[P, R]) -> Callable[P, R]:
    """``run``, with any racedesk error it raises reported by :func:`_fail`."""

    @functools.wraps(run)
    def reporting(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return run(*args, **kwargs)
        except RacedeskError as exc:
            _fail(exc)

    return reporting


def command(name: str | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register a function as the command ``name`` (default: the function's name) inside the
    CLI's one error boundary."""

    def register(run: Callable[P, R]) -> Callable[P, R]:
        reporting = _reported(run)
        app.command(name)(reporting)
        return reporting

    return register


def _print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(msgspec.to_builtins(doc), ensure_ascii=False, indent=2) + "\n")


def _parse_time(text: str | None, election: Election) -> datetime | None:
    """The time ``text`` (ISO 8601); a time without a zone is in the election's zone, as in
    the API."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"cannot read the time {text!r}: use ISO 8601, e.g. 2024-11-06T01:15-08:00"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(election.timezone))
    return value


def _reports_for(canvass: Canvass, outstanding: Path | None) -> list[OutstandingReport]:
    from racedesk.desk.crossval import reports_of

    return reports_of(canvass, outstanding)


def _match_contests(election: Election, wanted: str | None) -> list[Contest]:
    if wanted is None:
        return list(election.contests)
    exact = [c for c in election.contests if c.id == wanted]
    if exact:
        return exact
    contests = election.contests
    rows = [(c.title, c.group, [k.name for k in c.choices]) for c in contests]
    found = [contests[i] for i in search.search(rows, wanted)]
    if not found:
        raise typer.BadParameter(f"no contest with id or title {wanted!r} in {election.id}")
    return found


def db_url(db: str | None) -> str:
    """``--db`` as a URL: a URL as given, a plain path as the SQLite file at that path."""
    url = db or database_url()
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def _reading_desk(db: str | None) -> Desk:
    """A desk over an existing database (:func:`existing_db_url`)."""
    return open_desk(existing_db_url(db))


def _reading_store(db: str | None) -> Store:
    """The store of an existing database (:func:`existing_db_url`), for the petitions' and the
    money's commands that only read."""
    from racedesk.store import open_store

    return open_store(existing_db_url(db))


def existing_db_url(db: str | None) -> str:
    """``--db`` as a URL (:func:`db_url`) for a command that only reads: it never creates a
    database (an empty SQLite file where a typo pointed), and says which file it looked for."""
    url = db_url(db)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database).resolve()
        if not path.is_file():
            raise StoreError(
                f"no database at {path}",
                where=url,
                hint="ingest a source into it first: racedesk ingest SOURCE --db "
                f"{path}; a URL needs four slashes for an absolute path (sqlite:////srv/…)",
            )
    return url


@contextlib.contextmanager
def _notifying(desk: Desk, urls: list[str] | None) -> Iterator[None]:
    """The desk's outgoing webhooks while the command runs (``docs/operations.md``): the URLs
    given, else ``RACEDESK_WEBHOOKS``; none when neither names one. At the end, queued notices
    have a few seconds to go out."""
    from racedesk.publish.webhooks import Webhooks
    from racedesk.settings import webhook_secret, webhook_urls

    chosen = urls or webhook_urls()
    if not chosen:
        yield
        return
    hooks = Webhooks(chosen, webhook_secret())
    desk.listen(hooks.hear)
    try:
        yield
    finally:
        hooks.close()


def _public(desk: Desk, election: Election, as_of: datetime | None) -> Snapshot | None:
    """The snapshot as of a time with only the calls editors published (docs/editors.md)."""
    snap = desk.snapshot(election.id, as_of)
    return public_snapshot(desk, election, snap) if snap is not None else None


def _pick_election(desk: Desk, election_id: str | None) -> Election:
    if election_id:
        return desk.election(election_id)
    elections = desk.elections()
    if not elections:
        raise StoreError("the database holds no election yet: run `racedesk ingest SOURCE` first")
    return max(elections, key=lambda e: e.date)


# ---- commands -------------------------------------------------------------------------------


@command()
def ingest(
    source: Annotated[str, typer.Argument(help="A feed folder, a results file, or scenario:NAME.")],
    db: DbOption = None,
    fmt: FormatOption = None,
    outstanding: OutstandingOption = None,
    rules: Annotated[Path | None, typer.Option("--rules", help="Contest-rules file.")] = None,
    patience: Annotated[
        float,
        typer.Option(
            help="Seconds to keep retrying while the database is unavailable (a restart)."
        ),
    ] = 60.0,
    webhooks: WebhookOption = None,
    quiet: QuietOption = False,
    into_existing: Annotated[
        str | None,
        typer.Option(
            "--into-existing",
            metavar="EDITOR",
            help="Add SOURCE to an existing election another source created (a CDF report "
            "naming an LA County election): who chooses to; the choice is logged.",
        ),
    ] = None,
    why: Annotated[
        str, typer.Option(help="Why --into-existing adds SOURCE, logged with the choice.")
    ] = "",
) -> None:
    """Store every release of SOURCE (and its outstanding reports), recomputing every contest."""
    canvasses = load_canvasses(source, fmt=fmt, rules_path=str(rules) if rules else None)
    desk = open_desk(db_url(db), patience=patience)
    out = terminal.console()
    admitted = Admission(by=into_existing, why=why) if into_existing else None
    with _notifying(desk, webhooks):
        for canvass in canvasses:
            _ingest_canvass(
                desk, canvass, _reports_for(canvass, outstanding), out,
                quiet=quiet, source=source, admitted=admitted,
            )  # fmt: skip


def _ingest_canvass(
    desk: Desk,
    canvass: Canvass,
    reports: Iterable[OutstandingReport],
    out: Any,
    *,
    quiet: bool = False,
    source: str = "",
    admitted: Admission | None = None,
) -> None:
    parsed = Parsed(
        election=canvass.election,
        releases=tuple(canvass.releases),
        calls=tuple(canvass.calls),
        reports=tuple(reports),
    )
    payloads = canvass.payloads or [None] * len(canvass.releases)
    stored = flagged = 0
    set_aside: dict[str, None] = {}
    with terminal.progress(quiet) as progress:
        task = progress.add_task(f"storing {canvass.election.id}", total=len(canvass.releases))

        def each(result: IngestResult) -> None:
            nonlocal stored, flagged
            stored += result.status == "stored"
            flagged += result.status == "stored" and not result.usable
            set_aside.update((p.message, None) for p in result.problems if p.code == "set-aside")
            progress.advance(task)

        taken = desk.take(parsed, payloads, origin=source, admitted=admitted, each=each)
    election, skipped = taken.election, len(taken.results) - stored
    added, outside = taken.reports, taken.outside_calls
    for refused in canvass.refused:
        desk.store.quarantine(refused.payload, refused.problem)
    out.print(
        f"{election.id} · {election.title}: {stored} releases stored, {skipped} already known or unchanged, "
        f"{flagged} flagged, {added} outstanding reports, {outside} outside calls · {len(election.contests)} contests"
    )
    if canvass.refused:
        out.print(f"{canvass.summary()} (the refused bytes are kept in quarantine)")
    for name in hidden_in(election):  # a non-blocking flag: pages show the characters
        out.print(f"flagged: {name}", markup=False)
    _print_set_aside(out, list(set_aside))


def _print_set_aside(out: Any, notes: list[str], shown: int = 10) -> None:
    """What the releases read but did not use (``Release.set_aside``), said once each."""
    for note in notes[:shown]:
        out.print(f"set aside: {note}", markup=False)
    if len(notes) > shown:
        out.print(f"set aside: {len(notes) - shown} more (the releases' problems list them all)")


@command()
def replay(
    source: Annotated[str, typer.Argument(help="A feed folder, a results file, or scenario:NAME.")],
    contest: Annotated[
        str | None, typer.Option("--contest", help="Contest id or part of its title.")
    ] = None,
    outstanding: OutstandingOption = None,
    as_json: JsonOption = False,
    params: ParamsOption = None,
    fmt: FormatOption = None,
    seed: Annotated[int, typer.Option(help="Random seed of the projection.")] = 0,
) -> None:
    """Replay SOURCE release by release: a table per release for each contest chosen (and a
    row for each registrar's estimate that made a release's snapshot again soon after it)."""
    canvasses = load_canvasses(source, fmt=fmt)
    model = load_params(str(params) if params else None)
    docs = []
    out = terminal.console(as_json)
    for canvass in canvasses:
        election = canvass.election
        contests = _match_contests(election, contest) if contest else []
        snapshots: list[Snapshot] = []
        with terminal.progress(quiet=len(canvass.releases) < 10) as progress:
            task = progress.add_task(f"replaying {election.id}", total=len(canvass.releases))
            for snap in replay_canvass(
                election,
                canvass.releases,
                _reports_for(canvass, outstanding),
                model,
                seed,
                estimates=True,
            ):
                snapshots.append(snap)
                if snap.revised_at is None:
                    progress.advance(task)
        per_contest = []
        for c in contests:
            rows = []
            for i, snap in enumerate(snapshots):
                recent = [s.state(c.id) for s in snapshots[max(0, i - 3) : i + 1]]
                rows.append(documents.contest_view(election, snap, c.id, [r for r in recent if r]))
            per_contest.append(documents.ReplayedContest(id=c.id, title=c.title, releases=rows))
            if not as_json:
                out.print(
                    terminal.contest_table(f"{c.title} ({c.id}) · {c.rule.text}", rows, out.width)
                )
                out.print(rows[-1].contest.sentence + "\n", style="bold", markup=False)
        if not contests and not as_json:
            _print_summary(out, election, snapshots)
        if canvass.refused:
            out.print(canvass.summary())
        docs.append(
            documents.ReplayedElection(
                election=documents.election_info(election),
                releases=sum(1 for s in snapshots if s.revised_at is None),
                contests=per_contest,
                final=documents.election_view(election, snapshots[-1])
                if snapshots and not contests
                else None,
            )
        )
    if as_json:
        _print_json(documents.ReplayDoc(elections=docs))


def _print_summary(out: Any, election: Election, snapshots: list[Snapshot]) -> None:
    from rich.table import Table

    table = Table(title=f"{election.title} ({election.id})", title_justify="left")
    for name in ("release", "ballots counted", "ballots left", "called", "flagged"):
        table.add_column(name, justify="right" if name != "release" else "left")
    for snap in snapshots:
        called = sum(
            1
            for c in snap.calls.values()
            if c.status
            not in ("too early", "too close", "leading", "write-ins only", "portion only")
        )
        left = snap.ballots_left.ballots
        table.add_row(
            terminal.local_time(snap.feed_time),
            numbers.count(_ballots_counted(snap)),
            numbers.count_interval(left),
            f"{called}/{len(snap.states)}",
            "" if snap.usable else "not used",
        )
    out.print(table)


def _ballots_counted(snap: Snapshot) -> int | None:
    return snap.ballots_counted


@command()
def status(
    db: DbOption = None,
    election: ElectionOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Show what was known at this time (ISO 8601).")
    ] = None,
    contest: Annotated[
        str | None, typer.Option("--contest", help="Contest id or part of its title.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Every contest's state after the latest release in the database (or as of a time)."""
    desk = _reading_desk(db)
    chosen = _pick_election(desk, election)
    snap = _public(desk, chosen, _parse_time(as_of, chosen))
    if snap is None:
        raise StoreError(f"no release of {chosen.id} is stored{' by ' + as_of if as_of else ''}")
    contests = _match_contests(chosen, contest)
    if as_json:
        if contest:
            _print_json(
                documents.StatesDoc(
                    contests=[documents.contest_view(chosen, snap, c.id) for c in contests]
                )
            )
        else:
            _print_json(documents.election_view(chosen, snap))
        return
    out = terminal.console()
    if contest:
        for c in contests:
            history = desk.contest_history(chosen.id, c.id)
            recent = [s for s in history if s.release_sequence <= snap.release_sequence][-4:]
            view = documents.contest_view(chosen, snap, c.id, recent)
            out.print(terminal.contest_results(view))
            out.print(view.contest.sentence + "\n", style="bold", markup=False)
        return
    out.print(
        terminal.status_table(
            chosen, snap, [documents.contest_summary(chosen, snap, c.id) for c in contests]
        )
    )


@command()
def contests(
    source: Annotated[
        str | None, typer.Argument(help="A source to read (default: the database).")
    ] = None,
    db: DbOption = None,
    election: ElectionOption = None,
    search: Annotated[str | None, typer.Option("--search", help="Part of a title.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List contests with their rules."""
    if source:
        elections = [c.election for c in load_canvasses(source)]
    else:
        elections = [_pick_election(_reading_desk(db), election)]
    rows = [
        documents.contest_listing(e, c)
        for e in elections
        for c in (_match_contests(e, search) if search else e.contests)
    ]
    if as_json:
        _print_json(documents.ContestListingDoc(contests=rows))
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} contest{'' if len(rows) == 1 else 's'}", title_justify="left")
    for name in ("id", "contest", "rule", "choices"):
        table.add_column(name)
    for r in rows:
        rule = r.rule
        detail = rule.name
        if rule.votes_allowed > 1:
            detail += f", vote for {rule.votes_allowed}"
        if rule.threshold:
            detail = f"{rule.text}"
        table.add_row(r.id, r.title, detail, str(len(r.choices)))
    terminal.console().print(table)


@command()
def watch(
    source: Annotated[
        str,
        typer.Argument(
            help="A live feed: lavote:ELECTION_ID (LA County), clarity:URL (a Clarity site), "
            "ca-sos:DATE (the Secretary of State's feeds of the election of that date), or "
            "lavote:ELECTION_ID+ca-sos:DATE (both, as one election)."
        ),
    ],
    db: DbOption = None,
    interval: Annotated[float, typer.Option(help="Seconds between polls.")] = 30.0,
    max_polls: Annotated[
        int | None, typer.Option("--max-polls", help="Stop after this many polls.")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Feed base URL (for a mirror or a test server)."),
    ] = None,
    feeds: Annotated[
        list[str] | None,
        typer.Option(
            "--feed",
            help="ca-sos: a feed to poll (us-senate, us-rep-district-27 …); default: the feeds "
            "of the election's latest stored release.",
        ),
    ] = None,
    webhooks: WebhookOption = None,
    state_url: Annotated[
        str | None,
        typer.Option("--state-base-url", help="A joined watch: the state's feeds' base URL."),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", help="A joined watch: a rules file's matches (record = …)."),
    ] = None,
) -> None:
    """Poll a live feed and store each new release as it is published."""
    from racedesk.desk.watch import casos_poller, watch_casos, watch_clarity, watch_source
    from racedesk.desk.watch_joined import JoinedWatch, watch_joined
    from racedesk.sources.rules_file import load_records

    desk = open_desk(db_url(db))
    say = terminal.console().print
    with _notifying(desk, webhooks):
        if "+" in source:
            records = load_records(rules) if rules else None
            joined = JoinedWatch(
                desk, source, feeds=feeds, county_url=base_url, state_url=state_url,
                records=records,
            )  # fmt: skip
            with joined:
                watch_joined(joined, interval=interval, max_polls=max_polls, say=say)
        elif source.startswith("clarity:"):
            url = source.split(":", 1)[1]
            watch_clarity(desk, url, interval=interval, max_polls=max_polls, say=say)
        elif source.startswith("ca-sos:"):
            poller = casos_poller(desk, source, feeds, base_url)
            watch_casos(desk, poller, interval=interval, max_polls=max_polls, say=say)
        else:
            watch_source(
                desk, source, interval=interval, max_polls=max_polls, base_url=base_url, say=say
            )


@command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    token: Annotated[
        str | None, typer.Option(help="Token for writes (default: RACEDESK_TOKEN).")
    ] = None,
    webhooks: WebhookOption = None,
) -> None:
    """Serve the dashboard and the JSON API over the database."""
    from racedesk.publish.web.server import serve as serve_app
    from racedesk.settings import write_token

    desk = open_desk(db_url(db))
    with _notifying(desk, webhooks):
        serve_app(desk, host=host, port=port, token=token or write_token())


@command()
def backtest(
    source: Annotated[str, typer.Argument(help="A whole canvass: feed folder or scenario:NAME.")],
    outstanding: OutstandingOption = None,
    report_json: Annotated[
        Path | None,
        typer.Option("--report-json", help="Write the racedesk.backtest/1 report here."),
    ] = None,
    report_md: Annotated[
        Path | None,
        typer.Option("--report-md", help="Write the Markdown report (with its plot) here."),
    ] = None,
    params: ParamsOption = None,
    fmt: FormatOption = None,
    seed: Annotated[int, typer.Option(help="Random seed of the projection.")] = 0,
    references: Annotated[
        Path | None,
        typer.Option(
            "--references",
            help="Reference calls (AP's calls, concessions; CSV) to say how early each call was.",
        ),
    ] = None,
    quiet: QuietOption = False,
    rules: Annotated[Path | None, typer.Option("--rules", help="Contest-rules file.")] = None,
) -> None:
    """Replay a whole canvass knowing only what was known at each release, and score the calls."""
    from racedesk.engine.backtest import run_backtest
    from racedesk.sources.reference_calls import load_reference_calls

    model = load_params(str(params) if params else None)
    out = terminal.console()
    for canvass in load_canvasses(source, fmt=fmt, rules_path=str(rules) if rules else None):
        refs = load_reference_calls(references, canvass.election) if references else []
        with terminal.progress(quiet) as progress:
            task = progress.add_task(
                f"replaying {canvass.election.id}", total=len(canvass.releases)
            )
            report = run_backtest(
                canvass.election,
                canvass.releases,
                _reports_for(canvass, outstanding),
                model,
                seed,
                refs,
                tick=functools.partial(progress.advance, task),
            )
        if canvass.refused:
            report = msgspec.structs.replace(report, refused=[r.problem for r in canvass.refused])
            out.print(canvass.summary())
        s = report.summary
        out.print(
            f"{canvass.election.id}: {s.contests} contests, {s.called} called, "
            f"[bold]{s.wrong_calls} wrong calls[/bold], 90% intervals held {numbers.pct(s.coverage_90, 1)} "
            f"of (contest, release) pairs"
        )
        if report.in_sample:
            out.print(
                f"in sample: the model ({model.version}) was calibrated on this very canvass; "
                "docs/method.md gives the figures of a model calibrated on the others"
            )
        for ref in report.references:
            out.print(words.reference_words(ref), markup=False)
        if report_json or report_md:
            from racedesk.publish.backtest_report import write_report

            write_report(report, report_json, report_md)


@command()
def matches(
    source: Annotated[
        str, typer.Argument(help="Sources of one election joined with + (the county's first).")
    ],
    fmt: FormatOption = None,
    rules_out: Annotated[
        Path | None,
        typer.Option(
            "--rules-out",
            help="Write the matches as a contest-rules file to review and pass back with --rules.",
        ),
    ] = None,
) -> None:
    """Which contests of the joined sources are one contest, and which count of each is called."""
    from rich.table import Table

    from racedesk.sources.loader import joined_matches
    from racedesk.sources.rules_file import records_file

    elections, found = joined_matches(source, fmt)
    titles = {c.id: (c.title, e.source) for e in elections for c in e.contests}
    out = terminal.console()
    table = Table(title=f"{len(found)} matches", title_justify="left")
    for column in ("contest", "source", "counted in", "contest of record", "why"):
        table.add_column(column)
    for m in found:
        title, where = titles[m.contest]
        record_title, record_source = titles[m.record]
        table.add_row(
            f"{title} ({m.contest})", where, record_source, f"{record_title} ({m.record})", m.how
        )
    out.print(table)
    out.print(
        "each contest is shown beside its contest of record and never called; the contest of "
        "record is projected and called"
    )
    if rules_out:
        rules_out.write_text(records_file((m.contest, m.record, m.how) for m in found))
        out.print(f"wrote {rules_out}: edit it and pass it with --rules to change a match")


SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="A Dask scheduler (tcp://HOST:PORT) to run on; 'serial' runs in this process "
        "(default: this machine's processes).",
    ),
]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", min=1, help="Local processes (default: one per core).")
]


@command()
def calibrate(
    sources: Annotated[
        list[str],
        typer.Argument(help="Past canvasses: SOURCE, or SOURCE=REPORTS for its own estimates."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write the parameter file.")],
    outstanding: OutstandingOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
) -> None:
    """Learn the model's parameters from replays of past canvasses (replayed in parallel)."""
    from racedesk.desk.crossval import calibrate_many, parse_spec
    from racedesk.engine.calibrate import learned_document

    specs = [_with_reports(parse_spec(s), outstanding) for s in sources]
    fitted = calibrate_many(specs, scheduler, workers)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(learned_document(fitted))
    terminal.console().print(
        f"wrote {out} (version {fitted.version}, from {', '.join(fitted.calibrated_on)})"
    )


def _with_reports(spec: CanvassSpec, outstanding: Path | None) -> CanvassSpec:
    """``spec`` with ``--outstanding`` as its reports when it names none of its own."""
    if spec.reports is None and outstanding is not None:
        return msgspec.structs.replace(spec, reports=str(outstanding))
    return spec


@command()
def crossval(
    sources: Annotated[
        list[str],
        typer.Argument(help="Canvasses: SOURCE, or SOURCE=REPORTS for its own estimates."),
    ],
    references: Annotated[
        Path | None,
        typer.Option("--references", help="Reference calls (CSV) to say how early each call was."),
    ] = None,
    without_reports: Annotated[
        bool, typer.Option("--without-reports", help="Use no outstanding-ballot reports at all.")
    ] = False,
    report_json: Annotated[
        Path | None,
        typer.Option("--report-json", help="Write the racedesk.crossval/1 report here."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the projection.")] = 0,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
) -> None:
    """Leave each canvass out in turn: calibrate on the others, backtest it (out of sample)."""
    from racedesk.desk.crossval import leave_one_out, parse_spec
    from racedesk.engine.crossval import encode

    specs = [parse_spec(s, without_reports) for s in sources]
    report = leave_one_out(specs, str(references) if references else None, scheduler, workers, seed)
    out = terminal.console()
    for fold in report.folds:
        out.print(words.fold_words(fold), markup=False)
        for ref in fold.references:
            out.print("  " + words.reference_words(ref), markup=False)
    out.print(words.crossval_words(report.summary), markup=False)
    if report_json:
        report_json.parent.mkdir(parents=True, exist_ok=True)
        report_json.write_bytes(encode(report))


@command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="cdf-json, cdf-xml, csv or parquet.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    db: DbOption = None,
    election: ElectionOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Export what was known at this time.")
    ] = None,
) -> None:
    """Export an election's results as of a time."""
    desk = _reading_desk(db)
    chosen = _pick_election(desk, election)
    when = _parse_time(as_of, chosen)
    stored = desk.releases(chosen.id, when)
    if not stored:
        raise StoreError("no release to export")
    release = stored[-1].release
    snap = _public(desk, chosen, when)
    if fmt in ("cdf-json", "cdf-xml"):
        from racedesk.publish import cdf_export

        certification = cdf_export.certification_of(desk.release_events(chosen.id, when))
        data = (cdf_export.to_json if fmt == "cdf-json" else cdf_export.to_xml)(
            chosen, release, snap, certification=certification
        )
        out.write_bytes(data)
    elif fmt == "csv":
        from racedesk.publish import tabular_export

        out.write_bytes(tabular_export.to_csv(chosen, release, snap))
    elif fmt == "parquet":
        from racedesk.publish import tabular_export

        tabular_export.to_parquet(chosen, release, snap, out)
    else:
        raise typer.BadParameter(f"unknown format {fmt!r}: use cdf-json, cdf-xml, csv or parquet")
    terminal.console().print(f"wrote {out} ({fmt}, release {release.sequence} of {chosen.id})")


@command()
def outstanding(
    reports: Annotated[
        Path, typer.Argument(help="The registrar's estimates of ballots left (CSV or JSON).")
    ],
    db: DbOption = None,
    election: ElectionOption = None,
) -> None:
    """Add the registrar's estimates of ballots left: they take effect at once on the latest
    release (its snapshot is made again, dated now)."""
    from racedesk.sources.outstanding import load_reports

    desk = open_desk(db_url(db))
    chosen = _pick_election(desk, election)
    found = load_reports(reports, chosen.date, ZoneInfo(chosen.timezone))
    added = desk.add_outstanding_reports(chosen.id, found)
    terminal.console().print(
        f"{chosen.id}: {added} new outstanding reports of {len(found)}"
        + (", in effect on the latest release" if added else "")
    )


@command()
def confirm(
    sequence: Annotated[int, typer.Argument(help="The held release's number (#N).")],
    by: Annotated[str, typer.Option("--by", help="The editor who confirms it.")],
    db: DbOption = None,
    election: ElectionOption = None,
) -> None:
    """Confirm a release held as a likely mapping error: it is used from now on."""
    desk = open_desk(db_url(db))
    chosen = _pick_election(desk, election)
    event = desk.confirm_release(chosen.id, sequence, by)
    terminal.console().print(
        f"{chosen.id}: release #{event.sequence} confirmed by {event.made_by} at "
        f"{event.made_at.isoformat(timespec='seconds')}; the desk uses it from now on"
    )


@command()
def retire(
    sequence: Annotated[int, typer.Argument(help="The release's number (#N).")],
    by: Annotated[str, typer.Option("--by", help="The editor who retires it.")],
    why: Annotated[str, typer.Option("--why", help="Why, in a few words.")] = "",
    db: DbOption = None,
    election: ElectionOption = None,
) -> None:
    """Retire a release from use (its bytes stay): the desk recomputes without it."""
    desk = open_desk(db_url(db))
    chosen = _pick_election(desk, election)
    event = desk.retire_release(chosen.id, sequence, by, why)
    terminal.console().print(
        f"{chosen.id}: release #{event.sequence} retired by {event.made_by} at "
        f"{event.made_at.isoformat(timespec='seconds')}; the desk no longer uses it",
        markup=False,
    )


@command()
def certify(
    issuer: Annotated[
        str, typer.Option("--issuer", help="The name the certified results are published under.")
    ],
    by: Annotated[str, typer.Option("--by", help="Who enters the certification.")],
    db: DbOption = None,
    election: ElectionOption = None,
) -> None:
    """Record the registrar's certification: nothing is left to count and every contest takes
    its final outcome."""
    desk = open_desk(db_url(db))
    chosen = _pick_election(desk, election)
    event = desk.certify(chosen.id, by, issuer)
    snap = desk.snapshot(chosen.id)
    undecided = [c for c, call in snap.calls.items() if not call.choices] if snap else []
    terminal.console().print(
        f"{chosen.id}: certified by {event.issuer} (entered by {event.made_by}) at release "
        f"#{event.sequence}; {len(undecided)} contests without a winner the count can name"
    )


@command()
def check(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Verify a database: the SQLite file, every payload's hash, every release read again from
    its payload, every snapshot. Exit 0 when whole, 1 when something is wrong."""
    from racedesk.desk.check import StoreHealth, check_store
    from racedesk.store import open_store

    try:
        store = open_store(db_url(db))
    except StoreError as exc:  # a file too damaged to open: that is the answer
        health = StoreHealth(database=exc.where or (db or ""), problems=[exc.message])
    else:
        try:
            health = check_store(store)
        finally:
            store.close()
    if as_json:
        _print_json(health)
    else:
        out = terminal.console()
        for note in health.notes:
            out.print(f"note: {note}", markup=False)
        for problem in health.problems:
            out.print(f"problem: {problem}", markup=False)
        verdict = "whole" if health.ok else f"{len(health.problems)} problems"
        out.print(
            f"{health.database}: {health.payloads} payloads, {health.releases} releases, "
            f"{health.snapshots} snapshots checked: {verdict}",
            markup=False,
        )
    if not health.ok:
        raise typer.Exit(1)


@command("export-site")
def export_site(
    directory: Annotated[Path, typer.Argument(help="Folder to write the static site into.")],
    db: DbOption = None,
    election: ElectionOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write the dashboard's pages and JSON as static files for any static host."""
    from racedesk.publish.static_site import export_site as write_site

    desk = _reading_desk(db)
    chosen = _pick_election(desk, election)
    with terminal.progress(quiet) as progress:
        task = progress.add_task("writing contest pages", total=len(chosen.contests))
        write_site(desk, chosen.id, directory, tick=functools.partial(progress.advance, task))
    terminal.console().print(
        f"wrote the site of {chosen.id} to {directory}/ (open {directory}/index.html)"
    )


@command()
def demo(
    serve_dashboard: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve", help="Open the live dashboard after the terminal replay."
        ),
    ] = True,
    pace: Annotated[float, typer.Option(help="Seconds between releases in the live replay.")] = 3.0,
    port: Annotated[int, typer.Option(help="Port of the dashboard.")] = 8000,
    webhooks: WebhookOption = None,
) -> None:
    """Replay the 2020 Los Angeles District Attorney race as it was reported, update by update."""
    from racedesk.demo import run_demo
    from racedesk.settings import webhook_urls

    urls = webhooks or webhook_urls()
    run_demo(serve_dashboard=serve_dashboard, pace=pace, port=port, webhooks=urls)


# ---- recall petitions (issue 20) ------------------------------------------------------------

recall_app = typer.Typer(
    help="Recall and initiative petitions: the registrar's random sample, projected by the law "
    "(2 CCR §§20530–20532, EC §11225, §9115) and with an interval.",
    no_args_is_help=True,
)
app.add_typer(recall_app, name="recall")


@recall_app.command("project")
@_reported
def recall_project(
    raw: Annotated[int, typer.Option("--raw", help="Signatures filed (the raw count N).")],
    sample: Annotated[int, typer.Option("--sample", help="Signatures in the random sample (n).")],
    valid: Annotated[int, typer.Option("--valid", help="Valid signatures in the sample (v).")],
    required: Annotated[int, typer.Option("--required", help="Valid signatures required (R).")],
    duplicates: Annotated[
        int | None,
        typer.Option(
            "--duplicates", help="Duplicates found in the sample (D); omit when not published."
        ),
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="local-recall (90/110% bands) or initiative (95/110%).")
    ] = "local-recall",
    as_json: JsonOption = False,
) -> None:
    """Project a petition's valid signatures from the random sample: the law's figure and band,
    what happens next, an interval and the chance a full count would find enough."""
    doc = documents.petition_view(raw, sample, valid, duplicates, required, kind)
    if as_json:
        _print_json(doc)
        return
    _print_petition(doc)


def _print_petition(doc: documents.PetitionDoc) -> None:
    from rich.table import Table

    out = terminal.console()
    steps = doc.steps
    table = Table(title=f"{doc.kind} petition: {doc.raw:,} signatures filed", title_justify="left")
    table.add_column("step (2 CCR)")
    table.add_column("value", justify="right")
    rows = [
        ("validity in the sample (§20530(c))", numbers.pct(steps.validity, 2)),
        ("uncorrected valid (§20530(d))", numbers.count(steps.uncorrected)),
        ("value of a signature A (§20531(a))", f"{steps.signature_value:.4f}"),
        ("weight of a duplicate A(A−1) (§20531(b))", f"{steps.duplicate_weight:,.4f}"),
        ("estimated duplicates (§20531(c))", numbers.count(steps.estimated_duplicates)),
        ("projected valid (§20532)", numbers.count(steps.projected_valid)),
        ("required", numbers.count(doc.required)),
    ]
    for row in rows:
        table.add_row(*row)
    out.print(table)
    out.print(f"[bold]{doc.sentence}[/bold]")
    out.print(f"Next: {doc.decision.next_step}.")
    if doc.decision.by_when:
        out.print(f"By when: {doc.decision.by_when}.")
    for note in doc.notes:
        out.print(note)
    if doc.scenarios:
        scenarios = Table(title="if the sample held duplicates", title_justify="left")
        for name in ("duplicates among filed", "in the sample", "projected", "of required", "band"):
            scenarios.add_column(name, justify="right" if name != "band" else "left")
        for s in doc.scenarios:
            scenarios.add_row(
                numbers.pct(s.rate, 0),
                numbers.count(s.duplicates),
                f"{s.projected_valid:,} ({s.interval.low:,}–{s.interval.high:,})",
                numbers.pct(s.share_of_required, 2),
                s.outcome,
            )
        out.print(scenarios)


def _parse_day(text: str | None) -> date | None:
    """A date (ISO, ``2022-07-20``); a time's date when given one."""
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise typer.BadParameter(
            f"cannot read the date {text!r}: use ISO 8601, e.g. 2022-07-20"
        ) from None


@recall_app.command("ingest")
@_reported
def recall_ingest(
    table: Annotated[
        Path,
        typer.Argument(
            help="A petitions table (the layout of recalls/petitions.csv) or a reports file "
            "(one row per stage, docs/recalls.md)."
        ),
    ],
    petition: Annotated[
        list[str] | None,
        typer.Option("--petition", help="Only this petition (repeat for more; default: all)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Keep a petitions table or reports file and store each petition's new stages (filed,
    sample, count progress, full count, outcome) and the verdict events they bring, append-only."""
    from racedesk.desk.petitions import ingest_petitions
    from racedesk.sources.safety import read_file
    from racedesk.store import open_store

    store = open_store(db_url(db))
    try:
        done = ingest_petitions(store, read_file(table), origin=str(table), only=petition or ())
    finally:
        store.close()
    out = terminal.console()
    for one in done:
        events = "; ".join(f"{e.on or 'undated'}: {e.verdict}" for e in one.new_events)
        stages = f"{one.new_stages} new stage{'' if one.new_stages == 1 else 's'}"
        out.print(f"{one.petition_id}: {stages}" + (f", {events}" if events else ""))


@recall_app.command("status")
@_reported
def recall_status(
    petition: Annotated[
        str | None, typer.Argument(help="A petition id (default: every petition).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="What was known on this date (ISO, 2022-07-20).")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """A stored petition's verdict, stages, sample arithmetic and ledger as of a date (or every
    petition's verdict)."""
    from racedesk.publish import petition_tables, petitions

    day = _parse_day(as_of)
    store = _reading_store(db)
    try:
        if petition is None:
            listing = petitions.petitions_view(store, day)
            if as_json:
                _print_json(listing)
            else:
                petition_tables.print_petitions(listing)
            return
        doc = petitions.petition_status_view(store, petition, day)
    finally:
        store.close()
    if as_json:
        _print_json(doc)
        return
    petition_tables.print_petition_status(doc)
    if doc.sample is not None:
        _print_petition(doc.sample)


@recall_app.command("election")
@_reported
def recall_election(
    petition: Annotated[str, typer.Argument(help="A stored petition that has qualified.")],
    election_date: Annotated[
        str, typer.Option("--date", help="The recall election's date (ISO, 2022-06-07).")
    ],
    out: Annotated[Path, typer.Option("--out", help="The scenario file to write (JSON).")],
    db: DbOption = None,
) -> None:
    """Write a qualified petition's recall election as a scenario file: one recall contest, yes
    removes by more than half; add each count to its releases and `racedesk ingest` it."""
    from racedesk.publish.petitions import petition_status_view
    from racedesk.publish.recall_election import recall_scenario

    day = _parse_day(election_date)
    assert day is not None
    store = _reading_store(db)
    try:
        doc = recall_scenario(petition_status_view(store, petition), day)
    finally:
        store.close()
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    election = doc["elections"][0]
    terminal.console().print(
        f"wrote {out}: {election['id']}, {election['contests'][0]['title']} on {day}; add the "
        "registrar's counts to its releases, then racedesk ingest it"
    )


# ---- ranked choice ----------------------------------------------------------------------------

rcv_app = typer.Typer(
    help="Ranked-choice contests, counted round by round as RCTab (the Universal RCV Tabulator) "
    "counts them.",
    no_args_is_help=True,
)
app.add_typer(rcv_app, name="rcv")


@rcv_app.command("tabulate")
@_reported
def rcv_tabulate(
    config: Annotated[Path, typer.Argument(help="RCTab's contest configuration (JSON).")],
    out: Annotated[
        Path, typer.Option("--out", help="Folder the summary JSON and CSV are written to.")
    ],
) -> None:
    """Count the contest an RCTab configuration describes and write RCTab's summary JSON and
    CSV."""
    from racedesk.publish import rcv_report
    from racedesk.rcv import tabulate
    from racedesk.sources.rcv_config import load_ranked_contest

    settings, contest = load_ranked_contest(config)
    slice_by = [
        k for k, on in (("precinct", settings.by_precinct), ("batch", settings.by_batch)) if on
    ]
    tabulation = tabulate(contest, slice_by=slice_by)
    about = {
        "date": settings.date,
        "jurisdiction": settings.jurisdiction,
        "office": settings.office,
    }
    written = rcv_report.write_reports(tabulation, contest.rules, out, about)
    winners = ", ".join(tabulation.winners) or "nobody"
    terminal.console().print(
        f"{contest.name}: {len(contest.ballots):,} ballots, {len(tabulation.rounds)} rounds, "
        f"elected {winners}; wrote {len(written)} files in {out} ({written[0].name} …)"
    )


# ---- money by side (issue 21) -----------------------------------------------------------------

money_app = typer.Typer(
    help="Campaign money by side, from the filings (NetFile, CAL-ACCESS), counted once.",
    no_args_is_help=True,
)
app.add_typer(money_app, name="money")


@money_app.command("ingest")
@_reported
def money_ingest(
    paths: Annotated[list[Path], typer.Argument(help="Filing files or folders of them.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Keep campaign-finance files (NetFile exports, CAL-ACCESS tables, NetFile API JSON) with
    the filings they hold; a file that does not read stops the ingest before anything is kept."""
    from racedesk.desk.money import ingest_money
    from racedesk.store import open_store

    results = ingest_money(open_store(db_url(db)), paths)
    if as_json:
        _print_json({"schema": "racedesk.money-ingest/1", "files": results})
        return
    for r in results:
        if r.status == "skipped":
            terminal.console().print(f"{r.origin}: skipped (holds no filings)")
            continue
        terminal.console().print(
            f"{r.origin}: {r.status} ({r.format}, {r.filings:,} filings, {r.lines:,} lines)"
        )


@money_app.command("status")
@_reported
def money_status(db: DbOption = None, as_json: JsonOption = False) -> None:
    """What the store holds: money payloads, filing versions, each committee's totals and the
    date its latest statement runs to."""
    from racedesk.desk.money import stored_filings
    from racedesk.publish.money_document import money_status as status_view

    store = _reading_store(db)
    doc = status_view(store.money_payloads(), store.money_filings(), stored_filings(store))
    if as_json:
        _print_json(doc)
        return
    _print_money_status(doc)


def _print_money_status(doc: Any) -> None:
    from rich.table import Table

    out = terminal.console()
    out.print(f"{len(doc.payloads)} files, {doc.filing_versions:,} filing versions")
    table = Table(title="committees (statements + later 24-hour reports)", title_justify="left")
    for name in ("committee", "received", "spent", "through", ""):
        table.add_column(name, justify="left" if name in ("committee", "") else "right")
    for c in doc.committees:
        table.add_row(
            f"{c.name} ({c.filer_id})",
            f"{c.received:,.2f}",
            f"{c.spent:,.2f}",
            str(c.through or "—"),
            "provisional" if c.provisional else "",
        )
    out.print(table)


@money_app.command("links")
@_reported
def money_links(
    db: DbOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the CSV here (default: standard output).")
    ] = None,
) -> None:
    """Suggest the committee → (contest, candidate or measure, position) table from the
    filings, as a CSV to review and pass to ``money export --links``."""
    from racedesk.desk.money import stored_filings
    from racedesk.money.links import suggest_links
    from racedesk.sources.money_links import write_links

    text = write_links(suggest_links(stored_filings(_reading_store(db))))
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


@money_app.command("export")
@_reported
def money_export(
    links: Annotated[
        Path | None, typer.Option("--links", help="Reviewed links CSV (default: suggestions).")
    ] = None,
    reported: Annotated[
        Path | None, typer.Option("--reported", help="Figures reported in the news (CSV).")
    ] = None,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Write sides, committees, late money CSVs here.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Money by side for every linked candidate and measure (racedesk.money/1): links from
    ``--links``, else the newest links file ingested, else suggestions from the filings."""
    from racedesk.desk.money import stored_filings, stored_links, stored_reported
    from racedesk.money.links import suggest_links
    from racedesk.publish.money_document import money_view
    from racedesk.publish.money_export import write_money_csv
    from racedesk.sources.money_links import read_links
    from racedesk.sources.reported_figures import read_reported
    from racedesk.sources.safety import read_file

    store = _reading_store(db)
    filings = stored_filings(store)
    if links is not None:
        chosen = read_links(read_file(links), where=str(links))
    else:
        chosen = stored_links(store) or suggest_links(filings)
    if reported is not None:
        figures = read_reported(read_file(reported), where=str(reported))
    else:
        figures = stored_reported(store)
    doc = money_view(filings, chosen, figures)
    if csv_dir is not None:
        written = write_money_csv(doc, csv_dir)
        terminal.console().print(f"wrote {', '.join(p.name for p in written)} in {csv_dir}")
    if as_json:
        _print_json(doc)
    elif csv_dir is None:
        _print_money(doc)


def _print_money(doc: Any) -> None:
    from rich.table import Table

    table = Table(title="money by side (filed)", title_justify="left")
    for name in ("contest", "subject", "support", "oppose", ""):
        table.add_column(name, justify="right" if name in ("support", "oppose") else "left")
    for s in doc.subjects:
        flag = "provisional" if s.support.provisional or s.oppose.provisional else ""
        table.add_row(
            s.contest, s.subject, f"{s.support.total:,.2f}", f"{s.oppose.total:,.2f}", flag
        )
    terminal.console().print(table)
    for r in doc.reported:
        terminal.console().print(
            f"reported, not filed: {r.subject} {r.position} {r.amount:,.2f} ({r.what}; {r.source})"
        )


# ---- editorial control (docs/editors.md) -------------------------------------------------------

call_app = typer.Typer(
    help="Editors' acts on the desk's calls: approve, hold or reject a ledger call, make or "
    "rescind a call by hand (docs/editors.md).",
    no_args_is_help=True,
)
app.add_typer(call_app, name="call")

ByOption = Annotated[str, typer.Option("--by", help="The editor's name.")]
NoteOption = Annotated[str, typer.Option("--note", help="Why, in a few words.")]


def _said(chosen: Election, act: EditorialAct, stored: bool) -> None:
    """One line saying what the act did (or that it was in force already)."""
    what = f"{act.act} #{act.target}" if act.target is not None else act.act
    when = act.made_at.isoformat(timespec="seconds")
    tail = "" if stored else " (already in force: nothing stored)"
    terminal.console().print(
        f"{chosen.id}: {what} on contest {act.contest_id} by {act.made_by} at {when}{tail}",
        markup=False,
    )


def _decide(kind: EditorialActKind, event_id: int, by: str, note: str, db: str | None,
            election: str | None) -> None:  # fmt: skip
    desk = open_desk(db_url(db))
    chosen = _pick_election(desk, election)
    act, stored = desk.editors.decide(chosen.id, kind, event_id, by, note)
    _said(chosen, act, stored)


EventArgument = Annotated[int, typer.Argument(help="The ledger call's event id (#N).")]


@call_app.command("approve")
@_reported
def call_approve(
    event_id: EventArgument,
    by: ByOption,
    note: NoteOption = "",
    db: DbOption = None,
    election: ElectionOption = None,
) -> None:
    """Approve the desk's call: published from now on (in either mode)."""
    _decide("approve", event_id, by, note, db, election)


@call_app.command("hold")
@_reported
def call_hold(
    event_id: EventArgument,
    by: ByOption,
    note: NoteOption = "",
    db: DbOption = None,
    election: ElectionOption = None,
) -> None:
    """Hold the desk's call: not published until an editor approves it."""
    _decide("hold", event_id, by, note, db, election)


@call_app.command("reject")
@_reported
def call_reject(
    event_id: EventArgument,
    by: ByOption,
    note: NoteOption = "",
    db: DbOption = None,
    election: ElectionOption = None,
) -> None:
    """Reject the desk's call: never published (a later call of the desk is a new one)."""
    _decide("reject", event_id, by, note, db, election)


@call_app.command("make")
@_reported
def call_make(
    contest: Annotated[str, typer.Argument(help="The contest's id or title.")],
    winners: Annotated[list[str], typer.Argument(help="The winners' ids or names.")],
    by: ByOption,
    note: NoteOption = "",
    db: DbOption = None,
    election: ElectionOption = None,
) -> None:
    """Call a contest by hand for WINNERS: published at once, whatever the mode."""
    desk = open_desk(db_url(db))
    chosen = _pick_election(desk, election)
    (found,) = _match_contests(chosen, contest)[:1]
    act, stored = desk.editors.call(chosen, found.id, tuple(winners), by, note)
    _said(chosen, act, stored)


@call_app.command("rescind")
@_reported
def call_rescind(
    contest: Annotated[str, typer.Argument(help="The contest's id or title.")],
    by: ByOption,
    note: NoteOption = "",
    db: DbOption = None,
    election: ElectionOption = None,
) -> None:
    """Withdraw what is published of a contest's call (the desk's or an editor's)."""
    desk = open_desk(db_url(db))
    chosen = _pick_election(desk, election)
    (found,) = _match_contests(chosen, contest)[:1]
    act, stored = desk.editors.rescind(chosen.id, found.id, by, note)
    _said(chosen, act, stored)


@command("publishing-mode")
def publishing_mode(
    mode: Annotated[
        str | None, typer.Argument(help="auto or recommend; leave out to print the mode.")
    ] = None,
    by: Annotated[str, typer.Option("--by", help="The editor's name (to change it).")] = "",
    note: NoteOption = "",
    db: DbOption = None,
) -> None:
    """Print or set the desk-wide publishing mode: auto (the engine's calls are published as
    it makes them) or recommend (they are published once an editor approves)."""
    if mode is None:
        terminal.console().print(_reading_desk(db).editors.mode())
        return
    desk = open_desk(db_url(db))
    act, stored = desk.editors.set_mode(mode, by, note)
    tail = "" if stored else " (already in force: nothing stored)"
    terminal.console().print(
        f"publishing mode {act.mode}, set by {act.made_by} at "
        f"{act.made_at.isoformat(timespec='seconds')}{tail}",
        markup=False,
    )


def _decided_by(act: ActRow | None) -> str:
    """Who decided a contest's call, and their note."""
    if act is None:
        return ""
    return f"{act.act} by {act.made_by}" + (f": {act.note}" if act.note else "")


@command()
def ledger(
    db: DbOption = None,
    election: ElectionOption = None,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            help="Only contests in this state: published, recommended, held, rejected, "
            "editor's call, rescinded.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The election's calls as published, and the editors' acts: each contest's state, the
    desk's standing call and the act that decided (racedesk.editorial/1 with --json)."""
    desk = _reading_desk(db)
    chosen = _pick_election(desk, election)
    doc = editorial_view(
        chosen,
        desk.editors.mode(),
        desk.editors.publications(chosen.id),
        desk.editors.acts(chosen.id),
        state=state,
    )
    if as_json:
        _print_json(doc)
        return
    from rich.table import Table

    table = Table(title=f"{chosen.title}: calls as published (mode {doc.mode})")
    for column in ("contest", "state", "published", "desk's call", "decided by"):
        table.add_column(column)
    for row in doc.contests:
        rec = row.recommendation
        table.add_row(
            row.contest_title or row.contest_id,
            row.state,
            f"{row.status} {', '.join(row.choice_names)}" if row.status else "",
            f"#{rec.event_id} {rec.status} {', '.join(rec.choice_names)}" if rec else "",
            _decided_by(row.decision),
        )
    terminal.console().print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
