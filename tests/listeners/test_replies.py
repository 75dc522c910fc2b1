"""Work after the ack is shared fairly: one person's slow requests never hold up another's, and a person
beyond their share is told so in words instead of being queued behind themselves."""

from __future__ import annotations

import json
from collections.abc import Callable

from leadbot import texts
from leadbot.sandbox.service import Sandbox
from tests.fakes.slack import SALES_USER, FakeSlack
from tests.listeners.conftest import ADMIN_USER, Bot
from tests.support import wait_until

SHARE = 2  # LEADBOT_USER_JOBS in these tests: each person may have two requests running or waiting


def test_one_persons_slow_backlog_does_not_delay_anothers_reply(
    build_bot: Callable[..., Bot], sandbox: Sandbox, fake_slack: FakeSlack
) -> None:
    sandbox.set_team({"sales@example.co.uk": "admin", "admin@example.co.uk": "owner"})
    fake_slack.add_user(ADMIN_USER, "admin@example.co.uk", name="admin")
    bot = build_bot(leadbot_workers=SHARE + 1, leadbot_user_jobs=SHARE, heatpunk_timeout_seconds=60)
    sandbox.hang_next(count=100, seconds=60, endpoint="fetch")  # every list hangs until the test ends
    try:
        backlog = [bot.command("list 2w", user=SALES_USER) for _ in range(SHARE + 3)]
        assert [sent.response.status for sent in backlog] == [200] * len(backlog)

        other = bot.command("whoami", user=ADMIN_USER)  # needs no Heatpunk: answered at once
        assert other.response.status == 200
        assert "admin@example.co.uk" in json.dumps(other.answer(timeout=15))

        busy = fake_slack.wait_for_response(lambda post: texts.BUSY in json.dumps(post.body), count=3)
        busy_urls = {post.url for post in busy}
        assert busy_urls < {sent.response_url for sent in backlog}
        pending = {sent.response_url for sent in backlog} - busy_urls
        fetches = wait_until(lambda: len([r for r in sandbox.requests if r.path.endswith("/fetch")]) == SHARE)
        assert fetches  # the person's share is running (hanging in Heatpunk); the rest were refused
        assert not [post for post in fake_slack.responses if post.url in pending]  # still in flight
    finally:
        sandbox.stop()  # ends the hanging requests, so leadbot's work ends too
