"""Chat streaming: print MemOS's answer as it arrives, then the same question unstreamed.

MemOS's `chat` recalls the user's memories, answers with its model and stores the turn.

1. Stores a few facts first (`async_mode=False`: refined before the chat starts).
2. `chat_stream` answers as server-sent events: `reasoning` chunks (if the model
   shows its reasoning), `text` chunks of the answer, then `end`. Each chunk is
   printed as it arrives (flushed, so a terminal shows it at once).
3. `chat` asks the same without streaming: one `ChatResponse` once the answer is done.
   It passes `add_message_on_answer=False`, so the repeated question is not stored.

Runs on MemOS Cloud when MEMOS_API_KEY is set; otherwise on the offline emulator,
served on 127.0.0.1, whose "model" answers by quoting what it recalled.

    python examples/chat_streaming.py
"""

from __future__ import annotations

import uuid

from cloud_or_emulator import open_client

from memos_client import MemOS, messages as m

QUESTION = "What should I pack for my trip to Chengdu?"


def stream_answer(client: MemOS, user: str) -> None:
    """Print each chunk as it comes; a new section starts where the event type changes."""
    section = None
    with client.chat_stream(QUESTION, user_id=user, conversation_id="packing") as stream:
        for event in stream:
            if event.type in ("reasoning", "text"):
                if event.type != section:
                    print(("\n" if section else "") + f"{event.type}: ", end="")
                    section = event.type
                print(event.data, end="", flush=True)
            elif event.type == "end":
                print("\n[end of stream]")
            # other event types (a newer server's) are skipped


def main() -> None:
    user = f"chat-{uuid.uuid4().hex[:8]}"  # a fresh user, so reruns start clean
    with open_client() as client:
        client.add(
            [
                m.user("My trip to Chengdu is in April, and I always get cold on planes."),
                m.assistant("Noted! Chengdu in April is mild and often rainy."),
            ],
            user_id=user,
            conversation_id="packing",
            async_mode=False,
        )
        print(f"you: {QUESTION}")
        stream_answer(client, user)

        answer = client.chat(
            QUESTION, user_id=user, conversation_id="packing", add_message_on_answer=False
        )
        print(f"not streamed: {answer.response}")


if __name__ == "__main__":
    main()
