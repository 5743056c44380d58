"""A tiny, fast loopback HTTP/1.1 keep-alive server answering canned MemOS envelopes.

It exists to measure the *client*: each answer is prebuilt bytes, so the server
spends a few microseconds per request, and it runs in its own process (this file,
run as a script), so its CPU does not share the client's GIL.

Parent side:

```python
with LoopbackServer() as server:
    server.base_url  # "http://127.0.0.1:<port>/api/openmem/v1"
```

The child binds 127.0.0.1 only, prints `PORT <n>` once listening, and exits when
its stdin closes (so it never outlives the harness) or on SIGTERM. Stdlib only:
the child imports neither httpx nor memos_client.

Routes (POST, under `PREFIX`): `search/memory` (10 facts, 3 preferences and a
note, about 5 kB, as MemOS answers), `add/message` (`running` task), `get/status`
(`completed`). `GET /__bench/last` answers the last request received (method,
path, lower-cased headers, body), so the harness can check that the SDK and raw
httpx send the same request.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["ANSWERS", "HOST", "PREFIX", "REQUEST_ID", "TASK_ID", "LoopbackServer", "search_data"]

HOST = "127.0.0.1"
PREFIX = "/api/openmem/v1"
TASK_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
REQUEST_ID = "0b8f3c52-6a1e-4d8e-9d67-3f1a2b9c4e10"
MAX_HEAD = 64 * 1024
MAX_BODY = 8 * 1024 * 1024
START_TIMEOUT = 15.0
# Seconds added before each answer (`LoopbackServer(latency=...)`), as a remote server's
# round trip; 0 answers at once.
LATENCY = float(os.environ.get("BENCH_LATENCY", "0") or 0)
STOP_TIMEOUT = 5.0

_FACTS = [
    ("Trip To Guangzhou", "The user has booked a trip to Guangzhou this summer.", ["Travel"]),
    ("Learning Cantonese", "The user is learning Cantonese before the trip.", ["Study"]),
    ("Window Seats", "The user prefers window seats on flights.", ["Travel"]),
    ("Morning Oolong Tea", "The user drinks oolong tea every morning.", ["Food"]),
    ("Sister In Chengdu", "The user's sister lives in Chengdu.", ["Family"]),
    ("Data Engineer", "The user works as a data engineer at a fintech startup.", ["Work"]),
    ("Peanut Allergy", "The user is allergic to peanuts.", ["Health"]),
    ("Saturday Runs", "The user runs 5 km every Saturday morning.", ["Sport"]),
    ("Favourite Author", "The user's favourite author is Liu Cixin.", ["Books"]),
    ("Dog Named Mochi", "The user has a dog called Mochi.", ["Pets"]),
]
_PREFERENCES = [
    "The user prefers window seats on flights.",
    "The user's favourite author is Liu Cixin.",
    "The user likes oolong tea in the morning.",
]
_NOTE = (
    "\n# Note:\nFactual memory is a summary of facts, while preference memory is a summary "
    "of the user's preferences. Follow the preferences when they fit the request; the "
    "user's current instructions win when they conflict."
)


def search_data() -> dict[str, Any]:
    """The `data` of the canned search answer: 10 facts, 3 preferences and a note."""
    stamp = 1765359845000
    facts = [
        {
            "id": f"5f0c2a3e-1b7d-4c9a-8e21-{index:012d}",
            "memory_key": key,
            "memory_value": value,
            "memory_type": "UserMemory" if index % 3 else "WorkingMemory",
            "create_time": stamp + index,
            "update_time": stamp + index,
            "conversation_id": f"c{index}",
            "status": "activated",
            "confidence": 0.95,
            "tags": [*tags, "mode:fine"],
            "relativity": round(0.9 - index * 0.05, 4),
        }
        for index, (key, value, tags) in enumerate(_FACTS)
    ]
    preferences = [
        {
            "id": f"9a41d7e2-3c58-4f0b-a6d9-{index:012d}",
            "preference": text,
            "preference_type": "explicit_preference",
            "reasoning": f'The user stated this in their own words ("{text}").',
            "create_time": stamp,
            "update_time": stamp,
            "conversation_id": f"c{index}",
            "status": "activated",
            "relativity": round(0.8 - index * 0.1, 4),
        }
        for index, text in enumerate(_PREFERENCES)
    ]
    return {
        "memory_detail_list": facts,
        "preference_detail_list": preferences,
        "tool_memory_detail_list": [],
        "skill_detail_list": [],
        "event_detail_list": [],
        "profile_detail_list": [],
        "preference_note": _NOTE,
    }


def _envelope(data: object) -> bytes:
    return json.dumps({"code": 0, "data": data, "message": "ok"}, ensure_ascii=False).encode()


def _response(status: str, body: bytes, *, close: bool = False) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        "server: memos-bench\r\n"
        "content-type: application/json\r\n"
        f"x-request-id: {REQUEST_ID}\r\n"
        f"content-length: {len(body)}\r\n" + ("connection: close\r\n" if close else "") + "\r\n"
    )
    return head.encode("latin-1") + body


ANSWERS = {
    f"{PREFIX}/search/memory": _envelope(search_data()),
    f"{PREFIX}/add/message": _envelope({"success": True, "task_id": TASK_ID, "status": "running"}),
    f"{PREFIX}/get/status": _envelope({"task_id": TASK_ID, "status": "completed"}),
}
"""The JSON body answered on each path (the `instructions` benchmark serves them in
process, through an `httpx.MockTransport`)."""
_ROUTES = {path: _response("200 OK", body) for path, body in ANSWERS.items()}
_NOT_FOUND = _response(
    "404 Not Found", json.dumps({"code": 40001, "message": "no such route"}).encode()
)
_BAD_REQUEST = _response(
    "400 Bad Request", json.dumps({"code": 40000, "message": "bad framing"}).encode(), close=True
)


class _Protocol(asyncio.Protocol):
    """One connection: parse pipelined HTTP/1.1 requests (Content-Length framing only)."""

    last: dict[str, Any] = {}

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        for _ in range(1024):  # bounded: at most this many pipelined requests per read
            if not self._handle_one():
                return

    def _handle_one(self) -> bool:
        transport = self._transport
        assert transport is not None
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEAD:
                self._fail()
            return False
        lines = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            self._fail()
            return False
        method, target, _version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        raw_length = headers.get("content-length", "0")
        if "transfer-encoding" in headers or not raw_length.isdigit():
            self._fail()
            return False
        length = int(raw_length)
        if length > MAX_BODY:
            self._fail()
            return False
        start = end + 4
        if len(self._buffer) < start + length:
            return False
        body = bytes(self._buffer[start : start + length])
        del self._buffer[: start + length]
        path = target.split("?", 1)[0]
        if path == "/__bench/last":
            last = json.dumps(_jsonable_last(_Protocol.last)).encode()
            transport.write(_response("200 OK", last))
        else:
            _Protocol.last = {"method": method, "path": path, "headers": headers, "body": body}
            answer = _ROUTES.get(path, _NOT_FOUND) if method == "POST" else _NOT_FOUND
            if LATENCY:  # as a distant server answers: later, in order
                asyncio.get_running_loop().call_later(LATENCY, _write_if_open, transport, answer)
            else:
                transport.write(answer)
        if headers.get("connection", "").lower() == "close":
            transport.close()
            return False
        return True

    def _fail(self) -> None:
        if self._transport is not None:
            self._transport.write(_BAD_REQUEST)
            self._transport.close()
        self._buffer.clear()


def _write_if_open(transport: asyncio.Transport, data: bytes) -> None:
    if not transport.is_closing():
        transport.write(data)


def _jsonable_last(last: dict[str, Any]) -> dict[str, Any]:
    body = last.get("body", b"")
    return {**last, "body": body.decode("utf-8", "replace") if isinstance(body, bytes) else body}


async def _serve() -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def watch_stdin() -> None:
        with contextlib.suppress(Exception):
            while sys.stdin.buffer.read(4096):
                pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, name="bench-server-stdin", daemon=True).start()
    server = await loop.create_server(_Protocol, HOST, 0, backlog=128)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    async with server:
        await stop.wait()


def _child_main() -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve())


class LoopbackServer:
    """Runs this file in a child process and stops it on exit, even on error."""

    def __init__(self, latency: float = 0.0) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.latency = latency

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}{PREFIX}"

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    @contextlib.contextmanager
    def pinned(self) -> Iterator[bool]:
        """The server on one CPU and this process on the others, then as before.

        On a small machine the scheduler otherwise moves client and server between
        the same few CPUs, and each move shows up as noise of a few percent in a
        per-call time. Yields whether it could pin (Linux, two CPUs or more).
        """
        setter = getattr(os, "sched_setaffinity", None)
        getter = getattr(os, "sched_getaffinity", None)
        process = self._process
        if setter is None or getter is None or process is None:
            yield False
            return
        cpus = sorted(getter(0))
        if len(cpus) < 2:
            yield False
            return
        server_cpus = set(cpus)
        try:
            server_cpus = set(getter(process.pid))
            setter(process.pid, {cpus[-1]})
            setter(0, set(cpus[:-1]))
        except OSError:  # the server is gone, or a CPU is not ours to use: measure unpinned
            pinned = False
        else:
            pinned = True
        try:
            yield pinned
        finally:
            setter(0, set(cpus))
            with contextlib.suppress(OSError):
                setter(process.pid, server_cpus)

    def start(self) -> None:
        environ = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("MEMOS_", "COVERAGE_", "COV_CORE_"))
        }
        environ["BENCH_LATENCY"] = str(self.latency)
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environ,
        )
        lines: queue.Queue[bytes] = queue.Queue()
        stdout = self._process.stdout
        assert stdout is not None
        threading.Thread(
            target=lambda: lines.put(stdout.readline()), name="bench-server-port", daemon=True
        ).start()
        try:
            line = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            self.stop()
            raise RuntimeError(f"the benchmark server did not start in {START_TIMEOUT} s") from None
        if not line.startswith(b"PORT "):
            self.stop()
            raise RuntimeError(f"the benchmark server failed to start: {line!r}")
        self.port = int(line.split()[1])

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> LoopbackServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


if __name__ == "__main__":
    _child_main()
