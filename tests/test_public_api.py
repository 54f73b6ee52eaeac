"""The package's public surface: ``racedesk.__all__`` is pinned, and each verb does what its
docstring says on the bundled 2020 scenario (four releases of each of two elections)."""

from __future__ import annotations

from pathlib import Path

import pytest

import racedesk
from racedesk.errors import InputError

PUBLIC = [
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
GENERAL = "scenario:la-da-2020-general"


def test_all_is_pinned_and_every_name_imports() -> None:
    assert racedesk.__all__ == PUBLIC
    for name in PUBLIC:
        assert getattr(racedesk, name) is not None
    namespace: dict[str, object] = {}
    exec("from racedesk import *", namespace)
    assert set(PUBLIC) <= set(namespace)
    with pytest.raises(AttributeError):
        _ = racedesk.NoSuchThing  # type: ignore[attr-defined]


def test_the_nouns_are_the_models() -> None:
    from racedesk import model
    from racedesk.desk import Desk
    from racedesk.sources.loader import Canvass

    for name in PUBLIC:
        if name in model.__all__:
            assert getattr(racedesk, name) is getattr(model, name)
    assert racedesk.Desk is Desk
    assert racedesk.Canvass is Canvass


def test_load_canvass_reads_one_election_of_a_source() -> None:
    canvass = racedesk.load_canvass("scenario:la-da-2020", election=GENERAL)
    assert isinstance(canvass, racedesk.Canvass)
    assert isinstance(canvass.election, racedesk.Election)
    assert canvass.election.id == GENERAL
    assert len(canvass.releases) == 4
    assert all(isinstance(p, racedesk.RawPayload) for p in canvass.payloads)
    assert [p.content_hash for p in canvass.payloads if p] == [
        r.content_hash for r in canvass.releases
    ]
    with pytest.raises(InputError) as err:
        racedesk.load_canvass("scenario:la-da-2020")
    assert GENERAL in err.value.problem and "election=" in err.value.hint
    with pytest.raises(InputError, match="no election 'x'"):
        racedesk.load_canvass("scenario:la-da-2020", election="x")


def test_replay_answers_after_each_release_and_advance_is_one_step() -> None:
    canvass = racedesk.load_canvass("scenario:la-da-2020", election=GENERAL)
    snapshots = racedesk.replay(canvass, reports=[])
    assert [s.release_sequence for s in snapshots] == [0, 1, 2, 3]
    assert all(isinstance(s, racedesk.Snapshot) for s in snapshots)
    first = racedesk.advance(canvass.election, canvass.releases[:1])
    assert first.states == snapshots[0].states
    assert first.calls == snapshots[0].calls


def test_open_desk_stores_releases_and_answers(tmp_path: Path) -> None:
    canvass = racedesk.load_canvass("scenario:la-da-2020", election=GENERAL)
    desk = racedesk.open_desk(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    assert isinstance(desk, racedesk.Desk)
    desk.add_election(canvass.election)
    for report in canvass.reports:
        desk.add_outstanding(GENERAL, report)
    for release, raw in zip(canvass.releases, canvass.payloads, strict=True):
        assert desk.ingest_parsed(release, raw).status == "stored"
    latest = desk.snapshot(GENERAL)
    assert latest is not None and latest.release_sequence == 3
    replayed = racedesk.replay(canvass)[-1]
    assert [s.votes for s in latest.states] == [s.votes for s in replayed.states]
    assert [s.votes_left for s in latest.states] == [s.votes_left for s in replayed.states]
    assert latest.calls == replayed.calls
