"""What a store keeps of what it read: rows are never changed once written, so what was
rebuilt from them (a release, a snapshot, a snapshot's states) can be read again from memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """The latest ``keep`` values put, by key, for any thread of the store; the one read or
    put longest ago goes first."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._lock = threading.Lock()
        self._kept: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value kept for ``key`` (None when there is none), now the latest read."""
        with self._lock:
            hit = self._kept.get(key)
            if hit is not None:
                self._kept.move_to_end(key)
            return hit

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key``, letting the oldest go beyond ``keep``."""
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > self.keep:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)


__all__ = ["Recent"]
