"""Names holding bidi controls or zero-width characters are flagged and shown visibly (F14)."""

from __future__ import annotations

from builders import contest, election
from racedesk.sources.hidden_text import hidden_in, visible

SPOOF = "\u202eNAMHCOH NAHTAN\u200b"


def test_hidden_characters_are_written_out() -> None:
    assert visible(SPOOF) == "⟨U+202E⟩NAMHCOH NAHTAN⟨U+200B⟩"
    assert visible("GEORGE GASCÓN") == "GEORGE GASCÓN"


def test_the_names_that_hold_them_are_flagged() -> None:
    e = election([contest("9547", ["NATHAN HOCHMAN", SPOOF])])
    (flag,) = hidden_in(e)
    assert flag.startswith("contest 9547, choice 9547-1: '⟨U+202E⟩NAMHCOH NAHTAN⟨U+200B⟩' holds")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in flag and "U+200B ZERO WIDTH SPACE" in flag
