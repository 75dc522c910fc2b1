"""What the /leads feature and its listeners are given: the clients, the store and the clock, built by deps.Root."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient

from leadbot.heatpunk import HeatpunkClient
from leadbot.leads.identity import Identity
from leadbot.settings import Settings
from leadbot.slack.respond import Responder
from leadbot.store import Store


@dataclass(frozen=True)
class Deps:
    """What listeners get; `work` runs slow work after `ack()`, off Bolt's listener threads.

    `slack` and `responder` are the only ways out to Slack: in sandbox mode both mark what they send.
    """

    settings: Settings
    heatpunk: HeatpunkClient
    store: Store
    identity: Identity
    work: Executor
    slack: WebClient
    responder: Responder
    clock: Callable[[], datetime]
