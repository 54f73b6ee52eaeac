"""The desk: the one core that the CLI, the web app and the watch loops share.

- :mod:`racedesk.desk.ingest`: the one write path (ingest → check → advance → commit);
- :mod:`racedesk.desk.watch`: the live loops that follow a feed and hand each new payload to
  the desk (fetching itself stays in ``racedesk.sources``).
"""

from racedesk.desk.ingest import (
    Admission,
    Desk,
    ForeignSource,
    IngestResult,
    IngestStatus,
    Taken,
    load_params,
    open_desk,
)

__all__ = [
    "Admission",
    "Desk",
    "ForeignSource",
    "IngestResult",
    "IngestStatus",
    "Taken",
    "load_params",
    "open_desk",
]
