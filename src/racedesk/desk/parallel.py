"""Running independent pieces of work (one canvass's replay, one fold's backtest) side by side:
on this machine's processes by default, on a Dask cluster when given its scheduler's address.

Each piece is a top-level function and its argument, so it can be sent to another process or
machine; the answers come back in the order of the arguments, whatever order they finish in, so
a parallel run gives exactly what a serial one does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from racedesk.errors import InputError

T = TypeVar("T")
R = TypeVar("R")

#: ``--scheduler`` value that runs every piece in this process, one after another.
SERIAL = "serial"


def default_workers() -> int:
    """The local processes to use when not told: one per core."""
    return max(1, os.cpu_count() or 1)


def run_all(
    work: Callable[[T], R],
    items: Sequence[T],
    scheduler: str | None = None,
    workers: int | None = None,
) -> list[R]:
    """``[work(item) for item in items]``, computed in parallel: on ``workers`` local processes
    when ``scheduler`` is None, in this process when it is ``"serial"`` (or when there is one
    item or one worker), else on the Dask cluster whose scheduler is at ``scheduler``
    (``tcp://HOST:PORT``)."""
    count = workers or default_workers()
    if scheduler == SERIAL or (scheduler is None and (count <= 1 or len(items) <= 1)):
        return [work(item) for item in items]
    if scheduler is None:
        with ProcessPoolExecutor(max_workers=min(count, len(items))) as pool:
            return list(pool.map(work, items))
    return _on_dask(work, items, scheduler)


def _on_dask(work: Callable[[T], R], items: Sequence[T], scheduler: str) -> list[R]:
    from distributed import Client

    try:
        client = Client(scheduler, timeout=10, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise InputError(
            f"cannot reach the Dask scheduler: {exc}",
            where=scheduler,
            hint="give its address as tcp://HOST:PORT, or leave --scheduler out to use this machine",
        ) from None
    with client:
        futures = client.map(work, list(items), pure=False)
        return list(client.gather(futures))
