"""`/leads report` and `/leads history` through Bolt: signed requests, the ack, the work pool, the seeded store,
the figures on the response_url, and the chart uploaded through the fake Slack's files.getUploadURLExternal,
upload URL and files.completeUploadExternal (or skipped, with why, where the bot can't post)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any

import pytest
from PIL import Image

from leadbot import texts
from leadbot.deps import Root
from leadbot.sandbox.service import Sandbox
from tests.deps import make_app
from tests.fakes.slack import ALERTS_CHANNEL, SALES_USER, FakeSlack
from tests.listeners.conftest import Bot, listener_settings
from tests.reports.seeded import U1, U2, local, seed

PRIVATE = "G0PRIVATE"


class Clock:
    def __init__(self) -> None:
        self.now = local("2026-03-09T00:00")  # the Monday after the seeded week

    def __call__(self) -> Any:
        return self.now


@pytest.fixture
def report_bot(fake_slack: FakeSlack, sandbox: Sandbox, sqlite_url: str) -> Iterator[Bot]:
    fake_slack.add_user(U1, "ann@example.co.uk", name="ann")
    fake_slack.add_user(U2, "bob@example.co.uk", name="bob")
    fake_slack.add_channel(PRIVATE, "secret-deals", is_private=True, is_member=False)
    settings = listener_settings(fake_slack, sandbox, sqlite_url, leadbot_hours="Mon-Fri 08:30-18:00")
    closers: list[Callable[[], None]] = []
    root = Root(settings, heatpunk_backoff=0.01, clock=Clock())
    closers.append(root.close)
    seed(root.deps.store)
    yield Bot(make_app(root), root.deps, fake_slack, sandbox)
    for close in reversed(closers):
        close()


def test_report_answers_the_figures_and_uploads_the_chart_in_the_channel(report_bot: Bot) -> None:
    sent = report_bot.command("report 7d")
    assert sent.ack_body() == {}
    answer = sent.answer()
    assert answer["response_type"] == "ephemeral"
    shown = json.dumps(answer["blocks"], ensure_ascii=False)
    assert "Speed to lead: last 7 days" in shown
    assert "*6* leads in · *5* owned · *4* contacted" in shown
    assert "median 12 min · 90% within 45 min" in shown  # first contact: 3, 3, 20, 45 working minutes
    assert "33% (2 of 6)" in shown  # within 5 minutes
    assert f"<@{U2}>: 3 in" in shown
    assert f"<@{U1}>: 2 in" in shown
    assert "*Speedypv · Facebook · ads*: 2 in" in shown
    assert "*Slack*: 1 in" in shown
    slack = report_bot.slack
    [complete] = slack.wait_for("files.completeUploadExternal")
    [url_call] = slack.calls_to("files.getUploadURLExternal")
    [upload] = slack.calls_to("upload")
    assert url_call.ok
    assert upload.ok
    assert complete.ok
    assert url_call.params["filename"] == "speed-to-lead.png"
    assert int(url_call.params["length"]) == upload.params["size"]
    assert complete.params["channel_id"] == ALERTS_CHANNEL
    [file] = json.loads(complete.params["files"])
    assert file["title"] == "Speed to lead: last 7 days"
    [shared] = [message for message in slack.messages(ALERTS_CHANNEL) if message.files]
    assert shared.text == f"Speed to lead, last 7 days (asked by <@{SALES_USER}>)."
    png = slack.uploaded(file["id"])
    assert Image.open(BytesIO(png)).size == (1200, 450)


def test_a_channel_the_bot_cant_post_in_gets_the_figures_and_why_no_chart(report_bot: Bot) -> None:
    sent = report_bot.command("report", channel=PRIVATE)
    assert sent.ack_body() == {}
    first, second = report_bot.slack.wait_for_response(sent.response_url, count=2)
    assert "*6* leads in" in json.dumps(first.body["blocks"])
    assert second.body["text"] == texts.CHART_SKIPPED.format(error="channel_not_found")
    assert [call.error for call in report_bot.slack.calls_to("files.completeUploadExternal")] == [
        "channel_not_found"
    ]
    assert not any(message.files for message in report_bot.slack.messages())


def test_a_month_and_an_empty_month(report_bot: Bot) -> None:
    march = report_bot.command("report 2026-03").answer()
    assert "Speed to lead: March 2026" in json.dumps(march["blocks"])
    empty = report_bot.command("report 2026-01").answer()
    assert texts.REPORT_EMPTY in json.dumps(empty["blocks"])
    this_month = report_bot.command("report month").answer()
    assert "March 2026 so far" in json.dumps(this_month["blocks"])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("report 2099-01", texts.BAD_REPORT_PERIOD.format(text="2099-01")),
        ("report fortnight", texts.BAD_REPORT_PERIOD.format(text="fortnight")),
        ("report 0d", texts.BAD_REPORT_PERIOD.format(text="0d")),
        ("report 7d 30d", texts.REPORT_USAGE_PROBLEM),
        ("history", texts.NEEDS_ONE_ID.format(name="history")),
    ],
)
def test_a_wrong_period_is_answered_in_the_ack(report_bot: Bot, text: str, problem: str) -> None:
    ack = report_bot.command(text).ack_body()
    assert ack["response_type"] == "ephemeral"
    assert ack["text"].startswith(problem)
    assert report_bot.slack.calls_to("files.getUploadURLExternal") == []


def test_history_tells_what_happened_and_who_did_it(report_bot: Bot) -> None:
    store = report_bot.deps.store
    store.record_audit(
        slack_user=U1,
        email="ann@example.co.uk",
        action="status",
        lead_id="L2",
        before={"status": "Quote"},
        after={"status": "SALE"},
    )
    sent = report_bot.command("history L2")
    assert sent.ack_body() == {}
    answer = sent.answer()
    rows = "\n".join(
        block["text"]["text"] for block in answer["blocks"] if block["type"] == "section"
    ).splitlines()
    assert rows[:3] == [
        "`Mon 02 Mar 10:00` Arrived — leadbot",
        f"`Mon 02 Mar 10:10` Claimed by <@{U1}> — <@{U1}>",
        f"`Mon 02 Mar 10:20` Contact logged: No answer — <@{U1}>",
    ]
    assert "`Tue 03 Mar 09:00` Status new → Quote — in Heatpunk" in rows
    assert any(row.startswith("`") and "Status set to SALE through leadbot" in row for row in rows)


def test_history_of_an_unknown_lead(report_bot: Bot) -> None:
    answer = report_bot.command("history 999").answer()
    assert answer["text"] == texts.HISTORY_EMPTY.format(lead_id="999")
