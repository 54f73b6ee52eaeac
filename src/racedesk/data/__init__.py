"""Parameter files shipped with racedesk, and reading them.

``params.json`` holds the model parameters learned by ``racedesk calibrate`` from the Los Angeles
County 2024 primary and general canvasses (``docs/method.md``); its ``version`` is recorded with
every projection and call. Reading a file is I/O, so it lives here and not in the engine.
"""

from __future__ import annotations

from importlib import resources
from itertools import pairwise
from pathlib import Path

import msgspec

from racedesk.engine.params import ModelParams
from racedesk.errors import ConfigError

SHIPPED = "params.json"


def read_params(data: bytes, where: str) -> ModelParams:
    """A ``racedesk.params/1`` document as :class:`ModelParams`; a ConfigError naming ``where``
    when it is not one."""
    try:
        params = msgspec.json.decode(data, type=ModelParams)
    except msgspec.DecodeError as exc:
        raise ConfigError(f"not a racedesk parameter file: {exc}", where=where) from None
    if params.schema != "racedesk.params/1":
        raise ConfigError(
            f"unknown parameter schema {params.schema!r} (expected racedesk.params/1)", where=where
        )
    buckets = len(params.fraction_edges) + 1
    if len(params.trend_weight) != buckets or len(params.late_spread) != buckets:
        raise ConfigError(
            f"trend_weight and late_spread need {buckets} values, one per share-of-count bucket",
            where=where,
        )
    _check_pace(params, where)
    return params


def _check_pace(params: ModelParams, where: str) -> None:
    """The count's pace tables (``docs/hurdles.md``, "Else the count's pace"): one share per
    time of ``count_pace_days``, the times rising, every share between 0 and 1 and never falling
    with time, and at every time a part's least ≤ the least ≤ the typical ≤ the most."""
    days = params.count_pace_days
    tables = {
        "count_pace_least_part": params.count_pace_least_part,
        "count_pace_least": params.count_pace_least,
        "count_pace_typical": params.count_pace_typical,
        "count_pace_most": params.count_pace_most,
    }
    if any(b <= a for a, b in pairwise(days)):
        raise ConfigError("count_pace_days must rise from one time to the next", where=where)
    for name, table in tables.items():
        if len(table) != len(days):
            raise ConfigError(
                f"{name} needs {len(days)} values, one per time of count_pace_days", where=where
            )
        if any(not 0.0 <= x <= 1.0 for x in table) or any(b < a for a, b in pairwise(table)):
            raise ConfigError(
                f"{name} must be shares of the count between 0 and 1 that never fall with time",
                where=where,
            )
    for i, day in enumerate(days):
        column = [table[i] for table in tables.values()]
        if any(b < a for a, b in pairwise(column)):
            raise ConfigError(
                f"at {day:g} days after the polls closed the count's pace must have a part's "
                "least ≤ the least ≤ the typical ≤ the most share in",
                where=where,
            )


def load_params(path: str | Path | None = None) -> ModelParams:
    """The parameters in ``path``, or the file shipped with racedesk when ``path`` is None."""
    if path is None:
        data = resources.files(__name__).joinpath(SHIPPED).read_bytes()
        return read_params(data, f"racedesk/data/{SHIPPED}")
    target = Path(path)
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read the parameter file: {exc.strerror}", where=str(target)
        ) from None
    return read_params(data, str(target))


__all__ = ["SHIPPED", "load_params", "read_params"]
