"""The ladder as Slack shows it, over real HTTP (the simulator, the fake Slack, a real database): a claimed lead
nobody calls is nudged by DM, escalated to a manager by DM and in its card's thread, then unclaimed; in a real
process killed with kill -9 mid-ladder, each message still arrives exactly once.

Seconds stand for minutes here: LEADBOT_HOURS=always and a ladder of 1.2 s, 2.4 s and 3.6 s (its words then
say seconds).
"""

from __future__ import annotations

import collections
from typing import Any

from leadbot.alerts import AlertService
from tests.alerts.rig import PollProcess, Rig
from tests.fakes.slack import ALERTS_CHANNEL
from tests.fakes.slack_workspace import Message
from tests.support import wait_until

OWNER, MANAGER = "U0OWNER01", "U0MANAGER1"
FAST_LADDER = {"leadbot_hours": "always", "leadbot_sla": "0.02m nudge, 0.04m escalate, 0.06m reassign"}
FAST_LADDER_ENV = {"LEADBOT_HOURS": "always", "LEADBOT_SLA": "0.02m nudge, 0.04m escalate, 0.06m reassign"}


def people(rig: Rig) -> None:
    rig.slack.add_user(OWNER, "owner@example.com", name="owner")
    rig.slack.add_user(MANAGER, "manager@example.com", name="manager")


def dms(rig: Rig, user: str) -> list[Message]:
    return rig.messages("D" + user[1:]) if ("D" + user[1:]) in rig.slack.channels else []


def texts_of(messages: list[Message]) -> list[str]:
    return [message.text for message in messages]


def until(service: AlertService, done: Any, what: str) -> None:
    """Runs cycles (poll, ladder, send) until `done()`."""
    wait_until(lambda: service.run_once().ok and done(), timeout=30, what=what)


def test_a_claimed_lead_nobody_calls_climbs_the_ladder_in_slack(rig: Rig) -> None:
    people(rig)
    settings = rig.settings(leadbot_managers=MANAGER, leadbot_routing="claim", **FAST_LADDER)
    service = rig.service(settings=settings)
    service.run_once()
    lead_id = rig.sandbox.add_lead(customerName="Ada <!channel>", postcode="CB24 6YU")
    service.run_once()
    rig.store().claim(lead_id, OWNER, now=rig.root().clock())
    card = rig.card_of(lead_id)
    until(service, lambda: dms(rig, OWNER), "the nudge")
    [nudge] = dms(rig, OWNER)
    assert nudge.text.startswith(":stopwatch: Ada &lt;!channel&gt; (lead")  # plain words: no mrkdwn
    assert "<!channel>" not in nudge.text
    until(service, lambda: dms(rig, MANAGER), "the escalation")
    [escalation] = dms(rig, MANAGER)
    assert f"owner <@{OWNER}>" in escalation.text
    until(service, lambda: len(rig.replies(card)) >= 2, "the last step's note")
    notes = texts_of(rig.replies(card))
    assert notes == [
        f":rotating_light: Waiting 2 s without a call: escalated to <@{MANAGER}>.",
        f":arrows_counterclockwise: No call within 4 s: <@{OWNER}> no longer owns it. Anyone can claim it.",
    ]
    clock = rig.store().clock(lead_id)
    assert clock is not None
    assert clock.owner is None
    for _ in range(3):  # nothing repeats
        service.run_once()
    assert (len(dms(rig, OWNER)), len(dms(rig, MANAGER)), len(rig.replies(card))) == (1, 1, 2)
    assert len(rig.alerts(ALERTS_CHANNEL)) == 1


def test_kill_9_mid_ladder_loses_and_repeats_no_message(rig: Rig) -> None:
    people(rig)
    service = rig.service(settings=rig.settings(leadbot_routing="claim"))
    service.run_once()  # first run: the leads already there get no clock
    lead_id = rig.sandbox.add_lead(customerName="Grace")
    env = {"LEADBOT_MANAGERS": MANAGER, "LEADBOT_ROUTING": "claim", **FAST_LADDER_ENV}
    poller = PollProcess(rig, "first", **env).start()
    wait_until(lambda: rig.store().clock(lead_id) is not None, timeout=30, what="the lead's clock")
    rig.store().claim(lead_id, OWNER, now=rig.root().clock())
    wait_until(lambda: dms(rig, OWNER), timeout=30, what="the nudge")
    poller.kill()  # kill -9 between the nudge and the escalation
    PollProcess(rig, "second", **env).start()
    card = rig.card_of(lead_id)
    wait_until(lambda: len(rig.replies(card)) >= 2, timeout=60, what="the rest of the ladder")
    rig.settled(polls=3)
    counts = collections.Counter(event.kind for event in rig.store().events(lead_id))
    assert (counts["nudged"], counts["escalated"], counts["reassigned"]) == (1, 1, 1)
    assert (len(dms(rig, OWNER)), len(dms(rig, MANAGER)), len(rig.replies(card))) == (1, 1, 2)
