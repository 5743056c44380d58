"""Every MemOS Cloud endpoint, declared once: method, path, kind, fields, answer.

A call's keyword fields are the TypedDict named by `params` (in
`memos_client.types._params`, where each field's type, check and doc live); its
positional arguments are `args`. `Endpoint.build` turns a call's arguments into a
`RequestSpec`: it checks only the fields given, names an unknown one with a
did-you-mean, runs the cross-field `rules`, and sends each field under its name.
`decode` and `after` turn the answer's data into the typed result. The clients, the
table test and the generated reference all read these declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NoReturn
from urllib.parse import quote

from . import _checks as c, _decode, _validate as check
from ._checks import Check
from ._spec import Kind, RequestSpec

__all__ = ["ENDPOINTS", "Arg", "Endpoint", "Field"]

OPTION_KEYS = frozenset({"timeout", "extra_headers", "extra_body"})
ADD_CHECK_HINT = (
    "search for it (client.search) or, if you hold its task id, check "
    "client.get_status(task_id) before sending it again"
)
FEEDBACK_CHECK_HINT = (
    "search for the corrected memory (client.search) before sending the feedback again"
)
CHAT_CHECK_HINT = (
    "the answer may have been written to memory: list the conversation's messages "
    "(client.messages.list) before asking again"
)
UPLOAD_CHECK_HINT = (
    "list the knowledge base's files (client.knowledgebases.files.list) before uploading again"
)

Rule = Callable[[Mapping[str, Any]], None]
Decoder = Callable[[Any, RequestSpec], Any]


@dataclass(frozen=True, slots=True)
class Arg:
    """A positional argument: its wire name, check and one-line doc (its type is in
    the method's signature)."""

    name: str
    check: Check
    doc: str


@dataclass(frozen=True, slots=True)
class Field:
    """A keyword field, as read from its TypedDict declaration."""

    name: str
    check: Check
    required: bool


@dataclass
class Endpoint:
    """One API call. `name` is how the SDK spells it (`"memories.list"`)."""

    name: str
    method: str
    path: str
    kind: Kind
    params: Any
    args: tuple[Arg, ...] = ()
    rules: tuple[Rule, ...] = ()
    # The answer: a model in `memos_client.types` (decoded in one pass when it can be),
    # or a decoder of its own; `after` fixes the decoded result up.
    response: str | None = None
    decode: Decoder | None = None
    after: Callable[[Any, RequestSpec], Any] | None = None
    # How the checked values become a request, when not as a JSON body (uploads).
    shape: Callable[[Endpoint, dict[str, Any]], RequestSpec] | None = None
    fixed: Mapping[str, Any] = field(default_factory=dict)
    # A chat that does not write to memory is a read: `kind` when this field is False.
    read_when_false: str | None = None
    allow_empty: bool = False
    bare_ok: bool = False
    check_hint: str = "read it back before sending it again"
    accept: str = "application/json"

    @cached_property
    def fields(self) -> dict[str, Field]:
        """The keyword fields, by wire name, read once from the TypedDict."""
        return fields_of(self.params)

    @cached_property
    def options(self) -> frozenset[str]:
        """The per-call options this call takes (`timeout`, `extra_headers`, ...)."""
        return OPTION_KEYS & frozenset(self.params.__annotations__)

    @cached_property
    def model_class(self) -> Any:
        """The response model class (its module loads on first use)."""
        from .. import types

        return getattr(types, self.response or "")

    @cached_property
    def one_pass(self) -> Any:
        """The model an answer can be decoded to straight from its bytes, if any."""
        return self.model_class if self.response is not None else None

    @cached_property
    def _runs(self) -> dict[str, Callable[[str, Any], Any]]:
        return {name: spec.check.run for name, spec in self.fields.items()}

    @cached_property
    def _in_path(self) -> frozenset[str]:
        """The args sent in the URL path (`{name}` in the path), not in the body."""
        return frozenset(arg.name for arg in self.args if "{" + arg.name + "}" in self.path)

    @cached_property
    def _required(self) -> tuple[str, ...]:
        return tuple(name for name, spec in self.fields.items() if spec.required)

    def build(self, args: Sequence[Any], params: Mapping[str, Any]) -> RequestSpec:
        """The request for a call: `params` are its keyword fields (options removed).

        Only the fields given are checked (the hot path: a call names a few of many).
        """
        runs = self._runs
        given: dict[str, Any] = {}
        for name, value in params.items():
            if name not in runs:
                self.unknown(name)
            if value is not None:
                given[name] = value
        for name in self._required:
            if name not in given:
                check.fail(name, f"is required: pass {name}=...")
        for rule in self.rules:
            rule(given)
        body: dict[str, Any] = {}
        path = self.path
        for arg, value in zip(self.args, args, strict=True):
            checked = arg.check.run(arg.name, value)
            if arg.name in self._in_path:
                path = path.replace("{" + arg.name + "}", quote(checked, safe=""))
            else:
                body[arg.name] = checked
        for name, value in given.items():
            body[name] = runs[name](name, value)
        if self.fixed:
            body.update(self.fixed)
        if self.shape is not None:
            return self.shape(self, body)
        kind = self.kind
        if self.read_when_false is not None and body.get(self.read_when_false) is False:
            kind = "read"
        return RequestSpec(
            self.method,
            path,
            kind,
            body if self.method != "GET" else None,
            allow_empty=self.allow_empty,
            bare_ok=self.bare_ok,
            check_hint=self.check_hint,
            accept=self.accept,
            endpoint=self.name,
        )

    def result(self, data: Any, spec: RequestSpec) -> Any:
        """The typed result of an answer's data."""
        if self.decode is not None:
            result = self.decode(data, spec)
        else:
            result = _decode.model(self.model_class, data, spec.path)
        return result if self.after is None else self.after(result, spec)

    def unknown(self, name: str) -> NoReturn:
        import difflib  # only for a mistake: kept out of start-up

        known = [*self.fields, *sorted(self.options)]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; it takes {', '.join(known)}"
        raise TypeError(f"{self.name}() got an unexpected keyword argument {name!r}{hint}")


def fields_of(params: Any) -> dict[str, Field]:
    """The checked fields of a params TypedDict (options carry no check)."""
    from typing import get_args, get_origin

    from typing_extensions import NotRequired, Required

    out: dict[str, Field] = {}
    for name, annotation in params.__annotations__.items():
        hint = annotation
        while get_origin(hint) in (Required, NotRequired):
            hint = get_args(hint)[0]
        found = [item for item in getattr(hint, "__metadata__", ()) if isinstance(item, Check)]
        if found:
            out[name] = Field(name, found[0], name in params.__required_keys__)
    return out


# Cross-field rules, over the fields given.


def _at_least_one_subject(given: Mapping[str, Any]) -> None:
    check.at_least_one_subject(given.get("user_id"), given.get("agent_id"))


def _one_subject(given: Mapping[str, Any]) -> None:
    check.exactly_one_subject(given.get("user_id"), given.get("agent_id"))


def exactly_one(names: Sequence[str], fix: str) -> Rule:
    def rule(given: Mapping[str, Any]) -> None:
        present = [name for name in names if name in given]
        if len(present) != 1:
            check.fail(names[0], fix.format(got=", ".join(present) or "none"))

    return rule


def at_least_one(names: Sequence[str], fix: str) -> Rule:
    def rule(given: Mapping[str, Any]) -> None:
        if not any(name in given for name in names):
            check.fail(names[0], fix)

    return rule


# Decoders and fix-ups of answers that are not one plain model.


def add_result(data: Any, spec: RequestSpec) -> Any:
    return _decode.add_result(data)


def _task_status(data: Any, spec: RequestSpec) -> Any:
    assert spec.body is not None
    return _decode.task_status(data, spec.body["task_id"])


def _files(data: Any, spec: RequestSpec) -> Any:
    """File records: a list (current), `file_detail_list`, or one object."""
    from ..types import KnowledgeBaseFile

    if isinstance(data, dict):
        data = data.get("file_detail_list", [data]) if data else []
    return _decode.model_list(KnowledgeBaseFile, data, spec.path)


def _template(data: Any, spec: RequestSpec) -> Any:
    """A template answer: the object itself, or wrapped in `profile_template`."""
    from ..types import ProfileTemplate

    if isinstance(data, dict) and isinstance(data.get("profile_template"), dict):
        data = data["profile_template"]
    return _decode.model(ProfileTemplate, data, spec.path)


def numbered(attribute: str) -> Callable[[Any, RequestSpec], Any]:
    """A page that leaves its number out gets the one asked for, so that paging does
    not restart at 1."""

    def fix(page: Any, spec: RequestSpec) -> Any:
        if getattr(page, attribute) is None:
            setattr(page, attribute, (spec.body or {}).get("page") or 1)
        return page

    return fix


def _shape_upload(endpoint: Endpoint, body: dict[str, Any]) -> RequestSpec:
    from ._uploads import upload_request

    return upload_request(endpoint, body)


_SUBJECT_FIX = "pass exactly one of user_id= or agent_id="
_MEMORY_FIELDS = at_least_one(
    ("content", "title", "status"), "nothing to change: pass content=, title= and/or status="
)


def _declare() -> tuple[Endpoint, ...]:
    from ..types import _params as p

    messages = Arg("messages", c.MESSAGES, "The turns to remember, OpenAI-style.")
    template_id = Arg("profile_template_id", c.SERVER_ID, "The template's id.")
    return (
        Endpoint(
            "add",
            "POST",
            "add/message",
            "write",
            p.AddParams,
            args=(messages,),
            rules=(_at_least_one_subject,),
            response="AddResult",
            decode=add_result,
            allow_empty=True,
            check_hint=ADD_CHECK_HINT,
        ),
        Endpoint(
            "search",
            "POST",
            "search/memory",
            "read",
            p.SearchParams,
            args=(Arg("query", c.TEXT, "What to recall memories for, in plain language."),),
            rules=(_one_subject,),
            response="SearchResult",
        ),
        Endpoint(
            "get_status",
            "POST",
            "get/status",
            "read",
            p.CallOptions,
            args=(Arg("task_id", c.SERVER_ID, "The id of the task an add returned."),),
            response="TaskStatus",
            decode=_task_status,
        ),
        Endpoint(
            "memories.list",
            "POST",
            "get/memory",
            "read",
            p.MemoryListParams,
            rules=(_one_subject,),
            response="MemoryPage",
            after=numbered("current"),
        ),
        Endpoint(
            "memories.get",
            "GET",
            "get/memory/{memory_id}",
            "read",
            p.RequestOptions,
            args=(Arg("memory_id", c.PATH_ID, "The memory's id."),),
            response="MemoryDetail",
        ),
        Endpoint(
            "memories.delete",
            "POST",
            "delete/memory",
            "write",
            p.MemoryDeleteParams,
            rules=(
                exactly_one(
                    ("memory_ids", "user_id", "agent_id"),
                    "pass exactly one of memory_ids=[...], user_id=... (all of a user's "
                    "memories) or agent_id=... (all of an agent's); got {got}",
                ),
            ),
            response="OperationResult",
            check_hint="list or search the memories to see whether they are gone",
        ),
        Endpoint(
            "memories.update",
            "POST",
            "update/memory",
            "write",
            p.MemoryUpdateParams,
            args=(Arg("memory_id", c.SERVER_ID, "The memory's id."),),
            rules=(_MEMORY_FIELDS,),
            response="OperationResult",
            check_hint="read the memory back (client.memories.get) to see whether it changed",
        ),
        Endpoint(
            "messages.list",
            "POST",
            "get/message",
            "read",
            p.MessageListParams,
            response="MessageHistory",
        ),
        Endpoint(
            "feedback.add",
            "POST",
            "add/feedback",
            "write",
            p.FeedbackParams,
            args=(
                Arg(
                    "feedback_content",
                    c.TEXT,
                    'The correction, in plain language ("the user moved to Paris in May").',
                ),
            ),
            response="AddResult",
            decode=add_result,
            allow_empty=True,
            check_hint=FEEDBACK_CHECK_HINT,
        ),
        CHAT := Endpoint(
            "chat",
            "POST",
            "chat",
            "write",
            p.ChatParams,
            args=(Arg("query", c.TEXT, "The user's message to answer."),),
            response="ChatResponse",
            read_when_false="add_message_on_answer",
            check_hint=CHAT_CHECK_HINT,
        ),
        Endpoint(
            "chat_stream",
            "POST",
            "chat",
            "write",
            p.ChatParams,
            args=CHAT.args,
            response="ChatResponse",
            read_when_false="add_message_on_answer",
            check_hint=CHAT_CHECK_HINT,
            fixed={"stream": True},
            accept="text/event-stream",
        ),
        Endpoint(
            "extract",
            "POST",
            "extract/memory",
            "read",
            p.ExtractParams,
            args=(
                Arg(
                    "messages",
                    c.SIMPLE_MESSAGES,
                    "`{role, content}` turns to extract from; nothing is stored.",
                ),
            ),
            response="ExtractResult",
        ),
        Endpoint(
            "rerank",
            "POST",
            "rerank",
            "read",
            p.RerankParams,
            args=(
                Arg("query", c.TEXT, "What the documents are ranked against."),
                Arg("documents", c.DOCUMENTS, "The texts to rank."),
            ),
            response="RerankResult",
            bare_ok=True,
        ),
        Endpoint(
            "knowledgebases.create",
            "POST",
            "create/knowledgebase",
            "write",
            p.KnowledgeBaseCreateParams,
            args=(Arg("knowledgebase_name", c.TEXT, "The knowledge base's name."),),
            response="KnowledgeBase",
            check_hint="look for it in the MemOS dashboard before creating it again",
        ),
        Endpoint(
            "knowledgebases.delete",
            "POST",
            "delete/knowledgebase",
            "write",
            p.CallOptions,
            args=(Arg("knowledgebase_id", c.SERVER_ID, "The knowledge base's id."),),
            response="OperationResult",
        ),
        Endpoint(
            "knowledgebases.files.add",
            "POST",
            "add/knowledgebase-file",
            "write",
            p.FileUploadParams,
            args=(
                Arg("knowledgebase_id", c.SERVER_ID, "The knowledge base to add to."),
                Arg("files", c.UPLOADS, "Paths, URLs or `FileUpload`s: one, or up to 20."),
            ),
            decode=_files,
            shape=_shape_upload,
            check_hint=UPLOAD_CHECK_HINT,
        ),
        Endpoint(
            "knowledgebases.files.list",
            "POST",
            "get/knowledgebase-file",
            "read",
            p.FileListParams,
            args=(Arg("knowledgebase_id", c.SERVER_ID, "The knowledge base to list."),),
            response="KnowledgeBaseFilePage",
            after=numbered("page"),
        ),
        Endpoint(
            "knowledgebases.files.get",
            "POST",
            "get/knowledgebase-file",
            "read",
            p.CallOptions,
            args=(Arg("file_ids", c.IDS, "The files' ids; unknown ones are left out."),),
            decode=_files,
        ),
        Endpoint(
            "knowledgebases.files.delete",
            "POST",
            "delete/knowledgebase-file",
            "write",
            p.CallOptions,
            args=(Arg("file_ids", c.IDS, "The files to delete, with their memories."),),
            response="OperationResult",
        ),
        Endpoint(
            "knowledgebases.files.update",
            "POST",
            "update/knowledgebase-file",
            "write",
            p.CallOptions,
            args=(
                Arg("file_id", c.SERVER_ID, "The file to replace."),
                Arg("file", c.UPLOAD, "Its new version: a path, a URL or a `FileUpload`."),
            ),
            decode=_files,
            shape=_shape_upload,
            check_hint=UPLOAD_CHECK_HINT,
        ),
        Endpoint(
            "profiles.templates.create",
            "POST",
            "add/profile_template",
            "write",
            p.CallOptions,
            args=(
                Arg("name", c.TEXT, "The template's name."),
                Arg("metadata", c.TREE, "The attribute tree, at most 3 levels deep."),
            ),
            response="ProfileTemplate",
            check_hint="list the templates (client.profiles.templates.list) before creating "
            "it again",
        ),
        Endpoint(
            "profiles.templates.update",
            "POST",
            "update/profile_template",
            "write",
            p.TemplateUpdateParams,
            args=(template_id,),
            response="OperationResult",
        ),
        Endpoint(
            "profiles.templates.get",
            "POST",
            "get/profile_template",
            "read",
            p.CallOptions,
            args=(template_id,),
            decode=_template,
        ),
        Endpoint(
            "profiles.templates.list",
            "POST",
            "list/profile_template",
            "read",
            p.TemplateListParams,
            response="ProfileTemplatePage",
            after=numbered("current"),
        ),
        Endpoint(
            "profiles.templates.delete",
            "POST",
            "delete/profile_template",
            "write",
            p.CallOptions,
            args=(template_id,),
            response="ProfileTemplateDeletion",
        ),
        Endpoint(
            "profiles.templates.bind",
            "POST",
            "bind/profile_template",
            "write",
            p.CallOptions,
            args=(Arg("bind_list", c.BINDINGS, "Up to 20 `{user_id or agent_id, id}` pairs."),),
            response="OperationResult",
        ),
        Endpoint(
            "profiles.edit",
            "POST",
            "edit/profile",
            "write",
            p.ProfileEditParams,
            args=(template_id,),
            rules=(
                exactly_one(("user_id", "agent_id"), _SUBJECT_FIX),
                at_least_one(
                    ("metadata", "remove_fields"),
                    "nothing to change: pass metadata= (a partial tree) and/or remove_fields=",
                ),
            ),
            response="OperationResult",
        ),
        Endpoint(
            "profiles.delete",
            "POST",
            "delete/profile",
            "write",
            p.ProfileSubjectParams,
            args=(template_id,),
            rules=(exactly_one(("user_id", "agent_id"), _SUBJECT_FIX),),
            response="OperationResult",
        ),
    )


ENDPOINTS = _declare()
BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}


def endpoint(name: str) -> Endpoint:
    return BY_NAME[name]
