"""Alerts inside `leadbot run`: first-run line, one alert per lead, Claim, and health.

(SIGTERM in the middle of a poll needs a real process: tests/scenarios/test_as_a_process.py.)
"""

from __future__ import annotations

import collections

import httpx

from leadbot import ids
from leadbot.blocks.values import ClaimButton
from leadbot.store import Store
from tests.fakes.slack import SALES_EMAIL, SALES_USER
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.conftest import World
from tests.scenarios.harness import blocks_text
from tests.support import wait_until

LEADBOT_SETTINGS = {"LEADBOT_ALERT_CHANNEL": "C0ALERTS", "LEADBOT_POLL_EMAIL": SALES_EMAIL}
POLL_SECONDS = 0.3


def alerts_for(world: World) -> collections.Counter[str]:
    """Lead ID → how many alert messages carry it (from the message metadata)."""
    counted: collections.Counter[str] = collections.Counter()
    for message in world.fake.messages("C0ALERTS"):
        metadata = message.metadata or {}
        if metadata.get("event_type") == ids.ALERT_EVENT_TYPE:
            counted[str(metadata["event_payload"]["lead_id"])] += 1
    return counted


def a_later_poll(world: World) -> None:
    """Waits for one more successful poll cycle."""
    before = world.leadbot.health()["last_successful_poll"]
    wait_until(lambda: world.leadbot.health()["last_successful_poll"] != before, what="a later poll")


def later_polls_finished(world: World, count: int = 2) -> None:
    """Waits for `count` more successful poll cycles and an empty outbox: anything repeated shows by then."""
    for _ in range(count):
        a_later_poll(world)
    store = Store.open(world.leadbot.settings.database_url)
    try:
        wait_until(lambda: store.unsent_count() == 0, what="the outbox to empty")
    finally:
        store.close()


def test_first_run_is_one_line_then_one_alert_per_new_lead(world: World, slack: SlackSender) -> None:
    wait_until(
        lambda: any("leadbot is watching" in (m.text or "") for m in world.fake.messages("C0ALERTS")),
        timeout=10,
    )
    assert alerts_for(world) == {}
    lead_id = world.sandbox.add_lead(customerName="Fresh Lead")
    wait_until(lambda: alerts_for(world)[lead_id] == 1, timeout=10)
    later_polls_finished(world)
    assert alerts_for(world)[lead_id] == 1


def test_claim_on_the_alert_updates_the_card(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Claimable Lead")
    wait_until(lambda: alerts_for(world)[lead_id] == 1, timeout=10)
    [card] = [
        m
        for m in world.fake.messages("C0ALERTS")
        if (m.metadata or {}).get("event_payload", {}).get("lead_id") == lead_id
    ]
    slack.action(
        ids.CLAIM_LEAD,
        ClaimButton(lead_id).to_value(),
        message={"type": "message", "ts": card.ts, "text": ""},
    )
    [update] = world.fake.wait_for("chat.update", timeout=10)
    assert f"Owner: <@{SALES_USER}>" in blocks_text(update.params)


def test_health_reports_the_last_successful_poll(world: World) -> None:
    report = wait_until(
        lambda: (
            (r := httpx.get(f"{world.leadbot.url}/healthz", trust_env=False).json()).get(
                "last_successful_poll"
            )
            and r
        ),
        timeout=10,
    )
    assert report["ok"] is True
