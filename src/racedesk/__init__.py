"""racedesk: a decision desk in a box.

Reads an election's results as the registrar releases them, keeps every release, knows each
contest's rule, says how many votes are left and what every candidate needs of them, projects how
each contest will end and calls races when the count can no longer change them.

What a Python user needs is named here (``__all__``, pinned by ``tests/test_public_api.py``):

- the nouns of the model: :class:`Election`, :class:`Contest`, :class:`Rule`, :class:`Choice`,
  :class:`Release`, :class:`ContestCount`, :class:`OutstandingReport`, :class:`RawPayload`,
  :class:`Snapshot` (the desk's answers after a release), :class:`CallEvent`;
  :class:`Canvass` (an election with its releases, as a source holds them) and :class:`Desk`;
- the verbs: :func:`load_canvass` (read a canvass from a path or a spec), :func:`replay` (the
  answers after each of its releases), :func:`advance` (the answers after one more release, a
  pure step) and :func:`open_desk` (a desk over a store, to ingest releases and read answers).

The verbs import what they need when called, so ``import racedesk`` stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from racedesk.model import (
    CallEvent,
    Choice,
    Contest,
    ContestCount,
    Election,
    OutstandingReport,
    RawPayload,
    Release,
    Rule,
    Snapshot,
)

if TYPE_CHECKING:
    from racedesk.desk import Desk
    from racedesk.engine.params import ModelParams
    from racedesk.sources.loader import Canvass

__version__ = "0.1.0"


def open_desk(
    db_url: str | None = None,
    *,
    params_path: str | Path | None = None,
    seed: int = 0,
    patience: float = 0.0,
) -> Desk:
    """A desk over the store at ``db_url`` (``sqlite:///results.sqlite``,
    ``postgresql://…``; default: ``RACEDESK_DB`` or ``sqlite:///var/racedesk.sqlite``).

    ``params_path`` names a model parameter file (default: the one shipped); ``seed`` seeds the
    projections; ``patience`` is how many seconds an ingest keeps trying while the database is
    unavailable. ``desk.add_election(e)`` then ``desk.ingest(e.id, payload)`` store releases;
    ``desk.snapshot(e.id)`` reads the answers.
    """
    from racedesk.desk import open_desk as open_over

    return open_over(db_url, str(params_path) if params_path else None, seed, patience)


def load_canvass(
    source: str | Path,
    *,
    election: str | None = None,
    fmt: str | None = None,
    rules: str | Path | None = None,
) -> Canvass:
    """The canvass a source holds: its election, its releases in order (each with the raw
    payload it came from) and any outstanding reports or outside calls in it.

    ``source`` is a feed folder, a results file (Clarity, NIST CDF, AP, OpenElections, .ets), a
    scenario file or ``scenario:NAME``. A source holding several elections (a scenario) needs
    ``election``, the id of the one wanted. ``fmt`` names the format when it cannot be told;
    ``rules`` is a contest-rules file. Raises :class:`~racedesk.errors.InputError` on anything
    that cannot be read.
    """
    from racedesk.errors import InputError
    from racedesk.sources.loader import load_canvasses

    every = load_canvasses(str(source), fmt=fmt, rules_path=str(rules) if rules else None)
    found = every if election is None else [c for c in every if c.election.id == election]
    if len(found) != 1:
        ids = ", ".join(c.election.id for c in every)
        raise InputError(
            f"the source holds the elections {ids}" if election is None else
            f"the source holds no election {election!r} (it holds {ids})",
            where=str(source),
            hint="name one with election=ID",
        )  # fmt: skip
    return found[0]


def replay(
    canvass: Canvass,
    *,
    reports: Sequence[OutstandingReport] | None = None,
    params: ModelParams | None = None,
    seed: int = 0,
) -> list[Snapshot]:
    """The desk's answers after each release of ``canvass``, in feed-time order, each knowing
    only what was known then: the releases so far and the outstanding reports (``reports``, or
    the canvass's own) dated at or before it. ``params``: the model's (default: the shipped)."""
    from racedesk.desk import load_params
    from racedesk.engine.replay import replay as replay_releases

    known = canvass.reports if reports is None else reports
    model = params if params is not None else load_params()
    return list(replay_releases(canvass.election, canvass.releases, known, model, seed))


def advance(
    election: Election,
    releases: Sequence[Release],
    *,
    usable: Sequence[bool] | None = None,
    reports: Sequence[OutstandingReport] = (),
    ledger: Sequence[CallEvent] = (),
    params: ModelParams | None = None,
    seed: int = 0,
) -> Snapshot:
    """The desk's answers after the last of ``releases`` (one step of the desk, a pure function).

    The releases are taken in the order given, each numbered by its place (``sequence``).
    ``usable[i]`` says whether ``releases[i]`` passed its checks (default: every one did);
    ``reports`` are the outstanding reports known at the last release; ``ledger`` the call
    events before it; ``params`` the model's (default: the shipped ones).
    """
    import msgspec

    from racedesk.desk import load_params
    from racedesk.engine.run import advance as step

    numbered = [msgspec.structs.replace(r, sequence=i) for i, r in enumerate(releases)]
    ok = list(usable) if usable is not None else [True] * len(releases)
    model = params if params is not None else load_params()
    return step(election, numbered, ok, reports, ledger, model, seed)


def __getattr__(name: str) -> Any:
    """:class:`Desk` and :class:`Canvass`, imported when first asked for."""
    if name == "Desk":
        from racedesk.desk import Desk

        return Desk
    if name == "Canvass":
        from racedesk.sources.loader import Canvass

        return Canvass
    raise AttributeError(f"module 'racedesk' has no attribute {name!r}")


__all__ = [
    "CallEvent",
    "Canvass",
    "Choice",
    "Contest",
    "ContestCount",
    "Desk",
    "Election",
    "OutstandingReport",
    "RawPayload",
    "Release",
    "Rule",
    "Snapshot",
    "__version__",
    "advance",
    "load_canvass",
    "open_desk",
    "replay",
]
