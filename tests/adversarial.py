"""The adversarial corpus of issue 17 (items 5–7): real payloads of ``../shared/data`` changed
the way ``../shared/reviews/reliability-2026-12.md`` changed them (F3, F14, F16), each run through
``racedesk ingest`` and ``POST …/releases`` by ``tests/test_corpus.py``.

A :class:`Case` is a payload of an election that is already known (``base``: the real file the
desk ingests first) and the changed payload. For the LA County feed the election is its
``election_data.json`` (``election``, changed by the bidi case) and the payloads are releases.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Counts the review tried: 2^63 (one past the store's integers), 2^70, and one past 2^53.
HUGE = 2**63


@dataclass(frozen=True)
class Case:
    """One bad payload: ``fmt``'s ``payload`` (named ``name``), after ``base`` was ingested."""

    label: str
    fmt: str
    name: str
    base: bytes
    payload: bytes
    election: bytes = b""
    #: What the desk must make of it: "rejected" (a typed error) or "flagged" (kept, flagged).
    expect: str = "rejected"
    #: A change of the election's definition, which only ``racedesk ingest`` reads.
    cli_only: bool = False

    def write(self, folder: Path, *, bad: bool) -> Path:
        """The source ``racedesk ingest`` reads: for LA a feed folder holding one release
        (the base release, or the bad one), else the one file."""
        folder.mkdir(parents=True, exist_ok=True)
        data = self.payload if bad else self.base
        if self.fmt != "lavote":
            path = folder / self.name
            path.write_bytes(data)
            return path
        (folder / "election_data.json").write_bytes(self.election)
        (folder / "releases").mkdir(exist_ok=True)
        (folder / "releases" / ("2099-bad.json" if bad else "0000-base.json")).write_bytes(data)
        return folder


def _json(data: bytes, change: Callable[[Any], None]) -> bytes:
    tree = json.loads(data)
    change(tree)
    return json.dumps(tree, ensure_ascii=False).encode()


def _deep(data: bytes, put: Callable[[Any, str], None]) -> bytes:
    """``data`` with a 100,000-deep array in a field no adapter reads (F3)."""
    tree = json.loads(data)
    put(tree, "@deep@")
    return json.dumps(tree).replace('"@deep@"', "[" * 100_000 + "]" * 100_000).encode()


def _twice(data: bytes, key: bytes, first: bytes) -> bytes:
    """``data`` whose first ``key`` (``b'"Value":'``) is given twice: ``first``, then its own
    value (F16: decoders keep the last one silently)."""
    assert key in data
    return data.replace(key, key + first + b" " + key, 1)


def _first_cand(tree: Any) -> dict[str, Any]:
    return next(r for r in tree["Data"] if r["ReferenceType"] == "CAND")


def _set(row: dict[str, Any], key: str, value: Any) -> None:
    row[key] = value


def lavote_cases(general: Path) -> Iterator[Case]:
    election = (general / "election_data.json").read_bytes()
    releases = sorted((general / "releases").glob("*.json"))
    base, r10 = releases[0].read_bytes(), releases[10].read_bytes()

    def la(label: str, payload: bytes, definition: bytes = election, **how: Any) -> Case:
        return Case(label, "lavote", "release.json", base, payload, definition, **how)

    yield la("LA count 2^63", _json(r10, lambda t: _set(_first_cand(t), "Value", HUGE)))
    yield la("LA count 2^70", _json(r10, lambda t: _set(_first_cand(t), "Value", 2**70)))
    yield la("LA count 1e300", r10.replace(b'"Value":', b'"Value": 1e300, "Was":', 1))
    yield la("LA count 2^53+1", _json(r10, lambda t: _set(_first_cand(t), "Value", 2**53 + 1)))

    def write_ins(tree: Any) -> None:
        for row in [r for r in tree["Data"] if r["ReferenceType"].startswith("WRTN")][:2]:
            row["Value"] = 2**62 + 1

    yield la("LA write-ins summing past 2^63", _json(r10, write_ins))
    yield la(
        "LA feed time 12/31/9999",
        _json(r10, lambda t: _set(t, "TimeStamp", "12/31/9999 11:59:59 PM")),
    )
    yield la("LA deep ignored field", _deep(r10, lambda t, m: _set(t["Data"][0], "X", m)))
    yield la("LA duplicate key Value", _twice(r10, b'"Value":', b" 1,"))
    yield la("LA duplicate key Data", r10.replace(b"{", b'{"Data": [],', 1))

    yield la(
        "LA right-to-left override in a name",
        r10,
        _json(election, _spoof_la(23482)),
        expect="flagged",
        cli_only=True,
    )


def _spoof_la(candidate: int) -> Callable[[Any], None]:
    """Rename an LA candidate to ``U+202E NAMHCOH NAHTAN`` (reads "NATHAN HOCHMAN", F14)."""

    def change(tree: Any) -> None:
        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("ID") == candidate and "Name" in node:
                    node["Name"] = "\u202eNAMHCOH NAHTAN\u200b"
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(tree)

    return change


def clarity_cases(formats: Path) -> Iterator[Case]:
    county = (formats / "clarity" / "county.xml").read_bytes()
    later = county.replace(b"2:58:41 PM CST", b"3:30:00 PM CST")

    def clarity(label: str, payload: bytes, name: str = "detail.xml", **how: Any) -> Case:
        return Case(label, "clarity", name, county, payload, **how)

    yield clarity("Clarity feed time 12/31/9999", county.replace(b"11/13/2014", b"12/31/9999", 1))
    first_votes = later.index(b'votes="', later.index(b"<Choice "))
    end = later.index(b'"', first_votes + 7)
    yield clarity(
        "Clarity count 999,999,999,999,999",
        later[: first_votes + 7] + b"999999999999999" + later[end:],
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_LZMA) as zf:
        zf.writestr("detail.xml", later)
    damaged = bytearray(archive.getvalue())
    for i in range(60, 200, 7):
        damaged[i] ^= 0xFF
    yield clarity("Clarity corrupt LZMA zip member", bytes(damaged), "detailxml.zip")
    yield clarity(
        "Clarity right-to-left override in a name",
        later.replace(b'text="Tom Cotton"', 'text="\u202enottoC moT"'.encode(), 1),
        expect="flagged",
        cli_only=True,
    )


def ap_cases(formats: Path) -> Iterator[Case]:
    base = (formats / "ap" / "20121106_ak_prez.json").read_bytes()

    def bump(tree: Any, value: Any) -> None:
        tree["timestamp"] = "2016-06-24T19:00:00Z"
        tree["races"][0]["reportingUnits"][0]["candidates"][0]["voteCount"] = value

    yield Case("AP voteCount 2^63", "ap", "ap.json", base, _json(base, lambda t: bump(t, HUGE)))
    yield Case("AP voteCount 2^70", "ap", "ap.json", base, _json(base, lambda t: bump(t, 2**70)))
    yield Case(
        "AP duplicate key voteCount",
        "ap",
        "ap.json",
        base,
        _twice(_json(base, lambda t: bump(t, 5)), b'"voteCount":', b" 1000000,"),
    )
    yield Case(
        "AP deep ignored field", "ap", "ap.json", base, _deep(base, lambda t, m: _set(t, "x", m))
    )
    yield Case(
        "AP timestamp year 9999",
        "ap",
        "ap.json",
        base,
        _json(base, lambda t: _set(t, "timestamp", "9999-12-31T23:59:59Z")),
    )


def cdf_cases(report: bytes) -> Iterator[Case]:
    """Cases on a NIST CDF JSON report (racedesk's own export of a real Clarity file)."""

    def count(value: Any) -> Callable[[Any], None]:
        def change(tree: Any) -> None:
            tree["GeneratedDate"] = "2014-11-13T16:00:00-06:00"
            contest = tree["Election"][0]["Contest"][0]
            contest["ContestSelection"][0]["VoteCounts"][0]["Count"] = value

        return change

    def year_9999(tree: Any) -> None:
        tree["GeneratedDate"] = "9999-12-31T23:59:59-06:00"
        for e in tree.get("ExternalIdentifier", []):
            if e.get("OtherType") == "racedesk-feed-time":
                e["Value"] = "9999-12-31T23:59:59-06:00"

    def cdf(label: str, payload: bytes) -> Case:
        return Case(label, "cdf", "report.json", report, payload)

    yield cdf("CDF JSON Count 2^63", _json(report, count(HUGE)))
    yield cdf("CDF JSON Count 2^70", _json(report, count(2**70)))
    yield cdf("CDF JSON Count 1e300", _json(report, count(1e300)))
    yield cdf("CDF feed time year 9999", _json(report, year_9999))
    yield cdf("CDF JSON Count as a string", _json(report, count("123")))
    yield cdf("CDF JSON duplicate key Count", _twice(_json(report, count(5)), b'"Count":', b" 9,"))


def ets_cases(formats: Path) -> Iterator[Case]:
    base = (formats / "la-ets" / "0018nov18-mid.ets").read_bytes()
    later = base.replace(b"16:30 10/11/2018", b"16:45 10/11/2018", 1)
    cox = b"REP" + b" " * 32 + b"72,132"
    assert cox in later

    def ets(label: str, payload: bytes) -> Case:
        return Case(label, "ets", "results.ets", base, payload)

    yield ets(
        "ets count of 17 digits", later.replace(cox, b"REP" + b" " * 16 + b"99,999,999,999,999,999")
    )
    yield ets("ets feed time year 9999", base.replace(b"16:30 10/11/2018", b"16:30 10/11/9999", 1))


def cdf_report(formats: Path, *, xml: bool = False) -> bytes:
    """A NIST CDF report (JSON, or XML) of a real file: racedesk's export of Clarity's Arkansas
    2014."""
    from racedesk.publish import cdf_export
    from racedesk.sources import registry

    parsed = registry.read(str(formats / "clarity" / "county.xml"))
    write = cdf_export.to_xml if xml else cdf_export.to_json
    return write(parsed.election, parsed.releases[0])


def cdf_xml_cases(report: bytes) -> Iterator[Case]:
    later = report.replace(b"2014-11-13T14:58:41-06:00", b"2014-11-13T16:00:00-06:00")
    yield Case(
        "CDF XML Count 2^70",
        "cdf",
        "report.xml",
        report,
        later.replace(b"<Count>477734</Count>", f"<Count>{2**70}</Count>".encode(), 1),
    )


def corpus(shared_data: Path) -> list[Case]:
    """Every case, in a fixed order."""
    formats = shared_data / "formats"
    return [
        *lavote_cases(shared_data / "lavote" / "4324-2024-general"),
        *clarity_cases(formats),
        *ap_cases(formats),
        *cdf_cases(cdf_report(formats)),
        *cdf_xml_cases(cdf_report(formats, xml=True)),
        *ets_cases(formats),
    ]
