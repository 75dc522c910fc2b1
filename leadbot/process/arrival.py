"""When the Slack request being handled arrived: its ack's and its trigger's 3 s count from then, not from
when a busy thread got round to it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

ARRIVED: ContextVar[float | None] = ContextVar("leadbot_request_arrived", default=None)


def mark_arrival() -> None:
    """Called as a request enters the app (in its own context): the time.monotonic() its deadlines count from."""
    ARRIVED.set(time.monotonic())


def arrived_at() -> float:
    """When the request being handled arrived (now, outside a request)."""
    arrived = ARRIVED.get()
    return time.monotonic() if arrived is None else arrived


class AcksFirst:
    """Work after an ack waits while other Slack requests are still being acked, at most `patience` seconds:
    on a small machine that work (fetching, parsing, answering) competes with the acks for the CPU, and an ack
    that comes late is a failed command for Slack while a reply a few ms later is not."""

    def __init__(self, patience: float = 0.2) -> None:
        self._patience = patience
        self._quiet = threading.Condition()
        self._acking = 0

    @contextmanager
    def acking(self) -> Iterator[None]:
        """Around a request's handling until its ack is written."""
        with self._quiet:
            self._acking += 1
        try:
            yield
        finally:
            with self._quiet:
                self._acking -= 1
                if not self._acking:
                    self._quiet.notify_all()

    def wait_for_acks(self) -> None:
        """Returns once no request is being acked, or after `patience` (work is never starved by a stream)."""
        with self._quiet:
            self._quiet.wait_for(lambda: not self._acking, timeout=self._patience)
