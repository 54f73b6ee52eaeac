"""Ranked-choice tabulation, round by round, as RCTab (the Universal RCV Tabulator) counts.

``contest`` holds the vocabulary (a contest's ballots, candidates and RCTab's rules; the rounds
it produces) and ``tabulate`` the counting. Nothing here reads a file: the readers of RCTab's
configuration and of cast vote records are ``racedesk.sources.rcv_*``.
"""

from racedesk.rcv.contest import Ballot, RankedContest, RcvRules, Round, Tabulation, TallyResult
from racedesk.rcv.tabulate import tabulate

__all__ = [
    "Ballot",
    "RankedContest",
    "RcvRules",
    "Round",
    "Tabulation",
    "TallyResult",
    "tabulate",
]
