"""`POST /rerank`: candidate texts ranked against a query (memos-api.md 3.12).

Answers a BARE object (no envelope), as the spec says:
`{id, model, usage: {prompt_tokens, total_tokens}, results: [{index, document:
{text}, relevance_score}]}`, best first (ties in input order), cut to `top_n`.
Scores are search's lexical relevance (`_relevance`) of each document for the
query. Tokens are counted as words. Errors are still ordinary envelopes.
"""

from __future__ import annotations

from typing import Any

from .._call import Call
from .._http._params import optional_int, optional_str, required, required_str
from .._http._wire import ApiError, FakeResponse, bad_request, json_response
from .._memories._relevance import document, relativities
from .._memories._text import words

__all__ = ["DEFAULT_MODEL", "MODELS", "rerank"]

MODELS = ("memos-reranker-0.6b", "memos-reranker-4b")
DEFAULT_MODEL = MODELS[0]
MAX_TOP_N = 10**6


def _documents(value: Any) -> list[str]:
    if value is None:
        raise required("documents")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request("documents must be a list of strings")
    if not value:
        raise ApiError(40003, "documents must not be an empty list")
    return list(value)


def rerank(call: Call) -> FakeResponse:
    """The bare ranking."""
    body = call.body
    query = required_str(body, "query")
    documents = _documents(body.get("documents"))
    top_n = optional_int(body, "top_n", len(documents), 1, MAX_TOP_N)
    model = optional_str(body, "model") or DEFAULT_MODEL
    if model not in MODELS:
        raise bad_request(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    scores = relativities(query, [document(text) for text in documents])
    order = sorted(range(len(documents)), key=lambda index: (-scores[index], index))
    tokens = len(words(query)) + sum(len(words(text)) for text in documents)
    return json_response(
        200,
        {
            "id": call.store.ids(),
            "model": model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            "results": [
                {
                    "index": index,
                    "document": {"text": documents[index]},
                    "relevance_score": scores[index],
                }
                for index in order[:top_n]
            ],
        },
    )
