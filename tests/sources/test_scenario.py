"""The bundled 2020 District Attorney scenario, checked against the shared facts, and the
scenario format's validation."""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import racedesk
from racedesk.errors import InputError, UnknownReferenceError
from racedesk.model import OutstandingReport, Release
from racedesk.sources.outstanding import load_reports
from racedesk.sources.scenario import ScenarioElection, canonical, load_scenario

LA = ZoneInfo("America/Los_Angeles")
BUNDLED = Path(racedesk.__file__).parent / "data" / "scenarios" / "la-da-2020.json"
NAMES = {"lacey": "lacey_votes", "gascon": "gascon_votes", "rossi": "rossi_votes"}


@pytest.fixture(scope="module")
def scenario() -> list[ScenarioElection]:
    return load_scenario(BUNDLED)


@pytest.fixture(scope="module")
def primary(scenario: list[ScenarioElection]) -> ScenarioElection:
    return scenario[0]


@pytest.fixture(scope="module")
def general(scenario: list[ScenarioElection]) -> ScenarioElection:
    return scenario[1]


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return json.loads(BUNDLED.read_bytes())


@pytest.fixture(scope="module")
def news_rows(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / "news" / "la-da-2020-reported-updates.csv"
    if not path.is_file():
        pytest.skip(f"the 2020 DA updates are not at {path}")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def report_rows(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / "lavote" / "outstanding-reports.csv"
    if not path.is_file():
        pytest.skip(f"the outstanding reports are not at {path}")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def canvass_notes(shared_data: Path) -> str:
    path = shared_data.parent / "domain" / "california-canvass.md"
    if not path.is_file():
        pytest.skip(f"the domain notes are not at {path}")
    return path.read_text(encoding="utf-8")


def da(release: Release) -> dict[str, int]:
    count = release.count("district-attorney")
    assert count is not None
    return count.votes


def latest_report(item: ScenarioElection, when: datetime) -> OutstandingReport | None:
    known = [r for r in item.reports if r.as_of <= when and r.total is not None]
    return known[-1] if known else None


# --- the bundled file ---------------------------------------------------------------------------


def test_the_bundled_scenario_holds_the_primary_and_the_general(
    primary: ScenarioElection, general: ScenarioElection
) -> None:
    assert primary.election.id == "scenario:la-da-2020-primary"
    assert (primary.election.date, primary.election.kind) == (date(2020, 3, 3), "primary")
    assert general.election.id == "scenario:la-da-2020-general"
    assert (general.election.date, general.election.kind) == (date(2020, 11, 3), "general")
    p_rule = primary.election.contest("district-attorney").rule
    assert (p_rule.kind, p_rule.seats, p_rule.advance) == ("majority_or_runoff", 1, 2)
    g_rule = general.election.contest("district-attorney").rule
    assert (g_rule.kind, g_rule.seats) == ("plurality", 1)
    assert [c.name for c in primary.election.contests[0].choices] == [
        "Jackie Lacey",
        "George Gascón",
        "Rachel Rossi",
    ]
    assert [len(primary.releases), len(general.releases)] == [4, 4]
    for item in (primary, general):
        times = [r.feed_time for r in item.releases]
        assert times == sorted(times) and len(set(times)) == len(times)
        assert all(r.election_id == item.election.id for r in item.releases)


def test_registration_is_sourced_or_left_empty(
    primary: ScenarioElection, general: ScenarioElection
) -> None:
    assert general.election.registration == 5_709_853
    assert primary.election.registration is None
    assert "no registration figure" in primary.registration_note


def test_every_counted_update_of_the_news_csv_is_a_release(
    primary: ScenarioElection, general: ScenarioElection, news_rows: list[dict[str, str]]
) -> None:
    counted = [row for row in news_rows if row["lacey_votes"]]
    assert len(counted) == 6
    for row in counted:
        item = primary if row["election"].endswith("primary") else general
        matches = [e for e in item.entries if all(
            str(v) == row[NAMES[k]] for k, v in da(e.release).items()
        )]  # fmt: skip
        assert len(matches) == 1, row
        entry = matches[0]
        assert entry.source == row["source_url"]
        assert entry.release.feed_time.date().isoformat() == row["as_of_local"][:10]
        votes = da(entry.release)
        total = sum(votes.values())
        for key, column in (
            ("lacey", "lacey_pct"),
            ("gascon", "gascon_pct"),
            ("rossi", "rossi_pct"),
        ):
            if row[column]:
                # pages round their shares; WitnessLA's Mar 20 shares (48.71, 28.20, 23.09) are
                # 0.02-0.03 points off its own counts (48.74, 28.18, 23.07)
                assert 100 * votes[key] / total == pytest.approx(float(row[column]), abs=0.04)
        if row["lead_votes"]:
            assert abs(votes["gascon"] - votes["lacey"]) == int(row["lead_votes"])
    # the other releases are the finals of the domain notes; percent-only updates are notes
    unofficial = [
        e for item in (primary, general) for e in item.entries if e.release.status == "unofficial"
    ]
    assert len(unofficial) == len(counted)
    percent_only = [row for row in news_rows if not row["lacey_votes"]]
    note_sources = {n.source for item in (primary, general) for n in item.notes}
    assert {row["source_url"] for row in percent_only} <= note_sources


def test_the_finals_are_the_domain_notes_figures(
    primary: ScenarioElection, general: ScenarioElection, canvass_notes: str
) -> None:
    def figure(pattern: str) -> int:
        found = re.search(pattern, canvass_notes)
        assert found, pattern
        return int(found.group(1).replace(",", ""))

    primary_final = da(primary.releases[-1])
    assert (
        primary_final
        == {
            "lacey": figure(r"final \(one source\): Lacey ([\d,]+)"),
            "gascon": figure(r"final \(one source\): Lacey [\d,]+ \([\d.]+%\), Gascón ([\d,]+)"),
            "rossi": figure(r"final \(one source\):.*?Rossi ([\d,]+)"),
        }
        == {"lacey": 869_127, "gascon": 504_088, "rossi": 413_231}
    )
    general_final = general.releases[-1]
    assert (
        da(general_final)
        == {
            "gascon": figure(r"certified Nov 30 \(2\): Gascón ([\d,]+)"),
            "lacey": figure(r"certified Nov 30 \(2\):.*?Lacey ([\d,]+)"),
        }
        == {"gascon": 2_002_865, "lacey": 1_738_617}
    )
    assert general_final.status == "certified"
    assert general_final.feed_time.date() == date(2020, 11, 30)
    assert (
        general_final.ballots_counted == figure(r"([\d,]+) ballots, [\d,]+ registered") == 4_338_191
    )
    assert general.election.registration == figure(r"[\d,]+ ballots, ([\d,]+) registered")


def test_the_reports_are_the_registrar_s_2020_estimates(
    primary: ScenarioElection,
    general: ScenarioElection,
    report_rows: list[dict[str, str]],
    shared_data: Path,
) -> None:
    for item in (primary, general):
        day = item.election.date.isoformat()
        rows = sorted(
            (r for r in report_rows if r["election_date"] == day), key=lambda r: r["as_of"]
        )
        assert len(item.reports) == len(rows) == 6
        for report, row in zip(item.reports, rows, strict=True):
            assert report.as_of == datetime.fromisoformat(row["as_of"]).replace(tzinfo=LA)
            assert report.total == (int(row["total"]) if row["total"] else None)
            assert report.breakdown == {
                k: int(row[k]) for k in ("vbm", "cvr", "provisional", "other") if row[k]
            }
            assert report.counted_so_far == (
                int(row["counted_so_far"]) if row["counted_so_far"] else None
            )
            assert report.source == row["source_url"]
            assert report.note.startswith(row["note"])
        # the same reports a user gets with --outstanding outstanding-reports.csv
        csv_path = shared_data / "lavote" / "outstanding-reports.csv"
        assert list(item.reports) == load_reports(csv_path, item.election.date)


def test_ballots_counted_where_a_source_gives_them(
    primary: ScenarioElection, general: ScenarioElection, report_rows: list[dict[str, str]]
) -> None:
    mar20 = next(r for r in report_rows if r["as_of"] == "2020-03-20T17:00")
    assert primary.releases[2].ballots_counted == int(mar20["counted_so_far"]) == 2_101_601
    assert primary.entries[2].release.feed_time == datetime(2020, 3, 20, 17, 0, tzinfo=LA)
    with_counts = [
        r.feed_time.date()
        for item in (primary, general)
        for r in item.releases
        if r.ballots_counted
    ]
    assert with_counts == [date(2020, 3, 20), date(2020, 11, 30)]


# --- what the demo shows ----------------------------------------------------------------------


def test_lacey_is_above_half_on_primary_night(primary: ScenarioElection) -> None:
    semi_official = primary.releases[1]
    votes = da(semi_official)
    share = Fraction(votes["lacey"], sum(votes.values()))
    assert share > Fraction(1, 2)
    assert round(float(share) * 100, 2) == 50.69
    assert semi_official.feed_time == datetime(2020, 3, 4, 6, 0, tzinfo=LA)
    assert latest_report(primary, semi_official.feed_time) is None  # ballots left unknown then


def test_the_runoff_becomes_certain(primary: ScenarioElection) -> None:
    """The leader needs t = (½(V + R) − v_L)/R of the R ballots left for a majority
    (calls-and-hurdles.md); t > 1 makes the runoff certain."""
    update = primary.releases[2]
    votes = da(update)
    report = latest_report(primary, update.feed_time)
    assert report is not None and report.total == 20_100
    total = sum(votes.values())
    needed = (Fraction(total + report.total, 2) - votes["lacey"]) / report.total
    assert needed > 1
    assert float(needed) == pytest.approx(1.6087, abs=1e-4)
    final = da(primary.releases[-1])
    assert Fraction(final["lacey"], sum(final.values())) < Fraction(1, 2)
    top_two = sorted(final, key=final.__getitem__, reverse=True)[:2]
    assert top_two == ["lacey", "gascon"]


def test_on_nov_5_lacey_needs_about_two_thirds_of_the_ballots_left(
    general: ScenarioElection,
) -> None:
    """Two-way hurdle (D + R)/(2R) with R the registrar's 791,200 (calls-and-hurdles.md)."""
    update = general.releases[1]
    votes = da(update)
    assert votes == {"gascon": 1_655_481, "lacey": 1_426_459}
    report = latest_report(general, update.feed_time)
    assert report is not None and report.total == 791_200
    lead = votes["gascon"] - votes["lacey"]
    assert lead == 229_022
    needed = Fraction(lead + report.total, 2 * report.total)
    assert 0.64 <= needed <= 0.66
    assert round(float(needed), 4) == 0.6447


# --- every number has a source ------------------------------------------------------------------


def numbers(node: Any, path: str = "$") -> Iterator[tuple[str, list[Any], str]]:
    """Every number in the document: (path, the objects enclosing it, its key)."""
    stack: list[Any] = []

    def walk(value: Any, at: str, key: str) -> Iterator[tuple[str, list[Any], str]]:
        if isinstance(value, bool):
            return
        if isinstance(value, int | float):
            yield at, list(stack), key
        elif isinstance(value, dict):
            stack.append(value)
            for k, v in value.items():
                yield from walk(v, f"{at}.{k}", k)
            stack.pop()
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, f"{at}[{i}]", key)

    yield from walk(node, path, "")


def citations(node: Any) -> Iterator[tuple[str, str]]:
    """Every (key, value) of the document whose key names a source."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "source" or k.endswith("_source"):
                yield k, v
            else:
                yield from citations(v)
    elif isinstance(node, list):
        for v in node:
            yield from citations(v)


def test_every_number_in_the_file_cites_a_source(raw: dict[str, Any], report_rows: list[dict[str, str]],
                                                   news_rows: list[dict[str, str]]) -> None:  # fmt: skip
    sources = raw["sources"]
    cited: set[str] = set()
    found = list(numbers(raw["elections"]))
    assert len(found) > 50
    for path, enclosing, key in found:
        if key in ("ballots_counted", "registration"):
            citation = enclosing[-1].get(f"{key}_source")
        else:
            citation = next((o["source"] for o in reversed(enclosing) if "source" in o), None)
        assert citation in sources, f"{path} has no source"
        cited.add(citation)
    for key, src in sources.items():
        assert src.get("url", "").startswith("http") or src.get("reference"), key
    # every web address is one of the shared data's, or the law's
    shared_urls = {r["source_url"] for r in report_rows} | {r["source_url"] for r in news_rows}
    for key, src in sources.items():
        url = src.get("url")
        if url:
            assert url in shared_urls or url.startswith("https://leginfo.legislature.ca.gov/"), key
    # and every source backs something
    used = {v for _, v in citations(raw["elections"])}
    assert used <= set(sources)
    assert used == set(sources)


# --- the format -----------------------------------------------------------------------------------


def test_content_hashes_are_the_canonical_release_parts(
    scenario: list[ScenarioElection], raw: dict[str, Any]
) -> None:
    hashes = []
    for item, spec in zip(scenario, raw["elections"], strict=True):
        for entry, part in zip(item.entries, spec["releases"], strict=True):
            assert entry.payload == canonical(part)
            assert (
                entry.payload
                == json.dumps(
                    part, sort_keys=True, separators=(",", ":"), ensure_ascii=False
                ).encode()
            )
            assert entry.release.content_hash == hashlib.sha256(entry.payload).hexdigest()
            hashes.append(entry.release.content_hash)
    assert len(set(hashes)) == len(hashes) == 8
    # the same from bytes; re-indenting the file changes nothing; one changed vote changes one hash
    again = load_scenario(json.dumps(raw).encode(), where="copy.json")
    assert [r.content_hash for s in again for r in s.releases] == hashes
    changed = copy.deepcopy(raw)
    changed["elections"][1]["releases"][2]["contests"][0]["votes"]["lacey"] += 1
    after = [
        r.content_hash for s in load_scenario(json.dumps(changed).encode()) for r in s.releases
    ]
    assert [a == b for a, b in zip(after, hashes, strict=True)].count(False) == 1
    assert after[6] != hashes[6]


def test_times_without_a_zone_are_los_angeles_time(
    primary: ScenarioElection, general: ScenarioElection
) -> None:
    assert primary.releases[0].feed_time.utcoffset() == timedelta(hours=-8)
    assert primary.releases[2].feed_time.utcoffset() == timedelta(
        hours=-7
    )  # daylight time from Mar 8
    assert general.releases[2].feed_time == datetime(2020, 11, 10, 17, 0, tzinfo=LA)
    assert general.releases[0].received_at == general.releases[0].feed_time


def _mutate(raw: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(raw)
    *parents, last = re.findall(r"[^.\[\]]+", path)
    node: Any = doc
    for p in parents:
        node = node[int(p)] if p.isdigit() else node[p]
    key: Any = int(last) if last.isdigit() else last
    if value is _DELETE:
        del node[key]
    else:
        node[key] = value
    return doc


_DELETE = object()
R0 = "elections.0.releases.0"


@pytest.mark.parametrize(
    ("path", "value", "where", "problem"),
    [
        ("format", "racedesk.scenario/9", "$.format", "this racedesk reads"),
        (
            f"{R0}.contests.0.votes.lacey",
            -1,
            "$.elections[0].releases[0].contests[0].votes.lacey",
            "is negative",
        ),
        (
            f"{R0}.contests.0.votes.lacey",
            12.5,
            "$.elections[0].releases[0].contests[0].votes.lacey",
            "not a whole number",
        ),
        (
            f"{R0}.contests.0.votes.smith",
            5,
            "$.elections[0].releases[0].contests[0].votes.smith",
            "not in contest",
        ),
        (
            f"{R0}.contests.0.votes.rossi",
            _DELETE,
            "$.elections[0].releases[0].contests[0].votes",
            "no votes for rossi",
        ),
        (
            f"{R0}.contests.0.contest",
            "sheriff",
            "$.elections[0].releases[0].contests[0].contest",
            "not in election",
        ),
        (f"{R0}.contests", [], "$.elections[0].releases[0].contests", "no counts for contest"),
        (f"{R0}.source", "a-blog", "$.elections[0].releases[0].source", "not in $.sources"),
        (f"{R0}.source", _DELETE, "$.elections[0].releases[0]", "missing required field `source`"),
        (f"{R0}.votes", {}, "$.elections[0].releases[0]", "unknown field `votes`"),
        (
            f"{R0}.feed_time",
            "2020-03-04T07:00",
            "$.elections[0].releases[1].feed_time",
            "not after the previous",
        ),
        (
            f"{R0}.feed_time",
            "March 3",
            "$.elections[0].releases[0].feed_time",
            "cannot read the time",
        ),
        (
            f"{R0}.ballots_counted",
            1000,
            "$.elections[0].releases[0].ballots_counted_source",
            "needs a ballots_counted_source",
        ),
        (
            "elections.0.registration",
            5_500_000,
            "$.elections[0].registration_source",
            "needs a registration_source",
        ),
        ("elections.1.id", "scenario:la-da-2020-primary", "$.elections[1].id", "appears twice"),
        ("elections.1.id", "la-da-2020-general", "$.elections[1].id", "SOURCE:ID"),
        ("elections.1.date", "Nov 3", "$.elections[1].date", "cannot read the date"),
        ("elections.1.kind", "runoff", "$.elections[1].kind", "Invalid enum value 'runoff'"),
        ("elections.1.timezone", "Mars/Olympus", "$.elections[1].timezone", "unknown time zone"),
        (
            "elections.0.contests.0.rule.advance",
            0,
            "$.elections[0].contests[0].rule.advance",
            "needs advance",
        ),
        (
            "elections.0.contests.0.rule.kind",
            "measure",
            "$.elections[0].contests[0].rule.threshold",
            "needs a threshold",
        ),
        (
            "elections.0.contests.0.rule.source",
            _DELETE,
            "$.elections[0].contests[0].rule",
            "missing required field `source`",
        ),
        (
            "elections.0.contests.0.choices.1.id",
            "lacey",
            "$.elections[0].contests[0].choices",
            "appears twice",
        ),
        (
            "elections.1.outstanding.1.breakdown.vbm",
            900_000,
            "$.elections[1].outstanding[1].breakdown",
            "exceeds the total",
        ),
        ("elections.1.outstanding.1.total", -1, "$.elections[1].outstanding[1].total", ">= 0"),
        (
            "elections.1.outstanding.1.source",
            "nowhere",
            "$.elections[1].outstanding[1].source",
            "not in $.sources",
        ),
        (
            "elections.1.outstanding.1.source",
            _DELETE,
            "$.elections[1].outstanding[1].source",
            "needs a source",
        ),
        (
            "elections.1.notes.0.source",
            "nowhere",
            "$.elections[1].notes[0].source",
            "not in $.sources",
        ),
        (
            "sources.canvass-notes.reference",
            _DELETE,
            "$.sources.canvass-notes",
            "needs a url or a reference",
        ),
        ("sources.ec-8140.url", "leginfo", "$.sources.ec-8140.url", "not a web address"),
        ("elections", [], "$.elections", "no elections"),
    ],
)
def test_bad_scenarios_name_the_file_and_field(
    raw: dict[str, Any], path: str, value: Any, where: str, problem: str
) -> None:
    data = json.dumps(_mutate(raw, path, value)).encode()
    with pytest.raises(InputError) as err:
        load_scenario(data, where="bad.json")
    assert err.value.where == f"bad.json, {where}"
    assert problem in err.value.problem


def test_unknown_references_are_their_own_error(raw: dict[str, Any]) -> None:
    data = json.dumps(_mutate(raw, f"{R0}.contests.0.votes.smith", 5)).encode()
    with pytest.raises(UnknownReferenceError):
        load_scenario(data)


def test_a_report_for_another_election_is_refused(raw: dict[str, Any]) -> None:
    data = json.dumps(
        _mutate(raw, "elections.1.outstanding.0.election_date", "2020-03-03")
    ).encode()
    with pytest.raises(InputError) as err:
        load_scenario(data, where="bad.json")
    assert err.value.where == "bad.json, $.elections[1].outstanding[0].election_date"


def test_truncated_and_missing_files(tmp_path: Path) -> None:
    data = BUNDLED.read_bytes()
    with pytest.raises(InputError) as err:
        load_scenario(data[: len(data) // 2], where="cut.json")
    assert err.value.where == "cut.json"
    assert "not valid JSON" in err.value.problem
    missing = tmp_path / "none.json"
    with pytest.raises(InputError) as err:
        load_scenario(missing)
    assert err.value.where == str(missing)


# --- the documentation ----------------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario.md"


def test_the_documented_tables_are_the_file_s_releases(
    primary: ScenarioElection, general: ScenarioElection
) -> None:
    rows = re.findall(
        r"^\| (20\d\d-\d\d-\d\d \d\d:\d\d) \| ([^|]+) \|((?: +[\d,]+ \|)+)", DOC.read_text(), re.M
    )
    assert len(rows) == 8
    documented = [
        (when, label.strip(), [int(v.replace(",", "")) for v in re.findall(r"[\d,]+", counts)])
        for when, label, counts in rows
    ]
    actual = [
        (
            f"{e.release.feed_time:%Y-%m-%d %H:%M}",
            e.label,
            [da(e.release)[c.id] for c in item.election.contests[0].choices],
        )
        for item in (primary, general)
        for e in item.entries
    ]
    assert documented == actual


def test_the_documented_hurdles_are_the_computed_ones(
    primary: ScenarioElection, general: ScenarioElection
) -> None:
    text = DOC.read_text()
    mar20 = da(primary.releases[2])
    left = latest_report(primary, primary.releases[2].feed_time)
    assert left is not None and left.total is not None
    needed = (Fraction(sum(mar20.values()) + left.total, 2) - mar20["lacey"]) / left.total
    assert f"{sum(mar20.values()):,} votes counted" in text
    assert f"{left.total:,} ballots left" in text
    assert f"= {float(needed):.0%} of them" in text
    nov5 = da(general.releases[1])
    left = latest_report(general, general.releases[1].feed_time)
    assert left is not None and left.total is not None
    lead = nov5["gascon"] - nov5["lacey"]
    assert f"a lead of {lead:,} with {left.total:,} ballots" in text
    assert f"(D + R)/(2R) = {float(Fraction(lead + left.total, 2 * left.total)):.2%}" in text
    night = da(primary.releases[1])
    assert f"{night['lacey']:,} of {sum(night.values()):,} votes" in text
    assert f"{night['lacey'] / sum(night.values()):.2%}" in text


def test_a_day_s_estimate_comes_with_or_after_that_day_s_release(
    scenario: list[ScenarioElection],
) -> None:
    """An estimate counts from the release at or before it, so a release never falls after the
    estimate published with it on the same day."""
    pairs = 0
    for item in scenario:
        for release in item.releases:
            same_day = [r for r in item.reports if r.as_of.date() == release.feed_time.date()]
            for report in same_day:
                assert release.feed_time <= report.as_of
                pairs += 1
    assert pairs == 4  # Mar 20, Nov 4 (night release, evening estimate), Nov 5, Nov 10
