"""The emulator at scale: a store of tens of thousands of memories answers `add`,
`search` and `get/status` in well under a millisecond (median, in process), because
requests go through indexes (by subject, an inverted index of the text, a due-time
queue of tasks) rather than scanning the store; and the indexes follow every change."""

from __future__ import annotations

import sys

import httpx

from memos_client.testing import FakeMemOS, ManualClock
from memos_client.testing._memories._relevance import RELATED
from memos_client.testing._scale import build_store, scale_figures

from .helpers import add, listing, ok, search, values

BOUND_MS = 5.0
"""Generous, so the check is not flaky on a loaded machine; at 100,000 memories, 1,000
users and 10,000 tasks each median is under 1 ms (see `_scale.scale_figures`)."""


def test_calls_stay_well_under_a_millisecond_on_a_large_store() -> None:
    figures = scale_figures(memories=20_000, users=200, tasks=2_000, calls=60)
    sys.stdout.write(f"median ms per call, 20,000 memories / 200 users / 2,000 tasks: {figures}\n")
    assert set(figures) == {"add", "search", "get_status"}
    assert all(0 < value < BOUND_MS for value in figures.values()), figures


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
