"""Names in proper case where the feed shouts (``racedesk.rules.names.proper_case``), on names
of the 2024 LA County general's feed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from racedesk.rules.names import proper_case, short_name

FEED_NAMES = {
    "NATHAN HOCHMAN": "Nathan Hochman",
    "GEORGE GASCÓN": "George Gascón",
    "KEVIN DE LEÓN": "Kevin De León",
    "TINA SIMONE MCKINNOR": "Tina Simone McKinnor",
    "VERNELL MCDANIEL": "Vernell McDaniel",
    "BRENDA O'LEARY": "Brenda O'Leary",
    "SYDNEY KAMLAGER-DOVE": "Sydney Kamlager-Dove",
    "CHUN-YEN CHEN": "Chun-Yen Chen",
    "KAHLLID A. AL-ALIM": "Kahllid A. Al-Alim",
    "ROBERT F. KENNEDY JR.": "Robert F. Kennedy Jr.",
    'ANDREW "ANDY" TABAN': 'Andrew "Andy" Taban',
    "VASUDEV (DEV) SHAH": "Vasudev (Dev) Shah",
    "KAMALA D. HARRIS": "Kamala D. Harris",
}


@pytest.mark.parametrize(("feed", "shown"), FEED_NAMES.items())
def test_a_shouted_name_is_put_in_proper_case(feed: str, shown: str) -> None:
    assert proper_case(feed) == shown


@pytest.mark.parametrize(
    ("feed", "shown"),
    [
        ("JOHN SMITH III", "John Smith III"),
        ("JOHN SMITH II, ESQ", "John Smith II, Esq"),
        ("ANN O'BRIEN-MCDONALD", "Ann O'Brien-McDonald"),
        ("MARY MC", "Mary Mc"),
    ],
)
def test_numerals_stay_capitals_and_every_part_of_a_joined_name_is_capitalised(
    feed: str, shown: str
) -> None:
    assert proper_case(feed) == shown


@pytest.mark.parametrize(
    "name", ["Kevin McCarthy", "danah boyd", "YES on Prop 1", "", "123", "\u202eNAMHCOH NAHTAN"]
)
def test_a_name_with_lower_case_letters_is_the_feed_spelling_and_kept(name: str) -> None:
    assert proper_case(name) == name


def test_short_names_follow_the_same_case() -> None:
    """The sentences say "McKinnor" as the table does, where they said "Mckinnor": the golden
    answers of the contests whose sentences name a Mc (general 9430, 9500, 9523, 9682; primary
    9022, 9044, 9054, 9299, 9364) were re-pinned for this."""
    assert short_name("TINA SIMONE MCKINNOR") == "McKinnor"
    assert short_name("BRENDA O'LEARY") == "O'Leary"
    assert short_name("CLAUDIA DE LA CRUZ") == "De La Cruz"


@given(st.text(alphabet="ABCDÉÓMC'- .\"()IVX", max_size=30))
def test_proper_case_keeps_every_letter_and_is_settled(name: str) -> None:
    shown = proper_case(name)
    assert shown.upper() == name.upper() and len(shown) == len(name)
    assert proper_case(shown) == shown or shown.isupper()
