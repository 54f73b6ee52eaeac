"""Contest-rules files (TOML or JSON) and applying them to an adapter's contests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from racedesk.errors import ConfigError, InputError
from racedesk.model import Choice, Contest, Rule
from racedesk.sources.rules_file import apply_rules, load_rules, parse_rules

TOML = b"""
format = "racedesk.rules/1"

[contests."DISTRICT ATTORNEY"]
rule = "majority_or_runoff"

[contests."107"]
rule = "measure"
threshold = "55%"

[contests."City Council"]
rule = "plurality"
seats = 3
"""


def test_toml_and_json_give_the_same_rules(tmp_path: Path) -> None:
    from_toml = parse_rules(TOML, "rules.toml")
    doc = {
        "contests": {
            "DISTRICT ATTORNEY": {"rule": "majority_or_runoff"},
            "107": {"rule": "measure", "threshold": "11/20"},
            "City Council": {"rule": "plurality", "seats": 3},
        }
    }
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(doc))
    assert load_rules(path) == from_toml
    assert from_toml["DISTRICT ATTORNEY"] == Rule(
        kind="majority_or_runoff", seats=1, votes_allowed=1, advance=2,
        text="majority of votes cast elects; otherwise the top two go to a runoff",
    )  # fmt: skip
    assert from_toml["107"].threshold == "11/20"
    assert (from_toml["City Council"].seats, from_toml["City Council"].votes_allowed) == (3, 3)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b'[contests."A"]\nrule = "ranked"', "rule must be one of"),
        (b'[contests."A"]\nrule = "measure"\nthreshold = "150%"', "not between 0 and 1"),
        (b'[contests."A"]\nrule = "measure"\nthreshold = "most"', "not a fraction"),
        (b'[contests."A"]\nrule = "plurality"\nseats = 0', "at least 1"),
        (b'[contests."A"]\nrule = "plurality"\nthreshold = "1/2"', "has no threshold"),
        (b'[contests."A"]\nrule = "recall"\nthreshold = "2/3"', "more than half"),
        (b'[contests."A"]\nrule = "plurality"\ncolour = "red"', "unknown settings"),
        (b'format = "other/2"\n[contests."A"]\nrule = "plurality"', "unknown rules format"),
        (b"contests = 3", "names no contests"),
        (b"[contests", "not a readable rules file"),
    ],
)
def test_bad_rules_files_are_config_errors(text: bytes, problem: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_rules(text, "rules.toml")
    assert problem in err.value.problem
    assert err.value.where.startswith("rules.toml")


def _contests() -> list[Contest]:
    yes_no = (Choice(id="1", name="YES"), Choice(id="2", name="NO"))
    people = (Choice(id="a", name="A"), Choice(id="b", name="B"), Choice(id="c", name="C"))
    plurality = Rule(kind="plurality")
    return [
        Contest(
            id="9547", title="District  Attorney", kind="candidate", rule=plurality, choices=people
        ),
        Contest(
            id="107",
            title="MEASURE A",
            kind="measure",
            rule=Rule(kind="measure", threshold="1/2"),
            choices=yes_no,
        ),
        Contest(id="200", title="CITY COUNCIL", kind="candidate", rule=plurality, choices=people),
        Contest(id="201", title="CITY COUNCIL", kind="candidate", rule=plurality, choices=people),
    ]


def test_rules_match_ids_then_titles() -> None:
    rules = parse_rules(TOML.replace(b'"City Council"', b'"200"'), "rules.toml")
    out = apply_rules(_contests(), rules, "feed")
    assert out[0].rule.kind == "majority_or_runoff"  # by title, case and spaces ignored
    assert out[1].rule.threshold == "11/20"  # by id
    assert out[2].rule.seats == 3 and out[3].rule.seats == 1
    assert apply_rules(_contests(), None, "feed") == tuple(_contests())


def test_rules_that_match_nothing_or_several_are_refused() -> None:
    with pytest.raises(InputError, match="shared by contests 200, 201"):
        apply_rules(_contests(), parse_rules(TOML, "rules.toml"), "feed")
    with pytest.raises(InputError, match="does not have"):
        apply_rules(_contests(), {"SHERIFF": Rule(kind="plurality")}, "feed")
    with pytest.raises(InputError, match="needs a yes/no question"):
        apply_rules(_contests(), {"9547": Rule(kind="measure", threshold="1/2")}, "feed")


def test_a_recall_rule_makes_a_recall() -> None:
    out = apply_rules(_contests(), {"107": Rule(kind="recall", threshold="1/2")}, "feed")
    assert out[1].kind == "recall"
