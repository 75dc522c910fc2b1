"""`leadbot run --sandbox`: a working bot on demo leads, every answer marked SANDBOX, no Heatpunk key needed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from leadbot import ids
from leadbot.blocks.values import ShareButton
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SALES_EMAIL, SALES_USER, FakeSlack
from tests.fakes.socket_mode import FakeSocketMode
from tests.scenarios.harness import (
    Leadbot,
    LogRecords,
    blocks_text,
    dispatching_sender,
    leadbot_settings,
    start_leadbot,
)
from tests.support import run_command


@pytest.fixture(scope="module")
def sandboxed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, Leadbot]]:
    fake = FakeSlack.usual().start()
    settings = leadbot_settings(
        fake, None, Path(tmp_path_factory.mktemp("sandboxed")), LEADBOT_ALERT_CHANNEL="C0ALERTS"
    )
    with LogRecords() as logs:
        try:
            leadbot = start_leadbot(settings, sandbox=True)
            yield fake, leadbot
            leadbot.stop()
        finally:
            fake.stop()
    assert not logs.tracebacks(), logs.tracebacks()


def test_answers_from_demo_leads_marked_sandbox(sandboxed: tuple[FakeSlack, Leadbot]) -> None:
    fake, leadbot = sandboxed
    with dispatching_sender(leadbot, fake) as slack:
        assert slack.command("list 30d").status_code == 200
        [post] = fake.wait_for_response(slack.last.response_url, timeout=15)
    text = blocks_text(post.body)
    assert "SANDBOX" in text
    assert "lead_row|" in text


def test_health_says_sandbox(sandboxed: tuple[FakeSlack, Leadbot]) -> None:
    assert httpx.get(f"{sandboxed[1].url}/healthz", trust_env=False).json()["sandbox"] is True


def test_without_a_key_or_sandbox_run_stops_with_the_settings_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    done = run_command(["run"], env, tmp_path, monkeypatch, capsys)  # raising would fail the test
    assert done.code == 2
    assert "HEATPUNK_API_KEY is missing" in done.err
    assert "leadbot run --sandbox" in done.err


def test_alerts_are_marked_sandbox(sandboxed: tuple[FakeSlack, Leadbot]) -> None:
    fake, _ = sandboxed
    [line] = fake.wait_for(
        lambda call: call.method == "chat.postMessage" and "leadbot is watching" in blocks_text(call.params),
        timeout=15,
    )
    assert "SANDBOX" in blocks_text(line.params)


def test_socket_mode_sandbox_answers_list(tmp_path: Path) -> None:
    fake = FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN).start()
    fake.add_user(SALES_USER, SALES_EMAIL, name="sales")
    socket = FakeSocketMode(fake).start()
    settings = leadbot_settings(fake, None, tmp_path, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET=None)
    try:
        with LogRecords() as logs:
            leadbot = start_leadbot(settings, sandbox=True)
            try:
                socket.wait_for_ack(socket.slash_command("list 30d"), timeout=10)
                [post] = fake.wait_for_response(timeout=15)
            finally:
                leadbot.stop(hang_up=socket.close_connections)
        assert "SANDBOX" in blocks_text(post.body)
        assert "lead_row|" in blocks_text(post.body)
        assert not logs.tracebacks(), logs.tracebacks()
    finally:
        socket.stop()
        fake.stop()


def test_acks_and_shared_cards_are_marked_too(sandboxed: tuple[FakeSlack, Leadbot]) -> None:
    """The paths that once forgot the mark: an answer in the ack, and a card shared in the channel."""
    fake, leadbot = sandboxed
    with dispatching_sender(leadbot, fake) as slack:
        usage = slack.command("lsit")
        assert "SANDBOX" in usage.text
        slack.command("list 30d")
        [listed] = fake.wait_for_response(slack.last.response_url, timeout=15)
        lead_id = re.findall(r"lead_row\|([\w-]+)", blocks_text(listed.body))[0]
        slack.action(ids.SHARE_LEAD, ShareButton(lead_id).to_value(), channel_id="C0ALERTS")
        [shared] = fake.wait_for(
            lambda call: call.method == "chat.postMessage" and "Shared by" in blocks_text(call.params),
            timeout=15,
        )
    assert blocks_text(shared.params).count("sandbox_banner") == 1
    assert shared.params["text"].startswith("[SANDBOX] ")
