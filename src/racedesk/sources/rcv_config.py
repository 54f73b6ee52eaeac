"""RCTab's contest configuration JSON, read into a contest racedesk can count.

A configuration names the contest (``outputSettings``), the candidates (with ``aliases`` and
``excluded``), the counting rules (``rules``) and the files of cast vote records
(``cvrFileSources``, each with its ``provider`` and a path relative to the configuration).
:func:`load_ranked_contest` reads all of it, the records through the reader of each provider.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import msgspec

from racedesk.errors import InputError
from racedesk.rcv.contest import UNDECLARED_WRITE_INS, Ballot, RankedContest, RcvRules
from racedesk.sources.safety import decode_text, read_file

#: The ``winnerElectionMode`` values racedesk counts.
WINNER_MODES = (
    "singleWinnerMajority",
    "multiWinnerAllowMultipleWinnersPerRound",
    "multiWinnerAllowOnlyOneWinnerPerRound",
    "bottomsUpUsingPercentageThreshold",
)
OVERVOTE_RULES = ("exhaustImmediately", "alwaysSkipToNextRank", "exhaustIfMultipleContinuing")
TIEBREAK_MODES = ("useCandidateOrder", "random", "previousRoundCountsThenRandom")
#: Older names RCTab's configurations may still carry, and the names they became.
TIEBREAK_RENAMED = {"usePermutationInConfig": "useCandidateOrder"}


class CvrSource(msgspec.Struct, frozen=True):
    """One entry of ``cvrFileSources``: the provider, the resolved path, and its options as
    written (``contestId``, ``firstVoteColumnIndex``, ``overvoteLabel`` …)."""

    provider: str
    path: Path
    options: dict[str, Any]

    def option(self, key: str) -> str:
        """The option ``key`` as text, empty when absent."""
        value = self.options.get(key, "")
        return "" if value is None else str(value).strip()


class RcvConfig(msgspec.Struct, frozen=True):
    """A configuration read: the contest's descriptive fields (``outputSettings``), the
    candidates in order, their aliases (each alias, and the name itself, to the name),
    the excluded ones, the rules, and the record sources."""

    path: Path
    contest: str
    date: str
    jurisdiction: str
    office: str
    candidates: tuple[str, ...]
    aliases: dict[str, str]
    excluded: frozenset[str]
    rules: RcvRules
    sources: tuple[CvrSource, ...]
    by_precinct: bool = False  # outputSettings.tabulateByPrecinct
    by_batch: bool = False  # outputSettings.tabulateByBatch

    def candidate_for(self, mark: str, where: str) -> str:
        """The candidate a record's mark names, by name or alias; runs of spaces count as one
        (a CDF report may name "John Kasich and  Mary Taylor" where the configuration has one
        space)."""
        name = self.aliases.get(mark.strip()) or self.aliases.get(" ".join(mark.split()))
        if name is None:
            raise InputError(
                f"the mark {mark!r} names no candidate of the configuration", where=where
            )
        return name


def read_config(path: Path) -> RcvConfig:
    """The configuration at ``path``: candidates, rules and record sources, checked."""
    where = str(path)
    try:
        raw = json.loads(decode_text(read_file(path), where, what="RCTab configuration"))
    except json.JSONDecodeError as exc:
        raise InputError(f"cannot read the RCTab configuration: {exc}", where=where) from exc
    if not isinstance(raw, dict):
        raise InputError("an RCTab configuration is a JSON object", where=where)
    output = _section(raw, "outputSettings", where)
    candidates, aliases, excluded = _candidates(raw.get("candidates"), where)
    sources = tuple(_source(entry, path.parent, where) for entry in raw.get("cvrFileSources") or [])
    if any(s.option("undeclaredWriteInLabel") for s in sources):
        candidates += (UNDECLARED_WRITE_INS,)
        aliases[UNDECLARED_WRITE_INS] = UNDECLARED_WRITE_INS
    return RcvConfig(
        path=path,
        contest=str(output.get("contestName", "")),
        date=str(output.get("contestDate", "") or ""),
        jurisdiction=str(output.get("contestJurisdiction", "") or ""),
        office=str(output.get("contestOffice", "") or ""),
        candidates=candidates,
        aliases=aliases,
        excluded=excluded,
        rules=read_rules(_section(raw, "rules", where), len(candidates), f"{where}: rules"),
        sources=sources,
        by_precinct=bool(output.get("tabulateByPrecinct")),
        by_batch=bool(output.get("tabulateByBatch")),
    )


def _section(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise InputError(f"the configuration has no {key!r} object", where=where)
    return value


def _candidates(entries: Any, where: str) -> tuple[tuple[str, ...], dict[str, str], frozenset[str]]:
    """The candidates' names in order, every alias (and name) to its name, the excluded."""
    if not isinstance(entries, list) or not entries:
        raise InputError("the configuration lists no candidates", where=where)
    names: list[str] = []
    aliases: dict[str, str] = {}
    excluded: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        name = str(entry.get("name", "")).strip() if isinstance(entry, dict) else ""
        if not name or name in aliases:
            raise InputError(
                "a candidate without a name, or named twice", where=f"{where}: candidate {n}"
            )
        names.append(name)
        for alias in [name, entry.get("code") or "", *(entry.get("aliases") or [])]:
            if str(alias).strip():
                aliases[str(alias).strip()] = name
        if entry.get("excluded"):
            excluded.add(name)
    return tuple(names), aliases, frozenset(excluded)


def _source(entry: Any, folder: Path, where: str) -> CvrSource:
    if not isinstance(entry, dict) or not entry.get("filePath") or not entry.get("provider"):
        raise InputError("a cvrFileSources entry needs a filePath and a provider", where=where)
    options = {k: v for k, v in entry.items() if k not in ("filePath", "provider")}
    return CvrSource(str(entry["provider"]), folder / str(entry["filePath"]), options)


def read_rules(rules: dict[str, Any], candidates: int, where: str) -> RcvRules:
    """RCTab's ``rules`` object as :class:`RcvRules` (numbers given as text, as RCTab writes
    them; ``maxRankingsAllowed: "max"`` is the number of candidates; a blank
    ``maxSkippedRanksAllowed`` or ``"unlimited"`` allows any gap)."""
    mode = str(rules.get("winnerElectionMode", ""))
    overvote = str(rules.get("overvoteRule", ""))
    tiebreak = str(rules.get("tiebreakMode", ""))
    tiebreak = TIEBREAK_RENAMED.get(tiebreak, tiebreak)
    for key, value, allowed in (
        ("winnerElectionMode", mode, WINNER_MODES),
        ("overvoteRule", overvote, OVERVOTE_RULES),
        ("tiebreakMode", tiebreak, TIEBREAK_MODES),
    ):
        if value not in allowed:
            raise InputError(
                f"{key} {value!r} is not one racedesk counts ({', '.join(allowed)})", where=where
            )
    percentage = _number(rules, "multiSeatBottomsUpPercentageThreshold", where, blank=None)
    return RcvRules(
        winner_mode=mode,
        seats=int(_number(rules, "numberOfWinners", where, blank=Decimal(1)) or 0),
        overvote_rule=overvote,
        max_skipped_ranks=_limit(rules, "maxSkippedRanksAllowed", where, ("unlimited", ""), None),
        max_rankings=_limit(rules, "maxRankingsAllowed", where, ("max", ""), candidates),
        exhaust_on_duplicate=bool(rules.get("exhaustOnDuplicateCandidate")),
        batch_elimination=bool(rules.get("batchElimination")),
        continue_until_two=bool(rules.get("continueUntilTwoCandidatesRemain")),
        tiebreak_mode=tiebreak,
        random_seed=int(_number(rules, "randomSeed", where, blank=Decimal(0)) or 0),
        decimal_places=int(
            _number(rules, "decimalPlacesForVoteArithmetic", where, blank=Decimal(4)) or 0
        ),
        minimum_vote_threshold=_number(rules, "minimumVoteThreshold", where, blank=Decimal(0))
        or Decimal(0),
        non_integer_threshold=bool(rules.get("nonIntegerWinningThreshold")),
        hare_quota=bool(rules.get("hareQuota")),
        first_round_sets_threshold=bool(rules.get("doesFirstRoundDetermineThreshold")),
        bottoms_up_percentage=percentage if mode == "bottomsUpUsingPercentageThreshold" else None,
        stop_after_round=_limit(rules, "stopTabulationEarlyAfterRound", where, ("",), None),
    )


def _number(
    rules: dict[str, Any], key: str, where: str, *, blank: Decimal | None
) -> Decimal | None:
    text = str(rules.get(key, "") or "").strip()
    if not text:
        return blank
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InputError(f"{key} {text!r} is not a number", where=where) from None


def _limit(
    rules: dict[str, Any], key: str, where: str, words: tuple[str, ...], default: int | None
) -> int | None:
    text = str(rules.get(key, "") or "").strip()
    if text.lower() in words:
        return default
    value = _number(rules, key, where, blank=None)
    return None if value is None else int(value)


def load_ranked_contest(path: Path) -> tuple[RcvConfig, RankedContest]:
    """The configuration at ``path`` and its contest with every ballot of every source."""
    config = read_config(path)
    ballots: list[Ballot] = []
    for source in config.sources:
        ballots.extend(read_source(config, source))
    contest = RankedContest(
        name=config.contest,
        candidates=config.candidates,
        rules=config.rules,
        ballots=tuple(ballots),
        excluded=config.excluded,
    )
    return config, contest


def read_source(config: RcvConfig, source: CvrSource) -> list[Ballot]:
    """The ballots of one record source, by its ``provider``."""
    from racedesk.sources import rcv_cdf, rcv_dominion, rcv_hart, rcv_tables

    readers = {
        "cdf": rcv_cdf.read_cdf,
        "ess": rcv_tables.read_ess,
        "genericCsv": rcv_tables.read_generic_csv,
        "clearBallot": rcv_tables.read_clear_ballot,
        "hart": rcv_hart.read_hart,
        "dominion": rcv_dominion.read_dominion,
    }
    reader = readers.get(source.provider)
    if reader is None:
        raise InputError(
            f"racedesk does not read the provider {source.provider!r} yet ({', '.join(readers)})",
            where=str(source.path),
        )
    if not source.path.exists():
        raise InputError("the cast vote record file does not exist", where=str(source.path))
    return reader(config, source)
