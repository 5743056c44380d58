"""Fault injection: what can go wrong, where, and how often.

A `Fault` says what goes wrong; `FakeMemOS.inject(fault, endpoint=, times=,
probability=)` adds a `FaultRule` that says where and how often. For each
request the rules are consulted in the order they were added:

* latency faults add up (a delay before the response is delivered);
* task faults (`task_fails`, `task_never_finishes`, `file_fails`) mark the task
  (or the knowledge-base files) the request creates, and `legacy_status_shape`
  changes how `get/status` answers;
* every other kind is an *outcome*: the first rule that fires decides it, and
  later outcome rules are not consulted (so they are not used up).

A rule fires when its endpoint matches, it has occurrences left (`times`), and
its `probability` (if any) wins a draw from the fake's seeded generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from ._store import TaskFate
from ._wire import FakeResponse, encode_json, envelope

__all__ = ["ONLY_ON", "Fault", "FaultKind", "FaultPlan", "FaultRule", "fault_response", "plan_for"]

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

ONLY_ON: dict[str, tuple[str, ...]] = {
    "accepted_empty": ("add/message",),
    "legacy_status_shape": ("get/status",),
    "task_fails": _TASK_ENDPOINTS,
    "task_never_finishes": _TASK_ENDPOINTS,
    "file_fails": _FILE_ENDPOINTS,
    "stream_cut": ("chat",),
}
"""Kinds that only make sense on some endpoints; elsewhere they never fire."""

_GATEWAY_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass(frozen=True)
class Fault:
    """One kind of misbehaviour. Build it with a constructor, e.g. `Fault.rate_limit()`."""

    kind: FaultKind
    seconds: float = 0.0
    status: int = 200
    code: int = 0
    message: str = ""
    envelope: bool = True
    retry_after: float | None = None
    error: Literal["timeout", "disconnect"] = "timeout"
    after: int = 0

    @classmethod
    def latency(cls, seconds: float) -> Fault:
        """Delay the response by `seconds` (real sleep, or `advance` on a manual clock)."""
        if seconds < 0:
            raise ValueError("latency must not be negative")
        return cls("latency", seconds=seconds)

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
        return cls("server_error", status=status, envelope=envelope, code=code, message=message)

    @classmethod
    def gateway_html(cls, status: int = 502) -> Fault:
        """Answer an HTML error page from a gateway (`502 Bad Gateway` by default)."""
        return cls("gateway_html", status=status)

    @classmethod
    def rate_limit(
        cls,
        retry_after: float | None = 1.0,
        *,
        code: int = 40300,
        message: str = "Rate limit exceeded, please retry later",
    ) -> Fault:
        """Answer HTTP 429 with a `Retry-After` header (omitted when `None`) and code 40300."""
        return cls("rate_limit", status=429, code=code, message=message, retry_after=retry_after)

    @classmethod
    def business_error(cls, code: int, message: str = "", *, status: int = 200) -> Fault:
        """Answer an error envelope `{code, data: null, message}` in HTTP 200, unprocessed."""
        return cls("business_error", status=status, code=code, message=message)

    @classmethod
    def drop_before_processing(cls) -> Fault:
        """Drop the connection before the request is processed (nothing is stored)."""
        return cls("drop_before_processing")

    @classmethod
    def drop_after_processing(cls, error: Literal["timeout", "disconnect"] = "timeout") -> Fault:
        """Process and store the request, then drop the connection instead of answering.

        In process the transport raises `httpx.ReadTimeout` (`error="timeout"`) or
        `httpx.RemoteProtocolError` (`error="disconnect"`); the HTTP server closes
        the socket either way.
        """
        return cls("drop_after_processing", error=error)

    @classmethod
    def accepted_empty(cls) -> Fault:
        """Answer `add/message` with HTTP 202 and an empty body; the task still runs."""
        return cls("accepted_empty", status=202)

    @classmethod
    def legacy_status_shape(cls) -> Fault:
        """Answer `get/status` with `data` as a one-element list `[{"status": ...}]`."""
        return cls("legacy_status_shape")

    @classmethod
    def task_fails(cls) -> Fault:
        """The task the request opens ends `failed` instead of being refined.

        Applies to `add/message`, `add/feedback`, `chat` (the turn it stores) and
        the knowledge-base file uploads (every file of the request fails).
        """
        return cls("task_fails")

    @classmethod
    def task_never_finishes(cls) -> Fault:
        """The task the request opens stays `running` forever (same endpoints as `task_fails`)."""
        return cls("task_never_finishes")

    @classmethod
    def file_fails(cls, reason: str = "the file could not be parsed (injected)") -> Fault:
        """Every file of an `add/` or `update/knowledgebase-file` request ends `failed`.

        The upload itself is accepted (`running`); processing then fails with
        `reason`, which `get/knowledgebase-file` reports.
        """
        return cls("file_fails", message=reason)

    @classmethod
    def stream_cut(cls, after: int = 3) -> Fault:
        """Cut a `chat` answer off mid-body, after the request was processed.

        A streamed answer stops after `after` server-sent events (each event,
        comment or `[DONE]` line counts as one); a JSON answer stops half-way.
        In process, reading the body raises `httpx.RemoteProtocolError`; over
        HTTP the socket is closed mid-body. The turn is stored all the same.
        """
        if after < 0:
            raise ValueError("after must not be negative")
        return cls("stream_cut", after=after)

    @property
    def is_outcome(self) -> bool:
        """Whether this fault decides the response (rather than delaying or marking a task)."""
        return self.kind not in (
            "latency",
            "legacy_status_shape",
            "task_fails",
            "task_never_finishes",
            "file_fails",
        )


class FaultRule:
    """An injected fault with its scope; returned by `FakeMemOS.inject`.

    Attributes:
        fault: what goes wrong.
        endpoint: where (`None` = every endpoint the fault applies to).
        probability: chance per matching request (`None` = always).
        hits: how many times it has fired.
        remaining: occurrences left (`None` = unlimited).
    """

    def __init__(
        self, fault: Fault, endpoint: str | None, times: int | None, probability: float | None
    ) -> None:
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for unlimited)")
        if probability is not None and not 0 <= probability <= 1:
            raise ValueError("probability must be between 0 and 1")
        allowed = ONLY_ON.get(fault.kind)
        if endpoint is not None and allowed is not None and endpoint not in allowed:
            raise ValueError(f"{fault.kind} applies only to {', '.join(allowed)}, not {endpoint}")
        self.fault = fault
        self.endpoint = endpoint
        self.probability = probability
        self.remaining = times
        self.hits = 0

    @property
    def active(self) -> bool:
        """Whether the rule can still fire."""
        return self.remaining is None or self.remaining > 0

    def applies_to(self, endpoint: str) -> bool:
        """Whether the rule's scope covers `endpoint`."""
        allowed = ONLY_ON.get(self.fault.kind)
        if allowed is not None and endpoint not in allowed:
            return False
        return self.endpoint is None or self.endpoint == endpoint

    def fire(self, endpoint: str, rng: random.Random) -> bool:
        """Decide whether the rule fires for this request, and count it if so."""
        if not self.active or not self.applies_to(endpoint):
            return False
        if self.probability is not None and rng.random() >= self.probability:
            return False
        self.hits += 1
        if self.remaining is not None:
            self.remaining -= 1
        return True

    def __repr__(self) -> str:
        scope = self.endpoint or "*"
        left = "unlimited" if self.remaining is None else self.remaining
        return (
            f"FaultRule({self.fault.kind}, endpoint={scope!r}, remaining={left}, hits={self.hits})"
        )


@dataclass
class FaultPlan:
    """What the rules decided for one request."""

    delay: float = 0.0
    outcome: Fault | None = None
    fate: TaskFate = "normal"
    fail_reason: str | None = None
    legacy_status: bool = False
    applied: list[str] = field(default_factory=list)


def plan_for(rules: list[FaultRule], endpoint: str, rng: random.Random) -> FaultPlan:
    """Consult the rules, in order, for one request to `endpoint`."""
    plan = FaultPlan()
    for rule in rules:
        fault = rule.fault
        if fault.is_outcome and plan.outcome is not None:
            continue
        if not rule.fire(endpoint, rng):
            continue
        plan.applied.append(fault.kind)
        if fault.kind == "latency":
            plan.delay += fault.seconds
        elif fault.kind == "task_fails":
            plan.fate = "fail"
        elif fault.kind == "task_never_finishes":
            plan.fate = "stuck"
        elif fault.kind == "file_fails":
            plan.fate = "fail"
            plan.fail_reason = fault.message
        elif fault.kind == "legacy_status_shape":
            plan.legacy_status = True
        else:
            plan.outcome = fault
    return plan


def fault_response(fault: Fault) -> FakeResponse:
    """The response of a fault that answers in place of the endpoint."""
    reason = FakeResponse(fault.status).reason
    if fault.kind == "gateway_html":
        page = _GATEWAY_PAGE.format(status=fault.status, reason=reason)
        return FakeResponse(fault.status, {"content-type": "text/html"}, page.encode())
    if fault.kind == "server_error" and not fault.envelope:
        text = f"{reason or 'Server Error'}".encode()
        return FakeResponse(fault.status, {"content-type": "text/plain; charset=utf-8"}, text)
    headers = {"content-type": "application/json"}
    if fault.kind == "rate_limit" and fault.retry_after is not None:
        headers["retry-after"] = _seconds(fault.retry_after)
    body = encode_json(envelope(fault.code, None, fault.message))
    return FakeResponse(fault.status, headers, body)


def _seconds(value: float) -> str:
    """`1.0` -> `"1"`, `0.25` -> `"0.25"`: whole seconds as RFC 9110 wants, else decimals."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
