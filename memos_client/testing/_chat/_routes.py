"""The endpoints of this domain: path (after `/api/openmem/v1/`) -> route."""

from __future__ import annotations

from .._call import Route
from .chat import chat
from .extract_memory import extract_memory
from .rerank import rerank

__all__ = ["ROUTES"]

ROUTES: dict[str, Route] = {
    "chat": Route(chat),
    "extract/memory": Route(extract_memory),
    "rerank": Route(rerank),
}
