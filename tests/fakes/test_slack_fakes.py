"""The fake Slack Web API, specified through the real slack_sdk WebClient."""

from __future__ import annotations

import threading
import time
import urllib.error
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from slack_sdk import WebClient, WebhookClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler  # not re-exported by http_retry

from tests.fakes.slack import ALERTS_CHANNEL, APP_TOKEN, BOT_TOKEN, SALES_EMAIL, SALES_USER, FakeSlack
from tests.fakes.slack_workspace import BOT_USER_ID, DEFAULT_SCOPES, TEAM_ID

SECTION = {"type": "section", "block_id": "s", "text": {"type": "mrkdwn", "text": "hello"}}
MODAL = {
    "type": "modal",
    "callback_id": "lead",
    "title": {"type": "plain_text", "text": "Lead"},
    "blocks": [SECTION],
}


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)


def slack_error(call: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """Run a WebClient call that must fail and return Slack's error code."""
    with pytest.raises(SlackApiError) as info:
        call(*args, **kwargs)
    return str(info.value.response["error"])


# ---- tokens and scopes


def test_auth_test_names_the_bot_and_reports_granted_scopes(client: WebClient) -> None:
    response = client.auth_test()
    assert (response["team_id"], response["user_id"]) == (TEAM_ID, BOT_USER_ID)
    assert response.headers["x-oauth-scopes"].split(",") == list(DEFAULT_SCOPES)


def test_tokens_are_checked(fake_slack: FakeSlack, client: WebClient) -> None:
    assert slack_error(WebClient(token="xoxb-wrong", base_url=fake_slack.api_url).auth_test) == "invalid_auth"
    assert slack_error(WebClient(base_url=fake_slack.api_url).auth_test) == "not_authed"
    assert (
        slack_error(WebClient(token=APP_TOKEN, base_url=fake_slack.api_url).auth_test)
        == "not_allowed_token_type"
    )
    fake_slack.revoke_token()
    assert slack_error(client.auth_test) == "token_revoked"


def test_unknown_methods_are_refused(client: WebClient) -> None:
    assert slack_error(client.api_call, "leads.magic") == "unknown_method"


def test_apps_connections_open_needs_the_app_token(fake_slack: FakeSlack, client: WebClient) -> None:
    assert slack_error(client.apps_connections_open, app_token="xapp-wrong") == "invalid_auth"
    assert slack_error(client.apps_connections_open, app_token=APP_TOKEN) == "fake_socket_mode_not_attached"


# ---- users.info


def test_users_info_returns_the_profile_email_by_post_or_get(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    assert (
        client.users_info(user=SALES_USER)["user"]["profile"]["email"] == SALES_EMAIL
    )  # the sync client POSTs
    auth = {"Authorization": f"Bearer {BOT_TOKEN}"}
    by_get = httpx.get(
        f"{fake_slack.api_url}users.info", params={"user": SALES_USER}, headers=auth, trust_env=False
    )
    assert by_get.json()["user"]["profile"]["email"] == SALES_EMAIL
    assert [c.http_method for c in fake_slack.calls_to("users.info")] == ["POST", "GET"]


def test_users_info_without_email(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.add_user("U0HIDDEN")
    fake_slack.add_user("U0BOT", "bot@example.com", is_bot=True)
    assert "email" not in client.users_info(user="U0HIDDEN")["user"]["profile"]
    assert client.users_info(user="U0BOT")["user"]["is_bot"] is True
    assert slack_error(client.users_info, user="U0NOBODY") == "user_not_found"
    fake_slack.revoke_scope("users:read.email")
    assert "email" not in client.users_info(user=SALES_USER)["user"]["profile"]
    fake_slack.revoke_scope("users:read")
    assert slack_error(client.users_info, user=SALES_USER) == "missing_scope"


# ---- chat.*


def test_post_message_stores_the_message_and_returns_increasing_ts(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    metadata = {"event_type": "lead_alert", "event_payload": {"lead_id": 7}}
    first = client.chat_postMessage(
        channel=ALERTS_CHANNEL, text="Lead 7", blocks=[SECTION], metadata=metadata
    )
    second = client.chat_postMessage(channel=ALERTS_CHANNEL, text="reply", thread_ts=first["ts"])
    assert float(second["ts"]) > float(first["ts"])
    assert len(first["ts"].split(".")[1]) == 6
    stored = fake_slack.message(ALERTS_CHANNEL, first["ts"])
    assert stored is not None
    assert (stored.text, stored.blocks, stored.metadata, stored.reply_count) == (
        "Lead 7",
        [SECTION],
        metadata,
        1,
    )
    assert fake_slack.calls_to("chat.postMessage")[0].params["blocks"] == [SECTION]
    assert fake_slack.messages(ALERTS_CHANNEL)[1].thread_ts == first["ts"]


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_message_checks_the_channel(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.add_channel("C0PUBLIC", "general", is_member=False)
    fake_slack.add_channel("C0SECRET", "secret", is_member=False, is_private=True)
    assert slack_error(client.chat_postMessage, channel="C0NONE", text="x") == "channel_not_found"
    assert slack_error(client.chat_postMessage, channel="C0SECRET", text="x") == "channel_not_found"
    assert client.chat_postMessage(channel="C0PUBLIC", text="x")["ok"]  # chat:write.public is granted
    fake_slack.revoke_scope("chat:write.public")
    assert slack_error(client.chat_postMessage, channel="C0PUBLIC", text="x") == "not_in_channel"
    assert slack_error(client.chat_postMessage, channel=ALERTS_CHANNEL) == "no_text"


def test_update_delete_permalink_and_ephemeral(fake_slack: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel=ALERTS_CHANNEL, text="v1")["ts"]
    client.chat_update(channel=ALERTS_CHANNEL, ts=ts, text="v2", blocks=[SECTION])
    assert fake_slack.messages(ALERTS_CHANNEL)[0].text == "v2"
    link = client.chat_getPermalink(channel=ALERTS_CHANNEL, message_ts=ts)["permalink"]
    assert link.endswith(ts.replace(".", ""))
    client.chat_delete(channel=ALERTS_CHANNEL, ts=ts)
    assert fake_slack.messages(ALERTS_CHANNEL) == []
    assert slack_error(client.chat_update, channel=ALERTS_CHANNEL, ts=ts, text="v3") == "message_not_found"
    client.chat_postEphemeral(channel=ALERTS_CHANNEL, user=SALES_USER, text="only you")
    assert [(e.user, e.text) for e in fake_slack.ephemerals] == [(SALES_USER, "only you")]


# ---- conversations.*


def test_history_pages_newest_first_with_metadata_on_request(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.grant("channels:history")
    metadata = {"event_type": "lead_alert", "event_payload": {"lead_id": 1}}
    sent = [
        client.chat_postMessage(channel=ALERTS_CHANNEL, text=f"m{i}", metadata=metadata)["ts"]
        for i in range(5)
    ]
    page = client.conversations_history(channel=ALERTS_CHANNEL, limit=2, include_all_metadata=True)
    assert [m["ts"] for m in page["messages"]] == [sent[4], sent[3]]
    assert page["has_more"]
    assert page["messages"][0]["metadata"] == metadata
    rest = client.conversations_history(
        channel=ALERTS_CHANNEL, cursor=page["response_metadata"]["next_cursor"]
    )
    assert [m["ts"] for m in rest["messages"]] == [sent[2], sent[1], sent[0]]
    assert "metadata" not in rest["messages"][0]
    newer = client.conversations_history(channel=ALERTS_CHANNEL, oldest=sent[2])
    assert [m["ts"] for m in newer["messages"]] == [sent[4], sent[3]]


def test_replies_page_a_thread_oldest_first_parent_included(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.grant("channels:history")
    parent = client.chat_postMessage(channel=ALERTS_CHANNEL, text="card")["ts"]
    metadata = {"event_type": "lead_alert_note", "event_payload": {"alert": "note-1"}}
    replies = [
        client.chat_postMessage(channel=ALERTS_CHANNEL, text=f"r{i}", thread_ts=parent, metadata=metadata)[
            "ts"
        ]
        for i in range(3)
    ]
    client.chat_postMessage(channel=ALERTS_CHANNEL, text="another card")
    page = client.conversations_replies(channel=ALERTS_CHANNEL, ts=parent, limit=2, include_all_metadata=True)
    assert [m["ts"] for m in page["messages"]] == [parent, replies[0]]
    assert page["has_more"]
    assert page["messages"][1]["metadata"] == metadata
    rest = client.conversations_replies(
        channel=ALERTS_CHANNEL, ts=parent, cursor=page["response_metadata"]["next_cursor"]
    )
    assert [m["ts"] for m in rest["messages"]] == replies[1:]
    assert not rest["has_more"]
    newer = client.conversations_replies(channel=ALERTS_CHANNEL, ts=parent, oldest=replies[0])
    assert [m["ts"] for m in newer["messages"]] == replies[1:]


def test_replies_of_an_unknown_thread_or_without_the_scope_are_refused(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.grant("channels:history")
    assert (
        slack_error(client.conversations_replies, channel=ALERTS_CHANNEL, ts="1.000001") == "thread_not_found"
    )
    parent = client.chat_postMessage(channel=ALERTS_CHANNEL, text="card")["ts"]
    fake_slack.revoke_scope("channels:history")
    assert slack_error(client.conversations_replies, channel=ALERTS_CHANNEL, ts=parent) == "missing_scope"


def test_history_info_and_join_need_their_scopes(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.revoke_scope("channels:history")
    assert slack_error(client.conversations_history, channel=ALERTS_CHANNEL) == "missing_scope"
    assert slack_error(client.conversations_info, channel=ALERTS_CHANNEL) == "missing_scope"
    fake_slack.grant("channels:read", "channels:join")
    fake_slack.add_channel("C0PUBLIC", "general", is_member=False)
    assert client.conversations_info(channel="C0PUBLIC")["channel"]["is_member"] is False
    client.conversations_join(channel="C0PUBLIC")
    assert fake_slack.channels["C0PUBLIC"].is_member


# ---- views.*


def test_trigger_ids_are_single_use_and_expire(fake_slack: FakeSlack, client: WebClient) -> None:
    trigger_id = fake_slack.new_trigger_id()
    view = client.views_open(trigger_id=trigger_id, view=MODAL)["view"]
    assert view["id"] == "V000001"
    assert view["hash"]
    assert slack_error(client.views_open, trigger_id=trigger_id, view=MODAL) == "exchanged_trigger_id"
    assert slack_error(client.views_open, trigger_id="123.456.made-up", view=MODAL) == "invalid_trigger_id"
    now = [1000.0]
    fake_slack.clock = lambda: now[0]
    late = fake_slack.new_trigger_id()
    now[0] += fake_slack.trigger_ttl + 0.001
    assert slack_error(client.views_open, trigger_id=late, view=MODAL) == "expired_trigger_id"


def test_views_update_by_id_or_external_id_with_hash_check(fake_slack: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(
        trigger_id=fake_slack.new_trigger_id(), view={**MODAL, "external_id": "lead-7"}
    )["view"]
    loaded = {**MODAL, "blocks": [{**SECTION, "text": {"type": "mrkdwn", "text": "Lead 7"}}]}
    client.views_update(view_id=opened["id"], view=loaded, hash=opened["hash"])
    assert fake_slack.views[opened["id"]]["blocks"][0]["text"]["text"] == "Lead 7"
    assert (
        slack_error(client.views_update, view_id=opened["id"], view=MODAL, hash=opened["hash"])
        == "hash_conflict"
    )
    client.views_update(external_id="lead-7", view=MODAL)
    assert slack_error(client.views_update, view_id="V999999", view=MODAL) == "not_found"


def test_views_push_stacks_at_most_three_and_publish_sets_home(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    client.views_open(trigger_id=fake_slack.new_trigger_id(), view=MODAL)
    client.views_push(trigger_id=fake_slack.new_trigger_id(), view=MODAL)
    client.views_push(trigger_id=fake_slack.new_trigger_id(), view=MODAL)
    assert (
        slack_error(client.views_push, trigger_id=fake_slack.new_trigger_id(), view=MODAL)
        == "push_limit_reached"
    )
    client.views_publish(user_id=SALES_USER, view={"type": "home", "blocks": [SECTION]})
    assert fake_slack.home_views[SALES_USER]["blocks"] == [SECTION]


# ---- Block Kit limits

BUTTON = {"type": "button", "action_id": "open", "text": {"type": "plain_text", "text": "Open"}}
TOO_BIG_MESSAGES: dict[str, list[dict[str, Any]]] = {
    "51 blocks": [{"type": "divider"}] * 51,
    "section text": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
    "header": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
    "11 fields": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
    "button text": [
        {"type": "actions", "elements": [{**BUTTON, "text": {"type": "plain_text", "text": "x" * 76}}]}
    ],
    "button value": [{"type": "actions", "elements": [{**BUTTON, "value": "x" * 2001}]}],
    "26 elements": [{"type": "actions", "elements": [BUTTON] * 26}],
    "block_id": [{"type": "divider", "block_id": "x" * 256}],
    "action_id": [{"type": "actions", "elements": [{**BUTTON, "action_id": "x" * 256}]}],
    "duplicate block_id": [{"type": "divider", "block_id": "d"}, {"type": "divider", "block_id": "d"}],
}


@pytest.mark.parametrize("blocks", TOO_BIG_MESSAGES.values(), ids=TOO_BIG_MESSAGES.keys())
def test_messages_beyond_block_kit_limits_are_rejected(
    fake_slack: FakeSlack, client: WebClient, blocks: list[dict[str, Any]]
) -> None:
    assert (
        slack_error(client.chat_postMessage, channel=ALERTS_CHANNEL, text="t", blocks=blocks)
        == "invalid_blocks"
    )
    assert fake_slack.calls_to("chat.postMessage")[0].problems


TOO_BIG_VIEWS: dict[str, dict[str, Any]] = {
    "101 blocks": {**MODAL, "blocks": [{"type": "divider"}] * 101},
    "title": {**MODAL, "title": {"type": "plain_text", "text": "x" * 25}},
    "submit": {**MODAL, "submit": {"type": "plain_text", "text": "x" * 25}},
    "private_metadata": {**MODAL, "private_metadata": "x" * 3001},
    "input without submit": {**MODAL, "blocks": [{"type": "input", "label": {"type": "plain_text", "text": "Name"},
                                                 "element": {"type": "plain_text_input", "action_id": "name"}}]},
}  # fmt: skip


@pytest.mark.parametrize("view", TOO_BIG_VIEWS.values(), ids=TOO_BIG_VIEWS.keys())
def test_views_beyond_block_kit_limits_are_rejected(
    fake_slack: FakeSlack, client: WebClient, view: dict[str, Any]
) -> None:
    assert (
        slack_error(client.views_open, trigger_id=fake_slack.new_trigger_id(), view=view)
        == "invalid_arguments"
    )
    assert fake_slack.calls_to("views.open")[0].problems


def test_blocks_without_a_text_fallback_are_posted_with_a_warning(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    with pytest.warns(UserWarning, match="text"):  # slack_sdk warns too
        client.chat_postMessage(channel=ALERTS_CHANNEL, blocks=[SECTION])
    assert any("fallback" in p for p in fake_slack.calls[0].problems)


# ---- response URLs


def test_response_urls_record_posts_and_allow_five_uses(fake_slack: FakeSlack) -> None:
    url = fake_slack.new_response_url()
    statuses = [WebhookClient(url).send(text=f"reply {i}").status_code for i in range(6)]
    assert statuses == [200] * 5 + [404]
    assert [r.body["text"] for r in fake_slack.wait_for_response(url, count=6)][:2] == ["reply 0", "reply 1"]
    assert fake_slack.responses[-1].ok is False
    assert (
        WebhookClient(fake_slack.new_response_url()).send(text="t", blocks=[SECTION] * 2).status_code == 400
    )


# ---- recording and waiting


def test_wait_for_sees_calls_made_after_it_started(fake_slack: FakeSlack, client: WebClient) -> None:
    threading.Timer(0.2, lambda: client.chat_postMessage(channel=ALERTS_CHANNEL, text="later")).start()
    (call,) = fake_slack.wait_for("chat.postMessage", timeout=5)
    assert call.params["text"] == "later"
    assert call.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    with pytest.raises(AssertionError, match=r"calls to 'chat\.update', got 0"):
        fake_slack.wait_for("chat.update", timeout=0.1)
    assert fake_slack.wait_for(lambda c: c.ok, count=1) == [call]


# ---- failure injection


def test_server_errors_are_retried_by_the_server_error_handler(fake_slack: FakeSlack) -> None:
    retrying = WebClient(
        token=BOT_TOKEN, base_url=fake_slack.api_url, retry_handlers=[ServerErrorRetryHandler()]
    )
    fake_slack.fail_next("chat.postMessage", status=500)
    assert retrying.chat_postMessage(channel=ALERTS_CHANNEL, text="x")["ok"]
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [500, 200]


def test_rate_limits_send_retry_after_and_the_handler_honours_it(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.rate_limit_next("chat.postMessage", retry_after=1)
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=ALERTS_CHANNEL, text="x")
    assert info.value.response.status_code == 429
    assert info.value.response.headers["retry-after"] == "1"
    fake_slack.rate_limit_next("chat.postMessage", retry_after=1)
    patient = WebClient(
        token=BOT_TOKEN, base_url=fake_slack.api_url, retry_handlers=[RateLimitErrorRetryHandler()]
    )
    started = time.monotonic()
    assert patient.chat_postMessage(channel=ALERTS_CHANNEL, text="x")["ok"]
    assert time.monotonic() - started >= 1.0


def test_error_next_and_latency(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.error_next("chat.postMessage", "channel_not_found", count=2)
    assert slack_error(client.chat_postMessage, channel=ALERTS_CHANNEL, text="x") == "channel_not_found"
    assert slack_error(client.chat_postMessage, channel=ALERTS_CHANNEL, text="x") == "channel_not_found"
    fake_slack.set_latency(0.3, "auth.test")
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.3


def test_going_down_refuses_connections_until_it_comes_back_on_the_same_port(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    port = fake_slack.port
    fake_slack.go_down()
    with pytest.raises(urllib.error.URLError):
        client.auth_test()
    fake_slack.come_back()
    assert fake_slack.port == port
    assert client.auth_test()["ok"]


def test_a_call_in_flight_is_seen_on_arrival_before_it_is_answered(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.set_latency(0.3, "chat.postMessage")
    posting = threading.Thread(
        target=client.chat_postMessage, kwargs={"channel": ALERTS_CHANNEL, "text": "hi"}
    )
    posting.start()
    [arrival] = fake_slack.wait_for_arrival("chat.postMessage")
    assert arrival.params["text"] == "hi"
    assert fake_slack.calls_to("chat.postMessage") == []  # still in flight
    posting.join(5)
    [call] = fake_slack.calls_to("chat.postMessage")
    assert call.ok
