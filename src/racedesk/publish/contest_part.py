"""What the part of a contest page that depends on the release shown says, as text ready to
display (:func:`part_record`), and the words and times it is written with.

The live app renders a part record on the server (``_contest_part.html``); a static page carries
every release's record and its time slider fills the same elements from them (``racedesk.js``),
so both show the same strings, formatted here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from racedesk.model import Election
from racedesk.model.answers import CallEvent, ContestCall, Interval, Standing
from racedesk.publish.documents import (
    ChoiceView,
    ContestDetail,
    ProjectionInfo,
    RoundDoc,
    StateDoc,
)
from racedesk.publish.numbers import (
    chance,
    chances,
    count,
    count_interval,
    expected_counted,
    margin,
    pct,
    pct_interval,
)
from racedesk.publish.words import about
from racedesk.rules.names import proper_case
from racedesk.store.base import StoredRelease


def choice_name(name: str, kind: str) -> str:
    """A choice's name as a page shows it: a candidate's in proper case where the feed shouts
    (:func:`~racedesk.rules.names.proper_case`: "NATHAN HOCHMAN" → "Nathan Hochman"); a
    measure's choices ("YES", "NO") as the feed writes them."""
    return proper_case(name) if kind == "candidate" else name


def when(value: datetime | str | None, zone: str = "America/Los_Angeles") -> str:
    """A time in the election's zone: "Nov 5, 2024, 8:36 PM PST"."""
    if value is None:
        return "–"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(zone))
    text = moment.strftime("%b %-d, %Y, %-I:%M %p")
    return f"{text} {moment.tzname()}" if moment.tzinfo is not None else text


def status_class(status: str | None) -> str:
    """The CSS class of a call status badge: "winner not leading" → "st-winner-not-leading"."""
    return "st-" + (status or "too early").replace(" ", "-")


def standing_text(standing: Standing | None, names: dict[str, str], leading: bool = False) -> str:
    """A choice's standing in words, with the denominator its hurdle is stated on
    (``calls-and-hurdles.md``: never a share outside 0–100%): "clinched win", "eliminated",
    "unknown: no estimate of votes left", or "needs 61.6% (60.2–63.6%) to pass Hochman
    (two-way share of the votes left for …)"."""
    if not standing:
        return "–"
    return standing_words(_standing_parts(standing, names, leading))


def standing_words(parts: Sequence[str]) -> str:
    """A standing's parts (a results row's ``standing``) as one line of words."""
    if len(parts) == 1:
        return parts[0]
    need, aim, denominator = parts
    return f"needs {need}" + (f" {aim}" if aim else "") + f" ({denominator})"


def _standing_parts(standing: Standing, names: dict[str, str], leading: bool) -> list[str]:
    """``[words]`` for a settled standing, else ``[share needed, aim, denominator]``."""
    status = standing.status
    goal = standing.goal or ""
    if status == "clinched":
        return [f"clinched {goal.removeprefix('to ')}".strip() if goal else "clinched"]
    if status == "eliminated":
        return ["eliminated"]
    if status == "unknown":
        return [f"unknown: {standing.denominator or 'no estimate of votes left'}"]
    needs = standing.needs
    if needs is None:
        return ["contending"]
    rival = standing.rival or ""
    if rival and (goal in ("to win", "") or goal.startswith("to win one")):
        aim = f"to {'stay ahead of' if leading else 'pass'} {names.get(rival, rival)}"
    else:
        aim = goal
    return [_need_words(needs), aim, standing.denominator or "the votes left"]


def _need_words(needs: Interval) -> str:
    """The share needed of the votes left, never "0.0%" or "100.0%" at the middle estimate
    (``calls-and-hurdles.md``: at or below 0% is clinched, above 100% eliminated): a choice
    that needs none of the votes left expected needs a share only if the most are left (its
    need rises with the votes left), and one that needs them all is short only unless the most
    are left (its need falls with them)."""
    if needs.mid <= 0 < needs.high:
        return f"none of the votes left expected ({pct(needs.high, 1)} if the most are left)"
    if needs.mid >= 1 > needs.low:
        return f"all of the votes left expected or more ({pct(needs.low, 1)} if the most are left)"
    return pct_interval(needs)


@dataclass(frozen=True)
class ReleaseMark:
    """One stop of the time slider."""

    sequence: int
    label: str
    short: str
    usable: bool


def release_marks(election: Election, stored: Sequence[StoredRelease]) -> list[ReleaseMark]:
    """The time slider's stops: every stored release, with its feed time in the election's zone."""
    return [
        ReleaseMark(
            sequence=s.release.sequence if s.release.sequence is not None else i,
            label=when(s.release.feed_time, election.timezone),
            short=_short_time(s.release.feed_time, election.timezone),
            usable=s.usable,
        )
        for i, s in enumerate(stored)
    ]


def _short_time(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%b %-d %-I:%M %p")


def _model_line(projection: ProjectionInfo | None) -> str:
    """How the projection was made, in one line; with nothing left to draw, only the model."""
    if not projection:
        return ""
    if projection.draws <= 1:
        return f"Nothing left to project; model {projection.model_version}."
    return (
        f"{round(projection.level * 100)}% intervals; model {projection.model_version}, "
        f"{count(projection.draws)} draws, seed {projection.seed}."
    )


def call_line(
    call: ContestCall | None, sentence: str, events: Sequence[CallEvent], zone: str
) -> str:
    """The call's own reason, when it is not the contest's sentence now, labelled with when it
    was made: "Called Nov 5, 2024, 8:56 PM PST (release #2): GEORGE GASCÓN would need 55.7% or
    more …" (a reason said at the call, kept in the ledger, is otherwise read as today's)."""
    if call is None or not call.sentence or call.sentence == sentence:
        return ""
    event = next((e for e in events if e.event_id == call.event_id), None)
    if event is None:
        return call.sentence
    verb = "Rescinded" if event.status == "rescinded" else "Called"
    made = when(event.release_time, zone)
    return f"{verb} {made} (release #{event.release_sequence}): {call.sentence}"


def named_left(doc: StateDoc, where: str = "above") -> str:
    """Why the sentence's votes left differ from the Votes left figure: the hurdles and the
    sentence are stated on the votes left for the named choices (``engine.calls.read_count``:
    the votes left times the named choices' part of the votes counted so far), the figure
    counts write-ins too. "" when both say the same; ``where`` the sentence is shown."""
    contest = doc.contest
    left = contest.votes_left.votes if contest.votes_left else None
    if left is None or not contest.write_ins or contest.total_votes <= 0:
        return ""
    named = sum(c.votes for c in contest.choices) / contest.total_votes
    said, shown = about(left.mid * named), about(left.mid)
    if said == shown:
        return ""
    return (
        f"The sentence {where} says {said}: the votes left for the named choices, without the "
        f"{pct(1 - named)} of the votes that have gone to write-ins so far."
    )


def part_record(
    election: Election,
    doc: StateDoc,
    marks: Sequence[ReleaseMark],
    events: Sequence[CallEvent] = (),
) -> dict[str, Any]:
    """What the release-dependent part of a contest page shows, as text ready to display,
    from a ``racedesk.state/1`` document and the contest's call ``events``: the server renders
    it (``_contest_part.html``) and a static page's time slider fills the same elements from
    it (``racedesk.js``), so both show the same strings."""
    contest = doc.contest
    release = doc.release
    order = [c.id for c in contest.choices]
    names = choice_names(contest)
    call = contest.call
    status = call.status if call else "too early"
    draws = contest.projection.draws if contest.projection else 1
    rows = choice_rows(contest)
    note = "votes"
    if contest.write_ins:
        note += f", of which {count(contest.write_ins)} write-ins"
    if contest.ballots is not None:
        note += f"; {count(contest.ballots)} ballots counted in the contest"
    note += "".join(
        f". {row['name']}'s {row['goal']}"
        for row in rows
        if "(" in row["chance"] and "(" in row["goal"]
    )
    left = contest.votes_left
    projection = contest.projection
    sequence = release.sequence
    return {
        "contest_id": contest.id,
        "release": sequence,
        "last": len(marks) - 1,
        # a release's number is its sequence, as in the API, the URLs, the CLI and the notices
        "number": sequence,
        "count": len(marks),
        "last_number": len(marks) - 1,
        "time": marks[sequence].label
        if sequence < len(marks)
        else when(release.feed_time, election.timezone),
        "feed_time": release.feed_time,
        "hash": release.hash[:12],
        "flagged": not release.usable,
        "status": status,
        "status_class": status_class(status),
        "called_for": ", ".join(names.get(c, c) for c in call.choices) if call else "",
        "sentence": contest.sentence,
        "call_sentence": call_line(call, contest.sentence, events, election.timezone),
        "rows": rows,
        "total": count(contest.total_votes),
        "margin": margin({c.id: c.votes for c in contest.choices}, names),
        "counted": expected_counted(contest.total_votes, left.votes if left else None),
        "total_note": note,
        "left_known": bool(left and left.votes),
        "left": count_interval(left.votes if left else None),
        "left_ballots": count_interval(left.ballots) if left and left.ballots else "",
        "left_source": left.source if left else "none",
        "left_note": left.note if left else "",
        "left_named": named_left(doc),
        "outcomes": outcome_lines(projection.outcomes if projection else {}, draws),
        "model": _model_line(projection),
        "problems": [[p.code, p.message] for p in contest.problems],
        "rounds": rounds_record(doc.contest.rounds, order, names),
    }


def rounds_record(
    rounds: Sequence[RoundDoc], order: Sequence[str], names: dict[str, str]
) -> list[dict[str, Any]]:
    """A ranked-choice contest's rounds as shown: for each round its name and, for each
    candidate in the first round (by first choices), its votes and share of the round, what it
    gained since the round before ("+6,726"; "" in the first) and its bar's width (its share of
    the first round's votes, so that the bars of every round are on one scale), or None once
    out; then the ballots exhausted, with their width."""
    if not rounds:
        return []
    first = rounds[0].tally
    everyone = sorted(first, key=lambda c: (-first[c], order.index(c) if c in order else 0))
    scale = sum(first.values()) or 1
    shown = []
    before: dict[str, int] = {}
    for r in rounds:
        total = sum(r.tally.values())
        cells: list[dict[str, Any] | None] = []
        for index, c in enumerate(everyone):
            if c not in r.tally:
                cells.append(None)
                continue
            votes = r.tally[c]
            change = votes - before[c] if c in before else None
            cells.append(
                {
                    "id": c,
                    "name": names.get(c, c),
                    "colour": index % 8,
                    "votes": count(votes),
                    "share": pct(votes / total if total else 0.0, 1),
                    "change": "" if change is None else f"{change:+,}",
                    "width": round(100 * votes / scale, 2),
                }
            )
        shown.append(
            {
                "name": r.name,
                "number": r.round,
                "cells": cells,
                "exhausted": count(r.exhausted),
                "exhausted_width": round(100 * r.exhausted / scale, 2),
            }
        )
        before = dict(r.tally)
    return shown


def outcome_lines(outcomes: dict[str, float], draws: int) -> list[list[str]]:
    """The projection's outcomes as people read them, likeliest first; the outcomes under 1%
    in one line ("12 other outcomes: <1% each") rather than twelve lines of "<1%"."""
    ranked = sorted(outcomes.items(), key=lambda kv: -kv[1])
    shown = [[o, chance(p, draws)] for o, p in ranked if chance(p, draws) != "<1%"]
    rest = len(ranked) - len(shown)
    if rest == 1:
        shown.append([ranked[-1][0], chance(ranked[-1][1], draws)])
    elif rest > 1:
        shown.append([f"{rest} other outcomes", "<1% each"])
    return shown


def choice_names(contest: ContestDetail) -> dict[str, str]:
    """Each choice's name as the pages show it (:func:`choice_name`), by id."""
    return {c.id: choice_name(c.name, contest.kind) for c in contest.choices}


def choice_rows(contest: ContestDetail) -> list[dict[str, Any]]:
    """The results table's rows (:func:`_choice_row`), most votes first, ties in ballot order."""
    order = [c.id for c in contest.choices]
    names = choice_names(contest)
    leaders = set(contest.leaders)
    draws = contest.projection.draws if contest.projection else 1
    return [
        _choice_row(c, names, c.id in leaders, draws)
        for c in sorted(contest.choices, key=lambda c: (-c.votes, order.index(c.id)))
    ]


def _choice_row(
    choice: ChoiceView, names: dict[str, str], leader: bool, draws: int = 1
) -> dict[str, Any]:
    """One row of the results table: a choice of a ``racedesk.state/1`` document as text."""
    standing = choice.standing
    proj = choice.projection
    return {
        "id": choice.id,
        "name": names.get(choice.id, choice.name),
        "leader": leader,
        "votes": count(choice.votes),
        "share": pct(choice.share),
        "proj": pct_interval(Interval(low=proj.share_low, mid=proj.share_mid, high=proj.share_high))
        if proj
        else "–",
        "chance": chances(proj.probability, proj.probability_alt, draws) if proj else "–",
        "goal": f"chance {standing.goal}" if standing and standing.goal else "",
        "standing": _standing_parts(standing, names, leader) if standing else ["–"],
        "standing_class": f"sd-{standing.status}" if standing else "",
    }
