"""Every call's keyword fields, declared once: wire name, type, check and one-line doc.

Each TypedDict here is what a call's `**params` accepts (PEP 692), so editors show
every field with its type and doc, and type checkers refuse a misspelt one. The
request builder reads the same declarations at run time: `Annotated[T, CHECK]`
names the check a value passes before it is sent, and the field's name is its wire
name. The reference in `docs/api.md` is generated from this file
(`scripts/gen_api_docs.py`). Fields shared by several calls are declared once, in
a base class.

Unset fields are not sent, so the server's defaults apply (a field given as None
counts as unset).

This module deliberately has no `from __future__ import annotations`: the
annotations are read at run time.
"""

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Union

import httpx
from typing_extensions import Required, TypedDict

from .._core import _checks as c
from ._messages import MessageParam

__all__ = [
    "AddItem",
    "AddParams",
    "CallOptions",
    "ChatOptions",
    "ChatParams",
    "ExtractParams",
    "FeedbackParams",
    "FileListParams",
    "FileUploadParams",
    "KnowledgeBaseCreateParams",
    "MemoryDeleteParams",
    "MemoryListParams",
    "MemoryUpdateParams",
    "MessageListParams",
    "ProfileEditParams",
    "ProfileSubjectParams",
    "RecallParams",
    "RequestOptions",
    "RerankParams",
    "SearchParams",
    "TemplateListParams",
    "TemplateUpdateParams",
]

Timeout = Union[float, httpx.Timeout, None]  # noqa: UP007 (read at run time on 3.10)


class RequestOptions(TypedDict, total=False):
    """Per-call options every call takes (`with_options()` sets client-wide ones)."""

    timeout: Timeout
    """Seconds (or an `httpx.Timeout`) for this call; None waits without limit."""
    extra_headers: Mapping[str, str]
    """Headers to add to this request."""


class CallOptions(RequestOptions, total=False):
    """Per-call options of calls that send a JSON body."""

    extra_body: Mapping[str, Any]
    """Fields to add to the JSON body, for API fields the SDK does not know yet."""


class _Subject(TypedDict, total=False):
    user_id: Annotated[str, c.SUBJECT]
    """The user whose memories these are. Pass exactly one of `user_id` / `agent_id`."""
    agent_id: Annotated[str, c.SUBJECT]
    """The agent whose memories these are (with independent agent memory on)."""


class _Sharing(TypedDict, total=False):
    """Where a write's memories go, beyond the user's own."""

    app_id: Annotated[str, c.APP_ID]
    """Tags the memories with an app, to filter on later."""
    allow_public: Annotated[bool, c.BOOL]
    """Also write the memories to the project's public memory, which every user's
    search includes (server default False): for shared facts, never personal data."""
    allow_knowledgebase_ids: Annotated[Sequence[str], c.STRINGS]
    """Also write the memories into these knowledge bases of the project."""


class RecallParams(TypedDict, total=False):
    """What `search` and `chat` recall from, and how much."""

    filter: Annotated[Mapping[str, Any], c.FILTER]
    """Which memories to recall from, before ranking (build it with `memos_client.filters`)."""
    knowledgebase_ids: Annotated[Sequence[str], c.STRINGS]
    """Knowledge bases to recall from too, or `["all"]`; none unless given."""
    memory_limit_number: Annotated[int, c.RECALL_LIMIT]
    """At most this many facts, 1..25 (server default 9)."""
    include_preference: Annotated[bool, c.BOOL]
    """Recall preferences too (server default True)."""
    preference_limit_number: Annotated[int, c.RECALL_LIMIT]
    """At most this many preferences, 1..25 (server default 9)."""
    relativity: Annotated[float, c.UNIT]
    """Minimum relevance of a recalled memory, 0..1 (server default 0.45); 0 turns it off."""


class AddParams(_Sharing, CallOptions, total=False):
    """The keyword fields of `add` (add/message)."""

    user_id: Annotated[str | Sequence[str], c.SUBJECTS]
    """The owner, or in group chat a list of up to 20 distinct owners. Pass `user_id`,
    `agent_id` or both."""
    agent_id: Annotated[str | Sequence[str], c.SUBJECTS]
    """Tags the memories with an agent; with independent agent memory on, the agent
    owns memories of its own. A list in group chat."""
    conversation_id: Annotated[str, c.ID]
    """The session (at most 100 characters); turns that share it are read as one context."""
    tags: Annotated[Sequence[str], c.TAGS]
    """Candidate business tags; the server keeps those that fit the content."""
    info: Annotated[Mapping[str, str | int | float | Sequence[str]], c.INFO]
    """Your metadata, per key a string, a list of strings or a number (no booleans or
    nested objects); flat strings can be filtered on later."""
    async_mode: Annotated[bool, c.BOOL]
    """False asks the server to answer only once refinement is done (default True;
    image and file content is always processed asynchronously)."""
    allow_memory_view: Annotated[Sequence[str], c.VIEWS]
    """The kinds of memory this add may produce: `detail_factual`, `preference`,
    `tool_memory`, `skill`, `event`, `profile` (default all)."""
    custom_extract_prompt: Annotated[Mapping[str, str], c.EXTRACT_PROMPTS]
    """Extraction instructions for this add only (not stored), keyed by memory view,
    `image` or `document`; a view's prompt applies only if `allow_memory_view` allows
    the view, and `document` falls back to the `detail_factual` prompt."""
    source: Annotated[str, c.TEXT]
    """Which integration is calling, for the project's analytics."""


class AddItem(AddParams, total=False):
    """One item of `add_many`: an add's `messages` and keyword fields, and your `id`."""

    messages: Required[Sequence[MessageParam]]
    """The turns to remember, as for `add`."""
    id: str
    """Your key for the item, so that a journal recognises it on a rerun (default: a
    hash of its messages and subject)."""


class SearchParams(_Subject, RecallParams, CallOptions, total=False):
    """The keyword fields of `search` (search/memory)."""

    conversation_id: Annotated[str, c.ID]
    """Ranks this session's memories higher, without filtering out the others."""
    include_tool_memory: Annotated[bool, c.BOOL]
    """Recall tool memories too (server default False)."""
    tool_memory_limit_number: Annotated[int, c.RECALL_LIMIT]
    """At most this many tool memories, 1..25 (server default 6)."""
    include_skill: Annotated[bool, c.BOOL]
    """Recall skills too, learned from conversations and uploaded to knowledge bases
    (server default False); an older switch that `include_memory_view` supersedes."""
    skill_limit_number: Annotated[int, c.RECALL_LIMIT]
    """At most this many skills, 1..25 (server default 6)."""
    include_memory_view: Annotated[Sequence[str], c.VIEWS]
    """The kinds of memory to return: `detail_factual`, `preference`, `tool_memory`,
    `skill`, `event`, `profile`; an unknown one is refused."""
    context_format: Annotated[str, c.TEXT]
    """A hint, passed through, on how the server formats recalled context: the official
    client sends `"memory"`, and MemOS Cloud documents no other value; leave it unset
    (`SearchResult.to_prompt()` formats results client-side)."""
    source: Annotated[str, c.TEXT]
    """Which integration is calling, for the project's analytics."""


class ChatOptions(RecallParams, _Sharing, CallOptions, total=False):
    """The optional fields of `chat` and `chat_stream` (chat)."""

    model_name: Annotated[str, c.TEXT]
    """The answering model: `qwen2.5-72b-instruct` (default), `qwen3-32b`, `deepseek-r1`."""
    system_prompt: Annotated[str, c.TEXT]
    """Your system prompt; `{memories}` marks where the recalled memories go."""
    max_tokens: Annotated[int, c.limit(1, 10**6)]
    """Caps the answer's length (server default 8192)."""
    temperature: Annotated[float, c.number(2.0)]
    """Sampling temperature, 0..2 (server default 0.7)."""
    top_p: Annotated[float, c.number(1.0)]
    """Nucleus sampling, 0..1 (server default 0.95)."""
    add_message_on_answer: Annotated[bool, c.BOOL]
    """Write this turn to memory (server default True); False makes the call free of
    side effects, so a timed-out one is retried."""
    agent_id: Annotated[str, c.ID]
    """Tags the written turn's memories with an agent."""
    tags: Annotated[Sequence[str], c.TAGS]
    """Candidate business tags for the written turn."""
    info: Annotated[Mapping[str, str], c.STRING_MAP]
    """Your metadata for the written turn: string values only."""


class ChatParams(ChatOptions, total=False):
    """The keyword fields of `chat` and `chat_stream` (chat)."""

    user_id: Required[Annotated[str, c.ID]]
    """The user whose memories the answer draws on."""
    conversation_id: Required[Annotated[str, c.ID]]
    """The session the turn belongs to."""


class ExtractParams(CallOptions, total=False):
    """The keyword fields of `extract` (extract/memory)."""

    extraction_types: Annotated[Sequence[str], c.EXTRACTION_KINDS]
    """What to extract: `memory`, `preference` (default both)."""
    model: Annotated[str, c.TEXT]
    """The extracting model; the server's default when unset."""


class RerankParams(CallOptions, total=False):
    """The keyword fields of `rerank`."""

    top_n: Annotated[int, c.limit(1, 10**6)]
    """Return only the best `top_n` documents."""
    model: Annotated[str, c.TEXT]
    """`memos-reranker-0.6b` or `memos-reranker-4b`."""


class MemoryListParams(_Subject, CallOptions, total=False):
    """The keyword fields of `memories.list` and `memories.iter_pages` (get/memory)."""

    page: Annotated[int, c.PAGE]
    """The page to start from (default 1)."""
    size: Annotated[int, c.limit(1, 50)]
    """Memories per page and per kind, 1..50."""
    filter: Annotated[Mapping[str, Any], c.FILTER]
    """Which memories to list (build it with `memos_client.filters`)."""
    include_preference: Annotated[bool, c.BOOL]
    """List preferences too."""
    include_tool_memory: Annotated[bool, c.BOOL]
    """List tool memories too."""
    include_memory_view: Annotated[Sequence[str], c.VIEWS]
    """The kinds of memory to list (see `search`)."""


class MemoryDeleteParams(CallOptions, total=False):
    """The keyword fields of `memories.delete` (delete/memory): exactly one of them."""

    memory_ids: Annotated[Sequence[str], c.IDS]
    """The memories to delete."""
    user_id: Annotated[str, c.ID]
    """Delete ALL of this user's memories."""
    agent_id: Annotated[str, c.ID]
    """Delete ALL of this agent's memories."""


class MemoryUpdateParams(CallOptions, total=False):
    """The keyword fields of `memories.update` (update/memory): at least one of them."""

    content: Annotated[str, c.TEXT]
    """The memory's new text."""
    title: Annotated[str, c.TEXT]
    """The memory's new title."""
    status: Annotated[str, c.TEXT]
    """The memory's new status, such as `activated` or `archived`."""


class MessageListParams(CallOptions, total=False):
    """The keyword fields of `messages.list` (get/message)."""

    user_id: Required[Annotated[str, c.ID]]
    """The user who had the conversation."""
    conversation_id: Required[Annotated[str, c.ID]]
    """The conversation to read."""
    message_limit_number: Annotated[int, c.limit(1, 50)]
    """How many of the latest messages, 1..50 (server default 6)."""


class FeedbackParams(_Sharing, CallOptions, total=False):
    """The keyword fields of `feedback.add` (add/feedback)."""

    user_id: Required[Annotated[str, c.ID]]
    """The user whose memories the feedback corrects."""
    conversation_id: Annotated[str, c.ID]
    """The session the feedback came up in."""
    agent_id: Annotated[str, c.ID]
    """The agent whose memories the feedback corrects."""
    feedback_time: Annotated[str, c.TEXT]
    """When the feedback was given, free-form (default: now, Beijing time)."""


class KnowledgeBaseCreateParams(CallOptions, total=False):
    """The keyword fields of `knowledgebases.create` (create/knowledgebase)."""

    knowledgebase_description: Annotated[str, c.TEXT]
    """What the knowledge base holds."""


class FileUploadParams(CallOptions, total=False):
    """The keyword fields of `knowledgebases.files.add` (add/knowledgebase-file)."""

    type: Annotated[str, c.FILE_TYPE]
    """`document` (default) or `skill`."""


class FileListParams(CallOptions, total=False):
    """The keyword fields of `knowledgebases.files.list` (get/knowledgebase-file)."""

    type: Annotated[str, c.FILE_TYPE]
    """List only `document` or only `skill` files."""
    page: Annotated[int, c.PAGE]
    """The page to start from (default 1)."""
    page_size: Annotated[int, c.limit(1, 100)]
    """Files per page, 1..100."""


class TemplateUpdateParams(CallOptions, total=False):
    """The keyword fields of `profiles.templates.update` (update/profile_template)."""

    name: Required[Annotated[str, c.TEXT]]
    """The template's new name."""
    metadata: Required[Annotated[Mapping[str, Any], c.TREE]]
    """The template's whole new tree; a field left out loses its stored values."""


class TemplateListParams(CallOptions, total=False):
    """The keyword fields of `profiles.templates.list` (list/profile_template)."""

    page: Annotated[int, c.PAGE]
    """The page to start from (default 1)."""
    size: Annotated[int, c.limit(1, 100)]
    """Templates per page, 1..100 (server default 10)."""


class ProfileSubjectParams(CallOptions, total=False):
    """The keyword fields of `profiles.delete` (delete/profile): exactly one of them."""

    user_id: Annotated[str, c.ID]
    """The user whose profile it is."""
    agent_id: Annotated[str, c.ID]
    """The agent whose profile it is."""


class ProfileEditParams(ProfileSubjectParams, total=False):
    """The keyword fields of `profiles.edit` (edit/profile)."""

    metadata: Annotated[Mapping[str, Any], c.PARTIAL_TREE]
    """A partial tree: per field a new `value` and/or `algorithm_updatable` (a lock)."""
    remove_fields: Annotated[Sequence[str], c.STRINGS]
    """Fields to clear, as dotted paths such as `"basic.job"`."""
