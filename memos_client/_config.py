"""Client configuration: arguments and environment resolved once, at construction.

Precedence, explicit beats implicit: `base_url=` or `region=` arguments, then
`MEMOS_BASE_URL`, `MEMOS_REGION`, `MEMOS_IS_GLOBAL` (the official client's switch),
then the China region. The key comes from `api_key=` or `MEMOS_API_KEY`. Nothing here
does I/O: reading the environment is the only outside contact.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar
from urllib.parse import urlsplit

import httpx

from ._core._redact import Redactor, has_escape, literal_forms, texts
from ._exceptions import ConfigurationError, InvalidRequestError
from ._logging import track_secret

__all__ = [
    "CN_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "GLOBAL_BASE_URL",
    "ClientConfig",
    "Region",
    "Secret",
    "check_headers",
    "normalize_timeout",
    "resolve_config",
]

T = TypeVar("T")
CN_BASE_URL = "https://memos.memtensor.cn/api/openmem/v1"
GLOBAL_BASE_URL = "https://api.memt.ai/platform/api/openmem/v1"
Region = Literal["cn", "global"]
REGIONS: dict[str, str] = {"cn": CN_BASE_URL, "global": GLOBAL_BASE_URL}

# A minute covers sync-mode adds and chat; connecting should never take 5 s.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DASHBOARD_KEYS_URL = "https://memos-dashboard.openmem.net/apikeys"


class Secret:
    """Holds the API key so that no repr, log line or pickle can show it.

    Every live secret is known to the `memos_client` logger's filter, which hides it
    in any record; `redactor()` hides it in errors, built on first use (compiling its
    patterns costs about a millisecond, which a call that never fails never pays).
    """

    __slots__ = ("__weakref__", "_literals", "_redactor", "_value")

    def __init__(self, value: str) -> None:
        self._value = value
        self._redactor: Redactor | None = None
        self._literals: tuple[str, ...] | None = None
        track_secret(self)

    def reveal(self) -> str:
        return self._value

    def redactor(self) -> Redactor:
        """The `Redactor` that finds this key in any encoding."""
        if self._redactor is None:
            self._redactor = Redactor(self.reveal)
        return self._redactor

    def hidden(self, value: T) -> T:
        """`value`, or a copy with this key hidden if a string in it shows it in any form.

        Cheap when nothing can show: without an escape character (% \\ &) only the
        plain and base64 forms can, and those are plain substring checks, so the
        redactor is compiled only when it may be needed.
        """
        if self._literals is None:
            self._literals = literal_forms(self._value)
        for text in _strings(value):
            if has_escape(text) or any(form in text for form in self._literals):
                return self.redactor().hidden(value)
        return value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __reduce__(self) -> str:
        raise TypeError("an API key is never pickled; rebuild the client in the new process")


def _strings(value: object) -> Iterable[str]:
    """The text a key could hide in: a pydantic model as its JSON (one C call, where
    any escaped character shows as a backslash), anything else walked string by string."""
    serializer = getattr(value, "__pydantic_serializer__", None)
    if serializer is None:
        return texts(value)
    try:
        encoded: bytes = serializer.to_json(value, fallback=repr, warnings=False)
    except Exception:
        return texts(value)
    return (encoded.decode("utf-8", "replace"),)


@dataclass(frozen=True)
class ClientConfig:
    api_key: Secret
    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    default_headers: Mapping[str, str] = field(default_factory=dict)


def normalize_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    """A float is the overall budget, with connect capped at 5 s; `None` disables timeouts."""
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return httpx.Timeout(timeout)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        raise InvalidRequestError(
            f"timeout: must be a positive number of seconds, an httpx.Timeout or None, "
            f"not {timeout!r}",
            field="timeout",
        )
    return httpx.Timeout(float(timeout), connect=min(5.0, float(timeout)))


def resolve_config(
    *,
    api_key: str | None,
    base_url: str | None,
    region: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    allow_insecure_http: bool,
    environ: Mapping[str, str],
) -> ClientConfig:
    """Resolve the constructor arguments and environment into one `ClientConfig`."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be an int >= 0, not {max_retries!r}")
    try:
        client_timeout = normalize_timeout(timeout)
    except InvalidRequestError as error:
        raise ConfigurationError(str(error)) from None
    return ClientConfig(
        api_key=Secret(_resolve_key(api_key, environ)),
        base_url=_check_base_url(_resolve_base_url(base_url, region, environ), allow_insecure_http),
        timeout=client_timeout,
        max_retries=max_retries,
        default_headers=_configured_headers(default_headers),
    )


def _configured_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    try:
        return check_headers("default_headers", headers)
    except InvalidRequestError as error:
        raise ConfigurationError(str(error)) from None


def _resolve_key(api_key: str | None, environ: Mapping[str, str]) -> str:
    key = api_key if api_key is not None else environ.get("MEMOS_API_KEY", "")
    if not isinstance(key, str):
        raise ConfigurationError(f"api_key must be a string, not {type(key).__name__}")
    key = key.strip()
    if key.startswith("Token "):
        key = key[len("Token ") :].strip()
    if not key:
        raise ConfigurationError(
            "No MemOS API key: pass MemOS(api_key=...) or set MEMOS_API_KEY. "
            f"Keys are issued at {DASHBOARD_KEYS_URL}. To try the SDK offline, use "
            "memos_client.testing.FakeMemOS."
        )
    if not (key.isascii() and key.isprintable()) or any(char.isspace() for char in key):
        # Never echo the key: it would land in a traceback or a log.
        raise ConfigurationError(
            "the API key holds spaces, line breaks or non-ASCII characters; copy it again "
            "from the MemOS dashboard (a stray character often comes with a paste)"
        )
    return key


# RFC 9110 section 5.6.2: a header name is a token.
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Visible ASCII, spaces and tabs; no NUL, CR, LF or other control characters.
HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")


def check_headers(field: str, headers: Mapping[str, str] | None) -> dict[str, str]:
    """Header names and values HTTP allows: a token name, and a value of visible ASCII,
    spaces and tabs. A value is never quoted in the error: it may be a credential."""
    checked: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not HEADER_NAME.fullmatch(name):
            shown = f"{name!r:.60}" if isinstance(name, str) else type(name).__name__
            raise InvalidRequestError(
                f"{field}: the header name {shown} is not allowed; a name is letters, "
                "digits and !#$%&'*+-.^_`|~ only (no spaces, colons or line breaks)",
                field=field,
            )
        if not isinstance(value, str) or not HEADER_VALUE.fullmatch(value):
            what = "text" if not isinstance(value, str) else "visible ASCII, spaces and tabs"
            raise InvalidRequestError(
                f"{field}[{name!r}]: a header value must be {what}, with no NUL, line "
                "breaks or other control characters (the value is not shown here)",
                field=field,
            )
        checked[name] = value
    return checked


def _resolve_base_url(base_url: str | None, region: str | None, environ: Mapping[str, str]) -> str:
    if base_url is not None and region is not None:
        raise ConfigurationError("pass base_url= or region=, not both")
    if base_url is not None:
        return base_url
    if region is not None:
        return _region_url(region, "region")
    if environ.get("MEMOS_BASE_URL"):
        return environ["MEMOS_BASE_URL"]
    if environ.get("MEMOS_REGION"):
        return _region_url(environ["MEMOS_REGION"], "MEMOS_REGION")
    if environ.get("MEMOS_IS_GLOBAL", "").strip().lower() in {"1", "true", "yes"}:
        return GLOBAL_BASE_URL
    return CN_BASE_URL


def _region_url(region: str, source: str) -> str:
    try:
        return REGIONS[region.strip().lower()]
    except KeyError:
        raise ConfigurationError(f"{source} must be 'cn' or 'global', not {region!r}") from None


def _check_base_url(url: str, allow_insecure_http: bool) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigurationError(
            f"base_url must be an http(s) URL such as {CN_BASE_URL!r}, not {url!r}"
        )
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"refusing to send the API key over plain http:// to {parts.hostname}; use "
            "https://, or pass allow_insecure_http=True if you really mean it"
        )
    return url.strip().rstrip("/")


def is_loopback(host: str) -> bool:
    """True for localhost names and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
