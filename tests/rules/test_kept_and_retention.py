"""Contest types a canvass has that the two 2024 feeds did not: a judge's retention and a type
racedesk has never seen (rules/threshold.Retention, rules/unknown.Unknown).

Built from the real LA County 2024 general: its election definition with County Measure A
(9880, YES/NO) given the ``Judicial`` type of a retention contest ("For Associate Justice of the
Supreme Court - GOODWIN LIU", as LA's feed prints it) and the District Attorney contest (9547)
a type racedesk does not know, then the 32 real releases replayed against it.
"""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from racedesk.engine.params import default_params
from racedesk.engine.replay import replay
from racedesk.model import Snapshot
from racedesk.publish import cdf_export
from racedesk.publish.cdf_validate import xml_problems
from racedesk.sources import cdf, lavote
from racedesk.sources.outstanding import load_reports

RETENTION = "9880"
STRANGE = "9547"


def _definition(general_2024: Path, *, strange: bool = True) -> bytes:
    data = json.loads((general_2024 / "election_data.json").read_bytes())
    for group in data["Data"]["ContestGroups"]:
        for contest in group["Contests"]:
            if str(contest["ID"]) == RETENTION:
                contest["Type"] = "Judicial"
                contest["Title"] = "For Associate Justice of the Supreme Court - GOODWIN LIU"
            if str(contest["ID"]) == STRANGE and strange:
                contest["Type"] = "Advisory Vote"
    return json.dumps(data).encode()


def _replayed(general_2024: Path, definition: bytes):  # type: ignore[no-untyped-def]
    """The canvass read with ``definition``; the retention contest is taken as the whole
    contest (as the state's feed sees a justice's retention): LA's feed sees only its part
    (:func:`test_la_feed_sees_only_its_part_of_a_supreme_court_retention`)."""
    election = lavote.read_election(definition, "election_data.json")
    election = msgspec.structs.replace(
        election,
        contests=tuple(
            msgspec.structs.replace(c, portion="") if c.id == RETENTION else c
            for c in election.contests
        ),
    )
    read = lavote.release_reader(election)
    releases = [read(p.read_bytes(), where=p.name) for p in lavote.release_files(general_2024)]
    reports = load_reports(general_2024.parent / "outstanding-reports.csv", election.date)
    return election, releases, list(replay(election, releases, reports, default_params()))


@pytest.fixture(scope="module")
def canvass(general_2024: Path):  # type: ignore[no-untyped-def]
    return _replayed(general_2024, _definition(general_2024))


@pytest.fixture(scope="module")
def retained(general_2024: Path):  # type: ignore[no-untyped-def]
    """The canvass with only the retention contest changed (the projection draws by the shape
    of each group of contests, so every other contest stays where it was)."""
    return _replayed(general_2024, _definition(general_2024, strange=False))


@pytest.fixture(scope="module")
def as_published(general_2024: Path):  # type: ignore[no-untyped-def]
    return _replayed(general_2024, (general_2024 / "election_data.json").read_bytes())


def _events(snapshots: list[Snapshot], contest_id: str) -> list[tuple[object, ...]]:
    return [
        (e.status, e.choices, e.release_sequence)
        for s in snapshots
        for e in s.new_events
        if e.contest_id == contest_id
    ]


def test_la_feed_sees_only_its_part_of_a_supreme_court_retention(general_2024: Path) -> None:
    """A justice of the Supreme Court is retained or not by the whole state (Cal. Const. art.
    VI §16): LA's feed counts only Los Angeles County's voters, so the contest is its portion."""
    election = lavote.read_election(_definition(general_2024), "election_data.json")
    assert election.contest(RETENTION).portion == "Los Angeles County"


def test_a_judicial_contest_is_a_retention_by_more_than_half(retained, as_published) -> None:  # type: ignore[no-untyped-def]
    """A judge is retained by more than half (Cal. Const. art. VI §16): release by release the
    retention contest stands, is projected and is called exactly as a simple-majority measure
    with the same count (County Measure A as published)."""
    election, _, snapshots = retained
    contest = election.contest(RETENTION)
    assert contest.kind == "retention" and contest.rule.kind == "retention"
    assert contest.rule.threshold == "1/2"
    _, _, measure = as_published
    for mine, theirs in zip(snapshots, measure, strict=True):
        state, was = mine.state(RETENTION), theirs.state(RETENTION)
        assert state is not None and was is not None
        assert state.rule.startswith("retained with more than half")
        assert (state.outcome, state.leaders, state.standings) == (
            was.outcome,
            was.leaders,
            was.standings,
        )
        assert mine.projections.get(RETENTION) == theirs.projections.get(RETENTION)
    assert _events(snapshots, RETENTION) == _events(measure, RETENTION) != []


def test_a_contest_of_an_unknown_type_is_kept_shown_and_never_called(canvass) -> None:  # type: ignore[no-untyped-def]
    election, _, snapshots = canvass
    contest = election.contest(STRANGE)
    assert contest.rule.kind == "unknown" and "Advisory Vote" in contest.rule.text
    final = snapshots[-1]
    state = final.state(STRANGE)
    assert state is not None
    assert sorted(state.votes.values()) == [1_328_710, 1_983_802]
    assert all(s.status == "unknown" for s in state.standings)
    assert f'[contests."{STRANGE}"] rule = ' in state.outcome
    assert all(STRANGE not in s.projections for s in snapshots)
    assert not [e for s in snapshots for e in s.new_events if e.contest_id == STRANGE]
    call = final.calls[STRANGE]
    assert call.status == "too early" and "rules file" in call.sentence


def test_the_rest_of_the_canvass_is_called_as_it_was(canvass, as_published) -> None:  # type: ignore[no-untyped-def]
    """One contest kept under an unknown rule changes no other contest's calls."""
    election, _, snapshots = canvass
    _, _, published = as_published
    for contest in election.contests:
        if contest.id not in (RETENTION, STRANGE):
            assert _events(snapshots, contest.id) == _events(published, contest.id), contest.id


def test_a_retention_contest_is_exported_as_one_and_read_back(canvass, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    election, releases, snapshots = canvass
    last = msgspec.structs.replace(releases[-1], sequence=len(releases) - 1)
    xml = cdf_export.to_xml(election, last, snapshots[-1])
    assert xml_problems(xml, shared_data / "formats" / "nist-1500-100") == []
    assert b"RetentionContest" in xml and b"GOODWIN LIU" in xml
    back = cdf.parse(xml, where="report.xml").election.contest(RETENTION)
    assert (back.kind, back.rule.kind, back.rule.threshold) == ("retention", "retention", "1/2")
