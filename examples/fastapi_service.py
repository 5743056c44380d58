"""A FastAPI chat service with long-term memory: retrieve, build the prompt, answer, remember.

One `AsyncMemOS` lives as long as the app: the lifespan opens it at startup, keeps it
on `app.state` and closes it at shutdown; endpoints reach it through a dependency.
`POST /chat`:

1. retrieves what MemOS remembers about the user that bears on the message (`search`);
2. builds the LLM prompt with `SearchResult.to_prompt()`;
3. answers through a pluggable `answer(prompt, question)` coroutine; the default,
   `stand_in_answer`, is a clearly labelled stand-in for your LLM call, so this runs
   offline;
4. stores the turn with `add` in async mode: MemOS answers in milliseconds with a task
   and the service does not wait for refinement. The very next turn already finds this
   one (as a rough memory); refined facts and preferences follow within seconds.

Runs on MemOS Cloud when MEMOS_API_KEY is set; otherwise the lifespan serves the offline
emulator on 127.0.0.1 and says so.

    uvicorn --app-dir examples fastapi_service:app   # serve it (pip install uvicorn)
    python examples/fastapi_service.py               # serves with uvicorn if installed,
                                                     # else a short demo (TestClient)
    python examples/fastapi_service.py --demo        # the demo in any case
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from textwrap import shorten
from typing import Annotated

from cloud_or_emulator import open_async_client
from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel, Field

from memos_client import AsyncMemOS, MemOSError, messages as m
from memos_client.types import SearchResult

logger = logging.getLogger("memory_chat")

Answer = Callable[[str, str], Awaitable[str]]
"""`answer(prompt, question) -> reply`: your LLM call, given the system prompt."""

SYSTEM = "You are a helpful assistant. Use what you remember about the user when it helps."


class ChatIn(BaseModel):
    user_id: str = Field(min_length=1, max_length=100)
    conversation_id: str = Field(min_length=1, max_length=100)
    message: str = Field(min_length=1)


class ChatOut(BaseModel):
    answer: str
    memories_used: int
    """How many recalled memories the prompt was built from."""
    memory_task_id: str | None
    """The add's task: refined memories of this turn are ready once it completes."""


async def stand_in_answer(prompt: str, question: str) -> str:
    """A STAND-IN FOR THE LLM CALL, so that the example runs offline. It quotes the first
    memory in the prompt. Replace it with your model, e.g. with openai:

        reply = await llm.chat.completions.create(model=..., messages=[
            {"role": "system", "content": prompt}, {"role": "user", "content": question}])
        return reply.choices[0].message.content or ""
    """
    remembered = [line.removeprefix("- ") for line in prompt.splitlines() if line.startswith("- ")]
    if not remembered:
        return "[stand-in LLM] I don't know anything about you yet. Tell me more!"
    return f"[stand-in LLM] I remember: {shorten(remembered[0], 90)}"


def build_prompt(memories: SearchResult) -> str:
    """The system prompt: instructions, then what MemOS recalled (if anything)."""
    context = memories.to_prompt()
    return f"{SYSTEM}\n\n{context}" if context else SYSTEM


def get_memos(request: Request) -> AsyncMemOS:
    """The app's one client, opened by the lifespan."""
    client: AsyncMemOS = request.app.state.memos
    return client


def get_answer(request: Request) -> Answer:
    answer: Answer = request.app.state.answer
    return answer


router = APIRouter()


@router.post("/chat")
async def chat(
    turn: ChatIn,
    memos: Annotated[AsyncMemOS, Depends(get_memos)],
    answer: Annotated[Answer, Depends(get_answer)],
) -> ChatOut:
    try:
        memories = await memos.search(
            turn.message, user_id=turn.user_id, conversation_id=turn.conversation_id
        )
    except MemOSError as error:  # memory is an enhancement: answer without it
        logger.warning("memory search failed, answering without memories: %s", error)
        memories = SearchResult()
    reply = await answer(build_prompt(memories), turn.message)

    task_id = None
    try:
        task = await memos.add(
            [m.user(turn.message), m.assistant(reply)],
            user_id=turn.user_id,
            conversation_id=turn.conversation_id,
        )  # async mode (the default): returns at once, refinement goes on at MemOS
        task_id = task.id
    except MemOSError as error:  # the user still gets the answer; the turn is not stored
        logger.warning("could not store the turn: %s", error)
    return ChatOut(answer=reply, memories_used=len(memories), memory_task_id=task_id)


def create_app(
    *,
    connect: Callable[[], AbstractAsyncContextManager[AsyncMemOS]] = open_async_client,
    answer: Answer = stand_in_answer,
) -> FastAPI:
    """The service. `connect` opens the MemOS client for the app's lifetime (by default
    MemOS Cloud, or the emulator without a key); `answer` is your LLM call."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with connect() as memos:  # opened at startup, closed at shutdown
            app.state.memos = memos
            yield

    app = FastAPI(title="Chat with memory", lifespan=lifespan)
    app.state.answer = answer
    app.include_router(router)
    return app


app = create_app()

DEMO_TURNS = [
    "I'm vegetarian and I live in Hangzhou.",
    "Can you suggest vegetarian restaurants in Hangzhou?",
]


def demo() -> None:
    """Two turns through the app in process: the second recalls the first."""
    from fastapi.testclient import TestClient  # needs httpx (or httpx2), not a server

    user = f"demo-{uuid.uuid4().hex[:8]}"  # a fresh user, so reruns start clean
    with TestClient(app) as http:  # runs the lifespan: the client opens, and closes after
        for message in DEMO_TURNS:
            turn = ChatIn(user_id=user, conversation_id="dinner", message=message)
            response = http.post("/chat", json=turn.model_dump())
            response.raise_for_status()
            reply = ChatOut.model_validate(response.json())
            print(f"> {message}")
            print(f"< {reply.answer}")
            print(f"  memories used: {reply.memories_used}; stored as task {reply.memory_task_id}")


def main() -> None:
    if "--demo" in sys.argv[1:]:
        demo()
    elif importlib.util.find_spec("uvicorn") is None:
        print("uvicorn is not installed: a short demo through FastAPI's TestClient instead")
        demo()
    else:  # uvicorn is no dependency of this example: imported only when installed
        importlib.import_module("uvicorn").run(app, host="127.0.0.1", port=8000)


if __name__ == "__main__":
    main()
