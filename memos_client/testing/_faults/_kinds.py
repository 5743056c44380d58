"""The kinds of fault: one small class each, with its own planning and response.

`Fault` is the public face: its constructors (`Fault.rate_limit()`, ...) build
the kind's class. A kind says, for one request it fires on:

* `plan`: what it adds to the request's `FaultPlan`. Latency adds a delay; task
  kinds (`task_fails`, `task_never_finishes`, `file_fails`) mark the task (or the
  knowledge-base files) the request creates, and `legacy_status_shape` changes how
  `get/status` answers. Every other kind is an *outcome*, which decides the response.
* `answer_before`: for an outcome, the response given in place of the endpoint's
  (HTTP errors, a dropped connection), or `None` to let the endpoint process it.
* `answer_after`: for an outcome, the endpoint's response as the fault changes it
  (202 empty, a body cut short, a drop after processing), or `None` when the fault
  does not apply to that response (an error is answered as it is).
* `only_on`: the endpoints it makes sense on (`None`: all); elsewhere it never fires.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar, Literal

from .._http._wire import FakeResponse, encode_json, envelope

if TYPE_CHECKING:
    from ._rules import FaultPlan

__all__ = [
    "AcceptedEmpty",
    "BusinessError",
    "DropAfterProcessing",
    "DropBeforeProcessing",
    "Fault",
    "FaultKind",
    "FileFails",
    "GatewayHtml",
    "Latency",
    "LegacyStatusShape",
    "RateLimit",
    "ServerError",
    "StreamCut",
    "TaskFails",
    "TaskNeverFinishes",
]

FaultKind = Literal[
    "latency",
    "server_error",
    "gateway_html",
    "rate_limit",
    "business_error",
    "drop_before_processing",
    "drop_after_processing",
    "accepted_empty",
    "legacy_status_shape",
    "task_fails",
    "task_never_finishes",
    "file_fails",
    "stream_cut",
]

_FILE_ENDPOINTS = ("add/knowledgebase-file", "update/knowledgebase-file")
_TASK_ENDPOINTS = ("add/message", "add/feedback", "chat", *_FILE_ENDPOINTS)

_GATEWAY_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass(frozen=True)
class Fault:
    """One kind of misbehaviour. Build it with a constructor, e.g. `Fault.rate_limit()`."""

    kind: ClassVar[FaultKind]
    """The kind's name, as `RecordedRequest.faults` lists it."""
    only_on: ClassVar[tuple[str, ...] | None] = None
    """The endpoints the kind makes sense on (`None`: all); elsewhere it never fires."""
    is_outcome: ClassVar[bool] = True
    """Whether this fault decides the response (rather than delaying or marking a task)."""

    def plan(self, plan: FaultPlan) -> None:
        """Add this fault's effect to one request's plan; an outcome decides the response."""
        plan.outcome = self

    def answer_before(self) -> FakeResponse | None:
        """The response given in place of the endpoint's; `None` lets the endpoint run."""
        return None

    def answer_after(self, response: FakeResponse, *, ok: bool) -> FakeResponse | None:
        """The endpoint's response (`ok`: not an error) as this fault changes it.

        `None` when the fault does not apply to it: the response is sent as it is,
        and the fault is not counted as applied.
        """
        return response

    @classmethod
    def latency(cls, seconds: float) -> Fault:
        """Delay the response by `seconds` (real sleep, or `advance` on a manual clock)."""
        return Latency(seconds)

    @classmethod
    def server_error(
        cls,
        status: int = 500,
        *,
        envelope: bool = True,
        code: int = 50000,
        message: str = "internal server error",
    ) -> Fault:
        """Answer HTTP `status` (5xx) without processing: a JSON envelope, or plain text."""
        return ServerError(status, envelope, code, message)

    @classmethod
    def gateway_html(cls, status: int = 502) -> Fault:
        """Answer an HTML error page from a gateway (`502 Bad Gateway` by default)."""
        return GatewayHtml(status)

    @classmethod
    def rate_limit(
        cls,
        retry_after: float | None = 1.0,
        *,
        code: int = 40300,
        message: str = "Rate limit exceeded, please retry later",
    ) -> Fault:
        """Answer HTTP 429 with a `Retry-After` header (omitted when `None`) and code 40300."""
        return RateLimit(retry_after, code, message)

    @classmethod
    def business_error(cls, code: int, message: str = "", *, status: int = 200) -> Fault:
        """Answer an error envelope `{code, data: null, message}` in HTTP 200, unprocessed."""
        return BusinessError(code, message, status)

    @classmethod
    def drop_before_processing(cls) -> Fault:
        """Drop the connection before the request is processed (nothing is stored)."""
        return DropBeforeProcessing()

    @classmethod
    def drop_after_processing(cls, error: Literal["timeout", "disconnect"] = "timeout") -> Fault:
        """Process and store the request, then drop the connection instead of answering.

        In process the transport raises `httpx.ReadTimeout` (`error="timeout"`) or
        `httpx.RemoteProtocolError` (`error="disconnect"`); the HTTP server closes
        the socket either way.
        """
        return DropAfterProcessing(error)

    @classmethod
    def accepted_empty(cls) -> Fault:
        """Answer `add/message` with HTTP 202 and an empty body; the task still runs."""
        return AcceptedEmpty()

    @classmethod
    def legacy_status_shape(cls) -> Fault:
        """Answer `get/status` with `data` as a one-element list `[{"status": ...}]`."""
        return LegacyStatusShape()

    @classmethod
    def task_fails(cls) -> Fault:
        """The task the request opens ends `failed` instead of being refined.

        Applies to `add/message`, `add/feedback`, `chat` (the turn it stores) and
        the knowledge-base file uploads (every file of the request fails).
        """
        return TaskFails()

    @classmethod
    def task_never_finishes(cls) -> Fault:
        """The task the request opens stays `running` forever (same endpoints as `task_fails`)."""
        return TaskNeverFinishes()

    @classmethod
    def file_fails(cls, reason: str = "the file could not be parsed (injected)") -> Fault:
        """Every file of an `add/` or `update/knowledgebase-file` request ends `failed`.

        The upload itself is accepted (`running`); processing then fails with
        `reason`, which `get/knowledgebase-file` reports.
        """
        return FileFails(reason)

    @classmethod
    def stream_cut(cls, after: int = 3) -> Fault:
        """Cut a `chat` answer off mid-body, after the request was processed.

        A streamed answer stops after `after` server-sent events (each event,
        comment or `[DONE]` line counts as one); a JSON answer stops half-way.
        In process, reading the body raises `httpx.RemoteProtocolError`; over
        HTTP the socket is closed mid-body. The turn is stored all the same.
        """
        return StreamCut(after)


@dataclass(frozen=True)
class Latency(Fault):
    """A slow answer: the response is delivered `seconds` late."""

    kind: ClassVar[FaultKind] = "latency"
    is_outcome: ClassVar[bool] = False
    seconds: float

    def __post_init__(self) -> None:
        if self.seconds < 0:
            raise ValueError("latency must not be negative")

    def plan(self, plan: FaultPlan) -> None:
        plan.delay += self.seconds


@dataclass(frozen=True)
class ServerError(Fault):
    """HTTP 5xx in place of the endpoint's answer: a JSON envelope, or plain text."""

    kind: ClassVar[FaultKind] = "server_error"
    status: int = 500
    envelope: bool = True
    code: int = 50000
    message: str = "internal server error"

    def answer_before(self) -> FakeResponse:
        if self.envelope:
            return _error_envelope(self.status, self.code, self.message)
        text = f"{FakeResponse(self.status).reason or 'Server Error'}".encode()
        return FakeResponse(self.status, {"content-type": "text/plain; charset=utf-8"}, text)


@dataclass(frozen=True)
class GatewayHtml(Fault):
    """A gateway's HTML error page in place of the endpoint's answer."""

    kind: ClassVar[FaultKind] = "gateway_html"
    status: int = 502

    def answer_before(self) -> FakeResponse:
        page = _GATEWAY_PAGE.format(status=self.status, reason=FakeResponse(self.status).reason)
        return FakeResponse(self.status, {"content-type": "text/html"}, page.encode())


@dataclass(frozen=True)
class RateLimit(Fault):
    """HTTP 429 with a `Retry-After` header (omitted when `None`), unprocessed."""

    kind: ClassVar[FaultKind] = "rate_limit"
    retry_after: float | None = 1.0
    code: int = 40300
    message: str = "Rate limit exceeded, please retry later"
    status: ClassVar[int] = 429

    def answer_before(self) -> FakeResponse:
        headers = {} if self.retry_after is None else {"retry-after": _seconds(self.retry_after)}
        return _error_envelope(self.status, self.code, self.message, headers)


@dataclass(frozen=True)
class BusinessError(Fault):
    """An error envelope `{code, data: null, message}` (in HTTP 200 by default), unprocessed."""

    kind: ClassVar[FaultKind] = "business_error"
    code: int
    message: str = ""
    status: int = 200

    def answer_before(self) -> FakeResponse:
        return _error_envelope(self.status, self.code, self.message)


@dataclass(frozen=True)
class DropBeforeProcessing(Fault):
    """The connection drops before the request is processed (nothing is stored)."""

    kind: ClassVar[FaultKind] = "drop_before_processing"

    def answer_before(self) -> FakeResponse:
        return FakeResponse(0, disconnect="before")


@dataclass(frozen=True)
class DropAfterProcessing(Fault):
    """The request is processed, then the connection drops instead of the answer."""

    kind: ClassVar[FaultKind] = "drop_after_processing"
    error: Literal["timeout", "disconnect"] = "timeout"

    def answer_after(self, response: FakeResponse, *, ok: bool) -> FakeResponse:
        return replace(response, disconnect="after", disconnect_error=self.error)


@dataclass(frozen=True)
class AcceptedEmpty(Fault):
    """`add/message` answers HTTP 202 with an empty body; the task still runs."""

    kind: ClassVar[FaultKind] = "accepted_empty"
    only_on: ClassVar[tuple[str, ...] | None] = ("add/message",)
    status: ClassVar[int] = 202

    def answer_after(self, response: FakeResponse, *, ok: bool) -> FakeResponse | None:
        return FakeResponse(self.status) if ok else None


@dataclass(frozen=True)
class StreamCut(Fault):
    """A `chat` answer is cut off after `after` events (a JSON answer, half-way)."""

    kind: ClassVar[FaultKind] = "stream_cut"
    only_on: ClassVar[tuple[str, ...] | None] = ("chat",)
    after: int = 3

    def __post_init__(self) -> None:
        if self.after < 0:
            raise ValueError("after must not be negative")

    def answer_after(self, response: FakeResponse, *, ok: bool) -> FakeResponse | None:
        if not ok:
            return None
        if response.chunks:
            return replace(response, cut_after=min(self.after, len(response.chunks) - 1))
        half = len(response.body) // 2
        return replace(response, chunks=(response.body[:half], response.body[half:]), cut_after=1)


@dataclass(frozen=True)
class LegacyStatusShape(Fault):
    """`get/status` answers `data` as a one-element list `[{"status": ...}]`."""

    kind: ClassVar[FaultKind] = "legacy_status_shape"
    only_on: ClassVar[tuple[str, ...] | None] = ("get/status",)
    is_outcome: ClassVar[bool] = False

    def plan(self, plan: FaultPlan) -> None:
        plan.legacy_status = True


@dataclass(frozen=True)
class TaskFails(Fault):
    """The task (or every file) the request opens ends `failed`."""

    kind: ClassVar[FaultKind] = "task_fails"
    only_on: ClassVar[tuple[str, ...] | None] = _TASK_ENDPOINTS
    is_outcome: ClassVar[bool] = False

    def plan(self, plan: FaultPlan) -> None:
        plan.fate = "fail"


@dataclass(frozen=True)
class TaskNeverFinishes(Fault):
    """The task (or every file) the request opens stays `running` forever."""

    kind: ClassVar[FaultKind] = "task_never_finishes"
    only_on: ClassVar[tuple[str, ...] | None] = _TASK_ENDPOINTS
    is_outcome: ClassVar[bool] = False

    def plan(self, plan: FaultPlan) -> None:
        plan.fate = "stuck"


@dataclass(frozen=True)
class FileFails(Fault):
    """Every file of an upload ends `failed`, for `reason`."""

    kind: ClassVar[FaultKind] = "file_fails"
    only_on: ClassVar[tuple[str, ...] | None] = _FILE_ENDPOINTS
    is_outcome: ClassVar[bool] = False
    reason: str = "the file could not be parsed (injected)"

    def plan(self, plan: FaultPlan) -> None:
        plan.fate = "fail"
        plan.fail_reason = self.reason


def _error_envelope(
    status: int, code: int, message: str, headers: dict[str, str] | None = None
) -> FakeResponse:
    """An error envelope `{code, data: null, message}` in HTTP `status`."""
    body = encode_json(envelope(code, None, message))
    return FakeResponse(status, {"content-type": "application/json", **(headers or {})}, body)


def _seconds(value: float) -> str:
    """`1.0` -> `"1"`, `0.25` -> `"0.25"`: whole seconds as RFC 9110 wants, else decimals."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
