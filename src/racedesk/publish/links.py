"""Every URL a page links to (:class:`Links`, as datasette's ``Urls``): the live app's absolute
paths, or a static export's relative files.

The live app (:mod:`racedesk.publish.web`) serves ``/elections/<id>``,
``/elections/<id>/contests/<cid>`` and the JSON API under ``/api/``. A static export
(:mod:`racedesk.publish.static_site`) lays the same pages and documents out as files, with ids
made into file names (:func:`slug`)::

    index.html                                  elections
    elections/<slug>/index.html                 one election's contests
    elections/<slug>/contests/<id>.html         one contest
    api/elections.json, api/elections/<slug>.json, api/elections/<slug>/…   documents
    petitions/<slug>.html, api/petitions.json, api/petitions/<slug>.json    recall petitions
    static/…                                    CSS, scripts, vendored libraries
"""

from __future__ import annotations


def slug(election_id: str) -> str:
    """An election id as a file or folder name: "lavote:4324" → "lavote-4324"."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in election_id)


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

    # pages -------------------------------------------------------------------------------------
    def home(self) -> str:
        return "/" if self.root is None else f"{self.root}index.html"

    def static(self, path: str) -> str:
        return f"{self.root if self.root is not None else '/'}static/{path}"

    def election(self, election_id: str) -> str:
        return self._path("elections", election_id, file="/index.html")

    def contest(self, election_id: str, contest_id: str, release: int | None = None) -> str:
        url = self._path("elections", election_id, "contests", contest_id, file=".html")
        if release is None:
            return url
        return f"{url}?release={release}" if self.root is None else f"{url}#release-{release}"

    def petition(self, petition_id: str, as_of: str | None = None) -> str:
        """A petition's page (``/petitions/<id>``, ``petitions/<slug>.html`` in an export);
        the live app's as of a date."""
        url = self._path("petitions", petition_id, file=".html")
        return f"{url}?as_of={as_of}" if as_of and self.root is None else url

    # documents ---------------------------------------------------------------------------------
    def api_elections(self) -> str:
        return self._path("api", "elections", file=".json")

    def api_election(self, election_id: str) -> str:
        return self._path("api", "elections", election_id, file=".json")

    def api_contest(self, election_id: str, contest_id: str) -> str:
        return self._path("api", "elections", election_id, "contests", contest_id, file=".json")

    def api_history(self, election_id: str, contest_id: str) -> str:
        parts = ("api", "elections", election_id, "contests", contest_id, "history")
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
