"""The emulator at scale: requests go through indexes (by subject, an inverted index
of the text, a due-time queue of tasks) rather than scanning the store, and the
indexes follow every change. What that buys in time (well under a millisecond a
call at 100,000 memories) is measured by `python -m benchmarks emulator`, not here:
timing goals live in the benchmarks, so a loaded machine cannot fail the suite."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from memos_client.testing import FakeMemOS, ManualClock
from memos_client.testing._memories import _recall
from memos_client.testing._memories._relevance import RELATED
from memos_client.testing._scale import build_store, scale_figures

from .helpers import add, listing, ok, search, values


def test_a_search_on_a_large_store_looks_only_at_the_subjects_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeMemOS(clock=ManualClock())
    build_store(fake, memories=5_000, users=50, tasks=500)
    examined: list[object] = []
    sees = _recall._sees

    def counted(record: Any, request: Any) -> bool:
        examined.append(record)
        return sees(record, request)

    monkeypatch.setattr(_recall, "_sees", counted)
    with fake.client() as client:
        hits = client.search("What does the user think about sushi?", user_id="user-7")
    assert hits.memories or hits.preferences
    # The user's own 100 facts and their preferences, not the store's 5,000.
    assert 0 < len(examined) <= 300, len(examined)


def test_scale_figures_times_each_call() -> None:
    figures = scale_figures(memories=200, users=4, tasks=20, calls=3)
    assert set(figures) == {"add", "search", "get_status"}
    assert all(value > 0 for value in figures.values()), figures


def test_the_built_store_has_the_size_asked_for() -> None:
    fake = FakeMemOS(clock=ManualClock())
    task_ids = build_store(fake, memories=2_000, users=20, tasks=200)
    stats = fake.stats
    assert (stats.memories_stored, stats.tasks_created, len(task_ids)) == (2_000, 200, 200)
    assert {task.status for task in fake.tasks.values()} == {"completed"}
    assert len(fake.memories(user_id="user-7")) == 100
    assert fake.memories(user_id="user-20") == []


def test_the_index_follows_updates_deletes_and_feedback(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    add(http, "I play tennis on Mondays", async_mode=False)
    add(http, "I collect vintage stamps", async_mode=False, conversation_id="c2")
    tennis = next(m for m in listing(http)["memory_detail_list"] if "tennis" in m["memory_value"])
    assert search(http, "tennis")["memory_detail_list"][0]["relativity"] == 1.0
    changes = {"content": "The user plays squash.", "title": "Squash"}
    ok(http, "update/memory", {"memory_id": tennis["id"], **changes})
    assert values(search(http, "squash")) == ["The user plays squash."]
    [kept] = search(http, "tennis")["memory_detail_list"]
    assert kept["relativity"] == RELATED  # only through its `Sports` tag now
    ok(http, "add/feedback", {"user_id": "u1", "feedback_content": "replace stamps with coins"})
    fake.clock.advance(1)
    assert values(search(http, "vintage coins")) == ["The user collects vintage coins."]
    [coins] = search(http, "stamps")["memory_detail_list"]
    assert coins["relativity"] == RELATED  # through its `Hobbies` tag, not the old word
    ok(http, "delete/memory", {"memory_ids": [tennis["id"]]})
    assert "The user plays squash." not in values(search(http, "squash", relativity=0))
    ok(http, "delete/memory", {"user_id": "u1"})
    assert values(search(http, "vintage coins", relativity=0)) == []
