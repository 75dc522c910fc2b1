"""leadbot for the scenarios: built in this process exactly as `leadbot run` builds it, with Slack's requests
handed to its Bolt app (signed as Slack signs them); and, for a few smoke tests, a real `leadbot` process.

Everything that knows how leadbot is composed is in `start_leadbot`: when the composition root changes, adapt
that one function.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from contextvars import copy_context
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from slack_bolt import App, BoltRequest

from leadbot.process.work import FairExecutor
from leadbot.runtime import Runtime
from leadbot.sandbox.service import Sandbox
from leadbot.settings import Settings, load_settings
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.fakes.slack_fixtures import PROXY_VARIABLES
from tests.fakes.slack_requests import SlackSender
from tests.fakes.socket_mode import close_in_background
from tests.support import free_port, local_env, wait_until

# ---- leadbot in this process


@dataclass
class Leadbot:
    """What the scenarios use of a running leadbot: its Bolt app, its HTTP address, its health, and a stop."""

    app: App
    url: str
    settings: Settings
    health: Callable[[], dict[str, Any]]
    # stop(hang_up=…): in Socket Mode, `hang_up` first ends the connection from the far side
    stop: Callable[..., None]
    pools: list[Executor] = field(default_factory=list)  # where work after the ack runs

    def __post_init__(self) -> None:
        self.in_flight = InFlight(self.pools)

    def settle(self, timeout: float = 20.0) -> None:
        """Waits until every request handed to leadbot so far has finished all its work."""
        wait_until(self.in_flight.idle, timeout=timeout, what="leadbot to finish the work in flight")


def start_leadbot(settings: Settings, *, sandbox: bool = False) -> Leadbot:
    """Builds and starts leadbot as `leadbot run [--sandbox]` does (HTTP server, Socket Mode, poller)."""
    with without_proxies():  # slack-sdk reads them when its clients are built
        runtime = Runtime(settings, sandbox=sandbox)
        runtime.start()
    assert runtime.server is not None

    def stop(hang_up: Callable[[], None] = lambda: None) -> None:
        socket = runtime.socket
        if socket is not None:  # a process would end after stop(); this one goes on, so no reconnecting
            socket.client.auto_reconnect_enabled = False
            hang_up()  # else slack-sdk's disconnect waits out its 3 s read timeout
        runtime.stop()
        if socket is not None:
            close_in_background(socket.close)

    return Leadbot(
        app=runtime.app,
        url=f"http://127.0.0.1:{runtime.server.port}",
        settings=runtime.settings,
        health=runtime.health,
        stop=stop,
        pools=[runtime.deps.work, runtime.deps.forms, runtime.app.listener_runner.listener_executor],
    )


def environment_for(fake: FakeSlack, sandbox: Sandbox | None, workdir: Path, *, port: int) -> dict[str, str]:
    """What a test's leadbot is configured with, in process or as one: the fakes, a fresh SQLite file, a port."""
    values = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "HEATPUNK_TIMEOUT_SECONDS": "5",
        "DATABASE_URL": f"sqlite:///{workdir / 'leadbot.db'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    if sandbox is not None:
        values |= {"HEATPUNK_API_KEY": sandbox.api_key, "HEATPUNK_BASE_URL": sandbox.base_url}
    return values


def leadbot_settings(
    fake: FakeSlack,
    sandbox: Sandbox | None,
    workdir: Path,
    *,
    poll_seconds: float | None = None,
    **env: str | None,
) -> Settings:
    """The settings a test's leadbot runs with, named as in the environment (LEADBOT_ADMINS=…; None unsets).

    `poll_seconds` may go below the 1 s people are held to, so alert scenarios take fractions of a second.
    """
    values: dict[str, Any] = environment_for(fake, sandbox, workdir, port=free_port()) | env
    fields = {name.lower(): value for name, value in values.items() if value is not None}
    settings = load_settings(env_file=None, **fields)
    if poll_seconds is not None:
        settings = settings.model_copy(update={"leadbot_poll_seconds": poll_seconds})
    return settings


@contextmanager
def without_proxies() -> Iterator[None]:
    """slack-sdk reads proxy variables when a client is built; leadbot's must talk to 127.0.0.1 directly."""
    with pytest.MonkeyPatch.context() as patch:
        for name in PROXY_VARIABLES:
            patch.delenv(name, raising=False)
        yield


class InFlight:
    """Counts the tasks submitted to leadbot's pools that have not finished, to know when it is idle."""

    def __init__(self, pools: list[Executor]) -> None:
        self._lock = threading.Lock()
        self._pending: set[Future[Any]] = set()
        for pool in pools:
            self._watch(pool)

    def _watch(self, pool: Executor) -> None:
        pool.submit = self._watched(pool.submit)  # type: ignore[method-assign]
        if isinstance(pool, FairExecutor):  # and each person's work
            pool.submit_for = self._watched(pool.submit_for)  # type: ignore[method-assign]

    def _watched(self, submit: Callable[..., Future[Any]]) -> Callable[..., Future[Any]]:
        def watched(*args: Any, **kwargs: Any) -> Future[Any]:
            future = submit(*args, **kwargs)
            with self._lock:
                self._pending.add(future)
            future.add_done_callback(self._done)
            return future

        return watched

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)

    def idle(self) -> bool:
        with self._lock:
            return not self._pending


class BoltTransport(httpx.BaseTransport):
    """Hands each request for /slack/events to the Bolt app's dispatch, as the HTTP adapter does."""

    def __init__(self, app: App) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/slack/events":
            return httpx.Response(404, text="Not Found")
        bolt_request = BoltRequest(
            body=request.read().decode(),
            query=request.url.query.decode(),
            headers={name: [value] for name, value in request.headers.items()},
        )
        # in a copy of this context, as a server thread would: what leadbot sets (the request ID) stays there
        answer = copy_context().run(self.app.dispatch, bolt_request)
        return httpx.Response(answer.status, headers=answer.first_headers(), text=answer.body)


def dispatching_sender(leadbot: Leadbot, fake: FakeSlack) -> SlackSender:
    """Sends Slack's requests straight to the app's dispatch (no HTTP), signed as Slack signs them."""
    return SlackSender(leadbot.url, SIGNING_SECRET, fake, transport=BoltTransport(leadbot.app))


def http_sender(leadbot: Leadbot, fake: FakeSlack) -> SlackSender:
    """Sends Slack's requests over HTTP to leadbot's server, signed as Slack signs them."""
    return SlackSender(leadbot.url, SIGNING_SECRET, fake)


class LogRecords(logging.Handler):
    """Every log record from the moment it is attached: the in-process stand-in for a process's log."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def tracebacks(self) -> list[str]:
        """The records that carry a traceback (what a log file would show as 'Traceback …')."""
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        return [
            formatter.format(record)
            for record in self.records
            if record.exc_info or record.stack_info or "Traceback" in record.getMessage()
        ]

    def __enter__(self) -> LogRecords:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self)


# ---- a real process, for the smoke tests of what only a process has (signals, exit codes, the CLI)


class LeadbotProcess:
    """Starts `python -m leadbot run` with settings from the environment only; stops it with SIGTERM."""

    def __init__(self, fake: FakeSlack, sandbox: Sandbox | None, workdir: Path, **settings: str) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.log_path = workdir / "leadbot.log"
        environment = environment_for(fake, sandbox, workdir, port=self.port)
        self.env = local_env() | environment | {"LEADBOT_LOG_LEVEL": "DEBUG", **settings}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, args: tuple[str, ...] = ("run",), timeout: float = 30.0) -> LeadbotProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "leadbot", *args], cwd=self.workdir, env=self.env, stdout=log, stderr=log
        )
        try:
            wait_until(self._healthy, timeout=timeout, what="leadbot to answer /healthz")
        except BaseException:
            self.process.kill()  # never leave a process behind
            self.process.wait(10)
            raise
        return self

    def _healthy(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"leadbot exited with {self.process.returncode}:\n{self.log()}")
        try:
            # Up means answering: a 503 names what is wrong (Heatpunk down, say), which is no reason to wait.
            return httpx.get(f"{self.url}/healthz", timeout=1, trust_env=False).status_code in (200, 503)
        except httpx.TransportError:
            return False

    def stop(self, timeout: float = 30.0) -> int:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def sender(self, fake: FakeSlack) -> SlackSender:
        return SlackSender(self.url, SIGNING_SECRET, fake)


def run_leadbot(args: tuple[str, ...], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs a `leadbot` command to its end with exactly this environment (no .env in `cwd`)."""
    return subprocess.run(
        [sys.executable, "-m", "leadbot", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def blocks_text(payload: Mapping[str, Any]) -> str:
    """All the text a message or view shows, for assertions."""
    return json.dumps(payload, ensure_ascii=False)
