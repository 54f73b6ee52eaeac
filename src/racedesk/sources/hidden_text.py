"""Characters a feed's names can hold that change how text reads without being seen.

A bidirectional control (U+202E RIGHT-TO-LEFT OVERRIDE …) makes "NAMHCOH NAHTAN" display as
"NATHAN HOCHMAN"; a zero-width character makes two names that look alike differ (Unicode
Technical Report 36, "Unicode Security Considerations", §2.4 and §3.3; Trojan Source,
CVE-2021-42574). No candidate's or contest's name needs one, so racedesk:

- says which names of an election hold one (:func:`hidden_in`, printed by ``racedesk ingest``:
  a non-blocking flag, the definition is still read);
- shows them where a name is shown (:func:`visible`: each such character becomes ``⟨U+202E⟩``),
  while pages also isolate names (``<bdi>``, ``unicode-bidi: isolate``) so that a name cannot
  reorder the text around it.
"""

from __future__ import annotations

import re
import unicodedata

from racedesk.model import Election

#: Bidirectional embeddings, overrides and isolates, marks, and zero-width characters.
HIDDEN = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    """``text`` with each hidden character written as ``⟨U+XXXX⟩``."""
    if not HIDDEN.search(text):
        return text
    return HIDDEN.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def _named(text: str) -> str:
    return ", ".join(
        sorted({f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in HIDDEN.findall(text)})
    )


def hidden_in(election: Election) -> list[str]:
    """Each name of ``election`` (its title, contests' titles, choices' names) that holds a
    hidden character, said with the characters it holds."""
    found = [("election", election.title)] if HIDDEN.search(election.title) else []
    for contest in election.contests:
        if HIDDEN.search(contest.title):
            found.append((f"contest {contest.id}", contest.title))
        found += [
            (f"contest {contest.id}, choice {choice.id}", choice.name)
            for choice in contest.choices
            if HIDDEN.search(choice.name)
        ]
    return [f"{where}: {visible(text)!r} holds {_named(text)}" for where, text in found]
