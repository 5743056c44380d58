"""The shared TLS context: loaded once, on a helper thread started by the first
client that will make its own pool, and built by the caller whenever that thread
could not deliver it."""

from __future__ import annotations

import os
import ssl
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from memos_client import AsyncMemOS, MemOS, _tls

API_KEY = "mk-test-0123456789abcdef"
BASE_URL = "https://memos.test/api/openmem/v1"


@pytest.fixture(autouse=True)
def fresh_context() -> Iterator[None]:
    _tls.reset_tls_context()
    yield
    _tls.reset_tls_context()


def _recording(
    monkeypatch: pytest.MonkeyPatch, make: Callable[[], ssl.SSLContext] | None = None
) -> list[str]:
    """Make `httpx.create_ssl_context` note the thread each build runs on."""
    threads: list[str] = []
    real = make or httpx.create_ssl_context

    def recording() -> ssl.SSLContext:
        threads.append(threading.current_thread().name)
        return real()

    monkeypatch.setattr(httpx, "create_ssl_context", recording)
    return threads


def test_a_client_starts_loading_the_context_on_a_helper_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads = _recording(monkeypatch)
    client = MemOS(api_key=API_KEY, base_url=BASE_URL)
    AsyncMemOS(api_key=API_KEY, base_url=BASE_URL)  # already under way: no second build
    context = _tls.shared_tls_context()
    assert threads == ["memos-client-tls"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED
    client._http.get()  # the pool takes the context built on the helper thread
    assert _tls.shared_tls_context() is context
    client.close()
    MemOS(api_key=API_KEY, base_url=BASE_URL).close()  # built already: nothing more to do
    assert threads == ["memos-client-tls"]


def test_a_client_with_its_own_http_client_loads_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads = _recording(monkeypatch)
    with httpx.Client() as own:
        MemOS(api_key=API_KEY, base_url=BASE_URL, http_client=own)
    assert threads == []
    assert _tls._build is None and _tls._context is None


def test_a_failed_background_build_is_redone_by_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    attempts: list[int] = []
    real = httpx.create_ssl_context

    def first_fails() -> ssl.SSLContext:
        attempts.append(1)
        if len(attempts) == 1:
            raise ssl.SSLError("the bundle was being replaced")
        return real()

    threads = _recording(monkeypatch, first_fails)
    _tls.prepare_tls_context()
    assert isinstance(_tls.shared_tls_context(), ssl.SSLContext)
    assert threads == ["memos-client-tls", threading.current_thread().name]


def test_a_build_that_cannot_succeed_raises_from_the_call_that_needs_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    _tls.prepare_tls_context()  # fails quietly on its thread
    with pytest.raises(OSError):
        _tls.shared_tls_context()
    assert _tls._context is None  # nothing cached: fixing the setting fixes the next call
    monkeypatch.delenv("SSL_CERT_FILE")
    assert isinstance(_tls.shared_tls_context(), ssl.SSLContext)


def test_a_certificate_setting_made_after_the_client_still_counts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """httpx reads SSL_CERT_FILE when the context is built; a program that sets it
    after making its client but before its first call gets what it asked for."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    MemOS(api_key=API_KEY, base_url=BASE_URL)  # the build starts with certifi's bundle
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(OSError):
        _tls.shared_tls_context()


def test_a_signal_handler_may_use_the_context_while_its_thread_holds_the_lock() -> None:
    with _tls._lock:  # as if the handler interrupted this thread inside it
        assert isinstance(_tls.shared_tls_context(), ssl.SSLContext)


def test_without_a_thread_the_caller_builds_the_context(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't create new thread at interpreter shutdown")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    threads = _recording(monkeypatch)
    _tls.prepare_tls_context()
    assert _tls._build is None
    assert isinstance(_tls.shared_tls_context(), ssl.SSLContext)
    assert threads == [threading.current_thread().name]


def test_a_forked_child_forgets_the_parents_build_and_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A child has no helper thread: waiting on the parent's build would hang, and the
    lock may have been held at the fork."""
    gate = threading.Event()

    def slow_on_the_helper() -> ssl.SSLContext:
        if threading.current_thread().name == "memos-client-tls":
            gate.wait(5)
        return ssl.create_default_context()

    threads = _recording(monkeypatch, slow_on_the_helper)
    _tls.prepare_tls_context()
    held = _tls._lock
    held.acquire()  # as if another thread held it when the process forked
    try:
        _tls._after_fork_in_child()
        assert _tls._build is None and _tls._lock is not held
        assert isinstance(_tls.shared_tls_context(), ssl.SSLContext)  # built here, no wait
    finally:
        held.release()
        gate.set()
    assert threads == ["memos-client-tls", threading.current_thread().name]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_fork_waits_for_a_build_under_way_so_the_child_inherits_no_held_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A helper stopped by a fork inside an import or inside OpenSSL would leave the
    child a lock that no thread of its own can release, and its first call would
    hang. `held` stands for such a lock."""
    held = threading.Lock()
    started = threading.Event()

    def slow_on_the_helper() -> ssl.SSLContext:
        if threading.current_thread().name == "memos-client-tls":
            with held:
                started.set()
                time.sleep(0.2)
        return ssl.create_default_context()

    monkeypatch.setattr(httpx, "create_ssl_context", slow_on_the_helper)
    _tls.prepare_tls_context()
    assert started.wait(5)
    with warnings.catch_warnings():  # 3.12+ warns about forking a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: exit 0 only if nothing it needs is held
        free = held.acquire(timeout=5)
        inherited = _tls._build is None and isinstance(_tls._context, ssl.SSLContext)
        os._exit(0 if free and inherited else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_forked_child_keeps_a_context_the_parent_had_finished() -> None:
    _tls.prepare_tls_context()
    build = _tls._build
    assert build is not None and build.done.wait(5)
    _tls._after_fork_in_child()  # as the child runs it: the parent joined the build first
    assert _tls._build is None and _tls._context is build.context is not None
