"""The desk's petition reports layout, one row per stage as the registrar publishes it
(``sources/petition_reports.py``), read through ``read_petitions`` as the compiled table is;
Gascón 2022's published figures, with one illustrative progress report of its full count."""

from __future__ import annotations

from datetime import date

import pytest

from racedesk.errors import InputError
from racedesk.sources.petitions import read_petitions

#: Gascón 2022 as the registrar published it (``../shared/data/news/gascon-recall-2022-
#: signatures.csv``), and a progress report of the full count that is an illustration only.
GASCON_REPORTS = """\
petition,jurisdiction,office,kind,stage,date,raw,required,sample,valid,duplicates,checked,invalid,verdict,words,source
gascon_2022,LA County,District Attorney,local-recall,filed,2022-07-06,715833,566857,,,,,,,,https://www.foxla.com/news/over-715000-signatures-collected-in-da-george-gascon-recall-effort
gascon_2022,,,,sample,2022-07-15,,,35793,27983,,,,full count needed,full count required,http://www.metnews.com/articles/2022/Recall_07152022.htm
gascon_2022,,,,count progress,2022-08-01,,,,"202,619",,"279,090",,,illustration,
gascon_2022,,,,full count,2022-08-15,,,,520050,,,195783,failed,short by 46807,https://ktla.com/news/local-news/effort-to-recall-l-a-district-attorney-george-gascon-fails-to-make-ballot/
"""


def test_a_reports_file_is_read_stage_by_stage() -> None:
    [(petition, stages)] = read_petitions(GASCON_REPORTS.encode(), "reports.csv", content_hash="h")
    assert (petition.id, petition.jurisdiction, petition.office, petition.kind) == (
        "gascon_2022",
        "LA County",
        "District Attorney",
        "local-recall",
    )
    assert [(s.stage, s.on) for s in stages] == [
        ("filed", date(2022, 7, 6)),
        ("sample", date(2022, 7, 15)),
        ("count progress", date(2022, 8, 1)),
        ("full count", date(2022, 8, 15)),
    ]
    assert (stages[0].raw, stages[0].required) == (715_833, 566_857)
    assert (stages[1].sample, stages[1].valid, stages[1].published) == (
        35_793,
        27_983,
        "full count needed",
    )
    assert (stages[2].checked, stages[2].valid) == (279_090, 202_619)
    assert (stages[3].valid, stages[3].invalid, stages[3].published) == (520_050, 195_783, "failed")
    assert stages[3].where == "reports.csv, line 5" and stages[3].content_hash == "h"
    assert stages[3].source.startswith("https://ktla.com/")


HEADER = "petition,office,stage,date,raw,verdict\n"


@pytest.mark.parametrize(
    ("rows", "problem", "where"),
    [
        ("p,,filed,2022-07-06,71x,\n", "raw '71x' is not a whole number", "line 2, column raw"),
        ("p,,filed,July 6,1,\n", "cannot read the date 'July 6'", "line 2, column date"),
        ("p,,signed,2022-07-06,1,\n", "unknown stage 'signed'", "line 2, column stage"),
        ("p,,outcome,,,won\n", "unknown verdict 'won'", "line 2, column verdict"),
        (",,filed,,,\n", "a row has no petition id", "line 2, column petition"),
        (
            "p,Mayor,filed,,,\np,Sheriff,outcome,,,failed\n",
            "was given office 'Mayor' on an earlier row, here 'Sheriff'",
            "line 3, column office",
        ),
        ("", "the reports file has no stage", ""),
    ],
)
def test_a_cell_that_is_not_what_its_column_says_is_refused(
    rows: str, problem: str, where: str
) -> None:
    with pytest.raises(InputError, match=problem) as refused:
        read_petitions((HEADER + rows).encode(), "r.csv")
    assert refused.value.where == (f"r.csv, {where}" if where else "r.csv")


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(InputError, match="unknown petition kind 'referendum'"):
        read_petitions(b"petition,stage,date,kind\np,filed,,referendum\n", "r.csv")
