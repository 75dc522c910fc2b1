"""What the /leads feature and its listeners are given: the clients, the store and the clock, built by deps.Root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient

from leadbot.heatpunk import HeatpunkClient
from leadbot.leads.identity import Identity
from leadbot.leads.lookups import LeadLookups
from leadbot.process.work import FairExecutor
from leadbot.settings import Settings
from leadbot.slack.respond import Responder
from leadbot.store import Store


@dataclass(frozen=True)
class Deps:
    """What listeners get; `work` runs slow work after `ack()`, off Bolt's listener threads, a fair share
    per person (`submit_for(user_id, …)`, refused with `Busy` beyond it); `forms` opens modals, each with a
    client from `views_client(timeout)`, within the trigger's 3 s; `lookups` finds a lead by ID (narrowest
    window first, each person's last fetches remembered a few seconds).

    `slack` and `responder` are the only ways out to Slack: in sandbox mode both mark what they send.
    """

    settings: Settings
    heatpunk: HeatpunkClient
    store: Store
    identity: Identity
    lookups: LeadLookups
    work: FairExecutor
    forms: FairExecutor
    views_client: Callable[[int], WebClient]
    slack: WebClient
    responder: Responder
    clock: Callable[[], datetime]
