"""Identity failures and API failures reach the person in words (with Retry where it helps), never a trace."""

from __future__ import annotations

import json
from pathlib import Path

from leadbot import ids, texts
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.conftest import BOT_USER, GUEST_USER, HIDDEN_USER, OUTSIDER_USER, World, running_world
from tests.scenarios.harness import blocks_text


def reply_to(world: World, slack: SlackSender, text: str, *, timeout: float = 15, **kwargs) -> str:
    response = slack.command(text, **kwargs)
    assert response.status_code == 200
    [post] = world.fake.wait_for_response(slack.last.response_url, timeout=timeout)
    return blocks_text(post.body)


def test_hidden_email_names_the_cause_and_the_fix_and_calls_no_api(world: World, slack: SlackSender) -> None:
    text = reply_to(world, slack, "list", user_id=HIDDEN_USER)
    assert "can't see your email" in text
    assert "/leads admin map" in text
    assert world.sandbox.requests == []


def test_bots_and_guests_are_told_why(world: World, slack: SlackSender) -> None:
    assert texts.EMAIL_BOT in reply_to(world, slack, "list", user_id=BOT_USER)
    assert "Guest accounts" in reply_to(world, slack, "list", user_id=GUEST_USER)
    assert world.sandbox.requests == []


def test_missing_email_scope_is_named(world: World, slack: SlackSender) -> None:
    world.fake.add_user("U0FRESH1", "fresh@example.co.uk", name="fresh")
    scopes = world.fake.scopes
    world.fake.scopes = [scope for scope in scopes if scope != "users:read.email"]
    try:
        text = reply_to(world, slack, "list", user_id="U0FRESH1")
    finally:
        world.fake.scopes = scopes
    assert "users:read.email" in text


def test_an_email_without_access_is_explained(world: World, slack: SlackSender) -> None:
    text = reply_to(world, slack, "list", user_id=OUTSIDER_USER)
    assert "outsider@example.com has no access: ask a Pro team admin" in text
    assert ids.RETRY not in text


def test_api_down_offers_retry_and_retry_works(world: World, slack: SlackSender) -> None:
    world.sandbox.fail_next(count=3, status=503)
    text = reply_to(world, slack, "list 3d")
    assert "try again" in text
    assert ids.RETRY in text
    [retry] = [e for b in json.loads(text)["blocks"] if b["type"] == "actions" for e in b["elements"]]
    slack.action(ids.RETRY, retry["value"])
    [post] = world.fake.wait_for_response(slack.last.response_url, timeout=15)
    assert "since" in blocks_text(post.body)


def test_a_rejected_key_is_explained(world: World, slack: SlackSender) -> None:
    world.sandbox.fail_next(count=1, status=401, body={"error": "Invalid API key"})
    assert "rejected leadbot's API key" in reply_to(world, slack, "list")


def test_a_timeout_is_explained(tmp_path: Path) -> None:
    """Heatpunk holds every answer far longer than the per-try timeout (0.2 s here, for speed)."""
    with running_world(tmp_path, HEATPUNK_TIMEOUT_SECONDS="0.2") as world:
        world.sandbox.hang_next(count=3, seconds=5)
        assert "didn't answer in time" in reply_to(world, world.slack, "show 1001")
        assert [r.path for r in world.sandbox.requests] == ["/api/v1/leads/fetch"] * 3
