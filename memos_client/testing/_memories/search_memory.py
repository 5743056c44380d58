"""`POST /search/memory`: lexical recall over a subject's memories (memos-api.md 3.2).

Validation here; the recall itself (candidates, scoring, threshold, ranking) is
`_recall`, shared with `chat`. Knowledge-base chunks and skills take part only
when `knowledgebase_ids` lists their knowledge base (or is `["all"]`).
"""

from __future__ import annotations

from typing import Any

from .._call import Call
from .._http._params import conversation_id, optional_int, required_str, single_subject
from ._filters import parse_filter
from ._recall import (
    CONVERSATION_BOOST,
    DEFAULT_RELATIVITY,
    MAX_LIMIT,
    PREFERENCE_NOTE,
    Recall,
    knowledgebase_scope,
    recall,
    threshold_of,
)
from ._views import requested_views

__all__ = ["CONVERSATION_BOOST", "DEFAULT_RELATIVITY", "PREFERENCE_NOTE", "search_memory"]

LIMITS = {
    "detail_factual": ("memory_limit_number", 9),
    "preference": ("preference_limit_number", 9),
    "tool_memory": ("tool_memory_limit_number", 6),
    "skill": ("skill_limit_number", 6),
}
"""Each view's limit field and default (1..25)."""


def search_memory(call: Call) -> dict[str, Any]:
    """Answer all six lists and the `preference_note`."""
    body = call.body
    query = required_str(body, "query")
    kind, subject = single_subject(body)
    request = Recall(
        query=query,
        kind=kind,
        subject=subject,
        conversation=conversation_id(body),
        threshold=threshold_of(body),
        limits={
            view: optional_int(body, name, default, 1, MAX_LIMIT)
            for view, (name, default) in LIMITS.items()
        },
        views=requested_views(body, tool_memory=False),
        scope_filter=parse_filter(body.get("filter")),
        knowledgebases=knowledgebase_scope(call.store, body),
    )
    return recall(call.store, request)
