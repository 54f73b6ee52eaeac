"""A ranked-choice tabulation written as RCTab writes its summary JSON (the detailed report
``jsonFormatVersion`` 1 that RCVis and other tools read): ``config``, one ``results`` entry a
round (``tally``, ``threshold``, ``inactiveBallots``, ``tallyResults``), and ``summary``.

Amounts are text, as RCTab writes them, with the places the arithmetic kept.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from racedesk.rcv.contest import Round, Tabulation

#: The version of RCTab whose report shape this follows, named in ``generatedBy``.
FORMAT_VERSION = "1"
GENERATED_BY = "racedesk (RCTab summary format 1)"
#: The file :func:`write_summary` writes in the output folder.
SUMMARY_NAME = "summary.json"


def amount(value: Decimal) -> str:
    """``value`` as RCTab writes an amount: with the decimal places its arithmetic kept
    (``"12"`` from whole ballots, ``"12.0000"`` once fractions of a surplus were added)."""
    return format(value, "f")


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
                "transfers": {k: amount(v) for k, v in sorted(result.transfers.items())},
            }
            for result in round_.results
        ],
        "threshold": amount(round_.threshold),
    }


def summary_document(
    tabulation: Tabulation, *, date: str = "", jurisdiction: str = "", office: str = ""
) -> dict[str, Any]:
    """The whole report of ``tabulation``; ``date``, ``jurisdiction`` and ``office`` are the
    configuration's ``contestDate``, ``contestJurisdiction`` and ``contestOffice``."""
    last = tabulation.rounds[-1] if tabulation.rounds else None
    return {
        "config": {
            "contest": tabulation.contest,
            "date": date,
            "generatedBy": GENERATED_BY,
            "jurisdiction": jurisdiction,
            "office": office,
        },
        "jsonFormatVersion": FORMAT_VERSION,
        "results": [round_document(r) for r in tabulation.rounds],
        "summary": {
            "finalThreshold": amount(last.threshold) if last else "0",
            "numCandidates": len(tabulation.candidates),
            "numWinners": tabulation.seats,
            "totalNumBallots": str(tabulation.total_ballots),
            "undervotes": tabulation.undervotes,
        },
    }


def write_summary(document: dict[str, Any], folder: Path) -> Path:
    """Write ``document`` as :data:`SUMMARY_NAME` in ``folder`` (made if missing); its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SUMMARY_NAME
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
