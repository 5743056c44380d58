"""An agent loop with memory: recall, decide, call a tool, remember, and learn.

For each user turn, the agent:

1. recalls what MemOS remembers that bears on the turn (`search`, tool memories too);
2. decides whether to call a tool, filling in arguments from memory ("my trip" ->
   the city the user named two turns ago). The policy here is a clearly labelled
   STAND-IN for your LLM's function calling, so the example runs offline;
3. runs the tool and records the call and its result as typed tool-call turns
   (`messages.assistant(tool_calls=[messages.tool_call(...)])`, `messages.tool(...)`):
   the shape MemOS learns tool memories from;
4. stores the turn with `add` in async mode, without waiting.

After the session it waits for refinement (`wait_all`) and lists what MemOS learned:
facts, preferences, and tool memories where the service extracts them (MemOS Cloud
does; the offline emulator does not).

Runs on MemOS Cloud when MEMOS_API_KEY is set; otherwise on the offline emulator,
served on 127.0.0.1.

    python examples/agent_loop.py
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cloud_or_emulator import open_client

from memos_client import MemOS, Task, messages as m
from memos_client.types import MessageParam, SearchResult

# -- the tools (stand-ins for real APIs, so that the example runs offline) ------------------

FORECASTS = {"Chengdu": "light rain, 18-24 C", "Hangzhou": "sunny, 21-29 C"}
RESTAURANTS = {
    ("Chengdu", "spicy"): ["Chen Mapo Tofu", "Shujiuxiang Hot Pot"],
    ("Hangzhou", "vegetarian"): ["Lingyin Vegetarian Kitchen"],
}


def get_weather(city: str) -> dict[str, str]:
    return {"city": city, "forecast": FORECASTS.get(city, "no forecast available")}


def find_restaurants(city: str, cuisine: str) -> dict[str, Any]:
    return {"city": city, "cuisine": cuisine, "restaurants": RESTAURANTS.get((city, cuisine), [])}


TOOLS: dict[str, Callable[..., Mapping[str, Any]]] = {
    "get_weather": get_weather,
    "find_restaurants": find_restaurants,
}

# -- the policy (a STAND-IN for the LLM deciding, from the prompt, which tool to call) ------

CITY = re.compile(r"\b(Chengdu|Hangzhou)\b")
CUISINE = re.compile(r"\b(spicy|vegetarian)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ToolChoice:
    name: str
    arguments: dict[str, str]


def decide(message: str, memories: SearchResult) -> ToolChoice | None:
    """Which tool to call, if any. Arguments missing from the message come from memory."""
    remembered = " ".join(memory.memory_value or "" for memory in memories.memories)
    remembered += " " + " ".join(p.preference or "" for p in memories.preferences)

    def find(pattern: re.Pattern[str]) -> str | None:
        found = pattern.search(message) or pattern.search(remembered)
        return found.group(1) if found else None

    city, cuisine = find(CITY), find(CUISINE)
    if "weather" in message.lower() and city:
        return ToolChoice("get_weather", {"city": city})
    if "restaurant" in message.lower() and city and cuisine:
        return ToolChoice("find_restaurants", {"city": city, "cuisine": cuisine.lower()})
    return None


def reply_from(result: Mapping[str, Any] | None) -> str:
    """The stand-in LLM's answer: the tool's result in words, or an acknowledgement."""
    if result is None:
        return "Noted, I'll remember that."
    if "forecast" in result:
        return f"The forecast for {result['city']}: {result['forecast']}."
    names = ", ".join(result["restaurants"]) or "nothing I know of"
    return f"{result['cuisine'].capitalize()} food in {result['city']}: {names}."


# -- the loop -------------------------------------------------------------------------------

SESSION = [
    "My trip next week is to Chengdu, and I love spicy food.",
    "What's the weather forecast for my trip next week?",
    "Can you find a restaurant with the food I love?",
]


def agent_turn(client: MemOS, user: str, conversation: str, message: str) -> Task:
    """One turn: recall, decide, maybe call a tool, answer, and store the turn."""
    memories = client.search(
        message, user_id=user, conversation_id=conversation, include_tool_memory=True
    )
    choice = decide(message, memories)
    turn: list[MessageParam] = [m.user(message)]
    result = None
    if choice is not None:
        call = m.tool_call(choice.name, choice.arguments)
        result = TOOLS[choice.name](**choice.arguments)
        turn += [m.assistant(tool_calls=[call]), m.tool(call["id"], result)]
    answer = reply_from(result)
    turn.append(m.assistant(answer))

    print(f"user:  {message}")
    print(f"       (memories recalled: {len(memories)})")
    if choice is not None:
        print(f"tool:  {choice.name}({choice.arguments}) -> {result}")
    print(f"agent: {answer}")
    return client.add(turn, user_id=user, conversation_id=conversation)  # not waited on


def show_learned(client: MemOS, user: str) -> None:
    """What refinement made of the session: facts, preferences and tool memories."""
    page = client.memories.list(
        user_id=user, size=20, include_preference=True, include_tool_memory=True
    )
    facts = [memory for memory in page.memories if memory.memory_type != "WorkingMemory"]
    print(f"facts learned: {len(facts)}")
    for memory in facts:
        print(f"  - {memory.memory_value}")
    print(f"preferences learned: {len(page.preferences)}")
    for preference in page.preferences:
        print(f"  - {preference.preference}")
    print(f"tool memories learned: {len(page.tool_memory_detail_list)}")
    for tool_memory in page.tool_memory_detail_list:
        print(f"  - {tool_memory.experience}")


def main() -> None:
    user, conversation = f"agent-{uuid.uuid4().hex[:8]}", "trip-planning"
    with open_client() as client:
        tasks = [agent_turn(client, user, conversation, message) for message in SESSION]
        statuses = client.wait_all(tasks, timeout=120)
        added = sum(s.memory_views.added or 0 for s in statuses if s.memory_views)
        print(f"refinement done: {len(statuses)} turns, {added} memories added")
        show_learned(client, user)


if __name__ == "__main__":
    main()
