"""Numbers for people, as the dashboard, the exported site and the terminal all write them.

Counts with thousands separators ("1,983,802"), shares as percentages ("59.89%"), and intervals
as their middle with their ends ("64.7% (63.9–65.6%)", "about 721,000 (690,000–790,000)"), or
one figure when the ends agree at the precision shown; estimates are rounded as the sentences
say them (:func:`racedesk.publish.words.rounded`). An unknown number is a dash.
"""

from __future__ import annotations

from racedesk.model.answers import Interval
from racedesk.publish.words import rounded, short_name


def count(n: float | None) -> str:
    """A count with thousands separators (1983802 → "1,983,802"); unknown is a dash."""
    if n is None:
        return "–"
    return f"{round(n):,}"


def pct(share: float | None, digits: int = 2) -> str:
    """A share in [0, 1] as a percentage (0.598877 → "59.89%"); unknown is a dash."""
    if share is None:
        return "–"
    return f"{share * 100:.{digits}f}%"


def pct_interval(value: Interval | None, digits: int = 1) -> str:
    """A share interval: "64.7% (63.9–65.6%)", or one figure when its bounds agree."""
    if value is None:
        return "–"
    low, mid, high = value.low, value.mid, value.high
    if f"{low * 100:.{digits}f}" == f"{high * 100:.{digits}f}":
        return pct(mid, digits)
    return f"{pct(mid, digits)} ({low * 100:.{digits}f}–{high * 100:.{digits}f}%)"


def count_interval(value: Interval | None) -> str:
    """A count interval: "about 721,000 (690,000–790,000)", or the count when exact; an
    interval not known is "unknown"."""
    if value is None:
        return "unknown"
    low, mid, high = value.low, value.mid, value.high
    if round(low) == round(high):
        return count(mid)
    return f"about {count(rounded(mid))} ({count(rounded(low))}–{count(rounded(high))})"


def margin(votes: dict[str, int], names: dict[str, str]) -> str:
    """The lead of the first choice over the second, in points and votes, as results pages
    lead with it: "Hochman +19.8, 655,092 votes" ("" with fewer than two choices or no votes;
    "tied" when the first two have as many)."""
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    shown = sum(votes.values())
    if len(ranked) < 2 or not shown:
        return ""
    (first, a), (_, b) = ranked[0], ranked[1]
    if a == b:
        return f"tied at {a:,} votes"
    return f"{short_name(names.get(first, first))} +{(a - b) / shown * 100:.1f}, {a - b:,} votes"


def expected_counted(counted: int, left: Interval | None) -> str:
    """How much of the expected vote is counted: the votes counted over those plus the votes
    left, at the middle and the two ends of the votes left: "about 96% of the expected vote
    counted (94–98%)", ">99%" while any vote is left ("" when the votes left are unknown)."""
    if left is None or counted <= 0:
        return ""
    done = [counted / (counted + max(v, 0.0)) for v in (left.high, left.mid, left.low)]
    low, mid, high = (_share_done(d) for d in done)
    if low == high or mid == ">99":
        return f"{mid}% of the expected vote counted"
    if high == ">99":
        return f"about {mid}% of the expected vote counted ({low}% to over 99%)"
    return f"about {mid}% of the expected vote counted ({low}–{high}%)"


def _share_done(done: float) -> str:
    """A share of the expected vote, in whole points, that never reads "100" while votes are
    still left (">99", as AP's expected vote says it)."""
    whole = round(done * 100)
    return ">99" if whole == 100 and done < 1 else str(whole)


def chance(p: float | None, draws: int = 1) -> str:
    """A probability for people: "73%", never "100%" or "0%" unless it is certain. A probability
    read from ``draws`` simulated outcomes (more than one) is never certain: every one of 400
    draws going one way says ">99%", not "100%"."""
    if p is None:
        return "–"
    if (p >= 1.0 or p <= 0.0) and draws <= 1:
        return f"{p * 100:.0f}%"
    if p >= 0.995:
        return ">99%"
    if p <= 0.005:
        return "<1%"
    return f"{p * 100:.0f}%"


def chances(p: float | None, p_alt: float | None, draws: int = 1) -> str:
    """A choice's chance (:func:`chance`) and, for a measure with a conditional threshold, its
    chance at that threshold in brackets, as the goal reads ("to pass at 2/3 (a majority if
    …)": "<1% (>99%)"); one figure where the two read the same."""
    main = chance(p, draws)
    if p_alt is None:
        return main
    alt = chance(p_alt, draws)
    return main if alt == main else f"{main} ({alt})"


__all__ = [
    "chance",
    "chances",
    "count",
    "count_interval",
    "expected_counted",
    "margin",
    "pct",
    "pct_interval",
]
