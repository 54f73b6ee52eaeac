"""What is worked out once per object (racedesk.memo)."""

from __future__ import annotations

import gc

import pytest

from racedesk.memo import PerObject


class _Box:
    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Box) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)


def _counting() -> tuple[PerObject[_Box, int], list[int]]:
    made: list[int] = []

    def make(box: _Box) -> int:
        made.append(box.value)
        return box.value * 10

    return PerObject(make, keep=3), made


def test_a_value_is_worked_out_once_per_object() -> None:
    kept, made = _counting()
    box = _Box(1)
    assert [kept(box), kept(box), kept(box)] == [10, 10, 10]
    assert made == [1]


def test_equal_objects_are_worked_out_apart() -> None:
    kept, made = _counting()
    assert kept(_Box(2)) == 20
    assert kept(_Box(2)) == 20
    assert made == [2, 2]


def test_an_object_keeps_its_value_after_others_are_gone() -> None:
    """The kept object is held, so a new object cannot take its id and be given its value."""
    kept, made = _counting()
    assert kept(_Box(4)) == 40
    gc.collect()
    fresh = [kept(_Box(v)) for v in (5, 6)]
    assert fresh == [50, 60]
    assert made == [4, 5, 6]


def test_past_keep_objects_it_starts_afresh() -> None:
    kept, made = _counting()
    boxes = [_Box(v) for v in range(5)]
    assert [kept(b) for b in boxes] == [0, 10, 20, 30, 40]
    assert len(kept) == 2  # three kept, then the fourth started afresh
    assert kept(boxes[4]) == 40
    assert kept(boxes[0]) == 0
    assert made == [0, 1, 2, 3, 4, 0]


def test_keep_must_be_at_least_one() -> None:
    with pytest.raises(ValueError, match="keep must be at least 1"):
        PerObject(lambda box: box, keep=0)
