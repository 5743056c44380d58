"""The served emulator under load, and its bounded request log.

A thousand SDK adds in flight at once over a thousand loopback connections are
each answered and stored exactly once; a thousand raw sockets are all accepted
and served; kept-alive connections are reused, time out when idle, and never
hold up `stop()`. The request log is a ring buffer whose wrapping leaves the
counters exact. Every loop here is bounded in count and time; only 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from memos_client import APIConnectionError, AsyncMemOS
from memos_client.testing import FAKE_BASE_URL, FakeMemOS, FakeServer, Fault, ManualClock
from memos_client.testing.__main__ import _parser
from memos_client.testing._http._server import LISTEN_BACKLOG

from .helpers import AUTH

CONCURRENCY = 1_000
"""Connections (and SDK calls) in flight at once."""

DEADLINE = 60.0
"""A bound on any one phase; a healthy run takes a few seconds in all."""

DOCS = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


@pytest.fixture
def enough_files() -> Iterator[None]:
    """Two descriptors per connection (client and server side), plus slack."""
    try:
        import resource
    except ImportError:  # Windows: no descriptor limit to raise
        yield
        return
    needed = 2 * CONCURRENCY + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        ceiling = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        if ceiling < needed:
            pytest.skip(f"needs {needed} open files, the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _port(base_url: str) -> int:
    return int(base_url.split(":")[2].split("/")[0])


def _connection_threads(port: int) -> list[threading.Thread]:
    name = f"memos-emulator:{port}:connection"
    return [thread for thread in threading.enumerate() if thread.name == name]


def _eventually(condition: Callable[[], bool], within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    for _ in range(int(within / 0.01)):
        if condition() or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    return condition()


def _raw_request(endpoint: str, body: bytes, *, headers: str = "") -> bytes:
    head = (
        f"POST /api/openmem/v1/{endpoint} HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\n"
        f"Authorization: {AUTH['Authorization']}\r\n"
        "Content-Type: application/json\r\n"
    )
    if "Transfer-Encoding" not in headers and "Content-Length" not in headers:
        head += f"Content-Length: {len(body)}\r\n"
    return f"{head}{headers}\r\n".encode("latin-1") + body


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response framed by its Content-Length; nothing may follow it."""
    data = b""
    for _ in range(10_000):
        if b"\r\n\r\n" in data:
            break
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection before answering")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    assert status_line.startswith("HTTP/1.1 "), status_line
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers["content-length"])
    for _ in range(10_000):
        if len(body) >= length:
            break
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection mid-body")
        body += chunk
    assert len(body) == length
    return int(status_line.split()[1]), headers, body


def _closed_by_server(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


# -- a thousand concurrent SDK calls ----------------------------------------------------------


class _GateClock:
    """Real time, except that a latency fault waits for the gate: responses held at will."""

    def __init__(self) -> None:
        self.gate = threading.Event()

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        self.gate.wait(DEADLINE)


@pytest.fixture
def anyio_backend() -> str:
    """The load test drives its calls with asyncio; the async suite covers trio."""
    return "asyncio"


@pytest.mark.anyio
@pytest.mark.usefixtures("enough_files")
async def test_a_thousand_concurrent_sdk_adds_are_each_stored_once() -> None:
    """All in flight at once, each on its own connection; none refused, lost or duplicated.

    Every add is held at the server (a latency fault on a gated clock) until all
    of them have arrived, so the server really holds a thousand connections at
    once; then they are all answered. The request log wraps meanwhile.
    """
    clock = _GateClock()
    fake = FakeMemOS(clock=clock, refine_delay=3600, request_log_size=250)
    fake.inject(Fault.latency(1), endpoint="add/message")
    server = fake.serve()
    timeout = httpx.Timeout(DEADLINE, connect=DEADLINE)
    # Ten pools of 100 rather than one of 1,000: httpcore's pool bookkeeping grows with
    # the square of its size, and the server sees a thousand connections either way.
    pools = 10
    limits = httpx.Limits(max_connections=CONCURRENCY // pools, max_keepalive_connections=10)
    with server as base_url:
        async with contextlib.AsyncExitStack() as stack:
            clients = []
            for _ in range(pools):
                http = httpx.AsyncClient(limits=limits, timeout=timeout)
                await stack.enter_async_context(http)
                client = AsyncMemOS(
                    api_key="load-key", base_url=base_url, http_client=http, max_retries=0
                )
                clients.append(await stack.enter_async_context(client))

            async def add(index: int) -> str:
                task = await clients[index % pools].add(
                    [{"role": "user", "content": f"I collect stamps from country {index}"}],
                    user_id=f"load-user-{index}",
                    conversation_id=f"load-{index}",
                )
                assert task.id is not None
                return task.id

            async def open_the_gate_when_all_are_in() -> int:
                for _ in range(int(DEADLINE / 0.01)):
                    if fake.stats.received["add/message"] >= CONCURRENCY:
                        break
                    await anyio.sleep(0.01)
                held = server.open_connections
                clock.gate.set()
                return held

            try:
                with anyio.fail_after(DEADLINE):
                    held, *results = await asyncio.gather(
                        open_the_gate_when_all_are_in(),
                        *(add(index) for index in range(CONCURRENCY)),
                        return_exceptions=True,
                    )
            finally:
                clock.gate.set()  # never leave a server thread waiting
    failures = [result for result in results if isinstance(result, BaseException)]
    assert not failures, Counter(f"{type(error).__name__}: {error}" for error in failures)
    assert held == CONCURRENCY  # every add on its own connection, all open at once
    task_ids = [result for result in results if isinstance(result, str)]
    assert len(set(task_ids)) == len(task_ids) == CONCURRENCY
    stats = fake.stats
    assert stats.received["add/message"] == stats.answered["add/message"] == len(task_ids)
    assert stats.tasks_created == stats.messages_stored == len(task_ids)
    assert stats.memories_stored == len(task_ids)  # one rough working memory each
    assert set(fake.tasks) == set(task_ids)
    owners = Counter(owner for message in fake.messages() for owner in message.scope.user_ids)
    assert owners == Counter(f"load-user-{index}" for index in range(CONCURRENCY))
    assert len(fake.requests) == fake.request_log_size == 250  # the log wrapped; counts did not


# -- raw connections --------------------------------------------------------------------------


@pytest.mark.usefixtures("enough_files")
def test_a_thousand_raw_connections_are_all_accepted_served_and_closed_on_stop() -> None:
    fake = FakeMemOS(clock=ManualClock())
    server = fake.serve()
    base_url = server.start()
    port = _port(base_url)
    sockets: list[socket.socket] = []
    try:
        for _ in range(CONCURRENCY):  # all connect before the server has accepted most
            sockets.append(socket.create_connection(("127.0.0.1", port), timeout=DEADLINE))
        for index, sock in enumerate(sockets):
            sock.sendall(_raw_request("get/status", b'{"task_id": "t%d"}' % index))
        answers = [_read_response(sock) for sock in sockets]
        assert Counter(status for status, _, _ in answers) == Counter({200: CONCURRENCY})
        assert all(b'"code":50131' in body for _, _, body in answers)  # unknown task, answered
        assert server.open_connections == CONCURRENCY  # every one still kept alive
        assert fake.stats.received["get/status"] == CONCURRENCY
        started = time.monotonic()
        server.stop()
        stopped_in = time.monotonic() - started
        assert stopped_in < 5.0, f"stop() took {stopped_in:.2f} s with idle connections open"
        assert server.open_connections == 0
        assert _connection_threads(port) == []
        assert all(_closed_by_server(sock) for sock in sockets)
    finally:
        server.stop()
        for sock in sockets:
            sock.close()


def test_the_listen_backlog_is_deep() -> None:
    server = FakeMemOS(clock=ManualClock()).serve()
    with server:
        httpd: Any = server._httpd
        assert httpd.request_queue_size == LISTEN_BACKLOG >= 4096  # the kernel may cap it


def test_keep_alive_reuses_one_connection_for_many_requests() -> None:
    fake = FakeMemOS(clock=ManualClock())
    server = fake.serve()
    with (
        server as base_url,
        socket.create_connection(("127.0.0.1", _port(base_url)), timeout=10) as sock,
    ):
        for index in range(20):
            sock.sendall(_raw_request("get/status", b'{"task_id": "t%d"}' % index))
            status, headers, body = _read_response(sock)
            assert (status, headers.get("connection")) == (200, None)
            assert headers["content-length"] == str(len(body))
        assert server.open_connections == 1
    assert fake.stats.received["get/status"] == 20


def test_an_idle_connection_times_out_and_frees_its_thread() -> None:
    fake = FakeMemOS(clock=ManualClock())
    server = FakeServer(fake, idle_timeout=0.2)
    with (
        server as base_url,
        socket.create_connection(("127.0.0.1", _port(base_url)), timeout=10) as sock,
    ):
        started = time.monotonic()
        sock.sendall(_raw_request("get/status", b'{"task_id": "t"}'))
        assert _read_response(sock)[0] == 200
        assert _closed_by_server(sock)  # after the idle timeout, not at once
        assert time.monotonic() - started >= 0.2
        assert _eventually(lambda: server.open_connections == 0)
        assert _eventually(lambda: _connection_threads(server.port) == [])
    with pytest.raises(ValueError, match="idle_timeout"):
        FakeServer(fake, idle_timeout=0)


class _OwnClock:
    """A clock of the user's own: the server lets it do the latency sleeping."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def test_latency_on_a_clock_of_ones_own_sleeps_through_that_clock() -> None:
    clock = _OwnClock()
    fake = FakeMemOS(clock=clock)
    fake.inject(Fault.latency(0.25), endpoint="get/status", times=1)
    with fake.serve() as base_url, httpx.Client(base_url=base_url, headers=AUTH) as http:
        assert http.post("/get/status", json={"task_id": "t"}).json()["code"] == 50131
    assert clock.slept == [0.25]


def test_a_connection_whose_thread_cannot_start_is_closed_and_serving_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeMemOS(clock=ManualClock())
    server = fake.serve()
    with server as base_url:
        original = threading.Thread.start

        def start(thread: threading.Thread) -> None:
            if thread.name.endswith(":connection"):
                raise RuntimeError("can't start new thread")
            original(thread)

        monkeypatch.setattr(threading.Thread, "start", start)
        with socket.create_connection(("127.0.0.1", _port(base_url)), timeout=10) as sock:
            assert _closed_by_server(sock)
        monkeypatch.undo()
        assert _eventually(lambda: server.open_connections == 0)
        with httpx.Client(base_url=base_url, headers=AUTH) as http:
            assert http.post("/get/status", json={"task_id": "t"}).status_code == 200
    assert "can't start new thread" in capsys.readouterr().err


def test_stop_cuts_short_a_latency_fault_in_progress() -> None:
    fake = FakeMemOS()  # a real clock: the latency is a real wait on the server
    fake.inject(Fault.latency(30), endpoint="search/memory", times=1)
    server = fake.serve()
    try:
        with socket.create_connection(("127.0.0.1", _port(server.start())), timeout=10) as sock:
            sock.sendall(_raw_request("search/memory", b'{"user_id": "u1", "query": "x"}'))
            assert _eventually(lambda: fake.stats.received["search/memory"] == 1)
            started = time.monotonic()
            server.stop()
            assert time.monotonic() - started < 5.0
            assert _closed_by_server(sock)
    finally:
        server.stop()


def test_a_chunked_request_body_is_read_and_the_connection_stays_usable() -> None:
    fake = FakeMemOS(clock=ManualClock())
    server = fake.serve()
    with (
        server as base_url,
        socket.create_connection(("127.0.0.1", _port(base_url)), timeout=10) as sock,
    ):
        chunked = (
            b'9;ext=1\r\n{"user_id\r\n16\r\n": "u1", "query": "x"}\r\n0\r\nX-Trailer: 1\r\n\r\n'
        )
        sock.sendall(
            _raw_request("search/memory", chunked, headers="Transfer-Encoding: chunked\r\n")
        )
        assert _read_response(sock)[0] == 200
        sock.sendall(_raw_request("get/status", b'{"task_id": "t"}'))
        assert _read_response(sock)[0] == 200
        assert server.open_connections == 1
    assert [logged.body for logged in fake.requests] == [
        {"user_id": "u1", "query": "x"},
        {"task_id": "t"},
    ]


def test_expect_100_continue_is_answered_before_the_body_is_sent() -> None:
    fake = FakeMemOS(clock=ManualClock())
    body = b'{"task_id": "t"}'
    with (
        fake.serve() as base_url,
        socket.create_connection(("127.0.0.1", _port(base_url)), timeout=10) as sock,
    ):
        request = _raw_request("get/status", body, headers="Expect: 100-continue\r\n")
        sock.sendall(request[: -len(body)])  # the head alone, as curl does
        interim = b""
        for _ in range(100):
            if b"\r\n\r\n" in interim:
                break
            interim += sock.recv(1)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n")
        sock.sendall(body)
        status, _, answer = _read_response(sock)
        assert (status, b'"code":50131' in answer) == (200, True)


def test_httpx_streamed_uploads_arrive_whole() -> None:
    fake = FakeMemOS(clock=ManualClock())
    with fake.serve() as base_url, httpx.Client(base_url=base_url, headers=AUTH) as http:
        pieces = iter([b'{"user_id": "u1", ', b'"query": "sailing"}'])
        response = http.post("/search/memory", content=pieces)  # sent chunked
        assert response.json()["code"] == 0
        assert http.post("/get/status", json={"task_id": "t"}).json()["code"] == 50131
    assert fake.requests[0].body == {"user_id": "u1", "query": "sailing"}


@pytest.mark.parametrize(
    ("framing", "body"),
    [
        ("Content-Length: twelve\r\n", b"{}"),
        ("Content-Length: -2\r\n", b"{}"),
        ("Content-Length: \u00b2\r\n", b"{}"),
        ("Transfer-Encoding: chunked\r\n", b"zz\r\n{}\r\n0\r\n\r\n"),
        ("Transfer-Encoding: chunked\r\n", b"-2\r\n{}\r\n0\r\n\r\n"),
        ("Transfer-Encoding: chunked\r\n", b"1\r\n{}\r\n0\r\n\r\n"),
    ],
)
def test_a_badly_framed_body_is_refused_with_400_and_the_connection_closed(
    framing: str, body: bytes
) -> None:
    fake = FakeMemOS(clock=ManualClock())
    with (
        fake.serve() as base_url,
        socket.create_connection(("127.0.0.1", _port(base_url)), timeout=10) as sock,
    ):
        sock.sendall(_raw_request("get/status", body, headers=framing))
        status, headers, _ = _read_response(sock)
        assert (status, headers["connection"]) == (400, "close")
        assert _closed_by_server(sock)
    assert fake.stats.received["get/status"] == 0


def test_many_threads_keep_the_state_consistent_while_the_log_wraps() -> None:
    """Writers over HTTP and a reader inspecting at the same time; every count exact."""
    fake = FakeMemOS(clock=ManualClock(), request_log_size=64)
    threads, per_thread = 12, 20
    stop_reading = threading.Event()
    reads = Counter[str]()

    def read() -> None:
        deadline = time.monotonic() + DEADLINE
        for _ in range(100_000):  # ends when the writers are done
            if stop_reading.is_set() or time.monotonic() > deadline:
                return
            stats = fake.stats
            assert stats.tasks_created <= stats.received["add/message"]
            assert len(fake.requests) <= 64
            reads["inspections"] += 1
            time.sleep(0.001)

    def write(worker: int) -> list[str]:
        with httpx.Client(base_url=base_url, headers=AUTH) as http:
            ids = []
            for index in range(per_thread):
                body = {
                    "user_id": f"w{worker}",
                    "conversation_id": f"c{index}",
                    "messages": [{"role": "user", "content": f"I like kite {index}"}],
                }
                ids.append(http.post("/add/message", json=body).json()["data"]["task_id"])
                found = http.post("/search/memory", json={"user_id": f"w{worker}", "query": "kite"})
                assert found.json()["data"]["memory_detail_list"]  # its own adds, found
            return ids

    with fake.serve() as base_url:
        reader = threading.Thread(target=read)
        reader.start()
        try:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                task_ids = [task for ids in pool.map(write, range(threads)) for task in ids]
        finally:
            stop_reading.set()
            reader.join(timeout=DEADLINE)
    total = threads * per_thread
    assert len(set(task_ids)) == total
    stats = fake.stats
    assert stats.received == Counter({"add/message": total, "search/memory": total})
    assert stats.answered == stats.received
    assert (stats.tasks_created, stats.messages_stored, stats.memories_stored) == (total,) * 3
    assert len(fake.requests) == 64
    assert reads["inspections"] > 0


# -- the bounded request log ------------------------------------------------------------------


def test_the_request_log_is_a_ring_buffer_of_the_most_recent_requests() -> None:
    fake = FakeMemOS(clock=ManualClock(), request_log_size=5)
    with httpx.Client(transport=fake.transport(), base_url=FAKE_BASE_URL, headers=AUTH) as client:
        ids = [
            client.post("/get/status", json={"task_id": f"t{index}"}).headers["x-request-id"]
            for index in range(12)
        ]
        logged = fake.requests
        assert [entry.request_id for entry in logged] == ids[-5:]
        assert [entry.body for entry in logged] == [{"task_id": f"t{i}"} for i in range(7, 12)]
        assert fake.stats.received["get/status"] == fake.stats.answered["get/status"] == 12
        fake.reset()
        assert (fake.requests, fake.request_log_size) == ([], 5)
        client.post("/get/status", json={"task_id": "again"})
        assert len(fake.requests) == 1


def test_counters_stay_exact_when_the_log_wraps_or_keeps_nothing() -> None:
    for size in (0, 3):
        fake = FakeMemOS(clock=ManualClock(), request_log_size=size)
        with fake.client(max_retries=0) as client:
            for index in range(10):
                client.add([{"role": "user", "content": f"I like tea {index}"}], user_id="u1")
            fake.inject(Fault.drop_before_processing(), endpoint="search/memory", times=1)
            with pytest.raises(APIConnectionError):
                client.search("tea", user_id="u1")
        stats = fake.stats
        assert (stats.received["add/message"], stats.answered["add/message"]) == (10, 10)
        assert (stats.received["search/memory"], stats.answered["search/memory"]) == (1, 0)
        assert (stats.tasks_created, stats.messages_stored, stats.memories_stored) == (10, 10, 10)
        assert len(fake.requests) == size


def test_the_default_log_size_is_the_documented_one() -> None:
    default = FakeMemOS().request_log_size
    docs = DOCS.read_text(encoding="utf-8")
    signature = re.search(r"`FakeMemOS\(.*?request_log_size=([\d_]+)\)`", docs)
    assert signature is not None
    assert int(signature.group(1)) == default == 10_000
    assert f"most recent {default:,} requests" in docs
    assert _parser().parse_args([]).log_size == default


@pytest.mark.parametrize(
    ("size", "error"),
    [(-1, ValueError), (1.5, TypeError), (True, TypeError), ("10", TypeError)],
)
def test_the_log_size_must_be_a_whole_number(size: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="request_log_size"):
        FakeMemOS(request_log_size=size)


def test_the_command_line_sets_the_log_size(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from memos_client.testing import __main__ as cli

    assert cli._parser().parse_args(["--log-size", "0"]).log_size == 0
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["--log-size", "-3"])
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["--log-size", "lots"])
    assert "must not be negative" in capsys.readouterr().err

    built: list[dict[str, Any]] = []

    def build(**options: Any) -> Any:
        built.append(options)
        raise RuntimeError("not serving in this test")

    monkeypatch.setattr(cli, "FakeMemOS", build)
    with pytest.raises(RuntimeError, match="not serving"):
        cli.main(["--log-size", "7", "--port", "0"])
    assert [options["request_log_size"] for options in built] == [7]
