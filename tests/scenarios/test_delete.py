"""Delete is safe: the command only shows the lead with a confirmed danger button; only that button deletes."""

from __future__ import annotations

from leadbot import ids
from leadbot.blocks.values import DeleteButton
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.conftest import World
from tests.scenarios.harness import blocks_text


def test_delete_command_shows_the_lead_and_deletes_nothing(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Doomed Person")
    slack.command(f"delete {lead_id}")
    [post] = world.fake.wait_for_response(slack.last.response_url, timeout=10)
    [button] = [
        element
        for block in post.body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert button["action_id"] == ids.DELETE_LEAD
    assert button["style"] == "danger"
    assert "can't be undone" in button["confirm"]["text"]["text"]
    assert "Doomed Person" in blocks_text(post.body)
    assert world.sandbox.lead(lead_id) is not None


def test_the_confirmed_button_deletes_and_replaces_the_prompt(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Gone Person")
    slack.action(ids.DELETE_LEAD, DeleteButton(lead_id).to_value())
    [post] = world.fake.wait_for_response(slack.last.response_url, timeout=10)
    assert post.body["replace_original"] is True
    assert f"Lead {lead_id} (Gone Person) was deleted by <@U0SALES1>" in blocks_text(post.body)
    assert world.sandbox.lead(lead_id) is None
    [delete] = [r for r in world.sandbox.requests if r.method == "DELETE"]
    assert delete.body == {"leadID": lead_id, "userEmail": "sales@example.co.uk"}


def test_deleting_a_lead_already_gone_says_not_found(world: World, slack: SlackSender) -> None:
    slack.action(ids.DELETE_LEAD, DeleteButton("31337").to_value())
    [post] = world.fake.wait_for_response(slack.last.response_url, timeout=10)
    assert "Lead 31337 was not found" in blocks_text(post.body)


def test_every_change_is_in_the_audit_log(world: World, slack: SlackSender) -> None:
    from leadbot.store import Store

    lead_id = world.sandbox.add_lead(customerName="Audited Person", status="new")
    slack.command(f"status {lead_id} Quote")
    world.fake.wait_for_response(slack.last.response_url, timeout=10)
    slack.action(ids.DELETE_LEAD, DeleteButton(lead_id).to_value())
    world.fake.wait_for_response(slack.last.response_url, timeout=10)
    store = Store.open(world.leadbot.settings.database_url)
    try:
        deleted, status = store.audit_for(lead_id)
    finally:
        store.close()
    assert (status.action, status.before, status.after) == ("status", {"status": "new"}, {"status": "Quote"})
    assert (deleted.action, deleted.slack_user, deleted.email) == (
        "delete",
        "U0SALES1",
        "sales@example.co.uk",
    )
    assert deleted.before is not None
    assert deleted.before["customerName"] == "Audited Person"
    assert deleted.after is None
