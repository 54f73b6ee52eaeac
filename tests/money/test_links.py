"""Suggested links (``money/links.py``) and the links file (``sources/money_links.py``)."""

from __future__ import annotations

import pytest

from racedesk.errors import InputError
from racedesk.money.filings import Filings
from racedesk.money.links import suggest_links, suggest_own_links
from racedesk.sources.money_links import read_links, write_links


def test_controlled_committees_are_suggested_as_their_candidate_s_own(
    berkeley: dict[int, Filings],
) -> None:
    """Berkeley 2017: 25 controlled committees named "NAME for OFFICE YEAR"."""
    own = {link.committee_id: link for link in suggest_own_links(berkeley[2017])}
    assert len(own) == 25
    assert (own["1305304"].subject, own["1305304"].contest) == ("Susan Wengraf", "City Council")
    assert (own["1392842"].subject, own["1392842"].position, own["1392842"].role) == (
        "Kate Harrison", "support", "own",
    )  # fmt: skip
    assert not any(link.reviewed for link in own.values())


def test_ie_committees_are_suggested_from_their_lines(yee_case: Filings) -> None:
    ies = [link for link in suggest_links(yee_case) if link.role == "ie"]
    assert sorted((link.subject, link.position) for link in ies) == [
        ("CHRIS JACKSON", "oppose"),
        ("GARY D YEE", "support"),
        ("HUBER TRENADO", "support"),
        ("JAMES HARRIS", "support"),
        ("JODY LONDON", "support"),
        ("JUMOKE HINTON HODGE", "support"),
        ("ROSEANN TORRES", "support"),
    ]


def test_the_links_file_goes_out_and_comes_back(yee_case: Filings) -> None:
    links = suggest_links(yee_case)
    assert read_links(write_links(links).encode(), where="links.csv") == links


def test_a_wrong_position_names_its_line() -> None:
    data = (
        b"committee_id,committee_name,contest,subject,position,role,reviewed,reason\n"
        b"1,A,c,s,support,own,yes,\n"
        b"2,B,c,s,neutral,ie,no,\n"
    )
    with pytest.raises(InputError) as caught:
        read_links(data, where="links.csv")
    assert caught.value.where == "links.csv, line 3"
    assert "support or oppose" in caught.value.problem
