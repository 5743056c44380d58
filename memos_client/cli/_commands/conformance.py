"""`memos doctor --conformance`: one short scenario, run against the configured service
and against the emulator, and where their answers differ.

The scenario works under a throwaway user id: add a turn and wait for it, search for
it, list, read, update and delete a memory, list the messages, send feedback, and
provoke a not-found and a bad-request error; then it deletes everything the user
has. Each step's answer is normalised to what should match between the two (the kind
of answer, the fields present, the error class and code), never ids or times.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..._exceptions import MemOSError
from .._output import wire

if TYPE_CHECKING:
    from ... import MemOS
    from ...types import MessageParam

__all__ = ["Outcome", "compare", "emulator_outcomes", "run_scenario"]

Outcome = dict[str, Any]
FACT = "I just adopted a greyhound named Biscuit."
QUERY = "What is the name of my greyhound?"
WORD = "Biscuit"
CORRECTION = "The dog is called Biscuit Junior now."
WAIT = 120.0  # seconds for a task of the scenario to finish


def error_outcome(error: MemOSError) -> Outcome:
    """An error as compared: its class and MemOS code."""
    return {"error": type(error).__name__, "code": getattr(error, "code", None)}


def fields_of(model: Any) -> list[str]:
    """The fields an answer carried (its keys on the wire), sorted."""
    data = wire(model)
    return sorted(data) if isinstance(data, dict) else []


class Scenario:
    """The steps, in order; each records its normalised outcome, or the error it met."""

    def __init__(self, client: MemOS) -> None:
        self.client = client
        self.user_id = f"memos-doctor-{uuid.uuid4().hex[:12]}"
        self.conversation_id = "memos-doctor"
        self.outcomes: dict[str, Outcome] = {}
        self.memory_id: str | None = None

    def step(self, name: str, action: Callable[[], Outcome]) -> None:
        try:
            self.outcomes[name] = action()
        except MemOSError as error:
            self.outcomes[name] = error_outcome(error)

    def run(self) -> dict[str, Outcome]:
        try:
            self.step("add and wait", self.add)
            self.step("search finds it", self.search)
            self.step("memories list", self.list)
            if self.memory_id is not None:
                self.step("memories get", self.get)
                self.step("memories update", self.update)
            self.step("messages list", self.messages)
            self.step("feedback and wait", self.feedback)
            self.step("unknown memory: not found", self.missing_memory)
            self.step("unknown task: not found", self.missing_task)
            self.step("limit out of range: bad request", self.bad_request)
            if self.memory_id is not None:
                self.step("memories delete", self.delete)
        finally:
            self.step("clean up", self.clean_up)
        return self.outcomes

    def add(self) -> Outcome:
        turn: list[MessageParam] = [{"role": "user", "content": FACT}]
        task = self.client.add(turn, user_id=self.user_id, conversation_id=self.conversation_id)
        final = task.wait(timeout=WAIT)
        return {"status": final.status, "fields": fields_of(final)}

    def search(self) -> Outcome:
        result = self.client.search(QUERY, user_id=self.user_id)
        texts = [str(getattr(item, "memory_value", "") or "") for item in result.memories]
        return {"found": any(WORD in text for text in texts), "fields": fields_of(result)}

    def list(self) -> Outcome:
        page = self.client.memories.list(user_id=self.user_id)
        facts = page.memories
        self.memory_id = facts[0].id if facts else None
        return {"has memories": bool(facts), "memory fields": fields_of(facts[0]) if facts else []}

    def get(self) -> Outcome:
        assert self.memory_id is not None
        return {"fields": fields_of(self.client.memories.get(self.memory_id))}

    def update(self) -> Outcome:
        assert self.memory_id is not None
        result = self.client.memories.update(self.memory_id, content=CORRECTION)
        return {"success": result.success}

    def messages(self) -> Outcome:
        history = self.client.messages.list(
            user_id=self.user_id, conversation_id=self.conversation_id
        )
        first = history.messages[0] if history.messages else None
        return {"has messages": first is not None, "message fields": fields_of(first)}

    def feedback(self) -> Outcome:
        task = self.client.feedback.add(
            CORRECTION, user_id=self.user_id, conversation_id=self.conversation_id
        )
        return {"status": task.wait(timeout=WAIT).status}

    def missing_memory(self) -> Outcome:
        return {"answer": fields_of(self.client.memories.get(f"{self.user_id}-missing"))}

    def missing_task(self) -> Outcome:
        return {"answer": fields_of(self.client.get_status(f"{self.user_id}-missing"))}

    def bad_request(self) -> Outcome:
        result = self.client.search(
            QUERY, user_id=self.user_id, extra_body={"memory_limit_number": 1000}
        )
        return {"answer": fields_of(result)}

    def delete(self) -> Outcome:
        assert self.memory_id is not None
        return {"success": self.client.memories.delete(memory_ids=[self.memory_id]).success}

    def clean_up(self) -> Outcome:
        return {"success": self.client.memories.delete(user_id=self.user_id).success}


def run_scenario(client: MemOS) -> dict[str, Outcome]:
    """The scenario's outcomes against `client`'s service, step by step."""
    return Scenario(client).run()


def emulator_outcomes() -> dict[str, Outcome]:
    """The scenario against an in-process emulator on a manual clock (waits are instant)."""
    from ...testing import FakeMemOS, ManualClock

    fake = FakeMemOS(clock=ManualClock())
    with fake.client() as client:
        return run_scenario(client)


def compare(
    service: dict[str, Outcome], emulator: dict[str, Outcome]
) -> list[tuple[str, Outcome | None, Outcome | None]]:
    """`(step, service outcome, emulator outcome)` of every step where they differ."""
    steps = [*service, *(name for name in emulator if name not in service)]
    return [
        (name, service.get(name), emulator.get(name))
        for name in steps
        if service.get(name) != emulator.get(name)
    ]
