"""Alerts inside `leadbot run`: first-run line, one alert per lead, Claim, health, and SIGTERM mid-poll."""

from __future__ import annotations

import collections
import time
from pathlib import Path

import httpx

from leadbot import ids
from leadbot.blocks.values import ClaimButton
from tests.fakes.slack import SALES_EMAIL, SALES_USER
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.conftest import World, build_world
from tests.scenarios.harness import blocks_text
from tests.support import wait_until

LEADBOT_SETTINGS = {
    "LEADBOT_ALERT_CHANNEL": "C0ALERTS",
    "LEADBOT_POLL_EMAIL": SALES_EMAIL,
    "LEADBOT_POLL_SECONDS": "1",
}


def alerts_for(world: World) -> collections.Counter[str]:
    """Lead ID → how many alert messages carry it (from the message metadata)."""
    counted: collections.Counter[str] = collections.Counter()
    for message in world.fake.messages("C0ALERTS"):
        metadata = message.metadata or {}
        if metadata.get("event_type") == ids.ALERT_EVENT_TYPE:
            counted[str(metadata["event_payload"]["lead_id"])] += 1
    return counted


def test_first_run_is_one_line_then_one_alert_per_new_lead(world: World, slack: SlackSender) -> None:
    wait_until(
        lambda: any("leadbot is watching" in (m.text or "") for m in world.fake.messages("C0ALERTS")),
        timeout=10,
    )
    assert alerts_for(world) == {}
    lead_id = world.sandbox.add_lead(customerName="Fresh Lead")
    wait_until(lambda: alerts_for(world)[lead_id] == 1, timeout=10)
    time.sleep(2.5)  # a few more polls
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
    assert f"Claimed by <@{SALES_USER}>" in blocks_text(update.params)


def test_health_reports_the_last_successful_poll(world: World) -> None:
    report = wait_until(
        lambda: (
            (r := httpx.get(f"{world.process.url}/healthz", trust_env=False).json()).get(
                "last_successful_poll"
            )
            and r
        ),
        timeout=10,
    )
    assert report["ok"] is True


def test_sigterm_in_the_middle_of_a_poll_loses_nothing(tmp_path: Path) -> None:
    fake, sandbox, process = build_world(tmp_path, **LEADBOT_SETTINGS)
    world = World(fake, sandbox, process)
    try:
        wait_until(
            lambda: any("leadbot is watching" in (m.text or "") for m in fake.messages("C0ALERTS")),
            timeout=10,
        )
        sandbox.latency = 2.0
        lead_id = sandbox.add_lead(customerName="In Flight")
        started = len(sandbox.requests)
        wait_until(
            lambda: len(sandbox.requests) > started, timeout=10
        )  # a fetch that will see the lead is under way
        assert process.stop(timeout=60) == 0
        assert "Traceback" not in process.log()
        sandbox.latency = 0.0
        process.start()
        wait_until(lambda: alerts_for(world)[lead_id] == 1, timeout=30)
        time.sleep(2.5)
        assert alerts_for(world)[lead_id] == 1
    finally:
        world.slack.close()
        process.stop()
        fake.stop()
        sandbox.stop()
