"""Parameter files shipped with racedesk, and reading them.

``params.json`` holds the model parameters learned by ``racedesk calibrate`` from the Los Angeles
County 2024 primary and general canvasses (``docs/method.md``); its ``version`` is recorded with
every projection and call. Reading a file is I/O, so it lives here and not in the engine.
"""

from __future__ import annotations

from importlib import resources
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
    return params


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
