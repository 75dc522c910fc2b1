"""Helpers every kind of test shares: waiting for a condition, a free local port, a proxy-free environment."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from typing import Any

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
