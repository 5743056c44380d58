"""`ClientBase`: what the async and the sync client share, none of it I/O.

Options, request preparation, headers, answer decoding, key hiding and request ids
are the same on both clients, so they live here once; `AsyncAPIClient` (and the
generated `APIClient`) add only sending, retrying and the connection pool's life.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import httpx
from typing_extensions import ParamSpec

from ._config import ClientConfig, check_headers, normalize_timeout, resolve_config
from ._context import CAPTURE, REQUEST_ID
from ._core import _decode
from ._core._body import encode_json, form_fields
from ._core._envelope import decode, request_id_of_raw
from ._core._polling import poll_timeout
from ._core._retry import RetryPolicy
from ._core._spec import Reply, RequestSpec
from ._core._validate import fail
from ._exceptions import MemOSError
from ._logging import logger
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ._core._api import Endpoint
    from ._tracing import Tracing

__all__ = ["ClientBase", "RequestOptions", "configure", "sdk_headers"]

E = TypeVar("E", bound=BaseException)
T = TypeVar("T")
P = ParamSpec("P")

USER_AGENT = (
    f"memos-client/{__version__} python/{sys.version_info.major}.{sys.version_info.minor} "
    f"httpx/{httpx.__version__}"
)
JSON_HEADERS = {"Content-Type": "application/json"}


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """Per-call settings: the client's defaults, overridden by the call's arguments."""

    timeout: httpx.Timeout
    max_retries: int
    extra_headers: Mapping[str, str] | None = None
    extra_body: Mapping[str, Any] | None = None


MAX_CACHED_URLS = 256


class ClientBase:
    """Configuration, per-call options, request preparation and answer decoding."""

    _config: ClientConfig
    _http: Any  # AsyncHTTP or HTTP: the pool a client sends through
    _retry_policy: RetryPolicy
    _random: Callable[[], float]
    _default_options: RequestOptions
    _full_headers: httpx.Headers
    # Set by `memos_client.otel.instrument()`: here for every client, or on one client
    # (and its `with_options` copies). None: no spans, one `is None` check a call.
    _tracing: Tracing | None = None

    def _configure(self, config: ClientConfig) -> None:
        """Set what follows from the configuration; shared by construction and copies."""
        self._config = config
        self._retry_policy = RetryPolicy()
        # A call with no per-call options (most calls) shares these.
        self._default_options = RequestOptions(config.timeout, config.max_retries)
        # httpx.Headers masks Authorization in its repr, so no repr of this client
        # (or of a frame that holds it) shows the key.
        self._full_headers = httpx.Headers(sdk_headers(config))
        self._urls: dict[str, httpx.URL] = {}
        self._key_length = len(config.api_key.reveal())

    def _url(self, path: str) -> httpx.URL:
        """The absolute URL of `path`, parsed once per path: httpx parses a string URL on
        every request, which costs a call as much as the rest of building it."""
        url = self._urls.get(path)
        if url is None:
            url = httpx.URL(f"{self._config.base_url}/{path}")
            if len(self._urls) < MAX_CACHED_URLS:  # paths that hold ids are not all kept
                self._urls[path] = url
        return url

    def _reconfigured(
        self, timeout: float | httpx.Timeout | None | NotGiven, max_retries: int | NotGiven
    ) -> ClientConfig:
        """This client's configuration with other defaults, for `with_options`."""
        config = self._config
        if not isinstance(timeout, NotGiven):
            config = replace(config, timeout=normalize_timeout(timeout))
        if not isinstance(max_retries, NotGiven):
            if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
                fail("max_retries", f"must be an int >= 0, not {max_retries!r}")
            config = replace(config, max_retries=max_retries)
        return config

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        return self._config.max_retries

    def __repr__(self) -> str:
        config = getattr(self, "_config", None)  # None while __init__ has not finished
        return f"{type(self).__name__}(base_url={getattr(config, 'base_url', None)!r})"

    def __reduce__(self) -> NoReturn:
        raise TypeError(
            f"{type(self).__name__} cannot be pickled (it holds a connection pool and your "
            "API key); pickle Task handles instead and re-bind them with client.task(handle)"
        )

    def _options(
        self,
        timeout: float | httpx.Timeout | None | NotGiven,
        extra_headers: Mapping[str, str] | None,
        extra_body: Mapping[str, Any] | None,
    ) -> RequestOptions:
        if isinstance(timeout, NotGiven) and extra_headers is None and extra_body is None:
            return self._default_options
        if extra_body is not None and not isinstance(extra_body, Mapping):
            fail("extra_body", f"must be a dict, not {type(extra_body).__name__}")
        if extra_headers is not None and not isinstance(extra_headers, Mapping):
            fail("extra_headers", f"must be a dict, not {type(extra_headers).__name__}")
        return RequestOptions(
            timeout=self._config.timeout
            if isinstance(timeout, NotGiven)
            else normalize_timeout(timeout),
            max_retries=self._config.max_retries,
            extra_headers=check_headers("extra_headers", extra_headers) if extra_headers else None,
            extra_body=extra_body,
        )

    def _prepare(
        self, endpoint: Endpoint, params: Mapping[str, Any], args: tuple[Any, ...]
    ) -> tuple[RequestSpec, RequestOptions]:
        """The request, checked before anything is sent, and the call's options."""
        options = self._default_options
        if not endpoint.options.isdisjoint(params):
            fields = dict(params)
            options = self._options(
                fields.pop("timeout", NOT_GIVEN),
                fields.pop("extra_headers", None),
                fields.pop("extra_body", None) if "extra_body" in endpoint.options else None,
            )
            params = fields
        return endpoint.build(args, params), options

    def _parse(self, decoder: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`decoder(*args)`: an answer's data decoded, or its error with the key hidden.

        The error is raised from here with a fresh traceback and without the data in
        any local, since the decoder's frames held the data, which may echo the key.
        """
        try:
            result = decoder(*args, **kwargs)
        except MemOSError as error:
            failure = self._hide(error)
        else:
            return stamped(result, REQUEST_ID.get())
        del args, kwargs
        raise failure

    def _retries(self, error: MemOSError, spec: RequestSpec, options: RequestOptions) -> bool:
        """Whether a call whose first attempt failed with `error` is tried again."""
        return options.max_retries >= 1 and self._retry_policy.should_retry(error, spec.kind)

    def _poll_options(self, left: float | None) -> RequestOptions:
        """Options for one status poll: no retries (the wait loop is the retry) and a
        timeout capped at the time left before the deadline."""
        return RequestOptions(timeout=poll_timeout(self._config.timeout, left), max_retries=0)

    def _payload(self, spec: RequestSpec, options: RequestOptions) -> bytes | dict[str, Any] | None:
        """What the request carries: JSON bytes, or form fields beside uploaded files."""
        if spec.files is not None:
            return form_fields(spec.body or {}, options.extra_body)
        if spec.body is None and not options.extra_body:
            return None
        return encode_json(spec.body or {}, options.extra_body)

    def _backoff(
        self, spec: RequestSpec, error: BaseException | None, retry: int, max_retries: int
    ) -> float:
        delay = self._retry_policy.delay(error, retry, self._random())
        logger.info(
            "%s %s failed (%s); retry %d of %d in %.2f s",
            spec.method,
            spec.path,
            error,
            retry,
            max_retries,
            delay,
        )
        return delay

    def _decode(
        self,
        spec: RequestSpec,
        response: httpx.Response,
        elapsed: float = 0.0,
        model: type[BaseModel] | None = None,
    ) -> Reply:
        if model is not None and response.status_code == 200:
            # One pass from bytes to the typed result, for a well-formed success; any
            # other answer takes the general path below.
            typed = _decode.one_pass(model, response.content)
            if typed is not None:
                return self._decoded(Reply(typed, 200, response.headers, response, elapsed))
        try:
            data = decode(
                spec,
                status=response.status_code,
                headers=response.headers,
                content=response.content,
                now=time.time(),
            )
        except MemOSError as error:
            failure = self._hide(error)
        else:
            return self._decoded(
                Reply(data, response.status_code, response.headers, response, elapsed)
            )
        # Raised here, with a fresh traceback: the frames of `decode` held the body,
        # which may echo the key.
        raise failure

    def _decoded(self, reply: Reply) -> Reply:
        """A successful reply, noted for the result's request id and raw responses."""
        REQUEST_ID.set(self._hidden_id(request_id_of_raw(reply.response.headers.raw)))
        captured = CAPTURE.get()
        if captured is not None:
            captured.append(reply)
        return reply

    def _hidden_id(self, request_id: str | None) -> str | None:
        """A request id, with the key hidden if a server echoed it there. An id shorter
        than the key cannot hold it, so the usual one costs a length check."""
        if request_id is None or len(request_id) < self._key_length:
            return request_id
        return self._config.api_key.redactor().text(request_id)

    def _hide(self, error: E) -> E:
        """`error` with the API key hidden in any form a server may have echoed it."""
        return self._config.api_key.redactor().error(error)

    def _headers(
        self,
        extra: Mapping[str, str] | None,
        *,
        json: bool = False,
        accept: str = "application/json",
    ) -> Mapping[str, str] | None:
        """The headers a request must carry beyond those its pool already sends.

        With a pool you passed in, that is all of them, Authorization included: they
        come as `httpx.Headers`, whose repr masks it, so no frame shows the key.
        """
        if self._http.preset:
            if accept == "application/json" and not extra:
                return JSON_HEADERS if json else None
            headers: dict[str, str] = {} if accept == "application/json" else {"Accept": accept}
            if json:
                headers.update(JSON_HEADERS)
            headers.update(extra or {})
            return headers
        full = self._full_headers.copy()
        full["Accept"] = accept
        if json:
            full.update(JSON_HEADERS)
        if extra:
            full.update(extra)
        return full


def stamped(result: T, request_id: str | None) -> T:
    """`result`, with the request id of the answer it came from on each of its models."""
    if request_id is None:
        return result
    for item in result if isinstance(result, list) else (result,):
        stamp = getattr(item, "_stamp", None)  # a MemOSModel (imported only with answers)
        if stamp is not None:
            stamp(request_id)
    return result


def sdk_headers(config: ClientConfig) -> dict[str, str]:
    """What every request carries: set once on a pool the SDK makes, or sent with each
    request through a pool you passed in."""
    return {
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
        "Authorization": f"Token {config.api_key.reveal()}",
        **config.default_headers,
    }


def configure(**arguments: Any) -> ClientConfig | MemOSError:
    """The resolved configuration, or the error saying why not, with no traceback (its
    frames held the key); the caller raises it from a frame that does not."""
    try:
        return resolve_config(**arguments, environ=os.environ)
    except MemOSError as error:
        return error.with_traceback(None)
