"""The endpoint registry: path (after `/api/openmem/v1/`) -> route.

Adding an endpoint is local to its domain: write a handler module in the domain's
package and add one line to that package's `_routes.py`; this table merges them.
Requests arrive as `<anything>/api/openmem/v1/<endpoint>` (a gateway prefix
before `/api/openmem/v1` is allowed, as on the global host); a path outside
`/api/openmem/v1` is not part of the API (`endpoint_of` gives `None`, and the
fake answers 404, as the real service does). A route key may hold `{name}`
segments (`get/memory/{memory_id}`), matched by `resolve` one path segment
each and handed to the handler unescaped in `Call.params`.
"""

from __future__ import annotations

from urllib.parse import unquote

from ._call import VIEWS, BodyKind, Call, Handler, Route
from ._chat import _routes as chat
from ._knowledgebases import _routes as knowledgebases
from ._memories import _routes as memories
from ._messages import _routes as messages
from ._profiles import _routes as profiles
from ._tasks import _routes as tasks

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
    **memories.ROUTES,
    **messages.ROUTES,
    **tasks.ROUTES,
    **chat.ROUTES,
    **knowledgebases.ROUTES,
    **profiles.ROUTES,
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
