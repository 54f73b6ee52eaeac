"""Model parameters: what ``racedesk calibrate`` learns from past canvasses.

A parameter file is a versioned JSON document (``racedesk.params/1``) shipped with the package
(``racedesk/data/params.json``); its ``version`` is recorded with every projection and call.
Defaults here are used only when no file is given and say so in their version.
"""

from __future__ import annotations

import msgspec


class TurnoutPrior(msgspec.Struct, frozen=True, kw_only=True):
    """Final ballots cast as a share of registration for an election kind: a plausible range
    (``low``–``high``) and a central value, from past canvasses (2020 general 76%, 2024 general
    66%, 2020 primary 38%, 2024 primary 29% in Los Angeles County)."""

    low: float
    mid: float
    high: float


def _default_turnout() -> dict[str, TurnoutPrior]:
    return {
        "general": TurnoutPrior(low=0.55, mid=0.70, high=0.85),
        "primary": TurnoutPrior(low=0.20, mid=0.33, high=0.50),
        "special": TurnoutPrior(low=0.10, mid=0.25, high=0.50),
    }


class ModelParams(msgspec.Struct, frozen=True, kw_only=True):
    """Every parameter of the votes-left model, the projection and the call rules."""

    schema: str = "racedesk.params/1"
    version: str = "default-0"
    turnout: dict[str, TurnoutPrior] = msgspec.field(default_factory=_default_turnout)
    calibrated_on: tuple[str, ...] = ()


def default_params() -> ModelParams:
    return ModelParams()
