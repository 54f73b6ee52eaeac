"""The LA County RR/CC adapter on the real 2024 feeds, and its errors on bad input."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from racedesk.errors import InputError, UnknownReferenceError
from racedesk.rules import california
from racedesk.sources import lavote


@pytest.fixture(scope="module")
def general(general_2024: Path):
    return lavote.load_folder(general_2024)


@pytest.fixture(scope="module")
def primary(primary_2024: Path):
    return lavote.load_folder(primary_2024)


def _raw_contests(folder: Path) -> list[dict]:
    data = json.loads((folder / "election_data.json").read_bytes())["Data"]
    return [c for g in data["ContestGroups"] for c in g["Contests"]]


def test_every_general_contest_parses_with_its_rule(general, general_2024: Path) -> None:
    election, files = general
    raw = {str(c["ID"]): c for c in _raw_contests(general_2024)}
    assert election.id == "lavote:4324"
    assert election.kind == "general"
    assert election.registration == 5_736_803
    assert len(election.contests) == 373 == len(raw)
    assert len(files) == 32
    for contest in election.contests:
        source = raw[contest.id]
        assert [c.id for c in contest.choices] == [str(k["ID"]) for k in source["Candidates"]]
        if source["Type"] == "Measure":
            assert contest.rule.kind in ("measure", "recall")
            assert contest.rule.text == source["MeasurePassRate"]
        else:
            assert contest.rule.kind == "plurality"
            words = {"": 1, "two": 2, "three": 3, "four": 4}
            expected = words[source["VoteFor"].split()[-1] if source["VoteFor"] else ""]
            assert contest.rule.seats == contest.rule.votes_allowed == expected
    kinds = Counter(
        (c.rule.kind, c.rule.threshold, c.rule.alt_threshold) for c in election.contests
    )
    assert kinds[("measure", "1/2", None)] == 58
    assert kinds[("recall", "1/2", None)] == 1
    assert kinds[("measure", "11/20", None)] == 32
    assert kinds[("measure", "2/3", None)] == 9
    assert kinds[("measure", "2/3", "11/20")] == 3


def test_conditional_threshold_is_kept_verbatim(general) -> None:
    election, _ = general
    pasadena = election.contest("9938")
    assert pasadena.rule.threshold == "2/3"
    assert pasadena.rule.alt_threshold == "11/20"
    assert pasadena.rule.condition == "prop 5 passes"
    assert pasadena.rule.text == "2/3 votes, 55% if prop 5 passes"
    assert election.contest("9911").kind == "recall"


def test_general_final_release_da(general) -> None:
    election, files = general
    path, data = files[-1]
    release = lavote.read_release(data, election, where=str(path))
    da = release.count("9547")
    assert da is not None
    assert da.votes == {"23483": 1_983_802, "23482": 1_328_710}
    assert da.write_ins == 8_614
    assert da.full == 3_321_126 == da.total_votes
    assert release.ballots_counted == 3_793_106
    assert release.ballots_mail == 2_732_752
    assert release.ballots_in_person == 1_060_354
    assert release.feed_time.isoformat() == "2024-12-02T14:55:01-08:00"


def test_primary_rules(primary) -> None:
    election, _files = primary
    assert election.kind == "primary"
    assert len(election.contests) == 175
    da = election.contest("9054")
    assert da.rule.kind == "majority_or_runoff"
    assert da.rule.advance == 2
    assert len(da.choices) == 12
    senate = election.contest("9021")
    assert senate.rule.kind == "top_two"
    committee = election.contest("9297")
    assert committee.rule.kind == "plurality"
    assert committee.rule.seats == committee.rule.votes_allowed == 7
    bell = election.contest("9241")
    assert (bell.rule.kind, bell.rule.seats) == ("plurality", 3)
    assert election.contest("9417").rule.threshold == "11/20"
    two_thirds = [c for c in election.contests if c.rule.threshold == "2/3"]
    assert len(two_thirds) == 1
    assert election.contest("9371").rule.kind == "majority_or_runoff"  # LA city primary
    assert election.contest("9345").rule.kind == "plurality"  # Avalon general municipal


def test_primary_final_release_da(primary) -> None:
    election, files = primary
    release = lavote.read_release(files[-1][1], election)
    da = release.count("9054")
    assert da is not None
    names = {c.id: c.name for c in election.contest("9054").choices}
    ranked = sorted(da.votes.items(), key=lambda kv: -kv[1])
    assert [(names[k], v) for k, v in ranked[:3]] == [
        ("GEORGE GASCÓN", 370_654),
        ("NATHAN HOCHMAN", 234_509),
        ("JONATHAN HATAMI", 194_755),
    ]


# ---- bad input ------------------------------------------------------------------------------


def _release_json(general) -> dict:
    _, files = general
    return json.loads(files[-1][1])


def test_truncated_json(general) -> None:
    election, files = general
    with pytest.raises(InputError, match="cut short") as err:
        lavote.read_release(files[-1][1][:5000], election, where="r.json")
    assert err.value.where == "r.json"


def test_release_of_another_election(general) -> None:
    election, _ = general
    doc = _release_json(general)
    for row in doc["Data"]:
        if row["ReferenceType"] == "EBLT":
            row["ReferenceID"] = 4316
    with pytest.raises(UnknownReferenceError, match="election 4316"):
        lavote.read_release(json.dumps(doc).encode(), election, where="r.json")


@pytest.mark.parametrize(
    ("kind", "bad_id", "said"),
    [("CAND", 99999999, "candidates not in"), ("CBLT", 88888888, "contests not in")],
)
def test_an_unknown_contest_or_candidate_is_set_aside_and_said(
    general, kind: str, bad_id: int, said: str
) -> None:
    """Lenient in, loud flags: a count the definition does not have is set aside (it stays in
    the raw payload) and said; the rest of the release is read as without it."""
    election, _ = general
    doc = _release_json(general)
    plain = lavote.read_release(json.dumps(doc).encode(), election, where="r.json")
    doc["Data"].append({"Number": 0, "ReferenceID": bad_id, "ReferenceType": kind, "Value": 1})
    odd = lavote.read_release(json.dumps(doc).encode(), election, where="r.json")
    assert odd.contests == plain.contests
    (note,) = odd.set_aside
    assert said in note and str(bad_id) in note


@pytest.mark.parametrize(
    ("value", "message"), [(-5, "negative"), (12.5, "not a whole number"), ("12", "Expected")]
)
def test_bad_counts(general, value: object, message: str) -> None:
    election, _ = general
    doc = _release_json(general)
    doc["Data"][0]["Value"] = value
    with pytest.raises(InputError, match=message) as err:
        lavote.read_release(json.dumps(doc).encode(), election, where="r.json")
    assert "r.json" in err.value.message


def test_a_whole_number_written_with_a_decimal_point_is_read(general) -> None:
    election, files = general
    doc = _release_json(general)
    row = next(r for r in doc["Data"] if r["ReferenceType"] == "CAND")
    row["Value"] = float(row["Value"])
    again = lavote.read_release(json.dumps(doc).encode(), election, where="r.json")
    assert again.contests == lavote.read_release(files[-1][1], election).contests


def test_unreadable_timestamp(general) -> None:
    election, _ = general
    doc = _release_json(general)
    doc["TimeStamp"] = "the fifth of November"
    with pytest.raises(InputError, match="cannot read the feed time"):
        lavote.read_release(json.dumps(doc).encode(), election, where="r.json")


def test_missing_candidate_count(general) -> None:
    election, _ = general
    doc = _release_json(general)
    doc["Data"] = [
        r for r in doc["Data"] if not (r["ReferenceType"] == "CAND" and r["ReferenceID"] == 23483)
    ]
    with pytest.raises(InputError, match="NATHAN HOCHMAN"):
        lavote.read_release(json.dumps(doc).encode(), election, where="r.json")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("CAND", "candidate 23483 is counted twice"),
        ("CBLT", "counter CBLT of contest 9547 is given twice"),
    ],
)
def test_a_count_given_twice_is_refused_after_good_releases(
    general, kind: str, message: str
) -> None:
    """The rows' layout learned from good releases does not let a later release with a row
    given twice through: its rows differ, so they are checked again."""
    election, files = general
    for _, data in files[-3:]:
        lavote.read_release(data, election)
    doc = _release_json(general)
    ref = 23483 if kind == "CAND" else 9547
    row = next(r for r in doc["Data"] if r["ReferenceType"] == kind and r["ReferenceID"] == ref)
    doc["Data"].append(dict(row))
    with pytest.raises(InputError, match=message) as err:
        lavote.read_release(json.dumps(doc).encode(), election, where="twice.json")
    assert err.value.where == "twice.json"


def test_a_contest_with_no_counters_is_refused(general) -> None:
    election, _ = general
    doc = _release_json(general)
    doc["Data"] = [r for r in doc["Data"] if r["ReferenceID"] not in (9547, 23482, 23483)]
    with pytest.raises(InputError, match=r"contest 9547 \(DISTRICT ATTORNEY\) has no counters"):
        lavote.read_release(json.dumps(doc).encode(), election, where="r.json")


def test_rows_in_another_order_read_the_same(general) -> None:
    """Each release's rows are placed by their ids, whatever their order (a release in the
    feed's usual order is read by the layout learned from the one before)."""
    election, files = general
    plain = lavote.read_release(files[-1][1], election)
    doc = _release_json(general)
    doc["Data"].reverse()
    shuffled = lavote.read_release(json.dumps(doc).encode(), election)
    assert shuffled.contests == plain.contests
    assert lavote.read_release(files[-1][1], election).contests == plain.contests
    da = next(c for c in shuffled.contests if c.contest_id == "9547")
    assert da.votes == {"23483": 1_983_802, "23482": 1_328_710}
    assert shuffled.ballots_counted == plain.ballots_counted == 3_793_106


def test_votes_allowed_words() -> None:
    assert california.votes_allowed("") == 1
    assert california.votes_allowed("Vote for no more than seven") == 7
    assert california.votes_allowed("Vote for 3") == 3
    with pytest.raises(InputError):
        california.votes_allowed("Vote for several")


def test_measure_rule_unknown_text_keeps_it() -> None:
    """One reader of pass rates for every California feed: LA's words that the CDF reader knew
    ("Three fifths") are read too (they kept no threshold before); words it cannot read keep
    none, verbatim."""
    assert california.measure_rule("Three fifths of the electors").threshold == "3/5"
    rule = california.measure_rule("As the charter provides")
    assert rule.threshold is None
    assert rule.text == "As the charter provides"


def test_not_utf8(general) -> None:
    election, _ = general
    with pytest.raises(InputError, match="not UTF-8") as err:
        lavote.read_release('{"TimeStamp": "é"}'.encode("latin-1"), election, where="r.json")
    assert err.value.where == "r.json"
