"""How stored records read back: `get/memory` items (with `sources` and `info`) and the
detail of one memory (`GET get/memory/{id}`).

`sources` are the messages a memory came from, `[{type: "chat", role, chat_time,
content}]`: the raw messages of the turn that produced it (a feedback correction
names the feedback; a knowledge-base chunk names its file, `type: "file"`).
`info` is the metadata given at write time.

The detail puts the sources at `data.metadata.sources`, each with the `lang` of
its content (`zh` when it holds CJK text, else `en`), where MemTensor's CLI reads
them (memos-api.md 3.4); the same list stays at `data.sources` for clients that
read it there.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from .._clock import format_chat_time
from .._knowledgebases._kb_records import StoredSkill
from .._store import Store
from ._records import StoredMemory, StoredPreference
from ._text import has_cjk

__all__ = ["detail", "iso", "listed", "sources_of"]

Record = StoredMemory | StoredPreference


def iso(epoch_ms: int) -> str:
    """Epoch milliseconds as an ISO 8601 UTC string: `2025-12-10T09:44:00.000Z`."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def sources_of(store: Store, record: Record | StoredSkill) -> list[dict[str, Any]]:
    """The origin of a record (copies)."""
    if isinstance(record, StoredSkill):
        return [{"type": "file", "file_id": record.file_id, "content": record.procedure}]
    explicit = getattr(record, "sources", None)
    if explicit is not None:
        return [dict(source) for source in explicit]
    if record.task_id is None:
        return []
    return [
        {
            "type": "chat",
            "role": message.role,
            "chat_time": message.chat_time or format_chat_time(message.create_time / 1000),
            "content": message.content,
        }
        for message in store.messages_of_task(record.task_id)
    ]


def listed(store: Store, record: Record) -> dict[str, Any]:
    """A `get/memory` item: the search shape, plus `sources` and `info`."""
    return {**record.item(), "sources": sources_of(store, record), "info": dict(record.scope.info)}


def detail(store: Store, record: Record | StoredSkill) -> dict[str, Any]:
    """`GET get/memory/{id}`: `{id, memory_id, memory, metadata: {..., sources}, sources}`."""
    if isinstance(record, StoredMemory):
        text, kind, key = record.memory_value, record.memory_type, record.memory_key
        tags, background = list(record.tags), ""
    elif isinstance(record, StoredPreference):
        text, kind, key = record.preference, "PreferenceMemory", record.preference_type
        tags, background = [record.preference_type], record.reasoning
    else:
        text, kind, key = record.description, "SkillMemory", record.name
        tags, background = list(record.tags), record.procedure
    sources = [
        {**source, "lang": _lang(str(source.get("content", "")))}
        for source in sources_of(store, record)
    ]
    return {
        "id": record.id,
        "memory_id": record.id,
        "memory": text,
        "metadata": {
            "memory_type": kind,
            "status": record.status,
            "key": key,
            "tags": tags,
            "created_at": iso(record.create_time),
            "updated_at": iso(record.update_time),
            "background": background,
            "conversation_id": record.conversation_id,
            "sources": sources,
        },
        "sources": [dict(source) for source in sources],
    }


def _lang(text: str) -> str:
    """The language of a source, as MemOS tags it: `zh` for CJK text, else `en`."""
    return "zh" if has_cjk(text) else "en"
