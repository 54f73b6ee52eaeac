"""Threshold rules: measures and recalls, yes against a share of the yes+no votes.

- A **measure** passes when yes reaches its threshold q of the yes and no votes: more than half
  for a simple majority (California Constitution art. II §10(a)), at least 55% or two-thirds
  where the measure says so (art. XIII A §1(b)(3), art. XIII C §2(d)). A conditional threshold
  ("2/3 votes, 55% if prop 5 passes") is kept verbatim as a second threshold and its
  condition; the count settles the measure only when both thresholds agree.
- A **recall** (EC §11000 ff.) is a yes/no question passed by more than half.

Which choice is yes is decided here alone (:func:`yes_no`), and a threshold is read here alone
(:func:`parse_threshold`, :func:`thresholds`): the standing, the projection, the calls, the
backtest and the words all ask this module. The hurdle is yes's need
(q(V + R) − yes) / R of the yes+no votes left (:func:`racedesk.rules.hurdle.threshold_needs`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import ClassVar, Final

import numpy as np
import numpy.typing as npt

from racedesk.model import CallEvent, Contest, ContestCount, ContestKind, ContestState, Rule
from racedesk.model.answers import Interval, Projection, Standing, StandingStatus, VotesLeft
from racedesk.rules.base import Count, Focus, Judge, RuleLogic, Verdict, pct
from racedesk.rules.hurdle import reaches, threshold_needs, threshold_status
from racedesk.rules.successor import successor_condition
from racedesk.rules.tally import ContestFacts, StandingResult, count_of, left_of, shown_need

#: First words that name the yes and the no choice of a question, in the languages of
#: California's ballots ("YES", "FOR", "SÍ"; "NO", "AGAINST").
YES_WORDS: Final = ("YES", "FOR", "SI", "SÍ")
NO_WORDS: Final = ("NO", "AGAINST")
_FLIP: Final[dict[StandingStatus, StandingStatus]] = {
    "clinched": "eliminated",
    "eliminated": "clinched",
    "contending": "contending",
    "unknown": "unknown",
}


def yes_no(contest: Contest) -> tuple[int, int]:
    """The positions of a question's yes and no choices (:func:`yes_no_of` their names)."""
    return yes_no_of([c.name for c in contest.choices])


def yes_no_of(names: Sequence[str]) -> tuple[int, int]:
    """The positions of a question's yes and no among its choices' ``names``: by the first word
    (:data:`YES_WORDS`, :data:`NO_WORDS`, any case, with its punctuation), else, for two
    choices, ballot order (yes first); (-1, -1) where neither tells."""
    yes = no = -1
    for i, name in enumerate(names):
        first = (name.strip().upper().split() or [""])[0].rstrip(".,:")
        if yes < 0 and first in YES_WORDS:
            yes = i
        elif no < 0 and first in NO_WORDS:
            no = i
    if (yes < 0 or no < 0) and len(names) == 2:
        yes, no = 0, 1
    return yes, no


def parse_fraction(text: str | float) -> Fraction | None:
    """A share as written ("2/3", "55%", "11/20", "0.5", 0.5) as an exact fraction, or None
    when it is not a number."""
    if isinstance(text, bool):
        return None
    raw = str(text).strip()
    try:
        return Fraction(raw[:-1].strip()) / 100 if raw.endswith("%") else Fraction(raw)
    except (ValueError, ZeroDivisionError):
        return None


def parse_threshold(text: str | float) -> Fraction | None:
    """A threshold as written (:func:`parse_fraction`) strictly between 0 and 1, or None."""
    q = parse_fraction(text)
    return q if q is not None and 0 < q < 1 else None


def threshold_words(q: Fraction) -> str:
    """A threshold in words: "a majority", "2/3", "55%"."""
    if q == Fraction(1, 2):
        return "a majority"
    if q.denominator in (3, 4):
        return f"{q.numerator}/{q.denominator}"
    return f"{float(q) * 100:g}%"


class Threshold:
    """One threshold q = num/den: a majority is *more* than half (``strict``); 55% and 2/3 are
    "at least"."""

    __slots__ = ("at_words", "den", "fraction", "num", "strict", "value", "words")

    def __init__(self, q: Fraction) -> None:
        self.fraction = q
        self.num, self.den = q.numerator, q.denominator
        self.value = float(q)
        self.strict = q == Fraction(1, 2)
        self.words = threshold_words(q)
        #: The threshold after "passes": "with a majority", "at 2/3".
        self.at_words = f"with {self.words}" if self.strict else f"at {self.words}"

    def met(self, votes: int | float, total: int | float) -> bool:
        """Whether ``votes`` of ``total`` reach the threshold."""
        return reaches(votes, total, self.num, self.den, self.strict)


def thresholds(rule: Rule) -> list[Threshold]:
    """The rule's thresholds, the main one first and the conditional one after it; none when
    the main one is missing or any cannot be read as a share between 0 and 1."""
    if rule.threshold is None:
        return []
    qs = [parse_threshold(t) for t in (rule.threshold, rule.alt_threshold) if t is not None]
    if any(q is None for q in qs):
        return []
    return [Threshold(q) for q in qs if q is not None]


def outcome_labels(qs: Sequence[Threshold]) -> tuple[str, str, str]:
    """A question's outcomes in words: passing, failing, and (with two thresholds) passing at
    the lower and failing at the higher. With two thresholds, passing and failing are at every
    threshold, so the three read as one partition of the draws: "passes whichever threshold
    holds", "fails whichever threshold holds", "passes with a majority, fails at 2/3"."""
    if len(qs) < 2:
        return "passes", "fails", ""
    low, high = sorted(qs, key=lambda q: q.fraction)
    return (
        "passes whichever threshold holds",
        "fails whichever threshold holds",
        f"passes {low.at_words}, fails {high.at_words}",
    )


def _met(share: npt.NDArray[np.float64], q: Threshold) -> npt.NDArray[np.bool_]:
    """Which draws of yes's final share reach ``q`` (more than half; at least any other)."""
    return share > q.value if q.strict else share >= q.value


class ThresholdFacts(ContestFacts):
    """A question's facts: which choice is yes, its thresholds and their words."""

    __slots__ = ("denominator", "goal", "no", "split_outcome", "thresholds", "yes")

    def __init__(
        self, contest: Contest, rule_text: str, qs: list[Threshold], sides: tuple[int, int]
    ) -> None:
        super().__init__(contest, rule_text)
        self.yes, self.no = sides
        self.thresholds = qs
        self.goal = self.denominator = self.split_outcome = ""
        if not self.thresholds:
            return
        main = self.thresholds[0]
        self.goal = f"to pass with {main.words}" if main.strict else f"to pass at {main.words}"
        self.denominator = "share of the yes+no votes left"
        if len(self.thresholds) > 1:
            alt = self.thresholds[1]
            condition = contest.rule.condition or "its condition holds"
            self.goal += f" ({alt.words} if {condition})"
            self.denominator += f" (the range spans {alt.words} and {main.words})"
            # What the count says when the two thresholds disagree: passing at the lower.
            low, high = sorted(self.thresholds, key=lambda q: q.fraction)
            self.split_outcome = f"passing at {low.words}, failing at {high.words}"


class Question(RuleLogic):
    """Measures and recalls (module docstring)."""

    family = "threshold"
    contest_kind: ClassVar[ContestKind] = "measure"
    #: Why the question passes by more than half only, for those that do ("": any threshold).
    by_half: ClassVar[str] = ""

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        #: The rule's thresholds, read once (:func:`thresholds`).
        self.thresholds = thresholds(rule)
        self._asked: tuple[Contest, tuple[int, int]] | None = None

    def name(self) -> str:
        return "passes at its threshold"

    def problems(self) -> list[tuple[str, str]]:
        """A question needs a threshold between 0 and 1 (a recall or a retention, more than
        half: :attr:`by_half` says why)."""
        rule = self.rule
        half = rule.threshold is not None and parse_threshold(rule.threshold) == Fraction(1, 2)
        if self.by_half and rule.threshold is not None and not half:
            return [("threshold", self.by_half)]
        if rule.threshold is None:
            return [("threshold", f"a {rule.kind} rule needs a threshold such as 1/2")]
        for field, text in (("threshold", rule.threshold), ("alt_threshold", rule.alt_threshold)):
            if text is not None and parse_threshold(text) is None:
                return [(field, f"threshold {text!r} is not a fraction between 0 and 1 like 2/3")]
        return super().problems()

    def vote_variation(self) -> tuple[str, str | None]:
        qs = self.thresholds
        if not qs:
            return "other", "threshold not stated"
        return ("majority" if qs[0].fraction == Fraction(1, 2) else "super-majority"), None

    def yes_no(self, contest: Contest) -> tuple[int, int]:
        """:func:`yes_no`, kept for the contest last asked about (a logic serves one contest
        in an election's index)."""
        asked = self._asked
        if asked is not None and asked[0] is contest:
            return asked[1]
        found = yes_no(contest)
        self._asked = (contest, found)
        return found

    def facts(self, contest: Contest) -> ThresholdFacts:
        return ThresholdFacts(contest, self.name(), self.thresholds, self.yes_no(contest))

    def standing(
        self, facts: ContestFacts, count: ContestCount | None, votes_left: VotesLeft
    ) -> StandingResult:
        assert isinstance(facts, ThresholdFacts)
        votes, shown, total = count_of(facts, count)
        left, ballots = left_of(votes_left, self.rule.votes_allowed)
        return (votes, shown, total, *_standing(facts, votes, shown, left, ballots))

    def outcomes(
        self,
        contests: Sequence[Contest],
        logics: Sequence[RuleLogic],
        votes: npt.NDArray[np.float64],
        final: npt.NDArray[np.floating],
    ) -> tuple[npt.NDArray[np.float64], list[dict[str, float]]]:
        """Yes's chance of reaching the main threshold; the no choice seeks the opposite. The
        outcomes are passing and failing (:func:`outcome_labels`); with a conditional threshold,
        passing and failing whichever threshold holds and the outcome between the two. A
        question whose threshold cannot be read, or whose yes cannot be told from no, has no
        probabilities (NaN). All the group's questions are compared at once, in double precision
        whatever the draws'."""
        del votes
        c_count, k, d = final.shape
        probs = np.full((c_count, k), math.nan)
        outs: list[dict[str, float]] = [{} for _ in range(c_count)]
        qs = [logic.thresholds if isinstance(logic, Question) else [] for logic in logics]
        yes = [logic.yes_no(c)[0] for logic, c in zip(logics, contests, strict=True)]
        rows = np.arange(c_count)
        share = final[rows, np.maximum(np.array(yes), 0), :].astype(np.float64)  # (C, D)
        for j in range(c_count):
            if not qs[j] or yes[j] < 0:
                continue
            met = [_met(share[j], q) for q in qs[j]]
            p = int(np.count_nonzero(met[0])) / d
            probs[j, :] = 1.0 - p
            probs[j, yes[j]] = p
            passing, failing, between = outcome_labels(qs[j])
            if len(met) == 1:
                outs[j][passing], outs[j][failing] = p, 1.0 - p
                continue
            outs[j][passing] = int(np.count_nonzero(np.logical_and.reduce(met))) / d
            outs[j][failing] = int(np.count_nonzero(~np.logical_or.reduce(met))) / d
            if between:
                low, high = (met[1], met[0]) if qs[j][1].fraction < qs[j][0].fraction else met
                outs[j][between] = int(np.count_nonzero(low & ~high)) / d
        return probs, outs

    def alt_probabilities(self, contest: Contest, outcomes: dict[str, float]) -> list[float] | None:
        """Yes's chance of reaching the conditional threshold, and no's of keeping yes from it:
        the lower threshold is reached by passing whichever holds or passing between the two;
        the higher by passing whichever holds."""
        qs = self.thresholds
        yes, _no = self.yes_no(contest)
        if len(qs) < 2 or yes < 0:
            return None
        passing, _failing, between = outcome_labels(qs)
        if passing not in outcomes:
            return None
        lower = qs[1].fraction < qs[0].fraction
        p = outcomes[passing] + outcomes[between] if lower else outcomes[passing]
        return [p if i == yes else 1.0 - p for i in range(len(contest.choices))]

    def focus(self, count: Count) -> Focus:
        """Yes against the main threshold (None where it cannot be read)."""
        yes, _no = yes_no_of(count.names)
        if yes < 0:
            return Focus("none", 0)
        threshold = self.thresholds[0].fraction if self.thresholds else None
        return Focus("question", yes, yes, threshold=threshold)

    def verdict(
        self, contest: Contest, count: Count, projection: Projection, judge: Judge
    ) -> Verdict:
        """Passed or failed once yes is safely beyond every threshold, the other way for
        failed, outside the recount guard and at the call probability."""
        qs = self.thresholds
        if not qs:
            return Verdict(
                "too early",
                (),
                f"the pass rate {contest.rule.text!r} cannot be read as a threshold",
            )
        yes, no = self.yes_no(contest)
        if yes < 0:
            return Verdict("too early", (), "cannot tell yes from no")
        share = count.votes[yes] / count.counted
        passing, failing, _between = outcome_labels(qs)
        p_pass = projection.outcomes.get(passing, 0.0)
        p_fail = projection.outcomes.get(failing, 0.0)
        mid = next(c.share_mid for c in projection.choices if c.choice_id == count.ids[yes])
        guarded = any(judge.guarded(min(abs(share - q.value), abs(mid - q.value))) for q in qs)
        hurdle = need_interval(count, yes, qs[0].fraction)
        passes = all(judge.threshold_safe(count, yes, q.fraction, True) for q in qs)
        fails = all(judge.threshold_safe(count, yes, q.fraction, False) for q in qs)
        if not guarded and passes and judge.sure(p_pass):
            reason = (
                f"yes stays above {pct(qs[0].value)} even if every vote left is no ({pct(share)} so far)"
                if hurdle.high <= 0
                else f"yes needs {pct(hurdle.high)} or less of the votes left, far below its {pct(share)} so far"
            )
            return Verdict("passed", (count.ids[yes],), reason, p_pass, hurdle)
        if not guarded and fails and judge.sure(p_fail):
            reason = (
                f"yes cannot reach {pct(qs[0].value)} even with every vote left ({pct(share)} so far)"
                if hurdle.low >= 1
                else f"yes would need {pct(hurdle.low)} or more of the votes left, far above its {pct(share)} so far"
            )
            return Verdict("failed", (count.ids[no],), reason, p_fail, hurdle)
        lean = max(p_pass, p_fail)
        verdict = judge.uncalled(lean, guarded, "yes" if p_pass >= p_fail else "no")
        return Verdict(verdict.status, (), verdict.reason, lean, hurdle)

    def called_probability(
        self, contest: Contest, event: CallEvent, projection: Projection
    ) -> float:
        passing, failing, _between = outcome_labels(self.thresholds)
        if event.status == "passed":
            return projection.outcomes.get(passing, 0.0)
        return projection.outcomes.get(failing, 0.0)

    def leading_now(self, contest: Contest, event: CallEvent, state: ContestState) -> bool:
        """Whether the count so far is on the side of the call at every threshold (passing for
        passed)."""
        qs = self.thresholds
        yes, _no = self.yes_no(contest)
        if not qs or yes < 0:
            return True
        ids = [c.id for c in contest.choices]
        total = sum(state.votes.get(c, 0) for c in ids)
        if total == 0:
            return True
        yes_votes = state.votes.get(ids[yes], 0)
        return all(q.met(yes_votes, total) == (event.status == "passed") for q in qs)

    def undecided_words(self, contest: Contest) -> str:
        """Why a final count leaves a question undecided (:meth:`final_outcome`): yes between
        its two thresholds, or a threshold or a yes that cannot be read."""
        if not self.thresholds:
            return f"its pass rate {contest.rule.text!r} cannot be read as a threshold"
        if self.yes_no(contest)[0] < 0:
            return "its yes cannot be told from its no"
        condition = contest.rule.condition or "its condition holds"
        return (
            "yes lies between its two thresholds, and this count does not settle whether "
            f"{condition}"
        )

    def final_outcome(self, contest: Contest, count: ContestCount) -> tuple[str, list[str]]:
        """Passed (the yes choice) or failed (the no choice) at every threshold; too close when
        the count lands between a conditional threshold and the main one, or the threshold or
        yes cannot be read."""
        qs = self.thresholds
        yes, no = self.yes_no(contest)
        if not qs or yes < 0:
            return "too close", []
        yes_id, no_id = contest.choices[yes].id, contest.choices[no].id
        total = count.votes.get(yes_id, 0) + count.votes.get(no_id, 0)
        verdicts = {q.met(count.votes.get(yes_id, 0), total) for q in qs}
        if len(verdicts) > 1:
            return "too close", []
        return ("passed", [yes_id]) if verdicts.pop() else ("failed", [no_id])


class Measure(Question):
    """A measure at its threshold."""


class Retention(Question):
    """A judge's retention: retained when yes has more than half of the votes on the question
    (California Constitution art. VI §16; recounts, EC §§16700 ff.)."""

    contest_kind: ClassVar[ContestKind] = "retention"
    by_half = "a judge is retained by more than half (Cal. Const. art. VI §16): threshold 1/2"

    def name(self) -> str:
        return "retained with more than half of the votes on the question"


class Recall(Question):
    """A recall question: more than half removes the officer (EC §11000 ff.)."""

    contest_kind: ClassVar[ContestKind] = "recall"
    by_half = "a recall passes by more than half (EC §11000 ff.): threshold 1/2"

    def name(self) -> str:
        return "recall passes with a majority"

    def decided_words(self, contest: Contest, status: str) -> str:
        """Who is recalled, from the ballot's question ("Shall Angie Jimenez be recalled
        (removed) from …?"): "Passed: Angie Jimenez is recalled." or "Failed: Angie Jimenez
        stays in office."; without a question naming one, "Passed." or "Failed."."""
        found = _RECALLED.match(contest.question)
        if found is None:
            return super().decided_words(contest, status)
        who = " ".join(found.group(1).split())
        return (
            f"Passed: {who} is recalled."
            if status == "passed"
            else f"Failed: {who} stays in office."
        )


#: The officer a recall question names.
_RECALLED = re.compile(r"^\s*Shall\s+(.+?)\s+be\s+recalled\b", re.IGNORECASE)
#: The word that makes a yes/no question a recall's ("Shall X be recalled", "Recall of X",
#: "City of Montebello Recall Election", "Trustee Area 2 (Recall)"), and the words after it that
#: make it a measure about recalls instead ("recall procedures").
_RECALL_WORD: Final = re.compile(r"\brecall(?:ed|s)?\b", re.IGNORECASE)
_ABOUT_RECALLS: Final = re.compile(
    r"\brecalls?\s+(?:procedures?|process(?:es)?|provisions?|petitions?|laws?|rules?)\b",
    re.IGNORECASE,
)


def recall_question(*texts: str) -> bool:
    """Whether a yes/no question with these words (its title, its question) asks whether to
    recall an officer, which more than half of the votes on it decides (Cal. Const. art. II
    §15(a), EC §11000 ff.; so too in the other states that put a recall to a yes/no question);
    a recall's successor contest ("Candidates to succeed X if he is recalled") is not one."""
    return any(
        _RECALL_WORD.search(text)
        and not _ABOUT_RECALLS.search(text)
        and not successor_condition(text)
        for text in texts
        if text
    )


def need_interval(count: Count, i: int, q: Fraction, clipped: bool = True) -> Interval:
    """The share of the votes left choice ``i`` needs to end at q of the named choices' votes,
    over the votes-left interval (:func:`~racedesk.rules.hurdle.threshold_needs`), within
    0–100% unless not ``clipped``."""

    def at(left: float) -> float:
        need = threshold_needs(count.votes[i], count.counted, left, q.numerator, q.denominator)
        return min(max(need, 0.0), 1.0) if clipped else need

    values = [at(r) for r in (count.left_low, count.left_mid, count.left_high)]
    return Interval(low=min(values), high=max(values), mid=values[1])


def _standing(
    info: ThresholdFacts,
    votes: list[int],
    shown: int,
    left: tuple[float, float, float] | None,
    ballots: float,
) -> tuple[tuple[str, ...], int, float, tuple[Standing, ...], str]:
    """Yes against its threshold(s), on the yes+no votes (``votes`` in ballot order, ``shown``
    their sum; ``left`` and ``ballots`` as :func:`~racedesk.rules.tally.left_of` gives them)."""
    y, no = info.yes, info.no
    ids, names = info.ids, info.names
    if y < 0 or no < 0:
        standings = tuple(
            Standing(
                choice_id=ids[i],
                name=names[i],
                votes=v,
                share=v / shown if shown else 0.0,
                status="unknown",
                goal="",
            )
            for i, v in enumerate(votes)
        )
        return (), 0, 0.0, standings, "cannot tell yes from no"
    yes, nay = votes[y], votes[no]
    total = yes + nay
    share_yes = yes / total if total else 0.0
    share_no = 1.0 - share_yes if total else 0.0
    qs = info.thresholds
    if not qs:
        unknown = _unknown(info, yes, nay, share_yes, share_no)
        return (), 0, 0.0, unknown, f"rule unknown: {info.contest.rule.text!r}"
    main = qs[0]
    passing = total > 0 and main.met(yes, total)
    split = len(qs) > 1 and passing != (total > 0 and qs[1].met(yes, total))
    status = _status(yes, total, left, ballots, qs)
    yes_needs: Interval | None = None
    no_needs: Interval | None = None
    if status == "contending" and left is not None and left[2] > 0:
        yes_needs = _yes_need(yes, total, left, qs)
        no_needs = Interval(
            low=1.0 - yes_needs.high, mid=1.0 - yes_needs.mid, high=1.0 - yes_needs.low
        )
        no_status: StandingStatus = status
        denominator = info.denominator
    else:
        no_status, denominator = _FLIP[status], ""
    yes_st = Standing(
        choice_id=ids[y], name=names[y], votes=yes, share=share_yes, status=status,
        goal=info.goal, needs=yes_needs, denominator=denominator, rival=ids[no],
    )  # fmt: skip
    no_st = Standing(
        choice_id=ids[no], name=names[no], votes=nay, share=share_no, status=no_status,
        goal="to defeat it", needs=no_needs, denominator=denominator, rival=ids[y],
    )  # fmt: skip
    standings = (yes_st, no_st) if y < no else (no_st, yes_st)
    leaders = () if not total else ((ids[y],) if passing else (ids[no],))
    margin_votes = abs(yes * main.den - main.num * total) // main.den
    margin_share = abs(share_yes - main.num / main.den) if total else 0.0
    if status == "clinched":
        outcome = "passes"
    elif status == "eliminated":
        outcome = "fails"
    else:
        outcome = info.split_outcome if split else "passing" if passing else "failing"
    return leaders, margin_votes, margin_share, standings, outcome


def _status(
    yes: int,
    total: int,
    left: tuple[float, float, float] | None,
    ballots: float,
    qs: Sequence[Threshold],
) -> StandingStatus:
    """Yes's status at the high end of the votes left: clinched or eliminated at the main
    threshold (:func:`~racedesk.rules.hurdle.threshold_status`), contending when a conditional
    threshold says otherwise; unknown without an estimate of the votes left."""
    if left is None:
        return "unknown"
    main = qs[0]
    status = threshold_status(yes, total, ballots, left[2], main.num, main.den, main.strict)
    for q in qs[1:]:
        if threshold_status(yes, total, ballots, left[2], q.num, q.den, q.strict) != status:
            return "contending"
    return status


def _unknown(
    info: ThresholdFacts, yes: int, nay: int, share_yes: float, share_no: float
) -> tuple[Standing, ...]:
    ids, names, y, no = info.ids, info.names, info.yes, info.no
    return (
        Standing(
            choice_id=ids[y], name=names[y], votes=yes, share=share_yes, status="unknown",
            goal="to pass",
        ),
        Standing(
            choice_id=ids[no], name=names[no], votes=nay, share=share_no, status="unknown",
            goal="to defeat it",
        ),
    )  # fmt: skip


def _yes_need(
    yes: int, total: int, left: tuple[float, float, float], qs: Sequence[Threshold]
) -> Interval:
    """Yes's need over the votes left, spanning every threshold. The need is monotone in R:
    its ends are at the ends of the votes left."""
    lo, mid, hi = left
    main = qs[0]
    a = threshold_needs(yes, total, lo, main.num, main.den)
    b = threshold_needs(yes, total, hi, main.num, main.den)
    low, high = (a, b) if a < b else (b, a)
    for q in qs[1:]:
        a = threshold_needs(yes, total, lo, q.num, q.den)
        b = threshold_needs(yes, total, hi, q.num, q.den)
        low, high = min(low, a, b), max(high, a, b)
    return shown_need(low, threshold_needs(yes, total, mid, main.num, main.den), high)


__all__ = [
    "NO_WORDS",
    "YES_WORDS",
    "Measure",
    "Question",
    "Recall",
    "Retention",
    "Threshold",
    "ThresholdFacts",
    "need_interval",
    "parse_fraction",
    "parse_threshold",
    "recall_question",
    "threshold_words",
    "thresholds",
    "yes_no",
    "yes_no_of",
]
