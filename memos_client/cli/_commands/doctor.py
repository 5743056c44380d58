"""`memos doctor`: check the setup, and say what to fix.

In order: the API key is present; the base URL and region; TLS (the handshake and
certificate for https, loopback only for plain http); the key is accepted (one cheap
read under a throwaway user id); the latency (the median of a few such reads); and the
clock (the server's `Date` header against the local clock). `--conformance` then runs
the scenario of `conformance.py` against the service and the emulator.

The exit status is that of the first check that failed (2 for configuration, 3 for
the key, 6 for the network...), 1 for a conformance difference, else 0.
"""

from __future__ import annotations

import argparse
import os
import socket
import ssl
import statistics
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..._config import CN_BASE_URL, DASHBOARD_KEYS_URL, GLOBAL_BASE_URL, is_loopback
from ..._exceptions import (
    APIConnectionError,
    AuthenticationError,
    ConfigurationError,
    MemOSError,
)
from .. import _output as out
from .._context import Context, client_arguments
from .._exits import AUTH, FAILURE, OK, SERVER, USAGE, exit_code_for
from .._parser import runs
from .conformance import compare, emulator_outcomes, run_scenario

if TYPE_CHECKING:
    from ... import MemOS

API_ROOT = "/api/openmem/v1"
PROBES = 5  # cheap reads timed for the latency
SLOW_MS = 1000.0
SKEW_S = 5.0  # the Date header has a one-second resolution; more than this is a wrong clock
TLS_TIMEOUT = 5.0
CERT_SOON_DAYS = 14


@dataclass
class Finding:
    """One check's result: `state` is ok, warn, fail or skip; `code` the exit status
    when it failed."""

    check: str
    state: str
    detail: str
    fix: str = ""
    code: int = 0


def build_doctor(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Check the setup and say what to fix: the API key (present and accepted), the "
        "region and base URL, TLS, latency and clock skew.\n\n"
        "With --conformance, also run a short scenario (add and wait, search, list, get, "
        "update and delete a memory, messages, feedback, a not-found and a bad-request "
        "error) under a throwaway user id against the service, clean up, run it against "
        "the emulator, and show where the answers differ."
    )
    parser.epilog = "examples:\n  memos doctor\n  memos doctor --conformance --json"
    parser.add_argument(
        "--conformance",
        action="store_true",
        help="compare the service's answers with the emulator's (writes, then deletes, "
        "a throwaway user's memories)",
    )
    runs(parser, run_doctor)


class Recorder:
    """An httpx response hook keeping each answer's `Date` header and local receipt time."""

    def __init__(self) -> None:
        self.dates: list[tuple[str, float]] = []

    def __call__(self, response: Any) -> None:
        date = response.headers.get("date")
        if date:
            self.dates.append((date, time.time()))


class Doctor:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.findings: list[Finding] = []
        self.recorder = Recorder()
        self.client: MemOS | None = None
        self.http: Any = None  # the client's httpx client, which records Date headers

    def add(self, check: str, state: str, detail: str, fix: str = "", code: int = 0) -> None:
        self.findings.append(Finding(check, state, detail, fix, code))

    @property
    def failed(self) -> bool:
        return any(finding.state == "fail" for finding in self.findings)

    def run(self) -> None:
        key = self.check_key()
        client = self.check_url(key)
        if client is None:
            return
        self.client = client
        self.check_tls(client.base_url)
        if not key or self.failed:
            return
        timings = self.check_accepted(client)
        if timings:
            self.check_latency(client, timings)
            self.check_clock()

    def check_key(self) -> str:
        args = self.context.args
        try:
            arguments = client_arguments(args)
        except ConfigurationError as error:
            self.add("API key", "fail", str(error), "check the file's path and permissions", 2)
            return ""
        key = str(arguments.get("api_key", os.environ.get("MEMOS_API_KEY", ""))).strip()
        source = "--api-key-file" if args.api_key_file else "MEMOS_API_KEY"
        if key:
            self.add("API key", "ok", f"set, from {source}")
        else:
            self.add(
                "API key",
                "fail",
                f"no key: {source} is empty or not set",
                f"set MEMOS_API_KEY (or pass --api-key-file); keys are at {DASHBOARD_KEYS_URL}",
                USAGE.code,
            )
        return key

    def check_url(self, key: str) -> MemOS | None:
        from ... import DefaultHttpxClient, MemOS

        arguments = client_arguments(self.context.args) if key else {}
        arguments.pop("api_key", None)
        self.http = DefaultHttpxClient(event_hooks={"response": [self.recorder]})
        try:
            client = MemOS(api_key=key or "doctor-placeholder", http_client=self.http, **arguments)
        except ConfigurationError as error:
            fix = "pass --region cn|global, or a base URL such as " + CN_BASE_URL
            self.add("base URL", "fail", str(error), fix, USAGE.code)
            return None
        url = client.base_url
        region = {CN_BASE_URL: "region cn", GLOBAL_BASE_URL: "region global"}.get(url, "custom")
        if urlsplit(url).path.rstrip("/").endswith(API_ROOT):
            self.add("base URL", "ok", f"{url} ({region})")
        else:
            self.add(
                "base URL",
                "warn",
                f"{url} ({region}) does not end with {API_ROOT}",
                f"the API root ends with {API_ROOT}, e.g. {CN_BASE_URL}",
            )
        return client

    def check_tls(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme == "http":
            detail = f"plain http to {host}: allowed only to loopback (the emulator)"
            if is_loopback(host):
                self.add("TLS", "ok", detail)
            else:
                self.add("TLS", "fail", detail, "use https://", USAGE.code)
            return
        from ..._tls import shared_tls_context

        port = parts.port or 443
        try:
            with socket.create_connection((host, port), timeout=TLS_TIMEOUT) as raw:
                with shared_tls_context().wrap_socket(raw, server_hostname=host) as tls:
                    version, cert = tls.version(), tls.getpeercert() or {}
        except ssl.SSLCertVerificationError as error:
            fix = (
                "behind a proxy that inspects TLS, set SSL_CERT_FILE to its CA bundle; "
                "else check the system's CA certificates"
            )
            self.add("TLS", "fail", f"certificate refused: {error.verify_message}", fix, 6)
            return
        except (OSError, ssl.SSLError) as error:
            fix = "check the network, a firewall or HTTPS_PROXY, and the host name"
            self.add("TLS", "fail", f"cannot reach {host}:{port}: {error}", fix, SERVER.code)
            return
        expires = datetime.fromtimestamp(
            ssl.cert_time_to_seconds(str(cert["notAfter"])), timezone.utc
        )
        days = (expires - datetime.now(timezone.utc)).days
        detail = f"{version}, certificate for {host} valid until {expires.date()} ({days} days)"
        if days < CERT_SOON_DAYS:
            self.add("TLS", "warn", detail, "the server's certificate expires soon")
        else:
            self.add("TLS", "ok", detail)

    def probe(self, client: MemOS) -> float:
        """One cheap read (a throwaway user's first memory); its time in milliseconds."""
        started = time.perf_counter()
        client.memories.list(user_id="memos-doctor", size=1)
        return (time.perf_counter() - started) * 1000

    def check_accepted(self, client: MemOS) -> list[float]:
        try:
            first = self.probe(client)
        except AuthenticationError as error:
            fix = f"copy the key again from {DASHBOARD_KEYS_URL}, and check the region"
            self.add("key accepted", "fail", error.message, fix, AUTH.code)
            return []
        except APIConnectionError as error:
            fix = (
                "check the base URL, the network, a firewall or HTTPS_PROXY; for the "
                "emulator, is `memos emulator` running at that address?"
            )
            self.add("key accepted", "fail", str(error), fix, exit_code_for(error))
            return []
        except MemOSError as error:
            fix = "see the error; `memos doctor` again once it is fixed"
            self.add("key accepted", "fail", str(error), fix, exit_code_for(error))
            return []
        self.add("key accepted", "ok", "a read under a throwaway user id succeeded")
        return [first]

    def check_latency(self, client: MemOS, timings: list[float]) -> None:
        timings += [self.probe(client) for _ in range(PROBES - 1)]
        median = statistics.median(timings)
        detail = f"median {median:.0f} ms over {len(timings)} reads"
        if median > SLOW_MS:
            self.add(
                "latency", "warn", detail, "use the nearer region (--region global outside China)"
            )
        else:
            self.add("latency", "ok", detail)

    def check_clock(self) -> None:
        if not self.recorder.dates:
            self.add("clock", "skip", "the server sent no Date header")
            return
        header, received = self.recorder.dates[-1]
        skew = parsedate_to_datetime(header).timestamp() - received
        if abs(skew) <= SKEW_S:
            self.add("clock", "ok", f"within {SKEW_S:g} s of the server's (Date header)")
        else:
            way = "behind" if skew > 0 else "ahead of"
            fix = "synchronise the clock (NTP, e.g. `timedatectl set-ntp true`)"
            self.add(
                "clock", "warn", f"the local clock is {abs(skew):.0f} s {way} the server's", fix
            )

    def conformance(self) -> dict[str, Any]:
        assert self.client is not None
        service = run_scenario(self.client)
        emulator = emulator_outcomes()
        differences = compare(service, emulator)
        if differences:
            detail = f"{len(differences)} of {len(service)} steps differ from the emulator"
            fix = "report it (the emulator or the SDK may need an update), with `--json` output"
            self.add("conformance", "fail", detail, fix, FAILURE.code)
        else:
            self.add("conformance", "ok", f"all {len(service)} steps agree with the emulator")
        return {
            "service": service,
            "emulator": emulator,
            "differences": [step for step, _, _ in differences],
        }


STYLES = {"ok": "green", "warn": "yellow", "fail": "bold red", "skip": "dim"}


def run_doctor(context: Context, args: argparse.Namespace) -> int:
    doctor = Doctor(context)
    try:
        doctor.run()
        report: dict[str, Any] = {}
        if args.conformance and doctor.client is not None and not doctor.failed:
            report = doctor.conformance()
    finally:
        if doctor.client is not None:
            doctor.client.close()
        if doctor.http is not None:
            doctor.http.close()  # a client given an httpx client leaves it open
    document = {
        "checks": [asdict(f) for f in doctor.findings],
        **({"conformance": report} if report else {}),
    }
    context.output.result(document, lambda: render(doctor.findings, report))
    for finding in doctor.findings:
        if finding.state == "fail":
            return finding.code or FAILURE.code
    return OK.code


def render(findings: list[Finding], report: dict[str, Any]) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    checks = Table(title="memos doctor", title_justify="left")
    checks.add_column("check", no_wrap=True)
    checks.add_column("state", no_wrap=True)
    checks.add_column("detail, and what to fix", overflow="fold")
    for f in findings:  # the fix beneath the detail: three columns fit 80 characters
        detail = Text(f.detail)
        if f.fix:
            detail.append_text(Text.assemble("\n", ("fix: ", "bold"), f.fix))
        checks.add_row(f.check, Text(f.state, style=STYLES[f.state]), detail)
    parts: list[Any] = [checks]
    if report.get("differences"):
        rows = (
            (step, out.cell(report["service"].get(step)), out.cell(report["emulator"].get(step)))
            for step in report["differences"]
        )
        parts.append(out.table("differences", ("step", "service", "emulator"), rows))
    return Group(*parts)
