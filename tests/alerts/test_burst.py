"""A burst of 500 new leads in one cycle: few digests, every lead in one, paced per channel, a 429 waited out."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from leadbot.alerts import SenderTuning
from leadbot.alerts.poller import Poller
from leadbot.alerts.sender import Sender
from leadbot.blocks.alerts import text_size
from leadbot.limits import MESSAGE_TEXT_BUDGET
from tests.alerts.rig import Rig
from tests.fakes.slack import ALERTS_CHANNEL, BOT_TOKEN
from tests.fakes.slack_blocks import check_blocks

HOLDER = "burst-test"
RETRY_AFTER = 7


class FakeTime:
    """Seconds that pass only when the sender waits: pacing is read off this clock, never the wall's."""

    def __init__(self) -> None:
        self.start, self.seconds = datetime.now(UTC), 0.0

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)


class PassingStop(threading.Event):
    """The sender's stop event, never set: each wait on it passes fake time at once."""

    def __init__(self, time: FakeTime) -> None:
        super().__init__()
        self._time = time

    def wait(self, timeout: float | None = None) -> bool:
        self._time.seconds += timeout or 0.0
        return False


class TimedClient(WebClient):
    """A plain Slack client (no retry handlers: the sender's own Retry-After path is under test) noting the
    fake time of each chat.postMessage."""

    def __init__(self, time: FakeTime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.time, self.posted_at = time, list[float]()

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:  # type: ignore[override]
        if api_method == "chat.postMessage":
            self.posted_at.append(self.time.seconds)
        return super().api_call(api_method, **kwargs)


def test_500_new_leads_reach_the_channel_in_few_paced_digests_and_a_429_is_waited_out(rig: Rig) -> None:
    time = FakeTime()
    settings = rig.settings()
    store = rig.store()
    assert store.acquire_lease(HOLDER, ttl=timedelta(hours=1), now=time.now())
    poller = Poller(
        settings=settings,
        store=store,
        heatpunk=rig.heatpunk(),
        poll_email=settings.leadbot_poll_email or "",
        alert_channel=ALERTS_CHANNEL,
        holder=HOLDER,
        clock=time.now,
    )
    slack = TimedClient(time, token=BOT_TOKEN, base_url=rig.slack.api_url)
    sender = Sender(
        store=store,
        slack=slack,
        holder=HOLDER,
        statuses=settings.leadbot_statuses,
        health_after=3,
        admin_channel=None,
        clock=time.now,
        stop=PassingStop(time),
        tuning=SenderTuning(),  # production pacing: 1 message a second a channel
        monotonic=time.monotonic,
    )

    def drain() -> None:
        """As the send loop does: drain, then wait as long as drain says; None means the outbox is empty."""
        for _ in range(100):
            wait = sender.drain()
            if wait is None:
                assert store.outbox_heads() == [], "drain said empty while an alert waits for its retry"
                return
            time.seconds += wait
        raise AssertionError("the outbox never emptied")

    poller.cycle()  # first run: one line, no alerts
    drain()
    added = [rig.sandbox.add_lead() for _ in range(500)]
    rig.slack.rate_limit_next("chat.postMessage", retry_after=RETRY_AFTER)
    slack.posted_at.clear()
    assert poller.cycle().new == 500
    drain()

    digests = rig.alerts()
    assert len(digests) == len(store.alerts(kind="digest")) <= 5  # 13 when a digest held 40
    assert rig.alerted() == dict.fromkeys(added, 1)  # every lead in exactly one digest
    for digest in digests:
        assert check_blocks(digest.blocks) == []
        assert len(digest.blocks or []) <= 50
        assert text_size(digest.blocks) <= MESSAGE_TEXT_BUDGET
    # The first digest met a 429: tried again only once Retry-After had passed, then one a second.
    posted = slack.posted_at
    assert len(posted) == len(digests) + 1
    assert posted[1] - posted[0] >= RETRY_AFTER
    assert all(
        later - earlier >= SenderTuning().min_interval for earlier, later in itertools.pairwise(posted)
    )
    answers = [
        call
        for call in rig.slack.calls_to("chat.postMessage")
        if call.params.get("channel") == ALERTS_CHANNEL
    ]
    assert [call.ok for call in answers][-len(posted) :] == [False] + [True] * len(digests)
