"""The web app's frame (``racedesk.publish.web``): a short ``create_app`` mounting the routers,
the routes each router serves, and one error shape for the desk's own errors."""

from __future__ import annotations

import inspect
from pathlib import Path

from fastapi.testclient import TestClient

from racedesk.errors import RacedeskError
from racedesk.publish.web.app import create_app
from racedesk.publish.web.errors import ApiError

from .conftest import hostile_election, new_desk

#: Every documented route, in the order the OpenAPI document lists them, with its tag.
ROUTES = [
    ("get", "/api/elections", "read"),
    ("get", "/api/elections/{election_id}", "read"),
    ("get", "/api/elections/{election_id}/contests", "read"),
    ("get", "/api/elections/{election_id}/contests/{contest_id}", "read"),
    ("get", "/api/elections/{election_id}/contests/{contest_id}/history", "read"),
    ("get", "/api/elections/{election_id}/ledger", "read"),
    ("get", "/api/elections/{election_id}/releases", "read"),
    ("post", "/api/elections/{election_id}/releases", "write"),
    ("get", "/api/petitions", "read"),
    ("post", "/api/petitions", "write"),
    ("get", "/api/petitions/{petition_id}", "read"),
    ("get", "/api/elections/{election_id}/events", "push"),
    ("post", "/api/elections/{election_id}/outstanding", "write"),
    ("post", "/api/elections/{election_id}/calls/{event_id}/approve", "write"),
    ("post", "/api/elections/{election_id}/releases/{sequence}/confirm", "write"),
    ("post", "/api/elections/{election_id}/releases/{sequence}/retire", "write"),
    ("post", "/api/elections/{election_id}/certify", "write"),
    ("post", "/api/elections/{election_id}/editorial", "editorial"),
    ("get", "/api/elections/{election_id}/editorial", "editorial"),
    ("get", "/api/publishing-mode", "editorial"),
    ("post", "/api/publishing-mode", "editorial"),
    ("get", "/api/money", "money"),
    ("get", "/api/money/elections/{election_id}/contests/{contest_id}", "money"),
]


def test_create_app_is_short_and_only_mounts_routers() -> None:
    assert len(inspect.getsource(create_app).splitlines()) <= 60


def test_the_routers_serve_every_documented_route(tmp_path: Path) -> None:
    app = create_app(new_desk(tmp_path, hostile_election()), token=None)
    paths = app.openapi()["paths"]
    found = [(m, p, op["tags"][0]) for p, ops in paths.items() for m, op in ops.items()]
    assert found == ROUTES


def test_an_api_error_is_a_racedesk_error_with_the_one_error_shape(tmp_path: Path) -> None:
    assert issubclass(ApiError, RacedeskError)
    client = TestClient(create_app(new_desk(tmp_path, hostile_election()), token=None))
    refused = client.post("/api/elections/test:1/releases", content=b"{}")
    assert refused.status_code == 403
    assert refused.json() == {
        "error": {
            "problem": "writes are disabled",
            "where": "",
            "hint": "start the server with --token or RACEDESK_TOKEN to accept writes",
        }
    }
    missing = client.get("/elections/nope")
    assert missing.status_code == 404 and "no election &#x27;nope&#x27;" in missing.text
