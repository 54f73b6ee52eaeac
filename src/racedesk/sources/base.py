"""What every adapter returns, and the limits every adapter enforces on outside bytes.

An adapter is a module in ``racedesk.sources`` with a ``NAME``, a ``sniff(data, name) -> bool``
that recognises its format from the first bytes or the file name, and a
``parse(data, *, where, received_at=None, rules=None) -> Parsed``. ``racedesk.sources.registry``
picks one from the source (file type, URL scheme such as ``lavote:4324`` or ``clarity:URL``, or an
explicit ``--format``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

import msgspec

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


class Adapter(Protocol):
    NAME: str

    def sniff(self, data: bytes, name: str) -> bool: ...

    def parse(
        self,
        data: bytes,
        *,
        where: str,
        received_at: datetime | None = None,
        rules: Mapping[str, Rule] | None = None,
    ) -> Parsed: ...
