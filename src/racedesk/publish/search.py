"""Finding a contest by what an editor types: "measure g", "prop 5", "hochman", "DA".

One set of rules, which the overview page's script (``static/racedesk.js``, ``rdSearch``)
follows too, so that the API, the CLI, the served page and the static export answer the same:

- text is compared folded: accents dropped, case ignored, anything but letters and digits a
  space ("GASCÓN" is "gascon");
- a contest is searched by its title, its group and its choices' names;
- "prop", "props" and "proposition" are read as "measure" (LA's feed says "STATE MEASURE 5"),
  "da" as "district attorney";
- a word of the query matches a word of the contest's text when they are equal, or, for a word of
  three letters or more, when the contest's word starts with it ("hoch" finds Hochman): so
  "measure g" is not every title with "general" in it;
- every word of the query must match; contests whose title ends with the query come first
  ("COUNTY MEASURE G" for "measure g"), then those whose title has every word, then the others,
  each in ballot order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final

#: Words an editor types for the words a feed prints.
SYNONYMS: Final = {
    "prop": ("measure",),
    "props": ("measure",),
    "proposition": ("measure",),
    "da": ("district", "attorney"),
}
#: Shorter query words must match a whole word.
PREFIX_FROM: Final = 3
_NOT_WORD: Final = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """``text`` folded for comparison (module docstring): "GASCÓN, Jr." → "gascon jr"."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", plain.casefold()).strip()


def query_words(q: str) -> list[str]:
    """The query's words, folded, with :data:`SYNONYMS` put in place."""
    words: list[str] = []
    for word in fold(q).split():
        words.extend(SYNONYMS.get(word, (word,)))
    return words


def _matches(word: str, words: Sequence[str]) -> bool:
    if len(word) >= PREFIX_FROM:
        return any(w.startswith(word) for w in words)
    return word in words


def rank(query: Sequence[str], title: str, others: Iterable[str]) -> int:
    """How well a contest matches the query's words: 3 its title ends with them, 2 its title
    has them all, 1 its title, group and choices' names together have them all, 0 not a match.
    ``title`` and ``others`` are the contest's texts, folded."""
    if not query:
        return 1
    in_title = title.split()
    if all(_matches(w, in_title) for w in query):
        tail = in_title[-len(query) :]
        exact = len(tail) == len(query) and all(
            t == w or (len(w) >= PREFIX_FROM and t.startswith(w))
            for t, w in zip(tail, query, strict=True)
        )
        return 3 if exact else 2
    everything = in_title + [w for text in others for w in text.split()]
    return 1 if all(_matches(w, everything) for w in query) else 0


def search(rows: Sequence[tuple[str, str, Sequence[str]]], q: str | None) -> list[int]:
    """The positions of the rows that match ``q``, best first (module docstring); each row is a
    contest's (title, group, choices' names)."""
    query = query_words(q or "")
    scored = []
    for i, (title, group, names) in enumerate(rows):
        score = rank(query, fold(title), [fold(group), *map(fold, names)])
        if score:
            scored.append((-score, i))
    return [i for _, i in sorted(scored)]


__all__ = ["PREFIX_FROM", "SYNONYMS", "fold", "query_words", "rank", "search"]
