"""The registrar's outstanding-ballot reports, CSV and JSON, on the shared 2020 and 2024 figures."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from racedesk.errors import InputError
from racedesk.model import OutstandingReport
from racedesk.sources.outstanding import load_reports, read_reports

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def shared_csv(shared_data: Path) -> Path:
    path = shared_data / "lavote" / "outstanding-reports.csv"
    if not path.is_file():
        pytest.skip(f"outstanding reports not found at {path}")
    return path


def at(reports: list[OutstandingReport], when: datetime) -> OutstandingReport:
    (found,) = [r for r in reports if r.as_of == when]
    return found


def test_the_shared_reports_are_read_with_their_figures(shared_csv: Path) -> None:
    reports = load_reports(shared_csv)
    with shared_csv.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(reports) == len(rows) == 26
    nov5 = at(reports, datetime(2020, 11, 5, 17, 0, tzinfo=LA))
    assert nov5.total == 791_200
    assert nov5.breakdown == {"vbm": 693_000, "cvr": 87_000, "provisional": 2_000, "other": 9_200}
    assert nov5.election_date == date(2020, 11, 3)
    assert nov5.source.startswith("https://signalscv.com/2020/11/")
    nov6 = at(reports, datetime(2024, 11, 6, 17, 0, tzinfo=LA))
    assert nov6.total == 1_116_100 == 1_000_000 + 104_000 + 12_100 == sum(nov6.breakdown.values())
    assert nov6.breakdown == {"vbm": 1_000_000, "cvr": 104_000, "provisional": 12_100}
    assert nov6.counted_so_far is None
    nov12 = at(reports, datetime(2024, 11, 12, 17, 0, tzinfo=LA))
    assert (nov12.total, nov12.counted_so_far) == (141_900, 3_675_213)
    assert nov12.breakdown == {"vbm": 50_000, "cvr": 81_000, "provisional": 10_900}
    # the estimate rose as mail kept arriving
    nov4 = at(reports, datetime(2020, 11, 4, 19, 0, tzinfo=LA))
    assert (nov4.total, nov4.counted_so_far) == (618_200, 3_382_543)
    assert nov4.total is not None and nov5.total > nov4.total


def test_times_are_los_angeles_local_across_daylight_saving(shared_csv: Path) -> None:
    reports = load_reports(shared_csv, election_date=date(2020, 3, 3))
    offsets = {r.as_of.date().isoformat(): r.as_of.utcoffset() for r in reports}
    assert offsets["2020-03-05"] == timedelta(hours=-8)  # PST
    assert offsets["2020-03-10"] == timedelta(hours=-7)  # PDT from Mar 8, 2020
    first = reports[0]
    assert first.as_of.astimezone(UTC) == datetime(2020, 3, 6, 2, 0, tzinfo=UTC)


def test_an_empty_total_is_kept_as_none_with_its_note(shared_csv: Path) -> None:
    reports = load_reports(shared_csv, election_date=date(2020, 3, 3))
    mar6 = at(reports, datetime(2020, 3, 6, 17, 0, tzinfo=LA))
    assert mar6.total is None
    assert "about 678,000 ballots left to count" in mar6.note
    assert "time as reported: 2020-03-06 (Fri)" in mar6.note


def test_reports_match_the_csv_row_for_row(shared_csv: Path) -> None:
    reports = load_reports(shared_csv)
    with shared_csv.open(newline="", encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: r["as_of"])
    for report, row in zip(reports, rows, strict=True):
        assert report.as_of.replace(tzinfo=None) == datetime.fromisoformat(row["as_of"])
        assert report.total == (int(row["total"]) if row["total"] else None)
        expected = {k: int(row[k]) for k in ("vbm", "cvr", "provisional", "other") if row[k]}
        assert report.breakdown == expected
        assert report.counted_so_far == (
            int(row["counted_so_far"]) if row["counted_so_far"] else None
        )
        assert report.source == row["source_url"]
        assert report.election_date == date.fromisoformat(row["election_date"])


@pytest.mark.parametrize(
    ("day", "count", "first_total"),
    [
        (date(2020, 3, 3), 6, 802_380),
        (date(2020, 11, 3), 6, 618_200),
        (date(2024, 3, 5), 6, 355_500),
        (date(2024, 11, 5), 8, 1_116_100),
    ],
)
def test_one_election_s_reports(shared_csv: Path, day: date, count: int, first_total: int) -> None:
    reports = load_reports(shared_csv, election_date=day)
    assert len(reports) == count
    assert {r.election_date for r in reports} == {day}
    assert reports[0].total == first_total
    assert [r.as_of for r in reports] == sorted(r.as_of for r in reports)


def test_an_election_the_file_does_not_have_is_an_error(shared_csv: Path) -> None:
    with pytest.raises(InputError) as err:
        load_reports(shared_csv, election_date=date(2022, 11, 8))
    assert err.value.where == str(shared_csv)
    assert "2022-11-08" in err.value.problem
    assert "2020-03-03, 2020-11-03, 2024-03-05, 2024-11-05" in err.value.problem


# --- JSON --------------------------------------------------------------------------------------


def test_json_reports() -> None:
    data = json.dumps(
        [
            {
                "as_of": "2020-11-05T17:00",
                "total": 791200,
                "breakdown": {"VBM": 693000, "cvr": 87000, "provisional": 2000, "other": 9200},
                "note": "estimate rose",
                "source": "https://signalscv.com/",
            },
            {"as_of": "2020-11-05T01:00:00Z", "total": None, "note": "'many outstanding ballots'"},
            {"as_of": "2020-11-06T17:00-08:00", "total": 610800, "counted_so_far": 3700000},
        ]
    ).encode()
    reports = read_reports(data, where="left.json", election_date=date(2020, 11, 3))
    assert [r.total for r in reports] == [None, 791_200, 610_800]
    assert reports[0].as_of == datetime(2020, 11, 5, 1, 0, tzinfo=UTC)
    assert reports[1].as_of == datetime(2020, 11, 5, 17, 0, tzinfo=LA)
    assert reports[1].breakdown["vbm"] == 693_000
    assert reports[2].counted_so_far == 3_700_000
    assert {r.election_date for r in reports} == {date(2020, 11, 3)}


@pytest.mark.parametrize(
    ("payload", "where", "problem"),
    [
        (b'[{"as_of": "2020-11-05T17:00", "total": 791', "left.json", "not valid JSON"),
        (b'{"as_of": "2020-11-05T17:00", "total": 1}', "left.json", "Expected `array`"),
        (b'[{"as_of": "2020-11-05T17:00"}]', "left.json, $[0]", "missing required field `total`"),
        (
            b'[{"as_of": "2020-11-05T17:00", "total": 1, "totl": 1}]',
            "left.json, $[0]",
            "unknown field `totl`",
        ),
        (b'[{"as_of": "2020-11-05T17:00", "total": -5}]', "left.json, $[0].total", ">= 0"),
        (
            b'[{"as_of": "2020-11-05T17:00", "total": 1.5}]',
            "left.json, $[0].total",
            "Expected `int",
        ),
        (
            b'[{"as_of": "2020-11-05T17:00", "total": "791,200"}]',
            "left.json, $[0].total",
            "Expected `int",
        ),
        (b'[{"as_of": "Nov 5", "total": 1}]', "left.json, $[0].as_of", "cannot read the time"),
        (b'[{"as_of": "2020-11-05", "total": 1}]', "left.json, $[0].as_of", "no clock time"),
        (b'[{"as_of": "2020-11-05T17:00", "total": null}]', "left.json, $[0].total", "no note"),
        (
            b'[{"as_of": "2020-11-05T17:00", "total": 10, "breakdown": {"vbm": 8, "cvr": 3}}]',
            "left.json, $[0].breakdown",
            "exceeds the total 10",
        ),
        (
            b'[{"as_of": "2020-11-05T17:00", "total": 1, "breakdown": {"v b": 1}}]',
            "left.json, $[0].breakdown",
            "not a name",
        ),
        (
            b'[{"as_of": "2020-11-05T17:00", "total": 9, "breakdown": {"vbm": -1}}]',
            "left.json, $[0].breakdown.vbm",
            "negative",
        ),
        (
            b'[{"as_of": "2020-11-05T17:00", "total": 9, "breakdown": {"vbm": true}}]',
            "left.json, $[0].breakdown.vbm",
            "not a whole number",
        ),
        (
            b'[{"as_of": "2020-11-05T17:00", "total": 1, "election_date": "Nov 3"}]',
            "left.json, $[0].election_date",
            "election date",
        ),
    ],
)
def test_bad_json_names_the_file_and_field(payload: bytes, where: str, problem: str) -> None:
    with pytest.raises(InputError) as err:
        read_reports(payload, where="left.json")
    assert err.value.where == where
    assert problem in err.value.problem


# --- CSV ---------------------------------------------------------------------------------------

HEADER = "election_date,as_of,total,vbm,cvr,provisional,other,counted_so_far,note,source_url\n"


def test_a_minimal_csv_with_thousands_separators_and_a_bom() -> None:
    data = '\ufeffas_of,total,extra\n2024-11-12T17:00,"141,900",ignored\n\n'.encode()
    (report,) = read_reports(data, where="left.csv")
    assert report.total == 141_900
    assert report.as_of == datetime(2024, 11, 12, 17, 0, tzinfo=LA)
    assert report.breakdown == {} and report.source == "" and report.election_date is None


@pytest.mark.parametrize(
    ("lines", "where", "problem"),
    [
        (
            "2020-11-03,2020-11-05T17:00,791k,,,,,,,\n",
            "left.csv, line 3, column total",
            "not a whole number",
        ),
        (
            "2020-11-03,2020-11-05T17:00,-3,,,,,,,\n",
            "left.csv, line 3, column total",
            "not a whole number",
        ),
        (
            "2020-11-03,Thursday,791200,,,,,,,\n",
            "left.csv, line 3, column as_of",
            "cannot read the time",
        ),
        (
            "2020-11-03,2020-11-05T17:00,791200\n",
            "left.csv, line 3",
            "3 fields where the header has 10",
        ),
        (
            "2020-11-03,2020-11-05T17:00,100,90,20,,,,,\n",
            "left.csv, line 3, column breakdown",
            "exceeds the total 100",
        ),
        (
            "11/3/2020,2020-11-05T17:00,100,,,,,,,\n",
            "left.csv, line 3, column election_date",
            "election date",
        ),
        ("2020-11-03,2020-11-05T17:00,,,,,,,,\n", "left.csv, line 3, column total", "no note"),
        (
            '2020-11-03,2020-11-05T17:00,5,,,,,,"a note\n\n2020-11-03,2020-11-06T17:00,x,,,,,,,\n',
            "left.csv, line 5",
            "unexpected end of data",  # a quote opened and never closed
        ),
    ],
)
def test_bad_csv_names_the_file_line_and_column(lines: str, where: str, problem: str) -> None:
    data = (HEADER + "2020-11-03,2020-11-04T19:00,618200,,,,,,,\n" + lines).encode()
    with pytest.raises(InputError) as err:
        read_reports(data, where="left.csv")
    assert err.value.where == where
    assert problem in err.value.problem


def test_a_csv_without_the_needed_columns() -> None:
    with pytest.raises(InputError) as err:
        read_reports(b"when,ballots\n2020-11-05T17:00,5\n", where="left.csv")
    assert err.value.where == "left.csv, line 1"
    assert "as_of or total" in err.value.problem


def test_empty_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        read_reports(b"", where="left.csv")
    with pytest.raises(InputError, match="not UTF-8"):
        read_reports(b"as_of,total\n\xff\xfe,1\n", where="left.csv")
    missing = tmp_path / "nope.csv"
    with pytest.raises(InputError) as err:
        load_reports(missing)
    assert err.value.where == str(missing)


def test_a_time_without_a_zone_is_in_the_elections_zone() -> None:
    data = b'[{"as_of": "2024-11-06T17:00", "total": 1000}]'
    (la,) = read_reports(data, where="reports.json")
    (ny,) = read_reports(data, where="reports.json", zone=ZoneInfo("America/New_York"))
    assert la.as_of.utcoffset() == timedelta(hours=-8)  # LA time when no election says
    assert ny.as_of.utcoffset() == timedelta(hours=-5)
    assert la.as_of - ny.as_of == timedelta(hours=3)
