"""The golden test: every answer of the real canvasses is the one pinned (see ``canvasses.py``).

It guards every restructuring: a move or a split must leave each contest's states, projections,
calls and ledger events as they were. Where an answer changes on purpose, a named test elsewhere
says why, and ``golden.json`` is re-pinned in the same commit.
"""

from __future__ import annotations

import json
from pathlib import Path

from .canvasses import PINNED, all_digests, differences


def test_every_answer_of_the_real_canvasses_is_as_pinned(shared_data: Path) -> None:
    moved = differences(json.loads(PINNED.read_text()), all_digests(shared_data))
    assert not moved, "answers changed (re-pin only with a test saying why):\n" + "\n".join(moved)


def test_a_changed_answer_is_named_by_contest_and_part() -> None:
    pinned = {"general 2024": {"9547": {"states": "a", "calls": "b"}, "": {"releases": "c"}}}
    now = {"general 2024": {"9547": {"states": "a", "calls": "x"}, "": {"releases": "c"}}}
    assert differences(pinned, now) == ["general 2024: contest 9547: calls"]
    assert differences(pinned, pinned) == []
