"""The static export (:func:`export_site`, ``racedesk export-site DIR``): the live app's pages and
JSON documents written as files for any static host, with relative links
(:meth:`Links.static_site <racedesk.publish.links.Links.static_site>`), so that the folder also
opens from ``file://``."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from racedesk.model.answers import CallEvent
from racedesk.publish import documents
from racedesk.publish.library import Library
from racedesk.publish.links import Links, file_name, slug
from racedesk.publish.page_tables import CONTEST_COLUMNS
from racedesk.publish.pages import (
    STATIC_DIR,
    contest_table,
    election_table,
    render_contest,
    render_election,
    render_embed,
    render_index,
)
from racedesk.publish.petition_pages import render_petition

if TYPE_CHECKING:
    from racedesk.desk import Desk


class ExportResult(msgspec.Struct, frozen=True, kw_only=True):
    """What :func:`export_site` wrote."""

    out_dir: str
    election_id: str
    release_sequence: int | None
    pages: int
    documents: int
    bytes: int


def _write(path: Path, text: str | bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(data)
    return len(data)


def _json(doc: Any) -> bytes:
    return msgspec.json.encode(doc)


def export_site(
    desk: Desk,
    election_id: str,
    out_dir: Path | str,
    *,
    as_of: datetime | None = None,
    library: Library | None = None,
    tick: Callable[[], object] = lambda: None,
) -> ExportResult:
    """Write the election's pages and JSON documents as static files under ``out_dir``, the
    same pages the live app serves (see :mod:`racedesk.publish.links` for the layout), as of the latest
    release (or the last release at or before ``as_of``). The pages open from ``file://``: they
    load nothing but their own folder's files, and each contest page carries every release's
    part for its time slider. The desk's recall petitions are written beside them (their pages
    and documents, as known now), linked from the index. ``tick`` is called after each contest
    page (a command's progress bar)."""
    out = Path(out_dir)
    lib = library or Library(desk)
    election = lib.election(election_id)
    sequence = lib.sequence(election_id, as_of=as_of)
    cut = lib.cut(election_id, sequence, as_of)  # the release as it stood then
    written = 0
    pages = 0
    documents = 0
    # the API documentation's Swagger UI serves the live app's /docs only
    skip = shutil.ignore_patterns("swagger-ui*", "docs.js")
    shutil.copytree(STATIC_DIR, out / "static", dirs_exist_ok=True, ignore=skip)
    name = slug(election_id)

    petitions = lib.petitions_doc()
    index = render_index(
        Links.static_site(0), _elections_doc_for(lib, election_id, sequence, cut), petitions
    )
    written += _write(out / "index.html", index)
    pages += 1
    written += _write(
        out / "elections" / name / "index.html",
        render_election(lib, Links.static_site(2), election_id, sequence, cut=cut),
    )
    pages += 1
    written += _write(
        out / "elections" / name / "contests.csv",
        election_table(lib, election_id, sequence, cut=cut),
    )
    api = out / "api" / "elections"
    docs: list[tuple[Path, Any]] = [
        (out / "api" / "elections.json", _elections_doc_for(lib, election_id, sequence, cut)),
        (api / f"{name}.json", lib.election_doc(election_id, sequence, cut)),
        (api / name / "contests.json", lib.contests_doc(election_id, sequence, cut=cut)),
        (api / name / "ledger.json", lib.ledger_doc(election_id, sequence, as_of)),
        (api / name / "releases.json", lib.releases_doc(election_id, sequence, as_of)),
    ]
    ledger = lib.ledger(election_id, sequence, as_of) if sequence is not None else []
    for contest in election.contests:
        cid = file_name(contest.id)
        added, count = _write_contest(lib, out / "elections" / name / "contests", election_id, contest.id, sequence, ledger, cut)  # fmt: skip
        written += added
        pages += count
        tick()
        if sequence is not None:
            docs.append((api / name / "contests" / f"{cid}.json", lib.contest_doc(election_id, contest.id, sequence, cut)))  # fmt: skip
        docs.append((api / name / "contests" / cid / "history.json", lib.history_doc(election_id, contest.id, sequence, cut)))  # fmt: skip
    docs.append((out / "api" / "petitions.json", petitions))
    for item in petitions.petitions:
        petition = lib.petition_doc(item.petition.id)
        page = out / "petitions" / f"{slug(item.petition.id)}.html"
        written += _write(page, render_petition(Links.static_site(1), petition))
        pages += 1
        docs.append((out / "api" / "petitions" / f"{slug(item.petition.id)}.json", petition))
    for path, doc in docs:
        written += _write(path, _json(doc))
        documents += 1
    return ExportResult(
        out_dir=str(out),
        election_id=election_id,
        release_sequence=sequence,
        pages=pages,
        documents=documents,
        bytes=written,
    )


def _write_contest(
    lib: Library,
    folder: Path,
    election_id: str,
    contest_id: str,
    sequence: int | None,
    ledger: Sequence[CallEvent],
    cut: datetime | None = None,
) -> tuple[int, int]:
    """Write a contest's page (every release's part embedded for its slider), its embeddable
    widget (``<file>.embed.html``) and its results table as CSV (``<file>.csv``), as of
    release ``sequence`` (as it stood at ``cut``); the bytes and the pages written."""
    cid = file_name(contest_id)
    links = Links.static_site(3)
    written = _write(
        folder / f"{cid}.html",
        render_contest(
            lib, links, election_id, contest_id, sequence, latest=sequence, embed_all=True,
            ledger=ledger, cut=cut,
        ),
    )  # fmt: skip
    written += _write(
        folder / f"{cid}.embed.html",
        render_embed(lib, links, election_id, contest_id, sequence, cut),
    )
    table = (
        contest_table(lib, election_id, contest_id, sequence, cut)
        if sequence is not None
        else ",".join(CONTEST_COLUMNS) + "\r\n"
    )
    written += _write(folder / f"{cid}.csv", table)
    return written, 2


def _elections_doc_for(
    lib: Library, election_id: str, sequence: int | None, cut: datetime | None = None
) -> documents.ElectionsDoc:
    election = lib.election(election_id)
    snap = lib.snapshot(election_id, sequence, cut) if sequence is not None else None
    return documents.elections_view([documents.election_entry(election, snap)])
