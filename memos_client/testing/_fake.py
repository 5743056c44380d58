"""`FakeMemOS`: the stateful in-memory MemOS Cloud, and its one request entry point.

`FakeMemOS.handle()` takes a method, path, headers and body and returns a
`FakeResponse`. It does no I/O: the in-process transport, the loopback HTTP
server and advanced users all go through it. One lock guards all state, since
the HTTP server answers from several threads.

Order of work for a request: settle due tasks and files, route (404 outside
`/api/openmem/v1` or for an unknown endpoint, 405 for a wrong method),
consult the fault rules, answer a gateway-level fault if one fires,
authenticate, parse the body (JSON, multipart form, or none for GET), run the
endpoint handler, then apply post-processing faults (202 empty body, a body cut
short, dropped connection) and latency, and log it. Reading state back
(`requests`, `stats`, `memories()`, `files()`, ...) is the `Inspection` mixin.
"""

from __future__ import annotations

import random
import threading
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, cast, overload

from typing_extensions import TypeVar

from ._clock import Clock, ManualClock, RealClock
from ._faults import Fault, FaultPlan, FaultRule, plan_for
from ._http._auth import authenticate
from ._http._log import DEFAULT_REQUEST_LOG_SIZE, RecordedRequest, envelope_code, parse_body, redact
from ._http._request import content_type_of, parse_request, query_of
from ._http._wire import ApiError, FakeResponse, envelope, json_response
from ._inspection import Inspection
from ._routes import API_ROOT, ROUTES, Call, Route, endpoint_of, resolve
from ._store import Ids, Store
from ._tasks._settle import settle

if TYPE_CHECKING:
    from memos_client import AsyncMemOS, MemOS

    from ._http._server import FakeServer
    from ._http._transport import FakeTransport

__all__ = ["DEFAULT_API_KEY", "FAKE_BASE_URL", "FakeMemOS"]

FAKE_BASE_URL = "https://memos.fake/api/openmem/v1"
"""The base URL in-process clients use; any host works, only the path is routed."""
DEFAULT_API_KEY = "fake-key"

ClockT = TypeVar("ClockT", bound=Clock, default=Clock)


class FakeMemOS(Inspection, Generic[ClockT]):
    """An in-memory MemOS Cloud for tests and offline development (one project).

    ```python
    fake = FakeMemOS(clock=ManualClock())
    with httpx.Client(transport=fake.transport(), base_url=FAKE_BASE_URL) as http:
        body = {"messages": [{"role": "user", "content": "I love tea"}], "user_id": "u1"}
        http.post("/add/message", json=body, headers={"Authorization": "Token k"})
    fake.clock.advance(1.0)  # refinement is due
    ```

    Args:
        api_keys: the keys accepted; `None` accepts any non-empty key. All keys
            see the same memories: the fake emulates a single project.
        refine_delay: seconds (on `clock`) from an async `add/message` to its
            refined memories and `completed` status.
        clock: the time source; a `RealClock` by default, a `ManualClock` in tests.
        seed: seeds every id and every probability draw, for reproducible runs.
        request_log_size: how many recent requests `requests` keeps (a ring
            buffer; `DEFAULT_REQUEST_LOG_SIZE`, 10,000, by default; 0 keeps
            none). The counters of `stats` stay exact whatever the size.
    """

    @overload
    def __init__(
        self: FakeMemOS[RealClock],
        *,
        api_keys: Iterable[str] | None = None,
        refine_delay: float = 1.0,
        clock: None = None,
        seed: int = 0,
        request_log_size: int = DEFAULT_REQUEST_LOG_SIZE,
    ) -> None: ...

    @overload
    def __init__(
        self,
        *,
        api_keys: Iterable[str] | None = None,
        refine_delay: float = 1.0,
        clock: ClockT,
        seed: int = 0,
        request_log_size: int = DEFAULT_REQUEST_LOG_SIZE,
    ) -> None: ...

    def __init__(
        self,
        *,
        api_keys: Iterable[str] | None = None,
        refine_delay: float = 1.0,
        clock: Clock | None = None,
        seed: int = 0,
        request_log_size: int = DEFAULT_REQUEST_LOG_SIZE,
    ) -> None:
        if refine_delay < 0:
            raise ValueError("refine_delay must not be negative")
        if isinstance(request_log_size, bool) or not isinstance(request_log_size, int):
            raise TypeError(
                f"request_log_size must be an int, not {type(request_log_size).__name__}"
            )
        if request_log_size < 0:
            raise ValueError(f"request_log_size must not be negative ({request_log_size})")
        self._request_log_size = int(request_log_size)
        self._api_keys = None if api_keys is None else frozenset(api_keys)
        self._clock = cast("ClockT", clock if clock is not None else RealClock())
        self._refine_delay = float(refine_delay)
        self._seed = seed
        self._lock = threading.RLock()
        self._rules: list[FaultRule] = []
        self._fresh_state()

    def _fresh_state(self) -> None:
        self._store = Store(self._clock, self._refine_delay, Ids(f"{self._seed}:ids"))
        self._request_ids = Ids(f"{self._seed}:requests")
        self._fault_rng = random.Random(f"{self._seed}:faults")
        self._log: deque[RecordedRequest] = deque(maxlen=self._request_log_size)
        self._received: Counter[str] = Counter()
        self._answered: Counter[str] = Counter()

    @property
    def clock(self) -> ClockT:
        """The clock in use (advance it in tests when it is a `ManualClock`)."""
        return self._clock

    @property
    def refine_delay(self) -> float:
        """Seconds from an async add to its refined memories."""
        return self._refine_delay

    @property
    def request_log_size(self) -> int:
        """How many recent requests `requests` keeps (older ones drop out; `stats` stays exact)."""
        return self._request_log_size

    @property
    def api_keys(self) -> frozenset[str] | None:
        """The accepted keys, or `None` when any non-empty key is accepted."""
        return self._api_keys

    def __repr__(self) -> str:
        keys = "any" if self._api_keys is None else len(self._api_keys)
        return f"FakeMemOS(keys={keys}, refine_delay={self._refine_delay}, clock={self._clock!r})"

    # -- the entry point -------------------------------------------------------------------

    def handle(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes = b""
    ) -> FakeResponse:
        """Answer one HTTP request, in process and without I/O.

        Args:
            method: the HTTP method.
            path: the raw (still URL-escaped) request path with its query string,
                e.g. `/api/openmem/v1/search/memory` (any prefix before
                `/api/openmem/v1/` is ignored). A path outside `/api/openmem/v1`
                (`/search/memory`) is answered 404 with an envelope saying so, as a
                `base_url` without the prefix fails in production. Path
                parameters (`get/memory/{memory_id}`) are unescaped by the router.
            headers: request headers (names in any case).
            body: the raw request body.

        Returns:
            The response. Honour `FakeResponse.delay` (real-clock latency),
            `FakeResponse.disconnect` (drop the connection instead of answering),
            and `FakeResponse.pieces` / `cut_after` (a streamed body, possibly cut).
        """
        method = method.upper()
        raw_endpoint = endpoint_of(path)
        resolved = None if raw_endpoint is None else resolve(raw_endpoint)
        if resolved is not None:
            endpoint = resolved[0]
        else:
            endpoint = (
                raw_endpoint if raw_endpoint is not None else path.split("?", 1)[0].strip("/")
            )
        with self._lock:
            request_id = self._request_ids()
            self._received[endpoint] += 1
            settle(self._store)
            plan = FaultPlan()
            if raw_endpoint is None:
                response = _outside_the_api(path)
            elif resolved is None:
                response = json_response(404, {"detail": "Not Found"})
            elif method not in ROUTES[endpoint].methods:
                allow = {"allow": ", ".join(ROUTES[endpoint].methods)}
                response = json_response(405, {"detail": "Method Not Allowed"}, allow)
            else:
                plan = plan_for(self._rules, endpoint, self._fault_rng)
                route, params = ROUTES[endpoint], resolved[1]
                response = self._answer(route, path, headers, body, params, plan)
            response = replace(response, headers={**response.headers, "x-request-id": request_id})
            if plan.delay > 0:
                if isinstance(self._clock, ManualClock):
                    self._clock.advance(plan.delay)
                else:
                    response = replace(response, delay=plan.delay)
            if response.disconnect is None:
                self._answered[endpoint] += 1
            if self._request_log_size == 0:
                return response
            self._log.append(
                RecordedRequest(
                    method=method,
                    path=path.split("?", 1)[0],
                    endpoint=endpoint,
                    headers=redact(headers),
                    body=parse_body(body, content_type_of(headers)),
                    status=None if response.disconnect else response.status,
                    code=envelope_code(response.headers, response.body),
                    faults=tuple(plan.applied),
                    request_id=request_id,
                    query=query_of(path),
                )
            )
            return response

    def _answer(
        self,
        route: Route,
        path: str,
        headers: Mapping[str, str],
        body: bytes,
        params: dict[str, str],
        plan: FaultPlan,
    ) -> FakeResponse:
        outcome = plan.outcome
        early = None if outcome is None else outcome.answer_before()
        if early is not None:
            return early  # answered in place of the endpoint: nothing is processed
        try:
            authenticate(headers, self._api_keys)
            parsed = parse_request(route.body, path, headers, body)
            call = Call(
                body=parsed.body,
                store=self._store,
                fate=plan.fate,
                legacy_status=plan.legacy_status,
                fail_reason=plan.fail_reason,
                query=parsed.query,
                params=params,
                files=parsed.files,
            )
            data = route.handler(call)
        except ApiError as error:
            response = json_response(error.http_status, envelope(error.code, None, error.message))
            ok = False
        else:
            if isinstance(data, FakeResponse):
                response = data  # answered outside the envelope (rerank, chat streams)
            else:
                response = json_response(200, envelope(0, data, "ok"))
            ok = True
        if outcome is not None:
            changed = outcome.answer_after(response, ok=ok)
            if changed is None:
                plan.applied.remove(outcome.kind)  # errors are answered as they are
            else:
                response = changed
        return response

    # -- faults -----------------------------------------------------------------------------

    def inject(
        self,
        fault: Fault,
        *,
        endpoint: str | None = None,
        times: int | None = None,
        probability: float | None = None,
    ) -> FaultRule:
        """Make requests misbehave; see `Fault` for the kinds.

        ```python
        fake.inject(Fault.rate_limit(retry_after=1.0), endpoint="search/memory", times=2)
        fake.inject(Fault.server_error(503), probability=0.1)
        ```

        Args:
            fault: what goes wrong.
            endpoint: the only endpoint it applies to (`None`: all it can apply to).
            times: how many requests it hits before it is used up (`None`: no limit).
            probability: the chance it hits a matching request (`None`: always),
                drawn from the fake's seeded generator.

        Returns:
            The rule, whose `hits` and `remaining` show how it has been used.
        """
        if endpoint is not None:
            endpoint = endpoint.strip("/")
            if endpoint not in ROUTES:
                raise ValueError(f"unknown endpoint {endpoint!r}; known: {', '.join(ROUTES)}")
        rule = FaultRule(fault, endpoint, times, probability)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        with self._lock:
            self._rules.clear()

    @property
    def faults(self) -> list[FaultRule]:
        """The injected rules that can still fire, in the order they are consulted."""
        with self._lock:
            return [rule for rule in self._rules if rule.active]

    # -- offline content -------------------------------------------------------------------

    def register_url(self, url: str, content: str | bytes) -> None:
        """Give a URL the content the offline fake "downloads" for it.

        Knowledge-base uploads may name a file by URL; the fake fetches nothing,
        so a URL resolves only to what was registered (text is UTF-8 encoded).
        An unregistered URL makes its file end `failed`, with a reason saying so.
        Registering again replaces the content (files already processed keep theirs).
        """
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        with self._lock:
            self._store.urls[url] = data

    def reset(self) -> None:
        """Forget everything: state, log, counters, faults and registered URLs.

        Keys, clock and seed stay.
        """
        with self._lock:
            self._rules.clear()
            self._fresh_state()

    # -- ways in ----------------------------------------------------------------------------

    def transport(self) -> FakeTransport:
        """An httpx transport, sync and async at once, that calls `handle()` in process."""
        from ._http._transport import FakeTransport

        return FakeTransport(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> FakeServer:
        """A real HTTP server for this fake; use `with fake.serve() as base_url:`."""
        from ._http._server import FakeServer

        return FakeServer(self, host=host, port=port)

    def client(self, **kwargs: Any) -> MemOS:
        """A sync SDK client (`memos_client.MemOS`) bound to this fake in process.

        Keyword arguments override the defaults (`api_key`, `base_url`,
        `http_client`). On a `ManualClock` the client's waits advance the clock.
        """
        from ._sdk import sync_client

        return sync_client(self, kwargs)

    def async_client(self, **kwargs: Any) -> AsyncMemOS:
        """An async SDK client (`memos_client.AsyncMemOS`) bound to this fake in process."""
        from ._sdk import async_client

        return async_client(self, kwargs)

    def default_api_key(self) -> str:
        """A key this fake accepts: `"fake-key"`, or the first configured key."""
        return min(self._api_keys) if self._api_keys else DEFAULT_API_KEY


def _outside_the_api(path: str) -> FakeResponse:
    """HTTP 404 for a path outside `/api/openmem/v1`, with an envelope that says why."""
    shown = path.split("?", 1)[0]
    message = (
        f"{shown} is not part of the MemOS Cloud API: every endpoint lives under "
        f"{API_ROOT}, so base_url must end in {API_ROOT} "
        f"(e.g. https://memos.memtensor.cn{API_ROOT})"
    )
    return json_response(404, envelope(40001, None, message))
