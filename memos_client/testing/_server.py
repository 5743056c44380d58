"""`FakeServer`: the fake over real HTTP, on loopback, from a background thread.

```python
with fake.serve() as base_url:  # "http://127.0.0.1:<port>/api/openmem/v1"
    httpx.post(f"{base_url}/search/memory", ...)
```

A stdlib `ThreadingHTTPServer` speaking HTTP/1.1 with keep-alive. Dropped-
connection faults close the socket without a response (before or after the
request was processed). Streamed bodies (chat's server-sent events) go out with
chunked transfer encoding, one chunk per event, each flushed as it is written;
a body cut short (`Fault.stream_cut`) stops mid-way and the socket is closed.
`stop()` also closes idle keep-alive connections, so no client can reach the
fake once the server is stopped.
"""

from __future__ import annotations

import socket
import sys
import threading
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._wire import FakeResponse

if TYPE_CHECKING:
    from ._fake import FakeMemOS

__all__ = ["FakeServer"]

_POLL_INTERVAL = 0.02
"""How often the serving loop checks for `stop()`; short, so stopping is prompt."""


class _HTTPServer(ThreadingHTTPServer):
    """A threading server that remembers its open connections so `stop()` can close them."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that went away (timed out, closed); report anything else."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


def _handler_for(fake: FakeMemOS[Any]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes
        server_version = "MemOSEmulator"
        sys_version = ""

        def do_POST(self) -> None:
            self._serve()

        do_GET = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_POST

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            headers = dict(self.headers.items())
            response = fake.handle(self.command, self.path, headers, body)
            if response.delay > 0:
                fake.clock.sleep(response.delay)
            if response.disconnect is not None:
                self.close_connection = True
                with suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
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

        def _stream(self, response: FakeResponse) -> None:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in response.pieces:
                if not piece:
                    continue  # an empty chunk would end the body
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            if response.cut_after is not None:
                self.close_connection = True
                with suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(b"0\r\n\r\n")

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet: the fake keeps its own request log (`fake.requests`)."""

    return Handler


class FakeServer:
    """A loopback HTTP server for a `FakeMemOS`; a context manager yielding the base URL.

    Also usable without `with`: `url = server.start()` ... `server.stop()`.
    """

    def __init__(self, fake: FakeMemOS[Any], *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._fake = fake
        self._host = host
        self._port = port
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

    def start(self) -> str:
        """Bind, start serving in a daemon thread, and return the base URL."""
        if self._httpd is not None:
            raise RuntimeError("the server is already running")
        httpd = _HTTPServer((self._host, self._port), _handler_for(self._fake))
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
        httpd.close_connections()
        httpd.server_close()
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
