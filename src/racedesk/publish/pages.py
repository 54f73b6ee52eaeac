"""The desk's pages, rendered for the live app or a static export: :func:`render_index`,
:func:`render_election` and :func:`render_contest` turn the documents of the read library
(:mod:`racedesk.publish.library`) into HTML (Jinja2, autoescaped, so a name from a feed is always
shown as text), linking with :class:`~racedesk.publish.links.Links`.

A contest page shows the contest *as of* a selected release: results, votes left (with their
source), standings and hurdles, the projection, the call and the ledger up to that release
(:mod:`racedesk.publish.contest_part`). Its charts cover every release
(:mod:`racedesk.publish.charts`); the time slider picks the release shown. In the live app the
slider asks the server for the page as of that release; a static page carries every release's
part record and fills the same elements from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from racedesk.model import Contest, Election
from racedesk.model.answers import CallEvent
from racedesk.publish.charts import chart_data, release_times
from racedesk.publish.contest_part import (
    choice_name,
    part_record,
    release_marks,
    status_class,
    when,
)
from racedesk.publish.documents import ElectionsDoc, LedgerEntry, ledger_view
from racedesk.publish.library import STATUSES, Library, filter_contests
from racedesk.publish.links import Links
from racedesk.publish.numbers import (
    chance,
    count,
    count_interval,
    expected_counted,
    margin,
    pct,
    pct_interval,
)
from racedesk.publish.overview import key_contests, layout
from racedesk.publish.page_tables import contest_csv, overview_csv
from racedesk.publish.petitions import PetitionsDoc
from racedesk.publish.search import fold
from racedesk.publish.words import by_type_words
from racedesk.rules import rule_name
from racedesk.sources.hidden_text import visible

#: The pages' CSS, scripts and vendored libraries.
STATIC_DIR = Path(__file__).resolve().parent / "static"


def tojson(value: Any) -> Markup:
    """JSON safe to embed in HTML (in a ``<script>`` element or an attribute): ``<``, ``>``,
    ``&`` and ``'`` escaped, as Jinja's own ``tojson`` does, but encoded by msgspec; hidden
    characters of names made visible, as everywhere on a page (a chart's legend too)."""
    text = visible(msgspec.json.encode(value).decode())
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text.replace("'", "\\u0027"))


def _shown(value: object) -> object:
    """What a template prints: text with its hidden characters made visible
    (:func:`racedesk.sources.hidden_text.visible`), markup and other values as they are."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("racedesk.publish", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )
    env.filters.update(
        tojson=tojson,
        count=count,
        pct=pct,
        pct_interval=pct_interval,
        count_interval=count_interval,
        chance=chance,
        status_class=status_class,
        fold=fold,
        margin=lambda votes: margin(votes, {}),
        expected_counted=expected_counted,
        choice_name=choice_name,
    )
    env.globals.update(when=when, statuses=STATUSES, by_type_words=by_type_words)
    return env


ENV = _environment()


def render_index(links: Links, doc: ElectionsDoc, petitions: PetitionsDoc | None = None) -> str:
    """The list of elections, from a ``racedesk.elections/1`` document, and of recall petitions
    (``racedesk.petitions/1``) when there are any."""
    return ENV.get_template("index.html").render(
        links=links, doc=doc, petitions=petitions, events_url=None
    )


def render_election(
    library: Library,
    links: Links,
    election_id: str,
    sequence: int | None,
    *,
    status: str | None = None,
    q: str | None = None,
    cut: datetime | None = None,
) -> str:
    """One election's contests with their status badges, a search and a status filter, after
    release ``sequence`` (as it stood at ``cut``: ``Library.cut``)."""
    election = library.election(election_id)
    doc = library.election_doc(election_id, sequence, cut)
    counts: dict[str, int] = {}
    for row in doc.contests:
        counts[row.status] = counts.get(row.status, 0) + 1
    entries = layout(doc.contests, key_contests(doc.contests))
    filtered = bool(q or status)
    found = filter_contests(doc.contests, status=status, q=q)
    visible = {r.id for r in found}
    if filtered:  # the matches alone, best first; the layout's other lines hidden after them
        at = {e.contest.id: e for e in entries if e.contest is not None}
        entries = [at[r.id] for r in found] + [
            e for e in entries if e.contest is None or e.contest.id not in visible
        ]
    return ENV.get_template("election.html").render(
        links=links,
        election=election,
        doc=doc,
        entries=entries,
        filtered=filtered,
        counts=counts,
        status=status or "",
        q=q or "",
        visible=visible,
        events_url=links.events(election_id),
        live_url=links.election(election_id),
    )


def _contest_part(
    links: Links,
    election: Election,
    record: dict[str, Any],
    ledger: Sequence[LedgerEntry],
) -> Markup:
    """The part of a contest page that depends on the release shown: ``record`` (see
    :func:`part_record`) and the contest's ledger rows, those after the release hidden."""
    contest = election.contest(record["contest_id"])
    choices = {c.id: c for c in contest.choices}
    html = ENV.get_template("_contest_part.html").render(
        links=links,
        election=election,
        r=record,
        ledger=ledger,
        choices=choices,
        # a measure's YES and NO have no party, whatever the feed files them under
        parties=contest.kind == "candidate",
    )
    return Markup(html)


def render_contest(
    library: Library,
    links: Links,
    election_id: str,
    contest_id: str,
    sequence: int | None,
    *,
    latest: int | None = None,
    embed_all: bool = False,
    ledger: Sequence[CallEvent] | None = None,
    cut: datetime | None = None,
) -> str:
    """A contest page as of release ``sequence`` (as it stood at ``cut``: ``Library.cut``;
    the slider can move to any release up to ``latest``). ``embed_all`` embeds every release's
    part record, for a static export's slider; ``ledger`` is the election's call ledger when
    the caller has read it already."""
    election = library.election(election_id)
    contest = library.contest(election, contest_id)
    if latest is None:
        latest = library.latest_sequence(election_id)
    stored = library.releases(election_id, latest) if latest is not None else []
    marks = release_marks(election, stored)
    if ledger is None:
        ledger = library.ledger(election_id, latest)
    rows = ledger_view(election, [e for e in ledger if e.contest_id == contest_id]).events
    part = None
    chart = None
    records: list[dict[str, Any]] = []
    if sequence is not None and latest is not None:
        record = part_record(
            election, library.contest_doc(election_id, contest_id, sequence, cut), marks, rows
        )
        part = _contest_part(links, election, record, rows)

        def read_at(seq: int) -> datetime | None:
            """The page's own release is read as it stood at ``cut``; the others as they are."""
            return cut if seq == sequence else None

        states = library.history(election_id, contest_id, latest, read_at(latest))
        chart = chart_data(
            contest,
            states,
            lambda seq: library.snapshot(election_id, seq, read_at(seq)),
            [m.label for m in marks],
            release_times(stored),
            election.timezone,
        )
        if embed_all:
            records = [
                part_record(
                    election,
                    library.contest_doc(election_id, contest_id, m.sequence, read_at(m.sequence)),
                    marks,
                    rows,
                )
                for m in marks
            ]
    return ENV.get_template("contest.html").render(
        links=links,
        election=election,
        contest=contest,
        joined=joined_links(election, contest),
        part=part,
        records=records,
        chart=chart,
        marks=[
            {"sequence": m.sequence, "label": m.label, "short": m.short, "usable": m.usable}
            for m in marks
        ],
        rule_name=rule_name(contest.rule),
        sequence=sequence,
        latest=latest,
        events_url=links.events(election_id),
        live_url=links.contest(election_id, contest_id),
    )


def joined_links(election: Election, contest: Contest) -> list[tuple[str, Contest]]:
    """In an election joined from several sources, the contests a contest page links to, each
    with what it is to this one: its contest of record (whose count is called), or the
    contests shown beside this one (a county's part, a copy of the count), never called."""
    if not election.members:
        return []
    found: list[tuple[str, Contest]] = []
    by_id = {c.id: c for c in election.contests}
    if contest.record and contest.record in by_id:
        found.append(("the contest of record, whose count racedesk calls", by_id[contest.record]))
    feeds = {m.source: m.jurisdiction or m.source for m in election.members}
    for other in election.contests:
        if other.record == contest.id:
            what = f"{other.portion}'s part" if other.portion else "a copy of this count"
            feed = feeds.get(other.source, other.source)
            found.append((f"{what}, in {feed}'s feed: shown, never called", other))
    return found


def render_embed(
    library: Library,
    links: Links,
    election_id: str,
    contest_id: str,
    sequence: int | None,
    cut: datetime | None = None,
) -> str:
    """A contest's embeddable widget as of release ``sequence`` (as it stood at ``cut``): a
    small page a newsroom puts
    in an ``<iframe>`` on its story pages (the call, the margin and how much is counted, each
    choice's votes and share, the release's time, a link to the full page). In the live app
    it follows the releases as the contest page does."""
    election = library.election(election_id)
    contest = library.contest(election, contest_id)
    record = None
    if sequence is not None:
        latest = library.latest_sequence(election_id)
        stored = library.releases(election_id, latest) if latest is not None else []
        record = part_record(
            election,
            library.contest_doc(election_id, contest_id, sequence, cut),
            release_marks(election, stored),
        )
    return ENV.get_template("embed.html").render(
        links=links,
        election=election,
        contest=contest,
        r=record,
        page_url=links.contest(election_id, contest_id),
        self_url=links.embed(election_id, contest_id),
        events_url=links.events(election_id),
    )


def election_table(
    library: Library,
    election_id: str,
    sequence: int | None,
    *,
    status: str | None = None,
    q: str | None = None,
    cut: datetime | None = None,
) -> str:
    """The overview's contests as CSV (:func:`~racedesk.publish.page_tables.overview_csv`),
    filtered and ordered as the page with the same ``status`` and ``q`` shows them."""
    election = library.election(election_id)
    doc = library.election_doc(election_id, sequence, cut)
    found = filter_contests(doc.contests, status=status, q=q)
    return overview_csv(doc, found, election.timezone)


def contest_table(
    library: Library,
    election_id: str,
    contest_id: str,
    sequence: int,
    cut: datetime | None = None,
) -> str:
    """A contest's results table as of release ``sequence`` (as it stood at ``cut``), as CSV
    (:func:`~racedesk.publish.page_tables.contest_csv`)."""
    election = library.election(election_id)
    doc = library.contest_doc(election_id, contest_id, sequence, cut)
    return contest_csv(doc, election.timezone)
