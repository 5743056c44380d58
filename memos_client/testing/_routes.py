"""The endpoint registry: path (after `/api/openmem/v1/`) -> route.

Adding an endpoint is local: write a handler module beside this one and add one
line to `ROUTES`. Requests arrive as `<anything>/api/openmem/v1/<endpoint>` (a
gateway prefix before `/api/openmem/v1` is allowed, as on the global host); a
path outside `/api/openmem/v1` is not part of the API (`endpoint_of` gives
`None`, and the fake answers 404, as the real service does). A route key
may hold `{name}` segments (`get/memory/{memory_id}`), matched by `resolve` one
path segment each and handed to the handler unescaped in `Call.params`.
"""

from __future__ import annotations

from urllib.parse import unquote

from ._base import VIEWS, BodyKind, Call, Handler, Route
from .add_message import add_message
from .chat import chat
from .extract_memory import extract_memory
from .feedback import add_feedback
from .get_message import get_message
from .get_status import get_status
from .kb_files import add_files, delete_files, get_files, update_file
from .knowledgebases import create_knowledgebase, delete_knowledgebase
from .list_memory import get_memory
from .memory_detail import get_memory_by_id
from .memory_edits import delete_memory, update_memory
from .profile_templates import (
    add_template,
    bind_template,
    delete_template,
    get_template,
    list_templates,
    update_template,
)
from .profiles import delete_profile, edit_profile
from .rerank import rerank
from .search_memory import search_memory

__all__ = [
    "API_PREFIX",
    "API_ROOT",
    "ROUTES",
    "VIEWS",
    "BodyKind",
    "Call",
    "Handler",
    "Route",
    "endpoint_of",
    "resolve",
]

API_ROOT = "/api/openmem/v1"
"""Where the API lives: a base URL must end in it."""
API_PREFIX = API_ROOT + "/"

ROUTES: dict[str, Route] = {
    "add/message": Route(add_message),
    "search/memory": Route(search_memory),
    "get/memory": Route(get_memory),
    "get/memory/{memory_id}": Route(get_memory_by_id, ("GET",), "none"),
    "delete/memory": Route(delete_memory),
    "update/memory": Route(update_memory),
    "add/feedback": Route(add_feedback),
    "get/message": Route(get_message),
    "get/status": Route(get_status),
    "chat": Route(chat),
    "extract/memory": Route(extract_memory),
    "rerank": Route(rerank),
    "create/knowledgebase": Route(create_knowledgebase),
    "delete/knowledgebase": Route(delete_knowledgebase),
    "add/knowledgebase-file": Route(add_files, body="form"),
    "get/knowledgebase-file": Route(get_files),
    "delete/knowledgebase-file": Route(delete_files),
    "update/knowledgebase-file": Route(update_file, body="form"),
    "add/profile_template": Route(add_template),
    "update/profile_template": Route(update_template),
    "get/profile_template": Route(get_template),
    "list/profile_template": Route(list_templates),
    "delete/profile_template": Route(delete_template),
    "bind/profile_template": Route(bind_template),
    "edit/profile": Route(edit_profile),
    "delete/profile": Route(delete_profile),
}


def endpoint_of(path: str) -> str | None:
    """The route part of a request path (after `/api/openmem/v1/`); `None` outside the API."""
    path = path.split("?", 1)[0]
    if API_PREFIX in path:
        return path.rsplit(API_PREFIX, 1)[1].strip("/")
    if path.rstrip("/").endswith(API_ROOT):
        return ""
    return None


def resolve(endpoint: str) -> tuple[str, dict[str, str]] | None:
    """The route key an endpoint matches, with its path parameters unescaped; `None` if none."""
    if endpoint in ROUTES:
        return endpoint, {}
    segments = endpoint.split("/")
    for key in ROUTES:
        pattern = key.split("/")
        if "{" not in key or len(pattern) != len(segments):
            continue
        params: dict[str, str] = {}
        for expected, actual in zip(pattern, segments, strict=True):
            if expected.startswith("{") and expected.endswith("}"):
                if not actual:
                    break
                params[expected[1:-1]] = unquote(actual)
            elif expected != actual:
                break
        else:
            return key, params
    return None
