"""Contest rules: one module per rule family, chosen once per contest by :func:`logic_for`.

- :mod:`racedesk.rules.places`: plurality (vote for N elects N) and top-two (Prop 14);
- :mod:`racedesk.rules.runoff`: majority-or-runoff (EC §8140–8142);
- :mod:`racedesk.rules.ranked_choice`: ranked choice (instant runoff) as its rounds are
  published during the canvass;
- :mod:`racedesk.rules.threshold`: measures, recalls and judges' retentions, yes against a
  threshold;
- :mod:`racedesk.rules.unknown`: a contest of a type racedesk does not know (counted, shown,
  never projected or called);
- :mod:`racedesk.rules.portion`: a contest the source sees only part of (a county's part of a
  statewide contest): shown, never projected or called;
- :mod:`racedesk.rules.california`: how a California feed's contest says which rule it has.

Each family answers every rule question (:class:`racedesk.rules.base.RuleLogic`): what the
choices seek, the standing, how projected draws read as outcomes, whether a call is safe, the
final outcome. Adding a rule family means adding a module and a line to :data:`FAMILIES`.
"""

from __future__ import annotations

from collections.abc import Sequence

from racedesk.model import Contest, Rule
from racedesk.rules.base import CALL_STATUSES, Condition, Count, Judge, RuleLogic, Verdict
from racedesk.rules.places import Plurality, TopTwo
from racedesk.rules.portion import Portion
from racedesk.rules.ranked_choice import RankedChoice
from racedesk.rules.runoff import MajorityOrRunoff
from racedesk.rules.threshold import Measure, Recall, Retention
from racedesk.rules.unknown import Unknown

#: The logic of each rule kind.
FAMILIES: dict[str, type[RuleLogic]] = {
    "plurality": Plurality,
    "top_two": TopTwo,
    "ranked_choice": RankedChoice,
    "majority_or_runoff": MajorityOrRunoff,
    "measure": Measure,
    "recall": Recall,
    "retention": Retention,
    "unknown": Unknown,
}


#: The rules a user can set in a contest-rules file (all but ``unknown``).
SETTABLE: tuple[str, ...] = tuple(kind for kind in FAMILIES if kind != "unknown")


def logic_for(rule: Rule) -> RuleLogic:
    """The rule family that answers every question about a contest with ``rule``."""
    return FAMILIES[rule.kind](rule)


def logic_of(contest: Contest, contests: Sequence[Contest] = ()) -> RuleLogic:
    """The logic that answers every question about ``contest``: its rule's family, or, for a
    contest the source sees only part of (``contest.portion``), that family seen in part
    (:class:`racedesk.rules.portion.Portion`); in an election joined from several sources, a
    contest whose count of record is another contest's (``contest.record``: a county's part of
    a statewide contest, or the state feed's copy of a district the county counts whole) is
    seen the same way, shown and never called. Given the election's ``contests``, the logic
    knows the call in another contest that ``contest``'s outcome waits on, if any
    (:meth:`RuleLogic.condition_in`: a recall's successor waits on the recall question)."""
    logic = logic_for(contest.rule)
    if contest.portion or contest.record:
        return Portion(logic, contest.portion)
    if contests:
        logic.condition = logic.condition_in(contest, contests)
    return logic


def rule_name(rule: Rule) -> str:
    """The rule in words, as shown to a user ("top two advance")."""
    return logic_for(rule).name()


__all__ = [
    "CALL_STATUSES",
    "FAMILIES",
    "SETTABLE",
    "Condition",
    "Count",
    "Judge",
    "RuleLogic",
    "Verdict",
    "logic_for",
    "logic_of",
    "rule_name",
]
