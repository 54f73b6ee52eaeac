"""A ranked-choice tabulation written as RCTab writes its summary: the JSON (the detailed
report ``jsonFormatVersion`` 1 that RCVis and other tools read: ``config``, one ``results`` entry
a round with ``tally``, ``threshold``, ``inactiveBallots``, ``tallyResults``, and ``summary``)
and the CSV (contest information, then a column group a round).

Amounts are text, as RCTab writes them, with the places the arithmetic kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from racedesk.publish.csv_cells import safe_cell
from racedesk.rcv.contest import UNDECLARED_WRITE_INS, RcvRules, Round, SliceCount, Tabulation

#: The version of RCTab whose report shape this follows, named in ``generatedBy``.
FORMAT_VERSION = "1"
GENERATED_BY = "racedesk (RCTab summary format 1)"
#: The files :func:`write_summary` and :func:`write_summary_csv` write in the output folder.
SUMMARY_NAME = "summary.json"
SUMMARY_CSV_NAME = "summary.csv"
#: The rows of inactive ballots in RCTab's CSV, each with its key in ``inactiveBallots``.
INACTIVE_ROWS = (
    ("Inactive Ballots by Overvotes", "overvotes"),
    ("Inactive Ballots by Skipped Rankings", "skippedRankings"),
    ("Inactive Ballots by Exhausted Choices", "exhaustedChoices"),
    ("Inactive Ballots by Repeated Rankings", "repeatedRankings"),
)
TIE_NOTE = "*Tie resolved in accordance with election law"
SLICE_NOTE = (
    "\u2020Elect/Eliminate decisions are from the full contest. "
    "All other results on this report are at the {kind} level."
)


def amount(value: Decimal) -> str:
    """``value`` as RCTab writes an amount: with the decimal places its arithmetic kept
    (``"12"`` from whole ballots, ``"12.0000"`` once fractions of a surplus were added)."""
    return format(value, "f")


def transfer(value: Decimal, action: str) -> str:
    """A transfer as RCTab's JSON writes it: an eliminated candidate's without trailing zeros
    ("2" where the sum kept "2.0000"), a winner's surplus with the places it was cut to."""
    if action == "eliminated":
        return format(value.normalize(), "f")
    return amount(value)


def round_document(round_: Round) -> dict[str, Any]:
    """One round as an entry of ``results``."""
    inactive = {reason: amount(value) for reason, value in sorted(round_.inactive.items())}
    if round_.final_round_surplus is not None:
        inactive["finalRoundSurplus"] = amount(round_.final_round_surplus)
    return {
        "inactiveBallots": dict(sorted(inactive.items())),
        "round": round_.number,
        "tally": {name: amount(votes) for name, votes in sorted(round_.tally.items())},
        "tallyResults": [
            {
                result.action: result.candidate,
                "transfers": {
                    k: transfer(v, result.action) for k, v in sorted(result.transfers.items())
                },
            }
            for result in round_.results
        ],
        "threshold": amount(round_.threshold),
    }


def summary_document(
    tabulation: Tabulation,
    *,
    date: str = "",
    jurisdiction: str = "",
    office: str = "",
    part: SliceCount | None = None,
) -> dict[str, Any]:
    """The whole report of ``tabulation`` (or of one precinct's or batch's ``part``, its
    ``config`` naming it); ``date``, ``jurisdiction`` and ``office`` are the configuration's
    ``contestDate``, ``contestJurisdiction`` and ``contestOffice``."""
    last = tabulation.rounds[-1] if tabulation.rounds else None
    config = {
        "contest": tabulation.contest,
        "date": date,
        "generatedBy": GENERATED_BY,
        "jurisdiction": jurisdiction,
        "office": office,
    }
    if part is not None:
        config[part.kind] = part.name or f"no {part.kind} id"
    return {
        "config": config,
        "jsonFormatVersion": FORMAT_VERSION,
        "results": [round_document(r) for r in (part or tabulation).rounds],
        "summary": {
            "finalThreshold": amount(last.threshold) if last else "0",
            "numCandidates": len(tabulation.candidates),
            "numWinners": tabulation.seats,
            "totalNumBallots": str((part or tabulation).total_ballots),
            "undervotes": (part or tabulation).undervotes,
        },
    }


def write_summary(document: dict[str, Any], folder: Path, part: SliceCount | None = None) -> Path:
    """Write ``document`` in ``folder`` (made if missing) as :data:`SUMMARY_NAME`, or for a
    precinct's or batch's ``part`` as ``summary_<kind>_<name>.json``; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (SUMMARY_NAME if part is None else _part_file(part, "json"))
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_reports(
    tabulation: Tabulation, rules: RcvRules, folder: Path, about: dict[str, str]
) -> list[Path]:
    """Write the summary JSON and CSV of the whole count, then those of each precinct or
    batch it was sliced by, in ``folder``; their paths. ``about`` holds the contest's
    ``date``, ``jurisdiction`` and ``office``."""
    date = about.get("date", "")
    jurisdiction = about.get("jurisdiction", "")
    office = about.get("office", "")
    written = []
    for part in (None, *tabulation.slices):
        document = summary_document(
            tabulation, date=date, jurisdiction=jurisdiction, office=office, part=part
        )
        written.append(write_summary(document, folder, part))
        written.append(write_summary_csv(tabulation, rules, folder, about=about, part=part))
    return written


def _part_file(part: SliceCount, suffix: str) -> str:
    """The file name of a precinct's or batch's report: ``summary_<kind>_<name>.<suffix>``."""
    label = re.sub(r"[^A-Za-z0-9._-]+", "_", part.name or f"no {part.kind} id")
    return f"summary_{part.kind}_{label}.{suffix}"


def write_summary_csv(
    tabulation: Tabulation,
    rules: RcvRules,
    folder: Path,
    *,
    about: dict[str, str] | None = None,
    part: SliceCount | None = None,
) -> Path:
    """Write :func:`csv_text` in ``folder`` (made if missing) as :data:`SUMMARY_CSV_NAME`, or
    for a precinct's or batch's ``part`` as ``summary_<kind>_<name>.csv``; its path.
    ``about`` holds the contest's ``date``, ``jurisdiction`` and ``office``."""
    folder.mkdir(parents=True, exist_ok=True)
    name = SUMMARY_CSV_NAME if part is None else _part_file(part, "csv")
    about = about or {}
    text = csv_text(
        tabulation,
        rules,
        date=about.get("date", ""),
        jurisdiction=about.get("jurisdiction", ""),
        office=about.get("office", ""),
        part=part,
    )
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def java_hash_order(names: Sequence[str], size: int) -> list[str]:
    """The order a Java ``HashMap`` of ``size`` entries iterates ``names`` (put in the order
    given): by bucket (the spread ``String.hashCode`` masked to the table's size, 16 doubled
    while fuller than three quarters), then as put. RCTab's CSV lists candidates with equal
    first-round votes in this order."""
    table = 16
    while size > table * 3 // 4:
        table *= 2

    def bucket(name: str) -> int:
        code = 0
        for unit in name.encode("utf-16-be").hex(" ", 2).split():
            code = (31 * code + int(unit, 16)) & 0xFFFFFFFF
        return (code ^ (code >> 16)) & (table - 1)

    return sorted(names, key=bucket)


def percent(votes: Decimal, total: Decimal) -> str:
    """``votes`` as a share of ``total`` the way RCTab's CSV writes it: cut to two places,
    at least one kept ("42.85%", "25.0%"); blank when there are no votes at all."""
    if not total:
        return ""
    share = (votes * 100 / total).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    text = format(share, "f").rstrip("0")
    return (text + "0" if text.endswith(".") else text) + "%"


def csv_text(
    tabulation: Tabulation,
    rules: RcvRules,
    *,
    date: str = "",
    jurisdiction: str = "",
    office: str = "",
    part: SliceCount | None = None,
) -> str:
    """The whole count (or one precinct's or batch's ``part`` of it) as RCTab's summary CSV:
    contest information, summary, then one column group a round (votes, share of the round's
    active votes, or of the first round's in multi-winner counts, and the change to the next
    round)."""
    rounds = part.rounds if part else tabulation.rounds
    multi = rules.seats > 1 or rules.bottoms_up_percentage is not None
    to_elect = str(rules.seats)
    if rules.bottoms_up_percentage is not None:
        to_elect = f"All candidates over the {amount(rules.bottoms_up_percentage)}% threshold"
    where = ["Final Threshold", amount(rounds[-1].threshold) if rounds else "0"]
    if part:
        where = [part.kind.capitalize(), part.name or f"no {part.kind} id"]
    header: list[list[str]] = [
        ["Contest Information"],
        ["Generated By", GENERATED_BY],
        ["CSV Format Version", FORMAT_VERSION],
        ["Type of Election", "Multi-Winner" if multi else "Single-Winner"],
        ["Contest", tabulation.contest],
        ["Jurisdiction", jurisdiction],
        ["Office", office],
        ["Date", date],
        ["Winner(s)", ", ".join(tabulation.winners)],
        where,
        [],
        ["Contest Summary"],
        ["Number to be Elected", to_elect],
        ["Number of Candidates", str(len(tabulation.candidates))],
        ["Total Number of Ballots", str((part or tabulation).total_ballots)],
        ["Number of Undervotes (No Rankings)", str((part or tabulation).undervotes)],
        [],
    ]
    rows = header + _round_rows(tabulation, rounds, multi, part is not None)
    if part:
        rows += [[], [SLICE_NOTE.format(kind=part.kind)]]
    elif any(r.tie_broken for round_ in rounds for r in round_.results):
        rows += [[], [TIE_NOTE]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([safe_cell(c) for c in r] for r in rows)
    return out.getvalue()


def _round_rows(
    tabulation: Tabulation, rounds: Sequence[Round], multi: bool, sliced: bool
) -> list[list[str]]:
    """The table of rounds: decisions (marked † in a precinct's or batch's part, where they
    are the whole contest's), a row a candidate, active ballots, thresholds (not in a part),
    inactive ballots, and the residual and final-round surpluses when there are any."""
    mark = "\u2020" if sliced else ""
    rows = [
        ["Rounds"]
        + [f for r in rounds for f in (f"Round {r.number} Votes", "% of vote", "transfer")]
    ]
    for action, title in (("eliminated", "Eliminated"), ("elected", "Elected")):
        cells = []
        for round_ in rounds:
            names = [
                r.candidate + ("*" if r.tie_broken else "")
                for r in round_.results
                if r.action == action
            ]
            cells += ["; ".join(names), "", ""]
        rows.append([title + mark, *cells])
    first_active = sum(rounds[0].tally.values(), Decimal(0)) if rounds else Decimal(0)
    for name in _listed(tabulation):
        cells = []
        for n, round_ in enumerate(rounds):
            votes = round_.tally.get(name, Decimal(0))
            total = first_active if multi else sum(round_.tally.values(), Decimal(0))
            change = "0"  # the last round's
            if n + 1 < len(rounds):
                change = amount(rounds[n + 1].tally.get(name, Decimal(0)) - votes)
            cells += [amount(votes), percent(votes, total), change]
        rows.append([name, *cells])
    rows.append(["Active Ballots"] + [c for r in rounds for c in (amount(_active(r)), "", "")])
    if not sliced:
        rows.append(
            ["Current Round Threshold"] + [c for r in rounds for c in (amount(r.threshold), "", "")]
        )
    return rows + _inactive_rows(rounds, residual=not sliced)


def _active(round_: Round) -> Decimal:
    """The round's active ballots: its tally, and the final round's surplus, which RCTab
    still counts as active."""
    return sum(round_.tally.values(), round_.final_round_surplus or Decimal(0))


def _listed(tabulation: Tabulation) -> list[str]:
    """The candidates in RCTab's row order: most first-round votes (of the whole contest)
    first, ties in Java's hash order, undeclared write-ins last."""
    first = tabulation.rounds[0].tally if tabulation.rounds else {}
    named = [c for c in tabulation.candidates if c != UNDECLARED_WRITE_INS]
    ordered = sorted(java_hash_order(named, len(first)), key=lambda c: -first.get(c, Decimal(0)))
    return ordered + [c for c in tabulation.candidates if c == UNDECLARED_WRITE_INS]


def _inactive_rows(rounds: Sequence[Round], *, residual: bool) -> list[list[str]]:
    """Inactive ballots by reason and in all, each round with the change to the next; then
    the residual surplus so far and the final round's surplus, when any."""
    rows = []
    series: list[tuple[str, list[Decimal]]] = [
        (title, [r.inactive.get(key, Decimal(0)) for r in rounds]) for title, key in INACTIVE_ROWS
    ]
    series.append(
        ("Inactive Ballots Total", [sum(r.inactive.values(), Decimal(0)) for r in rounds])
    )
    for title, values in series:
        cells = []
        for n, now in enumerate(values):
            change = amount(values[n + 1] - now) if n + 1 < len(values) else "0"
            cells += [amount(now), "", change]
        rows.append([title, *cells])
    so_far: list[str] = []
    running = Decimal(0)
    for round_ in rounds:
        so_far += [amount(running), "", ""]
        running += sum(
            (r.transfers.get("residual surplus", Decimal(0)) for r in round_.results), Decimal(0)
        )
    if residual and any(
        r.transfers.get("residual surplus") for round_ in rounds for r in round_.results
    ):
        rows.append(["Residual surplus", *so_far])
    if any(r.final_round_surplus is not None for r in rounds):
        cells = []
        for round_ in rounds:
            surplus = round_.final_round_surplus
            cells += ["" if surplus is None else amount(surplus), "", ""]
        rows.append(["Final Round Surplus", *cells])
    return rows
