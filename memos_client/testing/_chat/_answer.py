"""Chat's "model": a deterministic answer over the recalled memories.

No LLM. With memories the answer is
`Here is what I remember about you: <m1>; <m2>; ... So, <m1>` (facts first, then
preferences, in recall order, each text once); without any it is `NO_MEMORY_ANSWER`. Working
memories (raw transcripts, such as earlier chat turns not yet refined) are
recalled but not quoted, so answers never nest earlier answers. The
answer is cut to `max_tokens` words (a word counts as a token). The reasoning
text says how many memories were recalled.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NO_MEMORY_ANSWER", "compose"]

NO_MEMORY_ANSWER = "I don't have anything about that yet."


def _texts(recalled: dict[str, Any]) -> list[str]:
    texts = [
        item["memory_value"]
        for item in recalled.get("memory_detail_list", [])
        if item.get("memory_type") != "WorkingMemory"
    ]
    texts += [item["preference"] for item in recalled.get("preference_detail_list", [])]
    cleaned = (text.strip().rstrip("。.") for text in texts)
    return list(dict.fromkeys(text for text in cleaned if text))


def compose(query: str, recalled: dict[str, Any], max_tokens: int) -> tuple[str, str]:
    """`(reasoning, answer)` for a query and what recall found."""
    texts = _texts(recalled)
    if texts:
        short = texts[0][:1].lower() + texts[0][1:]
        answer = f"Here is what I remember about you: {'; '.join(texts)}. So, {short}."
        reasoning = f'Recalled {len(texts)} memories relevant to "{query}".'
    else:
        answer = NO_MEMORY_ANSWER
        reasoning = f'No stored memory is relevant to "{query}".'
    words = answer.split()
    if len(words) > max_tokens:
        answer = " ".join(words[:max_tokens])
    return reasoning, answer
