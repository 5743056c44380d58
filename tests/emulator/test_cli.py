"""`python -m memos_client.testing`: prints its URL, serves, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import re
import select
import signal
import socket
import subprocess
import sys

import httpx
import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and select")

STARTUP_TIMEOUT = 15.0


def _first_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], STARTUP_TIMEOUT)
    assert ready, "the emulator printed nothing"
    return process.stdout.readline()


def test_cli_serves_and_exits_quietly_on_sigint() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "memos_client.testing",
            "--port",
            "0",
            "--api-key",
            "k1",
            "--refine-delay",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = _first_line(process)
        match = re.fullmatch(
            r"MemOS emulator serving on (http://127\.0\.0\.1:\d+/api/openmem/v1) "
            r"\(Ctrl-C to stop\)\n",
            line,
        )
        assert match, line
        with httpx.Client(base_url=match.group(1)) as http:
            good = http.post(
                "/add/message",
                headers={"Authorization": "Token k1"},
                json={"user_id": "u", "messages": [{"role": "user", "content": "I like kites"}]},
            )
            bad = http.post(
                "/get/status", headers={"Authorization": "Token k2"}, json={"task_id": "t"}
            )
        assert good.json()["data"]["status"] == "running"
        assert bad.json()["code"] == 40132
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=STARTUP_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert (stdout, stderr) == ("", "")


def test_cli_reports_a_port_it_cannot_bind() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "memos_client.testing", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=STARTUP_TIMEOUT,
        )
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
