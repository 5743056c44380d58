"""Opt-in OpenTelemetry tracing: a span for every call, wait and batch a client makes.

```python
from memos_client import MemOS, otel

client = MemOS()
otel.instrument(client)  # this client, and the copies with_options makes of it
otel.instrument()  # or every client, made before or after
```

Needs the `[otel]` extra (`pip install 'memos-client[otel]'`, the OpenTelemetry
API); your application picks the SDK and exporter. Spans go to the global tracer
provider unless you pass `tracer_provider=`.

Spans (see docs/tracing.md for every attribute):

- `memos <endpoint>` (`memos search`, `memos memories.list`, `memos get_status`):
  one CLIENT span per call, retries included, with OpenTelemetry's HTTP client
  attributes (`http.request.method`, `http.response.status_code`, `server.address`,
  `server.port`, `url.full` without its query, `error.type`) and `memos.endpoint`,
  `memos.attempts`, `memos.code`, `memos.request_id`, `memos.task_id`.
- `memos wait`: one span per `wait()` or `wait_all()`, parent of its polls.
- `memos add_many`: one span per batch import, parent of its adds.

The API key is never recorded. Queries, messages and error messages are recorded
only with `capture_content=True`, and even then with the key hidden.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

try:
    from opentelemetry import trace
    from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer, TracerProvider
except ImportError as missing:  # pragma: no cover - tested in a subprocess
    raise ImportError(
        "memos_client.otel needs OpenTelemetry: pip install 'memos-client[otel]'"
    ) from missing

from ._clientbase import ClientBase
from ._core._envelope import request_id_of
from ._exceptions import APIError, MemOSError, TaskFailedError, TaskTimeoutError
from ._version import __version__

if TYPE_CHECKING:
    from ._batch import BatchResult
    from ._core._spec import Reply, RequestSpec

__all__ = ["Tracing", "instrument", "uninstrument"]

SCOPE = "memos_client"
# Request fields that hold what the user said or asked: recorded only on request.
CONTENT_FIELDS = ("query", "messages", "feedback_content", "documents")
# Calls whose answer names the task they started.
TASK_STARTERS = frozenset({"add", "feedback.add"})
BATCH_COUNTS = ("submitted", "failed", "in_doubt", "skipped")


def instrument(
    client: ClientBase | None = None,
    *,
    tracer_provider: TracerProvider | None = None,
    capture_content: bool = False,
) -> None:
    """Trace `client` (a `MemOS` or `AsyncMemOS`), or every client when None.

    A client's own setting wins over the one for every client, and copies made by
    `client.with_options()` keep it. Calling again replaces the earlier setting.

    Args:
        client: the client to trace; None traces every client, made before or after,
            that was not instrumented or uninstrumented on its own.
        tracer_provider: where spans go; None uses OpenTelemetry's global provider.
        capture_content: also record queries, messages and error messages (never
            the API key). Off by default: they may hold personal data.
    """
    tracer = trace.get_tracer(SCOPE, __version__, tracer_provider=tracer_provider)
    tracing = Tracing(tracer, capture_content=capture_content)
    if client is None:
        ClientBase._tracing = tracing
    else:
        _check(client)._tracing = tracing


def uninstrument(client: ClientBase | None = None) -> None:
    """Stop tracing `client` (even if every client is traced), or stop tracing every
    client when None (clients instrumented on their own go on)."""
    if client is None:
        ClientBase._tracing = None
    else:
        _check(client)._tracing = None


def _check(client: object) -> ClientBase:
    if not isinstance(client, ClientBase):
        raise TypeError(f"expected a MemOS or AsyncMemOS client, not {type(client).__name__}")
    return client


class Tracing:
    """What an instrumented client traces with: a tracer, and whether content is
    recorded. Implements `memos_client._tracing.Tracing`, the client's hooks."""

    def __init__(self, tracer: Tracer, *, capture_content: bool = False) -> None:
        self.tracer = tracer
        self.capture_content = capture_content

    @contextmanager
    def call(self, client: ClientBase, spec: RequestSpec) -> Iterator[CallSpan]:
        """The span of one call: open from before the first attempt to the answer."""
        hide = client._config.api_key.redactor().text
        attributes: dict[str, Any] = {
            "http.request.method": spec.method,
            "memos.endpoint": spec.endpoint,
            "memos.attempts": 1,
        }
        host, port, base = _server(client._config.base_url)
        attributes["server.address"] = host
        attributes["server.port"] = port
        attributes["url.full"] = hide(f"{base}/{spec.path}")
        body = spec.body or {}
        task_id = body.get("task_id")  # a status poll
        if isinstance(task_id, str):
            attributes["memos.task_id"] = hide(task_id)
        if self.capture_content:
            attributes.update(_content(body, hide))
        with self.tracer.start_as_current_span(
            f"memos {spec.endpoint}",
            kind=SpanKind.CLIENT,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            waiting = _WAIT.get()
            if waiting is not None:
                waiting.polls += 1
            call = CallSpan(span, client, spec)
            try:
                yield call
            except BaseException as error:
                self._failed(span, error, hide)
                raise

    @contextmanager
    def wait(
        self, client: ClientBase, handles: Sequence[Any], timeout: float | None, concurrency: int
    ) -> Iterator[WaitSpan]:
        """The span of one `wait()` or `wait_all()`: its polls are its children. A wait
        on one task carries that task's id, as its polls do."""
        attributes: dict[str, Any] = {
            "memos.wait.handles": len(handles),
            "memos.wait.concurrency": concurrency,
        }
        if timeout is not None:
            attributes["memos.wait.timeout"] = float(timeout)
        hide = client._config.api_key.redactor().text
        if len(handles) == 1 and getattr(handles[0], "noun", None) == "task":
            task_id = getattr(handles[0], "id", None)
            if isinstance(task_id, str):
                attributes["memos.task_id"] = hide(task_id)
        with self.tracer.start_as_current_span(
            "memos wait",
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            record = WaitSpan(span)
            token = _WAIT.set(record)
            try:
                yield record
            except BaseException as error:
                self._failed(span, error, hide)
                raise
            finally:
                _WAIT.reset(token)
                span.set_attribute("memos.wait.polls", record.polls)

    @contextmanager
    def batch(self, client: ClientBase, concurrency: int) -> Iterator[BatchSpan]:
        """The span of one `add_many`: its adds (and its wait, if any) are its children."""
        hide = client._config.api_key.redactor().text
        with self.tracer.start_as_current_span(
            "memos add_many",
            attributes={"memos.batch.concurrency": concurrency},
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            record = BatchSpan(span, hide)
            try:
                yield record
            except BaseException as error:
                result = getattr(error, "batch_result", None)  # what went out before
                if result is not None:
                    record.finished(result)
                self._failed(span, error, hide)
                raise

    def _failed(self, span: Span, error: BaseException, hide: Any) -> None:
        """Mark `span` failed: the error's type always, its message only with content."""
        span.set_attribute("error.type", type(error).__qualname__)
        if isinstance(error, APIError):
            if error.code is not None:
                span.set_attribute("memos.code", error.code)
            if error.http_status is not None:
                span.set_attribute("http.response.status_code", error.http_status)
            if error.request_id:
                span.set_attribute("memos.request_id", hide(error.request_id))
        if self.capture_content:
            message = hide(str(error))
            span.add_event(
                "exception",
                {"exception.type": type(error).__qualname__, "exception.message": message},
            )
            span.set_status(Status(StatusCode.ERROR, message))
        else:
            span.set_status(Status(StatusCode.ERROR))


class CallSpan:
    """The span of one call (`memos_client._tracing.CallRecord`)."""

    __slots__ = ("_client", "_span", "_spec")

    def __init__(self, span: Span, client: ClientBase, spec: RequestSpec) -> None:
        self._span = span
        self._client = client
        self._spec = spec

    def retrying(self, attempt: int) -> None:
        self._span.set_attribute("memos.attempts", attempt)

    def answered(self, reply: Reply) -> Reply:
        span = self._span
        span.set_attribute("http.response.status_code", reply.http_status)
        request_id = self._client._hidden_id(request_id_of(reply.headers))
        if request_id:
            span.set_attribute("memos.request_id", request_id)
        if self._spec.endpoint in TASK_STARTERS:
            data = reply.data
            task_id = (
                data.get("task_id") if isinstance(data, dict) else getattr(data, "task_id", None)
            )
            if isinstance(task_id, str) and task_id:
                span.set_attribute(
                    "memos.task_id", self._client._config.api_key.redactor().text(task_id)
                )
        return reply


class WaitSpan:
    """The span of one wait (`memos_client._tracing.WaitRecord`); counts its polls."""

    def __init__(self, span: Span) -> None:
        self._span = span
        self.polls = 0

    def finished(self, outcomes: Sequence[object]) -> None:
        errors = [outcome for outcome in outcomes if isinstance(outcome, MemOSError)]
        failed = sum(isinstance(error, TaskFailedError) for error in errors)
        timed_out = sum(isinstance(error, TaskTimeoutError) for error in errors)
        span = self._span
        span.set_attribute("memos.wait.completed", len(outcomes) - len(errors))
        span.set_attribute("memos.wait.failed", failed)
        span.set_attribute("memos.wait.timed_out", timed_out)
        span.set_attribute("memos.wait.errors", len(errors) - failed - timed_out)
        if errors:
            span.set_attribute("error.type", type(errors[0]).__qualname__)
            span.set_status(Status(StatusCode.ERROR))


class BatchSpan:
    """The span of one `add_many` (`memos_client._tracing.BatchRecord`)."""

    def __init__(self, span: Span, hide: Any) -> None:
        self._span = span
        self._hide = hide

    def finished(self, result: BatchResult[Any]) -> None:
        span = self._span
        span.set_attribute("memos.batch.read", result.read)
        for name in BATCH_COUNTS:
            span.set_attribute(f"memos.batch.{name}", getattr(result, name))
        if result.stopped is not None:
            span.set_attribute("memos.batch.stopped", self._hide(result.stopped))


# The wait running in this context, if any: its polls count themselves on it.
_WAIT: ContextVar[WaitSpan | None] = ContextVar("memos_client_otel_wait", default=None)


@lru_cache(maxsize=32)
def _server(base_url: str) -> tuple[str, int, str]:
    """`server.address`, `server.port` and the base of `url.full`, which leaves out any
    user info and query: neither belongs in a span."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    default = 443 if parts.scheme == "https" else 80
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None and parts.port != default:
        netloc += f":{parts.port}"
    return host, parts.port or default, f"{parts.scheme}://{netloc}{parts.path}"


def _content(body: dict[str, Any], hide: Any) -> dict[str, str]:
    """The request's content fields, as text (JSON for lists), with the key hidden."""
    found: dict[str, str] = {}
    for name in CONTENT_FIELDS:
        value = body.get(name)
        if value is not None:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            found[f"memos.{name}"] = hide(text)
    return found
