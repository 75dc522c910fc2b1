"""Each Slack request runs in a context of its own: its request ID tags its log lines and nothing after it."""

from __future__ import annotations

from leadbot.process.logs import REQUEST_ID
from tests.listeners.conftest import Bot


def test_a_request_id_does_not_outlive_its_request_on_the_server_thread(bot: Bot) -> None:
    before = REQUEST_ID.get()
    bot.command("help")
    bot.command("list 3d").answer()
    assert REQUEST_ID.get() == before
