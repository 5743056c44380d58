"""Accounting: the request log and the counters tests use to prove what happened.

Every request the fake sees is logged with its parsed body, the status it was
answered with (or `None` when the connection was dropped) and the faults that
applied. The `Authorization` header is redacted before anything is kept.

The log is a ring buffer of the most recent `DEFAULT_REQUEST_LOG_SIZE` requests
(`FakeMemOS(request_log_size=...)` changes it), so a long-running emulator does
not grow without end. The counters (`Stats`) are kept apart from it and stay
exact however often the log wraps.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._multipart import parse_multipart
from ._wire import ApiError

__all__ = [
    "DEFAULT_REQUEST_LOG_SIZE",
    "RecordedRequest",
    "Stats",
    "envelope_code",
    "parse_body",
    "redact",
]

DEFAULT_REQUEST_LOG_SIZE = 10_000
"""How many recent requests `FakeMemOS.requests` keeps unless told otherwise."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake saw it, and what it did with it.

    Attributes:
        method: HTTP method.
        path: the full request path (query string removed).
        endpoint: the route after `/api/openmem/v1/`, e.g. `"add/message"`.
        headers: request headers, lower-case names, `authorization` redacted.
        body: the parsed JSON body; for a multipart upload a summary
            `{"form": {field: value}, "files": [{name, filename, content_type, size}]}`;
            the raw text when it was neither; `None` when empty.
        status: the HTTP status answered, or `None` when the connection was dropped.
        code: the envelope `code` answered, when the response was an envelope.
        faults: the kinds of the injected faults that applied, in rule order.
        request_id: the `x-request-id` of the response.
        query: the query parameters (first value of each), e.g. a multipart
            upload's `knowledgebase_id` and `type`.
    """

    method: str
    path: str
    endpoint: str
    headers: dict[str, str]
    body: Any
    status: int | None
    code: int | None
    faults: tuple[str, ...]
    request_id: str
    query: dict[str, str] = field(default_factory=dict)

    @property
    def fault(self) -> str | None:
        """The first applied fault kind, or `None`."""
        return self.faults[0] if self.faults else None


@dataclass(frozen=True)
class Stats:
    """A snapshot of the fake's counters.

    Exact for the fake's whole life (since it was built or `reset()`): they are
    counted as requests arrive and read from the store, never from the bounded
    request log.

    Attributes:
        received: requests received, per endpoint (unknown paths included).
        answered: requests answered with a response, per endpoint (drops excluded).
        messages_stored: raw messages held (for `get/message`).
        memories_stored: fact memories held (working memories until retired,
            refined ones, and knowledge-base chunks).
        preferences_stored: preference memories held.
        tasks_created: tasks opened by `add/message`, `chat` and `add/feedback`.
        knowledgebases: knowledge bases held.
        files_stored: knowledge-base files held (any status).
        skills_stored: skills uploaded to knowledge bases.
        profile_templates: profile templates held.
        profile_instances: profiles bound to users and agents.
    """

    received: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)
    messages_stored: int = 0
    memories_stored: int = 0
    preferences_stored: int = 0
    tasks_created: int = 0
    knowledgebases: int = 0
    files_stored: int = 0
    skills_stored: int = 0
    profile_templates: int = 0
    profile_instances: int = 0


def redact(headers: Mapping[str, str]) -> dict[str, str]:
    """Lower-case header names and hide the API key, keeping the scheme: `Token ***`."""
    clean = {name.lower(): value for name, value in headers.items()}
    if "authorization" in clean:
        scheme, _, secret = clean["authorization"].partition(" ")
        clean["authorization"] = f"{scheme} ***" if secret else "***"
    return clean


def parse_body(body: bytes, content_type: str = "") -> Any:
    """The body as JSON when possible, a multipart summary, else text; `None` when empty."""
    if not body.strip():
        return None
    if content_type.lower().startswith("multipart/form-data"):
        try:
            form = parse_multipart(content_type, body)
        except ApiError:
            pass  # malformed: logged as text below
        else:
            files = [
                {
                    "name": part.name,
                    "filename": part.filename,
                    "content_type": part.content_type,
                    "size": len(part.data),
                }
                for part in form.files
            ]
            return {"form": dict(form.fields), "files": files}
    text = body.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def envelope_code(headers: Mapping[str, str], body: bytes) -> int | None:
    """The envelope `code` of a JSON response body, if it is an envelope."""
    if not headers.get("content-type", "").startswith("application/json"):
        return None
    value = parse_body(body)
    code = value.get("code") if isinstance(value, dict) else None
    return code if isinstance(code, int) and not isinstance(code, bool) else None
