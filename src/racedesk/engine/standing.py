"""A contest's state after a release: shares, leaders, margin and every choice's standing.

The rule's part (who leads, what is clinched or eliminated, what each choice needs of the votes
left) is the rule family's (:meth:`racedesk.rules.base.RuleLogic.standing`; the definitions are
``docs/hurdles.md``'s); this module puts it together with the count and the release.

Shares are of the votes for the named choices, as the registrar shows them (write-ins are not in
the denominator); each hurdle names its own denominator in ``Standing.denominator``. A hurdle is
never shown outside 0–100%: beyond it the choice is clinched or eliminated, and with no estimate
of the votes left its standing is unknown. The status holds at the **high** end of the
votes-left interval (where the count can still change most); ``needs`` spans the interval.
"""

from __future__ import annotations

from collections.abc import Sequence

from racedesk.model import Contest, ContestCount, Release
from racedesk.model.answers import ContestState, Problem, VotesLeft
from racedesk.rules import RuleLogic, logic_of
from racedesk.rules.tally import ContestFacts


def contest_state(
    contest: Contest,
    count: ContestCount | None,
    release: Release,
    votes_left: VotesLeft,
    *,
    problems: Sequence[Problem] = (),
    logic: RuleLogic | None = None,
    facts: ContestFacts | None = None,
) -> ContestState:
    """The state of ``contest`` after ``release``: its count, leaders, margin and standings.

    ``count`` is the contest's count in the release (None when the release does not have the
    contest: every choice then has zero votes); ``votes_left`` comes from
    :func:`racedesk.engine.votes_left.contest_votes_left`; of ``problems`` (the release's), those
    of this contest and the release-wide ones are kept, and a blocking one makes the state
    unusable. ``logic`` and ``facts`` are the contest's rule logic and facts when the caller has
    them (:class:`racedesk.engine.index.ElectionIndex`); otherwise they are worked out here.

    ``leaders`` are the winning places as counted: the top ``seats`` (plurality), the top
    ``advance`` with those tied for the last place (runoff rules; the leader alone while above
    half), YES or NO (measures, against the threshold). ``margin_votes``/``margin_share`` separate
    the last winning place from the next (measures: yes from its threshold).
    """
    if logic is None:
        logic = logic_of(contest)
    if facts is None:
        facts = logic.facts(contest)
    votes, shown, total, leaders, margin_votes, margin_share, standings, outcome = logic.standing(
        facts, count, votes_left
    )
    if total == 0:
        outcome = "too early"
    ids = facts.ids
    mine: tuple[Problem, ...] = ()
    usable = True
    if problems:
        mine = tuple(p for p in problems if not p.contest_id or p.contest_id == contest.id)
        usable = not any(p.blocking for p in mine)
    return ContestState(
        contest_id=contest.id,
        title=contest.title,
        rule=facts.rule_text,
        release_sequence=release.sequence if release.sequence is not None else -1,
        feed_time=release.feed_time,
        release_hash=release.content_hash,
        votes=dict(zip(ids, votes, strict=False)),
        # the same product as v / shown for each choice, one multiplication a choice
        shares=dict(zip(ids, map((1.0 / shown).__rmul__, votes), strict=False))
        if shown
        else dict.fromkeys(ids, 0.0),
        total_votes=total,
        write_ins=total - shown,
        ballots=count.ballots if count is not None else None,
        leaders=leaders,
        margin_votes=margin_votes,
        margin_share=margin_share,
        votes_left=votes_left,
        standings=standings,
        outcome=outcome,
        usable=usable,
        problems=mine,
        rounds=count.rounds if count is not None else (),
    )


__all__ = ["contest_state"]
