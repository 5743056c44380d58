"""Find the API key in anything the SDK is about to raise, log or pickle, and hide it.

A server, gateway or proxy may echo the request's `Authorization` header back in an
error body, a stream event or a task's error text, in any encoding: raw, URL-encoded
(`%2F`, either case), JSON-escaped (`\\/`, `\\u002f`), HTML entities, Python repr
escapes, or base64 at any alignment. `Redactor` matches the key in all of those forms
at once, character by character, so a mixture (`sk\\u002dab%2Fc`) is caught too.

The key itself is never bound to a local variable here, or anywhere a traceback could
show it: error trackers record the `repr` of every local in every frame. A `Redactor`
holds the key only inside compiled patterns and has a repr that shows nothing.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any, Final, TypeVar

__all__ = ["REDACTED", "Redactor", "has_escape", "literal_forms"]

REDACTED: Final = "<redacted>"
# Deep structures are walked to this depth; anything deeper is replaced as a whole.
MAX_DEPTH: Final = 64
# What `texts` yields for a part too deep to walk: it may show the key in any form.
TOO_DEEP: Final = "\\"
E = TypeVar("E", bound=BaseException)
M = TypeVar("M")


def _hex(value: int, width: int) -> str:
    """`value` in hex, each letter matching either case: `2f` -> `2[fF]`."""
    return "".join(
        f"[{digit}{digit.upper()}]" if digit.isalpha() else digit for digit in f"{value:0{width}x}"
    )


def _char(char: str) -> str:
    """A regex for one character of the key in any form an echo can take."""
    code = ord(char)
    forms = [re.escape(char)]
    forms += ["%" + _hex(byte, 2) for byte in [code]] if code < 0x80 else []
    forms.append(r"\\[uU]" + _hex(code, 4))  # JSON and Python \uXXXX
    forms.append(r"\\x" + _hex(code, 2))  # Python repr of bytes
    if char in "\"'\\/":
        forms.append(r"\\+" + re.escape(char))  # JSON / repr escapes, doubled or not
    forms.append(f"&#0*{code};?")
    forms.append(f"&#[xX]0*{_hex(code, 1).lstrip('0') or '0'};?")
    forms += [re.escape(f"&{name}") for name in _html_names().get(char, ())]
    return "(?:" + "|".join(forms) + ")"


@functools.cache
def _html_names() -> dict[str, list[str]]:
    """Every HTML5 named entity of each ASCII character (`&sol;`, `&plus;`, `&amp`...)."""
    from html.entities import html5  # a large table: loaded when a redactor is built

    names: dict[str, list[str]] = {}
    for name, text in html5.items():
        if len(text) == 1 and text.isascii():
            names.setdefault(text, []).append(name)
    return names


def _base64_forms(raw: bytes) -> list[str]:
    """The key's base64 core at each of the three alignments, standard and URL-safe.

    Base64 of a text that contains the key always contains one of these, whatever
    came before the key; the few characters at each edge differ, and are left alone.
    """
    forms: list[str] = []
    for offset in range(3):
        body = raw[offset:]
        body = body[: len(body) // 3 * 3]
        if len(body) >= 6:
            encoded = base64.b64encode(body).decode()
            forms.append(re.escape(encoded))
            forms.append(re.escape(encoded.replace("+", "-").replace("/", "_")))
    return forms


def has_escape(text: str) -> bool:
    """Whether `text` holds a character that starts an escaped form (% \\ &). Without
    one, only the key's literal forms (`literal_forms`) can be in it."""
    return "%" in text or "\\" in text or "&" in text


def texts(value: Any, depth: int = 0) -> Iterator[str]:
    """Every string in `value`, walked as `Redactor.deep` walks it (dict keys and
    values, sequences, sets, pydantic models); bytes are read as Latin-1. What the
    walk does not reach, `deep` would not change either."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (bytes, bytearray)):
        yield bytes(value).decode("latin-1")
    elif depth >= MAX_DEPTH:
        yield TOO_DEEP
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(key, depth + 1)
            yield from texts(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from texts(item, depth + 1)
    elif getattr(value, "__pydantic_fields_set__", None) is not None:
        yield from texts(value.__dict__, depth + 1)
        yield from texts(getattr(value, "__pydantic_extra__", None) or {}, depth + 1)


def literal_forms(key: str) -> tuple[str, ...]:
    """The forms of `key` that hold no escape character: itself, and its base64 cores."""
    cores = [re.sub(r"\\(.)", r"\1", form) for form in _base64_forms(key.encode())]
    return (key, *cores)


class Redactor:
    """Replaces every form of one secret with `<redacted>` in text, bytes and errors."""

    __slots__ = ("_bytes", "_plain", "_plain_bytes", "_text")

    def __init__(self, reveal: Callable[[], str]) -> None:
        # `reveal` is called, never stored: no attribute or local holds the key.
        literals = "|".join([re.escape(reveal()), *_base64_forms(reveal().encode())])
        alternatives = "|".join(["".join(_char(char) for char in reveal()), literals])
        self._text = re.compile(alternatives)
        self._bytes = re.compile(alternatives.encode())
        # Without an escape character (% \ &) only the plain and base64 forms can
        # be present, and a search for those literals is several times faster.
        self._plain = re.compile(literals)
        self._plain_bytes = re.compile(literals.encode())

    def __repr__(self) -> str:
        return "Redactor(<hidden>)"

    def __reduce__(self) -> Any:
        raise TypeError("a Redactor holds an API key and is never pickled")

    def shows(self, value: str) -> bool:
        """Whether any form of the key is in `value`."""
        if has_escape(value):
            return self._text.search(value) is not None
        return self._plain.search(value) is not None

    def text(self, value: str) -> str:
        """`value` with every form of the key replaced."""
        return self._text.sub(REDACTED, value) if self.shows(value) else value

    def data(self, value: bytes) -> bytes:
        """`value` with every form of the key replaced (bytes)."""
        if b"%" in value or b"\\" in value or b"&" in value:
            return self._bytes.sub(REDACTED.encode(), value)
        return self._plain_bytes.sub(REDACTED.encode(), value)

    def hidden(self, value: M) -> M:
        """`value` itself when no form of the key shows in any string it holds, else a
        hidden copy. (Not its repr: a model's repr is a one-line summary.)"""
        shows = any(text == TOO_DEEP or self.shows(text) for text in texts(value))
        return self.deep(value) if shows else value

    def deep(self, value: Any, depth: int = 0) -> Any:
        """A copy of `value` with the key hidden in every string it holds.

        Walks dicts, lists, tuples, sets and pydantic models (rebuilt without
        validation, so their types stay as they were); other objects pass through.
        """
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, (bytes, bytearray)):
            return self.data(bytes(value))
        if depth >= MAX_DEPTH:
            return REDACTED if isinstance(value, (dict, list, tuple, set)) else value
        if isinstance(value, dict):
            return {self.deep(k, depth + 1): self.deep(v, depth + 1) for k, v in value.items()}
        if isinstance(value, (list, tuple, set, frozenset)):
            return type(value)(self.deep(item, depth + 1) for item in value)
        return self._model(value, depth)

    def _model(self, value: Any, depth: int) -> Any:
        fields = getattr(value, "__pydantic_fields_set__", None)
        if fields is None or not hasattr(value, "__dict__"):
            return value
        clone = value.__class__.model_construct(_fields_set=set(fields))
        clone.__dict__.update(self.deep(dict(value.__dict__), depth + 1))
        extra = getattr(value, "__pydantic_extra__", None)
        if extra is not None:
            object.__setattr__(clone, "__pydantic_extra__", self.deep(extra, depth + 1))
        return clone

    def error(self, error: E) -> E:
        """`error`, hidden in place: its args, attributes and chained causes.

        The traceback is dropped as well, since its frames may hold the echoed body.
        A chained exception that is not ours is replaced when its text shows the key.
        """
        seen: set[int] = set()
        self._error(error, seen)
        return error.with_traceback(None)

    def _error(self, error: BaseException, seen: set[int]) -> None:
        if id(error) in seen:
            return
        seen.add(id(error))
        error.args = tuple(self.deep(arg) for arg in error.args)
        state = getattr(error, "__dict__", None)
        if state:
            for name, item in list(state.items()):
                state[name] = self.deep(item)
        for link in ("__cause__", "__context__"):
            linked = getattr(error, link)
            if linked is None:
                continue
            self._error(linked, seen)
            if self._shows(linked):
                setattr(error, link, None)
            else:
                linked.with_traceback(None)

    def _shows(self, error: BaseException) -> bool:
        try:
            text = f"{error}\n{error!r}"
        except Exception:  # an exception whose str fails is dropped
            return True
        return self.shows(text)
