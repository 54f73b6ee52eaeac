"""A contest-rules file: how each contest is decided, for formats that do not say.

Clarity, AP, OpenElections and the .ets feed name their contests but not always their rules (a
primary's majority-or-runoff condition, a measure's 55% or two-thirds threshold). A user states
them in a small TOML or JSON file, keyed by contest id or by contest title (case and spacing
ignored); the adapters apply it with :func:`apply_rules`::

    format = "racedesk.rules/1"          # optional

    [contests."DISTRICT ATTORNEY"]
    rule = "majority_or_runoff"          # plurality | majority_or_runoff | top_two | measure | recall | retention
    seats = 1                            # optional: default 1
    advance = 2                          # optional: default 2 × seats for the runoff rules

    [contests."107"]
    rule = "measure"
    threshold = "2/3"                    # "1/2" (more than half), "11/20" or "55%", "2/3" …

A contest's entry may also say how much of the contest the feed sees, where racedesk's reading
(:func:`racedesk.rules.california.portion_in_county`) is wrong or the feed is of another state:
``portion = "Los Angeles County"`` (the feed sees only that part: shown, never called) or
``portion = ""`` (the feed sees the whole contest); an entry may hold a portion alone.

In an election joined from several sources (``racedesk ingest COUNTY+STATE``), an entry keyed by
a contest's id may set the contest whose count the desk calls it from: ``record = "prop-1"``
(``racedesk matches`` prints the matches racedesk made, in this form), or ``record = ""`` to undo
a match. With a joined source, a rules file sets matches only: each source is read as racedesk
reads it alone.

The JSON form is the same mapping: ``{"contests": {"107": {"rule": "measure", "threshold":
"2/3"}}}``. Rules are those of ``docs/`` and ``../shared/domain/california-canvass.md``
(EC §15452 plurality, §8140–8142 majority or runoff, Prop 14 top two, measures at their
threshold, EC §11000 ff. recalls).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import msgspec

from racedesk.errors import ConfigError, InputError
from racedesk.model import Contest, ContestKind, Rule, RuleKind
from racedesk.rules import FAMILIES, SETTABLE, logic_for, rule_name
from racedesk.rules.threshold import parse_fraction, parse_threshold

FORMAT = "racedesk.rules/1"
_KEYS = {
    "rule",
    "seats",
    "votes_allowed",
    "advance",
    "threshold",
    "alt_threshold",
    "condition",
    "text",
    "portion",
    "record",
}
#: The words of a rule a file does not word itself, where they are not the rule's name.
_DEFAULT_TEXT = {
    "majority_or_runoff": "majority of votes cast elects; otherwise the top two go to a runoff",
}


def title_key(title: str) -> str:
    """A contest title as rules files match it: case and runs of spaces ignored."""
    return " ".join(title.split()).casefold()


def _threshold(value: Any, where: str) -> str:
    """A threshold as an exact fraction string: ``"2/3"``, ``"55%"`` → ``"11/20"``, ``0.5`` →
    ``"1/2"`` (read by :func:`racedesk.rules.threshold.parse_threshold`)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ConfigError(f'threshold {value!r} is not a fraction like "2/3" or "55%"', where=where)
    frac = parse_fraction(value)
    if frac is None:
        raise ConfigError(f'threshold {value!r} is not a fraction like "2/3" or "55%"', where=where)
    if parse_threshold(str(frac)) is None:
        raise ConfigError(f"threshold {value!r} is not between 0 and 1", where=where)
    return f"{frac.numerator}/{frac.denominator}"


def _whole(entry: Mapping[str, Any], key: str, default: int, where: str) -> int:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{key} must be a whole number of at least 1, not {value!r}", where=where)
    return value


def rule_from_entry(entry: Mapping[str, Any], where: str) -> Rule | None:
    """One entry of a rules file (``{"rule": "measure", "threshold": "2/3"}``) as a :class:`Rule`
    (None for an entry that sets only a portion); what each rule takes and needs is its
    family's (:mod:`racedesk.rules`)."""
    if not isinstance(entry, Mapping):
        raise ConfigError("each contest's entry must be a table of settings", where=where)
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ConfigError(f"unknown settings {unknown}; known: {sorted(_KEYS)}", where=where)
    kind = entry.get("rule")
    if kind is None and ("portion" in entry or "record" in entry):
        return None
    if kind not in SETTABLE:
        raise ConfigError(f"rule must be one of {', '.join(SETTABLE)}, not {kind!r}", where=where)
    question = FAMILIES[kind].contest_kind != "candidate"
    rule = (_question_rule if question else _candidate_rule)(kind, entry, where)
    problems = logic_for(rule).problems()
    if problems:
        raise ConfigError(problems[0][1], where=where)
    return rule


def _question_rule(kind: RuleKind, entry: Mapping[str, Any], where: str) -> Rule:
    threshold = _threshold(entry.get("threshold", "1/2"), where)
    alt = entry.get("alt_threshold")
    rule = Rule(
        kind=kind,
        threshold=threshold,
        alt_threshold=_threshold(alt, where) if alt is not None else None,
        condition=str(entry.get("condition", "")),
    )
    text = str(entry.get("text", "")) or (
        f"passes at {threshold}" if kind == "measure" else rule_name(rule)
    )
    return msgspec.structs.replace(rule, text=text)


def _candidate_rule(kind: RuleKind, entry: Mapping[str, Any], where: str) -> Rule:
    if "threshold" in entry or "alt_threshold" in entry:
        raise ConfigError(f"a {kind} contest has no threshold", where=where)
    seats = _whole(entry, "seats", 1, where)
    votes_allowed = _whole(entry, "votes_allowed", seats, where)
    advancing = FAMILIES[kind](Rule(kind=kind)).default_advance(seats)
    if not advancing and "advance" in entry:
        raise ConfigError(
            "only majority_or_runoff and top_two contests advance candidates", where=where
        )
    advance = _whole(entry, "advance", advancing, where) if advancing else 0
    rule = Rule(kind=kind, seats=seats, votes_allowed=votes_allowed, advance=advance)
    text = str(entry.get("text", "")) or _DEFAULT_TEXT.get(kind, rule_name(rule))
    return msgspec.structs.replace(rule, text=text)


def _contests_table(data: bytes, where: str) -> dict[str, Any]:
    """A rules file's bytes (TOML, or JSON when it starts with ``{``) as its contests table."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("the rules file is not UTF-8 text", where=where) from None
    try:
        doc: Any = json.loads(text) if text.lstrip().startswith("{") else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"not a readable rules file: {exc}", where=where) from None
    if not isinstance(doc, dict):
        raise ConfigError("a rules file is a table with a 'contests' table", where=where)
    fmt = doc.get("format", FORMAT)
    if fmt != FORMAT:
        raise ConfigError(f"unknown rules format {fmt!r} (expected {FORMAT!r})", where=where)
    extra = sorted(set(doc) - {"format", "contests"})
    if extra:
        raise ConfigError(f"unknown top-level keys {extra} (expected 'contests')", where=where)
    contests = doc.get("contests")
    if not isinstance(contests, dict) or not contests:
        raise ConfigError("the rules file names no contests (a 'contests' table)", where=where)
    table: dict[str, Any] = {}
    for key, entry in contests.items():
        name = str(key).strip()
        if not name:
            raise ConfigError("a contest key is empty", where=where)
        table[name] = entry
    return table


def parse_rules(data: bytes, where: str) -> dict[str, Rule]:
    """A rules file's bytes (TOML, or JSON when it starts with ``{``) as contest key → Rule."""
    rules: dict[str, Rule] = {}
    for name, entry in _contests_table(data, where).items():
        rule = rule_from_entry(entry, f"{where}, contest {name!r}")
        if rule is not None:
            rules[name] = rule
    return rules


def parse_portions(data: bytes, where: str) -> dict[str, str]:
    """The portions a rules file states, as contest key → the part the feed sees ("" whole)."""
    portions: dict[str, str] = {}
    for name, entry in _contests_table(data, where).items():
        if isinstance(entry, Mapping) and "portion" in entry:
            value = entry["portion"]
            if not isinstance(value, str):
                raise ConfigError(
                    f'portion must be the name of the part the feed sees, or "" for the whole '
                    f"contest, not {value!r}",
                    where=f"{where}, contest {name!r}",
                )
            portions[name] = " ".join(value.split())
    return portions


def parse_records(data: bytes, where: str) -> dict[str, str]:
    """The matches a rules file states for an election joined from several sources, as contest
    id → the id of its contest of record ("" undoes a match racedesk made)."""
    records: dict[str, str] = {}
    for name, entry in _contests_table(data, where).items():
        if isinstance(entry, Mapping) and "record" in entry:
            value = entry["record"]
            if not isinstance(value, str):
                raise ConfigError(
                    f'record must be the id of the contest of record, or "" for none, not {value!r}',
                    where=f"{where}, contest {name!r}",
                )
            records[name] = value.strip()
    return records


def records_file(rows: Iterable[tuple[str, str, str]]) -> str:
    """A contest-rules file (TOML) stating matches for a joined election: one entry per
    (contest id, contest of record, why matched), the reason as a comment, for a user to review,
    change or undo (``record = ""``) and pass back with ``--rules``."""
    lines = [f'format = "{FORMAT}"', ""]
    for contest, record, how in rows:
        lines += [
            f"# {how}",
            f"[contests.{json.dumps(contest)}]",
            f"record = {json.dumps(record)}",
            "",
        ]
    return "\n".join(lines)


def load_records(path: Path | str) -> dict[str, str]:
    """The matches a rules file on disk states (:func:`parse_records`)."""
    return parse_records(_file(path), str(path))


def _file(path: Path | str) -> bytes:
    """A rules file's bytes, or a ``ConfigError`` naming it."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read the rules file: {exc.strerror or exc}", where=str(path)
        ) from None


def load_rules(path: Path | str) -> dict[str, Rule]:
    """Read a rules file from disk (see the module's docstring for its layout)."""
    return parse_rules(_file(path), str(path))


def load_portions(path: Path | str) -> dict[str, str]:
    """The portions a rules file on disk states (:func:`parse_portions`)."""
    return parse_portions(_file(path), str(path))


def _match(items: Sequence[Contest], keys: Iterable[str], where: str) -> dict[str, int]:
    """Each key's contest: by id first, else by title (:func:`title_key`). A key that matches
    no contest, or a title shared by several contests, is an :class:`InputError`: a setting
    that silently applies to nothing (or to the wrong contest) would change calls unseen."""
    by_id = {c.id: i for i, c in enumerate(items)}
    by_title: dict[str, list[int]] = {}
    for i, c in enumerate(items):
        by_title.setdefault(title_key(c.title), []).append(i)
    chosen: dict[str, int] = {}
    unknown: list[str] = []
    for key in keys:
        if key in by_id:
            chosen[key] = by_id[key]
            continue
        hits = by_title.get(title_key(key), [])
        if len(hits) > 1:
            ids = ", ".join(items[i].id for i in hits)
            raise InputError(
                f"the rules file names {key!r}, a title shared by contests {ids}: name them by id",
                where=where,
            )
        if not hits:
            unknown.append(key)
            continue
        chosen[key] = hits[0]
    if unknown:
        raise InputError(
            f"the rules file names contests this election does not have: {sorted(unknown)}",
            where=where,
        )
    return chosen


def apply_portions(
    contests: Iterable[Contest], portions: Mapping[str, str] | None, where: str
) -> tuple[Contest, ...]:
    """The contests with the portions a rules file states put in place of the derived ones."""
    out = list(contests)
    for key, i in _match(out, (portions or {}).keys(), where).items():
        out[i] = msgspec.structs.replace(out[i], portion=(portions or {})[key])
    return tuple(out)


def apply_rules(
    contests: Iterable[Contest], rules: Mapping[str, Rule] | None, where: str
) -> tuple[Contest, ...]:
    """The contests with the rules a rules file states put in place of the derived ones.

    A key matches a contest's id first, else its title (:func:`title_key`). A key that matches
    no contest, or a title shared by several contests, is an :class:`InputError`: a rule that
    silently applies to nothing (or to the wrong contest) would change calls unseen.
    """
    items = tuple(contests)
    if not rules:
        return items
    chosen = {i: rules[key] for key, i in _match(items, rules.keys(), where).items()}
    out = list(items)
    for i, rule in chosen.items():
        c = out[i]
        kind: ContestKind = logic_for(rule).contest_kind
        if kind != "candidate" and len(c.choices) != 2:
            names = ", ".join(k.name for k in c.choices)
            raise InputError(
                f"contest {c.id} ({c.title}) has {len(c.choices)} choices ({names}); a "
                f"{rule.kind} rule needs a yes/no question",
                where=where,
            )
        out[i] = msgspec.structs.replace(c, kind=kind, rule=rule)
    return tuple(out)


__all__ = [
    "FORMAT",
    "apply_portions",
    "apply_rules",
    "load_portions",
    "load_rules",
    "parse_portions",
    "parse_rules",
    "rule_from_entry",
    "title_key",
]
