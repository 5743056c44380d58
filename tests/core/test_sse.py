"""The chat event-stream parser: events, terminators, keep-alives and odd lines."""

from __future__ import annotations

import pytest

from memos_client import BadRequestError
from memos_client._core._sse import DONE, LineSplitter, SSEParser


def parse(*lines: str) -> list[object]:
    parser = SSEParser()
    out: list[object] = []
    for line in lines:
        out.extend(parser.feed(line))
    return out + list(parser.close())


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [
                "event: message",
                'data: {"type": "reasoning", "data": "thinking"}',
                "",
                'data: {"type": "text", "data": "Hello"}',
                "",
                'data: {"type": "text", "data": " world"}',
                "",
                'data: {"type": "end", "data": ""}',
            ],
            [("reasoning", "thinking"), ("text", "Hello"), ("text", " world"), ("end", "")],
        ),
        ([": keep-alive", "", 'data: {"type":"text","data":"a"}'], [("text", "a")]),
        (["data:", "", "data: ", "", 'data: {"type":"text","data":"a"}'], [("text", "a")]),
        (['data:{"type":"text","data":"no space"}'], [("text", "no space")]),
        (["id: 7", "retry: 100", "event: ping", ""], []),
        (['data: {"type":"text",', 'data: "data":"split"}', ""], [("text", "split")]),
        (["data: plain words", ""], [("text", "plain words")]),
        (['data: "a json string"'], [("text", "a json string")]),
        (['data: {"type":"text","data":null}'], [("text", "")]),
        (['data: {"type":"text","data":{"k":1}}'], [("text", '{"k": 1}')]),
        (['data: {"type":"citation","data":"doc 1"}'], [("citation", "doc 1")]),
        (
            [
                'data: {"type":"text","data":"a"}',
                "data: [DONE]",
                'data: {"type":"text","data":"late"}',
            ],
            [("text", "a"), DONE],
        ),
        (['data: {"type":"end","data":""}', 'data: {"type":"text","data":"late"}'], [("end", "")]),
    ],
)
def test_parse(lines: list[str], expected: list[object]) -> None:
    assert parse(*lines) == expected


def test_an_error_payload_mid_stream_raises_the_mapped_error() -> None:
    with pytest.raises(BadRequestError) as caught:
        parse('data: {"code": 40000, "message": "bad filter", "data": null}')
    assert caught.value.code == 40000 and caught.value.path == "chat"


def test_a_success_envelope_is_not_an_error() -> None:
    assert parse('data: {"code": 0, "data": null, "message": "ok"}') == [
        ("text", '{"code": 0, "data": null, "message": "ok"}')
    ]


def test_an_unterminated_payload_is_flushed_on_close() -> None:
    parser = SSEParser()
    assert parser.feed('data: {"type":"text","data":"open') == []
    assert parser.close() == [("text", '{"type":"text","data":"open')]


@pytest.mark.parametrize(
    ("chunks", "lines"),
    [
        ([b"a\nb\n"], ["a", "b"]),
        ([b"a\r\nb\r\n"], ["a", "b"]),
        ([b"a\r", b"\nb\r"], ["a", "b"]),  # CR LF split across chunks is one break
        ([b"a\rb"], ["a", "b"]),
        ([b"data: x\xc2\x85y\n"], ["data: x\x85y"]),  # NEL is text, not a line break
        ([b"data: \xe2\x80\xa8\n"], ["data: \u2028"]),
        ([b"caf\xc3", b"\xa9\n"], ["caf\u00e9"]),  # a character split across chunks
        ([b"bad \xff\n"], ["bad \ufffd"]),
        ([b"tail without newline"], ["tail without newline"]),
        ([b"\n\n"], ["", ""]),
    ],
)
def test_line_splitter_breaks_only_on_cr_lf_and_crlf(chunks: list[bytes], lines: list[str]) -> None:
    splitter = LineSplitter()
    seen = [line for chunk in chunks for line in splitter.feed(chunk)]
    assert seen + splitter.close() == lines
