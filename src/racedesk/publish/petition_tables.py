"""What ``racedesk recall status`` prints: a petition's stages and ledger, or every petition's
verdict, as tables and sentences from the ``racedesk.petition-status/1`` and
``racedesk.petitions/1`` documents (:mod:`racedesk.publish.petitions`)."""

from __future__ import annotations

from rich.table import Table

from racedesk.publish.numbers import count
from racedesk.publish.petitions import PetitionsDoc, PetitionStageRow, PetitionStatusDoc
from racedesk.publish.terminal import console


def stage_figures(stage: PetitionStageRow) -> str:
    """A stage's figures in words: "715,833 filed, 566,857 required"."""
    named = (
        (stage.raw, "filed"),
        (stage.required, "required"),
        (stage.sample, "sampled"),
        (stage.valid, "valid"),
        (stage.duplicates, "duplicates"),
        (stage.checked, "checked"),
        (stage.invalid, "invalid"),
    )
    return ", ".join(f"{count(n)} {what}" for n, what in named if n is not None)


def print_petition_status(doc: PetitionStatusDoc) -> None:
    """One petition: the verdict in words, its stages and its ledger."""
    out = console()
    about = doc.petition
    known = f" as of {doc.as_of}" if doc.as_of else ""
    out.print(
        f"[bold]{about.id}[/bold]: {about.office}, {about.jurisdiction} ({about.kind}){known}"
    )
    out.print(f"[bold]{doc.sentence}[/bold]")
    if doc.progress is not None:
        out.print(f"Full count under way: {doc.progress.sentence}.")
    stages = Table(title="stages", title_justify="left")
    for name in ("#", "stage", "date", "figures", "the registrar's words"):
        stages.add_column(name)
    for s in doc.stages:
        stages.add_row(str(s.sequence), s.stage, s.on or "undated", stage_figures(s), s.words)
    out.print(stages)
    ledger = Table(title="ledger", title_justify="left")
    for name in ("event", "date", "verdict", "why"):
        ledger.add_column(name)
    for e in doc.ledger:
        ledger.add_row(str(e.event_id), e.on or "undated", e.verdict, e.reason)
    out.print(ledger)


def print_petitions(doc: PetitionsDoc) -> None:
    """Every petition's verdict in a line."""
    known = f" as of {doc.as_of}" if doc.as_of else ""
    table = Table(title=f"petitions{known}", title_justify="left")
    for name in ("petition", "office", "verdict", "since", "filed", "required"):
        table.add_column(name, justify="right" if name in ("filed", "required") else "left")
    for p in doc.petitions:
        table.add_row(
            p.petition.id,
            f"{p.petition.office}, {p.petition.jurisdiction}",
            p.verdict or "–",
            p.since or "–",
            count(p.raw),
            count(p.required),
        )
    console().print(table)
