"""`AsyncAPIClient`: configuration, lifecycle, and the one `_send()` every call goes through.

`_send` is the only place that touches httpx and tenacity. The first attempt runs
outside tenacity, so a call that succeeds costs about what a raw httpx call costs;
only a retryable failure builds a retry loop (and only then is tenacity imported,
which keeps it out of a program's start-up).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from typing_extensions import ParamSpec, Self

from .._clientbase import ClientBase, RequestOptions, configure, sdk_headers
from .._compat import AsyncSleep
from .._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ClientConfig,
    Region,
)
from .._core import _api, _decode
from .._core._api import Endpoint
from .._core._retry import RetryPolicy
from .._core._spec import Reply, RequestSpec
from .._core._transport import connection_error
from .._exceptions import ConfigurationError, MemOSError
from .._files import open_parts
from .._handles import Deferred
from .._logging import logger, redact_headers, setup_logging
from .._runtime import AsyncRuntime
from .._types import NOT_GIVEN, NotGiven
from ._http import AsyncHTTP
from ._task import AsyncTask

if TYPE_CHECKING:
    from pydantic import BaseModel
    from tenacity import RetryCallState

    from .._tracing import CallRecord, Tracing
    from ..types import AddResult, TaskStatus

__all__ = ["AsyncAPIClient", "RequestOptions"]

M = TypeVar("M", bound="BaseModel")
E = TypeVar("E", bound=BaseException)
T = TypeVar("T")
P = ParamSpec("P")


class AsyncAPIClient(ClientBase):
    """Configuration, connection lifecycle and sending; `AsyncMemOS` adds the endpoints."""

    _config: ClientConfig
    _http: AsyncHTTP
    _borrowed: bool
    _retry_policy: RetryPolicy
    _clock: Callable[[], float]
    _sleep: AsyncSleep
    _random: Callable[[], float]

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        region: Region | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        allow_insecure_http: bool = False,
        runtime: AsyncRuntime | None = None,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise ConfigurationError(
                f"http_client must be an httpx.AsyncClient, not {type(http_client).__name__}"
            )
        if isinstance(timeout, NotGiven):
            # The SDK's default, even with your own http_client: httpx's is 5 s, too
            # short for a sync-mode add or a chat.
            timeout = DEFAULT_TIMEOUT
        outcome = configure(
            api_key=api_key,
            base_url=base_url,
            region=region,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            allow_insecure_http=allow_insecure_http,
        )
        if isinstance(outcome, MemOSError):
            # Raised from here, with the key argument gone: the frames that resolved
            # the configuration held it, and error trackers record every frame's locals.
            del api_key
            raise outcome
        config = outcome
        setup_logging(os.environ)
        http = AsyncHTTP(http_client, config.timeout, httpx.Headers(sdk_headers(config)))
        self._setup(config, http, runtime=runtime)

    def _setup(
        self,
        config: ClientConfig,
        http: AsyncHTTP,
        borrowed: bool = False,
        runtime: AsyncRuntime | None = None,
    ) -> None:
        """Set every attribute; shared by `__init__` and `with_options`."""
        self._configure(config)
        self._http = http
        self._borrowed = borrowed
        # Time and jitter come only from the runtime (the one hook tests and the
        # emulator's virtual clock use): the client never calls time directly.
        self._runtime = runtime or AsyncRuntime()
        self._clock = self._runtime.clock
        self._sleep = self._runtime.sleep
        self._random = self._runtime.random

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        runtime: AsyncRuntime | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A copy with other defaults that shares this client's connection pool.

        ```python
        patient = client.with_options(timeout=120, max_retries=5)
        ```
        Closing the copy does nothing; close the original when you are done.

        Args:
            timeout: the copy's timeout per request (seconds or an `httpx.Timeout`).
            max_retries: the copy's retries of a transient failure per call.
            runtime: the copy's clock, sleep and randomness (an `AsyncRuntime`).
        """
        config = self._reconfigured(timeout, max_retries)
        clone = object.__new__(type(self))
        chosen = self._runtime if isinstance(runtime, NotGiven) else runtime
        clone._setup(config, self._http, borrowed=True, runtime=chosen)
        if "_tracing" in vars(self):  # instrumented by itself, not with every client
            clone._tracing = self._tracing
        return clone

    async def aclose(self) -> None:
        """Close the connection pool (not one you passed in as `http_client`)."""
        if not self._borrowed:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _call(self, endpoint: Endpoint, params: Mapping[str, Any], *args: Any) -> Any:
        """Make one call: check and build its request, send it, decode the answer.

        A write that answers with a task (add, feedback) comes back as a `Task`.
        """
        spec, options = self._prepare(endpoint, params, args)
        return await self._exchange(endpoint, spec, options)

    async def _exchange(
        self, endpoint: Endpoint, spec: RequestSpec, options: RequestOptions
    ) -> Any:
        """Send a request already built and checked, and decode its answer."""
        reply = await self._send(spec, options, model=endpoint.one_pass)
        result = self._parse(endpoint.result, reply.data, spec)
        if endpoint.decode is _api.add_result:
            return self._task_from(result, reply.http_status)
        return result

    async def _poll(self, endpoint: Endpoint, left: float | None, *args: Any) -> tuple[Any, Reply]:
        """One status read for a wait: no retries (the wait loop is the retry) and a
        timeout capped at the time left before the deadline."""
        spec = endpoint.build(args, {})
        reply = await self._send(spec, self._poll_options(left))
        return self._parse(endpoint.result, reply.data, spec), reply

    def _task_from(self, result: AddResult | None, http_status: int) -> AsyncTask:
        """The handle on what a write started; untrackable when the answer has no id."""
        client: Any = self  # an `AsyncMemOS`: only it makes calls that start tasks
        if result is None:
            reason = (
                f"the server accepted the write (HTTP {http_status}, empty body) but sent "
                "no task id, so it cannot be tracked; search for the memory to confirm it"
            )
            return AsyncTask(client, None, untracked_reason=reason)
        status: Deferred[TaskStatus] = Deferred(
            _decode.initial_state(result), lambda: self._parse(_decode.initial_status, result)
        )
        if not isinstance(result.task_id, str) or not result.task_id:
            reason = "the server accepted the write but its task id is not a usable string"
            return AsyncTask(client, None, status, untracked_reason=reason)
        return AsyncTask(client, result.task_id, status)

    async def _send(
        self,
        spec: RequestSpec,
        options: RequestOptions,
        *,
        stream: bool = False,
        model: type[BaseModel] | None = None,
    ) -> Reply:
        """Send `spec`, retrying per the retry policy, and return the decoded reply.

        With `stream=True`, a 2xx event-stream answer comes back undecoded: `data` is
        the open `httpx.Response`, which the caller must close. Any other answer is
        read and decoded as usual. The body is encoded once, before anything is sent:
        a value that cannot be sent raises `InvalidRequestError` naming its field.
        """
        payload = self._payload(spec, options)
        if (tracing := self._tracing) is not None:
            return await self._traced(tracing, spec, options, payload, stream, model)
        try:
            return await self._attempt(spec, options, payload, stream, model)
        except MemOSError as error:
            if not self._retries(error, spec, options):
                raise
            first_error = error
        return await self._retry(spec, options, payload, first_error, stream, model)

    async def _traced(
        self,
        tracing: Tracing,
        spec: RequestSpec,
        options: RequestOptions,
        payload: bytes | dict[str, Any] | None,
        stream: bool,
        model: type[BaseModel] | None,
    ) -> Reply:
        """`_send` inside a span. Apart so that, with tracing off, `_send` costs one
        `is None` check more than it would without tracing at all."""
        with tracing.call(self, spec) as span:
            try:
                reply = await self._attempt(spec, options, payload, stream, model)
            except MemOSError as error:
                if not self._retries(error, spec, options):
                    raise
                first_error = error
            else:
                return span.answered(reply)
            reply = await self._retry(spec, options, payload, first_error, stream, model, span)
            return span.answered(reply)

    async def _retry(
        self,
        spec: RequestSpec,
        options: RequestOptions,
        payload: bytes | dict[str, Any] | None,
        error: MemOSError,
        stream: bool,
        model: type[BaseModel] | None = None,
        span: CallRecord | None = None,
    ) -> Reply:
        from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

        policy = self._retry_policy

        def wait(state: RetryCallState) -> float:
            failure = state.outcome.exception() if state.outcome else None
            return self._backoff(spec, failure, state.attempt_number + 1, options.max_retries)

        await self._sleep(self._backoff(spec, error, 1, options.max_retries))
        retrying = AsyncRetrying(
            stop=stop_after_attempt(options.max_retries),
            retry=retry_if_exception(lambda exc: policy.should_retry(exc, spec.kind)),
            wait=wait,
            sleep=self._sleep,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                if span is not None:
                    span.retrying(attempt.retry_state.attempt_number + 1)
                return await self._attempt(spec, options, payload, stream, model)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _attempt(
        self,
        spec: RequestSpec,
        options: RequestOptions,
        payload: bytes | dict[str, Any] | None,
        stream: bool,
        model: type[BaseModel] | None = None,
    ) -> Reply:
        http = self._http.get()
        started = time.perf_counter()
        content = payload if isinstance(payload, bytes) else None
        headers = self._headers(options.extra_headers, json=content is not None, accept=spec.accept)
        # A pool the SDK made already has its headers and timeout: not sent again.
        preset = self._http.preset and options.timeout is self._http.timeout
        timeout: Any = httpx.USE_CLIENT_DEFAULT if preset else options.timeout
        url = self._url(spec.path)
        if spec.files is None:
            request = http.build_request(
                spec.method,
                url,
                content=content,
                params=spec.params,
                headers=headers,
                timeout=timeout,
            )
            response = await self._transmit(http, spec, request, payload, stream)
        else:
            with ExitStack() as files:
                request = http.build_request(
                    spec.method,
                    url,
                    data=payload if isinstance(payload, dict) else None,
                    files=open_parts(files, spec.files),
                    params=spec.params,
                    headers=headers,
                    timeout=timeout,
                )
                response = await self._transmit(http, spec, request, payload, stream)
        if stream:
            if response.is_success and "event-stream" in response.headers.get("content-type", ""):
                return Reply(response, response.status_code, response.headers, response)
            await self._read_rest(spec, response)
        return self._decode(spec, response, time.perf_counter() - started, model)

    async def _read_rest(self, spec: RequestSpec, response: httpx.Response) -> None:
        """Read a streamed answer that turned out to be a plain one; always release it."""
        try:
            await response.aread()
        except httpx.RequestError as exc:
            error = self._hide(connection_error(exc, spec, str(response.request.url)))
        else:
            return
        finally:
            await response.aclose()
        raise error  # outside the except block: the httpx error holds the request

    async def _transmit(
        self,
        http: httpx.AsyncClient,
        spec: RequestSpec,
        request: httpx.Request,
        body: object,
        stream: bool,
    ) -> httpx.Response:
        debug = logger.isEnabledFor(logging.DEBUG)
        if debug:
            headers = redact_headers(request.headers.items())
            shown = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
            logger.debug(
                "request: %s %s headers=%s body=%s", spec.method, request.url, headers, shown
            )
        try:
            response = await http.send(request, stream=stream)
        except httpx.RequestError as exc:
            error = self._hide(connection_error(exc, spec, str(request.url)))
        else:
            if debug:
                size = "streaming" if stream else f"{len(response.content)} bytes"
                logger.debug(
                    "response: %s %s -> HTTP %d, %s",
                    spec.method,
                    spec.path,
                    response.status_code,
                    size,
                )
            return response
        # Raised outside the except block, so the httpx error (whose request holds the
        # Authorization header) is not kept as __context__.
        raise error
