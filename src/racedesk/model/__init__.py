"""The vocabulary of racedesk: plain types that cross every boundary, and nothing else.

- ``election``: an election, its contests, their rules and their choices;
- ``release``: one publication of counts, the registrar's estimates of ballots left, raw bytes;
- ``answers``: what the desk says after a release (states, standings, projections, calls).

Adapters build elections and releases, the store keeps them and the answers, the engine computes
the answers, the CLI and the web app show them. Nothing here does I/O or keeps a cache.
"""

from racedesk.model.answers import (
    BallotsLeft,
    BallotsLeftByType,
    CallEvent,
    CallStatus,
    ChoiceProjection,
    ContestCall,
    ContestState,
    Interval,
    Problem,
    Projection,
    Snapshot,
    Standing,
    StandingStatus,
    VotesLeft,
    VotesLeftSource,
)
from racedesk.model.election import (
    Choice,
    Contest,
    ContestKind,
    Election,
    ElectionKind,
    Member,
    Rule,
    RuleKind,
)
from racedesk.model.release import (
    ContestCount,
    OutstandingReport,
    RawPayload,
    Release,
    ReleaseEvent,
    ReleaseEventKind,
    ReleasePart,
    RoundCount,
    sha256_hex,
)

__all__ = [
    "BallotsLeft",
    "BallotsLeftByType",
    "CallEvent",
    "CallStatus",
    "Choice",
    "ChoiceProjection",
    "Contest",
    "ContestCall",
    "ContestCount",
    "ContestKind",
    "ContestState",
    "Election",
    "ElectionKind",
    "Interval",
    "Member",
    "OutstandingReport",
    "Problem",
    "Projection",
    "RawPayload",
    "Release",
    "ReleaseEvent",
    "ReleaseEventKind",
    "ReleasePart",
    "RoundCount",
    "Rule",
    "RuleKind",
    "Snapshot",
    "Standing",
    "StandingStatus",
    "VotesLeft",
    "VotesLeftSource",
    "sha256_hex",
]
