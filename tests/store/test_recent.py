"""What a store keeps of what it read (racedesk.store.recent)."""

from __future__ import annotations

from racedesk.store.recent import Recent


def test_the_value_read_or_put_longest_ago_goes_first() -> None:
    recent: Recent[int, str] = Recent(keep=2)
    recent.put(1, "one")
    recent.put(2, "two")
    assert recent.get(1) == "one"  # 1 is now the latest read
    recent.put(3, "three")
    assert len(recent) == 2
    assert recent.get(2) is None
    assert (recent.get(1), recent.get(3)) == ("one", "three")


def test_a_value_put_again_replaces_the_one_kept() -> None:
    recent: Recent[str, int] = Recent(keep=1)
    recent.put("a", 1)
    recent.put("a", 2)
    assert len(recent) == 1 and recent.get("a") == 2
