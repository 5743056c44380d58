"""Behaviour that only the sync client has: one client shared across threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import respx

from memos_client import MemOS
from tests.helpers import API_KEY, BASE_URL, ok


def test_a_sync_client_is_safe_to_share_across_threads(router: respx.MockRouter) -> None:
    route = router.post("/search/memory").mock(return_value=ok({"memory_detail_list": []}))
    with MemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda i: memos.search(f"q{i}", user_id="u1"), range(40)))
        pools = {id(memos._http.get())}
    assert len(results) == 40 and route.call_count == 40
    assert len(pools) == 1


def test_ctrl_c_in_wait_all_does_not_wait_for_polls_in_flight() -> None:
    import time

    from memos_client._compat import gather

    def interrupted() -> None:
        raise KeyboardInterrupt

    def slow() -> None:
        time.sleep(1.0)

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        gather([interrupted, slow])
    assert time.monotonic() - started < 0.5


def test_generated_docstrings_describe_the_sync_client() -> None:
    import inspect

    import memos_client._sync as sync_package
    from memos_client import ChatStream, MemOS, Task

    objects: list[object] = [sync_package, MemOS, ChatStream, Task]
    objects += [member for _, member in inspect.getmembers(MemOS) if callable(member)]
    for obj in objects:
        doc = inspect.getdoc(obj) or ""
        for phrase in (
            "Async client",
            "event loop",
            "await ",
            "not awaited",
            "The hand-written async client",
        ):
            assert phrase not in doc, f"{obj!r}: {phrase!r} in {doc[:200]!r}"
