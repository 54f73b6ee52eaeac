"""The API's OpenAPI document, fuzzed with schemathesis: no input makes a server error.

Every operation but the event stream (which never ends) gets a bounded number of generated
requests, with the write token, against a desk holding the first releases of the 2024 general.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from racedesk.desk import Desk
from racedesk.publish.web.app import create_app

from .conftest import TOKEN, Feed, ingest, new_desk

#: Generated requests per operation: enough to reach odd inputs, bounded to keep the suite fast.
MAX_EXAMPLES = 30


@pytest.fixture(scope="module")
def fuzz_desk(general_feed: Feed, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    desk = new_desk(tmp_path_factory.mktemp("fuzz"), general_feed.election)
    ingest(desk, general_feed, upto=3)
    return desk


def test_no_server_errors(fuzz_desk: Desk, general_feed: Feed) -> None:
    """Generated requests for every operation: none gets a 5xx.

    Path ids are mostly real ones (the election, its contests, its ledger's events), so that
    the generated queries and bodies reach the code behind the 404s. (Schemathesis' lazy pytest
    loader does not run under this pytest; the operations are driven through Hypothesis
    directly, which is the same generation.)"""
    app = create_app(fuzz_desk, token=TOKEN)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path_regex=r"/events$")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    headers = {"Authorization": f"Bearer {TOKEN}"}
    election = general_feed.election
    real = {
        "election_id": [election.id],
        "contest_id": [c.id for c in election.contests[:5]] + ["9547"],
        "event_id": [e.event_id for e in fuzz_desk.ledger(election.id)[:5]] or [0],
    }
    statuses: Counter[int] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy(), data=st.data())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def fuzz(case: schemathesis.Case, data: st.DataObject) -> None:
            for name, values in real.items():
                if (
                    case.path_parameters
                    and name in case.path_parameters
                    and data.draw(st.booleans())
                ):
                    case.path_parameters[name] = data.draw(st.sampled_from(values))
            response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
            statuses[response.status_code] += 1

        fuzz()
    # the generated requests reached real answers, not only 404s
    assert statuses[200] > MAX_EXAMPLES and statuses[422] > 0, statuses


def test_the_document_is_valid_openapi(fuzz_desk: Desk, tmp_path: Path) -> None:
    """The document loads as OpenAPI 3.1 and names the write token's security scheme."""
    doc = TestClient(create_app(fuzz_desk, token=TOKEN)).get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    post = doc["paths"]["/api/elections/{election_id}/releases"]["post"]
    assert {"HTTPBearer": []} in post["security"]
    get = doc["paths"]["/api/elections/{election_id}/contests/{contest_id}"]["get"]
    assert "security" not in get
