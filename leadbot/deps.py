"""Everything a listener or the poller needs, built once and passed in (never read from globals)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime

from leadbot.heatpunk import HeatpunkClient
from leadbot.leads.identity import Identity
from leadbot.settings import Settings
from leadbot.store import Store


def utc_now() -> datetime:
    """The real clock; tests pass their own."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    """The app's dependencies; `work` runs slow work after `ack()`, off Bolt's listener threads."""

    settings: Settings
    heatpunk: HeatpunkClient
    store: Store
    identity: Identity
    work: Executor
    clock: Callable[[], datetime] = utc_now
    sandbox: bool = False
