"""When the Slack request being handled arrived: its ack's and its trigger's 3 s count from then, not from
when a busy thread got round to it."""

from __future__ import annotations

import time
from contextvars import ContextVar

ARRIVED: ContextVar[float | None] = ContextVar("leadbot_request_arrived", default=None)


def mark_arrival() -> None:
    """Called as a request enters the app (in its own context): the time.monotonic() its deadlines count from."""
    ARRIVED.set(time.monotonic())


def arrived_at() -> float:
    """When the request being handled arrived (now, outside a request)."""
    arrived = ARRIVED.get()
    return time.monotonic() if arrived is None else arrived
