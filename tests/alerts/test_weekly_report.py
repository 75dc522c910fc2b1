"""The weekly report: queued once, on a Monday's working morning, to LEADBOT_REPORT_CHANNEL (injected clock);
sent through the outbox with figures computed at send time, and its chart uploaded into the report's thread
(best effort: a refused upload is logged, not retried, and the report still counts as sent)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime

import pytest
from slack_sdk import WebClient

from leadbot.alerts.cards import Timing
from leadbot.alerts.sender import Sender, SenderTuning
from leadbot.alerts.timekeeper import Team, Timekeeper
from leadbot.routing.sla import Ladder
from leadbot.store import NewAlert, Store
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.reports.seeded import HOURS, local, seed

REPORTS = "C0REPORTS"
LADDER = Ladder.parse("5m nudge, 15m escalate, 30m reassign")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    seed(opened)  # holds the lease as "me"
    yield opened
    opened.close()


def keeper(store: Store, clock: Clock, report_channel: str | None = REPORTS) -> Timekeeper:
    return Timekeeper(
        store=store,
        holder="me",
        hours=HOURS,
        ladder=LADDER,
        team=Team(lambda person: True, lambda after, skip: None, lambda: [], []),
        routing="claim",
        alert_channel=None,
        max_attempts=6,
        stale_days=7,
        clock=clock,
        report_channel=report_channel,
    )


def sender(store: Store, slack: FakeSlack, clock: Clock) -> Sender:
    return Sender(
        store=store,
        slack=WebClient(token=BOT_TOKEN, base_url=slack.api_url),
        holder="me",
        statuses=("new", "Quote", "Sale"),
        health_after=3,
        admin_channel=None,
        clock=clock,
        stop=threading.Event(),
        tuning=SenderTuning(min_interval=0.0, retry_base=0.01),
        timing=lambda: Timing(HOURS, LADDER, clock()),
    )


def test_queued_once_on_monday_morning_and_not_on_other_days(store: Store) -> None:
    clock = Clock(local("2026-03-06T08:30"))  # Friday
    timekeeper = keeper(store, clock)
    for at in (
        "2026-03-06T08:30",
        "2026-03-09T08:29",
        "2026-03-09T08:30",
        "2026-03-09T08:31",
        "2026-03-09T17:00",
    ):
        clock.now = local(at)
        timekeeper.tick()
    [report] = store.alerts(kind="report")
    assert (report.channel, report.payload) == (REPORTS, {"period": "7d", "until": "2026-03-09"})
    assert report.created_at == local("2026-03-09T08:30")
    clock.now = local("2026-03-10T08:30")  # Tuesday
    timekeeper.tick()
    assert len(store.alerts(kind="report")) == 1


def test_a_second_holder_on_the_same_morning_queues_nothing_more(store: Store) -> None:
    clock = Clock(local("2026-03-09T08:30"))
    keeper(store, clock).tick()
    keeper(store, clock).tick()  # a restart: the morning's marker says it is done
    assert len(store.alerts(kind="report")) == 1


def test_without_a_report_channel_nothing_is_queued(store: Store) -> None:
    keeper(store, Clock(local("2026-03-09T08:30")), report_channel=None).tick()
    assert store.alerts(kind="report") == []


def test_sent_with_its_figures_and_its_chart_in_the_thread(store: Store, fake_slack: FakeSlack) -> None:
    fake_slack.add_channel(REPORTS, "sales-reports")
    clock = Clock(local("2026-03-09T08:30"))
    keeper(store, clock).tick()
    sender(store, fake_slack, clock).drain()
    [report] = store.alerts(kind="report")
    assert report.state == "sent"
    assert report.message_ts
    [posted] = [message for message in fake_slack.messages(REPORTS) if message.thread_ts is None]
    assert posted.ts == report.message_ts
    shown = json.dumps(posted.blocks, ensure_ascii=False)
    assert "Speed to lead: the week to 8 Mar" in shown
    assert "*6* leads in" in shown
    [chart] = [message for message in fake_slack.messages(REPORTS) if message.files]
    assert chart.thread_ts == report.message_ts
    assert fake_slack.calls_to("files.completeUploadExternal")[0].params["thread_ts"] == report.message_ts


def test_a_refused_upload_is_logged_and_never_holds_up_the_outbox(
    store: Store, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake_slack.add_channel(REPORTS, "sales-reports")
    fake_slack.revoke_scope("files:write")
    clock = Clock(local("2026-03-09T08:30"))
    keeper(store, clock).tick()
    store.queue_alert(
        NewAlert(kind="notice", channel=REPORTS, payload={"notice": "recovered"}), now=clock.now
    )
    assert sender(store, fake_slack, clock).drain() is None  # everything sent, nothing left to retry
    [report] = store.alerts(kind="report")
    assert report.state == "sent"
    assert [call.error for call in fake_slack.calls_to("files.getUploadURLExternal")] == ["missing_scope"]
    assert "Failed to upload the weekly report's chart" in caplog.text
    assert len([message for message in fake_slack.messages(REPORTS) if message.thread_ts is None]) == 2


def test_on_a_bank_holiday_monday_the_weeks_first_working_morning_sends_it(store: Store) -> None:
    clock = Clock(
        local("2026-04-02T08:30")
    )  # Thursday before Easter: Good Friday and Easter Monday are closed
    timekeeper = keeper(store, clock)
    for at in (
        "2026-04-02T08:30",
        "2026-04-03T08:30",
        "2026-04-06T08:30",
        "2026-04-07T08:30",
        "2026-04-08T08:30",
    ):
        clock.now = local(at)
        timekeeper.tick()
    [report] = store.alerts(kind="report")
    assert report.payload == {"period": "7d", "until": "2026-04-06"}  # still the week before that Monday
    assert report.created_at == local("2026-04-07T08:30")


def test_a_first_start_mid_week_waits_for_next_week(store: Store) -> None:
    clock = Clock(local("2026-03-11T08:30"))  # a Wednesday, leadbot's first morning
    keeper(store, clock).tick()
    assert store.alerts(kind="report") == []
