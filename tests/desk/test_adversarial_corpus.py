"""The adversarial corpus (issue 17, items 5 and 9): every bad payload of ``tests/adversarial.py``
through ``racedesk ingest`` and through ``POST …/releases``, on SQLite and PostgreSQL. Each gets
a typed error (exit 2 or a 4xx in the error shape, the bytes quarantined with their reason over
HTTP, nothing else stored) or a release with a flag, never a traceback or a 500; the run prints
"N inputs, N rejected cleanly, N accepted with a flag, 0 crashed".
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from typer.testing import CliRunner

from adversarial import Case, corpus
from racedesk.cli import app
from racedesk.desk import open_desk
from racedesk.publish.web.app import create_app
from racedesk.store import open_store

runner = CliRunner()
TOKEN = "corpus-token"


def _state(url: str) -> tuple[int, int, list[tuple[str, str]]]:
    """Releases stored, raw payloads kept and the quarantine (origin, reason) of a database."""
    with open_store(url) as store:
        releases = sum(len(store.releases(e.id)) for e in store.elections())
        quarantined = [(q.origin, q.reason) for q in store.quarantined()]
        return releases, len(quarantined), quarantined


def _cli(case: Case, tmp: Path, url: str) -> str:
    base = runner.invoke(app, ["ingest", str(case.write(tmp / "base", bad=False)), "--db", url])
    assert base.exit_code == 0, base.output
    before, _, _ = _state(url)
    ran = runner.invoke(app, ["ingest", str(case.write(tmp / "bad", bad=True)), "--db", url])
    if ran.exit_code not in (0, 2) or (ran.exception and not isinstance(ran.exception, SystemExit)):
        return f"crashed: exit {ran.exit_code} {ran.exception!r}"
    after, _, quarantined = _state(url)
    said = " ".join(ran.output.split())
    if ran.exit_code == 2:
        assert said.startswith("racedesk: ") and after == before, said
        return "rejected"
    if "refused" in said and after == before:
        assert quarantined and all(reason for _, reason in quarantined), quarantined
        return "rejected"
    flagged = "flagged: " in said or " 1 flagged" in said  # a name, or the release not used
    return "flagged" if flagged else "accepted"


def _http(case: Case, tmp: Path, url: str) -> str:
    base = runner.invoke(app, ["ingest", str(case.write(tmp / "base", bad=False)), "--db", url])
    assert base.exit_code == 0, base.output
    desk = open_desk(url)
    (election,) = desk.elections()  # a fresh database holds the base's election only
    before, kept, _ = _state(url)
    with TestClient(create_app(desk, token=TOKEN), raise_server_exceptions=False) as client:
        answer = client.post(
            f"/api/elections/{election.id}/releases",
            content=case.payload,
            headers={"Authorization": f"Bearer {TOKEN}"},
            params={"origin": case.label},
        )
    desk.store.close()
    if answer.status_code >= 500:
        return f"crashed: HTTP {answer.status_code} {answer.text[:200]}"
    after, now_kept, quarantined = _state(url)
    if answer.status_code >= 400:
        assert set(answer.json()) == {"error"} and answer.json()["error"]["problem"]
        assert after == before and now_kept == kept + 1, (after, now_kept)
        assert quarantined[-1][0] == case.label and quarantined[-1][1], quarantined
        return "rejected"
    doc = answer.json()
    return "flagged" if doc["problems"] or not doc["usable"] else "accepted"


def _figures(outcomes: dict[str, str]) -> str:
    tally = Counter("crashed" if o.startswith("crashed") else o for o in outcomes.values())
    return (
        f"{len(outcomes)} inputs, {tally['rejected']} rejected cleanly, {tally['flagged']} "
        f"accepted with a flag, {tally['crashed']} crashed"
    )


@pytest.mark.parametrize("path", ["cli", "http"])
def test_every_bad_payload_is_refused_or_flagged_never_crashes(
    path: str,
    db_url: str,
    shared_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cases = [c for c in corpus(shared_data) if path == "cli" or not c.cli_only]
    run = _cli if path == "cli" else _http
    outcomes: dict[str, str] = {}
    for k, case in enumerate(cases):
        with _fresh(db_url, tmp_path, k) as url:
            outcomes[case.label] = run(case, tmp_path / f"case{k}", url)
    with capsys.disabled():
        print(f"\n[{path}, {db_url.split(':', 1)[0]}] {_figures(outcomes)}")
    wrong = {c.label: outcomes[c.label] for c in cases if outcomes[c.label] != c.expect}
    assert not wrong, wrong


@contextmanager
def _fresh(like: str, tmp: Path, k: int) -> Iterator[str]:
    """An empty database of the kind of ``like`` for case ``k``: a file, or a schema."""
    if like.startswith("sqlite"):
        yield f"sqlite:///{tmp}/case{k}.sqlite"
        return
    base = like.split("?", 1)[0]
    admin = create_engine(base)
    schema = f"c_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def test_an_outstanding_list_with_one_bad_report_stores_none(
    db_url: str,
    general_2024: Path,
    tmp_path: Path,
) -> None:
    """F3: a good report and one of 2^70 ballots (or dated 9999) was half stored, then a 500."""
    folder = tmp_path / "feed"
    (folder / "releases").mkdir(parents=True)
    (folder / "election_data.json").write_bytes((general_2024 / "election_data.json").read_bytes())
    first = sorted((general_2024 / "releases").glob("*.json"))[0]
    (folder / "releases" / first.name).write_bytes(first.read_bytes())
    assert runner.invoke(app, ["ingest", str(folder), "--db", db_url]).exit_code == 0
    desk = open_desk(db_url)
    good = '{"as_of":"2024-12-05T10:00:00-08:00","total":777}'
    bad = (
        '{"as_of":"2024-12-05T11:00:00-08:00","total":1180591620717411303424}',
        '{"as_of":"9999-12-31T23:00:00-08:00","total":5}',
        '{"as_of":"2024-12-05T11:00:00-08:00","total":5,"breakdown":{"vbm":9223372036854775808}}',
    )
    with TestClient(create_app(desk, token=TOKEN), raise_server_exceptions=False) as client:
        for entry in bad:
            answer = client.post(
                "/api/elections/lavote:4324/outstanding",
                content=f"[{good},{entry}]",
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
            assert answer.status_code == 422, answer.text
            assert "$[1]" in answer.json()["error"]["where"]
    assert desk.store.outstanding("lavote:4324") == []
    desk.store.close()


def test_an_adapter_s_own_failure_is_a_typed_error_with_its_reason_kept(
    db_url: str,
    general_2024: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """F3: a crash inside an adapter kept the raw bytes with no quarantine reason and gave a
    traceback or a 500; any such failure is now an InputError, its reason kept with the bytes."""
    from racedesk.desk import Desk
    from racedesk.errors import InputError
    from racedesk.sources import lavote

    election, files = lavote.load_folder(general_2024)
    desk = Desk(open_store(db_url))
    desk.add_election(election)

    def broken(*_args: object, **_kwargs: object) -> object:
        raise OverflowError("Python int too large to convert to C long")

    monkeypatch.setattr(desk, "_reader", lambda _election: broken)
    with pytest.raises(InputError, match=r"could not be read \(OverflowError: Python int") as err:
        desk.ingest(election.id, files[0][1], origin="r0.json")
    assert err.value.where == "r0.json"
    (kept,) = desk.store.quarantined()
    assert kept.origin == "r0.json" and "OverflowError" in kept.reason
    assert desk.releases(election.id) == []
    desk.store.close()


def test_a_list_of_outstanding_reports_is_kept_in_one_transaction(
    db_url: str,
    general_2024: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """F3's half write: a failure while keeping the second report of a list keeps none."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from racedesk.desk import Desk
    from racedesk.model import OutstandingReport
    from racedesk.sources import lavote
    from racedesk.store import codec

    election, _ = lavote.load_folder(general_2024)
    desk = Desk(open_store(db_url))
    desk.add_election(election)
    la = ZoneInfo("America/Los_Angeles")
    good, second = (
        OutstandingReport(as_of=datetime(2024, 12, 5, h, tzinfo=la), total=t)
        for h, t in ((10, 777), (11, 500))
    )
    real_row = codec.report_row

    def failing(election_id: str, report: OutstandingReport) -> object:
        if report is second:
            raise OSError("the disk is full")
        return real_row(election_id, report)

    monkeypatch.setattr(codec, "report_row", failing)
    with pytest.raises(OSError):
        desk.add_outstanding_reports(election.id, [good, second])
    assert desk.store.outstanding(election.id) == []
    monkeypatch.setattr(codec, "report_row", real_row)
    assert desk.add_outstanding_reports(election.id, [good, second]) == 2
    assert desk.add_outstanding_reports(election.id, [good]) == 0
    assert [r.total for r in desk.store.outstanding(election.id)] == [777, 500]
    desk.store.close()
