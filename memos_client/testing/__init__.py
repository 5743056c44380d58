"""`memos_client.testing`: an in-memory emulator of the whole MemOS Cloud API.

What moto is to boto3: test code that uses memos-client (or any HTTP client)
offline, deterministically, with faults on demand.

```python
from memos_client.testing import FakeMemOS, Fault, ManualClock

fake = FakeMemOS(clock=ManualClock())
client = fake.client()                       # the SDK, wired in process
fake.inject(Fault.rate_limit(retry_after=1), endpoint="search/memory", times=1)
fake.register_url("https://example.com/faq.md", "# FAQ ...")  # offline "downloads"
fake.clock.advance(1.0)                      # async work (adds, feedback, files) is due
with fake.serve() as base_url: ...           # or real HTTP on 127.0.0.1
```

Every endpoint of memos-api.md section 2 is served: memories (add, search,
list, get by id, update, delete), messages, feedback, task status, chat (JSON
or server-sent events), extraction, rerank (a bare answer), knowledge bases and
their files (JSON or multipart uploads, parsed into searchable chunks and
skills), and profile templates and profiles. "Intelligence" is rule-based and
deterministic: no model, no network. Only `activated` memories are recalled
and listed; `update/memory` can set another status to hide one.

Also `python -m memos_client.testing` (a standalone server) and the pytest
fixtures of `memos_client.testing.pytest_plugin`. Names are imported lazily, so
importing this package (as the pytest plugin does) costs almost nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._clock import Clock, ManualClock, RealClock
    from ._fake import FAKE_BASE_URL, FakeMemOS
    from ._faults import Fault, FaultRule
    from ._http._log import RecordedRequest, Stats
    from ._http._server import FakeServer
    from ._http._transport import FakeTransport
    from ._http._wire import FakeResponse
    from ._knowledgebases._kb_records import KnowledgeBase, KnowledgeBaseFile, StoredSkill
    from ._memories._records import StoredMemory, StoredPreference
    from ._messages._records import StoredMessage
    from ._profiles._profile_records import ProfileInstance, ProfileTemplate
    from ._tasks._records import TaskRecord

__all__ = [
    "FAKE_BASE_URL",
    "Clock",
    "FakeMemOS",
    "FakeResponse",
    "FakeServer",
    "FakeTransport",
    "Fault",
    "FaultRule",
    "KnowledgeBase",
    "KnowledgeBaseFile",
    "ManualClock",
    "ProfileInstance",
    "ProfileTemplate",
    "RealClock",
    "RecordedRequest",
    "Stats",
    "StoredMemory",
    "StoredMessage",
    "StoredPreference",
    "StoredSkill",
    "TaskRecord",
]

_HOMES = {
    "FAKE_BASE_URL": "._fake",
    "Clock": "._clock",
    "FakeMemOS": "._fake",
    "FakeResponse": "._http._wire",
    "FakeServer": "._http._server",
    "FakeTransport": "._http._transport",
    "Fault": "._faults",
    "FaultRule": "._faults",
    "KnowledgeBase": "._knowledgebases._kb_records",
    "KnowledgeBaseFile": "._knowledgebases._kb_records",
    "ManualClock": "._clock",
    "ProfileInstance": "._profiles._profile_records",
    "ProfileTemplate": "._profiles._profile_records",
    "RealClock": "._clock",
    "RecordedRequest": "._http._log",
    "Stats": "._http._log",
    "StoredMemory": "._memories._records",
    "StoredMessage": "._messages._records",
    "StoredPreference": "._memories._records",
    "StoredSkill": "._knowledgebases._kb_records",
    "TaskRecord": "._tasks._records",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
