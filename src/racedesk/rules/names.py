"""How choices are named in phrases: short names and lists of names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Final

_PARTICLES: Final = frozenset(
    {"DE", "DEL", "LA", "LAS", "LOS", "VAN", "VON", "DA", "DI", "DU", "LE", "ST.", "ST"}
)
_SUFFIXES: Final = frozenset({"JR", "JR.", "SR", "SR.", "II", "III", "IV"})
#: Words kept in capitals when a shouted name is put in proper case: roman numerals.
_CAPITALS: Final = frozenset({"II", "III", "IV", "VI", "VII", "VIII", "IX"})
#: Where a word's parts meet: a hyphen, an apostrophe, a quotation mark or a bracket.
_JOINS: Final = re.compile(r"([-'’\"“”(])")


def proper_case(name: str) -> str:
    """A name as people write it, where the feed shouts it in capitals: "NATHAN HOCHMAN" →
    "Nathan Hochman", "GEORGE GASCÓN" → "George Gascón", "KEVIN MCDONALD" → "Kevin McDonald",
    "ANN O'BRIEN-SMITH" → "Ann O'Brien-Smith", "JOHN SMITH III" → "John Smith III",
    "JOHN "JACK" DOE JR." → "John "Jack" Doe Jr.". A name with any lower-case letter is the
    feed's own spelling and is kept as it is, as is a name with hidden characters (a
    right-to-left override): shown as the feed wrote it, the trick stays evident."""
    if not name.isupper() or any(unicodedata.category(ch) == "Cf" for ch in name):
        return name
    return " ".join(_proper_word(word) for word in name.split(" "))


def _proper_word(word: str) -> str:
    if word.rstrip(",") in _CAPITALS:
        return word
    parts = _JOINS.split(word)
    return "".join(part if _JOINS.fullmatch(part) else _proper_part(part) for part in parts)


def _proper_part(part: str) -> str:
    if len(part) > 2 and part.startswith("MC") and part[2].isalpha():
        return "Mc" + part[2:].capitalize()
    return part.capitalize()


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
    return proper_case(" ".join(words[start:]))


def name_list(names: Sequence[str]) -> str:
    """Names joined as a reader expects: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


__all__ = ["name_list", "proper_case", "short_name"]
