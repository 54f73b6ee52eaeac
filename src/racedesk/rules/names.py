"""How choices are named in phrases: short names and lists of names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

_PARTICLES: Final = frozenset(
    {"DE", "DEL", "LA", "LAS", "LOS", "VAN", "VON", "DA", "DI", "DU", "LE", "ST.", "ST"}
)
_SUFFIXES: Final = frozenset({"JR", "JR.", "SR", "SR.", "II", "III", "IV"})


def short_name(name: str) -> str:
    """The name used in phrases: a candidate's surname with its particles ("NATHAN HOCHMAN" →
    "Hochman", "CLAUDIA DE LA CRUZ" → "De La Cruz"), title-cased when the feed shouts."""
    words = name.replace(",", " ").split()
    if not words:
        return name
    while len(words) > 1 and words[-1].upper() in _SUFFIXES:
        words.pop()
    start = len(words) - 1
    while start > 1 and words[start - 1].upper() in _PARTICLES:
        start -= 1
    short = " ".join(words[start:])
    return short.title() if short.isupper() else short


def name_list(names: Sequence[str]) -> str:
    """Names joined as a reader expects: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


__all__ = ["name_list", "short_name"]
