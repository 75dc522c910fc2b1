"""`/leads` subcommands through leadbot: each answers in words, as the person who asked."""

from __future__ import annotations

import json

from leadbot import ids
from leadbot.blocks.values import OpenButton, PageButton, ShareButton, StatusOption
from tests.fakes.slack import SALES_EMAIL
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.conftest import ADMIN_USER, STANDARD_USER, World
from tests.scenarios.harness import blocks_text


def answer(world: World, slack: SlackSender, text: str, **kwargs) -> dict:
    """Sends a command; returns the ack body if it answered there, else the response_url post."""
    response = slack.command(text, **kwargs)
    assert response.status_code == 200
    if response.content:
        return response.json()
    [post] = world.fake.wait_for_response(slack.last.response_url, timeout=10)
    return post.body


def test_help_lists_every_subcommand_with_an_example(world: World, slack: SlackSender) -> None:
    for text in ("", "help"):
        body = answer(world, slack, text)
        assert body["response_type"] == "ephemeral"
        assert "/leads list 2w" in blocks_text(body)
        assert "/leads status 32123 Quote" in blocks_text(body)


def test_unknown_subcommand_shows_the_nearest_usage(world: World, slack: SlackSender) -> None:
    body = answer(world, slack, "lsit 7d")
    assert "Did you mean `/leads list`?" in blocks_text(body)


def test_wrong_arguments_show_that_usage(world: World, slack: SlackSender) -> None:
    assert "/leads show ID" in blocks_text(answer(world, slack, "show"))
    assert "can't read `someday`" in blocks_text(answer(world, slack, "list someday"))
    assert "isn't one of the statuses" in blocks_text(answer(world, slack, "status 1001 Bogus"))


def test_list_shows_recent_leads_newest_first_with_open_buttons(world: World, slack: SlackSender) -> None:
    body = answer(world, slack, "list 2w")
    rows = [block for block in body["blocks"] if block.get("block_id", "").startswith("lead_row|")]
    assert rows
    assert all(row["accessory"]["action_id"] == ids.OPEN_LEAD for row in rows)
    ids_shown = [int(OpenButton.from_value(row["accessory"]["value"]).lead_id) for row in rows]
    assert ids_shown == sorted(ids_shown, reverse=True)
    [request] = [r for r in world.sandbox.requests if r.path.endswith("/fetch")]
    assert request.body["userEmail"] == SALES_EMAIL


def test_long_lists_page_with_next_and_previous(world: World, slack: SlackSender) -> None:
    body = answer(world, slack, "list 60d")
    paging = next(block for block in body["blocks"] if block.get("block_id") == ids.PAGE_BLOCK)
    [next_button] = paging["elements"]
    assert next_button["action_id"] == ids.PAGE_NEXT
    slack.action(ids.PAGE_NEXT, next_button["value"])
    [page2] = world.fake.wait_for_response(slack.last.response_url, timeout=10)
    assert page2.body["replace_original"] is True
    assert "Page 2 of" in blocks_text(page2.body)
    assert PageButton.from_value(next_button["value"]).page == 2


def test_find_matches_phone_digits_and_postcode_without_spaces(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(
        customerName="Findable Person", customerPhone="07111111111", postcode="CB24 6YU"
    )
    for query in ("07111 111111", "+44 7111 111111", "cb246yu", "FINDABLE"):
        body = answer(world, slack, f"find {query}")
        assert json.dumps(OpenButton(lead_id).to_value()) in blocks_text(body)
    assert "No leads match" in blocks_text(answer(world, slack, "find zzzzqqqq"))


def test_show_gives_the_card_with_every_field_and_buttons(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(
        customerName="Card Person", customerPhone="07700 900123", favouriteColour="teal"
    )
    text = blocks_text(answer(world, slack, f"show {lead_id}"))
    assert "Card Person" in text
    assert "tel:+447700900123" in text
    assert "favouriteColour" in text
    for action_id in (ids.EDIT_LEAD, ids.SET_STATUS, ids.DELETE_LEAD, ids.SHARE_LEAD):
        assert action_id in text


def test_show_unknown_lead_says_not_found(world: World, slack: SlackSender) -> None:
    assert "Lead 424242 was not found" in blocks_text(answer(world, slack, "show 424242"))


def test_lead_text_is_escaped_everywhere(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(
        customerName="<!channel> Mallory", address="<http://evil.example|click> & co"
    )
    for text in (f"show {lead_id}", "list today", "find mallory"):
        body = blocks_text(answer(world, slack, text))
        assert "<!channel>" not in body
        assert "<http://evil.example|click>" not in body
        assert "&lt;!channel&gt; Mallory" in body


def test_status_sets_it_and_reports_before_and_after(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Status Person")
    assert f"Lead {lead_id} moved to Quote (was new)" in blocks_text(
        answer(world, slack, f"status {lead_id} quote")
    )
    assert world.sandbox.lead(lead_id)["status"] == "Quote"
    assert "already *Quote*" in blocks_text(answer(world, slack, f"status {lead_id} Quote"))


def test_status_refused_by_the_api_is_shown_as_it_came(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Refused Person")
    world.sandbox.fail_next(status=400, body={"message": "Leads can't jump to Install"}, endpoint="update")
    assert "Leads can't jump to Install" in blocks_text(answer(world, slack, f"status {lead_id} Install"))


def test_set_status_menu_on_a_card(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Menu Person")
    slack.action(ids.SET_STATUS, StatusOption(lead_id, "Sale").to_value(), action_type="static_select")
    world.fake.wait_for_response(slack.last.response_url, timeout=10)
    assert world.sandbox.lead(lead_id)["status"] == "Sale"


def test_whoami_names_the_email_and_where_it_came_from(world: World, slack: SlackSender) -> None:
    text = blocks_text(answer(world, slack, "whoami"))
    assert SALES_EMAIL in text
    assert "from your Slack profile" in text


def test_a_standard_member_only_sees_their_own_leads(world: World, slack: SlackSender) -> None:
    mine = world.sandbox.add_lead(customerName="Mine Only", assigned_to="standard@example.co.uk")
    other = world.sandbox.add_lead(customerName="Not Mine", assigned_to="sales@example.co.uk")
    assert "Mine Only" in blocks_text(answer(world, slack, f"show {mine}", user_id=STANDARD_USER))
    assert "was not found" in blocks_text(answer(world, slack, f"show {other}", user_id=STANDARD_USER))
    fetches = [r for r in world.sandbox.requests if r.path.endswith("/fetch")]
    assert {r.body["userEmail"] for r in fetches} == {"standard@example.co.uk"}


def test_open_button_shows_the_card(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Opened Person")
    slack.action(ids.OPEN_LEAD, OpenButton(lead_id).to_value())
    [post] = world.fake.wait_for_response(slack.last.response_url, timeout=10)
    assert "Opened Person" in blocks_text(post.body)


def test_share_posts_the_card_to_the_channel(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Shared Person")
    slack.action(ids.SHARE_LEAD, ShareButton(lead_id).to_value(), channel_id="C0SALES")
    [post] = world.fake.wait_for("chat.postMessage", timeout=10)
    assert post.params["channel"] == "C0SALES"
    assert "Shared Person" in blocks_text(post.params)
    assert "Shared by <@U0SALES1>" in blocks_text(post.params)


def test_admin_maps_and_unmaps_a_members_email(world: World, slack: SlackSender) -> None:
    body = answer(world, slack, "admin map <@U0STAND1|standard> sales@example.co.uk", user_id=ADMIN_USER)
    assert "now acts as sales@example.co.uk" in blocks_text(body)
    text = blocks_text(answer(world, slack, "whoami", user_id=STANDARD_USER))
    assert "sales@example.co.uk" in text
    assert "set by a leadbot admin" in text
    answer(world, slack, "admin unmap <@U0STAND1>", user_id=ADMIN_USER)
    assert "standard@example.co.uk" in blocks_text(answer(world, slack, "whoami", user_id=STANDARD_USER))


def test_members_cannot_map_emails(world: World, slack: SlackSender) -> None:
    assert "Only leadbot admins" in blocks_text(
        answer(world, slack, "admin map <@U0SALES1> boss@example.co.uk")
    )
    assert "can't set your own email" in blocks_text(
        answer(world, slack, "admin map <@U0ADMIN1> x@example.co.uk", user_id=ADMIN_USER)
    )
