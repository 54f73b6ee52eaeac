"""Every URL a page links to (:class:`Links`, as datasette's ``Urls``): the live app's absolute
paths, or a static export's relative files.

The live app (:mod:`racedesk.publish.web`) serves ``/elections/<id>``,
``/elections/<id>/contests/<cid>`` and the JSON API under ``/api/``. A static export
(:mod:`racedesk.publish.static_site`) lays the same pages and documents out as files, with ids
made into file names (:func:`slug`, and :func:`file_name` for a contest, whose names must not
collide with another contest's)::

    index.html                                  elections
    elections/<slug>/index.html                 one election's contests
    elections/<slug>/contests/<file>.html       one contest
    api/elections.json, api/elections/<slug>.json, api/elections/<slug>/…   documents
    petitions/<slug>.html, api/petitions.json, api/petitions/<slug>.json    recall petitions
    static/…                                    CSS, scripts, vendored libraries
"""

from __future__ import annotations

import hashlib
import re

#: An id that is its own file name: ASCII letters, digits, ``_`` and ``-``, not starting with ``-``.
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def slug(election_id: str) -> str:
    """An election id as a file or folder name: "lavote:4324" → "lavote-4324" (an export holds
    one election). A name made only of dots ("..") becomes dashes: it cannot leave its folder."""
    text = "".join(ch if ch.isalnum() or ch in "-_.~" else "-" for ch in election_id)
    return text if text.strip(".") else "-" * max(len(text), 1)


def file_name(item_id: str) -> str:
    """A contest id as a file name that no other id shares: the id itself when it is made of
    ASCII letters, digits, ``_`` and ``-`` ("9547"); otherwise its readable part followed by
    ``~`` and 12 hex digits of the id's SHA-256, so that "a/b" and "a:b" (both "a-b" to read)
    are "a-b~…" files of their own, and ".." is no way out of the folder."""
    if _PLAIN.fullmatch(item_id):
        return item_id
    readable = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in item_id
    )
    return f"{readable[:60]}~{hashlib.sha256(item_id.encode()).hexdigest()[:12]}"


class Links:
    """Where a page's links point. ``root`` is None for the live app; for a static export, the
    way up from the page's folder to the export's root (``"../../"``)."""

    def __init__(self, root: str | None = None) -> None:
        self.root = root
        self.live = root is None

    @classmethod
    def live_app(cls) -> Links:
        """The live app's absolute paths."""
        return cls()

    @classmethod
    def static_site(cls, depth: int) -> Links:
        """Relative links between the files of a static export, from a page ``depth`` folders
        below its root."""
        return cls("../" * depth)

    def _path(self, *parts: str, file: str) -> str:
        """``/a/b`` in the live app; ``<root>a/b<file>`` in an export, each part a file name."""
        if self.root is None:
            return "/" + "/".join(parts)
        return self.root + "/".join(slug(p) for p in parts) + file

    def _item(self, contest_id: str) -> str:
        """A contest's part of a path: its id live, its :func:`file_name` in an export."""
        return contest_id if self.root is None else file_name(contest_id)

    # pages -------------------------------------------------------------------------------------
    def home(self) -> str:
        return "/" if self.root is None else f"{self.root}index.html"

    def static(self, path: str) -> str:
        return f"{self.root if self.root is not None else '/'}static/{path}"

    def election(self, election_id: str) -> str:
        return self._path("elections", election_id, file="/index.html")

    def contest(self, election_id: str, contest_id: str, release: int | None = None) -> str:
        url = self._path("elections", election_id, "contests", self._item(contest_id), file=".html")
        if release is None:
            return url
        return f"{url}?release={release}" if self.root is None else f"{url}#release-{release}"

    def petition(self, petition_id: str, as_of: str | None = None) -> str:
        """A petition's page (``/petitions/<id>``, ``petitions/<slug>.html`` in an export);
        the live app's as of a date."""
        url = self._path("petitions", petition_id, file=".html")
        return f"{url}?as_of={as_of}" if as_of and self.root is None else url

    def embed(self, election_id: str, contest_id: str) -> str:
        """A contest's embeddable widget (``…/contests/<cid>/embed``, ``<file>.embed.html`` in
        an export)."""
        if self.root is None:
            return f"/elections/{election_id}/contests/{contest_id}/embed"
        return self._path(
            "elections", election_id, "contests", file_name(contest_id), file=".embed.html"
        )

    # downloads ---------------------------------------------------------------------------------
    def election_csv(self, election_id: str) -> str:
        """The overview's contests as CSV (``/elections/<id>/contests.csv``)."""
        if self.root is None:
            return f"/elections/{election_id}/contests.csv"
        return self._path("elections", election_id, "contests", file=".csv")

    def contest_csv(self, election_id: str, contest_id: str, release: int | None = None) -> str:
        """A contest's results table as CSV (``…/contests/<cid>/table.csv``, as of ``release``
        in the live app; ``<file>.csv``, as of the export's release, in an export)."""
        if self.root is None:
            url = f"/elections/{election_id}/contests/{contest_id}/table.csv"
            return url if release is None else f"{url}?release={release}"
        return self._path("elections", election_id, "contests", file_name(contest_id), file=".csv")

    # documents ---------------------------------------------------------------------------------
    def api_elections(self) -> str:
        return self._path("api", "elections", file=".json")

    def api_election(self, election_id: str) -> str:
        return self._path("api", "elections", election_id, file=".json")

    def api_contest(self, election_id: str, contest_id: str) -> str:
        parts = ("api", "elections", election_id, "contests", self._item(contest_id))
        return self._path(*parts, file=".json")

    def api_history(self, election_id: str, contest_id: str) -> str:
        parts = ("api", "elections", election_id, "contests", self._item(contest_id), "history")
        return self._path(*parts, file=".json")

    def api_ledger(self, election_id: str) -> str:
        return self._path("api", "elections", election_id, "ledger", file=".json")

    def api_releases(self, election_id: str) -> str:
        return self._path("api", "elections", election_id, "releases", file=".json")

    def api_petitions(self) -> str:
        return self._path("api", "petitions", file=".json")

    def api_petition(self, petition_id: str) -> str:
        return self._path("api", "petitions", petition_id, file=".json")

    def events(self, election_id: str) -> str | None:
        """The election's server-sent events; a static export has none."""
        if self.root is not None:
            return None
        return self._path("api", "elections", election_id, "events", file="")
