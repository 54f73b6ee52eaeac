"""Check NIST SP 1500-100 v2 reports against the standard's own schemas.

XML is validated against the XSD with lxml; JSON against the JSON Schema (draft-04) with
fastjsonschema. The schemas are found, in order: in the folder passed in; in the copies shipped
with racedesk (``racedesk/data/cdf/``, NIST's v2.0.3 files unchanged); in
``<shared data>/formats/nist-1500-100/`` (:func:`racedesk.settings.shared_data_dir`).

Both checks answer with a list of problems in words (empty when the report is valid), so that
the CLI can print them; :func:`validate` raises :class:`InvalidReport` instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import fastjsonschema
import msgspec
from lxml import etree

from racedesk.errors import ConfigError, InputError, RacedeskError
from racedesk.settings import shared_data_dir
from racedesk.sources import safety

XSD_NAME = "NIST_V2_election_results_reporting.xsd"
JSON_SCHEMA_NAME = "NIST_V2_election_results_reporting.json"
PACKAGED = Path(__file__).resolve().parent.parent / "data" / "cdf"

Kind = Literal["xml", "json"]


class InvalidReport(RacedeskError):
    """A report that the standard's schema rejects; ``problem`` holds the first reasons."""


def schema_dir(folder: Path | str | None = None) -> Path:
    """The folder holding both schema files (see the module docstring for the search order)."""
    candidates = (
        [Path(folder)]
        if folder is not None
        else [PACKAGED, shared_data_dir() / "formats" / "nist-1500-100"]
    )
    for path in candidates:
        if (path / XSD_NAME).is_file() and (path / JSON_SCHEMA_NAME).is_file():
            return path
    raise ConfigError(
        f"the NIST SP 1500-100 schemas ({XSD_NAME}, {JSON_SCHEMA_NAME}) are not there",
        where=", ".join(str(p) for p in candidates),
    )


@functools.lru_cache(maxsize=4)
def _xml_schema(folder: Path) -> etree.XMLSchema:
    parser = safety.xml_parser()
    return etree.XMLSchema(etree.parse(str(folder / XSD_NAME), parser))


@functools.lru_cache(maxsize=4)
def _json_validator(folder: Path) -> Callable[[Any], Any]:
    schema = msgspec.json.decode((folder / JSON_SCHEMA_NAME).read_bytes())
    return fastjsonschema.compile(schema)


def xml_problems(data: bytes, folder: Path | str | None = None, *, limit: int = 20) -> list[str]:
    """What the XSD finds wrong with an XML report (at most ``limit``), with line numbers."""
    schema = _xml_schema(schema_dir(folder))
    try:
        root = safety.parse_xml(data, "CDF XML report")
    except InputError as exc:
        return [exc.message]
    if schema.validate(root.getroottree()):
        return []
    return [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:limit]]


def json_problems(data: bytes | Any, folder: Path | str | None = None) -> list[str]:
    """What the JSON Schema finds wrong with a JSON report (bytes, or the decoded tree).

    fastjsonschema stops at the first problem, so the list holds one at most.
    """
    validator = _json_validator(schema_dir(folder))
    if isinstance(data, bytes | bytearray):
        try:
            data = msgspec.json.decode(data)
        except msgspec.DecodeError as exc:
            return [f"not JSON: {exc}"]
    try:
        validator(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        return [f"{exc.name}: {exc.message}"]
    return []


def problems(data: bytes, kind: Kind, folder: Path | str | None = None) -> list[str]:
    """The schema's problems with a report of the given kind (``"xml"`` or ``"json"``)."""
    return xml_problems(data, folder) if kind == "xml" else json_problems(data, folder)


def validate(data: bytes, kind: Kind, folder: Path | str | None = None) -> None:
    """Raise :class:`InvalidReport` when the report breaks the standard's schema."""
    found = problems(data, kind, folder)
    if found:
        raise InvalidReport(
            "; ".join(found[:5]) + (f" (and {len(found) - 5} more)" if len(found) > 5 else ""),
            where=f"NIST CDF {kind.upper()} report",
        )


__all__ = [
    "JSON_SCHEMA_NAME",
    "PACKAGED",
    "XSD_NAME",
    "InvalidReport",
    "json_problems",
    "problems",
    "schema_dir",
    "validate",
    "xml_problems",
]
