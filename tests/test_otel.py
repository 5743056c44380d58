"""`memos_client.otel` outside a client's calls: the import stays optional, and what
a span says about the server leaves out what does not belong in a trace.

The spans themselves are checked in `tests/_async/test_tracing.py`.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from memos_client import otel
from memos_client.otel import _server


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )


def test_calls_without_tracing_never_import_opentelemetry() -> None:
    code = (
        "import sys, memos_client\n"
        "from memos_client.testing import FakeMemOS\n"
        "with FakeMemOS().client() as client:\n"
        "    client.search('q', user_id='u1')\n"
        "print(sorted(name for name in sys.modules if name.startswith('opentelemetry')))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_without_the_extra_the_import_names_it() -> None:
    result = run_python("import sys; sys.modules['opentelemetry'] = None; import memos_client.otel")
    assert result.returncode == 1
    assert "pip install 'memos-client[otel]'" in result.stderr


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        (
            "https://memos.memtensor.cn/api/openmem/v1",
            ("memos.memtensor.cn", 443, "https://memos.memtensor.cn/api/openmem/v1"),
        ),
        (
            "https://user:secret@gw.example:8443/v1?token=abc",
            ("gw.example", 8443, "https://gw.example:8443/v1"),
        ),
        ("http://127.0.0.1:80/api", ("127.0.0.1", 80, "http://127.0.0.1/api")),
        ("http://[::1]:9000/api", ("::1", 9000, "http://[::1]:9000/api")),
    ],
)
def test_the_server_attributes_leave_out_user_info_and_query(
    base_url: str, expected: tuple[str, int, str]
) -> None:
    assert _server(base_url) == expected


def test_only_a_client_can_be_instrumented() -> None:
    with pytest.raises(TypeError, match="MemOS or AsyncMemOS client"):
        otel.instrument(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not str"):
        otel.uninstrument("client")  # type: ignore[arg-type]
