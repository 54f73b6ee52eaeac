"""What every adapter offers, what it returns, and the limits it enforces on outside bytes.

An adapter is a module in ``racedesk.sources`` (one per results format) with

- ``NAME``, the format's name, which is also the ``source`` of the elections it reads;
- ``sniff(data, name) -> bool``, which recognises the format from the first bytes or the name;
- ``read_election(data, where, rules=None) -> Election``: the election a payload describes;
- ``read_release(data, election, *, where, received_at=None, content_hash=None) -> Release``:
  one release of an election already known. ``content_hash`` is the SHA-256 of ``data`` when the
  caller has it (it made the :class:`~racedesk.model.RawPayload`), so the bytes are hashed once;
- ``release_reader(election) -> ReadRelease``: ``read_release`` for one election, with what the
  adapter works out once per election (the LA feed's index of ids) kept by whoever holds it;
- ``parse(data, *, where, received_at=None, rules=None, content_hash=None) -> Parsed``: the
  election and the releases a payload holds (formats whose file holds both);
- ``feed_folder(folder) -> FeedFolder | None``: the files of a folder laid out as the format's
  feed archive (an election file and release files), or ``None``.

``racedesk.sources.registry`` picks one from the source (file type, URL scheme such as
``lavote:4324`` or ``clarity:URL``, an explicit ``--format``, or an election's ``source``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import NamedTuple, Protocol

import msgspec

from racedesk.errors import InputError
from racedesk.model import Election, OutstandingReport, Release, Rule
from racedesk.model.answers import CallEvent

#: Largest payload any adapter accepts, before or after decompression (bytes).
MAX_PAYLOAD_BYTES = 512 * 1024 * 1024


class Parsed(msgspec.Struct, frozen=True, kw_only=True):
    """An adapter's answer: the election as the payload describes it, the releases it holds
    (most formats hold one), calls made by an outside source (AP's ``winner``), and any
    outstanding-ballot figures the format states (NIST CDF ``BallotsOutstanding``)."""

    election: Election
    releases: tuple[Release, ...]
    calls: tuple[CallEvent, ...] = ()
    reports: tuple[OutstandingReport, ...] = ()


class FeedFolder(NamedTuple):
    """A feed archived as a folder: the file that defines the election and the release files,
    in the order they were published."""

    election: Path
    releases: list[Path]


class FolderRelease(NamedTuple):
    """One release of a feed folder: its bytes, where they came from (a file, or the feed time
    a format's bundle of many feeds stands for), and when they were received, where the archive
    says (else ``None``)."""

    origin: str
    data: bytes
    received_at: datetime | None = None


class ReadRelease(Protocol):
    """Reads one release payload of the election it was made for."""

    def __call__(
        self,
        data: bytes,
        *,
        where: str,
        received_at: datetime | None = None,
        content_hash: str | None = None,
    ) -> Release: ...


class ReadElection(Protocol):
    """An adapter's ``read_election``."""

    def __call__(
        self, data: bytes, where: str, rules: Mapping[str, Rule] | None = None
    ) -> Election: ...


class ReadReleaseOf(Protocol):
    """An adapter's ``read_release``: one release of the election it is given."""

    def __call__(
        self,
        data: bytes,
        election: Election,
        *,
        where: str,
        received_at: datetime | None = None,
        content_hash: str | None = None,
    ) -> Release: ...


class Adapter(Protocol):
    NAME: str

    def sniff(self, data: bytes, name: str) -> bool: ...

    @property
    def read_election(self) -> ReadElection: ...

    @property
    def read_release(self) -> ReadReleaseOf: ...

    def release_reader(self, election: Election) -> ReadRelease: ...

    def parse(
        self,
        data: bytes,
        *,
        where: str,
        received_at: datetime | None = None,
        rules: Mapping[str, Rule] | None = None,
        content_hash: str | None = None,
    ) -> Parsed: ...

    def feed_folder(self, folder: Path) -> FeedFolder | None: ...


class Parse(Protocol):
    """An adapter's ``parse``: the election and the releases a payload holds."""

    def __call__(
        self,
        data: bytes,
        *,
        where: str,
        received_at: datetime | None = None,
        rules: Mapping[str, Rule] | None = None,
        content_hash: str | None = None,
    ) -> Parsed: ...


class WholeFile:
    """The verbs of a format whose one file holds an election and its one release (Clarity, NIST
    CDF, AP, OpenElections, ``.ets``), made from the format's ``parse``: the module binds
    ``read_election``, ``read_release``, ``release_reader`` and ``feed_folder`` to these."""

    def __init__(self, parse: Parse) -> None:
        self.parse = parse

    def read_election(
        self, data: bytes, where: str, rules: Mapping[str, Rule] | None = None
    ) -> Election:
        """The election the file describes (it holds its counts too: see ``parse``)."""
        return self.parse(data, where=where, rules=rules).election

    def read_release(
        self,
        data: bytes,
        election: Election,
        *,
        where: str,
        received_at: datetime | None = None,
        content_hash: str | None = None,
    ) -> Release:
        """The one release of ``election`` the file holds (:func:`only_release`);
        ``content_hash``, when given, is the SHA-256 of ``data``."""
        parsed = self.parse(data, where=where, received_at=received_at, content_hash=content_hash)
        return only_release(parsed, election, where)

    def release_reader(self, election: Election) -> ReadRelease:
        """:meth:`read_release` for ``election`` (such a file needs nothing worked out per
        election)."""
        return partial(self.read_release, election=election)

    @staticmethod
    def feed_folder(folder: Path) -> FeedFolder | None:
        """``None``: the format's results are one file, not a folder."""
        return None


def election_and_release(
    read_election: ReadElection,
    read_release: ReadReleaseOf,
    data: bytes,
    *,
    where: str,
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
) -> Parsed:
    """``parse`` of a format whose every payload holds its election and one release: the
    election ``read_election`` reads, and its release as ``read_release`` reads it."""
    election = read_election(data, where, rules)
    release = read_release(
        data, election, where=where, received_at=received_at, content_hash=content_hash
    )
    return Parsed(election=election, releases=(release,))


def slug(text: str) -> str:
    """``"Adam B. Schiff"`` → ``"adam-b-schiff"``: an id made of a name (lower-case letters and
    digits, every other run of characters one dash; "" when none is left)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def only_release(parsed: Parsed, election: Election, where: str) -> Release:
    """The one release of ``election`` that a whole-file payload holds.

    Rejected with an :class:`InputError` naming ``where``: a payload of another election, or
    one holding no release or several.
    """
    if parsed.election.id != election.id:
        raise InputError(
            f"the payload is for election {parsed.election.id}, not {election.id}", where=where
        )
    if len(parsed.releases) != 1:
        raise InputError(f"expected one release, found {len(parsed.releases)}", where=where)
    return parsed.releases[0]
