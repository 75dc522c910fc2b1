"""Claim and the alert overflow's Delete…, through Bolt with signed requests and the fake Slack."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from slack_bolt import App, BoltRequest

from leadbot import ids, texts
from leadbot.blocks.values import AlertDeleteOption, ClaimButton, DeleteButton, StatusOption
from tests.alerts.rig import Rig
from tests.fakes.slack import ALERTS_CHANNEL, SALES_USER, SIGNING_SECRET
from tests.fakes.slack_requests import block_action_body, sign
from tests.listeners.conftest import Bot
from tests.support import wait_until

OTHER_USER = "U0SALES2"


@pytest.fixture
def posted(rig: Rig) -> tuple[Rig, str]:
    """A first run, then one new lead's card in the alert channel."""
    service = rig.service()
    service.run_once()
    lead_id = rig.sandbox.add_lead(customerName="Jane Doe")
    service.run_once()
    rig.slack.add_user(OTHER_USER, "other@example.co.uk", name="other")
    rig.slack.add_user("U0DELETER", "deleter@example.co.uk", name="deleter")
    rig.sandbox.open_team = True  # the clickers act as themselves: let their emails see every lead
    return rig, lead_id


@pytest.fixture
def app(posted: tuple[Rig, str], build_bot: Callable[..., Bot]) -> tuple[App, Rig]:
    rig, _ = posted
    return build_bot(rig.settings(leadbot_deleters=("U0DELETER",))).app, rig


def click(bolt: App, rig: Rig, action_id: str, value: str, *, user: str, ts: str, **kwargs: Any) -> float:
    """Dispatches a signed click on the card; returns how long the ack took."""
    body = block_action_body(
        action_id,
        value,
        user_id=user,
        trigger_id=rig.slack.new_trigger_id(),
        message={"type": "message", "ts": ts, "text": ""},
        channel_id=ALERTS_CHANNEL,
        response_url=rig.slack.new_response_url(),
        **kwargs,
    ).decode()
    started = time.monotonic()
    response = bolt.dispatch(
        BoltRequest(body=body, headers=dict[str, str | Sequence[str]](sign(body.encode(), SIGNING_SECRET)))
    )
    assert response.status == 200
    return time.monotonic() - started


def test_claim_records_the_claimer_and_updates_the_card(
    app: tuple[App, Rig], posted: tuple[Rig, str]
) -> None:
    bolt, rig = app
    lead_id = posted[1]
    card = rig.card_of(lead_id)
    claim = ClaimButton(lead_id).to_value()
    assert click(bolt, rig, ids.CLAIM_LEAD, claim, user=SALES_USER, ts=card.ts) < 0.5
    wait_until(lambda: rig.card_of(lead_id).edited, what="the card update")
    shown = json.dumps(rig.card_of(lead_id).blocks)
    assert f"Owner: <@{SALES_USER}>" in shown
    assert ids.CLAIM_LEAD not in shown
    assert rig.store().claim_for(lead_id).user_id == SALES_USER  # type: ignore[union-attr]
    [audit] = rig.store().audit_for(lead_id)
    assert (audit.action, audit.slack_user, audit.after) == ("claim", SALES_USER, {"claimed_by": SALES_USER})

    click(bolt, rig, ids.CLAIM_LEAD, claim, user=OTHER_USER, ts=card.ts)
    (told,) = wait_until(lambda: rig.slack.ephemerals, what="the ephemeral")
    assert told.user == OTHER_USER
    assert f"already claimed by <@{SALES_USER}>" in told.text
    assert rig.store().claim_for(lead_id).user_id == SALES_USER  # type: ignore[union-attr]


def test_delete_in_the_menu_asks_with_a_danger_button(app: tuple[App, Rig], posted: tuple[Rig, str]) -> None:
    bolt, rig = app
    lead_id = posted[1]
    card = rig.card_of(lead_id)
    value = AlertDeleteOption(lead_id).to_value()
    click(bolt, rig, ids.ALERT_MENU, value, user="U0DELETER", ts=card.ts, action_type="overflow")
    (prompt,) = rig.slack.wait_for_response(timeout=10)
    assert prompt.body["response_type"] == "ephemeral"
    buttons = [e for b in prompt.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    (delete,) = [b for b in buttons if b["action_id"] == ids.DELETE_LEAD]
    assert DeleteButton.from_value(delete["value"]) == DeleteButton(lead_id)
    assert delete["style"] == "danger"
    assert "confirm" in delete
    assert rig.sandbox.lead(lead_id) is not None  # asking deletes nothing


def test_delete_is_refused_to_non_deleters(app: tuple[App, Rig], posted: tuple[Rig, str]) -> None:
    bolt, rig = app
    lead_id = posted[1]
    value = AlertDeleteOption(lead_id).to_value()
    click(
        bolt, rig, ids.ALERT_MENU, value, user=SALES_USER, ts=rig.card_of(lead_id).ts, action_type="overflow"
    )
    (told,) = rig.slack.wait_for_response(timeout=10)
    assert told.body["text"] == texts.NOT_A_DELETER


def test_a_claim_after_a_change_keeps_the_card_saying_it_changed(
    app: tuple[App, Rig], posted: tuple[Rig, str]
) -> None:
    bolt, rig = app
    lead_id = posted[1]
    rig.heatpunk().update(lead_id, rig.settings().leadbot_poll_email or "", {"status": "Quote"})
    assert rig.service().run_once().ok
    wait_until(lambda: "Updated " in json.dumps(rig.card_of(lead_id).blocks), what="the change")
    click(
        bolt,
        rig,
        ids.CLAIM_LEAD,
        ClaimButton(lead_id).to_value(),
        user=SALES_USER,
        ts=rig.card_of(lead_id).ts,
    )
    wait_until(lambda: "Owner: " in json.dumps(rig.card_of(lead_id).blocks), what="the claim")
    shown = json.dumps(rig.card_of(lead_id).blocks)
    assert "Updated " in shown
    assert "New lead" in shown  # an edit no longer turns the card into "updated in Heatpunk"
    assert "Quote" in shown


def test_a_status_set_in_slack_is_noted_in_the_thread_with_who_set_it(
    app: tuple[App, Rig], posted: tuple[Rig, str]
) -> None:
    bolt, rig = app
    lead_id = posted[1]
    value = StatusOption(lead_id, "Quote").to_value()
    click(
        bolt,
        rig,
        ids.SET_STATUS,
        value,
        user=SALES_USER,
        ts=rig.card_of(lead_id).ts,
        action_type="static_select",
    )
    wait_until(
        lambda: (rig.sandbox.lead(lead_id) or {}).get("status") == "Quote", what="the status in Heatpunk"
    )
    rig.heatpunk().update(lead_id, rig.settings().leadbot_poll_email or "", {"customerPhone": "07700 900999"})
    assert rig.service().run_once().ok
    (note,) = wait_until(lambda: rig.replies(rig.card_of(lead_id)), what="the note")
    lines = note.blocks[0]["text"]["text"].splitlines()
    assert lines[0] == "*Jane Doe* changed:"
    assert f"• Status → Quote by <@{SALES_USER}> (was new)" in lines
    assert any(line.startswith("• Phone → 07700 900999 in Heatpunk") for line in lines)
    card = json.dumps(rig.card_of(lead_id).blocks)
    assert "New lead" in card
    assert "updated in Heatpunk" not in card


@pytest.mark.parametrize("forged", ["99999999", "1042-stale"])
def test_a_claim_on_a_lead_leadbot_never_alerted_is_refused_in_words(
    app: tuple[App, Rig], posted: tuple[Rig, str], forged: str
) -> None:
    bolt, rig = app
    card = rig.card_of(posted[1])
    click(bolt, rig, ids.CLAIM_LEAD, ClaimButton(forged).to_value(), user=SALES_USER, ts=card.ts)
    (told,) = rig.slack.wait_for_response(timeout=10)
    assert told.body["text"] == texts.CLAIM_UNKNOWN.format(lead_id=forged)
    assert rig.store().claim_for(forged) is None
    assert rig.store().audit_for(forged) == []
    assert not rig.card_of(posted[1]).edited
