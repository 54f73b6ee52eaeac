"""How early the desk called each contest that someone outside called first: the backtest's
table of reference calls (``docs/backtest.md``, "Reference calls").

For a reference call (:class:`racedesk.model.reference.ReferenceCall`: AP's call, a concession,
a campaign's declaration) the **deadline** is when a desk had to call by to be as early:

- known to the minute: the first release at or after it (AP called the 2024 DA race at 1:06 am
  on Nov 6, the registrar released at 1:12 am: the deadline is the 1:12 release);
- known to the day: the end of that day, and its deadline release the last release on or before
  it (the count's day), so that "conceded on Nov 8" asks for the call by the Nov 8 release or
  by the registrar's estimate that made it again later that day.

A call is as early when it was made by the deadline: at or before the deadline release, or on
a registrar's estimate that made an earlier release's snapshot again before it
(``engine.replay``, ``estimates``); for a day, any time that day.

Inputs: the calls, the election's releases in feed order, each contest's first call event.
Outputs: one :class:`BacktestReference` per reference call and contest it names, with the lead
in releases (deadline release − the release the call was made on or after: zero or more is as
early) and in hours (reference time − the call's time, a day's reference time being its end).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta

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
    #: When the call came on a registrar's estimate that made a release's snapshot again: that
    #: release's feed time (``call_time`` is the estimate's); None for a call made on a release.
    call_release_time: str | None = None


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


def due_time(call: ReferenceCall, times: Timeline, due: int | None) -> datetime | None:
    """When a call had to be made by to be as early (module docstring): the deadline release's
    feed time, or for a reference known to the day the end of that day."""
    if due is None or call.at is None:
        return None
    if call.precision == "minute":
        return times[due]
    day = call.at.astimezone(call.at.tzinfo).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=call.at.tzinfo)


def _lead_hours(call: ReferenceCall, due_at: datetime | None, made_at: datetime) -> float | None:
    reference = call.at if call.precision == "minute" else due_at
    if reference is None:
        return None
    return round((reference - made_at).total_seconds() / 3600, 1)


def _verdict(
    portion: bool, due: int | None, due_at: datetime | None, first: CallEvent | None,
    winners: Sequence[str],
) -> str:  # fmt: skip
    if portion:
        return "portion only"
    if first is None:
        return "not called"
    if not set(first.choices) & set(winners):
        return "wrong"
    if due is None or due_at is None:
        return "no reference time"
    return "as early" if first.release_time <= due_at else "late"


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
        due_at = due_time(call, times, due)
        for cid in call.contest_ids or ("",):
            contest = next((c for c in election.contests if c.id == cid), None)
            first = first_calls.get(cid)
            made = first.release_sequence if first is not None else None
            on_estimate = (
                first is not None and made is not None and first.release_time != times[made]
            )
            verdict = (
                "not matched"
                if contest is None
                else _verdict(
                    bool(contest.portion or contest.record), due, due_at, first, call.winners
                )
            )
            rows.append(
                BacktestReference(
                    contest=call.contest, contest_id=cid, winner=call.winner,
                    caller=call.caller, reference=call.said, precision=call.precision,
                    deadline_index=due,
                    deadline_time=times[due].isoformat() if due is not None else None,
                    call_index=made,
                    call_time=first.release_time.isoformat() if first is not None else None,
                    lead_releases=due - made if due is not None and made is not None else None,
                    lead_hours=(
                        _lead_hours(call, due_at, first.release_time)
                        if first is not None else None
                    ),
                    verdict=verdict,
                    call_release_time=(
                        times[made].isoformat() if on_estimate and made is not None else None
                    ),
                )
            )  # fmt: skip
    return rows


__all__ = ["BacktestReference", "deadline", "due_time", "score_references"]
