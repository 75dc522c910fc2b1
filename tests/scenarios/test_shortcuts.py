"""The shortcuts: "Create lead from message" opens the create form filled from the message, and the lead it
creates is linked under that message (or in a DM when leadbot may not post there); "New lead" opens it empty."""

from __future__ import annotations

import json
from typing import Any

from leadbot import ids, texts
from leadbot.blocks.values import OpenButton
from tests.fakes.slack import ALERTS_CHANNEL, SALES_USER
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.conftest import HIDDEN_USER, World
from tests.scenarios.harness import blocks_text
from tests.scenarios.test_modals import input_values, latest_view, submit

SOURCE_TS = "1764500000.000200"
PRIVATE_CHANNEL = "G0PRIVAT"  # a private channel leadbot is not in: channel_not_found when it posts there
WEB_FORM = (
    "---------- Forwarded message ---------\n"
    "From: Heatpunk Website &lt;<mailto:noreply@heatpunk.co.uk|noreply@heatpunk.co.uk>&gt;\n"
    "Subject: New enquiry\n\n"
    "*Name:* Jane Doe\n"
    "*Phone:* <tel:07700900123|07700 900123>\n"
    "*Email:* <mailto:jane.doe@example.com|jane.doe@example.com>\n"
    "*Address:* 8 The Rowans, Milton\n"
    "*Town:* Cambridge\n"
    "*Postcode:* cb24 6yu\n"
    "*Message:* Quote for an air source heat pump please :pray:"
)


def use_on(
    world: World, slack: SlackSender, text: str, *, user_id: str = SALES_USER, **kwargs: Any
) -> dict[str, Any]:
    """Uses Create lead from message on a message with `text`; returns the form it opened."""
    message = {"ts": SOURCE_TS, "text": text, **kwargs.pop("message", {})}
    response = slack.message_shortcut(ids.LEAD_FROM_MESSAGE, message, user_id=user_id, **kwargs)
    assert response.status_code == 200
    [opened] = world.fake.wait_for("views.open", timeout=10)
    assert opened.response["ok"], opened.response
    return dict(opened.response["view"])


def create_as_shown(world: World, slack: SlackSender, form: dict[str, Any]) -> str:
    """Submits the form with what it was filled with; returns the new lead's ID."""
    values = {block: value for block, value in input_values(form).items() if value}
    response = submit(slack, ids.CREATE_VIEW, form, **values)
    assert response.json()["response_action"] == "update"
    done = latest_view(world, form["id"], lambda v: "created" in blocks_text(v))
    new_id = str(max(int(lead["ID"]) for lead in world.sandbox.leads))
    assert f"Lead {new_id} created" in blocks_text(done)
    return new_id


def posts_to(world: World, channel: str) -> list[Any]:
    return [call for call in world.fake.calls_to("chat.postMessage") if call.params.get("channel") == channel]


def test_the_form_opens_filled_from_a_pasted_web_form_email(world: World, slack: SlackSender) -> None:
    form = use_on(world, slack, WEB_FORM)
    assert form["callback_id"] == ids.CREATE_VIEW
    assert input_values(form) == {
        ids.NAME_INPUT: "Jane Doe",
        ids.EMAIL_INPUT: "jane.doe@example.com",
        ids.PHONE_INPUT: "07700 900123",
        ids.ADDRESS_INPUT: "8 The Rowans, Milton, Cambridge",
        ids.POSTCODE_INPUT: "CB24 6YU",
        ids.LAT_INPUT: None,
        ids.LNG_INPUT: None,
    }
    [note] = [block for block in form["blocks"] if block.get("block_id") == ids.FORM_CONTEXT_BLOCK]
    assert "Read name, email, phone, address and postcode from the message" in blocks_text(note)
    assert json.loads(form["private_metadata"])["s"] == [ALERTS_CHANNEL, SOURCE_TS]
    world.leadbot.settle()
    assert not [r for r in world.sandbox.requests if r.path.endswith("/create")]


def test_the_note_says_what_was_not_found(world: World, slack: SlackSender) -> None:
    form = use_on(world, slack, "Mrs Jane Doe 07911 123456 wants a heat pump, CB24 6YU")
    values = input_values(form)
    assert (values[ids.NAME_INPUT], values[ids.PHONE_INPUT], values[ids.POSTCODE_INPUT]) == (
        "Mrs Jane Doe",
        "07911 123456",
        "CB24 6YU",
    )
    assert values[ids.EMAIL_INPUT] is None
    assert "no email or address found" in blocks_text(form)


def test_a_message_without_text_opens_the_form_empty_and_says_why(world: World, slack: SlackSender) -> None:
    form = use_on(world, slack, "", message={"files": [{"id": "F0PHOTO1"}]})
    assert set(input_values(form).values()) == {None}
    assert texts.FROM_MESSAGE_EMPTY.split(" (")[0] in blocks_text(form)


def test_creating_it_replies_in_the_messages_thread_with_the_lead(world: World, slack: SlackSender) -> None:
    form = use_on(world, slack, WEB_FORM)
    lead_id = create_as_shown(world, slack, form)
    [create] = [r for r in world.sandbox.requests if r.path.endswith("/create")]
    assert create.body["customerName"] == "Jane Doe"
    assert create.body["postcode"] == "CB24 6YU"
    [reply] = world.fake.wait_for(lambda c: c.method == "chat.postMessage", timeout=10)
    assert reply.params["channel"] == ALERTS_CHANNEL
    assert reply.params["thread_ts"] == SOURCE_TS
    assert reply.response["ok"]
    shown = blocks_text(reply.params)
    assert f"<@{SALES_USER}> created lead {lead_id}" in shown
    assert f"/leads show {lead_id}" in shown
    assert json.dumps(OpenButton(lead_id).to_value()) in shown
    assert not posts_to(world, SALES_USER)


def test_a_message_in_a_thread_gets_its_reply_in_that_thread(world: World, slack: SlackSender) -> None:
    parent = "1764400000.000100"
    form = use_on(world, slack, "Mr Bob Green 07700 900111", message={"thread_ts": parent})
    create_as_shown(world, slack, form)
    [reply] = world.fake.wait_for(lambda c: c.method == "chat.postMessage", timeout=10)
    assert reply.params["thread_ts"] == parent


def test_where_leadbot_cannot_post_the_creator_gets_a_dm(world: World, slack: SlackSender) -> None:
    world.fake.add_channel(PRIVATE_CHANNEL, "secret-deals", is_member=False, is_private=True)
    form = use_on(world, slack, "Ms Lin Wu, lin@wu.example, SW1A 1AA", channel_id=PRIVATE_CHANNEL)
    lead_id = create_as_shown(world, slack, form)
    [_, dm] = world.fake.wait_for(lambda c: c.method == "chat.postMessage", count=2, timeout=10)
    [refused] = posts_to(world, PRIVATE_CHANNEL)
    assert refused.response["error"] == "channel_not_found"
    assert dm.params["channel"] == SALES_USER
    assert dm.response["ok"]
    assert f"You created lead {lead_id}" in blocks_text(dm.params)
    assert f"<#{PRIVATE_CHANNEL}>" in blocks_text(dm.params)


def test_someone_leadbot_cant_act_for_is_told_in_the_form(world: World, slack: SlackSender) -> None:
    form = use_on(world, slack, WEB_FORM, user_id=HIDDEN_USER)
    told = latest_view(world, form["id"], lambda v: "can't see your email" in blocks_text(v))
    assert "/leads admin map" in blocks_text(told)
    assert world.sandbox.requests == []


def test_a_heatpunk_refusal_comes_back_in_the_form_and_nothing_is_posted(
    world: World, slack: SlackSender
) -> None:
    form = use_on(world, slack, "Mr Far Away, far.away@example.com, 07700 900404, 3 Mill Lane, Wick KW1 4AA")
    world.sandbox.fail_next(
        status=422, body={"message": "Postcode outside our service area"}, endpoint="create"
    )
    values = {block: value for block, value in input_values(form).items() if value}
    submit(slack, ids.CREATE_VIEW, form, **values)
    again = latest_view(world, form["id"], lambda v: "Postcode outside our service area" in blocks_text(v))
    assert input_values(again)[ids.NAME_INPUT] == "Mr Far Away"
    assert input_values(again)[ids.ADDRESS_INPUT] == "3 Mill Lane, Wick"
    assert json.loads(again["private_metadata"])["s"] == [ALERTS_CHANNEL, SOURCE_TS]  # a retry still links
    world.leadbot.settle()
    assert world.fake.calls_to("chat.postMessage") == []


def test_new_lead_from_the_lightning_menu_opens_the_empty_form(world: World, slack: SlackSender) -> None:
    assert slack.global_shortcut(ids.NEW_LEAD_SHORTCUT).status_code == 200
    [opened] = world.fake.wait_for("views.open", timeout=10)
    form = opened.response["view"]
    assert form["callback_id"] == ids.CREATE_VIEW
    assert set(input_values(form).values()) == {None}
    assert not [block for block in form["blocks"] if block.get("block_id") == ids.FORM_CONTEXT_BLOCK]
    submit(slack, ids.CREATE_VIEW, form, customer_name="Walk In", customer_phone="07700 900999")
    latest_view(world, form["id"], lambda v: "created" in blocks_text(v))
    world.leadbot.settle()
    assert world.fake.calls_to("chat.postMessage") == []  # no message to link it under
