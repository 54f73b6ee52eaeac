"""Two lines of a contest page on the 2024 general's DA race (``contest_part.call_line`` and
``contest_part.named_left``): the call's reason labelled with when the call was made, and why
the sentence's votes left differ from the Votes left figure."""

from __future__ import annotations

import re

import pytest

from racedesk.desk import Desk
from racedesk.publish.contest_part import part_record, release_marks, when
from racedesk.publish.documents import ledger_view
from racedesk.publish.library import Library

from .conftest import DA

E = "lavote:4324"


@pytest.fixture(scope="module")
def library(general_desk: Desk) -> Library:
    return Library(general_desk)


def record(library: Library, sequence: int) -> dict[str, object]:
    election = library.election(E)
    latest = library.latest_sequence(E)
    assert latest is not None
    marks = release_marks(election, library.releases(E, latest))
    events = ledger_view(
        election, [e for e in library.ledger(E, latest) if e.contest_id == DA]
    ).events
    return part_record(election, library.contest_doc(E, DA, sequence), marks, events)


def test_the_call_s_reason_says_when_the_call_was_made(library: Library) -> None:
    """At the last release the sentence is today's ("Gascón cannot catch up"); the grey line
    under it is the reason given at the call, on election night, and now says so."""
    latest = library.latest_sequence(E)
    assert latest is not None
    r = record(library, latest)
    called = [e for e in library.ledger(E, latest) if e.contest_id == DA and e.status == "called"]
    first = called[0]
    made = when(first.release_time, "America/Los_Angeles")
    assert made.startswith("Nov 5, 2024, ")
    assert r["call_sentence"] == (
        f"Called {made} (release #{first.release_sequence}): {first.reason}"
    )
    assert str(r["call_sentence"]).startswith(
        "Called Nov 5, 2024, 8:56 PM PST (release #2): GEORGE GASCÓN would need 55.7% or more"
    )


def test_the_sentence_s_votes_left_are_explained_beside_the_figure(library: Library) -> None:
    """Release #3: the sentence says "about 1,761,000 votes left", the Votes left
    figure "about 1,765,000": the sentence's are those left for Gascón and Hochman, without
    the write-ins' share so far, and the page says so."""
    r = record(library, 3)
    assert "of about 1,761,000 votes left" in str(r["sentence"])
    assert str(r["left"]).startswith("about 1,765,000 ")
    assert r["left_named"] == (
        "The sentence above says about 1,761,000: the votes left for the named choices, "
        "without the 0.25% of the votes that have gone to write-ins so far."
    )


def test_at_every_release_the_explained_figure_is_the_sentence_s(library: Library) -> None:
    latest = library.latest_sequence(E)
    assert latest is not None
    explained = 0
    for sequence in range(latest + 1):
        r = record(library, sequence)
        said = re.search(r"of (about [\d,]+) votes left", str(r["sentence"]))
        if not r["left_named"]:
            continue
        explained += 1
        assert said is not None, sequence
        assert f"says {said.group(1)}:" in str(r["left_named"]), sequence
    assert explained > 10
