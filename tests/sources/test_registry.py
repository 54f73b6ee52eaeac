"""Picking the adapter: explicit format, scheme, file name, then the bytes."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from pathlib import Path

import msgspec
import pytest

from racedesk.errors import InputError
from racedesk.model import sha256_hex
from racedesk.settings import REPO_ROOT
from racedesk.sources import ap, clarity, ets, lavote, openelections, registry
from racedesk.sources.loader import load_canvasses

SAMPLES = {
    "clarity/county.xml": "clarity",
    "clarity/precinct.xml": "clarity",
    "ap/20121106_ak_prez.json": "ap",
    "ap/20151103_national.json": "ap",
    "ap/20160201_district_results.json": "ap",
    "la-ets/2798mar20.ets": "ets",
    "la-ets/0018nov18-end.ets": "ets",
    "openelections/20201103__ca__general__county.csv": "openelections",
    "openelections/20200303__ca__primary__amador__precinct.csv": "openelections",
}


@pytest.fixture(scope="module")
def formats(shared_data: Path) -> Path:
    path = shared_data / "formats"
    if not path.is_dir():
        pytest.skip(f"format samples not found at {path}")
    return path


@pytest.mark.parametrize(("sample", "name"), sorted(SAMPLES.items()))
def test_every_sample_is_recognized_by_name_and_by_its_bytes(
    formats: Path, sample: str, name: str
) -> None:
    path = formats / sample
    data = path.read_bytes()
    assert name == registry.adapter_for(str(path), data).NAME
    # Under a name that says nothing, the bytes decide (OpenElections by its header).
    assert name == registry.adapter_for("upload", data).NAME
    parsed = registry.read(str(path))
    assert parsed.election.source == name
    assert len(parsed.releases) == 1


def test_compressed_payloads_are_looked_into(formats: Path) -> None:
    data = (formats / "clarity" / "precinct.xml").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("detail.xml", data)
    assert registry.adapter_for("download", buf.getvalue()).NAME == "clarity"
    assert registry.adapter_for("download", gzip.compress(data)).NAME == "clarity"
    assert registry.adapter_for("detailxml.zip").NAME == "clarity"
    payload = gzip.compress((formats / "ap" / "20121106_ak_prez.json").read_bytes())
    assert registry.adapter_for("download", payload).NAME == "ap"


def test_an_explicit_format_and_aliases_win() -> None:
    assert registry.adapter_for("results.csv", b"", fmt="ap") is ap
    assert registry.adapter_for("x", None, fmt="ENR") is clarity
    assert registry.adapter_for("x", None, fmt="oe") is openelections
    assert registry.adapter_for("x", None, fmt="la-ets") is ets
    assert registry.adapter_for("x", None, fmt="cdf-json").NAME == "cdf"
    assert registry.format_name("nist") == "cdf"
    with pytest.raises(InputError, match="unknown format 'pdf'"):
        registry.adapter_for("x", None, fmt="pdf")


def test_schemes_name_the_format() -> None:
    assert registry.adapter_for("lavote:4324").NAME == "lavote"
    assert (
        registry.adapter_for("clarity:https://results.enr.clarityelections.com/KY/Adair/15263/")
        is clarity
    )
    assert registry.adapter_for("cdf:report.xml").NAME == "cdf"
    assert registry.split_scheme("clarity:https://x/1/") == ("clarity", "https://x/1/")
    assert registry.split_scheme("https://x/detail.xml") == (None, "https://x/detail.xml")
    assert registry.split_scheme("C:\\results\\detail.xml")[0] is None
    assert (
        registry.adapter_for(
            "https://results.enr.clarityelections.com/GA/1/2/reports/detailxml.zip"
        )
        is clarity
    )


def test_the_la_feed_folder_and_its_election_file(general_2024: Path) -> None:
    assert registry.adapter_for(str(general_2024)) is lavote
    parsed = registry.read(str(general_2024))
    assert parsed.election.id == "lavote:4324"
    assert len(parsed.releases) == len(list((general_2024 / "releases").glob("*.json")))
    election_file = general_2024 / "election_data.json"
    assert registry.adapter_for(str(election_file)) is lavote
    only = registry.read(str(election_file))
    assert only.election == parsed.election and only.releases == ()
    release = sorted((general_2024 / "releases").glob("*.json"))[-1]
    assert registry.adapter_for("upload", release.read_bytes()) is lavote
    with pytest.raises(InputError) as err:
        registry.read(str(release), fmt="lavote")
    assert "without its election" in err.value.problem and err.value.hint


def test_unknown_sources_say_how_to_name_the_format(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        registry.adapter_for("notes.txt", b"just some words")
    assert err.value.where == "notes.txt"
    assert "--format" in err.value.hint
    with pytest.raises(InputError, match="not a clarity file"):
        registry.read(str(tmp_path), fmt="clarity")


def test_the_examples_in_docs_formats_run(
    formats: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (REPO_ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    examples = re.findall(r"```python\n(.*?)```\n\nprints\n\n```text\n(.*?)```", text, re.DOTALL)
    assert len(examples) == 2
    namespace: dict[str, object] = {}
    for code, printed in examples:
        exec(compile(code, "docs/formats.md", "exec"), namespace)
        assert capsys.readouterr().out == printed


@pytest.mark.parametrize(("sample", "name"), sorted(SAMPLES.items()))
def test_every_adapter_reads_an_election_and_a_release_of_it(
    formats: Path, sample: str, name: str
) -> None:
    path = formats / sample
    data = path.read_bytes()
    adapter = registry.adapter_for(str(path), data)
    election = adapter.read_election(data, str(path))
    assert election == adapter.parse(data, where=str(path)).election
    assert registry.adapter_of(election) is adapter
    release = adapter.read_release(data, election, where=str(path))
    assert release.content_hash == sha256_hex(data)
    carried = adapter.read_release(data, election, where=str(path), content_hash="c" * 64)
    assert carried.content_hash == "c" * 64  # the caller's hash is carried, not made again
    read = adapter.release_reader(election)
    assert read(data, where=str(path)).contests == release.contests
    assert adapter.feed_folder(formats) is None
    other = msgspec.structs.replace(election, id=f"{name}:another")
    with pytest.raises(InputError, match="is for election"):
        adapter.read_release(data, other, where=str(path))


def test_the_la_feed_reads_its_releases_with_one_index_per_election(general_2024: Path) -> None:
    folder = lavote.feed_folder(general_2024)
    assert folder is not None and folder.election == general_2024 / "election_data.json"
    election = lavote.read_election(folder.election.read_bytes(), str(folder.election))
    read = lavote.release_reader(election)
    first, last = folder.releases[0], folder.releases[-1]
    for path in (first, last, first):
        data = path.read_bytes()
        by_reader = read(data, where=path.name, content_hash="c" * 64)
        alone = lavote.read_release(data, election, where=path.name)
        assert by_reader.contests == alone.contests
        assert by_reader.content_hash == "c" * 64 and alone.content_hash == sha256_hex(data)


def test_a_folder_canvass_carries_each_payloads_hash(general_2024: Path) -> None:
    (canvass,) = load_canvasses(str(general_2024))
    assert len(canvass.payloads) == len(canvass.releases) == 32
    for release, raw in zip(canvass.releases, canvass.payloads, strict=True):
        assert raw is not None and raw.content_hash == release.content_hash
        assert raw.content_hash == sha256_hex(raw.data)
        assert raw.origin.endswith(".json") and raw.source == "lavote"
