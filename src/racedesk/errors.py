"""Errors a user can act on: what was wrong, where, and what to do.

Every adapter, the store and the CLI raise these (never a bare ``ValueError`` from deep inside a
parser), so that the CLI and the web app can show one clear line and nothing is stored. They
form one hierarchy under :class:`RacedeskError`::

    RacedeskError
    ├── InputError
    │   ├── UnsafeInputError
    │   └── UnknownReferenceError
    ├── StoreError
    │   └── racedesk.store.base.StoreUnavailable
    ├── SequenceConflict
    ├── NotFound
    └── ConfigError
"""

from __future__ import annotations


class RacedeskError(Exception):
    """Base of every error racedesk reports to a user."""

    def __init__(self, problem: str, *, where: str = "", hint: str = "") -> None:
        self.problem = problem
        self.where = where
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.problem}" if self.where else self.problem
        if self.hint:
            text += f" ({self.hint})"
        return text


class InputError(RacedeskError):
    """A payload or file that cannot be read as what it claims to be.

    ``where`` names the file (and line, contest or field) and ``problem`` says what is wrong.
    Nothing of the payload enters the store except, possibly, a quarantined copy of its bytes.
    """


class UnsafeInputError(InputError):
    """A payload rejected for safety: external entities, expansion bombs, oversize archives."""


class UnknownReferenceError(InputError):
    """A release that names an election, contest or choice its election does not have."""


class StoreError(RacedeskError):
    """The store cannot do what was asked (unknown election, conflicting data, no database)."""


class SequenceConflict(RacedeskError):
    """Another writer committed a release with this sequence (or a call event with this event
    id) first: recompute and retry. Nothing was written."""


class NotFound(RacedeskError):
    """An election, contest, release or call event the desk does not have (HTTP 404)."""


class ConfigError(RacedeskError):
    """A setting, rules file or parameter file that is missing or malformed."""
