"""Finding a contest by what an editor types (publish/search.py), on the 2024 general."""

from __future__ import annotations

from pathlib import Path

import pytest

from racedesk.model import Election
from racedesk.publish.search import fold, query_words, search
from racedesk.sources.loader import load_canvasses


@pytest.fixture(scope="module")
def general(general_2024: Path) -> Election:
    return load_canvasses(str(general_2024))[0].election


def found(election: Election, q: str) -> list[str]:
    rows = [(c.title, c.group, [k.name for k in c.choices]) for c in election.contests]
    return [election.contests[i].id for i in search(rows, q)]


def test_folding_and_synonyms() -> None:
    assert fold("GEORGE GASCÓN, Jr.") == "george gascon jr"
    assert query_words("Prop 5") == ["measure", "5"]
    assert query_words("DA") == ["district", "attorney"]


@pytest.mark.parametrize(
    ("q", "first", "how_many"),
    [
        ("prop 5", "9868", 1),  # STATE MEASURE 5
        ("proposition 36", "9874", 1),
        ("measure g", "9961", None),  # COUNTY MEASURE G first
        ("hochman", "9547", 1),  # a candidate's name finds the District Attorney
        ("gascon", "9547", 1),  # without the accent
        ("DA", "9547", None),
        ("district attorney", "9547", 1),
    ],
)
def test_what_editors_type_finds_the_contest_first(
    general: Election, q: str, first: str, how_many: int | None
) -> None:
    hits = found(general, q)
    assert hits[0] == first
    if how_many is not None:
        assert len(hits) == how_many


def test_short_words_match_whole_words_only(general: Election) -> None:
    """ "measure g" was 48 contests ("g" in every "GENERAL"), "measure a" all 102 measures."""
    g = found(general, "measure g")
    assert all(" G" in general.contest(c).title.upper() for c in g)
    assert len(g) < 10
    a = found(general, "measure a")
    measures = [c for c in general.contests if c.kind == "measure"]
    assert general.contest(a[0]).title == "COUNTY MEASURE A"
    assert len(a) < len(measures) / 4
