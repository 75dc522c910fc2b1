"""LEADBOT_DELETERS limits who may delete; LEADBOT_ALLOWED_* limit who may use /leads at all."""

from __future__ import annotations

from leadbot import ids, texts
from leadbot.blocks.values import DeleteButton
from tests.fakes.slack import SALES_USER
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.conftest import ADMIN_USER, OUTSIDER_USER, STANDARD_USER, World
from tests.scenarios.harness import blocks_text

LEADBOT_SETTINGS = {
    "LEADBOT_DELETERS": ADMIN_USER,
    "LEADBOT_ALLOWED_USERS": f"{SALES_USER},{STANDARD_USER}",
    "LEADBOT_ALLOWED_CHANNELS": "C0ALERTS",
}


def test_a_member_not_on_the_deleters_list_cannot_delete(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Protected Person")
    assert texts.NOT_A_DELETER in blocks_text(slack.command(f"delete {lead_id}").json())
    slack.action(ids.DELETE_LEAD, DeleteButton(lead_id).to_value())
    [post] = world.fake.wait_for_response(slack.last.response_url, timeout=10)
    assert texts.NOT_A_DELETER in blocks_text(post.body)
    assert world.sandbox.lead(lead_id) is not None


def test_a_deleter_can_delete(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Deletable Person")
    slack.action(ids.DELETE_LEAD, DeleteButton(lead_id).to_value(), user_id=ADMIN_USER)
    world.fake.wait_for_response(lambda r: "was deleted" in blocks_text(r.body), timeout=10)
    assert world.sandbox.lead(lead_id) is None


def test_people_not_allowed_are_told_and_nothing_runs(world: World, slack: SlackSender) -> None:
    response = slack.command("list", user_id=OUTSIDER_USER)
    assert "not on leadbot's list of users" in blocks_text(response.json())
    lead_id = world.sandbox.add_lead(customerName="Untouchable")
    slack.action(ids.DELETE_LEAD, DeleteButton(lead_id).to_value(), user_id=OUTSIDER_USER)
    world.fake.wait_for_response(slack.last.response_url, timeout=10)
    assert world.sandbox.requests == []


def test_commands_only_in_allowed_channels(world: World, slack: SlackSender) -> None:
    response = slack.command("list", channel_id="C0SALES")
    assert "isn't used in this channel" in blocks_text(response.json())
    assert "<#C0ALERTS>" in blocks_text(response.json())
    assert slack.command("whoami", channel_id="D0DIRECT1").content == b""


def test_admins_are_always_allowed(world: World, slack: SlackSender) -> None:
    assert slack.command("whoami", user_id=ADMIN_USER, channel_id="C0SALES").content == b""
