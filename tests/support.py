"""Helpers every kind of test shares: waiting for a condition, a free local port, a proxy-free environment,
the root logger put back as it was, and `leadbot …` run in this process."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from leadbot.cli import main
from leadbot.process.logs import QUIET_LOGGERS, QUIET_UNLESS_DEBUG
from tests.fakes.slack_fixtures import PROXY_VARIABLES


def wait_until(check: Callable[[], Any], *, timeout: float = 20.0, what: str = "condition") -> Any:
    """Polls `check` until it returns something truthy; fails with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def local_env() -> dict[str, str]:
    """This environment without proxy settings, for child processes that must only talk to 127.0.0.1."""
    return {key: value for key, value in os.environ.items() if key not in PROXY_VARIABLES}


@contextmanager
def root_logging_restored() -> Iterator[None]:
    """Whatever leadbot configures (handlers, levels) is undone afterwards, so other tests are unaffected."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quiet = {name: logging.getLogger(name).level for name in (*QUIET_LOGGERS, *QUIET_UNLESS_DEBUG)}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, value in quiet.items():
            logging.getLogger(name).setLevel(value)


@dataclass(frozen=True)
class CommandRun:
    """What `leadbot …` did: its exit code and what it printed."""

    code: int
    out: str
    err: str


def run_command(
    args: list[str],
    env: Mapping[str, str],
    cwd: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> CommandRun:
    """Runs `leadbot ARGS` in this process, as a shell would in `cwd` with exactly `env` (no other variables)."""
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    with root_logging_restored():
        code = main(args)
    printed = capsys.readouterr()
    return CommandRun(code, printed.out, printed.err)
