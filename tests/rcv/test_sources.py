"""Reading RCTab's configuration and cast vote records: what a bad file says, and where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from racedesk.errors import InputError
from racedesk.sources.rcv_config import load_ranked_contest, read_config


def config(tmp_path: Path, **changes: object) -> Path:
    raw: dict[str, object] = {
        "outputSettings": {"contestName": "Mayor"},
        "cvrFileSources": [
            {
                "filePath": "cvr.csv",
                "provider": "genericCsv",
                "firstVoteColumnIndex": "2",
                "firstVoteRowIndex": "2",
                "idColumnIndex": "1",
            }
        ],
        "candidates": [{"name": "Ann"}, {"name": "Bo", "aliases": ["B."]}],
        "rules": {
            "winnerElectionMode": "singleWinnerMajority",
            "overvoteRule": "exhaustImmediately",
            "tiebreakMode": "useCandidateOrder",
            "numberOfWinners": "1",
            "maxRankingsAllowed": "max",
            "maxSkippedRanksAllowed": "unlimited",
        },
    }
    raw.update(changes)
    path = tmp_path / "config.json"
    path.write_text(json.dumps(raw))
    return path


def test_a_generic_csv_contest_is_read_with_aliases(tmp_path: Path) -> None:
    (tmp_path / "cvr.csv").write_text("id,Ann,B.\nv1,1,2\nv2,,1\nv3,,\n")
    settings, contest = load_ranked_contest(config(tmp_path))
    assert settings.rules.max_rankings == 2 and settings.rules.max_skipped_ranks is None
    assert [b.rankings for b in contest.ballots] == [
        ((1, ("Ann",)), (2, ("Bo",))),
        ((1, ("Bo",)),),
        (),
    ]
    assert [b.id for b in contest.ballots] == ["v1", "v2", "v3"]


def test_a_rank_that_is_not_a_number_names_its_row(tmp_path: Path) -> None:
    (tmp_path / "cvr.csv").write_text("id,Ann,Bo\nv1,1,x\n")
    with pytest.raises(InputError) as caught:
        load_ranked_contest(config(tmp_path))
    assert caught.value.where.endswith("cvr.csv: row 2")
    assert "'x'" in caught.value.problem


def test_an_unknown_candidate_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cvr.csv").write_text("id,Ann,Cy\nv1,1,2\n")
    with pytest.raises(InputError, match="names no candidate"):
        load_ranked_contest(config(tmp_path))


def test_a_rule_racedesk_does_not_count_is_refused(tmp_path: Path) -> None:
    path = config(tmp_path, rules={"winnerElectionMode": "multiPassIrv"})
    with pytest.raises(InputError, match="winnerElectionMode") as caught:
        read_config(path)
    assert str(path) in caught.value.where


def test_a_missing_record_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist") as caught:
        load_ranked_contest(config(tmp_path))
    assert caught.value.where.endswith("cvr.csv")


@pytest.mark.parametrize(
    ("provider", "file_name", "content", "problem"),
    [
        ("cdf", "cvr.json", '{"CVR": [], "Election": []}', "no contest 'Mayor'"),
        ("cdf", "cvr.json", "[1, 2", "cannot read the CDF"),
        ("clearBallot", "cvr.csv", "RowNumber,BallotID\n1,1\n", "no column of the contest"),
        ("hart", "cvr.xml", "<Cvr/>", "a folder of XML records"),
        ("dominion", "cvr.json", "{}", "no CvrExport"),
    ],
)
def test_each_record_format_says_what_is_wrong(
    tmp_path: Path, provider: str, file_name: str, content: str, problem: str
) -> None:
    (tmp_path / file_name).write_text(content)
    source = {"filePath": file_name, "provider": provider, "contestId": "Mayor"}
    with pytest.raises(InputError, match=problem) as caught:
        load_ranked_contest(config(tmp_path, cvrFileSources=[source]))
    assert caught.value.where.startswith(str(tmp_path))


def test_a_provider_racedesk_does_not_read_is_named(tmp_path: Path) -> None:
    source = {"filePath": "cvr.xml", "provider": "unisyn-legacy"}
    with pytest.raises(InputError, match="provider 'unisyn-legacy'"):
        load_ranked_contest(config(tmp_path, cvrFileSources=[source]))
