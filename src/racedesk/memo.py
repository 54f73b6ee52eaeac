"""What is worked out once per object and read again: an election's lookup tables, a release
laid flat, a contest's names and words.

The objects are frozen, so what is worked out from one cannot change; it is kept by the
object's identity (two equal releases received apart are two objects, and equality of a whole
release costs more than working it out again), for the last few objects only: a desk reads the
same election and the latest releases over and over, never the whole history at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class PerObject(Generic[K, V]):
    """``make(obj)``, kept for each of the last ``keep`` objects it was asked of (by identity).

    Each object is held with its value, so that its ``id`` stays its own while the value is
    kept. When ``keep`` objects are kept, the next new one starts afresh.
    """

    __slots__ = ("_found", "_keep", "_make")

    def __init__(self, make: Callable[[K], V], keep: int) -> None:
        if keep < 1:
            raise ValueError(f"keep must be at least 1, not {keep}")
        self._make = make
        self._keep = keep
        self._found: dict[int, tuple[K, V]] = {}

    def __call__(self, obj: K) -> V:
        hit = self._found.get(id(obj))
        if hit is not None:
            return hit[1]
        if len(self._found) >= self._keep:
            self._found.clear()
        value = self._make(obj)
        self._found[id(obj)] = (obj, value)
        return value

    def __len__(self) -> int:
        return len(self._found)


__all__ = ["PerObject"]
