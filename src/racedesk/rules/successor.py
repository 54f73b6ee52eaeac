"""A recall's successor contest: who takes the office if the officer is recalled.

A recall ballot asks two things: whether to recall the officer (a yes/no question,
:class:`racedesk.rules.threshold.Recall`), and who succeeds if so ("Candidates to succeed
GAVIN NEWSOM as Governor if he is recalled"). The successor is the candidate with the most
votes only "if the majority vote on the question is to recall" (Cal. Const. art. II §15(c);
EC §11322, §11385). Called on its own count, the successor contest of California's 2021 recall
would have named Larry Elder, who led it with 48%, while the recall failed with 61.9% voting no.
So such a contest waits on the recall question (:func:`condition_in`): it is projected like
any plurality contest, and called only once the question is called passed; while the question
is not called, a call it would allow says it waits; once the question is called failed, it is
never called. A successor contest whose question is not in the same election (or cannot be told
from others) is shown, with every count and standing, and never projected or called.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from racedesk.model import Contest
from racedesk.rules.base import Condition

_IF_RECALLED: Final = re.compile(r"\bif\b[^:;.]*?\brecalled\b", re.IGNORECASE)
_SUCCESSOR: Final = re.compile(
    r"\b(?:to\s+succeed|successors?|replacement|to\s+replace)\b.*\brecall", re.IGNORECASE
)
#: The officer a successor contest names ("to succeed GAVIN NEWSOM as Governor").
_SUCCEEDED: Final = re.compile(
    r"\b(?:succeed|replace)\s+(.+?)\s+(?:as|from|in|for|if|should|on)\b", re.IGNORECASE
)


def successor_condition(title: str) -> str:
    """The condition under which the winner of the contest titled ``title`` takes office, where
    it is a recall's successor contest ("if he is recalled"; "if the recall passes" where the
    title names none); "" for any other contest."""
    stated = _IF_RECALLED.search(title)
    if stated:
        return " ".join(stated.group(0).lower().split())
    return "if the recall passes" if _SUCCESSOR.search(title) else ""


def never_called_successor(title: str) -> str:
    """Why a recall's successor contest is not called on its own count, in words; "" for any
    other contest."""
    condition = successor_condition(title)
    if not condition:
        return ""
    return (
        f"its winner takes office only {condition} (Cal. Const. art. II §15(c)): racedesk "
        "calls it only once the recall question of the same election is called passed, and "
        "shows here who would succeed"
    )


def condition_in(contest: Contest, contests: Sequence[Contest]) -> Condition | None:
    """The recall question among ``contests`` whose passing a successor ``contest``'s winner
    waits on (Cal. Const. art. II §15(c)): the one whose title or question names the officer
    the successor's title names, or, where it names none, the election's only recall question
    counted whole. None for any other contest, or where no one question is found."""
    condition = successor_condition(contest.title)
    if not condition:
        return None
    questions = [c for c in contests if c.rule.kind == "recall" and not (c.portion or c.record)]
    named = _SUCCEEDED.search(contest.title)
    if named is not None:
        officer = _words(named.group(1))
        questions = [c for c in questions if officer and officer <= _words(c.title, c.question)]
    if len(questions) != 1:
        return None
    question = questions[0]
    return Condition(
        question=question.id,
        needs="passed",
        waiting=(
            f"its winner takes office only {condition}, and the recall question "
            f"({question.title}) is not called yet"
        ),
        unmet=(
            f"its winner takes office only {condition}, and the recall question "
            f"({question.title}) is called otherwise: no one takes office by this contest"
        ),
    )


def _words(*texts: str) -> frozenset[str]:
    return frozenset(w for t in texts for w in re.findall(r"[^\W_]+", t.upper()))


__all__ = ["condition_in", "never_called_successor", "successor_condition"]
