"""`FakeServer`: the fake over real HTTP, on loopback, from a background thread.

```python
with fake.serve() as base_url:  # "http://127.0.0.1:<port>/api/openmem/v1"
    httpx.post(f"{base_url}/search/memory", ...)
```

A stdlib threading HTTP server speaking HTTP/1.1 with keep-alive, built to hold
load: it listens with a deep backlog (`LISTEN_BACKLOG`, as far as the kernel's
`somaxconn` allows), so a burst of a thousand connections is queued rather than
refused, and every connection gets its own daemon thread, so a kept-alive
connection never starves another. The fake's one lock keeps its state
consistent whichever thread answers.

Every response has a `Content-Length` (or is chunked), so clients can reuse the
connection; request bodies may come with a `Content-Length` or chunked. A
connection silent for `idle_timeout` seconds (60 by default, longer than
httpx's 5 s keep-alive expiry) is closed, so a client that vanished does not
hold a thread for ever.

Dropped-connection faults close the socket without a response (before or after
the request was processed). Streamed bodies (chat's server-sent events) go out
with chunked transfer encoding, one chunk per event, each flushed as it is
written; a body cut short (`Fault.stream_cut`) stops mid-way and the socket is
closed. `stop()` stops accepting, closes every open connection (idle keep-alive
ones included, and cuts short a latency fault still waiting), and waits briefly
for the connection threads to end, so no client can reach the fake once the
server is stopped.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .._clock import RealClock
from ._wire import FakeResponse

if TYPE_CHECKING:
    from .._fake import FakeMemOS

__all__ = ["DEFAULT_IDLE_TIMEOUT", "LISTEN_BACKLOG", "FakeServer"]

LISTEN_BACKLOG = 4096
"""Connections the kernel queues before they are accepted (capped by its `somaxconn`)."""

DEFAULT_IDLE_TIMEOUT = 60.0
"""Seconds a connection may stay silent (an idle keep-alive one, say) before it is closed."""

_POLL_INTERVAL = 0.02
"""How often the serving loop checks for `stop()`; short, so stopping is prompt."""

_JOIN_TIMEOUT = 2.0
"""How long `stop()` waits, in all, for connection threads to end once their sockets are shut."""


class _BadFraming(ValueError):
    """A request body whose length or chunking cannot be read."""


class _HTTPServer(ThreadingHTTPServer):
    """A threading server that tracks its connections and their threads, so `stop()` can end them.

    One daemon thread per connection, started by `process_request` (the stdlib's
    thread bookkeeping differs between Python versions, so it is done here).
    """

    daemon_threads = True
    block_on_close = False  # `FakeServer.stop()` joins the threads, with a deadline
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._connections: set[socket.socket] = set()
        self._handlers: set[threading.Thread] = set()
        self._tracking = threading.Lock()
        self.stopping = threading.Event()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name=f"memos-emulator:{self.server_address[1]}:connection",
            daemon=True,
        )
        with self._tracking:
            self._connections.add(request)
            self._handlers.add(thread)
        try:
            thread.start()
        except BaseException:
            with self._tracking:
                self._handlers.discard(thread)
            raise  # the serving loop reports it and closes the connection

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._tracking:
                self._handlers.discard(threading.current_thread())

    def shutdown_request(self, request: Any) -> None:
        with self._tracking:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that went away (timed out, closed); report anything else."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    @property
    def open_connections(self) -> int:
        with self._tracking:
            return len(self._connections)

    def close_connections(self) -> None:
        self.stopping.set()
        with self._tracking:
            connections = list(self._connections)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def join_threads(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._tracking:
            threads = list(self._handlers)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


def _handler_for(fake: FakeMemOS[Any], idle_timeout: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # each answer goes out as soon as it is flushed
        wbufsize = -1  # buffered: headers and body leave in one write, flushed per request
        server_version = "MemOSEmulator"
        sys_version = ""
        timeout = idle_timeout  # applied to the socket: a silent connection is closed
        server: _HTTPServer  # pyright: ignore[reportIncompatibleVariableOverride]

        def do_POST(self) -> None:
            self._serve()

        def handle_expect_100(self) -> bool:
            """Send `100 Continue` at once (writes are buffered) so the client sends its body."""
            accepted = super().handle_expect_100()
            self.wfile.flush()
            return accepted

        do_GET = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_POST

        def _serve(self) -> None:
            try:
                body = self._read_body()
            except _BadFraming as error:
                self.send_error(400, str(error))  # also closes the connection
                return
            headers = dict(self.headers.items())
            response = fake.handle(self.command, self.path, headers, body)
            if response.delay > 0 and not self._wait(response.delay):
                self._drop()  # the server is stopping: nobody waits for this answer
                return
            if response.disconnect is not None:
                self._drop()
                return
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.streamed:
                self._stream(response)
                return
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        def _read_body(self) -> bytes:
            """The request body, framed by `Transfer-Encoding: chunked` or `Content-Length`."""
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                return self._read_chunked()
            raw = (self.headers.get("Content-Length") or "0").strip()
            if not (raw.isascii() and raw.isdigit()):
                raise _BadFraming(f"bad Content-Length: {raw!r}")
            length = int(raw)
            return self.rfile.read(length) if length > 0 else b""

        def _read_chunked(self) -> bytes:
            pieces: list[bytes] = []
            while True:
                size_line = self.rfile.readline(65537).split(b";", 1)[0].strip()
                try:
                    size = int(size_line, 16)
                except ValueError:
                    raise _BadFraming(f"bad chunk size: {size_line!r}") from None
                if size < 0:
                    raise _BadFraming(f"bad chunk size: {size_line!r}")
                if size == 0:
                    break
                piece = self.rfile.read(size)
                if len(piece) != size or self.rfile.readline(65537).strip():
                    raise _BadFraming("a chunk does not end where its size says")
                pieces.append(piece)
            while self.rfile.readline(65537).strip():
                pass  # trailer fields, ignored; an empty line ends the body
            return b"".join(pieces)

        def _wait(self, seconds: float) -> bool:
            """Let a latency fault's real time pass; `False` if the server stopped meanwhile."""
            if isinstance(fake.clock, RealClock):
                return not self.server.stopping.wait(seconds)
            fake.clock.sleep(seconds)
            return True

        def _drop(self) -> None:
            self.close_connection = True
            with suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

        def _stream(self, response: FakeResponse) -> None:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in response.pieces:
                if not piece:
                    continue  # an empty chunk would end the body
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            if response.cut_after is not None:
                self._drop()
                return
            self.wfile.write(b"0\r\n\r\n")

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet: the fake keeps its own request log (`fake.requests`)."""

    return Handler


class FakeServer:
    """A loopback HTTP server for a `FakeMemOS`; a context manager yielding the base URL.

    Also usable without `with`: `url = server.start()` ... `server.stop()`.

    Args:
        fake: the emulator to serve.
        host: the interface to listen on (loopback by default).
        port: the port; 0 picks a free one.
        idle_timeout: seconds a connection may stay silent before the server
            closes it (`DEFAULT_IDLE_TIMEOUT`, 60 s).
    """

    def __init__(
        self,
        fake: FakeMemOS[Any],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    ) -> None:
        if idle_timeout <= 0:
            raise ValueError("idle_timeout must be positive")
        self._fake = fake
        self._host = host
        self._port = port
        self._idle_timeout = float(idle_timeout)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The bound port (the real one when started with `port=0`)."""
        if self._httpd is None:
            return self._port
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The base URL clients use: `http://<host>:<port>/api/openmem/v1`."""
        if self._httpd is None:
            raise RuntimeError("the server is not running; call start() or use `with`")
        return f"http://{self._host}:{self.port}/api/openmem/v1"

    @property
    def open_connections(self) -> int:
        """Client connections open right now (0 when stopped)."""
        return 0 if self._httpd is None else self._httpd.open_connections

    def start(self) -> str:
        """Bind, start serving in a daemon thread, and return the base URL."""
        if self._httpd is not None:
            raise RuntimeError("the server is already running")
        httpd = _HTTPServer((self._host, self._port), _handler_for(self._fake, self._idle_timeout))
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": _POLL_INTERVAL},
            name=f"memos-emulator:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving, close open connections and the socket; safe to call twice."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = self._thread = None
        httpd.shutdown()
        httpd.server_close()  # connections still queued are refused from here on
        httpd.close_connections()
        httpd.join_threads(_JOIN_TIMEOUT)
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self.url if self._httpd is not None else "stopped"
        return f"FakeServer({state})"
