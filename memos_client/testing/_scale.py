"""The emulator at scale: build a large store fast, then time SDK calls against it.

`scale_figures()` fills a `FakeMemOS` with `memories` fact memories over `users`
users and `tasks` tasks, then times `add`, `search` and `get_status` through a
sync SDK client on the in-process transport, and returns the median
milliseconds per call. The store is seeded through the internals (no HTTP),
so building it takes seconds: every task is a real one-message turn written by
the pipeline and refined (a fact and, for "I love ..." turns, a preference),
and the remaining memories are stored directly, as refined facts of the same
users. Texts come from a seeded generator over everyday vocabulary, so term
frequencies look like a real store's. Everything is deterministic except timing.

```python
from memos_client.testing._scale import scale_figures

print(scale_figures())  # {'add': 0.3, 'search': 0.4, 'get_status': 0.2}  (ms, medians)
```
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from ._clock import ManualClock
from ._fake import FakeMemOS
from ._memories._pipeline import REFINED_CONFIDENCE, Turn, write_turn
from ._memories._records import Scope, StoredMemory
from ._memories._views import VIEWS
from ._messages._parse import Message
from ._store import Store
from ._tasks._settle import settle

__all__ = ["build_store", "scale_figures"]

_VERBS = ("love", "like", "enjoy", "usually cook", "often visit", "want to try", "dislike")
_THINGS = """hiking climbing skiing yoga tennis football swimming cycling running chess
    guitar piano painting photography gardening knitting reading novels poetry jazz opera
    sushi ramen pizza dumplings curry salad pasta tacos coffee tea juice wine chocolate
    Paris Tokyo Lisbon Beijing Guangzhou Hangzhou Berlin Rome Kyoto Seoul Sydney Cairo
    museums concerts podcasts movies anime theatre trains flights hotels beaches mountains
    spreadsheets meetings deadlines interviews startups databases python robots laptops
    cats dogs puppies kittens parrots horses sisters cousins grandparents weddings birthdays
    dentists vitamins marathons stretching meditation sleep budgets savings stocks""".split()
_PLACES = ("at home", "on weekends", "with friends", "after work", "in the morning", "abroad")


def _sentence(rng: random.Random) -> str:
    """A first-person statement such as users write: `I enjoy sushi and jazz on weekends`."""
    first, second = rng.sample(_THINGS, 2)
    return f"I {rng.choice(_VERBS)} {first} and {second} {rng.choice(_PLACES)}"


def _query(rng: random.Random) -> str:
    return f"What does the user think about {rng.choice(_THINGS)}?"


def build_store(
    fake: FakeMemOS[ManualClock], *, memories: int, users: int, tasks: int, seed: int = 0
) -> list[str]:
    """Fill `fake` (empty, on a manual clock) and return its task ids.

    `tasks` one-message turns are written and refined, spread over `users`
    users; then facts are stored directly until the store holds `memories`
    active fact memories (at least one per refined task).
    """
    if min(memories, users, tasks) < 1:
        raise ValueError("memories, users and tasks must all be at least 1")
    rng = random.Random(seed)
    store: Store = fake._store  # seeded directly, not over HTTP: it is much faster
    owners = [Scope(user_ids=(f"user-{index}",)) for index in range(users)]
    task_ids: list[str] = []
    for index in range(tasks):
        text = _sentence(rng)
        message = Message("user", text, None, frozenset(), {"role": "user", "content": text})
        turn = Turn(
            scope=owners[index % users],
            conversation_id=f"conversation-{index % 7}",
            messages=(message,),
            tags=(),
            views=frozenset(VIEWS),
            wait=False,
        )
        task_ids.append(write_turn(store, turn).id)
    fake.clock.advance(store.refine_delay)
    settle(store)
    stored = sum(1 for memory in store.memories.values() if not memory.retired)
    now_ms = store.now_ms()
    for index in range(max(0, memories - stored)):
        statement = _sentence(rng)
        memory = StoredMemory(
            id=store.ids(),
            memory_key=statement.split(" and ")[0].split()[-1].capitalize(),
            memory_value=f"The user {statement[2:]}.",
            memory_type="UserMemory",
            tags=["mode:fine"],
            confidence=REFINED_CONFIDENCE,
            create_time=now_ms,
            update_time=now_ms,
            conversation_id=f"conversation-{index % 7}",
            scope=owners[index % users],
        )
        store.memories[memory.id] = memory
    return task_ids


def _median_ms(calls: int, call: Callable[[int], object]) -> float:
    timings: list[float] = []
    for index in range(calls):
        started = time.perf_counter()
        call(index)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def scale_figures(
    memories: int = 100_000,
    users: int = 1_000,
    tasks: int = 10_000,
    *,
    calls: int = 200,
    seed: int = 0,
) -> dict[str, float]:
    """Median milliseconds per in-process SDK call on a store of that size.

    Returns:
        `{"add": ..., "search": ..., "get_status": ...}`: each the median of
        `calls` calls through `FakeMemOS.client()` (an async `add` of one
        message, a `search` of one user's memories, a `get_status` of a task).
    """
    fake = FakeMemOS(clock=ManualClock(), seed=seed)
    task_ids = build_store(fake, memories=memories, users=users, tasks=tasks, seed=seed)
    rng = random.Random(f"{seed}:calls")
    queries = [(_query(rng), f"user-{rng.randrange(users)}") for _ in range(calls)]
    texts = [(_sentence(rng), f"user-{rng.randrange(users)}") for _ in range(calls)]
    polled = [task_ids[rng.randrange(len(task_ids))] for _ in range(calls)]
    with fake.client() as client:
        client.search("warm-up", user_id="user-0")  # imports and first-call setup
        return {
            "add": _median_ms(
                calls,
                lambda i: client.add(
                    [{"role": "user", "content": texts[i][0]}],
                    user_id=texts[i][1],
                    conversation_id="scale",
                ),
            ),
            "search": _median_ms(
                calls, lambda i: client.search(queries[i][0], user_id=queries[i][1])
            ),
            "get_status": _median_ms(calls, lambda i: client.get_status(polled[i])),
        }


if __name__ == "__main__":  # pragma: no cover - a manual probe
    import sys

    for name, value in scale_figures().items():
        sys.stdout.write(f"{name:>10}: {value:.3f} ms\n")
