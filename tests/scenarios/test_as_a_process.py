"""Smoke tests of `python -m leadbot run` as a real process, for what only a process has: configuration from
the environment alone, its HTTP server or Socket Mode connection, SIGTERM, and its exit code and log.

Everything a listener does is specified in the other scenario modules, against leadbot built in-process.
"""

from __future__ import annotations

import collections
from pathlib import Path

import httpx

from leadbot import ids
from leadbot.sandbox.service import Sandbox
from leadbot.store import Store
from tests.fakes.heatpunk_fixtures import SANDBOX_KEY
from tests.fakes.slack import APP_TOKEN, SALES_EMAIL, FakeSlack
from tests.fakes.slack_requests import slash_command_body
from tests.fakes.socket_mode import FakeSocketMode
from tests.scenarios.conftest import TEAM
from tests.scenarios.harness import LeadbotProcess, blocks_text
from tests.support import wait_until

ALERTS = {"LEADBOT_ALERT_CHANNEL": "C0ALERTS", "LEADBOT_POLL_EMAIL": SALES_EMAIL, "LEADBOT_POLL_SECONDS": "1"}


def alerts_for(fake: FakeSlack) -> collections.Counter[str]:
    """Lead ID → how many alert messages carry it (from the message metadata)."""
    counted: collections.Counter[str] = collections.Counter()
    for message in fake.messages("C0ALERTS"):
        metadata = message.metadata or {}
        if metadata.get("event_type") == ids.ALERT_EVENT_TYPE:
            counted[str(metadata["event_payload"]["lead_id"])] += 1
    return counted


def health(process: LeadbotProcess) -> dict[str, object]:
    report: dict[str, object] = httpx.get(f"{process.url}/healthz", trust_env=False).json()
    return report


def test_http_mode_serves_signed_requests_and_health_then_stops_on_sigterm(tmp_path: Path) -> None:
    with FakeSlack.usual() as fake, Sandbox(api_key=SANDBOX_KEY, team=TEAM, seed_leads=10).start() as sandbox:
        process = LeadbotProcess(fake, sandbox, tmp_path).start()
        try:
            assert health(process) == {"ok": True, "mode": "http"}
            with process.sender(fake) as slack:
                assert slack.command("list 30d").status_code == 200
                [answer] = fake.wait_for_response(slack.last.response_url, timeout=10)
                unsigned = slash_command_body(
                    "list", user_id="U0SALES1", response_url=fake.new_response_url(), trigger_id="1.2.3"
                )
                assert slack.post(unsigned, signing="none").status_code == 401
            assert "lead_row|" in blocks_text(answer.body)
        finally:
            code = process.stop()
    assert code == 0, process.log()
    assert "Traceback" not in process.log(), process.log()


def test_socket_mode_connects_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    with (
        FakeSlack.usual() as fake,
        FakeSocketMode(fake) as socket,
        Sandbox(api_key=SANDBOX_KEY, team=TEAM, seed_leads=10).start() as sandbox,
    ):
        process = LeadbotProcess(fake, sandbox, tmp_path, SLACK_APP_TOKEN=APP_TOKEN)
        del process.env["SLACK_SIGNING_SECRET"]
        process.start()
        try:
            report = wait_until(lambda: (r := health(process)).get("socket_connected") and r)
            assert report == {"ok": True, "mode": "socket", "socket_connected": True}
            assert httpx.post(f"{process.url}/slack/events", trust_env=False).status_code == 404
            socket.wait_for_ack(socket.slash_command("list 30d"))
            [answer] = fake.wait_for_response(timeout=10)
            assert "lead_row|" in blocks_text(answer.body)
        finally:
            code = process.stop()
    assert code == 0, process.log()
    assert "Traceback" not in process.log(), process.log()


def test_sigterm_in_the_middle_of_a_poll_loses_nothing(tmp_path: Path) -> None:
    with FakeSlack.usual() as fake, Sandbox(api_key=SANDBOX_KEY, team=TEAM, seed_leads=10).start() as sandbox:
        process = LeadbotProcess(fake, sandbox, tmp_path, **ALERTS).start()
        try:
            wait_until(lambda: health(process).get("last_successful_poll"), what="the first poll")
            sandbox.latency = 1.0
            lead_id = sandbox.add_lead(customerName="In Flight")
            started = len(sandbox.requests)
            wait_until(lambda: len(sandbox.requests) > started, what="a fetch that will see the lead")
            assert process.stop(timeout=60) == 0  # the fetch in flight finishes, its lead is queued
            assert "Traceback" not in process.log(), process.log()
            sandbox.latency = 0.0
            process.start()
            wait_until(lambda: alerts_for(fake)[lead_id] == 1, what="the alert after the restart")
            before = health(process)["last_successful_poll"]  # a later poll: a repeat would show by then
            wait_until(lambda: health(process)["last_successful_poll"] != before, what="a later poll")
            store = Store.open(f"sqlite:///{tmp_path / 'leadbot.db'}")
            try:
                wait_until(lambda: store.unsent_count() == 0, what="the outbox to empty")
            finally:
                store.close()
            assert alerts_for(fake)[lead_id] == 1
        finally:
            code = process.stop()
    assert code == 0, process.log()
    assert "Traceback" not in process.log(), process.log()
