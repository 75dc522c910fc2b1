"""`leadbot run --sandbox`: a working bot on demo leads, every answer marked SANDBOX, no Heatpunk key needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SALES_EMAIL, SALES_USER, FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.harness import LeadbotProcess, blocks_text, run_leadbot


@pytest.fixture(scope="module")
def sandboxed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, LeadbotProcess]]:
    fake = FakeSlack.usual().start()
    process = LeadbotProcess(
        fake,
        None,
        Path(tmp_path_factory.mktemp("sandboxed")),
        LEADBOT_ALERT_CHANNEL="C0ALERTS",
        LEADBOT_POLL_SECONDS="1",
    )
    try:
        process.start(("run", "--sandbox"))
        yield fake, process
    finally:
        code = process.stop()
        fake.stop()
        assert code == 0, process.log()


def test_answers_from_demo_leads_marked_sandbox(sandboxed: tuple[FakeSlack, LeadbotProcess]) -> None:
    fake, process = sandboxed
    with SlackSender(process.url, process.env["SLACK_SIGNING_SECRET"], fake) as slack:
        assert slack.command("list 30d").status_code == 200
        [post] = fake.wait_for_response(slack.last.response_url, timeout=15)
    text = blocks_text(post.body)
    assert "SANDBOX" in text
    assert "lead_row|" in text


def test_health_says_sandbox(sandboxed: tuple[FakeSlack, LeadbotProcess]) -> None:
    import httpx

    assert httpx.get(f"{sandboxed[1].url}/healthz", trust_env=False).json()["sandbox"] is True


def test_without_a_key_or_sandbox_run_stops_with_the_settings_message(tmp_path: Path) -> None:
    env = {"PATH": "", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    done = run_leadbot(("run",), env, tmp_path)
    assert done.returncode == 2
    assert "HEATPUNK_API_KEY is missing" in done.stderr
    assert "leadbot run --sandbox" in done.stderr
    assert "Traceback" not in done.stderr


def test_alerts_are_marked_sandbox(sandboxed: tuple[FakeSlack, LeadbotProcess]) -> None:
    fake, _ = sandboxed
    [line] = fake.wait_for(
        lambda call: call.method == "chat.postMessage" and "leadbot is watching" in blocks_text(call.params),
        timeout=15,
    )
    assert "SANDBOX" in blocks_text(line.params)


def test_socket_mode_sandbox_answers_list(tmp_path: Path) -> None:
    from tests.fakes.socket_mode import FakeSocketMode

    fake = FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN).start()
    fake.add_user(SALES_USER, SALES_EMAIL, name="sales")
    socket = FakeSocketMode(fake).start()
    process = LeadbotProcess(fake, None, tmp_path, SLACK_APP_TOKEN=APP_TOKEN)
    del process.env["SLACK_SIGNING_SECRET"]
    try:
        process.start(("run", "--sandbox"))
        socket.wait_for_ack(socket.slash_command("list 30d"), timeout=10)
        [post] = fake.wait_for_response(timeout=15)
        assert "SANDBOX" in blocks_text(post.body)
        assert "lead_row|" in blocks_text(post.body)
    finally:
        code = process.stop()
        socket.stop()
        fake.stop()
    assert code == 0, process.log()


def test_acks_and_shared_cards_are_marked_too(sandboxed: tuple[FakeSlack, LeadbotProcess]) -> None:
    """The paths that once forgot the mark: an answer in the ack, and a card shared in the channel."""
    import re

    from leadbot import ids
    from leadbot.blocks.values import ShareButton

    fake, process = sandboxed
    with SlackSender(process.url, process.env["SLACK_SIGNING_SECRET"], fake) as slack:
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
