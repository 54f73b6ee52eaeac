"""Names as filed, made comparable (``../shared/domain/campaign-finance.md``, "Tying money to a
contest and a side", point 5): "GARY D YEE", "Yee, Gary" and "Gary Yee" are one candidate."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Z0-9]+")
#: Words a name may carry that do not tell two people apart.
_NOISE = frozenset({"JR", "SR", "II", "III", "IV", "MR", "MRS", "MS", "DR"})


def name_key(name: str) -> str:
    """A name's words, upper-case, without initials, suffixes or order ("Yee, Gary D." → "GARY
    YEE"): two spellings of one person give one key."""
    words = [w for w in _WORD.findall(name.upper()) if len(w) > 1 and w not in _NOISE]
    return " ".join(sorted(words))
