"""Quickstart, async: add -> search -> wait -> search, then a sync-mode add.

Runs on MemOS Cloud when MEMOS_API_KEY is set; otherwise on the offline emulator
that ships with memos-client, served on 127.0.0.1.

    python examples/quickstart_async.py
"""

from __future__ import annotations

import asyncio
import uuid
from textwrap import shorten

from cloud_or_emulator import open_async_client

from memos_client import AsyncMemOS
from memos_client.types import MessageParam

TRIP: list[MessageParam] = [
    {
        "role": "user",
        "content": "I've booked a trip to Guangzhou for the summer vacation. I love spicy food.",
    },
    {"role": "assistant", "content": "Great! Guangzhou has plenty of spicy Hunan restaurants."},
]


async def run(client: AsyncMemOS) -> None:
    user = f"quickstart-{uuid.uuid4().hex[:8]}"  # a fresh user, so reruns start clean

    task = await client.add(TRIP, user_id=user, conversation_id="trip")
    print(f"1. add: task {task.id} is {task.status}")

    rough = await client.search("Where is the user travelling this summer?", user_id=user)
    first = rough.memories[0]
    text = shorten(first.memory_value or "", 64)
    print(f"2. search at once: {first.memory_type} {first.tags} {text}")

    final = await task.wait(timeout=120)
    added = final.memory_views.added if final.memory_views else "?"
    print(f"3. wait: task {final.status}, {added} memories added")

    refined = await client.search(
        "Where is the user travelling, and what food do they love?",
        user_id=user,
        relativity=0.3,  # the minimum relevance (0..1); the server's default is 0.45
        include_memory_view=["detail_factual", "preference"],
    )
    print("4. search again, refined:")
    for memory in refined.memories:
        print(f"   {memory.memory_type} {memory.memory_key!r}: {memory.memory_value}")
    for preference in refined.preferences:
        print(f"   {preference.preference_type}: {preference.preference}")

    done = await client.add(
        [{"role": "user", "content": "I prefer aisle seats on long flights."}],
        user_id=user,
        conversation_id="trip",
        async_mode=False,
    )
    print(f"5. add with async_mode=False: done at once ({done.status})")


async def main() -> None:
    async with open_async_client() as client:
        await run(client)


if __name__ == "__main__":
    asyncio.run(main())
