"""The knowledge-base file pipeline: accept a file `running`, process it when due.

An upload (or a new version) opens the file `running`, due `refine_delay`
seconds later on the fake's clock. `_settle.settle` processes due files:

* a URL is "downloaded" from `Store.urls` (`FakeMemOS.register_url`); an
  unregistered URL fails the file, since the emulator is offline;
* a document's text (`_documents`) is cut into paragraph chunks, each stored as
  a `LongTermMemory` of the knowledge base (conversation `default_session`,
  tagged `knowledgebase`), searchable only when a search lists the knowledge base;
* a skill file becomes a skill (`skill_detail_list`, `skill_type: "uploaded"`).

Whatever the file produced before (an earlier version) is removed when it is
processed again. Injected faults make files fail, or never finish.
"""

from __future__ import annotations

from .._memories._lexicon import topics_in
from .._memories._phrasing import title
from .._memories._records import Scope, StoredMemory
from .._memories._text import content_terms
from .._store import Store
from .._tasks._records import TaskFate
from . import _uploads
from ._documents import ParseError, chunks, document_text, skill_docs
from ._kb_records import KB_CONVERSATION, KnowledgeBaseFile, StoredSkill
from ._uploads import Upload

__all__ = [
    "CHUNK_CONFIDENCE",
    "KB_TAG",
    "accept",
    "process_file",
    "remove_file",
    "remove_knowledgebase",
]

KB_TAG = "knowledgebase"
CHUNK_CONFIDENCE = 0.99
INJECTED_FAILURE = "processing failed (injected)"


def _load(file: KnowledgeBaseFile, upload: Upload) -> None:
    file.name, file.size = upload.name, upload.size
    file.data, file.url, file.mime_type = upload.data, upload.url, upload.mime_type


def accept(
    store: Store,
    file: KnowledgeBaseFile | None,
    knowledgebase_id: str,
    upload: Upload,
    fate: TaskFate,
    fail_reason: str | None,
) -> KnowledgeBaseFile:
    """Open a new file (`file is None`) or a new version of `file`, `running` until due."""
    now_ms = store.now_ms()
    due = store.clock.now() + store.refine_delay
    if file is None:
        file = KnowledgeBaseFile(
            id=store.ids(),
            knowledgebase_id=knowledgebase_id,
            type=upload.type,
            name=upload.name,
            size=upload.size,
            status="running",
            due=due,
            fate=fate,
            create_time=now_ms,
            update_time=now_ms,
        )
        store.files[file.id] = file
    file.status, file.due, file.fate, file.update_time = "running", due, fate, now_ms
    file.reason, file.fail_reason = None, fail_reason
    _load(file, upload)
    store.schedule(file)
    return file


def _drop_outputs(store: Store, file: KnowledgeBaseFile) -> None:
    for memory_id in file.memory_ids:
        store.memories.pop(memory_id, None)
    for skill_id in file.skill_ids:
        store.skills.pop(skill_id, None)
    file.memory_ids, file.skill_ids = [], []


def _fail(file: KnowledgeBaseFile, reason: str) -> None:
    file.status, file.reason = "failed", reason


def process_file(store: Store, file: KnowledgeBaseFile) -> None:
    """Process a due file by its fate: parse it and store what it holds, or fail it."""
    if file.fate == "stuck":
        return
    _drop_outputs(store, file)
    file.update_time = store.now_ms()
    if file.fate == "fail":
        _fail(file, file.fail_reason or INJECTED_FAILURE)
        return
    data = file.data
    if data is None and file.url is not None:
        data = store.urls.get(file.url)
        if data is None:
            _fail(
                file,
                f"could not download {file.url}: the emulator is offline "
                "(give the URL its content with fake.register_url)",
            )
            return
        file.size = len(data)
    if data is None or file.size > _uploads.MAX_FILE_BYTES:
        _fail(file, f"{file.name} is larger than the 100 MB limit")
        return
    try:
        if file.type == "skill":
            _store_skills(store, file, data)
        else:
            _store_chunks(store, file, data)
    except ParseError as error:
        _fail(file, str(error))
        return
    file.status = "completed"


def _store_chunks(store: Store, file: KnowledgeBaseFile, data: bytes) -> None:
    now_ms = store.now_ms()
    for chunk in chunks(document_text(file.name, data)):
        memory = StoredMemory(
            id=store.ids(),
            memory_key=title(chunk),
            memory_value=chunk,
            memory_type="LongTermMemory",
            tags=[KB_TAG, *topics_in(content_terms(chunk), chunk)],
            confidence=CHUNK_CONFIDENCE,
            create_time=now_ms,
            update_time=now_ms,
            conversation_id=KB_CONVERSATION,
            scope=Scope(),
            knowledgebase_id=file.knowledgebase_id,
            file_id=file.id,
            sources=[{"type": "file", "file_id": file.id, "name": file.name, "content": chunk}],
        )
        store.memories[memory.id] = memory
        file.memory_ids.append(memory.id)


def _store_skills(store: Store, file: KnowledgeBaseFile, data: bytes) -> None:
    now_ms = store.now_ms()
    for doc in skill_docs(file.name, data):
        skill = StoredSkill(
            id=store.ids(),
            knowledgebase_id=file.knowledgebase_id,
            file_id=file.id,
            name=doc.name,
            description=doc.description,
            procedure=doc.procedure,
            others=dict(doc.others),
            create_time=now_ms,
            update_time=now_ms,
        )
        store.skills[skill.id] = skill
        file.skill_ids.append(skill.id)


def remove_file(store: Store, file: KnowledgeBaseFile) -> None:
    """Delete a file with the memories and skills it produced."""
    _drop_outputs(store, file)
    store.files.pop(file.id, None)


def remove_knowledgebase(store: Store, knowledgebase_id: str) -> None:
    """Delete a knowledge base with its files and everything they produced."""
    for file in [f for f in store.files.values() if f.knowledgebase_id == knowledgebase_id]:
        remove_file(store, file)
    store.knowledgebases.pop(knowledgebase_id, None)
