"""A lead card's controls in this process: each reads its typed value, acts as the clicker and answers;
a value leadbot can't read is answered in words and does nothing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from leadbot import ids, texts
from leadbot.blocks.values import DeleteButton, EditButton, PageButton, RetryButton, ShareButton, StatusOption
from leadbot.leads.grammar import Command, ListLeads, MapEmail, SetStatus
from tests.fakes.slack import ALERTS_CHANNEL, SALES_EMAIL
from tests.listeners.conftest import ADMIN_USER, DELETER_USER, Bot


def card_of(bot: Bot, lead_id: str) -> dict[str, Any]:
    return bot.command(f"show {lead_id}").answer()


def control(card: dict[str, Any], action_id: str) -> dict[str, Any]:
    [element] = [
        element
        for block in card["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    ]
    return element


def test_the_cards_controls_carry_typed_values(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Typed Person", status="new")
    card = card_of(bot, lead_id)
    assert EditButton.from_value(control(card, ids.EDIT_LEAD)["value"]) == EditButton(lead_id)
    assert ShareButton.from_value(control(card, ids.SHARE_LEAD)["value"]) == ShareButton(lead_id)
    status = control(card, ids.SET_STATUS)
    assert StatusOption.from_value(status["initial_option"]["value"]) == StatusOption(lead_id, "new")
    assert all(StatusOption.from_value(o["value"]).lead_id == lead_id for o in status["options"])
    deleter_card = bot.command(f"show {lead_id}", user=DELETER_USER).answer()
    assert DeleteButton.from_value(control(deleter_card, ids.DELETE_LEAD)["value"]) == DeleteButton(lead_id)


def test_the_status_menu_sets_the_chosen_status(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Menu Person", status="new")
    value = StatusOption(lead_id, "Sale").to_value()
    answer = bot.click(ids.SET_STATUS, value, action_type="static_select").answer()
    assert "Lead " + lead_id + " moved to Sale (was new)" in answer["text"]
    assert bot.sandbox.lead(lead_id)["status"] == "Sale"  # type: ignore[index]
    [entry] = bot.deps.store.audit_for(lead_id)
    assert (entry.action, entry.email, entry.after) == ("status", SALES_EMAIL, {"status": "Sale"})


def test_edit_opens_the_form_filled_with_the_lead(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Edit Person", postcode="SW1A 1AA")
    bot.click(ids.EDIT_LEAD, EditButton(lead_id).to_value())
    [opened] = bot.slack.wait_for("views.open", timeout=10)
    view_id = opened.response["view"]["id"]
    [filled] = bot.slack.wait_for(
        lambda call: call.method == "views.update" and call.params.get("view_id") == view_id, timeout=10
    )
    view = filled.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == ids.EDIT_VIEW
    assert "Edit Person" in json.dumps(view)


def test_edit_after_show_fills_the_form_from_the_fetch_show_just_made(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Shown Then Edited")
    card_of(bot, lead_id)
    bot.sandbox.clear_requests()
    bot.click(ids.EDIT_LEAD, EditButton(lead_id).to_value())
    [opened] = bot.slack.wait_for("views.open", timeout=10)
    view_id = opened.response["view"]["id"]
    [filled] = bot.slack.wait_for(
        lambda call: call.method == "views.update" and call.params.get("view_id") == view_id, timeout=10
    )
    assert "Shown Then Edited" in json.dumps(filled.params["view"])
    assert [r for r in bot.sandbox.requests if r.path.endswith("/leads/fetch")] == []


def test_delete_deletes_for_a_deleter_and_replaces_the_prompt(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Gone Person")
    answer = bot.click(ids.DELETE_LEAD, DeleteButton(lead_id).to_value(), user=DELETER_USER).answer()
    assert answer["replace_original"] is True
    assert f"Lead {lead_id} (Gone Person) was deleted by <@{DELETER_USER}>" in answer["text"]
    assert bot.sandbox.lead(lead_id) is None


def test_delete_is_refused_to_others_in_words(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Kept Person")
    assert (
        bot.click(ids.DELETE_LEAD, DeleteButton(lead_id).to_value()).answer()["text"] == texts.NOT_A_DELETER
    )
    assert bot.sandbox.lead(lead_id) is not None


def test_share_posts_the_card_in_the_channel(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Shared Person")
    answer = bot.click(ids.SHARE_LEAD, ShareButton(lead_id).to_value()).answer()
    assert answer["text"] == texts.SHARED.format(lead_id=lead_id)
    [post] = bot.slack.wait_for("chat.postMessage", timeout=10)
    assert post.params["channel"] == ALERTS_CHANNEL
    assert "Shared Person" in json.dumps(post.params)


def test_buttons_on_cards_posted_before_values_were_typed_still_work(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Old Card Person")
    assert "Old Card Person" in json.dumps(bot.click(ids.OPEN_LEAD, lead_id).answer())
    bot.click(ids.SET_STATUS, f"{lead_id}|Quote", action_type="static_select").answer()
    assert bot.sandbox.lead(lead_id)["status"] == "Quote"  # type: ignore[index]


@pytest.mark.parametrize(
    ("action_id", "action_type"),
    [
        (ids.OPEN_LEAD, "button"),
        (ids.EDIT_LEAD, "button"),
        (ids.SET_STATUS, "static_select"),
        (ids.DELETE_LEAD, "button"),
        (ids.SHARE_LEAD, "button"),
        (ids.CLAIM_LEAD, "button"),
        (ids.ALERT_MENU, "overflow"),
    ],
)
def test_a_value_leadbot_cannot_read_is_answered_in_words(bot: Bot, action_id: str, action_type: str) -> None:
    for value in ("show 1001", '{"l": "<!channel>"}', "{"):
        answer = bot.click(action_id, value, user=DELETER_USER, action_type=action_type).answer()
        assert answer["text"] == texts.OLD_BUTTON
        bot.slack.clear()
    assert bot.sandbox.requests == []
    assert bot.slack.calls_to("views.open") == []


def test_a_status_the_menu_never_offered_is_refused_as_typed(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Menu Person", status="new")
    for status in ("Bogus", "Sale\nQuote", "x" * 300):
        answer = bot.click(
            ids.SET_STATUS, StatusOption(lead_id, status).to_value(), action_type="static_select"
        )
        assert "isn't one of the statuses leadbot knows" in answer.answer()["text"]
        bot.slack.clear()
    assert [r for r in bot.sandbox.requests if r.path.endswith("/update")] == []
    assert bot.sandbox.lead(lead_id)["status"] == "new"  # type: ignore[index]


@pytest.mark.parametrize(
    "command",
    [
        ListLeads(date(1, 1, 1)),  # a page from the year 1: typed, `list 0001-01-01` is refused
        ListLeads(date(9999, 12, 31)),
        MapEmail("not a user", "sam@example.co.uk"),
        MapEmail("U0SALES1", "a" * 400 + "@example.co.uk"),
        SetStatus("1001", "Bogus"),
    ],
)
def test_a_command_a_button_carries_is_checked_as_if_typed(bot: Bot, command: Command) -> None:
    if isinstance(command, ListLeads):
        value, action_id = PageButton(command, 2).to_value(), ids.PAGE_NEXT
    else:
        value, action_id = RetryButton(command).to_value(), ids.RETRY
    answer = bot.click(action_id, value, user=ADMIN_USER).answer()
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] != texts.SOMETHING_BROKE
    assert bot.sandbox.requests == []
    if isinstance(command, MapEmail):
        assert bot.deps.store.get_email_override(command.user_id) is None


def test_show_is_a_call_sheet_and_names_who_added_a_lead_in_slack(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(
        customerName="Sheet Person",
        customerPhone="+44 7700 900123",
        address="3 Mill Lane, Histon, Cambridge, Cambridgeshire",
        postcode="CB24 6YU",
        origin="api",
        projectType="heat pump",
        propertyType="detached",
        notes="Call after 5pm",
        roofPitch=None,
    )
    bot.deps.store.record_audit(
        slack_user="U0ADDER1", email="", action="create", lead_id=lead_id, before=None, after={}
    )
    card = bot.command(f"show {lead_id}").answer()
    header, call, notes = card["blocks"][:3]
    assert header["text"]["text"] == "Sheet Person"
    assert call["text"]["text"].startswith(
        ":telephone_receiver: <tel:+447700900123|07700 900123> · :round_pushpin: CB24 6YU Cambridge · *Heat pump* · <!date^"
    )
    assert notes["text"]["text"] == "> Call after 5pm"
    shown = json.dumps(card)
    assert "Source: Added in Slack by <@U0ADDER1>" in shown
    assert "*Property:* Detached" in shown
    assert "roofPitch" not in shown
    assert "projectType" not in shown
    assert card["text"] == f"Lead {lead_id}: Sheet Person"


def test_a_near_miss_status_is_answered_with_did_you_mean(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Near Miss", status="new")
    answer = bot.command(f"status {lead_id} Quoted").ack_body()  # refused in the ack
    assert "Did you mean `Quote`?" in json.dumps(answer)
    assert bot.sandbox.lead(lead_id)["status"] == "new"  # type: ignore[index]
