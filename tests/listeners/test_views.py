"""Opening a form never holds up an ack: views.open runs off Bolt's threads, inside the trigger's 3 s, and a
form Slack was too slow to open is told in words."""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from leadbot import texts
from tests.fakes.slack import FakeSlack
from tests.listeners.conftest import ADMIN_USER, Bot

FORM_OPENERS = 20
SLOW_SLACK_SECONDS = 8.0


def test_a_slow_views_open_delays_no_ones_ack_and_is_told_in_words(bot: Bot, fake_slack: FakeSlack) -> None:
    openers = [f"U0NEW{n:04d}" for n in range(FORM_OPENERS)]
    for user in openers:
        fake_slack.add_user(user, f"{user.lower()}@example.co.uk", name=user.lower())
    fake_slack.set_latency(SLOW_SLACK_SECONDS, "views.open")

    with ThreadPoolExecutor(max_workers=FORM_OPENERS) as senders:
        new_forms = list(senders.map(lambda user: bot.command("new", user=user), openers))
    assert [sent.response.status for sent in new_forms] == [200] * FORM_OPENERS

    other = bot.command("whoami", user=ADMIN_USER)
    assert other.response.status == 200
    assert "admin@example.co.uk" in json.dumps(other.answer(timeout=15))

    for sent in new_forms:
        assert sent.answer(timeout=20)["text"] == texts.FORM_SLOW
    tries = Counter(arrival.params.get("trigger_id") for arrival in fake_slack.wait_for_arrival("views.open"))
    assert set(tries.values()) == {1}  # one try at most: no retry of a trigger that has expired
