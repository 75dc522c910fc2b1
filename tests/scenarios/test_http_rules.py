"""Slack's hard rules over HTTP (leadbot's own server, in this process): signatures verified, health answered,
acks in milliseconds under load."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.fakes.slack_requests import SlackSender, slash_command_body
from tests.scenarios.conftest import World
from tests.scenarios.harness import blocks_text, http_sender

SLACK_ACK_LIMIT = 3.0


@pytest.fixture
def http(world: World, slack: SlackSender) -> Iterator[SlackSender]:
    """Slack's requests over HTTP to leadbot's server (waitress, then Bolt's WSGI adapter)."""
    with http_sender(world.leadbot, world.fake) as sender:
        yield sender


def test_health_answers(world: World) -> None:
    response = httpx.get(f"{world.leadbot.url}/healthz", trust_env=False)
    assert response.status_code == 200
    assert response.json()["ok"] is True


@pytest.mark.parametrize("signing", ["none", "bad", "stale"])
def test_unverified_requests_get_401_and_do_nothing(world: World, http: SlackSender, signing: str) -> None:
    response_url = world.fake.new_response_url()
    body = slash_command_body(
        "show 1001", user_id="U0SALES1", response_url=response_url, trigger_id=world.fake.new_trigger_id()
    )
    assert http.post(body, signing=signing).status_code == 401
    world.leadbot.settle()
    assert world.fake.responses == []
    assert world.sandbox.requests == []


def test_fifty_commands_are_acked_at_once_while_heatpunk_takes_two_seconds(
    world: World, http: SlackSender
) -> None:
    world.sandbox.latency = 2.0

    def send(n: int) -> tuple[int, float, str]:
        started = time.monotonic()
        response = http.command(f"list {n % 5 + 1}d")
        return response.status_code, time.monotonic() - started, http.last.response_url or ""

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(send, range(50)))
    assert {status for status, _, _ in results} == {200}
    slowest = max(elapsed for _, elapsed, _ in results)
    assert slowest < SLACK_ACK_LIMIT, f"slowest ack took {slowest:.2f}s"
    answers = world.fake.wait_for_response(lambda r: "lead" in blocks_text(r.body), count=50, timeout=60)
    assert len({answer.url for answer in answers}) == 50
