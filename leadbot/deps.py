"""Everything a listener or the poller needs, built once and passed in (never read from globals)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk import WebClient

from leadbot.heatpunk import HeatpunkClient
from leadbot.leads.identity import Identity
from leadbot.settings import Settings
from leadbot.slack.respond import Responder
from leadbot.store import Store


def utc_now() -> datetime:
    """The real clock; tests pass their own."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    """The app's dependencies; `work` runs slow work after `ack()`, off Bolt's listener threads.

    `slack` and `responder` are the only ways out to Slack: in sandbox mode both mark what they send.
    """

    settings: Settings
    heatpunk: HeatpunkClient
    store: Store
    identity: Identity
    work: Executor
    slack: WebClient
    responder: Responder
    clock: Callable[[], datetime] = utc_now
