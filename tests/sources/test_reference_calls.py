"""Reference calls (``news/la-race-calls-2024.csv``) placed among the 2024 LA contests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from racedesk.errors import InputError
from racedesk.sources.loader import load_canvasses
from racedesk.sources.reference_calls import load_reference_calls, read_reference_calls

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def calls_csv(shared_data: Path) -> Path:
    return shared_data / "news" / "la-race-calls-2024.csv"


def test_the_general_s_rows_name_their_contests(general_2024: Path, calls_csv: Path) -> None:
    election = load_canvasses(str(general_2024))[0].election
    calls = load_reference_calls(calls_csv, election)
    placed = {c.contest.split(" (")[0]: (c.contest_ids, c.precision, c.at) for c in calls}
    assert placed == {
        "LA County District Attorney": (
            ("9547",),
            "minute",
            datetime(2024, 11, 6, 1, 6, tzinfo=LA),
        ),
        "LA County Measure A": (("9880",), "day", datetime(2024, 11, 6, tzinfo=LA)),
        "LA County Measure G": (("9961",), "day", datetime(2024, 11, 11, tzinfo=LA)),
        "US House CA-27": (("9532",), "day", datetime(2024, 11, 12, tzinfo=LA)),
        "US House CA-45": (("9546",), "day", datetime(2024, 11, 27, tzinfo=LA)),
        "US House CA-42": (("9543",), "minute", datetime(2024, 11, 5, 21, 48, tzinfo=LA)),
        "LA City Council CD14": (("9493",), "day", datetime(2024, 11, 8, tzinfo=LA)),
        "LA City Council CD10": (("9492",), "none", None),
    }
    da = next(c for c in calls if c.contest_ids == ("9547",))
    assert da.winners == ("23483",)  # Nathan Hochman


def test_the_primary_s_rows_name_their_contests(primary_2024: Path, calls_csv: Path) -> None:
    election = load_canvasses(str(primary_2024))[0].election
    calls = load_reference_calls(calls_csv, election)
    assert [(c.contest_ids, c.precision) for c in calls] == [
        (("9054",), "day"),
        (("9054",), "day"),
        (("9368",), "day"),
        (("9051", "9052", "9053"), "none"),
    ]
    names = {k.id: k.name for c in election.contests for k in c.choices}
    assert [names[w] for w in calls[0].winners] == ["GEORGE GASCÓN"]
    assert [names[w] for w in calls[1].winners] == ["NATHAN HOCHMAN"]
    assert [names[w] for w in calls[2].winners] == ["NITHYA RAMAN"]


def test_a_row_racedesk_cannot_place_is_kept_and_a_bad_file_refused(general_2024: Path) -> None:
    election = load_canvasses(str(general_2024))[0].election
    head = "election_date,contest,called_winner,caller,called_local\n"
    rows = read_reference_calls(
        (head + "2024-11-05,Dogcatcher,Nobody,AP,2024-11-06 10:00\n").encode(), election, "x.csv"
    )
    assert [(r.contest_ids, r.precision) for r in rows] == [((), "minute")]
    with pytest.raises(InputError, match="lack the columns"):
        read_reference_calls(b"contest\nx\n", election, "x.csv")
    with pytest.raises(InputError, match=r"x\.csv:2"):
        read_reference_calls((head + "soon,DA,X,AP,\n").encode(), election, "x.csv")
