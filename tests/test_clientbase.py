"""What both clients share without I/O: here, the per-path URL cache of the call path."""

from __future__ import annotations

import httpx

from memos_client import MemOS
from memos_client._clientbase import MAX_CACHED_URLS


def test_a_path_is_parsed_once_and_the_cache_stays_bounded() -> None:
    client = MemOS(api_key="k-url-cache", base_url="https://memos.example/api/openmem/v1")
    first = client._url("search/memory")
    assert first == httpx.URL("https://memos.example/api/openmem/v1/search/memory")
    assert client._url("search/memory") is first  # parsed once, then reused
    for number in range(MAX_CACHED_URLS + 10):  # paths that hold ids, say
        assert client._url(f"files/{number}").path.endswith(f"/files/{number}")
    assert len(client._urls) == MAX_CACHED_URLS
    copy = client.with_options(timeout=5)
    assert copy._url("search/memory") == first  # a copy has its own, same base URL
    client.close()
