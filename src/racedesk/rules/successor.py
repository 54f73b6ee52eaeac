"""A recall's successor contest: who takes the office if the officer is recalled.

A recall ballot asks two things: whether to recall the officer (a yes/no question,
:class:`racedesk.rules.threshold.Recall`), and who succeeds if so ("Candidates to succeed
GAVIN NEWSOM as Governor if he is recalled"). The successor is the candidate with the most
votes only "if the majority vote on the question is to recall" (Cal. Const. art. II §15(c);
EC §11322, §11385). Called on its own count, the successor contest of California's 2021 recall
would have named Larry Elder, who led it with 48%, while the recall failed with 61.9% voting no.
So such a contest is shown, with every count and standing, and never projected or called: the
recall question is the one called.
"""

from __future__ import annotations

import re
from typing import Final

_IF_RECALLED: Final = re.compile(r"\bif\b[^:;.]*?\brecalled\b", re.IGNORECASE)
_SUCCESSOR: Final = re.compile(
    r"\b(?:to\s+succeed|successors?|replacement|to\s+replace)\b.*\brecall", re.IGNORECASE
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
    """Why a recall's successor contest is never projected or called, in words; "" for any
    other contest."""
    condition = successor_condition(title)
    if not condition:
        return ""
    return (
        f"its winner takes office only {condition} (Cal. Const. art. II §15(c)), which the "
        "recall question decides: racedesk projects and calls that question, and shows here "
        "who would succeed"
    )


__all__ = ["never_called_successor", "successor_condition"]
