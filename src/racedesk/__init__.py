"""racedesk: a decision desk in a box.

Reads an election's results as the registrar releases them, keeps every release, knows each
contest's rule, says how many votes are left and what every candidate needs of them, projects how
each contest will end and calls races when the count can no longer change them.
"""

from racedesk.model import (
    Choice,
    Contest,
    ContestCount,
    Election,
    OutstandingReport,
    Release,
    Rule,
)

__version__ = "0.1.0"

__all__ = [
    "Choice",
    "Contest",
    "ContestCount",
    "Election",
    "OutstandingReport",
    "Release",
    "Rule",
    "__version__",
]
