"""Every URL pages link to (``racedesk.publish.links``): the live app's paths and a static
export's relative files."""

from __future__ import annotations

from racedesk.publish.links import Links, file_name, slug

E = "lavote:4324"


def test_live_links_are_the_app_paths() -> None:
    links = Links.live_app()
    assert links.live
    assert links.home() == "/"
    assert links.static("racedesk.css") == "/static/racedesk.css"
    assert links.election(E) == "/elections/lavote:4324"
    assert links.contest(E, "9547") == "/elections/lavote:4324/contests/9547"
    assert links.contest(E, "9547", 5) == "/elections/lavote:4324/contests/9547?release=5"
    assert links.api_elections() == "/api/elections"
    assert links.api_election(E) == "/api/elections/lavote:4324"
    assert links.api_contest(E, "9547") == "/api/elections/lavote:4324/contests/9547"
    assert links.api_history(E, "9547") == "/api/elections/lavote:4324/contests/9547/history"
    assert links.api_ledger(E) == "/api/elections/lavote:4324/ledger"
    assert links.api_releases(E) == "/api/elections/lavote:4324/releases"
    assert links.events(E) == "/api/elections/lavote:4324/events"


def test_static_links_are_relative_files_named_by_slug() -> None:
    links = Links.static_site(3)
    assert not links.live
    assert links.home() == "../../../index.html"
    assert links.static("racedesk.css") == "../../../static/racedesk.css"
    assert links.election(E) == "../../../elections/lavote-4324/index.html"
    assert links.contest(E, "9547") == "../../../elections/lavote-4324/contests/9547.html"
    # "a:b" is not a file name of its own: it would meet "a/b" and "a-b" (F15)
    assert links.contest(E, "a:b", 5) == (
        f"../../../elections/lavote-4324/contests/{file_name('a:b')}.html#release-5"
    )
    assert Links.static_site(0).api_elections() == "api/elections.json"
    assert links.api_election(E) == "../../../api/elections/lavote-4324.json"
    assert links.api_contest(E, "9547") == "../../../api/elections/lavote-4324/contests/9547.json"
    assert (
        links.api_history(E, "9547")
        == "../../../api/elections/lavote-4324/contests/9547/history.json"
    )
    assert links.api_ledger(E) == "../../../api/elections/lavote-4324/ledger.json"
    assert links.api_releases(E) == "../../../api/elections/lavote-4324/releases.json"
    assert links.events(E) is None
    assert slug("lavote:4324") == "lavote-4324"


def test_contest_file_names_cannot_collide_or_leave_the_folder() -> None:
    """F15: "a/b" and "a:b" both wrote a-b.html; ".." wrote the election's history.json."""
    ids = ["a/b", "a:b", "a-b", "a~b", "..", ".", "", "9547", "../../../../tmp/x", "x.json"]
    names = [file_name(i) for i in ids]
    assert len(set(names)) == len(ids)
    assert file_name("9547") == "9547" and file_name("a-b") == "a-b"
    assert file_name("a/b").startswith("a-b~") and file_name("..").startswith("--~")
    assert all("/" not in n and n.strip(".") for n in names)
    assert slug("..") == "--" and slug("lavote:../x") == "lavote-..-x"
