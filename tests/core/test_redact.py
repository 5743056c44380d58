"""`Redactor`: the key is found in every encoding an echo can take, and nothing else is."""

from __future__ import annotations

import base64
import html
import json
import pickle
import re
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, strategies as st

from memos_client import AuthenticationError, TaskFailedError
from memos_client._core._redact import REDACTED, Redactor
from memos_client.types import TaskStatus

KEY = "sk-ab/cd+ef=gh\"'\\<&>1234"
# Keys as MemOS or a user could hold them: printable ASCII without spaces.
keys = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=8, max_size=48)


def redactor(key: str = KEY) -> Redactor:
    return Redactor(lambda: key)


def every_form(key: str) -> list[str]:
    return [
        key,
        quote(key, safe=""),
        re.sub(r"%[0-9A-F]{2}", lambda match: match.group(0).lower(), quote(key, safe="")),
        json.dumps(key)[1:-1],
        json.dumps(key)[1:-1].replace("/", "\\/"),
        "".join(f"\\u{ord(char):04x}" for char in key),
        "".join(f"\\u{ord(char):04X}" if i % 2 else char for i, char in enumerate(key)),
        html.escape(key),
        "".join(f"&#{ord(char)};" for char in key),
        "".join(f"&#x{ord(char):x};" for char in key),
        repr(key)[1:-1],
        repr(key.encode())[2:-1],
        "".join(f"\\x{ord(char):02x}" for char in key),
    ]


@pytest.mark.parametrize("form", every_form(KEY))
def test_every_encoding_of_the_key_is_hidden(form: str) -> None:
    hidden = redactor().text(f"before {form} after")
    assert hidden == f"before {REDACTED} after"


@given(key=keys, prefix=st.text(max_size=5), data=st.data())
def test_any_key_in_any_form_is_hidden_in_text_and_bytes(
    key: str, prefix: str, data: st.DataObject
) -> None:
    form = data.draw(st.sampled_from(every_form(key)))
    hider = redactor(key)
    assert key not in hider.text(prefix + form + "!").replace(REDACTED, "\0")
    assert form not in hider.text(prefix + form)
    assert form.encode() not in hider.data((prefix + form).encode("utf-8", "surrogatepass"))


@given(key=keys, before=st.binary(max_size=7))
def test_base64_of_a_text_holding_the_key_is_hidden_at_any_alignment(
    key: str, before: bytes
) -> None:
    encoded = base64.b64encode(before + b"Token " + key.encode() + b"\r\n").decode()
    hidden = redactor(key).text(encoded)
    assert REDACTED in hidden
    # What is left around the marker is a few edge characters, never the key's core.
    assert base64.b64encode(key.encode()[3:9]).decode() not in hidden


@given(text=st.text(max_size=200))
def test_text_without_the_key_is_left_alone(text: str) -> None:
    assert redactor("zz-" + "Q" * 20).text(text) == text


def test_repr_and_pickle_show_nothing() -> None:
    hider = redactor()
    assert KEY not in repr(hider) and "sk" not in repr(hider)
    with pytest.raises(TypeError, match="never pickled"):
        pickle.dumps(hider)


def test_errors_are_hidden_in_place_with_their_causes_and_models() -> None:
    status = TaskStatus.model_validate({"task_id": "t", "status": "failed", "error": KEY})
    cause = ValueError(f"upstream said {KEY}")
    error = TaskFailedError(f"failed: {KEY}", task_id="t", status=status)
    error.__cause__ = cause
    try:
        raise error
    except TaskFailedError as caught:
        hidden = redactor().error(caught)
    assert hidden is error and hidden.__traceback__ is None
    assert KEY not in str(hidden) and KEY not in repr(hidden.args)
    assert hidden.status is not None and hidden.status.model_extra == {"error": REDACTED}
    assert hidden.__cause__ is cause and KEY not in str(cause)  # hidden, and kept
    assert KEY.encode() not in pickle.dumps(hidden)


def test_nested_bodies_are_hidden_and_cut_at_depth() -> None:
    body: object = {"message": [KEY, {"k": KEY.encode()}], "ok": 1}
    for _ in range(100):
        body = [body]
    error = AuthenticationError("x", body=body)
    hidden = redactor().error(error)
    assert KEY not in repr(hidden.body)
    pickle.dumps(hidden)


def test_hidden_returns_the_same_object_when_there_is_nothing_to_hide() -> None:
    status = TaskStatus(task_id="t", status="running")
    assert redactor().hidden(status) is status
    leaky = TaskStatus.model_validate({"task_id": "t", "status": "failed", "error": KEY})
    assert KEY not in repr(redactor().hidden(leaky))


class Stubborn(Exception):
    def __str__(self) -> str:
        return f"always {KEY}"


def test_a_cause_that_still_shows_the_key_is_cut_off() -> None:
    error = AuthenticationError("x")
    error.__context__ = Stubborn()
    assert redactor().error(error).__context__ is None


@pytest.mark.parametrize(
    "echo",
    [
        f"Token {KEY}",
        quote(KEY, safe=""),
        json.dumps(KEY)[1:-1],
        html.escape(KEY),
        base64.b64encode(f"Authorization: Token {KEY}".encode()).decode(),
    ],
)
def test_a_secret_hides_a_value_only_when_its_repr_may_show_the_key(echo: str) -> None:
    from memos_client._config import Secret

    secret = Secret(KEY)
    clean = {"status": "completed", "task_id": "t1"}
    assert secret.hidden(clean) is clean
    assert secret._redactor is None  # nothing compiled for a value that cannot show it
    hidden = secret.hidden({"error": f"bad {echo}"})
    assert KEY not in repr(hidden) and REDACTED in hidden["error"]


def test_a_secret_reads_strings_not_reprs() -> None:
    """`hidden` walks the strings a value holds (what `deep` would rewrite), so an
    object whose repr fails costs nothing, and a key deep inside is still found."""
    from memos_client._config import Secret

    class Unprintable:
        def __repr__(self) -> str:
            raise ValueError("no repr")

    value = [Unprintable(), {"k": ("v", b"bytes")}]
    assert Secret(KEY).hidden(value) is value
    nested = [{"a": {"b": [f"x{KEY}y"]}}]
    assert Secret(KEY).hidden(nested) == [{"a": {"b": ["x<redacted>y"]}}]
    deep: list[Any] = [KEY]
    for _ in range(80):
        deep = [deep]
    assert "cd+ef" not in repr(Secret(KEY).hidden(deep))  # too deep to walk: still hidden
