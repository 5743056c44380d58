"""The floor of a pydantic-typed client: raw httpx decoding into small pydantic models.

No client whose results are pydantic models can cost less than raw httpx plus
pydantic's own work: importing it and declaring models (at cold start) and
validating each answer into model instances (per call). This is that least: a few
small models with only the fields the benchmark's answers carry, unknown fields
kept (`extra="allow"`, as any lossless client needs), empty lists made by
`default_factory` (a `[]` default is deep-copied for each absent field), and the
answer validated in one pass from its bytes. It has no target. `overhead` and `coldstart` time it
beside memos-client and raw httpx, so that each figure splits in two: floor / raw
is pydantic's share, memos-client / floor the SDK's own.

The models are Python source, run here and (those of a search) in the cold-start
child processes, so both measure the same models.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, create_model

__all__ = ["DATA_MODELS", "MODELS", "SEARCH_MODELS", "async_floor_call", "envelope", "floor_call"]

SEARCH_MODELS = """\
from pydantic import BaseModel, ConfigDict, Field
class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")
class Memory(_Model):
    id: str | None = None
    memory_key: str | None = None
    memory_value: str | None = None
    memory_type: str | None = None
    create_time: int | None = None
    update_time: int | None = None
    conversation_id: str | None = None
    status: str | None = None
    confidence: float | None = None
    tags: list[str] = Field(default_factory=list)
    relativity: float | None = None
class Preference(_Model):
    id: str | None = None
    preference: str | None = None
    preference_type: str | None = None
    reasoning: str | None = None
    create_time: int | None = None
    update_time: int | None = None
    conversation_id: str | None = None
    status: str | None = None
    relativity: float | None = None
class SearchData(_Model):
    memory_detail_list: list[Memory] = Field(default_factory=list)
    preference_detail_list: list[Preference] = Field(default_factory=list)
    preference_note: str | None = None
"""
"""The models a search answer needs: all that the cold-start children declare."""

MODELS = (
    SEARCH_MODELS
    + """\
class AddData(_Model):
    success: bool | None = None
    task_id: str | None = None
    status: str | None = None
class StatusData(_Model):
    task_id: str | None = None
    status: str | None = None
"""
)

DATA_MODELS = {"search": "SearchData", "add": "AddData", "get_status": "StatusData"}
"""The model of each operation's `data`, by operation name."""

_NAMESPACE: dict[str, Any] = {}
# Compiled without this module's `from __future__ import annotations`, as a child runs it.
exec(compile(MODELS, "<floor models>", "exec", dont_inherit=True), _NAMESPACE)


def envelope(operation: str) -> type[BaseModel]:
    """The `{code, data, message}` model around `operation`'s data model."""
    data: Any = _NAMESPACE[DATA_MODELS[operation]] | None
    return create_model(
        f"{DATA_MODELS[operation]}Envelope",
        code=(Any, None),
        data=(data, None),
        message=(Any, None),
    )


def _data(response: httpx.Response, model: type[BaseModel]) -> Any:
    response.raise_for_status()
    answer: Any = model.model_validate_json(response.content)
    if answer.code != 0:
        raise RuntimeError(f"unexpected answer: {response.content!r:.200}")
    return answer.data


def floor_call(client: httpx.Client, url: str, body: dict[str, Any], model: type[BaseModel]) -> Any:
    """The call by hand, typed: POST the JSON body, validate the answer into `model`."""
    return _data(client.post(url, json=body), model)


async def async_floor_call(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], model: type[BaseModel]
) -> Any:
    return _data(await client.post(url, json=body), model)
