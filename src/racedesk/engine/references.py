"""How early the desk called each contest that someone outside called first: the backtest's
table of reference calls (``docs/backtest.md``, "Reference calls").

For a reference call (:class:`racedesk.model.reference.ReferenceCall`: AP's call, a concession,
a campaign's declaration) the **deadline** is the release a desk had to call by to be as early:

- known to the minute: the first release at or after it (AP called the 2024 DA race at 1:06 am
  on Nov 6, the registrar released at 1:12 am: the deadline is the 1:12 release);
- known to the day: the last release on or before that day (the count's day), so that "conceded
  on Nov 8" asks for the call by the Nov 8 release.

Inputs: the calls, the election's releases in feed order, each contest's first call event.
Outputs: one :class:`BacktestReference` per reference call and contest it names, with the lead
in releases (deadline − call: zero or more is as early) and in hours (reference time − call,
the day's reference time being its deadline release's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import msgspec

from racedesk.model import CallEvent, Election
from racedesk.model.reference import ReferenceCall

Timeline = Sequence[datetime]


class BacktestReference(msgspec.Struct, frozen=True, kw_only=True):
    """One reference contest of a backtest: its reference call against the desk's first call.

    ``verdict``: ``as early`` (called by the deadline, rightly), ``late``, ``not called``,
    ``wrong`` (the desk's call names other winners), ``portion only`` (the source sees only part
    of the contest, so the desk never calls it from it), ``no reference time``, ``not matched``
    (the row names no contest of the election that racedesk could tell).
    """

    contest: str
    contest_id: str
    winner: str
    caller: str
    reference: str
    precision: str
    deadline_index: int | None
    deadline_time: str | None
    call_index: int | None
    call_time: str | None
    lead_releases: int | None
    lead_hours: float | None
    verdict: str


def deadline(call: ReferenceCall, times: Timeline) -> int | None:
    """The index of the release a desk had to call by (module docstring); None without one."""
    at = call.at
    if at is None or not times:
        return None
    if call.precision == "minute":
        return next((i for i, t in enumerate(times) if t >= at), None)
    day = at.date()
    on_or_before = [i for i, t in enumerate(times) if t.astimezone(at.tzinfo).date() <= day]
    return on_or_before[-1] if on_or_before else None


def _lead_hours(call: ReferenceCall, times: Timeline, due: int | None, made: int) -> float | None:
    reference = call.at if call.precision == "minute" else times[due] if due is not None else None
    if reference is None:
        return None
    return round((reference - times[made]).total_seconds() / 3600, 1)


def _verdict(call: ReferenceCall, portion: bool, due: int | None, first: CallEvent | None) -> str:
    if portion:
        return "portion only"
    if first is None:
        return "not called"
    if not set(first.choices) & set(call.winners):
        return "wrong"
    if due is None:
        return "no reference time"
    return "as early" if first.release_sequence <= due else "late"


def score_references(
    election: Election,
    calls: Sequence[ReferenceCall],
    times: Timeline,
    first_calls: Mapping[str, CallEvent],
) -> list[BacktestReference]:
    """Each reference call against the desk's first call of each contest it names (module
    docstring); ``times`` are the feed times of the releases replayed, in order."""
    rows = []
    for call in calls:
        due = deadline(call, times)
        for cid in call.contest_ids or ("",):
            contest = next((c for c in election.contests if c.id == cid), None)
            first = first_calls.get(cid)
            made = first.release_sequence if first is not None else None
            verdict = (
                "not matched"
                if contest is None
                else _verdict(call, bool(contest.portion or contest.record), due, first)
            )
            rows.append(
                BacktestReference(
                    contest=call.contest, contest_id=cid, winner=call.winner,
                    caller=call.caller, reference=call.said, precision=call.precision,
                    deadline_index=due,
                    deadline_time=times[due].isoformat() if due is not None else None,
                    call_index=made,
                    call_time=times[made].isoformat() if made is not None else None,
                    lead_releases=due - made if due is not None and made is not None else None,
                    lead_hours=_lead_hours(call, times, due, made) if made is not None else None,
                    verdict=verdict,
                )
            )  # fmt: skip
    return rows


__all__ = ["BacktestReference", "deadline", "score_references"]
